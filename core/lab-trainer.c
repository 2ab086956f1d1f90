/* lab-trainer.c: the training engine on a background thread.
 *
 * Two sides share a LabTrainer:
 *
 * - the caller (the UI thread, the headless tools, the tests) issues commands
 *   and pops reports. Commands that start a generation get their number here,
 *   under issue_lock, so that generation numbers and the order of commands in
 *   the queue always agree;
 * - the worker thread owns everything in LabTrainerWorker: the RnnSession, the
 *   applied run settings, the state machine, the pacing clock. It reads
 *   commands, trains, and pushes reports, which are copies
 *   (lab-trainer-worker.c).
 *
 * The two share only the two GAsyncQueues (lab-commands.h, lab-snapshot.h),
 * the generation counter (atomic) and the count of snapshots waiting in the
 * report queue (atomic). This side only starts the worker and joins it; it
 * never calls into it otherwise.
 *
 * Commands are handled in order between epochs. A command that starts a
 * generation (reset, reseed, set_shape, load_params) is recorded and applied
 * once the command queue is empty, so a burst of them (a slider being dragged)
 * rebuilds the session once, not once per command.
 */
#include <math.h>
#include <string.h>

#include "core/lab-model-io.h"

#include "core/lab-trainer.h"
#include "core/lab-trainer-worker.h"

struct _LabTrainer
{
  GObject parent_instance;

  GAsyncQueue      *commands;
  GAsyncQueue      *reports;
  GMutex            issue_lock;
  guint             generation;       /* atomic; written under issue_lock */
  int               snapshots_queued; /* atomic */
  GThread          *thread;           /* under issue_lock; NULL once shut down */
};

G_DEFINE_FINAL_TYPE (LabTrainer, lab_trainer, G_TYPE_OBJECT)

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
lab_trainer_new (LabRunSettings *settings)
{
  LabTrainer *self;
  LabTrainerWorker *w;
  RnnSession *session;
  RnnStatus status = RNN_OK;

  g_return_val_if_fail (settings != NULL, NULL);

  session = rnn_session_new (&settings->config, &status);
  if (session == NULL)
    {
      g_critical ("lab_trainer_new: cannot build a session with hidden size %d, time step %d, %d points",
                  settings->config.hidden_size, settings->config.time_step,
                  settings->config.n_points);
      return NULL;
    }

  self = g_object_new (LAB_TYPE_TRAINER, NULL);
  self->generation = 1;
  w = lab_trainer_worker_new (self->commands, self->reports, &self->snapshots_queued,
                              settings, session, LAB_TRAINER_DEFAULT_MAX_EPOCHS);
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
  lab_queue_push (self->commands, cmd);

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

void
lab_trainer_play (LabTrainer *self)
{
  g_return_if_fail (LAB_IS_TRAINER (self));

  lab_trainer_issue (self, lab_command_new (LAB_CMD_PLAY), FALSE);
}

void
lab_trainer_pause (LabTrainer *self)
{
  g_return_if_fail (LAB_IS_TRAINER (self));

  lab_trainer_issue (self, lab_command_new (LAB_CMD_PAUSE), FALSE);
}

void
lab_trainer_step (LabTrainer *self,
                  int         n_epochs)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));
  g_return_if_fail (n_epochs > 0);

  cmd = lab_command_new (LAB_CMD_STEP);
  cmd->n = n_epochs;
  lab_trainer_issue (self, cmd, FALSE);
}

guint
lab_trainer_reset (LabTrainer *self)
{
  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);

  return lab_trainer_issue (self, lab_command_new (LAB_CMD_RESET), TRUE);
}

guint
lab_trainer_set_settings (LabTrainer     *self,
                          LabRunSettings *settings)
{
  LabCommand *cmd;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);
  g_return_val_if_fail (settings != NULL, 0);

  cmd = lab_command_new (LAB_CMD_SET_SETTINGS);
  cmd->settings = lab_run_settings_ref (settings);
  return lab_trainer_issue (self, cmd, TRUE);
}

guint
lab_trainer_reseed (LabTrainer *self,
                    guint64     seed)
{
  LabCommand *cmd;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);

  cmd = lab_command_new (LAB_CMD_RESEED);
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

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);
  g_return_val_if_fail (hidden_size >= RNN_HIDDEN_MIN && hidden_size <= RNN_HIDDEN_MAX, 0);
  /* The largest time step depends on the series: the worker checks it. */
  g_return_val_if_fail (time_step >= RNN_TIME_STEP_MIN, 0);
  g_return_val_if_fail (init_params == NULL || n_params == lab_model_param_count (1, hidden_size, 1), 0);
  g_return_val_if_fail (init_params == NULL || params_all_finite (init_params, n_params), 0);

  cmd = lab_command_new (LAB_CMD_SET_SHAPE);
  cmd->n = hidden_size;
  cmd->time_step = time_step;
  if (init_params != NULL)
    {
      cmd->params = g_memdup2 (init_params, n_params * sizeof (float));
      cmd->n_params = n_params;
    }

  return lab_trainer_issue (self, cmd, TRUE);
}

guint
lab_trainer_set_data (LabTrainer      *self,
                      const RnnConfig *config,
                      LabDataSource   *source)
{
  LabCommand *cmd;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);
  g_return_val_if_fail (config != NULL, 0);
  g_return_val_if_fail ((config->series == RNN_SERIES_DATA) == (source != NULL), 0);

  cmd = lab_command_new (LAB_CMD_SET_DATA);
  cmd->config = *config;
  cmd->config.values = NULL;
  cmd->source = source != NULL ? lab_data_source_ref (source) : NULL;

  return lab_trainer_issue (self, cmd, TRUE);
}

guint
lab_trainer_load_params (LabTrainer  *self,
                         const float *params,
                         gsize        n_params)
{
  LabCommand *cmd;

  g_return_val_if_fail (LAB_IS_TRAINER (self), 0);
  g_return_val_if_fail (params != NULL, 0);
  g_return_val_if_fail (params_all_finite (params, n_params), 0);

  cmd = lab_command_new (LAB_CMD_LOAD_PARAMS);
  cmd->params = g_memdup2 (params, n_params * sizeof (float));
  cmd->n_params = n_params;

  return lab_trainer_issue (self, cmd, TRUE);
}

void
lab_trainer_set_lr (LabTrainer *self,
                    double      lr)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));
  g_return_if_fail (lr > 0 && isfinite (lr));

  cmd = lab_command_new (LAB_CMD_SET_LR);
  cmd->value = lr;
  lab_trainer_issue (self, cmd, FALSE);
}

void
lab_trainer_set_speed (LabTrainer *self,
                       double      epochs_per_second)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));

  cmd = lab_command_new (LAB_CMD_SET_SPEED);
  cmd->value = isfinite (epochs_per_second) ? epochs_per_second : 0;
  lab_trainer_issue (self, cmd, FALSE);
}

void
lab_trainer_set_max_epochs (LabTrainer *self,
                            int         max_epochs)
{
  LabCommand *cmd;

  g_return_if_fail (LAB_IS_TRAINER (self));

  cmd = lab_command_new (LAB_CMD_SET_MAX_EPOCHS);
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

  cmd = lab_command_new (LAB_CMD_SELECT_WINDOW);
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

  while ((report = lab_queue_popped (g_async_queue_try_pop (self->reports))) != NULL)
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
        report = lab_queue_popped (g_async_queue_timeout_pop (self->reports, left));
      else
        report = lab_queue_popped (g_async_queue_try_pop (self->reports));
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
      quit = lab_command_new (LAB_CMD_QUIT);
      lab_queue_push_front (self->commands, quit);
    }
  g_mutex_unlock (&self->issue_lock);

  if (thread == NULL)
    return;

  /* The worker frees itself as its thread ends. */
  g_thread_join (thread);
}
