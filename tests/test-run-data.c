/* test-run-data.c: a run's series, with no display: every kind chosen
 * through lab_run_set_data () reaches the trainer (the snapshot's series
 * against the engine's generator, the snapshot's settings); a series too
 * short for the window is refused and changes nothing; the snapshot's
 * forecast, baselines and errors against the engine's functions called
 * directly; the hidden states read the model's scale. */
#include <math.h>
#include <string.h>

#include "core/lab-run.h"
#include "engine/baselines.h"
#include "engine/forecast.h"
#include "tests/run-test-util.h"

#define WAIT_US RUN_TEST_WAIT_US

static LabRun *
small_run (void)
{
  g_autoptr(LabRunSettings) settings = NULL;
  RnnConfig cfg;

  rnn_config_init_default (&cfg);
  cfg.hidden_size = 8;
  cfg.time_step = 5;
  settings = lab_run_settings_new (&cfg, 3);
  return lab_run_new (settings, WAIT_US);
}

/* Each generated kind, with its own parameters, reaches the trainer: the
 * snapshot's series is series_generate's, its settings say so. */
static void
test_kinds (void)
{
  g_autoptr(LabRun) run = small_run ();

  for (int kind = RNN_SERIES_SINE; kind < RNN_SERIES_DATA; kind++)
    {
      RnnConfig cfg = lab_run_get_settings (run)->config;
      RnnSeriesSpec spec = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree float *expected = NULL;
      LabSnapshot *s;

      cfg.series = kind;
      cfg.n_points = 120 + kind;
      cfg.period = kind == RNN_SERIES_PATTERN ? 12 : 30;
      cfg.period2 = 7.5;
      cfg.decay = 2;
      cfg.burst = kind == RNN_SERIES_PATTERN ? 3 : 0;
      cfg.noise = 0.05;
      cfg.series_seed = 11 + kind;
      g_assert_true (lab_run_set_data (run, &cfg, NULL, &error));
      g_assert_no_error (error);
      s = run_test_drain_until (run, 0);

      g_assert_cmpint (s->settings->config.series, ==, kind);
      g_assert_cmpint (s->settings->config.n_points, ==, 120 + kind);
      g_assert_cmpint ((int) s->settings->config.series_seed, ==, 11 + kind);
      g_assert_null (s->settings->data);
      g_assert_cmpint (s->n_points, ==, 120 + kind);

      spec.kind = kind;
      spec.n_points = cfg.n_points;
      spec.period = cfg.period;
      spec.period2 = cfg.period2;
      spec.decay = cfg.decay;
      spec.burst = cfg.burst;
      spec.noise = cfg.noise;
      spec.seed = cfg.series_seed;
      expected = g_new (float, cfg.n_points);
      g_assert_cmpint (series_generate (expected, &spec), ==, 1);
      g_assert_cmpmem (s->series, cfg.n_points * sizeof (float),
                       expected, cfg.n_points * sizeof (float));
    }
}

/* A shipped series: its values, minmax by default, its source kept. */
static void
test_real (void)
{
  g_autoptr(LabRun) run = small_run ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LabDataSource) source = lab_data_source_new_real ("nile", &error);
  g_autoptr(LabCsvSeries) direct = NULL;
  RnnConfig cfg = lab_run_get_settings (run)->config;
  LabSnapshot *s;
  float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;

  g_assert_no_error (error);
  g_assert_nonnull (source);
  direct = lab_real_series_load (lab_real_series_lookup ("nile"), &error);
  g_assert_no_error (error);

  cfg.series = RNN_SERIES_DATA;
  cfg.normalize = RNN_NORMALIZE_MINMAX;
  g_assert_true (lab_run_set_data (run, &cfg, source, &error));
  s = run_test_drain_until (run, 0);
  g_assert_true (s->settings->data == source);
  g_assert_cmpint (s->n_points, ==, direct->n_values);
  g_assert_cmpmem (s->series, direct->n_values * sizeof (float),
                   direct->values, direct->n_values * sizeof (float));

  /* The inputs are scaled from the training part (inputs and targets of
   * the train windows): their range there is exactly [-1, 1]. */
  for (int i = 0; i < s->n_train + s->time_step; i++)
    {
      lo = MIN (lo, s->inputs[i]);
      hi = MAX (hi, s->inputs[i]);
    }
  g_assert_cmpfloat_with_epsilon (lo, -1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (hi, 1.0, 1e-6);
}

/* Too short for the window: refused with the reason, nothing changes. */
static void
test_too_short (void)
{
  g_autoptr(LabRun) run = small_run ();
  g_autoptr(GError) error = NULL;
  RnnConfig cfg = lab_run_get_settings (run)->config;
  guint generation = lab_trainer_get_generation (lab_run_get_trainer (run));

  cfg.n_points = 7;
  g_assert_false (lab_run_set_data (run, &cfg, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "7"));
  g_assert_cmpuint (lab_trainer_get_generation (lab_run_get_trainer (run)), ==, generation);
  g_assert_cmpint (lab_run_get_settings (run)->config.n_points, ==, 100);

  /* The same settings again are no change at all. */
  cfg = lab_run_get_settings (run)->config;
  g_assert_true (lab_run_set_data (run, &cfg, NULL, NULL));
  g_assert_cmpuint (lab_trainer_get_generation (lab_run_get_trainer (run)), ==, generation);
}

/* The snapshot's forecast and baselines are the engine's, called on a
 * session of the same settings with the snapshot's weights. */
static void
check_against_engine (LabSnapshot *s)
{
  RnnStatus status = RNN_OK;
  RnnSession *session = rnn_session_new (&s->settings->config, &status);
  const RnnDataset *d;
  RnnModel *m;
  int n_test, steps;
  g_autofree float *start = NULL;
  g_autofree float *forecast = NULL;
  g_autofree float *scratch = NULL;
  g_autofree float *persistence = NULL;
  g_autofree float *ar = NULL;
  g_autofree float *pred = NULL;
  float mse;

  g_assert_nonnull (session);
  g_assert_cmpint (rnn_session_set_params (session, s->params, s->n_params), ==, RNN_OK);
  d = rnn_session_dataset (session);
  m = rnn_session_model (session);
  n_test = d->N - d->n_train;
  steps = n_test;

  /* Forecast: as many steps as test windows, from the first test target. */
  g_assert_cmpint (s->n_forecast, ==, steps);
  g_assert_cmpint (s->forecast_start, ==, d->n_train + d->T);
  start = g_new (float, d->T);
  forecast = g_new (float, steps);
  scratch = g_new (float, rnn_forecast_scratch_size (d->T, m->H, steps));
  series_forecast_start (start, d);
  rnn_forecast (forecast, scratch, start, m, d->T, steps);
  series_scale_inverse (forecast, &d->scale, forecast, steps);
  for (int k = 0; k < steps; k++)
    g_assert_cmpfloat (s->forecast[k], ==, forecast[k]);

  /* Baselines, on the model's scale as the command line prints them. */
  persistence = g_new (float, d->N);
  ar = g_new (float, d->N);
  baseline_persistence (persistence, d);
  g_assert_cmpint (baseline_linear_ar (ar, NULL, d), ==, RNN_OK);
  g_assert_cmpint (s->n_baselines, ==, LAB_N_BASELINES);
  g_assert_true (s->baselines[LAB_BASELINE_LINEAR_AR].ok);
  mse_forward (&mse, persistence + d->n_train, d->Y + d->n_train, n_test);
  g_assert_cmpfloat (s->baselines[LAB_BASELINE_PERSISTENCE].test_mse, ==, mse);
  mse_forward (&mse, ar + d->n_train, d->Y + d->n_train, n_test);
  g_assert_cmpfloat (s->baselines[LAB_BASELINE_LINEAR_AR].test_mse, ==, mse);
  series_scale_inverse (ar, &d->scale, ar, d->N);
  for (int k = 0; k < d->N; k++)
    g_assert_cmpfloat (s->baselines[LAB_BASELINE_LINEAR_AR].predictions[k], ==, ar[k]);

  /* The model's errors in the series' units. */
  pred = g_new (float, d->N);
  rnn_session_evaluate (session, pred, NULL, NULL);
  series_scale_inverse (pred, &d->scale, pred, d->N);
  for (int k = 0; k < d->N; k++)
    g_assert_cmpfloat_with_epsilon (s->predictions[k], pred[k], 1e-6 * (1 + fabsf (pred[k])));
  mse_forward (&mse, pred + d->n_train, d->series + d->T + d->n_train, n_test);
  g_assert_cmpfloat_with_epsilon (s->test_mse_units, mse, 1e-5 * mse + 1e-12);
  g_assert_cmpfloat_with_epsilon (s->test_mae_units,
                                  series_mae (pred + d->n_train, d->series + d->T + d->n_train, n_test),
                                  1e-5);

  rnn_session_free (session);
}

static void
test_forecast_baselines (void)
{
  g_autoptr(LabRun) run = small_run ();
  g_autoptr(LabDataSource) source = lab_data_source_new_real ("sunspots", NULL);
  RnnConfig cfg = lab_run_get_settings (run)->config;
  LabSnapshot *s;

  /* The tutorial's sine: the linear AR is exact (a two-term recurrence). */
  s = run_test_drain_until (run, 0);
  check_against_engine (s);
  g_assert_cmpfloat (s->baselines[LAB_BASELINE_LINEAR_AR].test_mse, <, 1e-10);
  g_assert_cmpfloat (s->baselines[LAB_BASELINE_PERSISTENCE].test_mse, >, 1e-4);
  lab_run_step (run);
  lab_run_step (run);
  s = run_test_drain_until (run, 2);
  check_against_engine (s);

  /* A real series, scaled: forecasts and errors come back in its units. */
  cfg.series = RNN_SERIES_DATA;
  cfg.normalize = RNN_NORMALIZE_ZSCORE;
  g_assert_true (lab_run_set_data (run, &cfg, source, NULL));
  run_test_drain_until (run, 0);
  lab_run_step (run);
  s = run_test_drain_until (run, 1);
  check_against_engine (s);
}

/* The hidden states of a window are computed from the model-scale inputs
 * the network was trained on, not from the series in its units. */
static void
test_hidden_scaled (void)
{
  g_autoptr(LabRun) run = small_run ();
  g_autoptr(LabDataSource) source = lab_data_source_new_real ("nile", NULL);
  RnnConfig cfg = lab_run_get_settings (run)->config;
  g_autofree float *z = NULL;
  g_autofree float *expected = NULL;
  g_autofree float *unscaled = NULL;
  g_autofree float *got = NULL;
  LabSnapshot *s;
  int T, H, window = 4;
  gsize n;
  RnnStatus status = RNN_OK;
  RnnSession *session;

  cfg.series = RNN_SERIES_DATA;
  cfg.normalize = RNN_NORMALIZE_MINMAX;
  g_assert_true (lab_run_set_data (run, &cfg, source, NULL));
  run_test_drain_until (run, 0);
  lab_run_step (run);
  s = run_test_drain_until (run, 1);
  T = s->time_step;
  H = s->hidden_size;
  n = (gsize) T * H;

  z = g_new (float, s->n_points);
  series_scale_apply (z, &s->scale, s->series, s->n_points);
  expected = g_new (float, n);
  unscaled = g_new (float, n);
  got = g_new (float, n);
  rnn_hidden_sequence (expected, z + window, s->params, T, 1, H, 1);
  rnn_hidden_sequence (unscaled, s->series + window, s->params, T, 1, H, 1);
  lab_snapshot_get_hidden (s, window, got);
  g_assert_cmpmem (got, n * sizeof (float), expected, n * sizeof (float));
  g_assert_true (memcmp (got, unscaled, n * sizeof (float)) != 0);

  /* And the worker's own window agrees with the session's cached states. */
  session = rnn_session_new (&s->settings->config, &status);
  g_assert_nonnull (session);
  g_assert_cmpint (rnn_session_set_params (session, s->params, s->n_params), ==, RNN_OK);
  rnn_session_evaluate (session, NULL, NULL, NULL);
  rnn_session_hidden (session, s->window, expected);
  /* (a batched product there, one window here: rounding apart) */
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (s->hidden[i], expected[i], 1e-5);
  rnn_session_free (session);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/run/data/kinds", test_kinds);
  g_test_add_func ("/app/run/data/real", test_real);
  g_test_add_func ("/app/run/data/too-short", test_too_short);
  g_test_add_func ("/app/run/data/forecast-baselines", test_forecast_baselines);
  g_test_add_func ("/app/run/data/hidden-scaled", test_hidden_scaled);

  return g_test_run ();
}
