/* scaling.h: the model's scale of a series.
 *
 * The statistics come from the points the training windows use, inputs and
 * targets, series[0 : n_train + T] (never from the test part: a scale fitted
 * on the test points would let the model peek at them). In double:
 *
 *   none    z = x
 *   minmax  z = 2 (x - min) / (max - min) - 1     (that range onto [-1, 1])
 *   zscore  z = (x - mean) / sd                   (sd with divisor n, as numpy's std)
 *
 * A constant training part (max = min, sd = 0) is scaled by 1: z = x - min
 * (minmax, then - 1) or z = x - mean. The inverse maps predictions back to the
 * series' own units: x = (z + 1) (max - min) / 2 + min, x = z sd + mean.
 */
#pragma once

typedef enum
{
  RNN_NORMALIZE_NONE,
  RNN_NORMALIZE_MINMAX,
  RNN_NORMALIZE_ZSCORE,
  RNN_N_NORMALIZE
} RnnNormalize;

typedef struct
{
  RnnNormalize kind;
  double       a;  /* minmax: min;  zscore: mean */
  double       b;  /* minmax: max - min (1 if 0);  zscore: sd (1 if 0) */
} RnnScale;

/* "none", "minmax", "zscore"; from a name: the kind, or -1. */
const char *series_normalize_name      (RnnNormalize kind);
int         series_normalize_from_name (const char *name);
/* Fits the statistics on x (n) (the training part). */
void        series_scale_fit     (RnnScale *scale, RnnNormalize kind, const float *x, int n);
/* z (n) = scaled x (n); z may be x. */
void        series_scale_apply   (float *z, const RnnScale *scale, const float *x, int n);
/* x (n) = z (n) in the series' units; x may be z. */
void        series_scale_inverse (float *x, const RnnScale *scale, const float *z, int n);
/* How much a difference of 1 on the model's scale is in the series' units
 * (squared for an MSE): none 1, minmax (max - min) / 2, zscore sd. */
double      series_scale_unit    (const RnnScale *scale);
