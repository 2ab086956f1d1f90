/* test-rnn.c: every backward function against finite differences of its
 * forward, and full BPTT through the model.
 *
 * The engine computes in float32, so the numerical derivative uses central
 * differences at two step sizes combined by Richardson extrapolation,
 *   D = (4 D(h/2) - D(h)) / 3,  error O(h^4),
 * with the loss summed in double. What is left is float rounding in the
 * forward pass (about 1e-5 absolute here). The checks below allow 1e-3 of
 * the gradient's own scale, and each test of a deliberately wrong gradient
 * (one term left out) shows that the same check rejects it by a wide margin.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "engine/rnn.h"
#include "engine/session.h"
#include "engine/split.h"
#include "engine/stepgemm.h"

#include <cblas.h>
#undef I

#define GRAD_TOL 1e-3

typedef double (*LossFn) (void *ctx);

static void
fill_uniform (float  *a,
              size_t  n,
              float   scale,
              RnnRng *rng)
{
  for (size_t i = 0; i < n; i++)
    a[i] = rnn_rng_uniform (rng, -scale, scale);
}

/* dL/dp[i] for every i, by central differences with Richardson extrapolation. */
static void
numeric_grad (double *out,
              float  *p,
              size_t  n,
              LossFn  loss,
              void   *ctx)
{
  const double h = 1.0 / 64;

  for (size_t i = 0; i < n; i++)
    {
      float saved = p[i];
      double d[2];
      for (int k = 0; k < 2; k++)
        {
          float step = (float) (h / (1 << k));
          float plus = saved + step, minus = saved - step;
          p[i] = plus;
          double lp = loss (ctx);
          p[i] = minus;
          double lm = loss (ctx);
          d[k] = (lp - lm) / ((double) plus - (double) minus);
        }
      p[i] = saved;
      out[i] = (4.0 * d[1] - d[0]) / 3.0;
    }
}

/* Worst error of an analytic gradient, relative to the gradient's scale:
 *   max_i |a_i - n_i| / max (max_j |n_j|, 1e-3) */
static double
grad_error (const float  *analytic,
            const double *numeric,
            size_t        n)
{
  double scale = 1e-3, worst = 0.0;

  for (size_t i = 0; i < n; i++)
    scale = MAX (scale, fabs (numeric[i]));
  for (size_t i = 0; i < n; i++)
    worst = MAX (worst, fabs (analytic[i] - numeric[i]));
  return worst / scale;
}

/* Checks one gradient buffer; backward functions accumulate, so the
 * analytic buffer started at `offset` and that is taken back out first. */
static double
check_grad (const char   *what,
            const float  *analytic_plus_offset,
            float         offset,
            const double *numeric,
            size_t        n)
{
  g_autofree float *a = g_new (float, n);

  for (size_t i = 0; i < n; i++)
    a[i] = analytic_plus_offset[i] - offset;
  double err = grad_error (a, numeric, n);
  g_test_message ("%s: relative error %.2e", what, err);
  return err;
}

/* ---- linear ---------------------------------------------------------------- */

enum { LB = 3, LIN = 4, LOUT = 2 };

typedef struct
{
  float x[LB * LIN], W[LOUT * LIN], b[LOUT], r[LB * LOUT];
} LinearCase;

static double
linear_loss (void *data)
{
  LinearCase *c = data;
  float y[LB * LOUT];
  double L = 0.0;

  /* L = sum r * y: its gradient with respect to y is r */
  linear_forward (y, c->x, c->W, c->b, LB, LIN, LOUT);
  for (int i = 0; i < LB * LOUT; i++)
    L += (double) c->r[i] * y[i];
  return L;
}

static void
test_linear_gradcheck (void)
{
  LinearCase c;
  RnnRng rng;
  float dx[LB * LIN], dW[LOUT * LIN], db[LOUT];
  double num[LB * LIN]; /* the largest of the three */

  rnn_rng_seed (&rng, 1);
  fill_uniform (c.x, LB * LIN, 1.0f, &rng);
  fill_uniform (c.W, LOUT * LIN, 1.0f, &rng);
  fill_uniform (c.b, LOUT, 1.0f, &rng);
  fill_uniform (c.r, LB * LOUT, 1.0f, &rng);

  /* start every gradient at 0.5: backward must add, not overwrite */
  for (int i = 0; i < LB * LIN; i++)
    dx[i] = 0.5f;
  for (int i = 0; i < LOUT * LIN; i++)
    dW[i] = 0.5f;
  db[0] = db[1] = 0.5f;
  linear_backward (dx, dW, db, c.r, c.x, c.W, LB, LIN, LOUT);

  numeric_grad (num, c.x, LB * LIN, linear_loss, &c);
  g_assert_cmpfloat (check_grad ("linear dx", dx, 0.5f, num, LB * LIN), <, GRAD_TOL);
  numeric_grad (num, c.W, LOUT * LIN, linear_loss, &c);
  g_assert_cmpfloat (check_grad ("linear dW", dW, 0.5f, num, LOUT * LIN), <, GRAD_TOL);
  numeric_grad (num, c.b, LOUT, linear_loss, &c);
  g_assert_cmpfloat (check_grad ("linear db", db, 0.5f, num, LOUT), <, GRAD_TOL);
}

/* ---- mse ------------------------------------------------------------------- */

enum { MN = 5 };

typedef struct
{
  float pred[MN], target[MN];
} MseCase;

static double
mse_loss (void *data)
{
  MseCase *c = data;
  float L;

  mse_forward (&L, c->pred, c->target, MN);
  return L;
}

static void
test_mse (void)
{
  MseCase c = { { 0.5f, -1.0f, 2.0f, 0.0f, 0.25f }, { 0.0f, 1.0f, 2.0f, -0.5f, 0.5f } };
  float dpred[MN] = { 0.5f, 0.5f, 0.5f, 0.5f, 0.5f };
  double num[MN];
  float L;

  /* (0.25 + 4 + 0 + 0.25 + 0.0625) / 5 */
  mse_forward (&L, c.pred, c.target, MN);
  g_assert_cmpfloat_with_epsilon (L, 4.5625 / 5, 1e-7);

  mse_backward (dpred, c.pred, c.target, MN);
  numeric_grad (num, c.pred, MN, mse_loss, &c);
  g_assert_cmpfloat (check_grad ("mse dpred", dpred, 0.5f, num, MN), <, GRAD_TOL);
  /* exactly 2 (pred - target) / n */
  g_assert_cmpfloat_with_epsilon (dpred[1] - 0.5f, 2.0 * -2.0 / 5, 1e-7);
}

/* ---- the cell --------------------------------------------------------------- */

enum { CB = 3, CI = 2, CH = 4 };

typedef struct
{
  float x[CB * CI], h_prev[CB * CH];
  float W_ih[CH * CI], W_hh[CH * CH], b_ih[CH], b_hh[CH];
  float r[CB * CH];
} CellCase;

static double
cell_loss (void *data)
{
  CellCase *c = data;
  float h[CB * CH];
  double L = 0.0;

  rnn_cell_forward (h, c->x, c->h_prev, c->W_ih, c->W_hh, c->b_ih, c->b_hh, CB, CI, CH);
  for (int i = 0; i < CB * CH; i++)
    L += (double) c->r[i] * h[i];
  return L;
}

static void
cell_case_init (CellCase *c)
{
  RnnRng rng;

  /* weights of order 1, so tanh works well away from its linear part */
  rnn_rng_seed (&rng, 2);
  fill_uniform (c->x, CB * CI, 1.0f, &rng);
  fill_uniform (c->h_prev, CB * CH, 0.9f, &rng);
  fill_uniform (c->W_ih, CH * CI, 1.0f, &rng);
  fill_uniform (c->W_hh, CH * CH, 1.0f, &rng);
  fill_uniform (c->b_ih, CH, 0.5f, &rng);
  fill_uniform (c->b_hh, CH, 0.5f, &rng);
  fill_uniform (c->r, CB * CH, 1.0f, &rng);
}

typedef struct
{
  float dx[CB * CI], dh_prev[CB * CH];
  float dW_ih[CH * CI], dW_hh[CH * CH], db_ih[CH], db_hh[CH];
} CellGrads;

static void
cell_grads_fill (CellGrads *g,
                 float      value)
{
  float *f = (float *) g;

  for (size_t i = 0; i < sizeof *g / sizeof (float); i++)
    f[i] = value;
}

static void
test_cell_gradcheck (void)
{
  CellCase c;
  CellGrads g;
  float h[CB * CH], dpre[CB * CH];
  double num[CH * CH];

  cell_case_init (&c);
  rnn_cell_forward (h, c.x, c.h_prev, c.W_ih, c.W_hh, c.b_ih, c.b_hh, CB, CI, CH);
  cell_grads_fill (&g, 0.5f);
  rnn_cell_backward (g.dx, g.dh_prev, g.dW_ih, g.dW_hh, g.db_ih, g.db_hh, dpre,
                     c.r, h, c.x, c.h_prev, c.W_ih, c.W_hh, CB, CI, CH);

  numeric_grad (num, c.x, CB * CI, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell dx", g.dx, 0.5f, num, CB * CI), <, GRAD_TOL);
  numeric_grad (num, c.h_prev, CB * CH, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell dh_prev", g.dh_prev, 0.5f, num, CB * CH), <, GRAD_TOL);
  numeric_grad (num, c.W_ih, CH * CI, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell dW_ih", g.dW_ih, 0.5f, num, CH * CI), <, GRAD_TOL);
  numeric_grad (num, c.W_hh, CH * CH, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell dW_hh", g.dW_hh, 0.5f, num, CH * CH), <, GRAD_TOL);
  numeric_grad (num, c.b_ih, CH, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell db_ih", g.db_ih, 0.5f, num, CH), <, GRAD_TOL);
  numeric_grad (num, c.b_hh, CH, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell db_hh", g.db_hh, 0.5f, num, CH), <, GRAD_TOL);
}

/* The same check rejects a cell backward that forgets tanh' = 1 - h^2
 * (fed h = 0 in place of the cached h). */
static void
test_cell_gradcheck_detects_missing_tanh (void)
{
  CellCase c;
  CellGrads g;
  float h[CB * CH], zeros[CB * CH] = { 0 }, dpre[CB * CH];
  double num[CH * CH];

  cell_case_init (&c);
  rnn_cell_forward (h, c.x, c.h_prev, c.W_ih, c.W_hh, c.b_ih, c.b_hh, CB, CI, CH);
  cell_grads_fill (&g, 0.0f);
  rnn_cell_backward (g.dx, g.dh_prev, g.dW_ih, g.dW_hh, g.db_ih, g.db_hh, dpre,
                     c.r, zeros, c.x, c.h_prev, c.W_ih, c.W_hh, CB, CI, CH);
  numeric_grad (num, c.W_hh, CH * CH, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell dW_hh without (1 - h^2)", g.dW_hh, 0.0f, num, CH * CH), >, 10 * GRAD_TOL);
  numeric_grad (num, c.b_ih, CH, cell_loss, &c);
  g_assert_cmpfloat (check_grad ("cell db_ih without (1 - h^2)", g.db_ih, 0.0f, num, CH), >, 10 * GRAD_TOL);
}

/* ---- LSTM and GRU, one step ---------------------------------------------------- */

typedef struct
{
  RnnCell cell;
  float x[CB * CI], h_prev[CB * CH], c_prev[CB * CH];
  float W_ih[4 * CH * CI], W_hh[4 * CH * CH], b_ih[4 * CH], b_hh[4 * CH];
  float r[CB * CH], q[CB * CH]; /* L = sum r h_t + sum q c_t */
} GateCase;

typedef struct
{
  float dx[CB * CI], dh_prev[CB * CH], dc_prev[CB * CH];
  float dW_ih[4 * CH * CI], dW_hh[4 * CH * CH], db_ih[4 * CH], db_hh[4 * CH];
} GateGrads;

static double
gate_loss (void *data)
{
  GateCase *c = data;
  float h[CB * CH], cs[CB * CH] = { 0 }, gates[CB * 4 * CH];
  double L = 0.0;

  if (c->cell == RNN_CELL_LSTM)
    lstm_cell_forward (h, cs, gates, c->x, c->h_prev, c->c_prev, c->W_ih, c->W_hh,
                       c->b_ih, c->b_hh, CB, CI, CH);
  else
    gru_cell_forward (h, gates, c->x, c->h_prev, c->W_ih, c->W_hh, c->b_ih, c->b_hh, CB, CI, CH);
  for (int i = 0; i < CB * CH; i++)
    L += (double) c->r[i] * h[i] + (double) c->q[i] * cs[i];
  return L;
}

static void
gate_case_init (GateCase *c,
                RnnCell   cell)
{
  RnnRng rng;
  int G = rnn_cell_gate_count (cell);

  memset (c, 0, sizeof *c);
  c->cell = cell;
  rnn_rng_seed (&rng, 5);
  fill_uniform (c->x, CB * CI, 1.0f, &rng);
  fill_uniform (c->h_prev, CB * CH, 0.9f, &rng);
  fill_uniform (c->c_prev, CB * CH, 1.5f, &rng);
  fill_uniform (c->W_ih, G * CH * CI, 1.0f, &rng);
  fill_uniform (c->W_hh, G * CH * CH, 1.0f, &rng);
  fill_uniform (c->b_ih, G * CH, 0.5f, &rng);
  fill_uniform (c->b_hh, G * CH, 0.5f, &rng);
  fill_uniform (c->r, CB * CH, 1.0f, &rng);
  if (cell == RNN_CELL_LSTM)
    fill_uniform (c->q, CB * CH, 1.0f, &rng);
}

typedef enum
{
  GATE_CORRECT,
  GATE_NO_LATER_DC,   /* lstm: dL/dc_t from later steps left out */
  GATE_STALE_CELL,    /* lstm: c_{t-1} cached in place of c_t */
  GATE_NO_H_PREV,     /* gru: h_{t-1} taken as 0 in the backward */
} GateVariant;

/* The cell's backward, accumulating on top of `start`, as the variant says. */
static void
gate_backward (GateGrads   *g,
               GateCase    *c,
               GateVariant  variant,
               float        start)
{
  float h[CB * CH], cs[CB * CH], gates[CB * 4 * CH], dgates[CB * 4 * CH];
  float *f = (float *) g;

  for (size_t i = 0; i < sizeof *g / sizeof (float); i++)
    f[i] = start;
  if (c->cell == RNN_CELL_LSTM)
    {
      lstm_cell_forward (h, cs, gates, c->x, c->h_prev, c->c_prev, c->W_ih, c->W_hh,
                         c->b_ih, c->b_hh, CB, CI, CH);
      lstm_cell_backward (g->dx, g->dh_prev, g->dc_prev, g->dW_ih, g->dW_hh, g->db_ih, g->db_hh,
                          dgates, c->r, variant == GATE_NO_LATER_DC ? NULL : c->q, gates,
                          variant == GATE_STALE_CELL ? c->c_prev : cs,
                          c->x, c->h_prev, c->c_prev, c->W_ih, c->W_hh, CB, CI, CH);
    }
  else
    {
      gru_cell_forward (h, gates, c->x, c->h_prev, c->W_ih, c->W_hh, c->b_ih, c->b_hh, CB, CI, CH);
      gru_cell_backward (g->dx, g->dh_prev, g->dW_ih, g->dW_hh, g->db_ih, g->db_hh,
                         dgates, c->r, gates, c->x, variant == GATE_NO_H_PREV ? NULL : c->h_prev,
                         c->W_ih, c->W_hh, CB, CI, CH);
    }
}

/* The worst of the checks of every gradient the cell's backward gives. */
static double
gate_check (GateCase  *c,
            GateGrads *g,
            float      start)
{
  int G = rnn_cell_gate_count (c->cell);
  const char *name = rnn_cell_name (c->cell);
  double num[4 * CH * CH], worst = 0.0;
  struct { const char *what; float *p; const float *a; size_t n; } v[] = {
    { "dx", c->x, g->dx, CB * CI },
    { "dh_prev", c->h_prev, g->dh_prev, CB * CH },
    { "dc_prev", c->c_prev, g->dc_prev, CB * CH },
    { "dW_ih", c->W_ih, g->dW_ih, (size_t) G * CH * CI },
    { "dW_hh", c->W_hh, g->dW_hh, (size_t) G * CH * CH },
    { "db_ih", c->b_ih, g->db_ih, (size_t) G * CH },
    { "db_hh", c->b_hh, g->db_hh, (size_t) G * CH },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (v); k++)
    {
      if (c->cell != RNN_CELL_LSTM && v[k].p == c->c_prev)
        continue;
      g_autofree char *what = g_strdup_printf ("%s %s", name, v[k].what);
      numeric_grad (num, v[k].p, v[k].n, gate_loss, c);
      worst = MAX (worst, check_grad (what, v[k].a, start, num, v[k].n));
    }
  return worst;
}

static void
test_gate_cell_gradcheck (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);
  GateCase c;
  GateGrads g;

  gate_case_init (&c, cell);
  /* start every gradient at 0.5: backward must add, not overwrite */
  gate_backward (&g, &c, GATE_CORRECT, 0.5f);
  g_assert_cmpfloat (gate_check (&c, &g, 0.5f), <, GRAD_TOL);
}

/* The same check rejects a backward fed a wrong input. */
static void
test_gate_cell_gradcheck_detects_wrong (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);
  GateVariant lstm[] = { GATE_NO_LATER_DC, GATE_STALE_CELL }, gru[] = { GATE_NO_H_PREV };
  GateVariant *wrong = cell == RNN_CELL_LSTM ? lstm : gru;
  int n_wrong = cell == RNN_CELL_LSTM ? 2 : 1;
  GateCase c;
  GateGrads g;

  gate_case_init (&c, cell);
  for (int k = 0; k < n_wrong; k++)
    {
      gate_backward (&g, &c, wrong[k], 0.0f);
      g_assert_cmpfloat (gate_check (&c, &g, 0.0f), >, 10 * GRAD_TOL);
    }
}

/* ---- the model: full BPTT, every cell ------------------------------------------ */

typedef struct
{
  RnnModel *m;
  int T, B;
  float *x;      /* (T, B, I) */
  float *target; /* (B, O) */
  float *y;      /* (B, O) */
  float *hs;     /* (T+1, B, H) */
} ModelCase;

static double
model_loss (void *data)
{
  ModelCase *c = data;
  int n = c->B * c->m->O;
  double L = 0.0;

  rnn_model_forward (c->y, c->hs, c->x, c->m, c->T, c->B);
  for (int i = 0; i < n; i++)
    {
      double d = (double) c->y[i] - c->target[i];
      L += d * d;
    }
  return L / n;
}

static ModelCase *
model_case_new (RnnCell cell,
                int     I,
                int     H,
                int     O,
                int     T,
                int     B)
{
  ModelCase *c = g_new0 (ModelCase, 1);
  RnnRng rng;

  c->m = rnn_model_new (cell, I, H, O);
  c->T = T;
  c->B = B;
  c->x = g_new (float, T * B * I);
  c->target = g_new (float, B * O);
  c->y = g_new (float, B * O);
  c->hs = g_new (float, (T + 1) * B * H);

  rnn_rng_seed (&rng, 3);
  /* larger than PyTorch's init so that every step's nonlinearities bend
   * and the recurrent path carries a real share of the gradient */
  fill_uniform (c->m->params, c->m->n_params, 0.8f, &rng);
  fill_uniform (c->x, T * B * I, 1.0f, &rng);
  fill_uniform (c->target, B * O, 1.0f, &rng);
  return c;
}

static void
model_case_free (ModelCase *c)
{
  rnn_model_free (c->m);
  g_free (c->x);
  g_free (c->target);
  g_free (c->y);
  g_free (c->hs);
  g_free (c);
}

/* The model's forward written out with the one-step cell functions:
 * hs, cs (T+1, B, H) and gates (T, B, 4H). */
typedef struct
{
  float *hs, *cs, *gates;
} CellRun;

static void
forward_with_cells (CellRun   *run,
                    ModelCase *c)
{
  RnnModel *m = c->m;
  int I = m->I, H = m->H, T = c->T, B = c->B;
  size_t BH = (size_t) B * H;
  const float *W_ih = rnn_model_tensor (m, RNN_TENSOR_W_IH, NULL, NULL);
  const float *W_hh = rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL);
  const float *b_ih = rnn_model_tensor (m, RNN_TENSOR_B_IH, NULL, NULL);
  const float *b_hh = rnn_model_tensor (m, RNN_TENSOR_B_HH, NULL, NULL);

  memset (run->hs, 0, BH * sizeof (float));
  memset (run->cs, 0, BH * sizeof (float));
  for (int t = 1; t <= T; t++)
    {
      float *h = run->hs + t * BH, *cs = run->cs + t * BH, *g = run->gates + (t - 1) * 4 * BH;
      const float *x = c->x + (t - 1) * B * I, *h_prev = t > 1 ? h - BH : NULL;
      switch (m->cell)
        {
        case RNN_CELL_RNN:
          rnn_cell_forward (h, x, h_prev, W_ih, W_hh, b_ih, b_hh, B, I, H);
          break;
        case RNN_CELL_LSTM:
          lstm_cell_forward (h, cs, g, x, h_prev, t > 1 ? cs - BH : NULL, W_ih, W_hh, b_ih, b_hh, B, I, H);
          break;
        default:
          gru_cell_forward (h, g, x, h_prev, W_ih, W_hh, b_ih, b_hh, B, I, H);
        }
    }
}

static CellRun *
cell_run_new (ModelCase *c)
{
  CellRun *run = g_new (CellRun, 1);
  size_t BH = (size_t) c->B * c->m->H;

  run->hs = g_new0 (float, (c->T + 1) * BH);
  run->cs = g_new0 (float, (c->T + 1) * BH);
  run->gates = g_new0 (float, c->T * 4 * BH);
  return run;
}

static void
cell_run_free (CellRun *run)
{
  g_free (run->hs);
  g_free (run->cs);
  g_free (run->gates);
  g_free (run);
}

typedef enum
{
  BPTT_CORRECT,
  BPTT_NO_RECURRENT_TERM, /* dh_{t-1} += dpre_t W_hh left out */
  BPTT_NO_TANH_DERIVATIVE,/* rnn: (1 - h_t^2) left out */
  BPTT_MISSING_FIRST_STEP,/* the step t = 1 left out */
  BPTT_NO_CELL_CARRY,     /* lstm: dc_{t-1} = dc_t s(f) left out */
} BpttVariant;

/* BPTT written out with the cell and linear layers, step by step: the
 * reference for rnn_model_backward, and a way to build wrong gradients.
 * dh_norms (T) (may be NULL) receives |dL/dh_t| as the steps see it. */
static void
bptt_with_cells (float       *grads,
                 float       *dh_norms,
                 ModelCase   *c,
                 BpttVariant  variant)
{
  RnnModel *m = c->m;
  int I = m->I, H = m->H, O = m->O, T = c->T, B = c->B;
  size_t BH = (size_t) B * H;
  g_autofree float *dy = g_new0 (float, B * O);
  g_autofree float *dh = g_new0 (float, BH);
  g_autofree float *dh_prev = g_new0 (float, BH);
  g_autofree float *dc = g_new0 (float, BH);
  g_autofree float *dc_prev = g_new0 (float, BH);
  g_autofree float *dg = g_new0 (float, 4 * BH);
  g_autofree float *zeros = g_new0 (float, BH);
  CellRun *run = cell_run_new (c);
  float *saved = m->grads;
  float *dW_ih = NULL, *dW_hh, *db_ih, *db_hh;
  const float *W_ih = rnn_model_tensor (m, RNN_TENSOR_W_IH, NULL, NULL);
  const float *W_hh = rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL);

  model_loss (c); /* fills y */
  forward_with_cells (run, c);
  m->grads = grads;
  rnn_model_zero_grad (m);
  dW_ih = rnn_model_grad_tensor (m, RNN_TENSOR_W_IH, NULL, NULL);
  dW_hh = rnn_model_grad_tensor (m, RNN_TENSOR_W_HH, NULL, NULL);
  db_ih = rnn_model_grad_tensor (m, RNN_TENSOR_B_IH, NULL, NULL);
  db_hh = rnn_model_grad_tensor (m, RNN_TENSOR_B_HH, NULL, NULL);
  mse_backward (dy, c->y, c->target, B * O);
  linear_backward (dh, rnn_model_grad_tensor (m, RNN_TENSOR_FC_W, NULL, NULL),
                   rnn_model_grad_tensor (m, RNN_TENSOR_FC_B, NULL, NULL),
                   dy, run->hs + T * BH, rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL), B, H, O);
  for (int t = T; t >= (variant == BPTT_MISSING_FIRST_STEP ? 2 : 1); t--)
    {
      const float *x = c->x + (t - 1) * B * I, *h_prev = run->hs + (t - 1) * BH;
      float *dhp = variant == BPTT_NO_RECURRENT_TERM ? NULL : dh_prev;
      double ss = 0.0;

      for (size_t i = 0; i < BH; i++)
        ss += (double) dh[i] * dh[i];
      if (dh_norms != NULL)
        dh_norms[t - 1] = (float) sqrt (ss);
      memset (dh_prev, 0, BH * sizeof (float));
      memset (dc_prev, 0, BH * sizeof (float));
      switch (m->cell)
        {
        case RNN_CELL_RNN:
          rnn_cell_backward (NULL, dhp, dW_ih, dW_hh, db_ih, db_hh, dg, dh,
                             variant == BPTT_NO_TANH_DERIVATIVE ? zeros : run->hs + t * BH,
                             x, h_prev, W_ih, W_hh, B, I, H);
          break;
        case RNN_CELL_LSTM:
          lstm_cell_backward (NULL, dhp, variant == BPTT_NO_CELL_CARRY ? NULL : dc_prev,
                              dW_ih, dW_hh, db_ih, db_hh, dg, dh, dc,
                              run->gates + (t - 1) * 4 * BH, run->cs + t * BH,
                              x, h_prev, run->cs + (t - 1) * BH, W_ih, W_hh, B, I, H);
          break;
        default:
          gru_cell_backward (NULL, dhp, dW_ih, dW_hh, db_ih, db_hh, dg, dh,
                             run->gates + (t - 1) * 4 * BH, x, h_prev, W_ih, W_hh, B, I, H);
        }
      memcpy (dh, dh_prev, BH * sizeof (float));
      memcpy (dc, dc_prev, BH * sizeof (float));
    }
  m->grads = saved;
  cell_run_free (run);
}

static void
model_gradcheck (RnnCell cell,
                 int     I,
                 int     H,
                 int     O,
                 int     T,
                 int     B)
{
  ModelCase *c = model_case_new (cell, I, H, O, T, B);
  RnnModel *m = c->m;
  size_t n = m->n_params;
  g_autofree double *num = g_new (double, n);
  g_autofree float *dy = g_new0 (float, B * O);
  g_autofree float *by_cells = g_new (float, n);
  g_autofree float *norms = g_new (float, T);
  g_autofree float *norms_by_cells = g_new (float, T);

  /* analytic: rnn_model_backward, accumulating on top of 0.5 */
  model_loss (c);
  mse_backward (dy, c->y, c->target, B * O);
  for (size_t i = 0; i < n; i++)
    m->grads[i] = 0.5f;
  rnn_model_backward (m, dy, c->hs, c->x, T, B);

  numeric_grad (num, m->params, n, model_loss, c);
  g_autofree char *what = g_strdup_printf ("%s BPTT", rnn_cell_name (cell));
  g_assert_cmpfloat (check_grad (what, m->grads, 0.5f, num, n), <, GRAD_TOL);

  /* the step-by-step version agrees with the batched one */
  bptt_with_cells (by_cells, norms_by_cells, c, BPTT_CORRECT);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (by_cells[i], m->grads[i] - 0.5f, 1e-5);

  /* and so do the norms of dL/dh_t the batched pass reports */
  model_loss (c);
  rnn_model_zero_grad (m);
  rnn_model_backward_work (m, norms, m->work, dy, c->hs, c->x, T, B, NULL);
  for (int t = 0; t < T; t++)
    g_assert_cmpfloat_with_epsilon (norms[t], norms_by_cells[t], 1e-5 * MAX (1.0, norms_by_cells[t]));
  g_assert_cmpfloat (norms[T - 1], >, 0.0);

  model_case_free (c);
}

static void
test_model_gradcheck (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);

  model_gradcheck (cell, 1, 6, 1, 5, 3);   /* the tutorial's I = O = 1 */
  model_gradcheck (cell, 2, 5, 2, 4, 2);   /* general input and output sizes */
  model_gradcheck (cell, 1, 3, 1, 1, 4);   /* a single step: no recurrence */
}

/* Each wrong BPTT fails the very check the real one passes. */
static void
test_model_gradcheck_detects_wrong (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);
  const struct { BpttVariant v; RnnCell only; const char *name; } wrong[] = {
    { BPTT_NO_RECURRENT_TERM, RNN_N_CELLS, "BPTT without the recurrent term" },
    { BPTT_MISSING_FIRST_STEP, RNN_N_CELLS, "BPTT missing step t = 1" },
    { BPTT_NO_TANH_DERIVATIVE, RNN_CELL_RNN, "BPTT without (1 - h^2)" },
    { BPTT_NO_CELL_CARRY, RNN_CELL_LSTM, "BPTT without dc_{t-1} = dc_t s(f)" },
  };
  ModelCase *c = model_case_new (cell, 1, 6, 1, 5, 3);
  size_t n = c->m->n_params;
  g_autofree double *num = g_new (double, n);
  g_autofree float *grads = g_new (float, n);
  int checked = 0;

  numeric_grad (num, c->m->params, n, model_loss, c);

  bptt_with_cells (grads, NULL, c, BPTT_CORRECT);
  g_assert_cmpfloat (check_grad ("BPTT by cells", grads, 0.0f, num, n), <, GRAD_TOL);

  for (size_t k = 0; k < G_N_ELEMENTS (wrong); k++)
    if (wrong[k].only == RNN_N_CELLS || wrong[k].only == cell)
      {
        bptt_with_cells (grads, NULL, c, wrong[k].v);
        g_assert_cmpfloat (check_grad (wrong[k].name, grads, 0.0f, num, n), >, 10 * GRAD_TOL);
        checked++;
      }
  g_assert_cmpint (checked, >=, 2);
  model_case_free (c);
}

/* rnn_model_forward is the cell applied T times, then the linear layer; and
 * one window's states and gates, as the views get them, are the batch's. */
static void
test_model_forward_matches_cells (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);
  ModelCase *c = model_case_new (cell, 2, 5, 2, 4, 3);
  RnnModel *m = c->m;
  int I = m->I, H = m->H, O = m->O, T = c->T, B = c->B, G = rnn_cell_gate_count (cell);
  size_t BH = (size_t) B * H;
  CellRun *run = cell_run_new (c);
  float y[3 * 2];

  /* the RNN's forward needs no work of its own: size it for the gates */
  g_assert_cmpint (rnn_model_reserve (m, T, B), ==, RNN_OK);
  model_loss (c);
  forward_with_cells (run, c);
  linear_forward (y, run->hs + T * BH, rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL),
                  rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL), B, H, O);
  for (size_t i = 0; i < (T + 1) * BH; i++)
    g_assert_cmpfloat_with_epsilon (run->hs[i], c->hs[i], 1e-6);
  for (int i = 0; i < B * O; i++)
    g_assert_cmpfloat_with_epsilon (y[i], c->y[i], 1e-6);

  /* window b alone, from the raw parameters */
  for (int b = 0; b < B; b++)
    {
      g_autofree float *x = g_new (float, T * I);
      g_autofree float *hs = g_new (float, T * H);
      g_autofree float *cs = g_new (float, T * H);
      g_autofree float *gates = g_new (float, T * G * H);
      g_autofree float *gates_batch = g_new (float, T * G * H);
      g_autofree float *cs_batch = g_new (float, T * H);

      for (int t = 0; t < T; t++)
        memcpy (x + t * I, c->x + (t * B + b) * I, I * sizeof (float));
      rnn_window_states (cell, hs, cs, gates, x, m->params, T, I, H, O);
      rnn_work_window_gates (gates_batch, m->work, c->hs, b, T, B);
      rnn_work_window_state (cs_batch, m->work, b, T, B);
      for (int t = 0; t < T; t++)
        for (int j = 0; j < H; j++)
          {
            g_assert_cmpfloat_with_epsilon (hs[t * H + j], c->hs[((t + 1) * B + b) * H + j], 1e-6);
            g_assert_cmpfloat_with_epsilon (cs[t * H + j], cs_batch[t * H + j], 1e-6);
            if (cell == RNN_CELL_LSTM)
              g_assert_cmpfloat_with_epsilon (cs[t * H + j], run->cs[((t + 1) * B + b) * H + j], 1e-6);
          }
      for (int i = 0; i < T * G * H; i++)
        {
          g_assert_cmpfloat_with_epsilon (gates[i], gates_batch[i], 1e-6);
          /* activations: sigmoids in [0, 1], tanh in [-1, 1] */
          g_assert_cmpfloat (fabsf (gates[i]), <=, 1.0f);
        }
    }
  cell_run_free (run);
  model_case_free (c);
}

/* The recurrence split by rows between two threads (split.h) computes
 * what the whole loops compute, to rounding, with an odd B so that the two
 * halves differ in size; and twice the same, bit for bit. */
static void
test_model_split (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);
  enum { I = 2, H = 6, O = 3, T = 4, B = 7 };
  RnnModel *m = rnn_model_new (cell, I, H, O);
  RnnRng rng;
  RnnSplit *split = rnn_split_new ();
  RnnWork *w = rnn_work_new (cell, T, B, H, 1);
  float x[T * B * I], dy[B * O], y[3][B * O], norms[3][T];
  float hs[3][(T + 1) * B * H];
  g_autofree float *grads = g_new0 (float, 3 * m->n_params);

  g_assert_nonnull (split);
  g_assert_nonnull (w);
  rnn_rng_seed (&rng, 3);
  rnn_model_init_uniform (m, &rng);
  for (int i = 0; i < T * B * I; i++)
    x[i] = sinf (0.7f * (float) i);
  for (int i = 0; i < B * O; i++)
    dy[i] = cosf (0.3f * (float) i);

  /* k = 0 whole, k = 1 and 2 split */
  for (int k = 0; k < 3; k++)
    {
      RnnSplit *sp = k == 0 ? NULL : split;
      rnn_model_forward_work (y[k], hs[k], w, x, m, T, B, sp);
      rnn_model_zero_grad (m);
      rnn_model_backward_work (m, norms[k], w, dy, hs[k], x, T, B, sp);
      memcpy (grads + k * m->n_params, m->grads, m->n_params * sizeof (float));
    }

  for (int i = 0; i < B * O; i++)
    g_assert_cmpfloat_with_epsilon (y[1][i], y[0][i], 1e-6);
  for (int i = 0; i < (T + 1) * B * H; i++)
    g_assert_cmpfloat_with_epsilon (hs[1][i], hs[0][i], 1e-6);
  for (size_t i = 0; i < m->n_params; i++)
    g_assert_cmpfloat_with_epsilon (grads[m->n_params + i], grads[i], 1e-5);
  for (int t = 0; t < T; t++)
    g_assert_cmpfloat_with_epsilon (norms[1][t], norms[0][t], 1e-5);
  g_assert_true (memcmp (y[1], y[2], sizeof y[1]) == 0);
  g_assert_true (memcmp (hs[1], hs[2], sizeof hs[1]) == 0);
  g_assert_true (memcmp (norms[1], norms[2], sizeof norms[1]) == 0);
  g_assert_true (memcmp (grads + m->n_params, grads + 2 * m->n_params,
                         m->n_params * sizeof (float)) == 0);

  rnn_work_free (w);
  rnn_split_free (split);
  rnn_model_free (m);
}

/* ---- The step products ----------------------------------------------------------- */

/* rnn_step_gemm_run (libxsmm's kernel, or cblas_sgemm without it) against
 * cblas_sgemm, at the shapes of the step products (the rows of a batch or
 * of half of one, odd ones too; N and K from H to 4H; the leading
 * dimensions wider than the matrices, as the gate buffers are), beta 0
 * and 1; and nothing written outside the (M, N) block of C: the gate
 * buffer holds the GRU's input part of n beside it. */
static void
test_step_gemm (void)
{
  static const int shapes[][3] = {
    { 1, 50, 50 }, { 7, 24, 6 }, { 31, 200, 50 }, { 62, 50, 200 }, { 62, 150, 50 },
    { 33, 128, 512 }, { 64, 17, 5 },
  };
  RnnRng rng;

  rnn_rng_seed (&rng, 11);
  g_test_message ("step products by %s", rnn_step_gemm_backend ());
  for (size_t k = 0; k < G_N_ELEMENTS (shapes); k++)
    for (int beta = 0; beta <= 1; beta++)
      {
        int M = shapes[k][0], N = shapes[k][1], K = shapes[k][2];
        int lda = K + 3, ldb = N + 5, ldc = N + 7;
        g_autofree float *A = g_new (float, (size_t) M * lda);
        g_autofree float *Bm = g_new (float, (size_t) K * ldb);
        g_autofree float *C = g_new (float, (size_t) M * ldc);
        g_autofree float *ref = g_new (float, (size_t) M * ldc);
        RnnStepGemm g;

        fill_uniform (A, (size_t) M * lda, 1.0f, &rng);
        fill_uniform (Bm, (size_t) K * ldb, 1.0f, &rng);
        fill_uniform (C, (size_t) M * ldc, 1.0f, &rng);
        memcpy (ref, C, (size_t) M * ldc * sizeof (float));

        rnn_step_gemm_prepare (&g, M, N, K, lda, ldb, ldc, (float) beta);
        rnn_step_gemm_run (&g, C, A, Bm);
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K,
                     1.0f, A, lda, Bm, ldb, (float) beta, ref, ldc);

        for (int i = 0; i < M; i++)
          for (int j = 0; j < ldc; j++)
            {
              float want = ref[(size_t) i * ldc + j], got = C[(size_t) i * ldc + j];
              if (j < N)
                /* sums of K products of magnitude up to 1 */
                g_assert_cmpfloat_with_epsilon (got, want, 1e-6 * K + 1e-6);
              else
                g_assert_true (got == want); /* untouched, bit for bit */
            }
      }
}

/* ---- tanh ------------------------------------------------------------------------ */

static void
test_tanh (void)
{
  enum { N = 200001 };
  g_autofree float *x = g_new (float, N);
  g_autofree float *y = g_new (float, N);
  double worst = 0.0;

  /* a dense sweep of [-10, 10], plus the tiny values near 0 */
  for (int i = 0; i < N; i++)
    x[i] = y[i] = (float) (-10.0 + 20.0 * i / (N - 1));
  x[0] = y[0] = 1e-30f;
  x[1] = y[1] = -3e-8f;
  rnn_tanh_inplace (y, N);
  for (int i = 0; i < N; i++)
    {
      double exact = tanh ((double) x[i]);
      /* error in units of float's spacing at the exact value */
      double ulp = fabs (exact) < 1e-30 ? 1e-45 : nextafterf ((float) fabs (exact), 2.0f) - (float) fabs (exact);
      worst = MAX (worst, fabs (y[i] - exact) / ulp);
      g_assert_cmpfloat (fabsf (y[i]), <=, 1.0f);
    }
  g_test_message ("tanh: worst error %.2f ULP", worst);
  g_assert_cmpfloat (worst, <=, 8.0);

  float special[6] = { NAN, INFINITY, -INFINITY, 50.0f, -0.0f, 0.0f };
  rnn_tanh_inplace (special, 6);
  g_assert_true (isnan (special[0]));
  g_assert_cmpfloat (special[1], ==, 1.0f);
  g_assert_cmpfloat (special[2], ==, -1.0f);
  g_assert_cmpfloat (special[3], ==, 1.0f);
  g_assert_cmpfloat (special[4], ==, 0.0f);
  g_assert_cmpfloat (special[5], ==, 0.0f);
}

/* ---- the model's buffers -------------------------------------------------------- */

static void
test_model_layout (void)
{
  RnnModel *m = rnn_model_new (RNN_CELL_RNN, 1, 50, 1);
  int rows, cols;

  g_assert_cmpuint (m->n_params, ==, 50 + 2500 + 50 + 50 + 50 + 1);
  g_assert_true (rnn_model_tensor (m, RNN_TENSOR_W_IH, &rows, &cols) == m->params);
  g_assert_cmpint (rows, ==, 50);
  g_assert_cmpint (cols, ==, 1);
  g_assert_true (rnn_model_tensor (m, RNN_TENSOR_W_HH, &rows, &cols) == m->params + 50);
  g_assert_cmpint (rows * cols, ==, 2500);
  g_assert_true (rnn_model_tensor (m, RNN_TENSOR_FC_W, &rows, &cols) == m->params + 2650);
  g_assert_cmpint (rows, ==, 1);
  g_assert_cmpint (cols, ==, 50);
  g_assert_true (rnn_model_grad_tensor (m, RNN_TENSOR_FC_B, &rows, &cols) == m->grads + 2700);
  g_assert_cmpstr (rnn_tensor_name (RNN_TENSOR_B_HH), ==, "rnn.bias_hh_l0");
  g_assert_cmpstr (rnn_tensor_name (RNN_TENSOR_FC_W), ==, "fc.weight");
  g_assert_cmpint (rnn_tensor_ndim (RNN_TENSOR_W_IH), ==, 2);
  g_assert_cmpint (rnn_tensor_ndim (RNN_TENSOR_FC_B), ==, 1);
  g_assert_true (rnn_model_all_finite (m));
  m->params[1234] = NAN;
  g_assert_false (rnn_model_all_finite (m));
  m->params[1234] = -INFINITY;
  g_assert_false (rnn_model_all_finite (m));
  rnn_model_free (m);

  g_assert_null (rnn_model_new (RNN_CELL_RNN, 1, RNN_HIDDEN_MAX + 1, 1));
  g_assert_null (rnn_model_new (RNN_CELL_RNN, 1, 0, 1));
  g_assert_null (rnn_model_new (RNN_N_CELLS, 1, 8, 1));
}

/* PyTorch's shapes: nn.LSTM(1, 50) has weight_ih_l0 [200, 1], weight_hh_l0
 * [200, 50], both biases [200]; nn.GRU(1, 50) the same with 150. */
static void
test_cell_layout (void)
{
  const struct { RnnCell cell; const char *name; int G; size_t n; } cells[] = {
    { RNN_CELL_RNN, "rnn", 1, 50 + 2500 + 100 + 51 },
    { RNN_CELL_LSTM, "lstm", 4, 200 + 10000 + 400 + 51 },
    { RNN_CELL_GRU, "gru", 3, 150 + 7500 + 300 + 51 },
  };
  const char *gates[] = { "tanh", "i", "f", "g", "o", "r", "z", "n" };
  int gate = 0;

  for (size_t k = 0; k < G_N_ELEMENTS (cells); k++)
    {
      RnnCell cell = cells[k].cell, parsed = RNN_N_CELLS;
      RnnModel *m = rnn_model_new (cell, 1, 50, 1);
      int rows, cols;

      g_assert_cmpstr (rnn_cell_name (cell), ==, cells[k].name);
      g_assert_cmpint (rnn_cell_from_name (cells[k].name, &parsed), ==, 0);
      g_assert_cmpint (parsed, ==, cell);
      g_assert_cmpint (rnn_cell_gate_count (cell), ==, cells[k].G);
      g_assert_cmpint (rnn_cell_has_state (cell), ==, cell == RNN_CELL_LSTM);
      for (int j = 0; j < cells[k].G; j++)
        g_assert_cmpstr (rnn_cell_gate_name (cell, j), ==, gates[gate++]);
      g_assert_null (rnn_cell_gate_name (cell, cells[k].G));
      g_assert_cmpuint (rnn_model_n_params (cell, 1, 50, 1), ==, cells[k].n);
      g_assert_cmpuint (m->n_params, ==, cells[k].n);

      rnn_tensor_shape (cell, RNN_TENSOR_W_IH, 1, 50, 1, &rows, &cols);
      g_assert_cmpint (rows, ==, 50 * cells[k].G);
      g_assert_cmpint (cols, ==, 1);
      g_assert_true (rnn_model_tensor (m, RNN_TENSOR_W_HH, &rows, &cols) == m->params + 50 * cells[k].G);
      g_assert_cmpint (rows, ==, 50 * cells[k].G);
      g_assert_cmpint (cols, ==, 50);
      rnn_tensor_shape (cell, RNN_TENSOR_B_HH, 1, 50, 1, &rows, &cols);
      g_assert_cmpint (rows, ==, 50 * cells[k].G);
      rnn_tensor_shape (cell, RNN_TENSOR_FC_W, 1, 50, 1, &rows, &cols);
      g_assert_cmpint (rows * cols, ==, 50);
      g_assert_true (rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL) == m->params + m->n_params - 1);

      /* PyTorch's init: every parameter in U(-1/sqrt(H), 1/sqrt(H)), not all equal */
      RnnRng rng;
      float lo = 1.0f, hi = -1.0f;
      rnn_rng_seed (&rng, 0);
      rnn_model_init_uniform (m, &rng);
      for (size_t i = 0; i < m->n_params; i++)
        {
          lo = MIN (lo, m->params[i]);
          hi = MAX (hi, m->params[i]);
        }
      g_assert_cmpfloat (lo, >=, -1.0f / sqrtf (50.0f));
      g_assert_cmpfloat (hi, <=, 1.0f / sqrtf (50.0f));
      g_assert_cmpfloat (hi - lo, >, 0.25f);
      rnn_model_free (m);
    }
  RnnCell unchanged = RNN_CELL_GRU;
  g_assert_cmpint (rnn_cell_from_name ("LSTM2", &unchanged), ==, -1);
  g_assert_cmpint (unchanged, ==, RNN_CELL_GRU);
}

/* ---- the session's views of a cell ------------------------------------------------ */

/* After an evaluate, a window's gates and cell states are those the window
 * gives alone from the same weights; |dL/dh_t| is there after an epoch. */
static void
test_session_views (gconstpointer data)
{
  RnnCell cell = GPOINTER_TO_INT (data);
  RnnConfig cfg;
  RnnStatus status;

  rnn_config_init_default (&cfg);
  g_assert_cmpint (cfg.cell, ==, RNN_CELL_RNN);
  g_assert_cmpfloat (cfg.clip_grad_norm, ==, 0.0);
  cfg.cell = cell;
  cfg.hidden_size = 12;
  RnnSession *s = rnn_session_new (&cfg, &status);
  g_assert_cmpint (status, ==, RNN_OK);
  const RnnDataset *d = rnn_session_dataset (s);
  RnnModel *m = rnn_session_model (s);
  int T = d->T, H = 12, G = rnn_cell_gate_count (cell);
  g_autofree float *hs = g_new (float, T * H);
  g_autofree float *cs = g_new (float, T * H);
  g_autofree float *gates = g_new (float, T * G * H);
  g_autofree float *hs_s = g_new (float, T * H);
  g_autofree float *cs_s = g_new (float, T * H);
  g_autofree float *gates_s = g_new (float, T * G * H);
  g_autofree float *x = g_new (float, T);

  g_assert_cmpint (m->cell, ==, cell);
  rnn_session_init_seed (s, 4);
  for (int t = 0; t < T; t++)
    g_assert_cmpfloat (rnn_session_grad_norms (s)[t], ==, 0.0f);
  for (int e = 0; e < 3; e++)
    g_assert_cmpint (rnn_session_train_epoch (s, NULL, NULL), ==, RNN_OK);
  for (int t = 0; t < T; t++)
    {
      g_assert_true (isfinite (rnn_session_grad_norms (s)[t]));
      g_assert_cmpfloat (rnn_session_grad_norms (s)[t], >, 0.0f);
    }

  rnn_session_evaluate (s, NULL, NULL, NULL);
  for (int w = 0; w < d->N; w += d->N / 3)
    {
      for (int t = 0; t < T; t++)
        x[t] = d->X[(size_t) t * d->N + w];
      rnn_window_states (cell, hs, cs, gates, x, m->params, T, 1, H, 1);
      rnn_session_hidden (s, w, hs_s);
      rnn_session_cell_state (s, w, cs_s);
      rnn_session_gates (s, w, gates_s);
      for (int i = 0; i < T * H; i++)
        {
          g_assert_cmpfloat_with_epsilon (hs_s[i], hs[i], 1e-6);
          g_assert_cmpfloat_with_epsilon (cs_s[i], cs[i], 1e-6);
          if (!rnn_cell_has_state (cell))
            g_assert_cmpfloat (cs_s[i], ==, 0.0f);
        }
      for (int i = 0; i < T * G * H; i++)
        g_assert_cmpfloat_with_epsilon (gates_s[i], gates[i], 1e-6);
    }
  /* the RNN's one "gate" is h_t itself */
  if (cell == RNN_CELL_RNN)
    g_assert_true (memcmp (gates_s, hs_s, T * H * sizeof (float)) == 0);
  rnn_session_free (s);
}

/* Clipping by total norm: the gradient the step uses has norm
 * max_norm norm / (norm + 1e-6) when the norm is above max_norm, and is
 * left alone below; a negative or NaN max_norm is refused. */
static void
test_session_clip (void)
{
  RnnConfig cfg;
  RnnStatus status;
  float loss, gnorm;

  rnn_config_init_default (&cfg);
  cfg.clip_grad_norm = -1.0;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_SHAPE);
  cfg.clip_grad_norm = NAN;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_SHAPE);

  for (int cell = 0; cell < RNN_N_CELLS; cell++)
    {
      cfg.cell = cell;
      cfg.clip_grad_norm = 1e-3;
      RnnSession *s = rnn_session_new (&cfg, &status);
      g_assert_cmpint (status, ==, RNN_OK);
      rnn_session_init_seed (s, 1);
      g_assert_cmpint (rnn_session_train_epoch (s, &loss, &gnorm), ==, RNN_OK);
      g_assert_cmpfloat (gnorm, >, 10 * 1e-3);
      g_assert_cmpfloat_with_epsilon (rnn_model_grad_norm (rnn_session_model (s)),
                                      1e-3 * gnorm / (gnorm + 1e-6), 1e-8);
      rnn_session_free (s);

      cfg.clip_grad_norm = 1e3;
      s = rnn_session_new (&cfg, &status);
      rnn_session_init_seed (s, 1);
      g_assert_cmpint (rnn_session_train_epoch (s, &loss, &gnorm), ==, RNN_OK);
      g_assert_cmpfloat (rnn_model_grad_norm (rnn_session_model (s)), ==, gnorm);
      rnn_session_free (s);
    }
}

static void
add_cell_test (const char *what,
               RnnCell     cell,
               GTestDataFunc fn)
{
  g_autofree char *path = g_strdup_printf ("/engine/%s/%s", rnn_cell_name (cell), what);

  g_test_add_data_func (path, GINT_TO_POINTER (cell), fn);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/rnn/layout", test_model_layout);
  g_test_add_func ("/engine/cells/layout", test_cell_layout);
  g_test_add_func ("/engine/rnn/tanh", test_tanh);
  g_test_add_func ("/engine/stepgemm/matches-sgemm", test_step_gemm);
  g_test_add_func ("/engine/rnn/linear/backward/gradcheck", test_linear_gradcheck);
  g_test_add_func ("/engine/rnn/mse/backward/gradcheck", test_mse);
  g_test_add_func ("/engine/rnn/cell/backward/gradcheck", test_cell_gradcheck);
  g_test_add_func ("/engine/rnn/cell/backward/gradcheck-detects-missing-tanh",
                   test_cell_gradcheck_detects_missing_tanh);
  for (int cell = RNN_CELL_LSTM; cell <= RNN_CELL_GRU; cell++)
    {
      add_cell_test ("cell/backward/gradcheck", cell, test_gate_cell_gradcheck);
      add_cell_test ("cell/backward/gradcheck-detects-wrong", cell, test_gate_cell_gradcheck_detects_wrong);
    }
  for (int cell = RNN_CELL_RNN; cell < RNN_N_CELLS; cell++)
    {
      add_cell_test ("forward/matches-cells", cell, test_model_forward_matches_cells);
      add_cell_test ("backward/gradcheck", cell, test_model_gradcheck);
      add_cell_test ("backward/gradcheck-detects-wrong", cell, test_model_gradcheck_detects_wrong);
      add_cell_test ("split", cell, test_model_split);
      add_cell_test ("session/views", cell, test_session_views);
    }
  g_test_add_func ("/engine/cells/session/clip", test_session_clip);

  return g_test_run ();
}
