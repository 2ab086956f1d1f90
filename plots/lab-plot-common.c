/* lab-plot-common.c: layout, text, axes, grid and legend shared by the
 * forecast, loss and hidden-state plots. */
#include <math.h>
#include <string.h>

#include "plots/lab-plot-private.h"

/* Digits of DejaVu/Cantarell-like sans fonts are about 0.62 em wide; margins
 * are estimated from this so that layout never needs a cairo_t. */
#define DIGIT_EM 0.64
#define LINE_EM  1.25

/* Measures text with no cairo_t: a Pango context on the default font map
 * with the painter's font options (metrics unhinted, so they match any target). */
static PangoLayout *
measure_layout (void)
{
  PangoContext *context;
  PangoLayout *layout;
  cairo_font_options_t *options;

  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  layout = pango_layout_new (context);
  g_object_unref (context);
  return layout;
}

static void
layout_text_size (PangoLayout *layout,
                  const char  *text,
                  gboolean     markup,
                  double       size_px,
                  gboolean     bold,
                  double      *width,
                  double      *height)
{
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  PangoRectangle logical;

  pango_font_description_set_absolute_size (font, (int) (size_px * PANGO_SCALE + 0.5));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    {
      pango_layout_set_attributes (layout, NULL);
      pango_layout_set_text (layout, text, -1);
    }
  pango_layout_get_extents (layout, NULL, &logical);
  *width = (double) logical.width / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
}

void
lab_plot_measure_text (const char *text,
                       gboolean    markup,
                       double      size_px,
                       gboolean    bold,
                       double     *width,
                       double     *height)
{
  PangoLayout *layout = measure_layout ();

  layout_text_size (layout, text, markup, size_px, bold, width, height);
  g_object_unref (layout);
}

/* Legend geometry, in font heights. */
#define LEGEND_SWATCH  1.5
#define LEGEND_GAP     0.4
#define LEGEND_SPACING 1.0
#define LEGEND_ROW     1.4

/* The legend's entries flowed into rows of the given width, in order; stops
 * at the first entry that does not fit in max_rows. Returns the rows used. */
static int
legend_flow (LabPlotFrame         *frame,
             const LabLegendEntry *entries,
             int                   n,
             double                x0,
             double                width,
             int                   max_rows)
{
  PangoLayout *layout = measure_layout ();
  double f = frame->font_px, x = 0;
  int row = 0;

  frame->n_legend = 0;
  for (int i = 0; i < MIN (n, LAB_LEGEND_MAX); i++)
    {
      double tw, th, w;

      layout_text_size (layout, entries[i].label, FALSE, f, FALSE, &tw, &th);
      w = (LEGEND_SWATCH + LEGEND_GAP) * f + tw;
      if (x > 0 && x + w > width)
        {
          row++;
          x = 0;
        }
      if (row >= max_rows || w > width)
        break;
      frame->legend_items[i] = (LabRect) { x0 + x, row * LEGEND_ROW * f, w, LEGEND_ROW * f };
      frame->n_legend = i + 1;
      x += w + LEGEND_SPACING * f;
    }
  g_object_unref (layout);
  return frame->n_legend > 0 ? row + 1 : 0;
}

void
lab_plot_frame_init (LabPlotFrame       *frame,
                     int                 width,
                     int                 height,
                     const LabPlotStyle *style,
                     const LabFrameSpec *spec)
{
  double w = MAX (width, 1), h = MAX (height, 1);
  double font_scale = style->font_scale > 0 ? style->font_scale : 1.0;
  double line_scale = style->line_scale > 0 ? style->line_scale : 1.0;
  double base, f, left, right, top, bottom, legend_h = 0;

  frame->width = width;
  frame->height = height;

  /* Text grows with the figure, like a figure exported at a higher dpi,
   * within limits that keep the smallest view legible from the back of a
   * classroom and big ones sober. */
  base = CLAMP (sqrt (w * h) / 64.0, LAB_PLOT_MIN_FONT_PX, 34.0);
  f = base * font_scale;
  frame->font_px = f;
  frame->title_px = f * 1.25;
  /* Lines follow the figure's size and line_scale, not font_scale: presenter
   * mode's bigger text should not thicken them twice. */
  frame->line_px = MAX (2.0, base * 0.15) * line_scale;
  frame->thin_px = MAX (1.0, base * 0.07) * (1.0 + (line_scale - 1.0) * 0.5);
  frame->pad = f * 0.5;
  frame->tick_len = f * 0.35;

  left = frame->pad + spec->ytick_chars * DIGIT_EM * f + frame->tick_len + f * 0.35;
  if (spec->has_ylabel)
    left += f * LINE_EM + f * 0.2;
  right = frame->pad + spec->extra_right * f + DIGIT_EM * f * 1.5;
  top = frame->pad + (spec->has_title ? frame->title_px * LINE_EM + f * 0.3 : f * 0.4);
  bottom = frame->pad + frame->tick_len + f * 0.15 + f * LINE_EM;
  if (spec->has_xlabel)
    bottom += f * LINE_EM;

  frame->title.x = frame->pad;
  frame->title.y = frame->pad;
  frame->title.width = MAX (1.0, w - 2 * frame->pad);
  frame->title.height = frame->title_px * LINE_EM;

  /* The legend: rows under the title, from the figure's left edge, as many
   * as leave the data at least 45% of the height (at most three). */
  frame->n_legend = 0;
  frame->legend = (LabRect) { left, top, 0, 0 };
  if (spec->legend != NULL && spec->n_legend > 0)
    {
      double room = h - top - bottom - 0.45 * h;
      int max_rows = CLAMP ((int) floor (room / (LEGEND_ROW * f)), 0, 3);
      int rows = max_rows > 0
                 ? legend_flow (frame, spec->legend, spec->n_legend, frame->pad,
                                w - 2 * frame->pad, max_rows)
                 : 0;

      legend_h = rows * LEGEND_ROW * f;
      frame->legend = (LabRect) { frame->pad, top, MAX (1.0, w - 2 * frame->pad), legend_h };
      for (int i = 0; i < frame->n_legend; i++)
        frame->legend_items[i].y += top;
      if (rows > 0)
        legend_h += f * 0.3;
    }

  /* Whole pixels: clipping to the area stays on Cairo's fast path. */
  frame->area.x = round (left);
  frame->area.y = round (top + legend_h);
  frame->area.width = MAX (1.0, round (w - right) - frame->area.x);
  frame->area.height = MAX (1.0, round (h - bottom) - frame->area.y);
}

void
lab_plot_set_color (cairo_t *cr,
                    LabRgb   color,
                    double   alpha)
{
  if (alpha >= 1.0)
    cairo_set_source_rgb (cr, color.r, color.g, color.b);
  else
    cairo_set_source_rgba (cr, color.r, color.g, color.b, alpha);
}

LabRgb
lab_rgb_mix (LabRgb a,
             LabRgb b,
             double t)
{
  return (LabRgb) {
    a.r + (b.r - a.r) * t,
    a.g + (b.g - a.g) * t,
    a.b + (b.b - a.b) * t,
  };
}

void
lab_plot_painter_begin (LabPlotPainter     *painter,
                        cairo_t            *cr,
                        int                 width,
                        int                 height,
                        const LabPlotStyle *style,
                        const LabFrameSpec *spec)
{
  cairo_font_options_t *options;

  painter->cr = cr;
  painter->style = style;
  lab_plot_frame_init (&painter->frame, width, height, style, spec);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  lab_plot_set_color (cr, style->background, 1.0);
  cairo_paint (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  painter->layout = pango_cairo_create_layout (cr);
  /* Metrics must not depend on the target's hinting: the same text takes
   * the same room on screen and in a PDF. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (painter->layout), options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (painter->layout);

  painter->font = pango_font_description_from_string ("Sans");
}

void
lab_plot_painter_end (LabPlotPainter *painter)
{
  g_clear_object (&painter->layout);
  g_clear_pointer (&painter->font, pango_font_description_free);
  cairo_restore (painter->cr);
}

static void
set_text (LabPlotPainter *painter,
          const char     *text,
          gboolean        markup,
          double          size_px,
          gboolean        bold)
{
  int size = (int) (size_px * PANGO_SCALE + 0.5);
  PangoWeight weight = bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL;

  if (pango_font_description_get_size (painter->font) != size
      || pango_font_description_get_weight (painter->font) != weight)
    {
      pango_font_description_set_absolute_size (painter->font, size);
      pango_font_description_set_weight (painter->font, weight);
      pango_layout_set_font_description (painter->layout, painter->font);
    }
  if (markup)
    pango_layout_set_markup (painter->layout, text, -1);
  else
    {
      /* Markup leaves its attributes on the layout: plain text must not
       * inherit them. */
      pango_layout_set_attributes (painter->layout, NULL);
      pango_layout_set_text (painter->layout, text, -1);
    }
}

static void
text_size (LabPlotPainter *painter,
           const char     *text,
           gboolean        markup,
           double          size_px,
           gboolean        bold,
           double         *width,
           double         *height)
{
  PangoRectangle logical;

  set_text (painter, text, markup, size_px, bold);
  pango_layout_get_extents (painter->layout, NULL, &logical);
  *width = (double) logical.width / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
}

void
lab_plot_text_size (LabPlotPainter *painter,
                    const char     *text,
                    double          size_px,
                    gboolean        bold,
                    double         *width,
                    double         *height)
{
  text_size (painter, text, FALSE, size_px, bold, width, height);
}

void
lab_plot_markup_size (LabPlotPainter *painter,
                      const char     *markup,
                      double          size_px,
                      gboolean        bold,
                      double         *width,
                      double         *height)
{
  text_size (painter, markup, TRUE, size_px, bold, width, height);
}

static void
show_text (LabPlotPainter *painter,
           const char     *text,
           gboolean        markup,
           double          size_px,
           gboolean        bold,
           LabRgb          color,
           double          x,
           double          y,
           double          ax,
           double          ay,
           gboolean        rotated)
{
  cairo_t *cr = painter->cr;
  double w, h;

  text_size (painter, text, markup, size_px, bold, &w, &h);
  cairo_save (cr);
  lab_plot_set_color (cr, color, 1.0);
  cairo_translate (cr, x, y);
  if (rotated)
    cairo_rotate (cr, -G_PI / 2);
  cairo_move_to (cr, -ax * w, -ay * h);
  if (rotated)
    pango_cairo_update_layout (cr, painter->layout);
  pango_cairo_show_layout (cr, painter->layout);
  cairo_restore (cr);
  if (rotated)
    pango_cairo_update_layout (cr, painter->layout);
}

void
lab_plot_text (LabPlotPainter *painter,
               const char     *text,
               double          size_px,
               gboolean        bold,
               LabRgb          color,
               double          x,
               double          y,
               double          ax,
               double          ay,
               gboolean        rotated)
{
  show_text (painter, text, FALSE, size_px, bold, color, x, y, ax, ay, rotated);
}

void
lab_plot_markup (LabPlotPainter *painter,
                 const char     *markup,
                 double          size_px,
                 gboolean        bold,
                 LabRgb          color,
                 double          x,
                 double          y,
                 double          ax,
                 double          ay)
{
  show_text (painter, markup, TRUE, size_px, bold, color, x, y, ax, ay, FALSE);
}

static const char *const superscripts[] = {
  "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹",
};

/* "10⁻³" for 10^e. */
static void
format_power (GString *out,
              int      e)
{
  char digits[16];

  g_string_append (out, "10");
  g_snprintf (digits, sizeof digits, "%d", ABS (e));
  if (e < 0)
    g_string_append (out, "⁻");
  for (const char *d = digits; *d; d++)
    g_string_append (out, superscripts[*d - '0']);
}

/* Appends ascii (a number from printf) with a true minus sign. */
static void
append_signed (GString    *out,
               const char *ascii)
{
  if (ascii[0] == '-')
    {
      g_string_append (out, "−");
      ascii++;
    }
  g_string_append (out, ascii);
}

/* Drops trailing zeros of a fraction: "0.0500" -> "0.05", "2.0" -> "2". */
static void
trim_zeros (char *s)
{
  char *dot = strchr (s, '.'), *end;

  if (dot == NULL)
    return;
  end = s + strlen (s) - 1;
  while (end > dot && *end == '0')
    *end-- = '\0';
  if (end == dot)
    *end = '\0';
}

/* "%.Nf" with a '.' whatever the locale. */
static void
ascii_fixed (char   *buf,
             gsize   size,
             int     decimals,
             double  value)
{
  char format[16];

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 12));
  g_ascii_formatd (buf, size, format, value);
}

/* The notation of lab_format_number. decimals >= 0 fixes the decimals of a
 * plain number (tick labels: the same for every tick, zeros kept); < 0 takes
 * them from digits and drops trailing zeros. */
static void
append_number (GString *out,
               double   value,
               int      digits,
               int      decimals)
{
  char tmp[64];
  double a = fabs (value);
  int e;

  digits = CLAMP (digits, 1, 9);
  if (!isfinite (value))
    {
      g_string_append (out, isnan (value) ? "NaN" : value > 0 ? "∞" : "−∞");
      return;
    }
  if (a == 0 && decimals < 0)
    {
      g_string_append (out, "0");
      return;
    }
  if (a == 0 || (a >= 1e-2 && a < 1e5))
    {
      gboolean trim = decimals < 0;

      if (trim)
        decimals = MAX (0, digits - 1 - (int) floor (log10 (a)));
      ascii_fixed (tmp, sizeof tmp, decimals, value);
      if (trim)
        trim_zeros (tmp);
      if (strcmp (tmp, "-0") == 0 || (tmp[0] == '-' && strspn (tmp + 1, "0.") == strlen (tmp + 1)))
        memmove (tmp, tmp + 1, strlen (tmp));
      append_signed (out, tmp);
      return;
    }

  e = (int) floor (log10 (a));
  ascii_fixed (tmp, sizeof tmp, digits - 1, value / pow (10.0, e));
  /* Rounding may carry the mantissa to 10. */
  if (fabs (g_ascii_strtod (tmp, NULL)) >= 10.0)
    {
      e++;
      ascii_fixed (tmp, sizeof tmp, digits - 1, value / pow (10.0, e));
    }
  trim_zeros (tmp);
  if (strcmp (tmp, "1") == 0 || strcmp (tmp, "-1") == 0)
    {
      if (tmp[0] == '-')
        g_string_append (out, "−");
    }
  else
    {
      append_signed (out, tmp);
      g_string_append (out, "×");
    }
  format_power (out, e);
}

void
lab_format_number (char   *buf,
                   gsize   size,
                   double  value,
                   int     digits)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_if_fail (buf != NULL && size > 0);

  append_number (out, value, digits, -1);
  g_strlcpy (buf, out->str, size);
}

char *
lab_format_loss (double value)
{
  char buf[64];

  lab_format_number (buf, sizeof buf, value, 3);
  return g_strdup (buf);
}

void
lab_plot_format_tick (char     *buf,
                      gsize     size,
                      double    value,
                      double    step,
                      gboolean  log)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (log)
    {
      /* Log axes are labelled in powers of ten: 1, 10, then 10ⁿ. */
      int e = (int) lround (log10 (value));

      if (e == 0)
        g_string_append (out, "1");
      else if (e == 1)
        g_string_append (out, "10");
      else
        format_power (out, e);
    }
  else
    {
      double a = fabs (value);
      int decimals = step > 0 ? (int) ceil (-log10 (step) - 1e-9) : 0;

      if (a != 0 && (a < 1e-2 || a >= 1e5))
        /* As many digits as tell this tick from the next. */
        append_number (out, value,
                       step > 0 ? (int) floor (log10 (a) + 1e-9) - (int) floor (log10 (step) + 1e-9) + 1 : 3,
                       -1);
      else
        append_number (out, value, 3, MAX (decimals, 0));
    }
  g_strlcpy (buf, out->str, size);
}

int
lab_plot_max_ticks (const LabPlotFrame *frame,
                    double              length,
                    gboolean            vertical)
{
  double spacing = frame->font_px * (vertical ? 2.6 : 5.5);

  return CLAMP ((int) (length / spacing) + 1, 2, 11);
}

void
lab_plot_clip_area (LabPlotPainter *painter)
{
  const LabRect *a = &painter->frame.area;

  cairo_rectangle (painter->cr, a->x, a->y, a->width, a->height);
  cairo_clip (painter->cr);
}

/* Pixel-exact positions for thin lines on raster targets. */
static double
crisp (double v,
       double line_width)
{
  double w = round (line_width);

  if (fabs (w - line_width) > 0.01)
    return v;
  return ((int) w % 2) ? floor (v) + 0.5 : round (v);
}

static int
scale_ticks (const LabScale *scale,
             double          length,
             gboolean        vertical,
             const LabPlotFrame *frame,
             double         *ticks,
             int             max)
{
  int n = MIN (max, lab_plot_max_ticks (frame, length, vertical));

  return lab_scale_ticks (scale->d0, scale->d1, scale->log, ticks, n);
}

void
lab_plot_draw_grid (LabPlotPainter *painter,
                    const LabScale *x,
                    const LabScale *y)
{
  const LabPlotFrame *f = &painter->frame;
  const LabRect *a = &f->area;
  cairo_t *cr = painter->cr;
  double ticks[16];
  int n;

  cairo_save (cr);
  lab_plot_set_color (cr, painter->style->grid, 1.0);
  cairo_set_line_width (cr, f->thin_px);

  if (x != NULL)
    {
      n = scale_ticks (x, a->width, FALSE, f, ticks, G_N_ELEMENTS (ticks));
      for (int i = 0; i < n; i++)
        {
          double px = crisp (lab_scale_map (x, ticks[i]), f->thin_px);

          cairo_move_to (cr, px, a->y);
          cairo_line_to (cr, px, a->y + a->height);
        }
    }
  if (y != NULL)
    {
      n = scale_ticks (y, a->height, TRUE, f, ticks, G_N_ELEMENTS (ticks));
      for (int i = 0; i < n; i++)
        {
          double py = crisp (lab_scale_map (y, ticks[i]), f->thin_px);

          cairo_move_to (cr, a->x, py);
          cairo_line_to (cr, a->x + a->width, py);
        }
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static double
tick_step (const double *ticks,
           int           n)
{
  return n >= 2 ? fabs (ticks[1] - ticks[0]) : 1.0;
}

/* One axis: its line, ticks and tick labels (x below the area, y to its left). */
static void
draw_axis (LabPlotPainter *painter,
           const LabScale *scale,
           gboolean        vertical,
           const double   *ticks,
           int             n,
           double          step,
           gboolean        integers)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  const LabRect *a = &f->area;
  cairo_t *cr = painter->cr;
  double left = crisp (a->x, f->thin_px), bottom = crisp (a->y + a->height, f->thin_px);
  char label[64];

  cairo_save (cr);
  cairo_set_line_width (cr, f->thin_px);
  lab_plot_set_color (cr, lab_rgb_mix (s->foreground, s->background, 0.25), 1.0);
  if (vertical)
    {
      cairo_move_to (cr, left, a->y);
      cairo_line_to (cr, left, bottom);
    }
  else
    {
      cairo_move_to (cr, left, bottom);
      cairo_line_to (cr, a->x + a->width, bottom);
    }

  for (int i = 0; i < n; i++)
    {
      double p = crisp (lab_scale_map (scale, ticks[i]), f->thin_px);

      if (vertical)
        {
          cairo_move_to (cr, left, p);
          cairo_line_to (cr, left - f->tick_len, p);
        }
      else
        {
          cairo_move_to (cr, p, bottom);
          cairo_line_to (cr, p, bottom + f->tick_len);
        }
    }

  /* Minor ticks at 2..9 x 10^k on log scales with few decades. */
  if (vertical && scale->log && n >= 1 && n <= 6 && step <= 10.0 + 1e-9)
    {
      double lo = MIN (scale->d0, scale->d1), hi = MAX (scale->d0, scale->d1);

      for (double decade = pow (10.0, floor (log10 (lo))); decade < hi; decade *= 10)
        for (int m = 2; m <= 9; m++)
          {
            double v = decade * m, p;

            if (v < lo || v > hi)
              continue;
            p = crisp (lab_scale_map (scale, v), f->thin_px);
            cairo_move_to (cr, left, p);
            cairo_line_to (cr, left - f->tick_len * 0.55, p);
          }
    }
  cairo_stroke (cr);

  {
    /* Labels never leave the figure nor touch each other: one pushed off an
     * edge is moved in, one that would overlap the last drawn is left out. */
    double last_end = -G_MAXDOUBLE, gap = f->font_px * 0.6;

    for (int i = 0; i < n; i++)
      {
        double p = lab_scale_map (scale, ticks[i]), tw, th, x0;

        if (integers)
          g_snprintf (label, sizeof label, "%d", (int) lround (ticks[i]));
        else
          lab_plot_format_tick (label, sizeof label, ticks[i], step, scale->log);
        if (vertical)
          {
            lab_plot_text_size (painter, label, f->font_px, FALSE, &tw, &th);
            if (p - th / 2 < 0 || p + th / 2 > f->height)
              continue;
            lab_plot_text (painter, label, f->font_px, FALSE, s->foreground,
                           left - f->tick_len - f->font_px * 0.3, p, 1.0, 0.5, FALSE);
            continue;
          }
        lab_plot_text_size (painter, label, f->font_px, FALSE, &tw, &th);
        x0 = CLAMP (p - tw / 2, f->pad * 0.5, f->width - f->pad * 0.5 - tw);
        if (x0 < last_end + gap || x0 + tw > f->width)
          continue;
        lab_plot_text (painter, label, f->font_px, FALSE, s->foreground,
                       x0, bottom + f->tick_len + f->font_px * 0.15, 0.0, 0.0, FALSE);
        last_end = x0 + tw;
      }
  }
  cairo_restore (cr);
}

static void
draw_axis_labels (LabPlotPainter *painter,
                  const char     *xlabel,
                  const char     *ylabel)
{
  const LabPlotFrame *f = &painter->frame;
  const LabRect *a = &f->area;

  /* Under the tick labels (not at the bottom edge: a heatmap of whole-pixel
   * cells may end above the area it was given). */
  if (xlabel != NULL)
    lab_plot_text (painter, xlabel, f->font_px, FALSE, painter->style->foreground,
                   a->x + a->width / 2,
                   a->y + a->height + f->tick_len + f->font_px * (0.25 + LINE_EM + 0.1),
                   0.5, 0.0, FALSE);
  if (ylabel != NULL)
    lab_plot_text (painter, ylabel, f->font_px, FALSE, painter->style->foreground,
                   f->pad, a->y + a->height / 2, 0.5, 0.0, TRUE);
}

void
lab_plot_draw_axes (LabPlotPainter *painter,
                    const LabScale *x,
                    const LabScale *y,
                    const char     *xlabel,
                    const char     *ylabel)
{
  const LabPlotFrame *f = &painter->frame;
  double ticks[16];
  int n;

  if (x != NULL)
    {
      n = scale_ticks (x, f->area.width, FALSE, f, ticks, G_N_ELEMENTS (ticks));
      draw_axis (painter, x, FALSE, ticks, n, tick_step (ticks, n), FALSE);
    }
  if (y != NULL)
    {
      n = scale_ticks (y, f->area.height, TRUE, f, ticks, G_N_ELEMENTS (ticks));
      draw_axis (painter, y, TRUE, ticks, n, tick_step (ticks, n), FALSE);
    }
  draw_axis_labels (painter, xlabel, ylabel);
}

int
lab_plot_index_ticks (int     count,
                      double  cell_px,
                      double  min_spacing,
                      double *ticks,
                      int     max)
{
  double step = 1;
  int n = 0;

  if (count <= 0 || max <= 0)
    return 0;

  /* 1, 2, 5, 10, 20, 50... items between labels, the first that leaves room. */
  for (int k = 0; step * cell_px < min_spacing && step < count; k++)
    step = (k % 3 == 0 ? 2 : k % 3 == 1 ? 2.5 : 2) * step;

  /* Regular: the multiples of the step (every item when the step is 1);
   * only when there is none, the first item. */
  for (double v = step; v <= count + 1e-9 && n < max; v += step)
    ticks[n++] = v;
  if (n == 0)
    ticks[n++] = 1;
  return n;
}

void
lab_plot_draw_index_axis (LabPlotPainter *painter,
                          const LabScale *scale,
                          int             count,
                          gboolean        vertical)
{
  const LabPlotFrame *f = &painter->frame;
  double ticks[64];
  int n;

  n = lab_plot_index_ticks (count, fabs (scale->p1 - scale->p0) / MAX (count, 1),
                            f->font_px * (vertical ? 1.6 : 2.8), ticks, G_N_ELEMENTS (ticks));
  draw_axis (painter, scale, vertical, ticks, n, 1, TRUE);
}

void
lab_plot_draw_axis_labels (LabPlotPainter *painter,
                           const char     *xlabel,
                           const char     *ylabel)
{
  draw_axis_labels (painter, xlabel, ylabel);
}

void
lab_plot_arrow (cairo_t *cr,
                double   x0,
                double   y0,
                double   x1,
                double   y1,
                double   line_width,
                double   head)
{
  double dx = x1 - x0, dy = y1 - y0, l = hypot (dx, dy), ux, uy;

  if (l < 1e-6)
    return;
  ux = dx / l;
  uy = dy / l;
  head = MIN (head, l * 0.6);
  cairo_set_line_width (cr, line_width);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  cairo_stroke (cr);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - ux * head - uy * head * 0.45, y1 - uy * head + ux * head * 0.45);
  cairo_line_to (cr, x1 - ux * head + uy * head * 0.45, y1 - uy * head - ux * head * 0.45);
  cairo_close_path (cr);
  cairo_fill (cr);
}

void
lab_plot_draw_index_axes (LabPlotPainter *painter,
                          const LabScale *x,
                          int             nx,
                          const LabScale *y,
                          int             ny,
                          const char     *xlabel,
                          const char     *ylabel)
{
  const LabPlotFrame *f = &painter->frame;
  double ticks[64];
  int n;

  n = lab_plot_index_ticks (nx, fabs (x->p1 - x->p0) / MAX (nx, 1), f->font_px * 2.8,
                            ticks, G_N_ELEMENTS (ticks));
  draw_axis (painter, x, FALSE, ticks, n, 1, TRUE);
  n = lab_plot_index_ticks (ny, fabs (y->p1 - y->p0) / MAX (ny, 1), f->font_px * 1.6,
                            ticks, G_N_ELEMENTS (ticks));
  draw_axis (painter, y, TRUE, ticks, n, 1, TRUE);
  draw_axis_labels (painter, xlabel, ylabel);
}

static void
draw_title (LabPlotPainter *painter,
            const char     *left,
            gboolean        markup,
            const char     *right)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  double lw = 0, rw = 0, h;

  if (left != NULL)
    text_size (painter, left, markup, f->title_px, TRUE, &lw, &h);
  if (right != NULL)
    lab_plot_text_size (painter, right, f->font_px, FALSE, &rw, &h);

  /* Not enough room for both: the title wins. */
  if (right != NULL && lw + rw + f->font_px <= f->title.width)
    lab_plot_text (painter, right, f->font_px, FALSE,
                   lab_rgb_mix (s->foreground, s->background, 0.2),
                   f->title.x + f->title.width, f->title.y + f->title.height / 2,
                   1.0, 0.5, FALSE);
  if (left != NULL)
    show_text (painter, left, markup, f->title_px, TRUE, s->foreground,
               f->title.x, f->title.y + f->title.height / 2, 0.0, 0.5, FALSE);
}

void
lab_plot_draw_title (LabPlotPainter *painter,
                     const char     *left,
                     const char     *right)
{
  draw_title (painter, left, FALSE, right);
}

void
lab_plot_draw_title_markup (LabPlotPainter *painter,
                            const char     *left,
                            const char     *right)
{
  draw_title (painter, left, TRUE, right);
}

void
lab_plot_draw_hint (LabPlotPainter *painter,
                    const char     *text)
{
  const LabRect *a = &painter->frame.area;
  const LabPlotStyle *s = painter->style;

  lab_plot_text (painter, text, painter->frame.font_px * 1.1, FALSE,
                 lab_rgb_mix (s->foreground, s->background, 0.4),
                 a->x + a->width / 2, a->y + a->height / 2, 0.5, 0.5, FALSE);
}

static gboolean
point_at (const LabScale *x,
          const LabScale *y,
          double          x0,
          const float    *values,
          int             n,
          int             i,
          double          ymin,
          double          ymax,
          double          zero_floor,
          double         *px,
          double         *py)
{
  if (i < 0 || i >= n || !isfinite (values[i]))
    return FALSE;
  *px = lab_scale_map (x, x0 + i);
  *py = lab_scale_map (y, values[i] == 0 && zero_floor > 0 ? zero_floor : values[i]);
  if (!isfinite (*px) || !isfinite (*py))
    return FALSE;
  *py = CLAMP (*py, ymin, ymax);
  return TRUE;
}

/* Fewer vertices, same picture: Cairo's stroker costs about a microsecond
 * per segment, so points within a quarter pixel of the line from the last
 * kept point along its current direction (Reumann-Witkam) are dropped. */
typedef struct
{
  cairo_t *cr;
  gboolean open;          /* a polyline is in progress */
  gboolean has_dir;
  double   ax, ay;        /* the last emitted vertex */
  double   dx, dy;        /* unit direction of the strip from it */
  double   bx, by;        /* the last point seen, not yet emitted */
  gboolean pending;
} Simplifier;

#define SIMPLIFY_TOLERANCE 0.25

static void
simplify_end (Simplifier *s)
{
  if (s->open && s->pending)
    cairo_line_to (s->cr, s->bx, s->by);
  s->open = s->pending = s->has_dir = FALSE;
}

static void
simplify_point (Simplifier *s,
                double      x,
                double      y,
                gboolean    connected)
{
  if (!connected || !s->open)
    {
      simplify_end (s);
      cairo_move_to (s->cr, x, y);
      s->open = TRUE;
      s->ax = x;
      s->ay = y;
      return;
    }
  if (!s->has_dir)
    {
      double l = hypot (x - s->ax, y - s->ay);

      if (l < 1e-9)
        return;
      s->dx = (x - s->ax) / l;
      s->dy = (y - s->ay) / l;
      s->has_dir = TRUE;
    }
  else if (fabs ((x - s->ax) * s->dy - (y - s->ay) * s->dx) > SIMPLIFY_TOLERANCE
           || (x - s->ax) * s->dx + (y - s->ay) * s->dy < 0)
    {
      /* Left the strip (or turned back): the previous point is a corner. */
      double l;

      cairo_line_to (s->cr, s->bx, s->by);
      s->ax = s->bx;
      s->ay = s->by;
      l = hypot (x - s->ax, y - s->ay);
      s->has_dir = l >= 1e-9;
      if (s->has_dir)
        {
          s->dx = (x - s->ax) / l;
          s->dy = (y - s->ay) / l;
        }
    }
  s->bx = x;
  s->by = y;
  s->pending = TRUE;
}

/* Decimation for long series (M4): per pixel column only the first, lowest,
 * highest and last points are drawn, which looks the same as drawing them
 * all and keeps the cost bounded by the width, not the length. */
typedef struct
{
  Simplifier *out;
  gboolean open;       /* a column is being gathered */
  gboolean connected;  /* the path continues from the previous column */
  int      column;
  double   x, first, lo, hi, last;
  int      lo_i, hi_i;
} M4;

static void
m4_flush (M4 *m)
{
  gboolean low_first = m->lo_i <= m->hi_i;

  if (!m->open)
    return;
  simplify_point (m->out, m->x, m->first, m->connected);
  simplify_point (m->out, m->x, low_first ? m->lo : m->hi, TRUE);
  simplify_point (m->out, m->x, low_first ? m->hi : m->lo, TRUE);
  simplify_point (m->out, m->x, m->last, TRUE);
  m->open = FALSE;
  m->connected = TRUE;
}

static void
m4_add (M4     *m,
        int     i,
        double  px,
        double  py)
{
  int column = (int) floor (px);

  if (m->open && column != m->column)
    m4_flush (m);
  if (!m->open)
    {
      m->open = TRUE;
      m->column = column;
      m->x = px;
      m->first = m->lo = m->hi = py;
      m->lo_i = m->hi_i = i;
    }
  if (py < m->lo)
    m->lo = py, m->lo_i = i;
  if (py > m->hi)
    m->hi = py, m->hi_i = i;
  m->last = py;
}

/* The same decimation, gathered on the values rather than on their pixels:
 * the y mapping is monotonic, so a column's lowest and highest values are
 * its extreme pixels, and only four values per column go through the
 * mapping (a log10 each on a log scale), not every point. With a history of
 * tens of thousands of epochs this is what keeps a frame's loss plot cheap.
 * It needs a linear x (the column from the index) and a y scale on which
 * every value that passes valid () has a finite pixel. */
static gboolean
m4_values_apply (const LabScale *x,
                 const LabScale *y)
{
  return !x->log && isfinite (x->p0) && isfinite (x->p1) &&
         isfinite (y->p0) && isfinite (y->p1) &&
         isfinite (y->d0) && isfinite (y->d1) &&
         (!y->log || (y->d0 > 0 && y->d1 > 0));
}

static inline gboolean
m4_value_valid (const LabScale *y,
                float           v,
                double          zero_floor)
{
  return isfinite (v) && (!y->log || v > 0 || (v == 0 && zero_floor > 0));
}

static double
m4_value_pixel (const LabScale *y,
                double          v,
                double          ymin,
                double          ymax,
                double          zero_floor)
{
  double py = lab_scale_map (y, v == 0 && zero_floor > 0 ? zero_floor : v);

  return CLAMP (py, ymin, ymax);
}

static void
m4_values (Simplifier     *out,
           const LabScale *x,
           const LabScale *y,
           double          x0,
           const float    *values,
           int             n,
           double          ymin,
           double          ymax,
           double          zero_floor)
{
  gboolean open = FALSE, connected = FALSE;
  int column = 0, lo_i = 0, hi_i = 0;
  double px = 0;
  float first = 0, lo = 0, hi = 0, last = 0;

  /* lab_scale_map () of a linear x, inline: the same arithmetic. */
  double span = x->d1 - x->d0, width = x->p1 - x->p0;

  for (int i = 0; i <= n; i++)
    {
      gboolean ok = i < n && m4_value_valid (y, values[i], zero_floor);
      double qx = span == 0 ? x->p0 + 0.5 * width : x->p0 + ((x0 + i - x->d0) / span) * width;
      int c;

      ok = ok && isfinite (qx);
      c = ok ? (int) floor (qx) : 0;
      if (open && (!ok || c != column))
        {
          /* The column: first, the two extremes in their order, last. */
          gboolean low_first = lo_i <= hi_i;

          simplify_point (out, px, m4_value_pixel (y, first, ymin, ymax, zero_floor), connected);
          simplify_point (out, px, m4_value_pixel (y, low_first ? lo : hi, ymin, ymax, zero_floor), TRUE);
          simplify_point (out, px, m4_value_pixel (y, low_first ? hi : lo, ymin, ymax, zero_floor), TRUE);
          simplify_point (out, px, m4_value_pixel (y, last, ymin, ymax, zero_floor), TRUE);
          open = FALSE;
          connected = ok;
        }
      if (!ok)
        {
          connected = FALSE;
          continue;
        }
      if (!open)
        {
          open = TRUE;
          column = c;
          px = qx;
          first = lo = hi = last = values[i];
          lo_i = hi_i = i;
        }
      if (values[i] < lo)
        lo = values[i], lo_i = i;
      if (values[i] > hi)
        hi = values[i], hi_i = i;
      last = values[i];
    }
}

void
lab_plot_draw_series (LabPlotPainter *painter,
                      const LabScale *x,
                      const LabScale *y,
                      double          x0,
                      const float    *values,
                      int             n,
                      double          line_width)
{
  lab_plot_draw_series_floor (painter, x, y, x0, values, n, line_width, 0);
}

void
lab_plot_draw_markers (LabPlotPainter *painter,
                       const LabScale *x,
                       const LabScale *y,
                       double          x0,
                       const float    *values,
                       int             n,
                       double          r)
{
  const LabRect *a = &painter->frame.area;
  cairo_t *cr = painter->cr;
  double px, py, spacing = fabs (lab_scale_map (x, 1) - lab_scale_map (x, 0));
  int stride;

  if (values == NULL || !(spacing > 0))
    return;
  /* At least three radii of space between dots. */
  stride = MAX (1, (int) ceil (r * 5.0 / spacing));
  cairo_new_path (cr);
  for (int i = 0; i < n; i += stride)
    if (point_at (x, y, x0, values, n, i, a->y - a->height, a->y + 2 * a->height, 0, &px, &py))
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, px, py, r, 0, 2 * G_PI);
      }
  cairo_fill (cr);
}

void
lab_plot_draw_series_floor (LabPlotPainter *painter,
                            const LabScale *x,
                            const LabScale *y,
                            double          x0,
                            const float    *values,
                            int             n,
                            double          line_width,
                            double          zero_floor)
{
  const LabRect *a = &painter->frame.area;
  cairo_t *cr = painter->cr;
  /* Far enough outside the area to be clipped, near enough for Cairo's
   * fixed-point coordinates. */
  double ymin = a->y - a->height, ymax = a->y + 2 * a->height;
  gboolean prev = FALSE, decimate;
  double px, py, qx, qy;
  Simplifier simplifier = { .cr = cr };

  if (values == NULL || n <= 0)
    return;

  cairo_save (cr);
  cairo_set_line_width (cr, line_width);
  /* Mitred joins (bevelled where sharp) and 4x4 coverage sampling draw a
   * long polyline two to three times faster than round joins at full
   * sampling, with no visible difference at these widths; vector targets
   * ignore the antialias hint. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit (cr, 3.0);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  cairo_new_path (cr);

  decimate = n > 2 * a->width;
  if (decimate && m4_values_apply (x, y))
    {
      m4_values (&simplifier, x, y, x0, values, n, ymin, ymax, zero_floor);
      simplify_end (&simplifier);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }
  if (decimate)
    {
      M4 m = { .out = &simplifier };

      for (int i = 0; i < n; i++)
        if (point_at (x, y, x0, values, n, i, ymin, ymax, zero_floor, &px, &py))
          m4_add (&m, i, px, py);
        else
          {
            m4_flush (&m);
            m.connected = FALSE;
          }
      m4_flush (&m);
      simplify_end (&simplifier);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }

  for (int i = 0; i < n; i++)
    {
      gboolean ok = point_at (x, y, x0, values, n, i, ymin, ymax, zero_floor, &px, &py);

      if (ok)
        simplify_point (&simplifier, px, py, prev);
      prev = ok;
    }
  simplify_end (&simplifier);
  cairo_stroke (cr);

  /* Points with no finite neighbour (a single epoch, a gap) become dots. */
  for (int i = 0; i < n; i++)
    if (point_at (x, y, x0, values, n, i, ymin, ymax, zero_floor, &px, &py)
        && !point_at (x, y, x0, values, n, i - 1, ymin, ymax, zero_floor, &qx, &qy)
        && !point_at (x, y, x0, values, n, i + 1, ymin, ymax, zero_floor, &qx, &qy))
      {
        cairo_new_sub_path (cr);
        cairo_arc (cr, px, py, line_width * 1.6, 0, 2 * G_PI);
      }
  cairo_fill (cr);
  cairo_restore (cr);
}

void
lab_plot_set_dash (cairo_t  *cr,
                   double    line_width,
                   gboolean  dashed)
{
  double dashes[] = { line_width * 2.8, line_width * 1.9 };

  cairo_set_dash (cr, dashes, dashed ? 2 : 0, 0);
}

void
lab_plot_set_dotted (cairo_t *cr,
                     double   line_width)
{
  double dashes[] = { 0, line_width * 2.2 };

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_dash (cr, dashes, 2, 0);
}

void
lab_plot_draw_legend (LabPlotPainter       *painter,
                      const LabLegendEntry *entries)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  cairo_t *cr = painter->cr;
  double fs = f->font_px;

  cairo_save (cr);
  for (int i = 0; i < f->n_legend; i++)
    {
      const LabLegendEntry *e = &entries[i];
      const LabRect *box = &f->legend_items[i];
      double sx = box->x, cy = box->y + box->height / 2, sw = LEGEND_SWATCH * fs * 0.85;

      if (e->band)
        {
          lab_plot_set_color (cr, e->color, 1.0);
          cairo_rectangle (cr, sx, cy - fs * 0.4, sw, fs * 0.8);
          cairo_fill (cr);
        }
      else
        {
          double lw = e->thin ? MAX (1.0, f->line_px * 0.7) : f->line_px;

          lab_plot_set_color (cr, e->color, 1.0);
          cairo_set_line_width (cr, lw);
          lab_plot_set_dash (cr, lw * (e->dashed && sw < 40 ? 0.8 : 1.0), e->dashed);
          if (e->dotted)
            {
              lw *= 1.4;
              cairo_set_line_width (cr, lw);
              lab_plot_set_dotted (cr, lw);
            }
          cairo_move_to (cr, sx, cy);
          cairo_line_to (cr, sx + sw, cy);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
          if (e->marker)
            {
              cairo_arc (cr, sx + sw / 2, cy, f->line_px * 1.6, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
      lab_plot_text (painter, e->label, fs, FALSE, s->foreground,
                     sx + (LEGEND_SWATCH + LEGEND_GAP) * fs, cy, 0.0, 0.5, FALSE);
    }
  cairo_restore (cr);
}

static void
rgb_to_stop (cairo_pattern_t *pattern,
             double           offset,
             LabRgb           c)
{
  cairo_pattern_add_color_stop_rgb (pattern, offset, c.r, c.g, c.b);
}

void
lab_plot_draw_colour_bar (LabPlotPainter *painter,
                          double          bx,
                          double          by,
                          double          bw,
                          double          bh,
                          double          lo,
                          double          hi,
                          LabColorFunc    color_at,
                          gpointer        user_data)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  cairo_t *cr = painter->cr;
  cairo_pattern_t *gradient;
  double ticks[10];
  int n;

  gradient = cairo_pattern_create_linear (0, by, 0, by + bh);
  for (int i = 0; i <= 16; i++)
    rgb_to_stop (gradient, i / 16.0, color_at (s, hi - (hi - lo) * i / 16.0, user_data));
  cairo_save (cr);
  cairo_rectangle (cr, bx, by, bw, bh);
  cairo_set_source (cr, gradient);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (gradient);
  lab_plot_set_color (cr, lab_rgb_mix (s->foreground, s->background, 0.5), 1.0);
  cairo_set_line_width (cr, f->thin_px);
  cairo_stroke (cr);

  /* The ends, always, with their numbers (an automatic range says what it
   * is); round values between them where they keep clear of the ends. */
  n = lab_scale_ticks (lo, hi, FALSE, ticks + 2, CLAMP ((int) (bh / (f->font_px * 1.6)) + 1, 2, 5));
  ticks[0] = hi;
  ticks[1] = lo;
  n += 2;
  for (int i = 0; i < n; i++)
    {
      double py = by + bh * (hi - ticks[i]) / (hi - lo);
      char label[32];

      if (i >= 2 && (fabs (py - by) < f->font_px * 1.2 || fabs (py - by - bh) < f->font_px * 1.2))
        continue;
      if (i < 2)
        lab_format_number (label, sizeof label, ticks[i], 3);
      else
        lab_plot_format_tick (label, sizeof label, ticks[i], n > 3 ? ticks[3] - ticks[2] : 1, FALSE);
      cairo_move_to (cr, bx + bw, py);
      cairo_line_to (cr, bx + bw + f->tick_len, py);
      cairo_stroke (cr);
      lab_plot_text (painter, label, f->font_px, FALSE, s->foreground,
                     bx + bw + f->tick_len + f->font_px * 0.2, py, 0.0, 0.5, FALSE);
    }
  cairo_restore (cr);
}

void
lab_plot_fit_cells (LabRect *area,
                    int      T,
                    int      H,
                    double  *cw,
                    double  *ch)
{
  /* Whole-pixel cells when they are big enough to show it: crisp edges and
   * every cell the same size. */
  *cw = area->width / MAX (T, 1);
  *ch = area->height / MAX (H, 1);
  if (*cw >= 4)
    *cw = floor (*cw);
  if (*ch >= 4)
    *ch = floor (*ch);
  area->x = round (area->x);
  area->y = round (area->y);
  area->width = *cw * T;
  area->height = *ch * H;
}

static guint32
pack (LabRgb c)
{
  return 0xff000000u
         | (guint32) lround (CLAMP (c.r, 0, 1) * 255) << 16
         | (guint32) lround (CLAMP (c.g, 0, 1) * 255) << 8
         | (guint32) lround (CLAMP (c.b, 0, 1) * 255);
}

static gboolean
is_vector_target (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
      return TRUE;
    default:
      return FALSE;
    }
}

void
lab_plot_draw_cells (LabPlotPainter *painter,
                     double          x,
                     double          y,
                     double          cw,
                     double          ch,
                     int             T,
                     int             H,
                     const float    *values,
                     LabColorFunc    color_at,
                     gpointer        user_data)
{
  const LabPlotStyle *style = painter->style;
  cairo_t *cr = painter->cr;
  cairo_surface_t *image;
  cairo_pattern_t *pattern;
  guint32 *pixels;
  int stride;

  if (T <= 0 || H <= 0 || values == NULL)
    return;

  if (is_vector_target (cr))
    {
      /* Rectangles, each overlapping the next a little so that viewers show
       * no hairline seams between cells. */
      double ox = MIN (0.5, cw * 0.25), oy = MIN (0.5, ch * 0.25);

      for (int j = 0; j < H; j++)
        for (int t = 0; t < T; t++)
          {
            LabRgb c = color_at (style, values[(gsize) t * H + j], user_data);

            cairo_set_source_rgb (cr, c.r, c.g, c.b);
            cairo_rectangle (cr, x + t * cw, y + j * ch,
                             cw + (t < T - 1 ? ox : 0), ch + (j < H - 1 ? oy : 0));
            cairo_fill (cr);
          }
      return;
    }

  /* Raster targets: one pixel per cell, scaled up without smoothing.
   * ARGB32 (opaque) rather than RGB24: pixman's scaling fast paths want it. */
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, T, H);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (image);
      return;
    }
  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  for (int t = 0; t < T; t++)
    for (int j = 0; j < H; j++)
      pixels[j * stride + t] = pack (color_at (style, values[(gsize) t * H + j], user_data));
  cairo_surface_mark_dirty (image);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, cw, ch);
  cairo_set_source_surface (cr, image, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_rectangle (cr, 0, 0, T, H);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);

  /* Thin separators once cells are big enough to count: whole-pixel
   * boxes (the cells are whole pixels then), cheap and sharp. */
  if (cw >= 10 && ch >= 10)
    {
      cairo_save (cr);
      lab_plot_set_color (cr, style->background, 0.6);
      for (int t = 1; t < T; t++)
        cairo_rectangle (cr, x + t * cw, y, 1, H * ch);
      for (int j = 1; j < H; j++)
        cairo_rectangle (cr, x, y + j * ch, T * cw, 1);
      cairo_fill (cr);
      cairo_restore (cr);
    }
}
