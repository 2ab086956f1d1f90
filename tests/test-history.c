/* test-history.c: the UI's record of a generation: every epoch, and a
 * bounded, thinned set of snapshots. */
#include <math.h>

#include <glib.h>

#include "core/lab-history.h"
#include "core/lab-trainer.h"

/* Real snapshots, one per epoch, from a tiny trainer: the history only
 * looks at their epochs, and real ones keep LeakSanitizer honest. */
static LabTrainer *trainer;
static GPtrArray  *pool;   /* LabSnapshot of epochs 0 .. pool->len - 1, one generation */

/* Snapshots of epochs 0 .. n - 1 from a real (tiny) trainer. */
static void
pool_fill (int n)
{
  RnnConfig cfg;
  g_autoptr(LabRunSettings) settings = NULL;
  gint64 deadline;

  rnn_config_init_default (&cfg);
  cfg.hidden_size = 2;
  cfg.time_step = 3;
  settings = lab_run_settings_new_seeded (&cfg, 0);
  trainer = lab_trainer_new (settings);
  g_assert_nonnull (trainer);
  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_step (trainer, n - 1);

  pool = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_snapshot_unref);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((int) pool->len < n)
    {
      LabReport *report = lab_trainer_timed_pop_report (trainer, deadline - g_get_monotonic_time ());

      g_assert_nonnull (report);
      if (report->kind == LAB_REPORT_SNAPSHOT)
        {
          g_assert_cmpint (report->snapshot->epoch, ==, (int) pool->len);
          g_ptr_array_add (pool, lab_snapshot_ref (report->snapshot));
        }
      lab_report_free (report);
    }
}

static LabSnapshot *
pool_get (int epoch)
{
  return g_ptr_array_index (pool, epoch);
}

static void
test_epochs (void)
{
  g_autoptr(LabHistory) history = lab_history_new (0);

  g_assert_cmpuint (lab_history_get_max_snapshots (history), ==, LAB_HISTORY_DEFAULT_SNAPSHOTS);
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 0);

  for (int k = 1; k <= 1000; k++)
    lab_history_add_epoch (history, k, 1.0f / k, 2.0f / k, 3.0f * k);
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 1000);
  for (int k = 1; k <= 1000; k++)
    {
      g_assert_cmpfloat (lab_history_get_train_loss (history)[k - 1], ==, 1.0f / k);
      g_assert_cmpfloat (lab_history_get_test_loss (history)[k - 1], ==, 2.0f / k);
      g_assert_cmpfloat (lab_history_get_grad_norm (history)[k - 1], ==, 3.0f * k);
    }

  /* A repeated epoch cuts back to it; a gap is filled with NaN. */
  lab_history_add_epoch (history, 500, 7.0f, 7.0f, 7.0f);
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 500);
  g_assert_cmpfloat (lab_history_get_train_loss (history)[499], ==, 7.0f);
  lab_history_add_epoch (history, 503, 8.0f, 8.0f, 8.0f);
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 503);
  g_assert_true (isnan (lab_history_get_train_loss (history)[500]));
  g_assert_cmpfloat (lab_history_get_train_loss (history)[502], ==, 8.0f);

  lab_history_clear (history, 2);
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 0);
  g_assert_cmpuint (lab_history_get_generation (history), ==, 2);
}

/* The bound holds at every moment; epoch 0 and the latest are always there;
 * recent epochs are denser than old ones. */
static void
test_thinning (void)
{
  const guint max = 40;
  g_autoptr(LabHistory) history = lab_history_new (max);
  int n = (int) pool->len;

  for (int k = 0; k < n; k++)
    {
      guint count;

      lab_history_add_snapshot (history, pool_get (k));
      count = lab_history_get_n_snapshots (history);
      g_assert_cmpuint (count, <=, max);
      g_assert_cmpint (lab_history_get_snapshot (history, 0)->epoch, ==, 0);
      g_assert_true (lab_history_get_latest (history) == pool_get (k));
      for (guint i = 1; i < count; i++)
        g_assert_cmpint (lab_history_get_snapshot (history, i - 1)->epoch, <,
                         lab_history_get_snapshot (history, i)->epoch);
    }

  /* Thinning happened (n is well above the bound) and kept a useful amount. */
  g_assert_cmpint (n, >, 4 * (int) max);
  g_assert_cmpuint (lab_history_get_n_snapshots (history), >=, max / 2);

  /* The newest quarter is untouched: consecutive epochs. */
  {
    guint count = lab_history_get_n_snapshots (history);

    for (guint i = count - count / 4; i < count; i++)
      g_assert_cmpint (lab_history_get_snapshot (history, i)->epoch, ==,
                       lab_history_get_snapshot (history, i - 1)->epoch + 1);
  }

  /* The default bound. */
  {
    g_autoptr(LabHistory) big = lab_history_new (0);

    for (int round = 0; round < 3; round++)
      for (int k = 0; k < n; k++)
        lab_history_add_snapshot (big, pool_get (k));
    g_assert_cmpuint (lab_history_get_n_snapshots (big), <=, LAB_HISTORY_DEFAULT_SNAPSHOTS);
  }
}

static void
test_lookup (void)
{
  g_autoptr(LabHistory) history = lab_history_new (LAB_HISTORY_MIN_SNAPSHOTS);
  LabSnapshot *s;

  g_assert_null (lab_history_lookup (history, 10));
  g_assert_null (lab_history_get_latest (history));

  lab_history_add_snapshot (history, pool_get (0));
  lab_history_add_snapshot (history, pool_get (5));
  lab_history_add_snapshot (history, pool_get (9));

  g_assert_true (lab_history_lookup (history, 0) == pool_get (0));
  g_assert_true (lab_history_lookup (history, 4) == pool_get (0));
  g_assert_true (lab_history_lookup (history, 5) == pool_get (5));
  g_assert_true (lab_history_lookup (history, 8) == pool_get (5));
  g_assert_true (lab_history_lookup (history, 9) == pool_get (9));
  g_assert_true (lab_history_lookup (history, 1000) == pool_get (9));
  g_assert_null (lab_history_lookup (history, -1));

  /* A snapshot of an epoch already held (a window reselected) replaces it. */
  lab_history_add_snapshot (history, pool_get (9));
  g_assert_cmpuint (lab_history_get_n_snapshots (history), ==, 3);
  lab_history_add_snapshot (history, pool_get (7));
  g_assert_cmpuint (lab_history_get_n_snapshots (history), ==, 3);
  g_assert_true (lab_history_lookup (history, 9) == pool_get (7));

  /* Over a tiny bound: 0 and the latest stay. */
  for (int k = 8; k < 30; k++)
    lab_history_add_snapshot (history, pool_get (k));
  g_assert_cmpuint (lab_history_get_n_snapshots (history), <=, LAB_HISTORY_MIN_SNAPSHOTS);
  g_assert_true (lab_history_lookup (history, 3) == pool_get (0));
  s = lab_history_lookup (history, 29);
  g_assert_true (s == pool_get (29));
}

static void
test_reports (void)
{
  g_autoptr(LabHistory) history = lab_history_new (0);
  LabReport epoch = { .kind = LAB_REPORT_EPOCH, .generation = 3, .epoch = 1, .train_loss = 0.5f };
  LabReport state = { .kind = LAB_REPORT_STATE, .generation = 3 };
  LabReport snapshot = { .kind = LAB_REPORT_SNAPSHOT, .generation = 3, .snapshot = pool_get (0) };

  lab_history_clear (history, 2);
  lab_history_add_epoch (history, 1, 1.0f, 1.0f, 1.0f);
  lab_history_add_epoch (history, 2, 1.0f, 1.0f, 1.0f);

  /* A newer generation clears; an older one is ignored; states are not kept. */
  g_assert_true (lab_history_add_report (history, &epoch));
  g_assert_cmpuint (lab_history_get_generation (history), ==, 3);
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 1);
  g_assert_cmpfloat (lab_history_get_train_loss (history)[0], ==, 0.5f);
  g_assert_false (lab_history_add_report (history, &state));
  g_assert_true (lab_history_add_report (history, &snapshot));
  g_assert_cmpuint (lab_history_get_n_snapshots (history), ==, 1);

  epoch.generation = 2;
  epoch.epoch = 2;
  g_assert_false (lab_history_add_report (history, &epoch));
  g_assert_cmpint (lab_history_get_n_epochs (history), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  pool_fill (400);

  g_test_add_func ("/app/history/epochs", test_epochs);
  g_test_add_func ("/app/history/thinning", test_thinning);
  g_test_add_func ("/app/history/lookup", test_lookup);
  g_test_add_func ("/app/history/reports", test_reports);

  status = g_test_run ();

  g_ptr_array_unref (pool);
  g_object_unref (trainer);
  return status;
}
