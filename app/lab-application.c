/* lab-application.c: the AdwApplication: one window per activation, the
 * app-wide actions (quit, about, shortcuts) and every accelerator, set once. */
#include "config.h"

#include <glib/gi18n.h>

#include "app/lab-application.h"
#include "app/lab-cli.h"
#include "ui/lab-window.h"
#include "ui/lab-window-lessons.h"
#include "ui/lab-window-settings.h"

struct _LabApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_TYPE (LabApplication, lab_application, ADW_TYPE_APPLICATION)

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows;

  /* Destroying the windows shuts their trainers down (joined in dispose)
   * before the main loop ends. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  g_application_quit (app);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The RNN Lab contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-icon", LAB_APPLICATION_ID,
                        "application-name", _("RNN Lab"),
                        "developer-name", _("The RNN Lab contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Watch a recurrent neural network learn a sine wave, "
                                      "live, and take it apart epoch by epoch."),
                        "website", "https://github.com/rnnlab/rnn-lab",
                        "issue-url", "https://github.com/rnnlab/rnn-lab/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource ("/io/github/rnnlab/RnnLab/ui/lab-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  gtk_window_set_transient_for (shortcuts, gtk_application_get_active_window (app));
  gtk_window_set_modal (shortcuts, TRUE);
  gtk_window_present (shortcuts);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb, NULL, NULL, NULL, { 0 } },
  { "about", about_action_cb, NULL, NULL, NULL, { 0 } },
  { "shortcuts", shortcuts_action_cb, NULL, NULL, NULL, { 0 } },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "win.reset", { "<Control>r", NULL } },
  { "win.fullscreen", { "F11", NULL } },
  { "win.presenter", { "F5", NULL } },
  { "win.open-model", { "<Control>o", NULL } },
  { "win.open-series", { "<Control><Shift>o", NULL } },
  { "win.save-model", { "<Control>s", NULL } },
  { "win.export-dashboard", { "<Control>e", NULL } },
  { "win.export-lesson", { "<Control><Shift>e", NULL } },
  /* Space (play/pause) and Right (step) are handled by the window itself,
   * so that they also work while a slider has the focus. */
};

static void
lab_application_startup (GApplication *application)
{
  G_APPLICATION_CLASS (lab_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                           app_accels[i].action,
                                           app_accels[i].accels);
}

static void
lab_application_activate (GApplication *application)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window == NULL)
    {
      g_autoptr(GSettings) settings = lab_settings_new ();

      window = GTK_WINDOW (lab_window_new (GTK_APPLICATION (application)));
      lab_window_set_lesson_check (LAB_WINDOW (window), lab_cli_lesson_check_settings, NULL);
      if (settings != NULL)
        lab_window_settings_attach (LAB_WINDOW (window), settings);
    }

  gtk_window_present (window);
}

static void
lab_application_class_init (LabApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = lab_application_startup;
  app_class->activate = lab_application_activate;
}

static void
lab_application_init (LabApplication *self)
{
}

LabApplication *
lab_application_new (void)
{
  return g_object_new (LAB_TYPE_APPLICATION,
                       "application-id", LAB_APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/rnnlab/RnnLab",
                       NULL);
}
