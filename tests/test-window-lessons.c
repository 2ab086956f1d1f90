/* test-window-lessons.c: the Lessons panel: every built-in lesson stepped
 * start to end with Show me on every step, the run's state checked at each;
 * a refused lesson file changes nothing. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/lab-cli.h"
#include "core/lab-model-io.h"
#include "core/lab-lesson-settings.h"
#include "ui/lab-controls.h"
#include "ui/lab-window-data.h"
#include "ui/lab-window-lessons.h"
#include "window-test-util.h"

/* A step may train several models for many epochs. */
#define LESSON_STEP_TIMEOUT_US (240 * G_USEC_PER_SEC)

static GtkApplication *app;

typedef struct
{
  LabWindow               *window;
  int                      epoch;
  guint                    n_models;
  const LabLessonSettings *settings;  /* (n_models) */
} ShownAt;

/* The rebuild is the trainer's: the views show the step's runs once their
 * first snapshots have come back; each model plays to the step's epoch. */
static gboolean
paused_at (gpointer data)
{
  ShownAt *at = data;
  LabCompare *compare = lab_window_get_compare (at->window);

  if (lab_compare_get_n_models (compare) != at->n_models || lab_compare_get_training (compare))
    return FALSE;
  for (guint i = 0; i < at->n_models; i++)
    {
      LabSnapshot *shown = lab_run_get_shown (lab_compare_get_run (compare, i));
      const LabLessonSettings *s = &at->settings[i];

      if (shown == NULL || shown->epoch != at->epoch
          || shown->settings->config.series != s->config.series
          || shown->settings->config.hidden_size != s->config.hidden_size
          || shown->settings->config.cell != s->config.cell
          || shown->settings->config.time_step != s->config.time_step
          || (s->real_series == NULL && shown->settings->config.n_points != s->config.n_points)
          || shown->settings->seed != s->seed)
        return FALSE;
    }
  return TRUE;
}

/* The run's settings are the step's first model's. */
static void
assert_settings (const LabRunSettings    *run,
                 const LabLessonSettings *step)
{
  g_assert_cmpint (run->config.hidden_size, ==, step->config.hidden_size);
  g_assert_cmpint (run->config.time_step, ==, step->config.time_step);
  g_assert_cmpint (run->config.series, ==, step->config.series);
  g_assert_cmpint (run->config.cell, ==, step->config.cell);
  g_assert_cmpint (run->config.burst, ==, step->config.burst);
  g_assert_cmpint (run->config.normalize, ==, step->config.normalize);
  g_assert_cmpfloat_with_epsilon (run->config.noise, step->config.noise, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_run_settings_lr_at (run, 1), step->config.lr, 1e-12);
  g_assert_cmpint (run->seed, ==, step->seed);
  if (step->real_series != NULL)
    {
      g_assert_nonnull (run->data);
      g_assert_cmpstr (run->data->name, ==, step->real_series);
    }
  else
    {
      g_assert_null (run->data);
      g_assert_cmpint (run->config.n_points, ==, step->config.n_points);
      g_assert_cmpfloat_with_epsilon (run->config.period, step->config.period, 1e-12);
    }
}

static void
test_builtin (gconstpointer data)
{
  const char *resource = data;
  LabWindow *window = window_test_open_lessons (app);
  g_autoptr(GError) error = NULL;
  const LabLesson *lesson;

  g_assert_true (lab_window_open_lesson_builtin (window, resource, &error));
  g_assert_no_error (error);
  lesson = lab_window_get_lesson (window);
  g_assert_nonnull (lesson);
  g_assert_cmpint (lab_window_get_lesson_step (window), ==, 0);
  /* The panel's text wraps in the sidebar; the sidebar keeps its width. */
  window_test_spin_for (100000);
  g_assert_cmpint (gtk_widget_get_width (adw_flap_get_flap (ADW_FLAP (window_test_child (window, "flap")))), <,
                   gtk_widget_get_width (GTK_WIDGET (window)) / 3);

  for (guint i = 0; i < lesson->n_steps; i++)
    {
      const LabLessonStep *step = &lesson->steps[i];
      LabLessonSettings all[3];
      LabLessonSettings *s = &all[0];
      ShownAt at = { window, step->play_to_epoch, step->n_models, all };
      LabCompare *compare = lab_window_get_compare (window);
      LabSnapshot *shown;

      memset (all, 0, sizeof all);
      g_assert_cmpint (lab_window_get_lesson_step (window), ==, (int) i);
      for (guint m = 0; m < step->n_models; m++)
        {
          g_assert_true (lab_lesson_settings_parse (step->models[m].settings,
                                                    strlen (step->models[m].settings), &all[m], &error));
          g_assert_no_error (error);
        }

      gtk_widget_activate_action (GTK_WIDGET (window), "win.lesson-show-me", NULL);
      g_assert_cmpfloat_with_epsilon (lab_window_get_speed (window), 0.0, 1e-12);
      /* Up to 1500 epochs of an LSTM, in a sanitizer's build too. */
      if (!window_test_wait_until_for (paused_at, &at, LESSON_STEP_TIMEOUT_US))
        {
          shown = lab_window_get_shown_snapshot (window);
          g_test_message ("step %u: shown epoch %d series %d hidden %d points %d seed %d playing %d",
                          i + 1, shown != NULL ? shown->epoch : -1,
                          shown != NULL ? (int) shown->settings->config.series : -1,
                          shown != NULL ? shown->settings->config.hidden_size : -1,
                          shown != NULL ? shown->settings->config.n_points : -1,
                          shown != NULL ? (int) shown->settings->seed : -1,
                          lab_window_get_playing (window));
          for (guint m = 0; m < lab_compare_get_n_models (compare); m++)
            {
              LabRun *run = lab_compare_get_run (compare, m);

              g_test_message ("model %u: epoch %d cell %d playing %d state %d", m + 1,
                              lab_run_get_shown_epoch (run), lab_run_get_settings (run)->config.cell,
                              lab_run_get_playing (run), lab_run_get_state (run));
            }
          g_test_fail ();
          break;
        }

      shown = lab_window_get_shown_snapshot (window);
      g_assert_cmpint (shown->epoch, ==, step->play_to_epoch);
      assert_settings (shown->settings, s);
      assert_settings (lab_run_get_settings (lab_window_get_run (window)), s);
      /* The plots say the epoch the step paused at, and take focus. */
      {
        LabPlotView *loss = lab_window_get_plot_view (window, LAB_PLOT_KIND_LOSS);
        g_autofree char *epoch = g_strdup_printf ("Loss, epoch %d: ", step->play_to_epoch);

        g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (loss)));
        g_assert_nonnull (lab_plot_view_get_summary (loss));
        if (!g_str_has_prefix (lab_plot_view_get_summary (loss), epoch))
          g_test_message ("summary: %s", lab_plot_view_get_summary (loss));
        g_assert_true (g_str_has_prefix (lab_plot_view_get_summary (loss), epoch));
      }
      /* A compared step: every model side by side in the window, each
       * with its own settings and the lesson's label, at the same epoch. */
      g_assert_cmpuint (lab_compare_get_n_models (compare), ==, step->n_models);
      for (guint m = 0; m < step->n_models; m++)
        {
          LabRun *run = lab_compare_get_run (compare, m);

          assert_settings (lab_run_get_settings (run), &all[m]);
          g_assert_cmpint (lab_run_get_shown_epoch (run), ==, step->play_to_epoch);
          if (step->models[m].label != NULL)
            g_assert_cmpstr (lab_compare_get_label (compare, m), ==,
                             lab_lesson_text_get (step->models[m].label, NULL));
          lab_lesson_settings_clear (&all[m]);
        }
      g_assert_cmpstr (lab_window_get_lesson_note (window), ==, "");

      gtk_widget_activate_action (GTK_WIDGET (window), "win.lesson-next", NULL);
    }
  /* Next on the last step stays there; Leave keeps the run as it is. */
  g_assert_cmpint (lab_window_get_lesson_step (window), ==, (int) lesson->n_steps - 1);
  {
    int epoch = lab_window_get_epoch (window);

    gtk_widget_activate_action (GTK_WIDGET (window), "win.lesson-leave", NULL);
    g_assert_null (lab_window_get_lesson (window));
    g_assert_cmpint (lab_window_get_epoch (window), ==, epoch);
  }
  window_test_close (window);
}

static void
test_bad_file (void)
{
  LabWindow *window = window_test_open_lessons (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lab-lessons-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.json", NULL);
  g_auto(GStrv) builtins = lab_lesson_builtin_list ();
  const LabRunSettings *before;
  const LabLesson *lesson;
  int epoch;

  g_assert_true (lab_window_open_lesson_builtin (window, builtins[0], NULL));
  lab_window_lesson_go (window, 1);
  lesson = lab_window_get_lesson (window);
  before = lab_run_get_settings (lab_window_get_run (window));
  epoch = lab_window_get_epoch (window);

  /* A typo in a key, and a lesson whose settings the command line refuses. */
  g_assert_true (g_file_set_contents (path,
                                      "{\"format\":\"rnn-lab-lesson\",\"version\":1,\"id\":\"x\","
                                      "\"titel\":\"x\",\"steps\":[]}", -1, NULL));
  g_assert_false (lab_window_open_lesson_path (window, path, &error));
  g_assert_error (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_nonnull (strstr (error->message, "titel"));
  g_assert_cmpstr (lab_window_get_lesson_note (window), ==, error->message);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path,
                                      "{\"format\":\"rnn-lab-lesson\",\"version\":1,\"id\":\"x\","
                                      "\"title\":\"x\",\"steps\":[{\"title\":\"t\",\"text\":\"t\","
                                      "\"question\":\"q?\",\"show\":{\"settings\":{\"lr\":-1},"
                                      "\"views\":[\"loss\"]}}]}", -1, NULL));
  g_assert_false (lab_window_open_lesson_path (window, path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "lr: -1 is out of range"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  /* The open lesson, its step and the run are as they were. */
  g_assert_true (lab_window_get_lesson (window) == lesson);
  g_assert_cmpint (lab_window_get_lesson_step (window), ==, 1);
  g_assert_true (lab_run_get_settings (lab_window_get_run (window)) == before);
  g_assert_cmpint (lab_window_get_epoch (window), ==, epoch);

  g_remove (path);
  g_rmdir (dir);
  window_test_close (window);
}

/* The command that trains a compared model headless. */
static void
test_command (void)
{
  const char *text = "{\"series\":\"sine\",\"lr\":0.3,\"hidden-size\":50,\"shuffle\":true,\"baselines\":false}";
  g_autofree char *command = lab_lesson_settings_command (text, strlen (text));

  g_assert_cmpstr (command, ==, "rnn-lab --headless --series sine --lr 0.3 --hidden-size 50 --shuffle");
}

/* The sliders' values as text: the rate itself, not its log10 on the
 * slider; the speed's words, not its notch. */
static void
test_value_text (void)
{
  LabWindow *window = window_test_open_lessons (app);
  GtkWidget *controls = lab_window_get_controls (window);
  GtkWidget *lr_scale = window_test_child (window, "lr_scale");
  GtkWidget *speed_scale = window_test_child (window, "speed_scale");

  lab_controls_set_learning_rate (LAB_CONTROLS (controls), 0.01);
  gtk_test_accessible_assert_property (lr_scale, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "0.01");
  lab_controls_set_learning_rate (LAB_CONTROLS (controls), 0.3);
  gtk_test_accessible_assert_property (lr_scale, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "0.3");
  lab_controls_set_speed (LAB_CONTROLS (controls), 0);
  gtk_test_accessible_assert_property (speed_scale, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
                                       "As fast as possible");
  lab_controls_set_speed (LAB_CONTROLS (controls), 20);
  gtk_test_accessible_assert_property (speed_scale, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "20 epochs/s");
  window_test_close (window);
}

/* The sidebar's lists are named by their headings, and a row that only
 * holds a control takes no Tab stop of its own. */
static void
test_lists (void)
{
  LabWindow *window = window_test_open_lessons (app);
  GtkWidget *data_title = gtk_widget_get_first_child (GTK_WIDGET (lab_window_get_data_controls (window)));
  GtkWidget *data_list = gtk_widget_get_next_sibling (data_title);
  GtkWidget *series_row = gtk_widget_get_first_child (data_list);
  /* The controls' first heading and its list. */
  GtkWidget *model_heading = gtk_widget_get_first_child (lab_window_get_controls (window));
  GtkWidget *model_list = gtk_widget_get_next_sibling (model_heading);

  g_assert_true (GTK_IS_LABEL (model_heading));
  g_assert_true (GTK_IS_LABEL (data_title));
  g_assert_true (GTK_IS_LIST_BOX_ROW (series_row));
  g_assert_true (GTK_IS_LIST_BOX (model_list));
  gtk_test_accessible_assert_relation (data_list, GTK_ACCESSIBLE_RELATION_LABELLED_BY, data_title, NULL);
  gtk_test_accessible_assert_relation (model_list, GTK_ACCESSIBLE_RELATION_LABELLED_BY, model_heading, NULL);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (model_list), GTK_ACCESSIBLE_ROLE_LIST));
  g_assert_false (gtk_widget_get_focusable (series_row));
  g_assert_false (gtk_widget_get_focusable (gtk_widget_get_first_child (model_list)));
  /* The Live button is named once, without its mnemonic; the banner with
   * its Reset button is out of the tree until there is a message. */
  GtkWidget *live = gtk_widget_get_next_sibling (window_test_child (window, "timeline_scale"));

  g_assert_true (GTK_IS_BUTTON (live));
  gtk_test_accessible_assert_property (live, GTK_ACCESSIBLE_PROPERTY_LABEL, "Live");
  g_assert_null (lab_window_get_message (window));
  g_assert_false (gtk_widget_get_visible (window_test_child (window, "banner_revealer")));
  window_test_close (window);
}


/* Lesson folders: a step's learning-rate schedule, initial weights from a
 * file and imported series, applied by Show me as the command line
 * replays the same settings.json. */

typedef struct
{
  LabWindow *window;
  int        epoch;
} EpochDone;

static gboolean
trained_to (gpointer data)
{
  EpochDone *done = data;
  LabSnapshot *shown = lab_window_get_shown_snapshot (done->window);

  return !lab_window_get_playing (done->window) && shown != NULL && shown->epoch == done->epoch
         && lab_window_get_state (done->window) != LAB_TRAINER_RUNNING
         && lab_history_get_n_epochs (lab_window_get_history (done->window)) == done->epoch;
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

/* Opens the folder dir as a lesson, shows its step (trained to epochs),
 * then trains its settings.json headless: the window's losses are the
 * command line's, bit for bit. Returns the window, paused there. */
static LabWindow *
show_folder_as_headless (const char *dir,
                         int         epochs)
{
  LabWindow *window = window_test_open_lessons (app);
  const char *bin = g_getenv ("RNN_LAB_BIN");
  g_autofree char *settings = g_build_filename (dir, "settings.json", NULL);
  g_autofree char *loss_csv = g_build_filename (dir, "headless-loss.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  LabHistory *history;
  EpochDone done = { window, epochs };
  int status, n_rows = 0;

  g_assert_true (lab_window_open_lesson_path (window, dir, &error));
  g_assert_no_error (error);
  if (!lab_window_lesson_show_me (window, &error))
    g_test_message ("Show me: %s", error->message);
  g_assert_no_error (error);
  g_assert_true (window_test_wait_until (trained_to, &done));
  g_assert_cmpstr (lab_window_get_lesson_note (window), ==, "");

  g_assert_nonnull (bin);
  {
    const char *argv[] = { bin, "--headless", "--settings", settings, "--log-every", "0",
                           "--loss-csv", loss_csv, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("rnn-lab said: %s", err);
  /* It ends as the command line does, with the test MSE. */
  g_assert_nonnull (strstr (out, "Test MSE: "));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_true (g_file_get_contents (loss_csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  history = lab_window_get_history (window);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      int epoch;

      if (!g_ascii_isdigit (lines[i][0]))
        continue;
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      epoch = atoi (fields[0]);
      g_assert_cmpint (epoch, ==, n_rows + 1);
      g_assert_cmpfloat ((float) g_ascii_strtod (fields[1], NULL), ==,
                         lab_history_get_train_loss (history)[epoch - 1]);
      g_assert_cmpfloat ((float) g_ascii_strtod (fields[2], NULL), ==,
                         lab_history_get_test_loss (history)[epoch - 1]);
      n_rows++;
    }
  g_assert_cmpint (n_rows, ==, epochs);
  return window;
}

static void
test_folder_lr_changes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-lessons-XXXXXX", NULL);
  const LabRunSettings *settings;
  LabWindow *window;

  write_file (dir, "settings.json",
              "{\"format\": \"rnn-lab-settings\", \"version\": 1, \"hidden-size\": 12, \"time-step\": 6,"
              " \"lr\": 0.02, \"epochs\": 12, \"points\": 80, \"seed\": 5,"
              " \"lr-changes\": [{\"epoch\": 4, \"lr\": 0.2}, {\"epoch\": 9, \"lr\": 0.001}]}");
  window = show_folder_as_headless (dir, 12);

  settings = lab_window_get_shown_snapshot (window)->settings;
  g_assert_cmpuint (settings->n_lr_changes, ==, 2);
  g_assert_cmpfloat (lab_run_settings_lr_at (settings, 3), ==, 0.02);
  g_assert_cmpfloat (lab_run_settings_lr_at (settings, 4), ==, 0.2);
  g_assert_cmpfloat (lab_run_settings_lr_at (settings, 8), ==, 0.2);
  g_assert_cmpfloat (lab_run_settings_lr_at (settings, 9), ==, 0.001);
  g_assert_cmpint (settings->config.hidden_size, ==, 12);
  g_assert_cmpint (settings->config.time_step, ==, 6);
  g_assert_cmpuint (settings->seed, ==, 5);

  window_test_close (window);
  remove_dir (dir);
}

static void
test_folder_init_weights (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-lessons-XXXXXX", NULL);
  g_autofree char *model_path = g_build_filename (dir, "start.json", NULL);
  g_autoptr(LabModel) model = lab_model_new (1, 7, 1);
  g_autoptr(GError) error = NULL;
  const LabRunSettings *settings;
  LabWindow *window;

  for (gsize i = 0; i < model->n_params; i++)
    model->params[i] = 0.3f * sinf (0.7f * (float) i);
  g_assert_true (lab_model_save_file (model, model_path, &error));
  g_assert_no_error (error);
  write_file (dir, "settings.json",
              "{\"format\": \"rnn-lab-settings\", \"version\": 1, \"time-step\": 8,"
              " \"lr\": 0.01, \"epochs\": 6, \"points\": 90, \"init\": \"file\","
              " \"init-weights\": \"start.json\"}");
  window = show_folder_as_headless (dir, 6);

  /* The file's weights, its hidden size */
  settings = lab_window_get_shown_snapshot (window)->settings;
  g_assert_cmpint (settings->init, ==, LAB_INIT_FILE);
  g_assert_cmpint (settings->config.hidden_size, ==, 7);
  g_assert_cmpuint (settings->n_init_params, ==, model->n_params);
  g_assert_cmpmem (settings->init_params, settings->n_init_params * sizeof (float),
                   model->params, model->n_params * sizeof (float));

  window_test_close (window);
  remove_dir (dir);
}

static void
test_folder_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-lessons-XXXXXX", NULL);
  g_autoptr(GString) csv = g_string_new ("day,level\n");
  const LabRunSettings *settings;
  LabWindow *window;

  for (int i = 0; i < 120; i++)
    g_string_append_printf (csv, "%d,%.4f\n", i, 10 + 3 * sin (0.2 * i) + 0.5 * cos (0.05 * i));
  write_file (dir, "series.csv", csv->str);
  write_file (dir, "settings.json",
              "{\"format\": \"rnn-lab-settings\", \"version\": 1, \"hidden-size\": 10, \"time-step\": 8,"
              " \"lr\": 0.01, \"epochs\": 5, \"csv\": \"series.csv\", \"column\": \"level\"}");
  window = show_folder_as_headless (dir, 5);

  /* The file's column, scaled to [0, 1] as the command line does */
  settings = lab_window_get_shown_snapshot (window)->settings;
  g_assert_cmpint (settings->config.series, ==, RNN_SERIES_DATA);
  g_assert_nonnull (settings->data);
  g_assert_cmpint (settings->data->n_values, ==, 120);
  g_assert_cmpfloat_with_epsilon (settings->data->values[1], 10 + 3 * sin (0.2) + 0.5 * cos (0.05), 1e-4);
  g_assert_cmpint (settings->config.normalize, ==, RNN_NORMALIZE_MINMAX);
  g_assert_cmpint (settings->config.n_points, ==, 120);

  window_test_close (window);
  remove_dir (dir);
}

/* A file a step names that is not there: a message, and nothing changes. */
static void
test_folder_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lab-lessons-XXXXXX", NULL);
  LabWindow *window = window_test_open_lessons (app);
  g_autoptr(GError) error = NULL;
  const LabRunSettings *before = lab_run_get_settings (lab_window_get_run (window));

  write_file (dir, "lesson.json",
              "{\"format\": \"rnn-lab-lesson\", \"version\": 1, \"id\": \"gone\", \"title\": \"Gone\","
              " \"steps\": [{\"title\": \"A\", \"text\": \"B. C.\", \"question\": \"D?\","
              " \"show\": {\"settings\": {\"init-weights\": \"gone.json\"}, \"views\": [\"loss\"]}}]}");
  g_assert_true (lab_window_open_lesson_path (window, dir, &error));
  g_assert_no_error (error);
  g_assert_false (lab_window_lesson_show_me (window, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "settings: init-weights: “gone.json”: "));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpstr (lab_window_get_lesson_note (window), ==, error->message);
  g_assert_true (lab_run_get_settings (lab_window_get_run (window)) == before);

  window_test_close (window);
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) builtins = NULL;
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();
  builtins = lab_lesson_builtin_list ();

  g_test_add_func ("/ui/window-lessons/command", test_command);
  g_test_add_func ("/ui/window-lessons/a11y/value-text", test_value_text);
  g_test_add_func ("/ui/window-lessons/a11y/lists", test_lists);
  g_test_add_func ("/ui/window-lessons/bad-file", test_bad_file);
  g_test_add_func ("/ui/window-lessons/folder/lr-changes", test_folder_lr_changes);
  g_test_add_func ("/ui/window-lessons/folder/init-weights", test_folder_init_weights);
  g_test_add_func ("/ui/window-lessons/folder/csv", test_folder_csv);
  g_test_add_func ("/ui/window-lessons/folder/missing-file", test_folder_missing_file);
  for (guint i = 0; builtins[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (builtins[i]);
      g_autofree char *name = g_strdup_printf ("/ui/window-lessons/builtin/%s", base);

      g_test_add_data_func (name, builtins[i], test_builtin);
    }

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
