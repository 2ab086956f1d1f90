/* test-settings.c: the GSettings schema the window remembers its state in.
 *
 * Runs against the schema compiled into <build>/data (GSETTINGS_SCHEMA_DIR)
 * with the memory backend (GSETTINGS_BACKEND=memory), so nothing touches the
 * user's settings.
 */
#include "config.h"

#include <glib.h>
#include <gio/gio.h>

#include "engine/generators.h"
#include "engine/limits.h"

static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  g_assert_nonnull (source);
  return g_settings_schema_source_lookup (source, APPLICATION_ID, FALSE);
}

static void
test_keys (void)
{
  static const struct {
    const char *name;
    const char *type;
    const char *default_value;
  } keys[] = {
    { "window-width", "i", "1280" },
    { "window-height", "i", "800" },
    { "window-maximized", "b", "false" },
    { "cell", "s", "'rnn'" },
    { "clip-grad-norm", "d", "0.0" },
    { "hidden-size", "i", "50" },
    { "learning-rate", "d", "0.01" },
    { "time-step", "i", "10" },
    { "epochs", "i", "200" },
    { "seed", "t", "uint64 0" },
    { "speed", "d", "20.0" },
    { "series", "s", "'sine'" },
    { "points", "i", "100" },
    { "period", "d", "100.0" },
    { "period2", "d", "25.0" },
    { "decay", "d", "3.0" },
    { "burst", "i", "0" },
    { "noise", "d", "0.0" },
    { "series-seed", "t", "uint64 0" },
    { "train-ratio", "d", "0.7" },
    { "normalize", "s", "'none'" },
    { "optimizer", "s", "'adam'" },
    { "batch-size", "i", "0" },
    { "shuffle", "b", "false" },
    { "palette", "s", "'default'" },
    { "color-scheme", "s", "'follow'" },
    { "last-export-folder", "s", "''" },
  };
  g_autoptr(GSettingsSchema) schema = lookup_schema ();
  g_auto(GStrv) names = NULL;

  g_assert_nonnull (schema);
  names = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (keys));

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GVariant) expected = NULL;

      g_assert_true (g_settings_schema_has_key (schema, keys[i].name));
      key = g_settings_schema_get_key (schema, keys[i].name);
      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (key)),
                       ==, keys[i].type);
      value = g_settings_schema_key_get_default_value (key);
      expected = g_variant_parse (G_VARIANT_TYPE (keys[i].type), keys[i].default_value,
                                  NULL, NULL, NULL);
      g_assert_nonnull (expected);
      g_assert_true (g_variant_equal (value, expected));
    }
}

static gboolean
in_range (GSettingsSchema *schema,
          const char      *name,
          GVariant        *value)
{
  g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, name);
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);

  return g_settings_schema_key_range_check (key, owned);
}

static void
test_ranges (void)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema ();

  g_assert_nonnull (schema);

  /* The window's limits (engine/limits.h), which XML cannot include. */
  g_assert_true (in_range (schema, "cell", g_variant_new_string ("lstm")));
  g_assert_false (in_range (schema, "cell", g_variant_new_string ("transformer")));
  g_assert_true (in_range (schema, "clip-grad-norm", g_variant_new_double (RNN_CLIP_WINDOW_MAX)));
  g_assert_false (in_range (schema, "clip-grad-norm", g_variant_new_double (-1)));
  g_assert_true (in_range (schema, "hidden-size", g_variant_new_int32 (RNN_HIDDEN_MIN)));
  g_assert_true (in_range (schema, "hidden-size", g_variant_new_int32 (RNN_HIDDEN_MAX)));
  g_assert_false (in_range (schema, "hidden-size", g_variant_new_int32 (RNN_HIDDEN_MIN - 1)));
  g_assert_false (in_range (schema, "hidden-size", g_variant_new_int32 (RNN_HIDDEN_MAX + 1)));
  g_assert_true (in_range (schema, "points", g_variant_new_int32 (RNN_POINTS_MIN)));
  g_assert_true (in_range (schema, "points", g_variant_new_int32 (RNN_POINTS_MAX)));
  g_assert_false (in_range (schema, "points", g_variant_new_int32 (RNN_POINTS_MIN - 1)));
  g_assert_false (in_range (schema, "points", g_variant_new_int32 (RNN_POINTS_MAX + 1)));
  g_assert_true (in_range (schema, "decay", g_variant_new_double (RNN_DECAY_MAX)));
  g_assert_false (in_range (schema, "decay", g_variant_new_double (RNN_DECAY_MAX + 1)));
  g_assert_false (in_range (schema, "train-ratio", g_variant_new_double (1.0)));
  g_assert_false (in_range (schema, "series", g_variant_new_string ("cosine")));
  for (int kind = RNN_SERIES_SINE; kind < RNN_SERIES_DATA; kind++)
    g_assert_true (in_range (schema, "series", g_variant_new_string (series_kind_name (kind))));
  g_assert_true (in_range (schema, "epochs", g_variant_new_int32 (RNN_EPOCHS_MAX)));
  g_assert_false (in_range (schema, "epochs", g_variant_new_int32 (RNN_EPOCHS_MAX + 1)));
  g_assert_true (in_range (schema, "seed", g_variant_new_uint64 (RNN_SEED_WINDOW_MAX)));
  g_assert_false (in_range (schema, "seed", g_variant_new_uint64 (RNN_SEED_WINDOW_MAX + 1)));

  g_assert_true (in_range (schema, "learning-rate", g_variant_new_double (RNN_LR_WINDOW_MIN)));
  g_assert_true (in_range (schema, "learning-rate", g_variant_new_double (RNN_LR_WINDOW_MAX)));
  g_assert_false (in_range (schema, "learning-rate", g_variant_new_double (5e-5)));
  g_assert_false (in_range (schema, "learning-rate", g_variant_new_double (1.5)));

  g_assert_true (in_range (schema, "speed", g_variant_new_double (0.0)));
  g_assert_false (in_range (schema, "speed", g_variant_new_double (-1.0)));
  g_assert_false (in_range (schema, "time-step", g_variant_new_int32 (0)));
  g_assert_false (in_range (schema, "epochs", g_variant_new_int32 (0)));

  g_assert_true (in_range (schema, "palette", g_variant_new_string ("okabe-ito")));
  g_assert_true (in_range (schema, "palette", g_variant_new_string ("high-contrast")));
  g_assert_false (in_range (schema, "palette", g_variant_new_string ("rainbow")));
  g_assert_true (in_range (schema, "color-scheme", g_variant_new_string ("dark")));
  g_assert_false (in_range (schema, "color-scheme", g_variant_new_string ("sepia")));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_test_message ("GSETTINGS_SCHEMA_DIR is not set: run through meson test");

  g_test_add_func ("/app/settings/keys", test_keys);
  g_test_add_func ("/app/settings/ranges", test_ranges);

  return g_test_run ();
}
