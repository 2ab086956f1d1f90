/* lab-unrolled-plot.c: the network unrolled over one window, as textbooks
 * draw it: inputs x_t along the bottom, h_t as columns of cells coloured by
 * value (as the heatmap), arrows h_{t−1} → h_t and x_t → h_t, and ŷ against
 * the target at the end. Columns that do not fit are elided in the middle
 * behind a "⋯" mark; a pass (forward or backward) can be animated. */
#include <math.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

#define MAX_SLOTS 128

typedef struct
{
  LabFrameSpec spec;
  LabPlotFrame frame;
  int          T, H;
  int          n_slots;
  int          steps[MAX_SLOTS];   /* step of each slot, 0 for the elision mark */
  double       slot_x0, slot_w;    /* slots' left edge and width */
  double       col_w;              /* a column of cells, centred in its slot */
  double       label_y, cells_y, cells_h, input_y, input_r, xlabel_y, value_y;
  double       out_x, out_w;       /* the ŷ box */
  double       h0_x;               /* where the arrow from h_0 starts */
  gboolean     show_values;        /* room for x_t's values under the labels */
  gboolean     empty;
} UnrolledLayout;

static void
unrolled_layout (UnrolledLayout        *l,
                 int                    width,
                 int                    height,
                 const LabUnrolledData *data,
                 const LabPlotStyle    *style)
{
  const LabRect *a;
  double f, min_slot, region_x, region_w, tw, th, bottom;
  int n_fit;
  g_autofree char *widest = NULL;

  l->spec = (LabFrameSpec) { .has_title = TRUE };
  lab_plot_frame_init (&l->frame, width, height, style, &l->spec);
  a = &l->frame.area;
  f = l->frame.font_px;

  l->empty = data == NULL || data->hidden == NULL || data->time_step <= 0 || data->hidden_size <= 0;
  l->T = l->empty ? 1 : data->time_step;
  l->H = l->empty ? 1 : data->hidden_size;

  /* The ŷ box on the right, the arrow from h_0 on the left. */
  l->out_w = f * 6.2;
  l->out_x = a->x + a->width - l->out_w;
  l->h0_x = a->x;
  region_x = a->x + f * 2.0;
  region_w = MAX (1.0, l->out_x - f * 1.5 - region_x);

  /* A slot holds its widest label with room to spare. */
  widest = g_strdup_printf ("h<sub>%d</sub>", l->T);
  lab_plot_measure_text (widest, TRUE, f, FALSE, &tw, &th);
  min_slot = MAX (tw * 1.35, f * 2.4);
  n_fit = MAX (3, (int) floor (region_w / min_slot));
  n_fit = MIN (n_fit, MAX_SLOTS);
  l->n_slots = 0;
  if (l->T <= n_fit)
    for (int t = 1; t <= l->T; t++)
      l->steps[l->n_slots++] = t;
  else
    {
      /* every slot used: the odd one goes to the first steps */
      int right = MAX (1, (n_fit - 1) / 2), left = MAX (1, n_fit - 1 - right);

      for (int t = 1; t <= left; t++)
        l->steps[l->n_slots++] = t;
      l->steps[l->n_slots++] = 0;
      for (int t = l->T - right + 1; t <= l->T; t++)
        l->steps[l->n_slots++] = t;
    }
  l->slot_x0 = region_x;
  l->slot_w = region_w / l->n_slots;
  l->col_w = MIN (l->slot_w * 0.5, f * 3.5);

  /* Rows, top to bottom: h_t's labels, the cells, the arrow from x_t, the
   * input's circle, x_t's label, its value. */
  l->label_y = a->y;
  l->input_r = MIN (f * 0.75, l->slot_w * 0.3);
  bottom = a->y + a->height;
  l->show_values = a->height > f * 12;
  l->value_y = bottom - f * 1.3;
  l->xlabel_y = (l->show_values ? l->value_y : bottom) - f * 1.45;
  l->input_y = l->xlabel_y - l->input_r - f * 0.15;
  l->cells_y = a->y + f * 1.5;
  l->cells_h = MAX (1.0, l->input_y - l->input_r - f * 1.4 - l->cells_y);
  if (l->cells_h >= l->H * 2)
    l->cells_h = floor (l->cells_h / l->H) * l->H;
}

static double
slot_centre (const UnrolledLayout *l,
             int                   i)
{
  return l->slot_x0 + (i + 0.5) * l->slot_w;
}

int
lab_unrolled_plot_get_columns (int                    width,
                               int                    height,
                               const LabUnrolledData *data,
                               const LabPlotStyle    *style,
                               int                   *steps,
                               int                    max)
{
  UnrolledLayout l;
  int n;

  g_return_val_if_fail (style != NULL, 0);

  unrolled_layout (&l, width, height, data, style);
  if (l.empty)
    return 0;
  n = MIN (l.n_slots, max);
  for (int i = 0; steps != NULL && i < n; i++)
    steps[i] = l.steps[i];
  return n;
}

int
lab_unrolled_layout_slots (int                    width,
                           int                    height,
                           const LabUnrolledData *data,
                           const LabPlotStyle    *style,
                           double                *x0,
                           double                *slot_width,
                           double                *label_top,
                           double                *label_bottom)
{
  UnrolledLayout l;

  unrolled_layout (&l, width, height, data, style);
  *x0 = l.slot_x0;
  *slot_width = l.slot_w;
  *label_top = l.xlabel_y;
  *label_bottom = l.show_values ? l.value_y + l.frame.font_px * 1.3 : l.xlabel_y + l.frame.font_px * 1.45;
  return l.empty ? 0 : l.n_slots;
}

int
lab_unrolled_plot_step_at (int                    width,
                           int                    height,
                           const LabUnrolledData *data,
                           const LabPlotStyle    *style,
                           double                 x,
                           double                 y)
{
  UnrolledLayout l;
  const LabRect *a;
  int i;

  g_return_val_if_fail (style != NULL, 0);

  unrolled_layout (&l, width, height, data, style);
  a = &l.frame.area;
  if (l.empty || y < a->y || y >= a->y + a->height || x < l.slot_x0)
    return 0;
  i = (int) floor ((x - l.slot_x0) / l.slot_w);
  if (i < 0 || i >= l.n_slots)
    return 0;
  return l.steps[i];
}

/* Text that must fit width: drawn, or left out. */
static void
fitted_markup (LabPlotPainter *painter,
               const char     *markup,
               double          size,
               LabRgb          color,
               double          cx,
               double          y,
               double          width)
{
  double tw, th;

  lab_plot_markup_size (painter, markup, size, FALSE, &tw, &th);
  if (tw <= width)
    lab_plot_markup (painter, markup, size, FALSE, color, cx, y, 0.5, 0.0);
}

/* Whether step t is computed yet (forward pass) and whether the gradient has
 * reached it (backward pass). */
static gboolean
computed (const LabUnrolledData *data,
          int                    t)
{
  return data->pass != LAB_PASS_FORWARD || t <= data->pass_step;
}

static gboolean
reached (const LabUnrolledData *data,
         int                    t)
{
  return data->pass == LAB_PASS_BACKWARD && t >= data->pass_step;
}

static void
draw_output (LabPlotPainter        *painter,
             const UnrolledLayout  *l,
             const LabUnrolledData *data)
{
  const LabPlotFrame *f = &painter->frame;
  const LabPlotStyle *s = painter->style;
  cairo_t *cr = painter->cr;
  double mid = l->cells_y + l->cells_h / 2, x0 = l->out_x, w = l->out_w, h = f->font_px * 3.4;
  double y0 = mid - h / 2, r = f->font_px * 0.4;
  char a[64], b[64];
  g_autofree char *top = NULL;
  g_autofree char *under = NULL;
  gboolean done = computed (data, l->T);

  lab_plot_set_color (cr, done ? s->foreground : lab_rgb_mix (s->foreground, s->background, 0.7), 1.0);
  lab_plot_arrow (cr, slot_centre (l, l->n_slots - 1) + l->col_w / 2, mid, x0, mid,
                  f->thin_px * 1.5, f->font_px * 0.6);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x0 + w - r, y0 + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x0 + w - r, y0 + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x0 + r, y0 + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x0 + r, y0 + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  lab_plot_set_color (cr, lab_rgb_mix (s->background, s->highlight, 0.1), 1.0);
  cairo_fill_preserve (cr);
  lab_plot_set_color (cr, s->highlight, 1.0);
  cairo_set_line_width (cr, f->thin_px * 1.5);
  cairo_stroke (cr);

  lab_format_number (a, sizeof a, data->prediction, 3);
  lab_format_number (b, sizeof b, data->target, 3);
  top = isfinite (data->prediction) && done ? g_strdup_printf ("ŷ = %s", a) : g_strdup ("ŷ");
  /* Translators: the target under the prediction in the unrolled view */
  under = isfinite (data->target) ? g_strdup_printf (_("y = %s"), b) : NULL;
  fitted_markup (painter, top, f->font_px, s->foreground, x0 + w / 2, y0 + f->font_px * 0.2, w);
  if (under != NULL)
    fitted_markup (painter, under, f->font_px, lab_rgb_mix (s->foreground, s->background, 0.25),
                   x0 + w / 2, y0 + f->font_px * 1.7, w);
}

void
lab_unrolled_plot_draw (cairo_t               *cr,
                        int                    width,
                        int                    height,
                        const LabUnrolledData *data,
                        const LabPlotStyle    *style)
{
  LabPlotPainter painter;
  UnrolledLayout l;
  const LabPlotFrame *f;
  g_autofree char *right = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  unrolled_layout (&l, width, height, data, style);
  lab_plot_painter_begin (&painter, cr, width, height, style, &l.spec);
  f = &painter.frame;

  if (l.empty)
    lab_plot_draw_hint (&painter, _("No window to unroll yet"));
  else
    {
      double range = data->auto_range
                     ? lab_hidden_plot_get_range (&(LabHiddenData) {
                         .time_step = l.T, .hidden_size = l.H, .hidden = data->hidden,
                         .auto_range = TRUE })
                     : 1.0;
      double mid = l.cells_y + l.cells_h / 2, head = f->font_px * 0.55;
      LabRgb muted = lab_rgb_mix (style->foreground, style->background, 0.7);
      LabRgb grad = style->highlight;

      /* h_0 = 0 coming in from the left. */
      lab_plot_set_color (cr, style->foreground, 1.0);
      lab_plot_markup (&painter, "h<sub>0</sub>", f->font_px, FALSE, style->foreground,
                       l.h0_x, mid - f->font_px * 0.3, 0.0, 1.0);
      lab_plot_arrow (cr, l.h0_x, mid, slot_centre (&l, 0) - l.col_w / 2, mid,
                      f->thin_px * 1.5, head);

      for (int i = 0; i < l.n_slots; i++)
        {
          int t = l.steps[i];
          double cx = slot_centre (&l, i), x0 = cx - l.col_w / 2;
          char value[64];
          g_autofree char *name = NULL;

          if (t == 0)
            {
              /* The elision: a clear mark, and the chain continues. */
              lab_plot_text (&painter, "⋯", f->font_px * 2.0, TRUE, style->foreground,
                             cx, mid, 0.5, 0.5, FALSE);
              lab_plot_text (&painter, "⋯", f->font_px * 1.6, TRUE, style->foreground,
                             cx, l.input_y, 0.5, 0.5, FALSE);
              continue;
            }

          /* The highlighted column and the pass's active one: a band behind. */
          if (t == data->highlight || (data->pass != LAB_PASS_NONE && t == data->pass_step))
            {
              lab_plot_set_color (cr, style->highlight, t == data->highlight ? 0.16 : 0.1);
              cairo_rectangle (cr, cx - l.slot_w / 2 + 1, l.label_y, l.slot_w - 2,
                               l.value_y + f->font_px * 1.3 - l.label_y);
              cairo_fill (cr);
            }

          /* The column of h_t's cells (or an empty box, not computed yet). */
          if (computed (data, t))
            lab_plot_draw_cells (&painter, x0, l.cells_y, l.col_w, l.cells_h / l.H, 1, l.H,
                                 data->hidden + (gsize) (t - 1) * l.H, lab_hidden_scaled_color, &range);
          cairo_rectangle (cr, x0, l.cells_y, l.col_w, l.cells_h);
          lab_plot_set_color (cr, t == data->pass_step && data->pass != LAB_PASS_NONE
                                  ? style->highlight : muted, 1.0);
          cairo_set_line_width (cr, t == data->pass_step && data->pass != LAB_PASS_NONE
                                    ? f->line_px : f->thin_px);
          cairo_stroke (cr);

          name = g_strdup_printf ("h<sub>%d</sub>", t);
          fitted_markup (&painter, name, f->font_px, style->foreground, cx, l.label_y, l.slot_w);

          /* x_t: its circle, the arrow up into h_t, its name and value. */
          lab_plot_set_color (cr, computed (data, t) ? style->series : muted, 1.0);
          cairo_arc (cr, cx, l.input_y, l.input_r, 0, 2 * G_PI);
          cairo_fill (cr);
          lab_plot_set_color (cr, computed (data, t) ? style->foreground : muted, 1.0);
          lab_plot_arrow (cr, cx, l.input_y - l.input_r - f->thin_px,
                          cx, l.cells_y + l.cells_h + f->thin_px, f->thin_px * 1.5, head);
          g_free (name);
          name = g_strdup_printf ("x<sub>%d</sub>", t);
          fitted_markup (&painter, name, f->font_px, style->foreground, cx, l.xlabel_y, l.slot_w);
          if (l.show_values && data->inputs != NULL)
            {
              lab_format_number (value, sizeof value, data->inputs[t - 1], 2);
              fitted_markup (&painter, value, f->font_px * 0.9,
                             lab_rgb_mix (style->foreground, style->background, 0.3),
                             cx, l.value_y, l.slot_w * 0.98);
            }

          /* h_{t−1} → h_t (forward), or the gradient flowing back (backward). */
          if (i + 1 < l.n_slots)
            {
              double xa = x0 + l.col_w, xb = slot_centre (&l, i + 1) - l.col_w / 2;
              int next = l.steps[i + 1];

              if (next == 0)
                xb = slot_centre (&l, i + 1) - f->font_px * 1.2;
              lab_plot_set_color (cr, next != 0 && !computed (data, next) ? muted
                                                                          : style->foreground, 1.0);
              lab_plot_arrow (cr, xa, mid, xb, mid, f->thin_px * 1.5, head);
              if (next != 0 && reached (data, t))
                {
                  lab_plot_set_color (cr, grad, 1.0);
                  lab_plot_arrow (cr, xb, mid + f->font_px * 0.6, xa, mid + f->font_px * 0.6,
                                  f->line_px, head);
                }
            }
          if (i > 0 && l.steps[i - 1] == 0)
            {
              lab_plot_set_color (cr, computed (data, t) ? style->foreground : muted, 1.0);
              lab_plot_arrow (cr, slot_centre (&l, i - 1) + f->font_px * 1.2, mid, x0, mid,
                              f->thin_px * 1.5, head);
            }
        }
      if (data->pass == LAB_PASS_BACKWARD)
        {
          /* ∂L/∂ŷ enters at the end. */
          lab_plot_set_color (cr, grad, 1.0);
          lab_plot_arrow (cr, l.out_x, mid + f->font_px * 0.6,
                          slot_centre (&l, l.n_slots - 1) + l.col_w / 2, mid + f->font_px * 0.6,
                          f->line_px, head);
        }
      draw_output (&painter, &l, data);
    }

  if (data != NULL && !l.empty)
    {
      if (data->pass == LAB_PASS_FORWARD)
        /* Translators: the unrolled view's subtitle during the forward pass */
        right = g_strdup_printf (_("forward pass · step %d of %d"), data->pass_step, l.T);
      else if (data->pass == LAB_PASS_BACKWARD)
        /* Translators: the unrolled view's subtitle during the backward pass */
        right = g_strdup_printf (_("backward pass · step %d of %d"), data->pass_step, l.T);
      else
        /* Translators: the unrolled view's subtitle: time steps and hidden size */
        right = g_strdup_printf (_("T = %d · H = %d"), l.T, l.H);
    }
  if (data != NULL && data->model != NULL)
    {
      /* Translators: the unrolled view's title in compare mode, with the
       * model's label: "Unrolled network · LSTM" */
      g_autofree char *title = g_strdup_printf (_("Unrolled network · %s"), data->model);

      lab_plot_draw_title (&painter, title, right);
    }
  else
    lab_plot_draw_title (&painter, _("Unrolled network"), right);

  lab_plot_painter_end (&painter);
}
