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
#include "engine/split.h"

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

/* ---- the model: full BPTT ------------------------------------------------------ */

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
model_case_new (int I,
                int H,
                int O,
                int T,
                int B)
{
  ModelCase *c = g_new0 (ModelCase, 1);
  RnnRng rng;

  c->m = rnn_model_new (I, H, O);
  c->T = T;
  c->B = B;
  c->x = g_new (float, T * B * I);
  c->target = g_new (float, B * O);
  c->y = g_new (float, B * O);
  c->hs = g_new (float, (T + 1) * B * H);

  rnn_rng_seed (&rng, 3);
  /* larger than PyTorch's init so that every step's tanh bends and the
   * recurrent path carries a real share of the gradient */
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

typedef enum
{
  BPTT_CORRECT,
  BPTT_NO_RECURRENT_TERM, /* dh_{t-1} += dpre_t W_hh left out */
  BPTT_NO_TANH_DERIVATIVE,/* (1 - h_t^2) left out */
  BPTT_MISSING_FIRST_STEP,/* the step t = 1 left out */
} BpttVariant;

/* BPTT written out with the cell and linear layers, step by step: the
 * reference for rnn_model_backward, and a way to build wrong gradients. */
static void
bptt_with_cells (float       *grads,
                 ModelCase   *c,
                 BpttVariant  variant)
{
  RnnModel *m = c->m;
  int I = m->I, H = m->H, O = m->O, T = c->T, B = c->B;
  size_t BH = (size_t) B * H;
  g_autofree float *dy = g_new0 (float, B * O);
  g_autofree float *dh = g_new0 (float, BH);
  g_autofree float *dh_prev = g_new0 (float, BH);
  g_autofree float *dpre = g_new0 (float, BH);
  g_autofree float *zeros = g_new0 (float, BH);
  float *saved = m->grads;

  model_loss (c); /* fills y and hs */
  m->grads = grads;
  rnn_model_zero_grad (m);
  mse_backward (dy, c->y, c->target, B * O);
  linear_backward (dh, rnn_model_grad_tensor (m, RNN_TENSOR_FC_W, NULL, NULL),
                   rnn_model_grad_tensor (m, RNN_TENSOR_FC_B, NULL, NULL),
                   dy, c->hs + T * BH, rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL), B, H, O);
  for (int t = T; t >= (variant == BPTT_MISSING_FIRST_STEP ? 2 : 1); t--)
    {
      memset (dh_prev, 0, BH * sizeof (float));
      rnn_cell_backward (NULL, variant == BPTT_NO_RECURRENT_TERM ? NULL : dh_prev,
                         rnn_model_grad_tensor (m, RNN_TENSOR_W_IH, NULL, NULL),
                         rnn_model_grad_tensor (m, RNN_TENSOR_W_HH, NULL, NULL),
                         rnn_model_grad_tensor (m, RNN_TENSOR_B_IH, NULL, NULL),
                         rnn_model_grad_tensor (m, RNN_TENSOR_B_HH, NULL, NULL),
                         dpre, dh,
                         variant == BPTT_NO_TANH_DERIVATIVE ? zeros : c->hs + t * BH,
                         c->x + (t - 1) * B * I, c->hs + (t - 1) * BH,
                         rnn_model_tensor (m, RNN_TENSOR_W_IH, NULL, NULL),
                         rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL),
                         B, I, H);
      memcpy (dh, dh_prev, BH * sizeof (float));
    }
  m->grads = saved;
}

static void
model_gradcheck (int I,
                 int H,
                 int O,
                 int T,
                 int B)
{
  ModelCase *c = model_case_new (I, H, O, T, B);
  RnnModel *m = c->m;
  size_t n = m->n_params;
  g_autofree double *num = g_new (double, n);
  g_autofree float *dy = g_new0 (float, B * O);
  g_autofree float *dpre = g_new (float, T * B * H);
  g_autofree float *by_cells = g_new (float, n);

  /* analytic: rnn_model_backward, accumulating on top of 0.5 */
  model_loss (c);
  mse_backward (dy, c->y, c->target, B * O);
  for (size_t i = 0; i < n; i++)
    m->grads[i] = 0.5f;
  rnn_model_backward (m, dpre, dy, c->hs, c->x, T, B);

  numeric_grad (num, m->params, n, model_loss, c);
  g_assert_cmpfloat (check_grad ("model BPTT", m->grads, 0.5f, num, n), <, GRAD_TOL);

  /* the step-by-step version agrees with the batched one */
  bptt_with_cells (by_cells, c, BPTT_CORRECT);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (by_cells[i], m->grads[i] - 0.5f, 1e-5);

  model_case_free (c);
}

static void
test_model_gradcheck (void)
{
  model_gradcheck (1, 6, 1, 5, 3);   /* the tutorial's I = O = 1 */
  model_gradcheck (2, 5, 2, 4, 2);   /* general input and output sizes */
  model_gradcheck (1, 3, 1, 1, 4);   /* a single step: no recurrence */
}

/* Each wrong BPTT fails the very check the real one passes. */
static void
test_model_gradcheck_detects_wrong (void)
{
  const struct { BpttVariant v; const char *name; } wrong[] = {
    { BPTT_NO_RECURRENT_TERM, "BPTT without the recurrent term" },
    { BPTT_NO_TANH_DERIVATIVE, "BPTT without (1 - h^2)" },
    { BPTT_MISSING_FIRST_STEP, "BPTT missing step t = 1" },
  };
  ModelCase *c = model_case_new (1, 6, 1, 5, 3);
  size_t n = c->m->n_params;
  g_autofree double *num = g_new (double, n);
  g_autofree float *grads = g_new (float, n);

  numeric_grad (num, c->m->params, n, model_loss, c);

  bptt_with_cells (grads, c, BPTT_CORRECT);
  g_assert_cmpfloat (check_grad ("BPTT by cells", grads, 0.0f, num, n), <, GRAD_TOL);

  for (size_t k = 0; k < G_N_ELEMENTS (wrong); k++)
    {
      bptt_with_cells (grads, c, wrong[k].v);
      g_assert_cmpfloat (check_grad (wrong[k].name, grads, 0.0f, num, n), >, 10 * GRAD_TOL);
    }
  model_case_free (c);
}

/* rnn_model_forward is the cell applied T times, then the linear layer. */
static void
test_model_forward_matches_cells (void)
{
  ModelCase *c = model_case_new (2, 5, 2, 4, 3);
  RnnModel *m = c->m;
  int I = m->I, H = m->H, O = m->O, T = c->T, B = c->B;
  g_autofree float *h = g_new0 (float, (T + 1) * B * H);
  float y[3 * 2];

  model_loss (c);
  for (int t = 1; t <= T; t++)
    rnn_cell_forward (h + t * B * H, c->x + (t - 1) * B * I, t > 1 ? h + (t - 1) * B * H : NULL,
                      rnn_model_tensor (m, RNN_TENSOR_W_IH, NULL, NULL),
                      rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL),
                      rnn_model_tensor (m, RNN_TENSOR_B_IH, NULL, NULL),
                      rnn_model_tensor (m, RNN_TENSOR_B_HH, NULL, NULL), B, I, H);
  linear_forward (y, h + T * B * H, rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL),
                  rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL), B, H, O);
  for (int i = 0; i < (T + 1) * B * H; i++)
    g_assert_cmpfloat_with_epsilon (h[i], c->hs[i], 1e-6);
  for (int i = 0; i < B * O; i++)
    g_assert_cmpfloat_with_epsilon (y[i], c->y[i], 1e-6);
  model_case_free (c);
}

/* The recurrence split by rows between two threads (split.h) computes
 * what the whole loops compute, to rounding, with an odd B so that the two
 * halves differ in size; and twice the same, bit for bit. */
static void
test_model_split (void)
{
  enum { I = 2, H = 6, O = 3, T = 4, B = 7 };
  RnnModel *m = rnn_model_new (I, H, O);
  RnnRng rng;
  RnnSplit *split = rnn_split_new ();
  float x[T * B * I], dy[B * O], y[3][B * O];
  float hs[3][(T + 1) * B * H], dpre[T * B * H];
  g_autofree float *grads = g_new0 (float, 3 * m->n_params);

  g_assert_nonnull (split);
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
      rnn_model_forward_split (y[k], hs[k], x, m, T, B, sp);
      rnn_model_zero_grad (m);
      rnn_model_backward_split (m, dpre, dy, hs[k], x, T, B, sp);
      memcpy (grads + k * m->n_params, m->grads, m->n_params * sizeof (float));
    }

  for (int i = 0; i < B * O; i++)
    g_assert_cmpfloat_with_epsilon (y[1][i], y[0][i], 1e-6);
  for (int i = 0; i < (T + 1) * B * H; i++)
    g_assert_cmpfloat_with_epsilon (hs[1][i], hs[0][i], 1e-6);
  for (size_t i = 0; i < m->n_params; i++)
    g_assert_cmpfloat_with_epsilon (grads[m->n_params + i], grads[i], 1e-5);
  g_assert_true (memcmp (y[1], y[2], sizeof y[1]) == 0);
  g_assert_true (memcmp (hs[1], hs[2], sizeof hs[1]) == 0);
  g_assert_true (memcmp (grads + m->n_params, grads + 2 * m->n_params,
                         m->n_params * sizeof (float)) == 0);

  rnn_split_free (split);
  rnn_model_free (m);
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
  RnnModel *m = rnn_model_new (1, 50, 1);
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

  g_assert_null (rnn_model_new (1, RNN_HIDDEN_MAX + 1, 1));
  g_assert_null (rnn_model_new (1, 0, 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/rnn/layout", test_model_layout);
  g_test_add_func ("/engine/rnn/tanh", test_tanh);
  g_test_add_func ("/engine/rnn/linear/backward/gradcheck", test_linear_gradcheck);
  g_test_add_func ("/engine/rnn/mse/backward/gradcheck", test_mse);
  g_test_add_func ("/engine/rnn/cell/backward/gradcheck", test_cell_gradcheck);
  g_test_add_func ("/engine/rnn/cell/backward/gradcheck-detects-missing-tanh",
                   test_cell_gradcheck_detects_missing_tanh);
  g_test_add_func ("/engine/rnn/forward/matches-cells", test_model_forward_matches_cells);
  g_test_add_func ("/engine/rnn/backward/gradcheck", test_model_gradcheck);
  g_test_add_func ("/engine/rnn/backward/gradcheck-detects-wrong", test_model_gradcheck_detects_wrong);
  g_test_add_func ("/engine/rnn/split", test_model_split);

  return g_test_run ();
}
