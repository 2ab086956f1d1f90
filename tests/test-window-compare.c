/* test-window-compare.c: compare mode in the window, under Xvfb: the
 * Compare menu's sets of models, the overlays each view draws, the models
 * bar and the model whose hidden state is shown, the timeline for every
 * model, the exports, and the long-memory preset. */
#include <string.h>

#include <glib/gstdio.h>

#include "app/lab-cli.h"
#include "core/lab-lesson.h"
#include "ui/lab-window-export.h"
#include "ui/lab-window-lessons.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

typedef struct
{
  LabWindow *window;
  int        epoch;
} AllAt;

/* Every model shows `epoch` of its current generation, paused. */
static gboolean
all_at (gpointer data)
{
  AllAt *at = data;
  LabCompare *compare = lab_window_get_compare (at->window);

  if (lab_compare_get_training (compare))
    return FALSE;
  for (guint i = 0; i < lab_compare_get_n_models (compare); i++)
    {
      LabRun *run = lab_compare_get_run (compare, i);
      LabSnapshot *s = lab_run_get_shown (run);

      if (s == NULL || s->epoch != at->epoch
          || s->generation != lab_trainer_get_generation (lab_run_get_trainer (run)))
        return FALSE;
    }
  return TRUE;
}

static void
wait_all_at (LabWindow *window,
             int        epoch)
{
  AllAt at = { window, epoch };

  g_assert_true (window_test_wait_until (all_at, &at));
}

static LabPlotView *
view (LabWindow   *window,
      LabPlotKind  kind)
{
  return lab_window_get_plot_view (window, kind);
}

/* Each overlay holds every model's numbers, as its run shows them. */
static void
assert_overlays (LabWindow *window)
{
  LabCompare *compare = lab_window_get_compare (window);
  guint n = lab_compare_get_n_models (compare);
  const LabForecastData *forecast = lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST));
  const LabLossData *loss = lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS));
  const LabGradientData *gradient = lab_plot_view_get_gradient (view (window, LAB_PLOT_KIND_GRADIENT));

  g_assert_cmpint (forecast->n_models, ==, (int) n);
  g_assert_cmpint (loss->n_models, ==, (int) n);
  for (guint i = 0; i < n; i++)
    {
      LabRun *run = lab_compare_get_run (compare, i);
      LabSnapshot *s = lab_run_get_shown (run);
      const float *train;
      int n_epochs = lab_run_get_loss_curve (run, &train, NULL);

      g_assert_cmpstr (forecast->models[i].label, ==, lab_compare_get_label (compare, i));
      g_assert_cmpint (forecast->models[i].color, ==, (int) i);
      g_assert_cmpint (forecast->models[i].n_windows, ==, s->n_windows);
      g_assert_cmpmem (forecast->models[i].predictions, s->n_windows * sizeof (float),
                       s->predictions, s->n_windows * sizeof (float));
      g_assert_cmpint (loss->models[i].n_epochs, ==, n_epochs);
      g_assert_cmpmem (loss->models[i].train_loss, n_epochs * sizeof (float), train, n_epochs * sizeof (float));
      if (s->grad_norms != NULL)
        {
          g_assert_cmpint (gradient->n_models, ==, (int) n);
          g_assert_cmpmem (gradient->models[i].norms, s->time_step * sizeof (float),
                           s->grad_norms, s->time_step * sizeof (float));
        }
    }
}

/* RNN, LSTM and GRU from the Compare menu: each trains as its own run, the
 * views overlay the three, the bar names them, a card picks the hidden
 * state shown, and the timeline moves them all. */
static void
test_cells (void)
{
  LabWindow *window = window_test_open_lessons (app);
  LabCompare *compare = lab_window_get_compare (window);
  GtkWidget *bar = window_test_child (window, "models_box");
  const LabHiddenData *hidden;
  GtkWidget *card;

  g_assert_false (gtk_widget_get_visible (bar));
  g_action_group_activate_action (G_ACTION_GROUP (window), "compare", g_variant_new_string ("cells"));
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 3);
  g_assert_true (gtk_widget_get_visible (bar));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, i))->config.cell, ==, (RnnCell) i);
  g_assert_cmpstr (lab_compare_get_label (compare, 1), ==, "LSTM");
  wait_all_at (window, 0);

  for (int k = 0; k < 3; k++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  wait_all_at (window, 3);
  lab_window_show_epoch (window, -1);
  assert_overlays (window);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (window_test_child (window, "status_label"))),
                            "3 models"));
  /* The test errors under the status line are the first model's, by name. */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (window_test_child (window, "metrics_label"))),
                                   "Test: RNN MSE "));
  /* What the plots say names every model with its values. */
  {
    const char *loss = lab_plot_view_get_summary (view (window, LAB_PLOT_KIND_LOSS));
    const char *forecast = lab_plot_view_get_summary (view (window, LAB_PLOT_KIND_FORECAST));
    LabRun *lstm = lab_compare_get_run (compare, 1);
    float train_loss, test_loss;
    g_autofree char *train = NULL;
    g_autofree char *expected = NULL;

    lab_run_get_losses (lstm, lab_run_get_shown (lstm), &train_loss, &test_loss);
    train = lab_format_loss (train_loss);
    expected = g_strdup_printf ("LSTM train %s", train);
    g_assert_true (g_str_has_prefix (loss, "Loss, epoch 3: RNN train "));
    g_assert_nonnull (strstr (loss, expected));
    g_assert_nonnull (strstr (loss, "GRU train "));
    g_assert_true (g_str_has_prefix (forecast, "Forecast, epoch 3: test MSE of RNN "));
    g_assert_nonnull (strstr (forecast, "; GRU "));
  }

  /* The GRU's card: the hidden state shown is the GRU's, 50 units of its window. */
  card = NULL;
  for (GtkWidget *c = gtk_widget_get_first_child (bar); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_TOGGLE_BUTTON (c) && gtk_widget_get_visible (c))
      card = c;
  g_assert_nonnull (card);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (card), TRUE);
  g_assert_cmpuint (lab_compare_get_focus (compare), ==, 2);
  hidden = lab_plot_view_get_hidden (view (window, LAB_PLOT_KIND_HIDDEN));
  {
    LabSnapshot *gru = lab_run_get_shown (lab_compare_get_run (compare, 2));
    int T = gru->time_step, H = gru->hidden_size;
    g_autofree float *h = g_new (float, T * H);

    lab_snapshot_get_hidden (gru, hidden->window, h);
    g_assert_cmpint (hidden->hidden_size, ==, H);
    g_assert_cmpmem (hidden->hidden, T * H * sizeof (float), h, T * H * sizeof (float));
    g_assert_cmpint (lab_plot_view_get_gates (view (window, LAB_PLOT_KIND_GATES))->n_gates, ==, 2);
    g_assert_cmpstr (hidden->model, ==, "GRU");
    g_assert_cmpstr (lab_plot_view_get_unrolled (view (window, LAB_PLOT_KIND_UNROLLED))->model, ==, "GRU");
    /* The unrolled network is the GRU's too. */
    g_assert_cmpint (lab_plot_view_get_unrolled (view (window, LAB_PLOT_KIND_UNROLLED))->hidden_size, ==, H);
    g_assert_cmpmem (lab_plot_view_get_unrolled (view (window, LAB_PLOT_KIND_UNROLLED))->hidden,
                     T * H * sizeof (float), h, T * H * sizeof (float));
  }

  /* Back one epoch on the timeline: every model shows epoch 2. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "step-back", NULL);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (lab_run_get_shown_epoch (lab_compare_get_run (compare, i)), ==, 2);
  assert_overlays (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "live", NULL);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (lab_run_get_shown_epoch (lab_compare_get_run (compare, i)), ==, 3);

  /* Reset: all at epoch 0 again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "reset", NULL);
  wait_all_at (window, 0);
  g_assert_cmpint (lab_history_get_n_epochs (lab_run_get_history (lab_compare_get_run (compare, 1))), ==, 0);

  /* One model again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "compare-stop", NULL);
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 1);
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_cmpint (lab_plot_view_get_forecast (view (window, LAB_PLOT_KIND_FORECAST))->n_models, ==, 0);
  g_assert_cmpint (lab_plot_view_get_loss (view (window, LAB_PLOT_KIND_LOSS))->n_models, ==, 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (window_test_child (window, "metrics_label"))),
                                   "Test: network MSE "));
  window_test_close (window);
}

/* The first model's controls: a new hidden size starts every model again;
 * learning rates and time steps compare the first model's settings. */
static void
test_sets (void)
{
  LabWindow *window = window_test_open_lessons (app);
  LabCompare *compare = lab_window_get_compare (window);

  g_action_group_activate_action (G_ACTION_GROUP (window), "compare", g_variant_new_string ("learning-rates"));
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 3);
  g_assert_cmpfloat_with_epsilon (lab_run_settings_get_last_lr (lab_run_get_settings (lab_compare_get_run (compare, 1))),
                                  0.001, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_run_settings_get_last_lr (lab_run_get_settings (lab_compare_get_run (compare, 2))),
                                  0.1, 1e-12);
  g_assert_nonnull (strstr (lab_compare_get_label (compare, 2), "lr 0.1"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "compare", g_variant_new_string ("time-steps"));
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 3);
  g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, 1))->config.time_step, ==, 2);
  g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, 2))->config.time_step, ==, 30);
  wait_all_at (window, 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  wait_all_at (window, 1);
  assert_overlays (window);
  window_test_close (window);
}

/* Exports draw every model; a lesson folder records them and opens as a
 * lesson whose step shows them side by side again. */
static void
test_exports (void)
{
  LabWindow *window = window_test_open_lessons (app);
  LabCompare *compare = lab_window_get_compare (window);
  g_autofree char *dir = g_dir_make_tmp ("lab-compare-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "loss.png", NULL);
  g_autofree char *folder = g_build_filename (dir, "lesson", NULL);
  g_autofree char *lesson_path = g_build_filename (folder, "lesson.json", NULL);
  g_autoptr(GError) error = NULL;
  const LabLesson *lesson;

  g_action_group_activate_action (G_ACTION_GROUP (window), "compare", g_variant_new_string ("cells"));
  wait_all_at (window, 0);
  for (int k = 0; k < 2; k++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  wait_all_at (window, 2);

  g_assert_true (lab_window_export_view_to_file (window, LAB_PLOT_KIND_LOSS, png, 1.0, LAB_EXPORT_PNG, &error));
  g_assert_no_error (error);
  {
    cairo_surface_t *surface = cairo_image_surface_create_from_png (png);

    g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (surface);
  }

  g_assert_true (lab_window_export_lesson_to_folder (window, folder, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (lesson_path, G_FILE_TEST_IS_REGULAR));

  /* Opened again, after the models were stopped: the same three, from the same seed. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "compare-stop", NULL);
  g_assert_true (lab_window_open_lesson_path (window, folder, &error));
  g_assert_no_error (error);
  lesson = lab_window_get_lesson (window);
  g_assert_cmpuint (lesson->n_steps, ==, 1);
  g_assert_cmpuint (lesson->steps[0].n_models, ==, 3);
  g_assert_cmpint (lesson->steps[0].play_to_epoch, ==, 2);
  g_assert_true (lab_window_lesson_show_me (window, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 3);
  wait_all_at (window, 2);
  for (guint i = 0; i < 3; i++)
    {
      const LabRunSettings *s = lab_run_get_settings (lab_compare_get_run (compare, i));

      g_assert_cmpint (s->config.cell, ==, (RnnCell) i);
      g_assert_cmpint (s->config.hidden_size, ==, 50);
    }
  g_assert_cmpstr (lab_compare_get_label (compare, 2), ==, "GRU");

  window_test_close (window);
  {
    g_autoptr(GDir) d = g_dir_open (folder, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);

        g_remove (path);
      }
  }
  g_rmdir (folder);
  g_remove (png);
  g_rmdir (dir);
}

/* The long-memory preset: the RNN and the LSTM side by side on the pattern
 * series, with the gradient view, playing (the gap itself is tested
 * headless in test-lesson.c). */
static void
test_memory_preset (void)
{
  LabWindow *window = window_test_open_lessons (app);
  LabCompare *compare = lab_window_get_compare (window);
  GtkStack *stack = GTK_STACK (window_test_child (window, "cell_stack"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "compare-memory", NULL);
  g_assert_cmpuint (lab_compare_get_n_models (compare), ==, 2);
  g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, 0))->config.cell, ==, RNN_CELL_RNN);
  g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, 1))->config.cell, ==, RNN_CELL_LSTM);
  g_assert_cmpint (lab_run_get_settings (lab_compare_get_run (compare, 1))->config.series, ==, RNN_SERIES_PATTERN);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "gradient");
  g_assert_true (lab_compare_get_training (compare));
  g_assert_nonnull (lab_window_get_lesson (window));
  window_test_close (window);
}

int
main (int   argc,
      char *argv[])
{
  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/window-compare/cells", test_cells);
  g_test_add_func ("/ui/window-compare/sets", test_sets);
  g_test_add_func ("/ui/window-compare/exports", test_exports);
  g_test_add_func ("/ui/window-compare/memory-preset", test_memory_preset);
  return g_test_run ();
}
