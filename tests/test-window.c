/* test-window.c: the main window under Xvfb, driven through its actions,
 * its controls and the trainer; no synthetic input (GTK 4.8 has none). */
#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "core/lab-model-io.h"
#include "engine/series.h"
#include "ui/lab-controls.h"
#include "ui/lab-tooltips.h"
#include "ui/lab-window-export.h"
#include "ui/lab-window.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

static guint save_screenshot (LabWindow *window, const char *name);

static void
activate (LabWindow  *window,
          const char *action)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static gboolean
epoch_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  int epoch = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return lab_window_get_epoch (window) == epoch;
}

static gboolean
epoch_at_least (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  int epoch = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return lab_window_get_epoch (window) >= epoch;
}

static void
wait_for_epoch (LabWindow *window,
                int        epoch,
                gboolean   exact)
{
  gpointer data[2] = { window, GINT_TO_POINTER (epoch) };

  g_assert_true (window_test_wait_until (exact ? epoch_is : epoch_at_least, data));
}

static LabPlotView *
view (LabWindow   *window,
      LabPlotKind  kind)
{
  return lab_window_get_plot_view (window, kind);
}

/* "Loss, epoch 12: ..." or "Hidden state, epoch 12, window 3: ...": the
 * summary names this epoch. */
static void
assert_summary_epoch (LabPlotView *plot,
                      int          epoch)
{
  const char *summary = lab_plot_view_get_summary (plot);
  g_autofree char *prefix = g_strdup_printf (", epoch %d", epoch);
  const char *at;
  char next;

  g_assert_nonnull (summary);
  at = strstr (summary, prefix);
  g_assert_nonnull (at);
  next = at[strlen (prefix)];
  g_assert_true (next == ',' || next == ':');
}

static void
set_speed_unlimited (LabWindow *window)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (window_test_child (window, "speed_scale")));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  g_assert_cmpfloat (lab_window_get_speed (window), <=, 0);
}

/* Tests */

static void
test_window_open (void)
{
  LabWindow *window = window_test_open (app);
  const LabForecastData *forecast;
  const LabHiddenData *hidden;
  const LabLossData *loss;
  const RnnConfig *config;

  /* The tutorial, paused at epoch 0. */
  g_assert_cmpint (lab_window_get_epoch (window), ==, 0);
  g_assert_false (lab_window_get_playing (window));
  g_assert_cmpint (lab_window_get_state (window), ==, LAB_TRAINER_PAUSED);
  config = lab_window_get_config (window);
  g_assert_cmpint (config->hidden_size, ==, 50);
  g_assert_cmpint (config->time_step, ==, 10);
  g_assert_cmpfloat_with_epsilon (config->lr, 0.01, 1e-12);
  g_assert_cmpint (lab_window_get_max_epochs (window), ==, 200);
  g_assert_cmpfloat_with_epsilon (lab_window_get_speed (window), 20, 1e-9);

  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  g_assert_nonnull (forecast);
  g_assert_cmpint (forecast->n_points, ==, 100);
  g_assert_cmpint (forecast->n_windows, ==, 89);
  g_assert_cmpint (forecast->n_train, ==, 62);
  g_assert_nonnull (forecast->predictions);

  hidden = lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN));
  g_assert_nonnull (hidden);
  g_assert_cmpint (hidden->hidden_size, ==, 50);
  g_assert_cmpint (hidden->time_step, ==, 10);

  /* The loss plot from epoch 0: the initial weights' loss, drawn at x = 0. */
  loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  g_assert_nonnull (loss);
  g_assert_true (loss->from_epoch_0);
  g_assert_cmpint (loss->n_epochs, ==, 1);
  g_assert_true (loss->train_loss[0] == lab_window_get_latest_snapshot (window)->train_loss);

  /* The tutorial's PyTorch weights: its epoch 0 training loss. */
  g_assert_nonnull (lab_window_get_latest_snapshot (window));
  g_assert_true (isfinite (lab_window_get_latest_snapshot (window)->train_loss));

  window_test_close (window);
}

static void
test_window_step (void)
{
  LabWindow *window = window_test_open (app);
  const LabForecastData *forecast;
  const LabHiddenData *hidden;
  const LabLossData *loss;
  g_autofree float *before = NULL;
  const char *status;
  gboolean changed = FALSE;

  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  before = g_memdup2 (forecast->predictions, forecast->n_windows * sizeof (float));

  activate (window, "step");
  wait_for_epoch (window, 1, TRUE);
  window_test_spin_for (300000);

  /* Exactly one epoch, and every view shows it. */
  g_assert_cmpint (lab_window_get_epoch (window), ==, 1);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 1);
  g_assert_false (lab_window_get_playing (window));

  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  for (int i = 0; i < forecast->n_windows; i++)
    changed |= forecast->predictions[i] != before[i];
  g_assert_true (changed);
  assert_summary_epoch (view (window, LAB_PLOT_KIND_FORECAST), 1);

  loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  g_assert_cmpint (loss->n_epochs, ==, 2);
  g_assert_cmpint (loss->current_epoch, ==, 1);
  assert_summary_epoch (view (window, LAB_PLOT_KIND_LOSS), 1);

  hidden = lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN));
  g_assert_cmpint (hidden->epoch, ==, 1);
  assert_summary_epoch (view (window, LAB_PLOT_KIND_HIDDEN), 1);

  status = gtk_label_get_text (GTK_LABEL (window_test_child (window, "status_label")));
  g_assert_true (g_str_has_prefix (status, "Epoch 1 of 200 · train loss "));

  /* A second step: two. */
  activate (window, "step");
  wait_for_epoch (window, 2, TRUE);
  window_test_spin_for (200000);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 2);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 2);

  window_test_close (window);
}

/* The tutorial's own numbers: its weights, its losses ("Epoch [10/200], Loss: 0.0518"),
 * and next to the picture of epoch 10 the losses of its weights. */
static void
test_window_tutorial (void)
{
  LabWindow *window = window_test_open (app);
  const char *status;
  g_autofree char *train = NULL;
  g_autofree char *expected = NULL;
  LabSnapshot *s;

  for (int i = 1; i <= 10; i++)
    activate (window, "step");
  wait_for_epoch (window, 10, TRUE);
  window_test_spin_for (200000);

  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 10);
  g_assert_cmpfloat_with_epsilon (lab_history_get_train_loss (lab_window_get_history (window))[9],
                                  0.0518, 0.00005);
  /* The record of epoch 10 is the tutorial's printout (the weights of
   * epoch 9); the status line gives the loss of the weights shown. */
  s = lab_window_get_shown_snapshot (window);
  g_assert_cmpint (s->epoch, ==, 10);
  g_assert_true (s->train_loss < lab_history_get_train_loss (lab_window_get_history (window))[9]);
  train = lab_format_loss (s->train_loss);
  expected = g_strdup_printf ("Epoch 10 of 200 · train loss %s · test loss ", train);
  status = gtk_label_get_text (GTK_LABEL (window_test_child (window, "status_label")));
  g_assert_cmpstr (train, !=, "0.0518");
  g_assert_true (g_str_has_prefix (status, expected));

  window_test_close (window);
}

static void
test_window_play_pause (void)
{
  LabWindow *window = window_test_open (app);
  int epoch;

  activate (window, "play");
  g_assert_true (lab_window_get_playing (window));
  wait_for_epoch (window, 3, FALSE);

  activate (window, "play");
  g_assert_false (lab_window_get_playing (window));

  /* Let the pause land, then nothing moves. */
  window_test_spin_for (300000);
  epoch = lab_window_get_epoch (window);
  window_test_spin_for (500000);
  g_assert_cmpint (lab_window_get_epoch (window), ==, epoch);
  g_assert_cmpint (lab_window_get_state (window), ==, LAB_TRAINER_PAUSED);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, epoch);

  /* Reset replays from epoch 0, paused. */
  activate (window, "reset");
  wait_for_epoch (window, 0, TRUE);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 0);

  window_test_close (window);
}

static gboolean
hidden_rows_are (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  int rows = GPOINTER_TO_INT (((gpointer *) data)[1]);
  const LabHiddenData *hidden = lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN));

  return hidden != NULL && hidden->hidden_size == rows;
}

static void
test_window_hidden_size (void)
{
  LabWindow *window = window_test_open (app);
  gpointer data[2] = { window, GINT_TO_POINTER (17) };
  const LabHiddenData *hidden;

  activate (window, "step");
  wait_for_epoch (window, 1, TRUE);

  gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 17);
  g_assert_true (window_test_wait_until (hidden_rows_are, data));

  /* Rebuilt from a fresh start. */
  hidden = lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN));
  g_assert_cmpint (hidden->hidden_size, ==, 17);
  g_assert_cmpint (hidden->time_step, ==, 10);
  g_assert_cmpint (hidden->epoch, ==, 0);
  g_assert_cmpint (lab_window_get_config (window)->hidden_size, ==, 17);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 0);
  g_assert_cmpint (lab_window_get_latest_snapshot (window)->hidden_size, ==, 17);

  /* Back to the tutorial's shape: the tutorial's weights again. */
  data[1] = GINT_TO_POINTER (50);
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 50);
  g_assert_true (window_test_wait_until (hidden_rows_are, data));
  window_test_spin_for (100000);
  {
    LabWindow *fresh = lab_window_new (app);
    LabSnapshot *a = lab_window_get_latest_snapshot (window);
    LabSnapshot *b = lab_window_get_latest_snapshot (fresh);

    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_cmpint (a->n_params, ==, b->n_params);
    g_assert_cmpint (memcmp (a->params, b->params, a->n_params * sizeof (float)), ==, 0);
    gtk_window_destroy (GTK_WINDOW (fresh));
  }

  window_test_close (window);
}

static gboolean
time_step_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  int T = GPOINTER_TO_INT (((gpointer *) data)[1]);
  const LabForecastData *forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));

  return forecast != NULL && forecast->time_step == T;
}

static void
test_window_time_step (void)
{
  LabWindow *window = window_test_open (app);
  gpointer data[2] = { window, GINT_TO_POINTER (20) };
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (window_test_child (window, "time_step_scale")));
  const LabForecastData *forecast;

  /* The slider stops where 20 train and 10 test windows are left (68 on
   * the tutorial's 100 points: 22 and 10), and says what the split is. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 68);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), <, series_time_step_max (100, 0.7));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "time_step_split"))), ==,
                   "62 train · 27 test windows");
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "time_step_scale")), 97);
  g_assert_cmpint (lab_controls_get_time_step (LAB_CONTROLS (lab_window_get_controls (window))), ==, 68);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "time_step_split"))), ==,
                   "21 train · 10 test windows");

  gtk_range_set_value (GTK_RANGE (window_test_child (window, "time_step_scale")), 20);
  g_assert_true (window_test_wait_until (time_step_is, data));
  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  g_assert_cmpint (forecast->n_windows, ==, 79);
  g_assert_cmpint (lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN))->time_step, ==, 20);

  window_test_close (window);
}

static void
test_window_learning_rate (void)
{
  LabWindow *window = window_test_open (app);
  g_autoptr(LabModel) tutorial = lab_model_load_tutorial (NULL);
  RnnSession *hand;
  LabSnapshot *s;
  RnnConfig config;

  activate (window, "step");
  wait_for_epoch (window, 1, TRUE);

  /* Through the slider: applies at the next epoch, without a reset. */
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "lr_scale")), -1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window_test_child (window, "lr_spin"))), ==, "0.1");
  activate (window, "step");
  wait_for_epoch (window, 2, TRUE);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 2);

  /* The trainer says which rate trained each epoch: the settings carried by
   * the snapshot of epoch 2. */
  s = lab_window_get_latest_snapshot (window);
  g_assert_cmpint (s->epoch, ==, 2);
  g_assert_cmpfloat (lab_run_settings_lr_at (s->settings, 1), ==, 0.01);
  g_assert_cmpfloat_with_epsilon (lab_snapshot_get_lr (s), 0.1, 1e-12);
  g_assert_cmpuint (s->settings->n_lr_changes, ==, 1);
  g_assert_cmpint (s->settings->lr_changes[0].epoch, ==, 2);

  /* And it did train with it: the same two epochs by hand give the same weights. */
  g_assert_nonnull (tutorial);
  rnn_config_init_default (&config);
  hand = rnn_session_new (&config, NULL);
  g_assert_cmpint (rnn_session_set_params (hand, tutorial->params, tutorial->n_params), ==, RNN_OK);
  g_assert_cmpint (rnn_session_train_epoch (hand, NULL, NULL), ==, RNN_OK);
  rnn_session_set_lr (hand, s->settings->lr_changes[0].lr);
  g_assert_cmpint (rnn_session_train_epoch (hand, NULL, NULL), ==, RNN_OK);
  g_assert_cmpmem (s->params, s->n_params * sizeof (float),
                   rnn_session_model (hand)->params, s->n_params * sizeof (float));
  rnn_session_free (hand);

  gtk_range_set_value (GTK_RANGE (window_test_child (window, "lr_scale")), log10 (0.0032));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window_test_child (window, "lr_spin"))), ==, "0.0032");

  window_test_close (window);
}

static gboolean
diverged (gpointer data)
{
  return lab_window_get_state (LAB_WINDOW (data)) == LAB_TRAINER_DIVERGED;
}

static void
test_window_diverge (void)
{
  LabWindow *window = window_test_open (app);
  LabTrainer *trainer = lab_window_get_trainer (window);
  gsize n = lab_window_get_latest_snapshot (window)->n_params;
  g_autofree float *huge = g_new (float, n);
  const LabForecastData *forecast;

  /* Finite weights whose output squares to infinity. */
  for (gsize i = 0; i < n; i++)
    huge[i] = (i % 2 == 0) ? 1e30f : -1e30f;
  g_assert_cmpuint (lab_trainer_load_params (trainer, huge, n), >, 0);
  window_test_spin_for (100000);

  activate (window, "play");
  g_assert_true (window_test_wait_until (diverged, window));

  /* Paused, with a message and a way out; the views keep the last good epoch. */
  g_assert_false (lab_window_get_playing (window));
  g_assert_nonnull (lab_window_get_message (window));
  g_assert_true (strstr (lab_window_get_message (window), "learning rate") != NULL);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (window_test_child (window, "banner_revealer"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "banner_label"))), ==,
                   lab_window_get_message (window));
  g_assert_cmpint (lab_window_get_epoch (window), ==, 0);
  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  g_assert_nonnull (forecast);
  window_test_spin_for (300000);
  g_assert_cmpuint (save_screenshot (window, "window-diverged.png"), >=, 16);

  /* Play again: still refused, still no crash. */
  activate (window, "play");
  window_test_spin_for (200000);
  g_assert_false (lab_window_get_playing (window));

  /* Reset clears the message. */
  activate (window, "reset");
  g_assert_null (lab_window_get_message (window));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (window_test_child (window, "banner_revealer"))));

  window_test_close (window);
}

static void
test_window_close_while_training (void)
{
  for (int round = 0; round < 3; round++)
    {
      LabWindow *window = window_test_open (app);

      set_speed_unlimited (window);
      gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 128 + round);
      window_test_spin_for (250000);
      activate (window, "play");
      wait_for_epoch (window, 5, FALSE);

      /* The worker is joined in dispose; nothing calls back afterwards. */
      window_test_close (window);
      window_test_spin_for (100000);
    }
}

static void
test_window_timeline (void)
{
  LabWindow *window = window_test_open (app);
  GtkRange *timeline = GTK_RANGE (window_test_child (window, "timeline_scale"));

  for (int i = 1; i <= 3; i++)
    {
      activate (window, "step");
      wait_for_epoch (window, i, TRUE);
    }
  window_test_spin_for (100000);
  g_assert_cmpfloat (gtk_range_get_value (timeline), ==, 3);

  /* Scrubbing back shows epoch 1 in every view. */
  gtk_range_set_value (timeline, 1);
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 1);
  g_assert_cmpint (lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN))->epoch, ==, 1);
  g_assert_cmpint (lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS))->current_epoch, ==, 1);
  assert_summary_epoch (view (window, LAB_PLOT_KIND_FORECAST), 1);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 3);

  /* Another window's hidden states for that past epoch. */
  lab_window_select_window (window, 40);
  g_assert_cmpint (lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN))->window, ==, 40);
  g_assert_cmpint (lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST))->selected, ==, 40);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (window_test_child (window, "window_spin"))), ==, 40);

  /* Play snaps back to live. */
  activate (window, "play");
  g_assert_true (lab_window_get_shown_snapshot (window) == lab_window_get_latest_snapshot (window));
  wait_for_epoch (window, 5, FALSE);
  activate (window, "play");

  window_test_close (window);
}

static void
test_window_shortcuts (void)
{
  LabWindow *window = window_test_open (app);
  GtkWidget *slider = window_test_child (window, "hidden_size_scale");
  GtkWidget *spin = window_test_child (window, "epochs_spin");
  GtkWidget *button = window_test_child (window, "play_button");
  g_auto(GStrv) accels = NULL;

  /* A slider keeps its arrows; Space still plays and pauses. */
  gtk_widget_grab_focus (slider);
  g_assert_true (gtk_widget_has_focus (slider));
  g_assert_false (window_test_transport_key (window, GDK_KEY_Right));
  g_assert_false (window_test_transport_key (window, GDK_KEY_Left));
  window_test_spin_for (200000);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 0);
  g_assert_true (window_test_transport_key (window, GDK_KEY_space));
  g_assert_true (lab_window_get_playing (window));
  g_assert_true (window_test_transport_key (window, GDK_KEY_space));
  g_assert_false (lab_window_get_playing (window));
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (slider)), ==, 50);
  window_test_spin_for (200000);

  /* A button has no use for arrows: Right steps, Left goes back. */
  activate (window, "reset");
  wait_for_epoch (window, 0, TRUE);
  gtk_widget_grab_focus (button);
  g_assert_true (window_test_transport_key (window, GDK_KEY_Right));
  wait_for_epoch (window, 1, TRUE);
  window_test_spin_for (100000);
  g_assert_true (window_test_transport_key (window, GDK_KEY_Left));
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 0);

  /* Typing into a number box keeps all its keys. */
  gtk_widget_grab_focus (spin);
  g_assert_false (window_test_transport_key (window, GDK_KEY_space));
  g_assert_false (window_test_transport_key (window, GDK_KEY_Right));
  g_assert_false (window_test_transport_key (window, GDK_KEY_Left));
  g_assert_false (lab_window_get_playing (window));

  /* The others are application accelerators. */
  accels = gtk_application_get_accels_for_action (app, "win.reset");
  g_assert_cmpstr (accels[0], ==, "<Control>r");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (app, "win.fullscreen");
  g_assert_cmpstr (accels[0], ==, "F11");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (app, "app.shortcuts");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (app, "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");

  window_test_close (window);
}

/* Drag back, then step forward: through the recorded epochs first (no
 * training), then training from the latest; Back goes one epoch back. */
static void
test_window_step_from_shown (void)
{
  LabWindow *window = window_test_open (app);
  GtkRange *timeline = GTK_RANGE (window_test_child (window, "timeline_scale"));

  for (int i = 1; i <= 4; i++)
    {
      activate (window, "step");
      wait_for_epoch (window, i, TRUE);
    }
  window_test_spin_for (100000);

  gtk_range_set_value (timeline, 2);
  activate (window, "step");
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 3);
  g_assert_cmpfloat (gtk_range_get_value (timeline), ==, 3);
  assert_summary_epoch (view (window, LAB_PLOT_KIND_HIDDEN), 3);
  activate (window, "step");
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 4);
  window_test_spin_for (200000);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 4);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 4);

  activate (window, "step");
  wait_for_epoch (window, 5, TRUE);
  window_test_spin_for (100000);
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 5);

  activate (window, "step-back");
  activate (window, "step-back");
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 3);
  g_assert_cmpint (lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS))->current_epoch, ==, 3);
  g_assert_cmpfloat (gtk_range_get_value (timeline), ==, 3);

  window_test_close (window);
}


/* A widget under root whose CSS name is name (the first, depth first), or NULL. */
static GtkWidget *
find_css_name (GtkWidget  *root,
               const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_css_name (c), name) == 0 && gtk_widget_get_visible (c))
        return c;
      found = find_css_name (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
latest_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  int hidden = GPOINTER_TO_INT (((gpointer *) data)[1]);
  int epoch = GPOINTER_TO_INT (((gpointer *) data)[2]);
  LabSnapshot *s = lab_window_get_latest_snapshot (window);

  return s != NULL && s->hidden_size == hidden && s->epoch == epoch
         && lab_window_get_shown_snapshot (window) == s;
}

/* A new hidden size keeps the trained run as a faded ghost, says so in a
 * toast with Undo (over the plots, clear of the timeline and the status
 * line), and Undo replays the run to where it was. */
static void
test_window_rebuild_undo (void)
{
  LabWindow *window = window_test_open (app);
  gpointer at17[3] = { window, GINT_TO_POINTER (17), GINT_TO_POINTER (0) };
  gpointer back[3] = { window, GINT_TO_POINTER (50), GINT_TO_POINTER (3) };
  const LabForecastData *forecast;
  const LabLossData *loss;
  g_autofree float *params = NULL;
  g_autofree float *curve = NULL;
  GtkWidget *toast;
  graphene_rect_t toast_box, timeline_box, status_box;
  gsize n_params;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  for (int i = 1; i <= 3; i++)
    {
      activate (window, "step");
      wait_for_epoch (window, i, TRUE);
    }
  window_test_spin_for (100000);
  n_params = lab_window_get_latest_snapshot (window)->n_params;
  params = g_memdup2 (lab_window_get_latest_snapshot (window)->params, n_params * sizeof (float));
  loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  curve = g_memdup2 (loss->train_loss, loss->n_epochs * sizeof (float));
  g_assert_null (loss->ghost);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo-rebuild"));

  gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 17);
  g_assert_true (window_test_wait_until (latest_is, at17));

  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  g_assert_nonnull (forecast->ghost);
  g_assert_cmpstr (forecast->ghost->label, ==, "before: hidden 50");
  g_assert_cmpint (forecast->ghost->n_windows, ==, 89);
  g_assert_nonnull (forecast->ghost->predictions);
  loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  g_assert_nonnull (loss->ghost);
  g_assert_cmpint (loss->ghost->n_epochs, ==, 4);
  g_assert_cmpmem (loss->ghost->train_loss, 4 * sizeof (float), curve, 4 * sizeof (float));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo-rebuild"));

  /* The toast: shown over the plots only. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  window_test_spin_for (300000);
  toast = find_css_name (window_test_child (window, "toast_overlay"), "toast");
  g_assert_nonnull (toast);
  g_assert_nonnull (find_css_name (toast, "button"));
  g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (window), &toast_box));
  g_assert_true (gtk_widget_compute_bounds (window_test_child (window, "timeline_scale"),
                                            GTK_WIDGET (window), &timeline_box));
  g_assert_true (gtk_widget_compute_bounds (window_test_child (window, "status_label"),
                                            GTK_WIDGET (window), &status_box));
  g_assert_cmpfloat (toast_box.size.width, >, 0);
  g_assert_false (graphene_rect_intersection (&toast_box, &timeline_box, NULL));
  g_assert_false (graphene_rect_intersection (&toast_box, &status_box, NULL));
  g_assert_cmpfloat (toast_box.origin.y + toast_box.size.height, <=, timeline_box.origin.y);

  /* Undo: the tutorial's shape again, replayed to epoch 3, the same weights. */
  activate (window, "undo-rebuild");
  g_assert_true (window_test_wait_until (latest_is, back));
  g_assert_cmpint (lab_controls_get_hidden_size (LAB_CONTROLS (lab_window_get_controls (window))), ==, 50);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 3);
  g_assert_cmpmem (lab_window_get_latest_snapshot (window)->params, n_params * sizeof (float),
                   params, n_params * sizeof (float));
  window_test_spin_for (300000);
  g_assert_cmpint (lab_window_get_config (window)->hidden_size, ==, 50);
  /* ... and the 17-unit run is the ghost now. */
  forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  g_assert_true (forecast->ghost == NULL || g_str_has_prefix (forecast->ghost->label, "before: hidden 17"));

  window_test_close (window);
}

/* The speed: typed as any number of epochs per second (the slider shows the
 * nearest notch), "max" or 0 for as fast as possible; the run gets it. */
static void
test_window_speed_typed (void)
{
  LabWindow *window = window_test_open (app);
  LabControls *controls = LAB_CONTROLS (lab_window_get_controls (window));
  GtkRange *scale = GTK_RANGE (window_test_child (window, "speed_scale"));
  GtkSpinButton *spin = GTK_SPIN_BUTTON (window_test_child (window, "speed_spin"));

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "20");
  gtk_editable_set_text (GTK_EDITABLE (spin), "37");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat (lab_controls_get_speed (controls), ==, 37.0);
  g_assert_cmpfloat (lab_run_get_speed (lab_window_get_run (window)), ==, 37.0);
  /* 37 is nearer 50 than 20 on a log scale: notch 5 of 1 2 5 10 20 50 ... */
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "37");

  /* The slider sets the box. */
  gtk_range_set_value (scale, 7);
  g_assert_cmpfloat (lab_controls_get_speed (controls), ==, 200.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 200.0);

  /* "max" (or 0): as fast as possible, the slider at its last notch. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "max");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat (lab_controls_get_speed (controls), ==, 0.0);
  g_assert_cmpfloat (lab_run_get_speed (lab_window_get_run (window)), ==, 0.0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 10);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "max");

  /* Not a number: refused, nothing changes. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "fast");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat (lab_controls_get_speed (controls), ==, 0.0);

  window_test_close (window);
}

/* The learning rate: typed exactly, stepped by 1-2-5 notches. */
static void
test_window_lr_typed (void)
{
  LabWindow *window = window_test_open (app);
  LabControls *controls = LAB_CONTROLS (lab_window_get_controls (window));
  GtkRange *scale = GTK_RANGE (window_test_child (window, "lr_scale"));
  GtkSpinButton *spin = GTK_SPIN_BUTTON (window_test_child (window, "lr_spin"));
  const double up[] = { 0.02, 0.05, 0.1, 0.2, 0.5, 1, 1 };
  gboolean handled;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.01");
  for (guint i = 0; i < G_N_ELEMENTS (up); i++)
    {
      g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_STEP_FORWARD,
                             gtk_range_get_value (scale) + 0.05, &handled);
      g_assert_true (lab_controls_get_learning_rate (controls) == up[i]);
    }
  g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_PAGE_BACKWARD,
                         gtk_range_get_value (scale) - 0.5, &handled);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.5);
  /* A click or drag near 0.0096 lands on 0.01 exactly. */
  g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_JUMP, log10 (0.0096), &handled);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.01);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.01");
  g_signal_emit_by_name (scale, "change-value", GTK_SCROLL_STEP_BACKWARD,
                         gtk_range_get_value (scale) - 0.05, &handled);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.005);

  /* Any value in range can be typed, and is used as typed. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "0.0123");
  gtk_spin_button_update (spin);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.0123);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "0.0123");
  gtk_editable_set_text (GTK_EDITABLE (spin), "0,01");
  gtk_spin_button_update (spin);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.01);
  /* Out of range or not a number: refused, nothing changes. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "7");
  gtk_spin_button_update (spin);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.01);
  gtk_editable_set_text (GTK_EDITABLE (spin), "fast");
  gtk_spin_button_update (spin);
  g_assert_true (lab_controls_get_learning_rate (controls) == 0.01);

  /* Hidden size and time step: the spin button and the slider are one value. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (window_test_child (window, "hidden_size_spin")), 24);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (window_test_child (window, "hidden_size_scale"))), ==, 24);
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "time_step_scale")), 12);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (window_test_child (window, "time_step_spin"))), ==, 12);

  window_test_close (window);
}

static GtkGesture *
trough_gesture (GtkWidget *scale)
{
  GListModel *controllers = gtk_widget_observe_controllers (scale);
  GtkGesture *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && found == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), "lab-trough-paging") == 0)
        found = GTK_GESTURE (c);
    }
  g_object_unref (controllers);
  return found;
}

/* A click on the trough pages towards it; it never jumps to the click. */
static void
test_window_trough_click (void)
{
  LabWindow *window = window_test_open (app);
  GtkWidget *scale = window_test_child (window, "hidden_size_scale");
  GtkGesture *gesture = trough_gesture (scale);
  int width = gtk_widget_get_width (scale);
  int height = gtk_widget_get_height (scale);

  g_assert_nonnull (gesture);
  g_assert_cmpint (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (gesture)), ==,
                   GTK_PHASE_CAPTURE);
  g_assert_cmpint (width, >, 100);
  g_signal_emit_by_name (gesture, "pressed", 1, (double) width - 4, (double) height / 2);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, 55);
  g_signal_emit_by_name (gesture, "pressed", 1, 4.0, (double) height / 2);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, 50);
  window_test_spin_for (300000);
  g_assert_cmpint (lab_window_get_config (window)->hidden_size, ==, 50);

  window_test_close (window);
}

/* Tooltips keep a short text on one line, in any script. */
static void
test_window_tooltips (void)
{
  LabWindow *window = window_test_open (app);
  const char *texts[] = { "主菜单", "New Seed: Other Random Initial Weights", "Main Menu" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkWidget *label = g_object_ref_sink (lab_tooltip_label_new (texts[i]));
      GtkWidget *line = g_object_ref_sink (gtk_label_new (texts[i]));
      int min_width, one_line, height;

      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_measure (line, GTK_ORIENTATION_VERTICAL, -1, &one_line, NULL, NULL, NULL);
      /* At its minimum width (what the tooltip window gets), still one line. */
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, min_width, &height, NULL, NULL, NULL);
      g_assert_cmpint (height, ==, one_line);
      g_object_unref (label);
      g_object_unref (line);
    }
  /* A long one wraps, within LAB_TOOLTIP_MAX_CHARS. */
  {
    GtkWidget *label = g_object_ref_sink (lab_tooltip_label_new (
      gtk_widget_get_tooltip_text (window_test_child (window, "lr_scale"))));

    g_assert_cmpint (gtk_label_get_max_width_chars (GTK_LABEL (label)), ==, LAB_TOOLTIP_MAX_CHARS);
    g_object_unref (label);
  }
  /* Every control with a tooltip uses them, the header bar's included. */
  g_assert_nonnull (g_object_get_data (G_OBJECT (window_test_child (window, "sidebar_button")),
                                       "lab-tooltip-installed"));
  g_assert_nonnull (g_object_get_data (G_OBJECT (window_test_child (window, "lr_spin")),
                                       "lab-tooltip-installed"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (window_test_child (window, "hidden_size_scale")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (window_test_child (window, "time_step_spin")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (window_test_child (window, "speed_scale")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (window_test_child (window, "seed_spin")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (window_test_child (window, "epochs_spin")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (window_test_child (window, "window_spin")));

  window_test_close (window);
}

static gboolean
stopped (gpointer data)
{
  LabTrainerState state = lab_window_get_state (LAB_WINDOW (data));

  return state == LAB_TRAINER_FINISHED || state == LAB_TRAINER_DIVERGED;
}

/* At learning rate 1 the line beside the loss names the trouble and the
 * rate; the tutorial's run shows no line. */
static void
test_window_advice (void)
{
  LabWindow *window = window_test_open (app);
  GtkRevealer *revealer = GTK_REVEALER (window_test_child (window, "advice_revealer"));
  const char *text;

  for (int i = 1; i <= 30; i++)
    activate (window, "step");
  wait_for_epoch (window, 30, TRUE);
  window_test_spin_for (100000);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  /* With the baselines on the forecast: the linear AR fits a sine exactly,
   * and the line says it predicts better; without them it is quiet again. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-baselines", g_variant_new_boolean (TRUE));
  window_test_spin_for (100000);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  text = gtk_label_get_text (GTK_LABEL (window_test_child (window, "advice_label")));
  g_test_message ("advice: %s", text);
  g_assert_nonnull (strstr (text, "Linear AR"));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-baselines", g_variant_new_boolean (FALSE));
  window_test_spin_for (100000);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  lab_controls_set_learning_rate (LAB_CONTROLS (lab_window_get_controls (window)), 1.0);
  set_speed_unlimited (window);
  activate (window, "play");
  g_assert_true (window_test_wait_until (stopped, window));
  window_test_spin_for (200000);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  text = gtk_label_get_text (GTK_LABEL (window_test_child (window, "advice_label")));
  g_test_message ("advice: %s", text);
  g_assert_true (g_str_has_prefix (text, "Diverging") || g_str_has_prefix (text, "Oscillating")
                 || g_str_has_prefix (text, "Saturated"));
  g_assert_nonnull (strstr (text, "learning rate"));
  /* "Why?" opens the loss help, which begins with the why. */
  {
    g_autofree char *help = lab_window_get_help_markup (window, LAB_PLOT_KIND_LOSS);

    g_assert_true (g_str_has_prefix (help, "<b>Now: "));
  }
  activate (window, "explain");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (
    GTK_MENU_BUTTON (window_test_child (window, "loss_help_button"))))));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (window_test_child (window, "loss_help_button")));

  window_test_close (window);
}

/* The mean distance from the neutral colour over the heatmap's cells. */
static double
heatmap_contrast (LabPlotView *plot)
{
  const int W = 400, H = 300;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (surface);
  const LabHiddenData *data = lab_plot_view_get_hidden (plot);
  LabRgb neutral = lab_plot_view_get_style (plot)->neutral;
  double x, y, cw, ch, sum = 0;
  int n = 0;

  lab_plot_view_draw (plot, cr, W, H);
  cairo_surface_flush (surface);
  g_assert_true (lab_hidden_plot_get_grid (W, H, data, lab_plot_view_get_style (plot), &x, &y, &cw, &ch));
  for (int t = 0; t < data->time_step; t++)
    for (int j = 0; j < data->hidden_size; j++)
      {
        int px = (int) (x + (t + 0.5) * cw), py = (int) (y + (j + 0.5) * ch);
        guint32 v = *(guint32 *) (cairo_image_surface_get_data (surface)
                                  + py * cairo_image_surface_get_stride (surface) + px * 4);

        sum += fabs (((v >> 16) & 0xff) / 255.0 - neutral.r) + fabs (((v >> 8) & 0xff) / 255.0 - neutral.g)
               + fabs ((v & 0xff) / 255.0 - neutral.b);
        n++;
      }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return sum / n;
}

/* The trained heatmap is not washed out: its colours follow the values
 * (symmetric automatic range, the default), or tanh's ±1 when asked. */
static void
test_window_heatmap_range (void)
{
  LabWindow *window = window_test_open (app);
  LabPlotView *hidden = view (window, LAB_PLOT_KIND_HIDDEN);
  double automatic, fixed;

  for (int i = 1; i <= 20; i++)
    activate (window, "step");
  wait_for_epoch (window, 20, TRUE);
  window_test_spin_for (100000);

  g_assert_true (lab_plot_view_get_hidden (hidden)->auto_range);
  automatic = heatmap_contrast (hidden);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "heatmap-auto-range",
                                      g_variant_new_boolean (FALSE));
  g_assert_false (lab_plot_view_get_hidden (hidden)->auto_range);
  fixed = heatmap_contrast (hidden);
  g_test_message ("heatmap contrast: automatic %.3f, fixed %.3f", automatic, fixed);
  g_assert_cmpfloat (automatic, >, 1.5 * fixed);

  window_test_close (window);
}

/* At 1024x700 every control of the sidebar can be reached: it scrolls down
 * to the last one, the Optimizer section's shuffle switch. */
static void
test_window_sidebar_fits (void)
{
  LabWindow *window = lab_window_new (app);
  GtkWidget *controls = lab_window_get_controls (window);
  GtkWidget *last = window_test_child (window, "shuffle_switch");
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adj;
  graphene_rect_t box, viewport;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  window_test_present (window);
  window_test_spin_for (200000);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, 700);
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (controls, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_nonnull (scrolled);
  adj = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  window_test_spin_for (100000);
  g_assert_true (gtk_widget_compute_bounds (last, GTK_WIDGET (scrolled), &box));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (scrolled), GTK_WIDGET (scrolled), &viewport));
  g_assert_cmpfloat (box.origin.y, >=, 0);
  g_assert_cmpfloat (box.origin.y + box.size.height, <=, viewport.size.height);

  window_test_close (window);
}

static guint n_renders;

static gboolean
render_cb (GdkSurface     *surface,
           cairo_region_t *region,
           gpointer        data)
{
  n_renders++;
  return FALSE;
}

/* Nothing changes, nothing is drawn; while training the views follow at a
 * bounded rate, and the descriptions read by assistive technologies wait
 * for the pause. */
static void
test_window_cheap_frames (void)
{
  LabWindow *window = window_test_open (app);
  LabPlotView *forecast = view (window, LAB_PLOT_KIND_FORECAST);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *summary = NULL;
  gulong id;

  gtk_widget_grab_focus (window_test_child (window, "play_button"));
  window_test_spin_for (300000);
  id = g_signal_connect (surface, "render", G_CALLBACK (render_cb), NULL);
  n_renders = 0;
  window_test_spin_for (600000);
  g_assert_cmpuint (n_renders, ==, 0);

  /* Playing, the description says so once and holds still. */
  activate (window, "play");
  summary = g_strdup (lab_plot_view_get_summary (forecast));
  g_assert_nonnull (strstr (summary, ", training: "));
  wait_for_epoch (window, 4, FALSE);
  window_test_spin_for (200000);
  g_assert_true (lab_window_get_playing (window));
  g_assert_cmpstr (lab_plot_view_get_summary (forecast), ==, summary);
  activate (window, "play");
  window_test_spin_for (300000);
  assert_summary_epoch (forecast, lab_window_get_shown_snapshot (window)->epoch);
  g_assert_cmpstr (lab_plot_view_get_summary (forecast), !=, summary);

  g_signal_handler_disconnect (surface, id);
  window_test_close (window);
}

/* Accessibility */

static gboolean
is_inside (GtkWidget *widget,
           GType      type,
           GtkWidget *root)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL && w != root; w = gtk_widget_get_parent (w))
    if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
      return TRUE;
  return FALSE;
}

static void
check_controls (GtkWidget *widget,
                GtkWidget *root,
                int       *n_checked)
{
  gboolean control = GTK_IS_SCALE (widget) || GTK_IS_SPIN_BUTTON (widget) ||
                     GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) ||
                     GTK_IS_SWITCH (widget) ||
                     (GTK_IS_BUTTON (widget) &&
                      !is_inside (widget, GTK_TYPE_SPIN_BUTTON, root) &&
                      !is_inside (widget, GTK_TYPE_DROP_DOWN, root) &&
                      !is_inside (widget, GTK_TYPE_MENU_BUTTON, root) &&
                      !is_inside (widget, GTK_TYPE_WINDOW_CONTROLS, root));

  if (control && gtk_widget_get_visible (widget))
    {
      gboolean labelled =
        gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
        gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
        (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL);

      if (!labelled)
        g_test_message ("no label: %s %s", G_OBJECT_TYPE_NAME (widget),
                        gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)));
      g_assert_true (labelled);
      (*n_checked)++;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_controls (c, root, n_checked);
}

static void
test_window_accessible (void)
{
  LabWindow *window = window_test_open (app);
  int n_checked = 0;

  for (LabPlotKind kind = LAB_PLOT_KIND_FORECAST; kind <= LAB_PLOT_KIND_HIDDEN; kind++)
    {
      LabPlotView *plot = view (window, kind);

      gtk_test_accessible_assert_role (plot, GTK_ACCESSIBLE_ROLE_IMG);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      gtk_test_accessible_assert_property (plot, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                           lab_plot_view_get_summary (plot));
      assert_summary_epoch (plot, 0);
    }
  gtk_test_accessible_assert_property (view (window, LAB_PLOT_KIND_FORECAST),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Forecast");

  check_controls (GTK_WIDGET (window), GTK_WIDGET (window), &n_checked);
  /* 4 sliders + timeline, 3 spin buttons, transport, menus, seed, banner, live. */
  g_assert_cmpint (n_checked, >=, 14);

  window_test_close (window);
}

/* Screenshot */

/* Renders the window as it is on screen into a PNG in the build directory
 * (a test artefact); returns the number of distinct colours in it. */
static guint
save_screenshot (LabWindow  *window,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GHashTable) colours = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *pixels = NULL;
  int width, height;
  gsize stride;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (width, >, 600);
  g_assert_cmpint (height, >, 400);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  colours = g_hash_table_new (NULL, NULL);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 px;

        memcpy (&px, pixels + y * stride + x * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (px & 0x00ffffff));
      }

  return g_hash_table_size (colours);
}

static void
test_window_screenshot (void)
{
  LabWindow *window = window_test_open (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  for (int i = 1; i <= 5; i++)
    {
      activate (window, "step");
      wait_for_epoch (window, i, TRUE);
    }
  window_test_spin_for (200000);

  /* Not blank: the plots bring many distinct colours. */
  g_assert_cmpuint (save_screenshot (window, "window-screenshot.png"), >=, 16);

  window_test_close (window);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

/* The primary menu's windows: About and Keyboard Shortcuts. */
static void
test_app_about_shortcuts (void)
{
  LabWindow *window = window_test_open (app);
  GtkWindow *about, *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "RNN Lab");
  gtk_window_destroy (about);

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (shortcuts));
  gtk_window_destroy (shortcuts);

  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/window/open", test_window_open);
  g_test_add_func ("/ui/window/step", test_window_step);
  g_test_add_func ("/ui/window/tutorial", test_window_tutorial);
  g_test_add_func ("/ui/window/play-pause", test_window_play_pause);
  g_test_add_func ("/ui/window/hidden-size", test_window_hidden_size);
  g_test_add_func ("/ui/window/time-step", test_window_time_step);
  g_test_add_func ("/ui/window/learning-rate", test_window_learning_rate);
  g_test_add_func ("/ui/window/diverge", test_window_diverge);
  g_test_add_func ("/ui/window/close-while-training", test_window_close_while_training);
  g_test_add_func ("/ui/window/timeline", test_window_timeline);
  g_test_add_func ("/ui/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/ui/window/step-from-shown", test_window_step_from_shown);
  g_test_add_func ("/ui/window/rebuild-undo", test_window_rebuild_undo);
  g_test_add_func ("/ui/window/lr-typed", test_window_lr_typed);
  g_test_add_func ("/ui/window/speed-typed", test_window_speed_typed);
  g_test_add_func ("/ui/window/trough-click", test_window_trough_click);
  g_test_add_func ("/ui/window/tooltips", test_window_tooltips);
  g_test_add_func ("/ui/window/advice", test_window_advice);
  g_test_add_func ("/ui/window/heatmap-range", test_window_heatmap_range);
  g_test_add_func ("/ui/window/sidebar-fits", test_window_sidebar_fits);
  g_test_add_func ("/ui/window/cheap-frames", test_window_cheap_frames);
  g_test_add_func ("/ui/window/accessible", test_window_accessible);
  g_test_add_func ("/ui/window/screenshot", test_window_screenshot);
  g_test_add_func ("/ui/app/about-shortcuts", test_app_about_shortcuts);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
