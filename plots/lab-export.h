/* lab-export.h: figures (PNG, SVG, PDF) and tables (CSV) written to files.
 *
 * A figure is drawn by any callback onto a cairo_t, into memory, and then
 * written by lab_file_write (core/lab-file-io.h): a regular file is
 * replaced atomically (a temporary file renamed over it), so a failed
 * export leaves no half-written file and never damages a good one; a
 * device or a FIFO is written in place, "-" is standard output.
 * Numbers in CSV files are locale independent. No GTK here.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_EXPORT_PNG,
  LAB_EXPORT_SVG,
  LAB_EXPORT_PDF,
} LabExportFormat;

#define LAB_EXPORT_ERROR (lab_export_error_quark ())

typedef enum
{
  LAB_EXPORT_ERROR_FORMAT, /* unknown file type or bad size */
  LAB_EXPORT_ERROR_CAIRO,  /* cairo could not draw or encode */
} LabExportError;

GQuark lab_export_error_quark (void);

/* Draws a figure of width x height (pixels for PNG, points for PDF, CSS
 * pixels for SVG) onto cr, whose origin is the figure's top left corner. */
typedef void (*LabExportDrawFunc) (cairo_t  *cr,
                                   int       width,
                                   int       height,
                                   gpointer  user_data);

/* The format from the file name's extension (.png, .svg, .pdf; any case). */
gboolean lab_export_format_from_path (const char      *path,
                                      LabExportFormat *format);
const char *lab_export_format_extension (LabExportFormat format);

/* The encoded file in memory. scale > 1 renders a PNG with scale times the
 * pixels (2 for projectors and print), drawn at width x height; SVG and PDF
 * ignore it (they are vector). */
GBytes  *lab_export_draw_to_bytes    (LabExportFormat    format,
                                      int                width,
                                      int                height,
                                      double             scale,
                                      LabExportDrawFunc  draw,
                                      gpointer           user_data,
                                      GError           **error);
gboolean lab_export_draw_to_file     (const char        *path,
                                      LabExportFormat    format,
                                      int                width,
                                      int                height,
                                      LabExportDrawFunc  draw,
                                      gpointer           user_data,
                                      GError           **error);
gboolean lab_export_draw_to_file_scaled (const char        *path,
                                         LabExportFormat    format,
                                         int                width,
                                         int                height,
                                         double             scale,
                                         LabExportDrawFunc  draw,
                                         gpointer           user_data,
                                         GError           **error);

/* Writes bytes to path through lab_file_write. */
gboolean lab_export_write_bytes      (const char  *path,
                                      GBytes      *bytes,
                                      GError     **error);

/* epoch,train_loss,test_loss: one row per epoch, epoch i + 1 in row i.
 * test_loss may be NULL (the column is then empty). */
GBytes  *lab_export_loss_csv_bytes   (int          n_epochs,
                                      const float *train_loss,
                                      const float *test_loss);
gboolean lab_export_loss_csv         (const char   *path,
                                      int           n_epochs,
                                      const float  *train_loss,
                                      const float  *test_loss,
                                      GError      **error);

/* epoch,<model>_train,<model>_test,...: a column pair per model, train[k]
 * and test[k] (n_epochs) models[k]'s, as lab_export_loss_csv's. */
GBytes  *lab_export_compare_loss_csv_bytes (int                 n_models,
                                            const char *const  *models,
                                            int                 n_epochs,
                                            const float *const *train_loss,
                                            const float *const *test_loss);
gboolean lab_export_compare_loss_csv       (const char         *path,
                                            int                 n_models,
                                            const char *const  *models,
                                            int                 n_epochs,
                                            const float *const *train_loss,
                                            const float *const *test_loss,
                                            GError            **error);

/* epoch,t,grad_norm: the norm of dL/dh_t (rnn_session_grad_norms) for
 * every epoch and t = 1..T; norms (n_epochs, T), epoch i + 1 in row i.
 * With models (n_models names, may be NULL for one unnamed model) a model
 * column comes first and each model's block follows the last: norms[k]
 * (n_epochs, T) is models[k]'s. */
GBytes  *lab_export_grad_csv_bytes   (int                n_models,
                                      const char *const *models,
                                      int                n_epochs,
                                      int                time_step,
                                      const float *const *norms);
gboolean lab_export_grad_csv         (const char         *path,
                                      int                 n_models,
                                      const char *const  *models,
                                      int                 n_epochs,
                                      int                 time_step,
                                      const float *const *norms,
                                      GError            **error);

/* index,actual,prediction,split: one row per window k, index = k + T (the
 * position of the value it predicts), actual = series[k + T], split =
 * train for k < n_train, else test. */
GBytes  *lab_export_predictions_csv_bytes (const float *series,
                                           int          n_points,
                                           int          time_step,
                                           const float *predictions,
                                           int          n_windows,
                                           int          n_train);
gboolean lab_export_predictions_csv  (const char   *path,
                                      const float  *series,
                                      int           n_points,
                                      int           time_step,
                                      const float  *predictions,
                                      int           n_windows,
                                      int           n_train,
                                      GError      **error);

/* step,index,forecast: one row per step of a free-running forecast, step
 * k = 1 .. steps, index = first_index + k - 1 (the series position it
 * predicts). */
GBytes  *lab_export_forecast_csv_bytes (int          first_index,
                                        const float *forecast,
                                        int          steps);

G_END_DECLS
