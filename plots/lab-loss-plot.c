/* lab-loss-plot.c: train and test MSE per epoch on a log scale, with the
 * current epoch marked and read out. */
#include <float.h>
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

typedef struct
{
  LabFrameSpec spec;
  LabPlotFrame frame;
  LabScale     x, y;
  gboolean     empty;   /* nothing positive and finite to draw */
} LossLayout;

static void
positive_range (const float *v,
                int          n,
                double      *lo,
                double      *hi,
                gboolean    *any)
{
  float l = INFINITY, h = 0;

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
    }
  if (h > 0)
    {
      *lo = *any ? MIN (*lo, l) : l;
      *hi = *any ? MAX (*hi, h) : h;
      *any = TRUE;
    }
}

static void
loss_layout (LossLayout         *l,
             int                 width,
             int                 height,
             const LabLossData  *data,
             const LabPlotStyle *style)
{
  int n = data != NULL ? MAX (data->n_epochs, 0) : 0;
  double lo = 1e-4, hi = 1, xmax;
  gboolean any = FALSE;

  l->spec = (LabFrameSpec) {
    .has_title = TRUE,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 4,
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);

  if (data != NULL)
    {
      positive_range (data->train_loss, n, &lo, &hi, &any);
      positive_range (data->test_loss, n, &lo, &hi, &any);
    }
  l->empty = !any;
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

  xmax = MAX (MAX (n, data != NULL ? data->total_epochs : 0), 1);
  l->x = (LabScale) {
    .d0 = 0, .d1 = xmax,
    .p0 = l->frame.area.x, .p1 = l->frame.area.x + l->frame.area.width,
  };
  l->y = (LabScale) {
    .d0 = lo, .d1 = hi, .log = TRUE,
    .p0 = l->frame.area.y + l->frame.area.height, .p1 = l->frame.area.y,
  };
}

static double
loss_at (const float *v,
         int          n,
         int          epoch)
{
  if (v == NULL || epoch < 1 || epoch > n)
    return NAN;
  return v[epoch - 1];
}

static char *
readout (const LabLossData *data)
{
  int n = MAX (data->n_epochs, 0);
  int e = data->current_epoch > 0 ? data->current_epoch : n;
  double train = loss_at (data->train_loss, n, e), test = loss_at (data->test_loss, n, e);
  char a[64], b[64];

  if (n == 0 || e < 1 || !isfinite (train))
    return NULL;
  lab_plot_format_value (a, sizeof a, train, 2);
  if (!isfinite (test))
    /* Translators: the loss plot's readout, e.g. "Epoch 120 · train 3.1×10⁻⁴" */
    return g_strdup_printf (_("Epoch %d · train %s"), e, a);
  lab_plot_format_value (b, sizeof b, test, 2);
  /* Translators: the loss plot's readout, e.g. "Epoch 120 · train 3.1×10⁻⁴ · test 1.2×10⁻³" */
  return g_strdup_printf (_("Epoch %d · train %s · test %s"), e, a, b);
}

static void
draw_marker (LabPlotPainter    *painter,
             const LossLayout  *l,
             const LabLossData *data,
             double            *pill)   /* out: x0, y0, x1, y1 of the label */
{
  const LabPlotStyle *s = painter->style;
  const LabPlotFrame *f = &painter->frame;
  const LabRect *a = &f->area;
  cairo_t *cr = painter->cr;
  int e = data->current_epoch;
  double px = lab_scale_map (&l->x, e);
  char text[32];
  double tw, th, pw, ph, x0, r;

  cairo_save (cr);
  lab_plot_set_color (cr, s->highlight, 1.0);
  cairo_set_line_width (cr, MAX (1.0, f->line_px * 0.7));
  cairo_move_to (cr, px, a->y);
  cairo_line_to (cr, px, a->y + a->height);
  cairo_stroke (cr);

  /* Dots where the marker meets the curves. */
  for (int c = 0; c < 2; c++)
    {
      double v = loss_at (c == 0 ? data->train_loss : data->test_loss, data->n_epochs, e);
      double py = lab_scale_map (&l->y, v);

      if (!isfinite (v) || !isfinite (py))
        continue;
      cairo_arc (cr, px, py, f->line_px * 2.0, 0, 2 * G_PI);
      lab_plot_set_color (cr, c == 0 ? s->train : s->test, 1.0);
      cairo_fill_preserve (cr);
      lab_plot_set_color (cr, s->background, 1.0);
      cairo_set_line_width (cr, f->thin_px);
      cairo_stroke (cr);
    }

  /* The epoch number in a pill at the top, kept inside the area. */
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

  pill[0] = x0;
  pill[1] = a->y;
  pill[2] = x0 + pw;
  pill[3] = a->y + ph;
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
  LabLegendEntry legend[2];
  double px[200], py[200], pill[4];
  int n, n_obstacles = 0, n_legend = 0;
  g_autofree char *values = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  loss_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  f = &painter.frame;
  n = data != NULL ? MAX (data->n_epochs, 0) : 0;

  lab_plot_draw_grid (&painter, &l.x, &l.y);

  cairo_save (cr);
  lab_plot_clip_area (&painter);
  if (!l.empty)
    {
      double dashes[] = { f->line_px * 2.5, f->line_px * 1.8 };

      if (data->test_loss != NULL)
        {
          lab_plot_set_color (cr, style->test, 1.0);
          cairo_set_dash (cr, dashes, 2, 0);
          lab_plot_draw_series (&painter, &l.x, &l.y, 1, data->test_loss, n, f->line_px);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      lab_plot_set_color (cr, style->train, 1.0);
      lab_plot_draw_series (&painter, &l.x, &l.y, 1, data->train_loss, n, f->line_px);
    }
  cairo_restore (cr);

  if (!l.empty && data->current_epoch > 0 && data->current_epoch <= l.x.d1)
    {
      draw_marker (&painter, &l, data, pill);
      for (int i = 0; i < 4; i++)
        {
          px[n_obstacles] = pill[(i % 2) * 2];
          py[n_obstacles++] = pill[1 + (i / 2) * 2];
        }
    }

  lab_plot_draw_axes (&painter, &l.x, &l.y, _("Epoch"), _("Loss (MSE)"));

  if (l.empty)
    lab_plot_draw_hint (&painter, n == 0 ? _("Press Play to train") : _("No finite loss to show"));
  else
    {
      int step = MAX (1, n / 90);

      for (int c = 0; c < 2; c++)
        {
          const float *v = c == 0 ? data->train_loss : data->test_loss;

          for (int i = 0; v != NULL && i < n && n_obstacles < (int) G_N_ELEMENTS (px); i += step)
            {
              double y = lab_scale_map (&l.y, v[i]);

              if (!isfinite (v[i]) || !isfinite (y))
                continue;
              px[n_obstacles] = lab_scale_map (&l.x, i + 1);
              py[n_obstacles++] = y;
            }
        }
      legend[n_legend++] = (LabLegendEntry) { _("Train loss"), style->train, FALSE, FALSE };
      if (data->test_loss != NULL)
        legend[n_legend++] = (LabLegendEntry) { _("Test loss"), style->test, TRUE, FALSE };
      lab_plot_draw_legend (&painter, legend, n_legend, px, py, n_obstacles);
    }

  if (data != NULL)
    values = readout (data);
  lab_plot_draw_title (&painter, _("Loss"), values);

  lab_plot_painter_end (&painter);
}
