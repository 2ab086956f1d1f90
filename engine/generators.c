/* generators.c: the generated series (the formulas are in generators.h). */
#include "engine/generators.h"

#include <math.h>
#include <string.h>

#include "engine/series.h"

static const char *const kind_names[RNN_N_SERIES] = {
  [RNN_SERIES_SINE] = "sine",
  [RNN_SERIES_SQUARE] = "square",
  [RNN_SERIES_SAWTOOTH] = "sawtooth",
  [RNN_SERIES_DAMPED] = "damped",
  [RNN_SERIES_SUM] = "sum",
  [RNN_SERIES_RANDOM_WALK] = "random-walk",
  [RNN_SERIES_PATTERN] = "pattern",
  [RNN_SERIES_DATA] = "data",
};

const char *
series_kind_name (RnnSeriesKind kind)
{
  if ((int) kind < 0 || kind >= RNN_N_SERIES)
    return NULL;
  return kind_names[kind];
}

int
series_kind_from_name (const char *name)
{
  if (name == NULL)
    return -1;
  for (int k = 0; k < RNN_SERIES_DATA; k++)
    if (strcmp (name, kind_names[k]) == 0)
      return k;
  return -1;
}

static int
period_is_valid (double p)
{
  return isfinite (p) && p > 0.0;
}

int
series_spec_is_valid (const RnnSeriesSpec *spec)
{
  if (spec->n_points < RNN_POINTS_MIN || spec->n_points > RNN_POINTS_MAX)
    return 0;
  if (!(spec->noise >= 0.0 && spec->noise <= RNN_NOISE_MAX))
    return 0;
  switch (spec->kind)
    {
    case RNN_SERIES_SINE:
    case RNN_SERIES_SQUARE:
    case RNN_SERIES_SAWTOOTH:
      return period_is_valid (spec->period);
    case RNN_SERIES_DAMPED:
      return period_is_valid (spec->period) && spec->decay >= 0.0 && spec->decay <= RNN_DECAY_MAX;
    case RNN_SERIES_SUM:
      return period_is_valid (spec->period) && period_is_valid (spec->period2);
    case RNN_SERIES_RANDOM_WALK:
      return 1;
    case RNN_SERIES_PATTERN:
      /* a whole number of points, at most the series */
      return spec->period >= 1.0 && spec->period <= (double) spec->n_points
             && spec->period == floor (spec->period)
             && spec->burst >= 0 && spec->burst < spec->period;
    case RNN_SERIES_DATA:
    case RNN_N_SERIES:
    default:
      return 0;
    }
}

double
series_normal (RnnRng *rng)
{
  /* Box-Muller; u1, u2 in (0, 1): never log (0). */
  double u1 = ((double) rnn_rng_next (rng) + 0.5) / 4294967296.0;
  double u2 = ((double) rnn_rng_next (rng) + 0.5) / 4294967296.0;

  return sqrt (-2.0 * log (u1)) * cos (2.0 * M_PI * u2);
}

static double
frac (double v)
{
  return v - floor (v);
}

int
series_generate (float               *out,
                 const RnnSeriesSpec *spec)
{
  int n = spec->n_points;
  double P = spec->period;
  RnnRng rng;

  if (!series_spec_is_valid (spec))
    return 0;
  rnn_rng_seed (&rng, spec->seed);

  switch (spec->kind)
    {
    case RNN_SERIES_SINE:
      series_sine (out, n, P);
      break;
    case RNN_SERIES_SQUARE:
      for (int i = 0; i < n; i++)
        out[i] = frac ((double) i / P) < 0.5 ? 1.0f : -1.0f;
      break;
    case RNN_SERIES_SAWTOOTH:
      for (int i = 0; i < n; i++)
        out[i] = (float) (2.0 * frac ((double) i / P) - 1.0);
      break;
    case RNN_SERIES_DAMPED:
      for (int i = 0; i < n; i++)
        out[i] = (float) (exp (-spec->decay * (double) i / (double) n)
                          * sin (2.0 * M_PI * (double) i / P));
      break;
    case RNN_SERIES_SUM:
      for (int i = 0; i < n; i++)
        out[i] = (float) (0.5 * (sin (2.0 * M_PI * (double) i / P)
                                 + sin (2.0 * M_PI * (double) i / spec->period2)));
      break;
    case RNN_SERIES_RANDOM_WALK:
      {
        /* the walk in double, each point stored as float */
        double x = 0.0;

        out[0] = 0.0f;
        for (int i = 1; i < n; i++)
          {
            x += RNN_RANDOM_WALK_STEP * series_normal (&rng);
            out[i] = (float) x;
          }
      }
      break;
    case RNN_SERIES_PATTERN:
      {
        int p = (int) P, k = spec->burst > 0 ? spec->burst : p;

        /* the pattern: k draws of U(-1, 1), as rnn_rng_uniform gives them,
         * then p - k zeros */
        for (int j = 0; j < p; j++)
          out[j] = j < k ? rnn_rng_uniform (&rng, -1.0f, 1.0f) : 0.0f;
        for (int i = p; i < n; i++)
          out[i] = out[i - p];
      }
      break;
    case RNN_SERIES_DATA:
    case RNN_N_SERIES:
    default:
      return 0;
    }

  if (spec->noise > 0.0)
    for (int i = 0; i < n; i++)
      out[i] = (float) ((double) out[i] + spec->noise * series_normal (&rng));
  return 1;
}
