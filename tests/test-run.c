/* test-run.c: the run settings value and the run object (core/), with no
 * display: the learning-rate schedule, the tutorial rule, settings.json's
 * numbers, and a LabRun drained as a window would. */
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "core/lab-model-io.h"
#include "core/lab-run.h"

#define WAIT_US (60 * G_USEC_PER_SEC)

static void
config_small (RnnConfig *cfg)
{
  rnn_config_init_default (cfg);
  cfg->hidden_size = 8;
  cfg->time_step = 5;
}

/* Settings */

static void
test_settings_schedule (void)
{
  RnnConfig cfg;
  g_autoptr(LabRunSettings) s0 = NULL;
  g_autoptr(LabRunSettings) s1 = NULL;
  g_autoptr(LabRunSettings) s2 = NULL;
  g_autoptr(LabRunSettings) s3 = NULL;
  g_autoptr(LabRunSettings) same = NULL;
  g_autoptr(LabRunSettings) first = NULL;
  g_autoptr(LabRunSettings) restart = NULL;

  config_small (&cfg);
  s0 = lab_run_settings_new_seeded (&cfg, 5);
  g_assert_cmpint (s0->init, ==, LAB_INIT_SEED);
  g_assert_null (s0->init_params);

  /* Epoch 4 and later at 0.05, then from 9 at 0.001. */
  s1 = lab_run_settings_with_lr (s0, 4, 0.05);
  s2 = lab_run_settings_with_lr (s1, 9, 0.001);
  g_assert_cmpuint (s0->n_lr_changes, ==, 0); /* values never change */
  g_assert_cmpuint (s2->n_lr_changes, ==, 2);
  g_assert_cmpfloat (lab_run_settings_lr_at (s2, 0), ==, 0.01);
  g_assert_cmpfloat (lab_run_settings_lr_at (s2, 3), ==, 0.01);
  g_assert_cmpfloat (lab_run_settings_lr_at (s2, 4), ==, 0.05);
  g_assert_cmpfloat (lab_run_settings_lr_at (s2, 8), ==, 0.05);
  g_assert_cmpfloat (lab_run_settings_lr_at (s2, 9), ==, 0.001);
  g_assert_cmpfloat (lab_run_settings_get_last_lr (s2), ==, 0.001);

  /* A change at an earlier epoch drops the later ones; the rate already in
   * force is no change. */
  s3 = lab_run_settings_with_lr (s2, 6, 0.2);
  g_assert_cmpuint (s3->n_lr_changes, ==, 2);
  g_assert_cmpint (s3->lr_changes[1].epoch, ==, 6);
  same = lab_run_settings_with_lr (s1, 7, 0.05);
  g_assert_cmpuint (same->n_lr_changes, ==, 1);
  first = lab_run_settings_with_lr (s2, 1, 0.3);
  g_assert_cmpuint (first->n_lr_changes, ==, 0);
  g_assert_cmpfloat (first->config.lr, ==, 0.3);

  /* A new start trains with the last rate from epoch 1, same weights. */
  restart = lab_run_settings_restart (s2);
  g_assert_cmpuint (restart->n_lr_changes, ==, 0);
  g_assert_cmpfloat (restart->config.lr, ==, 0.001);
  g_assert_cmpuint (restart->seed, ==, 5);
  g_assert_cmpint (lab_run_settings_diff (s2, restart), ==, LAB_RUN_CHANGE_LR);
  g_assert_cmpint (lab_run_settings_diff (s0, s0), ==, LAB_RUN_CHANGE_NONE);
}

/* The one rule for the tutorial's weights, and what follows from it. */
static void
test_settings_init (void)
{
  RnnConfig cfg;
  g_autoptr(LabModel) tutorial = lab_model_load_tutorial (NULL);
  g_autoptr(LabRunSettings) t = NULL;
  g_autoptr(LabRunSettings) seeded = NULL;
  g_autoptr(LabRunSettings) other = NULL;
  g_autoptr(LabRunSettings) back = NULL;
  g_autoptr(LabRunSettings) file = NULL;
  g_autoptr(LabRunSettings) reshaped = NULL;
  g_autofree float *params = NULL;
  gsize n;

  rnn_config_init_default (&cfg);
  g_assert_true (lab_run_settings_wants_tutorial (&cfg, 0));
  g_assert_false (lab_run_settings_wants_tutorial (&cfg, 1));
  cfg.hidden_size = 51;
  g_assert_false (lab_run_settings_wants_tutorial (&cfg, 0));
  rnn_config_init_default (&cfg);

  g_assert_nonnull (tutorial);
  t = lab_run_settings_new (&cfg, LAB_TUTORIAL_SEED);
  g_assert_cmpint (t->init, ==, LAB_INIT_TUTORIAL);
  g_assert_cmpuint (t->n_init_params, ==, tutorial->n_params);
  g_assert_cmpmem (t->init_params, t->n_init_params * sizeof (float),
                   tutorial->params, tutorial->n_params * sizeof (float));
  g_assert_cmpuint (lab_run_settings_get_n_params (t), ==, 50 * 50 + 4 * 50 + 1);
  {
    g_autoptr(LabRunSettings) lstm = lab_run_settings_with_cell (t, RNN_CELL_LSTM, 0);

    /* nn.LSTM: four gates, two bias vectors; and the linear output. */
    g_assert_cmpuint (lab_run_settings_get_n_params (lstm), ==, 4 * (50 + 50 * 50 + 2 * 50) + 50 + 1);
  }

  seeded = lab_run_settings_with_seed (t, 3);
  g_assert_cmpint (seeded->init, ==, LAB_INIT_SEED);
  other = lab_run_settings_with_shape (t, 20, 10);
  g_assert_cmpint (other->init, ==, LAB_INIT_SEED);
  back = lab_run_settings_with_shape (other, 50, 10);
  g_assert_cmpint (back->init, ==, LAB_INIT_TUTORIAL);

  /* Weights given: they travel with the value, of their own shape. */
  n = lab_model_param_count (1, 7, 1);
  params = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    params[i] = 0.001f * (float) i;
  g_assert_null (lab_run_settings_with_params (t, 7, params, n - 1));
  file = lab_run_settings_with_params (t, 7, params, n);
  g_assert_cmpint (file->init, ==, LAB_INIT_FILE);
  g_assert_cmpint (file->config.hidden_size, ==, 7);
  g_assert_cmpmem (file->init_params, n * sizeof (float), params, n * sizeof (float));
  g_assert_cmpint (lab_run_settings_diff (t, file), ==, LAB_RUN_CHANGE_SHAPE | LAB_RUN_CHANGE_INIT);
  /* A new shape does not fit them any more. */
  reshaped = lab_run_settings_with_shape (file, 7, 12);
  g_assert_cmpint (reshaped->init, ==, LAB_INIT_SEED);
}

/* Every number of settings.json reads back as the same double, in the
 * shortest of %.15g, %.16g and %.17g. */
static void
test_settings_json (void)
{
  const double values[] = { 0.01, 0.018000000000000002, 0.1 + 0.2, 1.0 / 3.0, 5e-324, 100.0, 0.7 };
  const char *expected[] = { "0.01", "0.018000000000000002", "0.30000000000000004", "0.3333333333333333",
                             "4.94065645841247e-324", "100", "0.7" };
  RnnConfig cfg;
  g_autoptr(LabRunSettings) s = NULL;
  g_autoptr(LabRunSettings) changed = NULL;
  g_autoptr(LabRunSettings) more = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  JsonArray *changes;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      lab_format_double (buf, values[i]);
      g_assert_cmpstr (buf, ==, expected[i]);
      g_assert_true (g_ascii_strtod (buf, NULL) == values[i]);
    }

  config_small (&cfg);
  cfg.period = 1.0 / 3.0;
  s = lab_run_settings_new_seeded (&cfg, 42);
  changed = lab_run_settings_with_lr (s, 3, 0.018000000000000002);
  more = lab_run_settings_with_lr (changed, 30, 0.5);

  /* Only the changes up to the epochs written. */
  bytes = lab_run_settings_to_json (more, 10, "initial-model.json");
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "rnn-lab-settings");
  g_assert_cmpint (json_object_get_int_member (o, "hidden-size"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (o, "epochs"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (o, "seed"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (o, "init"), ==, "seed");
  g_assert_false (json_object_has_member (o, "init-weights"));
  g_assert_true (json_object_get_double_member (o, "period") == 1.0 / 3.0);
  g_assert_true (json_object_get_double_member (o, "lr") == 0.01);
  changes = json_object_get_array_member (o, "lr-changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (changes, 0), "epoch"), ==, 3);
  g_assert_true (json_object_get_double_member (json_array_get_object_element (changes, 0), "lr")
                 == 0.018000000000000002);
}

/* The run */

typedef struct
{
  int          rebuilt;
  LabRunChange change;
  int          shown_notifies;
  int          settings_notifies;
} Seen;

static void
rebuilt_cb (LabRun       *run,
            LabRunChange  change,
            Seen         *seen)
{
  seen->rebuilt++;
  seen->change = change;
}

static void
shown_cb (LabRun     *run,
          GParamSpec *pspec,
          Seen       *seen)
{
  seen->shown_notifies++;
}

static void
settings_cb (LabRun     *run,
             GParamSpec *pspec,
             Seen       *seen)
{
  seen->settings_notifies++;
}

/* Drains as a window's frames would, until the shown epoch is `epoch`
 * with settings of hidden size `hidden` (0: any). */
static void
drain_until_shown (LabRun *run,
                   int     epoch,
                   int     hidden)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  for (;;)
    {
      LabSnapshot *s;

      lab_run_drain (run, 4000);
      s = lab_run_get_shown (run);
      if (s != NULL && s->epoch == epoch
          && (hidden == 0 || lab_run_get_settings (run)->config.hidden_size == hidden)
          && s->generation == lab_trainer_get_generation (lab_run_get_trainer (run)))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

static void
test_run_drain (void)
{
  RnnConfig cfg;
  g_autoptr(LabRunSettings) settings = NULL;
  g_autoptr(LabRun) run = NULL;
  Seen seen = { 0 };
  float train, test;
  LabSnapshot *s;

  config_small (&cfg);
  settings = lab_run_settings_new (&cfg, 9);
  run = lab_run_new (settings, WAIT_US);
  g_assert_nonnull (run);
  g_signal_connect (run, "rebuilt", G_CALLBACK (rebuilt_cb), &seen);
  g_signal_connect (run, "notify::shown", G_CALLBACK (shown_cb), &seen);
  g_signal_connect (run, "notify::settings", G_CALLBACK (settings_cb), &seen);

  /* Epoch 0 is shown at once, with the settings it was made with. */
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 0);
  g_assert_true (lab_run_get_settings (run)->seed == 9);
  g_assert_false (lab_run_get_playing (run));

  lab_run_step (run);
  lab_run_step (run);
  drain_until_shown (run, 2, 0);
  g_assert_cmpint (seen.shown_notifies, >=, 1);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (run)), ==, 2);

  /* Losses next to the picture: those of the weights it shows, not epoch
   * k's record (the loss before its update). */
  s = lab_run_get_shown (run);
  lab_run_get_losses (run, s, &train, &test);
  g_assert_true (train == s->train_loss);
  g_assert_true (test == s->test_loss);
  g_assert_true (train != lab_history_get_train_loss (lab_run_get_history (run))[1]);

  /* A new rate while paused: the same epoch again, with new settings. */
  lab_run_set_lr (run, 0.002);
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_US;

    while (lab_run_settings_lr_at (lab_run_get_settings (run), 3) != 0.002)
      {
        lab_run_drain (run, 4000);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (2000);
      }
  }
  g_assert_cmpint (seen.settings_notifies, >=, 1);
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 2);
  g_assert_cmpint (seen.rebuilt, ==, 0);

  /* Scrubbing back shows epoch 1 and stays there; live returns. */
  lab_run_show_epoch (run, 1);
  g_assert_true (lab_run_get_scrubbing (run));
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 1);
  lab_run_go_live (run);
  g_assert_false (lab_run_get_scrubbing (run));
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 2);

  /* A new shape: "rebuilt" says what changed; the last rate is kept. */
  lab_run_set_shape (run, 12, 5);
  drain_until_shown (run, 0, 12);
  g_assert_cmpint (seen.rebuilt, ==, 1);
  g_assert_true ((seen.change & LAB_RUN_CHANGE_SHAPE) != 0);
  g_assert_cmpfloat (lab_run_get_settings (run)->config.lr, ==, 0.002);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (run)), ==, 0);

  /* A reset replays: a rebuild with nothing changed. */
  lab_run_step (run);
  drain_until_shown (run, 1, 12);
  lab_run_reset (run);
  drain_until_shown (run, 0, 12);
  g_assert_cmpint (seen.rebuilt, ==, 2);
  g_assert_cmpint (seen.change, ==, LAB_RUN_CHANGE_NONE);
}

/* Full-batch training: record k is the loss of the weights after k - 1
 * updates, so the curve by weights is the records shifted by one, then
 * the latest snapshot's own evaluation. */
static void
test_run_loss_curve (void)
{
  RnnConfig cfg;
  g_autoptr(LabRunSettings) settings = NULL;
  g_autoptr(LabRun) run = NULL;
  LabHistory *history;
  const float *train, *test;
  int n;

  config_small (&cfg);
  settings = lab_run_settings_new (&cfg, 4);
  run = lab_run_new (settings, WAIT_US);
  history = lab_run_get_history (run);

  /* Epoch 0: the one point of the initial weights. */
  n = lab_run_get_loss_curve (run, &train, &test);
  g_assert_cmpint (n, ==, 1);
  g_assert_true (train[0] == lab_run_get_latest (run)->train_loss);

  for (int i = 0; i < 3; i++)
    {
      LabSnapshot *before = lab_run_get_latest (run);
      float train_before = before->train_loss, test_before = before->test_loss;

      lab_run_step (run);
      drain_until_shown (run, i + 1, 0);
      /* Record i + 1: the weights the picture of epoch i showed. */
      g_assert_cmpfloat_with_epsilon (lab_history_get_train_loss (history)[i], train_before,
                                      1e-6 * train_before);
      g_assert_true (lab_history_get_test_loss (history)[i] == test_before);
    }
  n = lab_run_get_loss_curve (run, &train, &test);
  g_assert_cmpint (n, ==, 4);
  for (int i = 0; i < 3; i++)
    g_assert_true (train[i] == lab_history_get_train_loss (history)[i]);
  g_assert_true (train[3] == lab_run_get_latest (run)->train_loss);
  g_assert_true (test[3] == lab_run_get_latest (run)->test_loss);
}

/* Stepping works from the epoch shown: forward through what is recorded,
 * then training; back one recorded epoch at a time. */
static void
test_run_step_from_shown (void)
{
  RnnConfig cfg;
  g_autoptr(LabRunSettings) settings = NULL;
  g_autoptr(LabRun) run = NULL;

  config_small (&cfg);
  settings = lab_run_settings_new (&cfg, 5);
  run = lab_run_new (settings, WAIT_US);
  for (int i = 1; i <= 4; i++)
    {
      lab_run_step (run);
      drain_until_shown (run, i, 0);
    }

  g_assert_true (lab_run_step_back (run));
  g_assert_true (lab_run_step_back (run));
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 2);
  g_assert_true (lab_run_get_scrubbing (run));

  /* Forward: epoch 3, then 4 (live again), no training on the way. */
  lab_run_step (run);
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 3);
  g_assert_true (lab_run_get_scrubbing (run));
  lab_run_step (run);
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 4);
  g_assert_false (lab_run_get_scrubbing (run));
  g_usleep (50000);
  lab_run_drain (run, 4000);
  g_assert_cmpint (lab_run_get_latest_epoch (run), ==, 4);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (run)), ==, 4);

  /* At the latest: one more epoch is trained. */
  lab_run_step (run);
  drain_until_shown (run, 5, 0);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (run)), ==, 5);

  /* Back to epoch 0, and no further. */
  for (int i = 0; i < 5; i++)
    g_assert_true (lab_run_step_back (run));
  g_assert_cmpint (lab_run_get_shown_epoch (run), ==, 0);
  g_assert_false (lab_run_step_back (run));
}

/* A new shape or seed keeps the trained run (its curve, its picture);
 * undo brings back the same history and weights. */
static void
test_run_previous_and_undo (void)
{
  RnnConfig cfg;
  g_autoptr(LabRunSettings) settings = NULL;
  g_autoptr(LabRun) run = NULL;
  const LabRunPrevious *previous;
  g_autofree float *curve = NULL;
  g_autofree float *params = NULL;
  const float *train;
  gsize n_params;
  int n;

  config_small (&cfg);
  settings = lab_run_settings_new (&cfg, 6);
  run = lab_run_new (settings, WAIT_US);
  for (int i = 1; i <= 3; i++)
    {
      lab_run_step (run);
      drain_until_shown (run, i, 0);
    }
  /* A change of rate along the way is part of what undo replays. */
  lab_run_set_lr (run, 0.003);
  for (int i = 4; i <= 6; i++)
    {
      lab_run_step (run);
      drain_until_shown (run, i, 0);
    }
  n = lab_run_get_loss_curve (run, &train, NULL);
  curve = g_memdup2 (train, n * sizeof (float));
  n_params = lab_run_get_latest (run)->n_params;
  params = g_memdup2 (lab_run_get_latest (run)->params, n_params * sizeof (float));
  g_assert_null (lab_run_get_previous (run));

  lab_run_set_shape (run, cfg.hidden_size + 3, cfg.time_step);
  drain_until_shown (run, 0, cfg.hidden_size + 3);
  previous = lab_run_get_previous (run);
  g_assert_nonnull (previous);
  g_assert_cmpint (previous->epoch, ==, 6);
  g_assert_cmpint (previous->n_epochs, ==, 7);
  g_assert_cmpmem (previous->train_loss, 7 * sizeof (float), curve, n * sizeof (float));
  g_assert_cmpint (previous->snapshot->epoch, ==, 6);
  g_assert_cmpint (previous->settings->config.hidden_size, ==, cfg.hidden_size);
  g_assert_nonnull (strstr (previous->label, "hidden"));

  /* An untrained run is not worth keeping: the trained one stays. */
  lab_run_reseed (run, 77);
  drain_until_shown (run, 0, cfg.hidden_size + 3);
  g_assert_true (lab_run_get_previous (run) == previous);

  /* Undo: the same shape, seed and schedule, replayed to epoch 6. */
  lab_run_step (run);
  drain_until_shown (run, 1, cfg.hidden_size + 3);
  g_assert_true (lab_run_undo_rebuild (run));
  drain_until_shown (run, 6, cfg.hidden_size);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (run)), ==, 6);
  n = lab_run_get_loss_curve (run, &train, NULL);
  g_assert_cmpint (n, ==, 7);
  g_assert_cmpmem (train, n * sizeof (float), curve, 7 * sizeof (float));
  g_assert_cmpmem (lab_run_get_latest (run)->params, n_params * sizeof (float),
                   params, n_params * sizeof (float));
  g_assert_cmpfloat (lab_run_settings_lr_at (lab_run_get_settings (run), 6), ==, 0.003);
  /* ... and the run it replaced (seed 77, one epoch) is kept in turn. */
  previous = lab_run_get_previous (run);
  g_assert_nonnull (previous);
  g_assert_cmpint (previous->epoch, ==, 1);
  g_assert_cmpuint (previous->settings->seed, ==, 77);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/run-settings/schedule", test_settings_schedule);
  g_test_add_func ("/app/run-settings/init", test_settings_init);
  g_test_add_func ("/app/run-settings/json", test_settings_json);
  g_test_add_func ("/app/run/drain", test_run_drain);
  g_test_add_func ("/app/run/loss-curve", test_run_loss_curve);
  g_test_add_func ("/app/run/step-from-shown", test_run_step_from_shown);
  g_test_add_func ("/app/run/previous-and-undo", test_run_previous_and_undo);

  return g_test_run ();
}
