/* lab-window-settings.c: the window's memory.
 *
 * The size and the maximized state are bound to the window's own
 * properties, the colour scheme to libadwaita's style manager, and the
 * palette and colour scheme become the actions win.palette and
 * win.color-scheme. The controls are restored by setting them as a user
 * would (the window reacts as to any change: a new shape is rebuilt, a new
 * learning rate applies at the next epoch), and saved whenever they change,
 * from what the window made of them, so that a crash loses nothing.
 */
#include "config.h"

#include <math.h>

#include "ui/lab-window-settings.h"

#define SETTINGS_KEY "lab-window-settings"

GSettings *
lab_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_info ("The settings schema %s is not installed: nothing will be remembered",
              APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static GObject *
control (LabWindow  *window,
         const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), LAB_TYPE_WINDOW, name);

  g_assert (object != NULL);
  return object;
}

static GSettings *
window_settings (LabWindow *window)
{
  return g_object_get_data (G_OBJECT (window), SETTINGS_KEY);
}

/* The speed scale moves in notches that the window maps to epochs per
 * second: the notch whose speed is the closest to the one remembered. */
static void
restore_speed (LabWindow *window,
               GtkRange  *range,
               double     speed)
{
  GtkAdjustment *adjustment = gtk_range_get_adjustment (range);
  int lower = (int) gtk_adjustment_get_lower (adjustment);
  int upper = (int) gtk_adjustment_get_upper (adjustment);
  int best = (int) round (gtk_range_get_value (range));
  double best_distance = INFINITY;

  for (int notch = lower; notch <= upper; notch++)
    {
      double s;
      double distance;

      gtk_range_set_value (range, notch);
      s = lab_window_get_speed (window);
      /* 0 is "as fast as possible": only 0 matches it. */
      distance = (s == 0.0) != (speed == 0.0) ? INFINITY
                 : speed == 0.0 ? 0.0 : fabs (log (s / speed));
      if (distance < best_distance)
        {
          best_distance = distance;
          best = notch;
        }
    }
  gtk_range_set_value (range, best);
}

static void
restore (LabWindow *window,
         GSettings *settings)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (window, "epochs_spin")),
                             g_settings_get_int (settings, "epochs"));
  restore_speed (window, GTK_RANGE (control (window, "speed_scale")),
                 g_settings_get_double (settings, "speed"));
  gtk_range_set_value (GTK_RANGE (control (window, "lr_scale")),
                       log10 (g_settings_get_double (settings, "learning-rate")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (window, "seed_spin")),
                             (double) g_settings_get_uint64 (settings, "seed"));
  gtk_range_set_value (GTK_RANGE (control (window, "hidden_size_scale")),
                       g_settings_get_int (settings, "hidden-size"));
  gtk_range_set_value (GTK_RANGE (control (window, "time_step_scale")),
                       g_settings_get_int (settings, "time-step"));
}

/* Each handler runs after the window's own, so the window's getters already
 * hold the new value. Only changed values are written. */
static void
hidden_size_changed_cb (GtkRange  *range,
                        LabWindow *window)
{
  g_settings_set_int (window_settings (window), "hidden-size",
                      (int) round (gtk_range_get_value (range)));
}

static void
time_step_changed_cb (GtkRange  *range,
                      LabWindow *window)
{
  g_settings_set_int (window_settings (window), "time-step",
                      (int) round (gtk_range_get_value (range)));
}

static void
lr_changed_cb (GtkRange  *range,
               LabWindow *window)
{
  double lr = lab_window_get_config (window)->lr;

  /* Within the schema's range: 1e-4 to 1. */
  g_settings_set_double (window_settings (window), "learning-rate", CLAMP (lr, 1e-4, 1.0));
}

static void
epochs_changed_cb (GtkSpinButton *spin,
                   LabWindow     *window)
{
  g_settings_set_int (window_settings (window), "epochs", lab_window_get_max_epochs (window));
}

static void
seed_changed_cb (GtkSpinButton *spin,
                 LabWindow     *window)
{
  g_settings_set_uint64 (window_settings (window), "seed", lab_window_get_seed (window));
}

static void
speed_changed_cb (GtkRange  *range,
                  LabWindow *window)
{
  g_settings_set_double (window_settings (window), "speed", lab_window_get_speed (window));
}

/* "follow" the system, or force "light" or "dark". */
static gboolean
color_scheme_get_mapping (GValue   *value,
                          GVariant *variant,
                          gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  if (g_strcmp0 (scheme, "light") == 0)
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (scheme, "dark") == 0)
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    g_value_set_enum (value, ADW_COLOR_SCHEME_DEFAULT);
  return TRUE;
}

/* A stateful window action backed by a key (a radio menu item sets it),
 * unless the window already has an action of that name. */
static void
add_settings_action (LabWindow  *window,
                     GSettings  *settings,
                     const char *key)
{
  g_autoptr(GAction) action = NULL;

  if (g_action_map_lookup_action (G_ACTION_MAP (window), key) != NULL)
    return;
  action = g_settings_create_action (settings, key);
  g_action_map_add_action (G_ACTION_MAP (window), action);
}

void
lab_window_settings_attach (LabWindow *window,
                            GSettings *settings)
{
  g_return_if_fail (LAB_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (window_settings (window) == NULL);

  g_object_set_data_full (G_OBJECT (window), SETTINGS_KEY,
                          g_object_ref (settings), g_object_unref);

  g_settings_bind (settings, "window-width", window, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", window, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", window, "maximized", G_SETTINGS_BIND_DEFAULT);

  /* The colour scheme is the whole application's; the palette is read by
   * the window's plots. Both are set through win.color-scheme and
   * win.palette (string states: the keys' choices). */
  g_settings_bind_with_mapping (settings, "color-scheme",
                                adw_style_manager_get_default (), "color-scheme",
                                G_SETTINGS_BIND_GET, color_scheme_get_mapping, NULL,
                                NULL, NULL);
  add_settings_action (window, settings, "color-scheme");
  add_settings_action (window, settings, "palette");

  restore (window, settings);

  g_signal_connect_object (control (window, "hidden_size_scale"), "value-changed",
                           G_CALLBACK (hidden_size_changed_cb), window, G_CONNECT_DEFAULT);
  g_signal_connect_object (control (window, "time_step_scale"), "value-changed",
                           G_CALLBACK (time_step_changed_cb), window, G_CONNECT_DEFAULT);
  g_signal_connect_object (control (window, "lr_scale"), "value-changed",
                           G_CALLBACK (lr_changed_cb), window, G_CONNECT_DEFAULT);
  g_signal_connect_object (control (window, "epochs_spin"), "value-changed",
                           G_CALLBACK (epochs_changed_cb), window, G_CONNECT_DEFAULT);
  g_signal_connect_object (control (window, "seed_spin"), "value-changed",
                           G_CALLBACK (seed_changed_cb), window, G_CONNECT_DEFAULT);
  g_signal_connect_object (control (window, "speed_scale"), "value-changed",
                           G_CALLBACK (speed_changed_cb), window, G_CONNECT_DEFAULT);
}

GSettings *
lab_window_settings_get (LabWindow *window)
{
  g_return_val_if_fail (LAB_IS_WINDOW (window), NULL);

  return window_settings (window);
}
