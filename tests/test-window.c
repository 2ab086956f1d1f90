/* test-window.c: the main window under Xvfb, driven through its actions,
 * its controls and the trainer; no synthetic input (GTK 4.8 has none). */
#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "engine/series.h"
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

/* "epoch 12, ..." or "epoch 12 of 200, ...": the summary names this epoch. */
static void
assert_summary_epoch (LabPlotView *plot,
                      int          epoch)
{
  const char *summary = lab_plot_view_get_summary (plot);
  g_autofree char *prefix = g_strdup_printf ("epoch %d", epoch);
  char next;

  g_assert_nonnull (summary);
  g_assert_true (g_str_has_prefix (summary, prefix));
  next = summary[strlen (prefix)];
  g_assert_true (next == ',' || next == ' ' || next == ':');
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

  loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  g_assert_nonnull (loss);
  g_assert_cmpint (loss->n_epochs, ==, 0);

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
  g_assert_cmpint (loss->n_epochs, ==, 1);
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

/* The tutorial's own numbers: its weights, its losses ("Epoch [10/200], Loss: 0.0518"). */
static void
test_window_tutorial (void)
{
  LabWindow *window = window_test_open (app);
  const char *status;

  for (int i = 1; i <= 10; i++)
    activate (window, "step");
  wait_for_epoch (window, 10, TRUE);
  window_test_spin_for (200000);

  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 10);
  g_assert_cmpfloat_with_epsilon (lab_history_get_train_loss (lab_window_get_history (window))[9],
                                  0.0518, 0.00005);
  status = gtk_label_get_text (GTK_LABEL (window_test_child (window, "status_label")));
  g_assert_true (g_str_has_prefix (status, "Epoch 10 of 200 · train loss 0.0518 · test loss "));

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

  /* The slider reaches what the series allows, and no further. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==,
                     series_time_step_max (100, 0.7));

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

  activate (window, "step");
  wait_for_epoch (window, 1, TRUE);

  /* Applies at the next epoch, without a reset. */
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "lr_scale")), -1);
  g_assert_cmpfloat_with_epsilon (lab_window_get_config (window)->lr, 0.1, 1e-12);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "lr_value"))), ==, "0.1");
  activate (window, "step");
  wait_for_epoch (window, 2, TRUE);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 2);

  gtk_range_set_value (GTK_RANGE (window_test_child (window, "lr_scale")), log10 (0.0032));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "lr_value"))), ==, "0.0032");

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

static gboolean
play_shortcut_works (LabWindow *window,
                     guint      keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean result = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          g_strcmp0 (gtk_event_controller_get_name (controller), "lab-transport-shortcuts") != 0)
        continue;

      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==, GTK_PHASE_CAPTURE);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval)
            {
              found = TRUE;
              result = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                     GTK_WIDGET (window), NULL);
            }
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);

  return result;
}

static void
test_window_shortcuts (void)
{
  LabWindow *window = window_test_open (app);
  GtkWidget *slider = window_test_child (window, "hidden_size_scale");
  GtkWidget *spin = window_test_child (window, "epochs_spin");
  g_auto(GStrv) accels = NULL;

  /* Space and Right with a slider focused: play/pause and step. */
  gtk_widget_grab_focus (slider);
  g_assert_true (gtk_widget_has_focus (slider));
  g_assert_true (play_shortcut_works (window, GDK_KEY_Right));
  wait_for_epoch (window, 1, TRUE);
  g_assert_true (play_shortcut_works (window, GDK_KEY_space));
  g_assert_true (lab_window_get_playing (window));
  g_assert_true (play_shortcut_works (window, GDK_KEY_space));
  g_assert_false (lab_window_get_playing (window));
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (slider)), ==, 50);

  /* Typing into a spin button keeps its keys. */
  gtk_widget_grab_focus (spin);
  g_assert_false (play_shortcut_works (window, GDK_KEY_space));
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
                     GTK_IS_MENU_BUTTON (widget) ||
                     (GTK_IS_BUTTON (widget) &&
                      !is_inside (widget, GTK_TYPE_SPIN_BUTTON, root) &&
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
  g_test_add_func ("/ui/window/accessible", test_window_accessible);
  g_test_add_func ("/ui/window/screenshot", test_window_screenshot);
  g_test_add_func ("/ui/app/about-shortcuts", test_app_about_shortcuts);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
