/* lab-window-settings.h: what the window remembers between runs (GSettings,
 * schema io.github.rnnlab.RnnLab): its size and state, and the last
 * hyperparameters, seed, epochs and speed. */
#pragma once

#include "ui/lab-window.h"

G_BEGIN_DECLS

/* The application's settings, or NULL when the schema is not installed (an
 * uninstalled run without GSETTINGS_SCHEMA_DIR=<build>/data): then the
 * window simply remembers nothing. */
GSettings *lab_settings_new            (void);

/* Restores the window from settings, then keeps settings up to date as the
 * window changes. Call once, right after creating the window. */
void       lab_window_settings_attach  (LabWindow *window,
                                        GSettings *settings);

/* The settings attached to window (borrowed), or NULL when none are. */
GSettings *lab_window_settings_get     (LabWindow *window);

G_END_DECLS
