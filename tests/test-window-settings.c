/* test-window-settings.c: the window remembers its size and the last
 * hyperparameters across a restart (a re-created window in the same process,
 * on the memory settings backend). Runs under Xvfb. */
#include "config.h"

#include <math.h>

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "ui/lab-controls.h"

#include "ui/lab-window.h"
#include "ui/lab-window-settings.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

/* Every key back to its default: the memory backend lives as long as the
 * process. */
static GSettings *
fresh_settings (void)
{
  GSettings *settings = lab_settings_new ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = g_settings_backend_get_default ();
  g_auto(GStrv) keys = NULL;

  /* Nothing these tests write reaches the user's settings. */
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (backend), ==, "GMemorySettingsBackend");
  g_assert_nonnull (settings);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  return settings;
}

static LabWindow *
open_window (GSettings *settings)
{
  LabWindow *window = lab_window_new (app);

  lab_window_settings_attach (window, settings);
  return window_test_present (window);
}

typedef struct
{
  LabWindow *window;
  int        hidden_size;
  int        time_step;
} ShapeWait;

static gboolean
shape_applied (gpointer data)
{
  ShapeWait *wait = data;
  const RnnConfig *config = lab_window_get_config (wait->window);

  return config->hidden_size == wait->hidden_size && config->time_step == wait->time_step;
}

/* Sets the speed as the user would, through the controls. */
static void
set_speed (LabWindow *window,
           double     speed)
{
  lab_controls_set_speed (LAB_CONTROLS (lab_window_get_controls (window)), speed);
  g_assert_cmpfloat (lab_window_get_speed (window), ==, speed);
}

static void
test_defaults (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  LabWindow *window = open_window (settings);
  const RnnConfig *config = lab_window_get_config (window);
  int width = 0, height = 0;

  /* Nothing remembered yet: the tutorial, in a 1280x800 window. */
  g_assert_cmpint (config->hidden_size, ==, 50);
  g_assert_cmpint (config->time_step, ==, 10);
  g_assert_cmpfloat_with_epsilon (config->lr, 0.01, 1e-9);
  g_assert_cmpuint (lab_window_get_seed (window), ==, 0);
  g_assert_cmpint (lab_window_get_max_epochs (window), ==, 200);
  g_assert_cmpfloat_with_epsilon (lab_window_get_speed (window), 20.0, 1e-9);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpint (height, ==, 800);
  g_assert_cmpint (lab_window_get_epoch (window), ==, 0);

  window_test_close (window);
}

static void
test_restart (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  LabWindow *window = open_window (settings);
  ShapeWait wait = { NULL, 24, 12 };
  const RnnConfig *config;
  int width = 0, height = 0;

  /* Change everything the window remembers, as a user would. */
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 24);
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "time_step_scale")), 12);
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "lr_scale")), log10 (0.003));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (window_test_child (window, "epochs_spin")), 150);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (window_test_child (window, "seed_spin")), 7);
  set_speed (window, 5.0);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);

  g_assert_cmpint (g_settings_get_int (settings, "hidden-size"), ==, 24);
  g_assert_cmpint (g_settings_get_int (settings, "time-step"), ==, 12);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "learning-rate"), 0.003, 1e-9);
  g_assert_cmpint (g_settings_get_int (settings, "epochs"), ==, 150);
  g_assert_cmpuint (g_settings_get_uint64 (settings, "seed"), ==, 7);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "speed"), 5.0, 1e-9);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1024);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);

  window_test_close (window);

  /* A new window, as after a restart, comes back the same, with a model of
   * the remembered shape. */
  window = open_window (settings);
  wait.window = window;
  g_assert_true (window_test_wait_until (shape_applied, &wait));
  config = lab_window_get_config (window);
  g_assert_cmpfloat_with_epsilon (config->lr, 0.003, 1e-9);
  g_assert_cmpint (lab_window_get_max_epochs (window), ==, 150);
  g_assert_cmpuint (lab_window_get_seed (window), ==, 7);
  g_assert_cmpfloat_with_epsilon (lab_window_get_speed (window), 5.0, 1e-9);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1024);
  g_assert_cmpint (height, ==, 700);

  window_test_close (window);
}

static void
test_speed_as_fast_as_possible (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  LabWindow *window;

  /* 0 is "as fast as possible", not the slowest notch. */
  g_settings_set_double (settings, "speed", 0.0);
  window = open_window (settings);
  g_assert_cmpfloat (lab_window_get_speed (window), ==, 0.0);
  window_test_close (window);

  /* A speed between two notches (a typed one) comes back as it was, with
   * the slider at the nearest notch. */
  g_settings_set_double (settings, "speed", 45.0);
  window = open_window (settings);
  g_assert_cmpfloat_with_epsilon (lab_window_get_speed (window), 45.0, 1e-9);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (window_test_child (window, "speed_scale"))), ==, 5);
  window_test_close (window);
}

typedef struct
{
  LabWindow *window;
  double     lr;
} RateWait;

static gboolean
next_epoch_has_rate (gpointer data)
{
  RateWait *wait = data;
  LabSnapshot *s = lab_window_get_latest_snapshot (wait->window);

  return s != NULL && lab_run_settings_lr_at (s->settings, s->epoch + 1) == wait->lr;
}

/* The app's own binding, both ways, with the window open: a control that
 * moves is written to its key at once, and a key that changes moves its
 * control, which the run then applies. */
static void
test_binding (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  LabWindow *window = open_window (settings);
  LabControls *controls = LAB_CONTROLS (lab_window_get_controls (window));
  GtkRange *lr_scale = GTK_RANGE (window_test_child (window, "lr_scale"));
  RateWait wait = { window, 0.2 };
  ShapeWait shape = { window, 33, 10 };

  /* A control to its key. */
  gtk_range_set_value (GTK_RANGE (window_test_child (window, "hidden_size_scale")), 40);
  g_assert_cmpint (g_settings_get_int (settings, "hidden-size"), ==, 40);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (window_test_child (window, "epochs_spin")), 321);
  g_assert_cmpint (g_settings_get_int (settings, "epochs"), ==, 321);
  g_assert_cmpint (lab_window_get_max_epochs (window), ==, 321);
  /* The slider's ends stay inside the key's range. */
  gtk_range_set_value (lr_scale, gtk_adjustment_get_lower (gtk_range_get_adjustment (lr_scale)));
  g_assert_cmpfloat (g_settings_get_double (settings, "learning-rate"), >=, RNN_LR_WINDOW_MIN);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "learning-rate"), RNN_LR_WINDOW_MIN, 1e-12);

  /* A key to its control, and on to the run. */
  g_settings_set_double (settings, "learning-rate", 0.2);
  g_assert_cmpfloat_with_epsilon (lab_controls_get_learning_rate (controls), 0.2, 1e-12);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (window_test_child (window, "lr_spin"))), ==, "0.2");
  g_assert_true (window_test_wait_until (next_epoch_has_rate, &wait));

  g_settings_set_double (settings, "speed", 200.0);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (window_test_child (window, "speed_scale"))), ==, 7);
  g_assert_cmpfloat_with_epsilon (lab_window_get_speed (window), 200.0, 1e-9);

  g_settings_set_int (settings, "hidden-size", 33);
  g_assert_cmpint (lab_controls_get_hidden_size (controls), ==, 33);
  g_assert_true (window_test_wait_until (shape_applied, &shape));

  g_settings_set_uint64 (settings, "seed", 12);
  g_assert_cmpuint (lab_controls_get_seed (controls), ==, 12);

  window_test_close (window);
}

static void
test_appearance (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  AdwStyleManager *manager = adw_style_manager_get_default ();
  LabWindow *window = open_window (settings);
  g_autofree char *palette = NULL;

  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  /* The menu's radio items set the actions; the keys follow. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "color-scheme",
                                  g_variant_new_string ("dark"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "palette",
                                  g_variant_new_string ("okabe-ito"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  palette = g_settings_get_string (settings, "palette");
  g_assert_cmpstr (palette, ==, "okabe-ito");
  window_test_close (window);

  /* Remembered: a new window opens dark. */
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  window = open_window (settings);
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);

  g_action_group_activate_action (G_ACTION_GROUP (window), "color-scheme",
                                  g_variant_new_string ("follow"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (manager), ==, ADW_COLOR_SCHEME_DEFAULT);
  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  window_test_init (&argc, &argv);
  app = window_test_app_new ();

  g_test_add_func ("/ui/window-settings/defaults", test_defaults);
  g_test_add_func ("/ui/window-settings/restart", test_restart);
  g_test_add_func ("/ui/window-settings/speed", test_speed_as_fast_as_possible);
  g_test_add_func ("/ui/window-settings/binding", test_binding);
  g_test_add_func ("/ui/window-settings/appearance", test_appearance);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
