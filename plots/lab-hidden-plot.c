/* lab-hidden-plot.c: the hidden state h_t (or an LSTM's c_t) of one window as
 * a heatmap, units (rows) by time steps (columns), on a diverging scale
 * centred on 0: tanh's range ±1, or a symmetric range from the values. */
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
    .extra_right = 4.4,   /* the colour bar and its labels ("−0.15") */
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);
  a = &l->frame.area;

  l->empty = data == NULL || data->hidden == NULL || data->time_step <= 0
             || data->hidden_size <= 0;
  l->T = l->empty ? 1 : data->time_step;
  l->H = l->empty ? 1 : data->hidden_size;

  lab_plot_fit_cells (a, l->T, l->H, &l->cell_w, &l->cell_h);
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

double
lab_hidden_plot_get_range (const LabHiddenData *data)
{
  gsize n;
  float m = 0;

  if (data == NULL || !data->auto_range || data->hidden == NULL
      || data->time_step <= 0 || data->hidden_size <= 0)
    return 1.0;
  n = (gsize) data->time_step * (gsize) data->hidden_size;
  for (gsize i = 0; i < n; i++)
    {
      float a = fabsf (data->hidden[i]);

      if (a > m && a <= G_MAXFLOAT)
        m = a;
    }
  return lab_plot_nice_ceil (m);
}

LabRgb
lab_hidden_scaled_color (const LabPlotStyle *style,
                         double              value,
                         gpointer            range)
{
  return lab_hidden_plot_color (style, value / *(const double *) range);
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
  gboolean cell_state = data != NULL && data->cell_state;

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
      const LabRect *a = &l.frame.area;
      const LabPlotFrame *f = &painter.frame;
      double range = lab_hidden_plot_get_range (data);
      double bh = MAX (a->height, f->font_px * 3);

      lab_plot_draw_cells (&painter, a->x, a->y, l.cell_w, l.cell_h, l.T, l.H,
                           data->hidden, lab_hidden_scaled_color, &range);
      lab_plot_draw_index_axes (&painter, &l.x, l.T, &l.y, l.H,
                                _("Time step t"), _("Hidden unit"));
      lab_plot_draw_colour_bar (&painter, a->x + a->width + f->font_px * 0.8,
                                a->y + (a->height - bh) / 2, f->font_px * 0.9, bh,
                                -range, range, lab_hidden_scaled_color, &range);
    }

  if (data != NULL && !l.empty)
    {
      if (data->auto_range)
        /* Translators: the hidden-state plot's subtitle; "auto range": the colours span the values' own range */
        right = g_strdup_printf (_("window %d · epoch %d · auto range"), data->window, data->epoch);
      else
        /* Translators: the hidden-state plot's subtitle */
        right = g_strdup_printf (_("window %d · epoch %d"), data->window, data->epoch);
    }
  if (data != NULL && data->model != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (data->model, -1);
      /* Translators: the hidden-state plot's title in compare mode, with
       * the model's label: "Hidden state h<sub>t</sub> · LSTM" */
      g_autofree char *title = g_strdup_printf (cell_state ? _("Cell state c<sub>t</sub> · %s")
                                                           : _("Hidden state h<sub>t</sub> · %s"),
                                                escaped);

      lab_plot_draw_title_markup (&painter, title, right);
    }
  else
    lab_plot_draw_title_markup (&painter,
                                cell_state ? _("Cell state c<sub>t</sub>")
                                           : _("Hidden state h<sub>t</sub>"),
                                right);

  lab_plot_painter_end (&painter);
}
