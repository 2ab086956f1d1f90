/* lab-window.h: the main window: controls, the three live views, the epoch
 * timeline, over one LabRun (the trainer and its history). */
#pragma once

#include <adwaita.h>

#include "core/lab-compare.h"
#include "core/lab-run.h"
#include "ui/lab-plot-view.h"

G_BEGIN_DECLS

#define LAB_TYPE_WINDOW (lab_window_get_type ())
G_DECLARE_FINAL_TYPE (LabWindow, lab_window, LAB, WINDOW, AdwApplicationWindow)

LabWindow       *lab_window_new                 (GtkApplication *application);

/* The run behind the views; its trainer and history. */
LabRun          *lab_window_get_run             (LabWindow      *self);
LabTrainer      *lab_window_get_trainer         (LabWindow      *self);
LabHistory      *lab_window_get_history         (LabWindow      *self);
LabPlotView     *lab_window_get_plot_view       (LabWindow      *self,
                                                 LabPlotKind     kind);
/* The sidebar's controls (a LabControls). */
GtkWidget       *lab_window_get_controls        (LabWindow      *self);

/* The run as last heard of: its state and its newest snapshot (borrowed,
 * NULL until the first report) and that snapshot's epoch (-1 before). */
LabTrainerState  lab_window_get_state           (LabWindow      *self);
LabSnapshot     *lab_window_get_latest_snapshot (LabWindow      *self);
int              lab_window_get_epoch           (LabWindow      *self);
/* What the views show now: the latest snapshot, or a past one while the
 * timeline is scrubbed back (borrowed, may be NULL). */
LabSnapshot     *lab_window_get_shown_snapshot  (LabWindow      *self);
gboolean         lab_window_get_playing         (LabWindow      *self);

/* The settings the shown epoch was trained with (lab_run_get_settings). */
const RnnConfig *lab_window_get_config          (LabWindow      *self);
guint64          lab_window_get_seed            (LabWindow      *self);
int              lab_window_get_max_epochs      (LabWindow      *self);
/* Epochs per second; 0 means as fast as possible. */
double           lab_window_get_speed           (LabWindow      *self);

/* The window whose hidden states the heatmap shows. */
int              lab_window_get_selected_window (LabWindow      *self);
void             lab_window_select_window       (LabWindow      *self,
                                                 int             window);
/* Shows a past epoch in every view (the nearest recorded snapshot at or
 * before it); -1 returns to the latest. */
void             lab_window_show_epoch          (LabWindow      *self,
                                                 int             epoch);

/* Compare mode: the window's run (the first model) and n_others more
 * (core/lab-compare.h: labels may be NULL); FALSE, with a toast and error,
 * if a model cannot be built (nothing changes). n_others 0: one model. */
gboolean         lab_window_compare             (LabWindow       *self,
                                                 LabRunSettings **others,
                                                 const char     **labels,
                                                 guint            n_others,
                                                 GError         **error);
LabCompare      *lab_window_get_compare         (LabWindow      *self);

/* The message shown after a divergence (NULL when none is shown). */
const char      *lab_window_get_message         (LabWindow      *self);
void             lab_window_add_toast           (LabWindow      *self,
                                                 AdwToast       *toast);

G_END_DECLS
