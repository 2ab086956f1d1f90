/* rnn.c: the Elman RNN of the tutorial, forward and backward (BPTT).
 *
 *   pre_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh        (B, H)
 *   h_t   = tanh (pre_t),  h_0 = 0
 *   y     = h_T W_fc^T + b_fc                                (B, O)
 *   L     = mean ((y - target)^2)
 *
 * Row-major throughout. Every matrix product is one cblas_sgemm call
 * (OpenBLAS), the transposes taken by the BLAS rather than copied. Over B
 * windows and T steps the model makes: the input projection of every step
 * in one sgemm; one sgemm per step forward (h_{t-1} W_hh^T) and one per step
 * backward (dpre_t W_hh), the sequential part; and the weight gradients
 * dW_hh and dW_ih as one sgemm each over K = T B rows after the loop. The
 * elementwise work (biases, tanh, tanh') runs on each (B, H) slice while it
 * is in cache, vectorised (simd.h). With a split (split.h) the same work
 * runs on two threads: the per-step loops each on half of the windows, the
 * products over all steps each on half of the rows of their result.
 */
#include "engine/rnn.h"
#include "engine/simd.h"
#include "engine/split.h"

#include <assert.h>
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* OpenBLAS's cblas.h pulls in <complex.h>, whose macro I would shadow the
 * input size I used throughout. */
#undef I

/* ---- The model: six tensors back to back in one buffer ------------------ */

static const char *const tensor_names[RNN_N_TENSORS] = {
  "rnn.weight_ih_l0",
  "rnn.weight_hh_l0",
  "rnn.bias_ih_l0",
  "rnn.bias_hh_l0",
  "fc.weight",
  "fc.bias",
};

void
rnn_tensor_shape (RnnTensor  which,
                  int        I,
                  int        H,
                  int        O,
                  int       *rows,
                  int       *cols)
{
  switch (which)
    {
    case RNN_TENSOR_W_IH: *rows = H; *cols = I; break;
    case RNN_TENSOR_W_HH: *rows = H; *cols = H; break;
    case RNN_TENSOR_B_IH: *rows = H; *cols = 1; break;
    case RNN_TENSOR_B_HH: *rows = H; *cols = 1; break;
    case RNN_TENSOR_FC_W: *rows = O; *cols = H; break;
    case RNN_TENSOR_FC_B: *rows = O; *cols = 1; break;
    case RNN_N_TENSORS:
    default:
      assert (!"no such tensor");
      *rows = *cols = 0;
    }
}

/* Offset of a tensor in the flat buffer: the sizes of those before it. */
static size_t
tensor_offset (int       I,
               int       H,
               int       O,
               RnnTensor which)
{
  size_t off = 0;

  for (int k = 0; k < (int) which; k++)
    {
      int r, c;
      rnn_tensor_shape ((RnnTensor) k, I, H, O, &r, &c);
      off += (size_t) r * (size_t) c;
    }
  return off;
}

RnnModel *
rnn_model_new (int I,
               int H,
               int O)
{
  if (I < 1 || O < 1 || H < RNN_HIDDEN_MIN || H > RNN_HIDDEN_MAX)
    return NULL;

  RnnModel *m = calloc (1, sizeof *m);
  if (m == NULL)
    return NULL;

  m->I = I;
  m->H = H;
  m->O = O;
  m->n_params = tensor_offset (I, H, O, RNN_N_TENSORS);
  m->params = calloc (m->n_params, sizeof (float));
  m->grads = calloc (m->n_params, sizeof (float));
  if (m->params == NULL || m->grads == NULL)
    {
      rnn_model_free (m);
      return NULL;
    }
  return m;
}

void
rnn_model_free (RnnModel *m)
{
  if (m == NULL)
    return;
  free (m->params);
  free (m->grads);
  free (m);
}

void
rnn_model_init_uniform (RnnModel *m,
                        RnnRng   *rng)
{
  /* PyTorch: nn.RNN draws every tensor from U(-1/sqrt(H), 1/sqrt(H));
   * nn.Linear(H, O) draws weight and bias from U(-1/sqrt(in_features)),
   * and in_features = H too. The six tensors are drawn in state_dict order. */
  float k = (float) (1.0 / sqrt ((double) m->H));

  for (size_t i = 0; i < m->n_params; i++)
    m->params[i] = rnn_rng_uniform (rng, -k, k);
}

void
rnn_model_zero_grad (RnnModel *m)
{
  memset (m->grads, 0, m->n_params * sizeof (float));
}

/* View of one tensor inside base, a buffer laid out like params. */
static float *
tensor_view (const RnnModel *m,
             float          *base,
             RnnTensor       which,
             int            *rows,
             int            *cols)
{
  int r, c;

  rnn_tensor_shape (which, m->I, m->H, m->O, &r, &c);
  if (rows != NULL)
    *rows = r;
  if (cols != NULL)
    *cols = c;
  return base + tensor_offset (m->I, m->H, m->O, which);
}

float *
rnn_model_tensor (const RnnModel *m,
                  RnnTensor       which,
                  int            *rows,
                  int            *cols)
{
  return tensor_view (m, m->params, which, rows, cols);
}

float *
rnn_model_grad_tensor (const RnnModel *m,
                       RnnTensor       which,
                       int            *rows,
                       int            *cols)
{
  return tensor_view (m, m->grads, which, rows, cols);
}

const char *
rnn_tensor_name (RnnTensor which)
{
  if ((int) which < 0 || which >= RNN_N_TENSORS)
    return NULL;
  return tensor_names[which];
}

int
rnn_tensor_ndim (RnnTensor which)
{
  return which == RNN_TENSOR_W_IH || which == RNN_TENSOR_W_HH || which == RNN_TENSOR_FC_W ? 2 : 1;
}

int
rnn_model_all_finite (const RnnModel *m)
{
  /* x * 0 is 0 for every finite x and NaN for a NaN or an infinity, so
   * the sum is finite exactly when every parameter is. */
  double acc = 0.0;

  for (size_t i = 0; i < m->n_params; i++)
    acc += (double) m->params[i] * 0.0;
  return isfinite (acc);
}

float
rnn_model_grad_norm (const RnnModel *m)
{
  double acc = 0.0;

  for (size_t i = 0; i < m->n_params; i++)
    acc += (double) m->grads[i] * (double) m->grads[i];
  return (float) sqrt (acc);
}

/* ---- tanh ---------------------------------------------------------------- */

/* tanh (x) ~ x P(x^2) / Q(x^2) on |x| <= 9, a rational least-squares fit
 * (relative error 2e-8 in exact arithmetic; within 6 float ULP of tanh once
 * evaluated in float, see test-rnn). Beyond 9, tanh rounds to +-1 in float,
 * so x is clamped there. glibc's tanhf costs about 15 ns and does not
 * vectorise; this is a few multiplies and one division, branch-free, so GCC
 * turns the loop into 4- or 8-wide SIMD. A NaN fails both comparisons of
 * the clamp and comes out NaN; -0 stays -0. */
static const float tanh_p[5] = { 1.0f, 0.133806199f, 0.00349512184f, 2.06021068e-05f, 1.33463978e-08f };
static const float tanh_q[5] = { 1.0f, 0.467139333f, 0.0258751661f, 0.000328490161f, 7.77287539e-07f };

RNN_BODY void
tanh_inplace_body (float  *y,
                   size_t  n)
{
  for (size_t i = 0; i < n; i++)
    {
      float x = y[i];
      x = x > 9.0f ? 9.0f : x;
      x = x < -9.0f ? -9.0f : x;
      float s = x * x;
      float p = (((tanh_p[4] * s + tanh_p[3]) * s + tanh_p[2]) * s + tanh_p[1]) * s + tanh_p[0];
      float q = (((tanh_q[4] * s + tanh_q[3]) * s + tanh_q[2]) * s + tanh_q[1]) * s + tanh_q[0];
      float t = x * p / q;
      /* at the clamp tanh is +-1 to within half a ULP: make it exact; and
       * rounding never takes |tanh| above 1. One select per line, so that
       * every line becomes a SIMD compare and blend. */
      t = t > 1.0f ? 1.0f : t;
      t = t < -1.0f ? -1.0f : t;
      t = x >= 9.0f ? 1.0f : t;
      t = x <= -9.0f ? -1.0f : t;
      y[i] = t;
    }
}

RNN_DISPATCH (tanh_inplace, (float *y, size_t n), (y, n))

void
rnn_tanh_inplace (float  *y,
                  size_t  n)
{
  tanh_inplace (y, n);
}

/* ---- The cell ------------------------------------------------------------- */

void
rnn_cell_forward (float       *h,
                  const float *x,
                  const float *h_prev,
                  const float *W_ih,
                  const float *W_hh,
                  const float *b_ih,
                  const float *b_hh,
                  int          B,
                  int          I,
                  int          H)
{
  /* h (B, H) = x W_ih^T + b_ih: the input projection is a linear layer */
  linear_forward (h, x, W_ih, b_ih, B, I, H);
  for (int b = 0; b < B; b++)
    for (int j = 0; j < H; j++)
      h[(size_t) b * H + j] += b_hh[j];
  /* h += h_prev W_hh^T (nothing to add when h_prev = h0 = 0) */
  if (h_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, B, H, H,
                 1.0f, h_prev, H, W_hh, H, 1.0f, h, H);
  rnn_tanh_inplace (h, (size_t) B * H);
}

void
rnn_cell_backward (float       *dx,
                   float       *dh_prev,
                   float       *dW_ih,
                   float       *dW_hh,
                   float       *db_ih,
                   float       *db_hh,
                   float       *dpre,
                   const float *dh,
                   const float *h,
                   const float *x,
                   const float *h_prev,
                   const float *W_ih,
                   const float *W_hh,
                   int          B,
                   int          I,
                   int          H)
{
  size_t BH = (size_t) B * H;

  /* (1) dpre = dh * tanh'(pre) = dh * (1 - h^2) */
  for (size_t i = 0; i < BH; i++)
    dpre[i] = dh[i] * (1.0f - h[i] * h[i]);
  /* (2) the input projection is a linear layer: dW_ih (H, I) += dpre^T x,
   *     db_ih += sum_b dpre, dx (B, I) += dpre W_ih */
  linear_backward (dx, dW_ih, db_ih, dpre, x, W_ih, B, I, H);
  /* (3) db_hh += sum_b dpre;  dW_hh (H, H) += dpre^T h_prev */
  for (int b = 0; b < B; b++)
    for (int j = 0; j < H; j++)
      db_hh[j] += dpre[(size_t) b * H + j];
  if (h_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, H, H, B,
                 1.0f, dpre, H, h_prev, H, 1.0f, dW_hh, H);
  /* (4) dh_prev (B, H) += dpre W_hh */
  if (dh_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, H,
                 1.0f, dpre, H, W_hh, H, 1.0f, dh_prev, H);
}

/* ---- The output layer and the loss ---------------------------------------- */

void
linear_forward (float       *y,
                const float *x,
                const float *W,
                const float *b,
                int          B,
                int          IN,
                int          OUT)
{
  /* y (B, OUT) = b, then += x W^T (PyTorch's addmm order) */
  for (int r = 0; r < B; r++)
    memcpy (y + (size_t) r * OUT, b, (size_t) OUT * sizeof (float));
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, B, OUT, IN,
               1.0f, x, IN, W, IN, 1.0f, y, OUT);
}

void
linear_backward (float       *dx,
                 float       *dW,
                 float       *db,
                 const float *dy,
                 const float *x,
                 const float *W,
                 int          B,
                 int          IN,
                 int          OUT)
{
  /* dW (OUT, IN) += dy^T x */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, OUT, IN, B,
               1.0f, dy, OUT, x, IN, 1.0f, dW, IN);
  /* db (OUT) += sum_b dy */
  for (int r = 0; r < B; r++)
    for (int o = 0; o < OUT; o++)
      db[o] += dy[(size_t) r * OUT + o];
  /* dx (B, IN) += dy W */
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, B, IN, OUT,
                 1.0f, dy, OUT, W, IN, 1.0f, dx, IN);
}

void
mse_forward (float       *loss,
             const float *pred,
             const float *target,
             int          n)
{
  double acc = 0.0;

  for (int i = 0; i < n; i++)
    {
      float d = pred[i] - target[i];
      acc += (double) d * (double) d;
    }
  *loss = (float) (acc / (double) n);
}

void
mse_backward (float       *dpred,
              const float *pred,
              const float *target,
              int          n)
{
  /* dL/dpred = 2 (pred - target) / n, as PyTorch's mse_loss_backward */
  float norm = 2.0f / (float) n;

  for (int i = 0; i < n; i++)
    dpred[i] += norm * (pred[i] - target[i]);
}

/* ---- The model over B windows ----------------------------------------------- */

/* h (B, H) += b (H) on every row */
RNN_BODY void
add_bias_body (float       *h,
               const float *b,
               int          B,
               int          H)
{
  for (int r = 0; r < B; r++)
    {
      float *hr = h + (size_t) r * H;
      for (int j = 0; j < H; j++)
        hr[j] += b[j];
    }
}

RNN_DISPATCH (add_bias, (float *h, const float *b, int B, int H), (h, b, B, H))

/* (1) of the forward pass on rows [r0, r1) of pre (T B, H), the input
 * projection: pre = b_ih + x W_ih^T. Split by rows, every element is the
 * same sum as in one product over all rows. */
typedef struct
{
  float       *pre;  /* (TB, H) */
  const float *x;    /* (TB, I) */
  const float *W_ih; /* (H, I) */
  const float *b_ih; /* (H) */
  int          TB, I, H;
} ProjectJob;

static void
project_rows (const ProjectJob *j,
              int               r0,
              int               r1)
{
  float *pre = j->pre + (size_t) r0 * j->H; /* (r1 - r0, H) */

  for (int r = r0; r < r1; r++)
    memcpy (j->pre + (size_t) r * j->H, j->b_ih, (size_t) j->H * sizeof (float));
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, j->H, j->I,
               1.0f, j->x + (size_t) r0 * j->I, j->I, j->W_ih, j->I, 1.0f, pre, j->H);
}

static void
project_part (void *arg,
              int   part)
{
  ProjectJob *j = arg;
  int r0, r1;

  rnn_split_rows (j->TB, part, &r0, &r1);
  project_rows (j, r0, r1);
}

/* (2) of the forward pass on rows [r0, r1) of the batch: h_t = tanh (pre_t
 * + b_hh + h_{t-1} W_hh^T) in hs[t] while that block is in cache, one sgemm
 * per step, the sequential part (none at t = 1: h_0 = 0). The rows of a
 * slab are contiguous, so a row block is a (r1 - r0, H) matrix in place. */
static void
forward_steps (float       *hs,
               const float *W_hh,
               const float *b_hh,
               int          T,
               int          B,
               int          H,
               int          r0,
               int          r1)
{
  size_t BH = (size_t) B * H;
  int rows = r1 - r0;

  for (int t = 1; t <= T; t++)
    {
      float *h = hs + (size_t) t * BH + (size_t) r0 * H; /* (rows, H) */
      add_bias (h, b_hh, rows, H);
      if (t > 1)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, rows, H, H,
                     1.0f, h - BH, H, W_hh, H, 1.0f, h, H);
      rnn_tanh_inplace (h, (size_t) rows * H);
    }
}

typedef struct
{
  float       *hs;   /* (T+1, B, H) */
  const float *W_hh; /* (H, H) */
  const float *b_hh; /* (H) */
  int          T, B, H;
} ForwardJob;

static void
forward_part (void *arg,
              int   part)
{
  ForwardJob *j = arg;
  int r0, r1;

  rnn_split_rows (j->B, part, &r0, &r1);
  forward_steps (j->hs, j->W_hh, j->b_hh, j->T, j->B, j->H, r0, r1);
}

void
rnn_model_forward_split (float          *y,
                         float          *hs,
                         const float    *x,
                         const RnnModel *m,
                         int             T,
                         int             B,
                         RnnSplit       *split)
{
  int I = m->I, H = m->H, O = m->O;
  size_t BH = (size_t) B * H;
  const float *W_ih = rnn_model_tensor (m, RNN_TENSOR_W_IH, NULL, NULL); /* (H, I) */
  const float *W_hh = rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL); /* (H, H) */
  const float *b_ih = rnn_model_tensor (m, RNN_TENSOR_B_IH, NULL, NULL); /* (H) */
  const float *b_hh = rnn_model_tensor (m, RNN_TENSOR_B_HH, NULL, NULL); /* (H) */
  const float *W_fc = rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL); /* (O, H) */
  const float *b_fc = rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL); /* (O) */
  float *pre = hs + BH;                                                  /* (T, B, H) */

  memset (hs, 0, BH * sizeof (float)); /* h_0 = 0 */

  /* (1) the input projection of every step at once, in place in
   *     hs[1..T]: pre (T B, H) = b_ih + x (T B, I) W_ih^T */
  ProjectJob project = { pre, x, W_ih, b_ih, T * B, I, H };
  if (split != NULL && B >= 2)
    rnn_split_run (split, project_part, &project);
  else
    project_rows (&project, 0, T * B);

  /* (2) the recurrence, on all rows here or half of them on each thread */
  ForwardJob job = { hs, W_hh, b_hh, T, B, H };
  if (split != NULL && B >= 2)
    rnn_split_run (split, forward_part, &job);
  else
    forward_steps (hs, W_hh, b_hh, T, B, H, 0, B);

  /* (3) y = h_T W_fc^T + b_fc */
  linear_forward (y, hs + (size_t) T * BH, W_fc, b_fc, B, H, O);
}

void
rnn_model_forward (float          *y,
                   float          *hs,
                   const float    *x,
                   const RnnModel *m,
                   int             T,
                   int             B)
{
  rnn_model_forward_split (y, hs, x, m, T, B, NULL);
}

/* One step of BPTT's elementwise work, on a (B, H) slice still in cache:
 *   (1) dpre_t = dh_t * (1 - h_t^2), in place
 *   (2) db += sum_b dpre_t                       (B rows into one)
 * db is (H), the bias gradient both biases share. */
RNN_BODY void
step_backward_body (float       *d,
                    float       *db,
                    const float *h,
                    int          B,
                    int          H)
{
  for (int b = 0; b < B; b++)
    {
      float *dr = d + (size_t) b * H;
      const float *hr = h + (size_t) b * H;
      for (int j = 0; j < H; j++)
        {
          dr[j] *= 1.0f - hr[j] * hr[j];
          db[j] += dr[j];
        }
    }
}

RNN_DISPATCH (step_backward,
              (float *d, float *db, const float *h, int B, int H),
              (d, db, h, B, H))

/* (2) of BPTT on rows [r0, r1) of the batch: slot t - 1 of dpre holds
 * dh_t, turned in place into dpre_t = dh_t * (1 - h_t^2) (db (H) += its
 * column sums); then dh_{t-1} (rows, H) = dpre_t W_hh, the one sequential
 * sgemm per step. */
static void
backward_steps (float       *dpre,
                float       *db,
                const float *hs,
                const float *W_hh,
                int          T,
                int          B,
                int          H,
                int          r0,
                int          r1)
{
  size_t BH = (size_t) B * H;
  int rows = r1 - r0;

  for (int t = T; t >= 1; t--)
    {
      float *d = dpre + (size_t) (t - 1) * BH + (size_t) r0 * H; /* (rows, H) */
      step_backward (d, db, hs + (size_t) t * BH + (size_t) r0 * H, rows, H);
      if (t > 1)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, H, H,
                     1.0f, d, H, W_hh, H, 0.0f, d - BH, H);
    }
}

typedef struct
{
  float       *dpre;  /* (T, B, H) */
  float       *db[2]; /* (H) each part's bias gradient */
  const float *hs;    /* (T+1, B, H) */
  const float *W_hh;  /* (H, H) */
  int          T, B, H;
} BackwardJob;

static void
backward_part (void *arg,
               int   part)
{
  BackwardJob *j = arg;
  int r0, r1;

  rnn_split_rows (j->B, part, &r0, &r1);
  backward_steps (j->dpre, j->db[part], j->hs, j->W_hh, j->T, j->B, j->H, r0, r1);
}

/* (3) and (4) of BPTT on rows [j0, j1) of dW_hh and dW_ih */
typedef struct
{
  float       *dW_hh; /* (H, H) */
  float       *dW_ih; /* (H, I) */
  const float *dpre;  /* (T, B, H) */
  const float *hs;    /* (T+1, B, H) */
  const float *x;     /* (T, B, I) */
  int          T, B, I, H;
} WeightGradJob;

static void
weight_grad_rows (const WeightGradJob *j,
                  int                  j0,
                  int                  j1)
{
  size_t BH = (size_t) j->B * j->H;
  int H = j->H, I = j->I, rows = j1 - j0;

  /* rows [j0, j1) of dpre^T are columns [j0, j1) of dpre (K, H) */
  if (j->T > 1)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, rows, H, (j->T - 1) * j->B,
                 1.0f, j->dpre + BH + j0, H, j->hs + BH, H, 1.0f, j->dW_hh + (size_t) j0 * H, H);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, rows, I, j->T * j->B,
               1.0f, j->dpre + j0, H, j->x, I, 1.0f, j->dW_ih + (size_t) j0 * I, I);
}

static void
weight_grad_part (void *arg,
                  int   part)
{
  WeightGradJob *j = arg;
  int j0, j1;

  rnn_split_rows (j->H, part, &j0, &j1);
  weight_grad_rows (j, j0, j1);
}

void
rnn_model_backward_split (RnnModel    *m,
                          float       *dpre,
                          const float *dy,
                          const float *hs,
                          const float *x,
                          int          T,
                          int          B,
                          RnnSplit    *split)
{
  int I = m->I, H = m->H, O = m->O;
  size_t BH = (size_t) B * H;
  const float *W_hh = rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL);      /* (H, H) */
  const float *W_fc = rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL);      /* (O, H) */
  float *dW_ih = rnn_model_grad_tensor (m, RNN_TENSOR_W_IH, NULL, NULL);      /* (H, I) */
  float *dW_hh = rnn_model_grad_tensor (m, RNN_TENSOR_W_HH, NULL, NULL);      /* (H, H) */
  float *db_ih = rnn_model_grad_tensor (m, RNN_TENSOR_B_IH, NULL, NULL);      /* (H) */
  float *db_hh = rnn_model_grad_tensor (m, RNN_TENSOR_B_HH, NULL, NULL);      /* (H) */
  float *dW_fc = rnn_model_grad_tensor (m, RNN_TENSOR_FC_W, NULL, NULL);      /* (O, H) */
  float *db_fc = rnn_model_grad_tensor (m, RNN_TENSOR_FC_B, NULL, NULL);      /* (O) */
  const float *hT = hs + (size_t) T * BH;                                     /* (B, H) */
  float db_local[2][RNN_HIDDEN_MAX] = { { 0 } };                              /* (2, H) */

  /* (1) the output layer: dW_fc += dy^T h_T, db_fc += sum dy,
   *     and dh_T = dy W_fc, written straight into dpre's last slot */
  memset (dpre + (size_t) (T - 1) * BH, 0, BH * sizeof (float));
  linear_backward (dpre + (size_t) (T - 1) * BH, dW_fc, db_fc, dy, hT, W_fc, B, H, O);

  /* (2) back through time, on all rows here or half of them on each
   *     thread, each half summing its own bias gradient */
  if (split != NULL && B >= 2)
    {
      BackwardJob job = { dpre, { db_local[0], db_local[1] }, hs, W_hh, T, B, H };
      rnn_split_run (split, backward_part, &job);
    }
  else
    backward_steps (dpre, db_local[0], hs, W_hh, T, B, H, 0, B);

  /* (3) dW_hh (H, H) += sum_t dpre_t^T h_{t-1}, one sgemm over
   *     K = (T - 1) B rows (t = 1 adds nothing: h_0 = 0); (4) dW_ih (H, I)
   *     += sum_t dpre_t^T x_t, one over K = T B rows. Split, each thread
   *     takes half of the rows of dW: every element is still one whole sum
   *     over K, in the same order. */
  WeightGradJob wjob = { dW_hh, dW_ih, dpre, hs, x, T, B, I, H };
  if (split != NULL && H >= 2)
    rnn_split_run (split, weight_grad_part, &wjob);
  else
    weight_grad_rows (&wjob, 0, H);
  /* (5) both biases get the same gradient: dpre summed over steps and
   *     windows (part 1's sum is zero when unsplit, and adding 0 changes
   *     no bit) */
  for (int j = 0; j < H; j++)
    {
      float g = db_local[0][j] + db_local[1][j];
      db_ih[j] += g;
      db_hh[j] += g;
    }
}

void
rnn_model_backward (RnnModel    *m,
                    float       *dpre,
                    const float *dy,
                    const float *hs,
                    const float *x,
                    int          T,
                    int          B)
{
  rnn_model_backward_split (m, dpre, dy, hs, x, T, B, NULL);
}

/* ---- One window, for the views ------------------------------------------------ */

void
rnn_hidden_sequence (float       *hs,
                     const float *x,
                     const float *params,
                     int          T,
                     int          I,
                     int          H,
                     int          O)
{
  const float *W_ih = params + tensor_offset (I, H, O, RNN_TENSOR_W_IH); /* (H, I) */
  const float *W_hh = params + tensor_offset (I, H, O, RNN_TENSOR_W_HH); /* (H, H) */
  const float *b_ih = params + tensor_offset (I, H, O, RNN_TENSOR_B_IH); /* (H) */
  const float *b_hh = params + tensor_offset (I, H, O, RNN_TENSOR_B_HH); /* (H) */

  /* hs (T, H): row t is h_{t+1}, computed from row t - 1 (h_0 = 0) */
  for (int t = 0; t < T; t++)
    rnn_cell_forward (hs + (size_t) t * H, x + (size_t) t * I,
                      t > 0 ? hs + (size_t) (t - 1) * H : NULL,
                      W_ih, W_hh, b_ih, b_hh, 1, I, H);
}
