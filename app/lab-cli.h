/* lab-cli.h: the headless run (rnn-lab --headless): trains without a window
 * and needs no display. With no other option it reproduces the tutorial and
 * prints what the tutorial's script prints. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses. */
#define LAB_CLI_EXIT_OK    0
#define LAB_CLI_EXIT_IO       1 /* a file could not be read or written */
#define LAB_CLI_EXIT_USAGE    2 /* a bad option or value, a file refused (malformed, too large) */
#define LAB_CLI_EXIT_DIVERGED 3 /* the loss or the weights became NaN or infinite */

/* Runs the headless command line; returns the process exit status. */
int lab_cli_run (int argc, char **argv);

/* Reads the text of a settings.json as --settings does and checks every
 * value (without reading the model or CSV file it may name, so a series'
 * length is not known and the time step is checked only from below). For
 * the fuzz harness (tests/fuzz/fuzz-settings-json.c). */
gboolean lab_cli_check_settings_text (const char  *text,
                                      gsize        len,
                                      GError     **error);

/* The same for a settings object found elsewhere (a lesson's step): where
 * starts every message (already quoted: "lesson.json: step 2: settings"),
 * folder is where a relative init-weights would be. */
gboolean lab_cli_check_settings_at   (const char  *where,
                                      const char  *folder,
                                      const char  *text,
                                      gsize        len,
                                      GError     **error);

/* lab_cli_check_settings_at as a LabLessonCheckSettings (core/lab-lesson.h):
 * what the window and the tests pass to the lesson loader. */
gboolean lab_cli_lesson_check_settings (const char  *where,
                                        const char  *folder,
                                        const char  *text,
                                        gsize        len,
                                        gpointer     user_data,
                                        GError     **error);

G_END_DECLS
