/* lab-lesson-settings.c: a lesson step's settings as a run's settings. */
#include <math.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "core/lab-lesson.h"
#include "core/lab-lesson-settings.h"
#include "core/lab-real-series.h"
#include "core/lab-run-settings.h"

/* Keys that set nothing the window's run holds: how often the command
 * line prints, and "init" (no seed means the tutorial's weights here too). */
static const char * const ignored_keys[] = { "log-every", "init", "format", "version", NULL };

static gboolean
refuse (GError     **error,
        const char  *key,
        const char  *problem)
{
  g_set_error (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID,
               /* Translators: "settings: csv: a series file is not opened by a lesson in the window; ..." */
               _("settings: %s: %s"), key, problem);
  return FALSE;
}

static gboolean
is_number (JsonNode *node)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
is_type (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* "lr-changes": [{"epoch": 37, "lr": 0.003}, ...], already checked whole
 * by the loader (the command line's check); here only their shape. */
static gboolean
read_lr_changes (JsonNode  *node,
                 GArray   **changes,
                 GError   **error)
{
  JsonArray *array;
  int last = 1;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return refuse (error, "lr-changes", _("not a list; accepted: [{\"epoch\": 2 or more, \"lr\": a rate}, ...]"));
  array = json_node_get_array (node);
  g_clear_pointer (changes, g_array_unref);
  *changes = g_array_new (FALSE, FALSE, sizeof (LabLrChange));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *change = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *epoch = change != NULL ? json_object_get_member (change, "epoch") : NULL;
      JsonNode *lr = change != NULL ? json_object_get_member (change, "lr") : NULL;
      LabLrChange c;

      if (epoch == NULL || !is_type (epoch, G_TYPE_INT64) || lr == NULL || !is_number (lr))
        return refuse (error, "lr-changes", _("accepted: {\"epoch\": an integer, \"lr\": a number}"));
      c.epoch = (int) CLAMP (json_node_get_int (epoch), G_MININT, G_MAXINT);
      c.lr = json_node_get_double (lr);
      if (c.epoch <= last || !isfinite (c.lr) || c.lr <= 0)
        return refuse (error, "lr-changes", _("epochs must increase from 2 and rates be positive"));
      g_array_append_val (*changes, c);
      last = c.epoch;
    }
  return TRUE;
}

gboolean
lab_lesson_settings_parse (const char         *text,
                           gsize               len,
                           LabLessonSettings  *settings,
                           GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  g_autofree char *real_series = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *column = NULL;
  g_autofree char *init_weights = NULL;
  g_autoptr(GArray) lr_changes = NULL;
  gboolean has_period = FALSE, has_period2 = FALSE, has_normalize = FALSE;
  LabLessonSettings s = { 0 };
  JsonObject *object;

  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return refuse (error, "{}", _("not a JSON object of settings; accepted: the keys of settings.json"));

  rnn_config_init_default (&s.config);
  s.seed = LAB_TUTORIAL_SEED;
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      RnnConfig *c = &s.config;

      if (g_strv_contains (ignored_keys, key))
        continue;
      if (g_str_equal (key, "series") || g_str_equal (key, "optimizer") || g_str_equal (key, "cell")
          || g_str_equal (key, "normalize"))
        {
          const char *name = is_type (node, G_TYPE_STRING) ? json_node_get_string (node) : "";
          int kind;

          if (g_str_equal (key, "series"))
            {
              kind = series_kind_from_name (name);
              if (kind >= 0 && kind != RNN_SERIES_DATA)
                c->series = (RnnSeriesKind) kind;
              else if (lab_real_series_lookup (name) != NULL)
                {
                  c->series = RNN_SERIES_DATA;
                  g_free (real_series);
                  real_series = g_strdup (name);
                }
              else
                return refuse (error, key, _("not a series the app knows"));
            }
          else if (g_str_equal (key, "optimizer"))
            {
              if (g_str_equal (name, "adam"))
                c->optimizer = RNN_OPTIMIZER_ADAM;
              else if (g_str_equal (name, "sgd"))
                c->optimizer = RNN_OPTIMIZER_SGD;
              else
                return refuse (error, key, _("not adam or sgd"));
            }
          else if (g_str_equal (key, "cell"))
            {
              if (rnn_cell_from_name (name, &c->cell) < 0)
                return refuse (error, key, _("not rnn, lstm or gru"));
            }
          else
            {
              kind = series_normalize_from_name (name);
              if (kind < 0)
                return refuse (error, key, _("not a scaling the app knows"));
              c->normalize = (RnnNormalize) kind;
              has_normalize = TRUE;
            }
          continue;
        }
      if (g_str_equal (key, "shuffle") || g_str_equal (key, "baselines"))
        {
          if (!is_type (node, G_TYPE_BOOLEAN))
            return refuse (error, key, _("not true or false"));
          if (g_str_equal (key, "shuffle"))
            c->shuffle = json_node_get_boolean (node);
          else
            s.baselines = json_node_get_boolean (node);
          continue;
        }
      if (g_str_equal (key, "csv") || g_str_equal (key, "column") || g_str_equal (key, "missing")
          || g_str_equal (key, "init-weights"))
        {
          const char *value = is_type (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;

          if (value == NULL)
            return refuse (error, key, _("not a text"));
          if (g_str_equal (key, "missing"))
            {
              if (g_str_equal (value, "refuse"))
                s.missing = LAB_CSV_MISSING_REFUSE;
              else if (g_str_equal (value, "interpolate"))
                s.missing = LAB_CSV_MISSING_INTERPOLATE;
              else
                return refuse (error, key, _("not refuse or interpolate"));
            }
          else
            {
              char **field = g_str_equal (key, "csv") ? &csv
                             : g_str_equal (key, "column") ? &column : &init_weights;

              g_free (*field);
              *field = g_strdup (value);
            }
          continue;
        }
      if (g_str_equal (key, "lr-changes"))
        {
          if (!read_lr_changes (node, &lr_changes, error))
            return FALSE;
          continue;
        }
      if (!is_number (node))
        return refuse (error, key, _("not a number"));

      if (g_str_equal (key, "hidden-size"))
        c->hidden_size = (int) json_node_get_int (node);
      else if (g_str_equal (key, "time-step"))
        c->time_step = (int) json_node_get_int (node);
      else if (g_str_equal (key, "lr"))
        c->lr = json_node_get_double (node);
      else if (g_str_equal (key, "epochs"))
        s.epochs = (int) json_node_get_int (node);
      else if (g_str_equal (key, "points"))
        c->n_points = (int) json_node_get_int (node);
      else if (g_str_equal (key, "period"))
        {
          c->period = json_node_get_double (node);
          has_period = TRUE;
        }
      else if (g_str_equal (key, "period2"))
        {
          c->period2 = json_node_get_double (node);
          has_period2 = TRUE;
        }
      else if (g_str_equal (key, "decay"))
        c->decay = json_node_get_double (node);
      else if (g_str_equal (key, "noise"))
        c->noise = json_node_get_double (node);
      else if (g_str_equal (key, "series-seed"))
        c->series_seed = (guint64) json_node_get_int (node);
      else if (g_str_equal (key, "batch-size"))
        c->batch_size = (int) json_node_get_int (node);
      else if (g_str_equal (key, "train-ratio"))
        c->train_ratio = json_node_get_double (node);
      else if (g_str_equal (key, "seed"))
        s.seed = (guint64) json_node_get_int (node);
      else if (g_str_equal (key, "clip-grad-norm"))
        c->clip_grad_norm = json_node_get_double (node);
      else if (g_str_equal (key, "burst"))
        c->burst = (int) json_node_get_int (node);
      else if (g_str_equal (key, "forecast-steps"))
        s.forecast_steps = (int) json_node_get_int (node);
      else
        return refuse (error, key, _("not a setting the window knows"));
    }

  /* As the command line: a real series has no period and is scaled to
   * [0, 1]; a sum's second period is a quarter of the first. */
  if (csv != NULL && real_series != NULL)
    return refuse (error, "csv", _("a lesson step has a series or a CSV file, not both"));
  if (csv == NULL && (column != NULL))
    return refuse (error, "column", _("only with csv"));
  if (csv != NULL)
    {
      if (has_period)
        return refuse (error, "period", _("only for a generated series"));
      s.config.series = RNN_SERIES_DATA;
      s.config.period = 0.0;
      if (!has_normalize)
        s.config.normalize = RNN_NORMALIZE_MINMAX;
    }
  else if (real_series != NULL)
    {
      if (has_period)
        return refuse (error, "period", _("only for a generated series"));
      s.config.period = 0.0;
      if (!has_normalize)
        s.config.normalize = RNN_NORMALIZE_MINMAX;
    }
  else
    {
      /* As the command line: the period is the number of points unless given. */
      if (!has_period)
        s.config.period = s.config.n_points;
      if (!has_period2)
        s.config.period2 = s.config.period / 4.0;
    }

  s.real_series = g_steal_pointer (&real_series);
  s.csv = g_steal_pointer (&csv);
  s.column = g_steal_pointer (&column);
  s.init_weights = g_steal_pointer (&init_weights);
  if (lr_changes != NULL && lr_changes->len > 0)
    {
      s.n_lr_changes = lr_changes->len;
      s.lr_changes = (LabLrChange *) (void *) g_array_free (g_steal_pointer (&lr_changes), FALSE);
    }
  *settings = s;
  return TRUE;
}

void
lab_lesson_settings_clear (LabLessonSettings *settings)
{
  g_clear_pointer (&settings->real_series, g_free);
  g_clear_pointer (&settings->csv, g_free);
  g_clear_pointer (&settings->column, g_free);
  g_clear_pointer (&settings->init_weights, g_free);
  g_clear_pointer (&settings->lr_changes, g_free);
  settings->n_lr_changes = 0;
}

char *
lab_lesson_settings_command (const char *text,
                             gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  GString *command = g_string_new ("rnn-lab --headless");
  JsonObject *object;

  if (!json_parser_load_from_data (parser, text, (gssize) len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_string_free (command, FALSE);

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (!JSON_NODE_HOLDS_VALUE (node) || g_strv_contains (ignored_keys, key))
        continue;
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          if (json_node_get_boolean (node))
            g_string_append_printf (command, " --%s", key);
          break;
        case G_TYPE_INT64:
          g_string_append_printf (command, " --%s %" G_GINT64_FORMAT, key, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          g_string_append_printf (command, " --%s %s", key,
                                  lab_format_double (buf, json_node_get_double (node)));
          break;
        case G_TYPE_STRING:
          {
            g_autofree char *quoted = g_shell_quote (json_node_get_string (node));
            const char *value = json_node_get_string (node);
            gboolean plain = value[0] != '\0';

            for (const char *p = value; *p != '\0'; p++)
              plain = plain && (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.');
            g_string_append_printf (command, " --%s %s", key, plain ? value : quoted);
          }
          break;
        default:
          break;
        }
    }
  return g_string_free (command, FALSE);
}
