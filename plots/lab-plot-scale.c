/* lab-plot-scale.c: data to pixels and back, and "nice" tick values. */
#include <math.h>

#include "plots/lab-plots.h"

/* Position of value in [d0, d1] as a fraction, in log10 space for log scales.
 * NAN where the value has no place on the scale (<= 0 on a log scale). */
static double
scale_fraction (const LabScale *scale,
                double          value)
{
  double a = scale->d0, b = scale->d1;

  if (scale->log)
    {
      if (!(value > 0) || !(a > 0) || !(b > 0))
        return NAN;
      value = log10 (value);
      a = log10 (a);
      b = log10 (b);
    }
  if (b == a)
    return 0.5;
  return (value - a) / (b - a);
}

double
lab_scale_map (const LabScale *scale,
               double          value)
{
  g_return_val_if_fail (scale != NULL, NAN);

  return scale->p0 + scale_fraction (scale, value) * (scale->p1 - scale->p0);
}

double
lab_scale_invert (const LabScale *scale,
                  double          pixel)
{
  double f, a = scale->d0, b = scale->d1;

  g_return_val_if_fail (scale != NULL, NAN);

  f = scale->p1 == scale->p0 ? 0.5 : (pixel - scale->p0) / (scale->p1 - scale->p0);
  if (scale->log)
    {
      if (!(a > 0) || !(b > 0))
        return NAN;
      return pow (10.0, log10 (a) + f * (log10 (b) - log10 (a)));
    }
  return a + f * (b - a);
}

/* The smallest of 1, 2, 5 x 10^k that is >= raw. */
static double
nice_step (double raw)
{
  double mag = pow (10.0, floor (log10 (raw)));
  double m = raw / mag;

  if (m <= 1.0 + 1e-9)
    return mag;
  if (m <= 2.0 + 1e-9)
    return 2 * mag;
  if (m <= 5.0 + 1e-9)
    return 5 * mag;
  return 10 * mag;
}

static int
linear_ticks (double  lo,
              double  hi,
              double *ticks,
              int     max_ticks)
{
  double step, first, eps;
  int n = 0;

  if (hi == lo)
    {
      ticks[0] = lo;
      return 1;
    }

  step = nice_step ((hi - lo) / MAX (1, max_ticks - 1));
  /* Fewer than three ticks (the range just past a round step, in a small
   * plot): the next smaller step, if its ticks still fit. */
  for (int k = 0; k < 3; k++)
    {
      double m = step / pow (10.0, floor (log10 (step) + 1e-9));
      double smaller = step / (fabs (m - 5) < 1e-6 ? 2.5 : 2.0);
      double count = floor (hi / step + 1e-6) - ceil (lo / step - 1e-6) + 1;
      double count_smaller = floor (hi / smaller + 1e-6) - ceil (lo / smaller - 1e-6) + 1;

      if (count >= 3 || count_smaller > max_ticks)
        break;
      step = smaller;
    }
  eps = step * 1e-6;
  first = ceil ((lo - eps) / step);
  for (double i = first; n < max_ticks; i++)
    {
      double v = i * step;

      if (v > hi + eps)
        break;
      /* i * step, not a running sum: no drift; and no "-0". */
      ticks[n++] = fabs (v) < eps ? 0.0 : v;
    }
  return n;
}

static int
log_ticks (double  lo,
           double  hi,
           double *ticks,
           int     max_ticks)
{
  int e0, e1, stride, n = 0;

  if (!(lo > 0) || !(hi > 0))
    return 0;

  e0 = (int) ceil (log10 (lo) - 1e-9);
  e1 = (int) floor (log10 (hi) + 1e-9);
  if (e1 < e0)
    return 0;

  /* Too many decades: every second (fifth...) power, on multiples of the stride. */
  stride = 1;
  while ((e1 - e0) / stride + 1 > max_ticks)
    stride = stride == 1 ? 2 : stride == 2 ? 5 : stride * 2;

  for (int e = e0; e <= e1 && n < max_ticks; e++)
    {
      if (((e % stride) + stride) % stride != 0)
        continue;
      ticks[n++] = pow (10.0, e);
    }
  return n;
}

int
lab_scale_ticks (double    lo,
                 double    hi,
                 gboolean  log,
                 double   *ticks,
                 int       max_ticks)
{
  g_return_val_if_fail (ticks != NULL || max_ticks <= 0, 0);

  if (max_ticks <= 0 || !isfinite (lo) || !isfinite (hi))
    return 0;
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  return log ? log_ticks (lo, hi, ticks, max_ticks) : linear_ticks (lo, hi, ticks, max_ticks);
}

double
lab_plot_nice_ceil (double v)
{
  static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
  double mag;

  if (!(v > 0) || !isfinite (v))
    return 1.0;
  mag = pow (10.0, floor (log10 (v)));
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * mag >= v * (1 - 1e-12))
      return steps[i] * mag;
  return 10 * mag;
}
