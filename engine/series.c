/* series.c: the tutorial's sine series, the windows of any series and the train/test split. */
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

/* Allocates d's arrays for n_points and T and sets its sizes. */
static RnnStatus
dataset_alloc (RnnDataset *d,
               int         n_points,
               int         T,
               double      train_ratio)
{
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
  d->train_ratio = train_ratio;
  d->T = T;
  d->N = N;
  d->n_train = series_split_train (N, train_ratio);
  return RNN_OK;
}

/* Fits the scale on the training part of d->series and cuts the windows. */
static void
dataset_windows (RnnDataset  *d,
                 RnnNormalize normalize)
{
  int T = d->T, N = d->N;

  /* the points the training windows use, inputs and targets */
  series_scale_fit (&d->scale, normalize, d->series, d->n_train + T);

  /* X (T, N) time-major: step t of every window is contiguous. */
  for (int t = 0; t < T; t++)
    series_scale_apply (d->X + (size_t) t * N, &d->scale, d->series + t, N);
  /* Y (N): the point right after each window. */
  series_scale_apply (d->Y, &d->scale, d->series + T, N);
}

RnnStatus
series_dataset_init (RnnDataset *d,
                     int         n_points,
                     double      period,
                     int         T,
                     double      train_ratio)
{
  RnnStatus status;

  memset (d, 0, sizeof *d);
  if (!shape_is_valid (n_points, T, train_ratio) || !(period > 0.0) || !isfinite (period))
    return RNN_ERR_SHAPE;
  if ((status = dataset_alloc (d, n_points, T, train_ratio)) != RNN_OK)
    return status;

  d->period = period;
  series_sine (d->series, n_points, period);
  dataset_windows (d, RNN_NORMALIZE_NONE);
  return RNN_OK;
}

RnnStatus
series_dataset_init_values (RnnDataset  *d,
                            const float *values,
                            int          n_points,
                            int          T,
                            double       train_ratio,
                            RnnNormalize normalize)
{
  RnnStatus status;

  memset (d, 0, sizeof *d);
  if (values == NULL || !shape_is_valid (n_points, T, train_ratio)
      || (int) normalize < 0 || normalize >= RNN_N_NORMALIZE)
    return RNN_ERR_SHAPE;
  for (int i = 0; i < n_points; i++)
    if (!isfinite (values[i]))
      return RNN_ERR_NONFINITE;
  if ((status = dataset_alloc (d, n_points, T, train_ratio)) != RNN_OK)
    return status;

  memcpy (d->series, values, (size_t) n_points * sizeof (float));
  dataset_windows (d, normalize);
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
