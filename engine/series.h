/* series.h: a series cut into windows (the tutorial's: a sine wave).
 *
 *   series[i] = sin(2 pi i / period), i = 0 .. n_points - 1 (computed in double, stored float),
 *               or any given values (generators.h, a shipped or imported series)
 *   z         = the series on the model's scale (scaling.h), fitted on z's training part
 *   window k  = z[k .. k + T - 1], target z[k + T], k = 0 .. N - 1
 *   N         = n_points - T - 1   (the tutorial's create_dataset drops the last window)
 *   n_train   = int(train_ratio * N), the first n_train windows; the rest are test windows
 */
#pragma once

#include "rnn.h"
#include "scaling.h"

typedef struct
{
  int    n_points;
  double period;
  double train_ratio;
  int    T;        /* time step: window length */
  int    N;        /* number of windows */
  int    n_train;  /* windows 0 .. n_train - 1 train, n_train .. N - 1 test */
  float *series;   /* (n_points) in the series' own units */
  RnnScale scale;  /* series -> z, fitted on series[0 : n_train + T] */
  float *X;        /* (T, N) time-major windows (input size 1): X[t * N + k] = z[k + t] */
  float *Y;        /* (N) targets: Y[k] = z[k + T] */
} RnnDataset;

/* Number of windows for a series of n_points and a time step T (may be <= 0). */
int       series_window_count (int n_points, int T);
/* int(ratio * n_windows), as Python's int() truncates. */
int       series_split_train  (int n_windows, double train_ratio);
/* Largest time step that still leaves one train and one test window, or 0. */
int       series_time_step_max (int n_points, double train_ratio);
void      series_sine          (float *out, int n_points, double period);
/* Fills d (allocating its arrays). RNN_ERR_SHAPE if there would be no train
 * window or no test window; d is then left empty. */
RnnStatus series_dataset_init  (RnnDataset *d, int n_points, double period, int T, double train_ratio);
/* The same for n_points given values (copied), scaled as normalize asks;
 * period is left 0. */
RnnStatus series_dataset_init_values (RnnDataset *d, const float *values, int n_points,
                                      int T, double train_ratio, RnnNormalize normalize);
void      series_dataset_clear (RnnDataset *d);
