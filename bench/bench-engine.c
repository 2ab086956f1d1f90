/* bench-engine.c: training speed of the engine at the sizes of the design's
 * performance table, one line per configuration, in the same format as the
 * PyTorch reference script so the two can be read side by side.
 *
 *   bench-engine [--config NAME] [--cell rnn|lstm|gru] [--threads N] [--repeat R]
 *
 * Each cell runs at each shape; a line is named after the shape for the
 * RNN ("tutorial", "medium", "large", as before) and "lstm-medium",
 * "gru-large", ... for the others. --config NAME runs the lines of that
 * name (a shape name alone means every cell at it, with --cell one cell).
 *
 * Every matrix product is OpenBLAS's, but for the per-step products of the
 * recurrence, which are libxsmm's when the engine is built with it
 * (engine/stepgemm.h; the first line says which). --threads N makes OpenBLAS use N
 * threads for every configuration instead of the engine's rule (which picks
 * the count from the shape, see session.c).
 * Only the training epochs are timed (forward, backward, optimizer step),
 * as in the PyTorch script; with --repeat the run is made R times from the
 * same initial weights and the fastest is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/session.h"
#include "engine/stepgemm.h"

#include <cblas.h>
#undef I

/* What a benchmark session may take (the app allows RNN_MEMORY_BUDGET). */
#define BENCH_MEMORY_BUDGET ((size_t) 6 << 30)

typedef struct
{
  const char *name;
  int         n_points;
  double      period;
  int         T;
  int         H;
  int         epochs;
} BenchConfig;

static const BenchConfig configs[] = {
  { "tutorial", 100, 100.0, 10, 50, 200 },
  { "medium", 1000, 100.0, 32, 128, 50 },
  { "large", 4000, 200.0, 64, 256, 10 },
};

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static int
run (const BenchConfig *bc,
     RnnCell            cell,
     int                repeat)
{
  RnnConfig cfg;
  RnnStatus status;
  char name[32];

  if (cell == RNN_CELL_RNN)
    snprintf (name, sizeof name, "%s", bc->name);
  else
    snprintf (name, sizeof name, "%s-%s", rnn_cell_name (cell), bc->name);
  rnn_config_init_default (&cfg);
  cfg.cell = cell;
  cfg.n_points = bc->n_points;
  cfg.period = bc->period;
  cfg.time_step = bc->T;
  cfg.hidden_size = bc->H;
  cfg.lr = 0.01;
  cfg.optimizer = RNN_OPTIMIZER_ADAM;

  /* The largest LSTM and GRU need about 3 GiB, over the app's budget. */
  RnnSession *s = rnn_session_new_within (&cfg, BENCH_MEMORY_BUDGET, &status);
  if (s == NULL)
    {
      fprintf (stderr, "bench-engine: cannot create the %s session (status %d)\n", name, status);
      return 1;
    }

  const RnnDataset *d = rnn_session_dataset (s);
  double best = 1e300;
  float loss = 0.0f, test_mse = 0.0f;

  for (int r = 0; r < repeat; r++)
    {
      rnn_session_init_seed (s, 0);
      double t0 = now_seconds ();
      for (int e = 0; e < bc->epochs; e++)
        {
          if (rnn_session_train_epoch (s, &loss, NULL) != RNN_OK)
            {
              fprintf (stderr, "bench-engine: %s: non-finite loss at epoch %d\n", name, e + 1);
              rnn_session_free (s);
              return 1;
            }
        }
      double dt = now_seconds () - t0;
      if (dt < best)
        best = dt;
    }
  rnn_session_evaluate (s, NULL, NULL, &test_mse);

  /* forward matrix work 2 N T G (H + H^2) for G gate blocks, backward
   * about twice that */
  double flops = 2.0 * 3.0 * d->n_train * (double) bc->T * rnn_cell_gate_count (cell)
                 * (bc->H + (double) bc->H * bc->H);
  printf ("%-8s N=%5d T=%3d H=%4d epochs=%4d ms/epoch=%8.3f GFLOP/s=%6.2f train_loss=%.3e test_mse=%.3e threads=%d\n",
          name, d->n_train, bc->T, bc->H, bc->epochs,
          1000.0 * best / bc->epochs, flops * bc->epochs / best / 1e9,
          (double) loss, (double) test_mse, rnn_session_blas_threads (s));
  fflush (stdout);
  rnn_session_free (s);
  return 0;
}

static int
parse_int (const char *option,
           const char *text,
           int         lo,
           int         hi)
{
  char *end;
  errno = 0;
  long v = strtol (text, &end, 10);

  if (errno != 0 || *end != '\0' || end == text || v < lo || v > hi)
    {
      fprintf (stderr, "bench-engine: %s must be an integer from %d to %d\n", option, lo, hi);
      exit (2);
    }
  return (int) v;
}

int
main (int argc, char **argv)
{
  const char *only = NULL;
  int threads = 0, repeat = 1, only_cell = -1;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--config") == 0 && i + 1 < argc)
        only = argv[++i];
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = parse_int ("--threads", argv[++i], 1, 256);
      else if (strcmp (argv[i], "--repeat") == 0 && i + 1 < argc)
        repeat = parse_int ("--repeat", argv[++i], 1, 1000);
      else if (strcmp (argv[i], "--cell") == 0 && i + 1 < argc)
        {
          RnnCell cell;
          if (rnn_cell_from_name (argv[++i], &cell) != 0)
            {
              fprintf (stderr, "bench-engine: --cell must be rnn, lstm or gru\n");
              return 2;
            }
          only_cell = (int) cell;
        }
      else
        {
          fprintf (stderr, "usage: bench-engine [--config NAME] [--cell rnn|lstm|gru] [--threads N] [--repeat R]\n");
          return 2;
        }
    }

  if (threads > 0)
    rnn_session_force_blas_threads (threads);
  printf ("rnn-lab engine, products by OpenBLAS %s, the per-step ones by %s; threads %s\n",
          openblas_get_config (), rnn_step_gemm_backend (),
          threads > 0 ? "forced by --threads" : "by shape");

  int found = 0, status = 0;
  for (int cell = 0; cell < RNN_N_CELLS; cell++)
    for (size_t k = 0; k < sizeof configs / sizeof configs[0]; k++)
      {
        char name[32];
        snprintf (name, sizeof name, "%s-%s", rnn_cell_name ((RnnCell) cell), configs[k].name);
        if (only_cell >= 0 && cell != only_cell)
          continue;
        if (only != NULL && strcmp (only, configs[k].name) != 0 && strcmp (only, name) != 0)
          continue;
        /* "tutorial" names the RNN's line; with --cell, any cell's */
        if (only != NULL && strcmp (only, configs[k].name) == 0 && only_cell < 0 && cell != RNN_CELL_RNN)
          continue;
        found = 1;
        status |= run (&configs[k], (RnnCell) cell, repeat);
      }
  if (!found)
    {
      fprintf (stderr, "bench-engine: --config must be tutorial, medium or large, "
               "or lstm- or gru- and one of those\n");
      return 2;
    }
  return status;
}
