/* split.h: one persistent helper thread that takes half of a sequential
 * loop (internal to the engine).
 *
 * The per-step products of the recurrence, (B, H) x (H, H), are too small
 * for OpenBLAS to split well: it hands work to its threads at every call.
 * Split by rows of the batch instead, each thread walks all T steps on its
 * own rows [r0, r1), and the threads meet only once per phase. */
#pragma once

typedef struct RnnSplit RnnSplit;

/* part 0 runs on the calling thread, part 1 on the helper */
typedef void (*RnnSplitFunc) (void *arg, int part);

/* Starts the helper thread; NULL if it cannot be started. */
RnnSplit *rnn_split_new  (void);
/* Stops and joins the helper thread. NULL is fine. */
void      rnn_split_free (RnnSplit *sp);
/* Runs fn (arg, 1) on the helper and fn (arg, 0) on the caller, with
 * OpenBLAS on one thread meanwhile, and returns once both are done. */
void      rnn_split_run  (RnnSplit *sp, RnnSplitFunc fn, void *arg);

/* The rows of part (0 or 1) out of B: [*r0, *r1). */
static inline void
rnn_split_rows (int  B,
                int  part,
                int *r0,
                int *r1)
{
  int B1 = B / 2;

  *r0 = part == 0 ? 0 : B1;
  *r1 = part == 0 ? B1 : B;
}
