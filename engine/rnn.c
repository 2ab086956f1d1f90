/* rnn.c: the recurrent cells (RNN, LSTM, GRU), forward and backward (BPTT).
 *
 *   pre_t = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh        (B, G H)
 *   rnn:  h_t = tanh (pre_t)
 *   lstm: [i f g o] = pre_t,  c_t = s(f) c_{t-1} + s(i) tanh (g),  h_t = s(o) tanh (c_t)
 *   gru:  [r z] = s (pre_t[rz]),  n = tanh (x W_in^T + b_in + r (h W_hn^T + b_hn)),
 *         h_t = (h_{t-1} - n) z + n   (PyTorch's order of operations)
 *   h_0 = c_0 = 0,  y = h_T W_fc^T + b_fc (B, O),  L = mean ((y - target)^2)
 *
 * Row-major throughout. Every matrix product is one cblas_sgemm call
 * (OpenBLAS), the transposes taken by the BLAS rather than copied, but for
 * the per-step ones (stepgemm.h: libxsmm's kernels for the exact shape
 * where the build has it). Over B windows and T steps the model makes: the
 * input projection of every step in one sgemm; one step product forward
 * (h_{t-1} W_hh^T, all G gate blocks at once, on a copy of W_hh^T made once
 * per pass) and one backward (dpre_t W_hh), the sequential part; and the
 * weight gradients dW_hh and dW_ih as one sgemm each over K = T B rows
 * after the loop. The elementwise work of a step (biases, the
 * gate nonlinearities, the cell update; backward their derivatives, the
 * bias gradients and the norm of dL/dh_t) is one fused pass over that
 * step's (B, G H) block while it is in cache, vectorised (simd.h). With a
 * split (split.h) the same work runs on two threads: the per-step loops
 * each on half of the windows, the products over all steps each on half of
 * the rows of their result.
 *
 * The gate buffer of a step is laid out so that one sgemm fills it: LSTM
 * [i f g o] as PyTorch stacks them; GRU [r z hn xn], the hidden part of n
 * (which r multiplies) apart from its input part, and after the pass
 * [r z hn n].
 */
#include "engine/rnn.h"
#include "engine/simd.h"
#include "engine/split.h"
#include "engine/stepgemm.h"

#include <assert.h>
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* OpenBLAS's cblas.h pulls in <complex.h>, whose macro I would shadow the
 * input size I used throughout. */
#undef I

/* ---- The cells ----------------------------------------------------------- */

static const char *const cell_names[RNN_N_CELLS] = { "rnn", "lstm", "gru" };
static const int cell_gates[RNN_N_CELLS] = { 1, 4, 3 };
static const char *const gate_names[RNN_N_CELLS][4] = {
  { "tanh" }, { "i", "f", "g", "o" }, { "r", "z", "n" },
};

const char *
rnn_cell_name (RnnCell cell)
{
  return (int) cell >= 0 && cell < RNN_N_CELLS ? cell_names[cell] : NULL;
}

int
rnn_cell_from_name (const char *name,
                    RnnCell    *cell)
{
  for (int k = 0; name != NULL && k < RNN_N_CELLS; k++)
    if (strcmp (name, cell_names[k]) == 0)
      {
        *cell = (RnnCell) k;
        return 0;
      }
  return -1;
}

int
rnn_cell_gate_count (RnnCell cell)
{
  assert ((int) cell >= 0 && cell < RNN_N_CELLS);
  return cell_gates[cell];
}

const char *
rnn_cell_gate_name (RnnCell cell,
                    int     k)
{
  if ((int) cell < 0 || cell >= RNN_N_CELLS || k < 0 || k >= cell_gates[cell])
    return NULL;
  return gate_names[cell][k];
}

int
rnn_cell_has_state (RnnCell cell)
{
  return cell == RNN_CELL_LSTM;
}

/* S: the width of one step's gate buffer in units of H (see the top). */
static int
slot_width (RnnCell cell)
{
  return cell == RNN_CELL_RNN ? 1 : 4;
}

/* Where the G H rows of W_ih (and b_ih) go in a step's gate buffer: rows
 * [row, row + rows) to columns [col, col + rows). The hidden side, W_hh
 * and b_hh, always fills columns [0, G H). */
typedef struct
{
  int n;
  int row[2], rows[2], col[2];
} Segments;

static Segments
input_segments (RnnCell cell,
                int     H)
{
  Segments sg = { 1, { 0, 0 }, { rnn_cell_gate_count (cell) * H, 0 }, { 0, 0 } };

  if (cell == RNN_CELL_GRU)
    {
      /* r, z beside their hidden parts; n's input part after hn */
      sg.n = 2;
      sg.rows[0] = 2 * H;
      sg.row[1] = 2 * H;
      sg.rows[1] = H;
      sg.col[1] = 3 * H;
    }
  return sg;
}

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
rnn_tensor_shape (RnnCell    cell,
                  RnnTensor  which,
                  int        I,
                  int        H,
                  int        O,
                  int       *rows,
                  int       *cols)
{
  int GH = rnn_cell_gate_count (cell) * H;

  switch (which)
    {
    case RNN_TENSOR_W_IH: *rows = GH; *cols = I; break;
    case RNN_TENSOR_W_HH: *rows = GH; *cols = H; break;
    case RNN_TENSOR_B_IH: *rows = GH; *cols = 1; break;
    case RNN_TENSOR_B_HH: *rows = GH; *cols = 1; break;
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
tensor_offset (RnnCell   cell,
               int       I,
               int       H,
               int       O,
               RnnTensor which)
{
  size_t off = 0;

  for (int k = 0; k < (int) which; k++)
    {
      int r, c;
      rnn_tensor_shape (cell, (RnnTensor) k, I, H, O, &r, &c);
      off += (size_t) r * (size_t) c;
    }
  return off;
}

size_t
rnn_model_n_params (RnnCell cell,
                    int     I,
                    int     H,
                    int     O)
{
  return tensor_offset (cell, I, H, O, RNN_N_TENSORS);
}

RnnModel *
rnn_model_new (RnnCell cell,
               int     I,
               int     H,
               int     O)
{
  if ((int) cell < 0 || cell >= RNN_N_CELLS
      || I < 1 || O < 1 || H < RNN_HIDDEN_MIN || H > RNN_HIDDEN_MAX)
    return NULL;

  RnnModel *m = calloc (1, sizeof *m);
  if (m == NULL)
    return NULL;

  m->cell = cell;
  m->I = I;
  m->H = H;
  m->O = O;
  m->n_params = rnn_model_n_params (cell, I, H, O);
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
  rnn_work_free (m->work);
  free (m);
}

void
rnn_model_init_uniform (RnnModel *m,
                        RnnRng   *rng)
{
  /* PyTorch: nn.RNN, nn.LSTM and nn.GRU draw every tensor from
   * U(-1/sqrt(H), 1/sqrt(H)); nn.Linear(H, O) draws weight and bias from
   * U(-1/sqrt(in_features)), and in_features = H too. The six tensors are
   * drawn in state_dict order. */
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

  rnn_tensor_shape (m->cell, which, m->I, m->H, m->O, &r, &c);
  if (rows != NULL)
    *rows = r;
  if (cols != NULL)
    *cols = c;
  return base + tensor_offset (m->cell, m->I, m->H, m->O, which);
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

RNN_BODY float
tanh_f (float x)
{
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
  return t;
}

/* The logistic sigmoid s(x) = 1 / (1 + exp (-x)) = (1 + tanh (x / 2)) / 2:
 * within a few float ULP of 1 above 0; below, its absolute error stays
 * under 1e-7 (that of tanh near -1), which is all a gate needs. */
RNN_BODY float
sigmoid_f (float x)
{
  return 0.5f + 0.5f * tanh_f (0.5f * x);
}

RNN_BODY void
tanh_inplace_body (float  *y,
                   size_t  n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = tanh_f (y[i]);
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

/* ---- The elementwise passes of a step -------------------------------------- */

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

/* A row of zeros, for a state or gradient that is 0 (h_0, c_0, the dL/dc
 * after the last step). */
static const float zero_row[RNN_HIDDEN_MAX];

/* LSTM, forward, one row of a step: the gate blocks gi gf gg go (H each)
 * hold the pre-activations [i f g o] and are overwritten with s(i) s(f)
 * tanh(g) s(o);  c = s(f) c_prev + s(i) tanh(g),  h = s(o) tanh(c).
 * The blocks are disjoint: restrict lets the loop become SIMD. */
RNN_BODY void
lstm_forward_row (float       *restrict h,
                  float       *restrict c,
                  float       *restrict gi,
                  float       *restrict gf,
                  float       *restrict gg,
                  float       *restrict go,
                  const float *restrict cp,
                  int                   H)
{
  for (int j = 0; j < H; j++)
    {
      float i = sigmoid_f (gi[j]), f = sigmoid_f (gf[j]);
      float g = tanh_f (gg[j]), o = sigmoid_f (go[j]);
      float cv = f * cp[j] + i * g;
      gi[j] = i;
      gf[j] = f;
      gg[j] = g;
      go[j] = o;
      c[j] = cv;
      h[j] = o * tanh_f (cv);
    }
}

/* The same on B rows: g4 (B, 4H), c_prev (B, H) (NULL means 0), c, h (B, H). */
RNN_BODY void
lstm_forward_pass_body (float       *h,
                        float       *c,
                        float       *g4,
                        const float *c_prev,
                        int          B,
                        int          H)
{
  for (int b = 0; b < B; b++)
    {
      float *gi = g4 + (size_t) b * 4 * H;
      lstm_forward_row (h + (size_t) b * H, c + (size_t) b * H, gi, gi + H, gi + 2 * H, gi + 3 * H,
                        c_prev != NULL ? c_prev + (size_t) b * H : zero_row, H);
    }
}

RNN_DISPATCH (lstm_forward_pass,
              (float *h, float *c, float *g4, const float *c_prev, int B, int H),
              (h, c, g4, c_prev, B, H))

/* LSTM, backward, one row of a step, from dh = dL/dh_t and dc = dL/dc_t
 * through later steps, the gates and c = c_t, c_prev:
 *   (1) dc_t = dc + dh s(o) (1 - tanh^2 c_t)
 *   (2) [di df dg do] = [dc_t tanh(g) s'(i), dc_t c_prev s'(f), dc_t s(i) tanh'(g), dh tanh(c_t) s'(o)]
 *   (3) dcp = dc_t s(f)   (written, not added)
 *   (4) db (4 blocks) += the gate gradients,  acc += dh^2 */
RNN_BODY void
lstm_backward_row (float       *restrict di,
                   float       *restrict df,
                   float       *restrict dg,
                   float       *restrict dout,
                   float       *restrict dcp,
                   float       *restrict dbi,
                   float       *restrict dbf,
                   float       *restrict dbg,
                   float       *restrict dbo,
                   float       *restrict acc,
                   const float *restrict dh,
                   const float *restrict dc,
                   const float *restrict gi,
                   const float *restrict gf,
                   const float *restrict gg,
                   const float *restrict go,
                   const float *restrict c,
                   const float *restrict cp,
                   int                   H)
{
  for (int j = 0; j < H; j++)
    {
      float i = gi[j], f = gf[j], g = gg[j], o = go[j], d = dh[j];
      float tc = tanh_f (c[j]);
      float dct = dc[j] + d * o * (1.0f - tc * tc);
      float vi = dct * g * (i * (1.0f - i));
      float vf = dct * cp[j] * (f * (1.0f - f));
      float vg = dct * i * (1.0f - g * g);
      float vo = d * tc * (o * (1.0f - o));
      di[j] = vi;
      df[j] = vf;
      dg[j] = vg;
      dout[j] = vo;
      dbi[j] += vi;
      dbf[j] += vf;
      dbg[j] += vg;
      dbo[j] += vo;
      acc[j] += d * d;
      dcp[j] = dct * f;
    }
}

/* The same on B rows: dg4 (B, 4H); dc_prev (B, H) = dc_t s(f) when
 * assign, else += (may be NULL); dc (B, H) (NULL means 0); db (4H), acc (H). */
RNN_BODY void
lstm_backward_pass_body (float       *dg4,
                         float       *dc_prev,
                         int          assign,
                         float       *db,
                         float       *acc,
                         const float *dh,
                         const float *dc,
                         const float *g4,
                         const float *c,
                         const float *c_prev,
                         int          B,
                         int          H)
{
  float dcp[RNN_HIDDEN_MAX]; /* (H) one row's dL/dc_{t-1} */

  for (int b = 0; b < B; b++)
    {
      const float *gi = g4 + (size_t) b * 4 * H;
      float *di = dg4 + (size_t) b * 4 * H;
      float *dcr = dc_prev != NULL && assign ? dc_prev + (size_t) b * H : dcp;
      lstm_backward_row (di, di + H, di + 2 * H, di + 3 * H, dcr, db, db + H, db + 2 * H, db + 3 * H,
                         acc, dh + (size_t) b * H, dc != NULL ? dc + (size_t) b * H : zero_row,
                         gi, gi + H, gi + 2 * H, gi + 3 * H, c + (size_t) b * H,
                         c_prev != NULL ? c_prev + (size_t) b * H : zero_row, H);
      if (dc_prev != NULL && !assign)
        for (int j = 0; j < H; j++)
          dc_prev[(size_t) b * H + j] += dcp[j];
    }
}

RNN_DISPATCH (lstm_backward_pass,
              (float *dg4, float *dc_prev, int assign, float *db, float *acc, const float *dh,
               const float *dc, const float *g4, const float *c, const float *c_prev,
               int B, int H),
              (dg4, dc_prev, assign, db, acc, dh, dc, g4, c, c_prev, B, H))

/* GRU, forward, one row of a step: gr gz ghn gn (H each) hold the
 * pre-activations of r and z, hn = h_prev W_hn^T + b_hn and xn = x W_in^T
 * + b_in, and gr gz gn are overwritten with r z n;
 *   n = tanh (xn + r hn),  h = (h_prev - n) z + n */
RNN_BODY void
gru_forward_row (float       *restrict h,
                 float       *restrict gr,
                 float       *restrict gz,
                 const float *restrict ghn,
                 float       *restrict gn,
                 const float *restrict hp,
                 int                   H)
{
  for (int j = 0; j < H; j++)
    {
      float r = sigmoid_f (gr[j]), z = sigmoid_f (gz[j]);
      float n = tanh_f (gn[j] + ghn[j] * r);
      gr[j] = r;
      gz[j] = z;
      gn[j] = n;
      h[j] = (hp[j] - n) * z + n;
    }
}

/* The same on B rows: g4 (B, 4H) [r z hn xn] becomes [r z hn n]; h_prev
 * (B, H) (NULL means 0), h (B, H). */
RNN_BODY void
gru_forward_pass_body (float       *h,
                       float       *g4,
                       const float *h_prev,
                       int          B,
                       int          H)
{
  for (int b = 0; b < B; b++)
    {
      float *gr = g4 + (size_t) b * 4 * H;
      gru_forward_row (h + (size_t) b * H, gr, gr + H, gr + 2 * H, gr + 3 * H,
                       h_prev != NULL ? h_prev + (size_t) b * H : zero_row, H);
    }
}

RNN_DISPATCH (gru_forward_pass,
              (float *h, float *g4, const float *h_prev, int B, int H),
              (h, g4, h_prev, B, H))

/* GRU, backward, one row of a step, from dh = dL/dh_t and r z hn n:
 *   (1) dn' = dh (1 - z) (1 - n^2),  dz' = dh (h_prev - n) z (1 - z)
 *   (2) dr' = dn' hn r (1 - r),      dhn = dn' r
 *   (3) dhz = dh z   (written, not added)
 *   (4) db (4 blocks) += dr' dz' dhn dn',  acc += dh^2 */
RNN_BODY void
gru_backward_row (float       *restrict dr,
                  float       *restrict dz,
                  float       *restrict dhn,
                  float       *restrict dn,
                  float       *restrict dhz,
                  float       *restrict dbr,
                  float       *restrict dbz,
                  float       *restrict dbhn,
                  float       *restrict dbn,
                  float       *restrict acc,
                  const float *restrict dh,
                  const float *restrict gr,
                  const float *restrict gz,
                  const float *restrict ghn,
                  const float *restrict gn,
                  const float *restrict hp,
                  int                   H)
{
  for (int j = 0; j < H; j++)
    {
      float r = gr[j], z = gz[j], n = gn[j], d = dh[j];
      float dnp = d * (1.0f - z) * (1.0f - n * n);
      float vz = d * (hp[j] - n) * (z * (1.0f - z));
      float vr = dnp * ghn[j] * (r * (1.0f - r));
      float vhn = dnp * r;
      dr[j] = vr;
      dz[j] = vz;
      dhn[j] = vhn;
      dn[j] = dnp;
      dbr[j] += vr;
      dbz[j] += vz;
      dbhn[j] += vhn;
      dbn[j] += dnp;
      acc[j] += d * d;
      dhz[j] = d * z;
    }
}

/* The same on B rows: dg4 (B, 4H) = [dr' dz' dhn dn']; dh_prev (B, H) =
 * dh z when assign, else += (may be NULL); h_prev (B, H) (NULL means 0);
 * db (4H), acc (H). */
RNN_BODY void
gru_backward_pass_body (float       *dg4,
                        float       *dh_prev,
                        int          assign,
                        float       *db,
                        float       *acc,
                        const float *dh,
                        const float *g4,
                        const float *h_prev,
                        int          B,
                        int          H)
{
  float dhz[RNN_HIDDEN_MAX]; /* (H) one row's direct share of dL/dh_{t-1} */

  for (int b = 0; b < B; b++)
    {
      const float *gr = g4 + (size_t) b * 4 * H;
      float *dr = dg4 + (size_t) b * 4 * H;
      float *dhr = dh_prev != NULL && assign ? dh_prev + (size_t) b * H : dhz;
      gru_backward_row (dr, dr + H, dr + 2 * H, dr + 3 * H, dhr, db, db + H, db + 2 * H, db + 3 * H,
                        acc, dh + (size_t) b * H, gr, gr + H, gr + 2 * H, gr + 3 * H,
                        h_prev != NULL ? h_prev + (size_t) b * H : zero_row, H);
      if (dh_prev != NULL && !assign)
        for (int j = 0; j < H; j++)
          dh_prev[(size_t) b * H + j] += dhz[j];
    }
}

RNN_DISPATCH (gru_backward_pass,
              (float *dg4, float *dh_prev, int assign, float *db, float *acc, const float *dh,
               const float *g4, const float *h_prev, int B, int H),
              (dg4, dh_prev, assign, db, acc, dh, g4, h_prev, B, H))

/* ---- The products of a step --------------------------------------------------- */

/* The input projection of rows [r0, r1) of x (TB, I) into their gate
 * buffers, dst (TB, ld): dst = b_ih + x W_ih^T, block by block as
 * input_segments places them. Split by rows, every element is the same
 * sum as in one product over all rows. */
typedef struct
{
  float       *dst;  /* (TB, ld) */
  const float *x;    /* (TB, I) */
  const float *W_ih; /* (G H, I) */
  const float *b_ih; /* (G H) */
  int          TB, I, ld;
  Segments     sg;
} ProjectJob;

static void
project_rows (const ProjectJob *j,
              int               r0,
              int               r1)
{
  for (int k = 0; k < j->sg.n; k++)
    {
      int row = j->sg.row[k], rows = j->sg.rows[k], col = j->sg.col[k];
      float *dst = j->dst + (size_t) r0 * j->ld + col; /* (r1 - r0, rows) of ld */

      for (int r = r0; r < r1; r++)
        memcpy (j->dst + (size_t) r * j->ld + col, j->b_ih + row, (size_t) rows * sizeof (float));
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, rows, j->I,
                   1.0f, j->x + (size_t) r0 * j->I, j->I, j->W_ih + (size_t) row * j->I, j->I,
                   1.0f, dst, j->ld);
    }
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

/* The input side of the backward of rows K of gate gradients dg (K, ld):
 * dW_ih rows [j0, j1) += dg^T x, and dx (K, I) += dg W_ih (may be NULL). */
static void
input_backward (float       *dx,
                float       *dW_ih,
                const float *dg,
                const float *x,
                const float *W_ih,
                Segments     sg,
                int          ld,
                int          K,
                int          I,
                int          j0,
                int          j1)
{
  for (int k = 0; k < sg.n; k++)
    {
      /* the rows of this block that fall in [j0, j1) */
      int a = sg.row[k] > j0 ? sg.row[k] : j0;
      int e = sg.row[k] + sg.rows[k] < j1 ? sg.row[k] + sg.rows[k] : j1;
      if (a >= e)
        continue;
      const float *dgk = dg + sg.col[k] + (a - sg.row[k]);
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, e - a, I, K,
                   1.0f, dgk, ld, x, I, 1.0f, dW_ih + (size_t) a * I, I);
      if (dx != NULL)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, K, I, e - a,
                     1.0f, dgk, ld, W_ih + (size_t) a * I, I, 1.0f, dx, I);
    }
}

/* The recurrent product of a forward step, g (rows, ldg) += h_prev (rows,
 * H) W_hh^T into the first G H columns: the prepared step product on the
 * transposed copy W_hhT (H, G H) when rec is not NULL, else cblas_sgemm on
 * W_hh (G H, H) itself (the one-step functions, the RNN without work). */
typedef struct
{
  const RnnStepGemm *rec;
  const float       *W_hhT; /* (H, G H) with rec */
  const float       *W_hh;  /* (G H, H) */
} Recurrence;

static void
recurrence_forward (float            *g,
                    const float      *h_prev,
                    const Recurrence *r,
                    int               rows,
                    int               GH,
                    int               H,
                    int               ldg)
{
  if (r->rec != NULL)
    rnn_step_gemm_run (r->rec, g, h_prev, r->W_hhT);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, rows, GH, H,
                 1.0f, h_prev, H, r->W_hh, H, 1.0f, g, ldg);
}

/* One LSTM step on `rows` rows: g4 (rows, 4H) holds the input projection;
 * adds b_hh + h_prev W_hh^T (none when h_prev is NULL: h_0 = 0), then the
 * cell. */
static void
lstm_step (float            *h,
           float            *c,
           float            *g4,
           const float      *h_prev,
           const float      *c_prev,
           const Recurrence *r,
           const float      *b_hh,
           int               rows,
           int               H)
{
  add_bias (g4, b_hh, rows, 4 * H);
  if (h_prev != NULL)
    recurrence_forward (g4, h_prev, r, rows, 4 * H, H, 4 * H);
  lstm_forward_pass (h, c, g4, c_prev, rows, H);
}

/* b_hh of the GRU into a step's gates (rows, 4H): added to r and z, and the
 * start of hn (which has no input part). */
RNN_BODY void
gru_hidden_bias_body (float       *g4,
                      const float *b_hh,
                      int          B,
                      int          H)
{
  for (int b = 0; b < B; b++)
    {
      float *g = g4 + (size_t) b * 4 * H;
      for (int j = 0; j < 2 * H; j++)
        g[j] += b_hh[j];
      memcpy (g + 2 * H, b_hh + 2 * H, (size_t) H * sizeof (float));
    }
}

RNN_DISPATCH (gru_hidden_bias, (float *g4, const float *b_hh, int B, int H), (g4, b_hh, B, H))

/* One GRU step on `rows` rows: g4 (rows, 4H) holds the input projection
 * [xr xz . xn]; adds b_hh + h_prev W_hh^T into [r z hn] (none when h_prev
 * is NULL), then the cell. */
static void
gru_step (float            *h,
          float            *g4,
          const float      *h_prev,
          const Recurrence *r,
          const float      *b_hh,
          int               rows,
          int               H)
{
  gru_hidden_bias (g4, b_hh, rows, H);
  if (h_prev != NULL)
    recurrence_forward (g4, h_prev, r, rows, 3 * H, H, 4 * H);
  gru_forward_pass (h, g4, h_prev, rows, H);
}

/* ---- LSTM and GRU, one step ---------------------------------------------------- */

void
lstm_cell_forward (float       *h,
                   float       *c,
                   float       *gates,
                   const float *x,
                   const float *h_prev,
                   const float *c_prev,
                   const float *W_ih,
                   const float *W_hh,
                   const float *b_ih,
                   const float *b_hh,
                   int          B,
                   int          I,
                   int          H)
{
  ProjectJob project = { gates, x, W_ih, b_ih, B, I, 4 * H, input_segments (RNN_CELL_LSTM, H) };
  Recurrence r = { NULL, NULL, W_hh };

  project_rows (&project, 0, B);
  lstm_step (h, c, gates, h_prev, c_prev, &r, b_hh, B, H);
}

/* The bias gradients of a step, summed over its rows into db (S H): both
 * biases of rnn and lstm get all of it; the GRU's hidden bias gets [dr dz
 * dhn] and its input bias [dr dz dn]. */
static void
add_bias_grads (float       *db_ih,
                float       *db_hh,
                const float *db,
                RnnCell      cell,
                int          H)
{
  Segments sg = input_segments (cell, H);
  int GH = rnn_cell_gate_count (cell) * H;

  for (int j = 0; j < GH; j++)
    db_hh[j] += db[j];
  for (int k = 0; k < sg.n; k++)
    for (int j = 0; j < sg.rows[k]; j++)
      db_ih[sg.row[k] + j] += db[sg.col[k] + j];
}

void
lstm_cell_backward (float       *dx,
                    float       *dh_prev,
                    float       *dc_prev,
                    float       *dW_ih,
                    float       *dW_hh,
                    float       *db_ih,
                    float       *db_hh,
                    float       *dgates,
                    const float *dh,
                    const float *dc,
                    const float *gates,
                    const float *c,
                    const float *x,
                    const float *h_prev,
                    const float *c_prev,
                    const float *W_ih,
                    const float *W_hh,
                    int          B,
                    int          I,
                    int          H)
{
  float db[4 * RNN_HIDDEN_MAX] = { 0 }; /* (4H) */
  float acc[RNN_HIDDEN_MAX] = { 0 };    /* (H) unused here */

  lstm_backward_pass (dgates, dc_prev, 0, db, acc, dh, dc, gates, c, c_prev, B, H);
  add_bias_grads (db_ih, db_hh, db, RNN_CELL_LSTM, H);
  input_backward (dx, dW_ih, dgates, x, W_ih, input_segments (RNN_CELL_LSTM, H), 4 * H, B, I, 0, 4 * H);
  if (h_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, 4 * H, H, B,
                 1.0f, dgates, 4 * H, h_prev, H, 1.0f, dW_hh, H);
  if (dh_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, 4 * H,
                 1.0f, dgates, 4 * H, W_hh, H, 1.0f, dh_prev, H);
}

void
gru_cell_forward (float       *h,
                  float       *gates,
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
  ProjectJob project = { gates, x, W_ih, b_ih, B, I, 4 * H, input_segments (RNN_CELL_GRU, H) };
  Recurrence r = { NULL, NULL, W_hh };

  project_rows (&project, 0, B);
  gru_step (h, gates, h_prev, &r, b_hh, B, H);
}

void
gru_cell_backward (float       *dx,
                   float       *dh_prev,
                   float       *dW_ih,
                   float       *dW_hh,
                   float       *db_ih,
                   float       *db_hh,
                   float       *dgates,
                   const float *dh,
                   const float *gates,
                   const float *x,
                   const float *h_prev,
                   const float *W_ih,
                   const float *W_hh,
                   int          B,
                   int          I,
                   int          H)
{
  float db[4 * RNN_HIDDEN_MAX] = { 0 }; /* (4H) */
  float acc[RNN_HIDDEN_MAX] = { 0 };    /* (H) unused here */

  gru_backward_pass (dgates, dh_prev, 0, db, acc, dh, gates, h_prev, B, H);
  add_bias_grads (db_ih, db_hh, db, RNN_CELL_GRU, H);
  input_backward (dx, dW_ih, dgates, x, W_ih, input_segments (RNN_CELL_GRU, H), 4 * H, B, I, 0, 3 * H);
  if (h_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, 3 * H, H, B,
                 1.0f, dgates, 4 * H, h_prev, H, 1.0f, dW_hh, H);
  if (dh_prev != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, 3 * H,
                 1.0f, dgates, 4 * H, W_hh, H, 1.0f, dh_prev, H);
}

/* ---- The work buffers ------------------------------------------------------------ */

/* Rows of K that dW_hh's step kernels take at a time (see weight_grad_rows):
 * a chunk of dgates and of h^T stays in cache while the kernel goes over
 * dW_hh^T. */
#define WGRAD_CHUNK 256

float *
rnn_scratch_new (size_t n)
{
  size_t bytes = (n > 0 ? n : 1) * sizeof (float);
  void *p = NULL;
  const size_t huge = 2u << 20;

  /* Buffers of several megabytes are aligned to 2 MiB and offered to the
   * kernel for transparent huge pages, which saves TLB misses when BPTT
   * walks hundreds of megabytes; every page is touched now, so that the
   * first epoch does not pay for page faults. */
  if (bytes >= 4 * huge)
    {
      bytes = (bytes + huge - 1) / huge * huge;
      if (posix_memalign (&p, huge, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
      madvise (p, bytes, MADV_HUGEPAGE);
#endif
    }
  else if ((p = malloc (bytes)) == NULL)
    return NULL;
  memset (p, 0, bytes);
  return p;
}

RnnWork *
rnn_work_new (RnnCell cell,
              int     T,
              int     B,
              int     H,
              int     backward)
{
  RnnWork *w = calloc (1, sizeof *w);
  size_t TBH = (size_t) T * B * H, BH = (size_t) B * H;
  int S = slot_width (cell);

  if (w == NULL)
    return NULL;
  w->cell = cell;
  w->T = T;
  w->B = B;
  w->H = H;
  w->backward = backward;
  int ok = 1;
  if (rnn_step_gemm_has_kernels ())
    ok &= (w->W_hhT = rnn_scratch_new ((size_t) rnn_cell_gate_count (cell) * H * H)) != NULL;
  if (cell != RNN_CELL_RNN)
    ok &= (w->gates = rnn_scratch_new (TBH * S)) != NULL;
  if (rnn_cell_has_state (cell))
    ok &= (w->cs = rnn_scratch_new (TBH + BH)) != NULL;
  if (backward)
    {
      ok &= (w->dgates = rnn_scratch_new (TBH * S)) != NULL;
      if (rnn_step_gemm_has_kernels ())
        {
          ok &= (w->hsT = rnn_scratch_new (2 * (size_t) H * WGRAD_CHUNK)) != NULL;
          ok &= (w->dW_hhT = rnn_scratch_new ((size_t) rnn_cell_gate_count (cell) * H * H)) != NULL;
        }
      ok &= (w->dh_sumsq = calloc (2 * (size_t) T, sizeof (double))) != NULL;
      if (cell != RNN_CELL_RNN)
        ok &= (w->dh = rnn_scratch_new (2 * BH)) != NULL;
      if (rnn_cell_has_state (cell))
        ok &= (w->dc = rnn_scratch_new (2 * BH)) != NULL;
    }
  if (!ok)
    {
      rnn_work_free (w);
      return NULL;
    }
  return w;
}

size_t
rnn_work_floats (RnnCell cell,
                 int     T,
                 int     B,
                 int     H,
                 int     backward)
{
  size_t TBH = (size_t) T * B * H, BH = (size_t) B * H, n = 0;
  int S = slot_width (cell);

  /* as rnn_work_new allocates them; a double counts as two floats */
  if (rnn_step_gemm_has_kernels ())
    n += (size_t) rnn_cell_gate_count (cell) * H * H;
  if (cell != RNN_CELL_RNN)
    n += TBH * S;
  if (rnn_cell_has_state (cell))
    n += TBH + BH;
  if (backward)
    {
      n += TBH * S + 4 * (size_t) T;
      if (rnn_step_gemm_has_kernels ())
        n += 2 * (size_t) H * WGRAD_CHUNK + (size_t) rnn_cell_gate_count (cell) * H * H;
      if (cell != RNN_CELL_RNN)
        n += 2 * BH;
      if (rnn_cell_has_state (cell))
        n += 2 * BH;
    }
  return n;
}

void
rnn_work_free (RnnWork *w)
{
  if (w == NULL)
    return;
  free (w->gates);
  free (w->cs);
  free (w->dgates);
  free (w->dh);
  free (w->dc);
  free (w->dh_sumsq);
  free (w->W_hhT);
  free (w->hsT);
  free (w->dW_hhT);
  free (w);
}

int
rnn_work_fits (const RnnWork *w,
               RnnCell        cell,
               int            T,
               int            B,
               int            H,
               int            backward)
{
  return w != NULL && w->cell == cell && w->H == H && T <= w->T && B <= w->B
         && (w->backward || !backward);
}

/* ---- The model over B windows ----------------------------------------------- */

/* (2) of the forward pass on rows [r0, r1) of the batch: step t fills
 * hs[t] (and the cell's gates and c_t) from the input projection already
 * in its gate buffer, while that block is in cache: one sgemm per step,
 * the sequential part (none at t = 1: h_0 = 0). The rows of a slab are
 * contiguous, so a row block is a (r1 - r0, .) matrix in place. */
static void
forward_steps (float          *hs,
               RnnWork        *w,
               const RnnModel *m,
               int             T,
               int             B,
               int             r0,
               int             r1)
{
  int H = m->H, rows = r1 - r0, S = slot_width (m->cell);
  int GH = rnn_cell_gate_count (m->cell) * H;
  size_t BH = (size_t) B * H, B4H = 4 * BH;
  const float *W_hh = rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL); /* (G H, H) */
  const float *b_hh = rnn_model_tensor (m, RNN_TENSOR_B_HH, NULL, NULL); /* (G H) */
  /* the step product (rows, G H) += h_{t-1} (rows, H) W_hh^T: with step
   * kernels on the transposed copy the work holds (none for the RNN
   * without work), else cblas_sgemm on W_hh */
  RnnStepGemm rec;
  Recurrence r = { NULL, NULL, W_hh };
  if (w != NULL && w->W_hhT != NULL)
    {
      rnn_step_gemm_prepare (&rec, rows, GH, H, H, GH, S * H, 1.0f);
      r.rec = &rec;
      r.W_hhT = w->W_hhT;
    }

  for (int t = 1; t <= T; t++)
    {
      float *h = hs + (size_t) t * BH + (size_t) r0 * H;     /* (rows, H) */
      const float *h_prev = t > 1 ? h - BH : NULL;             /* (rows, H) */
      float *g4 = w != NULL && w->gates != NULL
                  ? w->gates + (size_t) (t - 1) * B4H + (size_t) r0 * 4 * H : NULL; /* (rows, 4H) */

      switch (m->cell)
        {
        case RNN_CELL_RNN:
          /* h_t = tanh (pre_t + b_hh + h_{t-1} W_hh^T), pre_t already in hs[t] */
          add_bias (h, b_hh, rows, H);
          if (h_prev != NULL)
            recurrence_forward (h, h_prev, &r, rows, H, H, H);
          rnn_tanh_inplace (h, (size_t) rows * H);
          break;
        case RNN_CELL_LSTM:
          {
            float *c = w->cs + (size_t) t * BH + (size_t) r0 * H; /* (rows, H) */
            lstm_step (h, c, g4, h_prev, t > 1 ? c - BH : NULL, &r, b_hh, rows, H);
          }
          break;
        case RNN_CELL_GRU:
          gru_step (h, g4, h_prev, &r, b_hh, rows, H);
          break;
        case RNN_N_CELLS:
        default:
          assert (!"no such cell");
        }
    }
}

typedef struct
{
  float          *hs; /* (T+1, B, H) */
  RnnWork        *w;
  const RnnModel *m;
  int             T, B;
} ForwardJob;

static void
forward_part (void *arg,
              int   part)
{
  ForwardJob *j = arg;
  int r0, r1;

  rnn_split_rows (j->B, part, &r0, &r1);
  forward_steps (j->hs, j->w, j->m, j->T, j->B, r0, r1);
}

void
rnn_model_forward_work (float          *y,
                        float          *hs,
                        RnnWork        *w,
                        const float    *x,
                        const RnnModel *m,
                        int             T,
                        int             B,
                        RnnSplit       *split)
{
  int I = m->I, H = m->H, O = m->O;
  size_t BH = (size_t) B * H;
  const float *W_ih = rnn_model_tensor (m, RNN_TENSOR_W_IH, NULL, NULL); /* (G H, I) */
  const float *b_ih = rnn_model_tensor (m, RNN_TENSOR_B_IH, NULL, NULL); /* (G H) */
  const float *W_fc = rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL); /* (O, H) */
  const float *b_fc = rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL); /* (O) */
  int S = slot_width (m->cell);

  assert (m->cell == RNN_CELL_RNN || rnn_work_fits (w, m->cell, T, B, H, 0));
  memset (hs, 0, BH * sizeof (float)); /* h_0 = 0 */
  if (w != NULL && w->W_hhT != NULL)
    {
      /* W_hh^T (H, G H) for the step kernels (stepgemm.h takes no
       * transposes) */
      int GH = rnn_cell_gate_count (m->cell) * H;
      cblas_somatcopy (CblasRowMajor, CblasTrans, GH, H, 1.0f,
                       rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL), H, w->W_hhT, GH);
    }
  if (w != NULL && w->cs != NULL)
    memset (w->cs, 0, BH * sizeof (float)); /* c_0 = 0 */

  /* (1) the input projection of every step at once, pre (T B, G H) = b_ih
   *     + x (T B, I) W_ih^T: for the RNN in place in hs[1..T], for the
   *     others into the gate buffers */
  ProjectJob project = { m->cell == RNN_CELL_RNN ? hs + BH : w->gates, x, W_ih, b_ih,
                         T * B, I, S * H, input_segments (m->cell, H) };
  if (split != NULL && B >= 2)
    rnn_split_run (split, project_part, &project);
  else
    project_rows (&project, 0, T * B);

  /* (2) the recurrence, on all rows here or half of them on each thread */
  ForwardJob job = { hs, w, m, T, B };
  if (split != NULL && B >= 2)
    rnn_split_run (split, forward_part, &job);
  else
    forward_steps (hs, w, m, T, B, 0, B);

  /* (3) y = h_T W_fc^T + b_fc */
  linear_forward (y, hs + (size_t) T * BH, W_fc, b_fc, B, H, O);
}

RnnStatus
rnn_model_reserve (RnnModel *m,
                   int       T,
                   int       B)
{
  if (rnn_work_fits (m->work, m->cell, T, B, m->H, 1))
    return RNN_OK;
  rnn_work_free (m->work);
  m->work = rnn_work_new (m->cell, T, B, m->H, 1);
  return m->work != NULL ? RNN_OK : RNN_ERR_NOMEM;
}

void
rnn_model_forward (float          *y,
                   float          *hs,
                   const float    *x,
                   const RnnModel *m,
                   int             T,
                   int             B)
{
  /* The work is the model's scratch, not part of its value: sizing it
   * here changes no parameter. The RNN needs none for a forward pass. */
  if (m->cell != RNN_CELL_RNN && rnn_model_reserve ((RnnModel *) m, T, B) != RNN_OK)
    {
      for (int i = 0; i < B * m->O; i++)
        y[i] = NAN;
      return;
    }
  rnn_model_forward_work (y, hs, m->work, x, m, T, B, NULL);
}

/* One step of the RNN's BPTT elementwise work, on a (B, H) slice in cache:
 *   (1) acc += dh_t^2,  dpre_t = dh_t * (1 - h_t^2), in place
 *   (2) db += sum_b dpre_t                       (B rows into one)
 * db is (H), the bias gradient both biases share; acc (H). */
RNN_BODY void
step_backward_body (float       *d,
                    float       *db,
                    float       *acc,
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
          acc[j] += dr[j] * dr[j];
          dr[j] *= 1.0f - hr[j] * hr[j];
          db[j] += dr[j];
        }
    }
}

RNN_DISPATCH (step_backward,
              (float *d, float *db, float *acc, const float *h, int B, int H),
              (d, db, acc, h, B, H))

/* (2) of BPTT on rows [r0, r1) of the batch, from dL/dh_T in place (for
 * the RNN in dgates' last slot, else in dh's slot T mod 2): each step's
 * fused pass turns dL/dh_t into the gate gradients dgates_t (db (S H) +=
 * their column sums, sumsq[t - 1] += the squares of dL/dh_t), then
 * dh_{t-1} (rows, H) = dgates_t W_hh, the one sequential sgemm per step. */
static void
backward_steps (RnnWork        *w,
                float          *db,
                double         *sumsq,
                const RnnModel *m,
                const float    *hs,
                int             T,
                int             B,
                int             r0,
                int             r1)
{
  int H = m->H, rows = r1 - r0, S = slot_width (m->cell);
  int GH = rnn_cell_gate_count (m->cell) * H;
  size_t BH = (size_t) B * H, off = (size_t) r0 * H;
  const float *W_hh = rnn_model_tensor (m, RNN_TENSOR_W_HH, NULL, NULL); /* (G H, H) */
  float acc[RNN_HIDDEN_MAX];                                             /* (H) */
  /* dh_{t-1} (rows, H) (+)= dgates_t[:, 0:G H] W_hh; the GRU's direct
   * term dh_t z is in dh_prev already */
  RnnStepGemm rec;
  rnn_step_gemm_prepare (&rec, rows, H, GH, S * H, H, H, m->cell == RNN_CELL_GRU ? 1.0f : 0.0f);

  for (int t = T; t >= 1; t--)
    {
      float *dg = w->dgates + (size_t) (t - 1) * S * BH + (size_t) r0 * S * H; /* (rows, S H) */
      const float *h_prev = hs + (size_t) (t - 1) * BH + off;                /* (rows, H) */
      float *dh = NULL, *dh_prev = NULL;                                       /* (rows, H) */

      memset (acc, 0, (size_t) H * sizeof (float));
      switch (m->cell)
        {
        case RNN_CELL_RNN:
          /* slot t - 1 holds dh_t, turned in place into dpre_t */
          step_backward (dg, db, acc, hs + (size_t) t * BH + off, rows, H);
          dh_prev = t > 1 ? dg - BH : NULL;
          break;
        case RNN_CELL_LSTM:
          {
            float *dc = w->dc + (size_t) (t & 1) * BH + off;
            float *dc_prev = w->dc + (size_t) ((t - 1) & 1) * BH + off;
            const float *c = w->cs + (size_t) t * BH + off;
            dh = w->dh + (size_t) (t & 1) * BH + off;
            dh_prev = t > 1 ? w->dh + (size_t) ((t - 1) & 1) * BH + off : NULL;
            lstm_backward_pass (dg, t > 1 ? dc_prev : NULL, 1, db, acc, dh, dc,
                                w->gates + (size_t) (t - 1) * 4 * BH + (size_t) r0 * 4 * H,
                                c, c - BH, rows, H);
          }
          break;
        case RNN_CELL_GRU:
          dh = w->dh + (size_t) (t & 1) * BH + off;
          dh_prev = t > 1 ? w->dh + (size_t) ((t - 1) & 1) * BH + off : NULL;
          gru_backward_pass (dg, dh_prev, 1, db, acc, dh,
                             w->gates + (size_t) (t - 1) * 4 * BH + (size_t) r0 * 4 * H,
                             h_prev, rows, H);
          break;
        case RNN_N_CELLS:
        default:
          assert (!"no such cell");
        }

      double ss = 0.0;
      for (int j = 0; j < H; j++)
        ss += (double) acc[j];
      sumsq[t - 1] += ss;

      if (dh_prev != NULL)
        rnn_step_gemm_run (&rec, dh_prev, dg, W_hh);
    }
}

typedef struct
{
  RnnWork        *w;
  float          *db[2];  /* (S H) each part's bias gradient */
  const RnnModel *m;
  const float    *hs;     /* (T+1, B, H) */
  int             T, B;
} BackwardJob;

static void
backward_part (void *arg,
               int   part)
{
  BackwardJob *j = arg;
  int r0, r1;

  rnn_split_rows (j->B, part, &r0, &r1);
  backward_steps (j->w, j->db[part], j->w->dh_sumsq + (size_t) part * j->T, j->m, j->hs,
                  j->T, j->B, r0, r1);
}

/* (3) and (4) of BPTT on rows [j0, j1) of dW_hh and dW_ih */
typedef struct
{
  float       *dW_hh;  /* (G H, H) */
  float       *dW_ih;  /* (G H, I) */
  float       *dW_hhT; /* (H, G H) scratch, with step kernels */
  float       *hsT;    /* (2, H, WGRAD_CHUNK) scratch, or NULL: no step kernels */
  const float *dg;     /* (T, B, S H) */
  const float *hs;     /* (T+1, B, H) */
  const float *x;      /* (T, B, I) */
  RnnCell      cell;
  int          T, B, I, H;
} WeightGradJob;


static void
weight_grad_rows (const WeightGradJob *j,
                  int                  part,
                  int                  j0,
                  int                  j1)
{
  int H = j->H, S = slot_width (j->cell), rows = j1 - j0;
  size_t BSH = (size_t) j->B * S * H;

  if (j->T > 1 && j->hsT != NULL)
    {
      /* dW_hh^T (H, G H) = h^T (H, K) dg (K, G H), columns [j0, j1), on
       * the step kernels (which take no transposes), chunk by chunk of K,
       * each chunk of h_1 .. h_{T-1} (kc, H) transposed into hsT (H, kc)
       * first (the first chunk overwriting, the others adding: each
       * element is still its whole sum in the order of K); then added,
       * transposed, to dW_hh */
      int K = (j->T - 1) * j->B, GH = rnn_cell_gate_count (j->cell) * H, C = WGRAD_CHUNK;
      const float *h = j->hs + (size_t) j->B * H; /* (K, H) */
      const float *dg = j->dg + BSH + j0;         /* (K, rows) of S H */
      float *hsT = j->hsT + (size_t) part * H * C; /* (H, C) */
      float *dWT = j->dW_hhT + j0;                 /* (H, rows) of G H */
      RnnStepGemm first, next, last;

      rnn_step_gemm_prepare (&first, H, rows, K < C ? K : C, C, S * H, GH, 0.0f);
      rnn_step_gemm_prepare (&next, H, rows, C, C, S * H, GH, 1.0f);
      rnn_step_gemm_prepare (&last, H, rows, K % C, C, S * H, GH, 1.0f);
      for (int k0 = 0; k0 < K; k0 += C)
        {
          int kc = K - k0 < C ? K - k0 : C;
          cblas_somatcopy (CblasRowMajor, CblasTrans, kc, H, 1.0f, h + (size_t) k0 * H, H, hsT, C);
          rnn_step_gemm_run (k0 == 0 ? &first : kc == C ? &next : &last,
                             dWT, hsT, dg + (size_t) k0 * S * H);
        }
      for (int r = j0; r < j1; r++)
        for (int i = 0; i < H; i++)
          j->dW_hh[(size_t) r * H + i] += j->dW_hhT[(size_t) i * GH + r];
    }
  else if (j->T > 1)
    /* rows [j0, j1) of dg^T are columns [j0, j1) of dg (K, S H) */
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, rows, H, (j->T - 1) * j->B,
                 1.0f, j->dg + BSH + j0, S * H, j->hs + (size_t) j->B * H, H,
                 1.0f, j->dW_hh + (size_t) j0 * H, H);
  input_backward (NULL, j->dW_ih, j->dg, j->x, NULL, input_segments (j->cell, H), S * H,
                  j->T * j->B, j->I, j0, j1);
}

static void
weight_grad_part (void *arg,
                  int   part)
{
  WeightGradJob *j = arg;
  int j0, j1;

  rnn_split_rows (rnn_cell_gate_count (j->cell) * j->H, part, &j0, &j1);
  weight_grad_rows (j, part, j0, j1);
}

void
rnn_model_backward_work (RnnModel    *m,
                         float       *dh_norm,
                         RnnWork     *w,
                         const float *dy,
                         const float *hs,
                         const float *x,
                         int          T,
                         int          B,
                         RnnSplit    *split)
{
  int I = m->I, H = m->H, O = m->O, S = slot_width (m->cell);
  int GH = rnn_cell_gate_count (m->cell) * H;
  size_t BH = (size_t) B * H;
  const float *W_fc = rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL);      /* (O, H) */
  float *dW_ih = rnn_model_grad_tensor (m, RNN_TENSOR_W_IH, NULL, NULL);      /* (G H, I) */
  float *dW_hh = rnn_model_grad_tensor (m, RNN_TENSOR_W_HH, NULL, NULL);      /* (G H, H) */
  float *db_ih = rnn_model_grad_tensor (m, RNN_TENSOR_B_IH, NULL, NULL);      /* (G H) */
  float *db_hh = rnn_model_grad_tensor (m, RNN_TENSOR_B_HH, NULL, NULL);      /* (G H) */
  float *dW_fc = rnn_model_grad_tensor (m, RNN_TENSOR_FC_W, NULL, NULL);      /* (O, H) */
  float *db_fc = rnn_model_grad_tensor (m, RNN_TENSOR_FC_B, NULL, NULL);      /* (O) */
  const float *hT = hs + (size_t) T * BH;                                     /* (B, H) */
  float db_local[2][4 * RNN_HIDDEN_MAX];                                      /* (2, S H) */

  assert (rnn_work_fits (w, m->cell, T, B, H, 1));
  memset (db_local[0], 0, (size_t) S * H * sizeof (float));
  memset (db_local[1], 0, (size_t) S * H * sizeof (float));
  memset (w->dh_sumsq, 0, 2 * (size_t) T * sizeof (double));

  /* (1) the output layer: dW_fc += dy^T h_T, db_fc += sum dy, and dh_T =
   *     dy W_fc, written straight where step T reads it (for the RNN
   *     dgates' last slot); dL/dc_T = 0 */
  float *dh_T = m->cell == RNN_CELL_RNN ? w->dgates + (size_t) (T - 1) * BH
                                        : w->dh + (size_t) (T & 1) * BH;
  memset (dh_T, 0, BH * sizeof (float));
  if (w->dc != NULL)
    memset (w->dc + (size_t) (T & 1) * BH, 0, BH * sizeof (float));
  linear_backward (dh_T, dW_fc, db_fc, dy, hT, W_fc, B, H, O);

  /* (2) back through time, on all rows here or half of them on each
   *     thread, each half summing its own bias gradient */
  BackwardJob job = { w, { db_local[0], db_local[1] }, m, hs, T, B };
  if (split != NULL && B >= 2)
    rnn_split_run (split, backward_part, &job);
  else
    backward_steps (w, db_local[0], w->dh_sumsq, m, hs, T, B, 0, B);

  /* (3) dW_hh (G H, H) += sum_t dgates_t^T h_{t-1}, one sgemm over
   *     K = (T - 1) B rows (t = 1 adds nothing: h_0 = 0); (4) dW_ih (G H, I)
   *     += sum_t dgates_t^T x_t, one over K = T B rows. Split, each thread
   *     takes half of the rows of dW: every element is still one whole sum
   *     over K, in the same order. With step kernels dW_hh is made
   *     transposed (see weight_grad_rows). */
  WeightGradJob wjob = { dW_hh, dW_ih, w->dW_hhT, w->hsT, w->dgates, hs, x, m->cell, T, B, I, H };
  if (split != NULL && GH >= 2)
    rnn_split_run (split, weight_grad_part, &wjob);
  else
    weight_grad_rows (&wjob, 0, 0, GH);

  /* (5) the bias gradients: the gate gradients summed over steps and
   *     windows (part 1's sum is zero when unsplit, and adding 0 changes
   *     no bit) */
  for (int j = 0; j < S * H; j++)
    db_local[0][j] += db_local[1][j];
  add_bias_grads (db_ih, db_hh, db_local[0], m->cell, H);

  /* (6) |dL/dh_t|, both halves of the batch together */
  if (dh_norm != NULL)
    for (int t = 0; t < T; t++)
      dh_norm[t] = (float) sqrt (w->dh_sumsq[t] + w->dh_sumsq[T + t]);
}

void
rnn_model_backward (RnnModel    *m,
                    const float *dy,
                    const float *hs,
                    const float *x,
                    int          T,
                    int          B)
{
  if (rnn_model_reserve (m, T, B) != RNN_OK)
    {
      for (size_t i = 0; i < m->n_params; i++)
        m->grads[i] = NAN;
      return;
    }
  rnn_model_backward_work (m, NULL, m->work, dy, hs, x, T, B, NULL);
}

/* ---- One window, for the views ------------------------------------------------ */

/* The column block of gate k in a step's gate buffer (see the top). */
static int
gate_column (RnnCell cell,
             int     k)
{
  return cell == RNN_CELL_GRU && k == 2 ? 3 : k;
}

void
rnn_work_window_gates (float         *out,
                       const RnnWork *w,
                       const float   *hs,
                       int            window,
                       int            T,
                       int            B)
{
  int H = w->H, G = rnn_cell_gate_count (w->cell);

  for (int t = 0; t < T; t++)
    for (int k = 0; k < G; k++)
      {
        const float *src = w->cell == RNN_CELL_RNN
                           ? hs + ((size_t) (t + 1) * B + window) * H
                           : w->gates + ((size_t) t * B + window) * 4 * H + (size_t) gate_column (w->cell, k) * H;
        memcpy (out + ((size_t) t * G + k) * H, src, (size_t) H * sizeof (float));
      }
}

void
rnn_work_window_state (float         *cs_out,
                       const RnnWork *w,
                       int            window,
                       int            T,
                       int            B)
{
  int H = w->H;

  for (int t = 0; t < T; t++)
    {
      float *dst = cs_out + (size_t) t * H;
      if (w->cs != NULL)
        memcpy (dst, w->cs + ((size_t) (t + 1) * B + window) * H, (size_t) H * sizeof (float));
      else
        memset (dst, 0, (size_t) H * sizeof (float));
    }
}

/* The recurrent weights of the cell inside a raw parameter buffer. */
static void
cell_weights (const float **W_ih,
              const float **W_hh,
              const float **b_ih,
              const float **b_hh,
              RnnCell       cell,
              const float  *params,
              int           I,
              int           H,
              int           O)
{
  *W_ih = params + tensor_offset (cell, I, H, O, RNN_TENSOR_W_IH); /* (G H, I) */
  *W_hh = params + tensor_offset (cell, I, H, O, RNN_TENSOR_W_HH); /* (G H, H) */
  *b_ih = params + tensor_offset (cell, I, H, O, RNN_TENSOR_B_IH); /* (G H) */
  *b_hh = params + tensor_offset (cell, I, H, O, RNN_TENSOR_B_HH); /* (G H) */
}

void
rnn_window_states (RnnCell      cell,
                   float       *hs,
                   float       *cs,
                   float       *gates,
                   const float *x,
                   const float *params,
                   int          T,
                   int          I,
                   int          H,
                   int          O)
{
  const float *W_ih, *W_hh, *b_ih, *b_hh;
  int G = rnn_cell_gate_count (cell);
  float g4[4 * RNN_HIDDEN_MAX];    /* (4H) one step's gates */
  float c[2][RNN_HIDDEN_MAX];      /* (2, H) c_t and c_{t-1} */

  cell_weights (&W_ih, &W_hh, &b_ih, &b_hh, cell, params, I, H, O);
  /* row t of hs is h_{t+1}, computed from row t - 1 (h_0 = c_0 = 0) */
  for (int t = 0; t < T; t++)
    {
      float *h = hs + (size_t) t * H;
      const float *h_prev = t > 0 ? h - H : NULL;
      const float *xt = x + (size_t) t * I;
      float *ct = c[t & 1];

      switch (cell)
        {
        case RNN_CELL_RNN:
          rnn_cell_forward (h, xt, h_prev, W_ih, W_hh, b_ih, b_hh, 1, I, H);
          if (gates != NULL)
            memcpy (gates + (size_t) t * H, h, (size_t) H * sizeof (float));
          memset (ct, 0, (size_t) H * sizeof (float));
          break;
        case RNN_CELL_LSTM:
          lstm_cell_forward (h, ct, g4, xt, h_prev, t > 0 ? c[(t - 1) & 1] : NULL,
                             W_ih, W_hh, b_ih, b_hh, 1, I, H);
          break;
        case RNN_CELL_GRU:
          gru_cell_forward (h, g4, xt, h_prev, W_ih, W_hh, b_ih, b_hh, 1, I, H);
          memset (ct, 0, (size_t) H * sizeof (float));
          break;
        case RNN_N_CELLS:
        default:
          assert (!"no such cell");
        }
      if (gates != NULL && cell != RNN_CELL_RNN)
        for (int k = 0; k < G; k++)
          memcpy (gates + ((size_t) t * G + k) * H, g4 + (size_t) gate_column (cell, k) * H,
                  (size_t) H * sizeof (float));
      if (cs != NULL)
        memcpy (cs + (size_t) t * H, ct, (size_t) H * sizeof (float));
    }
}

void
rnn_hidden_sequence (float       *hs,
                     const float *x,
                     const float *params,
                     int          T,
                     int          I,
                     int          H,
                     int          O)
{
  rnn_window_states (RNN_CELL_RNN, hs, NULL, NULL, x, params, T, I, H, O);
}

RnnStatus
rnn_step_terms (RnnCell      cell,
                float       *ih,
                float       *hh,
                float       *pre,
                float       *hs,
                float       *cs,
                float       *gs,
                const float *x,
                const float *params,
                int          t,
                int          I,
                int          H,
                int          O)
{
  int G, GH;
  const float *W_ih, *W_hh, *b_ih, *b_hh, *xt, *h_prev;

  if ((unsigned) cell >= RNN_N_CELLS || t < 1 || I < 1 || O < 1 || H < 1 || H > RNN_HIDDEN_MAX)
    return RNN_ERR_SHAPE;
  G = rnn_cell_gate_count (cell);
  GH = G * H;
  cell_weights (&W_ih, &W_hh, &b_ih, &b_hh, cell, params, I, H, O);

  /* the states of steps 1..t, by the views' own forward */
  rnn_window_states (cell, hs, cs, gs, x, params, t, I, H, O);
  xt = x + (size_t) (t - 1) * I;
  h_prev = t > 1 ? hs + (size_t) (t - 2) * H : NULL;

  /* ih = W_ih x_t,  hh = W_hh h_{t-1} */
  cblas_sgemv (CblasRowMajor, CblasNoTrans, GH, I, 1.0f, W_ih, I, xt, 1, 0.0f, ih, 1);
  if (h_prev != NULL)
    cblas_sgemv (CblasRowMajor, CblasNoTrans, GH, H, 1.0f, W_hh, H, h_prev, 1, 0.0f, hh, 1);
  else
    memset (hh, 0, (size_t) GH * sizeof (float));

  for (int i = 0; i < GH; i++)
    pre[i] = ih[i] + b_ih[i] + hh[i] + b_hh[i];
  if (cell == RNN_CELL_GRU)
    {
      /* n = W_in x + b_in + r (W_hn h + b_hn): r is gate block 0 of step t */
      const float *r = gs + (size_t) (t - 1) * G * H;

      for (int j = 0; j < H; j++)
        pre[2 * H + j] = ih[2 * H + j] + b_ih[2 * H + j] + r[j] * (hh[2 * H + j] + b_hh[2 * H + j]);
    }
  return RNN_OK;
}
