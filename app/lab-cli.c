/* lab-cli.c: the headless run.
 *
 * Every option is checked (strictly: the whole text must be a number in its
 * range) and every input file read before training starts; a bad one gets a
 * single line on stderr and exit status 2. Outputs are written after
 * training, each to a temporary file renamed into place, so a failure (exit
 * status 1) leaves no half-written file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include <json-glib/json-glib.h>

#include "engine/series.h"
#include "engine/session.h"
#include "plots/lab-plots.h"

#include "app/lab-cli.h"
#include "plots/lab-export.h"
#include "core/lab-model-io.h"

#ifdef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE_OR_NULL GETTEXT_PACKAGE
#else
#define GETTEXT_PACKAGE_OR_NULL NULL
#endif

#define CLI_ERROR (cli_error_quark ())
static G_DEFINE_QUARK (lab-cli-error-quark, cli_error)

typedef enum
{
  CLI_ERROR_USAGE, /* exit status 2 */
  CLI_ERROR_IO,    /* exit status 1 */
} CliError;

#define EPOCHS_MAX       1000000
#define LR_MAX           10.0
#define EXPORT_WIDTH     1200
#define EXPORT_HEIGHT    700
#define EXPORT_WIDTH_MIN 1000
#define EXPORT_HEIGHT_MIN 600
#define EXPORT_SIDE_MAX  8000

/* The options as typed; NULL when not given. */
typedef struct
{
  gboolean  headless;
  char     *hidden_size;
  char     *lr;
  char     *time_step;
  char     *epochs;
  char     *points;
  char     *period;
  char     *train_ratio;
  char     *seed;
  char     *log_every;
  char     *optimizer;
  char     *cell;
  char     *export_width;
  char     *export_height;
  char     *init_weights;
  char     *save_weights;
  char     *loss_csv;
  char     *predictions_csv;
  char     *export_png;
  char     *export_svg;
  char     *export_pdf;
  char     *settings;
  const char *source;      /* the settings file these came from; NULL: the command line */
} CliOptions;

/* The checked run. */
typedef struct
{
  RnnConfig config;
  int       epochs;
  int       log_every;
  gboolean  seed_given;
  guint64   seed;
  int       export_width;
  int       export_height;
  LabModel *init_model;
} CliRun;

static void
cli_options_clear (CliOptions *o)
{
  char **strings[] = {
    &o->hidden_size, &o->lr, &o->time_step, &o->epochs, &o->points, &o->period,
    &o->train_ratio, &o->seed, &o->log_every, &o->optimizer, &o->export_width,
    &o->export_height, &o->init_weights, &o->save_weights, &o->loss_csv,
    &o->predictions_csv, &o->export_png, &o->export_svg, &o->export_pdf, &o->settings,
    &o->cell,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
}

/* ---- Strict number parsing --------------------------------------------- */

/* "1 to 256": the accepted range of an integer option. */
static char *
int_range (gint64 lo,
           gint64 hi)
{
  g_autofree char *lo_text = g_strdup_printf ("%" G_GINT64_FORMAT, lo);
  g_autofree char *hi_text = g_strdup_printf ("%" G_GINT64_FORMAT, hi);

  /* TRANSLATORS: a range of accepted values, "1 to 256" */
  return g_strdup_printf (_("%s to %s"), lo_text, hi_text);
}

static gboolean
out_of_range (const char  *option,
              const char  *text,
              const char  *accepted,
              GError     **error)
{
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               _("%s: %s is out of range; accepted: %s"), option, text, accepted);
  return FALSE;
}

static gboolean
parse_int (const char  *option,
           const char  *text,
           gint64       lo,
           gint64       hi,
           gint64      *out,
           GError     **error)
{
  g_autofree char *accepted = NULL;
  char *end = NULL;
  gint64 v;

  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (text[0] == '\0' || g_ascii_isspace (text[0]) || end == text || *end != '\0')
    {
      accepted = int_range (lo, hi);
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: “%s” is not an integer; accepted: %s"), option, text, accepted);
      return FALSE;
    }
  if (errno == ERANGE || v < lo || v > hi)
    {
      accepted = int_range (lo, hi);
      return out_of_range (option, text, accepted, error);
    }
  *out = v;
  return TRUE;
}

/* A finite number; accepted describes the range for the message. */
static gboolean
parse_double (const char  *option,
              const char  *text,
              const char  *accepted,
              double      *out,
              GError     **error)
{
  char *end = NULL;
  double v;

  v = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || g_ascii_isspace (text[0]) || end == text || *end != '\0'
      || !isfinite (v) || strchr (text, 'x') != NULL || strchr (text, 'X') != NULL)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: “%s” is not a number; accepted: %s"), option, text, accepted);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* How a message names a setting: "--hidden-size" on the command line,
 * "lesson/settings.json: hidden-size" in a settings file. */
static const char *
opt (const CliOptions *o,
     const char       *option)
{
  g_autofree char *label = NULL;

  if (o->source == NULL)
    return option;
  label = g_strdup_printf ("%s: %s", o->source, option + 2);
  return g_intern_string (label);
}

static gboolean
check_options (const CliOptions  *o,
               CliRun            *run,
               GError           **error)
{
  RnnConfig *cfg = &run->config;
  g_autofree char *lr_range = g_strdup_printf (_("greater than 0, at most %g"), LR_MAX);
  gint64 v;
  int t_max;

  rnn_config_init_default (cfg);
  run->epochs = 200;
  run->log_every = 10;
  run->export_width = EXPORT_WIDTH;
  run->export_height = EXPORT_HEIGHT;

  if (o->hidden_size != NULL)
    {
      if (!parse_int (opt (o, "--hidden-size"), o->hidden_size, LAB_HIDDEN_SIZE_MIN, LAB_HIDDEN_SIZE_MAX, &v, error))
        return FALSE;
      cfg->hidden_size = (int) v;
    }

  if (o->lr != NULL)
    {
      if (!parse_double (opt (o, "--lr"), o->lr, lr_range, &cfg->lr, error))
        return FALSE;
      if (!(cfg->lr > 0.0 && cfg->lr <= LR_MAX))
        return out_of_range (opt (o, "--lr"), o->lr, lr_range, error);
    }

  if (o->epochs != NULL)
    {
      if (!parse_int (opt (o, "--epochs"), o->epochs, 1, EPOCHS_MAX, &v, error))
        return FALSE;
      run->epochs = (int) v;
    }

  if (o->log_every != NULL)
    {
      if (!parse_int (opt (o, "--log-every"), o->log_every, 0, run->epochs, &v, error))
        return FALSE;
      run->log_every = (int) v;
    }

  if (o->points != NULL)
    {
      if (!parse_int (opt (o, "--points"), o->points, RNN_POINTS_MIN, RNN_POINTS_MAX, &v, error))
        return FALSE;
      cfg->n_points = (int) v;
    }

  cfg->period = cfg->n_points;
  if (o->period != NULL)
    {
      const char *accepted = _("a number greater than 0");

      if (!parse_double (opt (o, "--period"), o->period, accepted, &cfg->period, error))
        return FALSE;
      if (!(cfg->period > 0.0))
        return out_of_range (opt (o, "--period"), o->period, accepted, error);
    }

  if (o->train_ratio != NULL)
    {
      const char *accepted = _("greater than 0 and less than 1");

      if (!parse_double (opt (o, "--train-ratio"), o->train_ratio, accepted, &cfg->train_ratio, error))
        return FALSE;
      if (!(cfg->train_ratio > 0.0 && cfg->train_ratio < 1.0))
        return out_of_range (opt (o, "--train-ratio"), o->train_ratio, accepted, error);
    }

  /* The time step and the ratio together must leave a train and a test window. */
  t_max = series_time_step_max (cfg->n_points, cfg->train_ratio);
  if (t_max < RNN_TIME_STEP_MIN)
    {
      char ratio_text[G_ASCII_DTOSTR_BUF_SIZE];

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--train-ratio: %s leaves no train window for %d points; "
                     "accepted: a larger ratio, less than 1"),
                   o->train_ratio ? o->train_ratio
                                  : g_ascii_formatd (ratio_text, sizeof ratio_text, "%g", cfg->train_ratio),
                   cfg->n_points);
      return FALSE;
    }
  if (o->time_step != NULL)
    {
      if (!parse_int (opt (o, "--time-step"), o->time_step, RNN_TIME_STEP_MIN, t_max, &v, error))
        return FALSE;
      cfg->time_step = (int) v;
    }
  else if (cfg->time_step > t_max)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--time-step: the default %d is too long for %d points; "
                     "accepted: %d to %d"),
                   cfg->time_step, cfg->n_points, RNN_TIME_STEP_MIN, t_max);
      return FALSE;
    }

  if (o->seed != NULL)
    {
      guint64 seed;

      if (o->seed[0] == '-' || o->seed[0] == '+'
          || !g_ascii_string_to_unsigned (o->seed, 10, 0, G_MAXUINT64, &seed, NULL))
        {
          g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, G_MAXUINT64);
          /* TRANSLATORS: a range of accepted values, "1 to 256" */
          g_autofree char *accepted = g_strdup_printf (_("%s to %s"), "0", max);

          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       _("%s: “%s” is not an unsigned integer; accepted: %s"),
                       opt (o, "--seed"), o->seed, accepted);
          return FALSE;
        }
      run->seed = seed;
      run->seed_given = TRUE;
    }

  if (o->optimizer != NULL)
    {
      if (g_strcmp0 (o->optimizer, "adam") == 0)
        cfg->optimizer = RNN_OPTIMIZER_ADAM;
      else if (g_strcmp0 (o->optimizer, "sgd") == 0)
        cfg->optimizer = RNN_OPTIMIZER_SGD;
      else
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       _("%s: “%s” is not an optimizer; accepted: adam, sgd"),
                       opt (o, "--optimizer"), o->optimizer);
          return FALSE;
        }
    }

  if (o->cell != NULL && rnn_cell_from_name (o->cell, &cfg->cell) != 0)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: not a cell; accepted: rnn, lstm, gru"), opt (o, "--cell"));
      return FALSE;
    }

  if (o->export_width != NULL)
    {
      if (!parse_int (opt (o, "--export-width"), o->export_width, EXPORT_WIDTH_MIN, EXPORT_SIDE_MAX, &v, error))
        return FALSE;
      run->export_width = (int) v;
    }
  if (o->export_height != NULL)
    {
      if (!parse_int (opt (o, "--export-height"), o->export_height, EXPORT_HEIGHT_MIN, EXPORT_SIDE_MAX, &v, error))
        return FALSE;
      run->export_height = (int) v;
    }

  return TRUE;
}

/* ---- A lesson's settings.json ------------------------------------------ */

#define SETTINGS_FORMAT "rnn-lab-settings"
#define SETTINGS_INIT_WEIGHTS_DEFAULT "initial-model.json"

/* The keys of settings.json: the command line's option names. */
static const char *settings_keys[] = {
  "format", "version", "hidden-size", "time-step", "lr", "optimizer", "epochs",
  "points", "period", "train-ratio", "seed", "log-every", "init", "init-weights",
};

static gboolean
settings_error (GError     **error,
                const char  *path,
                const char  *key,
                const char  *problem)
{
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--settings: %s: %s: %s", path, key, problem);
  return FALSE;
}

/* The value of a key as the text an option would have: numbers in the C
 * locale, each double as the shortest text that reads back the same. */
static char *
settings_value_text (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      v = json_node_get_double (node);
      g_ascii_formatd (buf, sizeof buf, "%.15g", v);
      if (g_ascii_strtod (buf, NULL) != v)
        g_ascii_formatd (buf, sizeof buf, "%.17g", v);
      return g_strdup (buf);
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return NULL;
    }
}

/* Reads a settings file (rnn-lab's "Export lesson" writes one) into s, as
 * if its values had been typed as options; init-weights is relative to the
 * file's folder. Every value is checked as its option would be. */
static gboolean
read_settings (const char  *path,
               CliOptions  *s,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *init = NULL;
  g_autofree char *init_weights = NULL;
  g_autofree char *accepted = NULL;
  JsonObject *object;
  JsonNode *root;
  GList *members;
  CliRun check = { 0 };
  gboolean ok = TRUE;

  if (!json_parser_load_from_file (parser, path, &local))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--settings: %s: %s", path, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--settings: %s: not a settings file; accepted: a JSON object such as "
                     "“Export lesson” writes"), path);
      return FALSE;
    }
  object = json_node_get_object (root);
  s->source = path;

  accepted = g_strjoinv (", ", (char **) settings_keys);
  members = json_object_get_members (object);
  for (GList *l = members; ok && l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *text = NULL;
      g_autofree char *problem = NULL;
      char **field = NULL;

      if (!g_strv_contains (settings_keys, key))
        {
          problem = g_strdup_printf (_("unknown key; accepted: %s"), accepted);
          ok = settings_error (error, path, key, problem);
          break;
        }
      text = settings_value_text (json_object_get_member (object, key));
      if (text == NULL)
        {
          ok = settings_error (error, path, key, _("not a number or a string"));
          break;
        }

      if (g_str_equal (key, "format"))
        {
          if (!g_str_equal (text, SETTINGS_FORMAT))
            {
              problem = g_strdup_printf (_("“%s”; accepted: %s"), text, SETTINGS_FORMAT);
              ok = settings_error (error, path, key, problem);
            }
          continue;
        }
      if (g_str_equal (key, "version"))
        {
          if (!g_str_equal (text, "1"))
            {
              problem = g_strdup_printf (_("%s; accepted: 1"), text);
              ok = settings_error (error, path, key, problem);
            }
          continue;
        }

      if (g_str_equal (key, "hidden-size")) field = &s->hidden_size;
      else if (g_str_equal (key, "time-step")) field = &s->time_step;
      else if (g_str_equal (key, "lr")) field = &s->lr;
      else if (g_str_equal (key, "optimizer")) field = &s->optimizer;
      else if (g_str_equal (key, "epochs")) field = &s->epochs;
      else if (g_str_equal (key, "points")) field = &s->points;
      else if (g_str_equal (key, "period")) field = &s->period;
      else if (g_str_equal (key, "train-ratio")) field = &s->train_ratio;
      else if (g_str_equal (key, "seed")) field = &s->seed;
      else if (g_str_equal (key, "log-every")) field = &s->log_every;
      else if (g_str_equal (key, "init")) field = &init;
      else if (g_str_equal (key, "init-weights")) field = &init_weights;
      g_assert (field != NULL);
      g_free (*field);
      *field = g_steal_pointer (&text);
    }
  g_list_free (members);
  if (!ok)
    return FALSE;

  /* Where the initial weights come from: the tutorial's (the default for
   * its shape), the engine's generator from the seed, or a model file. */
  if (init == NULL)
    init = g_strdup (init_weights != NULL ? "file" : s->seed != NULL ? "seed" : "tutorial");
  if (g_str_equal (init, "tutorial"))
    {
      g_clear_pointer (&s->seed, g_free);
    }
  else if (g_str_equal (init, "seed"))
    {
      if (s->seed == NULL)
        return settings_error (error, path, "seed", _("missing; “init” is “seed”, so a seed is needed"));
    }
  else if (g_str_equal (init, "file"))
    {
      g_autofree char *dir = g_path_get_dirname (path);

      g_clear_pointer (&s->seed, g_free);
      if (init_weights == NULL)
        init_weights = g_strdup (SETTINGS_INIT_WEIGHTS_DEFAULT);
      s->init_weights = g_path_is_absolute (init_weights) ? g_steal_pointer (&init_weights)
                                                           : g_build_filename (dir, init_weights, NULL);
    }
  else
    {
      g_autofree char *problem = g_strdup_printf (_("“%s”; accepted: tutorial, seed, file"), init);

      return settings_error (error, path, "init", problem);
    }

  /* Each value as its option would be checked, named by its key. */
  return check_options (s, &check, error);
}

/* Options typed on the command line win over the settings file's. */
static void
merge_settings (CliOptions *o,
                CliOptions *s)
{
  char **mine[] = {
    &o->hidden_size, &o->lr, &o->time_step, &o->epochs, &o->points, &o->period,
    &o->train_ratio, &o->seed, &o->log_every, &o->optimizer, &o->init_weights,
  };
  char **theirs[] = {
    &s->hidden_size, &s->lr, &s->time_step, &s->epochs, &s->points, &s->period,
    &s->train_ratio, &s->seed, &s->log_every, &s->optimizer, &s->init_weights,
  };

  /* A seed typed on the command line asks for the generator's weights. */
  if (o->seed != NULL)
    g_clear_pointer (&s->init_weights, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (mine); i++)
    if (*mine[i] == NULL)
      *mine[i] = g_steal_pointer (theirs[i]);
}

/* An output must go into an existing folder: known before training, so a
 * typo in a path does not cost a whole run. */
static gboolean
check_output (const char  *option,
              const char  *path,
              GError     **error)
{
  g_autofree char *dir = NULL;

  if (path == NULL)
    return TRUE;
  if (path[0] == '\0')
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: the file name is empty"), option);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_IO,
                   _("%s: %s: is a folder, not a file"), option, path);
      return FALSE;
    }
  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_IO,
                   _("%s: %s: the folder %s does not exist"), option, path, dir);
      return FALSE;
    }
  return TRUE;
}

/* Reads --init-weights; the hidden size and the cell come from the file
 * unless --hidden-size or --cell was given, and must then match it. */
static gboolean
load_init_weights (const CliOptions  *o,
                   CliRun            *run,
                   GError           **error)
{
  g_autoptr(LabModel) model = NULL;

  if (o->init_weights == NULL)
    return TRUE;

  model = lab_model_load_file (o->init_weights, error);
  if (model == NULL
      || (o->hidden_size != NULL
          && !lab_model_check_hidden_size (model, run->config.hidden_size, "--hidden-size", error)))
    {
      g_prefix_error (error, "--init-weights: %s: ", o->init_weights);
      return FALSE;
    }
  if (model->hidden_size < LAB_HIDDEN_SIZE_MIN || model->hidden_size > LAB_HIDDEN_SIZE_MAX)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--init-weights: %s: hidden size %d is out of range; accepted: %d to %d"),
                   o->init_weights, model->hidden_size, LAB_HIDDEN_SIZE_MIN, LAB_HIDDEN_SIZE_MAX);
      return FALSE;
    }
  if (o->cell != NULL && model->cell != run->config.cell)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--init-weights: %s: the file's cell is %s, --cell is %s"),
                   o->init_weights, rnn_cell_name (model->cell), rnn_cell_name (run->config.cell));
      return FALSE;
    }
  run->config.hidden_size = model->hidden_size;
  run->config.cell = model->cell;
  run->init_model = g_steal_pointer (&model);
  return TRUE;
}

/* ---- Outputs ----------------------------------------------------------- */

typedef struct
{
  const RnnDataset *data;
  const float      *predictions;
  int               epochs;
} ForecastFigure;

static void
draw_forecast_cb (cairo_t  *cr,
                  int       width,
                  int       height,
                  gpointer  user_data)
{
  const ForecastFigure *figure = user_data;
  g_autofree char *title = NULL;
  LabPlotStyle style;
  LabForecastData data = {
    .n_points = figure->data->n_points,
    .series = figure->data->series,
    .time_step = figure->data->T,
    .n_windows = figure->data->N,
    .n_train = figure->data->n_train,
    .predictions = figure->predictions,
    .selected = -1,
  };

  title = g_strdup_printf (_("Sine wave and the RNN's predictions after %d epochs"), figure->epochs);
  data.title = title;
  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  lab_forecast_plot_draw (cr, width, height, &data, &style);
}

/* Reports an output that could not be written (one line); FALSE then. */
static gboolean
report_output (const char *option,
               const char *path,
               gboolean    ok,
               GError     *error)
{
  if (ok)
    return TRUE;
  g_printerr ("rnn-lab: %s: %s: %s\n", option, path, error->message);
  return FALSE;
}

static gboolean
write_outputs (const CliOptions *o,
               const CliRun     *run,
               RnnSession       *session,
               const float      *predictions,
               const float      *train_loss,
               const float      *test_loss)
{
  const RnnDataset *data = rnn_session_dataset (session);
  RnnModel *m = rnn_session_model (session);
  ForecastFigure figure = { data, predictions, run->epochs };
  struct { const char *option; const char *path; LabExportFormat format; } figures[] = {
    { "--export-png", o->export_png, LAB_EXPORT_PNG },
    { "--export-svg", o->export_svg, LAB_EXPORT_SVG },
    { "--export-pdf", o->export_pdf, LAB_EXPORT_PDF },
  };
  gboolean all_ok = TRUE;

  if (o->save_weights != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabModel) model = lab_model_new_from_params (m->I, m->H, m->O, m->params, m->n_params);
      gboolean ok = model != NULL && lab_model_save_file (model, o->save_weights, &error);

      if (model == NULL)
        g_set_error (&error, CLI_ERROR, CLI_ERROR_IO, _("the model has an unexpected size"));
      all_ok &= report_output ("--save-weights", o->save_weights, ok, error);
    }

  if (o->loss_csv != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = lab_export_loss_csv (o->loss_csv, run->epochs, train_loss, test_loss, &error);

      all_ok &= report_output ("--loss-csv", o->loss_csv, ok, error);
    }

  if (o->predictions_csv != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = lab_export_predictions_csv (o->predictions_csv, data->series, data->n_points,
                                                data->T, predictions, data->N, data->n_train,
                                                &error);

      all_ok &= report_output ("--predictions-csv", o->predictions_csv, ok, error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (figures[i].path == NULL)
        continue;
      ok = lab_export_draw_to_file (figures[i].path, figures[i].format,
                                    run->export_width, run->export_height,
                                    draw_forecast_cb, &figure, &error);
      all_ok &= report_output (figures[i].option, figures[i].path, ok, error);
    }

  return all_ok;
}

/* ---- The run ----------------------------------------------------------- */

static void
print_value_line (const char *label,
                  const char *format,
                  double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The C locale's decimal point whatever the user's locale: the lines are
   * the tutorial's, and scripts read them. */
  printf ("%s%s\n", label, g_ascii_formatd (buf, sizeof buf, format, value));
}

static int
train_and_write (const CliOptions *o,
                 CliRun           *run)
{
  g_autofree float *train_loss = NULL;
  g_autofree float *test_loss = NULL;
  g_autofree float *predictions = NULL;
  RnnSession *session;
  RnnStatus status = RNN_OK;
  float train_mse, test_mse;
  int exit_status = LAB_CLI_EXIT_OK;

  session = rnn_session_new (&run->config, &status);
  if (session == NULL)
    {
      if (status == RNN_ERR_SHAPE)
        {
          g_printerr ("rnn-lab: %s\n", _("these settings leave no train or no test window"));
          return LAB_CLI_EXIT_USAGE;
        }
      g_printerr ("rnn-lab: %s\n", _("not enough memory for this model and series"));
      return LAB_CLI_EXIT_IO;
    }

  if (run->init_model == NULL && !run->seed_given && lab_config_is_tutorial_shape (&run->config))
    {
      g_autoptr(GError) error = NULL;

      run->init_model = lab_model_load_tutorial (&error);
      if (run->init_model == NULL)
        {
          /* Only a broken build gets here. */
          g_printerr ("rnn-lab: %s: %s\n", _("the tutorial's weights"), error->message);
          rnn_session_free (session);
          return LAB_CLI_EXIT_IO;
        }
    }

  if (run->init_model != NULL)
    status = rnn_session_set_params (session, run->init_model->params, run->init_model->n_params);
  else
    rnn_session_init_seed (session, run->seed);
  if (status != RNN_OK)
    {
      g_printerr ("rnn-lab: --init-weights: %s\n", _("the weights do not fit this model"));
      rnn_session_free (session);
      return LAB_CLI_EXIT_USAGE;
    }

  train_loss = g_new (float, run->epochs);
  test_loss = g_new (float, run->epochs);
  predictions = g_new (float, rnn_session_dataset (session)->N);

  for (int epoch = 1; epoch <= run->epochs; epoch++)
    {
      float loss = 0.0f;

      /* The test loss of the weights this epoch's forward pass uses. */
      if (o->loss_csv != NULL)
        rnn_session_evaluate (session, NULL, NULL, &test_loss[epoch - 1]);
      else
        test_loss[epoch - 1] = NAN;

      status = rnn_session_train_epoch (session, &loss, NULL);
      train_loss[epoch - 1] = loss;
      if (status != RNN_OK)
        {
          fflush (stdout);
          if (status == RNN_ERR_NONFINITE)
            g_printerr (_("rnn-lab: the loss became NaN or infinite at epoch %d; "
                          "try a smaller --lr\n"), epoch);
          else
            g_printerr (_("rnn-lab: training failed at epoch %d\n"), epoch);
          rnn_session_free (session);
          return LAB_CLI_EXIT_IO;
        }

      if (run->log_every > 0 && epoch % run->log_every == 0)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          printf ("Epoch [%d/%d], Loss: %s\n", epoch, run->epochs,
                  g_ascii_formatd (buf, sizeof buf, "%.4f", (double) loss));
        }
    }

  rnn_session_evaluate (session, predictions, &train_mse, &test_mse);
  print_value_line ("Train MSE: ", "%.3e", train_mse);
  print_value_line ("Test MSE: ", "%.3e", test_mse);
  fflush (stdout);

  if (!write_outputs (o, run, session, predictions, train_loss, test_loss))
    exit_status = LAB_CLI_EXIT_IO;

  rnn_session_free (session);
  return exit_status;
}

static int
fail (GError *error)
{
  int status = LAB_CLI_EXIT_USAGE;

  if (error->domain == G_FILE_ERROR || error->domain == G_IO_ERROR
      || g_error_matches (error, CLI_ERROR, CLI_ERROR_IO))
    status = LAB_CLI_EXIT_IO;
  g_printerr ("rnn-lab: %s\n", error->message);
  return status;
}

int
lab_cli_run (int    argc,
             char **argv)
{
  CliOptions o = { 0 };
  CliRun run = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &o.headless,
      N_("Train without a window (this mode)"), NULL },
    { "hidden-size", 0, 0, G_OPTION_ARG_STRING, &o.hidden_size,
      N_("Hidden units, 1 to 256 [50]"), N_("H") },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &o.lr,
      N_("Learning rate, greater than 0, at most 10 [0.01]"), N_("RATE") },
    { "time-step", 0, 0, G_OPTION_ARG_STRING, &o.time_step,
      N_("Window length [10]"), N_("T") },
    { "epochs", 0, 0, G_OPTION_ARG_STRING, &o.epochs,
      N_("Epochs to train, 1 to 1000000 [200]"), N_("N") },
    { "points", 0, 0, G_OPTION_ARG_STRING, &o.points,
      N_("Points of the sine series [100]"), N_("N") },
    { "period", 0, 0, G_OPTION_ARG_STRING, &o.period,
      N_("Period of the sine, in points [the point count]"), N_("P") },
    { "train-ratio", 0, 0, G_OPTION_ARG_STRING, &o.train_ratio,
      N_("Share of the windows used for training [0.7]"), N_("R") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed,
      N_("Initialise with the engine's generator from this seed [the tutorial's weights, else 0]"), N_("N") },
    { "log-every", 0, 0, G_OPTION_ARG_STRING, &o.log_every,
      N_("Print the loss every N epochs, 0 for never [10]"), N_("N") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &o.optimizer,
      N_("adam or sgd [adam]"), N_("NAME") },
    { "cell", 0, 0, G_OPTION_ARG_STRING, &o.cell,
      N_("rnn, lstm or gru [rnn]; other than rnn, the weights start from the seed"), N_("NAME") },
    { "init-weights", 0, 0, G_OPTION_ARG_FILENAME, &o.init_weights,
      N_("Start from the weights in this model file"), N_("FILE") },
    { "save-weights", 0, 0, G_OPTION_ARG_FILENAME, &o.save_weights,
      N_("Save the trained model to this file"), N_("FILE") },
    { "loss-csv", 0, 0, G_OPTION_ARG_FILENAME, &o.loss_csv,
      N_("Write epoch,train_loss,test_loss to this file"), N_("FILE") },
    { "predictions-csv", 0, 0, G_OPTION_ARG_FILENAME, &o.predictions_csv,
      N_("Write index,actual,prediction,split to this file"), N_("FILE") },
    { "export-png", 0, 0, G_OPTION_ARG_FILENAME, &o.export_png,
      N_("Draw the forecast figure to this PNG file"), N_("FILE") },
    { "export-svg", 0, 0, G_OPTION_ARG_FILENAME, &o.export_svg,
      N_("Draw the forecast figure to this SVG file"), N_("FILE") },
    { "export-pdf", 0, 0, G_OPTION_ARG_FILENAME, &o.export_pdf,
      N_("Draw the forecast figure to this PDF file"), N_("FILE") },
    { "export-width", 0, 0, G_OPTION_ARG_STRING, &o.export_width,
      N_("Figure width, 1000 to 8000 [1200]"), N_("PIXELS") },
    { "export-height", 0, 0, G_OPTION_ARG_STRING, &o.export_height,
      N_("Figure height, 600 to 8000 [700]"), N_("PIXELS") },
    { "settings", 0, 0, G_OPTION_ARG_FILENAME, &o.settings,
      N_("Read the settings of a lesson (its settings.json); options given here win"), N_("FILE") },
    { NULL }
  };

  /* GOptionContext rearranges what it is given; keep argv as it was. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Train the tutorial's RNN on a sine wave without a window."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE_OR_NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE_OR_NULL);
  g_option_context_set_strict_posix (context, FALSE);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("rnn-lab: %s\n", error->message);
      cli_options_clear (&o);
      return LAB_CLI_EXIT_USAGE;
    }
  if (args[0] != NULL && args[1] != NULL)
    {
      g_printerr ("rnn-lab: %s “%s”; %s\n", _("unexpected argument"), args[1],
                  _("see rnn-lab --headless --help"));
      cli_options_clear (&o);
      return LAB_CLI_EXIT_USAGE;
    }

  if (o.settings != NULL)
    {
      CliOptions from_file = { 0 };
      gboolean ok = read_settings (o.settings, &from_file, &error);

      if (ok)
        merge_settings (&o, &from_file);
      cli_options_clear (&from_file);
      if (!ok)
        {
          status = fail (error);
          cli_options_clear (&o);
          return status;
        }
    }

  if (!check_options (&o, &run, &error)
      || !check_output ("--save-weights", o.save_weights, &error)
      || !check_output ("--loss-csv", o.loss_csv, &error)
      || !check_output ("--predictions-csv", o.predictions_csv, &error)
      || !check_output ("--export-png", o.export_png, &error)
      || !check_output ("--export-svg", o.export_svg, &error)
      || !check_output ("--export-pdf", o.export_pdf, &error)
      || !load_init_weights (&o, &run, &error))
    {
      status = fail (error);
      cli_options_clear (&o);
      return status;
    }

  status = train_and_write (&o, &run);
  lab_model_free (run.init_model);
  cli_options_clear (&o);
  return status;
}
