/* session.h: one training run: the data, the model, the optimizer and the
 * scratch buffers, allocated once per shape. The trainer thread and the
 * headless command line both drive a run through this. */
#pragma once

#include "rnn.h"
#include "series.h"

typedef enum
{
  RNN_OPTIMIZER_ADAM, /* torch.optim.Adam, betas 0.9/0.999, eps 1e-8 */
  RNN_OPTIMIZER_SGD,  /* torch.optim.SGD, no momentum */
} RnnOptimizerKind;

typedef struct
{
  int              n_points;    /* 100 */
  double           period;      /* 100 */
  int              time_step;   /* 10 */
  double           train_ratio; /* 0.7 */
  int              hidden_size; /* 50 */
  double           lr;          /* 0.01 */
  RnnOptimizerKind optimizer;   /* Adam */
  RnnCell          cell;        /* rnn */
  double           clip_grad_norm; /* 0: off; else the gradient's total L2 norm is
                                    * clipped to it, as torch.nn.utils.clip_grad_norm_ */
} RnnConfig;

typedef struct RnnSession RnnSession;

/* The tutorial's configuration. */
void        rnn_config_init_default (RnnConfig *cfg);

/* Builds data, model and buffers. Weights are zero until one of the
 * init calls below. NULL on bad shape (*status = RNN_ERR_SHAPE) or no memory. */
RnnSession *rnn_session_new        (const RnnConfig *cfg, RnnStatus *status);
void        rnn_session_free       (RnnSession *s);

/* PyTorch-style uniform init from the engine's own RNG; resets the optimizer and epoch. */
void        rnn_session_init_seed  (RnnSession *s, uint64_t seed);
/* Copies n_params floats (RnnModel layout); resets the optimizer and epoch.
 * RNN_ERR_SHAPE if n differs, RNN_ERR_NONFINITE if any value is not finite
 * (then nothing changes). */
RnnStatus   rnn_session_set_params (RnnSession *s, const float *params, size_t n);

const RnnConfig  *rnn_session_config  (const RnnSession *s);
const RnnDataset *rnn_session_dataset (const RnnSession *s);
RnnModel         *rnn_session_model   (RnnSession *s);
int               rnn_session_epoch   (const RnnSession *s);   /* epochs trained so far */

/* Takes effect at the next epoch; the optimizer state is kept. */
void        rnn_session_set_lr     (RnnSession *s, double lr);

/* One full-batch epoch on the train windows: forward, MSE, backward, one
 * optimizer step. *loss is the training loss of this epoch's forward pass,
 * before the update (what the tutorial prints); *grad_norm (may be NULL) the
 * L2 norm of the whole gradient, before clipping. With clip_grad_norm > 0
 * and the norm above it, every gradient is scaled by clip_grad_norm /
 * (norm + 1e-6) before the step, as torch.nn.utils.clip_grad_norm_ does.
 * If the loss or a gradient is not finite the step is not applied and
 * RNN_ERR_NONFINITE is returned. */
RnnStatus   rnn_session_train_epoch (RnnSession *s, float *loss, float *grad_norm);

/* Forward over all N windows with the current weights (no update).
 * pred (N) may be NULL; train_mse/test_mse may be NULL. Caches the hidden
 * states of every window for rnn_session_hidden(). */
void        rnn_session_evaluate   (RnnSession *s, float *pred, float *train_mse, float *test_mse);
/* The number of threads this session's products run on, chosen from the
 * shape by rnn_session_new (the rule is in session.c): 1, one OpenBLAS
 * thread; 2 on a large shape, where the batch is split by rows between the
 * caller and the session's helper thread, each calling a one-thread
 * OpenBLAS. */
int         rnn_session_blas_threads (const RnnSession *s);
/* n > 0: every session created from now on uses n OpenBLAS threads whatever
 * its shape (for benchmarks); 0 restores the rule. Not thread-safe: call it
 * before any session exists. */
void        rnn_session_force_blas_threads (int n);

/* Hidden states h_1 .. h_T of one window from the last evaluate:
 * out is (T, H), out[t * H + j] = h_{t+1}[j]. */
void        rnn_session_hidden     (const RnnSession *s, int window, float *out);
/* The gate activations of one window from the last evaluate: out (T, G, H),
 * out[(t G + k) H + j] = gate k (rnn_cell_gate_name) at step t + 1, G =
 * rnn_cell_gate_count: LSTM s(i) s(f) tanh(g) s(o), GRU r z n, RNN h_t. */
void        rnn_session_gates      (const RnnSession *s, int window, float *out);
/* The cell states c_1 .. c_T of one window from the last evaluate, out
 * (T, H) as rnn_session_hidden; zeros for a cell without one. */
void        rnn_session_cell_state (const RnnSession *s, int window, float *out);
/* The last epoch's |dL/dh_t| for t = 1..T (T floats, element t - 1):
 * Frobenius norm over the train batch [B, H] of the gradient of that
 * epoch's training loss with respect to h_t, before clipping; zeros before
 * the first epoch. Valid until the session is freed. */
const float *rnn_session_grad_norms (const RnnSession *s);
