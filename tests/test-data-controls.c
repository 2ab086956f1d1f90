/* test-data-controls.c: the window's series: the sidebar's Data and
 * Optimizer controls reach the trainer (checked on the shown snapshot's
 * settings and series, not on the widgets), a series too short for the
 * window is explained in the sidebar, Open Series… on the awkward files of
 * tests/data/csv (each refusal in one line, the run unchanged), the
 * baselines' toggle, and a lesson that records the series and replays. */
#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "engine/generators.h"
#include "ui/lab-window-data.h"
#include "ui/lab-window-export.h"
#include "ui/lab-window.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

/* Helpers */

typedef struct
{
  LabWindow *window;
  guint      generation;
  int        epoch;
} Wait;

/* A new generation (or the same with epoch), shown and recorded. */
static gboolean
shown_is (gpointer data)
{
  Wait *w = data;
  LabSnapshot *s = lab_window_get_shown_snapshot (w->window);

  return s != NULL && s->generation >= w->generation && s->epoch == w->epoch
         && s->generation == lab_trainer_get_generation (lab_window_get_trainer (w->window));
}

static LabSnapshot *
wait_for_rebuild (LabWindow *window,
                  guint      after)
{
  Wait w = { window, after + 1, 0 };

  g_assert_true (window_test_wait_until (shown_is, &w));
  return lab_window_get_shown_snapshot (window);
}

static LabSnapshot *
step_epochs (LabWindow *window,
             int        n)
{
  LabSnapshot *s = lab_window_get_shown_snapshot (window);
  Wait w = { window, s->generation, s->epoch + n };

  for (int i = 0; i < n; i++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_assert_true (window_test_wait_until (shown_is, &w));
  return lab_window_get_shown_snapshot (window);
}

static guint
generation (LabWindow *window)
{
  return lab_trainer_get_generation (lab_window_get_trainer (window));
}

static char *
test_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (path, name, NULL);

      remove_tree (sub);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* Choosing */

/* Every generated kind with its parameters rebuilds the run with that
 * series: the snapshot's settings carry the values, its series is the
 * generator's. */
static void
test_kinds (void)
{
  LabWindow *window = window_test_open (app);
  LabDataControls *controls = lab_window_get_data_controls (window);

  for (int kind = RNN_SERIES_SQUARE; kind < RNN_SERIES_DATA; kind++)
    {
      guint before = generation (window);
      RnnSeriesSpec spec = { 0 };
      g_autofree float *expected = NULL;
      const RnnConfig *c;
      LabSnapshot *s;

      lab_data_controls_set_series (controls, series_kind_name (kind));
      g_object_set (controls, "points", 150 + kind, "period", kind == RNN_SERIES_PATTERN ? 15.0 : 40.0,
                    "period2", 9.5, "decay", 2.5, "burst", kind == RNN_SERIES_PATTERN ? 4 : 0,
                    "noise", 0.02, "series-seed", (guint64) (5 + kind), "train-ratio", 0.6,
                    NULL);
      s = wait_for_rebuild (window, before);
      /* the debounce makes it one rebuild for all of them */
      c = &s->settings->config;
      g_assert_cmpint (c->series, ==, kind);
      g_assert_cmpint (c->n_points, ==, 150 + kind);
      g_assert_cmpfloat (c->period, ==, kind == RNN_SERIES_PATTERN ? 15.0 : 40.0);
      g_assert_cmpfloat (c->train_ratio, ==, 0.6);
      g_assert_cmpfloat (c->noise, ==, 0.02);
      g_assert_cmpuint (c->series_seed, ==, 5 + kind);
      g_assert_cmpint (c->burst, ==, kind == RNN_SERIES_PATTERN ? 4 : 0);
      g_assert_cmpint (c->normalize, ==, RNN_NORMALIZE_NONE);

      spec.kind = kind;
      spec.n_points = c->n_points;
      spec.period = c->period;
      spec.period2 = 9.5;
      spec.decay = 2.5;
      spec.burst = c->burst;
      spec.noise = 0.02;
      spec.seed = 5 + kind;
      g_assert_cmpfloat (c->period2, ==, 9.5);
      g_assert_cmpfloat (c->decay, ==, 2.5);
      expected = g_new (float, spec.n_points);
      g_assert_cmpint (series_generate (expected, &spec), ==, 1);
      g_assert_cmpint (s->n_points, ==, spec.n_points);
      g_assert_cmpmem (s->series, spec.n_points * sizeof (float), expected, spec.n_points * sizeof (float));
      g_assert_null (lab_data_controls_get_message (controls));
    }

  /* The optimizer part. */
  {
    guint before = generation (window);
    LabSnapshot *s;

    g_object_set (controls, "optimizer", "sgd", "batch-size", 16, "shuffle", TRUE, NULL);
    s = wait_for_rebuild (window, before);
    g_assert_cmpint (s->settings->config.optimizer, ==, RNN_OPTIMIZER_SGD);
    g_assert_cmpint (s->settings->config.batch_size, ==, 16);
    g_assert_true (s->settings->config.shuffle);
    g_assert_cmpuint (s->settings->config.shuffle_seed, ==, s->settings->seed);
  }

  window_test_close (window);
}

/* A shipped series: its values, minmax by default, its units on the line
 * under the status, the baselines shown. */
static void
test_real (void)
{
  LabWindow *window = window_test_open (app);
  LabDataControls *controls = lab_window_get_data_controls (window);
  guint before = generation (window);
  g_autoptr(GVariant) shown = NULL;
  LabSnapshot *s;
  GtkLabel *metrics;

  g_assert_false (g_variant_get_boolean (g_action_group_get_action_state (G_ACTION_GROUP (window),
                                                                          "show-baselines")));
  lab_data_controls_set_series (controls, "sunspots");
  s = wait_for_rebuild (window, before);
  g_assert_nonnull (s->settings->data);
  g_assert_cmpstr (s->settings->data->name, ==, "sunspots");
  g_assert_cmpint (s->settings->config.series, ==, RNN_SERIES_DATA);
  g_assert_cmpint (s->settings->config.normalize, ==, RNN_NORMALIZE_MINMAX);
  g_assert_cmpint (s->n_points, ==, s->settings->data->n_values);

  shown = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-baselines");
  g_assert_true (g_variant_get_boolean (shown));
  metrics = GTK_LABEL (window_test_child (window, "metrics_label"));
  g_assert_nonnull (strstr (gtk_label_get_text (metrics), s->settings->data->units));
  g_assert_nonnull (strstr (gtk_label_get_text (metrics), "linear AR"));

  /* The toggle. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-baselines",
                                      g_variant_new_boolean (FALSE));
  g_clear_pointer (&shown, g_variant_unref);
  shown = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-baselines");
  g_assert_false (g_variant_get_boolean (shown));

  window_test_close (window);
}

static gboolean
has_message (gpointer controls)
{
  return lab_data_controls_get_message (controls) != NULL;
}

/* Too short for the window: said in the sidebar, the run unchanged. */
static void
test_too_short (void)
{
  LabWindow *window = window_test_open (app);
  LabDataControls *controls = lab_window_get_data_controls (window);
  guint before = generation (window);

  g_object_set (controls, "points", 11, NULL);
  g_assert_true (window_test_wait_until (has_message, controls));
  g_assert_nonnull (strstr (lab_data_controls_get_message (controls), "11"));
  g_assert_cmpuint (generation (window), ==, before);
  g_assert_cmpint (lab_window_get_config (window)->n_points, ==, 100);

  /* Back to a length that fits: the message goes. */
  g_object_set (controls, "points", 120, NULL);
  wait_for_rebuild (window, before);
  g_assert_null (lab_data_controls_get_message (controls));
  g_assert_cmpint (lab_window_get_config (window)->n_points, ==, 120);

  window_test_close (window);
}

/* Open Series */

static void
assert_refused (LabWindow  *window,
                const char *name,
                const char *says)
{
  g_autofree char *path = test_file (name);
  guint before = generation (window);
  LabSeriesDialog *dialog = lab_window_open_series_file (window, path);

  g_assert_nonnull (dialog);
  if (lab_series_dialog_get_can_open (dialog))
    {
      /* refused only at Open (too short for the window) */
      lab_series_dialog_activate_open (dialog);
      g_assert_true (lab_window_get_series_dialog (window) == dialog);
    }
  g_assert_false (lab_series_dialog_get_can_open (dialog) && lab_series_dialog_get_message (dialog) == NULL);
  g_test_message ("%s: %s", name, lab_series_dialog_get_message (dialog));
  g_assert_nonnull (lab_series_dialog_get_message (dialog));
  g_assert_nonnull (strstr (lab_series_dialog_get_message (dialog), says));
  g_assert_null (strchr (lab_series_dialog_get_message (dialog), '\n'));
  window_test_spin_for (50000);
  g_assert_cmpuint (generation (window), ==, before);
  g_assert_null (lab_window_get_config (window)->values);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (lab_window_get_series_dialog (window));
}

static void
test_csv_refusals (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *gaps_path = test_file ("gaps.csv");
  LabSeriesDialog *dialog;

  assert_refused (window, "binary.csv", "binary");
  assert_refused (window, "latin1.csv", "UTF-8");
  assert_refused (window, "text-cell.csv", "numbers");
  assert_refused (window, "unclosed-quote.csv", "quoted");
  assert_refused (window, "ragged-long.csv", "fields");
  assert_refused (window, "no-such-file.csv", "no-such-file.csv");
  /* Read well, but three values are too few for windows of 10. */
  assert_refused (window, "two-numeric.csv", "3 points");

  /* Gaps: counted, refused until filled; then too short. */
  dialog = lab_window_open_series_file (window, gaps_path);
  g_assert_cmpint (lab_series_dialog_get_column (dialog), ==, 1);
  g_assert_cmpint (lab_series_dialog_get_n_gaps (dialog), >, 0);
  g_assert_false (lab_series_dialog_get_can_open (dialog));
  g_assert_nonnull (strstr (lab_series_dialog_get_message (dialog), "missing"));
  lab_series_dialog_set_interpolate (dialog, TRUE);
  g_assert_true (lab_series_dialog_get_can_open (dialog));
  g_assert_null (lab_series_dialog_get_message (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));

  window_test_close (window);
}

/* A file of 80 rows with a date column and two gaps: its only numeric
 * column, filled, becomes the series, kept in the chooser as "csv". */
static char *
write_good_csv (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "flow.csv", NULL);
  GString *text = g_string_new ("date;flow (m³/s)\r\n");
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 80; i++)
    {
      if (i == 20 || i == 41)
        g_string_append_printf (text, "2020-01-%02d;\r\n", i % 28 + 1);
      else
        g_string_append_printf (text, "2020-01-%02d;%d,5\r\n", i % 28 + 1, 100 + (i * 37) % 23);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, &error));
  g_string_free (text, TRUE);
  return g_steal_pointer (&path);
}

static void
test_csv_open (void)
{
  LabWindow *window = window_test_open (app);
  LabDataControls *controls = lab_window_get_data_controls (window);
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-data-XXXXXX", NULL);
  g_autofree char *path = write_good_csv (dir);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LabCsvSeries) direct = NULL;
  LabSeriesDialog *dialog;
  guint before = generation (window);
  LabSnapshot *s;

  direct = lab_csv_read_file (path, "2", LAB_CSV_MISSING_INTERPOLATE, NULL);
  g_assert_nonnull (direct);
  dialog = lab_window_open_series_file (window, path);
  g_assert_cmpint (lab_series_dialog_get_n_columns (dialog), ==, 2);
  g_assert_cmpint (lab_series_dialog_get_column (dialog), ==, 1);
  g_assert_cmpint (lab_series_dialog_get_n_gaps (dialog), ==, 2);
  lab_series_dialog_set_interpolate (dialog, TRUE);
  lab_series_dialog_activate_open (dialog);
  g_assert_null (lab_window_get_series_dialog (window));

  s = wait_for_rebuild (window, before);
  g_assert_nonnull (s->settings->data);
  g_assert_cmpstr (s->settings->data->name, ==, "csv");
  g_assert_cmpint (s->settings->data->missing, ==, LAB_CSV_MISSING_INTERPOLATE);
  g_assert_cmpint (s->settings->config.normalize, ==, RNN_NORMALIZE_MINMAX);
  g_assert_cmpint (s->n_points, ==, direct->n_values);
  g_assert_cmpmem (s->series, direct->n_values * sizeof (float),
                   direct->values, direct->n_values * sizeof (float));
  g_assert_cmpstr (lab_data_controls_get_series (controls), ==, "csv");
  /* one rebuild, not a second one from the chooser */
  window_test_spin_for (300000);
  g_assert_cmpuint (generation (window), ==, before + 1);

  /* It stays in the chooser: away and back. */
  before = generation (window);
  lab_data_controls_set_series (controls, "sine");
  wait_for_rebuild (window, before);
  before = generation (window);
  lab_data_controls_set_series (controls, "csv");
  s = wait_for_rebuild (window, before);
  g_assert_cmpint (s->n_points, ==, direct->n_values);

  remove_tree (dir);
  window_test_close (window);
}

/* Lessons */

static JsonObject *
load_settings (JsonParser *parser,
               const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "settings.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Runs the lesson headless; the losses must be the window's, bit for bit. */
static void
replay (const char *folder)
{
  const char *bin = g_getenv ("RNN_LAB_BIN");
  g_autofree char *settings = g_build_filename (folder, "settings.json", NULL);
  g_autofree char *lesson_loss = g_build_filename (folder, "loss.csv", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("rnn-lab-replay-XXXXXX", NULL);
  g_autofree char *loss = g_build_filename (tmp, "loss.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { bin, "--headless", "--settings", settings, "--log-every", "0",
                         "--loss-csv", loss, NULL };
  int status;

  g_assert_nonnull (bin);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("rnn-lab said: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (lesson_loss, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (loss, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  remove_tree (tmp);
}

/* A generated series replays from the lesson's settings.json alone. */
static void
test_lesson_generated (void)
{
  LabWindow *window = window_test_open (app);
  LabDataControls *controls = lab_window_get_data_controls (window);
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-lesson-XXXXXX", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint before = generation (window);
  JsonObject *o;

  g_object_set (controls, "points", 140, "period", 35.0, "train-ratio", 0.65, "optimizer", "sgd", NULL);
  wait_for_rebuild (window, before);
  step_epochs (window, 4);
  g_assert_true (lab_window_export_lesson_to_folder (window, dir, &error));
  g_assert_no_error (error);
  o = load_settings (parser, dir);
  g_assert_cmpint (json_object_get_int_member (o, "points"), ==, 140);
  g_assert_cmpfloat (json_object_get_double_member (o, "period"), ==, 35.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "train-ratio"), ==, 0.65);
  g_assert_cmpstr (json_object_get_string_member (o, "optimizer"), ==, "sgd");
  g_assert_false (json_object_has_member (o, "series"));
  replay (dir);
  remove_tree (dir);

  /* A kind with its parameters, noise and batches: written under the
   * command line's option names. */
  before = generation (window);
  lab_data_controls_set_series (controls, "pattern");
  g_object_set (controls, "period", 14.0, "burst", 3, "noise", 0.1, "series-seed", (guint64) 9,
                "batch-size", 8, "shuffle", TRUE, "normalize", "zscore", NULL);
  wait_for_rebuild (window, before);
  step_epochs (window, 3);
  dir = (g_free (dir), g_dir_make_tmp ("rnn-lab-lesson-XXXXXX", NULL));
  g_assert_true (lab_window_export_lesson_to_folder (window, dir, &error));
  o = load_settings (parser, dir);
  g_assert_cmpstr (json_object_get_string_member (o, "series"), ==, "pattern");
  g_assert_cmpfloat (json_object_get_double_member (o, "period"), ==, 14.0);
  g_assert_cmpint (json_object_get_int_member (o, "burst"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (o, "noise"), ==, 0.1);
  g_assert_cmpint (json_object_get_int_member (o, "series-seed"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (o, "batch-size"), ==, 8);
  g_assert_true (json_object_get_boolean_member (o, "shuffle"));
  g_assert_cmpstr (json_object_get_string_member (o, "normalize"), ==, "zscore");
  replay (dir);
  remove_tree (dir);

  window_test_close (window);
}

/* An imported series travels as series.csv, the file as it was opened. */
static void
test_lesson_csv (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-lesson-XXXXXX", NULL);
  g_autofree char *src = g_dir_make_tmp ("rnn-lab-data-XXXXXX", NULL);
  g_autofree char *path = write_good_csv (src);
  g_autofree char *copy = g_build_filename (dir, "series.csv", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  LabSeriesDialog *dialog;
  guint before = generation (window);
  JsonObject *o;

  dialog = lab_window_open_series_file (window, path);
  lab_series_dialog_set_interpolate (dialog, TRUE);
  lab_series_dialog_activate_open (dialog);
  wait_for_rebuild (window, before);
  step_epochs (window, 2);
  g_assert_true (lab_window_export_lesson_to_folder (window, dir, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (copy, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  o = load_settings (parser, dir);
  g_assert_cmpstr (json_object_get_string_member (o, "csv"), ==, "series.csv");
  g_assert_cmpstr (json_object_get_string_member (o, "column"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (o, "missing"), ==, "interpolate");
  g_assert_false (json_object_has_member (o, "points"));
  g_assert_false (json_object_has_member (o, "normalize"));  /* minmax: the default */
  replay (dir);

  remove_tree (dir);
  remove_tree (src);
  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/data/kinds", test_kinds);
  g_test_add_func ("/ui/data/real", test_real);
  g_test_add_func ("/ui/data/too-short", test_too_short);
  g_test_add_func ("/ui/data/csv/refusals", test_csv_refusals);
  g_test_add_func ("/ui/data/csv/open", test_csv_open);
  g_test_add_func ("/ui/data/lesson/generated", test_lesson_generated);
  g_test_add_func ("/ui/data/lesson/csv", test_lesson_csv);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
