/* test-compare.c: compare mode below the window (core/lab-compare.h): two
 * or three runs driven together, each training exactly as it would alone,
 * the first model's rebuilds carried to the others, and the labels. */
#include <string.h>

#include "core/lab-compare.h"
#include "tests/run-test-util.h"

#define WAIT_US RUN_TEST_WAIT_US

static LabRunSettings *
small_settings (RnnCell cell,
                int     hidden_size,
                guint64 seed)
{
  RnnConfig cfg;

  rnn_config_init_default (&cfg);
  cfg.hidden_size = hidden_size;
  cfg.time_step = 5;
  cfg.cell = cell;
  return lab_run_settings_new (&cfg, seed);
}

/* Drains every model as a window's frames would, until each shows the
 * latest generation at `epoch`. */
static void
drain_all_until (LabCompare *compare,
                 int         epoch)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  for (;;)
    {
      gboolean all = TRUE;

      lab_compare_drain (compare, 4000);
      for (guint i = 0; i < lab_compare_get_n_models (compare); i++)
        {
          LabRun *run = lab_compare_get_run (compare, i);
          LabSnapshot *s = lab_run_get_shown (run);

          all &= s != NULL && s->epoch == epoch
                 && s->generation == lab_trainer_get_generation (lab_run_get_trainer (run));
        }
      if (all)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

/* Three cells stepped together: each model's losses, predictions and
 * weights are bit for bit those of the same settings trained alone. */
static void
test_compare_models_train_as_alone (void)
{
  g_autoptr(LabRunSettings) rnn = small_settings (RNN_CELL_RNN, 12, 3);
  g_autoptr(LabRunSettings) lstm = small_settings (RNN_CELL_LSTM, 6, 3);
  g_autoptr(LabRunSettings) gru = small_settings (RNN_CELL_GRU, 7, 3);
  LabRunSettings *others[] = { lstm, gru };
  g_autoptr(LabRun) first = lab_run_new (rnn, WAIT_US);
  g_autoptr(LabCompare) compare = lab_compare_new (first);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 1);
  g_assert_true (lab_compare_set_others (compare, others, NULL, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 3);
  g_assert_true (lab_compare_get_run (compare, 0) == first);

  for (int k = 0; k < 4; k++)
    lab_compare_step (compare);
  drain_all_until (compare, 4);

  for (guint i = 0; i < 3; i++)
    {
      LabRun *run = lab_compare_get_run (compare, i);
      LabRunSettings *settings = i == 0 ? rnn : others[i - 1];
      g_autoptr(LabRun) alone = lab_run_new (settings, WAIT_US);
      LabSnapshot *a, *b;
      LabHistory *ha, *hb;

      for (int k = 0; k < 4; k++)
        lab_run_step (alone);
      run_test_drain_until (alone, 4);

      ha = lab_run_get_history (run);
      hb = lab_run_get_history (alone);
      g_assert_cmpint (lab_history_get_n_epochs (ha), ==, 4);
      g_assert_cmpint (lab_history_get_n_epochs (hb), ==, 4);
      g_assert_cmpmem (lab_history_get_train_loss (ha), 4 * sizeof (float),
                       lab_history_get_train_loss (hb), 4 * sizeof (float));
      a = lab_run_get_shown (run);
      b = lab_run_get_shown (alone);
      g_assert_cmpint (a->cell, ==, settings->config.cell);
      g_assert_cmpint (a->hidden_size, ==, settings->config.hidden_size);
      g_assert_cmpmem (a->params, a->n_params * sizeof (float), b->params, b->n_params * sizeof (float));
      g_assert_cmpmem (a->predictions, a->n_windows * sizeof (float),
                       b->predictions, b->n_windows * sizeof (float));
      /* The time an epoch took is measured. */
      g_assert_cmpfloat (lab_compare_get_ms_per_epoch (compare, i), >, 0);
    }
}

/* The timeline's commands reach every model: scrubbing, going live,
 * stepping back, a reset; speed, epoch limit and window follow the first. */
static void
test_compare_commands (void)
{
  g_autoptr(LabRunSettings) rnn = small_settings (RNN_CELL_RNN, 8, 1);
  g_autoptr(LabRunSettings) gru = small_settings (RNN_CELL_GRU, 5, 1);
  LabRunSettings *others[] = { gru };
  g_autoptr(LabRun) first = lab_run_new (rnn, WAIT_US);
  g_autoptr(LabCompare) compare = lab_compare_new (first);
  LabRun *second;

  lab_run_set_speed (first, 0);
  lab_run_set_max_epochs (first, 12);
  g_assert_true (lab_compare_set_others (compare, others, NULL, 1, NULL));
  second = lab_compare_get_run (compare, 1);
  g_assert_cmpfloat (lab_run_get_speed (second), ==, 0);
  g_assert_cmpint (lab_run_get_max_epochs (second), ==, 12);

  /* Set on the first (as the controls do), taken by the others. */
  lab_run_select_window (first, 7);
  g_assert_cmpint (lab_run_get_selected_window (second), ==, 7);
  lab_run_set_max_epochs (first, 10);
  g_assert_cmpint (lab_run_get_max_epochs (second), ==, 10);

  lab_compare_play (compare);
  g_assert_true (lab_compare_get_training (compare));
  drain_all_until (compare, 10);
  g_assert_cmpint (lab_compare_get_latest_epoch (compare), ==, 10);

  lab_compare_show_epoch (compare, 4);
  for (guint i = 0; i < 2; i++)
    {
      LabRun *run = lab_compare_get_run (compare, i);

      g_assert_true (lab_run_get_scrubbing (run));
      g_assert_cmpint (lab_run_get_shown_epoch (run), <=, 4);
    }
  lab_compare_go_live (compare);
  g_assert_false (lab_run_get_scrubbing (first));
  g_assert_false (lab_run_get_scrubbing (second));
  g_assert_cmpint (lab_run_get_shown_epoch (second), ==, 10);

  lab_compare_reset (compare);
  drain_all_until (compare, 0);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (second)), ==, 0);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (first)), ==, 0);

  /* Stepped epochs are each recorded: one back shows the one before. */
  for (int k = 0; k < 3; k++)
    lab_compare_step (compare);
  drain_all_until (compare, 3);
  g_assert_true (lab_compare_step_back (compare));
  g_assert_cmpint (lab_run_get_shown_epoch (first), ==, 2);
  g_assert_cmpint (lab_run_get_shown_epoch (second), ==, 2);

  /* Alone again: the first model goes on, the second is gone. */
  lab_compare_stop (compare);
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 1);
  g_assert_cmpuint (lab_compare_get_focus (compare), ==, 0);
}

/* The first model's rebuilds: a new shape restarts the others at epoch 0,
 * a new seed and a new series reach them, each keeping its own cell, size
 * and optimizer. */
static void
test_compare_first_rebuilds (void)
{
  g_autoptr(LabRunSettings) rnn = small_settings (RNN_CELL_RNN, 8, 2);
  g_autoptr(LabRunSettings) lstm = small_settings (RNN_CELL_LSTM, 4, 2);
  g_autoptr(LabRunSettings) sgd = NULL;
  LabRunSettings *others[1];
  g_autoptr(LabRun) first = lab_run_new (rnn, WAIT_US);
  g_autoptr(LabCompare) compare = lab_compare_new (first);
  LabRun *second;
  RnnConfig data;

  {
    RnnConfig c = lstm->config;

    c.optimizer = RNN_OPTIMIZER_SGD;
    sgd = lab_run_settings_with_data (lstm, &c, NULL);
  }
  others[0] = sgd;
  g_assert_true (lab_compare_set_others (compare, others, NULL, 1, NULL));
  second = lab_compare_get_run (compare, 1);
  for (int k = 0; k < 3; k++)
    lab_compare_step (compare);
  drain_all_until (compare, 3);

  lab_run_set_shape (first, 10, 5);
  drain_all_until (compare, 0);
  g_assert_cmpint (lab_run_get_settings (first)->config.hidden_size, ==, 10);
  g_assert_cmpint (lab_run_get_settings (second)->config.hidden_size, ==, 4);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (second)), ==, 0);

  lab_run_reseed (first, 77);
  drain_all_until (compare, 0);
  while (lab_run_get_settings (second)->seed != 77)
    drain_all_until (compare, 0);
  g_assert_cmpuint (lab_run_get_settings (second)->seed, ==, 77);

  data = lab_run_get_settings (first)->config;
  data.series = RNN_SERIES_SQUARE;
  data.n_points = 120;
  g_assert_true (lab_run_set_data (first, &data, NULL, NULL));
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_US;

    while (lab_run_get_settings (second)->config.series != RNN_SERIES_SQUARE)
      {
        lab_compare_drain (compare, 4000);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (2000);
      }
  }
  g_assert_cmpint (lab_run_get_settings (second)->config.n_points, ==, 120);
  g_assert_cmpint (lab_run_get_settings (second)->config.cell, ==, RNN_CELL_LSTM);
  g_assert_cmpint (lab_run_get_settings (second)->config.optimizer, ==, RNN_OPTIMIZER_SGD);
}

/* Settings no network can be built for are refused, naming the model,
 * and nothing changes. */
static void
test_compare_refused (void)
{
  g_autoptr(LabRunSettings) rnn = small_settings (RNN_CELL_RNN, 8, 2);
  g_autoptr(LabRunSettings) lstm = small_settings (RNN_CELL_LSTM, 4, 2);
  g_autoptr(LabRunSettings) too_long = lab_run_settings_with_shape (lstm, 4, 99);
  LabRunSettings *good[] = { lstm }, *bad[] = { lstm, too_long };
  g_autoptr(LabRun) first = lab_run_new (rnn, WAIT_US);
  g_autoptr(LabCompare) compare = lab_compare_new (first);
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_compare_set_others (compare, good, NULL, 1, NULL));
  g_assert_false (lab_compare_set_others (compare, bad, NULL, 2, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "3"));
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 2);
  g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, 1))->config.cell, ==, RNN_CELL_LSTM);
}

/* Labels name the cell and size, and what else differs. */
static void
test_compare_labels (void)
{
  g_autoptr(LabRunSettings) a = small_settings (RNN_CELL_RNN, 50, 0);
  g_autoptr(LabRunSettings) b = small_settings (RNN_CELL_LSTM, 24, 0);
  g_autoptr(LabRunSettings) c = lab_run_settings_with_lr (a, 1, 0.1);
  g_autoptr(LabRunSettings) d = lab_run_settings_with_shape (a, 50, 20);
  LabRunSettings *cells[] = { a, b }, *rates[] = { a, c }, *steps[] = { a, d, c };
  g_auto(GStrv) l1 = lab_compare_make_labels (cells, 2);
  g_auto(GStrv) l2 = lab_compare_make_labels (rates, 2);
  g_auto(GStrv) l3 = lab_compare_make_labels (steps, 3);

  g_assert_cmpstr (l1[0], ==, "RNN · 50 units");
  g_assert_cmpstr (l1[1], ==, "LSTM · 24 units");
  g_assert_cmpstr (l2[0], ==, "RNN · lr 0.01");
  g_assert_cmpstr (l2[1], ==, "RNN · lr 0.1");
  g_assert_cmpstr (l3[1], ==, "RNN · T 20 · lr 0.01");
  g_assert_cmpstr (l3[2], ==, "RNN · T 5 · lr 0.1");
}

int
main (int argc, char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compare/models-train-as-alone", test_compare_models_train_as_alone);
  g_test_add_func ("/compare/commands", test_compare_commands);
  g_test_add_func ("/compare/first-rebuilds", test_compare_first_rebuilds);
  g_test_add_func ("/compare/refused", test_compare_refused);
  g_test_add_func ("/compare/labels", test_compare_labels);
  return g_test_run ();
}
