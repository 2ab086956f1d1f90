/* scaling.c: none, minmax and zscore, fitted on the training part (scaling.h). */
#include "engine/scaling.h"

#include <math.h>
#include <string.h>

static const char *const normalize_names[RNN_N_NORMALIZE] = {
  [RNN_NORMALIZE_NONE] = "none",
  [RNN_NORMALIZE_MINMAX] = "minmax",
  [RNN_NORMALIZE_ZSCORE] = "zscore",
};

const char *
series_normalize_name (RnnNormalize kind)
{
  if ((int) kind < 0 || kind >= RNN_N_NORMALIZE)
    return NULL;
  return normalize_names[kind];
}

int
series_normalize_from_name (const char *name)
{
  if (name == NULL)
    return -1;
  for (int k = 0; k < RNN_N_NORMALIZE; k++)
    if (strcmp (name, normalize_names[k]) == 0)
      return k;
  return -1;
}

void
series_scale_fit (RnnScale    *scale,
                  RnnNormalize kind,
                  const float *x,
                  int          n)
{
  scale->kind = kind;
  scale->a = 0.0;
  scale->b = 1.0;
  if (n <= 0)
    return;

  if (kind == RNN_NORMALIZE_MINMAX)
    {
      double lo = x[0], hi = x[0];

      for (int i = 1; i < n; i++)
        {
          lo = fmin (lo, (double) x[i]);
          hi = fmax (hi, (double) x[i]);
        }
      scale->a = lo;
      scale->b = hi > lo ? hi - lo : 1.0;
    }
  else if (kind == RNN_NORMALIZE_ZSCORE)
    {
      /* two passes in double: mean, then the mean squared deviation */
      double sum = 0.0, ss = 0.0;

      for (int i = 0; i < n; i++)
        sum += x[i];
      double mean = sum / n;
      for (int i = 0; i < n; i++)
        ss += ((double) x[i] - mean) * ((double) x[i] - mean);
      double sd = sqrt (ss / n);

      scale->a = mean;
      scale->b = sd > 0.0 ? sd : 1.0;
    }
}

void
series_scale_apply (float          *z,
                    const RnnScale *scale,
                    const float    *x,
                    int             n)
{
  for (int i = 0; i < n; i++)
    {
      double v = x[i];

      if (scale->kind == RNN_NORMALIZE_MINMAX)
        v = 2.0 * (v - scale->a) / scale->b - 1.0;
      else if (scale->kind == RNN_NORMALIZE_ZSCORE)
        v = (v - scale->a) / scale->b;
      z[i] = (float) v;
    }
}

void
series_scale_inverse (float          *x,
                      const RnnScale *scale,
                      const float    *z,
                      int             n)
{
  for (int i = 0; i < n; i++)
    {
      double v = z[i];

      if (scale->kind == RNN_NORMALIZE_MINMAX)
        v = (v + 1.0) * scale->b / 2.0 + scale->a;
      else if (scale->kind == RNN_NORMALIZE_ZSCORE)
        v = v * scale->b + scale->a;
      x[i] = (float) v;
    }
}

double
series_scale_unit (const RnnScale *scale)
{
  if (scale->kind == RNN_NORMALIZE_MINMAX)
    return scale->b / 2.0;
  if (scale->kind == RNN_NORMALIZE_ZSCORE)
    return scale->b;
  return 1.0;
}
