/* session.c: one training run. Everything an epoch touches is allocated
 * here, once per shape; rnn_session_train_epoch allocates nothing. */
#include "engine/session.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/adam.h"
#include "engine/split.h"

/* OpenBLAS's cblas.h pulls in <complex.h>, whose macro I would shadow. */
#undef I

/* openblas_set_num_threads is OpenBLAS's own API (its cblas.h declares it
 * and its openblas_config.h defines OPENBLAS_VERSION); with another CBLAS
 * the thread count is left to that library. */
#ifdef OPENBLAS_VERSION
#define RNN_HAVE_OPENBLAS_THREADS 1
#endif

struct RnnSession
{
  RnnConfig  cfg;
  RnnDataset data;
  RnnModel  *model;
  int        epoch;
  long       step;      /* optimizer steps taken, Adam's bias-correction count */
  int        blas_threads; /* OpenBLAS threads for this shape (blas_threads_for) */
  RnnSplit  *split;     /* helper thread for the per-step loops, or NULL (split_for) */

  /* optimizer state, RnnModel layout */
  float *adam_m;        /* (n_params) first moment */
  float *adam_v;        /* (n_params) second moment */
  float *backup;        /* (3, n_params) params, m, v before a step, for rollback */

  /* training scratch, B = n_train windows */
  float *x_train;       /* (T, n_train) train windows, time-major, contiguous */
  float *hs_train;      /* (T+1, n_train, H) hidden states, t = 0 is h0 */
  RnnWork *work_train;  /* the cell's gates, states and BPTT scratch for n_train windows */
  float *y_train;       /* (n_train) predictions */
  float *dy_train;      /* (n_train) dL/dy */
  float *grad_norms;    /* (T) |dL/dh_t| of the last epoch */

  /* evaluation over all N windows */
  float *hs_eval;       /* (T+1, N, H) hidden states of the last evaluate */
  RnnWork *work_eval;   /* (forward only) the gates and states of the last evaluate */
  float *y_eval;        /* (N) predictions of the last evaluate */
};

/* ---- OpenBLAS threads ----------------------------------------------------
 * The products that dominate an epoch are the 2T sequential per-step ones,
 * (B, H) x (H, H). OpenBLAS's worker threads spin between calls and every
 * call pays a hand-off, so a second thread pays only once a step's product
 * is large. Measured on a 2-core machine, best of several runs, ms per
 * epoch with 1 and 2 threads: tutorial (62 x 10 x 50, B H H = 1.6e5)
 * 0.149 and 0.154; medium (676 x 32 x 128, 1.1e7) 26.5 and 17.1; large
 * (2754 x 64 x 256, 1.8e8) 830 and 473. The rule: one thread while a step's
 * product is under BLAS_THREADS_MIN_WORK = 2^20 multiply-adds (B H H), all
 * the cores OpenBLAS sees above. The thread count changes the order of some
 * sums inside OpenBLAS, so it is a function of the shape only: the same
 * seed and shape give the same run, bit for bit, on a given machine. */
#define BLAS_THREADS_MIN_WORK 1048576.0

static int forced_blas_threads = 0;

void
rnn_session_force_blas_threads (int n)
{
  forced_blas_threads = n > 0 ? n : 0;
}

static int
blas_threads_for (int B,
                  int H)
{
#ifdef __SANITIZE_THREAD__
  /* OpenBLAS's threads hand work over through spin flags ThreadSanitizer
   * cannot see, so every buffer they touch would be reported as a race:
   * under ThreadSanitizer the products run on the calling thread. */
  (void) B;
  (void) H;
  return 1;
#else
  if (forced_blas_threads > 0)
    return forced_blas_threads;
#ifdef RNN_HAVE_OPENBLAS_THREADS
  if ((double) B * H * H >= BLAS_THREADS_MIN_WORK)
    return openblas_get_num_procs ();
#else
  (void) B;
  (void) H;
#endif
  return 1;
#endif
}

/* Makes OpenBLAS run with this session's thread count. The setting is
 * process-wide, so it is applied at the start of every epoch and evaluation
 * (a no-op when it is already right), not once: another session may have
 * changed it in between. */
static void
use_blas_threads (const RnnSession *s)
{
#ifdef RNN_HAVE_OPENBLAS_THREADS
  /* with the split, both threads call OpenBLAS, each on its own */
  int n = s->split != NULL ? 1 : s->blas_threads;

  if (openblas_get_num_threads () != n)
    openblas_set_num_threads (n);
#else
  (void) s;
#endif
}

/* ---- The per-step loops on two threads -----------------------------------
 * Where a second core pays (the rule above), the 2T sequential products are
 * not left to OpenBLAS, which would hand every one of them to its threads
 * (and whose idle threads spin, taking a core from whoever runs next): a
 * helper thread of the session's own takes rows [B/2, B) of the batch for
 * all T steps, forward and backward, and the caller the rest (split.h).
 * The products over all steps are split the same way, the input projection
 * by rows, dW_hh and dW_ih by rows of the gradient (each element one whole
 * sum over K), and OpenBLAS runs on one thread in each. On a 2-core machine
 * this takes the medium shape from about 22 to about 15 ms per epoch. Like
 * the thread count, the split is a function of the shape only, so runs stay
 * identical bit for bit. */
static int
split_for (int B,
           int H)
{
#ifdef RNN_HAVE_OPENBLAS_THREADS
  if (forced_blas_threads == 1)
    return 0;
  return (double) B * H * H >= BLAS_THREADS_MIN_WORK && openblas_get_num_procs () >= 2;
#else
  /* another CBLAS may thread on its own: leave the loops whole */
  (void) B;
  (void) H;
  return 0;
#endif
}

int
rnn_session_blas_threads (const RnnSession *s)
{
  return s->blas_threads;
}

void
rnn_config_init_default (RnnConfig *cfg)
{
  cfg->n_points = 100;
  cfg->period = 100.0;
  cfg->time_step = 10;
  cfg->train_ratio = 0.7;
  cfg->hidden_size = 50;
  cfg->lr = 0.01;
  cfg->optimizer = RNN_OPTIMIZER_ADAM;
  cfg->cell = RNN_CELL_RNN;
  cfg->clip_grad_norm = 0.0;
}

static int
config_is_valid (const RnnConfig *cfg)
{
  return cfg->hidden_size >= RNN_HIDDEN_MIN && cfg->hidden_size <= RNN_HIDDEN_MAX
         && isfinite (cfg->lr) && cfg->lr > 0.0
         && (cfg->optimizer == RNN_OPTIMIZER_ADAM || cfg->optimizer == RNN_OPTIMIZER_SGD)
         && (int) cfg->cell >= 0 && cfg->cell < RNN_N_CELLS
         && isfinite (cfg->clip_grad_norm) && cfg->clip_grad_norm >= 0.0;
}

static void
reset_optimizer (RnnSession *s)
{
  size_t n = s->model->n_params;

  memset (s->adam_m, 0, n * sizeof (float));
  memset (s->adam_v, 0, n * sizeof (float));
  rnn_model_zero_grad (s->model);
  s->step = 0;
  s->epoch = 0;
}

RnnSession *
rnn_session_new (const RnnConfig *cfg,
                 RnnStatus       *status)
{
  RnnStatus dummy;
  if (status == NULL)
    status = &dummy;

  if (!config_is_valid (cfg))
    {
      *status = RNN_ERR_SHAPE;
      return NULL;
    }

  RnnSession *s = calloc (1, sizeof *s);
  if (s == NULL)
    {
      *status = RNN_ERR_NOMEM;
      return NULL;
    }
  s->cfg = *cfg;

  *status = series_dataset_init (&s->data, cfg->n_points, cfg->period,
                                 cfg->time_step, cfg->train_ratio);
  if (*status != RNN_OK)
    {
      free (s);
      return NULL;
    }

  int T = s->data.T, N = s->data.N, Bt = s->data.n_train, H = cfg->hidden_size;
  s->blas_threads = blas_threads_for (Bt, H);
  if (split_for (Bt, H) && (s->split = rnn_split_new ()) == NULL)
    goto nomem;
  s->model = rnn_model_new (cfg->cell, 1, H, 1);
  if (s->model == NULL)
    goto nomem;

  size_t n = s->model->n_params;
  s->adam_m = calloc (n, sizeof (float));
  s->adam_v = calloc (n, sizeof (float));
  s->backup = calloc (3 * n, sizeof (float));
  s->x_train = rnn_scratch_new ((size_t) T * Bt);
  s->hs_train = rnn_scratch_new ((size_t) (T + 1) * Bt * H);
  s->work_train = rnn_work_new (cfg->cell, T, Bt, H, 1);
  s->y_train = rnn_scratch_new ((size_t) Bt);
  s->dy_train = rnn_scratch_new ((size_t) Bt);
  s->grad_norms = rnn_scratch_new ((size_t) T);
  s->hs_eval = rnn_scratch_new ((size_t) (T + 1) * N * H);
  s->work_eval = rnn_work_new (cfg->cell, T, N, H, 0);
  s->y_eval = rnn_scratch_new ((size_t) N);
  if (s->adam_m == NULL || s->adam_v == NULL || s->backup == NULL
      || s->x_train == NULL || s->hs_train == NULL || s->work_train == NULL
      || s->y_train == NULL || s->dy_train == NULL || s->grad_norms == NULL
      || s->hs_eval == NULL || s->work_eval == NULL || s->y_eval == NULL)
    goto nomem;

  /* The train windows are the first n_train columns of X (T, N). */
  for (int t = 0; t < T; t++)
    memcpy (s->x_train + (size_t) t * Bt, s->data.X + (size_t) t * N,
            (size_t) Bt * sizeof (float));

  *status = RNN_OK;
  return s;

nomem:
  rnn_session_free (s);
  *status = RNN_ERR_NOMEM;
  return NULL;
}

void
rnn_session_free (RnnSession *s)
{
  if (s == NULL)
    return;
  rnn_split_free (s->split);
  series_dataset_clear (&s->data);
  rnn_model_free (s->model);
  free (s->adam_m);
  free (s->adam_v);
  free (s->backup);
  free (s->x_train);
  free (s->hs_train);
  rnn_work_free (s->work_train);
  free (s->y_train);
  free (s->dy_train);
  free (s->grad_norms);
  free (s->hs_eval);
  rnn_work_free (s->work_eval);
  free (s->y_eval);
  free (s);
}

void
rnn_session_init_seed (RnnSession *s,
                       uint64_t    seed)
{
  RnnRng rng;

  rnn_rng_seed (&rng, seed);
  rnn_model_init_uniform (s->model, &rng);
  reset_optimizer (s);
}

RnnStatus
rnn_session_set_params (RnnSession  *s,
                        const float *params,
                        size_t       n)
{
  if (params == NULL || n != s->model->n_params)
    return RNN_ERR_SHAPE;
  for (size_t i = 0; i < n; i++)
    if (!isfinite (params[i]))
      return RNN_ERR_NONFINITE;

  memcpy (s->model->params, params, n * sizeof (float));
  reset_optimizer (s);
  return RNN_OK;
}

const RnnConfig *
rnn_session_config (const RnnSession *s)
{
  return &s->cfg;
}

const RnnDataset *
rnn_session_dataset (const RnnSession *s)
{
  return &s->data;
}

RnnModel *
rnn_session_model (RnnSession *s)
{
  return s->model;
}

int
rnn_session_epoch (const RnnSession *s)
{
  return s->epoch;
}

void
rnn_session_set_lr (RnnSession *s,
                    double      lr)
{
  if (isfinite (lr) && lr > 0.0)
    s->cfg.lr = lr;
}

RnnStatus
rnn_session_train_epoch (RnnSession *s,
                         float      *loss,
                         float      *grad_norm)
{
  RnnModel *m = s->model;
  int T = s->data.T, Bt = s->data.n_train;
  size_t n = m->n_params;
  float l, gnorm;

  use_blas_threads (s);

  /* (1) forward over the train windows, and the loss before the update */
  rnn_model_forward_work (s->y_train, s->hs_train, s->work_train, s->x_train, m, T, Bt, s->split);
  mse_forward (&l, s->y_train, s->data.Y, Bt);

  /* (2) backward: dy = 2 (y - target) / B, then BPTT */
  rnn_model_zero_grad (m);
  memset (s->dy_train, 0, (size_t) Bt * sizeof (float));
  mse_backward (s->dy_train, s->y_train, s->data.Y, Bt);
  rnn_model_backward_work (m, s->grad_norms, s->work_train, s->dy_train, s->hs_train,
                           s->x_train, T, Bt, s->split);
  gnorm = rnn_model_grad_norm (m);

  if (loss != NULL)
    *loss = l;
  if (grad_norm != NULL)
    *grad_norm = gnorm;
  if (!isfinite (l) || !isfinite (gnorm))
    return RNN_ERR_NONFINITE;

  /* (3) clipping by total norm, as torch.nn.utils.clip_grad_norm_ (torch
   *     1.13): coef = max_norm / (norm + 1e-6) in float, the division
   *     written as Tensor.__rdiv__ does it (reciprocal, then multiply);
   *     applied when below 1 (torch multiplies by min (coef, 1), and a
   *     multiplication by 1 changes nothing) */
  if (s->cfg.clip_grad_norm > 0.0)
    {
      float coef = (1.0f / (gnorm + 1e-6f)) * (float) s->cfg.clip_grad_norm;
      if (coef < 1.0f)
        for (size_t i = 0; i < n; i++)
          m->grads[i] *= coef;
    }

  /* (4) one optimizer step, undone if it would leave a non-finite weight */
  memcpy (s->backup, m->params, n * sizeof (float));
  memcpy (s->backup + n, s->adam_m, n * sizeof (float));
  memcpy (s->backup + 2 * n, s->adam_v, n * sizeof (float));
  if (s->cfg.optimizer == RNN_OPTIMIZER_ADAM)
    adam_update (m->params, s->adam_m, s->adam_v, m->grads,
                 s->cfg.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, s->step + 1, n);
  else
    sgd_update (m->params, m->grads, s->cfg.lr, n);

  if (!rnn_model_all_finite (m))
    {
      memcpy (m->params, s->backup, n * sizeof (float));
      memcpy (s->adam_m, s->backup + n, n * sizeof (float));
      memcpy (s->adam_v, s->backup + 2 * n, n * sizeof (float));
      return RNN_ERR_NONFINITE;
    }

  s->step++;
  s->epoch++;
  return RNN_OK;
}

void
rnn_session_evaluate (RnnSession *s,
                      float      *pred,
                      float      *train_mse,
                      float      *test_mse)
{
  int T = s->data.T, N = s->data.N, Bt = s->data.n_train;

  use_blas_threads (s);

  /* X (T, N) is already time-major and contiguous: all windows at once */
  rnn_model_forward_work (s->y_eval, s->hs_eval, s->work_eval, s->data.X, s->model, T, N, s->split);

  if (pred != NULL)
    memcpy (pred, s->y_eval, (size_t) N * sizeof (float));
  if (train_mse != NULL)
    mse_forward (train_mse, s->y_eval, s->data.Y, Bt);
  if (test_mse != NULL)
    mse_forward (test_mse, s->y_eval + Bt, s->data.Y + Bt, N - Bt);
}

/* Whether window is one of the N windows; if not, out (n floats) is zeroed. */
static int
window_valid (const RnnSession *s,
              int               window,
              float            *out,
              size_t            n)
{
  if (window >= 0 && window < s->data.N)
    return 1;
  memset (out, 0, n * sizeof (float));
  return 0;
}

void
rnn_session_hidden (const RnnSession *s,
                    int               window,
                    float            *out)
{
  int T = s->data.T, N = s->data.N, H = s->cfg.hidden_size;

  if (!window_valid (s, window, out, (size_t) T * H))
    return;
  /* out (T, H): row t = h_{t+1} of this window, hs_eval[t + 1][window] */
  for (int t = 0; t < T; t++)
    memcpy (out + (size_t) t * H,
            s->hs_eval + ((size_t) (t + 1) * N + window) * H,
            (size_t) H * sizeof (float));
}

void
rnn_session_gates (const RnnSession *s,
                   int               window,
                   float            *out)
{
  int T = s->data.T, H = s->cfg.hidden_size;

  if (window_valid (s, window, out, (size_t) T * rnn_cell_gate_count (s->cfg.cell) * H))
    rnn_work_window_gates (out, s->work_eval, s->hs_eval, window, T, s->data.N);
}

void
rnn_session_cell_state (const RnnSession *s,
                        int               window,
                        float            *out)
{
  int T = s->data.T, H = s->cfg.hidden_size;

  if (window_valid (s, window, out, (size_t) T * H))
    rnn_work_window_state (out, s->work_eval, window, T, s->data.N);
}

const float *
rnn_session_grad_norms (const RnnSession *s)
{
  return s->grad_norms;
}
