/* test-session.c: a training run as the trainer and the command line drive it. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "engine/limits.h"
#include "engine/session.h"
#include "engine/stepgemm.h"

static RnnSession *
tutorial_session (uint64_t seed)
{
  RnnConfig cfg;
  RnnStatus status = RNN_ERR_NOMEM;

  rnn_config_init_default (&cfg);
  RnnSession *s = rnn_session_new (&cfg, &status);
  g_assert_cmpint (status, ==, RNN_OK);
  g_assert_nonnull (s);
  rnn_session_init_seed (s, seed);
  return s;
}

static void
test_config_default (void)
{
  RnnConfig cfg;

  /* Every field is set, whatever the memory held before. */
  memset (&cfg, 0xa5, sizeof cfg);
  rnn_config_init_default (&cfg);
  g_assert_cmpint (cfg.n_points, ==, 100);
  g_assert_cmpfloat (cfg.period, ==, 100.0);
  g_assert_cmpint (cfg.time_step, ==, 10);
  g_assert_cmpfloat (cfg.train_ratio, ==, 0.7);
  g_assert_cmpint (cfg.hidden_size, ==, 50);
  g_assert_cmpfloat (cfg.lr, ==, 0.01);
  g_assert_cmpint (cfg.optimizer, ==, RNN_OPTIMIZER_ADAM);
  g_assert_cmpint (cfg.series, ==, RNN_SERIES_SINE);
  g_assert_cmpfloat (cfg.period2, ==, 25.0);
  g_assert_cmpfloat (cfg.decay, ==, 3.0);
  g_assert_cmpint (cfg.burst, ==, 0);
  g_assert_cmpfloat (cfg.noise, ==, 0.0);
  g_assert_cmpuint (cfg.series_seed, ==, 0);
  g_assert_null (cfg.values);
  g_assert_cmpint (cfg.normalize, ==, RNN_NORMALIZE_NONE);
  g_assert_cmpint (cfg.batch_size, ==, 0);
  g_assert_cmpint (cfg.shuffle, ==, 0);
  g_assert_cmpuint (cfg.shuffle_seed, ==, 0);
}

static void
test_bad_config (void)
{
  RnnConfig cfg;
  RnnStatus status = RNN_OK;

  rnn_config_init_default (&cfg);
  cfg.hidden_size = 0;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_SHAPE);

  rnn_config_init_default (&cfg);
  cfg.time_step = 98;
  status = RNN_OK;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_SHAPE);

  rnn_config_init_default (&cfg);
  cfg.lr = NAN;
  status = RNN_OK;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_SHAPE);
}

/* The memory of a shape, counted from the buffers session.c allocates, and
 * a shape over the budget refused before anything is allocated. */
static void
test_memory_budget (void)
{
  RnnConfig cfg;
  RnnStatus status = RNN_OK;
  /* Tutorial: P = 100, T = 10, N = 89, Bt = 62, 27 test windows, H = 50,
   * n = 2701 parameters; one batch of 62; the test loss's chunks of 256;
   * the RNN cell's BPTT work: dL/dpre (T, 62, H) and 2T doubles; |dL/dh_t|
   * of the epoch and of a batch, 2T; with step kernels (stepgemm.h) each
   * of the three works (train, eval, test) a copy of W_hh^T (H, H), and
   * the train work two chunks of h^T (H, 256) and dW_hh^T (H, H) for
   * BPTT. */
  double floats = 7.0 * 2701 + 100 + 10.0 * 89 + 89 + 10.0 * 62 + 2 * 62
                  + 11.0 * 62 * 50 + 10.0 * 62 * 50 + 4.0 * 10 + 2.0 * 10 + 11.0 * 89 * 50 + 89
                  + 62 + 10.0 * 62 + 62 + 10.0 * 27 + 11.0 * 256 * 50 + 256
                  + (rnn_step_gemm_has_kernels () ? 3.0 * 50 * 50 + 2.0 * 50 * 256 + 50 * 50 : 0.0);

  rnn_config_init_default (&cfg);
  g_assert_cmpuint (rnn_session_memory (&cfg), ==, (gsize) (floats * 4));
  /* Batches of 8: smaller batch buffers. */
  cfg.batch_size = 8;
  g_assert_cmpuint (rnn_session_memory (&cfg), ==, (gsize) ((floats - 54 * 11) * 4));
  cfg.batch_size = 0;
  /* Another generated series is made in a copy of 100 points first. */
  cfg.series = RNN_SERIES_SQUARE;
  g_assert_cmpuint (rnn_session_memory (&cfg), ==, (gsize) ((floats + 100) * 4));
  cfg.series = RNN_SERIES_SINE;

  /* 100000 points, time step 20000: about 725 GiB; refused at once. */
  cfg.n_points = 100000;
  cfg.period = 100000;
  cfg.time_step = 20000;
  g_assert_cmpuint (rnn_session_memory (&cfg), >, (gsize) 700 << 30);
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_BUDGET);

  /* The benchmarks' largest shape fits. */
  cfg.n_points = 4000;
  cfg.period = 200;
  cfg.time_step = 64;
  cfg.hidden_size = 256;
  g_assert_cmpuint (rnn_session_memory (&cfg), <=, RNN_MEMORY_BUDGET);

  /* The same shape as an LSTM is over the budget; the benchmarks give
   * themselves a larger one. */
  cfg.cell = RNN_CELL_LSTM;
  g_assert_cmpuint (rnn_session_memory (&cfg), >, RNN_MEMORY_BUDGET);
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_BUDGET);
  cfg.cell = RNN_CELL_RNN;

  /* No windows: nothing to count. */
  cfg.time_step = 4000;
  g_assert_cmpuint (rnn_session_memory (&cfg), ==, 0);

  /* Another budget: the tutorial refused within 1 KiB, built within its own size. */
  rnn_config_init_default (&cfg);
  status = RNN_OK;
  g_assert_null (rnn_session_new_within (&cfg, 1024, &status));
  g_assert_cmpint (status, ==, RNN_ERR_BUDGET);
  {
    RnnSession *s = rnn_session_new_within (&cfg, rnn_session_memory (&cfg), &status);

    g_assert_nonnull (s);
    rnn_session_free (s);
  }
}

/* PyTorch's init bounds: every tensor within +-1/sqrt(H), and not constant. */
static void
test_init_bounds (void)
{
  RnnSession *s = tutorial_session (7);
  RnnModel *m = rnn_session_model (s);
  float k = 1.0f / sqrtf (50.0f);
  float lo = 1, hi = -1;

  g_assert_cmpuint (m->n_params, ==, 50 + 2500 + 50 + 50 + 50 + 1);
  for (size_t i = 0; i < m->n_params; i++)
    {
      g_assert_cmpfloat (fabsf (m->params[i]), <=, k);
      lo = MIN (lo, m->params[i]);
      hi = MAX (hi, m->params[i]);
    }
  /* 2701 uniform draws cover most of the interval */
  g_assert_cmpfloat (lo, <, -0.9f * k);
  g_assert_cmpfloat (hi, >, 0.9f * k);
  g_assert_cmpint (rnn_session_epoch (s), ==, 0);
  rnn_session_free (s);
}

/* The same seed gives the same run, bit for bit; another seed does not. */
static void
test_determinism (void)
{
  RnnSession *a = tutorial_session (42);
  RnnSession *b = tutorial_session (42);
  RnnSession *c = tutorial_session (43);
  size_t n = rnn_session_model (a)->n_params;

  g_assert_true (memcmp (rnn_session_model (a)->params, rnn_session_model (b)->params, n * sizeof (float)) == 0);
  g_assert_false (memcmp (rnn_session_model (a)->params, rnn_session_model (c)->params, n * sizeof (float)) == 0);

  for (int e = 0; e < 30; e++)
    {
      float la, lb, ga, gb;
      g_assert_cmpint (rnn_session_train_epoch (a, &la, &ga), ==, RNN_OK);
      g_assert_cmpint (rnn_session_train_epoch (b, &lb, &gb), ==, RNN_OK);
      g_assert_true (memcmp (&la, &lb, sizeof la) == 0);
      g_assert_true (memcmp (&ga, &gb, sizeof ga) == 0);
    }
  g_assert_true (memcmp (rnn_session_model (a)->params, rnn_session_model (b)->params, n * sizeof (float)) == 0);
  g_assert_cmpint (rnn_session_epoch (a), ==, 30);

  /* re-seeding replays the run from the start */
  float first_a, first_again;
  rnn_session_init_seed (c, 42);
  g_assert_cmpint (rnn_session_epoch (c), ==, 0);
  g_assert_cmpint (rnn_session_train_epoch (c, &first_again, NULL), ==, RNN_OK);
  rnn_session_init_seed (a, 42);
  g_assert_cmpint (rnn_session_train_epoch (a, &first_a, NULL), ==, RNN_OK);
  g_assert_true (memcmp (&first_a, &first_again, sizeof first_a) == 0);

  rnn_session_free (a);
  rnn_session_free (b);
  rnn_session_free (c);
}

/* Training lowers the loss, and evaluate agrees with the last train loss. */
/* The thread rule: the tutorial's shape runs OpenBLAS on one thread, the
 * benchmark's medium one on every core. With OpenBLAS's threads at work,
 * two runs of the medium shape from the same seed are identical, bit for
 * bit, even when a tutorial session (one thread; the setting is
 * process-wide) is created and trained in between. */
static void
test_blas_threads (void)
{
  RnnConfig cfg;
  RnnStatus status;
  RnnSession *small = NULL;
  RnnSession *big[2];
  float loss[2][5], gnorm[2][5];

  rnn_config_init_default (&cfg);
  cfg.n_points = 1000;
  cfg.time_step = 32;
  cfg.hidden_size = 128; /* the benchmark's medium: 676 x 128 x 128 = 1.1e7 per step */
  for (int k = 0; k < 2; k++)
    {
      big[k] = rnn_session_new (&cfg, &status);
      g_assert_cmpint (status, ==, RNN_OK);
      rnn_session_init_seed (big[k], 7);
      for (int e = 0; e < 5; e++)
        g_assert_cmpint (rnn_session_train_epoch (big[k], &loss[k][e], &gnorm[k][e]), ==, RNN_OK);
      if (k == 0)
        {
          float l;
          small = tutorial_session (1);
          g_assert_cmpint (rnn_session_train_epoch (small, &l, NULL), ==, RNN_OK);
        }
    }

  g_assert_cmpint (rnn_session_blas_threads (small), ==, 1);
  g_assert_cmpint (rnn_session_blas_threads (big[0]), >=, 1);
  g_test_message ("OpenBLAS threads: tutorial %d, medium %d",
                  rnn_session_blas_threads (small), rnn_session_blas_threads (big[0]));
  g_assert_true (memcmp (loss[0], loss[1], sizeof loss[0]) == 0);
  g_assert_true (memcmp (gnorm[0], gnorm[1], sizeof gnorm[0]) == 0);
  g_assert_true (memcmp (rnn_session_model (big[0])->params, rnn_session_model (big[1])->params,
                         rnn_session_model (big[0])->n_params * sizeof (float)) == 0);

  rnn_session_free (big[0]);
  rnn_session_free (big[1]);
  rnn_session_free (small);
}

static void
test_training_learns (void)
{
  RnnSession *s = tutorial_session (1);
  float first, loss, grad_norm, train_mse, test_mse;

  g_assert_cmpint (rnn_session_train_epoch (s, &first, &grad_norm), ==, RNN_OK);
  g_assert_cmpfloat (grad_norm, >, 0.0f);
  for (int e = 1; e < 100; e++)
    g_assert_cmpint (rnn_session_train_epoch (s, &loss, NULL), ==, RNN_OK);
  g_assert_cmpfloat (loss, <, 0.1f * first);

  rnn_session_evaluate (s, NULL, &train_mse, &test_mse);
  g_assert_true (isfinite (test_mse));
  /* evaluate sees the weights after epoch 100's update, so it is close to but
   * not the same as epoch 100's loss */
  g_assert_cmpfloat (train_mse, <, 2.0f * loss);
  rnn_session_free (s);
}

/* set_lr applies at the next epoch and keeps Adam's state: the run equals
 * one where the rate was changed at the same epoch, and differs from one
 * that kept the old rate. */
static void
test_set_lr (void)
{
  RnnSession *a = tutorial_session (5);
  RnnSession *b = tutorial_session (5);
  RnnConfig cfg = *rnn_session_config (a);
  size_t n = rnn_session_model (a)->n_params;
  float la, lb;

  for (int e = 0; e < 5; e++)
    {
      rnn_session_train_epoch (a, &la, NULL);
      rnn_session_train_epoch (b, &lb, NULL);
    }
  rnn_session_set_lr (a, 0.05);
  g_assert_cmpfloat (rnn_session_config (a)->lr, ==, 0.05);
  g_assert_cmpfloat (cfg.lr, ==, 0.01);
  /* the epoch counter and the losses so far are untouched */
  g_assert_cmpint (rnn_session_epoch (a), ==, 5);

  /* The 6th epoch's loss is computed before its update: still equal. */
  g_assert_cmpint (rnn_session_train_epoch (a, &la, NULL), ==, RNN_OK);
  g_assert_cmpint (rnn_session_train_epoch (b, &lb, NULL), ==, RNN_OK);
  g_assert_true (memcmp (&la, &lb, sizeof la) == 0);
  /* ... but its update used the new rate */
  g_assert_false (memcmp (rnn_session_model (a)->params, rnn_session_model (b)->params, n * sizeof (float)) == 0);

  /* Adam's first step moves every weight by about lr; the 6th step with a
   * bigger lr moves the weights further than the old lr did. */
  RnnSession *c = tutorial_session (5);
  g_autofree float *before = g_new (float, n);
  for (int e = 0; e < 5; e++)
    rnn_session_train_epoch (c, &la, NULL);
  memcpy (before, rnn_session_model (c)->params, n * sizeof (float));
  rnn_session_train_epoch (c, &la, NULL);
  double moved_old = 0, moved_new = 0;
  for (size_t i = 0; i < n; i++)
    moved_old += fabs (rnn_session_model (c)->params[i] - before[i]);
  /* replay a's 6th step from c's state: a fresh session to epoch 5, lr 0.05 */
  RnnSession *d = tutorial_session (5);
  for (int e = 0; e < 5; e++)
    rnn_session_train_epoch (d, &la, NULL);
  rnn_session_set_lr (d, 0.05);
  rnn_session_train_epoch (d, &la, NULL);
  for (size_t i = 0; i < n; i++)
    moved_new += fabs (rnn_session_model (d)->params[i] - before[i]);
  g_assert_cmpfloat_with_epsilon (moved_new / moved_old, 5.0, 1e-3);

  /* a bad rate is ignored */
  rnn_session_set_lr (d, -1.0);
  rnn_session_set_lr (d, NAN);
  g_assert_cmpfloat (rnn_session_config (d)->lr, ==, 0.05);

  rnn_session_free (a);
  rnn_session_free (b);
  rnn_session_free (c);
  rnn_session_free (d);
}

/* set_params refuses a wrong size or a non-finite value and changes nothing. */
static void
test_set_params (void)
{
  RnnSession *s = tutorial_session (3);
  RnnModel *m = rnn_session_model (s);
  size_t n = m->n_params;
  g_autofree float *saved = g_memdup2 (m->params, n * sizeof (float));
  g_autofree float *other = g_new (float, n);
  float loss;

  rnn_session_train_epoch (s, &loss, NULL);
  g_free (saved);
  saved = g_memdup2 (m->params, n * sizeof (float));

  for (size_t i = 0; i < n; i++)
    other[i] = 0.01f * (float) (i % 7);
  g_assert_cmpint (rnn_session_set_params (s, other, n - 1), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (rnn_session_set_params (s, other, n + 1), ==, RNN_ERR_SHAPE);
  other[n / 2] = NAN;
  g_assert_cmpint (rnn_session_set_params (s, other, n), ==, RNN_ERR_NONFINITE);
  other[n / 2] = INFINITY;
  g_assert_cmpint (rnn_session_set_params (s, other, n), ==, RNN_ERR_NONFINITE);
  g_assert_true (memcmp (m->params, saved, n * sizeof (float)) == 0);
  g_assert_cmpint (rnn_session_epoch (s), ==, 1);

  /* a good buffer is taken as is and restarts the run */
  other[n / 2] = 0.5f;
  g_assert_cmpint (rnn_session_set_params (s, other, n), ==, RNN_OK);
  g_assert_true (memcmp (m->params, other, n * sizeof (float)) == 0);
  g_assert_cmpint (rnn_session_epoch (s), ==, 0);
  rnn_session_free (s);
}

/* A loss that is not finite is reported, and the weights stay as they were. */
static void
test_nonfinite (void)
{
  RnnSession *s = tutorial_session (9);
  RnnModel *m = rnn_session_model (s);
  size_t n = m->n_params;
  float loss, norm;

  /* fc.bias = 3e38: predictions ~3e38, their square overflows float */
  float *fc_b = rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL);
  *fc_b = 3e38f;
  g_autofree float *saved = g_memdup2 (m->params, n * sizeof (float));

  g_assert_cmpint (rnn_session_train_epoch (s, &loss, &norm), ==, RNN_ERR_NONFINITE);
  g_assert_false (isfinite (loss) && isfinite (norm));
  g_assert_true (memcmp (m->params, saved, n * sizeof (float)) == 0);
  g_assert_cmpint (rnn_session_epoch (s), ==, 0);

  /* SGD with an absurd rate: finite loss and gradient (fc.bias = 1e10 gives
   * dL/db ~ 2e10), a step of 1e30 * 2e10 overflows: rolled back */
  RnnConfig cfg;
  RnnStatus status;
  rnn_config_init_default (&cfg);
  cfg.optimizer = RNN_OPTIMIZER_SGD;
  cfg.lr = 1e30;
  RnnSession *t = rnn_session_new (&cfg, &status);
  rnn_session_init_seed (t, 9);
  *rnn_model_tensor (rnn_session_model (t), RNN_TENSOR_FC_B, NULL, NULL) = 1e10f;
  g_free (saved);
  saved = g_memdup2 (rnn_session_model (t)->params, n * sizeof (float));
  g_assert_cmpint (rnn_session_train_epoch (t, &loss, &norm), ==, RNN_ERR_NONFINITE);
  g_assert_true (isfinite (loss) && isfinite (norm));
  g_assert_true (memcmp (rnn_session_model (t)->params, saved, n * sizeof (float)) == 0);
  g_assert_true (rnn_model_all_finite (rnn_session_model (t)));
  g_assert_cmpint (rnn_session_epoch (t), ==, 0);

  rnn_session_free (s);
  rnn_session_free (t);
}

/* The cached hidden states of evaluate are those rnn_hidden_sequence
 * computes for the same window from the raw parameters; evaluate's
 * predictions cover every window, train then test. */
static void
test_hidden (void)
{
  RnnSession *s = tutorial_session (11);
  const RnnDataset *d = rnn_session_dataset (s);
  RnnModel *m = rnn_session_model (s);
  int T = d->T, H = m->H, N = d->N;
  g_autofree float *pred = g_new (float, N);
  g_autofree float *cached = g_new (float, T * H);
  g_autofree float *direct = g_new (float, T * H);
  g_autofree float *x = g_new (float, T);
  float loss;

  for (int e = 0; e < 20; e++)
    rnn_session_train_epoch (s, &loss, NULL);
  rnn_session_evaluate (s, pred, NULL, NULL);

  int windows[] = { 0, d->n_train - 1, d->n_train, N - 1 };
  for (size_t w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      int k = windows[w];
      for (int t = 0; t < T; t++)
        x[t] = d->X[t * N + k];
      rnn_session_hidden (s, k, cached);
      rnn_hidden_sequence (direct, x, m->params, T, 1, H, 1);
      for (int i = 0; i < T * H; i++)
        g_assert_cmpfloat_with_epsilon (cached[i], direct[i], 1e-5);
      /* the prediction is fc applied to the last hidden state */
      const float *W_fc = rnn_model_tensor (m, RNN_TENSOR_FC_W, NULL, NULL);
      double y = *rnn_model_tensor (m, RNN_TENSOR_FC_B, NULL, NULL);
      for (int j = 0; j < H; j++)
        y += (double) W_fc[j] * direct[(T - 1) * H + j];
      g_assert_cmpfloat_with_epsilon (pred[k], y, 1e-5);
    }
  rnn_session_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/session/config-default", test_config_default);
  g_test_add_func ("/engine/session/bad-config", test_bad_config);
  g_test_add_func ("/engine/session/memory-budget", test_memory_budget);
  g_test_add_func ("/engine/session/init-bounds", test_init_bounds);
  g_test_add_func ("/engine/session/determinism", test_determinism);
  g_test_add_func ("/engine/session/blas-threads", test_blas_threads);
  g_test_add_func ("/engine/session/training-learns", test_training_learns);
  g_test_add_func ("/engine/session/set-lr", test_set_lr);
  g_test_add_func ("/engine/session/set-params", test_set_params);
  g_test_add_func ("/engine/session/nonfinite", test_nonfinite);
  g_test_add_func ("/engine/session/hidden", test_hidden);

  return g_test_run ();
}
