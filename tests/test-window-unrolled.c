/* test-window-unrolled.c: the "Unrolled" page of the window, under Xvfb:
 * the network unrolled over the selected window for every cell, the step
 * picked by pointing and by the arrow keys, the one-step panel against
 * the core's step terms, the passes animated after a step, the help, and
 * the exports. */
#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "core/lab-run.h"
#include "ui/lab-plot-view.h"
#include "ui/lab-window-export.h"
#include "ui/lab-window.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

static gboolean
latest_is_cell (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  LabSnapshot *s = lab_window_get_latest_snapshot (window);

  return s != NULL && s->epoch == 0 && s->cell == (RnnCell) GPOINTER_TO_INT (((gpointer *) data)[1]);
}

static gboolean
epoch_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  LabSnapshot *s = lab_window_get_shown_snapshot (window);

  return s != NULL && s->epoch == GPOINTER_TO_INT (((gpointer *) data)[1]);
}

static void
step_once (LabWindow *window)
{
  gpointer data[2] = { window, GINT_TO_POINTER (lab_window_get_epoch (window) + 1) };

  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_assert_true (window_test_wait_until (epoch_is, data));
}

static gboolean
latest_time_step_is (gpointer data)
{
  LabSnapshot *s = lab_window_get_latest_snapshot (((gpointer *) data)[0]);

  return s != NULL && s->epoch == 0 && s->time_step == GPOINTER_TO_INT (((gpointer *) data)[1]);
}

static void
set_cell (LabWindow *window,
          RnnCell    cell)
{
  gpointer data[2] = { window, GINT_TO_POINTER (cell) };

  gtk_drop_down_set_selected (GTK_DROP_DOWN (window_test_child (window, "cell_dropdown")), cell);
  g_assert_true (window_test_wait_until (latest_is_cell, data));
}

static void
show_page (LabWindow  *window,
           const char *name)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), "cell-page", g_variant_new_string (name));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (window_test_child (window, "cell_stack"))),
                   ==, name);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static LabPlotView *
view_of (LabWindow   *window,
         LabPlotKind  kind)
{
  LabPlotView *view = lab_window_get_plot_view (window, kind);

  g_assert_nonnull (view);
  g_assert_cmpint (lab_plot_view_get_kind (view), ==, kind);
  return view;
}

static void
assert_same (const float *got,
             const float *want,
             gsize        n)
{
  g_assert_nonnull (got);
  g_assert_nonnull (want);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (got[i], ==, want[i]);
}

/* The one-step panel shows step t of the selected window: the core's
 * terms, number for number. */
static void
assert_step_panel (LabWindow *window,
                   int        t)
{
  LabSnapshot *s = lab_window_get_shown_snapshot (window);
  int w = lab_window_get_selected_window (window);
  const LabStepData *d = lab_plot_view_get_step (view_of (window, LAB_PLOT_KIND_STEP));
  g_autoptr(LabStepTerms) terms = lab_snapshot_get_step_terms (s, w, t);
  int H = s->hidden_size, GH = s->n_gates * H;

  g_assert_nonnull (d);
  g_assert_nonnull (terms);
  g_assert_cmpint (d->step, ==, t);
  g_assert_cmpint ((int) d->cell, ==, (int) s->cell);
  g_assert_cmpint (d->hidden_size, ==, H);
  g_assert_cmpint (d->input_size, ==, 1);
  assert_same (d->x, terms->x, 1);
  assert_same (d->h_prev, terms->h_prev, H);
  assert_same (d->ih, terms->ih, GH);
  assert_same (d->hh, terms->hh, GH);
  assert_same (d->b_ih, terms->b_ih, GH);
  assert_same (d->b_hh, terms->b_hh, GH);
  assert_same (d->pre, terms->pre, GH);
  assert_same (d->h, terms->h, H);
  /* x_t is the window's input; h_t its hidden state, as the heatmap's */
  g_assert_cmpfloat (d->x[0], ==, s->inputs[w + t - 1]);
  if (w == s->window)
    assert_same (d->h, s->hidden + (gsize) (t - 1) * H, H);
  if (s->cell == RNN_CELL_RNN)
    g_assert_null (d->gates);
  else
    assert_same (d->gates, terms->gates, GH);
  if (s->cell == RNN_CELL_LSTM)
    {
      assert_same (d->c_prev, terms->c_prev, H);
      assert_same (d->c, terms->c, H);
    }
  else
    {
      g_assert_null (d->c_prev);
      g_assert_null (d->c);
    }
}

static GtkEventController *
controller_of (GtkWidget *widget,
               GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The x in the middle of the column of step t, at height y. */
static double
column_x (LabPlotView *view,
          int          t,
          double       y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (view)), height = gtk_widget_get_height (GTK_WIDGET (view));
  const LabUnrolledData *data = lab_plot_view_get_unrolled (view);
  double first = -1, last = -1;

  for (double x = 0; x < width; x += 1)
    if (lab_unrolled_plot_step_at (width, height, data, lab_plot_view_get_style (view), x, y) == t)
      {
        if (first < 0)
          first = x;
        last = x;
      }
  g_assert_cmpfloat (first, >=, 0);
  return (first + last) / 2;
}

static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  GtkEventController *keys = controller_of (widget, GTK_TYPE_EVENT_CONTROLLER_KEY);
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  return handled;
}

static void
check_cell (LabWindow  *window,
            RnnCell     cell,
            const char *screenshot)
{
  LabPlotView *view;
  const LabUnrolledData *u;
  LabSnapshot *s;
  int T, H, w;
  double y;

  /* (steps on another page: no animation) */
  show_page (window, "hidden");
  if (cell != RNN_CELL_RNN)
    set_cell (window, cell);
  step_once (window);
  step_once (window);
  view = view_of (window, LAB_PLOT_KIND_UNROLLED);
  s = lab_window_get_shown_snapshot (window);
  T = s->time_step;
  H = s->hidden_size;
  w = lab_window_get_selected_window (window);
  /* Before the page is shown (and the pointer may rest on it): step T */
  if (cell == RNN_CELL_RNN)
    {
      g_assert_cmpint (lab_plot_view_get_unrolled (view)->highlight, ==, T);
      assert_step_panel (window, T);
    }
  show_page (window, "unrolled");

  /* Every page's tab fits the card of a 1024 px wide window */
  {
    int min_width;

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
    g_test_message ("window's minimum width: %d", min_width);
    g_assert_cmpint (min_width, <=, 1024);
  }

  /* The network of the shown epoch's selected window */
  u = lab_plot_view_get_unrolled (view);
  g_assert_nonnull (u);
  g_assert_cmpint (u->time_step, ==, T);
  g_assert_cmpint (u->hidden_size, ==, H);
  g_assert_cmpint (u->pass, ==, LAB_PASS_NONE);
  assert_same (u->inputs, s->inputs + w, T);
  if (w == s->window)
    assert_same (u->hidden, s->hidden, (gsize) T * H);
  /* What it says: the epoch, the shape and the step picked */
  {
    g_autofree char *prefix = g_strdup_printf ("Unrolled network, epoch %d: %d time steps of %d hidden units; step %d:",
                                               s->epoch, T, H, u->highlight >= 1 ? u->highlight : T);

    g_assert_true (g_str_has_prefix (lab_plot_view_get_summary (view), prefix));
  }
  /* ŷ and y on the model's scale, as x_t */
  {
    float z;

    series_scale_apply (&z, &s->scale, &s->predictions[w], 1);
    g_assert_cmpfloat (u->prediction, ==, z);
    g_assert_cmpfloat (u->target, ==, s->inputs[w + T]);
  }
  assert_step_panel (window, u->highlight);
  g_assert_true (g_str_has_prefix (lab_plot_view_get_summary (view), "Unrolled network, epoch 2:"));

  /* The arrows, when the view has the focus: one step back, and back to T */
  gtk_widget_grab_focus (GTK_WIDGET (view));
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_End));
  assert_step_panel (window, T);
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_Left));
  g_assert_cmpint (lab_plot_view_get_unrolled (view)->highlight, ==, T - 1);
  assert_step_panel (window, T - 1);
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_Home));
  assert_step_panel (window, 1);
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_Left));
  assert_step_panel (window, 1);
  g_assert_true (press_key (GTK_WIDGET (view), GDK_KEY_Right));
  assert_step_panel (window, 2);

  /* Pointing at a column picks its step */
  y = gtk_widget_get_height (GTK_WIDGET (view)) / 2.0;
  g_signal_emit_by_name (controller_of (GTK_WIDGET (view), GTK_TYPE_EVENT_CONTROLLER_MOTION),
                         "motion", column_x (view, 2, y), y);
  g_assert_cmpint (lab_plot_view_get_unrolled (view)->highlight, ==, 2);
  assert_step_panel (window, 2);
  /* ... and its tooltip gives its numbers */
  {
    g_autofree char *readout = lab_plot_view_get_readout (view, column_x (view, 2, y), y);
    char x_text[32];

    lab_format_number (x_text, sizeof x_text, s->inputs[w + 1], 3);
    g_assert_nonnull (readout);
    g_assert_true (g_str_has_prefix (readout, "t = 2: x = "));
    g_assert_nonnull (strstr (readout, x_text));
  }

  /* The picked step stays when the epoch changes */
  step_once (window);
  window_test_spin_for (50000);
  g_assert_cmpint (lab_plot_view_get_unrolled (view)->highlight, ==, 2);
  assert_step_panel (window, 2);
  window_test_save_screenshot (window, screenshot);
}

static void
test_cells (void)
{
  LabWindow *window = window_test_open (app);

  check_cell (window, RNN_CELL_RNN, "window-unrolled-rnn.png");
  check_cell (window, RNN_CELL_LSTM, "window-unrolled-lstm.png");
  check_cell (window, RNN_CELL_GRU, "window-unrolled-gru.png");

  /* The longest window the slider allows stays drawable: columns elided */
  {
    GtkRange *scale = GTK_RANGE (window_test_child (window, "time_step_scale"));
    LabPlotView *view = view_of (window, LAB_PLOT_KIND_UNROLLED);
    GtkAdjustment *adjustment = gtk_range_get_adjustment (scale);
    int steps[256];
    int n, T_max = (int) gtk_adjustment_get_upper (adjustment);
    LabSnapshot *s;

    gpointer wait[2] = { window, GINT_TO_POINTER (T_max) };

    gtk_range_set_value (scale, T_max);
    g_assert_true (window_test_wait_until (latest_time_step_is, wait));
    step_once (window);
    window_test_spin_for (100000);
    s = lab_window_get_shown_snapshot (window);
    g_assert_cmpint (s->time_step, ==, T_max);
    g_assert_cmpint (lab_plot_view_get_unrolled (view)->time_step, ==, T_max);
    n = lab_unrolled_plot_get_columns (gtk_widget_get_width (GTK_WIDGET (view)),
                                       gtk_widget_get_height (GTK_WIDGET (view)),
                                       lab_plot_view_get_unrolled (view),
                                       lab_plot_view_get_style (view), steps, G_N_ELEMENTS (steps));
    g_assert_cmpint (n, <, T_max);
    g_assert_cmpint (steps[0], ==, 1);
    g_assert_cmpint (steps[n - 1], ==, T_max);
    assert_step_panel (window, MIN (2, T_max));
    window_test_save_screenshot (window, "window-unrolled-max-t.png");
  }

  window_test_close (window);
}

typedef struct
{
  LabPlotView *view;
  gboolean     forward, backward;
  int          last_forward_step;
  gboolean     forward_in_order;
} PassWatch;

static gboolean
pass_seen (gpointer data)
{
  PassWatch *watch = data;
  const LabUnrolledData *u = lab_plot_view_get_unrolled (watch->view);

  if (u->pass == LAB_PASS_FORWARD)
    {
      /* left to right, and never again once the backward pass began */
      watch->forward_in_order &= u->pass_step >= watch->last_forward_step && !watch->backward;
      watch->last_forward_step = u->pass_step;
      watch->forward = TRUE;
    }
  if (u->pass == LAB_PASS_BACKWARD)
    watch->backward = TRUE;
  return u->pass != LAB_PASS_NONE;
}

static gboolean
pass_done (gpointer data)
{
  PassWatch *watch = data;

  pass_seen (data);
  return lab_plot_view_get_unrolled (watch->view)->pass == LAB_PASS_NONE;
}

static void
test_animation (void)
{
  LabWindow *window = window_test_open (app);
  PassWatch watch = { .view = view_of (window, LAB_PLOT_KIND_UNROLLED), .forward_in_order = TRUE };
  gint64 start, elapsed;

  /* Another page shown: a step animates nothing */
  step_once (window);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass, ==, LAB_PASS_NONE);

  /* The Unrolled page: the forward pass, left to right, then the backward */
  show_page (window, "unrolled");
  start = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass, ==, LAB_PASS_FORWARD);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass_step, ==, 1);
  g_assert_true (window_test_wait_until (pass_done, &watch));
  elapsed = g_get_monotonic_time () - start;
  g_assert_true (watch.forward);
  g_assert_true (watch.backward);
  g_assert_true (watch.forward_in_order);
  g_assert_cmpint (elapsed, >=, 1000 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 2);

  /* A new step in the middle starts it again from step 1, and the step
   * itself is not held back by it */
  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  window_test_spin_for (900000);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass, ==, LAB_PASS_BACKWARD);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 3);
  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass, ==, LAB_PASS_FORWARD);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass_step, ==, 1);

  /* Playing stops it, and starts none */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "play", g_variant_new_boolean (TRUE));
  window_test_spin_for (100000);
  g_assert_cmpint (lab_plot_view_get_unrolled (watch.view)->pass, ==, LAB_PASS_NONE);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "play", g_variant_new_boolean (FALSE));

  window_test_close (window);
}

static gboolean
step_panel_inline (gpointer data)
{
  return gtk_widget_get_visible (window_test_child (data, "step_view"));
}

/* A tall page shows the one step under the network; a small one opens it
 * in a popover. */
static void
test_step_panel_place (void)
{
  LabWindow *window = lab_window_new (app);
  GtkWidget *step_view = window_test_child (window, "step_view");

  /* The screen is 800 px high: the forecast gives its room to the card. */
  window_test_present (window);
  gtk_widget_set_visible (window_test_child (window, "forecast_frame"), FALSE);
  show_page (window, "unrolled");
  g_assert_true (window_test_wait_until (step_panel_inline, window));
  g_assert_cmpint (gtk_widget_get_height (step_view), >, 150);
  g_assert_nonnull (lab_plot_view_get_step (LAB_PLOT_VIEW (step_view)));
  window_test_save_screenshot (window, "window-unrolled-inline.png");
  window_test_close (window);

  window = window_test_open (app);
  show_page (window, "unrolled");
  window_test_spin_for (200000);
  g_assert_false (gtk_widget_get_visible (window_test_child (window, "step_view")));
  window_test_close (window);
}

static void
test_help (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *rnn = lab_window_get_help_markup (window, LAB_PLOT_KIND_UNROLLED);
  g_autofree char *gradient = lab_window_get_help_markup (window, LAB_PLOT_KIND_GRADIENT);
  g_autofree char *lstm = NULL;
  const char *bptt = "∂L/∂h<sub>t−1</sub> = W<sub>hh</sub><sup>T</sup> (∂L/∂h<sub>t</sub> ⊙ (1 − h<sub>t</sub>²))";
  GtkWidget *button = window_test_child (window, "unrolled_help_button");

  g_assert_true (pango_parse_markup (rnn, -1, 0, NULL, NULL, NULL, NULL));
  g_assert_nonnull (strstr (rnn, "h<sub>t</sub> = tanh(W<sub>ih</sub> x<sub>t</sub> + b<sub>ih</sub> + "
                                 "W<sub>hh</sub> h<sub>t−1</sub> + b<sub>hh</sub>)"));
  g_assert_nonnull (strstr (rnn, bptt));
  g_assert_nonnull (strstr (rnn, "spectral radius"));
  g_assert_nonnull (strstr (rnn, "Spectral radius of W<sub>hh</sub> now:"));
  g_assert_nonnull (strstr (gradient, bptt));
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "About the Unrolled Network");

  set_cell (window, RNN_CELL_LSTM);
  lstm = lab_window_get_help_markup (window, LAB_PLOT_KIND_UNROLLED);
  g_assert_true (pango_parse_markup (lstm, -1, 0, NULL, NULL, NULL, NULL));
  g_assert_nonnull (strstr (lstm, "c<sub>t</sub> = σ(f)·c<sub>t−1</sub> + σ(i)·tanh(g)"));
  g_assert_nonnull (strstr (lstm, "∂L/∂c<sub>t−1</sub> = ∂L/∂c<sub>t</sub> ⊙ σ(f)"));
  g_assert_nonnull (strstr (lstm, "forget gate"));
  g_assert_null (strstr (lstm, "Spectral radius of"));

  window_test_close (window);
}

static void
test_export (void)
{
  LabWindow *window = window_test_open (app);
  static const char *extensions[] = { "png", "svg", "pdf" };

  step_once (window);
  show_page (window, "unrolled");
  for (int target = LAB_EXPORT_TARGET_UNROLLED; target <= LAB_EXPORT_TARGET_STEP; target++)
    {
      int width, height;

      lab_window_get_export_size (window, target, &width, &height);
      /* One RNN step, shown in its popover at this size: exported at it too */
      if (target == LAB_EXPORT_TARGET_STEP)
        {
          g_assert_cmpint (width, ==, 560);
          g_assert_cmpint (height, ==, 240);
        }
      for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
        for (int scale = 1; scale <= (e == 0 ? 2 : 1); scale++)
          {
            g_autofree char *name = g_strdup_printf ("unrolled-export-%d-%dx.%s", target, scale, extensions[e]);
            g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
            g_autofree char *contents = NULL;
            gsize length = 0;

            g_remove (path);
            g_assert_true (lab_window_export_to_path (window, target, path, scale));
            g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
            g_assert_cmpuint (length, >, 1000);
            if (e == 0)
              {
                g_autoptr(GdkTexture) texture = NULL;
                g_autoptr(GError) error = NULL;

                g_assert_cmpmem (contents, 4, "\x89PNG", 4);
                texture = gdk_texture_new_from_filename (path, &error);
                g_assert_no_error (error);
                g_assert_cmpint (gdk_texture_get_width (texture), ==, width * scale);
                g_assert_cmpint (gdk_texture_get_height (texture), ==, height * scale);
              }
            else if (e == 2)
              g_assert_cmpmem (contents, 4, "%PDF", 4);
            else
              g_assert_nonnull (strstr (contents, "<svg"));
          }
    }

  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/window-unrolled/cells", test_cells);
  g_test_add_func ("/ui/window-unrolled/animation", test_animation);
  g_test_add_func ("/ui/window-unrolled/step-panel-place", test_step_panel_place);
  g_test_add_func ("/ui/window-unrolled/help", test_help);
  g_test_add_func ("/ui/window-unrolled/export", test_export);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
