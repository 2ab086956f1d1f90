/* generators.h: the generated series a run can train on.
 *
 * Every series is computed in double and stored as float32, i the point
 * index 0 .. n - 1, P the period, P2 the second period, D the decay:
 *
 *   sine         sin (2 pi i / P)                      (the tutorial's, unchanged)
 *   square       +1 if frac (i / P) < 1/2, else -1
 *   sawtooth     2 frac (i / P) - 1                    (rises from -1 towards 1)
 *   damped       exp (-D i / n) sin (2 pi i / P)       (falls to e^-D over the series)
 *   sum          (sin (2 pi i / P) + sin (2 pi i / P2)) / 2
 *   random-walk  x_0 = 0, x_i = x_{i-1} + 0.1 z_i      (z_i standard normal)
 *   pattern      P points u_j ~ U(-1, 1), repeated: x_i = u_{i mod P}  (P a whole number);
 *                with a burst K (1 <= K < P) only u_0 .. u_{K-1} are drawn and the
 *                rest of each period is 0: K random points, then quiet
 *
 * with frac (v) = v - floor (v). Randomness comes from the engine's PCG32
 * (rng.h) seeded with the series seed: the random walk's steps or the
 * pattern's points are drawn first, then the noise, x_i += noise z_i for
 * i = 0 .. n - 1. A standard normal z is one Box-Muller draw from two
 * 32-bit outputs a, b (the sine branch is not used):
 *
 *   u1 = (a + 0.5) / 2^32,  u2 = (b + 0.5) / 2^32,
 *   z  = sqrt (-2 ln u1) cos (2 pi u2)
 *
 * tests/reference/make-data-reference.py does the same in numpy.
 */
#pragma once

#include <stdint.h>

#include "rng.h"

typedef enum
{
  RNN_SERIES_SINE,
  RNN_SERIES_SQUARE,
  RNN_SERIES_SAWTOOTH,
  RNN_SERIES_DAMPED,
  RNN_SERIES_SUM,
  RNN_SERIES_RANDOM_WALK,
  RNN_SERIES_PATTERN,
  RNN_SERIES_DATA,     /* given values (a shipped or imported series) */
  RNN_N_SERIES
} RnnSeriesKind;

#define RNN_RANDOM_WALK_STEP 0.1
#define RNN_NOISE_MAX        1e6
#define RNN_DECAY_MAX        1e3

typedef struct
{
  RnnSeriesKind kind;
  int           n_points;
  double        period;   /* P: every kind but random-walk; pattern: a whole number >= 1 */
  double        period2;  /* P2: sum */
  double        decay;    /* D: damped, >= 0 */
  double        noise;    /* standard deviation of the added noise, >= 0 */
  /* pattern: the random points at the start of each period, the rest 0;
   * 0 = every point random. Why: when every point is random, the last value
   * alone tells where in the period the series is, so the next one follows
   * from it with no memory at all. After a quiet stretch nothing nearby
   * tells when the burst comes back: only remembering the burst one period
   * ago does, which is what a plain RNN's vanishing gradient prevents. */
  int           burst;
  uint64_t      seed;     /* the series seed */
} RnnSeriesSpec;

/* "sine", "square", ... "pattern" ("data" for RNN_SERIES_DATA). */
const char *series_kind_name      (RnnSeriesKind kind);
/* The kind named, or -1 (data is not a name one can ask for). */
int         series_kind_from_name (const char *name);
/* Whether spec's numbers are valid for its kind (a generated kind). */
int         series_spec_is_valid  (const RnnSeriesSpec *spec);
/* out (n_points). Returns 0 if the spec is not valid (out untouched), else 1. */
int         series_generate       (float *out, const RnnSeriesSpec *spec);
/* One standard normal draw (the Box-Muller above). */
double      series_normal         (RnnRng *rng);
