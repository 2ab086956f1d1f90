/* test-classroom.c: exports, the lesson folder, opening models, presenter
 * mode, palettes and help, on the real window under Xvfb. Exported samples
 * are kept in the build directory (classroom-*). */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/lab-model-io.h"
#include "plots/lab-dashboard.h"
#include "ui/lab-window-export.h"
#include "ui/lab-window.h"
#include "ui/lab-window-settings.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

/* Helpers */

typedef struct
{
  LabWindow *window;
  int        epoch;
  int        hidden_size;
} EpochWait;

static gboolean
shown_epoch_is (gpointer data)
{
  EpochWait *w = data;
  LabSnapshot *s = lab_window_get_shown_snapshot (w->window);

  return s != NULL && s->epoch == w->epoch
         && (w->hidden_size == 0 || s->hidden_size == w->hidden_size)
         && lab_history_get_n_epochs (lab_window_get_history (w->window)) >= w->epoch;
}

static void
wait_for_shown_epoch (LabWindow *window,
                      int        epoch,
                      int        hidden_size)
{
  EpochWait w = { window, epoch, hidden_size };

  g_assert_true (window_test_wait_until (shown_epoch_is, &w));
}

static void
step_epochs (LabWindow *window,
             int        n)
{
  int start = lab_window_get_shown_snapshot (window)->epoch;

  for (int i = 0; i < n; i++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  wait_for_shown_epoch (window, start + n, 0);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rnn-lab-classroom-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *sub = g_build_filename (path, name, NULL);

          remove_tree (sub);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static int
count_entries (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  int n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

/* A PNG of this size whose pixels are not all the same. */
static void
assert_png (const char *path,
            int         width,
            int         height)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  const guint8 *data;
  int stride, differ = 0;
  guint32 first;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, height);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  first = *(const guint32 *) data;
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      differ += *(const guint32 *) (data + y * stride + x * 4) != first;
  /* Lines, text and the heatmap: well over 1 % of the pixels. */
  g_assert_cmpint (differ, >, (width / 2) * (height / 2) / 100);
  cairo_surface_destroy (surface);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
assert_svg (const char *path,
            int         width,
            int         height)
{
  g_autofree char *text = read_text (path);
  g_autofree char *w = g_strdup_printf ("width=\"%d", width);
  g_autofree char *h = g_strdup_printf ("height=\"%d", height);

  g_assert_true (g_str_has_prefix (text, "<?xml"));
  g_assert_nonnull (strstr (text, "<svg"));
  g_assert_nonnull (strstr (text, w));
  g_assert_nonnull (strstr (text, h));
  g_assert_nonnull (strstr (text, "</svg>"));
}

/* Like strstr, over binary data (a PDF holds NUL bytes). */
static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_pdf (const char *path,
            int         width,
            int         height)
{
  g_autofree char *text = NULL;
  g_autofree char *box = g_strdup_printf ("/MediaBox [ 0 0 %d %d ]", width, height);
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_true (len > 5 && memcmp (text, "%PDF-", 5) == 0);
  g_assert_true (contains (text, len, box));
}

static int
count_lines (const char *text)
{
  int n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Tests */

static void
test_dashboard_layout (void)
{
  LabPlotStyle style;
  LabDashboardLayout l;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  lab_dashboard_get_layout (1600, 900, &style, TRUE, &l);

  /* Title on top, the forecast below it, loss and hidden state side by side below that. */
  g_assert_cmpfloat (l.title.height, >, 0);
  g_assert_cmpfloat (l.forecast.y, >=, l.title.y + l.title.height);
  g_assert_cmpfloat (l.loss.y, >=, l.forecast.y + l.forecast.height);
  g_assert_cmpfloat_with_epsilon (l.loss.y, l.hidden.y, 1e-9);
  g_assert_cmpfloat (l.hidden.x, >=, l.loss.x + l.loss.width);
  g_assert_cmpfloat (l.hidden.x + l.hidden.width, <=, 1600);
  g_assert_cmpfloat (l.loss.y + l.loss.height, <=, 900);
  g_assert_cmpfloat (l.forecast.height, >, l.loss.height);

  /* Presenter text makes the title line taller. */
  {
    LabDashboardLayout big;

    style.font_scale = 1.8;
    lab_dashboard_get_layout (1600, 900, &style, TRUE, &big);
    g_assert_cmpfloat (big.title.height, >, l.title.height);
  }

  /* No title: no room for one. */
  lab_dashboard_get_layout (1600, 900, &style, FALSE, &l);
  g_assert_cmpfloat (l.title.height, ==, 0);
  g_assert_cmpfloat (l.forecast.y, ==, 0);
}

static void
test_export_views (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();

  step_epochs (window, 3);

  for (int kind = LAB_PLOT_KIND_FORECAST; kind <= LAB_PLOT_KIND_HIDDEN; kind++)
    {
      static const char *names[] = { "forecast", "loss", "hidden" };
      LabPlotView *view = lab_window_get_plot_view (window, kind);
      int w = gtk_widget_get_width (GTK_WIDGET (view));
      int h = gtk_widget_get_height (GTK_WIDGET (view));
      int ew, eh;

      g_assert_cmpint (w, >, 50);
      g_assert_cmpint (h, >, 50);
      lab_window_get_export_size (window, (LabExportTarget) kind, &ew, &eh);
      g_assert_cmpint (ew, ==, w);
      g_assert_cmpint (eh, ==, h);

      for (int scale = 1; scale <= 2; scale++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *name = g_strdup_printf ("%s-%dx.png", names[kind], scale);
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_assert_true (lab_window_export_view_to_file (window, kind, path, scale,
                                                         LAB_EXPORT_PNG, &error));
          g_assert_no_error (error);
          assert_png (path, w * scale, h * scale);
        }

      {
        g_autoptr(GError) error = NULL;
        g_autofree char *svg = g_strdup_printf ("%s/%s.svg", dir, names[kind]);
        g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", dir, names[kind]);

        g_assert_true (lab_window_export_view_to_file (window, kind, svg, 1, LAB_EXPORT_SVG, &error));
        g_assert_no_error (error);
        assert_svg (svg, w, h);
        g_assert_true (lab_window_export_view_to_file (window, kind, pdf, 1, LAB_EXPORT_PDF, &error));
        g_assert_no_error (error);
        assert_pdf (pdf, w, h);
      }
    }

  /* Through the menu's path: a toast that names the file. */
  {
    g_autofree char *path = g_build_filename (dir, "menu-loss.png", NULL);
    GtkWidget *loss = GTK_WIDGET (lab_window_get_plot_view (window, LAB_PLOT_KIND_LOSS));

    g_assert_true (lab_window_export_to_path (window, LAB_EXPORT_TARGET_LOSS, path, 2));
    g_assert_nonnull (strstr (lab_window_get_file_message (window), path));
    assert_png (path, gtk_widget_get_width (loss) * 2, gtk_widget_get_height (loss) * 2);
  }

  remove_tree (dir);
  window_test_close (window);
}

static void
test_export_dashboard (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *png = g_build_filename (dir, "dashboard.png", NULL);
  g_autofree char *png2 = g_build_filename (dir, "dashboard-2x.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "dashboard.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "dashboard.pdf", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                              "classroom-dashboard.png", NULL);
  g_autoptr(GError) error = NULL;

  step_epochs (window, 5);

  g_assert_true (lab_window_export_dashboard_to_file (window, png, 1, LAB_EXPORT_PNG, &error));
  g_assert_no_error (error);
  assert_png (png, LAB_DASHBOARD_WIDTH, LAB_DASHBOARD_HEIGHT);
  g_assert_true (lab_window_export_dashboard_to_file (window, png2, 2, LAB_EXPORT_PNG, &error));
  assert_png (png2, 2 * LAB_DASHBOARD_WIDTH, 2 * LAB_DASHBOARD_HEIGHT);
  g_assert_true (lab_window_export_dashboard_to_file (window, svg, 1, LAB_EXPORT_SVG, &error));
  assert_svg (svg, LAB_DASHBOARD_WIDTH, LAB_DASHBOARD_HEIGHT);
  g_assert_true (lab_window_export_dashboard_to_file (window, pdf, 1, LAB_EXPORT_PDF, &error));
  assert_pdf (pdf, LAB_DASHBOARD_WIDTH, LAB_DASHBOARD_HEIGHT);
  g_assert_no_error (error);

  g_assert_true (lab_window_export_to_path (window, LAB_EXPORT_TARGET_DASHBOARD, sample, 1));

  remove_tree (dir);
  window_test_close (window);
}

static void
test_export_tables_and_model (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *loss = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *pred = g_build_filename (dir, "predictions.csv", NULL);
  g_autofree char *model_path = g_build_filename (dir, "model.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LabModel) model = NULL;
  LabSnapshot *s;

  step_epochs (window, 4);
  s = lab_window_get_shown_snapshot (window);

  g_assert_true (lab_window_export_loss_csv_to_file (window, loss, &error));
  g_assert_no_error (error);
  text = read_text (loss);
  g_assert_true (g_str_has_prefix (text, "epoch,train_loss,test_loss\n1,"));
  g_assert_cmpint (count_lines (text), ==, 1 + lab_history_get_n_epochs (lab_window_get_history (window)));
  g_clear_pointer (&text, g_free);

  g_assert_true (lab_window_export_predictions_csv_to_file (window, pred, &error));
  g_assert_no_error (error);
  text = read_text (pred);
  g_assert_true (g_str_has_prefix (text, "index,actual,prediction,split\n10,"));
  g_assert_cmpint (count_lines (text), ==, 1 + s->n_windows);

  g_assert_true (lab_window_save_model_to_file (window, model_path, &error));
  g_assert_no_error (error);
  model = lab_model_load_file (model_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (model->hidden_size, ==, 50);
  g_assert_cmpuint (model->n_params, ==, s->n_params);
  g_assert_cmpmem (model->params, model->n_params * sizeof (float),
                   s->params, s->n_params * sizeof (float));

  remove_tree (dir);
  window_test_close (window);
}

/* An export that fails says so, names the file, and leaves nothing behind. */
static void
test_export_failure (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "gone", "forecast.png", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (plain, "loss.csv", NULL);
  g_autofree char *lesson = g_build_filename (plain, "lesson", NULL);
  g_autofree char *taken = g_build_filename (dir, "taken.png", NULL);
  g_autofree char *inside = g_build_filename (taken, "keep.txt", NULL);
  g_autoptr(GError) error = NULL;

  step_epochs (window, 2);
  g_assert_true (g_file_set_contents (plain, "not a folder", -1, NULL));

  /* The folder is gone. */
  g_assert_false (lab_window_export_view_to_file (window, LAB_PLOT_KIND_FORECAST, missing, 1,
                                                  LAB_EXPORT_PNG, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "forecast.png"));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* Through the menu's path: the toast says it in plain words. */
  g_assert_false (lab_window_export_to_path (window, LAB_EXPORT_TARGET_FORECAST, missing, 1));
  g_assert_nonnull (strstr (lab_window_get_file_message (window), "Could not write “forecast.png”"));

  /* A file where a folder should be. */
  g_assert_false (lab_window_export_loss_csv_to_file (window, under_file, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "loss.csv"));
  g_clear_error (&error);
  g_assert_false (lab_window_export_lesson_to_folder (window, lesson, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "lesson"));
  g_clear_error (&error);

  /* The rename fails (a folder has the name): the temporary file is gone
   * again and what was there is untouched. Runs as root too. */
  g_assert_cmpint (g_mkdir (taken, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "good", -1, NULL));
  g_assert_false (lab_window_export_dashboard_to_file (window, taken, 1, LAB_EXPORT_PNG, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "taken.png"));
  g_clear_error (&error);
  g_assert_true (g_file_test (taken, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));

  /* Only what the test made: no temporary or half-written file. */
  g_assert_cmpint (count_entries (dir), ==, 2);
  g_assert_cmpint (count_entries (taken), ==, 1);

  /* A read-only folder (root ignores permissions: then skipped) keeps its
   * good file as it was. */
  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (dir, "read-only", NULL);
      g_autofree char *good = g_build_filename (ro, "model.json", NULL);
      g_autofree char *content = NULL;

      g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
      g_assert_true (g_file_set_contents (good, "good", -1, NULL));
      g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
      g_assert_false (lab_window_save_model_to_file (window, good, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      g_assert_nonnull (strstr (error->message, "permission denied"));
      g_clear_error (&error);
      g_assert_true (g_file_get_contents (good, &content, NULL, NULL));
      g_assert_cmpstr (content, ==, "good");
      g_assert_cmpint (count_entries (ro), ==, 1);
      g_chmod (ro, 0755);
    }

  remove_tree (dir);
  window_test_close (window);
}

/* A lesson folder, then the same run headless from its settings.json. */
static void
check_lesson (LabWindow  *window,
              const char *folder,
              const char *origin)
{
  static const char *files[] = {
    "forecast.png", "loss.png", "hidden-state.png", "gradient.png", "unrolled.png", "dashboard.png",
    "loss.csv", "predictions.csv", "model.json", "settings.json",
  };
  const char *bin = g_getenv ("RNN_LAB_BIN");
  g_autofree char *settings = g_build_filename (folder, "settings.json", NULL);
  g_autofree char *lesson_loss = g_build_filename (folder, "loss.csv", NULL);
  g_autofree char *initial = g_build_filename (folder, "initial-model.json", NULL);
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *headless_loss = g_build_filename (tmp, "loss.csv", NULL);
  g_autofree char *headless_model = g_build_filename (tmp, "model.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_auto(GStrv) la = NULL;
  g_auto(GStrv) lb = NULL;
  JsonArray *changes;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LabModel) trained = NULL;
  LabSnapshot *s = lab_window_get_shown_snapshot (window);
  JsonObject *o;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (folder, files[i], NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_true (g_file_test (initial, G_FILE_TEST_EXISTS) == g_str_equal (origin, "file"));
  {
    g_autofree char *gates = g_build_filename (folder, "gates.png", NULL);

    /* The gates only for a cell that has them */
    g_assert_true (g_file_test (gates, G_FILE_TEST_EXISTS) == (s->cell != RNN_CELL_RNN));
  }
  {
    g_autofree char *dashboard = g_build_filename (folder, "dashboard.png", NULL);

    assert_png (dashboard, LAB_DASHBOARD_WIDTH, LAB_DASHBOARD_HEIGHT);
  }

  /* Every hyperparameter, the seed and the origin of the weights. */
  g_assert_true (json_parser_load_from_file (parser, settings, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "rnn-lab-settings");
  g_assert_cmpint (json_object_get_int_member (o, "hidden-size"), ==, lab_window_get_config (window)->hidden_size);
  g_assert_cmpint (json_object_get_int_member (o, "time-step"), ==, lab_window_get_config (window)->time_step);
  g_assert_cmpfloat (json_object_get_double_member (o, "lr"), ==, lab_window_get_config (window)->lr);
  g_assert_cmpint (json_object_get_int_member (o, "epochs"), ==, s->epoch);
  g_assert_cmpint (json_object_get_int_member (o, "points"), ==, 100);
  g_assert_true (json_object_has_member (o, "period"));
  g_assert_true (json_object_has_member (o, "train-ratio"));
  g_assert_true (json_object_has_member (o, "optimizer"));
  g_assert_cmpint (json_object_get_int_member (o, "seed"), ==, (gint64) lab_window_get_seed (window));
  g_assert_cmpstr (json_object_get_string_member (o, "init"), ==, origin);
  /* The learning rate per epoch, as the shown snapshot was trained. */
  g_assert_cmpfloat (json_object_get_double_member (o, "lr"), ==, lab_run_settings_lr_at (s->settings, 1));
  changes = json_object_has_member (o, "lr-changes") ? json_object_get_array_member (o, "lr-changes") : NULL;
  g_assert_cmpuint (changes != NULL ? json_array_get_length (changes) : 0, ==, s->settings->n_lr_changes);
  for (guint i = 0; changes != NULL && i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      g_assert_cmpint (json_object_get_int_member (change, "epoch"), ==, s->settings->lr_changes[i].epoch);
      g_assert_cmpfloat (json_object_get_double_member (change, "lr"), ==, s->settings->lr_changes[i].lr);
    }

  /* The run again, headless. */
  g_assert_nonnull (bin);
  {
    const char *argv[] = { bin, "--headless", "--settings", settings, "--log-every", "0",
                           "--loss-csv", headless_loss, "--save-weights", headless_model, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("rnn-lab said: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* The same losses, bit for bit: both sides record them with the same
   * engine calls and write each float in a form that reads back exactly. */
  a = read_text (lesson_loss);
  b = read_text (headless_loss);
  la = g_strsplit (a, "\n", -1);
  lb = g_strsplit (b, "\n", -1);
  g_assert_cmpint (g_strv_length (la), ==, s->epoch + 2);
  g_assert_cmpstr (a, ==, b);

  /* And the same weights at the end. */
  trained = lab_model_load_file (headless_model, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trained->n_params, ==, s->n_params);
  g_assert_cmpmem (trained->params, trained->n_params * sizeof (float),
                   s->params, s->n_params * sizeof (float));

  remove_tree (tmp);
}

static void
test_lesson (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *tutorial = g_build_filename (dir, "new", "tutorial-lesson", NULL);
  g_autofree char *seeded = g_build_filename (dir, "seeded", NULL);
  g_autofree char *opened = g_build_filename (dir, "opened", NULL);
  g_autofree char *model_path = g_build_filename (dir, "start.json", NULL);
  g_autoptr(GError) error = NULL;

  /* The tutorial's weights; the folder and its parent are created. */
  step_epochs (window, 6);
  g_assert_cmpstr (lab_window_get_init_origin (window), ==, "tutorial");
  g_assert_true (lab_window_export_to_path (window, LAB_EXPORT_TARGET_LESSON, tutorial, 1));
  g_assert_nonnull (strstr (lab_window_get_file_message (window), tutorial));
  check_lesson (window, tutorial, "tutorial");

  /* The engine's generator from a seed. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (window_test_child (window, "seed_spin")), 7);
  wait_for_shown_epoch (window, 0, 0);
  step_epochs (window, 4);
  g_assert_cmpstr (lab_window_get_init_origin (window), ==, "seed");
  g_assert_true (lab_window_export_lesson_to_folder (window, seeded, &error));
  g_assert_no_error (error);
  check_lesson (window, seeded, "seed");

  /* Weights from a file: written alongside as initial-model.json. */
  g_assert_true (lab_window_save_model_to_file (window, model_path, &error));
  g_assert_true (lab_window_open_model_file (window, model_path, &error));
  g_assert_no_error (error);
  wait_for_shown_epoch (window, 0, 0);
  step_epochs (window, 3);
  g_assert_cmpstr (lab_window_get_init_origin (window), ==, "file");
  g_assert_true (lab_window_export_lesson_to_folder (window, opened, &error));
  g_assert_no_error (error);
  check_lesson (window, opened, "file");

  remove_tree (dir);
  window_test_close (window);
}

/* A run whose learning rate changes twice, through the slider, replays
 * exactly from its lesson (check_lesson compares bit for bit). */
static void
test_lesson_lr_changes (void)
{
  LabWindow *window = window_test_open (app);
  GtkRange *lr = GTK_RANGE (window_test_child (window, "lr_scale"));
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *folder = g_build_filename (dir, "lr-changes", NULL);
  g_autofree char *text = NULL;
  g_autofree char *settings_path = NULL;
  g_autoptr(GError) error = NULL;
  LabSnapshot *s;

  step_epochs (window, 3);
  gtk_range_set_value (lr, log10 (0.05));
  step_epochs (window, 4);
  /* 0.018 is 0.018000000000000002 once rounded to two digits: the file
   * must carry the double the trainer used. */
  gtk_range_set_value (lr, log10 (0.018));
  step_epochs (window, 3);

  s = lab_window_get_shown_snapshot (window);
  g_assert_cmpint (s->epoch, ==, 10);
  g_assert_cmpuint (s->settings->n_lr_changes, ==, 2);
  g_assert_cmpint (s->settings->lr_changes[0].epoch, ==, 4);
  g_assert_cmpint (s->settings->lr_changes[1].epoch, ==, 8);
  g_assert_cmpfloat_with_epsilon (s->settings->lr_changes[1].lr, 0.018, 1e-15);

  g_assert_true (lab_window_export_lesson_to_folder (window, folder, &error));
  g_assert_no_error (error);
  settings_path = g_build_filename (folder, "settings.json", NULL);
  text = read_text (settings_path);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"lr\": 0.01,"));
  g_assert_nonnull (strstr (text, "{ \"epoch\": 4, \"lr\": 0.05 }"));
  check_lesson (window, folder, "tutorial");

  /* Scrubbed back before the second change: the lesson is the run up to
   * there, with the first change only. */
  lab_window_show_epoch (window, 6);
  s = lab_window_get_shown_snapshot (window);
  g_assert_cmpint (s->epoch, <=, 6);
  remove_tree (folder);
  g_assert_true (lab_window_export_lesson_to_folder (window, folder, &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = read_text (settings_path);
  g_assert_nonnull (strstr (text, "{ \"epoch\": 4, \"lr\": 0.05 } ]"));

  remove_tree (dir);
  window_test_close (window);
}

/* The session as it is: epoch, weights, history, shape. */
typedef struct
{
  int    epoch;
  int    n_epochs;
  int    hidden_size;
  guint  generation;
  gsize  n_params;
  float *params;
} Session;

static void
session_capture (LabWindow *window,
                 Session   *s)
{
  LabSnapshot *snapshot = lab_window_get_latest_snapshot (window);

  s->epoch = snapshot->epoch;
  s->n_epochs = lab_history_get_n_epochs (lab_window_get_history (window));
  s->hidden_size = lab_window_get_config (window)->hidden_size;
  s->generation = lab_trainer_get_generation (lab_window_get_trainer (window));
  s->n_params = snapshot->n_params;
  s->params = g_memdup2 (snapshot->params, snapshot->n_params * sizeof (float));
}

static void
session_assert_same (LabWindow *window,
                     Session   *before)
{
  Session now;

  session_capture (window, &now);
  g_assert_cmpint (now.epoch, ==, before->epoch);
  g_assert_cmpint (now.n_epochs, ==, before->n_epochs);
  g_assert_cmpint (now.hidden_size, ==, before->hidden_size);
  g_assert_cmpuint (now.generation, ==, before->generation);
  g_assert_cmpmem (now.params, now.n_params * sizeof (float),
                   before->params, before->n_params * sizeof (float));
  g_free (now.params);
}

/* A model file as JSON text, with one tensor changed by edit. */
static char *
model_text_without (const char *path,
                    const char *tensor,
                    const char *replacement)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *dict;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  dict = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "state_dict");
  json_object_remove_member (dict, tensor);
  if (replacement != NULL)
    {
      g_autoptr(JsonParser) value = json_parser_new ();

      g_assert_true (json_parser_load_from_data (value, replacement, -1, NULL));
      json_object_set_member (dict, tensor, json_node_copy (json_parser_get_root (value)));
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static void
test_open_bad_model (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *good = g_build_filename (dir, "good.json", NULL);
  g_autofree char *missing_text = NULL;
  g_autofree char *shape_text = NULL;
  g_autofree char *nan_text = NULL;
  struct { const char *name; const char *text; const char *expect; } bad[4];
  g_autoptr(GError) error = NULL;
  Session before;

  step_epochs (window, 3);
  g_assert_true (lab_window_save_model_to_file (window, good, &error));
  g_assert_no_error (error);

  missing_text = model_text_without (good, "fc.bias", NULL);
  shape_text = model_text_without (good, "rnn.weight_hh_l0", "[[0.1, 0.2], [0.3, 0.4]]");
  nan_text = model_text_without (good, "fc.bias", "[\"NaN\"]");
  bad[0] = (typeof (bad[0])) { "missing.json", missing_text, "fc.bias" };
  bad[1] = (typeof (bad[1])) { "shape.json", shape_text, "rnn.weight_hh_l0" };
  bad[2] = (typeof (bad[2])) { "nan.json", nan_text, "fc.bias" };
  bad[3] = (typeof (bad[3])) { "garbage.json", "{ not json", "garbage.json" };

  session_capture (window, &before);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_build_filename (dir, bad[i].name, NULL);

      g_assert_true (g_file_set_contents (path, bad[i].text, -1, NULL));
      g_assert_false (lab_window_open_model_file (window, path, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", bad[i].name, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].expect));
      g_clear_error (&error);

      /* The menu's way: a toast with the reason. */
      g_assert_false (lab_window_open_model_path (window, path));
      g_assert_nonnull (strstr (lab_window_get_file_message (window), bad[i].expect));

      window_test_spin_for (100000);
      session_assert_same (window, &before);
    }
  /* The file's shape is named too. */
  {
    g_autofree char *path = g_build_filename (dir, "shape.json", NULL);

    g_assert_false (lab_window_open_model_file (window, path, &error));
    g_assert_nonnull (strstr (error->message, "50"));
  }
  g_assert_cmpstr (lab_window_get_init_origin (window), ==, "tutorial");

  g_free (before.params);
  remove_tree (dir);
  window_test_close (window);
}

/* A bare PyTorch state_dict of another hidden size: the shape follows. */
static void
test_open_other_shape (void)
{
  LabWindow *window = window_test_open (app);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "torch-h20.json", NULL);
  g_autoptr(GString) text = g_string_new ("{");
  GtkRange *hidden_scale = GTK_RANGE (window_test_child (window, "hidden_size_scale"));
  g_autofree char *help = NULL;
  guint generation;

  step_epochs (window, 2);
  help = lab_window_get_help_markup (window, LAB_PLOT_KIND_HIDDEN);
  g_assert_nonnull (strstr (help, "W<sub>hh</sub> 50×50"));
  g_assert_nonnull (strstr (help, "tanh"));
  g_clear_pointer (&help, g_free);

  /* {k: v.tolist() for k, v in model.state_dict().items()} of nn.RNN(1, 20) + nn.Linear(20, 1). */
  {
    struct { const char *name; int rows, cols; } tensors[] = {
      { "rnn.weight_ih_l0", 20, 1 }, { "rnn.weight_hh_l0", 20, 20 },
      { "rnn.bias_ih_l0", 20, 0 }, { "rnn.bias_hh_l0", 20, 0 },
      { "fc.weight", 1, 20 }, { "fc.bias", 1, 0 },
    };
    int k = 0;

    for (guint t = 0; t < G_N_ELEMENTS (tensors); t++)
      {
        g_string_append_printf (text, "%s\"%s\": [", t > 0 ? ", " : "", tensors[t].name);
        for (int r = 0; r < tensors[t].rows; r++)
          {
            if (tensors[t].cols == 0)
              {
                g_string_append_printf (text, "%s%g", r > 0 ? ", " : "", 0.01 * ((k++ % 17) - 8));
                continue;
              }
            g_string_append_printf (text, "%s[", r > 0 ? ", " : "");
            for (int c = 0; c < tensors[t].cols; c++)
              g_string_append_printf (text, "%s%g", c > 0 ? ", " : "", 0.01 * ((k++ % 17) - 8));
            g_string_append (text, "]");
          }
        g_string_append (text, "]");
      }
    g_string_append (text, "}");
  }
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

  generation = lab_trainer_get_generation (lab_window_get_trainer (window));
  g_assert_true (lab_window_open_model_path (window, path));
  g_assert_nonnull (strstr (lab_window_get_file_message (window), path));
  g_assert_cmpfloat (gtk_range_get_value (hidden_scale), ==, 20);
  /* What the window shows follows once the trainer has rebuilt. */
  wait_for_shown_epoch (window, 0, 20);
  g_assert_cmpint (lab_window_get_config (window)->hidden_size, ==, 20);

  /* One rebuild, not a second one from the slider's debounce. */
  window_test_spin_for (400000);
  g_assert_cmpuint (lab_trainer_get_generation (lab_window_get_trainer (window)), ==, generation + 1);
  g_assert_cmpint (lab_window_get_latest_snapshot (window)->hidden_size, ==, 20);
  g_assert_cmpint (lab_window_get_latest_snapshot (window)->epoch, ==, 0);
  g_assert_cmpint (lab_history_get_n_epochs (lab_window_get_history (window)), ==, 0);
  g_assert_cmpstr (lab_window_get_init_origin (window), ==, "file");

  /* The weights are the file's (the tutorial's script would see them). */
  g_assert_cmpfloat_with_epsilon (lab_window_get_latest_snapshot (window)->params[0], -0.08, 1e-7);

  /* The help tells the new shapes. */
  help = lab_window_get_help_markup (window, LAB_PLOT_KIND_FORECAST);
  g_assert_nonnull (strstr (help, "W<sub>hh</sub> 20×20"));
  g_assert_nonnull (strstr (help, "W<sub>hy</sub> 1×20"));

  /* It trains on from there. */
  step_epochs (window, 2);

  remove_tree (dir);
  window_test_close (window);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !gtk_window_is_fullscreen (GTK_WINDOW (data));
}

static void
test_presenter (void)
{
  LabWindow *window = window_test_open (app);
  LabPlotView *forecast = lab_window_get_plot_view (window, LAB_PLOT_KIND_FORECAST);
  AdwFlap *flap = ADW_FLAP (window_test_child (window, "flap"));
  GtkWidget *status = window_test_child (window, "status_label");
  g_autoptr(GVariant) state = NULL;

  g_assert_false (lab_window_get_presenter (window));
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_cmpfloat (lab_plot_view_get_style (forecast)->font_scale, ==, 1.0);

  g_action_group_activate_action (G_ACTION_GROUP (window), "presenter", NULL);
  g_assert_true (lab_window_get_presenter (window));
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "presenter");
  g_assert_true (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);

  /* The controls go, play, step and reset stay, everything is larger. */
  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_false (gtk_widget_get_visible (window_test_child (window, "sidebar_button")));
  g_assert_true (gtk_widget_get_visible (window_test_child (window, "play_button")));
  g_assert_true (gtk_widget_get_visible (window_test_child (window, "timeline_scale")));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "lab-presenter"));
  g_assert_cmpfloat (lab_plot_view_get_style (forecast)->font_scale, >=, 1.5);
  g_assert_cmpfloat (lab_plot_view_get_style (forecast)->line_scale, >=, 2.0);
  g_assert_true (gtk_widget_get_vexpand (window_test_child (window, "lower_box")));
  g_assert_true (lab_window_get_presenter_fullscreen (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  window_test_spin_for (200000);
  g_assert_cmpint (gtk_widget_get_width (status), >, 0);
  /* The forecast gets the space: two thirds of the width, the full height
   * of the plots, the loss and the hidden state stacked beside it. */
  {
    GtkWidget *f = GTK_WIDGET (forecast);
    GtkWidget *l = GTK_WIDGET (lab_window_get_plot_view (window, LAB_PLOT_KIND_LOSS));
    GtkWidget *h = GTK_WIDGET (lab_window_get_plot_view (window, LAB_PLOT_KIND_HIDDEN));
    graphene_rect_t fb, lb, hb;

    g_assert_true (gtk_widget_compute_bounds (f, GTK_WIDGET (window), &fb));
    g_assert_true (gtk_widget_compute_bounds (l, GTK_WIDGET (window), &lb));
    g_assert_true (gtk_widget_compute_bounds (h, GTK_WIDGET (window), &hb));
    g_assert_cmpfloat (fb.size.width, >=, 1.8 * lb.size.width);
    g_assert_cmpfloat (fb.size.height, >=, 1.8 * lb.size.height);
    g_assert_cmpfloat (lb.origin.x, >, fb.origin.x + fb.size.width);
    g_assert_cmpfloat (hb.origin.y, >, lb.origin.y + lb.size.height);
  }

  /* And back, as it was. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "presenter",
                                      g_variant_new_boolean (FALSE));
  g_assert_false (lab_window_get_presenter (window));
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_true (gtk_widget_get_visible (window_test_child (window, "sidebar_button")));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "lab-presenter"));
  g_assert_cmpfloat (lab_plot_view_get_style (forecast)->font_scale, ==, 1.0);
  g_assert_false (lab_window_get_presenter_fullscreen (window));
  g_assert_true (window_test_wait_until (is_not_fullscreen, window));
  g_assert_false (gtk_widget_get_vexpand (window_test_child (window, "lower_box")));

  /* A hidden sidebar stays hidden afterwards. */
  adw_flap_set_reveal_flap (flap, FALSE);
  lab_window_set_presenter (window, TRUE);
  lab_window_set_presenter (window, FALSE);
  g_assert_false (adw_flap_get_reveal_flap (flap));

  window_test_close (window);
}

static void
test_palette_and_theme (void)
{
  LabWindow *window = window_test_open (app);
  AdwStyleManager *manager = adw_style_manager_get_default ();
  LabPlotView *loss = lab_window_get_plot_view (window, LAB_PLOT_KIND_LOSS);
  LabPlotStyle expected;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "palette"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "color-scheme"));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "palette",
                                      g_variant_new_string ("okabe-ito"));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "color-scheme",
                                      g_variant_new_string ("dark"));
  window_test_spin_for (50000);
  g_assert_true (adw_style_manager_get_dark (manager));
  lab_plot_style_init (&expected, LAB_PALETTE_OKABE_ITO, TRUE);
  g_assert_cmpmem (&lab_plot_view_get_style (loss)->train, sizeof (LabRgb), &expected.train, sizeof (LabRgb));
  /* No white rectangle in the dark. */
  g_assert_cmpfloat (lab_plot_view_get_style (loss)->background.r, <, 0.3);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "palette",
                                      g_variant_new_string ("high-contrast"));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "color-scheme",
                                      g_variant_new_string ("light"));
  window_test_spin_for (50000);
  g_assert_false (adw_style_manager_get_dark (manager));
  lab_plot_style_init (&expected, LAB_PALETTE_HIGH_CONTRAST, FALSE);
  g_assert_cmpmem (&lab_plot_view_get_style (loss)->test, sizeof (LabRgb), &expected.test, sizeof (LabRgb));
  g_assert_cmpfloat (lab_plot_view_get_style (loss)->background.r, >, 0.9);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "palette",
                                      g_variant_new_string ("default"));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "color-scheme",
                                      g_variant_new_string ("follow"));
  window_test_close (window);
}

/* With the settings attached: the palette key drives the plots, and an
 * export remembers its folder. */
static void
test_settings (void)
{
  g_autoptr(GSettings) settings = lab_settings_new ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *folder = NULL;
  LabPlotStyle expected;
  LabWindow *window;

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "palette", "default");
  window = lab_window_new (app);
  lab_window_settings_attach (window, settings);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_settings_set_string (settings, "palette", "okabe-ito");
  window_test_spin_for (50000);
  lab_plot_style_init (&expected, LAB_PALETTE_OKABE_ITO,
                       adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_assert_cmpmem (&lab_plot_view_get_style (lab_window_get_plot_view (window, LAB_PLOT_KIND_FORECAST))->series,
                   sizeof (LabRgb), &expected.series, sizeof (LabRgb));

  g_assert_true (lab_window_export_to_path (window, LAB_EXPORT_TARGET_LOSS_CSV, path, 1));
  folder = g_settings_get_string (settings, "last-export-folder");
  g_assert_cmpstr (folder, ==, dir);

  g_settings_reset (settings, "palette");
  g_settings_reset (settings, "last-export-folder");
  window_test_close (window);
  remove_tree (dir);
}


/* Parses "Train MSE: 5.762e-06" and "Test MSE: ..." from `rnn-lab --headless --epochs N`. */
static void
headless_mse (int     epochs,
              double *train,
              double *test)
{
  const char *bin = g_getenv ("RNN_LAB_BIN");
  g_autofree char *n = g_strdup_printf ("%d", epochs);
  const char *argv[] = { bin, "--headless", "--epochs", n, "--log-every", "0", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status, found = 0;

  g_assert_nonnull (bin);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Train MSE: "))
        *train = g_ascii_strtod (lines[i] + strlen ("Train MSE: "), NULL), found++;
      else if (g_str_has_prefix (lines[i], "Test MSE: "))
        *test = g_ascii_strtod (lines[i] + strlen ("Test MSE: "), NULL), found++;
    }
  g_assert_cmpint (found, ==, 2);
}

/* Next to the picture of epoch k, the train and test MSE of its weights:
 * what `rnn-lab --headless --epochs k` prints for the same weights (to its
 * four digits), at epoch 0, 1 (which moved) and 10. */
static void
test_losses_match_cli (void)
{
  LabWindow *window = window_test_open (app);
  const int epochs[] = { 0, 1, 10 };
  GtkRange *timeline = GTK_RANGE (window_test_child (window, "timeline_scale"));
  double previous_train = -1;

  step_epochs (window, 10);
  for (guint i = 0; i < G_N_ELEMENTS (epochs); i++)
    {
      LabSnapshot *s;
      double train = NAN, test = NAN;
      g_autofree char *train_text = NULL;
      g_autofree char *test_text = NULL;
      g_autofree char *expected = NULL;
      const char *status;

      gtk_range_set_value (timeline, epochs[i]);
      s = lab_window_get_shown_snapshot (window);
      g_assert_cmpint (s->epoch, ==, epochs[i]);
      headless_mse (epochs[i], &train, &test);
      g_test_message ("epoch %d: window train %.4e test %.4e, headless train %.3e test %.3e",
                      epochs[i], s->train_loss, s->test_loss, train, test);
      g_assert_cmpfloat (fabs (s->train_loss - train), <=, 5e-4 * train);
      g_assert_cmpfloat (fabs (s->test_loss - test), <=, 5e-4 * test);

      train_text = lab_format_loss (s->train_loss);
      test_text = lab_format_loss (s->test_loss);
      expected = g_strdup_printf ("Epoch %d of 200 · train loss %s · test loss %s · ",
                                  epochs[i], train_text, test_text);
      status = gtk_label_get_text (GTK_LABEL (window_test_child (window, "status_label")));
      g_assert_true (g_str_has_prefix (status, expected));
      /* Epoch 1 is not epoch 0 again. */
      g_assert_cmpfloat (s->train_loss, !=, previous_train);
      previous_train = s->train_loss;
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

  g_test_add_func ("/ui/classroom/dashboard/layout", test_dashboard_layout);
  g_test_add_func ("/ui/classroom/losses-match-cli", test_losses_match_cli);
  g_test_add_func ("/ui/classroom/export/views", test_export_views);
  g_test_add_func ("/ui/classroom/export/dashboard", test_export_dashboard);
  g_test_add_func ("/ui/classroom/export/tables-and-model", test_export_tables_and_model);
  g_test_add_func ("/ui/classroom/export/failure", test_export_failure);
  g_test_add_func ("/ui/classroom/lesson", test_lesson);
  g_test_add_func ("/ui/classroom/lesson/lr-changes", test_lesson_lr_changes);
  g_test_add_func ("/ui/classroom/open-model/bad", test_open_bad_model);
  g_test_add_func ("/ui/classroom/open-model/other-shape", test_open_other_shape);
  g_test_add_func ("/ui/classroom/presenter", test_presenter);
  g_test_add_func ("/ui/classroom/palette-and-theme", test_palette_and_theme);
  g_test_add_func ("/ui/classroom/settings", test_settings);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
