/* rnn.h: the recurrent cells of PyTorch (nn.RNN with tanh, nn.LSTM,
 * nn.GRU; one layer, batch first, zero initial states, both biases) with a
 * linear output layer on the last hidden state, forward and backward (BPTT).
 *
 *   rnn:  h_t = tanh (W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
 *   lstm: [i f g o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 *         c_t = s(f) c_{t-1} + s(i) tanh (g),  h_t = s(o) tanh (c_t)
 *   gru:  [r z] = s (W_i[rz] x_t + b_i[rz] + W_h[rz] h_{t-1} + b_h[rz])
 *         n = tanh (W_in x_t + b_in + r (W_hn h_{t-1} + b_hn))
 *         h_t = (1 - z) n + z h_{t-1}
 *   y   = W_fc h_T + b_fc,  h_0 = c_0 = 0,  s the logistic sigmoid
 *
 * Plain C11 + CBLAS. No GLib, no GTK. Every function returns a status or
 * nothing; nothing here prints, exits, or allocates inside an epoch.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "rng.h"

typedef enum
{
  RNN_OK = 0,
  RNN_ERR_NOMEM,     /* allocation failed */
  RNN_ERR_SHAPE,     /* sizes out of range or inconsistent */
  RNN_ERR_NONFINITE, /* a loss or parameter became NaN or infinite */
  RNN_ERR_BUDGET,    /* the shape needs more memory than RNN_MEMORY_BUDGET (limits.h) */
} RnnStatus;

/* The cell. Everything that differs between cells is answered by the
 * functions below, so callers never switch on it. */
typedef enum
{
  RNN_CELL_RNN,  /* nn.RNN, tanh: 1 gate block */
  RNN_CELL_LSTM, /* nn.LSTM: 4 gate blocks i, f, g, o */
  RNN_CELL_GRU,  /* nn.GRU: 3 gate blocks r, z, n */
  RNN_N_CELLS
} RnnCell;

/* The six tensors, in PyTorch's state_dict order; G = rnn_cell_gate_count. */
typedef enum
{
  RNN_TENSOR_W_IH, /* (G H, I) rnn.weight_ih_l0 */
  RNN_TENSOR_W_HH, /* (G H, H) rnn.weight_hh_l0 */
  RNN_TENSOR_B_IH, /* (G H)    rnn.bias_ih_l0   */
  RNN_TENSOR_B_HH, /* (G H)    rnn.bias_hh_l0   */
  RNN_TENSOR_FC_W, /* (O, H) fc.weight        */
  RNN_TENSOR_FC_B, /* (O)    fc.bias          */
  RNN_N_TENSORS
} RnnTensor;

typedef struct RnnWork RnnWork;

typedef struct
{
  RnnCell cell;
  int I, H, O;
  size_t n_params;
  /* One contiguous buffer per role; the six tensors lie back to back in
   * RnnTensor order, each row-major (as PyTorch stores them). */
  float *params; /* (n_params) */
  float *grads;  /* (n_params) same layout */
  RnnWork *work; /* the caches of rnn_model_forward / _backward, sized on first use */
} RnnModel;

/* "rnn", "lstm", "gru" */
const char *rnn_cell_name        (RnnCell cell);
/* The cell named name; -1 if none (then *cell is unchanged). */
int         rnn_cell_from_name   (const char *name, RnnCell *cell);
/* G: the gate blocks stacked in W_ih, W_hh and the biases: 1, 4, 3. */
int         rnn_cell_gate_count  (RnnCell cell);
/* Name of gate block k < G: "tanh"; "i" "f" "g" "o"; "r" "z" "n". */
const char *rnn_cell_gate_name   (RnnCell cell, int k);
/* Whether the cell carries a cell state c_t besides h_t (LSTM). */
int         rnn_cell_has_state   (RnnCell cell);
/* Parameters of a model of this cell and sizes. */
size_t      rnn_model_n_params   (RnnCell cell, int I, int H, int O);

RnnModel   *rnn_model_new        (RnnCell cell, int I, int H, int O);
void        rnn_model_free       (RnnModel *m);
/* PyTorch's init: every tensor ~ U(-1/sqrt(H), 1/sqrt(H)), in state_dict order. */
void        rnn_model_init_uniform (RnnModel *m, RnnRng *rng);
void        rnn_model_zero_grad  (RnnModel *m);
/* View of one tensor inside params (or grads with rnn_model_grad_tensor). rows/cols may be NULL;
 * vectors have rows = length, cols = 1. */
float      *rnn_model_tensor      (const RnnModel *m, RnnTensor which, int *rows, int *cols);
float      *rnn_model_grad_tensor (const RnnModel *m, RnnTensor which, int *rows, int *cols);
/* The shape of a tensor for this cell and sizes I, H, O, as rnn_model_tensor gives it. */
void        rnn_tensor_shape     (RnnCell cell, RnnTensor which, int I, int H, int O, int *rows, int *cols);
/* "rnn.weight_ih_l0", ... the PyTorch state_dict key. */
const char *rnn_tensor_name      (RnnTensor which);
/* Whether a tensor is a matrix (2 dims) or a vector (1 dim) in PyTorch. */
int         rnn_tensor_ndim      (RnnTensor which);
int         rnn_model_all_finite (const RnnModel *m);

/* ---- Layers: forward and backward in pairs ------------------------------
 * Outputs first, then caches and scratch, then inputs and weights, then
 * sizes. Backward functions ACCUMULATE (+=) into every d* buffer; an output
 * gradient pointer that may be NULL says so. Row-major throughout. */

/* h (B, H) = tanh (x W_ih^T + b_ih + h_prev W_hh^T + b_hh)
 * x (B, I), h_prev (B, H) (NULL means h0 = 0), W_ih (H, I), W_hh (H, H). */
void        rnn_cell_forward     (float *h,
                                  const float *x, const float *h_prev,
                                  const float *W_ih, const float *W_hh,
                                  const float *b_ih, const float *b_hh,
                                  int B, int I, int H);
/* Given dh (B, H) = dL/dh and the cached h (B, H):
 *   dpre = dh * (1 - h^2)                      scratch (B, H)
 *   dx += dpre W_ih,  dh_prev += dpre W_hh       (either may be NULL)
 *   dW_ih += dpre^T x,  dW_hh += dpre^T h_prev,  db_ih += sum_b dpre,  db_hh += sum_b dpre */
void        rnn_cell_backward    (float *dx, float *dh_prev,
                                  float *dW_ih, float *dW_hh, float *db_ih, float *db_hh,
                                  float *dpre,
                                  const float *dh, const float *h,
                                  const float *x, const float *h_prev,
                                  const float *W_ih, const float *W_hh,
                                  int B, int I, int H);

/* LSTM, one step. gates (B, 4H) returns the activations s(i) s(f) tanh(g)
 * s(o); c (B, H) = c_t, h (B, H) = h_t. x (B, I); h_prev, c_prev (B, H)
 * (NULL means 0); W_ih (4H, I), W_hh (4H, H), b_ih, b_hh (4H). */
void        lstm_cell_forward    (float *h, float *c, float *gates,
                                  const float *x, const float *h_prev, const float *c_prev,
                                  const float *W_ih, const float *W_hh,
                                  const float *b_ih, const float *b_hh,
                                  int B, int I, int H);
/* Given dh = dL/dh_t and dc = dL/dc_t from later steps (B, H) (dc NULL
 * means 0), and the caches gates, c of lstm_cell_forward:
 *   dc_t = dc + dh s(o) (1 - tanh^2 c_t)
 *   dgates = [dc g i(1-i), dc c_prev f(1-f), dc i (1-g^2), dh tanh(c_t) o(1-o)]   scratch (B, 4H)
 *   dc_prev += dc_t f,  dh_prev += dgates W_hh,  dx += dgates W_ih     (each may be NULL)
 *   dW_ih += dgates^T x,  dW_hh += dgates^T h_prev,  db_ih, db_hh += sum_b dgates */
void        lstm_cell_backward   (float *dx, float *dh_prev, float *dc_prev,
                                  float *dW_ih, float *dW_hh, float *db_ih, float *db_hh,
                                  float *dgates,
                                  const float *dh, const float *dc,
                                  const float *gates, const float *c,
                                  const float *x, const float *h_prev, const float *c_prev,
                                  const float *W_ih, const float *W_hh,
                                  int B, int I, int H);

/* GRU, one step. gates (B, 4H) returns [r z hn n]: the activations r, z,
 * n and hn = W_hn h_prev + b_hn, which the backward needs. h (B, H) = h_t.
 * x (B, I), h_prev (B, H) (NULL means 0); W_ih (3H, I), W_hh (3H, H),
 * b_ih, b_hh (3H). */
void        gru_cell_forward     (float *h, float *gates,
                                  const float *x, const float *h_prev,
                                  const float *W_ih, const float *W_hh,
                                  const float *b_ih, const float *b_hh,
                                  int B, int I, int H);
/* Given dh = dL/dh_t (B, H) and the cached gates [r z hn n] (B, 4H):
 *   dn' = dh (1 - z) (1 - n^2),  dz' = dh (h_prev - n) z (1 - z)
 *   dr' = dn' hn r (1 - r),      dhn = dn' r
 *   dgates = [dr' dz' dhn dn']                                     scratch (B, 4H)
 *   dh_prev += dh z + [dr' dz' dhn] W_hh,  dx += [dr' dz' dn'] W_ih  (either may be NULL)
 *   dW_hh += [dr' dz' dhn]^T h_prev,  db_hh += sum_b [dr' dz' dhn]
 *   dW_ih += [dr' dz' dn']^T x,       db_ih += sum_b [dr' dz' dn'] */
void        gru_cell_backward    (float *dx, float *dh_prev,
                                  float *dW_ih, float *dW_hh, float *db_ih, float *db_hh,
                                  float *dgates,
                                  const float *dh, const float *gates,
                                  const float *x, const float *h_prev,
                                  const float *W_ih, const float *W_hh,
                                  int B, int I, int H);

/* y (B, OUT) = x W^T + b;  x (B, IN), W (OUT, IN), b (OUT) */
void        linear_forward       (float *y,
                                  const float *x, const float *W, const float *b,
                                  int B, int IN, int OUT);
/* dx += dy W (may be NULL), dW += dy^T x, db += sum_b dy */
void        linear_backward      (float *dx, float *dW, float *db,
                                  const float *dy,
                                  const float *x, const float *W,
                                  int B, int IN, int OUT);

/* loss = mean ((pred - target)^2) over n values (accumulated in double). */
void        mse_forward          (float *loss,
                                  const float *pred, const float *target,
                                  int n);
/* dpred += 2 (pred - target) / n */
void        mse_backward         (float *dpred,
                                  const float *pred, const float *target,
                                  int n);

/* In place y = tanh (y) for n floats: a rational approximation within a few
 * float ULP of tanhf, vectorisable, NaN in gives NaN out. */
void        rnn_tanh_inplace     (float *y, size_t n);

/* ---- The whole model over B windows (training and evaluation) ----------
 * x (T, B, I) time-major windows, contiguous. hs (T+1, B, H) caches every
 * hidden state, hs[0] = h0 = 0. y (B, O) = fc (h_T). What else a cell
 * needs (LSTM: c_t and the gates; GRU: the gates; BPTT's scratch) lives in
 * an RnnWork, sized once per shape. */
struct RnnWork
{
  RnnCell cell;
  int     T, B, H;    /* the largest shape it holds */
  int     backward;   /* whether it holds BPTT's buffers too */
  float  *gates;      /* (T, B, S H) per step: lstm s(i) s(f) tanh(g) s(o) (S = 4);
                       * gru r z hn n (S = 4); rnn: none, h_t is hs[t] */
  float  *cs;         /* (T+1, B, H) lstm: c_t, cs[0] = c_0 = 0; else NULL */
  float  *dgates;     /* (T, B, S H) BPTT: dL/d(pre-activations) of every step;
                       * rnn S = 1: dpre_t; gru [dr' dz' dhn dn'] */
  float  *dh;         /* (2, B, H) dL/dh_t and dL/dh_{t-1} (lstm, gru) */
  float  *dc;         /* (2, B, H) dL/dc_t and dL/dc_{t-1} (lstm) */
  double *dh_sumsq;   /* (2, T) per half of the batch, sum over [B, H] of (dL/dh_t)^2 */
  float  *W_hhT;      /* (H, G H) with step kernels (stepgemm.h), else NULL:
                       * W_hh transposed, copied by each forward pass */
  float  *hsT;        /* (2, H, 256) BPTT with step kernels: per thread, a chunk
                       * of 256 rows of h_1 .. h_{T-1} transposed */
  float  *dW_hhT;     /* (H, G H) BPTT with step kernels: the sum of dW_hh^T */
};

/* A zeroed buffer of n floats, its pages touched now (internal to the
 * engine: its scratch buffers); free () frees it. NULL if out of memory. */
float      *rnn_scratch_new      (size_t n);

/* Buffers for the forward (and with backward != 0 the backward) pass of
 * this model's cell at up to T steps and B windows. NULL if out of memory. */
RnnWork    *rnn_work_new         (RnnCell cell, int T, int B, int H, int backward);
void        rnn_work_free        (RnnWork *w);
/* The floats rnn_work_new allocates for these sizes (a double counts as two). */
size_t      rnn_work_floats      (RnnCell cell, int T, int B, int H, int backward);
/* Whether w holds a pass of T steps over B windows for a model of cell, H. */
int         rnn_work_fits        (const RnnWork *w, RnnCell cell, int T, int B, int H, int backward);

/* The same two passes as below with the caller's RnnWork, on two threads,
 * the caller and split's helper (split.h): the per-step loops split by rows
 * of the batch, the products over all steps by rows of their result; split
 * NULL runs everything whole. The result depends on the shape only, not on
 * the timing. dh_norm (T) (may be NULL) receives the Frobenius norm over
 * the batch of dL/dh_t for t = 1..T: the whole gradient that reaches h_t
 * (from the output and from step t + 1, through c for the LSTM), with L
 * the loss dy is the gradient of. */
typedef struct RnnSplit RnnSplit;
void        rnn_model_forward_work  (float *y, float *hs, RnnWork *w,
                                     const float *x, const RnnModel *m,
                                     int T, int B, RnnSplit *split);
void        rnn_model_backward_work (RnnModel *m, float *dh_norm, RnnWork *w,
                                     const float *dy, const float *hs,
                                     const float *x,
                                     int T, int B, RnnSplit *split);

/* Sizes m->work for T steps over B windows (forward and backward) unless it
 * already fits: the forward and backward below then allocate nothing. */
RnnStatus   rnn_model_reserve    (RnnModel *m, int T, int B);
/* The model over B windows with the model's own work (m->work, sized here
 * if it does not fit yet; for the RNN cell no work is needed). If that
 * allocation fails, y is all NaN. The work makes one model unsafe to run
 * from two threads at once (as it always was for its grads). The caches
 * of an LSTM or GRU forward are in m->work for rnn_work_window_gates. */
void        rnn_model_forward    (float *y, float *hs,
                                  const float *x, const RnnModel *m,
                                  int T, int B);
/* BPTT: accumulates dL/dparams into m->grads given dy (B, O) = dL/dy and the
 * caches of the rnn_model_forward just before (same x, T, B). For the RNN
 * the first call sizes m->work (BPTT's scratch); if that fails, every
 * gradient is NaN. */
void        rnn_model_backward   (RnnModel *m,
                                  const float *dy, const float *hs,
                                  const float *x,
                                  int T, int B);
/* L2 norm of the whole gradient (accumulated in double). */
float       rnn_model_grad_norm  (const RnnModel *m);

/* From the caches of a forward over B windows: window b's gate activations
 * out (T, G, H), out[(t G + k) H + j] = gate k at step t + 1 (rnn: h_t), and
 * its cell state cs_out (T, H) (zeros when the cell has none). */
void        rnn_work_window_gates (float *out, const RnnWork *w, const float *hs,
                                   int window, int T, int B);
void        rnn_work_window_state (float *cs_out, const RnnWork *w,
                                   int window, int T, int B);

/* One window straight from a raw parameter buffer (RnnModel layout), for
 * the views; not used in training. x (T, I); hs (T, H), hs[t * H + j] =
 * h_{t+1}[j]; cs (T, H) the cell states (zeros without one) and gates
 * (T, G, H) as rnn_work_window_gates; cs and gates may be NULL. */
void        rnn_window_states    (RnnCell cell, float *hs, float *cs, float *gates,
                                  const float *x, const float *params,
                                  int T, int I, int H, int O);
/* The terms of step t (1..t of a window) for the one-step view, from a raw
 * parameter buffer (RnnModel layout), x (t, I) the window's first t inputs:
 *   ih (G H) = W_ih x_t,  hh (G H) = W_hh h_{t-1}  (0 at t = 1: h_0 = 0)
 *   pre (G H) = ih + b_ih + hh + b_hh, before the nonlinearities; the GRU's
 *             n block is W_in x_t + b_in + r (W_hn h_{t-1} + b_hn)
 * The states come from rnn_window_states over steps 1..t into the caller's
 * scratch: hs, cs (t, H) and gs (t, G, H) as there, so h_t = hs[t - 1],
 * h_{t-1} = hs[t - 2], c_t = cs[t - 1] and the activations of step t are
 * gs[(t - 1) G H ..] (rnn: h_t). RNN_ERR_SHAPE if a size is out of range. */
RnnStatus   rnn_step_terms       (RnnCell cell, float *ih, float *hh, float *pre,
                                  float *hs, float *cs, float *gs,
                                  const float *x, const float *params,
                                  int t, int I, int H, int O);
/* rnn_window_states of the RNN cell, hidden states only. */
void        rnn_hidden_sequence  (float *hs, const float *x, const float *params,
                                  int T, int I, int H, int O);
