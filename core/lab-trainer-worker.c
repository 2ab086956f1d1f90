/* lab-trainer-worker.c: the worker thread of a LabTrainer (see
 * lab-trainer.c): it reads commands, trains between them, and pushes
 * reports, which are copies. Everything here runs on the worker thread,
 * except lab_trainer_worker_alloc_test () and lab_trainer_worker_free (),
 * which the caller runs before the thread starts and after it is joined. */
#include <math.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-trainer-private.h"

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

static void
worker_push (LabTrainerWorker *w,
             LabReport        *report)
{
  if (report->kind == LAB_REPORT_SNAPSHOT)
    g_atomic_int_inc (w->snapshots_queued);
  queue_push (w->reports, report);
}

/* Evaluates the current weights: predictions and both losses. */
static void
worker_evaluate (LabTrainerWorker *w)
{
  rnn_session_evaluate (w->session, w->pred, &w->train_mse, &w->test_mse);
}

/* Copies the test windows into chunks and sizes the scratch: once per shape. */
void
lab_trainer_worker_alloc_test (LabTrainerWorker *w)
{
  const RnnDataset *d = rnn_session_dataset (w->session);
  RnnModel *m = rnn_session_model (w->session);
  int T = d->T, N = d->N, Nt = d->N - d->n_train;

  g_free (w->x_test);
  g_free (w->hs_test);
  g_free (w->y_test);
  w->x_test = g_new (float, (gsize) T * Nt);
  w->hs_test = g_new (float, (gsize) (T + 1) * TEST_CHUNK * m->H);
  w->y_test = g_new (float, TEST_CHUNK);

  for (int c0 = 0; c0 < Nt; c0 += TEST_CHUNK)
    {
      int nc = MIN (TEST_CHUNK, Nt - c0);
      float *x = w->x_test + (gsize) T * c0;

      for (int t = 0; t < T; t++)
        for (int j = 0; j < nc; j++)
          x[t * nc + j] = d->X[(gsize) t * N + d->n_train + c0 + j];
    }
}

/* The test MSE of the current weights: a forward pass over the test windows
 * only, about a third of what rnn_session_evaluate() costs at the tutorial's
 * 70/30 split, so that recording it every epoch barely slows training. */
static float
worker_test_loss (LabTrainerWorker *w)
{
  const RnnDataset *d = rnn_session_dataset (w->session);
  RnnModel *m = rnn_session_model (w->session);
  int T = d->T, Nt = d->N - d->n_train;
  double sum = 0.0;

  for (int c0 = 0; c0 < Nt; c0 += TEST_CHUNK)
    {
      int nc = MIN (TEST_CHUNK, Nt - c0);
      float mse;

      rnn_model_forward (w->y_test, w->hs_test, w->x_test + (gsize) T * c0, m, T, nc);
      mse_forward (&mse, w->y_test, d->Y + d->n_train + c0, nc);
      sum += (double) mse * nc;
    }

  return (float) (sum / Nt);
}

static LabSnapshot *
worker_make_snapshot (LabTrainerWorker *w)
{
  const RnnDataset *d = rnn_session_dataset (w->session);
  RnnModel *m = rnn_session_model (w->session);
  int N = d->N, T = d->T, H = m->H;
  gsize n_floats = (gsize) N + (gsize) T * H + m->n_params;
  LabSnapshotReal *real;
  LabSnapshot *s;
  float *data;

  real = g_malloc (sizeof *real + n_floats * sizeof (float));
  real->ref_count = 1;
  real->series = lab_series_ref (w->series);
  data = (float *) (real + 1);

  s = &real->pub;
  s->generation = w->generation;
  s->epoch = w->epoch;
  s->n_points = d->n_points;
  s->time_step = T;
  s->hidden_size = H;
  s->n_windows = N;
  s->n_train = d->n_train;
  s->train_loss = w->train_mse;
  s->test_loss = w->test_mse;
  s->series = real->series->data;
  s->predictions = data;
  s->window = CLAMP (w->window, 0, N - 1);
  s->hidden = data + N;
  s->n_params = m->n_params;
  s->params = data + N + (gsize) T * H;

  memcpy (s->predictions, w->pred, (gsize) N * sizeof (float));
  memcpy (s->params, m->params, m->n_params * sizeof (float));
  lab_snapshot_get_hidden (s, s->window, s->hidden);

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
  report->snapshot = worker_make_snapshot (w);
  worker_push (w, report);

  w->last_snapshot_epoch = w->epoch;
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
  if (w->last_snapshot_epoch != w->epoch)
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

/* Applies the pending generation: a new session if the shape changed, then
 * the starting weights, epoch 0, and its first snapshot and state. */
static void
worker_apply_generation (LabTrainerWorker *w)
{
  g_autofree char *message = NULL;
  const RnnDataset *d;
  RnnModel *m;

  w->pending = FALSE;
  w->generation = w->pending_generation;

  if (w->rebuild)
    {
      RnnStatus status = RNN_OK;
      RnnSession *session = rnn_session_new (&w->config, &status);

      w->rebuild = FALSE;
      if (session != NULL)
        {
          g_clear_pointer (&w->session, rnn_session_free);
          w->session = session;
          d = rnn_session_dataset (session);
          m = rnn_session_model (session);
          g_free (w->pred);
          g_free (w->backup);
          w->pred = g_new0 (float, d->N);
          w->backup = g_new0 (float, m->n_params);
          g_clear_pointer (&w->series, lab_series_unref);
          w->series = lab_series_new (d->series, d->n_points);
          lab_trainer_worker_alloc_test (w);
        }
      else
        {
          /* Keep the old shape (the caller checks shapes, so this is memory). */
          const RnnConfig *old = rnn_session_config (w->session);

          message = g_strdup_printf (_("Could not build a network with %d hidden units and time step %d. The previous shape is kept."),
                                     w->config.hidden_size, w->config.time_step);
          w->config.hidden_size = old->hidden_size;
          w->config.time_step = old->time_step;
          g_clear_pointer (&w->init_params, g_free);
        }
    }

  m = rnn_session_model (w->session);
  if (w->init_params == NULL ||
      rnn_session_set_params (w->session, w->init_params, w->n_init_params) != RNN_OK)
    {
      g_clear_pointer (&w->init_params, g_free);
      rnn_session_init_seed (w->session, w->seed);
    }
  rnn_session_set_lr (w->session, w->config.lr);

  d = rnn_session_dataset (w->session);
  w->window = CLAMP (w->window, 0, d->N - 1);
  w->epoch = 0;
  w->last_snapshot_epoch = -1;
  w->test_loss = worker_test_loss (w);
  worker_send_snapshot (w);
  if (worker_at_limit (w))
    w->state = LAB_TRAINER_FINISHED;
  worker_send_state (w, message);
  w->next_due = g_get_monotonic_time ();
}

/* Records a command that starts a generation; applied when the queue is empty. */
static void
worker_start_generation (LabTrainerWorker *w,
                         guint             generation)
{
  w->pending = TRUE;
  w->pending_generation = generation;
  w->state = LAB_TRAINER_PAUSED;
  w->steps_left = 0;
  w->epoch = 0;
}

static void
worker_replace_init_params (LabTrainerWorker *w,
                            LabCommand       *cmd)
{
  g_free (w->init_params);
  w->init_params = g_steal_pointer (&cmd->params);
  w->n_init_params = cmd->n_params;
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
    case CMD_PLAY:
      worker_play (w);
      break;

    case CMD_PAUSE:
      worker_pause (w);
      break;

    case CMD_STEP:
      worker_step (w, cmd->n);
      break;

    case CMD_RESET:
      worker_start_generation (w, cmd->generation);
      break;

    case CMD_RESEED:
      w->seed = cmd->seed;
      g_clear_pointer (&w->init_params, g_free);
      worker_start_generation (w, cmd->generation);
      break;

    case CMD_SET_SHAPE:
      w->config.hidden_size = cmd->n;
      w->config.time_step = cmd->time_step;
      worker_replace_init_params (w, cmd);
      w->rebuild = TRUE;
      worker_start_generation (w, cmd->generation);
      break;

    case CMD_LOAD_PARAMS:
      worker_replace_init_params (w, cmd);
      worker_start_generation (w, cmd->generation);
      break;

    case CMD_SET_LR:
      w->config.lr = cmd->value;
      if (w->session != NULL)
        rnn_session_set_lr (w->session, cmd->value);
      break;

    case CMD_SET_SPEED:
      w->speed = cmd->value;
      w->next_due = w->speed > 0 ? w->epoch_start + (gint64) (G_USEC_PER_SEC / w->speed) : 0;
      break;

    case CMD_SET_MAX_EPOCHS:
      worker_set_max_epochs (w, cmd->n);
      break;

    case CMD_SELECT_WINDOW:
      worker_select_window (w, cmd->n);
      break;

    case CMD_QUIT:
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
 * the update takes the weights where the test loss overflows, the weights
 * before the update are put back. Either way the worker pauses on the last
 * good epoch (the engine's Adam state may then be one step ahead, which only
 * matters if training goes on without a reset). Should the train loss
 * overflow first, the next epoch finds it and stops there. */
static void
worker_train_epoch (LabTrainerWorker *w)
{
  RnnModel *m = rnn_session_model (w->session);
  float loss = 0.f, grad_norm = 0.f;
  float test_before = w->test_loss;
  gboolean stepping = w->steps_left > 0;
  LabReport *report;
  RnnStatus status;
  gint64 now;

  if (!stepping)
    {
      w->epoch_start = g_get_monotonic_time ();
      if (w->speed > 0)
        w->next_due = w->epoch_start + (gint64) (G_USEC_PER_SEC / w->speed);
    }

  memcpy (w->backup, m->params, m->n_params * sizeof (float));
  status = rnn_session_train_epoch (w->session, &loss, &grad_norm);
  if (status == RNN_OK)
    {
      float test_loss = worker_test_loss (w);

      if (isfinite (test_loss))
        w->test_loss = test_loss;
      else
        {
          memcpy (m->params, w->backup, m->n_params * sizeof (float));
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

      if (w->pending || w->steps_left > 0)
        return queue_popped (g_async_queue_try_pop (w->commands));
      if (w->state != LAB_TRAINER_RUNNING)
        return queue_popped (g_async_queue_pop (w->commands));

      now = g_get_monotonic_time ();
      if (g_async_queue_length (w->reports) >= MAX_QUEUED_REPORTS)
        wait = BACKPRESSURE_WAIT_US;
      else if (w->speed > 0 && now < w->next_due)
        wait = w->next_due - now;
      if (wait == 0)
        return queue_popped (g_async_queue_try_pop (w->commands));

      cmd = queue_popped (g_async_queue_timeout_pop (w->commands, wait));
      if (cmd != NULL)
        return cmd;
    }
}

gpointer
lab_trainer_worker_main (gpointer data)
{
  LabTrainerWorker *w = data;

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
    }

  return NULL;
}

void
lab_trainer_worker_free (LabTrainerWorker *w)
{
  g_clear_pointer (&w->session, rnn_session_free);
  g_clear_pointer (&w->series, lab_series_unref);
  g_clear_pointer (&w->commands, g_async_queue_unref);
  g_clear_pointer (&w->reports, g_async_queue_unref);
  g_free (w->init_params);
  g_free (w->pred);
  g_free (w->backup);
  g_free (w->x_test);
  g_free (w->hs_test);
  g_free (w->y_test);
  g_free (w);
}
