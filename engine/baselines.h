/* baselines.h: what a model must beat, on the same windows and the same scale.
 *
 *   persistence  the next value is the last one:  y_k = x_k[T-1]
 *   linear AR    y_k = c_0 + sum_t c_{t+1} x_k[t], c least squares on the
 *                train windows (with an intercept), by LAPACK's dgelsd (SVD,
 *                minimum-norm), singular values below RNN_AR_RCOND times the
 *                largest treated as zero: the windows are float32, so
 *                directions that small are rounding, not signal. A sine
 *                obeys x_{i+1} = 2 cos (2 pi / P) x_i - x_{i-1}, so on the
 *                tutorial's series the linear model is exact (test MSE ~1e-16).
 */
#pragma once

#include "rnn.h"
#include "series.h"

#define RNN_AR_RCOND 1e-6

/* pred (N): persistence's prediction for every window of d. */
void      baseline_persistence (float *pred, const RnnDataset *d);
/* pred (N): the linear AR's prediction for every window of d, fitted on
 * the train windows; coef (T + 1) may be NULL: c_0 (intercept), c_1 .. c_T.
 * RNN_ERR_NOMEM, or RNN_ERR_SHAPE if LAPACK fails (pred then untouched). */
RnnStatus baseline_linear_ar   (float *pred, double *coef, const RnnDataset *d);
/* mean |a - b| over n values (accumulated in double) */
double    series_mae           (const float *a, const float *b, int n);
