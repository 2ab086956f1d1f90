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
 *   reports, which are copies.
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

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "app/lab-trainer.h"
#include "engine/series.h"

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
/* The per-epoch test loss runs forward over the test windows in chunks of
 * at most this many, so its scratch stays small for any series. */
#define TEST_CHUNK 256

/* GAsyncQueue hands every command and report from one thread to the other,
 * but GLib is not built with ThreadSanitizer and its futex-based locks are
 * invisible to it. So each item is released before it is pushed and
 * acquired after it is popped, which tells ThreadSanitizer exactly the
 * happens-before edge the queue provides. Reference counts shared across
 * threads use g_atomic_int (inline, so instrumented), not GLib's functions. */
#if defined(__SANITIZE_THREAD__)
# define LAB_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define LAB_TSAN 1
# endif
#endif
#ifdef LAB_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
#endif

static inline void
queue_push (GAsyncQueue *queue,
            gpointer     item)
{
#ifdef LAB_TSAN
  __tsan_release (item);
#endif
  g_async_queue_push (queue, item);
}

static inline void
queue_push_front (GAsyncQueue *queue,
                  gpointer     item)
{
#ifdef LAB_TSAN
  __tsan_release (item);
#endif
  g_async_queue_push_front (queue, item);
}

/* Wraps every pop: returns item (may be NULL). */
static inline gpointer
queue_popped (gpointer item)
{
#ifdef LAB_TSAN
  if (item != NULL)
    __tsan_acquire (item);
#endif
  return item;
}

typedef enum
{
  CMD_PLAY,
  CMD_PAUSE,
  CMD_STEP,
  CMD_RESET,
  CMD_RESEED,
  CMD_SET_SHAPE,
  CMD_LOAD_PARAMS,
  CMD_SET_LR,
  CMD_SET_SPEED,
  CMD_SET_MAX_EPOCHS,
  CMD_SELECT_WINDOW,
  CMD_QUIT,
} LabCommandKind;

typedef struct
{
  LabCommandKind kind;
  guint          generation; /* commands that start a generation: its number */
  int            n;          /* step: epochs; set_shape: hidden size; max epochs; window */
  int            time_step;  /* set_shape */
  double         value;      /* lr, speed */
  guint64        seed;       /* reseed */
  float         *params;     /* set_shape, load_params: starting weights or NULL (owned) */
  gsize          n_params;
} LabCommand;

/* The series of a generation, shared by all its snapshots. */
typedef struct
{
  int   ref_count; /* atomic */
  int   n_points;
  float data[];    /* (n_points) */
} LabSeries;

/* The snapshot as allocated: the public struct, its reference count, and the
 * series it shares with every snapshot of its generation. predictions, hidden
 * and params live in the same block, after this struct. */
typedef struct
{
  LabSnapshot pub;
  int         ref_count; /* atomic */
  LabSeries  *series;
} LabSnapshotReal;

typedef struct
{
  /* Shared with the caller. */
  GAsyncQueue *commands;          /* LabCommand */
  GAsyncQueue *reports;           /* LabReport */
  int         *snapshots_queued;  /* atomic, in the LabTrainer */

  /* The worker's own; the caller touches these only before the thread
   * starts and after it is joined. */
  RnnSession     *session;
  RnnConfig       config;         /* the shape to build on the next rebuild; lr */
  guint64         seed;
  float          *init_params;    /* starting weights of this shape, or NULL: from seed */
  gsize           n_init_params;
  float          *pred;           /* (N) predictions from the last evaluate */
  float          *backup;         /* (n_params) weights before the current update */
  float          *x_test;         /* (T, Nt) per chunk of TEST_CHUNK windows: chunk c is
                                   * (T, nc) time-major at x_test + T * c * TEST_CHUNK */
  float          *hs_test;        /* (T+1, TEST_CHUNK, H) scratch */
  float          *y_test;         /* (TEST_CHUNK) scratch */
  LabSeries      *series;         /* shared with the snapshots */

  guint           generation;     /* the one being reported */
  int             epoch;          /* epochs trained in this generation */
  float           train_mse;      /* the last full evaluate (the last snapshot) */
  float           test_mse;
  float           test_loss;      /* test MSE of the current weights, for the next epoch record */
  LabTrainerState state;
  int             steps_left;     /* step mode: epochs still to run */
  int             max_epochs;     /* <= 0: no limit */
  double          speed;          /* epochs per second, <= 0: unlimited */
  int             window;         /* window for the hidden states */
  gint64          epoch_start;    /* monotonic time the last running epoch began */
  gint64          next_due;       /* running with a speed limit: earliest next epoch */
  gint64          last_snapshot_time;
  gint64          snapshot_cost;  /* microseconds the last snapshot took */
  int             last_snapshot_epoch; /* -1: none in this generation */

  gboolean        pending;        /* a new generation waits to be applied */
  guint           pending_generation;
  gboolean        rebuild;        /* ... and it has a new shape */
} LabTrainerWorker;

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

static LabSeries *
lab_series_new (const float *data,
                int          n_points)
{
  LabSeries *series = g_malloc (sizeof *series + (gsize) n_points * sizeof (float));

  series->ref_count = 1;
  series->n_points = n_points;
  memcpy (series->data, data, (gsize) n_points * sizeof (float));
  return series;
}

static LabSeries *
lab_series_ref (LabSeries *series)
{
  g_atomic_int_inc (&series->ref_count);
  return series;
}

static void
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

static void
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

/* The worker */

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
static void
worker_alloc_test (LabTrainerWorker *w)
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
          worker_alloc_test (w);
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

static gpointer
worker_main (gpointer data)
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

static void
worker_free (LabTrainerWorker *w)
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
  worker_alloc_test (w);

  self->thread = g_thread_new ("lab-trainer", worker_main, w);

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
  g_clear_pointer (&self->worker, worker_free);
}
