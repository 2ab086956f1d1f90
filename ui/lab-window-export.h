/* lab-window-export.h: what the window writes and reads for a class:
 * figures (one view or the whole dashboard) as PNG, SVG or PDF, the loss
 * history and the predictions as CSV, the model as JSON, a lesson folder
 * that reproduces the run headless, and opening a model file; presenter
 * mode and the help of each view.
 *
 * The *_to_file functions do the work without a dialog and report failure
 * through error; lab_window_export_to_path() and lab_window_open_model_path()
 * do what the menu does after its file chooser: the work, then a toast. */
#pragma once

#include "plots/lab-export.h"
#include "ui/lab-window.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_EXPORT_TARGET_FORECAST,    /* figures: one view */
  LAB_EXPORT_TARGET_LOSS,
  LAB_EXPORT_TARGET_HIDDEN,
  LAB_EXPORT_TARGET_GATES,       /* numbered as LabPlotKind up to here */
  LAB_EXPORT_TARGET_GRADIENT,
  LAB_EXPORT_TARGET_UNROLLED,
  LAB_EXPORT_TARGET_STEP,        /* the one-step panel */
  LAB_EXPORT_TARGET_DASHBOARD,   /* the three views on one page */
  LAB_EXPORT_TARGET_LOSS_CSV,
  LAB_EXPORT_TARGET_PREDICTIONS_CSV,
  LAB_EXPORT_TARGET_MODEL,       /* the current weights, JSON */
  LAB_EXPORT_TARGET_LESSON,      /* a folder */
} LabExportTarget;

/* The dashboard's size at scale 1, in pixels (points in a PDF). */
#define LAB_DASHBOARD_WIDTH  1600
#define LAB_DASHBOARD_HEIGHT 900

/* The size a view is exported at: its size on screen (a default when it
 * has none yet). PNG files have scale times the pixels. */
void      lab_window_get_export_size           (LabWindow        *self,
                                                LabExportTarget   target,
                                                int              *width,
                                                int              *height);
gboolean  lab_window_export_view_to_file       (LabWindow        *self,
                                                LabPlotKind       kind,
                                                const char       *path,
                                                double            scale,
                                                LabExportFormat   format,
                                                GError          **error);
gboolean  lab_window_export_dashboard_to_file  (LabWindow        *self,
                                                const char       *path,
                                                double            scale,
                                                LabExportFormat   format,
                                                GError          **error);
/* The shown epoch's table (the timeline may be scrubbed back). */
gboolean  lab_window_export_loss_csv_to_file   (LabWindow        *self,
                                                const char       *path,
                                                GError          **error);
gboolean  lab_window_export_predictions_csv_to_file (LabWindow   *self,
                                                const char       *path,
                                                GError          **error);
/* The latest weights. */
gboolean  lab_window_save_model_to_file        (LabWindow        *self,
                                                const char       *path,
                                                GError          **error);
/* forecast.png, loss.png, hidden-state.png, dashboard.png, loss.csv,
 * predictions.csv, model.json and settings.json (plus initial-model.json
 * when the run started from an opened model) of the latest epoch, in
 * folder, created if needed. If a file can't be written, the error names
 * it, and a folder this call created is removed again. */
gboolean  lab_window_export_lesson_to_folder   (LabWindow        *self,
                                                const char       *folder,
                                                GError          **error);
/* Loads a model file to train on from epoch 0. Its hidden size becomes the
 * window's (the slider follows). A file that is refused changes nothing. */
gboolean  lab_window_open_model_file           (LabWindow        *self,
                                                const char       *path,
                                                GError          **error);

/* The export, then a toast that names the file, or says what went wrong. */
gboolean  lab_window_export_to_path            (LabWindow        *self,
                                                LabExportTarget   target,
                                                const char       *path,
                                                double            scale);
gboolean  lab_window_open_model_path           (LabWindow        *self,
                                                const char       *path);
/* The plain text of the last toast about a file (NULL before any). */
const char *lab_window_get_file_message        (LabWindow        *self);

/* Where the initial weights of the current run come from: "tutorial",
 * "seed" or "file" (an opened model). */
const char *lab_window_get_init_origin         (LabWindow        *self);

/* Presenter mode (win.presenter, F5). */
void      lab_window_set_presenter             (LabWindow        *self,
                                                gboolean          presenter);
gboolean  lab_window_get_presenter             (LabWindow        *self);
/* Whether presenter mode asked for fullscreen; the window's state follows
 * once the window manager agrees (a bare X server has none). */
gboolean  lab_window_get_presenter_fullscreen  (LabWindow        *self);

/* The help of a view, as Pango markup (what the "?" button shows). */
char     *lab_window_get_help_markup           (LabWindow        *self,
                                                LabPlotKind       kind);

G_END_DECLS
