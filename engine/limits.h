/* limits.h: every limit on what a run may be, in one place. The engine,
 * the trainer, the window and the command line all read them from here
 * (the lowest layer, so that every layer can include it).
 *
 * The GSettings schema (data/io.github.rnnlab.RnnLab.gschema.xml) repeats
 * the window's ranges, as XML cannot include a header; tests/test-settings.c
 * checks that it agrees with these. */
#pragma once

/* ---- Shape and data ------------------------------------------------------ */

/* Hidden units. 256 is the product's limit (the largest shape of the
 * benchmarks; the window's slider ends there). */
#define RNN_HIDDEN_MIN      1
#define RNN_HIDDEN_MAX      256
/* Window length; the largest one depends on the series
 * (series_time_step_max ()). */
#define RNN_TIME_STEP_MIN   1
/* Points of the generated series. */
#define RNN_POINTS_MIN      4
#define RNN_POINTS_MAX      100000

/* ---- Training ------------------------------------------------------------ */

/* Epochs of one run (the command line's --epochs, the window's epoch limit). */
#define RNN_EPOCHS_MAX      1000000
/* Learning rates: greater than 0 and at most RNN_LR_MAX anywhere (command
 * line, lesson files); the window's logarithmic slider spans
 * RNN_LR_WINDOW_MIN to RNN_LR_WINDOW_MAX. */
#define RNN_LR_MAX          10.0
#define RNN_LR_WINDOW_MIN   1e-4
#define RNN_LR_WINDOW_MAX   1.0
/* Seeds: the command line takes any 64-bit seed; the window's seed box and
 * its "new seed" button stay within 0 .. RNN_SEED_WINDOW_MAX. */
#define RNN_SEED_WINDOW_MAX 999999
