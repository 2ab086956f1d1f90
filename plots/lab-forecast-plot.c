/* lab-forecast-plot.c: the tutorial's figure, made to teach: the series, the
 * train and test predictions at x = k + T, the test region shaded, and the
 * selected window's inputs and target; the free-running forecast (the model
 * fed its own output), baselines, the models of compare mode and the
 * previous run's ghost. */
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

#define MAX_LABEL 160

typedef struct
{
  LabFrameSpec   spec;
  LabPlotFrame   frame;
  LabScale       x, y;
  int            T, N, n_train;   /* of the test region and the selection */
  LabLegendEntry legend[LAB_LEGEND_MAX];
  char           text[LAB_LEGEND_MAX][MAX_LABEL];
} ForecastLayout;

static gboolean
has_series (const LabForecastData *data)
{
  return data != NULL && data->series != NULL && data->n_points > 0;
}

static int
n_models (const LabForecastData *data)
{
  return data != NULL && data->models != NULL ? CLAMP (data->n_models, 0, LAB_PLOT_MAX_MODELS) : 0;
}

/* The legacy single model as a LabForecastModel. */
static LabForecastModel
single_model (const LabForecastData *data)
{
  return (LabForecastModel) {
    .time_step = data->time_step,
    .n_windows = data->n_windows,
    .n_train = data->n_train,
    .predictions = data->predictions,
    .n_forecast = data->n_forecast,
    .forecast_start = data->forecast_start,
    .forecast = data->forecast,
  };
}

static gboolean
has_predictions (const LabForecastData *data)
{
  return data != NULL && n_models (data) == 0 && data->predictions != NULL && data->n_windows > 0;
}

/* Range of the finite values in v[0..n). */
static gboolean
finite_range (const float *v,
              int          n,
              double      *lo,
              double      *hi)
{
  gboolean any = FALSE;

  for (int i = 0; v != NULL && i < n; i++)
    if (isfinite (v[i]))
      {
        *lo = any ? MIN (*lo, v[i]) : v[i];
        *hi = any ? MAX (*hi, v[i]) : v[i];
        any = TRUE;
      }
  return any;
}

/* Predictions that leave the series' range stretch the axis, but at most
 * by one span on each side: a diverging model stays readable. */
static void
stretch (const float *v,
         int          n,
         double       span,
         double      *lo,
         double      *hi,
         double       lo0,
         double       hi0)
{
  double plo = 0, phi = 0;

  if (finite_range (v, n, &plo, &phi))
    {
      *lo = MIN (*lo, MAX (plo, lo0 - span));
      *hi = MAX (*hi, MIN (phi, hi0 + span));
    }
}

static void
stretch_model (const LabForecastModel *m,
               double                  span,
               double                 *lo,
               double                 *hi,
               double                  lo0,
               double                  hi0,
               double                 *xmax)
{
  stretch (m->predictions, MAX (m->n_windows, 0), span, lo, hi, lo0, hi0);
  if (m->forecast != NULL && m->n_forecast > 0)
    {
      stretch (m->forecast, m->n_forecast, span, lo, hi, lo0, hi0);
      *xmax = MAX (*xmax, m->forecast_start + m->n_forecast - 1);
    }
}

static void
add_legend (ForecastLayout *l,
            int            *n,
            LabLegendEntry  entry)
{
  if (*n < LAB_LEGEND_MAX && entry.label != NULL)
    {
      g_strlcpy (l->text[*n], entry.label, MAX_LABEL);
      entry.label = l->text[*n];
      l->legend[(*n)++] = entry;
    }
}

static LabRgb
baseline_color (const LabPlotStyle *style,
                int                 i)
{
  return i % 2 == 0 ? lab_plot_style_model_color (style, 3)
                    : lab_rgb_mix (style->foreground, style->background, 0.3);
}

/* The series: its own colour, or near-black beside the models' colours. */
static LabRgb
series_color (const LabForecastData *data,
              const LabPlotStyle    *style)
{
  return n_models (data) > 0 ? lab_rgb_mix (style->foreground, style->background, 0.15) : style->series;
}

static gboolean
any_free_running (const LabForecastData *data)
{
  if (data == NULL)
    return FALSE;
  if (n_models (data) == 0)
    return data->forecast != NULL && data->n_forecast > 0;
  for (int m = 0; m < n_models (data); m++)
    if (data->models[m].forecast != NULL && data->models[m].n_forecast > 0)
      return TRUE;
  return FALSE;
}

static int
forecast_legend (ForecastLayout        *l,
                 const LabForecastData *data,
                 const LabPlotStyle    *style)
{
  int n = 0;
  gboolean mse = data != NULL && isfinite (data->test_mse) && data->test_mse > 0;

  add_legend (l, &n, (LabLegendEntry) { .label = _("Original data"), .color = series_color (data, style) });
  if (n_models (data) > 0)
    for (int m = 0; m < n_models (data); m++)
      add_legend (l, &n, (LabLegendEntry) {
        .label = data->models[m].label != NULL ? data->models[m].label : "",
        .color = lab_plot_style_model_color (style, data->models[m].color) });
  else if (has_predictions (data))
    {
      add_legend (l, &n, (LabLegendEntry) { .label = _("Train prediction"), .color = style->train });
      if (mse)
        {
          g_autofree char *v = lab_format_loss (data->test_mse);
          g_autofree char *t = g_strdup_printf (_("Test prediction · MSE %s"), v);

          add_legend (l, &n, (LabLegendEntry) { .label = t, .color = style->test });
        }
      else
        add_legend (l, &n, (LabLegendEntry) { .label = _("Test prediction"), .color = style->test });
    }
  if (any_free_running (data))
    add_legend (l, &n, (LabLegendEntry) {
      .label = _("free-running"),
      .color = n_models (data) > 0 ? style->foreground : style->test,
      .dashed = TRUE, .marker = TRUE });
  for (int b = 0; data != NULL && data->baselines != NULL && b < data->n_baselines; b++)
    {
      const LabForecastBaseline *base = &data->baselines[b];
      g_autofree char *t = NULL;

      if (base->predictions == NULL || base->label == NULL)
        continue;
      if (isfinite (base->test_mse))
        {
          g_autofree char *v = lab_format_loss (base->test_mse);

          /* Translators: a baseline in the forecast's legend, e.g. "Persistence · MSE 0.0123" */
          t = g_strdup_printf (_("%s · MSE %s"), base->label, v);
        }
      add_legend (l, &n, (LabLegendEntry) {
        .label = t != NULL ? t : base->label, .color = baseline_color (style, b),
        .dotted = TRUE, .thin = TRUE });
    }
  if (has_series (data) && data->selected >= 0
      && (n_models (data) > 0 ? data->selected < data->models[0].n_windows
                              : data->selected < data->n_windows))
    add_legend (l, &n, (LabLegendEntry) {
      .label = _("Selected window"),
      .color = lab_rgb_mix (style->background, style->highlight, 0.3), .band = TRUE });
  if (data != NULL && data->ghost != NULL && data->ghost->predictions != NULL)
    add_legend (l, &n, (LabLegendEntry) {
      .label = data->ghost->label != NULL ? data->ghost->label : _("previous run"),
      .color = style->ghost, .dashed = TRUE, .thin = TRUE });
  return n;
}

static void
forecast_layout (ForecastLayout        *l,
                 int                    width,
                 int                    height,
                 const LabForecastData *data,
                 const LabPlotStyle    *style)
{
  double lo = -1, hi = 1, lo0, hi0, span, pad;
  int n = has_series (data) ? data->n_points : 0;
  double xmax = MAX (n - 1, 1);

  l->spec = (LabFrameSpec) {
    .has_title = data != NULL && data->title != NULL,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 4,
    .legend = l->legend,
    .n_legend = has_series (data) ? forecast_legend (l, data, style) : 0,
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);

  if (!has_series (data) || !finite_range (data->series, n, &lo, &hi))
    lo = -1, hi = 1;
  span = MAX (hi - lo, 1e-3);
  lo0 = lo;
  hi0 = hi;

  if (data != NULL)
    {
      LabForecastModel single = single_model (data);

      if (n_models (data) > 0)
        for (int m = 0; m < n_models (data); m++)
          stretch_model (&data->models[m], span, &lo, &hi, lo0, hi0, &xmax);
      else
        stretch_model (&single, span, &lo, &hi, lo0, hi0, &xmax);
      if (data->ghost != NULL)
        stretch_model (data->ghost, span, &lo, &hi, lo0, hi0, &xmax);
      for (int b = 0; data->baselines != NULL && b < data->n_baselines; b++)
        stretch (data->baselines[b].predictions, MAX (data->n_windows, 0), span, &lo, &hi, lo0, hi0);
    }
  span = MAX (hi - lo, 1e-3);

  /* The test region and the selection: the model's, or the first model's. */
  l->T = l->N = l->n_train = 0;
  if (data != NULL)
    {
      const LabForecastModel *m0 = n_models (data) > 0 ? &data->models[0] : NULL;

      l->T = MAX (m0 != NULL ? m0->time_step : data->time_step, 0);
      l->N = MAX (m0 != NULL ? m0->n_windows : data->n_windows, 0);
      l->n_train = CLAMP (m0 != NULL ? m0->n_train : data->n_train, 0, l->N);
    }

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
  int k = data->selected, T = l->T;
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

/* One model's one-step predictions (train and test in their colours) and
 * its free-running forecast, dashed with markers. */
static void
draw_model (LabPlotPainter         *painter,
            const ForecastLayout   *l,
            const LabForecastModel *m,
            LabRgb                  train,
            LabRgb                  test,
            LabRgb                  free_running,
            gboolean                ghost)
{
  const LabPlotFrame *f = &painter->frame;
  cairo_t *cr = painter->cr;
  int T = MAX (m->time_step, 0), N = MAX (m->n_windows, 0);
  int n_train = CLAMP (m->n_train, 0, N);
  double lw = ghost ? MAX (1.0, f->line_px * 0.7) : f->line_px;

  cairo_save (cr);
  if (ghost)
    lab_plot_set_dash (cr, lw, TRUE);
  if (m->predictions != NULL && N > 0)
    {
      lab_plot_set_color (cr, train, 1.0);
      lab_plot_draw_series (painter, &l->x, &l->y, T, m->predictions, n_train, lw);
      lab_plot_set_color (cr, test, 1.0);
      lab_plot_draw_series (painter, &l->x, &l->y, T + n_train, m->predictions + n_train,
                            N - n_train, lw);
    }
  if (m->forecast != NULL && m->n_forecast > 0)
    {
      lab_plot_set_color (cr, free_running, 1.0);
      lab_plot_set_dash (cr, lw, TRUE);
      lab_plot_draw_series (painter, &l->x, &l->y, m->forecast_start, m->forecast,
                            m->n_forecast, lw);
      cairo_set_dash (cr, NULL, 0, 0);
      if (!ghost)
        lab_plot_draw_markers (painter, &l->x, &l->y, m->forecast_start, m->forecast,
                               m->n_forecast, lw * 1.3);
    }
  cairo_restore (cr);
}

/* "Test" over the test region, when it fits there (never cut off). */
static void
draw_test_label (LabPlotPainter       *painter,
                 const ForecastLayout *l)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  const LabRect *a = &f->area;
  double x0 = MAX (lab_scale_map (&l->x, l->n_train + l->T - 0.5), a->x);
  double x1 = MIN (lab_scale_map (&l->x, l->N - 1 + l->T + 0.5), a->x + a->width);
  double tw, th, inset = f->font_px * 0.3;

  lab_plot_text_size (painter, _("Test"), f->font_px, TRUE, &tw, &th);
  if (x1 - x0 < tw + 2 * inset)
    return;
  lab_plot_text (painter, _("Test"), f->font_px, TRUE,
                 lab_rgb_mix (s->foreground, s->background, 0.3),
                 x1 - inset, a->y + inset * 0.5, 1.0, 0.0, FALSE);
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
  const LabRect *a;
  gboolean selected;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  forecast_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  a = &painter.frame.area;

  selected = has_series (data) && data->selected >= 0 && data->selected < l.N && l.T > 0;

  cairo_save (cr);
  lab_plot_clip_area (&painter);

  /* The test region, behind everything. */
  if (l.N > l.n_train)
    {
      double x0 = lab_scale_map (&l.x, l.n_train + l.T - 0.5);
      double x1 = lab_scale_map (&l.x, l.N - 1 + l.T + 0.5);

      lab_plot_set_color (cr, style->test_shade, 1.0);
      cairo_rectangle (cr, x0, a->y, x1 - x0, a->height);
      cairo_fill (cr);
    }

  if (selected)
    {
      double x0 = lab_scale_map (&l.x, data->selected - 0.5);
      double x1 = lab_scale_map (&l.x, data->selected + l.T - 0.5);

      lab_plot_set_color (cr, style->highlight, 0.12);
      cairo_rectangle (cr, x0, a->y, x1 - x0, a->height);
      cairo_fill (cr);
    }

  lab_plot_draw_grid (&painter, &l.x, &l.y);
  if (l.N > l.n_train)
    draw_test_label (&painter, &l);

  if (data != NULL && data->ghost != NULL)
    draw_model (&painter, &l, data->ghost, style->ghost, style->ghost, style->ghost, TRUE);

  lab_plot_set_color (cr, series_color (data, style), 1.0);
  if (has_series (data))
    lab_plot_draw_series (&painter, &l.x, &l.y, 0, data->series, data->n_points,
                          painter.frame.line_px);

  for (int b = 0; data != NULL && data->baselines != NULL && b < data->n_baselines; b++)
    if (data->baselines[b].predictions != NULL)
      {
        double lw = painter.frame.line_px * 1.2;

        cairo_save (cr);
        lab_plot_set_color (cr, baseline_color (style, b), 1.0);
        lab_plot_set_dotted (cr, lw);
        lab_plot_draw_series (&painter, &l.x, &l.y, MAX (data->time_step, 0),
                              data->baselines[b].predictions, MAX (data->n_windows, 0), lw);
        cairo_restore (cr);
      }

  if (n_models (data) > 0)
    for (int m = 0; m < n_models (data); m++)
      {
        LabRgb c = lab_plot_style_model_color (style, data->models[m].color);

        draw_model (&painter, &l, &data->models[m], c, c, c, FALSE);
      }
  else if (data != NULL)
    {
      LabForecastModel single = single_model (data);

      draw_model (&painter, &l, &single, style->train, style->test, style->test, FALSE);
    }

  if (selected)
    draw_selection (&painter, &l, data);
  cairo_restore (cr);

  lab_plot_draw_axes (&painter, &l.x, &l.y, _("Time step"),
                      data != NULL && data->y_label != NULL ? data->y_label : _("Value"));
  lab_plot_draw_legend (&painter, l.legend);

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

  if (data == NULL)
    return -1;
  forecast_layout (&l, width, height, data, style);
  if (l.N <= 0)
    return -1;
  a = &l.frame.area;
  tolerance = l.frame.font_px * 0.5;
  if (x < a->x - tolerance || x > a->x + a->width + tolerance
      || y < a->y - tolerance || y > a->y + a->height + tolerance)
    return -1;

  k = round (lab_scale_invert (&l.x, x) - l.T);
  return (int) CLAMP (k, 0, l.N - 1);
}
