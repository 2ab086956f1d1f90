/* lab-lesson-settings.h: a lesson step's settings as a run's settings.
 *
 * A lesson's "settings" (and each compared model's) is a flat JSON object
 * of settings.json's keys, the command line's option names (docs/lessons.md),
 * already checked by the loader with the command line's check. This reads
 * it into what the window's run takes: the engine's configuration from its
 * defaults (the tutorial), the seed, the epochs, and the shipped series it
 * names. It keeps each key's meaning as the command line gives it: a
 * generated series' period2 defaults to a quarter of its period, a real
 * series has no period and is scaled to [0, 1] unless "normalize" says
 * otherwise, no "seed" is the tutorial's weights.
 */
#pragma once

#include <glib.h>

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
} LabLessonSettings;

/* Reads text (len bytes, a flat JSON object); FALSE with a one-line error
 * naming the key for a key the window cannot apply (a CSV file, initial
 * weights from a file) or a value of the wrong type. */
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
