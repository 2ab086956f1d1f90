/* diagnostics.c: spectral radius, largest singular value and saturation
 * (see diagnostics.h). */
#include "diagnostics.h"

#include <math.h>

/* After the engine's headers: lapacke.h pulls in <complex.h>, whose macro I
 * would clash with the engine's size names. */
#include <lapacke.h>
#undef I

size_t
rnn_diagnostics_work_size (int H)
{
  if (H < 1)
    return 0;
  /* A copy of W (H * H), two eigenvalue parts or the singular values (2 H),
   * and LAPACK's work array: dgeev without vectors needs 3 H, dgesvd
   * without vectors max (3 H + H, 5 H) = 5 H. */
  return (size_t) H * H + 2 * (size_t) H + 5 * (size_t) H + 1;
}

/* Copies W into work as doubles. A row-major W read as column-major is W^T,
 * which has the same eigenvalue moduli and singular values, so LAPACK's own
 * column-major order is used and nothing is transposed or allocated. */
static int
copy_finite (double      *a,
             const float *W,
             int          H)
{
  size_t n = (size_t) H * H;

  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (W[i]))
        return 0;
      a[i] = W[i];
    }
  return 1;
}

RnnStatus
rnn_spectral_radius (double      *radius,
                     double      *work,
                     const float *W,
                     int          H)
{
  double *a = work;                          /* (H, H) */
  double *wr = a + (size_t) H * H;           /* (H) real parts */
  double *wi = wr + H;                       /* (H) imaginary parts */
  double *lwork = wi + H;                    /* (5 H) */
  double dummy = 0.0, best = 0.0;
  lapack_int info;

  if (H < 1)
    return RNN_ERR_SHAPE;
  if (!copy_finite (a, W, H))
    return RNN_ERR_NONFINITE;
  info = LAPACKE_dgeev_work (LAPACK_COL_MAJOR, 'N', 'N', H, a, H, wr, wi,
                             &dummy, 1, &dummy, 1, lwork, 5 * (lapack_int) H);
  if (info != 0)
    return RNN_ERR_NONFINITE;
  for (int i = 0; i < H; i++)
    {
      double m = hypot (wr[i], wi[i]);
      if (m > best)
        best = m;
    }
  *radius = best;
  return RNN_OK;
}

RnnStatus
rnn_largest_singular_value (double      *sigma,
                            double      *work,
                            const float *W,
                            int          H)
{
  double *a = work;                          /* (H, H) */
  double *s = a + (size_t) H * H;            /* (H) singular values, descending */
  double *lwork = s + 2 * (size_t) H;        /* (5 H) */
  double dummy = 0.0;
  lapack_int info;

  if (H < 1)
    return RNN_ERR_SHAPE;
  if (!copy_finite (a, W, H))
    return RNN_ERR_NONFINITE;
  info = LAPACKE_dgesvd_work (LAPACK_COL_MAJOR, 'N', 'N', H, H, a, H, s,
                              &dummy, 1, &dummy, 1, lwork, 5 * (lapack_int) H);
  if (info != 0)
    return RNN_ERR_NONFINITE;
  *sigma = s[0];
  return RNN_OK;
}

double
rnn_saturation_share (const float *h,
                      size_t       n)
{
  size_t count = 0;

  if (n == 0)
    return 0.0;
  for (size_t i = 0; i < n; i++)
    count += fabsf (h[i]) > RNN_SATURATION_THRESHOLD;
  return (double) count / (double) n;
}
