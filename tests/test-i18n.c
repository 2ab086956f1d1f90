/* test-i18n.c: the Simplified Chinese translation, loaded from the build tree.
 *
 * The catalogue is compiled to <build>/po/zh_CN/LC_MESSAGES/rnn-lab.mo, so
 * binding the domain to <build>/po finds it without installing. No zh_CN
 * locale needs to be installed: under C.UTF-8, gettext honours LANGUAGE
 * (it ignores LANGUAGE only in the plain "C" locale). The app does the same
 * when the locale asked for is missing, so LANG=zh_CN.UTF-8 rnn-lab speaks
 * Chinese on a system without that locale, too; RNN_LAB_LOCALEDIR=<build>/po
 * points an uninstalled rnn-lab at the build tree's catalogues.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <glib/gi18n-lib.h>

#define DESKTOP_ID APPLICATION_ID ".desktop"
#define METAINFO_ID APPLICATION_ID ".metainfo.xml"

static void
test_catalogue (void)
{
  g_autofree char *readout = NULL;

  /* Labels of the window's controls and plots. */
  g_assert_cmpstr (_("Hidden size"), ==, "隐藏层大小");
  g_assert_cmpstr (_("Learning rate"), ==, "学习率");
  g_assert_cmpstr (_("Time step"), ==, "时间步");
  g_assert_cmpstr (_("Train loss"), ==, "训练损失");
  g_assert_cmpstr (_("Test loss"), ==, "测试损失");

  /* A format string keeps its conversions. */
  readout = g_strdup_printf (_("Epoch %d · train %s"), 120, "3.1e-04");
  g_assert_cmpstr (readout, ==, "第 120 轮 · 训练 3.1e-04");

  /* The catalogue's header says what it is. */
  g_assert_nonnull (strstr (g_dgettext (GETTEXT_PACKAGE, ""), "Language: zh_CN"));
}

static void
test_desktop_entry (void)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "..", "data", DESKTOP_ID, NULL);
  g_autofree char *name = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *comment_c = NULL;
  g_autofree char *keywords = NULL;

  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  name = g_key_file_get_locale_string (kf, "Desktop Entry", "Name", "zh_CN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "RNN 实验室");

  /* The entry and the catalogue agree. */
  comment = g_key_file_get_locale_string (kf, "Desktop Entry", "Comment", "zh_CN", &error);
  g_assert_no_error (error);
  comment_c = g_key_file_get_string (kf, "Desktop Entry", "Comment", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (comment, !=, comment_c);
  g_assert_cmpstr (comment, ==, _(comment_c));

  keywords = g_key_file_get_locale_string (kf, "Desktop Entry", "Keywords", "zh_CN", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (keywords, "循环神经网络;"));
  g_assert_true (g_str_has_suffix (keywords, ";"));
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

/* The real program, asked for Chinese the usual way (LANG), whether or not
 * a zh_CN locale is installed: a bad option gets a Chinese message. With
 * use_env FALSE nothing tells it where the translations are: started from
 * the build folder, it finds the build's own. */
static void
run_command_line (gboolean use_env)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "..", "app", "rnn-lab", NULL);
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { program, "--headless", "--lr", "99", NULL };
  int status = 0;

  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "LANG", "zh_CN.UTF-8", TRUE);
  if (use_env)
    envp = g_environ_setenv (envp, "RNN_LAB_LOCALEDIR", localedir, TRUE);
  else
    envp = g_environ_unsetenv (envp, "RNN_LAB_LOCALEDIR");

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (err, "rnn-lab: --lr"));
  g_assert_true (has_han (err));
}

static void
test_command_line (void)
{
  run_command_line (TRUE);
}

static void
test_command_line_uninstalled (void)
{
  run_command_line (FALSE);
}

/* The metainfo's <name> and <summary> for one xml:lang. */
typedef struct
{
  const char *lang;
  char       *element;
  GString    *name;
  GString    *summary;
} MetainfoLookup;

static void
metainfo_start_cb (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  MetainfoLookup *lookup = user_data;
  const char *lang = NULL;

  g_clear_pointer (&lookup->element, g_free);
  for (guint i = 0; attribute_names[i] != NULL; i++)
    if (strcmp (attribute_names[i], "xml:lang") == 0)
      lang = attribute_values[i];
  if (g_strcmp0 (lang, lookup->lang) == 0)
    lookup->element = g_strdup (element_name);
}

static void
metainfo_end_cb (GMarkupParseContext  *context,
                 const char           *element_name,
                 gpointer              user_data,
                 GError              **error)
{
  MetainfoLookup *lookup = user_data;

  g_clear_pointer (&lookup->element, g_free);
}

static void
metainfo_text_cb (GMarkupParseContext  *context,
                  const char           *text,
                  gsize                 text_len,
                  gpointer              user_data,
                  GError              **error)
{
  MetainfoLookup *lookup = user_data;
  GSList *stack = (GSList *) g_markup_parse_context_get_element_stack (context);

  /* Only the component's own name and summary, not a screenshot caption. */
  if (lookup->element == NULL || g_slist_length (stack) != 2)
    return;
  if (strcmp (lookup->element, "name") == 0)
    g_string_append_len (lookup->name, text, text_len);
  else if (strcmp (lookup->element, "summary") == 0)
    g_string_append_len (lookup->summary, text, text_len);
}

static void
test_metainfo (void)
{
  static const GMarkupParser parser = {
    metainfo_start_cb, metainfo_end_cb, metainfo_text_cb, NULL, NULL,
  };
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "..", "data", METAINFO_ID, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  MetainfoLookup lookup = { "zh_CN", NULL, g_string_new (NULL), g_string_new (NULL) };
  MetainfoLookup lookup_c = { NULL, NULL, g_string_new (NULL), g_string_new (NULL) };
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  context = g_markup_parse_context_new (&parser, 0, &lookup, NULL);
  g_markup_parse_context_parse (context, contents, length, &error);
  g_assert_no_error (error);
  g_clear_pointer (&context, g_markup_parse_context_unref);

  context = g_markup_parse_context_new (&parser, 0, &lookup_c, NULL);
  g_markup_parse_context_parse (context, contents, length, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (lookup.name->str, ==, "RNN 实验室");
  g_assert_cmpstr (lookup_c.summary->str, !=, "");
  g_assert_cmpstr (lookup.summary->str, ==, _(lookup_c.summary->str));
  g_assert_cmpstr (lookup.summary->str, !=, lookup_c.summary->str);

  g_string_free (lookup.name, TRUE);
  g_string_free (lookup.summary, TRUE);
  g_string_free (lookup_c.name, TRUE);
  g_string_free (lookup_c.summary, TRUE);
  g_free (lookup.element);
  g_free (lookup_c.element);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *localedir = NULL;

  /* Chinese through LANGUAGE, which needs a locale other than plain "C". */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL && setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_print ("1..0 # SKIP neither zh_CN.UTF-8 nor C.UTF-8 is available\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/app/i18n/catalogue", test_catalogue);
  g_test_add_func ("/app/i18n/desktop-entry", test_desktop_entry);
  g_test_add_func ("/app/i18n/metainfo", test_metainfo);
  g_test_add_func ("/app/i18n/command-line", test_command_line);
  g_test_add_func ("/app/i18n/command-line/uninstalled", test_command_line_uninstalled);

  return g_test_run ();
}
