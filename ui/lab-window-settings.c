/* lab-window-settings.c: the window's memory.
 *
 * Everything is a g_settings_bind: the size and the maximized state to the
 * window's own properties, the colour scheme to libadwaita's style manager,
 * and the hyperparameters, seed, epochs and speed to the properties of the
 * sidebar's controls (LabControls). Binding sets the controls from the
 * settings as a user would (the window reacts as to any change: a new shape
 * is rebuilt, a new learning rate applies at the next epoch), and every
 * change of a control is written back at once, so that a crash loses
 * nothing. The palette and colour scheme become the actions win.palette
 * and win.color-scheme.
 */
#include "config.h"

#include "engine/limits.h"
#include "ui/lab-window-data.h"
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

static GSettings *
window_settings (LabWindow *window)
{
  return g_object_get_data (G_OBJECT (window), SETTINGS_KEY);
}

/* The learning-rate slider shows two significant digits, so its rate can
 * land a rounding away from the schema's ends: kept inside them. */
static GVariant *
lr_set_mapping (const GValue       *value,
                const GVariantType *expected_type,
                gpointer            user_data)
{
  return g_variant_new_double (CLAMP (g_value_get_double (value),
                                      RNN_LR_WINDOW_MIN, RNN_LR_WINDOW_MAX));
}

static gboolean
lr_get_mapping (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_double (variant));
  return TRUE;
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

/* The keys of the data controls, each the name of their property. */
static const char *data_keys[] = {
  "series", "points", "period", "period2", "decay", "burst", "noise", "series-seed",
  "train-ratio", "normalize", "optimizer", "batch-size", "shuffle",
};

void
lab_window_settings_attach (LabWindow *window,
                            GSettings *settings)
{
  GtkWidget *controls;

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

  /* The controls, in the order a rebuild wants them: what only applies
   * (epochs, speed, rate) first, then the seed, then the shape. */
  controls = lab_window_get_controls (window);
  g_settings_bind (settings, "epochs", controls, "epochs", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "speed", controls, "speed", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "learning-rate", controls, "learning-rate",
                                G_SETTINGS_BIND_DEFAULT, lr_get_mapping, lr_set_mapping,
                                NULL, NULL);
  g_settings_bind (settings, "seed", controls, "seed", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "clip-grad-norm", controls, "clip-grad-norm", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "cell", controls, "cell", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "hidden-size", controls, "hidden-size", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "time-step", controls, "time-step", G_SETTINGS_BIND_DEFAULT);

  /* The series: its kind first (which sets the scaling's default), then
   * what it is made of, then the scaling remembered. */
  controls = GTK_WIDGET (lab_window_get_data_controls (window));
  for (guint i = 0; i < G_N_ELEMENTS (data_keys); i++)
    g_settings_bind (settings, data_keys[i], controls, data_keys[i], G_SETTINGS_BIND_DEFAULT);
}

GSettings *
lab_window_settings_get (LabWindow *window)
{
  g_return_val_if_fail (LAB_IS_WINDOW (window), NULL);

  return window_settings (window);
}
