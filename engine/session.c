/* session.c: one training run. Everything an epoch touches is allocated
 * here, once per shape; rnn_session_train_epoch allocates nothing. */
#include "engine/session.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/adam.h"
#include "engine/limits.h"
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

  /* mini-batches (cfg.batch_size below n_train): the batch's windows */
  int     batch;        /* windows per batch, n_train for one full batch */
  int    *order;        /* (n_train) the windows in this epoch's order */
  float  *x_batch;      /* (T, batch) one batch's windows, time-major */
  float  *y_batch;      /* (batch) its targets */
  RnnRng  shuffle_rng;  /* seeded with cfg.shuffle_seed at every reset */

  /* training scratch, B = n_train windows (the largest batch) */
  float *x_train;       /* (T, n_train) train windows, time-major, contiguous */
  float *hs_train;      /* (T+1, n_train, H) hidden states, t = 0 is h0 */
  RnnWork *work_train;  /* the cell's gates, states and BPTT scratch for n_train windows */
  float *y_train;       /* (n_train) predictions */
  float *dy_train;      /* (n_train) dL/dy */
  float *grad_norms;    /* (T) |dL/dh_t| of the last epoch (with mini-batches, the mean
                         * over its batches) */
  float *grad_batch;    /* (T) one batch's |dL/dh_t| */

  /* evaluation over all N windows */
  float *hs_eval;       /* (T+1, N, H) hidden states of the last evaluate */
  RnnWork *work_eval;   /* (forward only) the gates and states of the last evaluate */
  float *y_eval;        /* (N) predictions of the last evaluate */

  /* rnn_session_test_loss: the Nt = N - n_train test windows in chunks of
   * at most TEST_CHUNK; chunk c is (T, nc) time-major at x_test + T * c0 */
  float *x_test;        /* (T, Nt) in chunks */
  float *hs_test;       /* (T+1, TEST_CHUNK, H) scratch */
  RnnWork *work_test;   /* (forward only) the cell's scratch for a chunk */
  float *y_test;        /* (TEST_CHUNK) scratch */
};

/* The test loss runs forward over the test windows in chunks of at most
 * this many, so its scratch stays small for any series. */
#define TEST_CHUNK 256

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
  cfg->series = RNN_SERIES_SINE;
  cfg->period2 = 25.0;
  cfg->decay = 3.0;
  cfg->burst = 0;
  cfg->noise = 0.0;
  cfg->series_seed = 0;
  cfg->values = NULL;
  cfg->normalize = RNN_NORMALIZE_NONE;
  cfg->batch_size = 0;
  cfg->shuffle = 0;
  cfg->shuffle_seed = 0;
  cfg->cell = RNN_CELL_RNN;
  cfg->clip_grad_norm = 0.0;
}

static int
config_is_valid (const RnnConfig *cfg)
{
  return cfg->hidden_size >= RNN_HIDDEN_MIN && cfg->hidden_size <= RNN_HIDDEN_MAX
         && isfinite (cfg->lr) && cfg->lr > 0.0
         && (cfg->optimizer == RNN_OPTIMIZER_ADAM || cfg->optimizer == RNN_OPTIMIZER_SGD)
         && cfg->batch_size >= 0
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
  rnn_rng_seed (&s->shuffle_rng, s->cfg.shuffle_seed);
}

/* The tutorial's sine, as it always was: made straight into the dataset. */
static int
is_plain_sine (const RnnConfig *cfg)
{
  return cfg->series == RNN_SERIES_SINE && cfg->noise == 0.0 && cfg->normalize == RNN_NORMALIZE_NONE;
}

/* The series the config asks for, generated or given, cut into windows. */
static RnnStatus
dataset_for_config (RnnDataset      *d,
                    const RnnConfig *cfg)
{
  RnnSeriesSpec spec = {
    .kind = cfg->series, .n_points = cfg->n_points, .period = cfg->period,
    .period2 = cfg->period2, .decay = cfg->decay, .noise = cfg->noise, .burst = cfg->burst,
    .seed = cfg->series_seed,
  };
  RnnStatus status;
  float *values;

  if (is_plain_sine (cfg))
    return series_dataset_init (d, cfg->n_points, cfg->period, cfg->time_step, cfg->train_ratio);
  if (cfg->series == RNN_SERIES_DATA)
    return series_dataset_init_values (d, cfg->values, cfg->n_points, cfg->time_step,
                                       cfg->train_ratio, cfg->normalize);

  memset (d, 0, sizeof *d);
  if (!series_spec_is_valid (&spec))
    return RNN_ERR_SHAPE;
  if ((values = malloc ((size_t) cfg->n_points * sizeof (float))) == NULL)
    return RNN_ERR_NOMEM;
  series_generate (values, &spec);
  status = series_dataset_init_values (d, values, cfg->n_points, cfg->time_step,
                                       cfg->train_ratio, cfg->normalize);
  free (values);
  if (status == RNN_OK)
    d->period = cfg->period;
  return status;
}

/* Copies the test windows into chunks (see x_test) and sizes the scratch
 * of rnn_session_test_loss: once per shape. */
static int
test_windows_init (RnnSession *s)
{
  const RnnDataset *d = &s->data;
  int T = d->T, N = d->N, Nt = d->N - d->n_train, H = s->cfg.hidden_size;

  s->x_test = rnn_scratch_new ((size_t) T * Nt);
  s->hs_test = rnn_scratch_new ((size_t) (T + 1) * TEST_CHUNK * H);
  s->y_test = rnn_scratch_new (TEST_CHUNK);
  s->work_test = rnn_work_new (s->cfg.cell, T, (Nt < TEST_CHUNK ? Nt : TEST_CHUNK), H, 0);
  if (s->x_test == NULL || s->hs_test == NULL || s->y_test == NULL || s->work_test == NULL)
    return 0;

  for (int c0 = 0; c0 < Nt; c0 += TEST_CHUNK)
    {
      int nc = Nt - c0 < TEST_CHUNK ? Nt - c0 : TEST_CHUNK;
      float *x = s->x_test + (size_t) T * c0;

      for (int t = 0; t < T; t++)
        for (int j = 0; j < nc; j++)
          x[(size_t) t * nc + j] = d->X[(size_t) t * N + d->n_train + c0 + j];
    }
  return 1;
}

size_t
rnn_session_memory (const RnnConfig *cfg)
{
  int T = cfg->time_step, H = cfg->hidden_size;
  int N = series_window_count (cfg->n_points, T);
  int Bt, Nt, B;
  double floats;

  if (N < 2 || H < 1)
    return 0;
  Bt = series_split_train (N, cfg->train_ratio);
  Nt = N - Bt;
  B = cfg->batch_size > 0 && cfg->batch_size < Bt ? cfg->batch_size : Bt;
  /* In doubles: the point is to refuse a shape whose size overflows. An
   * int of order counts as a float. */
  floats = 7.0 * (double) rnn_model_n_params (cfg->cell, 1, H, 1) /* params, grads, Adam m, v, backup */
           + (double) cfg->n_points + (double) T * N + N     /* series, X, Y */
           + (double) T * Bt + 2.0 * Bt                      /* x_train, y_train, dy_train */
           + (double) (T + 1) * Bt * H + 2.0 * T             /* hs_train, grad_norms, grad_batch */
           + (double) rnn_work_floats (cfg->cell, T, Bt, H, 1) /* work_train */
           + (double) rnn_work_floats (cfg->cell, T, N, H, 0)  /* work_eval */
           + (double) rnn_work_floats (cfg->cell, T, Nt < TEST_CHUNK ? Nt : TEST_CHUNK, H, 0) /* work_test */
           + (double) (T + 1) * N * H + N                    /* hs_eval, y_eval */
           + (double) Bt + (double) T * B + B                /* order, x_batch, y_batch */
           + (double) T * Nt                                 /* x_test */
           + (double) (T + 1) * TEST_CHUNK * H + TEST_CHUNK; /* hs_test, y_test */
  /* A generated series other than the plain sine is made in a copy first. */
  if (cfg->series != RNN_SERIES_DATA && !is_plain_sine (cfg))
    floats += cfg->n_points;
  if (floats * sizeof (float) >= (double) SIZE_MAX)
    return SIZE_MAX;
  return (size_t) (floats * sizeof (float));
}

RnnSession *
rnn_session_new (const RnnConfig *cfg,
                 RnnStatus       *status)
{
  return rnn_session_new_within (cfg, RNN_MEMORY_BUDGET, status);
}

RnnSession *
rnn_session_new_within (const RnnConfig *cfg,
                        size_t           budget,
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
  if (rnn_session_memory (cfg) > budget)
    {
      *status = RNN_ERR_BUDGET;
      return NULL;
    }

  RnnSession *s = calloc (1, sizeof *s);
  if (s == NULL)
    {
      *status = RNN_ERR_NOMEM;
      return NULL;
    }
  s->cfg = *cfg;

  *status = dataset_for_config (&s->data, cfg);
  if (*status != RNN_OK)
    {
      free (s);
      return NULL;
    }
  if (cfg->series == RNN_SERIES_DATA)
    s->cfg.values = s->data.series;

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
  s->grad_norms = rnn_scratch_new ((size_t) T);
  s->grad_batch = rnn_scratch_new ((size_t) T);
  s->y_train = rnn_scratch_new ((size_t) Bt);
  s->dy_train = rnn_scratch_new ((size_t) Bt);
  s->hs_eval = rnn_scratch_new ((size_t) (T + 1) * N * H);
  s->y_eval = rnn_scratch_new ((size_t) N);
  s->work_eval = rnn_work_new (cfg->cell, T, N, H, 0);
  s->batch = cfg->batch_size > 0 && cfg->batch_size < Bt ? cfg->batch_size : Bt;
  s->order = calloc ((size_t) Bt, sizeof (int));
  s->x_batch = rnn_scratch_new ((size_t) T * s->batch);
  s->y_batch = rnn_scratch_new ((size_t) s->batch);
  if (s->order == NULL || s->x_batch == NULL || s->y_batch == NULL
      || s->adam_m == NULL || s->adam_v == NULL || s->backup == NULL
      || s->x_train == NULL || s->hs_train == NULL || s->work_train == NULL
      || s->grad_norms == NULL || s->grad_batch == NULL || s->work_eval == NULL
      || s->y_train == NULL || s->dy_train == NULL
      || s->hs_eval == NULL || s->y_eval == NULL
      || !test_windows_init (s))
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
  free (s->grad_norms);
  free (s->grad_batch);
  rnn_work_free (s->work_eval);
  rnn_work_free (s->work_test);
  free (s->y_train);
  free (s->dy_train);
  free (s->hs_eval);
  free (s->y_eval);
  free (s->order);
  free (s->x_batch);
  free (s->y_batch);
  free (s->x_test);
  free (s->hs_test);
  free (s->y_test);
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

/* One optimizer step on B windows: x (T, B) time-major, y (B) targets.
 * *loss is the loss before the update, *gnorm the gradient's norm. */
static RnnStatus
train_batch (RnnSession  *s,
             const float *x,
             const float *y,
             int          B,
             float       *loss,
             float       *gnorm)
{
  RnnModel *m = s->model;
  int T = s->data.T;
  size_t n = m->n_params;

  /* (1) forward over the batch, and the loss before the update */
  rnn_model_forward_work (s->y_train, s->hs_train, s->work_train, x, m, T, B, s->split);
  mse_forward (loss, s->y_train, y, B);

  /* (2) backward: dy = 2 (y - target) / B, then BPTT; |dL/dh_t| for every t */
  rnn_model_zero_grad (m);
  memset (s->dy_train, 0, (size_t) B * sizeof (float));
  mse_backward (s->dy_train, s->y_train, y, B);
  rnn_model_backward_work (m, s->grad_batch, s->work_train, s->dy_train, s->hs_train,
                           x, T, B, s->split);
  *gnorm = rnn_model_grad_norm (m);
  if (!isfinite (*loss) || !isfinite (*gnorm))
    return RNN_ERR_NONFINITE;

  /* (3) clipping by total norm, as torch.nn.utils.clip_grad_norm_ (torch
   *     1.13): coef = max_norm / (norm + 1e-6) in float, the division
   *     written as Tensor.__rdiv__ does it (reciprocal, then multiply);
   *     applied when below 1 (torch multiplies by min (coef, 1), and a
   *     multiplication by 1 changes nothing) */
  if (s->cfg.clip_grad_norm > 0.0)
    {
      float coef = (1.0f / (*gnorm + 1e-6f)) * (float) s->cfg.clip_grad_norm;
      if (coef < 1.0f)
        for (size_t i = 0; i < n; i++)
          m->grads[i] *= coef;
    }

  /* (4) one optimizer step */
  if (s->cfg.optimizer == RNN_OPTIMIZER_ADAM)
    adam_update (m->params, s->adam_m, s->adam_v, m->grads,
                 s->cfg.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, s->step + 1, n);
  else
    sgd_update (m->params, m->grads, s->cfg.lr, n);
  if (!rnn_model_all_finite (m))
    return RNN_ERR_NONFINITE;
  s->step++;
  return RNN_OK;
}

/* An integer in [0, bound) from the engine's RNG, without modulo bias. */
static uint32_t
rng_below (RnnRng  *rng,
           uint32_t bound)
{
  uint32_t threshold = (uint32_t) (-bound) % bound;

  for (;;)
    {
      uint32_t r = rnn_rng_next (rng);

      if (r >= threshold)
        return r % bound;
    }
}

/* The epoch's mini-batches: windows in order, or shuffled (Fisher-Yates,
 * i = n - 1 down to 1, swap i with rng_below (i + 1)), each batch gathered
 * into x_batch, y_batch. The loss and norm are the means over batches. */
static RnnStatus
train_batches (RnnSession *s,
               float      *loss,
               float      *gnorm)
{
  int T = s->data.T, Bt = s->data.n_train;
  double sum_loss = 0.0, sum_norm = 0.0;
  int n_batches = 0;

  memset (s->grad_norms, 0, (size_t) T * sizeof (float));
  for (int k = 0; k < Bt; k++)
    s->order[k] = k;
  if (s->cfg.shuffle)
    for (int i = Bt - 1; i > 0; i--)
      {
        int j = (int) rng_below (&s->shuffle_rng, (uint32_t) i + 1);
        int tmp = s->order[i];

        s->order[i] = s->order[j];
        s->order[j] = tmp;
      }

  for (int b0 = 0; b0 < Bt; b0 += s->batch)
    {
      int B = Bt - b0 < s->batch ? Bt - b0 : s->batch;
      float l, g;
      RnnStatus status;

      /* x_batch (T, B): column j is train window order[b0 + j] */
      for (int t = 0; t < T; t++)
        for (int j = 0; j < B; j++)
          s->x_batch[(size_t) t * B + j] = s->x_train[(size_t) t * Bt + s->order[b0 + j]];
      for (int j = 0; j < B; j++)
        s->y_batch[j] = s->data.Y[s->order[b0 + j]];

      status = train_batch (s, s->x_batch, s->y_batch, B, &l, &g);
      sum_loss += l;
      sum_norm += g;
      for (int t = 0; t < T; t++)
        s->grad_norms[t] += s->grad_batch[t];
      n_batches++;
      if (status != RNN_OK)
        {
          *loss = l;
          *gnorm = g;
          return status;
        }
    }
  *loss = (float) (sum_loss / n_batches);
  *gnorm = (float) (sum_norm / n_batches);
  for (int t = 0; t < T; t++)
    s->grad_norms[t] /= (float) n_batches;
  return RNN_OK;
}

RnnStatus
rnn_session_train_epoch (RnnSession *s,
                         float      *loss,
                         float      *grad_norm)
{
  RnnModel *m = s->model;
  size_t n = m->n_params;
  long step = s->step;
  float l, gnorm;
  RnnStatus status;

  use_blas_threads (s);

  /* the epoch is undone whole if it would leave a non-finite number */
  memcpy (s->backup, m->params, n * sizeof (float));
  memcpy (s->backup + n, s->adam_m, n * sizeof (float));
  memcpy (s->backup + 2 * n, s->adam_v, n * sizeof (float));

  if (s->batch >= s->data.n_train && !s->cfg.shuffle)
    {
      status = train_batch (s, s->x_train, s->data.Y, s->data.n_train, &l, &gnorm);
      memcpy (s->grad_norms, s->grad_batch, (size_t) s->data.T * sizeof (float));
    }
  else
    status = train_batches (s, &l, &gnorm);

  if (loss != NULL)
    *loss = l;
  if (grad_norm != NULL)
    *grad_norm = gnorm;
  if (status != RNN_OK)
    {
      memcpy (m->params, s->backup, n * sizeof (float));
      memcpy (s->adam_m, s->backup + n, n * sizeof (float));
      memcpy (s->adam_v, s->backup + 2 * n, n * sizeof (float));
      s->step = step;
      return status;
    }

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

float
rnn_session_test_loss (RnnSession *s)
{
  const RnnDataset *d = &s->data;
  int T = d->T, Nt = d->N - d->n_train;
  double sum = 0.0;

  use_blas_threads (s);

  /* mean over all test windows = sum over chunks of (chunk MSE x chunk size) / Nt */
  for (int c0 = 0; c0 < Nt; c0 += TEST_CHUNK)
    {
      int nc = Nt - c0 < TEST_CHUNK ? Nt - c0 : TEST_CHUNK;
      float mse;

      rnn_model_forward_work (s->y_test, s->hs_test, s->work_test, s->x_test + (size_t) T * c0,
                              s->model, T, nc, s->split);
      mse_forward (&mse, s->y_test, d->Y + d->n_train + c0, nc);
      sum += (double) mse * nc;
    }

  return (float) (sum / Nt);
}

void
rnn_session_rollback (RnnSession *s)
{
  size_t n = s->model->n_params;

  /* rnn_session_train_epoch kept params, m and v from before its step */
  memcpy (s->model->params, s->backup, n * sizeof (float));
  memcpy (s->adam_m, s->backup + n, n * sizeof (float));
  memcpy (s->adam_v, s->backup + 2 * n, n * sizeof (float));
  s->step--;
  s->epoch--;
}
