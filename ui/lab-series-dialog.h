/* lab-series-dialog.h: the preview shown before a CSV file becomes the
 * series: its first rows, its columns (which hold numbers), the column to
 * read (the only numeric one by default, or the last of several) and
 * whether to fill gaps by linear interpolation (with their count).
 * Whatever is wrong is said in one line and Open stays off; nothing is
 * loaded until Open. */
#pragma once

#include <gtk/gtk.h>

#include "core/lab-data-source.h"

G_BEGIN_DECLS

/* The rows a preview shows. */
#define LAB_SERIES_DIALOG_ROWS 8

#define LAB_TYPE_SERIES_DIALOG (lab_series_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LabSeriesDialog, lab_series_dialog, LAB, SERIES_DIALOG, GtkWindow)

/* A dialog for a file's bytes (title: its name). bytes NULL: the file
 * could not be read, error says why (shown, Open off). The "open" signal
 * asks the owner to use lab_series_dialog_get_source (). */
LabSeriesDialog *lab_series_dialog_new        (GtkWindow       *parent,
                                               const char      *title,
                                               GBytes          *bytes,
                                               const GError    *error);
/* The preview's column count (0 when the file was refused). */
int              lab_series_dialog_get_n_columns (LabSeriesDialog *self);
/* The column chosen, from 0; -1 for none. */
int              lab_series_dialog_get_column (LabSeriesDialog *self);
void             lab_series_dialog_set_column (LabSeriesDialog *self,
                                               int              column);
/* Gaps in the chosen column that interpolation would fill. */
int              lab_series_dialog_get_n_gaps (LabSeriesDialog *self);
void             lab_series_dialog_set_interpolate (LabSeriesDialog *self,
                                                    gboolean         interpolate);
/* Whether Open can be pressed. */
gboolean         lab_series_dialog_get_can_open (LabSeriesDialog *self);
/* The one line that says what is wrong, or NULL. */
const char      *lab_series_dialog_get_message (LabSeriesDialog *self);
void             lab_series_dialog_set_message (LabSeriesDialog *self,
                                                const char      *message);
/* The series read as chosen (a new reference), or NULL and error. */
LabDataSource   *lab_series_dialog_get_source (LabSeriesDialog *self,
                                               GError         **error);
/* Presses Open (as a click does): emits "open" if it can be pressed. */
void             lab_series_dialog_activate_open (LabSeriesDialog *self);

G_END_DECLS
