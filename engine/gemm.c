/* gemm.c: register-blocked AVX2+FMA and AVX-512 kernels for the model's
 * per-step products, and the hand-off to OpenBLAS for the rest.
 *
 * The AVX2 kernel computes a tile of MR = 6 rows by NR = 16 columns of C in
 * 12 ymm accumulators: for each k it loads two vectors of B's row k and
 * broadcasts A[i, k] for the six rows, 12 FMAs per 8 loads. The AVX-512
 * kernel does the same with 8 rows by 32 columns in 16 zmm accumulators.
 * B is read in place (for the tutorial it is a 50 x 50 matrix that lives in
 * L1; K is cut in slices of KC rows so that larger ones stay in L2), columns
 * past N are masked, rows past M use a narrower tile.
 *
 * Every element of C is one chain of FMAs along k, in order, then added to
 * C: the AVX2 and the AVX-512 kernels give bit-identical results.
 */
#include "engine/gemm.h"
#include "engine/simd.h"

#include <assert.h>
#include <cblas.h>
#include <immintrin.h>
#include <stdint.h>

#define MR 6
#define NR 16
#define KC 256

/* Whether the model's products use the engine's kernels (when the CPU has
 * AVX2+FMA) or OpenBLAS. Measured on the 2-core Zen machine the project is
 * benchmarked on, the engine's single-threaded kernel beat OpenBLAS
 * (Haswell kernels, both cores) at every size of the benchmark, by 1.3x to
 * 3x, and it leaves the second core to the window. */
static int use_own_kernels = 1;

void
rnn_gemm_set_own_kernels (int on)
{
  use_own_kernels = on != 0;
}

int
rnn_gemm_uses_own_kernels (void)
{
  return use_own_kernels && rnn_cpu_has_avx2_fma ();
}

/* One tile of mr <= MR rows and nv = 1 or 2 vectors (8 or 16 columns); m0
 * and m1 mask the columns past N (all lanes on inside C). mr and nv are
 * constants at every call site, so each becomes its own unrolled loop. */
RNN_TARGET_AVX2_FMA static inline __attribute__ ((always_inline)) void
tile (float       *C,
      int          ldc,
      const float *A,
      int          rsa,
      int          csa,
      const float *B,
      int          ldb,
      float        beta,
      int          K,
      int          mr,
      int          nv,
      int          full,
      __m256i      m0,
      __m256i      m1)
{
  __m256 c0[MR], c1[MR];

  for (int r = 0; r < mr; r++)
    c0[r] = c1[r] = _mm256_setzero_ps ();

  for (int k = 0; k < K; k++)
    {
      const float *b = B + (size_t) k * ldb;
      const float *a = A + (size_t) k * csa;
      __m256 b0 = full ? _mm256_loadu_ps (b) : _mm256_maskload_ps (b, m0);
      __m256 b1 = nv == 1 ? b0 : full ? _mm256_loadu_ps (b + 8) : _mm256_maskload_ps (b + 8, m1);
      for (int r = 0; r < mr; r++)
        {
          /* C[r, :] += A[r, k] B[k, :] */
          __m256 ar = _mm256_broadcast_ss (a + (size_t) r * rsa);
          c0[r] = _mm256_fmadd_ps (ar, b0, c0[r]);
          if (nv == 2)
            c1[r] = _mm256_fmadd_ps (ar, b1, c1[r]);
        }
    }

  for (int r = 0; r < mr; r++)
    {
      float *c = C + (size_t) r * ldc;
      if (full)
        {
          if (beta != 0.0f)
            c0[r] = _mm256_add_ps (_mm256_loadu_ps (c), c0[r]);
          _mm256_storeu_ps (c, c0[r]);
          if (nv == 2)
            {
              if (beta != 0.0f)
                c1[r] = _mm256_add_ps (_mm256_loadu_ps (c + 8), c1[r]);
              _mm256_storeu_ps (c + 8, c1[r]);
            }
        }
      else
        {
          if (beta != 0.0f)
            c0[r] = _mm256_add_ps (_mm256_maskload_ps (c, m0), c0[r]);
          _mm256_maskstore_ps (c, m0, c0[r]);
          if (nv == 2)
            {
              if (beta != 0.0f)
                c1[r] = _mm256_add_ps (_mm256_maskload_ps (c + 8, m1), c1[r]);
              _mm256_maskstore_ps (c + 8, m1, c1[r]);
            }
        }
    }
}

/* All rows of one panel of nv vectors: tiles of MR rows, then one tile of
 * the 1 to MR - 1 rows left (each size its own unrolled code). */
RNN_TARGET_AVX2_FMA static inline __attribute__ ((always_inline)) void
panel (float       *C,
       int          ldc,
       const float *A,
       int          rsa,
       int          csa,
       const float *B,
       int          ldb,
       float        beta,
       int          M,
       int          K,
       int          nv,
       int          full,
       __m256i      m0,
       __m256i      m1)
{
  int i = 0;

  for (; i + MR <= M; i += MR)
    tile (C + (size_t) i * ldc, ldc, A + (size_t) i * rsa, rsa, csa, B, ldb, beta, K, MR, nv, full, m0, m1);

  C += (size_t) i * ldc;
  A += (size_t) i * rsa;
  switch (M - i)
    {
    case 1: tile (C, ldc, A, rsa, csa, B, ldb, beta, K, 1, nv, full, m0, m1); break;
    case 2: tile (C, ldc, A, rsa, csa, B, ldb, beta, K, 2, nv, full, m0, m1); break;
    case 3: tile (C, ldc, A, rsa, csa, B, ldb, beta, K, 3, nv, full, m0, m1); break;
    case 4: tile (C, ldc, A, rsa, csa, B, ldb, beta, K, 4, nv, full, m0, m1); break;
    case 5: tile (C, ldc, A, rsa, csa, B, ldb, beta, K, 5, nv, full, m0, m1); break;
    default: break;
    }
}

RNN_TARGET_AVX2_FMA static void
gemm_avx2 (float       *C,
           int          ldc,
           const float *A,
           int          rsa,
           int          csa,
           const float *B,
           int          ldb,
           float        beta,
           int          M,
           int          N,
           int          K)
{
  const __m256i ones = _mm256_set1_epi32 (-1);
  const __m256i lanes = _mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7);
  int j = 0;

  /* whole 16-column panels */
  for (; j + NR <= N; j += NR)
    panel (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, K, 2, 1, ones, ones);

  /* the 1 to 15 columns left: one or two vectors, the last one masked
   * (lane l is on when column j + l, or j + 8 + l, exists) */
  int left = N - j;
  if (left == 8)
    panel (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, K, 1, 1, ones, ones);
  else if (left > 0 && left < 8)
    {
      __m256i m0 = _mm256_cmpgt_epi32 (_mm256_set1_epi32 (left), lanes);
      panel (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, K, 1, 0, m0, m0);
    }
  else if (left > 8)
    {
      __m256i m1 = _mm256_cmpgt_epi32 (_mm256_set1_epi32 (left - 8), lanes);
      panel (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, K, 2, 0, ones, m1);
    }
}

/* ---- AVX-512: the same tiles, 16 columns a vector -------------------------
 * Tiles of MR512 rows by one or two zmm vectors (16 or 32 columns), the
 * last vector masked past N; columns left over after the last multiple of
 * 16 go to the AVX2 code above (8 wide), so that, say, 50 columns cost
 * 32 + 16 + 8 lanes rather than 64. */

#define MR512 8

RNN_TARGET_AVX512 static inline __attribute__ ((always_inline)) void
tile512 (float       *C,
         int          ldc,
         const float *A,
         int          rsa,
         int          csa,
         const float *B,
         int          ldb,
         float        beta,
         int          K,
         int          mr,
         int          nv)
{
  __m512 c0[MR512], c1[MR512];

  for (int r = 0; r < mr; r++)
    c0[r] = c1[r] = _mm512_setzero_ps ();

  for (int k = 0; k < K; k++)
    {
      const float *b = B + (size_t) k * ldb;
      const float *a = A + (size_t) k * csa;
      __m512 b0 = _mm512_loadu_ps (b);
      __m512 b1 = nv == 1 ? b0 : _mm512_loadu_ps (b + 16);
      for (int r = 0; r < mr; r++)
        {
          /* C[r, :] += A[r, k] B[k, :] */
          __m512 ar = _mm512_set1_ps (a[(size_t) r * rsa]);
          c0[r] = _mm512_fmadd_ps (ar, b0, c0[r]);
          if (nv == 2)
            c1[r] = _mm512_fmadd_ps (ar, b1, c1[r]);
        }
    }

  for (int r = 0; r < mr; r++)
    {
      float *c = C + (size_t) r * ldc;
      if (beta != 0.0f)
        c0[r] = _mm512_add_ps (_mm512_loadu_ps (c), c0[r]);
      _mm512_storeu_ps (c, c0[r]);
      if (nv == 2)
        {
          if (beta != 0.0f)
            c1[r] = _mm512_add_ps (_mm512_loadu_ps (c + 16), c1[r]);
          _mm512_storeu_ps (c + 16, c1[r]);
        }
    }
}

RNN_TARGET_AVX512 static inline __attribute__ ((always_inline)) void
panel512 (float       *C,
          int          ldc,
          const float *A,
          int          rsa,
          int          csa,
          const float *B,
          int          ldb,
          float        beta,
          int          M,
          int          K,
          int          nv)
{
  int i = 0;

  for (; i + MR512 <= M; i += MR512)
    tile512 (C + (size_t) i * ldc, ldc, A + (size_t) i * rsa, rsa, csa, B, ldb, beta, K, MR512, nv);

  C += (size_t) i * ldc;
  A += (size_t) i * rsa;
  switch (M - i)
    {
    case 1: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 1, nv); break;
    case 2: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 2, nv); break;
    case 3: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 3, nv); break;
    case 4: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 4, nv); break;
    case 5: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 5, nv); break;
    case 6: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 6, nv); break;
    case 7: tile512 (C, ldc, A, rsa, csa, B, ldb, beta, K, 7, nv); break;
    default: break;
    }
}

RNN_TARGET_AVX512 static void
gemm_avx512 (float       *C,
             int          ldc,
             const float *A,
             int          rsa,
             int          csa,
             const float *B,
             int          ldb,
             float        beta,
             int          M,
             int          N,
             int          K)
{
  int j = 0;

  for (; j + 32 <= N; j += 32)
    panel512 (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, K, 2);
  for (; j + 16 <= N; j += 16)
    panel512 (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, K, 1);
  if (j < N)
    gemm_avx2 (C + j, ldc, A, rsa, csa, B + j, ldb, beta, M, N - j, K);
}

void
rnn_gemm (float       *C,
          int          ldc,
          const float *A,
          int          rsa,
          int          csa,
          const float *B,
          int          ldb,
          float        beta,
          int          M,
          int          N,
          int          K)
{
  if (M <= 0 || N <= 0)
    return;
  if (K <= 0)
    {
      /* an empty sum: C = beta C */
      if (beta == 0.0f)
        for (int i = 0; i < M; i++)
          for (int j = 0; j < N; j++)
            C[(size_t) i * ldc + j] = 0.0f;
      return;
    }

  if (rnn_gemm_uses_own_kernels ())
    {
      /* K in slices of KC rows, so that the slice of B a tile streams
       * through stays in L2 while every row tile of C passes over it */
      for (int k = 0; k < K; k += KC)
        {
          int kc = K - k < KC ? K - k : KC;
          float b = k == 0 ? beta : 1.0f;
          if (rnn_cpu_has_avx512 ())
            gemm_avx512 (C, ldc, A + (size_t) k * csa, rsa, csa, B + (size_t) k * ldb, ldb, b, M, N, kc);
          else
            gemm_avx2 (C, ldc, A + (size_t) k * csa, rsa, csa, B + (size_t) k * ldb, ldb, b, M, N, kc);
        }
      return;
    }

  /* OpenBLAS: A is either row-major (csa = 1) or its transpose (rsa = 1);
   * a stride that is never stepped (one row, one column) may be anything. */
  assert (csa == 1 || rsa == 1 || M == 1 || K == 1);
  if (csa == 1 || K == 1)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K,
                 1.0f, A, M == 1 ? K : rsa, B, ldb, beta, C, ldc);
  else
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, M, N, K,
                 1.0f, A, csa, B, ldb, beta, C, ldc);
}
