/* rnn.h: the Elman RNN of the tutorial, forward and backward (BPTT).
 *
 *   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),  h_0 = 0
 *   y   = W_fc h_T + b_fc
 *
 * Plain C11 + CBLAS. No GLib, no GTK. Every function returns a status or
 * nothing; nothing here prints, exits, or allocates inside an epoch.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

typedef enum
{
  RNN_OK = 0,
  RNN_ERR_NOMEM,     /* allocation failed */
  RNN_ERR_SHAPE,     /* sizes out of range or inconsistent */
  RNN_ERR_NONFINITE, /* a loss or parameter became NaN or infinite */
  RNN_ERR_BUDGET,    /* the shape needs more memory than RNN_MEMORY_BUDGET (limits.h) */
} RnnStatus;

/* The six tensors, in PyTorch's state_dict order. */
typedef enum
{
  RNN_TENSOR_W_IH, /* (H, I) rnn.weight_ih_l0 */
  RNN_TENSOR_W_HH, /* (H, H) rnn.weight_hh_l0 */
  RNN_TENSOR_B_IH, /* (H)    rnn.bias_ih_l0   */
  RNN_TENSOR_B_HH, /* (H)    rnn.bias_hh_l0   */
  RNN_TENSOR_FC_W, /* (O, H) fc.weight        */
  RNN_TENSOR_FC_B, /* (O)    fc.bias          */
  RNN_N_TENSORS
} RnnTensor;

typedef struct
{
  int I, H, O;
  size_t n_params;
  /* One contiguous buffer per role; the six tensors lie back to back in
   * RnnTensor order, each row-major (as PyTorch stores them). */
  float *params; /* (n_params) */
  float *grads;  /* (n_params) same layout */
} RnnModel;

/* Limits the engine accepts (the UI and the command line use the same). */
#define RNN_HIDDEN_MIN 1
#define RNN_HIDDEN_MAX 1024

RnnModel   *rnn_model_new        (int I, int H, int O);
void        rnn_model_free       (RnnModel *m);
/* PyTorch's init: every RNN tensor ~ U(-1/sqrt(H), 1/sqrt(H)), fc ~ U(-1/sqrt(H), 1/sqrt(H)). */
void        rnn_model_init_uniform (RnnModel *m, RnnRng *rng);
void        rnn_model_zero_grad  (RnnModel *m);
/* View of one tensor inside params (or grads with rnn_model_grad_tensor). rows/cols may be NULL;
 * vectors have rows = length, cols = 1. */
float      *rnn_model_tensor      (const RnnModel *m, RnnTensor which, int *rows, int *cols);
float      *rnn_model_grad_tensor (const RnnModel *m, RnnTensor which, int *rows, int *cols);
/* The shape of a tensor for sizes I, H, O, as rnn_model_tensor gives it. */
void        rnn_tensor_shape     (RnnTensor which, int I, int H, int O, int *rows, int *cols);
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
 * hidden state, hs[0] = h0 = 0. y (B, O) = fc (h_T). */
void        rnn_model_forward    (float *y, float *hs,
                                  const float *x, const RnnModel *m,
                                  int T, int B);
/* BPTT: accumulates dL/dparams into m->grads given dy (B, O) = dL/dy and the
 * caches of rnn_model_forward. dpre (T, B, H) is scratch. */
void        rnn_model_backward   (RnnModel *m, float *dpre,
                                  const float *dy, const float *hs,
                                  const float *x,
                                  int T, int B);
/* The same two on two threads, the caller and split's helper (split.h):
 * the per-step loops split by rows of the batch, the products over all
 * steps by rows of their result; split NULL runs everything whole. The
 * result depends on the shape only, not on the timing. */
typedef struct RnnSplit RnnSplit;
void        rnn_model_forward_split  (float *y, float *hs,
                                      const float *x, const RnnModel *m,
                                      int T, int B, RnnSplit *split);
void        rnn_model_backward_split (RnnModel *m, float *dpre,
                                      const float *dy, const float *hs,
                                      const float *x,
                                      int T, int B, RnnSplit *split);
/* L2 norm of the whole gradient (accumulated in double). */
float       rnn_model_grad_norm  (const RnnModel *m);

/* Hidden states of one window straight from a raw parameter buffer (RnnModel
 * layout): hs (T, H), hs[t * H + j] = h_{t+1}[j]; x (T, I). For the views;
 * not used in training. */
void        rnn_hidden_sequence  (float *hs, const float *x, const float *params,
                                  int T, int I, int H, int O);
