/* window-test-util.c: what the window tests share (see the header). */
#include "tests/window-test-util.h"

#include "app/lab-application.h"
#include "app/lab-cli.h"
#include "ui/lab-controls.h"
#include "ui/lab-data-controls.h"
#include "ui/lab-window-data.h"
#include "ui/lab-window-lessons.h"

/* gtk_test_init() and no animations, so that what a test waits for is
 * what it will see. */
void
window_test_init (int    *argc,
                  char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/* The application, registered and not unique: tests may run side by side
 * with a running RNN Lab. */
GtkApplication *
window_test_app_new (void)
{
  g_autoptr(GError) error = NULL;
  GtkApplication *app = GTK_APPLICATION (lab_application_new ());

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("cannot register the application: %s", error->message);

  return app;
}

/* Runs the main loop until cond holds or WINDOW_TEST_TIMEOUT_US passes. */
gboolean
window_test_wait_until (WindowTestCondition cond,
                        gpointer            data)
{
  return window_test_wait_until_for (cond, data, WINDOW_TEST_TIMEOUT_US);
}

/* The same, for up to timeout_us (training that takes a while). */
gboolean
window_test_wait_until_for (WindowTestCondition cond,
                            gpointer            data,
                            gint64              timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* Runs the main loop for a while. */
void
window_test_spin_for (gint64 us)
{
  gint64 deadline = g_get_monotonic_time () + us;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* Shows window and waits for its first frame; returns it. */
LabWindow *
window_test_present (LabWindow *window)
{
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

LabWindow *
window_test_open (GtkApplication *app)
{
  return window_test_present (lab_window_new (app));
}

/* A window whose lessons are checked as the application checks them. */
LabWindow *
window_test_open_lessons (GtkApplication *app)
{
  LabWindow *window = window_test_open (app);

  lab_window_set_lesson_check (window, lab_cli_lesson_check_settings, NULL);
  return window;
}

/* Destroys window and checks that nothing keeps it alive. */
void
window_test_close (LabWindow *window)
{
  GWeakRef ref;

  g_weak_ref_init (&ref, window);
  gtk_window_destroy (GTK_WINDOW (window));
  window_test_spin_for (50000);
  {
    g_autoptr(GObject) still = g_weak_ref_get (&ref);
    g_assert_null (still);
  }
  g_weak_ref_clear (&ref);
}

/* A widget of the window's template or of its controls' template, by its id. */
GtkWidget *
window_test_child (LabWindow  *window,
                   const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), LAB_TYPE_WINDOW, name);

  if (object == NULL)
    object = gtk_widget_get_template_child (lab_window_get_controls (window), LAB_TYPE_CONTROLS, name);
  if (object == NULL)
    object = gtk_widget_get_template_child (GTK_WIDGET (lab_window_get_data_controls (window)),
                                            LAB_TYPE_DATA_CONTROLS, name);
  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

gboolean
window_test_transport_key (LabWindow *window,
                           guint      keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean result = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          g_strcmp0 (gtk_event_controller_get_name (controller), "lab-transport-shortcuts") != 0)
        continue;

      /* Before the focused widget, which it leaves the keys it uses. */
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==, GTK_PHASE_CAPTURE);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval)
            {
              found = TRUE;
              result = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                     GTK_WIDGET (window), NULL);
            }
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);

  return result;
}

/* The window as drawn, into the build directory (to look at). */
void
window_test_save_screenshot (LabWindow  *window,
                             const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
