/* lab-lesson-settings.h: a lesson step's settings as a run's settings.
 *
 * A lesson's "settings" (and each compared model's) is a flat JSON object
 * of settings.json's keys, the command line's option names (docs/lessons.md),
 * already checked by the loader with the command line's check. This reads
 * it into what the window's run takes: the engine's configuration from its
 * defaults (the tutorial), the seed, the epochs, the shipped series it
 * names, an imported CSV series, initial weights from a file and a
 * learning-rate schedule. It keeps each key's meaning as the command line
 * gives it: a generated series' period defaults to its points and period2
 * to a quarter of its period, a real or imported series has no period and
 * is scaled to [0, 1] unless "normalize" says otherwise, no "seed" is the
 * tutorial's weights.
 */
#pragma once

#include <glib.h>

#include "core/lab-csv.h"
#include "core/lab-run-settings.h"
#include "engine/session.h"

G_BEGIN_DECLS

typedef struct
{
  RnnConfig config;          /* the engine's defaults with the keys given */
  guint64   seed;            /* "seed", or LAB_TUTORIAL_SEED */
  int       epochs;          /* "epochs", or 0 when not given */
  char     *real_series;     /* a shipped series' name ("sunspots"), or NULL */
  int       forecast_steps;  /* "forecast-steps", or 0 */
  gboolean  baselines;       /* "baselines" */
  char     *csv;             /* "csv": an imported series, relative to the
                                lesson's folder, or NULL */
  char     *column;          /* "column", or NULL */
  LabCsvMissing missing;     /* "missing" */
  char     *init_weights;    /* "init-weights": a model file, relative to
                                the lesson's folder, or NULL */
  guint        n_lr_changes;
  LabLrChange *lr_changes;   /* (n_lr_changes) "lr-changes", by increasing epoch */
} LabLessonSettings;

/* Reads text (len bytes, a flat JSON object); FALSE with a one-line error
 * naming the key for a value of the wrong type. The files it names (csv,
 * init-weights) are not read here: the caller reads them from the lesson's
 * folder. */
gboolean lab_lesson_settings_parse (const char         *text,
                                    gsize               len,
                                    LabLessonSettings  *settings,
                                    GError            **error);
void     lab_lesson_settings_clear (LabLessonSettings  *settings);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LabLessonSettings, lab_lesson_settings_clear)

/* The command that trains these settings headless, the way a step's
 * compared model is run outside the window: "rnn-lab --headless --series
 * sine --lr 0.3 ...", each key of text as its option, in the file's order. */
char    *lab_lesson_settings_command (const char       *text,
                                      gsize             len);

G_END_DECLS
