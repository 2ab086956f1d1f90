/* test-trainer.c: the trainer thread, without GTK.
 *
 * Every wait is a bounded lab_trainer_timed_pop_report(); nothing sleeps and
 * hopes. Numbers are compared with an RnnSession driven by hand, bit for bit
 * where the trainer does the same arithmetic in the same order. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "core/lab-trainer.h"

/* Generous: the tests also run under ThreadSanitizer and AddressSanitizer. */
#define WAIT_US (60 * G_USEC_PER_SEC)
/* How long "nothing more arrives" is watched for. */
#define QUIET_US (150 * 1000)

typedef struct
{
  int   epoch;
  float train_loss;
  float test_loss;
  float grad_norm;
} EpochRecord;

/* Everything the reports of one test said, in order. */
typedef struct
{
  GArray          *epochs;        /* EpochRecord */
  GPtrArray       *snapshots;     /* LabSnapshot, owned */
  LabTrainerState  state;
  int              n_states;
  char            *message;       /* of the last state report */
  guint            max_generation;
  guint            min_generation;
} Log;

static Log *
log_new (void)
{
  Log *log = g_new0 (Log, 1);

  log->epochs = g_array_new (FALSE, FALSE, sizeof (EpochRecord));
  log->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_snapshot_unref);
  log->state = LAB_TRAINER_PAUSED;
  log->min_generation = G_MAXUINT;
  return log;
}

static void
log_free (Log *log)
{
  g_array_unref (log->epochs);
  g_ptr_array_unref (log->snapshots);
  g_free (log->message);
  g_free (log);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Log, log_free)

static void
log_clear (Log *log)
{
  g_array_set_size (log->epochs, 0);
  g_ptr_array_set_size (log->snapshots, 0);
  log->n_states = 0;
  g_clear_pointer (&log->message, g_free);
}

/* Takes the report. */
static void
log_add (Log       *log,
         LabReport *report)
{
  log->max_generation = MAX (log->max_generation, report->generation);
  log->min_generation = MIN (log->min_generation, report->generation);

  switch (report->kind)
    {
    case LAB_REPORT_EPOCH:
      {
        EpochRecord r = { report->epoch, report->train_loss, report->test_loss, report->grad_norm };

        g_array_append_val (log->epochs, r);
      }
      break;

    case LAB_REPORT_SNAPSHOT:
      g_assert_nonnull (report->snapshot);
      g_assert_cmpint (report->snapshot->epoch, ==, report->epoch);
      g_assert_cmpuint (report->snapshot->generation, ==, report->generation);
      g_ptr_array_add (log->snapshots, lab_snapshot_ref (report->snapshot));
      break;

    case LAB_REPORT_STATE:
      log->state = report->state;
      log->n_states++;
      g_free (log->message);
      log->message = g_strdup (report->message);
      break;

    default:
      g_assert_not_reached ();
    }

  lab_report_free (report);
}

static LabSnapshot *
log_last_snapshot (Log *log)
{
  g_assert_cmpuint (log->snapshots->len, >, 0);
  return g_ptr_array_index (log->snapshots, log->snapshots->len - 1);
}

static const EpochRecord *
log_epoch (Log *log,
           guint i)
{
  g_assert_cmpuint (i, <, log->epochs->len);
  return &g_array_index (log->epochs, EpochRecord, i);
}

/* Pops reports into log until a state report with this state has arrived.
 * Fails the test on timeout. */
static void
pump_until_state (LabTrainer     *trainer,
                  Log            *log,
                  LabTrainerState state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  for (;;)
    {
      LabReport *report = lab_trainer_timed_pop_report (trainer, deadline - g_get_monotonic_time ());
      gboolean done;

      g_assert_nonnull (report);
      done = report->kind == LAB_REPORT_STATE && report->state == state;
      log_add (log, report);
      if (done)
        return;
    }
}

/* Pops reports until a snapshot of this epoch has arrived. */
static void
pump_until_snapshot (LabTrainer *trainer,
                     Log        *log,
                     int         epoch)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  for (;;)
    {
      LabReport *report = lab_trainer_timed_pop_report (trainer, deadline - g_get_monotonic_time ());
      gboolean done;

      g_assert_nonnull (report);
      done = report->kind == LAB_REPORT_SNAPSHOT && report->epoch == epoch;
      log_add (log, report);
      if (done)
        return;
    }
}

/* Pops reports until n epoch records are in the log. */
static void
pump_until_epochs (LabTrainer *trainer,
                   Log        *log,
                   guint       n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (log->epochs->len < n)
    {
      LabReport *report = lab_trainer_timed_pop_report (trainer, deadline - g_get_monotonic_time ());

      g_assert_nonnull (report);
      log_add (log, report);
    }
}

/* Pops whatever arrives within QUIET_US; returns how many reports came. */
static guint
pump_quiet (LabTrainer *trainer,
            Log        *log)
{
  gint64 deadline = g_get_monotonic_time () + QUIET_US;
  guint n = 0;
  LabReport *report;

  while ((report = lab_trainer_timed_pop_report (trainer, deadline - g_get_monotonic_time ())) != NULL)
    {
      log_add (log, report);
      n++;
    }
  return n;
}

static void
config_init (RnnConfig *cfg,
             int        hidden_size,
             int        time_step,
             int        n_points)
{
  rnn_config_init_default (cfg);
  cfg->hidden_size = hidden_size;
  cfg->time_step = time_step;
  cfg->n_points = n_points;
}

/* A trainer on the tutorial's data, with its epoch-0 snapshot and state
 * already in log. */
static LabTrainer *
trainer_new (const RnnConfig *cfg,
             guint64          seed,
             Log             *log)
{
  g_autoptr(LabRunSettings) settings = lab_run_settings_new_seeded (cfg, seed);
  LabTrainer *trainer = lab_trainer_new (settings);

  g_assert_nonnull (trainer);
  g_assert_cmpuint (lab_trainer_get_generation (trainer), ==, 1);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  g_assert_cmpuint (log->snapshots->len, ==, 1);
  g_assert_cmpint (log_last_snapshot (log)->epoch, ==, 0);
  return trainer;
}

static void
assert_epochs_numbered (Log *log,
                        int  first,
                        int  last)
{
  g_assert_cmpuint (log->epochs->len, ==, (guint) (last - first + 1));
  for (int k = first; k <= last; k++)
    g_assert_cmpint (log_epoch (log, k - first)->epoch, ==, k);
}

static void
test_initial (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  LabSnapshot *s;

  config_init (&cfg, 50, 10, 100);
  trainer = trainer_new (&cfg, 0, log);
  s = log_last_snapshot (log);

  g_assert_cmpint (log->state, ==, LAB_TRAINER_PAUSED);
  g_assert_cmpuint (s->generation, ==, 1);
  g_assert_cmpint (s->n_points, ==, 100);
  g_assert_cmpint (s->time_step, ==, 10);
  g_assert_cmpint (s->hidden_size, ==, 50);
  g_assert_cmpint (s->n_windows, ==, 89);
  g_assert_cmpint (s->n_train, ==, 62);
  g_assert_cmpuint (s->n_params, ==, 50 * 50 + 4 * 50 + 1);
  g_assert_true (isfinite (s->train_loss) && isfinite (s->test_loss));
  g_assert_cmpfloat_with_epsilon (s->series[25], 1.0, 1e-6);

  /* Nothing else comes by itself: paused means paused. */
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);

  g_object_unref (trainer);
}

/* Step N: exactly N epoch records 1..N, a snapshot on every step, and the
 * numbers of an RnnSession driven by hand. */
static void
test_step (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  RnnSession *hand;
  const int N = 6;

  config_init (&cfg, 20, 10, 100);
  trainer = trainer_new (&cfg, 42, log);
  log_clear (log);

  lab_trainer_step (trainer, N);
  pump_until_snapshot (trainer, log, N);
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);

  assert_epochs_numbered (log, 1, N);
  g_assert_cmpuint (log->snapshots->len, ==, N);
  for (int k = 1; k <= N; k++)
    g_assert_cmpint (((LabSnapshot *) g_ptr_array_index (log->snapshots, k - 1))->epoch, ==, k);
  g_assert_cmpint (log->state, ==, LAB_TRAINER_PAUSED);

  /* The same run by hand. The record of epoch k: the loss of epoch k's
   * forward pass, and the test loss of the same weights (before update k). */
  hand = rnn_session_new (&cfg, NULL);
  rnn_session_init_seed (hand, 42);
  for (int k = 1; k <= N; k++)
    {
      const EpochRecord *r = log_epoch (log, k - 1);
      LabSnapshot *s = g_ptr_array_index (log->snapshots, k - 1);
      float loss, grad_norm, train_mse, test_mse;

      /* The trainer records the session's own test loss: bit for bit. */
      test_mse = rnn_session_test_loss (hand);
      g_assert_cmpint (rnn_session_train_epoch (hand, &loss, &grad_norm), ==, RNN_OK);
      g_assert_true (r->train_loss == loss);
      g_assert_true (r->grad_norm == grad_norm);
      g_assert_true (r->test_loss == test_mse);

      /* The snapshot holds the weights after the update. */
      rnn_session_evaluate (hand, NULL, &train_mse, &test_mse);
      g_assert_true (s->train_loss == train_mse);
      g_assert_true (s->test_loss == test_mse);
      g_assert_cmpmem (s->params, s->n_params * sizeof (float),
                       rnn_session_model (hand)->params, s->n_params * sizeof (float));
    }
  rnn_session_free (hand);

  /* Steps add up; the epoch count goes on. */
  log_clear (log);
  lab_trainer_step (trainer, 1);
  lab_trainer_step (trainer, 2);
  pump_until_snapshot (trainer, log, N + 3);
  assert_epochs_numbered (log, N + 1, N + 3);

  g_object_unref (trainer);
}

static void
test_pause_resume (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  int last;

  config_init (&cfg, 16, 10, 100);
  trainer = trainer_new (&cfg, 1, log);
  lab_trainer_set_max_epochs (trainer, 0);
  log_clear (log);

  lab_trainer_play (trainer);
  pump_until_epochs (trainer, log, 5);
  lab_trainer_pause (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);

  /* Stopped on an epoch boundary, with a snapshot of that epoch. */
  last = log_epoch (log, log->epochs->len - 1)->epoch;
  assert_epochs_numbered (log, 1, last);
  g_assert_cmpint (log_last_snapshot (log)->epoch, ==, last);
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);

  /* Resume: the numbering continues. */
  log_clear (log);
  lab_trainer_play (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_RUNNING);
  pump_until_epochs (trainer, log, 3);
  g_assert_cmpint (log_epoch (log, 0)->epoch, ==, last + 1);
  lab_trainer_pause (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  assert_epochs_numbered (log, last + 1, log_epoch (log, log->epochs->len - 1)->epoch);

  g_object_unref (trainer);
}

static void
test_reset_replays (void)
{
  g_autoptr(Log) first = log_new ();
  g_autoptr(Log) second = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  guint generation;
  const int N = 25;

  config_init (&cfg, 32, 10, 100);
  trainer = trainer_new (&cfg, 7, first);
  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_step (trainer, N);
  pump_until_snapshot (trainer, first, N);

  generation = lab_trainer_reset (trainer);
  g_assert_cmpuint (generation, ==, 2);
  g_assert_cmpuint (lab_trainer_get_generation (trainer), ==, 2);
  pump_until_state (trainer, second, LAB_TRAINER_PAUSED);
  g_assert_cmpint (log_last_snapshot (second)->epoch, ==, 0);

  /* Played rather than stepped this time: the numbers must not care. */
  lab_trainer_set_max_epochs (trainer, N);
  lab_trainer_play (trainer);
  pump_until_state (trainer, second, LAB_TRAINER_FINISHED);

  g_assert_cmpuint (second->min_generation, ==, 2);
  g_assert_cmpuint (first->epochs->len, ==, (guint) N);
  assert_epochs_numbered (second, 1, N);
  for (int i = 0; i < N; i++)
    {
      g_assert_true (log_epoch (first, i)->train_loss == log_epoch (second, i)->train_loss);
      g_assert_true (log_epoch (first, i)->test_loss == log_epoch (second, i)->test_loss);
      g_assert_true (log_epoch (first, i)->grad_norm == log_epoch (second, i)->grad_norm);
    }
  g_assert_cmpmem (log_last_snapshot (first)->params, log_last_snapshot (first)->n_params * sizeof (float),
                   log_last_snapshot (second)->params, log_last_snapshot (second)->n_params * sizeof (float));

  g_object_unref (trainer);
}

/* A learning-rate change applies from the next epoch on, with Adam's state kept. */
static void
test_learning_rate (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  RnnSession *hand, *unchanged;
  const int before = 4, after = 4;

  config_init (&cfg, 24, 10, 100);
  trainer = trainer_new (&cfg, 3, log);
  log_clear (log);

  /* Commands act at the next epoch boundary, even inside a step of several
   * epochs: wait for the first step to end. */
  lab_trainer_step (trainer, before);
  pump_until_snapshot (trainer, log, before);
  lab_trainer_set_lr (trainer, 0.05);
  lab_trainer_step (trainer, after);
  pump_until_snapshot (trainer, log, before + after);
  assert_epochs_numbered (log, 1, before + after);

  hand = rnn_session_new (&cfg, NULL);
  unchanged = rnn_session_new (&cfg, NULL);
  rnn_session_init_seed (hand, 3);
  rnn_session_init_seed (unchanged, 3);
  for (int k = 1; k <= before + after; k++)
    {
      float loss, other;

      if (k == before + 1)
        rnn_session_set_lr (hand, 0.05);
      g_assert_cmpint (rnn_session_train_epoch (hand, &loss, NULL), ==, RNN_OK);
      g_assert_cmpint (rnn_session_train_epoch (unchanged, &other, NULL), ==, RNN_OK);
      g_assert_true (log_epoch (log, k - 1)->train_loss == loss);
      /* The first epoch trained at the new rate shows in the loss after it. */
      if (k <= before + 1)
        g_assert_true (loss == other);
      else
        g_assert_true (loss != other);
    }
  rnn_session_free (hand);
  rnn_session_free (unchanged);

  /* The settings say it: epochs 1 .. before at the first rate, from
   * before + 1 on at the new one, in the last snapshot and every report. */
  {
    LabSnapshot *s = log_last_snapshot (log);

    g_assert_cmpuint (s->settings->n_lr_changes, ==, 1);
    g_assert_cmpint (s->settings->lr_changes[0].epoch, ==, before + 1);
    g_assert_cmpfloat (s->settings->lr_changes[0].lr, ==, 0.05);
    g_assert_cmpfloat (lab_run_settings_lr_at (s->settings, before), ==, cfg.lr);
    g_assert_cmpfloat (lab_run_settings_lr_at (s->settings, before + 1), ==, 0.05);
    g_assert_cmpfloat (lab_snapshot_get_lr (s), ==, 0.05);
    g_assert_cmpfloat (lab_snapshot_get_lr (g_ptr_array_index (log->snapshots, before - 1)), ==, cfg.lr);
  }

  /* Paused, a new rate is announced by a snapshot of the same epoch that
   * carries it (the views show which rate the next epoch gets). */
  log_clear (log);
  lab_trainer_set_lr (trainer, 0.002);
  pump_until_snapshot (trainer, log, before + after);
  g_assert_cmpint (log->epochs->len, ==, 0);
  g_assert_cmpfloat (lab_run_settings_lr_at (log_last_snapshot (log)->settings, before + after + 1), ==, 0.002);
  g_assert_cmpfloat (lab_run_settings_lr_at (log_last_snapshot (log)->settings, before + after), ==, 0.05);

  g_object_unref (trainer);
}

/* A shape change while running: a new generation, paused at epoch 0 with the
 * new sizes, and no report of the old generation gets through. */
static void
test_shape_change (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  LabSnapshot *s;
  guint generation;

  config_init (&cfg, 50, 10, 100);
  trainer = trainer_new (&cfg, 0, log);
  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_play (trainer);
  pump_until_epochs (trainer, log, 3);

  generation = lab_trainer_set_shape (trainer, 8, 5, NULL, 0);
  g_assert_cmpuint (generation, ==, 2);
  log_clear (log);
  log->min_generation = G_MAXUINT;
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);

  g_assert_cmpuint (log->min_generation, ==, 2);
  g_assert_cmpuint (log->epochs->len, ==, 0);
  g_assert_cmpuint (log->snapshots->len, ==, 1);
  s = log_last_snapshot (log);
  g_assert_cmpint (s->epoch, ==, 0);
  g_assert_cmpint (s->hidden_size, ==, 8);
  g_assert_cmpint (s->time_step, ==, 5);
  g_assert_cmpint (s->n_windows, ==, 100 - 5 - 1);
  g_assert_cmpuint (s->n_params, ==, 8 * 8 + 4 * 8 + 1);
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);

  lab_trainer_step (trainer, 1);
  pump_until_snapshot (trainer, log, 1);
  assert_epochs_numbered (log, 1, 1);
  s = log_last_snapshot (log);
  g_assert_cmpint (s->hidden_size, ==, 8);
  g_assert_cmpint (s->time_step, ==, 5);
  g_assert_cmpuint (log->max_generation, ==, 2);

  g_object_unref (trainer);
}

/* Quit while a long epoch runs: shutdown waits for that epoch only. */
static void
test_quit_running (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  gint64 t0, epoch_us, shutdown_us;

  config_init (&cfg, 128, 32, 1000);
  trainer = trainer_new (&cfg, 0, log);

  /* How long one epoch takes here (sanitizers make it slower). */
  t0 = g_get_monotonic_time ();
  lab_trainer_step (trainer, 1);
  pump_until_snapshot (trainer, log, 1);
  epoch_us = g_get_monotonic_time () - t0;

  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_play (trainer);
  pump_until_epochs (trainer, log, 2);

  /* Queued reports and commands are freed with the trainer (LeakSanitizer). */
  lab_trainer_step (trainer, 5);
  t0 = g_get_monotonic_time ();
  lab_trainer_shutdown (trainer);
  shutdown_us = g_get_monotonic_time () - t0;
  g_test_message ("one epoch %.1f ms, shutdown %.1f ms", epoch_us / 1e3, shutdown_us / 1e3);
  g_assert_cmpint (shutdown_us, <, 3 * epoch_us + G_USEC_PER_SEC);

  /* Commands after shutdown are ignored, and shutting down twice is fine. */
  lab_trainer_play (trainer);
  lab_trainer_reset (trainer);
  lab_trainer_shutdown (trainer);
  g_object_unref (trainer);
}

/* A burst of random commands, then a known state must still be reachable. */
static void
test_command_burst (void)
{
  g_autoptr(Log) log = log_new ();
  /* A different burst on each run, reproducible with the test's --seed. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  RnnConfig cfg;
  LabTrainer *trainer;
  LabSnapshot *s;
  int H = 12, T = 10;
  guint generation = 1;
  int time_step_max = series_time_step_max (100, 0.7);

  config_init (&cfg, H, T, 100);
  trainer = trainer_new (&cfg, 0, log);

  for (int i = 0; i < 1000; i++)
    {
      switch (g_rand_int_range (rand, 0, 12))
        {
        case 0: lab_trainer_play (trainer); break;
        case 1: lab_trainer_pause (trainer); break;
        case 2: lab_trainer_step (trainer, g_rand_int_range (rand, 1, 4)); break;
        case 3: generation = lab_trainer_reset (trainer); break;
        case 4: generation = lab_trainer_reseed (trainer, g_rand_int (rand)); break;
        case 5:
          H = g_rand_int_range (rand, 1, 33);
          T = g_rand_int_range (rand, 1, time_step_max + 1);
          generation = lab_trainer_set_shape (trainer, H, T, NULL, 0);
          break;
        case 6:
          {
            gsize n = (gsize) H * H + 4 * H + 1;
            g_autofree float *params = g_new (float, n);

            for (gsize j = 0; j < n; j++)
              params[j] = (float) g_rand_double_range (rand, -0.3, 0.3);
            generation = lab_trainer_load_params (trainer, params, n);
          }
          break;
        case 7: lab_trainer_set_lr (trainer, g_rand_double_range (rand, 1e-4, 0.1)); break;
        case 8: lab_trainer_set_speed (trainer, g_rand_boolean (rand) ? 0 : g_rand_double_range (rand, 1, 2000)); break;
        case 9: lab_trainer_set_max_epochs (trainer, g_rand_int_range (rand, 0, 40)); break;
        case 10: lab_trainer_select_window (trainer, g_rand_int_range (rand, 0, 120)); break;
        case 11:
          /* The caller drains now and then, as the UI does. */
          {
            LabReport *report = lab_trainer_pop_report (trainer);

            if (report != NULL)
              {
                g_assert_cmpuint (report->generation, ==, lab_trainer_get_generation (trainer));
                lab_report_free (report);
              }
          }
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_cmpuint (lab_trainer_get_generation (trainer), ==, generation);
    }

  /* Back to a known state: paused at epoch 0 of a new generation. */
  lab_trainer_pause (trainer);
  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_set_speed (trainer, 0);
  lab_trainer_select_window (trainer, 0);
  generation = lab_trainer_reset (trainer);
  log_clear (log);
  log->min_generation = G_MAXUINT;
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  g_assert_cmpuint (log->min_generation, ==, generation);
  g_assert_cmpint (log_last_snapshot (log)->epoch, ==, 0);

  lab_trainer_step (trainer, 1);
  pump_until_snapshot (trainer, log, 1);
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);
  assert_epochs_numbered (log, 1, 1);
  s = log_last_snapshot (log);
  g_assert_cmpint (s->hidden_size, ==, H);
  g_assert_cmpint (s->time_step, ==, T);
  g_assert_cmpint (s->window, ==, 0);
  g_assert_cmpuint (log->max_generation, ==, generation);
  g_assert_true (isfinite (s->train_loss));

  g_object_unref (trainer);
}

static gboolean
snapshot_is_finite (const LabSnapshot *s)
{
  if (!isfinite (s->train_loss) || !isfinite (s->test_loss))
    return FALSE;
  for (int k = 0; k < s->n_windows; k++)
    if (!isfinite (s->predictions[k]))
      return FALSE;
  return TRUE;
}

/* A huge learning rate: the run pauses as DIVERGED on the last good epoch. */
static void
test_diverge (void)
{
  g_autoptr(Log) log = log_new ();
  g_autoptr(LabSnapshot) good = NULL;
  g_autofree char *expected = NULL;
  RnnConfig cfg;
  LabTrainer *trainer;
  LabSnapshot *s;

  config_init (&cfg, 64, 10, 100);
  trainer = trainer_new (&cfg, 0, log);
  lab_trainer_step (trainer, 3);
  pump_until_snapshot (trainer, log, 3);
  good = lab_snapshot_ref (log_last_snapshot (log));
  g_assert_true (snapshot_is_finite (good));

  log_clear (log);
  lab_trainer_set_lr (trainer, 1e30);
  lab_trainer_play (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_DIVERGED);
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);

  /* No epoch past the last good one, and the views keep that one. */
  g_assert_cmpuint (log->epochs->len, ==, 0);
  g_assert_nonnull (log->message);
  expected = g_strdup_printf ("epoch %d", 4);
  g_assert_nonnull (strstr (log->message, expected));
  if (log->snapshots->len > 0)
    {
      s = log_last_snapshot (log);
      g_assert_cmpint (s->epoch, ==, 3);
      g_assert_true (snapshot_is_finite (s));
      g_assert_cmpmem (s->params, s->n_params * sizeof (float), good->params, good->n_params * sizeof (float));
    }

  /* The weights really are the good ones: a window reselected shows them. */
  lab_trainer_select_window (trainer, 2);
  pump_until_snapshot (trainer, log, 3);
  s = log_last_snapshot (log);
  g_assert_cmpint (s->window, ==, 2);
  g_assert_true (snapshot_is_finite (s));
  g_assert_cmpmem (s->params, s->n_params * sizeof (float), good->params, good->n_params * sizeof (float));

  /* What the message says to do works. */
  lab_trainer_set_lr (trainer, 0.01);
  lab_trainer_reset (trainer);
  log_clear (log);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  lab_trainer_step (trainer, 1);
  pump_until_snapshot (trainer, log, 1);
  g_assert_true (snapshot_is_finite (log_last_snapshot (log)));

  g_object_unref (trainer);
}

/* Injected weights so large that the very first loss overflows. */
static void
test_diverge_loaded (void)
{
  g_autoptr(Log) log = log_new ();
  g_autofree float *params = NULL;
  RnnConfig cfg;
  LabTrainer *trainer;
  gsize n = 16 * 16 + 4 * 16 + 1;

  config_init (&cfg, 16, 10, 100);
  trainer = trainer_new (&cfg, 0, log);

  params = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    params[i] = 1e30f;
  lab_trainer_load_params (trainer, params, n);
  log_clear (log);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  g_assert_cmpint (log_last_snapshot (log)->epoch, ==, 0);
  g_assert_cmpmem (log_last_snapshot (log)->params, n * sizeof (float), params, n * sizeof (float));

  lab_trainer_step (trainer, 1);
  pump_until_state (trainer, log, LAB_TRAINER_DIVERGED);
  g_assert_cmpuint (log->epochs->len, ==, 0);
  g_assert_nonnull (log->message);

  g_object_unref (trainer);
}

/* The speed limit holds (loosely: never more than twice the limit), and the
 * paced wait still answers commands at once. */
static void
test_speed_limit (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  gint64 t0, window_us = G_USEC_PER_SEC, pause_us;
  const double speed = 20;
  guint n;

  config_init (&cfg, 8, 10, 100);
  trainer = trainer_new (&cfg, 0, log);
  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_set_speed (trainer, speed);
  lab_trainer_play (trainer);
  pump_until_epochs (trainer, log, 1);

  log_clear (log);
  t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < window_us)
    {
      LabReport *report = lab_trainer_timed_pop_report (trainer, t0 + window_us - g_get_monotonic_time ());

      if (report != NULL)
        log_add (log, report);
    }
  n = log->epochs->len;
  g_test_message ("%u epochs in one second at a limit of %.0f per second", n, speed);
  g_assert_cmpuint (n, <=, 2 * speed);
  g_assert_cmpuint (n, >=, 2);

  /* Half an epoch per second: the worker waits two seconds for the next
   * epoch, yet a pause is answered long before. */
  lab_trainer_set_speed (trainer, 0.5);
  pump_quiet (trainer, log);
  t0 = g_get_monotonic_time ();
  lab_trainer_pause (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  pause_us = g_get_monotonic_time () - t0;
  g_assert_cmpint (pause_us, <, G_USEC_PER_SEC);

  g_object_unref (trainer);
}

/* The epoch limit: FINISHED, with a snapshot of the last epoch; raising
 * the limit allows more. While running, snapshots are coalesced. */
static void
test_max_epochs (void)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  gint64 t0, elapsed;
  const int limit = 150;

  config_init (&cfg, 8, 10, 100);
  trainer = trainer_new (&cfg, 0, log);
  log_clear (log);

  lab_trainer_set_max_epochs (trainer, limit);
  t0 = g_get_monotonic_time ();
  lab_trainer_play (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_FINISHED);
  elapsed = g_get_monotonic_time () - t0;
  g_assert_cmpuint (pump_quiet (trainer, log), ==, 0);

  assert_epochs_numbered (log, 1, limit);
  g_assert_cmpint (log_last_snapshot (log)->epoch, ==, limit);
  g_assert_nonnull (log->message);
  /* At most one snapshot per 16 ms while running, plus the last one. */
  g_test_message ("%u snapshots for %d epochs in %.1f ms", log->snapshots->len, limit, elapsed / 1e3);
  g_assert_cmpuint (log->snapshots->len, <=, elapsed / 16000 + 2);

  /* At the limit, play and step do nothing but say so. */
  log_clear (log);
  lab_trainer_play (trainer);
  lab_trainer_step (trainer, 1);
  pump_quiet (trainer, log);
  g_assert_cmpuint (log->epochs->len, ==, 0);
  g_assert_cmpint (log->state, ==, LAB_TRAINER_FINISHED);

  lab_trainer_set_max_epochs (trainer, limit + 2);
  pump_until_state (trainer, log, LAB_TRAINER_PAUSED);
  lab_trainer_play (trainer);
  pump_until_state (trainer, log, LAB_TRAINER_FINISHED);
  assert_epochs_numbered (log, limit + 1, limit + 2);

  g_object_unref (trainer);
}

/* The hidden states in a snapshot are those of the selected window, as the
 * engine computes them. */
static void
test_select_window (void)
{
  g_autoptr(Log) log = log_new ();
  g_autofree float *expected = NULL;
  g_autofree float *again = NULL;
  RnnConfig cfg;
  LabTrainer *trainer;
  RnnSession *hand;
  LabSnapshot *s;
  const int H = 10, T = 6, window = 70;

  config_init (&cfg, H, T, 100);
  trainer = trainer_new (&cfg, 5, log);
  lab_trainer_step (trainer, 2);
  pump_until_snapshot (trainer, log, 2);
  lab_trainer_select_window (trainer, window);
  pump_until_snapshot (trainer, log, 2);
  s = log_last_snapshot (log);
  g_assert_cmpint (s->window, ==, window);

  hand = rnn_session_new (&cfg, NULL);
  rnn_session_init_seed (hand, 5);
  rnn_session_train_epoch (hand, NULL, NULL);
  rnn_session_train_epoch (hand, NULL, NULL);
  rnn_session_evaluate (hand, NULL, NULL, NULL);
  expected = g_new (float, T * H);
  again = g_new (float, T * H);
  rnn_session_hidden (hand, window, expected);
  lab_snapshot_get_hidden (s, window, again);
  for (int i = 0; i < T * H; i++)
    {
      g_assert_cmpfloat_with_epsilon (s->hidden[i], expected[i], 1e-5);
      g_assert_true (s->hidden[i] == again[i]);
    }
  rnn_session_free (hand);

  /* A window past the end is clamped to the last one. */
  lab_trainer_select_window (trainer, 10000);
  pump_until_snapshot (trainer, log, 2);
  g_assert_cmpint (log_last_snapshot (log)->window, ==, 100 - T - 2);

  g_object_unref (trainer);
}

/* What the cell views draw: each snapshot carries the |dL/dh_t| of the epoch
 * that produced it (those of a session driven by hand, bit for bit; none at
 * epoch 0), and its window's gates and cell states as the engine computes
 * them from the snapshot's weights. Clipping reaches the session. */
static void
check_cell_views (RnnCell cell)
{
  g_autoptr(Log) log = log_new ();
  RnnConfig cfg;
  LabTrainer *trainer;
  RnnSession *hand;
  const int H = 8, T = 7, window = 40, N = 3;
  int G = rnn_cell_gate_count (cell);
  g_autofree float *hs = g_new (float, T * H);
  g_autofree float *cs = g_new (float, T * H);
  g_autofree float *gates = g_new (float, T * G * H);
  g_autofree float *session_gates = g_new (float, T * G * H);

  config_init (&cfg, H, T, 100);
  cfg.cell = cell;
  cfg.clip_grad_norm = 0.05;
  trainer = trainer_new (&cfg, 3, log);
  g_assert_null (log_last_snapshot (log)->grad_norms);
  g_assert_cmpint (log_last_snapshot (log)->cell, ==, cell);
  lab_trainer_select_window (trainer, window);
  pump_until_snapshot (trainer, log, 0);
  log_clear (log);
  lab_trainer_step (trainer, N);
  pump_until_snapshot (trainer, log, N);
  g_assert_cmpuint (log->snapshots->len, ==, N);

  hand = rnn_session_new (&cfg, NULL);
  rnn_session_init_seed (hand, 3);
  for (int k = 1; k <= N; k++)
    {
      LabSnapshot *s = g_ptr_array_index (log->snapshots, k - 1);
      const float *norms = rnn_session_grad_norms (hand);

      g_assert_cmpint (rnn_session_train_epoch (hand, NULL, NULL), ==, RNN_OK);
      g_assert_cmpint (s->epoch, ==, k);
      g_assert_cmpint (s->settings->config.cell, ==, cell);
      g_assert_cmpfloat (s->settings->config.clip_grad_norm, ==, 0.05);
      g_assert_nonnull (s->grad_norms);
      for (int t = 0; t < T; t++)
        {
          g_assert_true (s->grad_norms[t] == norms[t]);
          g_assert_cmpfloat (norms[t], >, 0.0f);
        }
      /* clipped updates: the weights are still the session's */
      g_assert_cmpmem (s->params, s->n_params * sizeof (float),
                       rnn_session_model (hand)->params, s->n_params * sizeof (float));

      g_assert_cmpint (s->window, ==, window);
      g_assert_cmpint (s->n_gates, ==, G);
      rnn_window_states (cell, hs, cs, gates, s->inputs + window, s->params, T, 1, H, 1);
      g_assert_cmpmem (s->hidden, T * H * sizeof (float), hs, T * H * sizeof (float));
      g_assert_cmpmem (s->gates, T * G * H * sizeof (float), gates, T * G * H * sizeof (float));
      if (rnn_cell_has_state (cell))
        g_assert_cmpmem (s->cell_state, T * H * sizeof (float), cs, T * H * sizeof (float));
      else
        g_assert_null (s->cell_state);

      /* and they are what training computes for that window */
      rnn_session_evaluate (hand, NULL, NULL, NULL);
      rnn_session_gates (hand, window, session_gates);
      for (int i = 0; i < T * G * H; i++)
        g_assert_cmpfloat_with_epsilon (s->gates[i], session_gates[i], 1e-5);
      if (rnn_cell_has_state (cell))
        {
          rnn_session_cell_state (hand, window, cs);
          for (int i = 0; i < T * H; i++)
            g_assert_cmpfloat_with_epsilon (s->cell_state[i], cs[i], 1e-5);
        }
      rnn_session_hidden (hand, window, hs);
      for (int i = 0; i < T * H; i++)
        g_assert_cmpfloat_with_epsilon (s->hidden[i], hs[i], 1e-5);
    }
  rnn_session_free (hand);
  g_object_unref (trainer);
}

static void
test_cell_views_rnn (void)
{
  check_cell_views (RNN_CELL_RNN);
}

static void
test_cell_views_lstm (void)
{
  check_cell_views (RNN_CELL_LSTM);
}

static void
test_cell_views_gru (void)
{
  check_cell_views (RNN_CELL_GRU);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/trainer/initial", test_initial);
  g_test_add_func ("/app/trainer/step", test_step);
  g_test_add_func ("/app/trainer/pause-resume", test_pause_resume);
  g_test_add_func ("/app/trainer/reset-replays", test_reset_replays);
  g_test_add_func ("/app/trainer/learning-rate", test_learning_rate);
  g_test_add_func ("/app/trainer/shape-change", test_shape_change);
  g_test_add_func ("/app/trainer/quit-running", test_quit_running);
  g_test_add_func ("/app/trainer/command-burst", test_command_burst);
  g_test_add_func ("/app/trainer/diverge", test_diverge);
  g_test_add_func ("/app/trainer/diverge-loaded", test_diverge_loaded);
  g_test_add_func ("/app/trainer/speed-limit", test_speed_limit);
  g_test_add_func ("/app/trainer/max-epochs", test_max_epochs);
  g_test_add_func ("/app/trainer/select-window", test_select_window);
  g_test_add_func ("/app/trainer/cell-views/rnn", test_cell_views_rnn);
  g_test_add_func ("/app/trainer/cell-views/lstm", test_cell_views_lstm);
  g_test_add_func ("/app/trainer/cell-views/gru", test_cell_views_gru);

  return g_test_run ();
}
