/* session.h: one training run: the data, the model, the optimizer and the
 * scratch buffers, allocated once per shape. The trainer thread and the
 * headless command line both drive a run through this. */
#pragma once

#include "generators.h"
#include "rnn.h"
#include "scaling.h"
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

  /* The cell (rnn.h) and gradient clipping. */
  RnnCell          cell;        /* rnn */
  double           clip_grad_norm; /* 0: off; else the gradient's total L2 norm is
                                    * clipped to it, as torch.nn.utils.clip_grad_norm_ */

  /* The series (generators.h); the defaults give the tutorial's sine. */
  RnnSeriesKind    series;      /* sine */
  double           period2;     /* sum: the second period, 25 */
  double           decay;       /* damped: 3 */
  int              burst;       /* pattern: random points per period, the rest 0; 0 = all */
  double           noise;       /* Gaussian noise SD, 0 */
  uint64_t         series_seed; /* 0 */
  /* RNN_SERIES_DATA: n_points values in the series' units, borrowed;
   * rnn_session_new copies them, and its own config points at its copy. */
  const float     *values;
  RnnNormalize     normalize;   /* none */

  /* Mini-batches: batch_size 0 (or >= the train windows) is one full
   * batch, the tutorial's. Otherwise batches of batch_size windows in order,
   * the last one smaller, or, with shuffle, in an order drawn every epoch
   * from the engine's RNG seeded with shuffle_seed at every reset. */
  int              batch_size;  /* 0 */
  int              shuffle;     /* 0 */
  uint64_t         shuffle_seed; /* 0 */
} RnnConfig;

typedef struct RnnSession RnnSession;

/* The tutorial's configuration. */
void        rnn_config_init_default (RnnConfig *cfg);

/* The bytes a session of this shape allocates (data, parameters, optimizer,
 * scratch), computed without allocating; SIZE_MAX when it would not even
 * fit in a size_t, 0 when the shape leaves no train or no test window. */
size_t      rnn_session_memory     (const RnnConfig *cfg);

/* Builds data, model and buffers. Weights are zero until one of the
 * init calls below. NULL on bad shape (*status = RNN_ERR_SHAPE), a shape
 * whose rnn_session_memory is above RNN_MEMORY_BUDGET (RNN_ERR_BUDGET,
 * refused before anything is allocated) or no memory. */
RnnSession *rnn_session_new        (const RnnConfig *cfg, RnnStatus *status);
/* The same with another budget than RNN_MEMORY_BUDGET, in bytes: for the
 * benchmarks' largest LSTM and GRU (about 3 GiB), which the app refuses. */
RnnSession *rnn_session_new_within (const RnnConfig *cfg, size_t budget, RnnStatus *status);
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

/* One epoch on the train windows: for each batch (one full batch by
 * default) forward, MSE, backward, clipping, one optimizer step. *loss is
 * the training loss of the epoch's forward passes, each before its update
 * (what the tutorial prints): with mini-batches the mean of the batch
 * losses, as a PyTorch loop over a DataLoader prints it; *grad_norm (may be
 * NULL) the L2 norm of the whole gradient before clipping, with mini-batches
 * the mean over the batches. With clip_grad_norm > 0 and the norm above it,
 * every gradient is scaled by clip_grad_norm / (norm + 1e-6) before the
 * step, as torch.nn.utils.clip_grad_norm_ does. If a loss or a gradient is
 * not finite the epoch is undone (every batch of it) and RNN_ERR_NONFINITE
 * is returned. */
RnnStatus   rnn_session_train_epoch (RnnSession *s, float *loss, float *grad_norm);

/* Forward over all N windows with the current weights (no update).
 * pred (N) may be NULL; train_mse/test_mse may be NULL. Caches the hidden
 * states of every window for rnn_session_hidden(). */
void        rnn_session_evaluate   (RnnSession *s, float *pred, float *train_mse, float *test_mse);
/* The MSE on the test windows of the current weights: a forward pass over
 * the test windows only (in chunks, with scratch sized by rnn_session_new),
 * about a third of what rnn_session_evaluate costs at the tutorial's 70/30
 * split, so that it can be recorded every epoch. The trainer and the
 * command line both record it with this, so their numbers agree bit for
 * bit. Allocates nothing. */
float       rnn_session_test_loss  (RnnSession *s);
/* Undoes the last epoch of rnn_session_train_epoch: weights, optimizer
 * moments, step and epoch count as they were before it. Only right after a
 * train_epoch that returned RNN_OK (for a step whose weights turn out
 * unusable, e.g. a test loss that overflows); at most once per epoch. */
void        rnn_session_rollback   (RnnSession *s);
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
