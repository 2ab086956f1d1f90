/* window-test-util.h: what the window tests share: GTK set up for tests,
 * the application, opening and closing a window, waiting on the main loop. */
#pragma once

#include <gtk/gtk.h>

#include "ui/lab-window.h"

G_BEGIN_DECLS

/* Generous: the ui suite also runs under AddressSanitizer. */
#define WINDOW_TEST_TIMEOUT_US (30 * G_USEC_PER_SEC)

typedef gboolean (*WindowTestCondition) (gpointer data);

void            window_test_init        (int                 *argc,
                                         char              ***argv);
GtkApplication *window_test_app_new     (void);

gboolean        window_test_wait_until  (WindowTestCondition  cond,
                                         gpointer             data);
gboolean        window_test_wait_until_for (WindowTestCondition cond,
                                            gpointer            data,
                                            gint64              timeout_us);
void            window_test_spin_for    (gint64               us);

LabWindow      *window_test_present     (LabWindow           *window);
LabWindow      *window_test_open        (GtkApplication      *app);
LabWindow      *window_test_open_lessons (GtkApplication      *app);
void            window_test_close       (LabWindow           *window);
GtkWidget      *window_test_child       (LabWindow           *window,
                                         const char          *name);
/* Runs the window's own shortcut for keyval (Space, Right, Left), as a
 * key press reaching the window first would; TRUE if it acted, FALSE if it
 * left the key to the focused widget. */
gboolean        window_test_transport_key (LabWindow         *window,
                                           guint              keyval);

/* The window as drawn, saved as name in the build directory (to look at). */
void            window_test_save_screenshot (LabWindow       *window,
                                         const char          *name);

G_END_DECLS
