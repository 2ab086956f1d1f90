/* lab-compare.c: two or three runs side by side. */
#include <glib/gi18n.h>

#include "core/lab-compare.h"

struct _LabCompare
{
  GObject   parent_instance;

  LabRun   *runs[LAB_COMPARE_MAX_MODELS];  /* runs[0]: the first model */
  char     *labels[LAB_COMPARE_MAX_MODELS];
  gboolean  given[LAB_COMPARE_MAX_MODELS]; /* the label came from the caller */
  guint     n_models;
  guint     focus;
  gboolean  forwarding;                    /* a command is going to every model */
};

enum
{
  PROP_0,
  PROP_N_MODELS,
  PROP_FOCUS,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LabCompare, lab_compare, G_TYPE_OBJECT)

G_DEFINE_FLAGS_TYPE (LabCompareChange, lab_compare_change,
  G_DEFINE_ENUM_VALUE (LAB_COMPARE_CHANGE_SHOWN, "shown"),
  G_DEFINE_ENUM_VALUE (LAB_COMPARE_CHANGE_LOSS, "loss"),
  G_DEFINE_ENUM_VALUE (LAB_COMPARE_CHANGE_STATE, "state"))

/* Labels */

static const char *
optimizer_label (RnnOptimizerKind optimizer)
{
  return optimizer == RNN_OPTIMIZER_SGD ? "SGD" : "Adam";
}

GStrv
lab_compare_make_labels (LabRunSettings **settings,
                         guint            n)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean lr = FALSE, time_step = FALSE, optimizer = FALSE, clip = FALSE, hidden = FALSE;

  for (guint i = 1; i < n; i++)
    {
      const RnnConfig *a = &settings[0]->config, *b = &settings[i]->config;

      lr |= lab_run_settings_get_last_lr (settings[0]) != lab_run_settings_get_last_lr (settings[i]);
      time_step |= a->time_step != b->time_step;
      hidden |= a->hidden_size != b->hidden_size;
      optimizer |= a->optimizer != b->optimizer;
      clip |= a->clip_grad_norm != b->clip_grad_norm;
    }

  for (guint i = 0; i < n; i++)
    {
      const RnnConfig *c = &settings[i]->config;
      g_autoptr(GString) label = g_string_new (lab_cell_label (c->cell));
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      if (hidden)
        /* Translators: a compared model's hidden size, "LSTM · 24 units" */
        g_string_append_printf (label, _(" · %d units"), c->hidden_size);
      if (time_step)
        /* Translators: a compared model's time step, "T 10" */
        g_string_append_printf (label, _(" · T %d"), c->time_step);
      if (lr)
        {
          g_ascii_formatd (number, sizeof number, "%g", lab_run_settings_get_last_lr (settings[i]));
          /* Translators: a compared model's learning rate, "lr 0.01" */
          g_string_append_printf (label, _(" · lr %s"), number);
        }
      if (optimizer)
        g_string_append_printf (label, " · %s", optimizer_label (c->optimizer));
      if (clip)
        {
          if (c->clip_grad_norm > 0)
            {
              g_ascii_formatd (number, sizeof number, "%g", c->clip_grad_norm);
              /* Translators: a compared model's gradient clipping, "clip 1" */
              g_string_append_printf (label, _(" · clip %s"), number);
            }
          else
            g_string_append (label, _(" · no clipping"));
        }
      g_strv_builder_add (builder, label->str);
    }
  return g_strv_builder_end (builder);
}

static void
update_labels (LabCompare *self)
{
  LabRunSettings *settings[LAB_COMPARE_MAX_MODELS];
  g_auto(GStrv) made = NULL;

  for (guint i = 0; i < self->n_models; i++)
    settings[i] = (LabRunSettings *) lab_run_get_settings (self->runs[i]);
  made = lab_compare_make_labels (settings, self->n_models);
  for (guint i = 0; i < self->n_models; i++)
    if (!self->given[i])
      {
        g_free (self->labels[i]);
        self->labels[i] = g_strdup (made[i]);
      }
}

/* The other models follow the first */

static void
emit_changed (LabCompare       *self,
              LabCompareChange  change)
{
  g_signal_emit (self, signals[CHANGED], 0, change);
}

static void
other_shown_cb (LabCompare *self,
                GParamSpec *pspec,
                LabRun     *run)
{
  emit_changed (self, LAB_COMPARE_CHANGE_SHOWN);
}

static void
other_recorded_cb (LabCompare *self,
                   int         n_new,
                   LabRun     *run)
{
  emit_changed (self, LAB_COMPARE_CHANGE_LOSS);
}

static void
other_state_cb (LabCompare *self,
                GParamSpec *pspec,
                LabRun     *run)
{
  emit_changed (self, LAB_COMPARE_CHANGE_STATE);
}

static void
other_settings_cb (LabCompare *self,
                   GParamSpec *pspec,
                   LabRun     *run)
{
  update_labels (self);
  emit_changed (self, LAB_COMPARE_CHANGE_SHOWN);
}

/* A rebuild of the first model: a new series or seed goes to every model;
 * any other (a shape, a cell, clipping, undo, opened weights) starts the
 * others again, so that all are at the same epoch. A plain replay is
 * already every model's (lab_compare_reset). */
static void
first_rebuilt_cb (LabCompare   *self,
                  LabRunChange  change,
                  LabRun       *first)
{
  const LabRunSettings *settings = lab_run_get_settings (first);

  if (self->n_models < 2 || self->forwarding || change == LAB_RUN_CHANGE_NONE)
    return;

  for (guint i = 1; i < self->n_models; i++)
    {
      LabRun *run = self->runs[i];
      gboolean rebuilt = FALSE;

      if (change & (LAB_RUN_CHANGE_DATA | LAB_RUN_CHANGE_OPTIMIZER))
        {
          const RnnConfig *own = &lab_run_get_settings (run)->config;
          RnnConfig config = settings->config;
          g_autoptr(GError) error = NULL;

          /* A new series keeps each model's optimizer; a new optimizer or
           * batching is every model's. */
          if (!(change & LAB_RUN_CHANGE_OPTIMIZER))
            {
              config.optimizer = own->optimizer;
              config.batch_size = own->batch_size;
              config.shuffle = own->shuffle;
            }
          rebuilt = lab_run_set_data (run, &config, settings->data, &error);
          /* A series too short for this model's time step: it keeps its
           * own, and its label says nothing new; the table shows its split. */
          if (error != NULL)
            g_debug ("compare: model %u keeps its series: %s", i + 1, error->message);
        }
      if ((change & LAB_RUN_CHANGE_SEED) && lab_run_get_settings (run)->seed != settings->seed)
        {
          lab_run_reseed (run, settings->seed);
          rebuilt = TRUE;
        }
      if (!rebuilt)
        lab_run_reset (run);
    }
  update_labels (self);
  emit_changed (self, LAB_COMPARE_CHANGE_SHOWN | LAB_COMPARE_CHANGE_LOSS);
}

static void
first_settings_cb (LabCompare *self,
                   GParamSpec *pspec,
                   LabRun     *first)
{
  if (self->n_models > 1)
    update_labels (self);
}

/* Speed, epoch limit and window: the others take the first's. */
static void
first_property_cb (LabCompare *self,
                   GParamSpec *pspec,
                   LabRun     *first)
{
  for (guint i = 1; i < self->n_models; i++)
    {
      if (g_strcmp0 (pspec->name, "speed") == 0)
        lab_run_set_speed (self->runs[i], lab_run_get_speed (first));
      else if (g_strcmp0 (pspec->name, "max-epochs") == 0)
        lab_run_set_max_epochs (self->runs[i], lab_run_get_max_epochs (first));
      else if (g_strcmp0 (pspec->name, "selected-window") == 0)
        lab_run_select_window (self->runs[i], lab_run_get_selected_window (first));
    }
}

static void
drop_others (LabCompare *self)
{
  for (guint i = 1; i < self->n_models; i++)
    {
      g_signal_handlers_disconnect_by_data (self->runs[i], self);
      g_clear_object (&self->runs[i]);
      g_clear_pointer (&self->labels[i], g_free);
      self->given[i] = FALSE;
    }
  self->n_models = 1;
}

/* GObject */

static void
lab_compare_dispose (GObject *object)
{
  LabCompare *self = LAB_COMPARE (object);

  if (self->runs[0] != NULL)
    {
      drop_others (self);
      g_signal_handlers_disconnect_by_data (self->runs[0], self);
      g_clear_object (&self->runs[0]);
    }
  for (guint i = 0; i < LAB_COMPARE_MAX_MODELS; i++)
    g_clear_pointer (&self->labels[i], g_free);

  G_OBJECT_CLASS (lab_compare_parent_class)->dispose (object);
}

static void
lab_compare_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LabCompare *self = LAB_COMPARE (object);

  switch (prop_id)
    {
    case PROP_N_MODELS:
      g_value_set_uint (value, self->n_models);
      break;
    case PROP_FOCUS:
      g_value_set_uint (value, self->focus);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_compare_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LabCompare *self = LAB_COMPARE (object);

  switch (prop_id)
    {
    case PROP_FOCUS:
      lab_compare_set_focus (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_compare_class_init (LabCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lab_compare_dispose;
  object_class->get_property = lab_compare_get_property;
  object_class->set_property = lab_compare_set_property;

  properties[PROP_N_MODELS] =
    g_param_spec_uint ("n-models", NULL, NULL, 1, LAB_COMPARE_MAX_MODELS, 1,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The model whose hidden state is shown. */
  properties[PROP_FOCUS] =
    g_param_spec_uint ("focus", NULL, NULL, 0, LAB_COMPARE_MAX_MODELS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A model after the first changed (LabCompareChange); the first model's
   * changes are its run's signals. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
lab_compare_init (LabCompare *self)
{
  self->n_models = 1;
}

/* Public API */

LabCompare *
lab_compare_new (LabRun *run)
{
  LabCompare *self;
  const char *followed[] = { "notify::speed", "notify::max-epochs", "notify::selected-window" };

  g_return_val_if_fail (LAB_IS_RUN (run), NULL);

  self = g_object_new (LAB_TYPE_COMPARE, NULL);
  self->runs[0] = g_object_ref (run);
  self->labels[0] = g_strdup ("");
  g_signal_connect_object (run, "rebuilt", G_CALLBACK (first_rebuilt_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (run, "notify::settings", G_CALLBACK (first_settings_cb), self,
                           G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (followed); i++)
    g_signal_connect_object (run, followed[i], G_CALLBACK (first_property_cb), self,
                             G_CONNECT_SWAPPED);
  return self;
}

gboolean
lab_compare_set_others (LabCompare      *self,
                        LabRunSettings **others,
                        const char     **labels,
                        guint            n_others,
                        GError         **error)
{
  LabRun *first, *made[LAB_COMPARE_MAX_MODELS - 1] = { NULL };
  gboolean playing;

  g_return_val_if_fail (LAB_IS_COMPARE (self), FALSE);
  g_return_val_if_fail (n_others < LAB_COMPARE_MAX_MODELS, FALSE);

  first = self->runs[0];
  for (guint i = 0; i < n_others; i++)
    {
      int max = lab_run_settings_get_time_step_max (others[i]);

      if (others[i]->config.time_step > max)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Model %u cannot be built: time step %d does not fit the series; accepted: 1 to %d"),
                       i + 2, others[i]->config.time_step, max);
          return FALSE;
        }
    }
  for (guint i = 0; i < n_others; i++)
    {
      made[i] = lab_run_new (others[i], 0);
      if (made[i] == NULL)
        {
          for (guint j = 0; j < i; j++)
            g_object_unref (made[j]);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Model %u cannot be built with these settings"), i + 2);
          return FALSE;
        }
    }

  playing = lab_run_get_playing (first);
  drop_others (self);
  for (guint i = 0; i < n_others; i++)
    {
      LabRun *run = made[i];
      const struct { const char *signal; GCallback callback; } observers[] = {
        { "notify::shown", G_CALLBACK (other_shown_cb) },
        { "notify::settings", G_CALLBACK (other_settings_cb) },
        { "notify::state", G_CALLBACK (other_state_cb) },
        { "notify::playing", G_CALLBACK (other_state_cb) },
        { "notify::rate", G_CALLBACK (other_state_cb) },
        { "epochs-recorded", G_CALLBACK (other_recorded_cb) },
      };

      lab_run_set_speed (run, lab_run_get_speed (first));
      lab_run_set_max_epochs (run, lab_run_get_max_epochs (first));
      lab_run_select_window (run, lab_run_get_selected_window (first));
      for (guint k = 0; k < G_N_ELEMENTS (observers); k++)
        g_signal_connect_object (run, observers[k].signal, observers[k].callback, self,
                                 G_CONNECT_SWAPPED);
      self->runs[i + 1] = run;
      self->given[i + 1] = labels != NULL && labels[i + 1] != NULL;
      self->labels[i + 1] = self->given[i + 1] ? g_strdup (labels[i + 1]) : NULL;
    }
  self->given[0] = labels != NULL && labels[0] != NULL;
  g_free (self->labels[0]);
  self->labels[0] = g_strdup (self->given[0] ? labels[0] : "");
  self->n_models = n_others + 1;
  update_labels (self);

  /* Every model from epoch 0, together. */
  self->forwarding = TRUE;
  if (n_others > 0)
    lab_run_reset (first);
  self->forwarding = FALSE;
  if (playing && n_others > 0)
    lab_compare_play (self);
  if (self->focus >= self->n_models)
    {
      self->focus = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MODELS]);
  emit_changed (self, LAB_COMPARE_CHANGE_SHOWN | LAB_COMPARE_CHANGE_LOSS | LAB_COMPARE_CHANGE_STATE);
  return TRUE;
}

void
lab_compare_stop (LabCompare *self)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  if (self->n_models == 1)
    return;
  drop_others (self);
  self->given[0] = FALSE;
  if (self->focus != 0)
    {
      self->focus = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MODELS]);
  emit_changed (self, LAB_COMPARE_CHANGE_SHOWN | LAB_COMPARE_CHANGE_LOSS | LAB_COMPARE_CHANGE_STATE);
}

guint
lab_compare_get_n_models (LabCompare *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE (self), 1);

  return self->n_models;
}

LabRun *
lab_compare_get_run (LabCompare *self,
                     guint       i)
{
  g_return_val_if_fail (LAB_IS_COMPARE (self), NULL);
  g_return_val_if_fail (i < self->n_models, NULL);

  return self->runs[i];
}

const char *
lab_compare_get_label (LabCompare *self,
                       guint       i)
{
  g_return_val_if_fail (LAB_IS_COMPARE (self), NULL);
  g_return_val_if_fail (i < self->n_models, NULL);

  return self->labels[i];
}

double
lab_compare_get_ms_per_epoch (LabCompare *self,
                              guint       i)
{
  g_return_val_if_fail (LAB_IS_COMPARE (self), 0);
  g_return_val_if_fail (i < self->n_models, 0);

  return lab_run_get_ms_per_epoch (self->runs[i]);
}

guint
lab_compare_get_focus (LabCompare *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE (self), 0);

  return self->focus;
}

void
lab_compare_set_focus (LabCompare *self,
                       guint       i)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  i = MIN (i, self->n_models - 1);
  if (self->focus == i)
    return;
  self->focus = i;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS]);
}

int
lab_compare_get_latest_epoch (LabCompare *self)
{
  int latest = -1;

  g_return_val_if_fail (LAB_IS_COMPARE (self), -1);

  for (guint i = 0; i < self->n_models; i++)
    latest = MAX (latest, MAX (lab_run_get_latest_epoch (self->runs[i]),
                               lab_history_get_n_epochs (lab_run_get_history (self->runs[i]))));
  return latest;
}

gboolean
lab_compare_get_training (LabCompare *self)
{
  g_return_val_if_fail (LAB_IS_COMPARE (self), FALSE);

  for (guint i = 0; i < self->n_models; i++)
    if (lab_run_get_playing (self->runs[i]) || lab_run_get_state (self->runs[i]) == LAB_TRAINER_RUNNING)
      return TRUE;
  return FALSE;
}

void
lab_compare_drain (LabCompare *self,
                   gint64      budget_us)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  for (guint i = 0; i < self->n_models; i++)
    lab_run_drain (self->runs[i], budget_us / self->n_models);
}

/* Commands */

#define FOR_EACH_MODEL(self, run, command) \
  G_STMT_START { \
    (self)->forwarding = TRUE; \
    for (guint i_ = 0; i_ < (self)->n_models; i_++) \
      { \
        LabRun *run = (self)->runs[i_]; \
        command; \
      } \
    (self)->forwarding = FALSE; \
  } G_STMT_END

void
lab_compare_set_playing (LabCompare *self,
                         gboolean    playing)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_set_playing (run, playing));
}

void
lab_compare_play (LabCompare *self)
{
  lab_compare_set_playing (self, TRUE);
}

void
lab_compare_pause (LabCompare *self)
{
  lab_compare_set_playing (self, FALSE);
}

void
lab_compare_step (LabCompare *self)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_step (run));
}

gboolean
lab_compare_step_back (LabCompare *self)
{
  gboolean any = FALSE;

  g_return_val_if_fail (LAB_IS_COMPARE (self), FALSE);

  FOR_EACH_MODEL (self, run, any |= lab_run_step_back (run));
  return any;
}

void
lab_compare_reset (LabCompare *self)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_reset (run));
}

void
lab_compare_show_epoch (LabCompare *self,
                        int         epoch)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_show_epoch (run, epoch));
}

void
lab_compare_go_live (LabCompare *self)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_go_live (run));
}

void
lab_compare_set_speed (LabCompare *self,
                       double      epochs_per_second)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_set_speed (run, epochs_per_second));
}

void
lab_compare_set_max_epochs (LabCompare *self,
                            int         max_epochs)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_set_max_epochs (run, max_epochs));
}

void
lab_compare_select_window (LabCompare *self,
                           int         window)
{
  g_return_if_fail (LAB_IS_COMPARE (self));

  FOR_EACH_MODEL (self, run, lab_run_select_window (run, window));
}
