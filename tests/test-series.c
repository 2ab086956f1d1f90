/* test-series.c: the tutorial's sine series, windows and split. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "engine/series.h"

/* create_dataset keeps len - T - 1 windows; int(0.7 * 89) = 62 train. */
static void
test_tutorial_counts (void)
{
  RnnDataset d;

  g_assert_cmpint (series_window_count (100, 10), ==, 89);
  g_assert_cmpint (series_split_train (89, 0.7), ==, 62);

  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, 0.7), ==, RNN_OK);
  g_assert_cmpint (d.N, ==, 89);
  g_assert_cmpint (d.n_train, ==, 62);
  g_assert_cmpint (d.N - d.n_train, ==, 27);
  g_assert_cmpint (d.T, ==, 10);
  g_assert_cmpint (d.n_points, ==, 100);
  series_dataset_clear (&d);
  g_assert_null (d.X);
}

/* Python's int() truncates: these products sit just below or on an integer. */
static void
test_split_truncates (void)
{
  g_assert_cmpint (series_split_train (10, 0.7), ==, 7);   /* 0.7 * 10 = 7.0 */
  g_assert_cmpint (series_split_train (3, 0.9), ==, 2);    /* 2.7 */
  g_assert_cmpint (series_split_train (967, 0.7), ==, 676);  /* 676.9: the medium benchmark */
  g_assert_cmpint (series_split_train (3, 0.1), ==, 0);
  g_assert_cmpint (series_split_train (0, 0.7), ==, 0);
}

/* series[i] = sin (2 pi i / period) in double, stored as float; windows
 * and targets are the series shifted. */
static void
test_values (void)
{
  RnnDataset d;

  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, 0.7), ==, RNN_OK);
  g_assert_cmpfloat (d.series[0], ==, 0.0f);
  g_assert_cmpfloat (d.series[25], ==, 1.0f);
  g_assert_cmpfloat (d.series[75], ==, -1.0f);
  for (int i = 0; i < 100; i++)
    g_assert_cmpfloat (d.series[i], ==, (float) sin (2.0 * G_PI * i / 100.0));

  for (int k = 0; k < d.N; k++)
    {
      for (int t = 0; t < d.T; t++)
        g_assert_cmpfloat (d.X[t * d.N + k], ==, d.series[k + t]);
      g_assert_cmpfloat (d.Y[k], ==, d.series[k + d.T]);
    }
  /* the last window ends two points before the end (the tutorial's "- 1") */
  g_assert_cmpfloat (d.Y[d.N - 1], ==, d.series[98]);
  series_dataset_clear (&d);

  /* another period */
  float s[8];
  series_sine (s, 8, 4.0);
  g_assert_cmpfloat_with_epsilon (s[1], 1.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (s[2], 0.0, 1e-7);
  g_assert_cmpfloat_with_epsilon (s[3], -1.0, 1e-7);
}

/* The largest time step leaves exactly two windows: one train, one test. */
static void
test_time_step_max (void)
{
  RnnDataset d;
  int T = series_time_step_max (100, 0.7);

  /* 100 - T - 1 = 2 windows, int(0.7 * 2) = 1 */
  g_assert_cmpint (T, ==, 97);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, T, 0.7), ==, RNN_OK);
  g_assert_cmpint (d.n_train, ==, 1);
  g_assert_cmpint (d.N, ==, 2);
  series_dataset_clear (&d);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, T + 1, 0.7), ==, RNN_ERR_SHAPE);

  /* with a small ratio more windows are needed before one is a train window */
  g_assert_cmpint (series_time_step_max (6, 0.3), ==, 1);   /* 4 windows, 1 train */
  g_assert_cmpint (series_time_step_max (5, 0.3), ==, 0);   /* 3 windows, 0 train */
  g_assert_cmpint (series_time_step_max (4, 0.7), ==, 1);
}

static void
test_bad_shapes (void)
{
  RnnDataset d;

  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 0, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_null (d.X);
  g_assert_cmpint (d.N, ==, 0);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 98, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, RNN_POINTS_MIN - 1, 100.0, 1, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, RNN_POINTS_MAX + 1, 100.0, 10, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, 0.0), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, 1.0), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, 100.0, 10, NAN), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, 0.0, 10, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, -5.0, 10, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, INFINITY, 10, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_cmpint (series_dataset_init (&d, 100, NAN, 10, 0.7), ==, RNN_ERR_SHAPE);
  g_assert_null (d.series);
  /* window count may go to zero or below: the caller checks */
  g_assert_cmpint (series_window_count (10, 9), ==, 0);
  g_assert_cmpint (series_window_count (10, 12), ==, -3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/series/tutorial-counts", test_tutorial_counts);
  g_test_add_func ("/engine/series/split-truncates", test_split_truncates);
  g_test_add_func ("/engine/series/values", test_values);
  g_test_add_func ("/engine/series/time-step-max", test_time_step_max);
  g_test_add_func ("/engine/series/bad-shapes", test_bad_shapes);

  return g_test_run ();
}
