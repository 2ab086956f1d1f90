/* rng.h: a small explicit random number generator (PCG32), so that a seed
 * reproduces a run bit for bit on every machine. Never rand(). */
#pragma once

#include <stdint.h>

typedef struct
{
  uint64_t state;
  uint64_t inc;
} RnnRng;

void     rnn_rng_seed    (RnnRng *rng, uint64_t seed);
uint32_t rnn_rng_next    (RnnRng *rng);
/* Uniform in [lo, hi), float32 as PyTorch's uniform_ produces. */
float    rnn_rng_uniform (RnnRng *rng, float lo, float hi);
