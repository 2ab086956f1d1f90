/* test-window-i18n.c: the window in Simplified Chinese, under Xvfb: its
 * labels come from the zh_CN catalogue of the build tree, and a CJK font
 * draws them (no missing glyphs). LANGUAGE=zh_CN under C.UTF-8 selects the
 * catalogue with no zh_CN locale installed. */
#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "ui/lab-window.h"

#include "tests/window-test-util.h"

static GtkApplication *app;

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

/* Every character of text has a glyph in the fonts widget would use. */
static void
assert_drawable (GtkWidget  *widget,
                 const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

  g_assert_cmpint (pango_layout_get_unknown_glyphs_count (layout), ==, 0);
}

static void
test_window_chinese (void)
{
  LabWindow *window = window_test_open (app);
  AdwWindowTitle *title;
  GtkLabel *status;

  title = ADW_WINDOW_TITLE (window_test_child (window, "window_title"));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "RNN 实验室");
  g_assert_true (has_han (adw_window_title_get_subtitle (title)));
  assert_drawable (GTK_WIDGET (title), adw_window_title_get_title (title));
  assert_drawable (GTK_WIDGET (title), adw_window_title_get_subtitle (title));

  status = GTK_LABEL (window_test_child (window, "status_label"));
  g_assert_true (has_han (gtk_label_get_text (status)));
  assert_drawable (GTK_WIDGET (status), gtk_label_get_text (status));

  /* A label the window's template sets: the controls' section. */
  g_assert_cmpstr (_("Hidden size"), ==, "隐藏层大小");
  assert_drawable (GTK_WIDGET (status), _("Hidden size"));

  window_test_close (window);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *localedir = NULL;
  int status;

  /* gtk_test_init() leaves the locale alone, and plain "C" would make
   * gettext ignore LANGUAGE. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL && setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_print ("1..0 # SKIP neither zh_CN.UTF-8 nor C.UTF-8 is available\n");
      return 0;
    }
  window_test_init (&argc, &argv);

  localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = window_test_app_new ();

  g_test_add_func ("/ui/window-i18n/chinese", test_window_chinese);

  status = g_test_run ();

  g_clear_object (&app);
  return status;
}
