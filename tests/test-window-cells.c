/* test-window-cells.c: the window's cell choice and gradient clipping,
 * under Xvfb: each rebuilds the run through LabRun, and what the trainer
 * gets is what the sidebar shows. */
#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "core/lab-run.h"
#include "ui/lab-controls.h"
#include "ui/lab-plot-view.h"
#include "ui/lab-window-export.h"

#include <glib/gstdio.h>
#include "ui/lab-window.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

static gboolean
latest_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];
  RnnCell cell = GPOINTER_TO_INT (((gpointer *) data)[1]);
  double clip = *(double *) ((gpointer *) data)[2];
  LabSnapshot *s = lab_window_get_latest_snapshot (window);

  return s != NULL && s->epoch == 0 && s->settings->config.cell == cell
         && s->settings->config.clip_grad_norm == clip;
}

static void
wait_for_latest (LabWindow *window,
                 RnnCell    cell,
                 double     clip)
{
  gpointer data[3] = { window, GINT_TO_POINTER (cell), &clip };
  gboolean arrived = window_test_wait_until (latest_is, data);
  LabSnapshot *s = lab_window_get_latest_snapshot (window);

  if (!arrived && s != NULL)
    g_test_message ("latest: epoch %d, cell %d, clip %g", s->epoch,
                    s->settings->config.cell, s->settings->config.clip_grad_norm);
  g_assert_true (arrived);
}

static gboolean
epoch_is (gpointer data)
{
  LabWindow *window = ((gpointer *) data)[0];

  return lab_window_get_epoch (window) == GPOINTER_TO_INT (((gpointer *) data)[1]);
}

static void
step_once (LabWindow *window)
{
  gpointer data[2] = { window, GINT_TO_POINTER (lab_window_get_epoch (window) + 1) };

  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_assert_true (window_test_wait_until (epoch_is, data));
}

/* The parameter count the sidebar shows, as a number. */
static gsize
shown_n_params (LabWindow *window)
{
  const char *text = gtk_label_get_text (GTK_LABEL (window_test_child (window, "n_params_label")));
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && *p != ' '; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  g_assert_cmpuint (digits->len, >, 0);
  return (gsize) g_ascii_strtoull (digits->str, NULL, 10);
}

/* The gates view shows the shown snapshot's gates (T, G, H), one (T, H)
 * heatmap per gate shown (which[k] of the G blocks); the gradient view its
 * |dL/dh_t|. */
static void
assert_cell_views (LabWindow *window,
                   int        n_gates,
                   const int *which)
{
  LabSnapshot *s = lab_window_get_shown_snapshot (window);
  const LabGatesData *gates = lab_plot_view_get_gates (lab_window_get_plot_view (window, LAB_PLOT_KIND_GATES));
  const LabGradientData *gradient = lab_plot_view_get_gradient (lab_window_get_plot_view (window, LAB_PLOT_KIND_GRADIENT));
  int T, H, G;

  g_assert_nonnull (s);
  g_assert_nonnull (gates);
  g_assert_nonnull (gradient);
  T = s->time_step;
  H = s->hidden_size;
  G = s->n_gates;
  g_assert_cmpint (gates->epoch, ==, s->epoch);
  g_assert_cmpint (gates->window, ==, s->window);
  g_assert_cmpint (gates->time_step, ==, T);
  g_assert_cmpint (gates->hidden_size, ==, H);
  g_assert_cmpint (gates->n_gates, ==, n_gates);
  for (int k = 0; k < n_gates; k++)
    for (int t = 0; t < T; t++)
      for (int j = 0; j < H; j++)
        {
          float v = gates->gates[k].values[t * H + j];

          g_assert_true (v == s->gates[(t * G + which[k]) * H + j]);
          g_assert_cmpfloat (v, >=, 0.0f);
          g_assert_cmpfloat (v, <=, 1.0f);
        }

  g_assert_nonnull (s->grad_norms);
  g_assert_cmpint (gradient->n_models, ==, 1);
  g_assert_cmpint (gradient->models[0].time_step, ==, T);
  g_assert_cmpint (gradient->epoch, ==, s->epoch);
  g_assert_cmpmem (gradient->models[0].norms, T * sizeof (float), s->grad_norms, T * sizeof (float));

  {
    g_autofree char *gates_prefix = n_gates > 0 ? g_strdup_printf ("Gates, epoch %d, window ", s->epoch)
                                                 : g_strdup_printf ("Gates, epoch %d: ", s->epoch);
    g_autofree char *gradient_prefix = g_strdup_printf ("Gradients through time, epoch %d: ", s->epoch);

    g_assert_true (g_str_has_prefix (lab_plot_view_get_summary (lab_window_get_plot_view (window, LAB_PLOT_KIND_GATES)),
                                     gates_prefix));
    g_assert_true (g_str_has_prefix (lab_plot_view_get_summary (lab_window_get_plot_view (window, LAB_PLOT_KIND_GRADIENT)),
                                     gradient_prefix));
  }

  /* An LSTM's c_t has its own page, only then */
  {
    GtkWidget *cell_state = window_test_child (window, "cell_state_view");
    GtkStackPage *page = gtk_stack_get_page (GTK_STACK (window_test_child (window, "cell_stack")), cell_state);
    const LabHiddenData *c = lab_plot_view_get_hidden (LAB_PLOT_VIEW (cell_state));

    g_assert_true (gtk_stack_page_get_visible (page) == (s->cell_state != NULL));
    if (s->cell_state != NULL)
      {
        g_assert_nonnull (c);
        g_assert_true (c->cell_state);
        g_assert_cmpmem (c->hidden, T * H * sizeof (float), s->cell_state, T * H * sizeof (float));
      }
  }
}

static void
test_cell_choice (void)
{
  LabWindow *window = window_test_open (app);
  GtkDropDown *dropdown = GTK_DROP_DOWN (window_test_child (window, "cell_dropdown"));
  const int H = 50;
  gsize rnn_count, lstm_count;
  LabSnapshot *s;

  /* The tutorial's RNN: 2,701 parameters, W_hh is H x H. */
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, RNN_CELL_RNN);
  rnn_count = shown_n_params (window);
  g_assert_cmpuint (rnn_count, ==, 2701);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "n_params_label"))),
                   ==, "2,701 parameters");
  step_once (window);

  /* LSTM: a rebuild at epoch 0 with cell lstm, four times the recurrent
   * weights (and biases, and input weights) at the same hidden size. */
  gtk_drop_down_set_selected (dropdown, RNN_CELL_LSTM);
  wait_for_latest (window, RNN_CELL_LSTM, 0);
  s = lab_window_get_latest_snapshot (window);
  lstm_count = shown_n_params (window);
  g_assert_cmpuint (lstm_count, ==, s->n_params);
  g_assert_cmpuint (lstm_count - (H + 1), ==, 4 * (rnn_count - (H + 1)));
  g_assert_cmpuint (lstm_count, ==, 4 * (H * H + H + 2 * H) + H + 1);
  g_assert_cmpint (s->hidden_size, ==, H);
  g_assert_cmpint (s->n_gates, ==, 4);
  g_assert_nonnull (s->cell_state);
  g_assert_cmpint (lab_window_get_config (window)->cell, ==, RNN_CELL_LSTM);
  /* The views' help gives the LSTM's equations and its stacked shapes */
  {
    g_autofree char *help = lab_window_get_help_markup (window, LAB_PLOT_KIND_HIDDEN);
    g_autofree char *shape = g_strdup_printf ("W<sub>ih</sub> %d×1", 4 * H);

    g_assert_nonnull (strstr (help, "h<sub>t</sub> = σ(o)·tanh(c<sub>t</sub>)"));
    g_assert_nonnull (strstr (help, shape));
    g_assert_null (strstr (help, "W<sub>xh</sub>"));
  }

  /* The trained RNN became the ghost; undo brings it back. */
  g_assert_nonnull (lab_run_get_previous (lab_window_get_run (window)));
  g_assert_cmpint (lab_run_get_previous (lab_window_get_run (window))->settings->config.cell,
                   ==, RNN_CELL_RNN);
  step_once (window);
  g_assert_cmpint (lab_window_get_latest_snapshot (window)->settings->config.cell, ==, RNN_CELL_LSTM);
  window_test_spin_for (100000);
  assert_cell_views (window, 3, (const int[]) { 0, 1, 3 });
  for (int k = 0; k < 20; k++)
    step_once (window);
  gtk_stack_set_visible_child_name (GTK_STACK (window_test_child (window, "cell_stack")), "gates");
  window_test_spin_for (100000);
  window_test_save_screenshot (window, "window-lstm-gates.png");
  gtk_stack_set_visible_child_name (GTK_STACK (window_test_child (window, "cell_stack")), "gradient");
  window_test_spin_for (100000);
  window_test_save_screenshot (window, "window-lstm-gradient.png");
  gtk_stack_set_visible_child_name (GTK_STACK (window_test_child (window, "cell_stack")), "hidden");

  /* Both export as the other views do, shown or not. */
  for (int target = LAB_EXPORT_TARGET_GATES; target <= LAB_EXPORT_TARGET_GRADIENT; target++)
    {
      static const char *extensions[] = { "png", "svg", "pdf" };

      for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
        {
          g_autofree char *name = g_strdup_printf ("cells-export-%d.%s", target, extensions[e]);
          g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
          g_autofree char *contents = NULL;
          gsize length = 0;

          g_remove (path);
          g_assert_true (lab_window_export_to_path (window, target, path, 1.0));
          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          g_assert_cmpuint (length, >, 1000);
          if (e == 0)
            g_assert_cmpmem (contents, 4, "\x89PNG", 4);
          else if (e == 2)
            g_assert_cmpmem (contents, 4, "%PDF", 4);
          else
            g_assert_nonnull (strstr (contents, "<svg"));
        }
    }

  /* GRU: three times. */
  gtk_drop_down_set_selected (dropdown, RNN_CELL_GRU);
  wait_for_latest (window, RNN_CELL_GRU, 0);
  g_assert_cmpuint (shown_n_params (window) - (H + 1), ==, 3 * (rnn_count - (H + 1)));
  g_assert_null (lab_window_get_latest_snapshot (window)->cell_state);
  g_assert_cmpint (lab_window_get_latest_snapshot (window)->n_gates, ==, 3);
  step_once (window);
  window_test_spin_for (100000);
  assert_cell_views (window, 2, (const int[]) { 0, 1 });

  /* The count follows the hidden size too. */
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 10);
  g_assert_cmpuint (shown_n_params (window), ==, rnn_model_n_params (RNN_CELL_GRU, 1, 10, 1));

  window_test_close (window);
}

static void
test_clipping (void)
{
  LabWindow *window = window_test_open (app);
  GtkWidget *check = window_test_child (window, "clip_check");
  GtkSpinButton *spin = GTK_SPIN_BUTTON (window_test_child (window, "clip_spin"));
  LabControls *controls = LAB_CONTROLS (lab_window_get_controls (window));

  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (spin)));
  g_assert_cmpfloat (lab_controls_get_clip_grad_norm (controls), ==, 0);

  gtk_spin_button_set_value (spin, 0.5);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (spin)));
  wait_for_latest (window, RNN_CELL_RNN, 0.5);
  g_assert_cmpfloat (lab_window_get_config (window)->clip_grad_norm, ==, 0.5);
  step_once (window);
  g_assert_cmpfloat (lab_window_get_latest_snapshot (window)->settings->config.clip_grad_norm, ==, 0.5);

  gtk_spin_button_set_value (spin, 2.0);
  wait_for_latest (window, RNN_CELL_RNN, 2.0);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  wait_for_latest (window, RNN_CELL_RNN, 0);

  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/window-cells/cell-choice", test_cell_choice);
  g_test_add_func ("/ui/window-cells/clipping", test_clipping);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
