/* lab-run-settings.c: the settings of a run, as one immutable value. */
#include <math.h>
#include <string.h>

#include "core/lab-model-io.h"
#include "core/lab-run-settings.h"
#include "engine/series.h"

/* Initial weights shared by every settings value derived from one another
 * (a new learning rate keeps the weights it started from). */
typedef struct
{
  int   ref_count; /* atomic */
  gsize n;
  float data[];    /* (n) RnnModel layout */
} LabWeights;

static LabWeights *
weights_new (const float *data,
             gsize        n)
{
  LabWeights *w = g_malloc (sizeof *w + n * sizeof (float));

  w->ref_count = 1;
  w->n = n;
  memcpy (w->data, data, n * sizeof (float));
  return w;
}

static LabWeights *
weights_ref (LabWeights *w)
{
  if (w != NULL)
    g_atomic_int_inc (&w->ref_count);
  return w;
}

static void
weights_unref (LabWeights *w)
{
  if (w != NULL && g_atomic_int_dec_and_test (&w->ref_count))
    g_free (w);
}

/* The tutorial's weights, loaded once for the whole process (they are
 * embedded in the program) and kept; NULL if the build lacks them. */
static LabWeights *
tutorial_weights (void)
{
  static gsize once = 0;
  static LabWeights *tutorial = NULL;

  if (g_once_init_enter (&once))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabModel) model = lab_model_load_tutorial (&error);

      if (model != NULL)
        tutorial = weights_new (model->params, model->n_params);
      else
        g_warning ("The tutorial's initial weights are not available, starting from seed %d: %s",
                   LAB_TUTORIAL_SEED, error->message);
      g_once_init_leave (&once, 1);
    }
  return tutorial;
}

gboolean
lab_run_settings_wants_tutorial (const RnnConfig *config,
                                 guint64          seed)
{
  g_return_val_if_fail (config != NULL, FALSE);

  return seed == LAB_TUTORIAL_SEED && lab_config_is_tutorial_shape (config);
}

G_DEFINE_BOXED_TYPE (LabRunSettings, lab_run_settings,
                     lab_run_settings_ref, lab_run_settings_unref)

/* A copy of s (or a blank value), reference count 1. */
static LabRunSettings *
settings_copy (const LabRunSettings *s)
{
  LabRunSettings *copy = g_new0 (LabRunSettings, 1);

  /* Field by field: the reference count is another thread's to touch. */
  if (s != NULL)
    {
      copy->config = s->config;
      copy->seed = s->seed;
      copy->init = s->init;
      copy->init_params = s->init_params;
      copy->n_init_params = s->n_init_params;
      copy->weights = weights_ref (s->weights);
      copy->n_lr_changes = s->n_lr_changes;
      copy->lr_changes = g_memdup2 (s->lr_changes, s->n_lr_changes * sizeof (LabLrChange));
      copy->data = s->data != NULL ? lab_data_source_ref (s->data) : NULL;
    }
  copy->ref_count = 1;
  return copy;
}

static void
set_weights (LabRunSettings *s,
             LabInit         init,
             LabWeights     *weights)
{
  weights_unref (s->weights);
  s->init = init;
  s->weights = weights;
  s->init_params = weights != NULL ? weights->data : NULL;
  s->n_init_params = weights != NULL ? weights->n : 0;
}

/* The initial weights the rule gives for s's shape and seed. */
static void
choose_init (LabRunSettings *s)
{
  LabWeights *tutorial = NULL;

  if (lab_run_settings_wants_tutorial (&s->config, s->seed))
    tutorial = tutorial_weights ();
  if (tutorial != NULL && tutorial->n == lab_run_settings_get_n_params (s))
    set_weights (s, LAB_INIT_TUTORIAL, weights_ref (tutorial));
  else
    set_weights (s, LAB_INIT_SEED, NULL);
}

LabRunSettings *
lab_run_settings_new_seeded (const RnnConfig *config,
                             guint64          seed)
{
  LabRunSettings *s;

  g_return_val_if_fail (config != NULL, NULL);
  /* No values without their owner: lab_run_settings_with_data gives both. */
  g_return_val_if_fail (config->series != RNN_SERIES_DATA, NULL);

  s = settings_copy (NULL);
  s->config = *config;
  s->seed = seed;
  s->init = LAB_INIT_SEED;
  s->config.shuffle_seed = seed;
  s->config.values = NULL;
  return s;
}

LabRunSettings *
lab_run_settings_new (const RnnConfig *config,
                      guint64          seed)
{
  LabRunSettings *s;

  g_return_val_if_fail (config != NULL, NULL);

  s = lab_run_settings_new_seeded (config, seed);
  choose_init (s);
  return s;
}

LabRunSettings *
lab_run_settings_ref (LabRunSettings *settings)
{
  g_return_val_if_fail (settings != NULL, NULL);

  g_atomic_int_inc (&settings->ref_count);
  return settings;
}

void
lab_run_settings_unref (LabRunSettings *settings)
{
  g_return_if_fail (settings != NULL);

  if (g_atomic_int_dec_and_test (&settings->ref_count))
    {
      weights_unref (settings->weights);
      g_clear_pointer (&settings->data, lab_data_source_unref);
      g_free ((gpointer) settings->lr_changes);
      g_free (settings);
    }
}

gsize
lab_run_settings_get_n_params (const LabRunSettings *settings)
{
  g_return_val_if_fail (settings != NULL, 0);

  /* Input and output size 1: one value of the series in, one out. */
  return rnn_model_n_params (settings->config.cell, 1, settings->config.hidden_size, 1);
}

int
lab_run_settings_get_time_step_max (const LabRunSettings *settings)
{
  g_return_val_if_fail (settings != NULL, 0);

  return series_time_step_max (settings->config.n_points, settings->config.train_ratio);
}

void
lab_run_settings_get_split (const LabRunSettings *settings,
                            int                   time_step,
                            int                  *n_train,
                            int                  *n_test)
{
  int n_windows;

  g_return_if_fail (settings != NULL);

  *n_train = *n_test = 0;
  if (time_step < RNN_TIME_STEP_MIN || time_step > lab_run_settings_get_time_step_max (settings))
    return;
  n_windows = series_window_count (settings->config.n_points, time_step);
  *n_train = series_split_train (n_windows, settings->config.train_ratio);
  *n_test = n_windows - *n_train;
}

int
lab_run_settings_get_time_step_limit (const LabRunSettings *settings)
{
  int max;

  g_return_val_if_fail (settings != NULL, 0);

  max = lab_run_settings_get_time_step_max (settings);
  /* The window count falls as T grows: scan down from the longest. */
  for (int T = max; T >= RNN_TIME_STEP_MIN; T--)
    {
      int n_train, n_test;

      lab_run_settings_get_split (settings, T, &n_train, &n_test);
      if (n_train >= LAB_MIN_TRAIN_WINDOWS && n_test >= LAB_MIN_TEST_WINDOWS)
        return T;
    }
  return max;
}

double
lab_run_settings_lr_at (const LabRunSettings *settings,
                        int                   epoch)
{
  double lr;

  g_return_val_if_fail (settings != NULL, 0.0);

  lr = settings->config.lr;
  for (guint i = 0; i < settings->n_lr_changes && settings->lr_changes[i].epoch <= epoch; i++)
    lr = settings->lr_changes[i].lr;
  return lr;
}

double
lab_run_settings_get_last_lr (const LabRunSettings *settings)
{
  g_return_val_if_fail (settings != NULL, 0.0);

  if (settings->n_lr_changes == 0)
    return settings->config.lr;
  return settings->lr_changes[settings->n_lr_changes - 1].lr;
}

LabRunSettings *
lab_run_settings_with_lr (const LabRunSettings *settings,
                          int                   epoch,
                          double                lr)
{
  LabRunSettings *s;
  LabLrChange *changes;
  guint n = 0;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (isfinite (lr) && lr > 0.0, NULL);

  s = settings_copy (settings);
  changes = (LabLrChange *) s->lr_changes;
  if (epoch <= 1)
    {
      s->config.lr = lr;
    }
  else
    {
      /* keep the changes before epoch; a rate equal to the one in force
       * is no change */
      while (n < s->n_lr_changes && changes[n].epoch < epoch)
        n++;
      if (lab_run_settings_lr_at (s, epoch - 1) != lr)
        {
          changes = g_renew (LabLrChange, changes, n + 1);
          changes[n].epoch = epoch;
          changes[n].lr = lr;
          n++;
        }
    }
  s->lr_changes = changes;
  s->n_lr_changes = n;
  if (n == 0)
    g_clear_pointer ((gpointer *) &s->lr_changes, g_free);
  return s;
}

LabRunSettings *
lab_run_settings_restart (const LabRunSettings *settings)
{
  g_return_val_if_fail (settings != NULL, NULL);

  return lab_run_settings_with_lr (settings, 1, lab_run_settings_get_last_lr (settings));
}

LabRunSettings *
lab_run_settings_with_shape (const LabRunSettings *settings,
                             int                   hidden_size,
                             int                   time_step)
{
  LabRunSettings *s;

  g_return_val_if_fail (settings != NULL, NULL);

  s = lab_run_settings_restart (settings);
  s->config.hidden_size = hidden_size;
  s->config.time_step = time_step;
  choose_init (s);
  return s;
}

LabRunSettings *
lab_run_settings_with_cell (const LabRunSettings *settings,
                            RnnCell               cell,
                            double                clip_grad_norm)
{
  LabRunSettings *s;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (cell >= 0 && cell < RNN_N_CELLS, NULL);
  g_return_val_if_fail (clip_grad_norm >= 0, NULL);

  s = lab_run_settings_restart (settings);
  s->config.clip_grad_norm = clip_grad_norm;
  /* Clipping alone keeps the initial weights (an opened file's too). */
  if (cell != s->config.cell)
    {
      s->config.cell = cell;
      choose_init (s);
    }
  return s;
}

LabRunSettings *
lab_run_settings_with_seed (const LabRunSettings *settings,
                            guint64               seed)
{
  LabRunSettings *s;

  g_return_val_if_fail (settings != NULL, NULL);

  s = lab_run_settings_restart (settings);
  s->seed = seed;
  s->config.shuffle_seed = seed;
  choose_init (s);
  return s;
}

LabRunSettings *
lab_run_settings_with_data (const LabRunSettings *settings,
                            const RnnConfig      *config,
                            LabDataSource        *source)
{
  LabRunSettings *s;
  RnnConfig *c;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail ((config->series == RNN_SERIES_DATA) == (source != NULL), NULL);

  s = lab_run_settings_restart (settings);
  c = &s->config;
  c->n_points = config->n_points;
  c->period = config->period;
  c->train_ratio = config->train_ratio;
  c->optimizer = config->optimizer;
  c->series = config->series;
  c->period2 = config->period2;
  c->decay = config->decay;
  c->burst = config->burst;
  c->noise = config->noise;
  c->series_seed = config->series_seed;
  c->normalize = config->normalize;
  c->batch_size = config->batch_size;
  c->shuffle = config->shuffle;
  c->shuffle_seed = s->seed;
  g_clear_pointer (&s->data, lab_data_source_unref);
  c->values = NULL;
  if (source != NULL)
    {
      s->data = lab_data_source_ref (source);
      c->values = source->values;
      c->n_points = source->n_values;
      c->period = 0.0;
    }
  /* An opened model file keeps its weights: the shape did not change. */
  if (s->init != LAB_INIT_FILE)
    choose_init (s);
  return s;
}

LabRunSettings *
lab_run_settings_with_params (const LabRunSettings *settings,
                              int                   hidden_size,
                              const float          *params,
                              gsize                 n_params)
{
  LabRunSettings *s;

  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  if (n_params != lab_model_param_count (1, hidden_size, 1))
    return NULL;
  s = lab_run_settings_restart (settings);
  s->config.hidden_size = hidden_size;
  set_weights (s, LAB_INIT_FILE, weights_new (params, n_params));
  return s;
}

const char *
lab_cell_label (RnnCell cell)
{
  static const char *labels[RNN_N_CELLS] = { "RNN", "LSTM", "GRU" };

  g_return_val_if_fail (cell >= 0 && cell < RNN_N_CELLS, NULL);

  return labels[cell];
}

const char *
lab_init_to_string (LabInit init)
{
  switch (init)
    {
    case LAB_INIT_TUTORIAL:
      return "tutorial";
    case LAB_INIT_SEED:
      return "seed";
    case LAB_INIT_FILE:
      return "file";
    default:
      g_return_val_if_reached ("seed");
    }
}

char *
lab_format_double (char   *buf,
                   double  value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  /* %.17g always reads back the same; a shorter one usually does too. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

static void
append_double (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, lab_format_double (buf, v));
}

#define SETTINGS_FORMAT "rnn-lab-settings"

static void
append_string (GString    *s,
               const char *key,
               const char *value)
{
  g_autofree char *escaped = g_strescape (value, NULL);

  g_string_append_printf (s, "  \"%s\": \"%s\",\n", key, escaped);
}

static void
append_number (GString    *s,
               const char *key,
               double      value)
{
  g_string_append_printf (s, "  \"%s\": ", key);
  append_double (s, value);
  g_string_append (s, ",\n");
}

/* The series' keys (lab_run_settings_to_json), each line ending ",\n". */
static void
append_series (GString              *s,
               const LabRunSettings *settings)
{
  const RnnConfig *c = &settings->config;
  RnnNormalize usual = RNN_NORMALIZE_NONE;

  if (settings->data != NULL && settings->data->real != NULL)
    {
      append_string (s, "series", settings->data->name);
      usual = RNN_NORMALIZE_MINMAX;
    }
  else if (settings->data != NULL)
    {
      append_string (s, "csv", LAB_LESSON_SERIES_CSV);
      append_string (s, "column", settings->data->column);
      append_string (s, "missing", lab_csv_missing_to_string (settings->data->missing));
      usual = RNN_NORMALIZE_MINMAX;
    }
  else
    {
      if (c->series != RNN_SERIES_SINE)
        append_string (s, "series", series_kind_name (c->series));
      g_string_append_printf (s, "  \"points\": %d,\n", c->n_points);
      append_number (s, "period", c->period);
      if (c->series == RNN_SERIES_SUM)
        append_number (s, "period2", c->period2);
      if (c->series == RNN_SERIES_DAMPED)
        append_number (s, "decay", c->decay);
      if (c->series == RNN_SERIES_PATTERN && c->burst > 0)
        g_string_append_printf (s, "  \"burst\": %d,\n", c->burst);
      if (c->noise != 0.0)
        append_number (s, "noise", c->noise);
      if (c->series_seed != 0)
        g_string_append_printf (s, "  \"series-seed\": %" G_GUINT64_FORMAT ",\n", c->series_seed);
    }
  if (c->normalize != usual)
    append_string (s, "normalize", series_normalize_name (c->normalize));
}

GBytes *
lab_run_settings_to_json (const LabRunSettings *settings,
                          int                   epochs,
                          const char           *init_weights)
{
  const RnnConfig *c;
  GString *s;
  gboolean any = FALSE;

  g_return_val_if_fail (settings != NULL, NULL);

  c = &settings->config;
  s = g_string_new ("{\n");
  g_string_append_printf (s, "  \"format\": \"%s\",\n  \"version\": 1,\n", SETTINGS_FORMAT);
  g_string_append_printf (s, "  \"hidden-size\": %d,\n", c->hidden_size);
  g_string_append_printf (s, "  \"time-step\": %d,\n", c->time_step);
  g_string_append_printf (s, "  \"cell\": \"%s\",\n", rnn_cell_name (c->cell));
  if (c->clip_grad_norm > 0)
    {
      g_string_append (s, "  \"clip-grad-norm\": ");
      append_double (s, c->clip_grad_norm);
      g_string_append (s, ",\n");
    }
  g_string_append (s, "  \"lr\": ");
  append_double (s, c->lr);
  for (guint i = 0; i < settings->n_lr_changes && settings->lr_changes[i].epoch <= epochs; i++)
    {
      g_string_append_printf (s, "%s{ \"epoch\": %d, \"lr\": ",
                              any ? ", " : ",\n  \"lr-changes\": [ ",
                              settings->lr_changes[i].epoch);
      append_double (s, settings->lr_changes[i].lr);
      g_string_append (s, " }");
      any = TRUE;
    }
  if (any)
    g_string_append (s, " ]");
  g_string_append_printf (s, ",\n  \"optimizer\": \"%s\",\n",
                          c->optimizer == RNN_OPTIMIZER_SGD ? "sgd" : "adam");
  g_string_append_printf (s, "  \"epochs\": %d,\n", epochs);
  append_series (s, settings);
  g_string_append (s, "  \"train-ratio\": ");
  append_double (s, c->train_ratio);
  if (c->batch_size > 0)
    g_string_append_printf (s, ",\n  \"batch-size\": %d", c->batch_size);
  if (c->shuffle)
    g_string_append (s, ",\n  \"shuffle\": true");
  g_string_append_printf (s, ",\n  \"seed\": %" G_GUINT64_FORMAT ",\n", settings->seed);
  g_string_append_printf (s, "  \"init\": \"%s\"", lab_init_to_string (settings->init));
  if (settings->init == LAB_INIT_FILE && init_weights != NULL)
    {
      g_autofree char *escaped = g_strescape (init_weights, NULL);

      g_string_append_printf (s, ",\n  \"init-weights\": \"%s\"", escaped);
    }
  g_string_append (s, "\n}\n");

  return g_string_free_to_bytes (s);
}
