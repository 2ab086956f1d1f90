/* test-data.c: the generated series, scaling, baselines and mini-batches,
 * against numpy (tests/reference/make-data-reference.py wrote
 * data-reference.json) and against the session's own full-batch run. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "engine/baselines.h"
#include "engine/generators.h"
#include "engine/session.h"

static JsonParser *reference_parser;

static JsonObject *
reference (const char *member)
{
  if (reference_parser == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", "data-reference.json", NULL);
      g_autoptr (GError) error = NULL;

      reference_parser = json_parser_new ();
      json_parser_load_from_file (reference_parser, path, &error);
      g_assert_no_error (error);
    }
  return json_node_get_object (json_object_get_member (
           json_node_get_object (json_parser_get_root (reference_parser)), member));
}

static JsonArray *
reference_array (const char *member)
{
  reference ("forecast");  /* loads the file */
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (reference_parser)),
                                       member);
}

static float *
floats (JsonArray *array,
        int       *n)
{
  float *out = g_new (float, json_array_get_length (array));

  for (guint i = 0; i < json_array_get_length (array); i++)
    out[i] = (float) json_array_get_double_element (array, i);
  if (n != NULL)
    *n = (int) json_array_get_length (array);
  return out;
}

/* Every generated series against numpy's, point for point. */
static void
test_generators_numpy (void)
{
  JsonArray *cases = reference_array ("generators");

  g_assert_cmpuint (json_array_get_length (cases), >=, 10);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *o = json_array_get_object_element (cases, c);
      JsonObject *spec_json = json_object_get_object_member (o, "spec");
      int n;
      g_autofree float *expected = floats (json_object_get_array_member (o, "values"), &n);
      g_autofree float *out = g_new (float, n);
      RnnSeriesSpec spec = {
        .kind = series_kind_from_name (json_object_get_string_member (spec_json, "kind")),
        .n_points = (int) json_object_get_int_member (spec_json, "n_points"),
        .period = json_object_get_double_member (spec_json, "period"),
        .period2 = json_object_get_double_member (spec_json, "period2"),
        .decay = json_object_get_double_member (spec_json, "decay"),
        .noise = json_object_get_double_member (spec_json, "noise"),
        .seed = (uint64_t) json_object_get_int_member (spec_json, "seed"),
        .burst = (int) json_object_get_int_member_with_default (spec_json, "burst", 0),
      };

      g_assert_cmpint ((int) spec.kind, >=, 0);
      g_assert_cmpint (spec.n_points, ==, n);
      g_assert_cmpint (series_generate (out, &spec), ==, 1);
      for (int i = 0; i < n; i++)
        g_assert_cmpfloat_with_epsilon (out[i], expected[i], 1e-6);
    }
}

/* The tutorial's sine through the config is today's, bit for bit. */
static void
test_sine_unchanged (void)
{
  RnnConfig cfg;
  RnnDataset d;
  RnnSession *s;

  rnn_config_init_default (&cfg);
  g_assert_cmpint (cfg.series, ==, RNN_SERIES_SINE);
  g_assert_cmpint (cfg.normalize, ==, RNN_NORMALIZE_NONE);
  g_assert_cmpint (cfg.batch_size, ==, 0);
  s = rnn_session_new (&cfg, NULL);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, 0.7), ==, RNN_OK);
  g_assert_cmpmem (rnn_session_dataset (s)->series, 100 * sizeof (float), d.series, 100 * sizeof (float));
  g_assert_cmpmem (rnn_session_dataset (s)->X, (size_t) d.T * d.N * sizeof (float),
                   d.X, (size_t) d.T * d.N * sizeof (float));
  g_assert_cmpmem (rnn_session_dataset (s)->Y, d.N * sizeof (float), d.Y, d.N * sizeof (float));
  series_dataset_clear (&d);
  rnn_session_free (s);
}

/* The seed decides the random series; the pattern repeats with its period;
 * bad specs are refused. */
static void
test_generators_seeded (void)
{
  RnnSeriesSpec spec = { .kind = RNN_SERIES_PATTERN, .n_points = 50, .period = 7.0, .seed = 5 };
  float a[50], b[50], c[50];

  g_assert_cmpint (series_generate (a, &spec), ==, 1);
  g_assert_cmpint (series_generate (b, &spec), ==, 1);
  spec.seed = 6;
  g_assert_cmpint (series_generate (c, &spec), ==, 1);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_true (memcmp (a, c, sizeof a) != 0);
  for (int i = 0; i < 50; i++)
    {
      g_assert_cmpfloat (a[i], >=, -1.0f);
      g_assert_cmpfloat (a[i], <, 1.0f);
      if (i >= 7)
        g_assert_cmpfloat (a[i], ==, a[i - 7]);
    }

  /* A burst of 2: the first two points of every period random and not 0
   * (U(-1, 1) is 0 with probability 2^-24 per draw), the rest 0. */
  spec.burst = 2;
  g_assert_cmpint (series_generate (a, &spec), ==, 1);
  for (int i = 0; i < 50; i++)
    {
      if (i % 7 < 2)
        g_assert_cmpfloat (a[i], !=, 0.0f);
      else
        g_assert_cmpfloat (a[i], ==, 0.0f);
      if (i >= 7)
        g_assert_cmpfloat (a[i], ==, a[i - 7]);
    }
  spec.burst = 7;
  g_assert_cmpint (series_generate (a, &spec), ==, 0);
  spec.burst = -1;
  g_assert_cmpint (series_generate (a, &spec), ==, 0);
  spec.burst = 0;

  spec.period = 7.5;
  g_assert_cmpint (series_generate (a, &spec), ==, 0);
  spec.period = 51.0;
  g_assert_cmpint (series_generate (a, &spec), ==, 0);
  spec = (RnnSeriesSpec) { .kind = RNN_SERIES_SINE, .n_points = 50, .period = 10.0, .noise = -1.0 };
  g_assert_cmpint (series_generate (a, &spec), ==, 0);
  spec = (RnnSeriesSpec) { .kind = RNN_SERIES_DATA, .n_points = 50, .period = 10.0 };
  g_assert_cmpint (series_generate (a, &spec), ==, 0);
  g_assert_cmpint (series_kind_from_name ("random-walk"), ==, RNN_SERIES_RANDOM_WALK);
  g_assert_cmpint (series_kind_from_name ("data"), ==, -1);
  g_assert_cmpint (series_kind_from_name ("co2"), ==, -1);
}

/* Scaling fitted on series[0 : n_train + T] only, as numpy computes it;
 * the inverse gives the series back. */
static void
test_scaling (void)
{
  JsonArray *cases = reference_array ("scaling");

  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *o = json_array_get_object_element (cases, c);
      int n, T = (int) json_object_get_int_member (o, "time_step");
      g_autofree float *z = floats (json_object_get_array_member (o, "scaled"), &n);
      g_autofree float *x = floats (json_object_get_array_member (o, "values"), NULL);
      g_autofree float *back = g_new (float, n);
      RnnNormalize kind = series_normalize_from_name (json_object_get_string_member (o, "normalize"));
      double a = json_object_get_double_member (o, "a"), b = json_object_get_double_member (o, "b");
      RnnDataset d;

      g_assert_cmpint (series_dataset_init_values (&d, x, n, T, json_object_get_double_member (o, "train_ratio"),
                                                   kind), ==, RNN_OK);
      g_assert_cmpint (d.n_train, ==, json_object_get_int_member (o, "n_train"));
      g_assert_cmpfloat_with_epsilon (d.scale.a, a, 1e-9 * fabs (a) + 1e-12);
      g_assert_cmpfloat_with_epsilon (d.scale.b, b, 1e-9 * fabs (b));
      for (int k = 0; k < d.N; k++)
        {
          g_assert_cmpfloat_with_epsilon (d.Y[k], z[k + T], 1e-6);
          g_assert_cmpfloat_with_epsilon (d.X[(size_t) 3 * d.N + k], z[k + 3], 1e-6);
        }
      if (kind == RNN_NORMALIZE_MINMAX)
        {
          /* the training part spans [-1, 1] exactly; the test part may leave it */
          float lo = 1.0f, hi = -1.0f;
          for (int k = 0; k < d.n_train; k++)
            lo = fminf (lo, d.Y[k]), hi = fmaxf (hi, d.Y[k]);
          g_assert_cmpfloat (lo, >=, -1.0f);
          g_assert_cmpfloat (hi, <=, 1.0f);
        }
      series_scale_inverse (back, &d.scale, d.Y, d.N);
      for (int k = 0; k < d.N; k++)
        g_assert_cmpfloat_with_epsilon (back[k], x[k + T], 1e-5 * fabs (x[k + T]) + 1e-5);

      /* the test part does not move the scale: change it and fit again */
      {
        RnnDataset e;
        for (int i = d.n_train + T; i < n; i++)
          x[i] = 1e4f;
        g_assert_cmpint (series_dataset_init_values (&e, x, n, T, d.train_ratio, kind), ==, RNN_OK);
        g_assert_cmpfloat (e.scale.a, ==, d.scale.a);
        g_assert_cmpfloat (e.scale.b, ==, d.scale.b);
        series_dataset_clear (&e);
      }
      series_dataset_clear (&d);
    }
}

static void
check_baselines (const char *name,
                 RnnDataset *d)
{
  JsonObject *o = json_object_get_object_member (reference ("baselines"), name);
  int n;
  g_autofree float *persistence = floats (json_object_get_array_member (o, "persistence"), &n);
  g_autofree float *ar_ref = floats (json_object_get_array_member (o, "linear_ar"), NULL);
  JsonArray *coef_ref = json_object_get_array_member (o, "coef");
  g_autofree float *pred = g_new (float, d->N);
  g_autofree double *coef = g_new (double, d->T + 1);
  int Bt = d->n_train;
  float mse;

  g_assert_cmpint (n, ==, d->N);
  baseline_persistence (pred, d);
  g_assert_cmpmem (pred, n * sizeof (float), persistence, n * sizeof (float));
  mse_forward (&mse, pred + Bt, d->Y + Bt, d->N - Bt);
  g_assert_cmpfloat_with_epsilon (mse, json_object_get_double_member (o, "persistence_test_mse"),
                                  1e-6 * mse);

  g_assert_cmpint (baseline_linear_ar (pred, coef, d), ==, RNN_OK);
  for (int k = 0; k < d->N; k++)
    g_assert_cmpfloat_with_epsilon (pred[k], ar_ref[k], 1e-5);
  for (int t = 0; t <= d->T; t++)
    g_assert_cmpfloat_with_epsilon (coef[t], json_array_get_double_element (coef_ref, t), 1e-4);
  mse_forward (&mse, pred + Bt, d->Y + Bt, d->N - Bt);
  g_assert_cmpfloat_with_epsilon (mse, json_object_get_double_member (o, "linear_ar_test_mse"),
                                  1e-3 * json_object_get_double_member (o, "linear_ar_test_mse") + 1e-15);
}

/* Persistence and the linear AR against numpy; on the tutorial's sine the
 * linear AR is exact (a sine obeys a two-term linear recurrence). */
static void
test_baselines (void)
{
  RnnDataset d;
  JsonObject *scaled = json_array_get_object_element (reference_array ("scaling"), 0);
  int n;
  g_autofree float *z = floats (json_object_get_array_member (scaled, "scaled"), &n);
  g_autofree float *pred = NULL;
  float mse;

  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, 0.7), ==, RNN_OK);
  check_baselines ("tutorial", &d);
  pred = g_new (float, d.N);
  g_assert_cmpint (baseline_linear_ar (pred, NULL, &d), ==, RNN_OK);
  mse_forward (&mse, pred + d.n_train, d.Y + d.n_train, d.N - d.n_train);
  g_assert_cmpfloat (mse, <, 1e-10);
  series_dataset_clear (&d);

  /* the minmax-scaled sunspots, as numpy scaled them */
  g_assert_cmpstr (json_object_get_string_member (scaled, "normalize"), ==, "minmax");
  g_assert_cmpint (series_dataset_init_values (&d, z, n, 10, 0.7, RNN_NORMALIZE_NONE), ==, RNN_OK);
  check_baselines ("sunspots-minmax", &d);
  series_dataset_clear (&d);
}

/* batch_size = all the windows is the full batch, bit for bit; batches
 * change the run; shuffled batches replay after a reset. */
static void
test_batches (void)
{
  RnnConfig cfg;
  RnnSession *full, *same, *batched, *shuffled;
  float l1, l2, l3, l4;
  float first[5];

  rnn_config_init_default (&cfg);
  full = rnn_session_new (&cfg, NULL);
  cfg.batch_size = 62;
  same = rnn_session_new (&cfg, NULL);
  cfg.batch_size = 10;
  batched = rnn_session_new (&cfg, NULL);
  cfg.shuffle = 1;
  cfg.shuffle_seed = 3;
  shuffled = rnn_session_new (&cfg, NULL);
  rnn_session_init_seed (full, 1);
  rnn_session_init_seed (same, 1);
  rnn_session_init_seed (batched, 1);
  rnn_session_init_seed (shuffled, 1);

  for (int e = 0; e < 5; e++)
    {
      g_assert_cmpint (rnn_session_train_epoch (full, &l1, NULL), ==, RNN_OK);
      g_assert_cmpint (rnn_session_train_epoch (same, &l2, NULL), ==, RNN_OK);
      g_assert_cmpint (rnn_session_train_epoch (batched, &l3, NULL), ==, RNN_OK);
      g_assert_cmpint (rnn_session_train_epoch (shuffled, &first[e], NULL), ==, RNN_OK);
      g_assert_cmpfloat (l1, ==, l2);
      if (e > 0)
        g_assert_cmpfloat (l1, !=, l3);
    }
  g_assert_cmpmem (rnn_session_model (full)->params, rnn_session_model (full)->n_params * sizeof (float),
                   rnn_session_model (same)->params, rnn_session_model (same)->n_params * sizeof (float));
  g_assert_cmpint (rnn_session_epoch (batched), ==, 5);

  rnn_session_init_seed (shuffled, 1);
  for (int e = 0; e < 5; e++)
    {
      g_assert_cmpint (rnn_session_train_epoch (shuffled, &l4, NULL), ==, RNN_OK);
      g_assert_cmpfloat (l4, ==, first[e]);
    }

  rnn_session_free (full);
  rnn_session_free (same);
  rnn_session_free (batched);
  rnn_session_free (shuffled);
}

/* Given values are copied; the session's config points at its own copy. */
static void
test_data_series (void)
{
  RnnConfig cfg;
  RnnSession *s;
  float values[40];
  RnnStatus status;

  for (int i = 0; i < 40; i++)
    values[i] = 100.0f + (float) (i % 7);
  rnn_config_init_default (&cfg);
  cfg.series = RNN_SERIES_DATA;
  cfg.values = values;
  cfg.n_points = 40;
  cfg.time_step = 5;
  cfg.normalize = RNN_NORMALIZE_MINMAX;
  s = rnn_session_new (&cfg, &status);
  g_assert_cmpint (status, ==, RNN_OK);
  g_assert_true (rnn_session_config (s)->values == rnn_session_dataset (s)->series);
  values[0] = -1.0f;
  g_assert_cmpfloat (rnn_session_dataset (s)->series[0], ==, 100.0f);
  /* minmax over the training part: 100 .. 106 onto -1 .. 1 */
  g_assert_cmpfloat (rnn_session_dataset (s)->X[0], ==, -1.0f);
  rnn_session_free (s);

  values[3] = NAN;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_NONFINITE);
  cfg.values = NULL;
  g_assert_null (rnn_session_new (&cfg, &status));
  g_assert_cmpint (status, ==, RNN_ERR_SHAPE);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/data/generators/numpy", test_generators_numpy);
  g_test_add_func ("/engine/data/generators/seeded", test_generators_seeded);
  g_test_add_func ("/engine/data/sine-unchanged", test_sine_unchanged);
  g_test_add_func ("/engine/data/scaling", test_scaling);
  g_test_add_func ("/engine/data/baselines", test_baselines);
  g_test_add_func ("/engine/data/batches", test_batches);
  g_test_add_func ("/engine/data/given-values", test_data_series);

  status = g_test_run ();
  g_clear_object (&reference_parser);
  return status;
}
