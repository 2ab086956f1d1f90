/* lab-window-export.c: files for a class: figures, tables, the model, a
 * lesson folder, and opening a model.
 *
 * Every figure is drawn by the same renderers as the screen, with the style
 * on screen (palette, light or dark, presenter scale). Every file is made in
 * memory first and then written to a temporary name and renamed
 * (lab-export.c), so a failure leaves no half-written file and never
 * replaces a good one. The file choosers are in lab-window-files.c. */
#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/lab-lesson.h"
#include "core/lab-model-io.h"
#include "plots/lab-dashboard.h"
#include "ui/lab-window-export.h"
#include "ui/lab-window-private.h"

/* The settings object lab-window-settings.c attaches (NULL without a schema). */
#define SETTINGS_DATA_KEY "lab-window-settings"
#define LAST_FOLDER_KEY   "last-export-folder"

/* A view that has no size yet (never shown) is exported at these. */
#define DEFAULT_VIEW_WIDTH   1200
#define DEFAULT_VIEW_HEIGHT  700

/* The views in a lesson folder, at sizes that suit a slide. */
#define LESSON_FORECAST_WIDTH  1200
#define LESSON_FORECAST_HEIGHT 600
#define LESSON_PANEL_WIDTH     800
#define LESSON_PANEL_HEIGHT    500

/* The initial weights in a lesson folder, when they came from a file. */
#define LESSON_INITIAL_MODEL "initial-model.json"

/* Messages */

/* What went wrong, in plain words. */
static const char *
plain_reason (const GError *error)
{
  if (error->domain == G_FILE_ERROR)
    {
      switch (error->code)
        {
        case G_FILE_ERROR_NOENT:
          return _("the folder does not exist");
        case G_FILE_ERROR_ACCES:
        case G_FILE_ERROR_PERM:
          return _("permission denied");
        case G_FILE_ERROR_NOSPC:
          return _("the disk is full");
        case G_FILE_ERROR_ROFS:
          return _("the disk is read-only");
        case G_FILE_ERROR_NOTDIR:
          return _("a part of the path is not a folder");
        case G_FILE_ERROR_ISDIR:
          return _("a folder has that name");
        case G_FILE_ERROR_NAMETOOLONG:
          return _("the name is too long");
        default:
          break;
        }
    }
  return error->message;
}

/* Replaces error with "Could not write “loss.csv” in /some/folder: the disk is full". */
static void
name_file_in_error (GError     **error,
                    const char  *path)
{
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  GError *plain;

  if (error == NULL || *error == NULL)
    return;
  /* Model errors name the tensor and shape: keep them as they are. */
  if ((*error)->domain == LAB_MODEL_ERROR)
    {
      g_prefix_error (error, "%s: ", path);
      return;
    }

  base = g_path_get_basename (path);
  dir = g_path_get_dirname (path);
  plain = g_error_new ((*error)->domain, (*error)->code,
                       _("Could not write “%s” in %s: %s"), base, dir, plain_reason (*error));
  g_clear_error (error);
  g_propagate_error (error, plain);
}

static void
say (LabWindow  *self,
     const char *text,
     gboolean    failure)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  g_free (self->file_message);
  self->file_message = g_strdup (text);

  adw_toast_set_timeout (toast, failure ? 10 : 5);
  if (failure)
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  lab_window_add_toast (self, toast);
}

const char *
lab_window_get_file_message (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->file_message;
}

/* Figures */

static LabPlotView *
target_view (LabWindow       *self,
             LabExportTarget  target)
{
  switch (target)
    {
    case LAB_EXPORT_TARGET_FORECAST:
      return self->forecast_view;
    case LAB_EXPORT_TARGET_LOSS:
      return self->loss_view;
    case LAB_EXPORT_TARGET_HIDDEN:
      return self->hidden_view;
    case LAB_EXPORT_TARGET_GATES:
      return self->gates_view;
    case LAB_EXPORT_TARGET_GRADIENT:
      return self->gradient_view;
    case LAB_EXPORT_TARGET_UNROLLED:
      return self->unrolled_view;
    case LAB_EXPORT_TARGET_STEP:
      return self->step_view;
    default:
      return NULL;
    }
}

void
lab_window_get_export_size (LabWindow       *self,
                            LabExportTarget  target,
                            int             *width,
                            int             *height)
{
  LabPlotView *view;

  g_return_if_fail (LAB_IS_WINDOW (self));

  *width = LAB_DASHBOARD_WIDTH;
  *height = LAB_DASHBOARD_HEIGHT;
  view = target_view (self, target);
  if (view == NULL)
    return;

  *width = gtk_widget_get_width (GTK_WIDGET (view));
  *height = gtk_widget_get_height (GTK_WIDGET (view));
  if (*width < 1 || *height < 1)
    {
      *width = DEFAULT_VIEW_WIDTH;
      *height = DEFAULT_VIEW_HEIGHT;
      /* The one step, when the page shows it in its popover */
      if (target == LAB_EXPORT_TARGET_STEP)
        lab_window_unrolled_get_step_size (self, width, height);
    }
}

static void
draw_view_cb (cairo_t  *cr,
              int       width,
              int       height,
              gpointer  user_data)
{
  lab_plot_view_draw (LAB_PLOT_VIEW (user_data), cr, width, height);
}

static gboolean
check_figure_format (LabExportFormat   format,
                     GError          **error)
{
  if (format == LAB_EXPORT_PNG || format == LAB_EXPORT_SVG || format == LAB_EXPORT_PDF)
    return TRUE;
  g_set_error (error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_FORMAT,
               _("unknown figure format; accepted: PNG, SVG, PDF"));
  return FALSE;
}

static GBytes *
view_bytes (LabPlotView      *view,
            int               width,
            int               height,
            double            scale,
            LabExportFormat   format,
            GError          **error)
{
  return lab_export_draw_to_bytes (format, width, height, scale, draw_view_cb, view, error);
}

gboolean
lab_window_export_view_to_file (LabWindow        *self,
                                LabPlotKind       kind,
                                const char       *path,
                                double            scale,
                                LabExportFormat   format,
                                GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  LabPlotView *view;
  int width, height;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  view = lab_window_get_plot_view (self, kind);
  g_return_val_if_fail (view != NULL, FALSE);
  if (!check_figure_format (format, error))
    return FALSE;

  lab_window_get_export_size (self, (LabExportTarget) kind, &width, &height);
  bytes = view_bytes (view, width, height, scale, format, error);
  if (bytes == NULL || !lab_export_write_bytes (path, bytes, error))
    {
      name_file_in_error (error, path);
      return FALSE;
    }
  return TRUE;
}

/* "Epoch 42 of 200 · train loss 0.0012 · test loss 0.0034 · 50 hidden units, time step 10" */
static char *
dashboard_title (LabWindow   *self,
                 LabSnapshot *s)
{
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;

  if (s == NULL)
    return NULL;
  lab_window_get_losses (self, s, &train, &test);
  /* Translators: the title line of an exported dashboard */
  return g_strdup_printf (_("Epoch %d of %d · train loss %s · test loss %s · "
                            "%d hidden units, time step %d"),
                          s->epoch, lab_run_get_max_epochs (self->run), train, test,
                          s->hidden_size, s->time_step);
}

typedef struct
{
  LabDashboardData    data;
  const LabPlotStyle *style;
} DashboardFigure;

static void
draw_dashboard_cb (cairo_t  *cr,
                   int       width,
                   int       height,
                   gpointer  user_data)
{
  DashboardFigure *figure = user_data;

  lab_dashboard_draw (cr, width, height, &figure->data, figure->style);
}

static GBytes *
dashboard_bytes (LabWindow        *self,
                 double            scale,
                 LabExportFormat   format,
                 GError          **error)
{
  g_autofree char *title = dashboard_title (self, lab_run_get_shown (self->run));
  DashboardFigure figure = {
    .data = {
      .title = title,
      .forecast = lab_plot_view_get_forecast (self->forecast_view),
      .loss = lab_plot_view_get_loss (self->loss_view),
      .hidden = lab_plot_view_get_hidden (self->hidden_view),
    },
    .style = lab_plot_view_get_style (self->forecast_view),
  };

  return lab_export_draw_to_bytes (format, LAB_DASHBOARD_WIDTH, LAB_DASHBOARD_HEIGHT, scale,
                                   draw_dashboard_cb, &figure, error);
}

gboolean
lab_window_export_dashboard_to_file (LabWindow        *self,
                                     const char       *path,
                                     double            scale,
                                     LabExportFormat   format,
                                     GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!check_figure_format (format, error))
    return FALSE;
  bytes = dashboard_bytes (self, scale, format, error);
  if (bytes == NULL || !lab_export_write_bytes (path, bytes, error))
    {
      name_file_in_error (error, path);
      return FALSE;
    }
  return TRUE;
}

/* Tables and the model */

static gboolean
have_snapshot (LabWindow  *self,
               GError    **error)
{
  if (lab_run_get_shown (self->run) != NULL)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
               _("There is nothing to export yet: the network is still being built"));
  return FALSE;
}

/* The loss of epochs 1 .. n_epochs (all recorded ones when n_epochs < 0). */
static GBytes *
loss_csv_bytes (LabWindow *self,
                int        n_epochs)
{
  LabHistory *history = lab_run_get_history (self->run);
  int n = lab_history_get_n_epochs (history);

  if (n_epochs >= 0)
    n = MIN (n, n_epochs);
  return lab_export_loss_csv_bytes (n, lab_history_get_train_loss (history),
                                    lab_history_get_test_loss (history));
}

/* What the snapshot exports, one file each. */
typedef GBytes *(*SnapshotBytesFunc) (LabSnapshot  *s,
                                      GError      **error);

/* error stays unset: a snapshot always makes a table (the signature is
 * that of SnapshotBytesFunc). */
static GBytes *
predictions_csv_bytes (LabSnapshot  *s,
                       GError      **error)
{
  return lab_export_predictions_csv_bytes (s->series, s->n_points, s->time_step,
                                           s->predictions, s->n_windows, s->n_train);
}

static GBytes *
model_bytes (LabSnapshot  *s,
             GError      **error)
{
  g_autoptr(LabModel) model = lab_model_new_from_params (1, s->hidden_size, 1,
                                                         s->params, s->n_params);

  if (model == NULL)
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_SHAPE,
                   _("the weights do not fit a network of %d hidden units"), s->hidden_size);
      return NULL;
    }
  return lab_model_to_bytes (model, error);
}

static gboolean
write_or_name (const char  *path,
               GBytes      *bytes,
               GError     **error)
{
  if (bytes != NULL && lab_export_write_bytes (path, bytes, error))
    return TRUE;
  name_file_in_error (error, path);
  return FALSE;
}

gboolean
lab_window_export_loss_csv_to_file (LabWindow   *self,
                                    const char  *path,
                                    GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = loss_csv_bytes (self, -1);
  return write_or_name (path, bytes, error);
}

/* Writes what make_bytes gives for the shown snapshot; its own errors (a
 * model's shape) are passed on as they are, without the file's name. */
static gboolean
write_shown_snapshot (LabWindow          *self,
                      const char         *path,
                      SnapshotBytesFunc   make_bytes,
                      GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;

  if (!have_snapshot (self, error))
    return FALSE;
  bytes = make_bytes (lab_run_get_shown (self->run), error);
  if (bytes == NULL)
    return FALSE;
  return write_or_name (path, bytes, error);
}

gboolean
lab_window_export_predictions_csv_to_file (LabWindow   *self,
                                           const char  *path,
                                           GError     **error)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return write_shown_snapshot (self, path, predictions_csv_bytes, error);
}

gboolean
lab_window_save_model_to_file (LabWindow   *self,
                               const char  *path,
                               GError     **error)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return write_shown_snapshot (self, path, model_bytes, error);
}

/* The lesson folder */

const char *
lab_window_get_init_origin (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return lab_init_to_string (lab_run_get_settings (self->run)->init);
}

typedef struct
{
  const char *name;
  GBytes     *bytes;
} LessonFile;

static void
remove_written (const char *folder,
                LessonFile *files,
                guint       n_written,
                gboolean    remove_folder)
{
  for (guint i = 0; i < n_written; i++)
    {
      g_autofree char *path = g_build_filename (folder, files[i].name, NULL);

      g_remove (path);
    }
  if (remove_folder)
    g_rmdir (folder);
}

/* lesson.json of the models compared, each with the settings it shows. */
static GBytes *
compared_lesson_bytes (LabWindow  *self,
                       int         epochs,
                       GError    **error)
{
  guint n = lab_compare_get_n_models (self->compare);
  GBytes *settings[LAB_COMPARE_MAX_MODELS] = { NULL };
  const char *labels[LAB_COMPARE_MAX_MODELS] = { NULL };
  GBytes *bytes;

  for (guint i = 0; i < n; i++)
    {
      LabRun *run = lab_compare_get_run (self->compare, i);
      const LabRunSettings *shown = lab_run_get_shown (run) != NULL ? lab_run_get_shown (run)->settings
                                                                     : lab_run_get_settings (run);

      settings[i] = lab_run_settings_to_json (shown, epochs, LESSON_INITIAL_MODEL);
      labels[i] = lab_compare_get_label (self->compare, i);
    }
  bytes = lab_lesson_compare_to_json (settings, labels, n, epochs, error);
  for (guint i = 0; i < n; i++)
    g_bytes_unref (settings[i]);
  return bytes;
}

gboolean
lab_window_export_lesson_to_folder (LabWindow   *self,
                                    const char  *folder,
                                    GError     **error)
{
  LessonFile files[16] = { { 0 } };
  guint n_files = 0, n_written = 0;
  const LabRunSettings *settings;
  gboolean created = FALSE, ok = TRUE;
  LabSnapshot *s;
  int epochs;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  if (!have_snapshot (self, error))
    return FALSE;
  /* Everything comes from the shown snapshot: its weights, and the settings
   * it was trained with. Its losses are in the history unless a rebuild is
   * on its way. */
  s = lab_run_get_shown (self->run);
  if (s->generation != lab_history_get_generation (lab_run_get_history (self->run)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("The network is being rebuilt: export the lesson once it shows epoch 0"));
      return FALSE;
    }
  settings = s->settings;
  /* The run up to the epoch shown; one not yet trained is set up for the
   * whole epoch limit. */
  epochs = s->epoch > 0 ? s->epoch : lab_run_get_max_epochs (self->run);

  /* Everything is made in memory first: a file that can't be made stops
   * the export before anything is written. */
  {
    struct { const char *name; LabPlotView *view; int w, h; } figures[] = {
      { "forecast.png", self->forecast_view, LESSON_FORECAST_WIDTH, LESSON_FORECAST_HEIGHT },
      { "loss.png", self->loss_view, LESSON_PANEL_WIDTH, LESSON_PANEL_HEIGHT },
      { "hidden-state.png", self->hidden_view, LESSON_PANEL_WIDTH, LESSON_PANEL_HEIGHT },
      { "gradient.png", self->gradient_view, LESSON_PANEL_WIDTH, LESSON_PANEL_HEIGHT },
      { "unrolled.png", self->unrolled_view, LESSON_PANEL_WIDTH, LESSON_PANEL_HEIGHT },
      { "gates.png", self->gates_view, LESSON_PANEL_WIDTH, LESSON_PANEL_HEIGHT },
    };
    /* A plain RNN has no gates to show. */
    guint n_figures = G_N_ELEMENTS (figures) - (settings->config.cell == RNN_CELL_RNN ? 1 : 0);

    for (guint i = 0; ok && i < n_figures; i++)
      {
        files[n_files].name = figures[i].name;
        files[n_files].bytes = view_bytes (figures[i].view, figures[i].w, figures[i].h, 1.0,
                                           LAB_EXPORT_PNG, error);
        ok = files[n_files++].bytes != NULL;
      }
  }
  if (ok)
    {
      files[n_files].name = "dashboard.png";
      files[n_files].bytes = dashboard_bytes (self, 1.0, LAB_EXPORT_PNG, error);
      ok = files[n_files++].bytes != NULL;
    }
  if (ok)
    {
      files[n_files].name = "loss.csv";
      files[n_files++].bytes = loss_csv_bytes (self, s->epoch);
      files[n_files].name = "predictions.csv";
      files[n_files++].bytes = predictions_csv_bytes (s, error);
      files[n_files].name = "model.json";
      files[n_files].bytes = model_bytes (s, error);
      ok = files[n_files++].bytes != NULL;
    }
  if (ok && settings->init == LAB_INIT_FILE)
    {
      g_autoptr(LabModel) initial = lab_model_new_from_params (1, settings->config.hidden_size, 1,
                                                               settings->init_params,
                                                               settings->n_init_params);

      files[n_files].name = LESSON_INITIAL_MODEL;
      files[n_files].bytes = initial != NULL ? lab_model_to_bytes (initial, error) : NULL;
      ok = files[n_files++].bytes != NULL;
    }
  if (ok && settings->data != NULL && settings->data->file != NULL)
    {
      /* An imported series travels with the lesson, as it was opened. */
      files[n_files].name = LAB_LESSON_SERIES_CSV;
      files[n_files++].bytes = g_bytes_ref (settings->data->file);
    }
  if (ok)
    {
      files[n_files].name = "settings.json";
      files[n_files++].bytes = lab_run_settings_to_json (settings, epochs, LESSON_INITIAL_MODEL);
    }
  if (ok && lab_compare_get_n_models (self->compare) > 1)
    {
      /* The compared models: a lesson whose step shows them side by side. */
      files[n_files].name = "lesson.json";
      files[n_files].bytes = compared_lesson_bytes (self, epochs, error);
      ok = files[n_files++].bytes != NULL;
    }
  g_assert (n_files <= G_N_ELEMENTS (files));

  if (ok && !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      int saved_errno;

      if (g_mkdir_with_parents (folder, 0777) == 0)
        {
          created = TRUE;
        }
      else
        {
          saved_errno = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "%s", g_strerror (saved_errno));
          name_file_in_error (error, folder);
          ok = FALSE;
        }
    }

  for (guint i = 0; ok && i < n_files; i++)
    {
      g_autofree char *path = g_build_filename (folder, files[i].name, NULL);

      ok = write_or_name (path, files[i].bytes, error);
      if (ok)
        n_written++;
    }

  /* A lesson is all or nothing in a folder of its own. */
  if (!ok && created)
    remove_written (folder, files, n_written, TRUE);

  for (guint i = 0; i < n_files; i++)
    g_clear_pointer (&files[i].bytes, g_bytes_unref);
  return ok;
}

/* Opening a model */

gboolean
lab_window_open_model_file (LabWindow   *self,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(LabModel) model = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  model = lab_model_load_file (path, error);
  if (model == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (model->input_size != 1 || model->output_size != 1)
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("%s: input size %d and output size %d; accepted: 1 and 1 (one value of the sine wave in, one out)"),
                   path, model->input_size, model->output_size);
      return FALSE;
    }
  /* The hidden size is within engine/limits.h: the loader checks it. */

  /* A slider drag that has not been applied yet is dropped: the file wins,
   * and the sliders show its shape without asking for a rebuild of their own. */
  g_clear_handle_id (&self->shape_timeout_id, g_source_remove);
  lab_run_load_params (self->run, model->hidden_size, model->params, model->n_params);
  self->updating = TRUE;
  lab_controls_set_hidden_size (self->controls, model->hidden_size);
  lab_controls_set_time_step (self->controls,
                              lab_run_get_settings (self->run)->config.time_step);
  self->updating = FALSE;
  return TRUE;
}

/* With a toast */

static void
remember_folder (LabWindow  *self,
                 const char *path)
{
  GSettings *settings = g_object_get_data (G_OBJECT (self), SETTINGS_DATA_KEY);
  g_autofree char *folder = NULL;

  if (settings == NULL)
    return;
  folder = g_path_get_dirname (path);
  g_settings_set_string (settings, LAST_FOLDER_KEY, folder);
}

gboolean
lab_window_export_to_path (LabWindow       *self,
                           LabExportTarget  target,
                           const char      *path,
                           double           scale)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LabExportFormat format = LAB_EXPORT_PNG;
  gboolean ok;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  switch (target)
    {
    case LAB_EXPORT_TARGET_FORECAST:
    case LAB_EXPORT_TARGET_LOSS:
    case LAB_EXPORT_TARGET_HIDDEN:
    case LAB_EXPORT_TARGET_GATES:
    case LAB_EXPORT_TARGET_GRADIENT:
    case LAB_EXPORT_TARGET_UNROLLED:
    case LAB_EXPORT_TARGET_STEP:
    case LAB_EXPORT_TARGET_DASHBOARD:
      if (!lab_export_format_from_path (path, &format))
        {
          g_autofree char *base = g_path_get_basename (path);

          ok = FALSE;
          g_set_error (&error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_FORMAT,
                       _("Could not export “%s”: the name must end in .png, .svg or .pdf"), base);
        }
      else if (target == LAB_EXPORT_TARGET_DASHBOARD)
        ok = lab_window_export_dashboard_to_file (self, path, scale, format, &error);
      else
        ok = lab_window_export_view_to_file (self, (LabPlotKind) target, path, scale, format, &error);
      break;
    case LAB_EXPORT_TARGET_LOSS_CSV:
      ok = lab_window_export_loss_csv_to_file (self, path, &error);
      break;
    case LAB_EXPORT_TARGET_PREDICTIONS_CSV:
      ok = lab_window_export_predictions_csv_to_file (self, path, &error);
      break;
    case LAB_EXPORT_TARGET_MODEL:
      ok = lab_window_save_model_to_file (self, path, &error);
      break;
    case LAB_EXPORT_TARGET_LESSON:
      ok = lab_window_export_lesson_to_folder (self, path, &error);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }

  if (ok)
    {
      remember_folder (self, path);
      if (target == LAB_EXPORT_TARGET_LESSON)
        text = g_strdup_printf (_("Lesson saved in %s"), path);
      else if (target == LAB_EXPORT_TARGET_MODEL)
        text = g_strdup_printf (_("Model saved as %s"), path);
      else
        text = g_strdup_printf (_("Exported %s"), path);
      say (self, text, FALSE);
    }
  else
    {
      say (self, error->message, TRUE);
    }
  return ok;
}

gboolean
lab_window_open_model_path (LabWindow  *self,
                            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!lab_window_open_model_file (self, path, &error))
    {
      text = g_strdup_printf (_("The model was not opened. %s"), error->message);
      say (self, text, TRUE);
      return FALSE;
    }

  remember_folder (self, path);
  text = g_strdup_printf (_("Opened %s: %d hidden units, at epoch 0"),
                          path, lab_controls_get_hidden_size (self->controls));
  say (self, text, FALSE);
  return TRUE;
}
