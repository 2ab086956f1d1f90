/* test-window-a11y.c: the window through its accessibility tree: the plots'
 * roles, names and descriptions (their values, described at pauses and
 * steps, not at every frame), the forecast read window by window from the
 * keyboard, and one Tab stop per control. */
#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "app/lab-cli.h"
#include "core/lab-lesson.h"
#include "core/lab-run.h"
#include "ui/lab-plot-describe.h"
#include "ui/lab-plot-view.h"
#include "ui/lab-window-lessons.h"
#include "ui/lab-window.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

static void
activate (LabWindow  *window,
          const char *action)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static gboolean
shown_epoch_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  int epoch = GPOINTER_TO_INT (((gpointer *) data)[1]);
  LabSnapshot *s = lab_window_get_shown_snapshot (window);

  return s != NULL && s->epoch == epoch && lab_window_get_state (window) != LAB_TRAINER_RUNNING;
}

static void
step_to (LabWindow *window,
         int        epoch)
{
  gpointer data[2] = { window, GINT_TO_POINTER (epoch) };

  while (lab_window_get_shown_snapshot (window)->epoch < epoch)
    {
      int next = lab_window_get_shown_snapshot (window)->epoch + 1;
      gpointer step[2] = { window, GINT_TO_POINTER (next) };

      activate (window, "step");
      g_assert_true (window_test_wait_until (shown_epoch_is, step));
    }
  g_assert_true (window_test_wait_until (shown_epoch_is, data));
  window_test_spin_for (50000);
}

static LabPlotView *
view (LabWindow   *window,
      LabPlotKind  kind)
{
  return lab_window_get_plot_view (window, kind);
}

static const char *
description (LabPlotView *plot)
{
  const char *summary = lab_plot_view_get_summary (plot);

  g_assert_nonnull (summary);
  /* The accessible description is the summary, word for word. */
  gtk_test_accessible_assert_property (plot, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary);
  return summary;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_test_message ("\"%s\" not in \"%s\"", needle, haystack);
  g_assert_nonnull (strstr (haystack, needle));
}

/* The sentences themselves, on data small enough to work out by hand */
static void
test_describe_sentences (void)
{
  const float falling[] = { 1.0f, 0.5f, 0.25f }, rising[] = { 0.2f, 0.3f, 0.4f },
              flat[] = { 0.3f, 0.3f, 0.3f }, test_loss[] = { 2.0f, 1.0f, 0.5f };
  LabLossData loss = { .n_epochs = 3, .train_loss = falling, .test_loss = test_loss,
                       .from_epoch_0 = TRUE, .total_epochs = 10, .current_epoch = 2 };
  /* Targets: series[k + T] with T = 2 */
  const float series[] = { 0.f, 1.f, 2.f, 3.f, 4.f, 5.f };
  const float predictions[] = { 2.5f, 3.f, 3.f, 5.f };   /* errors 0.5, 0, -1, 0 */
  LabForecastData forecast = { .n_points = 6, .series = series, .time_step = 2,
                               .n_windows = 4, .n_train = 2, .predictions = predictions,
                               .selected = 1, .y_label = "ppm" };
  char *text;

  text = lab_plot_describe_loss (&loss, 2);
  g_assert_cmpstr (text, ==, "Loss, epoch 2: train 0.25, test 0.5, falling");
  g_free (text);
  loss.train_loss = rising;
  text = lab_plot_describe_loss (&loss, 2);
  g_assert_cmpstr (text, ==, "Loss, epoch 2: train 0.4, test 0.5, rising");
  g_free (text);
  loss.train_loss = flat;
  text = lab_plot_describe_loss (&loss, 2);
  g_assert_cmpstr (text, ==, "Loss, epoch 2: train 0.3, test 0.5, flat");
  g_free (text);
  text = lab_plot_describe_loss (&loss, 0);
  g_assert_cmpstr (text, ==, "Loss, epoch 0: train 0.3, test 2, not trained yet");
  g_free (text);

  /* Train MSE (0.25 + 0) / 2, test MSE (1 + 0) / 2, in the series' units */
  text = lab_plot_describe_forecast (&forecast, 7, -1);
  g_assert_cmpstr (text, ==, "Forecast, epoch 7: train MSE 0.125, test MSE 0.5 in ppm; window 1 selected");
  g_free (text);
  text = lab_plot_describe_forecast (&forecast, 7, 2);
  g_assert_cmpstr (text, ==, "Forecast, epoch 7: train MSE 0.125, test MSE 0.5 in ppm; "
                             "Window 2 of 4 (test): target 4, prediction 3, error −1");
  g_free (text);
  text = lab_plot_describe_window (&forecast, 0);
  g_assert_cmpstr (text, ==, "Window 0 of 4 (train): target 2, prediction 2.5, error 0.5");
  g_free (text);
}

/* Every plot: the image role, a name, a description. */
static void
test_plots_roles (void)
{
  LabWindow *window = window_test_open (app);
  const char *names[] = { "forecast_view", "loss_view", "hidden_view",
                          "cell_state_view", "gates_view", "gradient_view" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *plot = window_test_child (window, names[i]);

      g_assert_true (LAB_IS_PLOT_VIEW (plot));
      gtk_test_accessible_assert_role (plot, GTK_ACCESSIBLE_ROLE_IMG);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      g_assert_true (gtk_widget_get_focusable (plot));
      /* An RNN has no cell state: that page is hidden. */
      if (i != 3)
        assert_contains (description (LAB_PLOT_VIEW (plot)), ", epoch 0");
      else
        g_assert_false (gtk_widget_get_mapped (plot));
    }
  gtk_test_accessible_assert_property (view (window, LAB_PLOT_KIND_LOSS), GTK_ACCESSIBLE_PROPERTY_LABEL, "Loss");
  gtk_test_accessible_assert_property (view (window, LAB_PLOT_KIND_GRADIENT), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Gradients through time");

  window_test_close (window);
}

/* At a pause, the values are the run's: the losses of the weights shown,
 * the test MSE in the series' units, the selected window. */
static void
test_plots_values (void)
{
  LabWindow *window = window_test_open (app);
  LabRun *run = lab_window_get_run (window);
  const LabHiddenData *hidden;
  LabSnapshot *s;
  float train_loss, test_loss;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *loss = NULL;
  g_autofree char *mse = NULL;
  g_autofree char *window_text = NULL;
  g_autofree char *unit = NULL;
  char lo_text[32], hi_text[32];
  float lo = INFINITY, hi = -INFINITY;
  double best = -1;
  int busiest = -1;

  step_to (window, 12);
  s = lab_window_get_shown_snapshot (window);
  g_assert_cmpint (s->epoch, ==, 12);

  lab_run_get_losses (run, s, &train_loss, &test_loss);
  train = lab_format_loss (train_loss);
  test = lab_format_loss (test_loss);
  /* The tutorial learns: the train loss falls over the first epochs. */
  loss = g_strdup_printf ("Loss, epoch 12: train %s, test %s, falling", train, test);
  g_assert_cmpstr (description (view (window, LAB_PLOT_KIND_LOSS)), ==, loss);

  /* The forecast's errors in the series' units, as the metrics line. */
  {
    g_autofree char *units = lab_format_loss (s->test_mse_units);

    assert_contains (description (view (window, LAB_PLOT_KIND_FORECAST)), "Forecast, epoch 12: train MSE ");
    mse = g_strdup_printf (", test MSE %s", units);
    assert_contains (description (view (window, LAB_PLOT_KIND_FORECAST)), mse);
  }
  window_text = g_strdup_printf ("window %d selected", lab_window_get_selected_window (window));
  assert_contains (description (view (window, LAB_PLOT_KIND_FORECAST)), window_text);

  /* The heatmap: its range and its most active unit, from what it draws. */
  hidden = lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN));
  for (int j = 0; j < hidden->hidden_size; j++)
    {
      double mean = 0;

      for (int t = 0; t < hidden->time_step; t++)
        {
          float v = hidden->hidden[t * hidden->hidden_size + j];

          lo = MIN (lo, v);
          hi = MAX (hi, v);
          mean += fabs (v) / hidden->time_step;
        }
      if (mean > best)
        {
          best = mean;
          busiest = j;
        }
    }
  lab_format_number (lo_text, sizeof lo_text, lo, 3);
  lab_format_number (hi_text, sizeof hi_text, hi, 3);
  g_free (window_text);
  window_text = g_strdup_printf ("Hidden state, epoch 12, window %d: 50 units by 10 time steps, "
                                 "values from %s to %s", hidden->window, lo_text, hi_text);
  assert_contains (description (view (window, LAB_PLOT_KIND_HIDDEN)), window_text);
  unit = g_strdup_printf ("most active unit %d ", busiest + 1);
  assert_contains (description (view (window, LAB_PLOT_KIND_HIDDEN)), unit);

  /* Scrubbed back on the timeline: the epoch shown, its own losses. */
  lab_window_show_epoch (window, 5);
  window_test_spin_for (50000);
  s = lab_window_get_shown_snapshot (window);
  g_assert_cmpint (s->epoch, ==, 5);
  lab_run_get_losses (run, s, &train_loss, &test_loss);
  {
    g_autofree char *train5 = lab_format_loss (train_loss);
    g_autofree char *test5 = lab_format_loss (test_loss);
    g_autofree char *loss5 = g_strdup_printf ("Loss, epoch 5: train %s, test %s, ", train5, test5);

    assert_contains (description (view (window, LAB_PLOT_KIND_LOSS)), loss5);
    assert_contains (description (view (window, LAB_PLOT_KIND_FORECAST)), "Forecast, epoch 5: ");
    assert_contains (description (view (window, LAB_PLOT_KIND_HIDDEN)), "Hidden state, epoch 5, ");
  }
  lab_window_show_epoch (window, 12);
  window_test_spin_for (50000);
  s = lab_window_get_shown_snapshot (window);
  g_assert_cmpint (s->epoch, ==, 12);

  /* A plain RNN has no gates; its gradient says the first/last ratio. */
  g_assert_cmpstr (description (view (window, LAB_PLOT_KIND_GATES)), ==,
                   "Gates, epoch 12: a plain RNN has no gates");
  {
    g_autofree char *ratio = lab_gradient_ratio_text (s->grad_norms, s->time_step);
    g_autofree char *gradient = g_strdup_printf ("Gradients through time, epoch 12: %s", ratio);

    g_assert_cmpstr (description (view (window, LAB_PLOT_KIND_GRADIENT)), ==, gradient);
  }

  window_test_close (window);
}

/* An LSTM: the gates view says the mean of each gate it draws. */
static void
test_plots_gates (void)
{
  LabWindow *window = window_test_open (app);
  LabRun *run = lab_window_get_run (window);
  const LabGatesData *gates;
  const char *text;
  const char *names[] = { "input gate i_t ", "forget gate f_t ", "output gate o_t " };

  lab_run_set_cell (run, RNN_CELL_LSTM);
  {
    gpointer data[2] = { window, GINT_TO_POINTER (0) };

    g_assert_true (window_test_wait_until (shown_epoch_is, data));
  }
  while (lab_window_get_config (window)->cell != RNN_CELL_LSTM)
    window_test_spin_for (10000);
  step_to (window, 2);

  gates = lab_plot_view_get_gates (view (window, LAB_PLOT_KIND_GATES));
  g_assert_cmpint (gates->n_gates, ==, 3);
  text = description (view (window, LAB_PLOT_KIND_GATES));
  assert_contains (text, "Gates, epoch 2, window ");
  for (int k = 0; k < gates->n_gates; k++)
    {
      gsize TH = (gsize) gates->time_step * gates->hidden_size;
      double mean = 0;
      char mean_text[32];
      g_autofree char *expected = NULL;

      for (gsize i = 0; i < TH; i++)
        mean += gates->gates[k].values[i] / (double) TH;
      g_assert_cmpfloat (mean, >, 0.0);
      g_assert_cmpfloat (mean, <, 1.0);
      lab_format_number (mean_text, sizeof mean_text, mean, 2);
      expected = g_strdup_printf ("%s%s", names[k], mean_text);
      assert_contains (text, expected);
    }
  assert_contains (description (view (window, LAB_PLOT_KIND_HIDDEN)), "Hidden state, epoch 2, ");
  assert_contains (description (LAB_PLOT_VIEW (window_test_child (window, "cell_state_view"))),
                   "Cell state, epoch 2, ");
  gtk_test_accessible_assert_property (window_test_child (window, "cell_state_view"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Cell state");

  window_test_close (window);
}

static gboolean
epoch_at_least (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];

  return lab_window_get_epoch (window) >= GPOINTER_TO_INT (((gpointer *) data)[1]);
}

static gboolean
paused (gpointer data)
{
  LabWindow *window = data;

  return !lab_window_get_playing (window) && lab_window_get_state (window) != LAB_TRAINER_RUNNING;
}

/* While playing the descriptions hold still through every redraw; the
 * pause describes the epoch shown, and a step the next one. */
static void
test_plots_stable_while_playing (void)
{
  LabWindow *window = window_test_open (app);
  LabPlotKind kinds[] = { LAB_PLOT_KIND_FORECAST, LAB_PLOT_KIND_LOSS, LAB_PLOT_KIND_HIDDEN };
  char *before[G_N_ELEMENTS (kinds)];
  char *playing[G_N_ELEMENTS (kinds)];
  int first_epoch, n_redraws = 0, shown_epoch;
  const LabLossData *loss;

  step_to (window, 2);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    before[i] = g_strdup (description (view (window, kinds[i])));

  activate (window, "play");
  g_assert_true (lab_window_get_playing (window));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      playing[i] = g_strdup (description (view (window, kinds[i])));
      g_assert_cmpstr (playing[i], !=, before[i]);
      assert_contains (playing[i], ", training: ");
    }

  /* Redraws with new epochs, and the same words all along. */
  first_epoch = lab_window_get_epoch (window);
  for (int round = 0; round < 8; round++)
    {
      gpointer data[2] = { window, GINT_TO_POINTER (first_epoch + 2 * (round + 1)) };

      g_assert_true (window_test_wait_until (epoch_at_least, data));
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        gtk_widget_queue_draw (GTK_WIDGET (view (window, kinds[i])));
      gtk_test_widget_wait_for_draw (GTK_WIDGET (view (window, LAB_PLOT_KIND_LOSS)));
      n_redraws++;
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        g_assert_cmpstr (description (view (window, kinds[i])), ==, playing[i]);
    }
  g_assert_cmpint (n_redraws, ==, 8);
  loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  /* The plots did follow the training meanwhile. */
  g_assert_cmpint (loss->current_epoch, >, 2);

  /* The pause: the epoch shown, in every description. */
  activate (window, "play");
  g_assert_true (window_test_wait_until (paused, window));
  window_test_spin_for (100000);
  shown_epoch = lab_window_get_shown_snapshot (window)->epoch;
  g_assert_cmpint (shown_epoch, >, 2);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *epoch = g_strdup_printf (", epoch %d", shown_epoch);

      assert_contains (description (view (window, kinds[i])), epoch);
      g_free (before[i]);
      before[i] = g_strdup (description (view (window, kinds[i])));
    }

  /* A step: the next epoch, new values. */
  step_to (window, shown_epoch + 1);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *epoch = g_strdup_printf (", epoch %d", shown_epoch + 1);

      g_assert_cmpstr (description (view (window, kinds[i])), !=, before[i]);
      assert_contains (description (view (window, kinds[i])), epoch);
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_free (before[i]);
      g_free (playing[i]);
    }
  window_test_close (window);
}

/* Presses a key on the forecast as its key controller receives it. */
static gboolean
press (GtkWidget *widget,
       guint      keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE, found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          found = TRUE;
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);
  return handled;
}

/* "Window 37 of 89 (test): target 0.52, prediction 0.50, error 0.02" */
static char *
window_sentence (const LabForecastData *data,
                 int                    k)
{
  char target[32], prediction[32], error[32];
  int t = k + data->time_step;

  lab_format_number (target, sizeof target, data->series[t], 3);
  lab_format_number (prediction, sizeof prediction, data->predictions[k], 3);
  lab_format_number (error, sizeof error, (double) data->predictions[k] - data->series[t], 3);
  return g_strdup_printf ("Window %d of %d (%s): target %s, prediction %s, error %s",
                          k, data->n_windows, k < data->n_train ? "train" : "test",
                          target, prediction, error);
}

static void
assert_cursor (LabWindow *window,
               int        k)
{
  LabPlotView *forecast = view (window, LAB_PLOT_KIND_FORECAST);
  const LabForecastData *data;
  g_autofree char *sentence = NULL;
  g_autofree char *hidden = NULL;

  window_test_spin_for (20000);
  g_assert_cmpint (lab_plot_view_get_cursor (forecast), ==, k);
  /* The cursor selects the window, as a click does: the heatmap follows. */
  g_assert_cmpint (lab_window_get_selected_window (window), ==, k);
  data = lab_plot_view_get_forecast (forecast);
  g_assert_cmpint (data->selected, ==, k);
  g_assert_cmpint (lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN))->window, ==, k);
  sentence = window_sentence (data, k);
  assert_contains (description (forecast), sentence);
  hidden = g_strdup_printf (", window %d:", k);
  assert_contains (description (view (window, LAB_PLOT_KIND_HIDDEN)), hidden);
}

static void
test_forecast_cursor (void)
{
  LabWindow *window = window_test_open (app);
  GtkWidget *forecast = GTK_WIDGET (view (window, LAB_PLOT_KIND_FORECAST));
  GtkWidget *slider = window_test_child (window, "hidden_size_scale");
  const LabForecastData *data;
  int selected;

  step_to (window, 3);
  data = lab_plot_view_get_forecast (LAB_PLOT_VIEW (forecast));
  g_assert_cmpint (data->n_windows, ==, 89);
  g_assert_cmpint (lab_plot_view_get_cursor (LAB_PLOT_VIEW (forecast)), ==, -1);

  /* Focused, the forecast keeps its arrows; Space still plays. */
  gtk_widget_grab_focus (forecast);
  g_assert_true (gtk_widget_has_focus (forecast));
  g_assert_false (window_test_transport_key (window, GDK_KEY_Right));
  g_assert_false (window_test_transport_key (window, GDK_KEY_Left));
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 3);

  /* The first arrow shows the cursor on the selected window. */
  lab_window_select_window (window, 30);
  selected = lab_window_get_selected_window (window);
  g_assert_cmpint (selected, ==, 30);
  g_assert_true (press (forecast, GDK_KEY_Right));
  assert_cursor (window, selected);
  g_assert_true (press (forecast, GDK_KEY_Right));
  assert_cursor (window, selected + 1);
  g_assert_true (press (forecast, GDK_KEY_Left));
  g_assert_true (press (forecast, GDK_KEY_Left));
  assert_cursor (window, selected - 1);
  g_assert_true (press (forecast, GDK_KEY_End));
  assert_cursor (window, 88);
  g_assert_true (press (forecast, GDK_KEY_Right));
  assert_cursor (window, 88);
  assert_contains (lab_plot_view_get_summary (LAB_PLOT_VIEW (forecast)), "Window 88 of 89 (test): ");
  g_assert_true (press (forecast, GDK_KEY_Page_Up));
  assert_cursor (window, 78);
  g_assert_true (press (forecast, GDK_KEY_Home));
  assert_cursor (window, 0);
  assert_contains (lab_plot_view_get_summary (LAB_PLOT_VIEW (forecast)), "Window 0 of 89 (train): ");
  g_assert_true (press (forecast, GDK_KEY_Page_Down));
  assert_cursor (window, 10);
  /* Other keys are not the forecast's. */
  g_assert_false (press (forecast, GDK_KEY_a));
  g_assert_false (press (forecast, GDK_KEY_space));
  g_assert_cmpint (lab_window_get_shown_snapshot (window)->epoch, ==, 3);

  /* A step: the same window, its new values. */
  step_to (window, 4);
  assert_cursor (window, 10);

  /* Leaving the plot puts the cursor away; the arrows are the slider's. */
  gtk_widget_grab_focus (slider);
  g_assert_cmpint (lab_plot_view_get_cursor (LAB_PLOT_VIEW (forecast)), ==, -1);
  g_assert_null (strstr (lab_plot_view_get_summary (LAB_PLOT_VIEW (forecast)), "Window 10 of"));
  assert_contains (lab_plot_view_get_summary (LAB_PLOT_VIEW (forecast)), "window 10 selected");
  g_assert_false (window_test_transport_key (window, GDK_KEY_Right));

  window_test_close (window);
}

/* The focus chain */

static gboolean
has_focusable_descendant (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if ((gtk_widget_get_focusable (c) && gtk_widget_get_visible (c)) || has_focusable_descendant (c))
      return TRUE;
  return FALSE;
}

static gboolean
is_named (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  /* A button with a visible label names itself. */
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LABEL (c) && gtk_label_get_text (GTK_LABEL (c))[0] != '\0')
      return GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget);
  return FALSE;
}

/* The control a focus stop belongs to: a drop-down's or a menu button's
 * inner toggle takes the focus for it. */
static GtkWidget *
control_of (GtkWidget *focus,
            GtkWidget *root)
{
  for (GtkWidget *w = gtk_widget_get_parent (focus); w != NULL && w != root; w = gtk_widget_get_parent (w))
    if (GTK_IS_DROP_DOWN (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_SPIN_BUTTON (w))
      return w;
  return focus;
}

static const char *
describe_widget (GtkWidget *widget)
{
  static char text[256];
  const char *id = GTK_IS_BUILDABLE (widget) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : NULL;

  g_snprintf (text, sizeof text, "%s %s (in %s)", G_OBJECT_TYPE_NAME (widget), id != NULL ? id : "",
              gtk_widget_get_parent (widget) != NULL
              ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)) : "-");
  return text;
}

/* Tab from the window: every stop is a named control (no row before its
 * control), each plot shown is a stop, and the walk comes back to where it
 * started without visiting anything twice. Returns the stops. */
static GHashTable *
walk_focus_chain (LabWindow *window)
{
  GHashTable *visited = g_hash_table_new (NULL, NULL);
  GtkWidget *first = NULL;
  int n_stops = 0;

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (int i = 0; i < 400; i++)
    {
      GtkWidget *focus;
      gboolean named;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        /* The end of the chain: the window starts again from the top. */
        g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (focus == first)
        break;
      if (first == NULL)
        first = focus;

      g_test_message ("stop %d: %s", n_stops, describe_widget (focus));
      if (g_hash_table_contains (visited, focus))
        g_test_message ("visited twice: %s", describe_widget (focus));
      g_assert_false (g_hash_table_contains (visited, focus));
      g_hash_table_add (visited, focus);
      n_stops++;

      /* A control names itself or is named; a selectable text is read as it is. */
      named = is_named (focus) || is_named (control_of (focus, GTK_WIDGET (window)))
              || (GTK_IS_LABEL (focus) && gtk_label_get_text (GTK_LABEL (focus))[0] != '\0');
      if (!named)
        g_test_message ("no name: %s", describe_widget (focus));
      g_assert_true (named);
      if (GTK_IS_LIST_BOX_ROW (focus) && has_focusable_descendant (focus))
        g_test_message ("a row before its control: %s", describe_widget (focus));
      g_assert_false (GTK_IS_LIST_BOX_ROW (focus) && has_focusable_descendant (focus));
    }
  g_assert_nonnull (first);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == first);
  g_assert_cmpint (n_stops, >=, 20);

  /* Each plot on screen is a stop. */
  {
    const char *names[] = { "forecast_view", "loss_view", "hidden_view",
                            "cell_state_view", "gates_view", "gradient_view" };
    int n_plots = 0;

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        GtkWidget *plot = window_test_child (window, names[i]);

        if (!gtk_widget_get_mapped (plot))
          continue;
        if (!g_hash_table_contains (visited, plot))
          g_test_message ("not a stop: %s", names[i]);
        g_assert_true (g_hash_table_contains (visited, plot));
        n_plots++;
      }
    g_assert_cmpint (n_plots, >=, 3);
  }
  return visited;
}

static guint
count_of_type (GHashTable *stops,
               GType       type)
{
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  g_hash_table_iter_init (&iter, stops);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    n += G_TYPE_CHECK_INSTANCE_TYPE (key, type);
  return n;
}

static void
test_focus_chain (void)
{
  LabWindow *window = window_test_open (app);
  g_autoptr(GHashTable) plain = NULL;
  g_autoptr(GHashTable) list = NULL;
  g_autoptr(GHashTable) step = NULL;
  g_auto(GStrv) builtins = lab_lesson_builtin_list ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
  window_test_spin_for (100000);
  plain = walk_focus_chain (window);

  /* Scrubbed back, the Live button joins the chain, named once. */
  {
    g_autoptr(GHashTable) scrubbed = NULL;
    GtkWidget *live = gtk_widget_get_next_sibling (window_test_child (window, "timeline_scale"));

    g_assert_false (g_hash_table_contains (plain, live));
    step_to (window, 3);
    lab_window_show_epoch (window, 1);
    window_test_spin_for (100000);
    scrubbed = walk_focus_chain (window);
    g_assert_true (g_hash_table_contains (scrubbed, live));
    gtk_test_accessible_assert_property (live, GTK_ACCESSIBLE_PROPERTY_LABEL, "Live");
    activate (window, "live");
    window_test_spin_for (100000);
  }

  /* The Lessons panel: each lesson is a row to activate, named by its title. */
  activate (window, "lessons");
  window_test_spin_for (100000);
  list = walk_focus_chain (window);
  g_assert_cmpuint (count_of_type (list, GTK_TYPE_LIST_BOX_ROW), ==, g_strv_length (builtins));
  g_assert_cmpuint (g_hash_table_size (list), >, g_hash_table_size (plain));

  /* A step: Show Me, Back, Next, Leave. */
  lab_window_set_lesson_check (window, lab_cli_lesson_check_settings, NULL);
  g_assert_true (lab_window_open_lesson_builtin (window, builtins[0], NULL));
  lab_window_lesson_go (window, 1);
  window_test_spin_for (100000);
  step = walk_focus_chain (window);
  g_assert_cmpuint (g_hash_table_size (step), >=, g_hash_table_size (plain) + 4);

  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/window/a11y/describe/sentences", test_describe_sentences);
  g_test_add_func ("/ui/window/a11y/plots/roles", test_plots_roles);
  g_test_add_func ("/ui/window/a11y/plots/values", test_plots_values);
  g_test_add_func ("/ui/window/a11y/plots/gates", test_plots_gates);
  g_test_add_func ("/ui/window/a11y/plots/stable-while-playing", test_plots_stable_while_playing);
  g_test_add_func ("/ui/window/a11y/forecast-cursor", test_forecast_cursor);
  g_test_add_func ("/ui/window/a11y/focus-chain", test_focus_chain);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
