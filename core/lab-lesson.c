/* lab-lesson.c: reading and checking lesson files (lab-lesson.h, the format
 * in docs/lessons.md). */
#include <math.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "engine/limits.h"
#include "engine/series.h"

#include "core/lab-file-io.h"
#include "core/lab-json-guard.h"
#include "core/lab-lesson.h"
#include "core/lab-text.h"

G_DEFINE_QUARK (lab-lesson-error-quark, lab_lesson_error)

#define BUILTIN_FOLDER "/io/github/rnnlab/RnnLab/lessons/"
#define SETTINGS_FORMAT "rnn-lab-settings"
/* A file name quoted in a message is cut after this many characters. */
#define NAME_QUOTE_MAX 256

static const char *const view_names[LAB_LESSON_N_VIEWS] = {
  "forecast", "loss", "hidden", "gates", "gradient", "unrolled",
};

const char *
lab_lesson_view_name (LabLessonView view)
{
  g_return_val_if_fail (view < LAB_LESSON_N_VIEWS, NULL);
  return view_names[view];
}

/* ---- Texts in several languages ----------------------------------------- */

struct _LabLessonText
{
  guint  n;
  char  *langs[RNN_LESSON_LANGUAGES_MAX];  /* "en" first */
  char  *texts[RNN_LESSON_LANGUAGES_MAX];
};

static void
lesson_text_free (LabLessonText *t)
{
  if (t == NULL)
    return;
  for (guint i = 0; i < t->n; i++)
    {
      g_free (t->langs[i]);
      g_free (t->texts[i]);
    }
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabLessonText, lesson_text_free)

static void
lesson_text_add (LabLessonText *t,
                 const char    *lang,
                 const char    *text)
{
  g_assert (t->n < RNN_LESSON_LANGUAGES_MAX);
  t->langs[t->n] = g_strdup (lang);
  t->texts[t->n] = g_strdup (text);
  t->n++;
}

const char *
lab_lesson_text_get_lang (const LabLessonText *text,
                          const char          *lang)
{
  g_return_val_if_fail (text != NULL && lang != NULL, NULL);

  for (guint i = 0; i < text->n; i++)
    if (g_str_equal (text->langs[i], lang))
      return text->texts[i];
  return NULL;
}

const char *
lab_lesson_text_get (const LabLessonText *text,
                     const char * const  *languages)
{
  g_return_val_if_fail (text != NULL && text->n > 0, NULL);

  if (languages == NULL)
    languages = g_get_language_names ();
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *lang = g_strdup (languages[i]);
      const char *found;
      char *cut;

      /* "zh_CN.UTF-8" and "sr@latin" are asked as "zh_CN" and "sr". */
      if ((cut = strpbrk (lang, ".@")) != NULL)
        *cut = '\0';
      if (g_str_equal (lang, "C") || g_str_equal (lang, "POSIX"))
        return text->texts[0];
      if ((found = lab_lesson_text_get_lang (text, lang)) != NULL)
        return found;
      /* A language without a territory ("zh") takes the first of its
       * territories the text has ("zh_CN"). */
      if (strchr (lang, '_') == NULL)
        for (guint k = 0; k < text->n; k++)
          if (g_str_has_prefix (text->langs[k], lang) && text->langs[k][strlen (lang)] == '_')
            return text->texts[k];
    }
  return text->texts[0];
}

GStrv
lab_lesson_text_langs (const LabLessonText *text)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv langs;

  for (guint i = 0; i < text->n; i++)
    g_strv_builder_add (b, text->langs[i]);
  langs = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return langs;
}

/* ---- Freeing ------------------------------------------------------------- */

static void
step_clear (LabLessonStep *step)
{
  g_clear_pointer (&step->title, lesson_text_free);
  g_clear_pointer (&step->text, lesson_text_free);
  g_clear_pointer (&step->question, lesson_text_free);
  for (guint i = 0; i < G_N_ELEMENTS (step->models); i++)
    {
      g_clear_pointer (&step->models[i].label, lesson_text_free);
      g_clear_pointer (&step->models[i].settings, g_free);
    }
}

void
lab_lesson_free (LabLesson *lesson)
{
  if (lesson == NULL)
    return;
  for (guint i = 0; i < lesson->n_steps; i++)
    step_clear (&lesson->steps[i]);
  g_free (lesson->steps);
  g_free (lesson->id);
  g_free (lesson->folder);
  lesson_text_free (lesson->title);
  lesson_text_free (lesson->summary);
  g_free (lesson);
}

/* ---- Checking ------------------------------------------------------------ */

/* What is being read: the file's name for the messages, its folder and the
 * caller's settings check. */
typedef struct
{
  const char             *name;    /* quoted already */
  const char             *folder;
  LabLessonCheckSettings  check;
  gpointer                user_data;
} Reader;

/* "name: where: problem" into error; FALSE. */
G_GNUC_PRINTF (4, 5)
static gboolean
refuse (GError     **error,
        const Reader *r,
        const char  *where,
        const char  *format,
        ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  if (where != NULL)
    g_set_error (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID, "%s: %s: %s", r->name, where, problem);
  else
    g_set_error (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID, "%s: %s", r->name, problem);
  return FALSE;
}

/* The place of a key in the messages: "step 2: show: views". */
static char *
place (const char *parent,
       const char *key)
{
  g_autofree char *quoted = lab_text_sanitize (key, -1);

  if (parent == NULL)
    return g_steal_pointer (&quoted);
  return g_strdup_printf ("%s: %s", parent, quoted);
}

static const char *
json_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("a list");
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    default:
      return _("a number");
    }
}

static gboolean
wrong_type (GError       **error,
            const Reader  *r,
            const char    *where,
            JsonNode      *node,
            const char    *accepted)
{
  return refuse (error, r, where, _("%s; accepted: %s"), json_type_name (node), accepted);
}

/* Every key of object is one of keys (NULL-terminated). */
static gboolean
check_keys (JsonObject          *object,
            const char * const  *keys,
            const Reader        *r,
            const char          *where,
            GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (keys, l->data))
      {
        g_autofree char *at = place (where, l->data);
        g_autofree char *accepted = g_strjoinv (", ", (char **) keys);

        return refuse (error, r, at, _("unknown key; accepted: %s"), accepted);
      }
  return TRUE;
}

static gboolean
require (JsonObject    *object,
         const char    *key,
         const Reader  *r,
         const char    *where,
         GError       **error)
{
  g_autofree char *at = place (where, key);

  if (json_object_has_member (object, key))
    return TRUE;
  return refuse (error, r, at, _("missing"));
}

/* "en", "zh_CN", "pt_BR", "sr@latin": [a-z]{2,3}(_[A-Z]{2})?(@[a-z]{1,8})? */
static gboolean
is_language_code (const char *s)
{
  const char *p = s;
  gsize n;

  for (n = 0; g_ascii_islower (*p); p++)
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  if (*p == '_')
    {
      if (!g_ascii_isupper (p[1]) || !g_ascii_isupper (p[2]))
        return FALSE;
      p += 3;
    }
  if (*p == '@')
    {
      for (n = 0, p++; g_ascii_islower (*p); p++)
        n++;
      if (n < 1 || n > 8)
        return FALSE;
    }
  return *p == '\0';
}

/* One language's text: not empty, no control character, at most max_chars. */
static gboolean
check_text (const char    *text,
            guint          max_chars,
            const Reader  *r,
            const char    *where,
            GError       **error)
{
  glong n = g_utf8_strlen (text, -1);

  if (n == 0)
    return refuse (error, r, where, _("an empty text; accepted: 1 to %u characters"), max_chars);
  if ((gulong) n > max_chars)
    return refuse (error, r, where, _("%ld characters; accepted: at most %u"), n, max_chars);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return refuse (error, r, where, _("a control character (U+%04X); accepted: text on one line"), c);
    }
  return TRUE;
}

/* A localised text: a string (untranslated) or an object of language ->
 * string with "en". */
static LabLessonText *
read_text (JsonNode      *node,
           guint          max_chars,
           const Reader  *r,
           const char    *where,
           GError       **error)
{
  g_autoptr(LabLessonText) t = g_new0 (LabLessonText, 1);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!check_text (json_node_get_string (node), max_chars, r, where, error))
        return NULL;
      lesson_text_add (t, "en", json_node_get_string (node));
      return g_steal_pointer (&t);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (error, r, where, node, _("a string, or an object of language codes and strings"));
      return NULL;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  if (json_object_get_size (object) > RNN_LESSON_LANGUAGES_MAX)
    {
      refuse (error, r, where, _("%u languages; accepted: at most %d"),
              json_object_get_size (object), RNN_LESSON_LANGUAGES_MAX);
      return NULL;
    }
  if (!json_object_has_member (object, "en"))
    {
      refuse (error, r, where, _("no English text; accepted: an object with “en” and any other languages"));
      return NULL;
    }
  /* "en" first, then the others in the file's order. */
  for (GList *l = members; l != NULL; l = l->next)
    if (g_str_equal (l->data, "en"))
      {
        members = g_list_remove_link (members, l);
        members = g_list_concat (l, members);
        break;
      }
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *lang = l->data;
      JsonNode *value = json_object_get_member (object, lang);
      g_autofree char *at = place (where, lang);

      if (!is_language_code (lang))
        {
          refuse (error, r, at, _("not a language code; accepted: codes such as en, zh_CN, pt_BR"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          wrong_type (error, r, at, value, _("a string"));
          return NULL;
        }
      if (!check_text (json_node_get_string (value), max_chars, r, at, error))
        return NULL;
      lesson_text_add (t, lang, json_node_get_string (value));
    }
  return g_steal_pointer (&t);
}

/* An integer member in [lo, hi]. */
static gboolean
read_int (JsonNode      *node,
          gint64         lo,
          gint64         hi,
          gint64        *out,
          const Reader  *r,
          const char    *where,
          GError       **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (error, r, where, node, _("a whole number"));
  *out = json_node_get_int (node);
  if (*out < lo || *out > hi)
    /* A format macro inside _() would cut the message short for the
     * translators: long long is at least 64 bits. */
    return refuse (error, r, where, _("%lld is out of range; accepted: %lld to %lld"),
                   (long long) *out, (long long) lo, (long long) hi);
  return TRUE;
}

/* A settings value as JSON text; FALSE for a list, an object or null. */
static gboolean
append_value (GString  *s,
              JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (s, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    case G_TYPE_DOUBLE:
      /* The shortest text that reads back as the same double. */
      v = json_node_get_double (node);
      g_ascii_formatd (buf, sizeof buf, "%.15g", v);
      if (g_ascii_strtod (buf, NULL) != v)
        g_ascii_formatd (buf, sizeof buf, "%.17g", v);
      g_string_append (s, buf);
      return TRUE;
    case G_TYPE_BOOLEAN:
      g_string_append (s, json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    case G_TYPE_STRING:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (s, text);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* Settings: the step's object, then a compare entry's changes (over, NULL
 * for none, skipping "label"), as one flat JSON object's text; checked by
 * the caller's check. *epochs gets "epochs" when it is a whole number, -1
 * otherwise. */
static char *
model_settings (JsonObject    *base,
                JsonObject    *over,
                gint64        *epochs,
                const Reader  *r,
                const char    *where,
                GError       **error)
{
  g_autoptr(GString) s = g_string_new ("{");
  g_autoptr(GList) base_keys = json_object_get_members (base);
  g_autoptr(GList) over_keys = over != NULL ? json_object_get_members (over) : NULL;
  gboolean first = TRUE;

  *epochs = -1;
  for (int pass = 0; pass < 2; pass++)
    for (GList *l = pass == 0 ? base_keys : over_keys; l != NULL; l = l->next)
      {
        const char *key = l->data;
        JsonNode *node;
        g_autofree char *quoted_key = NULL;
        g_autoptr(JsonNode) key_node = NULL;

        if (pass == 1 && g_str_equal (key, "label"))
          continue;
        /* The base's value unless the entry changes it; the entry's own keys after. */
        if (pass == 0)
          node = over != NULL && json_object_has_member (over, key) ? json_object_get_member (over, key)
                                                                     : json_object_get_member (base, key);
        else if (json_object_has_member (base, key))
          continue;
        else
          node = json_object_get_member (over, key);

        key_node = json_node_init_string (json_node_alloc (), key);
        quoted_key = json_to_string (key_node, FALSE);
        g_string_append_printf (s, "%s%s: ", first ? "" : ", ", quoted_key);
        first = FALSE;
        if (!append_value (s, node))
          {
            g_autofree char *at = place (where, key);

            wrong_type (error, r, at, node, _("a number, a string, true or false"));
            return NULL;
          }
        if (g_str_equal (key, "epochs") && JSON_NODE_HOLDS_VALUE (node)
            && json_node_get_value_type (node) == G_TYPE_INT64)
          *epochs = json_node_get_int (node);
      }
  g_string_append (s, "}");

  if (r->check != NULL)
    {
      g_autofree char *full = g_strdup_printf ("%s: %s", r->name, where);

      if (!r->check (full, r->folder != NULL ? r->folder : ".", s->str, s->len, r->user_data, error))
        return NULL;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
read_views (JsonNode       *node,
            LabLessonStep  *step,
            const Reader   *r,
            const char     *where,
            GError        **error)
{
  g_autofree char *accepted = g_strjoinv (", ", (char **) view_names);
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (error, r, where, node, _("a list of views"));
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < 1 || n > LAB_LESSON_N_VIEWS)
    return refuse (error, r, where, _("%u views; accepted: 1 to %d of %s"), n, LAB_LESSON_N_VIEWS, accepted);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *v = json_array_get_element (array, i);
      g_autofree char *quoted = NULL;
      int found = -1;

      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
        return wrong_type (error, r, where, v, accepted);
      for (int k = 0; k < LAB_LESSON_N_VIEWS; k++)
        if (g_str_equal (json_node_get_string (v), view_names[k]))
          found = k;
      quoted = lab_text_sanitize (json_node_get_string (v), -1);
      if (found < 0)
        return refuse (error, r, where, _("“%s” is not a view; accepted: %s"), quoted, accepted);
      for (guint k = 0; k < step->n_views; k++)
        if ((int) step->views[k] == found)
          return refuse (error, r, where, _("“%s” is named twice; accepted: each view once"), quoted);
      step->views[step->n_views++] = (LabLessonView) found;
    }
  return TRUE;
}

static gboolean
read_show (JsonNode       *node,
           LabLessonStep  *step,
           const Reader   *r,
           const char     *where,
           GError        **error)
{
  static const char *const keys[] = { "settings", "compare", "views", "play-to-epoch", "select-window", NULL };
  g_autofree char *settings_at = place (where, "settings");
  JsonObject *show, *settings;
  gint64 epochs_max = RNN_LESSON_EPOCH_MAX;
  gint64 v;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, r, where, node, _("an object"));
  show = json_node_get_object (node);
  if (!check_keys (show, keys, r, where, error)
      || !require (show, "settings", r, where, error)
      || !require (show, "views", r, where, error))
    return FALSE;

  node = json_object_get_member (show, "settings");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, r, settings_at, node, _("an object of settings, as in settings.json"));
  settings = json_node_get_object (node);

  if (json_object_has_member (show, "compare"))
    {
      g_autofree char *compare_at = place (where, "compare");
      JsonArray *compare;

      node = json_object_get_member (show, "compare");
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return wrong_type (error, r, compare_at, node, _("a list of models"));
      compare = json_node_get_array (node);
      if (json_array_get_length (compare) < RNN_LESSON_COMPARE_MIN
          || json_array_get_length (compare) > RNN_LESSON_COMPARE_MAX)
        return refuse (error, r, compare_at, _("%u models; accepted: %d to %d"),
                       json_array_get_length (compare), RNN_LESSON_COMPARE_MIN, RNN_LESSON_COMPARE_MAX);

      for (guint i = 0; i < json_array_get_length (compare); i++)
        {
          JsonNode *entry = json_array_get_element (compare, i);
          LabLessonModel *model = &step->models[step->n_models];
          g_autofree char *at = g_strdup_printf ("%s %u", compare_at, i + 1);
          g_autofree char *label_at = place (at, "label");
          gint64 epochs;

          if (!JSON_NODE_HOLDS_OBJECT (entry))
            return wrong_type (error, r, at, entry, _("an object: a label and the settings it changes"));
          if (!require (json_node_get_object (entry), "label", r, at, error))
            return FALSE;
          model->label = read_text (json_object_get_member (json_node_get_object (entry), "label"),
                                    RNN_LESSON_TITLE_MAX, r, label_at, error);
          if (model->label == NULL)
            return FALSE;
          model->settings = model_settings (settings, json_node_get_object (entry), &epochs, r, at, error);
          if (model->settings == NULL)
            return FALSE;
          step->n_models++;
          if (epochs >= 0)
            epochs_max = MIN (epochs_max, epochs);
        }
    }
  else
    {
      gint64 epochs;

      step->models[0].settings = model_settings (settings, NULL, &epochs, r, settings_at, error);
      if (step->models[0].settings == NULL)
        return FALSE;
      step->n_models = 1;
      if (epochs >= 0)
        epochs_max = MIN (epochs_max, epochs);
    }

  {
    g_autofree char *views_at = place (where, "views");

    if (!read_views (json_object_get_member (show, "views"), step, r, views_at, error))
      return FALSE;
  }

  step->play_to_epoch = 0;
  if (json_object_has_member (show, "play-to-epoch"))
    {
      g_autofree char *at = place (where, "play-to-epoch");

      /* At most the epochs every model trains for. */
      if (!read_int (json_object_get_member (show, "play-to-epoch"), 0, epochs_max, &v, r, at, error))
        return FALSE;
      step->play_to_epoch = (int) v;
    }
  step->select_window = -1;
  if (json_object_has_member (show, "select-window"))
    {
      g_autofree char *at = place (where, "select-window");

      if (!read_int (json_object_get_member (show, "select-window"), 0, RNN_POINTS_MAX - 1, &v, r, at, error))
        return FALSE;
      step->select_window = (int) v;
    }
  return TRUE;
}

static gboolean
read_step (JsonNode       *node,
           LabLessonStep  *step,
           const Reader   *r,
           const char     *where,
           GError        **error)
{
  static const char *const keys[] = { "title", "text", "question", "show", NULL };
  struct { const char *key; LabLessonText **out; guint max; } texts[] = {
    { "title", &step->title, RNN_LESSON_TITLE_MAX },
    { "text", &step->text, RNN_LESSON_TEXT_MAX },
    { "question", &step->question, RNN_LESSON_QUESTION_MAX },
  };
  g_autofree char *show_at = place (where, "show");
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, r, where, node, _("an object: title, text, question and show"));
  object = json_node_get_object (node);
  if (!check_keys (object, keys, r, where, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *at = place (where, texts[i].key);

      if (!require (object, texts[i].key, r, where, error))
        return FALSE;
      *texts[i].out = read_text (json_object_get_member (object, texts[i].key), texts[i].max, r, at, error);
      if (*texts[i].out == NULL)
        return FALSE;
    }
  if (!require (object, "show", r, where, error))
    return FALSE;
  return read_show (json_object_get_member (object, "show"), step, r, show_at, error);
}

static gboolean
is_lesson_id (const char *id)
{
  gsize n = strlen (id);

  if (n == 0 || n > RNN_LESSON_ID_MAX)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
      return FALSE;
  return TRUE;
}

/* A whole lesson file's root object. */
static LabLesson *
read_lesson (JsonObject    *root,
             const Reader  *r,
             GError       **error)
{
  static const char *const keys[] = { "format", "version", "id", "title", "summary", "steps", NULL };
  static const char *const required[] = { "format", "version", "id", "title", "steps" };
  g_autoptr(LabLesson) lesson = g_new0 (LabLesson, 1);
  JsonNode *node;
  JsonArray *steps;
  const char *id;
  gint64 version;
  guint n;

  if (!check_keys (root, keys, r, NULL, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!require (root, required[i], r, NULL, error))
      return NULL;

  node = json_object_get_member (root, "format");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_str_equal (json_node_get_string (node), LAB_LESSON_FORMAT))
    {
      refuse (error, r, "format", _("not a lesson; accepted: “%s”"), LAB_LESSON_FORMAT);
      return NULL;
    }
  if (!read_int (json_object_get_member (root, "version"), LAB_LESSON_VERSION, LAB_LESSON_VERSION,
                 &version, r, "version", error))
    return NULL;

  node = json_object_get_member (root, "id");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      wrong_type (error, r, "id", node, _("a string"));
      return NULL;
    }
  id = json_node_get_string (node);
  if (!is_lesson_id (id))
    {
      g_autofree char *quoted = lab_text_sanitize (id, -1);

      refuse (error, r, "id", _("“%s”; accepted: 1 to %d of a-z, 0-9 and -"), quoted, RNN_LESSON_ID_MAX);
      return NULL;
    }
  lesson->id = g_strdup (id);

  lesson->title = read_text (json_object_get_member (root, "title"), RNN_LESSON_TITLE_MAX, r, "title", error);
  if (lesson->title == NULL)
    return NULL;
  if (json_object_has_member (root, "summary"))
    {
      lesson->summary = read_text (json_object_get_member (root, "summary"), RNN_LESSON_TEXT_MAX,
                                   r, "summary", error);
      if (lesson->summary == NULL)
        return NULL;
    }

  node = json_object_get_member (root, "steps");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type (error, r, "steps", node, _("a list of steps"));
      return NULL;
    }
  steps = json_node_get_array (node);
  n = json_array_get_length (steps);
  if (n < 1 || n > RNN_LESSON_STEPS_MAX)
    {
      refuse (error, r, "steps", _("%u steps; accepted: 1 to %d"), n, RNN_LESSON_STEPS_MAX);
      return NULL;
    }
  lesson->steps = g_new0 (LabLessonStep, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *at = g_strdup_printf (_("step %u"), i + 1);

      /* Counted as they are read, so that a failure frees what was read. */
      lesson->n_steps = i + 1;
      if (!read_step (json_array_get_element (steps, i), &lesson->steps[i], r, at, error))
        return NULL;
    }
  return g_steal_pointer (&lesson);
}

/* ---- An exported lesson folder's settings.json -------------------------- */

/* A lesson id from a folder's name: lower case, anything else a '-'. */
static char *
id_from_name (const char *name)
{
  GString *s = g_string_new (NULL);

  for (const char *p = name; *p && s->len < RNN_LESSON_ID_MAX; p++)
    {
      char c = g_ascii_tolower (*p);

      g_string_append_c (s, g_ascii_isalnum (c) ? c : '-');
    }
  if (s->len == 0)
    g_string_append (s, "lesson");
  return g_string_free (s, FALSE);
}

static LabLessonText *
text_en_zh (const char *en,
            const char *zh)
{
  LabLessonText *t = g_new0 (LabLessonText, 1);

  lesson_text_add (t, "en", en);
  if (zh != NULL)
    lesson_text_add (t, "zh_CN", zh);
  return t;
}

/* One step: the exported run's settings, played to the epoch it was
 * exported at, in the views it exported. */
static LabLesson *
lesson_from_settings (JsonObject    *root,
                      const char    *text,
                      gsize          len,
                      const char    *title,
                      const Reader  *r,
                      GError       **error)
{
  g_autoptr(LabLesson) lesson = g_new0 (LabLesson, 1);
  g_autofree char *quoted_title = lab_text_sanitize (title, -1);
  LabLessonStep *step;
  JsonNode *epochs;

  if (r->check != NULL
      && !r->check (r->name, r->folder != NULL ? r->folder : ".", text, len, r->user_data, error))
    return NULL;

  lesson->id = id_from_name (title);
  lesson->title = text_en_zh (quoted_title, NULL);
  lesson->summary = text_en_zh ("A lesson folder exported by RNN Lab: its run, ready to replay.",
                                "由 RNN Lab 导出的课程文件夹：其中的训练可以重新播放。");
  lesson->n_steps = 1;
  lesson->steps = g_new0 (LabLessonStep, 1);
  step = &lesson->steps[0];
  step->title = text_en_zh (quoted_title, NULL);
  step->text = text_en_zh ("These are the settings this lesson was exported with. "
                           "Show me trains the same network again, up to the epoch that was exported.",
                           "这些是导出本课程时的设置。“演示”会重新训练同一个网络，直到导出时的训练轮次。");
  step->question = text_en_zh ("Before it plays: what do you expect the loss to do?",
                               "播放之前先想一想：损失会怎样变化？");
  step->n_models = 1;
  step->models[0].settings = g_strndup (text, len);
  step->views[step->n_views++] = LAB_LESSON_VIEW_FORECAST;
  step->views[step->n_views++] = LAB_LESSON_VIEW_LOSS;
  step->views[step->n_views++] = LAB_LESSON_VIEW_HIDDEN;
  epochs = json_object_get_member (root, "epochs");
  step->play_to_epoch = 0;
  if (epochs != NULL && JSON_NODE_HOLDS_VALUE (epochs) && json_node_get_value_type (epochs) == G_TYPE_INT64
      && json_node_get_int (epochs) >= 0 && json_node_get_int (epochs) <= RNN_LESSON_EPOCH_MAX)
    step->play_to_epoch = (int) json_node_get_int (epochs);
  step->select_window = -1;
  return g_steal_pointer (&lesson);
}

/* ---- Loading ------------------------------------------------------------- */

/* A settings.json is passed on as it is written (a seed may be up to
 * 2^64 - 1); a lesson's settings are written again from what json-glib
 * read, so its integers must fit in 64 bits. */
static const LabJsonLimits file_limits = {
  .max_depth = RNN_LESSON_FILE_DEPTH_MAX,
  .max_values = RNN_LESSON_FILE_VALUES_MAX,
  .flags = LAB_JSON_FLAGS_NONE,
};
static const LabJsonLimits lesson_limits = {
  .max_depth = RNN_LESSON_FILE_DEPTH_MAX,
  .max_values = RNN_LESSON_FILE_VALUES_MAX,
  .flags = LAB_JSON_INT64,
};

/* text: a lesson, or an exported settings.json (then title names its lesson). */
static LabLesson *
load_text (const Reader  *r,
           const char    *text,
           gsize          len,
           const char    *title,
           GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *format;

  if (len > RNN_LESSON_FILE_MAX)
    {
      refuse (error, r, NULL, _("%lu bytes; accepted: a lesson of at most %d bytes"),
              (unsigned long) len, RNN_LESSON_FILE_MAX);
      return NULL;
    }
  root = lab_json_parse (text, len, &file_limits, NULL, &local);
  if (root == NULL)
    {
      refuse (error, r, NULL, "%s", local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      refuse (error, r, NULL, _("not a lesson; accepted: a JSON object with \"format\": \"%s\""),
              LAB_LESSON_FORMAT);
      return NULL;
    }
  object = json_node_get_object (root);
  format = json_object_get_member (object, "format");
  if (title != NULL && format != NULL && JSON_NODE_HOLDS_VALUE (format)
      && json_node_get_value_type (format) == G_TYPE_STRING
      && g_str_equal (json_node_get_string (format), SETTINGS_FORMAT))
    return lesson_from_settings (object, text, len, title, r, error);
  if (!lab_json_check (text, len, &lesson_limits, &local))
    {
      refuse (error, r, NULL, "%s", local->message);
      return NULL;
    }
  return read_lesson (object, r, error);
}

LabLesson *
lab_lesson_load_text (const char              *name,
                      const char              *folder,
                      const char              *text,
                      gsize                    len,
                      LabLessonCheckSettings   check,
                      gpointer                 user_data,
                      GError                 **error)
{
  g_autofree char *quoted = NULL;
  LabLesson *lesson;
  Reader r;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  quoted = lab_text_sanitize_full (name, -1, NAME_QUOTE_MAX);
  r = (Reader) { quoted, folder, check, user_data };
  lesson = load_text (&r, text, len, NULL, error);
  if (lesson != NULL)
    lesson->folder = g_strdup (folder);
  return lesson;
}

/* A file: a lesson, or an exported settings.json (named after its folder). */
static LabLesson *
load_file (const char              *path,
           LabLessonCheckSettings   check,
           gpointer                 user_data,
           GError                 **error)
{
  g_autofree char *quoted = lab_text_sanitize_full (path, -1, NAME_QUOTE_MAX);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *folder_name = g_path_get_basename (folder);
  g_autoptr(GBytes) bytes = NULL;
  Reader r = { quoted, folder, check, user_data };
  LabLesson *lesson;
  gsize len;
  const char *text;

  bytes = lab_file_read (path, RNN_LESSON_FILE_MAX, _("a lesson"), error);
  if (bytes == NULL)
    {
      g_prefix_error (error, "%s: ", quoted);
      return NULL;
    }
  text = g_bytes_get_data (bytes, &len);
  lesson = load_text (&r, text, len, folder_name, error);
  if (lesson != NULL)
    lesson->folder = g_steal_pointer (&folder);
  return lesson;
}

LabLesson *
lab_lesson_load_path (const char              *path,
                      LabLessonCheckSettings   check,
                      gpointer                 user_data,
                      GError                 **error)
{
  const char *inside[] = { "lesson.json", "settings.json" };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return load_file (path, check, user_data, error);

  for (guint i = 0; i < G_N_ELEMENTS (inside); i++)
    {
      g_autofree char *file = g_build_filename (path, inside[i], NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        return load_file (file, check, user_data, error);
    }
  {
    g_autofree char *quoted = lab_text_sanitize_full (path, -1, NAME_QUOTE_MAX);

    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("%s: a folder without a lesson; accepted: a folder with lesson.json or "
                   "settings.json (as “Export lesson” writes)"), quoted);
  }
  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GStrv
lab_lesson_builtin_list (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children (BUILTIN_FOLDER, 0, NULL);
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv list;
  guint n;

  n = names != NULL ? g_strv_length (names) : 0;
  if (n > 0)
    qsort (names, n, sizeof (char *), compare_strings);
  for (guint i = 0; i < n; i++)
    if (g_str_has_suffix (names[i], ".json"))
      {
        g_autofree char *path = g_strconcat (BUILTIN_FOLDER, names[i], NULL);

        g_strv_builder_add (b, path);
      }
  list = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return list;
}

LabLesson *
lab_lesson_load_builtin (const char              *resource,
                         LabLessonCheckSettings   check,
                         gpointer                 user_data,
                         GError                 **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  gsize len;
  const char *text;

  g_return_val_if_fail (resource != NULL, NULL);

  bytes = g_resources_lookup_data (resource, 0, error);
  if (bytes == NULL)
    return NULL;
  name = g_path_get_basename (resource);
  text = g_bytes_get_data (bytes, &len);
  return lab_lesson_load_text (name, NULL, text, len, check, user_data, error);
}

/* Writing a lesson: compared models */

/* {"en": english} and, when the user's language translates it, that
 * language's text too. */
static void
add_text (JsonBuilder *builder,
          const char  *member,
          const char  *english)
{
  const char *translated = _(english);
  const char *const *langs = g_get_language_names ();
  g_autofree char *lang = NULL;

  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "en");
  json_builder_add_string_value (builder, english);
  if (g_strcmp0 (translated, english) != 0 && langs[0] != NULL)
    {
      /* "zh_CN.UTF-8" and "zh_CN@x" as "zh_CN" */
      lang = g_strndup (langs[0], strcspn (langs[0], ".@"));
      if (*lang != '\0' && !g_str_equal (lang, "en") && !g_str_equal (lang, "C"))
        {
          json_builder_set_member_name (builder, lang);
          json_builder_add_string_value (builder, translated);
        }
    }
  json_builder_end_object (builder);
}

/* Every member of a settings.json but its format and version. */
static gboolean
add_settings_members (JsonBuilder  *builder,
                      GBytes       *settings,
                      GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (settings, &len);
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!json_parser_load_from_data (parser, text, (gssize) len, error))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      if (g_str_equal (key, "format") || g_str_equal (key, "version"))
        continue;
      json_builder_set_member_name (builder, key);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (object, key)));
    }
  return TRUE;
}

GBytes *
lab_lesson_compare_to_json (GBytes     **settings,
                            const char **labels,
                            guint        n_models,
                            int          epoch,
                            GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *views[] = { "forecast", "loss", "gradient" };
  gsize len;
  char *text;

  g_return_val_if_fail (n_models >= RNN_LESSON_COMPARE_MIN && n_models <= RNN_LESSON_COMPARE_MAX, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, LAB_LESSON_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, LAB_LESSON_VERSION);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "compared-models");
  add_text (builder, "title", N_("Compared models"));
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_text (builder, "title", N_("Side by side, from the same start"));
  add_text (builder, "text", N_("These models were trained side by side on the same series, from the same seed. "
                                "Show me trains them again to the epoch they were at."));
  add_text (builder, "question", N_("Which model learns the series best, and why?"));
  json_builder_set_member_name (builder, "show");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  if (!add_settings_members (builder, settings[0], error))
    return NULL;
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "compare");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_models; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "en");
      json_builder_add_string_value (builder, labels[i]);
      json_builder_end_object (builder);
      if (!add_settings_members (builder, settings[i], error))
        return NULL;
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "views");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    json_builder_add_string_value (builder, views[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "play-to-epoch");
  json_builder_add_int_value (builder, epoch);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}
