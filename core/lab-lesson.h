/* lab-lesson.h: lessons, the files a teacher writes (docs/lessons.md).
 *
 * A lesson is a few steps; each step has two or three sentences for the
 * class, one question, and what "Show me" sets up: the settings (the keys
 * of settings.json), optionally two or three models side by side, the
 * views, the epoch to play to and the window to select. Every text is in
 * one or more languages ("en" always); the one shown is picked when it is
 * asked for, from the user's languages.
 *
 * A file is read through the JSON guard (size, depth and value bounds of
 * engine/limits.h) and checked whole before anything is returned: unknown
 * keys, wrong types, a missing "en", too many steps, models or characters,
 * an unknown view, an epoch out of range, and settings refused by the
 * caller's check (the command line's, the same as for settings.json) are
 * refused with one line naming the file, the step and the key; the input
 * is quoted through lab-text. A refused file gives NULL and changes
 * nothing. An exported lesson folder (settings.json, model.json...) opens
 * as a one-step lesson built from its settings.json.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LAB_LESSON_ERROR (lab_lesson_error_quark ())

typedef enum
{
  LAB_LESSON_ERROR_INVALID,  /* read, but refused: a message says why */
} LabLessonError;

GQuark lab_lesson_error_quark (void);

/* The format's name and version, as a lesson file writes them. */
#define LAB_LESSON_FORMAT  "rnn-lab-lesson"
#define LAB_LESSON_VERSION 1

typedef enum
{
  LAB_LESSON_VIEW_FORECAST,
  LAB_LESSON_VIEW_LOSS,
  LAB_LESSON_VIEW_HIDDEN,
  LAB_LESSON_VIEW_GATES,
  LAB_LESSON_VIEW_GRADIENT,
  LAB_LESSON_VIEW_UNROLLED,
  LAB_LESSON_N_VIEWS
} LabLessonView;

/* "forecast", "loss", ... as a lesson file names them. */
const char *lab_lesson_view_name (LabLessonView view);

/* Checks one model's settings: where starts every message (quoted already:
 * "lesson.json: step 2: compare 1"), folder is the lesson's folder (for a
 * relative init-weights), text (len bytes) a flat JSON object of settings
 * keys. The app passes the command line's check (lab-cli.h). */
typedef gboolean (*LabLessonCheckSettings) (const char  *where,
                                            const char  *folder,
                                            const char  *text,
                                            gsize        len,
                                            gpointer     user_data,
                                            GError     **error);

/* A text in several languages. */
typedef struct _LabLessonText LabLessonText;

/* The text in the first of languages (NULL: g_get_language_names ()) that
 * it has, trying "zh_CN" then "zh" for "zh_CN.UTF-8", "C" and "POSIX" as
 * "en"; "en" when none matches. Never NULL. */
const char *lab_lesson_text_get      (const LabLessonText *text,
                                      const char * const  *languages);
/* The text in exactly this language, or NULL. */
const char *lab_lesson_text_get_lang (const LabLessonText *text,
                                      const char          *lang);
/* The languages the text has ("en" first). */
GStrv       lab_lesson_text_langs    (const LabLessonText *text);

typedef struct
{
  LabLessonText *label;     /* NULL for a step's only model */
  char          *settings;  /* a flat JSON object: the step's settings with this model's changes */
} LabLessonModel;

typedef struct
{
  LabLessonText  *title;
  LabLessonText  *text;
  LabLessonText  *question;
  guint           n_models;                       /* 1, or 2 to 3 in compare mode */
  LabLessonModel  models[3];
  guint           n_views;                        /* 1 .. LAB_LESSON_N_VIEWS */
  LabLessonView   views[LAB_LESSON_N_VIEWS];      /* in the order given, no repeats */
  int             play_to_epoch;                  /* 0: stay at the start */
  int             select_window;                  /* -1: keep the selection */
} LabLessonStep;

typedef struct
{
  char          *id;          /* [a-z0-9-], the file's or the folder's name */
  LabLessonText *title;
  LabLessonText *summary;
  char          *folder;      /* where a relative init-weights is; NULL for a built-in */
  guint          n_steps;
  LabLessonStep *steps;
} LabLesson;

/* A lesson from its text; name (the file's name) starts every message and
 * folder is where its settings' files are (NULL: none). */
LabLesson *lab_lesson_load_text    (const char              *name,
                                    const char              *folder,
                                    const char              *text,
                                    gsize                    len,
                                    LabLessonCheckSettings   check,
                                    gpointer                 user_data,
                                    GError                 **error);
/* A lesson file, or a folder: its lesson.json if it has one, else its
 * settings.json as a one-step lesson. */
LabLesson *lab_lesson_load_path    (const char              *path,
                                    LabLessonCheckSettings   check,
                                    gpointer                 user_data,
                                    GError                 **error);
/* The built-in lessons' resource paths, in order (free with g_strfreev). */
GStrv      lab_lesson_builtin_list (void);
/* A built-in lesson by its resource path. */
LabLesson *lab_lesson_load_builtin (const char              *resource,
                                    LabLessonCheckSettings   check,
                                    gpointer                 user_data,
                                    GError                 **error);
void       lab_lesson_free         (LabLesson               *lesson);

/* The text of a lesson.json with one step that shows n_models (2 or 3)
 * side by side, trained to `epoch` (its play-to-epoch): the first model's
 * settings (a settings.json's text, lab_run_settings_to_json) as the step's
 * settings, and every model as a compare entry with its label and its
 * settings. Its texts are in English and in the user's language when that
 * translates them. NULL (error set) if a settings text is not JSON. */
GBytes    *lab_lesson_compare_to_json (GBytes               **settings,
                                       const char           **labels,
                                       guint                  n_models,
                                       int                    epoch,
                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabLesson, lab_lesson_free)

G_END_DECLS
