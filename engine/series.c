/* series.c: the tutorial's sine series, its windows and the train/test split. */
#include "engine/series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int
series_window_count (int n_points,
                     int T)
{
  /* create_dataset: range (len (data) - time_step - 1) */
  return n_points - T - 1;
}

int
series_split_train (int    n_windows,
                    double train_ratio)
{
  if (n_windows <= 0 || !(train_ratio > 0.0))
    return 0;
  /* Python's int() truncates toward zero. */
  double n = train_ratio * (double) n_windows;
  if (n >= (double) n_windows)
    return n_windows;
  return (int) n;
}

static int
shape_is_valid (int    n_points,
                int    T,
                double train_ratio)
{
  if (n_points < RNN_POINTS_MIN || n_points > RNN_POINTS_MAX)
    return 0;
  if (T < RNN_TIME_STEP_MIN || !(train_ratio > 0.0 && train_ratio < 1.0))
    return 0;
  int N = series_window_count (n_points, T);
  if (N < 2)
    return 0;
  int n_train = series_split_train (N, train_ratio);
  /* At least one train window and one test window. */
  return n_train >= 1 && n_train < N;
}

int
series_time_step_max (int    n_points,
                      double train_ratio)
{
  /* The window count falls as T grows, so scan down from the largest T. */
  for (int T = n_points - 3; T >= RNN_TIME_STEP_MIN; T--)
    if (shape_is_valid (n_points, T, train_ratio))
      return T;
  return 0;
}

void
series_sine (float *out,
             int    n_points,
             double period)
{
  /* out (n_points): sin (2 pi i / period) in double, stored as float32,
   * as numpy computes it before torch.tensor (..., dtype=float32). */
  for (int i = 0; i < n_points; i++)
    out[i] = (float) sin (2.0 * M_PI * (double) i / period);
}

RnnStatus
series_dataset_init (RnnDataset *d,
                     int         n_points,
                     double      period,
                     int         T,
                     double      train_ratio)
{
  memset (d, 0, sizeof *d);
  if (!shape_is_valid (n_points, T, train_ratio) || !(period > 0.0) || !isfinite (period))
    return RNN_ERR_SHAPE;

  int N = series_window_count (n_points, T);

  d->series = malloc ((size_t) n_points * sizeof (float));
  d->X = malloc ((size_t) T * (size_t) N * sizeof (float));
  d->Y = malloc ((size_t) N * sizeof (float));
  if (d->series == NULL || d->X == NULL || d->Y == NULL)
    {
      series_dataset_clear (d);
      return RNN_ERR_NOMEM;
    }

  d->n_points = n_points;
  d->period = period;
  d->train_ratio = train_ratio;
  d->T = T;
  d->N = N;
  d->n_train = series_split_train (N, train_ratio);

  series_sine (d->series, n_points, period);
  /* X (T, N) time-major: step t of every window is contiguous. */
  for (int t = 0; t < T; t++)
    for (int k = 0; k < N; k++)
      d->X[(size_t) t * N + k] = d->series[k + t];
  /* Y (N): the point right after each window. */
  for (int k = 0; k < N; k++)
    d->Y[k] = d->series[k + T];

  return RNN_OK;
}

void
series_dataset_clear (RnnDataset *d)
{
  free (d->series);
  free (d->X);
  free (d->Y);
  memset (d, 0, sizeof *d);
}
