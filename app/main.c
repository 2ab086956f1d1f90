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

int
main (int    argc,
      char **argv)
{
  setup_locale ();
#if defined(GETTEXT_PACKAGE) && defined(LOCALEDIR)
  /* RNN_LAB_LOCALEDIR: a build tree's <build>/po, for uninstalled runs. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("RNN_LAB_LOCALEDIR") != NULL
                                   ? g_getenv ("RNN_LAB_LOCALEDIR") : LOCALEDIR);
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
