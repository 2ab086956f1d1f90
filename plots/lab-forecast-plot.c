/* lab-forecast-plot.c: the tutorial's figure, made to teach: the series, the
 * train and test predictions at x = k + T, the test region shaded, and the
 * selected window's inputs and target. */
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

typedef struct
{
  LabFrameSpec spec;
  LabPlotFrame frame;
  LabScale     x, y;
} ForecastLayout;

static gboolean
has_series (const LabForecastData *data)
{
  return data != NULL && data->series != NULL && data->n_points > 0;
}

static gboolean
has_predictions (const LabForecastData *data)
{
  return data != NULL && data->predictions != NULL && data->n_windows > 0;
}

/* Range of the finite values in v[0..n). */
static gboolean
finite_range (const float *v,
              int          n,
              double      *lo,
              double      *hi)
{
  gboolean any = FALSE;

  for (int i = 0; i < n; i++)
    if (isfinite (v[i]))
      {
        *lo = any ? MIN (*lo, v[i]) : v[i];
        *hi = any ? MAX (*hi, v[i]) : v[i];
        any = TRUE;
      }
  return any;
}

static void
forecast_layout (ForecastLayout        *l,
                 int                    width,
                 int                    height,
                 const LabForecastData *data,
                 const LabPlotStyle    *style)
{
  double lo = -1, hi = 1, span, pad;
  int n = has_series (data) ? data->n_points : 0;
  double xmax = MAX (n - 1, 1);

  l->spec = (LabFrameSpec) {
    .has_title = data != NULL && data->title != NULL,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 4,
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);

  if (!has_series (data) || !finite_range (data->series, n, &lo, &hi))
    lo = -1, hi = 1;
  span = MAX (hi - lo, 1e-3);

  /* Predictions that leave the series' range stretch the axis, but at most
   * by one span on each side: a diverging model stays readable. */
  if (has_predictions (data))
    {
      double plo = 0, phi = 0;

      if (finite_range (data->predictions, data->n_windows, &plo, &phi))
        {
          lo = MIN (lo, MAX (plo, lo - span));
          hi = MAX (hi, MIN (phi, hi + span));
        }
    }
  span = MAX (hi - lo, 1e-3);

  pad = MAX (0.5, 0.02 * xmax);
  l->x = (LabScale) {
    .d0 = -pad, .d1 = xmax + pad,
    .p0 = l->frame.area.x, .p1 = l->frame.area.x + l->frame.area.width,
  };
  l->y = (LabScale) {
    .d0 = lo - 0.08 * span, .d1 = hi + 0.08 * span,
    .p0 = l->frame.area.y + l->frame.area.height, .p1 = l->frame.area.y,
  };
}

void
lab_forecast_plot_get_scales (int                    width,
                              int                    height,
                              const LabForecastData *data,
                              const LabPlotStyle    *style,
                              LabScale              *x,
                              LabScale              *y)
{
  ForecastLayout l;

  g_return_if_fail (style != NULL);

  forecast_layout (&l, width, height, data, style);
  if (x != NULL)
    *x = l.x;
  if (y != NULL)
    *y = l.y;
}

static void
draw_selection (LabPlotPainter        *painter,
                const ForecastLayout  *l,
                const LabForecastData *data)
{
  const LabPlotStyle *s = painter->style;
  const LabPlotFrame *f = &painter->frame;
  cairo_t *cr = painter->cr;
  int k = data->selected, T = data->time_step;
  double r = f->line_px * 1.7;

  /* The inputs x_k .. x_{k+T-1}, dotted on the series. */
  cairo_save (cr);
  for (int i = k; i < k + T && i < data->n_points; i++)
    {
      double px = lab_scale_map (&l->x, i), py;

      if (!isfinite (data->series[i]))
        continue;
      py = lab_scale_map (&l->y, data->series[i]);
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, r, 0, 2 * G_PI);
    }
  lab_plot_set_color (cr, s->highlight, 1.0);
  cairo_fill (cr);

  /* The target x_{k+T}: a ring; the prediction for it: a dot inside. */
  if (k + T < data->n_points && isfinite (data->series[k + T]))
    {
      double px = lab_scale_map (&l->x, k + T);
      double py = lab_scale_map (&l->y, data->series[k + T]);

      cairo_arc (cr, px, py, r * 2.4, 0, 2 * G_PI);
      lab_plot_set_color (cr, s->background, 0.6);
      cairo_fill_preserve (cr);
      lab_plot_set_color (cr, s->highlight, 1.0);
      cairo_set_line_width (cr, f->line_px);
      cairo_stroke (cr);
    }
  if (has_predictions (data) && k < data->n_windows && isfinite (data->predictions[k]))
    {
      double px = lab_scale_map (&l->x, k + T);
      double py = CLAMP (lab_scale_map (&l->y, data->predictions[k]),
                         f->area.y - f->area.height, f->area.y + 2 * f->area.height);

      cairo_arc (cr, px, py, r * 1.1, 0, 2 * G_PI);
      lab_plot_set_color (cr, k < data->n_train ? s->train : s->test, 1.0);
      cairo_fill_preserve (cr);
      lab_plot_set_color (cr, s->background, 1.0);
      cairo_set_line_width (cr, f->thin_px);
      cairo_stroke (cr);
    }

  /* A bracket under the inputs, clear of the data. */
  {
    double x0 = lab_scale_map (&l->x, k), x1 = lab_scale_map (&l->x, k + T - 1);
    double y0 = f->area.y + f->area.height - f->font_px * 0.5;
    double h = f->font_px * 0.45;

    lab_plot_set_color (cr, s->highlight, 1.0);
    cairo_set_line_width (cr, f->line_px);
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
    cairo_move_to (cr, x0, y0 - h);
    cairo_line_to (cr, x0, y0);
    cairo_line_to (cr, x1, y0);
    cairo_line_to (cr, x1, y0 - h);
    cairo_stroke (cr);
  }
  cairo_restore (cr);
}

/* Points of the curves in pixels, for the legend to keep clear of them. */
static int
sample_obstacles (const ForecastLayout  *l,
                  const LabForecastData *data,
                  double                *px,
                  double                *py,
                  int                    max)
{
  int n = 0, step;

  if (!has_series (data))
    return 0;
  step = MAX (1, data->n_points / (max / 2));
  for (int i = 0; i < data->n_points && n < max / 2; i += step)
    if (isfinite (data->series[i]))
      {
        px[n] = lab_scale_map (&l->x, i);
        py[n++] = lab_scale_map (&l->y, data->series[i]);
      }
  if (has_predictions (data))
    {
      step = MAX (1, data->n_windows / (max / 2));
      for (int k = 0; k < data->n_windows && n < max; k += step)
        if (isfinite (data->predictions[k]))
          {
            px[n] = lab_scale_map (&l->x, k + data->time_step);
            py[n++] = lab_scale_map (&l->y, data->predictions[k]);
          }
    }
  return n;
}

void
lab_forecast_plot_draw (cairo_t               *cr,
                        int                    width,
                        int                    height,
                        const LabForecastData *data,
                        const LabPlotStyle    *style)
{
  LabPlotPainter painter;
  ForecastLayout l;
  const LabPlotFrame *f;
  const LabRect *a;
  LabLegendEntry legend[4];
  int n_legend = 0, T, N, n_train, n_obstacles;
  gboolean selected;
  double px[256], py[256];

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  forecast_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  f = &painter.frame;
  a = &f->area;

  T = data != NULL ? MAX (data->time_step, 0) : 0;
  N = has_predictions (data) ? data->n_windows : (data != NULL ? MAX (data->n_windows, 0) : 0);
  n_train = data != NULL ? CLAMP (data->n_train, 0, N) : 0;
  selected = has_series (data) && data->selected >= 0 && data->selected < N && T > 0;

  cairo_save (cr);
  lab_plot_clip_area (&painter);

  /* The test region, behind everything. */
  if (N > n_train)
    {
      double x0 = lab_scale_map (&l.x, n_train + T - 0.5);
      double x1 = lab_scale_map (&l.x, N - 1 + T + 0.5);

      lab_plot_set_color (cr, style->test_shade, 1.0);
      cairo_rectangle (cr, x0, a->y, x1 - x0, a->height);
      cairo_fill (cr);
    }

  if (selected)
    {
      double x0 = lab_scale_map (&l.x, data->selected - 0.5);
      double x1 = lab_scale_map (&l.x, data->selected + T - 0.5);

      lab_plot_set_color (cr, style->highlight, 0.12);
      cairo_rectangle (cr, x0, a->y, x1 - x0, a->height);
      cairo_fill (cr);
    }

  lab_plot_draw_grid (&painter, &l.x, &l.y);

  n_obstacles = sample_obstacles (&l, data, px, py, G_N_ELEMENTS (px) - 20);
  if (N > n_train)
    {
      double x0 = lab_scale_map (&l.x, n_train + T - 0.5) + f->font_px * 0.4;
      double y0 = a->y + f->font_px * 0.3, tw, th;

      lab_plot_text (&painter, _("Test"), f->font_px * 0.9, FALSE,
                     lab_rgb_mix (style->foreground, style->background, 0.45),
                     x0, y0, 0.0, 0.0, FALSE);
      /* The legend keeps clear of this label: it counts as many points. */
      lab_plot_text_size (&painter, _("Test"), f->font_px * 0.9, FALSE, &tw, &th);
      for (int i = 0; i < 20; i++)
        {
          px[n_obstacles] = x0 + tw * (i % 5) / 4.0;
          py[n_obstacles++] = y0 + th * (i / 5) / 3.0;
        }
    }

  lab_plot_set_color (cr, style->series, 1.0);
  if (has_series (data))
    lab_plot_draw_series (&painter, &l.x, &l.y, 0, data->series, data->n_points, f->line_px);

  if (has_predictions (data))
    {
      lab_plot_set_color (cr, style->train, 1.0);
      lab_plot_draw_series (&painter, &l.x, &l.y, T, data->predictions, n_train, f->line_px);
      lab_plot_set_color (cr, style->test, 1.0);
      lab_plot_draw_series (&painter, &l.x, &l.y, T + n_train, data->predictions + n_train,
                            N - n_train, f->line_px);
    }

  if (selected)
    draw_selection (&painter, &l, data);
  cairo_restore (cr);

  lab_plot_draw_axes (&painter, &l.x, &l.y, _("Time step"), _("Value"));

  legend[n_legend++] = (LabLegendEntry) { _("Original data"), style->series, FALSE, FALSE };
  if (has_predictions (data))
    {
      legend[n_legend++] = (LabLegendEntry) { _("Train prediction"), style->train, FALSE, FALSE };
      legend[n_legend++] = (LabLegendEntry) { _("Test prediction"), style->test, FALSE, FALSE };
    }
  if (selected)
    legend[n_legend++] = (LabLegendEntry) {
      _("Selected window"), lab_rgb_mix (style->background, style->highlight, 0.3), FALSE, TRUE
    };
  lab_plot_draw_legend (&painter, legend, n_legend, px, py, n_obstacles);

  if (data != NULL && data->title != NULL)
    lab_plot_draw_title (&painter, data->title, NULL);

  lab_plot_painter_end (&painter);
}

int
lab_forecast_plot_window_at (int                    width,
                             int                    height,
                             const LabForecastData *data,
                             const LabPlotStyle    *style,
                             double                 x,
                             double                 y)
{
  ForecastLayout l;
  const LabRect *a;
  double tolerance, k;

  g_return_val_if_fail (style != NULL, -1);

  if (data == NULL || data->n_windows <= 0 || data->time_step < 0)
    return -1;

  forecast_layout (&l, width, height, data, style);
  a = &l.frame.area;
  tolerance = l.frame.font_px * 0.5;
  if (x < a->x - tolerance || x > a->x + a->width + tolerance
      || y < a->y - tolerance || y > a->y + a->height + tolerance)
    return -1;

  k = round (lab_scale_invert (&l.x, x) - data->time_step);
  return (int) CLAMP (k, 0, data->n_windows - 1);
}
