/* lab-trainer-worker.c: the worker thread of a LabTrainer (see
 * lab-trainer.c): it reads commands, trains between them, and pushes
 * reports, which are copies. Everything here runs on the worker thread,
 * except lab_trainer_worker_new (), which the caller runs before the thread
 * starts.
 *
 * The worker owns the run settings it applies (w->settings): every command
 * that changes them makes a new value from them, and every report carries
 * the value its epoch was trained with. While a new generation is pending,
 * w->settings already holds that generation's. */
#include <errno.h>
#include <math.h>
#include <string.h>
#ifdef __linux__
# include <sys/resource.h>
# include <sys/syscall.h>
# include <unistd.h>
#endif

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-trainer-worker.h"
#include "engine/forecast.h"

/* Running: at most one snapshot per this many microseconds of wall time
 * (about one per frame at 60 Hz). */
#define SNAPSHOT_INTERVAL_US 16000
/* Running: the share of the worker's time that snapshots may take. A
 * snapshot evaluates every window; with a large shape that costs as much as
 * half an epoch, so one per frame would slow training by a third or more.
 * Slow snapshots are spaced out instead (the loss still gets every epoch). */
#define SNAPSHOT_MAX_SHARE 0.1
/* Running: no coalesced snapshot while this many are still waiting in the
 * report queue (a hidden window does not drain it). */
#define MAX_QUEUED_SNAPSHOTS 2
/* Running: no epoch while this many reports wait undrained; the worker waits
 * (on the command queue, so it stays responsive) until the caller catches up.
 * This bounds the report queue to a few megabytes. */
#define MAX_QUEUED_REPORTS 65536
#define BACKPRESSURE_WAIT_US 10000
/* The trainer thread's nice value (the window's is 0). */
#define WORKER_NICE 5

struct _LabTrainerWorker
{
  /* Shared with the caller. */
  GAsyncQueue     *commands;          /* LabCommand */
  GAsyncQueue     *reports;           /* LabReport */
  int             *snapshots_queued;  /* atomic, in the LabTrainer */

  RnnSession      *session;
  LabRunSettings  *settings;          /* the applied settings (or the pending generation's) */
  LabRunSettings  *built;             /* the settings the session was built from */
  float           *pred;              /* (N) predictions from the last evaluate */
  LabSeries       *series;            /* shared with the snapshots */

  guint            generation;        /* the one being reported */
  int              epoch;             /* epochs trained in this generation */
  float            train_mse;         /* the last full evaluate (the last snapshot) */
  float            test_mse;
  float            test_loss;         /* test MSE of the current weights, for the next epoch record */
  LabTrainerState  state;
  int              steps_left;        /* step mode: epochs still to run */
  int              max_epochs;        /* <= 0: no limit */
  double           speed;             /* epochs per second, <= 0: unlimited */
  int              window;            /* window for the hidden states */
  gint64           epoch_start;       /* monotonic time the last running epoch began */
  gint64           next_due;          /* running with a speed limit: earliest next epoch */
  gint64           last_snapshot_time;
  gint64           snapshot_cost;     /* microseconds the last snapshot took */
  int              last_snapshot_epoch; /* -1: none in this generation */
  gboolean         settings_changed;  /* idle: the last snapshot has older settings */

  gboolean         pending;           /* a new generation waits to be applied */
  guint            pending_generation;
  gboolean         rebuild;           /* ... and it has a new shape */
  char            *pending_message;   /* ... and this to say when it is applied */
};

static void
worker_push (LabTrainerWorker *w,
             LabReport        *report)
{
  if (report->kind == LAB_REPORT_SNAPSHOT)
    g_atomic_int_inc (w->snapshots_queued);
  lab_queue_push (w->reports, report);
}

/* Evaluates the current weights: predictions and both losses. */
static void
worker_evaluate (LabTrainerWorker *w)
{
  rnn_session_evaluate (w->session, w->pred, &w->train_mse, &w->test_mse);
}

/* Replaces the settings (takes the new value). */
static void
worker_set_settings (LabTrainerWorker *w,
                     LabRunSettings   *settings)
{
  g_clear_pointer (&w->settings, lab_run_settings_unref);
  w->settings = settings;
}

/* The free-running forecast of the current weights, from the last T true
 * values before the test part, in the series' units. */
static void
worker_forecast (LabTrainerWorker *w,
                 LabSnapshot      *s)
{
  const RnnDataset *d = rnn_session_dataset (w->session);
  RnnModel *m = rnn_session_model (w->session);
  g_autofree float *scratch = NULL;
  g_autofree float *start = NULL;

  if (s->n_forecast <= 0)
    return;
  scratch = g_new (float, rnn_forecast_scratch_size (d->T, m->H, s->n_forecast));
  start = g_new (float, d->T);
  series_forecast_start (start, d);
  rnn_forecast (s->forecast, scratch, start, m, d->T, s->n_forecast);
  series_scale_inverse (s->forecast, &d->scale, s->forecast, s->n_forecast);
}

static LabSnapshot *
worker_make_snapshot (LabTrainerWorker *w)
{
  const RnnDataset *d = rnn_session_dataset (w->session);
  RnnModel *m = rnn_session_model (w->session);
  LabSnapshot *s = lab_snapshot_new (w->series, w->settings, m->H, m->n_params);

  s->generation = w->generation;
  s->epoch = w->epoch;
  s->train_loss = w->train_mse;
  s->test_loss = w->test_mse;
  s->window = CLAMP (w->window, 0, d->N - 1);
  /* The losses are on the model's scale; what is drawn is in the series' units. */
  lab_snapshot_set_predictions (s, w->pred);
  memcpy (s->params, m->params, m->n_params * sizeof (float));
  lab_snapshot_get_states (s, s->window, s->hidden, s->cell_state, s->gates);
  if (w->epoch > 0)
    memcpy (s->grad_norms, rnn_session_grad_norms (w->session), (gsize) d->T * sizeof (float));
  else
    s->grad_norms = NULL;
  worker_forecast (w, s);

  return s;
}

/* Evaluates the current weights and reports them. */
static void
worker_send_snapshot (LabTrainerWorker *w)
{
  LabReport *report = g_new0 (LabReport, 1);
  gint64 start = g_get_monotonic_time ();

  worker_evaluate (w);

  report->kind = LAB_REPORT_SNAPSHOT;
  report->generation = w->generation;
  report->epoch = w->epoch;
  report->train_loss = w->train_mse;
  report->test_loss = w->test_mse;
  report->settings = lab_run_settings_ref (w->settings);
  report->snapshot = worker_make_snapshot (w);
  worker_push (w, report);

  w->last_snapshot_epoch = w->epoch;
  w->settings_changed = FALSE;
  w->last_snapshot_time = g_get_monotonic_time ();
  w->snapshot_cost = w->last_snapshot_time - start;
}

/* Running: the time from one coalesced snapshot to the next. */
static gint64
worker_snapshot_interval (LabTrainerWorker *w)
{
  gint64 spaced = (gint64) (w->snapshot_cost * (1 - SNAPSHOT_MAX_SHARE) / SNAPSHOT_MAX_SHARE);

  return MAX (SNAPSHOT_INTERVAL_US, spaced);
}

/* The views must show the epoch the worker stopped on. */
static void
worker_ensure_snapshot (LabTrainerWorker *w)
{
  if (w->pending)
    return; /* the new generation sends its own */
  if (w->last_snapshot_epoch != w->epoch || w->settings_changed)
    worker_send_snapshot (w);
}

static void
worker_send_state (LabTrainerWorker *w,
                   const char       *message)
{
  LabReport *report = g_new0 (LabReport, 1);

  report->kind = LAB_REPORT_STATE;
  report->generation = w->generation;
  report->epoch = w->epoch;
  report->train_loss = w->train_mse;
  report->test_loss = w->test_mse;
  report->settings = lab_run_settings_ref (w->settings);
  report->state = w->state;
  report->message = g_strdup (message);
  worker_push (w, report);
}

/* While a generation is pending its reports would be dropped anyway: the
 * state is sent once it is applied. */
static void
worker_set_state (LabTrainerWorker *w,
                  LabTrainerState   state,
                  const char       *message)
{
  if (state == w->state && message == NULL)
    return;
  w->state = state;
  if (!w->pending)
    worker_send_state (w, message);
}

static gboolean
worker_at_limit (LabTrainerWorker *w)
{
  return w->max_epochs > 0 && w->epoch >= w->max_epochs;
}

static void
worker_finish (LabTrainerWorker *w)
{
  g_autofree char *message = NULL;

  w->steps_left = 0;
  worker_ensure_snapshot (w);
  message = g_strdup_printf (_("Reached the epoch limit of %d epochs."), w->max_epochs);
  worker_set_state (w, LAB_TRAINER_FINISHED, message);
}

/* A new session for the shape and data of w->settings; on failure the
 * previous one stays, and so do its shape and data, in the settings too
 * (there is only the one copy), with a message to say so. */
static void
worker_rebuild (LabTrainerWorker *w)
{
  RnnStatus status = RNN_OK;
  RnnSession *session = rnn_session_new (&w->settings->config, &status);
  const RnnConfig *old;
  const RnnDataset *d;

  w->rebuild = FALSE;
  if (session == NULL)
    {
      g_autoptr(LabRunSettings) shape = NULL;
      const RnnConfig *want = &w->settings->config;

      old = &w->built->config;
      g_free (w->pending_message);
      if (want->hidden_size != old->hidden_size || want->time_step != old->time_step)
        w->pending_message = g_strdup_printf (_("Could not build a network with %d hidden units and time step %d. The previous shape is kept."),
                                              want->hidden_size, want->time_step);
      else
        w->pending_message = g_strdup_printf (_("Could not cut a series of %d points into windows of %d. The previous series is kept."),
                                              want->n_points, want->time_step);
      shape = lab_run_settings_with_shape (w->settings, old->hidden_size, old->time_step);
      worker_set_settings (w, lab_run_settings_with_data (shape, old, w->built->data));
      return;
    }

  g_clear_pointer (&w->session, rnn_session_free);
  w->session = session;
  g_clear_pointer (&w->built, lab_run_settings_unref);
  w->built = lab_run_settings_ref (w->settings);
  d = rnn_session_dataset (session);
  g_free (w->pred);
  w->pred = g_new0 (float, d->N);
  g_clear_pointer (&w->series, lab_series_unref);
  w->series = lab_series_new (d);
}

/* Applies the pending generation: a new session if the shape changed, then
 * the starting weights, epoch 0, and its first snapshot and state. */
static void
worker_apply_generation (LabTrainerWorker *w)
{
  g_autofree char *message = NULL;
  const LabRunSettings *s;
  const RnnDataset *d;

  w->pending = FALSE;
  w->generation = w->pending_generation;
  if (w->rebuild)
    worker_rebuild (w);
  message = g_steal_pointer (&w->pending_message);

  s = w->settings;
  if (s->init_params == NULL ||
      rnn_session_set_params (w->session, s->init_params, s->n_init_params) != RNN_OK)
    {
      if (s->init_params != NULL)
        worker_set_settings (w, lab_run_settings_with_seed (s, s->seed));
      rnn_session_init_seed (w->session, w->settings->seed);
    }

  d = rnn_session_dataset (w->session);
  w->window = CLAMP (w->window, 0, d->N - 1);
  w->epoch = 0;
  w->last_snapshot_epoch = -1;
  w->test_loss = rnn_session_test_loss (w->session);
  worker_send_snapshot (w);
  if (worker_at_limit (w))
    w->state = LAB_TRAINER_FINISHED;
  worker_send_state (w, message);
  w->next_due = g_get_monotonic_time ();
}

/* Records a command that starts a generation; applied when the queue is empty. */
static void
worker_start_generation (LabTrainerWorker *w,
                         guint             generation,
                         LabRunSettings   *settings)
{
  worker_set_settings (w, settings);
  w->pending = TRUE;
  w->pending_generation = generation;
  w->state = LAB_TRAINER_PAUSED;
  w->steps_left = 0;
  w->epoch = 0;
}

/* set_shape and load_params: the new settings, or on weights that do not
 * fit, the current run again with a message. */
static LabRunSettings *
worker_settings_with_params (LabTrainerWorker *w,
                             LabRunSettings   *base,
                             LabCommand       *cmd)
{
  int H = base->config.hidden_size;
  LabRunSettings *s;

  if (cmd->params == NULL)
    return base;
  s = lab_run_settings_with_params (base, H, cmd->params, cmd->n_params);
  if (s != NULL)
    {
      lab_run_settings_unref (base);
      return s;
    }
  g_free (w->pending_message);
  w->pending_message = g_strdup_printf (_("The weights do not fit a network of %d hidden units. The run starts over as it was."),
                                        H);
  return base;
}

/* A new learning rate: from the next epoch to train (at epoch 0, or with a
 * new generation pending, the rate of epoch 1). */
static void
worker_set_lr (LabTrainerWorker *w,
               double            lr)
{
  int next = w->pending ? 1 : w->epoch + 1;

  if (lab_run_settings_lr_at (w->settings, next) == lr && lab_run_settings_get_last_lr (w->settings) == lr)
    return;
  worker_set_settings (w, lab_run_settings_with_lr (w->settings, next, lr));
  w->settings_changed = !w->pending;
}

static void
worker_play (LabTrainerWorker *w)
{
  if (worker_at_limit (w))
    {
      worker_finish (w);
      return;
    }
  w->steps_left = 0;
  if (w->state != LAB_TRAINER_RUNNING)
    w->next_due = g_get_monotonic_time ();
  worker_set_state (w, LAB_TRAINER_RUNNING, NULL);
}

static void
worker_pause (LabTrainerWorker *w)
{
  if (w->state != LAB_TRAINER_RUNNING && w->steps_left == 0)
    return;
  w->steps_left = 0;
  worker_ensure_snapshot (w);
  worker_set_state (w, LAB_TRAINER_PAUSED, NULL);
}

static void
worker_step (LabTrainerWorker *w,
             int               n)
{
  if (n <= 0)
    return;
  if (worker_at_limit (w))
    {
      worker_finish (w);
      return;
    }
  worker_set_state (w, LAB_TRAINER_PAUSED, NULL);
  w->steps_left = n > G_MAXINT - w->steps_left ? G_MAXINT : w->steps_left + n;
}

static void
worker_set_max_epochs (LabTrainerWorker *w,
                       int               max_epochs)
{
  w->max_epochs = max_epochs;
  if (worker_at_limit (w))
    {
      if (w->state != LAB_TRAINER_FINISHED && w->state != LAB_TRAINER_DIVERGED)
        worker_finish (w);
    }
  else if (w->state == LAB_TRAINER_FINISHED)
    worker_set_state (w, LAB_TRAINER_PAUSED, NULL);
}

static void
worker_select_window (LabTrainerWorker *w,
                      int               window)
{
  w->window = window;
  if (w->pending)
    return;
  w->window = CLAMP (window, 0, rnn_session_dataset (w->session)->N - 1);
  /* Running or stepping: the next snapshot shows it. */
  if (w->state != LAB_TRAINER_RUNNING && w->steps_left == 0)
    worker_send_snapshot (w);
}

/* Returns FALSE on quit. */
static gboolean
worker_handle (LabTrainerWorker *w,
               LabCommand       *cmd)
{
  switch (cmd->kind)
    {
    case LAB_CMD_PLAY:
      worker_play (w);
      break;

    case LAB_CMD_PAUSE:
      worker_pause (w);
      break;

    case LAB_CMD_STEP:
      worker_step (w, cmd->n);
      break;

    case LAB_CMD_RESET:
      worker_start_generation (w, cmd->generation, lab_run_settings_restart (w->settings));
      break;

    case LAB_CMD_RESEED:
      worker_start_generation (w, cmd->generation, lab_run_settings_with_seed (w->settings, cmd->seed));
      break;

    case LAB_CMD_SET_SHAPE:
      {
        LabRunSettings *s = lab_run_settings_with_shape (w->settings, cmd->n, cmd->time_step);

        w->rebuild = TRUE;
        worker_start_generation (w, cmd->generation, worker_settings_with_params (w, s, cmd));
      }
      break;

    case LAB_CMD_SET_DATA:
      w->rebuild = TRUE;
      worker_start_generation (w, cmd->generation,
                               lab_run_settings_with_data (w->settings, &cmd->config, cmd->source));
      break;

    case LAB_CMD_LOAD_PARAMS:
      worker_start_generation (w, cmd->generation,
                               worker_settings_with_params (w, lab_run_settings_restart (w->settings), cmd));
      break;

    case LAB_CMD_SET_SETTINGS:
      /* Restarted from the settings' own schedule: its epoch 1 rate first. */
      w->rebuild = TRUE;
      worker_start_generation (w, cmd->generation, lab_run_settings_ref (cmd->settings));
      break;

    case LAB_CMD_SET_LR:
      worker_set_lr (w, cmd->value);
      break;

    case LAB_CMD_SET_SPEED:
      w->speed = cmd->value;
      w->next_due = w->speed > 0 ? w->epoch_start + (gint64) (G_USEC_PER_SEC / w->speed) : 0;
      break;

    case LAB_CMD_SET_MAX_EPOCHS:
      worker_set_max_epochs (w, cmd->n);
      break;

    case LAB_CMD_SELECT_WINDOW:
      worker_select_window (w, cmd->n);
      break;

    case LAB_CMD_QUIT:
      return FALSE;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static void
worker_diverge (LabTrainerWorker *w)
{
  g_autofree char *message = NULL;

  w->steps_left = 0;
  worker_ensure_snapshot (w);
  message = g_strdup_printf (_("The loss became infinite or not a number at epoch %d. "
                               "Try a smaller learning rate, then Reset."),
                             w->epoch + 1);
  worker_set_state (w, LAB_TRAINER_DIVERGED, message);
}

/* One epoch, and the reports it makes.
 *
 * The epoch record of epoch k holds, like the tutorial's printout, the
 * training loss of epoch k's forward pass, before its update; its test loss
 * is measured on the same weights (those entering epoch k, i.e. after k - 1
 * updates), so the two curves of the loss plot always compare like with like.
 * That test loss is computed right after the previous update (a forward pass
 * over the test windows only) and kept for this record. Snapshots, in
 * contrast, hold the weights after k updates and a full evaluate of those.
 *
 * If the loss or the gradient is not finite the engine applies nothing. If
 * the update takes the weights where the test loss overflows, the session
 * rolls the epoch back (weights and optimizer state). Either way the worker
 * pauses on the last good epoch. Should the train loss overflow first, the
 * next epoch finds it and stops there. */
static void
worker_train_epoch (LabTrainerWorker *w)
{
  float loss = 0.f, grad_norm = 0.f;
  float test_before = w->test_loss;
  gboolean stepping = w->steps_left > 0;
  LabReport *report;
  RnnStatus status;
  gint64 now, start;

  if (!stepping)
    {
      w->epoch_start = g_get_monotonic_time ();
      if (w->speed > 0)
        w->next_due = w->epoch_start + (gint64) (G_USEC_PER_SEC / w->speed);
    }

  /* the rate of this epoch, from the schedule */
  rnn_session_set_lr (w->session, lab_run_settings_lr_at (w->settings, w->epoch + 1));
  start = g_get_monotonic_time ();
  status = rnn_session_train_epoch (w->session, &loss, &grad_norm);
  if (status == RNN_OK)
    {
      float test_loss = rnn_session_test_loss (w->session);

      if (isfinite (test_loss))
        w->test_loss = test_loss;
      else
        {
          rnn_session_rollback (w->session);
          status = RNN_ERR_NONFINITE;
        }
    }
  if (status != RNN_OK)
    {
      worker_diverge (w);
      return;
    }

  w->epoch++;
  report = g_new0 (LabReport, 1);
  report->kind = LAB_REPORT_EPOCH;
  report->generation = w->generation;
  report->epoch = w->epoch;
  report->train_loss = loss;
  report->test_loss = test_before;
  report->grad_norm = grad_norm;
  report->train_ms = (g_get_monotonic_time () - start) / 1000.f;
  report->settings = lab_run_settings_ref (w->settings);
  worker_push (w, report);

  if (stepping)
    w->steps_left--;

  now = g_get_monotonic_time ();
  if (worker_at_limit (w))
    worker_finish (w);
  else if (stepping)
    worker_send_snapshot (w);
  else if (now - w->last_snapshot_time >= worker_snapshot_interval (w) &&
           g_atomic_int_get (w->snapshots_queued) < MAX_QUEUED_SNAPSHOTS)
    worker_send_snapshot (w);
}

/* The next command, waiting as long as there is nothing to do: NULL means
 * it is time to apply a generation or train an epoch. Waiting is always on
 * the command queue, so commands are answered at once, never busy-waiting. */
static LabCommand *
worker_next_command (LabTrainerWorker *w)
{
  for (;;)
    {
      LabCommand *cmd;
      gint64 now, wait = 0;

      if (w->pending || w->steps_left > 0 || w->settings_changed)
        return lab_queue_popped (g_async_queue_try_pop (w->commands));
      if (w->state != LAB_TRAINER_RUNNING)
        return lab_queue_popped (g_async_queue_pop (w->commands));

      now = g_get_monotonic_time ();
      if (g_async_queue_length (w->reports) >= MAX_QUEUED_REPORTS)
        wait = BACKPRESSURE_WAIT_US;
      else if (w->speed > 0 && now < w->next_due)
        wait = w->next_due - now;
      if (wait == 0)
        return lab_queue_popped (g_async_queue_try_pop (w->commands));

      cmd = lab_queue_popped (g_async_queue_timeout_pop (w->commands, wait));
      if (cmd != NULL)
        return cmd;
    }
}

static void
worker_free (LabTrainerWorker *w)
{
  g_clear_pointer (&w->session, rnn_session_free);
  g_clear_pointer (&w->settings, lab_run_settings_unref);
  g_clear_pointer (&w->built, lab_run_settings_unref);
  g_clear_pointer (&w->series, lab_series_unref);
  g_clear_pointer (&w->commands, g_async_queue_unref);
  g_clear_pointer (&w->reports, g_async_queue_unref);
  g_free (w->pending_message);
  g_free (w->pred);
  g_free (w);
}

/* Training is background work: the thread runs at a lower priority than
 * the window's, so that the frames keep coming while two or three trainers
 * (compare mode) keep every core busy. On Linux a thread has its own nice
 * value; elsewhere nothing changes. */
static void
lower_priority (void)
{
#ifdef __linux__
  pid_t tid = (pid_t) syscall (SYS_gettid);
  int now;

  errno = 0;
  now = getpriority (PRIO_PROCESS, (id_t) tid);
  if (errno == 0 && now < WORKER_NICE)
    setpriority (PRIO_PROCESS, (id_t) tid, WORKER_NICE);
#endif
}

gpointer
lab_trainer_worker_main (gpointer data)
{
  LabTrainerWorker *w = data;

  lower_priority ();

  for (;;)
    {
      LabCommand *cmd = worker_next_command (w);

      if (cmd != NULL)
        {
          gboolean go_on = worker_handle (w, cmd);

          lab_command_free (cmd);
          if (!go_on)
            break;
        }
      else if (w->pending)
        worker_apply_generation (w);
      else if (w->steps_left > 0 || w->state == LAB_TRAINER_RUNNING)
        worker_train_epoch (w);
      else if (w->settings_changed)
        worker_send_snapshot (w); /* paused: the views learn the new settings */
    }

  worker_free (w);
  return NULL;
}

LabTrainerWorker *
lab_trainer_worker_new (GAsyncQueue    *commands,
                        GAsyncQueue    *reports,
                        int            *snapshots_queued,
                        LabRunSettings *settings,
                        RnnSession     *session,
                        int             max_epochs)
{
  LabTrainerWorker *w = g_new0 (LabTrainerWorker, 1);
  const RnnDataset *d = rnn_session_dataset (session);

  w->commands = g_async_queue_ref (commands);
  w->reports = g_async_queue_ref (reports);
  w->snapshots_queued = snapshots_queued;
  w->session = session;
  w->settings = lab_run_settings_ref (settings);
  w->built = lab_run_settings_ref (settings);
  w->pred = g_new0 (float, d->N);
  w->series = lab_series_new (d);
  w->state = LAB_TRAINER_PAUSED;
  w->max_epochs = max_epochs;
  w->speed = 0;
  w->last_snapshot_epoch = -1;
  w->pending = TRUE;
  w->pending_generation = 1;

  return w;
}
