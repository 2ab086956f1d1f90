/* simd.h: run-time choice between an AVX2+FMA build of a hot loop and a
 * plain one (internal to the engine).
 *
 * The engine is built for any x86-64 (no -march). A loop written once as an
 * always-inline body is compiled twice, once with target ("avx2,fma") so GCC
 * vectorises it 8 wide, and dispatched on the CPU's features. (GCC's
 * target_clones ("arch=haswell") is no substitute: it tests the CPU model,
 * so AMD processors would never get the fast version.) The build keeps
 * -ffp-contract=off, so both versions round identically: a multiply-add is
 * fused only where the code calls fmaf, which is exact everywhere.
 */
#pragma once

#define RNN_BODY            static inline __attribute__ ((always_inline))
#define RNN_TARGET_AVX2_FMA __attribute__ ((target ("avx2,fma")))
#define RNN_TARGET_AVX512   __attribute__ ((target ("avx512f,avx2,fma")))
/* for loops left to the vectoriser: ask for 16-wide vectors */
#define RNN_TARGET_AVX512_WIDE \
  __attribute__ ((target ("avx512f,avx2,fma,prefer-vector-width=512")))

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
