/* lab-gradient-plot.c: gradients through time. ‖∂L/∂h_t‖ against t on a
 * log axis for one epoch, one curve per model, and the ratio of the first
 * step's gradient to the last's written out: where a plain RNN's curve falls
 * by decades towards t = 1, its long-range learning has vanished. */
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

typedef struct
{
  LabFrameSpec   spec;
  LabPlotFrame   frame;
  LabScale       x, y;
  int            T;          /* the longest model's */
  int            n_models;
  gboolean       empty;
  LabLegendEntry legend[LAB_PLOT_MAX_MODELS];
  double         caption_y;  /* baseline of the ratio line */
} GradientLayout;

static int
gradient_models (const LabGradientData *data)
{
  return data != NULL && data->models != NULL ? CLAMP (data->n_models, 0, LAB_PLOT_MAX_MODELS) : 0;
}

static void
gradient_layout (GradientLayout        *l,
                 int                    width,
                 int                    height,
                 const LabGradientData *data,
                 const LabPlotStyle    *style)
{
  double lo = INFINITY, hi = 0;
  int n_legend = 0;

  l->n_models = gradient_models (data);
  l->T = 0;
  for (int m = 0; m < l->n_models; m++)
    {
      const LabGradientSeries *s = &data->models[m];

      if (s->norms == NULL || s->time_step <= 0)
        continue;
      l->T = MAX (l->T, s->time_step);
      for (int t = 0; t < s->time_step; t++)
        if (s->norms[t] > 0 && isfinite (s->norms[t]))
          {
            lo = MIN (lo, s->norms[t]);
            hi = MAX (hi, s->norms[t]);
          }
      if (s->label != NULL && (l->n_models > 1 || s->label[0] != '\0'))
        l->legend[n_legend++] = (LabLegendEntry) {
          .label = s->label, .color = lab_plot_style_model_color (style, s->color), .marker = TRUE };
    }
  l->empty = !(hi > 0);

  l->spec = (LabFrameSpec) {
    .has_title = TRUE,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 4,
    .legend = l->legend,
    .n_legend = n_legend,
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);
  /* Room for the ratio line under the x axis label. */
  l->frame.area.height = MAX (1.0, l->frame.area.height - round (l->frame.font_px * 1.35));
  l->caption_y = height - l->frame.pad;

  if (l->empty)
    lo = 1e-4, hi = 1;
  /* Whole decades, with a little room so that no curve runs along an edge. */
  lo = pow (10.0, floor (log10 (lo / 1.3)));
  hi = pow (10.0, ceil (log10 (hi * 1.3)));
  if (hi <= lo)
    hi = lo * 10;
  lo = MAX (lo, hi * 1e-15);

  l->x = (LabScale) {
    .d0 = 0.5, .d1 = MAX (l->T, 1) + 0.5,
    .p0 = l->frame.area.x, .p1 = l->frame.area.x + l->frame.area.width,
  };
  l->y = (LabScale) {
    .d0 = lo, .d1 = hi, .log = TRUE,
    .p0 = l->frame.area.y + l->frame.area.height, .p1 = l->frame.area.y,
  };
}

void
lab_gradient_plot_get_scales (int                    width,
                              int                    height,
                              const LabGradientData *data,
                              const LabPlotStyle    *style,
                              LabScale              *x,
                              LabScale              *y)
{
  GradientLayout l;

  g_return_if_fail (style != NULL);

  gradient_layout (&l, width, height, data, style);
  if (x != NULL)
    *x = l.x;
  if (y != NULL)
    *y = l.y;
}

int
lab_gradient_plot_step_at (int                    width,
                           int                    height,
                           const LabGradientData *data,
                           const LabPlotStyle    *style,
                           double                 x,
                           double                 y)
{
  GradientLayout l;
  const LabRect *a;

  g_return_val_if_fail (style != NULL, 0);

  gradient_layout (&l, width, height, data, style);
  a = &l.frame.area;
  if (l.T <= 0 || x < a->x || x >= a->x + a->width || y < a->y || y >= a->y + a->height)
    return 0;
  return (int) CLAMP (round (lab_scale_invert (&l.x, x)), 1, l.T);
}

/* The first and last steps with a finite, non-negative norm. */
static gboolean
ends (const float *norms,
      int          T,
      int         *first,
      int         *last)
{
  *first = *last = -1;
  for (int t = 0; norms != NULL && t < T; t++)
    if (isfinite (norms[t]) && norms[t] >= 0)
      {
        if (*first < 0)
          *first = t;
        *last = t;
      }
  return *first >= 0;
}

char *
lab_gradient_ratio_text (const float *norms,
                         int          time_step)
{
  int first, last;
  double ratio;
  char value[64];

  if (!ends (norms, time_step, &first, &last))
    return g_strdup (_("No gradient to compare yet"));
  if (first == last)
    return g_strdup (_("Only one step has a gradient: nothing to compare"));
  if (norms[last] == 0)
    return g_strdup_printf (_("The gradient at t = %d is zero: no ratio to show"), last + 1);

  ratio = norms[first] / norms[last];
  lab_format_number (value, sizeof value, ratio, 2);
  if (ratio < 1)
    /* Translators: e.g. "The gradient at t = 1 is 10⁻⁴ of the one at t = 10" */
    return g_strdup_printf (_("The gradient at t = %d is %s of the one at t = %d"),
                            first + 1, value, last + 1);
  /* Translators: e.g. "The gradient at t = 1 is 25 times the one at t = 10" */
  return g_strdup_printf (_("The gradient at t = %d is %s times the one at t = %d"),
                          first + 1, value, last + 1);
}

/* The ratio line: the sentence for one model; "first / last" per model for several. */
static char *
caption (const LabGradientData *data,
         int                    n_models)
{
  GString *out;

  if (n_models == 1)
    return lab_gradient_ratio_text (data->models[0].norms, data->models[0].time_step);

  /* Translators: followed by one "model: ratio" pair per model */
  out = g_string_new (_("Gradient at the first step ÷ at the last:"));
  for (int m = 0; m < n_models; m++)
    {
      const LabGradientSeries *s = &data->models[m];
      int first, last;
      char value[64] = "—";

      if (ends (s->norms, s->time_step, &first, &last) && first != last && s->norms[last] > 0)
        lab_format_number (value, sizeof value, s->norms[first] / s->norms[last], 2);
      g_string_append_printf (out, "%s %s %s", m == 0 ? "" : " ·",
                              s->label != NULL ? s->label : "", value);
    }
  return g_string_free (out, FALSE);
}

void
lab_gradient_plot_draw (cairo_t               *cr,
                        int                    width,
                        int                    height,
                        const LabGradientData *data,
                        const LabPlotStyle    *style)
{
  LabPlotPainter painter;
  GradientLayout l;
  const LabPlotFrame *f;
  g_autofree char *right = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  gradient_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  painter.frame.area = l.frame.area;
  f = &painter.frame;

  lab_plot_draw_grid (&painter, NULL, &l.y);
  cairo_save (cr);
  lab_plot_clip_area (&painter);
  for (int m = 0; !l.empty && m < l.n_models; m++)
    {
      const LabGradientSeries *s = &data->models[m];
      LabRgb c = lab_plot_style_model_color (style, s->color);

      if (s->norms == NULL || s->time_step <= 0)
        continue;
      lab_plot_set_color (cr, c, 1.0);
      lab_plot_draw_series (&painter, &l.x, &l.y, 1, s->norms, s->time_step, f->line_px);
      if (fabs (lab_scale_map (&l.x, 2) - lab_scale_map (&l.x, 1)) >= f->line_px * 5)
        lab_plot_draw_markers (&painter, &l.x, &l.y, 1, s->norms, s->time_step,
                               f->line_px * 1.5);
    }
  cairo_restore (cr);

  lab_plot_draw_axes (&painter, NULL, &l.y, NULL, NULL);
  lab_plot_draw_index_axis (&painter, &l.x, MAX (l.T, 1), FALSE);
  lab_plot_draw_axis_labels (&painter, _("Time step t"), _("Gradient norm"));
  lab_plot_draw_legend (&painter, l.legend);

  if (l.empty)
    lab_plot_draw_hint (&painter, _("No gradients yet"));
  else
    {
      g_autofree char *text = caption (data, l.n_models);
      double tw, th, size = f->font_px;

      /* The sentence is the point of the view: smaller rather than cut. */
      lab_plot_text_size (&painter, text, size, FALSE, &tw, &th);
      if (tw > width - 2 * f->pad)
        size = MAX (size * (width - 2 * f->pad) / tw, f->font_px * 0.8);
      lab_plot_text_size (&painter, text, size, FALSE, &tw, &th);
      if (tw <= width - f->pad)
        lab_plot_text (&painter, text, size, FALSE, style->foreground,
                       f->pad, l.caption_y, 0.0, 1.0, FALSE);
    }

  if (data != NULL && data->epoch >= 0)
    /* Translators: the gradient plot's subtitle */
    right = g_strdup_printf (_("epoch %d"), data->epoch);
  lab_plot_draw_title_markup (&painter, _("Gradient through time ‖∂L/∂h<sub>t</sub>‖"), right);

  lab_plot_painter_end (&painter);
}
