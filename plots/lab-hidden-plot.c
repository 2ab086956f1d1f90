/* lab-hidden-plot.c: the hidden state h_t of one window as a heatmap, units
 * (rows) by time steps (columns), on a diverging scale centred on 0. */
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

typedef struct
{
  LabFrameSpec spec;
  LabPlotFrame frame;   /* frame.area is the heatmap itself */
  LabScale     x, y;    /* item i's centre at i (1-based) */
  int          T, H;
  double       cell_w, cell_h;
  gboolean     empty;
} HiddenLayout;

static void
hidden_layout (HiddenLayout        *l,
               int                  width,
               int                  height,
               const LabHiddenData *data,
               const LabPlotStyle  *style)
{
  LabRect *a;

  l->spec = (LabFrameSpec) {
    .has_title = TRUE,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 3,
    .extra_right = 3.4,   /* the colour bar and its labels */
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);
  a = &l->frame.area;

  l->empty = data == NULL || data->hidden == NULL || data->time_step <= 0
             || data->hidden_size <= 0;
  l->T = l->empty ? 1 : data->time_step;
  l->H = l->empty ? 1 : data->hidden_size;

  /* Whole-pixel cells when they are big enough to show it: crisp edges and
   * every cell the same size. */
  l->cell_w = a->width / l->T;
  l->cell_h = a->height / l->H;
  if (l->cell_w >= 4)
    l->cell_w = floor (l->cell_w);
  if (l->cell_h >= 4)
    l->cell_h = floor (l->cell_h);
  a->x = round (a->x);
  a->y = round (a->y);
  a->width = l->cell_w * l->T;
  a->height = l->cell_h * l->H;

  l->x = (LabScale) { .d0 = 0.5, .d1 = l->T + 0.5, .p0 = a->x, .p1 = a->x + a->width };
  l->y = (LabScale) { .d0 = 0.5, .d1 = l->H + 0.5, .p0 = a->y, .p1 = a->y + a->height };
}

LabRgb
lab_hidden_plot_color (const LabPlotStyle *style,
                       double              value)
{
  static const LabRgb black = { 0, 0, 0 };

  g_return_val_if_fail (style != NULL, black);

  if (isnan (value))
    return style->neutral;
  value = CLAMP (value, -1.0, 1.0);
  if (value < 0)
    return lab_rgb_mix (style->neutral, style->cold, -value);
  return lab_rgb_mix (style->neutral, style->warm, value);
}

gboolean
lab_hidden_plot_get_grid (int                  width,
                          int                  height,
                          const LabHiddenData *data,
                          const LabPlotStyle  *style,
                          double              *x,
                          double              *y,
                          double              *cell_width,
                          double              *cell_height)
{
  HiddenLayout l;

  g_return_val_if_fail (style != NULL, FALSE);

  hidden_layout (&l, width, height, data, style);
  if (l.empty)
    return FALSE;
  if (x != NULL)
    *x = l.frame.area.x;
  if (y != NULL)
    *y = l.frame.area.y;
  if (cell_width != NULL)
    *cell_width = l.cell_w;
  if (cell_height != NULL)
    *cell_height = l.cell_h;
  return TRUE;
}

gboolean
lab_hidden_plot_cell_at (int                  width,
                         int                  height,
                         const LabHiddenData *data,
                         const LabPlotStyle  *style,
                         double               x,
                         double               y,
                         int                 *unit,
                         int                 *step)
{
  HiddenLayout l;
  const LabRect *a;
  int col, row;

  g_return_val_if_fail (style != NULL, FALSE);

  hidden_layout (&l, width, height, data, style);
  a = &l.frame.area;
  if (l.empty || !(x >= a->x && x < a->x + a->width && y >= a->y && y < a->y + a->height))
    return FALSE;

  col = CLAMP ((int) floor ((x - a->x) / l.cell_w), 0, l.T - 1);
  row = CLAMP ((int) floor ((y - a->y) / l.cell_h), 0, l.H - 1);
  if (unit != NULL)
    *unit = row;
  if (step != NULL)
    *step = col + 1;
  return TRUE;
}

static guint32
pack (LabRgb c)
{
  return 0xff000000u
         | (guint32) lround (CLAMP (c.r, 0, 1) * 255) << 16
         | (guint32) lround (CLAMP (c.g, 0, 1) * 255) << 8
         | (guint32) lround (CLAMP (c.b, 0, 1) * 255);
}

/* Raster targets: one pixel per cell, scaled up without smoothing. */
static void
draw_cells_image (cairo_t             *cr,
                  const HiddenLayout  *l,
                  const LabHiddenData *data,
                  const LabPlotStyle  *style)
{
  cairo_surface_t *image;
  cairo_pattern_t *pattern;
  guint32 *pixels;
  int stride;

  /* ARGB32 (opaque) rather than RGB24: pixman's scaling fast paths want it. */
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, l->T, l->H);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (image);
      return;
    }
  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  for (int t = 0; t < l->T; t++)
    for (int j = 0; j < l->H; j++)
      pixels[j * stride + t] = pack (lab_hidden_plot_color (style, data->hidden[t * l->H + j]));
  cairo_surface_mark_dirty (image);

  cairo_save (cr);
  cairo_translate (cr, l->frame.area.x, l->frame.area.y);
  cairo_scale (cr, l->cell_w, l->cell_h);
  cairo_set_source_surface (cr, image, 0, 0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_rectangle (cr, 0, 0, l->T, l->H);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (image);
}

/* Vector targets: rectangles, each overlapping the next a little so that
 * viewers show no hairline seams between cells. */
static void
draw_cells_vector (cairo_t             *cr,
                   const HiddenLayout  *l,
                   const LabHiddenData *data,
                   const LabPlotStyle  *style)
{
  const LabRect *a = &l->frame.area;
  double ox = MIN (0.5, l->cell_w * 0.25), oy = MIN (0.5, l->cell_h * 0.25);

  for (int j = 0; j < l->H; j++)
    for (int t = 0; t < l->T; t++)
      {
        LabRgb c = lab_hidden_plot_color (style, data->hidden[t * l->H + j]);

        cairo_set_source_rgb (cr, c.r, c.g, c.b);
        cairo_rectangle (cr, a->x + t * l->cell_w, a->y + j * l->cell_h,
                         l->cell_w + (t < l->T - 1 ? ox : 0),
                         l->cell_h + (j < l->H - 1 ? oy : 0));
        cairo_fill (cr);
      }
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

static void
draw_colour_bar (LabPlotPainter     *painter,
                 const HiddenLayout *l)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  const LabRect *a = &f->area;
  cairo_t *cr = painter->cr;
  double bw = f->font_px * 0.9, bh = MAX (a->height, f->font_px * 3);
  double bx = a->x + a->width + f->font_px * 0.8;
  double by = a->y + (a->height - bh) / 2;
  const double values[] = { 1, 0, -1 };
  const char *labels[] = { "1", "0", "−1" };
  cairo_pattern_t *gradient;

  /* The same piecewise-linear mapping as the cells. */
  gradient = cairo_pattern_create_linear (0, by, 0, by + bh);
  cairo_pattern_add_color_stop_rgb (gradient, 0.0, s->warm.r, s->warm.g, s->warm.b);
  cairo_pattern_add_color_stop_rgb (gradient, 0.5, s->neutral.r, s->neutral.g, s->neutral.b);
  cairo_pattern_add_color_stop_rgb (gradient, 1.0, s->cold.r, s->cold.g, s->cold.b);
  cairo_save (cr);
  cairo_rectangle (cr, bx, by, bw, bh);
  cairo_set_source (cr, gradient);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (gradient);
  lab_plot_set_color (cr, lab_rgb_mix (s->foreground, s->background, 0.5), 1.0);
  cairo_set_line_width (cr, f->thin_px);
  cairo_stroke (cr);

  for (int i = 0; i < 3; i++)
    {
      double py = by + bh * (1 - values[i]) / 2;

      cairo_move_to (cr, bx + bw, py);
      cairo_line_to (cr, bx + bw + f->tick_len, py);
      cairo_stroke (cr);
      lab_plot_text (painter, labels[i], f->font_px, FALSE, s->foreground,
                     bx + bw + f->tick_len + f->font_px * 0.25, py, 0.0, 0.5, FALSE);
    }
  cairo_restore (cr);
}

void
lab_hidden_plot_draw (cairo_t             *cr,
                      int                  width,
                      int                  height,
                      const LabHiddenData *data,
                      const LabPlotStyle  *style)
{
  LabPlotPainter painter;
  HiddenLayout l;
  g_autofree char *right = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  hidden_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  /* The heatmap is the area: the axes hug its whole-pixel cells. */
  painter.frame.area = l.frame.area;

  if (l.empty)
    {
      lab_plot_draw_hint (&painter, _("No hidden state yet"));
    }
  else
    {
      if (is_vector_target (cr))
        draw_cells_vector (cr, &l, data, style);
      else
        draw_cells_image (cr, &l, data, style);

      /* Thin separators once cells are big enough to count: whole-pixel
       * boxes (the cells are whole pixels then), cheap and sharp. */
      if (l.cell_w >= 10 && l.cell_h >= 10)
        {
          const LabRect *a = &l.frame.area;

          cairo_save (cr);
          lab_plot_set_color (cr, style->background, 0.6);
          for (int t = 1; t < l.T; t++)
            cairo_rectangle (cr, a->x + t * l.cell_w, a->y, 1, a->height);
          for (int j = 1; j < l.H; j++)
            cairo_rectangle (cr, a->x, a->y + j * l.cell_h, a->width, 1);
          cairo_fill (cr);
          cairo_restore (cr);
        }

      lab_plot_draw_index_axes (&painter, &l.x, l.T, &l.y, l.H,
                                _("Time step t"), _("Hidden unit"));
      draw_colour_bar (&painter, &l);
    }

  if (data != NULL && !l.empty)
    /* Translators: the hidden-state plot's subtitle */
    right = g_strdup_printf (_("window %d · epoch %d"), data->window, data->epoch);
  lab_plot_draw_title (&painter, _("Hidden state hₜ"), right);

  lab_plot_painter_end (&painter);
}
