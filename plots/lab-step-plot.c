/* lab-step-plot.c: one time step's arithmetic with the real values: each
 * term of the cell's equation on its own row, with its shape and its first
 * entries, the way one would write it out on the board. */
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "plots/lab-plot-private.h"

typedef struct
{
  const char  *op;      /* "", "+", "=" */
  char        *term;    /* markup */
  const float *values;
  int          n;       /* the shape: [n] */
} Row;

#define MAX_ROWS 16

static int
n_blocks (LabPlotCell cell)
{
  return cell == LAB_PLOT_CELL_LSTM ? 4 : cell == LAB_PLOT_CELL_GRU ? 3 : 1;
}

static void
add_row (Row         *rows,
         int         *n,
         const char  *op,
         const char  *term,
         const float *values,
         int          count)
{
  if (values == NULL || count <= 0 || *n >= MAX_ROWS)
    return;
  rows[(*n)++] = (Row) { op, g_strdup (term), values, count };
}

static int
build_rows (const LabStepData *d,
            Row               *rows)
{
  int n = 0, H = d->hidden_size, G = n_blocks (d->cell), GH = G * H;
  /* Translators: the stacked gate blocks in the one-step panel, before their nonlinearities */
  g_autofree char *lstm_pre = g_strdup_printf ("[i f g o] %s", _("(before σ, tanh)"));
  g_autofree char *gru_pre = g_strdup_printf ("[r z n] %s", _("(before σ, tanh)"));

  add_row (rows, &n, "", "x<sub>t</sub>", d->x, d->input_size);
  add_row (rows, &n, "", "h<sub>t−1</sub>", d->h_prev, H);
  add_row (rows, &n, "", "W<sub>ih</sub> x<sub>t</sub>", d->ih, GH);
  add_row (rows, &n, "+", "b<sub>ih</sub>", d->b_ih, GH);
  add_row (rows, &n, "+", "W<sub>hh</sub> h<sub>t−1</sub>", d->hh, GH);
  add_row (rows, &n, "+", "b<sub>hh</sub>", d->b_hh, GH);
  switch (d->cell)
    {
    case LAB_PLOT_CELL_LSTM:
      add_row (rows, &n, "=", lstm_pre, d->pre, GH);
      if (d->gates != NULL)
        {
          add_row (rows, &n, "", "i = σ(·)", d->gates, H);
          add_row (rows, &n, "", "f = σ(·)", d->gates + H, H);
          add_row (rows, &n, "", "g = tanh(·)", d->gates + 2 * H, H);
          add_row (rows, &n, "", "o = σ(·)", d->gates + 3 * H, H);
        }
      add_row (rows, &n, "", "c<sub>t</sub> = f ⊙ c<sub>t−1</sub> + i ⊙ g", d->c, H);
      add_row (rows, &n, "", "h<sub>t</sub> = o ⊙ tanh(c<sub>t</sub>)", d->h, H);
      break;
    case LAB_PLOT_CELL_GRU:
      add_row (rows, &n, "=", gru_pre, d->pre, GH);
      if (d->gates != NULL)
        {
          add_row (rows, &n, "", "r = σ(·)", d->gates, H);
          add_row (rows, &n, "", "z = σ(·)", d->gates + H, H);
          add_row (rows, &n, "", "n = tanh(W<sub>in</sub>x + b<sub>in</sub> + r ⊙ (W<sub>hn</sub>h + b<sub>hn</sub>))",
                   d->gates + 2 * H, H);
        }
      add_row (rows, &n, "", "h<sub>t</sub> = (1 − z) ⊙ n + z ⊙ h<sub>t−1</sub>", d->h, H);
      break;
    case LAB_PLOT_CELL_RNN:
    default:
      add_row (rows, &n, "=", "a<sub>t</sub>", d->pre, GH);
      add_row (rows, &n, "", "h<sub>t</sub> = tanh(a<sub>t</sub>)", d->h, H);
      break;
    }
  return n;
}

/* "(0.12, −0.4, 0.031, …)": as many entries as fit in width. */
static char *
entries (LabPlotPainter *painter,
         const float    *values,
         int             n,
         double          size,
         double          width)
{
  GString *best = g_string_new ("(…)");

  for (int k = 1; k <= MIN (n, 8); k++)
    {
      g_autoptr (GString) s = g_string_new ("(");
      double tw, th;

      for (int i = 0; i < k; i++)
        {
          char v[64];

          lab_format_number (v, sizeof v, values[i], 2);
          g_string_append_printf (s, "%s%s", i == 0 ? "" : ", ", v);
        }
      g_string_append (s, k < n ? ", …)" : ")");
      lab_plot_text_size (painter, s->str, size, FALSE, &tw, &th);
      if (tw > width)
        break;
      g_string_assign (best, s->str);
    }
  return g_string_free (best, FALSE);
}

static char *
cell_title (LabPlotCell cell,
            int         step)
{
  switch (cell)
    {
    case LAB_PLOT_CELL_LSTM:
      /* Translators: the one-step panel's title; %d is the step t */
      return g_strdup_printf (_("One LSTM step, t = %d"), step);
    case LAB_PLOT_CELL_GRU:
      /* Translators: the one-step panel's title; %d is the step t */
      return g_strdup_printf (_("One GRU step, t = %d"), step);
    case LAB_PLOT_CELL_RNN:
    default:
      /* Translators: the one-step panel's title; %d is the step t */
      return g_strdup_printf (_("One RNN step, t = %d"), step);
    }
}

void
lab_step_plot_draw (cairo_t           *cr,
                    int                width,
                    int                height,
                    const LabStepData *data,
                    const LabPlotStyle *style)
{
  LabFrameSpec spec = { .has_title = TRUE };
  LabPlotPainter painter;
  const LabPlotFrame *f;
  const LabRect *a;
  Row rows[MAX_ROWS];
  int n = 0, shown;
  double size, row_h, op_w = 0, term_w = 0, shape_w = 0, tw, th;
  g_autofree char *title = NULL;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  lab_plot_painter_begin (&painter, cr, width, height, style, &spec);
  f = &painter.frame;
  a = &f->area;

  if (data != NULL && data->hidden_size > 0)
    n = build_rows (data, rows);
  if (n == 0)
    {
      lab_plot_draw_hint (&painter, _("Point at a step to see its arithmetic"));
      lab_plot_draw_title (&painter, _("One step"), NULL);
      lab_plot_painter_end (&painter);
      return;
    }

  /* Every row at the body size if they fit; a little smaller if not; the
   * last rows left out below the smallest legible size. */
  size = f->font_px;
  row_h = size * 1.45;
  if (n * row_h > a->height)
    {
      size = MAX (f->font_px * 0.85, a->height / (n * 1.45));
      row_h = size * 1.45;
    }
  shown = MIN (n, (int) floor (a->height / row_h));

  for (int i = 0; i < shown; i++)
    {
      char shape[32];

      lab_plot_text_size (&painter, rows[i].op, size, TRUE, &tw, &th);
      op_w = MAX (op_w, tw);
      lab_plot_markup_size (&painter, rows[i].term, size, FALSE, &tw, &th);
      term_w = MAX (term_w, tw);
      g_snprintf (shape, sizeof shape, "[%d]", rows[i].n);
      lab_plot_text_size (&painter, shape, size, FALSE, &tw, &th);
      shape_w = MAX (shape_w, tw);
    }
  /* Long equations (the GRU's n) may not leave room for values: then the
   * term column is capped and the values keep at least a third. */
  term_w = MIN (term_w, a->width * 0.55);

  for (int i = 0; i < shown; i++)
    {
      double y = a->y + i * row_h + row_h / 2;
      double x = a->x, vx, vw;
      char shape[32];
      g_autofree char *values = NULL;
      gboolean result = rows[i].op[0] == '=' || g_str_has_prefix (rows[i].term, "h<sub>t</sub> =");

      if (result)
        {
          lab_plot_set_color (cr, style->highlight, 0.1);
          cairo_rectangle (cr, a->x - f->pad * 0.5, y - row_h / 2, a->width + f->pad, row_h);
          cairo_fill (cr);
        }
      lab_plot_text (&painter, rows[i].op, size, TRUE, style->foreground, x, y, 0.0, 0.5, FALSE);
      x += op_w + size * 0.5;
      lab_plot_markup_size (&painter, rows[i].term, size, FALSE, &tw, &th);
      if (tw <= term_w + 1)
        lab_plot_markup (&painter, rows[i].term, size, FALSE, style->foreground, x, y, 0.0, 0.5);
      else
        {
          /* Too long for its column: at a size that fits. */
          double s2 = MAX (size * term_w / tw, size * 0.6);

          lab_plot_markup (&painter, rows[i].term, s2, FALSE, style->foreground, x, y, 0.0, 0.5);
        }
      x += term_w + size * 0.6;
      g_snprintf (shape, sizeof shape, "[%d]", rows[i].n);
      lab_plot_text (&painter, shape, size, FALSE, lab_rgb_mix (style->foreground, style->background, 0.35),
                     x, y, 0.0, 0.5, FALSE);
      vx = x + shape_w + size * 0.6;
      vw = a->x + a->width - vx;
      if (vw > size * 2)
        {
          values = entries (&painter, rows[i].values, rows[i].n, size, vw);
          lab_plot_text (&painter, values, size, FALSE, style->foreground, vx, y, 0.0, 0.5, FALSE);
        }
    }

  title = cell_title (data->cell, data->step);
  lab_plot_draw_title (&painter, title, shown < n ? _("(more below)") : NULL);
  for (int i = 0; i < n; i++)
    g_free (rows[i].term);
  lab_plot_painter_end (&painter);
}
