/* lab-loss-plot.c: train and test MSE per epoch on a log scale, with the
 * current epoch marked and read out; several models overlaid in compare mode
 * and the previous run's curves as a faded ghost beneath. */
#include <float.h>
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

/* One curve to draw: a run's train or test loss. */
typedef struct
{
  const float *values;
  int          n;        /* values drawn (up to the cursor) */
  int          n_all;    /* values recorded */
  LabRgb       color;
  gboolean     dashed;
  gboolean     ghost;
} Curve;

#define MAX_CURVES (2 * LAB_PLOT_MAX_MODELS + 2)

typedef struct
{
  LabFrameSpec   spec;
  LabPlotFrame   frame;
  LabScale       x, y;
  gboolean       empty;        /* nothing positive and finite to draw */
  int            offset;       /* the epoch of value 0: 0 or 1 */
  int            cursor;       /* the current epoch, or -1 */
  int            last;         /* the last recorded epoch */
  double         zero_floor;   /* where a loss of 0 is drawn; 0 when there is none */
  Curve          curves[MAX_CURVES];
  int            n_curves;
  LabLegendEntry legend[LAB_LEGEND_MAX];
} LossLayout;

static void
positive_range (const float *v,
                int          n,
                double      *lo,
                double      *hi,
                gboolean    *any,
                gboolean    *zero)
{
  float l = INFINITY, h = 0;
  gboolean z = FALSE;

  if (v == NULL)
    return;
  /* Every frame, over the whole history: kept free of stores and of
   * isfinite () (v > 0 && v <= FLT_MAX is false for NaN and infinities). */
  for (int i = 0; i < n; i++)
    {
      float x = v[i];

      if (x > 0 && x <= FLT_MAX)
        {
          l = MIN (l, x);
          h = MAX (h, x);
        }
      z |= x == 0;
    }
  *zero |= z;
  if (h > 0)
    {
      *lo = *any ? MIN (*lo, l) : l;
      *hi = *any ? MAX (*hi, h) : h;
      *any = TRUE;
    }
}

static void
add_curve (LossLayout  *l,
           const float *values,
           int          n,
           LabRgb       color,
           gboolean     dashed,
           gboolean     ghost)
{
  int shown = n;

  if (values == NULL || n <= 0 || l->n_curves >= MAX_CURVES)
    return;
  /* Nothing right of the cursor (the ghost, a finished run, is shown whole). */
  if (!ghost && l->cursor >= 0)
    shown = CLAMP (l->cursor - l->offset + 1, 0, n);
  l->curves[l->n_curves++] = (Curve) { values, shown, n, color, dashed, ghost };
}

static void
add_legend (LossLayout *l,
            int        *n,
            const char *label,
            LabRgb      color,
            gboolean    dashed,
            gboolean    thin)
{
  if (*n < LAB_LEGEND_MAX && label != NULL)
    l->legend[(*n)++] = (LabLegendEntry) { .label = label, .color = color,
                                           .dashed = dashed, .thin = thin };
}

static void
loss_layout (LossLayout         *l,
             int                 width,
             int                 height,
             const LabLossData  *data,
             const LabPlotStyle *style)
{
  double lo = 1e-4, hi = 1, xmax;
  gboolean any = FALSE, zero = FALSE;
  int n_models = data != NULL ? CLAMP (data->n_models, 0, LAB_PLOT_MAX_MODELS) : 0;
  int n_legend = 0;

  if (data != NULL && data->models == NULL)
    n_models = 0;
  l->n_curves = 0;
  l->offset = data != NULL && data->from_epoch_0 ? 0 : 1;
  l->cursor = -1;
  if (data != NULL && (data->current_epoch > 0 || (data->from_epoch_0 && data->current_epoch == 0)))
    l->cursor = data->current_epoch;

  /* The ghost first: it is drawn beneath. */
  if (data != NULL && data->ghost != NULL)
    {
      add_curve (l, data->ghost->train_loss, data->ghost->n_epochs, style->ghost, FALSE, TRUE);
      add_curve (l, data->ghost->test_loss, data->ghost->n_epochs, style->ghost, TRUE, TRUE);
    }
  if (n_models > 0)
    for (int m = 0; m < n_models; m++)
      {
        const LabLossSeries *s = &data->models[m];
        LabRgb c = lab_plot_style_model_color (style, s->color);

        add_curve (l, s->train_loss, s->n_epochs, c, FALSE, FALSE);
        add_curve (l, s->test_loss, s->n_epochs, c, TRUE, FALSE);
      }
  else if (data != NULL)
    {
      add_curve (l, data->train_loss, data->n_epochs, style->train, FALSE, FALSE);
      add_curve (l, data->test_loss, data->n_epochs, style->test, TRUE, FALSE);
    }

  /* The legend: one entry per model (solid train, dashed test said once),
   * or the two curves of a single run; the ghost last. */
  if (n_models > 0)
    {
      for (int m = 0; m < n_models; m++)
        add_legend (l, &n_legend, data->models[m].label,
                    lab_plot_style_model_color (style, data->models[m].color), FALSE, FALSE);
      add_legend (l, &n_legend, _("train"), style->foreground, FALSE, FALSE);
      add_legend (l, &n_legend, _("test"), style->foreground, TRUE, FALSE);
    }
  else if (data != NULL && data->train_loss != NULL && data->n_epochs > 0)
    {
      add_legend (l, &n_legend, _("Train loss"), style->train, FALSE, FALSE);
      if (data->test_loss != NULL)
        add_legend (l, &n_legend, _("Test loss"), style->test, TRUE, FALSE);
    }
  if (data != NULL && data->ghost != NULL && data->ghost->n_epochs > 0)
    add_legend (l, &n_legend, data->ghost->label != NULL ? data->ghost->label : _("previous run"),
                style->ghost, TRUE, TRUE);

  l->spec = (LabFrameSpec) {
    .has_title = TRUE,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 4,
    .legend = l->legend,
    .n_legend = n_legend,
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);

  l->last = 0;
  for (int c = 0; c < l->n_curves; c++)
    {
      positive_range (l->curves[c].values, l->curves[c].n_all, &lo, &hi, &any, &zero);
      /* The ghost too: "before and after" compares the whole runs. */
      l->last = MAX (l->last, l->curves[c].n_all - 1 + l->offset);
    }
  l->empty = !any && !zero;
  l->zero_floor = 0;
  if (any)
    {
      lo = pow (10.0, floor (log10 (lo) + 1e-9));
      hi = pow (10.0, ceil (log10 (hi) - 1e-9));
      if (hi <= lo)
        hi = lo * 10;
      /* A loss that collapsed to 1e-30 would squash the useful decades. */
      lo = MAX (lo, hi * 1e-12);
    }
  else
    lo = 1e-4, hi = 1;
  /* A loss of exactly 0 has no place on a log scale: it goes on a floor a
   * decade below the smallest loss, and is marked there. */
  if (zero)
    {
      lo /= 10;
      l->zero_floor = lo;
    }

  /* The x axis follows the epochs recorded, with some headroom, growing in
   * nice steps (so it does not move every epoch), within the epoch limit. */
  xmax = lab_plot_nice_ceil (MAX (l->last, 1) * 1.05);
  xmax = MAX (xmax, 10);
  if (data != NULL && data->total_epochs >= l->last && data->total_epochs > 0)
    xmax = MIN (xmax, data->total_epochs);
  xmax = MAX (xmax, 1);
  l->x = (LabScale) {
    .d0 = 0, .d1 = xmax,
    .p0 = l->frame.area.x, .p1 = l->frame.area.x + l->frame.area.width,
  };
  l->y = (LabScale) {
    .d0 = lo, .d1 = hi, .log = TRUE,
    .p0 = l->frame.area.y + l->frame.area.height, .p1 = l->frame.area.y,
  };
}

void
lab_loss_plot_get_scales (int                 width,
                          int                 height,
                          const LabLossData  *data,
                          const LabPlotStyle *style,
                          LabScale           *x,
                          LabScale           *y)
{
  LossLayout l;

  g_return_if_fail (style != NULL);

  loss_layout (&l, width, height, data, style);
  if (x != NULL)
    *x = l.x;
  if (y != NULL)
    *y = l.y;
}

int
lab_loss_plot_epoch_at (int                 width,
                        int                 height,
                        const LabLossData  *data,
                        const LabPlotStyle *style,
                        double              x,
                        double              y)
{
  LossLayout l;
  const LabRect *a;
  double tolerance;

  g_return_val_if_fail (style != NULL, -1);

  loss_layout (&l, width, height, data, style);
  a = &l.frame.area;
  tolerance = l.frame.font_px * 0.5;
  if (l.empty || x < a->x - tolerance || x > a->x + a->width + tolerance
      || y < a->y - tolerance || y > a->y + a->height + tolerance)
    return -1;
  return (int) CLAMP (round (lab_scale_invert (&l.x, x)), l.offset, l.last);
}

static double
loss_at (const float *v,
         int          n,
         int          i)
{
  if (v == NULL || i < 0 || i >= n)
    return NAN;
  return v[i];
}

static char *
readout (const LabLossData *data,
         const LossLayout  *l)
{
  int n = MAX (data->n_epochs, 0);
  int e = l->cursor >= 0 ? l->cursor : n - 1 + l->offset;
  double train = loss_at (data->train_loss, n, e - l->offset);
  double test = loss_at (data->test_loss, n, e - l->offset);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (data->n_models > 0 && data->models != NULL)
    /* Translators: the loss plot's readout in compare mode */
    return l->cursor >= 0 ? g_strdup_printf (_("Epoch %d"), e) : NULL;
  if (n == 0 || !isfinite (train))
    return NULL;
  a = lab_format_loss (train);
  if (!isfinite (test))
    /* Translators: the loss plot's readout, e.g. "Epoch 120 · train 3.14×10⁻⁴" */
    return g_strdup_printf (_("Epoch %d · train %s"), e, a);
  b = lab_format_loss (test);
  /* Translators: the loss plot's readout, e.g. "Epoch 120 · train 3.14×10⁻⁴ · test 1.2×10⁻³" */
  return g_strdup_printf (_("Epoch %d · train %s · test %s"), e, a, b);
}

/* The cursor: a vertical line, dots where it meets the curves, the epoch in
 * a pill at the top. */
static void
draw_marker (LabPlotPainter   *painter,
             const LossLayout *l)
{
  const LabPlotStyle *s = painter->style;
  const LabPlotFrame *f = &painter->frame;
  const LabRect *a = &f->area;
  cairo_t *cr = painter->cr;
  int e = l->cursor;
  double px = lab_scale_map (&l->x, e);
  char text[32];
  double tw, th, pw, ph, x0, r;

  cairo_save (cr);
  lab_plot_set_color (cr, s->highlight, 1.0);
  cairo_set_line_width (cr, MAX (1.0, f->line_px * 0.7));
  cairo_move_to (cr, px, a->y);
  cairo_line_to (cr, px, a->y + a->height);
  cairo_stroke (cr);

  for (int c = 0; c < l->n_curves; c++)
    {
      const Curve *k = &l->curves[c];
      double v = k->ghost ? NAN : loss_at (k->values, k->n, e - l->offset);
      double py;

      if (v == 0 && l->zero_floor > 0)
        v = l->zero_floor;
      py = lab_scale_map (&l->y, v);
      if (!isfinite (v) || !isfinite (py))
        continue;
      cairo_arc (cr, px, py, f->line_px * 2.0, 0, 2 * G_PI);
      lab_plot_set_color (cr, k->color, 1.0);
      cairo_fill_preserve (cr);
      lab_plot_set_color (cr, s->background, 1.0);
      cairo_set_line_width (cr, f->thin_px);
      cairo_stroke (cr);
    }

  g_snprintf (text, sizeof text, "%d", e);
  lab_plot_text_size (painter, text, f->font_px * 0.9, TRUE, &tw, &th);
  pw = tw + f->font_px * 0.8;
  ph = th + f->font_px * 0.2;
  x0 = CLAMP (px - pw / 2, a->x, a->x + a->width - pw);
  r = ph / 2;
  cairo_new_sub_path (cr);
  cairo_arc (cr, x0 + pw - r, a->y + r, r, -G_PI / 2, G_PI / 2);
  cairo_arc (cr, x0 + r, a->y + r, r, G_PI / 2, 3 * G_PI / 2);
  cairo_close_path (cr);
  lab_plot_set_color (cr, s->highlight, 1.0);
  cairo_fill (cr);
  lab_plot_text (painter, text, f->font_px * 0.9, TRUE, s->background,
                 x0 + pw / 2, a->y + ph / 2, 0.5, 0.5, FALSE);
  cairo_restore (cr);
}

/* Losses of exactly 0: a downward triangle on the floor where each run of
 * zeros starts, and "0" beside the first. */
static void
draw_zero_marks (LabPlotPainter   *painter,
                 const LossLayout *l)
{
  const LabPlotFrame *f = &painter->frame;
  cairo_t *cr = painter->cr;
  double py = lab_scale_map (&l->y, l->zero_floor), r = f->font_px * 0.4;
  gboolean labelled = FALSE;

  for (int c = 0; c < l->n_curves; c++)
    {
      const Curve *k = &l->curves[c];
      int marks = 0;

      for (int i = 0; i < k->n && marks < 64; i++)
        {
          double px;

          if (!(k->values[i] == 0) || (i > 0 && k->values[i - 1] == 0))
            continue;
          px = lab_scale_map (&l->x, i + l->offset);
          lab_plot_set_color (cr, k->color, 1.0);
          cairo_move_to (cr, px - r, py - 2 * r);
          cairo_line_to (cr, px + r, py - 2 * r);
          cairo_line_to (cr, px, py);
          cairo_close_path (cr);
          cairo_fill (cr);
          marks++;
          if (!labelled)
            {
              lab_plot_text (painter, "0", f->font_px, TRUE, k->color,
                             px + r * 1.5, py - r, 0.0, 1.0, FALSE);
              labelled = TRUE;
            }
        }
    }
}

void
lab_loss_plot_draw (cairo_t            *cr,
                    int                 width,
                    int                 height,
                    const LabLossData  *data,
                    const LabPlotStyle *style)
{
  LabPlotPainter painter;
  LossLayout l;
  const LabPlotFrame *f;
  g_autofree char *values = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  loss_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  f = &painter.frame;

  lab_plot_draw_grid (&painter, &l.x, &l.y);

  cairo_save (cr);
  lab_plot_clip_area (&painter);
  if (!l.empty)
    {
      for (int c = 0; c < l.n_curves; c++)
        {
          const Curve *k = &l.curves[c];
          double lw = k->ghost ? MAX (1.0, f->line_px * 0.7) : f->line_px;

          lab_plot_set_color (cr, k->color, 1.0);
          lab_plot_set_dash (cr, lw, k->dashed || k->ghost);
          lab_plot_draw_series_floor (&painter, &l.x, &l.y, l.offset, k->values, k->n, lw,
                                      l.zero_floor);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      if (l.zero_floor > 0)
        draw_zero_marks (&painter, &l);
    }
  cairo_restore (cr);

  if (!l.empty && l.cursor >= 0 && l.cursor <= l.x.d1)
    draw_marker (&painter, &l);

  lab_plot_draw_axes (&painter, &l.x, &l.y, _("Epoch"), _("Loss (MSE)"));

  if (l.empty)
    lab_plot_draw_hint (&painter, l.last == 0 && (data == NULL || data->n_epochs == 0)
                                  ? _("Press Play to train") : _("No finite loss to show"));
  else
    lab_plot_draw_legend (&painter, l.legend);

  if (data != NULL)
    values = readout (data, &l);
  lab_plot_draw_title (&painter, _("Loss"), values);

  lab_plot_painter_end (&painter);
}
