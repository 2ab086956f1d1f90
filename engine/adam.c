/* adam.c: Adam and SGD exactly as PyTorch computes them on float32 tensors.
 *
 * PyTorch turns each Python scalar (beta1, 1 - beta1, ...) into a float32
 * before the elementwise kernel runs, and its vectorised CPU kernels
 * evaluate, in order (fma = one rounding, as the AVX2 kernels do):
 *   m.mul_(b1).add_(g, alpha=1-b1)            m = fma ((1-b1), g, m b1)
 *   v.mul_(b2).addcmul_(g, g, value=1-b2)     v = fma ((1-b2) g, g, v b2)
 *   denom = v.sqrt() / sqrt(bc2) + eps
 *   p.addcdiv_(m, denom, value=-lr/bc1)       p = p + ((-step_size) m) / denom
 * With these, test-adam finds 0 ULP between the two on its reference runs.
 * fmaf is exact on every machine; the AVX2+FMA build only makes it fast
 * where the CPU has an FMA unit, so results do not depend on the machine.
 */
#include "engine/adam.h"
#include "engine/simd.h"

#include <math.h>

/* The float32 loop; the scalars arrive already rounded to float. */
RNN_BODY void
adam_update_any_body (float       *params,
                      float       *m,
                      float       *v,
                      const float *grads,
                      float        neg_step_size,
                      float        bc2_sqrt,
                      float        b1,
                      float        one_minus_b1,
                      float        b2,
                      float        one_minus_b2,
                      float        e,
                      size_t       n)
{
  for (size_t i = 0; i < n; i++)
    {
      float g = grads[i];
      /* (1) first moment */
      float mi = fmaf (one_minus_b1, g, m[i] * b1);
      /* (2) second moment: (value * g) * g + v b2 */
      float vi = fmaf (one_minus_b2 * g, g, v[i] * b2);
      /* (3) denominator: eps added after the square root */
      float denom = sqrtf (vi) / bc2_sqrt + e;
      /* (4) the step: (value * m) / denom */
      params[i] = params[i] + (neg_step_size * mi) / denom;
      m[i] = mi;
      v[i] = vi;
    }
}

RNN_DISPATCH (adam_update_any,
              (float *params, float *m, float *v, const float *grads,
               float neg_step_size, float bc2_sqrt, float b1, float one_minus_b1,
               float b2, float one_minus_b2, float e, size_t n),
              (params, m, v, grads, neg_step_size, bc2_sqrt, b1, one_minus_b1,
               b2, one_minus_b2, e, n))

void
adam_update (float       *params,
             float       *m,
             float       *v,
             const float *grads,
             double       lr,
             double       beta1,
             double       beta2,
             double       eps,
             long         step,
             size_t       n)
{
  /* Bias corrections in double, as Python computes them. */
  double bc1 = 1.0 - pow (beta1, (double) step);
  double bc2 = 1.0 - pow (beta2, (double) step);

  adam_update_any (params, m, v, grads,
                   (float) -(lr / bc1), (float) sqrt (bc2),
                   (float) beta1, (float) (1.0 - beta1),
                   (float) beta2, (float) (1.0 - beta2),
                   (float) eps, n);
}

RNN_BODY void
sgd_update_any_body (float       *params,
                     const float *grads,
                     float        alpha,
                     size_t       n)
{
  for (size_t i = 0; i < n; i++)
    params[i] = fmaf (grads[i], alpha, params[i]);
}

RNN_DISPATCH (sgd_update_any,
              (float *params, const float *grads, float alpha, size_t n),
              (params, grads, alpha, n))

void
sgd_update (float       *params,
            const float *grads,
            double       lr,
            size_t       n)
{
  /* p.add_(g, alpha=-lr): p = fma (g, -lr, p) */
  sgd_update_any (params, grads, (float) -lr, n);
}
