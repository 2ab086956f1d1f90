/* lab-window-files.c: the file choosers behind the menu's Open, Save and
 * Export items, and their actions. The work itself is in
 * lab-window-export.c; a chooser only asks where, then hands the path over.
 * GTK 4.8 has no GtkFileDialog: these are GtkFileChooserNative. */
#include <string.h>

#include <glib/gi18n.h>

#include "ui/lab-window-export.h"
#include "ui/lab-window-private.h"

/* The settings object lab-window-settings.c attaches (NULL without a schema). */
#define SETTINGS_DATA_KEY "lab-window-settings"
#define LAST_FOLDER_KEY   "last-export-folder"

/* File choosers */

#define TARGET_KEY "lab-export-target"

typedef struct
{
  const char *id;
  const char *name;     /* suggested file name */
  const char *title;
} TargetInfo;

static const TargetInfo *
target_info (LabExportTarget target)
{
  static const TargetInfo infos[] = {
    [LAB_EXPORT_TARGET_FORECAST] = { "forecast", "forecast.png", N_("Export the Forecast") },
    [LAB_EXPORT_TARGET_LOSS] = { "loss", "loss.png", N_("Export the Loss") },
    [LAB_EXPORT_TARGET_HIDDEN] = { "hidden", "hidden-state.png", N_("Export the Hidden State") },
    [LAB_EXPORT_TARGET_GATES] = { "gates", "gates.png", N_("Export the Gates") },
    [LAB_EXPORT_TARGET_GRADIENT] = { "gradient", "gradient.png", N_("Export the Gradients through Time") },
    [LAB_EXPORT_TARGET_UNROLLED] = { "unrolled", "unrolled.png", N_("Export the Unrolled Network") },
    [LAB_EXPORT_TARGET_STEP] = { "step", "one-step.png", N_("Export One Step") },
    [LAB_EXPORT_TARGET_DASHBOARD] = { "dashboard", "dashboard.png", N_("Export the Dashboard") },
    [LAB_EXPORT_TARGET_LOSS_CSV] = { NULL, "loss.csv", N_("Export the Loss History") },
    [LAB_EXPORT_TARGET_PREDICTIONS_CSV] = { NULL, "predictions.csv", N_("Export the Predictions") },
    [LAB_EXPORT_TARGET_MODEL] = { NULL, "model.json", N_("Save the Model") },
    [LAB_EXPORT_TARGET_LESSON] = { NULL, NULL, N_("Export a Lesson Folder") },
  };

  return &infos[target];
}

void
lab_window_close_chooser (LabWindow *self)
{
  if (self->chooser == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->chooser, self);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

static gboolean
is_figure (LabExportTarget target)
{
  return target <= LAB_EXPORT_TARGET_DASHBOARD;
}

/* The path with the extension the format choice asks for, when the name
 * has none of its own; and the scale. */
static char *
figure_path (GtkFileChooser *chooser,
             const char     *path,
             double         *scale)
{
  const char *choice = gtk_file_chooser_get_choice (chooser, "format");
  LabExportFormat format;

  *scale = 1.0;
  if (choice == NULL)
    choice = "png";
  if (lab_export_format_from_path (path, &format))
    {
      if (format == LAB_EXPORT_PNG && g_str_equal (choice, "png2x"))
        *scale = 2.0;
      return g_strdup (path);
    }
  if (g_str_equal (choice, "png2x"))
    {
      *scale = 2.0;
      choice = "png";
    }
  return g_strconcat (path, ".", choice, NULL);
}

static gboolean
has_extension (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  return strchr (base, '.') != NULL;
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     LabWindow       *self)
{
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);
  int target = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), TARGET_KEY));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  /* Holds the dialog until the handler returns. */
  G_GNUC_UNUSED g_autoptr(GtkNativeDialog) keep = g_object_ref (dialog);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (chooser);
  if (file != NULL)
    path = g_file_get_path (file);

  if (path != NULL)
    {
      if (target < 0)
        {
          lab_window_open_model_path (self, path);
        }
      else if (is_figure (target))
        {
          g_autofree char *figure = NULL;
          double scale;

          figure = figure_path (chooser, path, &scale);
          lab_window_export_to_path (self, target, figure, scale);
        }
      else
        {
          g_autofree char *named = NULL;
          const char *name = target_info (target)->name;

          /* loss → loss.csv, unless the name has an extension. */
          if (name != NULL && !has_extension (path))
            named = g_strconcat (path, strrchr (name, '.'), NULL);
          lab_window_export_to_path (self, target, named != NULL ? named : path, 1.0);
        }
    }

  if (self->chooser == (GtkFileChooserNative *) dialog)
    lab_window_close_chooser (self);
}

static void
start_in_last_folder (LabWindow      *self,
                      GtkFileChooser *chooser)
{
  GSettings *settings = g_object_get_data (G_OBJECT (self), SETTINGS_DATA_KEY);
  g_autofree char *folder = NULL;
  g_autoptr(GFile) file = NULL;

  if (settings == NULL)
    return;
  folder = g_settings_get_string (settings, LAST_FOLDER_KEY);
  if (folder[0] == '\0' || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    return;
  file = g_file_new_for_path (folder);
  gtk_file_chooser_set_current_folder (chooser, file, NULL);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern,
            const char     *mime_type)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_chooser_add_filter (chooser, filter);
}

/* target < 0: open a model. */
static void
show_chooser (LabWindow *self,
              int        target)
{
  GtkFileChooserAction action = GTK_FILE_CHOOSER_ACTION_SAVE;
  const char *title = _("Open a Model");
  const char *accept = _("_Open");
  GtkFileChooser *chooser;

  lab_window_close_chooser (self);

  if (target >= 0)
    {
      title = _(target_info (target)->title);
      accept = target == LAB_EXPORT_TARGET_MODEL ? _("_Save") : _("_Export");
    }
  else
    {
      action = GTK_FILE_CHOOSER_ACTION_OPEN;
    }

  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (self->chooser);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data (G_OBJECT (self->chooser), TARGET_KEY, GINT_TO_POINTER (target));
  start_in_last_folder (self, chooser);

  if (target < 0 || target == LAB_EXPORT_TARGET_MODEL)
    {
      add_filter (chooser, _("Model files (JSON)"), "*.json", "application/json");
    }
  else if (target == LAB_EXPORT_TARGET_LOSS_CSV || target == LAB_EXPORT_TARGET_PREDICTIONS_CSV)
    {
      add_filter (chooser, _("Tables (CSV)"), "*.csv", "text/csv");
    }
  else if (target == LAB_EXPORT_TARGET_LESSON)
    {
      g_autofree char *name = NULL;

      /* Translators: the suggested name of a lesson folder */
      name = g_strdup_printf (_("rnn-lab-lesson-epoch-%d"),
                              MAX (lab_run_get_shown_epoch (self->run), 0));
      gtk_file_chooser_set_current_name (chooser, name);
    }
  else
    {
      gtk_file_chooser_set_current_name (chooser, target_info (target)->name);
    }

  if (target >= 0 && is_figure (target))
    {
      const char *ids[] = { "png", "png2x", "svg", "pdf", NULL };
      const char *labels[] = {
        _("PNG"),
        _("PNG, twice the pixels (projectors, print)"),
        _("SVG (vector)"),
        _("PDF (vector)"),
        NULL,
      };

      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Figures (PNG, SVG, PDF)"));
      gtk_file_filter_add_suffix (filter, "png");
      gtk_file_filter_add_suffix (filter, "svg");
      gtk_file_filter_add_suffix (filter, "pdf");
      gtk_file_chooser_add_filter (chooser, filter);
      gtk_file_chooser_add_choice (chooser, "format", _("Format"), ids, labels);
      gtk_file_chooser_set_choice (chooser, "format", "png");
    }

  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Actions */

static void
export_view_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  const char *id = g_variant_get_string (parameter, NULL);

  for (int t = 0; t <= LAB_EXPORT_TARGET_DASHBOARD; t++)
    if (g_str_equal (id, target_info (t)->id))
      {
        show_chooser (self, t);
        return;
      }
  g_warning ("win.export-view: unknown view “%s”; accepted: forecast, loss, hidden, gates, gradient, unrolled, step, dashboard", id);
}

#define SIMPLE_EXPORT_ACTION(func, target)                                    \
  static void                                                                 \
  func (GSimpleAction *action, GVariant *parameter, gpointer user_data)       \
  {                                                                           \
    show_chooser (LAB_WINDOW (user_data), target);                            \
  }

SIMPLE_EXPORT_ACTION (export_dashboard_action_cb, LAB_EXPORT_TARGET_DASHBOARD)
SIMPLE_EXPORT_ACTION (export_loss_csv_action_cb, LAB_EXPORT_TARGET_LOSS_CSV)
SIMPLE_EXPORT_ACTION (export_predictions_csv_action_cb, LAB_EXPORT_TARGET_PREDICTIONS_CSV)
SIMPLE_EXPORT_ACTION (save_model_action_cb, LAB_EXPORT_TARGET_MODEL)
SIMPLE_EXPORT_ACTION (export_lesson_action_cb, LAB_EXPORT_TARGET_LESSON)
SIMPLE_EXPORT_ACTION (open_model_action_cb, -1)

static const GActionEntry file_actions[] = {
  { "export-view", export_view_action_cb, "s", NULL, NULL, { 0 } },
  { "export-dashboard", export_dashboard_action_cb, NULL, NULL, NULL, { 0 } },
  { "export-loss-csv", export_loss_csv_action_cb, NULL, NULL, NULL, { 0 } },
  { "export-predictions-csv", export_predictions_csv_action_cb, NULL, NULL, NULL, { 0 } },
  { "save-model", save_model_action_cb, NULL, NULL, NULL, { 0 } },
  { "open-model", open_model_action_cb, NULL, NULL, NULL, { 0 } },
  { "export-lesson", export_lesson_action_cb, NULL, NULL, NULL, { 0 } },
};

void
lab_window_add_file_actions (LabWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), file_actions,
                                   G_N_ELEMENTS (file_actions), self);
}
