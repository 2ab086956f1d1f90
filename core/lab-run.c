/* lab-run.c: one training run between the trainer and the widgets.
 *
 * Every report goes through lab_run_drain (): epoch records and snapshots
 * into the history, the newest snapshot into `latest`, state reports into
 * the state and the message. At the end of a drain what is shown follows
 * the latest snapshot (unless the timeline is scrubbed back), and each
 * change is announced once: notify::shown (with shown-epoch and, when they
 * differ, settings), "rebuilt" for the first picture of a new generation,
 * "epochs-recorded" for new loss records.
 */
#include <math.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-run.h"

/* The rate is measured over this much time. */
#define RATE_INTERVAL_US 500000

struct _LabRun
{
  GObject          parent_instance;

  LabTrainer      *trainer;
  LabHistory      *history;

  LabSnapshot     *latest;          /* the newest snapshot (a reference) */
  LabSnapshot     *shown;           /* the one shown (a reference) */
  LabRunSettings  *settings;        /* shown's, or the first ones before any */
  int              scrub_epoch;     /* -1: the shown snapshot follows the latest */
  int              selected_window;

  LabTrainerState  state;
  gboolean         playing;
  char            *message;
  double           speed;
  int              max_epochs;

  guint            n_snapshots;     /* snapshots received, to see news */
  guint            n_epochs;        /* epoch records received, likewise */

  gint64           rate_start;
  int              rate_epochs;
  double           rate;
  double           train_ms;        /* mean ms per epoch of training, recent epochs */

  /* The loss curve by weights (lab_run_get_loss_curve): records copied so
   * far, then the latest snapshot's evaluation. */
  float           *curve_train;
  float           *curve_test;
  int              curve_len;
  int              curve_cap;
  int              curve_synced;

  LabRunPrevious  *previous;
};

G_DEFINE_FINAL_TYPE (LabRun, lab_run, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LabTrainerState, lab_trainer_state,
  G_DEFINE_ENUM_VALUE (LAB_TRAINER_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (LAB_TRAINER_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (LAB_TRAINER_FINISHED, "finished"),
  G_DEFINE_ENUM_VALUE (LAB_TRAINER_DIVERGED, "diverged"))

G_DEFINE_FLAGS_TYPE (LabRunChange, lab_run_change,
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_SHAPE, "shape"),
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_DATA, "data"),
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_OPTIMIZER, "optimizer"),
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_LR, "lr"),
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_SEED, "seed"),
  G_DEFINE_ENUM_VALUE (LAB_RUN_CHANGE_INIT, "init"))

enum {
  PROP_0,
  PROP_SHOWN,
  PROP_SHOWN_EPOCH,
  PROP_LATEST_EPOCH,
  PROP_SETTINGS,
  PROP_STATE,
  PROP_PLAYING,
  PROP_MESSAGE,
  PROP_RATE,
  PROP_SCRUBBING,
  PROP_SPEED,
  PROP_MAX_EPOCHS,
  PROP_SELECTED_WINDOW,
  PROP_PREVIOUS,
  N_PROPS
};

enum {
  REBUILT,
  EPOCHS_RECORDED,
  NOTICE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

LabRunChange
lab_run_settings_diff (const LabRunSettings *a,
                       const LabRunSettings *b)
{
  LabRunChange change = LAB_RUN_CHANGE_NONE;

  if (a == b)
    return change;
  if (a == NULL || b == NULL)
    return LAB_RUN_CHANGE_SHAPE | LAB_RUN_CHANGE_DATA | LAB_RUN_CHANGE_OPTIMIZER
           | LAB_RUN_CHANGE_LR | LAB_RUN_CHANGE_SEED | LAB_RUN_CHANGE_INIT;

  if (a->config.hidden_size != b->config.hidden_size || a->config.time_step != b->config.time_step)
    change |= LAB_RUN_CHANGE_SHAPE;
  if (a->config.n_points != b->config.n_points || a->config.period != b->config.period
      || a->config.train_ratio != b->config.train_ratio || a->config.series != b->config.series
      || a->config.period2 != b->config.period2 || a->config.decay != b->config.decay
      || a->config.burst != b->config.burst || a->config.noise != b->config.noise
      || a->config.series_seed != b->config.series_seed
      || a->config.normalize != b->config.normalize || a->data != b->data)
    change |= LAB_RUN_CHANGE_DATA;
  if (a->config.optimizer != b->config.optimizer || a->config.batch_size != b->config.batch_size
      || a->config.shuffle != b->config.shuffle)
    change |= LAB_RUN_CHANGE_OPTIMIZER;
  if (a->config.lr != b->config.lr || a->n_lr_changes != b->n_lr_changes
      || (a->n_lr_changes > 0
          && memcmp (a->lr_changes, b->lr_changes, a->n_lr_changes * sizeof (LabLrChange)) != 0))
    change |= LAB_RUN_CHANGE_LR;
  if (a->seed != b->seed)
    change |= LAB_RUN_CHANGE_SEED;
  if (a->init != b->init || a->init_params != b->init_params)
    change |= LAB_RUN_CHANGE_INIT;
  return change;
}

/* Showing */

static void
notify (LabRun *self,
        int     prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Puts snapshot on show (may be the same one: then nothing happens). */
static void
set_shown (LabRun      *self,
           LabSnapshot *snapshot)
{
  LabSnapshot *old = self->shown;
  LabRunChange change = LAB_RUN_CHANGE_NONE;
  gboolean new_generation;

  if (snapshot == NULL || snapshot == old)
    return;

  new_generation = old == NULL || old->generation != snapshot->generation;
  self->shown = lab_snapshot_ref (snapshot);
  if (self->settings != snapshot->settings)
    {
      change = lab_run_settings_diff (self->settings, snapshot->settings);
      g_clear_pointer (&self->settings, lab_run_settings_unref);
      self->settings = lab_run_settings_ref (snapshot->settings);
    }
  if (self->selected_window >= snapshot->n_windows)
    {
      self->selected_window = snapshot->n_windows - 1;
      notify (self, PROP_SELECTED_WINDOW);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (change != LAB_RUN_CHANGE_NONE)
    notify (self, PROP_SETTINGS);
  if (old == NULL || old->epoch != snapshot->epoch)
    notify (self, PROP_SHOWN_EPOCH);
  notify (self, PROP_SHOWN);
  g_object_thaw_notify (G_OBJECT (self));
  if (old != NULL)
    lab_snapshot_unref (old);

  if (new_generation)
    g_signal_emit (self, signals[REBUILT], 0, change);
}

static void
set_scrub (LabRun *self,
           int     epoch)
{
  gboolean was = self->scrub_epoch >= 0;

  self->scrub_epoch = epoch;
  if (was != (epoch >= 0))
    notify (self, PROP_SCRUBBING);
}

static void
set_message (LabRun     *self,
             const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  notify (self, PROP_MESSAGE);
}

static void
sync_playing (LabRun   *self,
              gboolean  playing)
{
  playing = !!playing;
  if (self->playing == playing)
    return;
  self->playing = playing;
  notify (self, PROP_PLAYING);
}

/* The loss curve */

static void
sync_curve (LabRun *self)
{
  int n = lab_history_get_n_epochs (self->history);
  const float *train = lab_history_get_train_loss (self->history);
  const float *test = lab_history_get_test_loss (self->history);

  if (self->curve_synced > n)
    self->curve_synced = 0;
  if (self->curve_cap < n + 1)
    {
      self->curve_cap = MAX (n + 1, 2 * self->curve_cap);
      self->curve_train = g_renew (float, self->curve_train, self->curve_cap);
      self->curve_test = g_renew (float, self->curve_test, self->curve_cap);
    }
  /* Record k (1-based) is the loss of the weights after k - 1 updates. */
  if (n > self->curve_synced)
    {
      memcpy (self->curve_train + self->curve_synced, train + self->curve_synced,
              (gsize) (n - self->curve_synced) * sizeof (float));
      memcpy (self->curve_test + self->curve_synced, test + self->curve_synced,
              (gsize) (n - self->curve_synced) * sizeof (float));
    }
  self->curve_synced = n;
  self->curve_len = n;
  if (self->latest != NULL && self->latest->epoch == n
      && self->latest->generation == lab_history_get_generation (self->history))
    {
      self->curve_train[n] = self->latest->train_loss;
      self->curve_test[n] = self->latest->test_loss;
      self->curve_len = n + 1;
    }
}

/* The run kept for comparison and undo */

static void
previous_free (LabRunPrevious *previous)
{
  if (previous == NULL)
    return;
  g_clear_pointer (&previous->settings, lab_run_settings_unref);
  g_clear_pointer (&previous->snapshot, lab_snapshot_unref);
  g_free (previous->label);
  g_free (previous->train_loss);
  g_free (previous->test_loss);
  g_free (previous);
}

/* "before: hidden 50, seed 3": what `from` had that `to` does not. */
static char *
previous_label (const LabRunSettings *from,
                const LabRunSettings *to)
{
  g_autoptr(GString) what = g_string_new (NULL);

  if (to == NULL || from->config.hidden_size != to->config.hidden_size)
    /* Translators: part of a ghost's label, "before: hidden 50" */
    g_string_append_printf (what, _("hidden %d"), from->config.hidden_size);
  if (to == NULL || from->config.time_step != to->config.time_step)
    {
      if (what->len > 0)
        g_string_append (what, ", ");
      /* Translators: part of a ghost's label, "before: time step 10" */
      g_string_append_printf (what, _("time step %d"), from->config.time_step);
    }
  if (to != NULL && from->config.cell != to->config.cell)
    {
      if (what->len > 0)
        g_string_append (what, ", ");
      g_string_append (what, lab_cell_label (from->config.cell));
    }
  if (to != NULL && from->config.clip_grad_norm != to->config.clip_grad_norm)
    {
      if (what->len > 0)
        g_string_append (what, ", ");
      if (from->config.clip_grad_norm > 0)
        {
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (number, sizeof number, "%g", from->config.clip_grad_norm);
          /* Translators: part of a ghost's label, "before: clipping at 1" */
          g_string_append_printf (what, _("clipping at %s"), number);
        }
      else
        /* Translators: part of a ghost's label, "before: no clipping" */
        g_string_append (what, _("no clipping"));
    }
  if (to != NULL && from->seed != to->seed)
    {
      if (what->len > 0)
        g_string_append (what, ", ");
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, from->seed);

      /* Translators: part of a ghost's label, "before: seed 0" */
      g_string_append_printf (what, _("seed %s"), seed);
    }
  if (what->len == 0)
    g_string_append_printf (what, _("hidden %d"), from->config.hidden_size);
  /* Translators: the label of the previous run's faded curves */
  return g_strdup_printf (_("before: %s"), what->str);
}

static void
set_previous (LabRun         *self,
              LabRunPrevious *previous)
{
  previous_free (self->previous);
  self->previous = previous;
  notify (self, PROP_PREVIOUS);
}

/* Keeps the latest run before a rebuild to `next` replaces it; an
 * untrained one is not worth keeping (the one kept before stays).
 * Returns TRUE if it was kept. */
static gboolean
keep_previous (LabRun               *self,
               const LabRunSettings *next)
{
  LabRunPrevious *previous;

  if (self->latest == NULL || self->latest->epoch == 0)
    return FALSE;

  sync_curve (self);
  previous = g_new0 (LabRunPrevious, 1);
  previous->settings = lab_run_settings_ref (self->latest->settings);
  previous->epoch = self->latest->epoch;
  previous->label = previous_label (self->latest->settings, next);
  previous->n_epochs = self->curve_len;
  previous->train_loss = g_memdup2 (self->curve_train, (gsize) self->curve_len * sizeof (float));
  previous->test_loss = g_memdup2 (self->curve_test, (gsize) self->curve_len * sizeof (float));
  previous->snapshot = lab_snapshot_ref (self->latest);
  set_previous (self, previous);
  return TRUE;
}

/* A command started a new generation: the history and the timeline start
 * over; the views keep the old picture until its first snapshot arrives. */
static void
start_generation (LabRun *self,
                  guint   generation)
{
  lab_history_clear (self->history, generation);
  g_clear_pointer (&self->latest, lab_snapshot_unref);
  self->curve_synced = 0;
  self->curve_len = 0;
  set_scrub (self, -1);
  self->rate_epochs = 0;
  self->rate_start = g_get_monotonic_time ();
  self->train_ms = 0;
  set_message (self, NULL);

  /* A new start keeps playing if the run was playing. */
  if (self->playing)
    lab_trainer_play (self->trainer);

  g_signal_emit (self, signals[EPOCHS_RECORDED], 0, 0);
  notify (self, PROP_LATEST_EPOCH);
}

/* Reports */

static void
handle_state (LabRun          *self,
              LabTrainerState  state,
              const char      *message)
{
  LabTrainerState old = self->state;

  if (state != old)
    {
      self->state = state;
      notify (self, PROP_STATE);
    }
  sync_playing (self, state == LAB_TRAINER_RUNNING);

  if (state == LAB_TRAINER_DIVERGED)
    set_message (self, message != NULL ? message
                 : _("The loss became infinite or not a number. "
                     "Try a smaller learning rate, then Reset."));
  if (message != NULL && (state != LAB_TRAINER_DIVERGED || old != LAB_TRAINER_DIVERGED))
    g_signal_emit (self, signals[NOTICE], 0, message, state);
}

static void
handle_report (LabRun    *self,
               LabReport *report)
{
  /* A generation started elsewhere (weights loaded straight into the
   * trainer): the run starts over here too. */
  if (report->kind != LAB_REPORT_STATE &&
      report->generation != lab_history_get_generation (self->history))
    {
      set_scrub (self, -1);
      set_message (self, NULL);
    }

  switch (report->kind)
    {
    case LAB_REPORT_EPOCH:
      lab_history_add_report (self->history, report);
      self->rate_epochs++;
      self->n_epochs++;
      /* A running mean over about the last 20 epochs. */
      self->train_ms = self->train_ms > 0 ? 0.95 * self->train_ms + 0.05 * report->train_ms
                                          : report->train_ms;
      break;

    case LAB_REPORT_SNAPSHOT:
      lab_history_add_report (self->history, report);
      g_clear_pointer (&self->latest, lab_snapshot_unref);
      self->latest = lab_snapshot_ref (report->snapshot);
      self->n_snapshots++;
      break;

    case LAB_REPORT_STATE:
      handle_state (self, report->state, report->message);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
update_rate (LabRun *self)
{
  gint64 now = g_get_monotonic_time ();
  double rate;

  if (now - self->rate_start < RATE_INTERVAL_US)
    return;
  rate = self->rate_epochs * (double) G_USEC_PER_SEC / (now - self->rate_start);
  rate = self->state == LAB_TRAINER_RUNNING ? rate : 0;
  self->rate_epochs = 0;
  self->rate_start = now;
  if (rate != self->rate)
    {
      self->rate = rate;
      notify (self, PROP_RATE);
    }
}

void
lab_run_drain (LabRun *self,
               gint64  budget_us)
{
  gint64 start = g_get_monotonic_time ();
  guint n_epochs = self->n_epochs;
  guint n_snapshots = self->n_snapshots;

  g_return_if_fail (LAB_IS_RUN (self));

  if (self->trainer == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  do
    {
      g_autoptr(LabReport) report = lab_trainer_pop_report (self->trainer);

      if (report == NULL)
        break;
      handle_report (self, report);
    }
  while (g_get_monotonic_time () - start < budget_us);
  update_rate (self);

  if (self->n_snapshots != n_snapshots)
    notify (self, PROP_LATEST_EPOCH);
  if (self->scrub_epoch < 0 && self->n_snapshots != n_snapshots)
    set_shown (self, self->latest);
  if (self->n_epochs != n_epochs || self->n_snapshots != n_snapshots)
    sync_curve (self);
  g_object_thaw_notify (G_OBJECT (self));

  /* The history's arrays move as they grow: whoever borrows them takes
   * them again now. */
  if (self->n_epochs != n_epochs || self->n_snapshots != n_snapshots)
    g_signal_emit (self, signals[EPOCHS_RECORDED], 0, (int) (self->n_epochs - n_epochs));
}

/* Waits up to wait_us for the first snapshot. */
static void
wait_for_first_snapshot (LabRun *self,
                         gint64  wait_us)
{
  gint64 deadline = g_get_monotonic_time () + wait_us;

  while (self->latest == NULL)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      g_autoptr(LabReport) report = NULL;

      if (left <= 0)
        break;
      report = lab_trainer_timed_pop_report (self->trainer, left);
      if (report == NULL)
        break;
      handle_report (self, report);
    }
  set_shown (self, self->latest);
  sync_curve (self);
}

/* GObject */

static void
lab_run_dispose (GObject *object)
{
  LabRun *self = LAB_RUN (object);

  /* The worker is stopped and joined: nothing reports afterwards. */
  if (self->trainer != NULL)
    lab_trainer_shutdown (self->trainer);
  g_clear_object (&self->trainer);

  G_OBJECT_CLASS (lab_run_parent_class)->dispose (object);
}

static void
lab_run_finalize (GObject *object)
{
  LabRun *self = LAB_RUN (object);

  g_clear_pointer (&self->history, lab_history_free);
  g_clear_pointer (&self->latest, lab_snapshot_unref);
  g_clear_pointer (&self->shown, lab_snapshot_unref);
  g_clear_pointer (&self->settings, lab_run_settings_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->curve_train, g_free);
  g_clear_pointer (&self->curve_test, g_free);
  g_clear_pointer (&self->previous, previous_free);

  G_OBJECT_CLASS (lab_run_parent_class)->finalize (object);
}

static void
lab_run_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  LabRun *self = LAB_RUN (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      g_value_set_boxed (value, self->shown);
      break;
    case PROP_SHOWN_EPOCH:
      g_value_set_int (value, lab_run_get_shown_epoch (self));
      break;
    case PROP_LATEST_EPOCH:
      g_value_set_int (value, lab_run_get_latest_epoch (self));
      break;
    case PROP_SETTINGS:
      g_value_set_boxed (value, self->settings);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_SCRUBBING:
      g_value_set_boolean (value, self->scrub_epoch >= 0);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_MAX_EPOCHS:
      g_value_set_int (value, self->max_epochs);
      break;
    case PROP_SELECTED_WINDOW:
      g_value_set_int (value, self->selected_window);
      break;
    case PROP_PREVIOUS:
      g_value_set_pointer (value, self->previous);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_run_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  LabRun *self = LAB_RUN (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      lab_run_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SPEED:
      lab_run_set_speed (self, g_value_get_double (value));
      break;
    case PROP_MAX_EPOCHS:
      lab_run_set_max_epochs (self, g_value_get_int (value));
      break;
    case PROP_SELECTED_WINDOW:
      lab_run_select_window (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_run_class_init (LabRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_run_dispose;
  object_class->finalize = lab_run_finalize;
  object_class->get_property = lab_run_get_property;
  object_class->set_property = lab_run_set_property;

  /* The snapshot on show. */
  properties[PROP_SHOWN] =
    g_param_spec_boxed ("shown", NULL, NULL, LAB_TYPE_SNAPSHOT, ro);
  properties[PROP_SHOWN_EPOCH] =
    g_param_spec_int ("shown-epoch", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_LATEST_EPOCH] =
    g_param_spec_int ("latest-epoch", NULL, NULL, -1, G_MAXINT, -1, ro);
  /* The settings of the shown snapshot. */
  properties[PROP_SETTINGS] =
    g_param_spec_boxed ("settings", NULL, NULL, LAB_TYPE_RUN_SETTINGS, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LAB_TYPE_TRAINER_STATE, LAB_TRAINER_PAUSED, ro);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_SCRUBBING] =
    g_param_spec_boolean ("scrubbing", NULL, NULL, FALSE, ro);
  /* Epochs per second; 0: as fast as possible. */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, rw);
  /* The epoch limit; 0: none. */
  properties[PROP_MAX_EPOCHS] =
    g_param_spec_int ("max-epochs", NULL, NULL, 0, G_MAXINT, LAB_TRAINER_DEFAULT_MAX_EPOCHS, rw);
  properties[PROP_SELECTED_WINDOW] =
    g_param_spec_int ("selected-window", NULL, NULL, 0, G_MAXINT, 0, rw);
  /* The run a rebuild replaced (a LabRunPrevious, borrowed), or NULL. */
  properties[PROP_PREVIOUS] =
    g_param_spec_pointer ("previous", NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The first snapshot of a new generation is shown: changes says what
   * differs from the one shown before (LAB_RUN_CHANGE_NONE for a replay). */
  signals[REBUILT] =
    g_signal_new ("rebuilt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LAB_TYPE_RUN_CHANGE);
  /* The history changed (n_new epoch records arrived; 0: it was cleared or
   * a snapshot was added): the loss curves and the timeline follow. */
  signals[EPOCHS_RECORDED] =
    g_signal_new ("epochs-recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* Something to tell the user once (a toast): the trainer's message with
   * the state it came with. */
  signals[NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, LAB_TYPE_TRAINER_STATE);
}

static void
lab_run_init (LabRun *self)
{
  self->scrub_epoch = -1;
  self->state = LAB_TRAINER_PAUSED;
  self->max_epochs = LAB_TRAINER_DEFAULT_MAX_EPOCHS;
  self->history = lab_history_new (0);
  self->rate_start = g_get_monotonic_time ();
}

/* Public API */

LabRun *
lab_run_new (LabRunSettings *settings,
             gint64          wait_us)
{
  g_autoptr(LabRun) self = NULL;

  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (LAB_TYPE_RUN, NULL);
  self->settings = lab_run_settings_ref (settings);
  self->trainer = lab_trainer_new (settings);
  if (self->trainer == NULL)
    return NULL;
  lab_trainer_set_speed (self->trainer, self->speed);
  lab_trainer_set_max_epochs (self->trainer, self->max_epochs);
  lab_history_clear (self->history, lab_trainer_get_generation (self->trainer));
  wait_for_first_snapshot (self, wait_us);

  return g_steal_pointer (&self);
}

LabTrainer *
lab_run_get_trainer (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->trainer;
}

LabHistory *
lab_run_get_history (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->history;
}

LabSnapshot *
lab_run_get_shown (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->shown;
}

int
lab_run_get_shown_epoch (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), -1);

  return self->shown != NULL ? self->shown->epoch : -1;
}

const LabRunSettings *
lab_run_get_settings (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->settings;
}

LabSnapshot *
lab_run_get_latest (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->latest;
}

int
lab_run_get_latest_epoch (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), -1);

  return self->latest != NULL ? self->latest->epoch : -1;
}

void
lab_run_get_losses (LabRun            *self,
                    const LabSnapshot *snapshot,
                    float             *train_loss,
                    float             *test_loss)
{
  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (snapshot != NULL);

  *train_loss = snapshot->train_loss;
  *test_loss = snapshot->test_loss;
}

int
lab_run_get_loss_curve (LabRun       *self,
                        const float **train_loss,
                        const float **test_loss)
{
  g_return_val_if_fail (LAB_IS_RUN (self), 0);

  if (train_loss != NULL)
    *train_loss = self->curve_train;
  if (test_loss != NULL)
    *test_loss = self->curve_test;
  return self->curve_len;
}

const LabRunPrevious *
lab_run_get_previous (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->previous;
}

void
lab_run_forget_previous (LabRun *self)
{
  g_return_if_fail (LAB_IS_RUN (self));

  if (self->previous != NULL)
    set_previous (self, NULL);
}

gboolean
lab_run_undo_rebuild (LabRun *self)
{
  LabRunPrevious *previous;
  guint generation;

  g_return_val_if_fail (LAB_IS_RUN (self), FALSE);

  if (self->previous == NULL)
    return FALSE;

  /* Replayed paused, then shown at the epoch it was at. */
  previous = g_steal_pointer (&self->previous);
  if (self->playing)
    lab_run_pause (self);
  if (!keep_previous (self, previous->settings))
    notify (self, PROP_PREVIOUS);
  generation = lab_trainer_set_settings (self->trainer, previous->settings);
  start_generation (self, generation);
  if (previous->epoch > 0)
    lab_trainer_step (self->trainer, previous->epoch);
  previous_free (previous);
  return TRUE;
}

LabTrainerState
lab_run_get_state (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), LAB_TRAINER_PAUSED);

  return self->state;
}

gboolean
lab_run_get_playing (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), FALSE);

  return self->playing;
}

const char *
lab_run_get_message (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), NULL);

  return self->message;
}

double
lab_run_get_ms_per_epoch (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), 0);

  return self->train_ms;
}

double
lab_run_get_rate (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), 0);

  return self->rate;
}

gboolean
lab_run_get_scrubbing (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), FALSE);

  return self->scrub_epoch >= 0;
}

int
lab_run_get_scrub_epoch (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), -1);

  return self->scrub_epoch;
}

double
lab_run_get_speed (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), 0);

  return self->speed;
}

int
lab_run_get_max_epochs (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), 0);

  return self->max_epochs;
}

int
lab_run_get_selected_window (LabRun *self)
{
  g_return_val_if_fail (LAB_IS_RUN (self), 0);

  return self->selected_window;
}

/* Commands */

void
lab_run_set_playing (LabRun   *self,
                     gboolean  playing)
{
  g_return_if_fail (LAB_IS_RUN (self));

  if (playing)
    lab_run_play (self);
  else
    lab_run_pause (self);
}

void
lab_run_play (LabRun *self)
{
  g_return_if_fail (LAB_IS_RUN (self));

  lab_run_go_live (self);
  sync_playing (self, TRUE);
  lab_trainer_play (self->trainer);
}

void
lab_run_pause (LabRun *self)
{
  g_return_if_fail (LAB_IS_RUN (self));

  sync_playing (self, FALSE);
  lab_trainer_pause (self->trainer);
}

/* The first recorded snapshot after epoch, or NULL. */
static LabSnapshot *
next_recorded (LabRun *self,
               int     epoch)
{
  guint n = lab_history_get_n_snapshots (self->history);

  for (guint i = 0; i < n; i++)
    {
      LabSnapshot *s = lab_history_get_snapshot (self->history, i);

      if (s->epoch > epoch)
        return s;
    }
  return NULL;
}

/* The last recorded snapshot before epoch, or NULL. */
static LabSnapshot *
previous_recorded (LabRun *self,
                   int     epoch)
{
  guint n = lab_history_get_n_snapshots (self->history);

  for (guint i = n; i > 0; i--)
    {
      LabSnapshot *s = lab_history_get_snapshot (self->history, i - 1);

      if (s->epoch < epoch)
        return s;
    }
  return NULL;
}

void
lab_run_step (LabRun *self)
{
  g_return_if_fail (LAB_IS_RUN (self));

  if (self->playing)
    lab_run_pause (self);

  /* Scrubbed back: forward through what is recorded first. */
  if (self->scrub_epoch >= 0 && self->shown != NULL)
    {
      LabSnapshot *next = next_recorded (self, self->shown->epoch);

      lab_run_show_epoch (self, next != NULL ? next->epoch : -1);
      return;
    }
  lab_trainer_step (self->trainer, 1);
}

gboolean
lab_run_step_back (LabRun *self)
{
  LabSnapshot *before;

  g_return_val_if_fail (LAB_IS_RUN (self), FALSE);

  if (self->shown == NULL)
    return FALSE;
  before = previous_recorded (self, self->shown->epoch);
  if (before == NULL)
    return FALSE;
  if (self->playing)
    lab_run_pause (self);
  lab_run_show_epoch (self, before->epoch);
  return TRUE;
}

/* The settings commands start from: the newest known. */
static const LabRunSettings *
latest_settings (LabRun *self)
{
  return self->latest != NULL ? self->latest->settings : self->settings;
}

void
lab_run_reset (LabRun *self)
{
  g_return_if_fail (LAB_IS_RUN (self));

  start_generation (self, lab_trainer_reset (self->trainer));
}

void
lab_run_start_with (LabRun         *self,
                    LabRunSettings *settings)
{
  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (settings != NULL);

  keep_previous (self, settings);
  start_generation (self, lab_trainer_set_settings (self->trainer, settings));
}

void
lab_run_reseed (LabRun  *self,
                guint64  seed)
{
  g_autoptr(LabRunSettings) next = NULL;

  g_return_if_fail (LAB_IS_RUN (self));

  next = lab_run_settings_with_seed (latest_settings (self), seed);
  keep_previous (self, next);
  start_generation (self, lab_trainer_reseed (self->trainer, seed));
}

void
lab_run_set_lr (LabRun *self,
                double  lr)
{
  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (isfinite (lr) && lr > 0 && lr <= RNN_LR_MAX);

  lab_trainer_set_lr (self->trainer, lr);
}

void
lab_run_set_shape (LabRun *self,
                   int     hidden_size,
                   int     time_step)
{
  const RnnConfig *config;

  g_return_if_fail (LAB_IS_RUN (self));

  config = &latest_settings (self)->config;
  if (hidden_size == config->hidden_size && time_step == config->time_step)
    return;
  {
    g_autoptr(LabRunSettings) next = lab_run_settings_with_shape (latest_settings (self),
                                                                  hidden_size, time_step);

    keep_previous (self, next);
  }
  start_generation (self, lab_trainer_set_shape (self->trainer, hidden_size, time_step, NULL, 0));
}

/* A rebuild with config's cell and clipping, the rest as the latest run. */
static void
rebuild_with_config (LabRun          *self,
                     const RnnConfig *config)
{
  g_autoptr(LabRunSettings) next = lab_run_settings_with_cell (latest_settings (self), config->cell,
                                                               config->clip_grad_norm);

  g_return_if_fail (next != NULL);
  keep_previous (self, next);
  start_generation (self, lab_trainer_set_settings (self->trainer, next));
}

void
lab_run_set_cell (LabRun  *self,
                  RnnCell  cell)
{
  RnnConfig config;

  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (cell >= 0 && cell < RNN_N_CELLS);

  config = latest_settings (self)->config;
  if (config.cell == cell)
    return;
  config.cell = cell;
  rebuild_with_config (self, &config);
}

void
lab_run_set_clip_grad_norm (LabRun *self,
                            double  max_norm)
{
  RnnConfig config;

  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (max_norm >= 0.0 && isfinite (max_norm));

  config = latest_settings (self)->config;
  if (config.clip_grad_norm == max_norm)
    return;
  config.clip_grad_norm = max_norm;
  rebuild_with_config (self, &config);
}

gboolean
lab_run_set_data (LabRun          *self,
                  const RnnConfig *config,
                  LabDataSource   *source,
                  GError         **error)
{
  const LabRunSettings *latest;
  g_autoptr(LabRunSettings) want = NULL;
  int t_max;

  g_return_val_if_fail (LAB_IS_RUN (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  latest = latest_settings (self);
  want = lab_run_settings_with_data (latest, config, source);
  if (want == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This series cannot be used"));
      return FALSE;
    }
  if (lab_run_settings_diff (latest, want) == LAB_RUN_CHANGE_NONE)
    return TRUE;

  /* Refused here, with the reason, rather than by the worker. */
  t_max = lab_run_settings_get_time_step_max (want);
  if (want->config.time_step > t_max)
    {
      if (t_max < RNN_TIME_STEP_MIN)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("%d points leave no train and test window at this train share"),
                     want->config.n_points);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("%d points are too few for windows of %d: the time step can be at most %d"),
                     want->config.n_points, want->config.time_step, t_max);
      return FALSE;
    }
  start_generation (self, lab_trainer_set_data (self->trainer, config, source));
  return TRUE;
}

void
lab_run_load_params (LabRun      *self,
                     int          hidden_size,
                     const float *params,
                     gsize        n_params)
{
  const RnnConfig *config;
  guint generation;

  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (params != NULL);

  config = &latest_settings (self)->config;
  if (hidden_size != config->hidden_size)
    generation = lab_trainer_set_shape (self->trainer, hidden_size, config->time_step,
                                        params, n_params);
  else
    generation = lab_trainer_load_params (self->trainer, params, n_params);
  start_generation (self, generation);
}

void
lab_run_set_speed (LabRun *self,
                   double  epochs_per_second)
{
  g_return_if_fail (LAB_IS_RUN (self));

  epochs_per_second = isfinite (epochs_per_second) && epochs_per_second > 0 ? epochs_per_second : 0;
  if (self->speed == epochs_per_second)
    return;
  self->speed = epochs_per_second;
  lab_trainer_set_speed (self->trainer, epochs_per_second);
  notify (self, PROP_SPEED);
}

void
lab_run_set_max_epochs (LabRun *self,
                        int     max_epochs)
{
  g_return_if_fail (LAB_IS_RUN (self));

  max_epochs = MAX (max_epochs, 0);
  if (self->max_epochs == max_epochs)
    return;
  self->max_epochs = max_epochs;
  lab_trainer_set_max_epochs (self->trainer, max_epochs);
  notify (self, PROP_MAX_EPOCHS);
}

void
lab_run_select_window (LabRun *self,
                       int     window)
{
  g_return_if_fail (LAB_IS_RUN (self));
  g_return_if_fail (window >= 0);

  if (self->shown != NULL)
    window = MIN (window, self->shown->n_windows - 1);
  if (self->selected_window == window)
    return;
  self->selected_window = window;
  lab_trainer_select_window (self->trainer, window);
  notify (self, PROP_SELECTED_WINDOW);
}

void
lab_run_go_live (LabRun *self)
{
  g_return_if_fail (LAB_IS_RUN (self));

  if (self->scrub_epoch < 0)
    return;
  set_scrub (self, -1);
  set_shown (self, self->latest);
}

void
lab_run_show_epoch (LabRun *self,
                    int     epoch)
{
  LabSnapshot *snapshot;

  g_return_if_fail (LAB_IS_RUN (self));

  if (epoch < 0 || self->latest == NULL || epoch >= self->latest->epoch)
    {
      lab_run_go_live (self);
      return;
    }

  /* Looking back stops the run: the class looks at one epoch. */
  if (self->playing)
    lab_run_pause (self);

  snapshot = lab_history_lookup (self->history, epoch);
  set_scrub (self, epoch);
  set_shown (self, snapshot);
}
