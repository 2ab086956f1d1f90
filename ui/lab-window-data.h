/* lab-window-data.h: the window's series, for the application and the
 * tests: Open Series… (win.open-series, Ctrl+Shift+O) without its file
 * chooser, the sidebar's data controls, and the forecast view's baselines
 * (win.show-baselines). */
#pragma once

#include "ui/lab-data-controls.h"
#include "ui/lab-series-dialog.h"
#include "ui/lab-window.h"

G_BEGIN_DECLS

/* Reads a CSV file and shows its preview (the dialog, borrowed; it says
 * in one line why a file is refused). Open in it changes the run's series. */
LabSeriesDialog *lab_window_open_series_file   (LabWindow *self,
                                                const char *path);
/* The preview open now, or NULL. */
LabSeriesDialog *lab_window_get_series_dialog  (LabWindow *self);
LabDataControls *lab_window_get_data_controls  (LabWindow *self);
/* Shows or hides the baselines in the forecast view (win.show-baselines). */
void             lab_window_set_show_baselines (LabWindow *self,
                                                gboolean   show);

G_END_DECLS
