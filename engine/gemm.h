/* gemm.h: the engine's matrix product (internal to the engine).
 *
 *   C (M, N) = beta C + A B,   beta = 0 or 1
 *   A[i, k] = A[i * rsa + k * csa]  (strides, so A may be read transposed)
 *   B (K, N) row-major with leading dimension ldb; C with ldc
 *
 * The model's products run in the engine's own AVX-512 or AVX2+FMA kernel:
 * no packing, no per-call set-up, no thread hand-offs, which for a product
 * repeated T times in sequence cost more than they save, and AVX-512 where
 * OpenBLAS (run with its Haswell kernels) has only AVX2. On a CPU without
 * AVX2+FMA, or when switched off, they go to OpenBLAS's cblas_sgemm.
 */
#pragma once

void rnn_gemm (float *C, int ldc,
               const float *A, int rsa, int csa,
               const float *B, int ldb,
               float beta,
               int M, int N, int K);

/* rnn_gemm_set_own_kernels (0) sends every product to OpenBLAS (for
 * comparisons); the default is the engine's kernels where the CPU allows. */
void rnn_gemm_set_own_kernels  (int on);
int  rnn_gemm_uses_own_kernels (void);
