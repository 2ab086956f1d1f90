/* simd.h: run-time choice between AVX-512, AVX2+FMA and plain builds of a
 * hot elementwise loop (tanh, Adam, biases; internal to the engine).
 *
 * The engine is built for any x86-64 (no -march). A loop written once as an
 * always-inline body is compiled three times, with target ("avx512f") so
 * GCC vectorises it 16 wide, with target ("avx2,fma") for 8 wide, and
 * plain, and dispatched on the CPU's features. (GCC's target_clones
 * ("arch=haswell") is no substitute: it tests the CPU model, so AMD
 * processors would never get the fast version.) The build keeps
 * -ffp-contract=off, so all versions round identically: a multiply-add is
 * fused only where the code calls fmaf, which is exact everywhere.
 *
 * Elsewhere than x86, and when built with RNN_NO_SIMD_DISPATCH (the
 * ThreadSanitizer build defines it, see meson.build), only the plain build
 * exists. The matrix products are not here: they are OpenBLAS's.
 */
#pragma once

#define RNN_BODY static inline __attribute__ ((always_inline))

#if (defined(__x86_64__) || defined(__i386__)) && !defined(RNN_NO_SIMD_DISPATCH)

#define RNN_TARGET_AVX2_FMA __attribute__ ((target ("avx2,fma")))
/* for loops left to the vectoriser: ask for 16-wide vectors (GCC spells it
 * as a target option, clang as the function's minimum vector width) */
#if defined(__clang__)
#define RNN_TARGET_AVX512_WIDE \
  __attribute__ ((target ("avx512f,avx2,fma"), min_vector_width (512)))
#else
#define RNN_TARGET_AVX512_WIDE \
  __attribute__ ((target ("avx512f,avx2,fma,prefer-vector-width=512")))
#endif

static inline int
rnn_cpu_has_avx2_fma (void)
{
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
}

static inline int
rnn_cpu_has_avx512 (void)
{
  return __builtin_cpu_supports ("avx512f") && rnn_cpu_has_avx2_fma ();
}

/* Defines `static void name (params)` that runs name##_body (args) in the
 * AVX-512 build, the AVX2+FMA build or the plain one, the best the CPU has. */
#define RNN_DISPATCH(name, params, args)                                        \
  RNN_TARGET_AVX512_WIDE static void name##_avx512 params { name##_body args; } \
  RNN_TARGET_AVX2_FMA static void name##_avx2 params { name##_body args; }      \
  static void name##_plain params { name##_body args; }                         \
  static void name params                                                       \
  {                                                                             \
    if (rnn_cpu_has_avx512 ())                                                  \
      name##_avx512 args;                                                       \
    else if (rnn_cpu_has_avx2_fma ())                                           \
      name##_avx2 args;                                                         \
    else                                                                        \
      name##_plain args;                                                        \
  }

#else /* the plain build only */

#define RNN_DISPATCH(name, params, args) \
  static void name params { name##_body args; }

#endif
