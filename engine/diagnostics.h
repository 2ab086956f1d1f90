/* diagnostics.h: numbers that explain why a plain RNN's gradient shrinks or
 * grows through time.
 *
 * Backpropagating from h_t to h_{t-1} multiplies by
 *   dh_t/dh_{t-1} = diag (1 - h_t^2) W_hh,
 * so over k steps the gradient scales roughly like (rho (W_hh))^k times the
 * product of the tanh slopes. The spectral radius rho (the largest |eigenvalue|)
 * and the largest singular value sigma_max of W_hh bound that growth; units
 * with |h| near 1 (saturated) have slope near 0 and cut it off.
 *
 * LAPACK does the linear algebra (dgeev, dgesvd, in double). Nothing here
 * allocates: the caller passes a workspace of rnn_diagnostics_work_size (H)
 * doubles, once per shape.
 */
#pragma once

#include <stddef.h>

#include "rnn.h"

/* The threshold above which |h| counts as saturated. */
#define RNN_SATURATION_THRESHOLD 0.99f

/* Doubles of workspace the two matrix functions need for an (H, H) matrix. */
size_t    rnn_diagnostics_work_size     (int H);

/* *radius = max |lambda_i (W)| of W (H, H), row-major. RNN_ERR_SHAPE for
 * H < 1, RNN_ERR_NONFINITE if W has a NaN or infinity or LAPACK fails. */
RnnStatus rnn_spectral_radius           (double *radius, double *work,
                                         const float *W, int H);
/* *sigma = the largest singular value of W (H, H), its spectral norm. */
RnnStatus rnn_largest_singular_value    (double *sigma, double *work,
                                         const float *W, int H);
/* The share of the n values with |h| > RNN_SATURATION_THRESHOLD, in [0, 1];
 * 0 for n = 0. */
double    rnn_saturation_share          (const float *h, size_t n);
