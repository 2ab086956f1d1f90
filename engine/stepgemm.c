/* stepgemm.c: the step products of stepgemm.h, by libxsmm or CBLAS.
 *
 * libxsmm is column-major. A row-major (M, N) matrix is the column-major
 * (N, M) one in the same memory, so row-major C = A B is column-major
 * C^T = B^T A^T: libxsmm's m = N, n = M, k = K, its a = our B (leading
 * dimension ldb), its b = our A (lda). */
#include "engine/stepgemm.h"

#include <assert.h>
#include <cblas.h>
#include <stddef.h>

#ifdef RNN_HAVE_LIBXSMM
#include <libxsmm.h>
#endif

#undef I

void
rnn_step_gemm_prepare (RnnStepGemm *g,
                       int          M,
                       int          N,
                       int          K,
                       int          lda,
                       int          ldb,
                       int          ldc,
                       float        beta)
{
  assert (beta == 0.0f || beta == 1.0f);
  *g = (RnnStepGemm) { NULL, M, N, K, lda, ldb, ldc, beta };
#ifdef RNN_HAVE_LIBXSMM
  if (M > 0 && N > 0 && K > 0)
    {
      const float alpha = 1.0f;
      libxsmm_smmfunction f = libxsmm_smmdispatch (N, M, K, &ldb, &lda, &ldc,
                                                   &alpha, &beta, NULL, NULL);
      g->kernel = (void (*) (void)) f;
    }
#endif
}

void
rnn_step_gemm_run (const RnnStepGemm *g,
                   float             *C,
                   const float       *A,
                   const float       *B)
{
#ifdef RNN_HAVE_LIBXSMM
  if (g->kernel != NULL)
    {
      ((libxsmm_smmfunction) g->kernel) (B, A, C);
      return;
    }
#endif
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, g->M, g->N, g->K,
               1.0f, A, g->lda, B, g->ldb, g->beta, C, g->ldc);
}

int
rnn_step_gemm_has_kernels (void)
{
#ifdef RNN_HAVE_LIBXSMM
  return 1;
#else
  return 0;
#endif
}

const char *
rnn_step_gemm_backend (void)
{
#ifdef RNN_HAVE_LIBXSMM
  return "libxsmm";
#else
  return "cblas";
#endif
}
