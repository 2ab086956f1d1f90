/* stepgemm.h: the sequential products of the recurrence (internal to the
 * engine), one per time step forward and one backward:
 *
 *   C (M, N) = A (M, K) B (K, N) + beta C        row-major, no transposes
 *
 * with M the rows of the batch (tens to hundreds), N and K a few times H.
 * On such matrices a generic sgemm spends a good part of each call packing
 * its operands (W_hh again at every step) and dispatching; a kernel made
 * for the exact shape runs straight from the operands. With libxsmm (an
 * optional dependency, RNN_HAVE_LIBXSMM) prepare asks it for such a kernel,
 * generated once per shape and then kept by libxsmm; without it, or if
 * libxsmm has none for the shape, the product is cblas_sgemm.
 *
 * Either way every element of C is the sum over K of its products, in the
 * order of K, whatever M is: splitting the rows of the batch between
 * threads changes no bit. */
#pragma once

typedef struct
{
  void (*kernel) (void);   /* libxsmm's kernel, or NULL: cblas_sgemm */
  int    M, N, K;
  int    lda, ldb, ldc;
  float  beta;
} RnnStepGemm;

/* Prepares the product of these sizes and leading dimensions; beta 0
 * overwrites C, 1 adds to it. Looking up a kernel already generated takes
 * a fraction of a microsecond and allocates nothing. */
void rnn_step_gemm_prepare (RnnStepGemm *g,
                            int M, int N, int K,
                            int lda, int ldb, int ldc,
                            float beta);
/* C = A B + beta C as prepared. */
void rnn_step_gemm_run     (const RnnStepGemm *g,
                            float *C, const float *A, const float *B);
/* Whether prepare makes kernels (libxsmm), so that a caller may arrange
 * its operands for rnn_step_gemm_run rather than a transposing sgemm. */
int         rnn_step_gemm_has_kernels (void);
/* "libxsmm" or "cblas": what runs the step products, for benchmarks. */
const char *rnn_step_gemm_backend (void);
