/* limits.h: every limit on what a run may be and on what the app reads,
 * in one place. The engine, the core, the trainer, the window and the
 * command line all read them from here (the lowest layer, with no GLib, so
 * that every layer can include it).
 *
 * The upper part holds the shape and training limits; the lower part the
 * bounds on what is read from files and on the memory a run may take.
 *
 * The GSettings schema (data/io.github.rnnlab.RnnLab.gschema.xml) repeats
 * the window's ranges, as XML cannot include a header; tests/test-settings.c
 * checks that it agrees with these. */
#pragma once

#include <stddef.h>

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
/* The window's gradient clipping (the total norm's maximum; off is 0). */
#define RNN_CLIP_WINDOW_MIN 0.01
#define RNN_CLIP_WINDOW_MAX 1000.0
/* Seeds: the command line takes any 64-bit seed; the window's seed box and
 * its "new seed" button stay within 0 .. RNN_SEED_WINDOW_MAX. */
#define RNN_SEED_WINDOW_MAX 999999

/* ---- Inputs and memory ---------------------------------------------------
 * Every file the app reads may come from a stranger: it is refused before
 * it is parsed when it is larger than what it describes could be. */

/* A model file: its size is bounded by the largest model (RNN_HIDDEN_MAX
 * hidden units of the largest cell, the LSTM's four gate blocks:
 * 4 (H*H + 3H) + H + 1 parameters), each written as a JSON number of
 * at most 24 characters (Python's repr of a double: "-1.2345678901234567e-05")
 * with up to 24 more of separator and indentation (json.dump (indent=4)
 * puts every number of a row on its own line), plus the header. */
#define RNN_MODEL_PARAMS(H)             (4 * ((size_t) (H) * (H) + 3 * (size_t) (H)) + (size_t) (H) + 1)
#define RNN_MODEL_FILE_BYTES_PER_PARAM  48
#define RNN_MODEL_FILE_HEADER_BYTES     65536
#define RNN_MODEL_FILE_MAX \
  (RNN_MODEL_FILE_HEADER_BYTES + RNN_MODEL_FILE_BYTES_PER_PARAM * RNN_MODEL_PARAMS (RNN_HIDDEN_MAX))
/* The JSON values (numbers, strings, arrays, objects) a model file may
 * hold: its parameters, one array per row of a matrix, and a header. A file
 * within the size bound but made of short junk values is refused by this
 * count before the parser builds a node for each. */
#define RNN_MODEL_FILE_VALUES_MAX       (RNN_MODEL_PARAMS (RNN_HIDDEN_MAX) + RNN_HIDDEN_MAX + 64)
/* File, state_dict, matrix, row. */
#define RNN_MODEL_FILE_DEPTH_MAX        4

/* A lesson's settings.json: a dozen keys and a list of learning-rate
 * changes (at most one per epoch of a long run) fit easily. */
#define RNN_SETTINGS_FILE_MAX           (1024 * 1024)
#define RNN_SETTINGS_FILE_VALUES_MAX    65536
/* File, a list, an entry of the list. */
#define RNN_SETTINGS_FILE_DEPTH_MAX     3

/* A CSV file (--csv): a series of RNN_POINTS_MAX rows with a date column
 * and a few others fits many times; at most RNN_POINTS_MAX data rows. */
#define RNN_CSV_FILE_MAX                ((size_t) 16 * 1024 * 1024)
#define RNN_CSV_COLUMNS_MAX             256

/* The memory one run may take (rnn_session_memory () of its shape: data,
 * parameters, optimizer, and the hidden states BPTT keeps for every step of
 * every window). A shape above it is refused before anything is allocated;
 * the benchmarks' largest shape (4000 points, time step 64, 256 hidden
 * units) takes about 0.6 GiB. */
#define RNN_MEMORY_BUDGET               ((size_t) 1 << 30)

/* A lesson file (core/lab-lesson.h, docs/lessons.md): a few steps of text
 * in a few languages and their settings. The seven built-in lessons take
 * under 16 KiB each; a lesson in ten languages with the longest texts
 * stays well under the bound. */
#define RNN_LESSON_FILE_MAX             (256 * 1024)
#define RNN_LESSON_FILE_VALUES_MAX      8192
/* Lesson, steps, step, show, compare, a model, its label. */
#define RNN_LESSON_FILE_DEPTH_MAX       7
#define RNN_LESSON_STEPS_MAX            12
/* Models side by side in compare mode: at least 2, at most 3. */
#define RNN_LESSON_COMPARE_MIN          2
#define RNN_LESSON_COMPARE_MAX          3
/* Translations of one text, and its length in characters (per language). */
#define RNN_LESSON_LANGUAGES_MAX        16
#define RNN_LESSON_TITLE_MAX            80
#define RNN_LESSON_TEXT_MAX             800
#define RNN_LESSON_QUESTION_MAX         300
#define RNN_LESSON_ID_MAX               64
/* The epoch a step plays to, and the windows a step may select. */
#define RNN_LESSON_EPOCH_MAX            1000000
