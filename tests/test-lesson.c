/* test-lesson.c: lessons (core/lab-lesson.h): the built-ins load in both
 * languages, an exported folder opens as a lesson, every kind of bad file
 * is refused with its message and changes nothing, and the claims the
 * built-in texts make are checked on the real engine and command line
 * (rnn-lab --headless, from RNN_LAB_BIN). */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "app/lab-cli.h"
#include "core/lab-advisor.h"
#include "core/lab-lesson.h"
#include "engine/limits.h"
#include "engine/session.h"

/* ---- The settings check ---------------------------------------------------
 * The command line's check, plus the keys other parts are adding (cells:
 * "cell", "clip-grad-norm"; the pattern's "burst"), which it does not know
 * yet: they are taken out (with a check of their type) before the rest
 * goes to the command line's check. */

static const char *const pending_keys[] = { "cell", "burst", "clip-grad-norm", NULL };

static gboolean
check_settings (const char  *where,
                const char  *folder,
                const char  *text,
                gsize        len,
                gpointer     user_data,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *rest = NULL;
  guint *calls = user_data;
  JsonObject *object;
  gboolean pending = FALSE;

  if (calls != NULL)
    (*calls)++;
  /* Anything the loader passes on is JSON already (the guard read it). */
  g_assert_true (json_parser_load_from_data (parser, text, len, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; pending_keys[i] != NULL; i++)
    if (json_object_has_member (object, pending_keys[i]))
      {
        JsonNode *node = json_object_get_member (object, pending_keys[i]);

        if (!JSON_NODE_HOLDS_VALUE (node))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s: not a value", where,
                         pending_keys[i]);
            return FALSE;
          }
        json_object_remove_member (object, pending_keys[i]);
        pending = TRUE;
      }
  /* As written (json-glib cannot hold a seed of 2^64 - 1), or without the keys. */
  if (!pending)
    return lab_cli_check_settings_at (where, folder, text, len, error);
  json_generator_set_root (generator, json_parser_get_root (parser));
  rest = json_generator_to_data (generator, NULL);
  return lab_cli_check_settings_at (where, folder, rest, strlen (rest), error);
}

/* ---- Helpers ------------------------------------------------------------- */

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rnn-lab-lesson-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_dir (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static LabLesson *
load_builtin (const char *id)
{
  g_auto(GStrv) list = lab_lesson_builtin_list ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autoptr(LabLesson) lesson = lab_lesson_load_builtin (list[i], check_settings, NULL, &error);

      g_assert_no_error (error);
      if (g_str_equal (lesson->id, id))
        return g_steal_pointer (&lesson);
    }
  g_error ("no built-in lesson “%s”", id);
}

/* Sentences of an English text: '.', '?' or '!' at the end or before a space. */
static guint
count_sentences (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if ((*p == '.' || *p == '?' || *p == '!') && (p[1] == '\0' || p[1] == ' '))
      n++;
  return n;
}

/* Sentences of a Chinese text: '。', '？' or '！'. */
static guint
count_sentences_zh (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      n += c == 0x3002 || c == 0xff1f || c == 0xff01;
    }
  return n;
}

/* A text in English and in Chinese; a name such as "LSTM" may be the same
 * in both (name_only). */
static void
assert_bilingual_full (const LabLessonText *text,
                       const char          *what,
                       gboolean             name_only)
{
  const char *en = lab_lesson_text_get_lang (text, "en");
  const char *zh = lab_lesson_text_get_lang (text, "zh_CN");

  if (en == NULL || zh == NULL)
    g_error ("%s: no %s text", what, en == NULL ? "English" : "Chinese");
  if (name_only && g_str_equal (en, zh))
    {
      for (const char *p = en; *p; p++)
        if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != ' ')
          g_error ("%s: the Chinese label “%s” is the English one", what, zh);
      return;
    }
  if (g_str_equal (en, zh))
    g_error ("%s: the Chinese text is the English one", what);
  /* A translation is in Chinese: it holds CJK characters. */
  {
    gboolean cjk = FALSE;

    for (const char *p = zh; *p; p = g_utf8_next_char (p))
      cjk |= g_utf8_get_char (p) >= 0x4e00 && g_utf8_get_char (p) <= 0x9fff;
    if (!cjk)
      g_error ("%s: “%s” has no Chinese character", what, zh);
  }
}

static void
assert_bilingual (const LabLessonText *text,
                  const char          *what)
{
  assert_bilingual_full (text, what, FALSE);
}

/* A settings text's integer member, or fallback. */
static gint64
settings_int (const char *settings,
              const char *key,
              gint64      fallback)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, settings, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, key))
    return fallback;
  return json_object_get_int_member (object, key);
}

/* ---- The built-ins ------------------------------------------------------- */

static void
test_builtin (void)
{
  g_auto(GStrv) list = lab_lesson_builtin_list ();
  const char *ids[] = { "tutorial", "learning-rate", "window-length", "overfitting",
                        "long-memory", "baselines", "forecast" };

  g_assert_cmpuint (g_strv_length (list), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      guint calls = 0;
      g_autoptr(LabLesson) lesson = lab_lesson_load_builtin (list[i], check_settings, &calls, &error);
      guint n_models = 0;

      g_assert_no_error (error);
      g_assert_nonnull (lesson);
      g_assert_cmpstr (lesson->id, ==, ids[i]);
      g_assert_null (lesson->folder);
      assert_bilingual (lesson->title, lesson->id);
      assert_bilingual (lesson->summary, lesson->id);
      g_assert_cmpuint (lesson->n_steps, >=, 2);
      g_assert_cmpuint (lesson->n_steps, <=, 5);

      for (guint s = 0; s < lesson->n_steps; s++)
        {
          const LabLessonStep *step = &lesson->steps[s];
          g_autofree char *where = g_strdup_printf ("%s step %u", lesson->id, s + 1);
          const char *text = lab_lesson_text_get_lang (step->text, "en");
          const char *question = lab_lesson_text_get_lang (step->question, "en");

          assert_bilingual (step->title, where);
          assert_bilingual (step->text, where);
          assert_bilingual (step->question, where);
          /* Two or three sentences for the class, one question. */
          if (count_sentences (text) < 2 || count_sentences (text) > 3)
            g_error ("%s: %u sentences in “%s”", where, count_sentences (text), text);
          if (count_sentences_zh (lab_lesson_text_get_lang (step->text, "zh_CN")) < 2)
            g_error ("%s: the Chinese text has fewer than two sentences", where);
          g_assert_cmpuint (count_sentences (question), ==, 1);
          g_assert_true (g_str_has_suffix (question, "?"));
          g_assert_true (g_str_has_suffix (lab_lesson_text_get_lang (step->question, "zh_CN"), "？"));

          g_assert_cmpuint (step->n_views, >=, 1);
          g_assert_true (step->n_models == 1 || (step->n_models >= 2 && step->n_models <= 3));
          for (guint m = 0; m < step->n_models; m++)
            {
              g_assert_nonnull (step->models[m].settings);
              if (step->n_models > 1)
                assert_bilingual_full (step->models[m].label, where, TRUE);
              else
                g_assert_null (step->models[m].label);
              /* Every built-in says how long it trains; the step plays within it. */
              g_assert_cmpint (step->play_to_epoch, <=, settings_int (step->models[m].settings, "epochs", -1));
            }
          n_models += step->n_models;
        }
      /* Every model of every step went through the settings check. */
      g_assert_cmpuint (calls, ==, n_models);
    }
}

/* The language is the user's, picked when the text is asked for. */
static void
test_language (void)
{
  g_autoptr(LabLesson) lesson = load_builtin ("tutorial");
  const char *zh = lab_lesson_text_get_lang (lesson->title, "zh_CN");
  const char *en = lab_lesson_text_get_lang (lesson->title, "en");
  const char *const zh_cn_utf8[] = { "zh_CN.UTF-8", "zh_CN", "zh.UTF-8", "zh", "C", NULL };
  const char *const zh_only[] = { "zh", "C", NULL };
  const char *const german[] = { "de_DE.UTF-8", "de_DE", "de", "C", NULL };
  const char *const c[] = { "C", NULL };
  const char *const none[] = { NULL };
  g_auto(GStrv) langs = lab_lesson_text_langs (lesson->title);

  g_assert_cmpstr (lab_lesson_text_get (lesson->title, zh_cn_utf8), ==, zh);
  g_assert_cmpstr (lab_lesson_text_get (lesson->title, zh_only), ==, zh);
  g_assert_cmpstr (lab_lesson_text_get (lesson->title, german), ==, en);
  g_assert_cmpstr (lab_lesson_text_get (lesson->title, c), ==, en);
  g_assert_cmpstr (lab_lesson_text_get (lesson->title, none), ==, en);
  g_assert_cmpstr (langs[0], ==, "en");
  g_assert_cmpstr (langs[1], ==, "zh_CN");
  g_assert_null (langs[2]);
  /* The test environment runs in C.UTF-8. */
  g_assert_cmpstr (lab_lesson_text_get (lesson->title, NULL), ==, en);
}

/* ---- An exported lesson folder -------------------------------------------- */

/* What "Export lesson" writes (ui/lab-window-export.c, settings_bytes). */
static const char exported_settings[] =
  "{\n  \"format\": \"rnn-lab-settings\",\n  \"version\": 1,\n  \"hidden-size\": 20,\n"
  "  \"time-step\": 8,\n  \"lr\": 0.02,\n  \"optimizer\": \"adam\",\n  \"epochs\": 120,\n"
  "  \"points\": 100,\n  \"period\": 100,\n  \"train-ratio\": 0.7,\n"
  "  \"seed\": 18446744073709551615,\n  \"init\": \"seed\"\n}\n";

static void
test_folder (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *folder = g_build_filename (dir, "My Lesson 2", NULL);
  g_autofree char *settings = g_build_filename (folder, "settings.json", NULL);
  g_autofree char *lesson_json = g_build_filename (folder, "lesson.json", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty", NULL);
  g_autoptr(GError) error = NULL;
  LabLesson *lesson;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  write_file (settings, exported_settings);

  /* The folder, and its settings.json itself, open as the same one-step lesson. */
  for (int k = 0; k < 2; k++)
    {
      lesson = lab_lesson_load_path (k == 0 ? folder : settings, check_settings, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (lesson->id, ==, "my-lesson-2");
      g_assert_cmpstr (lab_lesson_text_get_lang (lesson->title, "en"), ==, "My Lesson 2");
      g_assert_cmpstr (lesson->folder, ==, folder);
      g_assert_cmpuint (lesson->n_steps, ==, 1);
      g_assert_cmpuint (lesson->steps[0].n_models, ==, 1);
      /* Passed on as written: the 64-bit seed is intact. */
      g_assert_cmpstr (lesson->steps[0].models[0].settings, ==, exported_settings);
      g_assert_cmpint (lesson->steps[0].play_to_epoch, ==, 120);
      g_assert_cmpuint (lesson->steps[0].n_views, ==, 3);
      g_assert_cmpint (lesson->steps[0].views[0], ==, LAB_LESSON_VIEW_FORECAST);
      g_assert_nonnull (lab_lesson_text_get_lang (lesson->steps[0].text, "zh_CN"));
      lab_lesson_free (lesson);
    }

  /* Its settings are checked as settings.json is. */
  write_file (settings, "{\"format\": \"rnn-lab-settings\", \"version\": 1, \"lr\": 50}");
  lesson = lab_lesson_load_path (folder, check_settings, NULL, &error);
  g_assert_null (lesson);
  g_assert_true (g_str_has_suffix (error->message,
                                   "settings.json: lr: 50 is out of range; accepted: greater than 0, at most 10"));
  g_assert_true (g_str_has_prefix (error->message, folder));
  g_clear_error (&error);

  /* A lesson.json in the folder wins over its settings.json. */
  write_file (lesson_json,
              "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"own\", \"title\": \"Own\","
              " \"steps\": [{\"title\": \"A\", \"text\": \"B. C.\", \"question\": \"D?\","
              " \"show\": {\"settings\": {\"init-weights\": \"start.json\"}, \"views\": [\"loss\"]}}]}");
  lesson = lab_lesson_load_path (folder, check_settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lesson->id, ==, "own");
  g_assert_cmpstr (lesson->folder, ==, folder);
  lab_lesson_free (lesson);

  /* A folder with neither. */
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  lesson = lab_lesson_load_path (empty, check_settings, NULL, &error);
  g_assert_null (lesson);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "a folder without a lesson; accepted: a folder with lesson.json or settings.json"));
  remove_dir (dir);
}

/* ---- Refusals -------------------------------------------------------------- */

#define HEAD "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"title\": \"T\", "
#define STEP_OPEN "{\"title\": \"A\", \"text\": \"B. C.\", \"question\": \"D?\", "
#define SHOW(x) "\"show\": {\"settings\": {}, \"views\": [\"loss\"]" x "}"
#define ONE_STEP(show) HEAD "\"steps\": [" STEP_OPEN show "}]}"

typedef struct
{
  const char *name;
  const char *text;
  const char *needle;
} BadLesson;

static const BadLesson bad_lessons[] = {
  /* JSON itself, through the guard */
  { "empty", "", "bad.json: " },
  { "comment", HEAD "/* x */ \"steps\": []}", "comment" },
  { "duplicate", "{\"format\": \"rnn-lab-lesson\", \"format\": \"x\"}", "twice" },
  { "deep", "{\"a\": [[[[[[[[1]]]]]]]]}", "deep" },
  { "not-object", "[1, 2]", "bad.json: not a lesson; accepted: a JSON object with \"format\": \"rnn-lab-lesson\"" },
  { "huge-int", ONE_STEP ("\"show\": {\"settings\": {\"seed\": 99999999999999999999}, \"views\": [\"loss\"]}"),
    "bad.json: " },
  /* the lesson's keys */
  { "unknown-key", HEAD "\"steps\": [], \"colour\": 1}",
    "bad.json: colour: unknown key; accepted: format, version, id, title, summary, steps" },
  { "missing-title", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"steps\": []}",
    "bad.json: title: missing" },
  { "format", "{\"format\": \"rnn-lab-model\", \"version\": 1, \"id\": \"t\", \"title\": \"T\", \"steps\": []}",
    "bad.json: format: not a lesson; accepted: “rnn-lab-lesson”" },
  { "version", "{\"format\": \"rnn-lab-lesson\", \"version\": 2, \"id\": \"t\", \"title\": \"T\", \"steps\": []}",
    "bad.json: version: 2 is out of range; accepted: 1 to 1" },
  { "id", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"Bad Id\", \"title\": \"T\", \"steps\": []}",
    "bad.json: id: “Bad Id”; accepted: 1 to 64 of a-z, 0-9 and -" },
  { "no-steps", HEAD "\"steps\": []}", "bad.json: steps: 0 steps; accepted: 1 to 12" },
  { "too-many-steps", HEAD "\"steps\": [1,1,1,1,1,1,1,1,1,1,1,1,1]}", "bad.json: steps: 13 steps; accepted: 1 to 12" },
  { "step-type", HEAD "\"steps\": [\"a step\"]}", "bad.json: step 1: a string; accepted: an object" },
  { "step-key", HEAD "\"steps\": [" STEP_OPEN SHOW ("") ", \"hint\": \"x\"}]}",
    "bad.json: step 1: hint: unknown key; accepted: title, text, question, show" },
  { "no-question", HEAD "\"steps\": [{\"title\": \"A\", \"text\": \"B\", " SHOW ("") "}]}",
    "bad.json: step 1: question: missing" },
  /* localised texts */
  { "text-type", HEAD "\"steps\": [{\"title\": 5, \"text\": \"B\", \"question\": \"D?\", " SHOW ("") "}]}",
    "bad.json: step 1: title: a number; accepted: a string, or an object of language codes and strings" },
  { "no-en", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"title\": {\"zh_CN\": \"标题\"}, \"steps\": []}",
    "bad.json: title: no English text; accepted: an object with “en” and any other languages" },
  { "bad-lang", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"title\": {\"en\": \"T\", \"Chinese\": \"标题\"}, \"steps\": []}",
    "bad.json: title: Chinese: not a language code; accepted: codes such as en, zh_CN, pt_BR" },
  { "lang-type", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"title\": {\"en\": [\"T\"]}, \"steps\": []}",
    "bad.json: title: en: a list; accepted: a string" },
  { "empty-text", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"title\": \"\", \"steps\": []}",
    "bad.json: title: an empty text; accepted: 1 to 80 characters" },
  { "control", "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"t\", \"title\": \"a\\u001b[31mred\", \"steps\": []}",
    "bad.json: title: a control character (U+001B); accepted: text on one line" },
  /* show */
  { "no-show", HEAD "\"steps\": [{\"title\": \"A\", \"text\": \"B\", \"question\": \"D?\"}]}",
    "bad.json: step 1: show: missing" },
  { "show-key", ONE_STEP (SHOW (", \"zoom\": 2")), "bad.json: step 1: show: zoom: unknown key; accepted: settings, compare, views, play-to-epoch, select-window" },
  { "no-views", ONE_STEP ("\"show\": {\"settings\": {}}"), "bad.json: step 1: show: views: missing" },
  { "view-name", ONE_STEP ("\"show\": {\"settings\": {}, \"views\": [\"loss\", \"weights\"]}"),
    "bad.json: step 1: show: views: “weights” is not a view; accepted: forecast, loss, hidden, gates, gradient, unrolled" },
  { "view-twice", ONE_STEP ("\"show\": {\"settings\": {}, \"views\": [\"loss\", \"loss\"]}"),
    "bad.json: step 1: show: views: “loss” is named twice; accepted: each view once" },
  { "no-view", ONE_STEP ("\"show\": {\"settings\": {}, \"views\": []}"),
    "bad.json: step 1: show: views: 0 views; accepted: 1 to 6 of forecast, loss, hidden, gates, gradient, unrolled" },
  { "settings-type", ONE_STEP ("\"show\": {\"settings\": [], \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: a list; accepted: an object of settings, as in settings.json" },
  { "play-negative", ONE_STEP (SHOW (", \"play-to-epoch\": -1")),
    "bad.json: step 1: show: play-to-epoch: -1 is out of range; accepted: 0 to 1000000" },
  { "play-fraction", ONE_STEP (SHOW (", \"play-to-epoch\": 1.5")),
    "bad.json: step 1: show: play-to-epoch: a number; accepted: a whole number" },
  { "play-past-epochs", ONE_STEP ("\"show\": {\"settings\": {\"epochs\": 100}, \"views\": [\"loss\"], \"play-to-epoch\": 101}"),
    "bad.json: step 1: show: play-to-epoch: 101 is out of range; accepted: 0 to 100" },
  { "select-window", ONE_STEP (SHOW (", \"select-window\": -2")),
    "bad.json: step 1: show: select-window: -2 is out of range; accepted: 0 to 99999" },
  /* compare */
  { "compare-one", ONE_STEP (SHOW (", \"compare\": [{\"label\": \"a\"}]")),
    "bad.json: step 1: show: compare: 1 models; accepted: 2 to 3" },
  { "compare-four", ONE_STEP (SHOW (", \"compare\": [{\"label\": \"a\"}, {\"label\": \"b\"}, {\"label\": \"c\"}, {\"label\": \"d\"}]")),
    "bad.json: step 1: show: compare: 4 models; accepted: 2 to 3" },
  { "compare-label", ONE_STEP (SHOW (", \"compare\": [{\"label\": \"a\"}, {\"lr\": 0.1}]")),
    "bad.json: step 1: show: compare 2: label: missing" },
  { "compare-type", ONE_STEP (SHOW (", \"compare\": [{\"label\": \"a\"}, 3]")),
    "bad.json: step 1: show: compare 2: a number; accepted: an object: a label and the settings it changes" },
  /* settings: the command line's rules */
  { "setting-nested", ONE_STEP ("\"show\": {\"settings\": {\"lr\": [0.1]}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: lr: a list; accepted: a number, a string, true or false" },
  { "setting-unknown", ONE_STEP ("\"show\": {\"settings\": {\"speed\": 3}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: speed: unknown key; accepted: format, version, hidden-size" },
  { "setting-range", ONE_STEP ("\"show\": {\"settings\": {\"hidden-size\": 300}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: hidden-size: 300 is out of range; accepted: 1 to 256" },
  { "setting-series", ONE_STEP ("\"show\": {\"settings\": {\"series\": \"cosine\"}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: series: “cosine” is not a series; accepted: sine, square" },
  { "setting-flag", ONE_STEP ("\"show\": {\"settings\": {\"baselines\": 1}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: baselines: not true or false" },
  { "setting-escape", ONE_STEP ("\"show\": {\"settings\": {\"optimizer\": \"\\u001b]0;pwned\\u0007\"}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: optimizer: “\\x1b]0;pwned\\x07” is not an optimizer" },
  { "setting-path", ONE_STEP ("\"show\": {\"settings\": {\"init-weights\": \"../../etc/passwd\"}, \"views\": [\"loss\"]}"),
    "bad.json: step 1: show: settings: init-weights: “../../etc/passwd” leaves the lesson's folder" },
  { "compare-setting", ONE_STEP (SHOW (", \"compare\": [{\"label\": \"a\"}, {\"label\": \"b\", \"lr\": 50}]")),
    "bad.json: step 1: show: compare 2: lr: 50 is out of range; accepted: greater than 0, at most 10" },
  { "compare-key", ONE_STEP (SHOW (", \"compare\": [{\"label\": \"a\"}, {\"label\": \"b\", \"colour\": \"red\"}]")),
    "bad.json: step 1: show: compare 2: colour: unknown key" },
};

/* A message for a toast or a terminal: one line, printable. */
static void
assert_clean (const char *message)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      g_error ("a raw control byte 0x%02x in “%s”", (guchar) *p, message);
}

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_lessons); i++)
    {
      g_autoptr(GError) error = NULL;
      const BadLesson *bad = &bad_lessons[i];
      g_autoptr(LabLesson) lesson = lab_lesson_load_text ("bad.json", NULL, bad->text, strlen (bad->text),
                                                          check_settings, NULL, &error);

      if (lesson != NULL)
        g_error ("%s: accepted", bad->name);
      g_assert_nonnull (error);
      assert_clean (error->message);
      if (!g_str_has_prefix (error->message, "bad.json: "))
        g_error ("%s: “%s” does not name the file first", bad->name, error->message);
      if (strstr (error->message, bad->needle) == NULL)
        g_error ("%s: expected “%s” in “%s”", bad->name, bad->needle, error->message);
    }

  /* Too large for a lesson: refused before it is parsed. */
  {
    g_autoptr(GError) error = NULL;
    gsize n = RNN_LESSON_FILE_MAX + 1;
    g_autofree char *big = g_malloc (n);
    g_autoptr(LabLesson) lesson = NULL;

    memset (big, ' ', n);
    lesson = lab_lesson_load_text ("big.json", NULL, big, n, check_settings, NULL, &error);
    g_assert_null (lesson);
    g_assert_nonnull (strstr (error->message, "big.json: 262145 bytes; accepted: a lesson of at most 262144 bytes"));
  }

  /* A text over its length, counted in characters (Chinese ones too). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) s = g_string_new (HEAD "\"steps\": [{\"title\": {\"en\": \"A\", \"zh_CN\": \"");
    g_autoptr(LabLesson) lesson = NULL;

    for (int k = 0; k < RNN_LESSON_TITLE_MAX + 1; k++)
      g_string_append (s, "字");
    g_string_append (s, "\"}, \"text\": \"B\", \"question\": \"D?\", " SHOW ("") "}]}");
    lesson = lab_lesson_load_text ("bad.json", NULL, s->str, s->len, check_settings, NULL, &error);
    g_assert_null (lesson);
    g_assert_cmpstr (error->message, ==, "bad.json: step 1: title: zh_CN: 81 characters; accepted: at most 80");
  }

  /* The file's name is quoted too. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LabLesson) lesson = lab_lesson_load_text ("evil\n\x1b[2J.json", NULL, "[]", 2,
                                                        check_settings, NULL, &error);

    g_assert_null (lesson);
    assert_clean (error->message);
    g_assert_true (g_str_has_prefix (error->message, "evil\\n\\x1b[2J.json: "));
  }
}

/* The smallest lesson that loads: the format's required keys only. */
static void
test_minimal (void)
{
  const char *text = ONE_STEP (SHOW (", \"play-to-epoch\": 7, \"select-window\": 3"));
  g_autoptr(GError) error = NULL;
  g_autoptr(LabLesson) lesson = lab_lesson_load_text ("ok.json", NULL, text, strlen (text),
                                                      check_settings, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (lesson->summary);
  g_assert_cmpuint (lesson->n_steps, ==, 1);
  g_assert_cmpstr (lesson->steps[0].models[0].settings, ==, "{}");
  g_assert_cmpint (lesson->steps[0].play_to_epoch, ==, 7);
  g_assert_cmpint (lesson->steps[0].select_window, ==, 3);
  g_assert_cmpstr (lab_lesson_text_get (lesson->steps[0].title, NULL), ==, "A");
}

/* Compare: each model is the step's settings with its own changes, in the
 * step's order, the changes' new keys after. */
static void
test_compare (void)
{
  const char *text = ONE_STEP ("\"show\": {\"settings\": {\"lr\": 0.3, \"hidden-size\": 8, \"shuffle\": true},"
                               " \"compare\": [{\"label\": {\"en\": \"a\", \"zh_CN\": \"甲\"}, \"lr\": 1e-4},"
                               " {\"label\": \"b\", \"seed\": 9223372036854775807, \"optimizer\": \"sgd\"}],"
                               " \"views\": [\"gates\", \"forecast\"]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(LabLesson) lesson = lab_lesson_load_text ("ok.json", NULL, text, strlen (text),
                                                      check_settings, NULL, &error);
  const LabLessonStep *step;

  g_assert_no_error (error);
  step = &lesson->steps[0];
  g_assert_cmpuint (step->n_models, ==, 2);
  g_assert_cmpstr (step->models[0].settings, ==, "{\"lr\": 0.0001, \"hidden-size\": 8, \"shuffle\": true}");
  g_assert_cmpstr (step->models[1].settings, ==,
                   "{\"lr\": 0.3, \"hidden-size\": 8, \"shuffle\": true, \"seed\": 9223372036854775807, \"optimizer\": \"sgd\"}");
  g_assert_cmpstr (lab_lesson_text_get_lang (step->models[0].label, "zh_CN"), ==, "甲");
  g_assert_cmpuint (step->n_views, ==, 2);
  g_assert_cmpint (step->views[0], ==, LAB_LESSON_VIEW_GATES);
  g_assert_cmpint (step->views[1], ==, LAB_LESSON_VIEW_FORECAST);
  g_assert_cmpint (step->play_to_epoch, ==, 0);
  g_assert_cmpint (step->select_window, ==, -1);
  g_assert_cmpstr (lab_lesson_view_name (LAB_LESSON_VIEW_UNROLLED), ==, "unrolled");
}

/* A refused file changes nothing: no file is written or removed, and what
 * was loaded before is as it was. */
static void
test_unchanged (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "lesson.json", NULL);
  const char *bad = ONE_STEP ("\"show\": {\"settings\": {\"lr\": 50}, \"views\": [\"loss\"]}");
  g_autoptr(LabLesson) current = load_builtin ("learning-rate");
  g_autofree char *before = g_strdup (current->steps[0].models[2].settings);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) d = NULL;
  LabLesson *loaded;
  guint n_files = 0;

  write_file (path, bad);
  loaded = lab_lesson_load_path (dir, check_settings, NULL, &error);
  g_assert_null (loaded);
  g_assert_nonnull (strstr (error->message, "lesson.json: step 1: show: settings: lr: 50 is out of range"));

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, bad);
  d = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
  g_assert_cmpstr (current->id, ==, "learning-rate");
  g_assert_cmpstr (current->steps[0].models[2].settings, ==, before);
  remove_dir (dir);
}

/* ---- The claims of the texts, on the real run -------------------------------- */

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* rnn-lab --headless --settings <the model's settings> extra... */
static void
run_model (Run        *r,
           const char *dir,
           const char *settings,
           const char *loss_csv)
{
  g_autofree char *path = g_build_filename (dir, "settings.json", NULL);
  const char *bin = g_getenv ("RNN_LAB_BIN");
  const char *argv[] = { bin, "--headless", "--settings", path, "--log-every", "0",
                         loss_csv != NULL ? "--loss-csv" : NULL, loss_csv, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_nonnull (bin);
  write_file (path, settings);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
  if (r->status != 0)
    g_error ("rnn-lab --settings %s: %s", settings, r->err);
}

static double
value_after (const char *out,
             const char *label)
{
  const char *p = strstr (out, label);

  if (p == NULL || (p != out && p[-1] != '\n'))
    g_error ("no “%s” in “%s”", label, out);
  return g_ascii_strtod (p + strlen (label), NULL);
}

/* epoch,train_loss,test_loss into train and test (n rows). */
static void
read_losses (const char  *path,
             GArray     **train,
             GArray     **test)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  *train = g_array_new (FALSE, FALSE, sizeof (float));
  *test = g_array_new (FALSE, FALSE, sizeof (float));
  g_assert_cmpstr (lines[0], ==, "epoch,train_loss,test_loss");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      float tr = g_ascii_strtod (f[1], NULL), te = g_ascii_strtod (f[2], NULL);

      g_assert_cmpint (atoi (f[0]), ==, (int) i);
      g_array_append_val (*train, tr);
      g_array_append_val (*test, te);
    }
}

/* The first shown epoch at which the advisor names overfitting, or 0. */
static int
overfitting_epoch (GArray *train,
                   GArray *test)
{
  for (guint shown = 1; shown <= train->len; shown++)
    {
      LabAdvisorInput in = {
        .n_epochs = train->len,
        .train_loss = (const float *) train->data,
        .test_loss = (const float *) test->data,
        .shown_epoch = shown,
        .saturated_share = -1,
        .model_test_mse = -1,
        .baseline_test_mse = -1,
        .learning_rate = 0.005,
      };
      LabFinding out[LAB_N_FINDINGS];
      int n = lab_advisor_assess (&in, out);

      for (int k = 0; k < n; k++)
        if (out[k].kind == LAB_FINDING_OVERFITTING)
          return (int) shown;
    }
  return 0;
}

#define LOSS(a, epoch) g_array_index ((a), float, (epoch) - 1)

/* Lesson 4: the advisor's overfitting rule fires by the epoch step 3
 * plays to; the numbers the texts give hold; the small network of step 4
 * ends with the lower test loss. */
static void
test_claim_overfitting (void)
{
  g_autoptr(LabLesson) lesson = load_builtin ("overfitting");
  g_autofree char *dir = make_dir ();
  g_autofree char *loss = g_build_filename (dir, "loss.csv", NULL);
  const LabLessonStep *learning = &lesson->steps[1];
  const LabLessonStep *overfit = &lesson->steps[2];
  const LabLessonStep *smaller = &lesson->steps[3];
  g_autoptr(GArray) train = NULL;
  g_autoptr(GArray) test = NULL;
  g_autoptr(GArray) train_small = NULL;
  g_autoptr(GArray) test_small = NULL;
  int fires, p = overfit->play_to_epoch;

  g_assert_cmpstr (overfit->models[0].settings, ==, learning->models[0].settings);
  {
    g_auto(Run) r = { 0 };

    run_model (&r, dir, overfit->models[0].settings, loss);
    read_losses (loss, &train, &test);
  }
  fires = overfitting_epoch (train, test);
  g_test_message ("overfitting named at epoch %d; play-to-epoch %d", fires, p);
  g_assert_cmpint (fires, >, learning->play_to_epoch);
  g_assert_cmpint (fires, <=, p);

  /* Step 2: both near 0.06 at its epoch. */
  g_assert_cmpfloat (fabs (LOSS (train, learning->play_to_epoch) - 0.06), <, 0.015);
  g_assert_cmpfloat (fabs (LOSS (test, learning->play_to_epoch) - 0.06), <, 0.015);
  /* Step 3: the train loss below the noise's variance (0.2^2), the test
   * loss about doubled. */
  g_assert_cmpfloat (LOSS (train, p), <, 0.2 * 0.2);
  g_assert_cmpfloat (fabs (LOSS (train, p) - 0.03), <, 0.01);
  g_assert_cmpfloat (LOSS (test, p), >, 1.8 * LOSS (test, learning->play_to_epoch));
  g_assert_cmpfloat (fabs (LOSS (test, p) - 0.135), <, 0.02);

  /* Step 4: 128 units as in step 3, and 8. */
  g_assert_cmpuint (smaller->n_models, ==, 2);
  g_assert_cmpint (settings_int (smaller->models[0].settings, "hidden-size", 0), ==, 128);
  g_assert_cmpint (settings_int (smaller->models[1].settings, "hidden-size", 0), ==, 8);
  {
    g_auto(Run) r = { 0 };

    run_model (&r, dir, smaller->models[1].settings, loss);
    read_losses (loss, &train_small, &test_small);
  }
  g_assert_cmpfloat (fabs (LOSS (test_small, smaller->play_to_epoch) - 0.08), <, 0.01);
  g_assert_cmpfloat (LOSS (test_small, smaller->play_to_epoch), <, LOSS (test, smaller->play_to_epoch));
  g_assert_cmpint (overfitting_epoch (train_small, test_small), ==, 0);
  remove_dir (dir);
}

/* Lesson 6: on sunspots the RNN beats persistence but not the linear AR
 * model; with 16 hidden units it beats the linear model too. */
static void
test_claim_baselines (void)
{
  g_autoptr(LabLesson) lesson = load_builtin ("baselines");
  g_autofree char *dir = make_dir ();
  const LabLessonStep *rivals = &lesson->steps[1];
  const LabLessonStep *smaller = &lesson->steps[2];
  g_auto(Run) r50 = { 0 };
  g_auto(Run) r16 = { 0 };
  double rnn, persistence, ar, rnn16;

  g_assert_cmpint (rivals->play_to_epoch, ==, settings_int (rivals->models[0].settings, "epochs", 0));
  run_model (&r50, dir, rivals->models[0].settings, NULL);
  rnn = value_after (r50.out, "Test MSE: ");
  persistence = value_after (r50.out, "Persistence Test MSE: ");
  ar = value_after (r50.out, "Linear AR Test MSE: ");
  g_test_message ("sunspots: RNN %g, persistence %g, linear AR %g", rnn, persistence, ar);
  g_assert_cmpfloat (ar, <, rnn);
  g_assert_cmpfloat (rnn, <, persistence);
  /* The numbers the text gives: 0.15, 0.05 and 0.09. */
  g_assert_cmpfloat (fabs (persistence - 0.15), <, 0.01);
  g_assert_cmpfloat (fabs (ar - 0.05), <, 0.005);
  g_assert_cmpfloat (fabs (rnn - 0.09), <, 0.01);

  g_assert_cmpint (settings_int (smaller->models[0].settings, "hidden-size", 0), ==, 50);
  g_assert_cmpint (settings_int (smaller->models[1].settings, "hidden-size", 0), ==, 16);
  run_model (&r16, dir, smaller->models[1].settings, NULL);
  rnn16 = value_after (r16.out, "Test MSE: ");
  g_test_message ("sunspots, 16 hidden units: RNN %g", rnn16);
  g_assert_cmpfloat (rnn16, <, ar);
  g_assert_cmpfloat (fabs (rnn16 - 0.046), <, 0.002);
  g_assert_cmpfloat (fabs (ar - 0.052), <, 0.001);
  remove_dir (dir);
}

/* A settings text's number member. */
static double
settings_double (JsonObject *o,
                 const char *key)
{
  g_assert_true (json_object_has_member (o, key));
  return json_object_get_double_member (o, key);
}

/* Lesson 5: the compared models of its second step, trained by the engine
 * from the step's settings to play-to-epoch (once, for both claims). */
typedef struct
{
  float test_mse;
  float grad_ratio;  /* |dL/dh_1| / |dL/dh_T| of the last epoch */
} LongMemoryModel;

static const LongMemoryModel *
long_memory_models (void)
{
  static LongMemoryModel result[2];
  static gboolean done;
  g_autoptr(LabLesson) lesson = NULL;
  const LabLessonStep *step;
  const char *cells[] = { "rnn", "lstm" };

  if (done)
    return result;
  lesson = load_builtin ("long-memory");
  step = &lesson->steps[1];
  g_assert_cmpuint (step->n_models, ==, 2);
  for (int k = 0; k < 2; k++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      RnnConfig cfg;
      RnnSession *session;
      RnnStatus status = RNN_OK;
      const float *norms;
      float loss, train_mse;

      g_assert_true (json_parser_load_from_data (parser, step->models[k].settings, -1, NULL));
      o = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (o, "cell"), ==, cells[k]);
      g_assert_cmpstr (json_object_get_string_member (o, "series"), ==, "pattern");

      rnn_config_init_default (&cfg);
      cfg.series = RNN_SERIES_PATTERN;
      g_assert_cmpint (rnn_cell_from_name (cells[k], &cfg.cell), ==, 0);
      cfg.period = settings_double (o, "period");
      cfg.burst = (int) json_object_get_int_member (o, "burst");
      cfg.n_points = (int) json_object_get_int_member (o, "points");
      cfg.time_step = (int) json_object_get_int_member (o, "time-step");
      cfg.hidden_size = (int) json_object_get_int_member (o, "hidden-size");
      cfg.lr = settings_double (o, "lr");
      g_assert_cmpint (json_object_get_size (o), ==, 10);  /* nothing else to apply */
      session = rnn_session_new (&cfg, &status);
      g_assert_nonnull (session);
      rnn_session_init_seed (session, (guint64) json_object_get_int_member (o, "seed"));
      g_assert_cmpint (step->play_to_epoch, ==, json_object_get_int_member (o, "epochs"));
      for (int epoch = 1; epoch <= step->play_to_epoch; epoch++)
        g_assert_cmpint (rnn_session_train_epoch (session, &loss, NULL), ==, RNN_OK);
      norms = rnn_session_grad_norms (session);
      g_assert_cmpfloat (norms[cfg.time_step - 1], >, 0.0f);
      result[k].grad_ratio = norms[0] / norms[cfg.time_step - 1];
      rnn_session_evaluate (session, NULL, &train_mse, &result[k].test_mse);
      g_test_message ("long memory, %s: test MSE %g, |dL/dh_1|/|dL/dh_T| %g at epoch %d",
                      cells[k], result[k].test_mse, result[k].grad_ratio, step->play_to_epoch);
      rnn_session_free (session);
    }
  done = TRUE;
  return result;
}

/* The plain RNN's test MSE at play-to-epoch stays near what predicting 0
 * gives; the LSTM's ends far below it, at least 10 times. */
static void
test_claim_long_memory (void)
{
  const LongMemoryModel *m = long_memory_models ();

  /* Stays high: "near 0.03", about the variance of 2 uniform points in 24
   * around 0: 2/24 * 1/3. */
  g_assert_cmpfloat (m[0].test_mse, >, 1e-2);
  g_assert_cmpfloat (fabs (m[0].test_mse - 2.0 / 24.0 / 3.0), <, 0.008);
  /* "the LSTM ... below one ten-thousandth of it" */
  g_assert_cmpfloat (m[1].test_mse, <, m[0].test_mse / 10.0);
  g_assert_cmpfloat (m[1].test_mse, <, 1e-4);
}

/* The gradient that reaches the window's first step, relative to the
 * last's, is far smaller for the RNN than for the LSTM. */
static void
test_claim_long_memory_gradients (void)
{
  const LongMemoryModel *m = long_memory_models ();

  /* As step 3 says: the RNN's first-to-last ratio under a millionth, the
   * LSTM's about a hundredth, more than a million times the RNN's. */
  g_assert_cmpfloat (m[0].grad_ratio, <, 1e-6);
  g_assert_cmpfloat (m[1].grad_ratio, >, 0.005);
  g_assert_cmpfloat (m[1].grad_ratio, <, 0.05);
  g_assert_cmpfloat ((double) m[0].grad_ratio * 1e6, <, m[1].grad_ratio);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/lesson/builtin", test_builtin);
  g_test_add_func ("/app/lesson/language", test_language);
  g_test_add_func ("/app/lesson/folder", test_folder);
  g_test_add_func ("/app/lesson/minimal", test_minimal);
  g_test_add_func ("/app/lesson/compare", test_compare);
  g_test_add_func ("/app/lesson/refused", test_refused);
  g_test_add_func ("/app/lesson/unchanged", test_unchanged);
  g_test_add_func ("/app/lesson/claim/overfitting", test_claim_overfitting);
  g_test_add_func ("/app/lesson/claim/baselines", test_claim_baselines);
  g_test_add_func ("/app/lesson/claim/long-memory", test_claim_long_memory);
  g_test_add_func ("/app/lesson/claim/long-memory/gradients", test_claim_long_memory_gradients);

  return g_test_run ();
}
