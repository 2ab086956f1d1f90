/* main.c: rnn-lab. With --headless anywhere on the command line it trains
 * without a window (and without touching GTK, so it needs no display);
 * otherwise it opens the window. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "app/lab-cli.h"

#ifdef RNN_LAB_HAVE_GUI
# include "app/lab-application.h"
#endif

static gboolean
wants_headless (int    argc,
                char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      /* Arguments after "--" are not options. */
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--headless") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The locale asked for may not be installed (a minimal system has only
 * C.UTF-8). Then keep its language for the messages, in the UTF-8 C locale:
 * gettext honours LANGUAGE in every locale but the plain "C" one. So
 * LANG=zh_CN.UTF-8 gives the Chinese window either way. */
static void
setup_locale (void)
{
  const char *wanted;

  if (setlocale (LC_ALL, "") != NULL)
    return;

  wanted = g_getenv ("LC_ALL");
  if (wanted == NULL || *wanted == '\0')
    wanted = g_getenv ("LC_MESSAGES");
  if (wanted == NULL || *wanted == '\0')
    wanted = g_getenv ("LANG");
  if (setlocale (LC_ALL, "C.UTF-8") != NULL && wanted != NULL && *wanted != '\0'
      && g_getenv ("LANGUAGE") == NULL)
    g_setenv ("LANGUAGE", wanted, TRUE);
}

/* The Meson build folder this program was started from, or NULL when it is
 * installed: <build>/app/rnn-lab, where <build> holds meson-private. Run
 * from there, it finds the translations and the settings schema the build
 * made, so the build's own binary speaks Chinese without any set-up. */
static char *
build_root (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *root = NULL;
  g_autofree char *marker = NULL;

  if (exe == NULL)
    return NULL;
  dir = g_path_get_dirname (exe);
  root = g_path_get_dirname (dir);
  marker = g_build_filename (root, "meson-private", NULL);
  if (!g_file_test (marker, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&root);
}

/* Where the translations are: RNN_LAB_LOCALEDIR if set, else the build
 * folder's po/ for an uninstalled run, else the installed locale folder.
 * An uninstalled run also gets the build's settings schema unless
 * GSETTINGS_SCHEMA_DIR says otherwise. */
static char *
find_localedir (void)
{
  g_autofree char *root = NULL;

  if (g_getenv ("RNN_LAB_LOCALEDIR") != NULL)
    return g_strdup (g_getenv ("RNN_LAB_LOCALEDIR"));
  root = build_root ();
  if (root == NULL)
    return g_strdup (LOCALEDIR);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *schemas = g_build_filename (root, "data", "gschemas.compiled", NULL);

      if (g_file_test (schemas, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *schema_dir = g_path_get_dirname (schemas);

          g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
        }
    }
  return g_build_filename (root, "po", NULL);
}

int
main (int    argc,
      char **argv)
{
  setup_locale ();
#if defined(GETTEXT_PACKAGE) && defined(LOCALEDIR)
  {
    g_autofree char *localedir = find_localedir ();

    bindtextdomain (GETTEXT_PACKAGE, localedir);
  }
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
#endif

  if (wants_headless (argc, argv))
    return lab_cli_run (argc, argv);

#ifdef RNN_LAB_HAVE_GUI
  {
    g_autoptr(LabApplication) app = lab_application_new ();

    return g_application_run (G_APPLICATION (app), argc, argv);
  }
#else
  g_printerr ("rnn-lab: %s\n", _("this build has no window; run rnn-lab --headless"));
  return 1;
#endif
}
