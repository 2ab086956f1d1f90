/* rng.c: PCG32 (O'Neill's permuted congruential generator, XSH RR variant).
 *
 *   state' = state * 6364136223846793005 + inc
 *   out    = rotr32 (((state ^ (state >> 18)) >> 27), state >> 59)
 *
 * Small, fast, and the same sequence on every platform.
 */
#include "engine/rng.h"

#define PCG32_MULT 6364136223846793005ULL

void
rnn_rng_seed (RnnRng *rng,
              uint64_t seed)
{
  /* The stream is fixed; the seed only chooses the starting point. */
  rng->state = 0;
  rng->inc = (0xda3e39cb94b95bdbULL << 1) | 1u;
  rnn_rng_next (rng);
  rng->state += seed;
  rnn_rng_next (rng);
}

uint32_t
rnn_rng_next (RnnRng *rng)
{
  uint64_t old = rng->state;

  rng->state = old * PCG32_MULT + rng->inc;

  uint32_t xorshifted = (uint32_t) (((old >> 18) ^ old) >> 27);
  uint32_t rot = (uint32_t) (old >> 59);

  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

float
rnn_rng_uniform (RnnRng *rng,
                 float   lo,
                 float   hi)
{
  /* 24 random bits, u in [0, 1) exactly representable in float32;
   * x = u * (hi - lo) + lo, as PyTorch's uniform_ computes it. */
  float u = (float) (rnn_rng_next (rng) >> 8) * (1.0f / 16777216.0f);
  float x = u * (hi - lo) + lo;

  /* Rounding may land on hi when lo is tiny relative to hi: keep [lo, hi). */
  return x < hi ? x : lo;
}
