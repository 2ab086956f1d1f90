/* lab-gates-plot.c: the gate activations of an LSTM or GRU for one window,
 * one small heatmap per gate (units by time steps) on a sequential scale over
 * [0, 1], side by side, with one colour bar. */
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

#define MAX_GATES 4

typedef struct
{
  LabFrameSpec spec;
  LabPlotFrame frame;
  int          n, T, H;
  int          cols, rows;
  LabRect      cells[MAX_GATES];   /* each gate's heatmap (whole-pixel cells) */
  double       cell_w, cell_h;
  double       name_h;             /* the row of each gate's name, above it */
  gboolean     empty;
} GatesLayout;

static void
gates_layout (GatesLayout        *l,
              int                 width,
              int                 height,
              const LabGatesData *data,
              const LabPlotStyle *style)
{
  const LabRect *a;
  double gap, pw, ph;

  l->spec = (LabFrameSpec) {
    .has_title = TRUE,
    .has_xlabel = TRUE,
    .has_ylabel = TRUE,
    .ytick_chars = 3,
    .extra_right = 3.2,
  };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);
  a = &l->frame.area;

  l->n = data != NULL && data->gates != NULL ? CLAMP (data->n_gates, 0, MAX_GATES) : 0;
  l->empty = l->n == 0 || data->time_step <= 0 || data->hidden_size <= 0;
  for (int g = 0; !l->empty && g < l->n; g++)
    l->empty = data->gates[g].values == NULL;
  l->T = l->empty ? 1 : data->time_step;
  l->H = l->empty ? 1 : data->hidden_size;
  if (l->empty)
    l->n = 1;

  /* One row when each panel stays at least six characters wide, else two. */
  gap = l->frame.font_px * 1.2;
  l->cols = l->n;
  l->rows = 1;
  if (l->n > 2 && (a->width - (l->n - 1) * gap) / l->n < l->frame.font_px * 6)
    {
      l->cols = (l->n + 1) / 2;
      l->rows = 2;
    }
  l->name_h = l->frame.font_px * 1.4;
  pw = (a->width - (l->cols - 1) * gap) / l->cols;
  /* Rows after the first need room for the x tick labels above them too. */
  ph = (a->height - (l->rows - 1) * (l->frame.font_px * 2.2)) / l->rows - l->name_h;

  for (int g = 0; g < l->n; g++)
    {
      int c = g % l->cols, r = g / l->cols;
      LabRect rect = {
        a->x + c * (pw + gap),
        a->y + r * (ph + l->name_h + l->frame.font_px * 2.2) + l->name_h,
        MAX (pw, 1), MAX (ph, 1),
      };

      lab_plot_fit_cells (&rect, l->T, l->H, &l->cell_w, &l->cell_h);
      l->cells[g] = rect;
    }
}

gboolean
lab_gates_plot_get_grid (int                 width,
                         int                 height,
                         const LabGatesData *data,
                         const LabPlotStyle *style,
                         int                 gate,
                         double             *x,
                         double             *y,
                         double             *cell_width,
                         double             *cell_height)
{
  GatesLayout l;

  g_return_val_if_fail (style != NULL, FALSE);

  gates_layout (&l, width, height, data, style);
  if (l.empty || gate < 0 || gate >= l.n)
    return FALSE;
  if (x != NULL)
    *x = l.cells[gate].x;
  if (y != NULL)
    *y = l.cells[gate].y;
  if (cell_width != NULL)
    *cell_width = l.cell_w;
  if (cell_height != NULL)
    *cell_height = l.cell_h;
  return TRUE;
}

gboolean
lab_gates_plot_cell_at (int                 width,
                        int                 height,
                        const LabGatesData *data,
                        const LabPlotStyle *style,
                        double              x,
                        double              y,
                        int                *gate,
                        int                *unit,
                        int                *step)
{
  GatesLayout l;

  g_return_val_if_fail (style != NULL, FALSE);

  gates_layout (&l, width, height, data, style);
  if (l.empty)
    return FALSE;
  for (int g = 0; g < l.n; g++)
    {
      const LabRect *r = &l.cells[g];

      if (x >= r->x && x < r->x + r->width && y >= r->y && y < r->y + r->height)
        {
          if (gate != NULL)
            *gate = g;
          if (unit != NULL)
            *unit = CLAMP ((int) floor ((y - r->y) / l.cell_h), 0, l.H - 1);
          if (step != NULL)
            *step = CLAMP ((int) floor ((x - r->x) / l.cell_w), 0, l.T - 1) + 1;
          return TRUE;
        }
    }
  return FALSE;
}

static LabRgb
gate_color (const LabPlotStyle *style,
            double              value,
            gpointer            user_data)
{
  return lab_plot_sequential_color (value);
}

static const char *
cell_name (LabPlotCell cell)
{
  switch (cell)
    {
    case LAB_PLOT_CELL_LSTM:
      return _("LSTM gates");
    case LAB_PLOT_CELL_GRU:
      return _("GRU gates");
    case LAB_PLOT_CELL_RNN:
    default:
      return _("Gates");
    }
}

void
lab_gates_plot_draw (cairo_t            *cr,
                     int                 width,
                     int                 height,
                     const LabGatesData *data,
                     const LabPlotStyle *style)
{
  LabPlotPainter painter;
  GatesLayout l;
  LabRect whole;
  const LabPlotFrame *f;
  g_autofree char *right = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  gates_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  f = &painter.frame;
  whole = f->area;

  if (l.empty)
    lab_plot_draw_hint (&painter, data != NULL && data->cell == LAB_PLOT_CELL_RNN
                                  ? _("A plain RNN has no gates")
                                  : _("No gate activations yet"));
  else
    {
      double top = l.cells[0].y, bottom = l.cells[l.n - 1].y + l.cells[l.n - 1].height;
      double right_edge = 0;

      for (int g = 0; g < l.n; g++)
        {
          const LabRect *r = &l.cells[g];
          LabScale xs = { .d0 = 0.5, .d1 = l.T + 0.5, .p0 = r->x, .p1 = r->x + r->width };
          LabScale ys = { .d0 = 0.5, .d1 = l.H + 0.5, .p0 = r->y, .p1 = r->y + r->height };
          double tw, th, size = f->font_px;

          lab_plot_draw_cells (&painter, r->x, r->y, l.cell_w, l.cell_h, l.T, l.H,
                               data->gates[g].values, gate_color, NULL);
          painter.frame.area = *r;
          lab_plot_draw_index_axis (&painter, &xs, l.T, FALSE);
          if (g % l.cols == 0)
            lab_plot_draw_index_axis (&painter, &ys, l.H, TRUE);
          if (data->gates[g].name != NULL)
            {
              lab_plot_markup_size (&painter, data->gates[g].name, size, TRUE, &tw, &th);
              if (tw > r->width)
                {
                  size = MAX (size * r->width / tw, f->font_px * 0.85);
                  lab_plot_markup_size (&painter, data->gates[g].name, size, TRUE, &tw, &th);
                }
              if (tw <= r->width + f->font_px)
                lab_plot_markup (&painter, data->gates[g].name, size, TRUE, style->foreground,
                                 r->x, r->y - f->font_px * 0.2, 0.0, 1.0);
            }
          right_edge = MAX (right_edge, r->x + r->width);
        }
      painter.frame.area = (LabRect) { whole.x, top, whole.width, bottom - top };
      lab_plot_draw_axis_labels (&painter, _("Time step t"), _("Hidden unit"));
      lab_plot_draw_colour_bar (&painter, right_edge + f->font_px * 0.8, top,
                                f->font_px * 0.9, bottom - top, 0, 1, gate_color, NULL);
    }

  if (data != NULL && !l.empty)
    /* Translators: the gates plot's subtitle */
    right = g_strdup_printf (_("window %d · epoch %d"), data->window, data->epoch);
  lab_plot_draw_title (&painter, data != NULL ? cell_name (data->cell) : cell_name (LAB_PLOT_CELL_RNN),
                       right);

  lab_plot_painter_end (&painter);
}
