/* adam.h: the optimizers, as flat loops over the parameter buffer. */
#pragma once

#include <stddef.h>

#define ADAM_BETA1 0.9
#define ADAM_BETA2 0.999
#define ADAM_EPS   1e-8

/* One step of torch.optim.Adam (torch 1.13, single-tensor, no weight decay,
 * no amsgrad), in float32 with the same order of operations:
 *
 *   m   = b1 m + (1 - b1) g
 *   v   = b2 v + (1 - b2) g g
 *   bc1 = 1 - b1^step,  bc2 = 1 - b2^step        (double, step >= 1)
 *   p  -= (lr / bc1) m / (sqrt (v) / sqrt (bc2) + eps)
 *
 * params, m, v are updated in place; all (n). */
void adam_update (float *params, float *m, float *v,
                  const float *grads,
                  double lr, double beta1, double beta2, double eps, long step,
                  size_t n);

/* One step of torch.optim.SGD without momentum: p = p - lr g (fused, as PyTorch). */
void sgd_update  (float *params,
                  const float *grads,
                  double lr,
                  size_t n);
