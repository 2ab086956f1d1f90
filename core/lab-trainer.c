/* lab-trainer.c: the training engine on a background thread.
 *
 * Two sides share a LabTrainer:
 *
 * - the caller (the UI thread, the headless tools, the tests) issues commands
 *   and pops reports. Commands that start a generation get their number here,
 *   under issue_lock, so that generation numbers and the order of commands in
 *   the queue always agree;
 * - the worker thread owns everything in LabTrainerWorker: the RnnSession, the
 *   state machine, the pacing clock. It reads commands, trains, and pushes
 *   reports, which are copies (lab-trainer-worker.c).
 *
 * The two share only the two GAsyncQueues, the generation counter (atomic)
 * and the count of snapshots waiting in the report queue (atomic).
 *
 * Commands are handled in order between epochs. A command that starts a
 * generation (reset, reseed, set_shape, load_params) is recorded and applied
 * once the command queue is empty, so a burst of them (a slider being dragged)
 * rebuilds the session once, not once per command.
 */
#include <math.h>
#include <string.h>

#include "core/lab-trainer-private.h"
#include "engine/series.h"

struct _LabTrainer
{
  GObject parent_instance;

  GAsyncQueue      *commands;
  GAsyncQueue      *reports;
  GMutex            issue_lock;
  guint             generation;       /* atomic; written under issue_lock */
  int               snapshots_queued; /* atomic */
  GThread          *thread;           /* under issue_lock; NULL once shut down */
  LabTrainerWorker *worker;

  /* The shape as last commanded (under issue_lock), to check arguments. */
  int               hidden_size;
  int               time_step;
  int               n_points;
  double            train_ratio;
};

G_DEFINE_FINAL_TYPE (LabTrainer, lab_trainer, G_TYPE_OBJECT)

/* Snapshots and reports */

LabSeries *
lab_series_new (const float *data,
                int          n_points)
{
  LabSeries *series = g_malloc (sizeof *series + (gsize) n_points * sizeof (float));

  series->ref_count = 1;
  series->n_points = n_points;
  memcpy (series->data, data, (gsize) n_points * sizeof (float));
  return series;
}

LabSeries *
lab_series_ref (LabSeries *series)
{
  g_atomic_int_inc (&series->ref_count);
  return series;
}

void
lab_series_unref (LabSeries *series)
{
  if (g_atomic_int_dec_and_test (&series->ref_count))
    g_free (series);
}

LabSnapshot *
lab_snapshot_ref (LabSnapshot *snapshot)
{
  LabSnapshotReal *real = (LabSnapshotReal *) snapshot;

  g_return_val_if_fail (snapshot != NULL, NULL);

  g_atomic_int_inc (&real->ref_count);
  return snapshot;
}

void
lab_snapshot_unref (LabSnapshot *snapshot)
{
  LabSnapshotReal *real = (LabSnapshotReal *) snapshot;

  g_return_if_fail (snapshot != NULL);

  if (g_atomic_int_dec_and_test (&real->ref_count))
    {
      lab_series_unref (real->series);
      g_free (real);
    }
}

void
lab_snapshot_get_hidden (const LabSnapshot *snapshot,
                         int                window,
                         float             *out)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (window >= 0 && window < snapshot->n_windows);

  /* Input size 1: window k's inputs x_1 .. x_T are series[k .. k + T - 1]. */
  rnn_hidden_sequence (out, snapshot->series + window, snapshot->params,
                       snapshot->time_step, 1, snapshot->hidden_size, 1);
}

void
lab_report_free (LabReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->snapshot, lab_snapshot_unref);
  g_free (report->message);
  g_free (report);
}

void
lab_command_free (LabCommand *cmd)
{
  g_free (cmd->params);
  g_free (cmd);
}

/* n_params of the tutorial's model (input and output size 1) with H hidden
 * units: W_ih H, W_hh H*H, b_ih H, b_hh H, fc.weight H, fc.bias 1. */
static gsize
params_for_hidden (int H)
{
  return (gsize) H * H + 4 * (gsize) H + 1;
}

static gboolean
params_all_finite (const float *params,
                   gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (params[i]))
      return FALSE;
  return TRUE;
}

/* The GObject */

static void
lab_trainer_dispose (GObject *object)
{
  LabTrainer *self = LAB_TRAINER (object);

  lab_trainer_shutdown (self);

  G_OBJECT_CLASS (lab_trainer_parent_class)->dispose (object);
}

static void
lab_trainer_finalize (GObject *object)
{
  LabTrainer *self = LAB_TRAINER (object);

  /* Frees whatever is still queued, with the queues' free functions. */
  g_clear_pointer (&self->commands, g_async_queue_unref);
  g_clear_pointer (&self->reports, g_async_queue_unref);
  g_mutex_clear (&self->issue_lock);

  G_OBJECT_CLASS (lab_trainer_parent_class)->finalize (object);
}

static void
lab_trainer_class_init (LabTrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lab_trainer_dispose;
  object_class->finalize = lab_trainer_finalize;
}

static void
lab_trainer_init (LabTrainer *self)
{
  g_mutex_init (&self->issue_lock);
  self->commands = g_async_queue_new_full ((GDestroyNotify) lab_command_free);
  self->reports = g_async_queue_new_full ((GDestroyNotify) lab_report_free);
}

LabTrainer *
lab_trainer_new (const RnnConfig *config,
                 guint64          seed,
                 const float     *init_params,
                 gsize            n_params)
{
  LabTrainer *self;
  LabTrainerWorker *w;
  RnnSession *session;
  const RnnDataset *d;
  RnnModel *m;
  RnnStatus status = RNN_OK;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (init_params == NULL || n_params == params_for_hidden (config->hidden_size), NULL);

  session = rnn_session_new (config, &status);
  if (session == NULL)
    {
      g_critical ("lab_trainer_new: cannot build a session with hidden size %d, time step %d, %d points",
                  config->hidden_size, config->time_step, config->n_points);
      return NULL;
    }

  self = g_object_new (LAB_TYPE_TRAINER, NULL);
  self->hidden_size = config->hidden_size;
  self->time_step = config->time_step;
  self->n_points = config->n_points;
  self->train_ratio = config->train_ratio;

  w = g_new0 (LabTrainerWorker, 1);
  w->commands = g_async_queue_ref (self->commands);
  w->reports = g_async_queue_ref (self->reports);
  w->snapshots_queued = &self->snapshots_queued;
  w->session = session;
  w->config = *config;
  w->seed = seed;
  if (init_params != NULL)
    {
      w->init_params = g_memdup2 (init_params, n_params * sizeof (float));
      w->n_init_params = n_params;
    }
  w->state = LAB_TRAINER_PAUSED;
  w->max_epochs = LAB_TRAINER_DEFAULT_MAX_EPOCHS;
  w->speed = 0;
  w->last_snapshot_epoch = -1;
  w->pending = TRUE;
  w->pending_generation = 1;
  self->generation = 1;
  self->worker = w;

  d = rnn_session_dataset (session);
  m = rnn_session_model (session);
  w->pred = g_new0 (float, d->N);
  w->backup = g_new0 (float, m->n_params);
  w->series = lab_series_new (d->series, d->n_points);
  lab_trainer_worker_alloc_test (w);

  self->thread = g_thread_new ("lab-trainer", lab_trainer_worker_main, w);

  return self;
}

/* Commands */

/* Queues a command; if new_generation, gives it the next generation number.
 * Called with issue_lock held, so numbers rise in queue order. */
static guint
lab_trainer_issue_locked (LabTrainer *self,
                          LabCommand *cmd,
                          gboolean    new_generation)
{
  guint generation = (guint) g_atomic_int_get (&self->generation);

  if (self->thread == NULL)
    {
      lab_command_free (cmd); /* shut down: nobody would read it */
      return generation;
    }
  if (new_generation)
    {
      generation++;
      cmd->generation = generation;
      g_atomic_int_set (&self->generation, generation);
    }
  queue_push (self->commands, cmd);

  return generation;
}

static guint
lab_trainer_issue (LabTrainer *self,
                   LabCommand *cmd,
                   gboolean    new_generation)
{
  guint generation;

  g_mutex_lock (&self->issue_lock);
  generation = lab_trainer_issue_locked (self, cmd, new_generation);
  g_mutex_unlock (&self->issue_lock);

  return generation;
}

static LabCommand *
lab_command_new (LabCommandKind kind)
{
  LabCommand *cmd = g_new0 (LabCommand, 1);

  cmd->kind = kind;
  return cmd;
}

void
lab_trainer_play (LabTrainer *self)
{
  g_return_if_fail (LAB_IS_TRAINER (self));

  lab_trainer_issue (self, lab_command_new (CMD_PLAY), FALSE);
}

void
lab_trainer_pause (LabTrainer *self)
{
  g_return_if_fail (LAB_IS_TRAINER (self));

  lab_trainer_issue (self, lab_command_new (CMD_PAUSE), FALSE);
}

void
lab_trainer_step (LabTrainer *self,
                  int         n_epochs)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));
  g_return_if_fail (n_epochs > 0);

  cmd = lab_command_new (CMD_STEP);
  cmd->n = n_epochs;
  lab_trainer_issue (self, cmd, FALSE);
}

guint
lab_trainer_reset (LabTrainer *self)
{
  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);

  return lab_trainer_issue (self, lab_command_new (CMD_RESET), TRUE);
}

guint
lab_trainer_reseed (LabTrainer *self,
                    guint64     seed)
{
  LabCommand *cmd;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);

  cmd = lab_command_new (CMD_RESEED);
  cmd->seed = seed;
  return lab_trainer_issue (self, cmd, TRUE);
}

guint
lab_trainer_set_shape (LabTrainer  *self,
                       int          hidden_size,
                       int          time_step,
                       const float *init_params,
                       gsize        n_params)
{
  LabCommand *cmd;
  guint generation;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);
  g_return_val_if_fail (hidden_size >= RNN_HIDDEN_MIN && hidden_size <= RNN_HIDDEN_MAX, 0);
  g_return_val_if_fail (time_step >= RNN_TIME_STEP_MIN &&
                        time_step <= series_time_step_max (self->n_points, self->train_ratio), 0);
  g_return_val_if_fail (init_params == NULL || n_params == params_for_hidden (hidden_size), 0);
  g_return_val_if_fail (init_params == NULL || params_all_finite (init_params, n_params), 0);

  cmd = lab_command_new (CMD_SET_SHAPE);
  cmd->n = hidden_size;
  cmd->time_step = time_step;
  if (init_params != NULL)
    {
      cmd->params = g_memdup2 (init_params, n_params * sizeof (float));
      cmd->n_params = n_params;
    }

  g_mutex_lock (&self->issue_lock);
  self->hidden_size = hidden_size;
  self->time_step = time_step;
  generation = lab_trainer_issue_locked (self, cmd, TRUE);
  g_mutex_unlock (&self->issue_lock);

  return generation;
}

guint
lab_trainer_load_params (LabTrainer  *self,
                         const float *params,
                         gsize        n_params)
{
  LabCommand *cmd;
  guint generation;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);
  g_return_val_if_fail (params != NULL, 0);
  g_return_val_if_fail (params_all_finite (params, n_params), 0);

  cmd = lab_command_new (CMD_LOAD_PARAMS);
  cmd->params = g_memdup2 (params, n_params * sizeof (float));
  cmd->n_params = n_params;

  g_mutex_lock (&self->issue_lock);
  if (n_params != params_for_hidden (self->hidden_size))
    {
      g_mutex_unlock (&self->issue_lock);
      lab_command_free (cmd);
      g_critical ("lab_trainer_load_params: %" G_GSIZE_FORMAT " weights given, %" G_GSIZE_FORMAT
                  " expected for hidden size %d", n_params,
                  params_for_hidden (self->hidden_size), self->hidden_size);
      return 0;
    }
  generation = lab_trainer_issue_locked (self, cmd, TRUE);
  g_mutex_unlock (&self->issue_lock);

  return generation;
}

void
lab_trainer_set_lr (LabTrainer *self,
                    double      lr)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));
  g_return_if_fail (lr > 0 && isfinite (lr));

  cmd = lab_command_new (CMD_SET_LR);
  cmd->value = lr;
  lab_trainer_issue (self, cmd, FALSE);
}

void
lab_trainer_set_speed (LabTrainer *self,
                       double      epochs_per_second)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));

  cmd = lab_command_new (CMD_SET_SPEED);
  cmd->value = isfinite (epochs_per_second) ? epochs_per_second : 0;
  lab_trainer_issue (self, cmd, FALSE);
}

void
lab_trainer_set_max_epochs (LabTrainer *self,
                            int         max_epochs)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));

  cmd = lab_command_new (CMD_SET_MAX_EPOCHS);
  cmd->n = max_epochs;
  lab_trainer_issue (self, cmd, FALSE);
}

void
lab_trainer_select_window (LabTrainer *self,
                           int         window)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));
  g_return_if_fail (window >= 0);

  cmd = lab_command_new (CMD_SELECT_WINDOW);
  cmd->n = window;
  lab_trainer_issue (self, cmd, FALSE);
}

guint
lab_trainer_get_generation (LabTrainer *self)
{
  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);

  return (guint) g_atomic_int_get (&self->generation);
}

/* Takes a popped report: returns it if it is of the current generation,
 * else frees it and returns NULL. */
static LabReport *
lab_trainer_filter (LabTrainer *self,
                    LabReport  *report)
{
  if (report->kind == LAB_REPORT_SNAPSHOT)
    g_atomic_int_add (&self->snapshots_queued, -1);
  if (report->generation == (guint) g_atomic_int_get (&self->generation))
    return report;
  lab_report_free (report);
  return NULL;
}

LabReport *
lab_trainer_pop_report (LabTrainer *self)
{
  LabReport *report;

  g_return_val_if_fail (LAB_IS_TRAINER (self), NULL);

  while ((report = queue_popped (g_async_queue_try_pop (self->reports))) != NULL)
    if ((report = lab_trainer_filter (self, report)) != NULL)
      return report;

  return NULL;
}

LabReport *
lab_trainer_timed_pop_report (LabTrainer *self,
                              gint64      timeout_us)
{
  gint64 deadline;

  g_return_val_if_fail (LAB_IS_TRAINER (self), NULL);

  deadline = g_get_monotonic_time () + timeout_us;
  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      LabReport *report;

      if (left > 0)
        report = queue_popped (g_async_queue_timeout_pop (self->reports, left));
      else
        report = queue_popped (g_async_queue_try_pop (self->reports));
      if (report == NULL)
        return NULL;
      if ((report = lab_trainer_filter (self, report)) != NULL)
        return report;
    }
}

void
lab_trainer_shutdown (LabTrainer *self)
{
  GThread *thread;
  LabCommand *quit;

  g_return_if_fail (LAB_IS_TRAINER (self));

  g_mutex_lock (&self->issue_lock);
  thread = g_steal_pointer (&self->thread);
  if (thread != NULL)
    {
      /* Ahead of anything still queued: those are dropped with the queue. */
      quit = lab_command_new (CMD_QUIT);
      queue_push_front (self->commands, quit);
    }
  g_mutex_unlock (&self->issue_lock);

  if (thread == NULL)
    return;

  g_thread_join (thread);
  g_clear_pointer (&self->worker, lab_trainer_worker_free);
}
