/* lab-window-data.c: the window's series: the sidebar's data controls
 * become a new data part of the run (debounced like the shape sliders),
 * Open Series… reads a CSV file through a preview, the forecast view
 * gets the free-running forecast, the baselines and the series' units,
 * and a line under the status gives the test errors in those units. */
#include <glib/gi18n.h>

#include "ui/lab-window-data.h"
#include "ui/lab-window-private.h"

/* Data controls */

static gboolean
data_timeout_cb (gpointer user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  RnnConfig config;
  LabDataSource *source;

  self->data_timeout_id = 0;
  config = lab_run_get_settings (self->run)->config;
  source = lab_data_controls_get_data (self->data_controls, &config);
  if (lab_run_set_data (self->run, &config, source, &error))
    lab_data_controls_set_message (self->data_controls, NULL);
  else
    lab_data_controls_set_message (self->data_controls, error->message);
  return G_SOURCE_REMOVE;
}

static void
data_changed_cb (LabWindow       *self,
                 LabDataControls *controls)
{
  if (self->updating)
    return;

  g_clear_handle_id (&self->data_timeout_id, g_source_remove);
  self->data_timeout_id = g_timeout_add (LAB_WINDOW_SHAPE_DEBOUNCE_MS, data_timeout_cb, self);
}

/* The forecast view */

const char *
lab_window_data_get_title (LabWindow *self)
{
  const LabRunSettings *settings = lab_run_get_settings (self->run);

  if (settings->data != NULL)
    return settings->data->title;
  if (settings->config.series == RNN_SERIES_SINE)
    return _("Sine wave");
  return lab_data_controls_kind_title (settings->config.series);
}

void
lab_window_data_fill_forecast (LabWindow         *self,
                               const LabSnapshot *s,
                               LabForecastData   *data)
{
  LabDataSource *source = s->settings->data;

  data->n_forecast = s->n_forecast;
  data->forecast_start = s->forecast_start;
  data->forecast = s->forecast;
  data->y_label = source != NULL ? source->units : NULL;
  data->n_baselines = 0;
  data->baselines = NULL;
  data->test_mse = 0;
  if (!self->show_baselines)
    return;

  /* In the legend, every test MSE in the series' units, as the plot. */
  for (int b = 0; b < s->n_baselines; b++)
    {
      self->baselines[b].label = _(s->baselines[b].label);
      self->baselines[b].test_mse = s->baselines[b].test_mse_units;
      self->baselines[b].predictions = s->baselines[b].ok ? s->baselines[b].predictions : NULL;
    }
  data->n_baselines = s->n_baselines;
  data->baselines = self->baselines;
  data->test_mse = s->test_mse_units;
}

void
lab_window_data_update_metrics (LabWindow *self)
{
  LabSnapshot *s = lab_run_get_shown (self->run);
  LabDataSource *source;
  g_autofree char *mse = NULL;
  g_autofree char *mae = NULL;
  g_autofree char *persistence = NULL;
  g_autofree char *ar = NULL;
  g_autofree char *text = NULL;

  if (s == NULL)
    return;
  source = s->settings->data;
  mse = lab_format_loss (s->test_mse_units);
  mae = lab_format_loss (s->test_mae_units);
  persistence = lab_format_loss (s->baselines[LAB_BASELINE_PERSISTENCE].test_mse_units);
  ar = lab_format_loss (s->baselines[LAB_BASELINE_LINEAR_AR].test_mse_units);
  if (lab_compare_get_n_models (self->compare) > 1)
    /* TRANSLATORS: under the status line in compare mode: the first model's
     * errors ("RNN"; the others' are on their cards), then the baselines' */
    text = g_strdup_printf (_("Test: %s MSE %s, MAE %s · persistence MSE %s · linear AR MSE %s"),
                            lab_compare_get_label (self->compare, 0), mse, mae, persistence, ar);
  else if (source != NULL)
    /* TRANSLATORS: under the status line; %s after "in": the series' units ("ppm") */
    text = g_strdup_printf (_("Test, in %s: network MSE %s, MAE %s · persistence MSE %s · linear AR MSE %s"),
                            source->units, mse, mae, persistence, ar);
  else
    text = g_strdup_printf (_("Test: network MSE %s, MAE %s · persistence MSE %s · linear AR MSE %s"),
                            mse, mae, persistence, ar);
  gtk_label_set_text (self->metrics_label, text);
  /* a narrow window cuts the line: the whole of it on hover */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->metrics_label), text);
}

static void
shown_changed_cb (LabWindow  *self,
                  GParamSpec *pspec,
                  LabRun     *run)
{
  lab_window_data_update_metrics (self);
}

/* The time step's range follows the series; the preview's split follows
 * the time step. */
static void
settings_changed_cb (LabWindow  *self,
                     GParamSpec *pspec,
                     LabRun     *run)
{
  const LabRunSettings *settings = lab_run_get_settings (run);

  self->updating = TRUE;
  lab_controls_set_time_step_max (self->controls, lab_run_settings_get_time_step_max (settings));
  lab_data_controls_set_time_step (self->data_controls, settings->config.time_step);
  self->updating = FALSE;
}

void
lab_window_set_show_baselines (LabWindow *self,
                               gboolean   show)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-baselines");

  self->show_baselines = show;
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (show));
  /* Every view of the shown snapshot is redrawn, the forecast with them. */
  g_object_notify (G_OBJECT (self->run), "shown");
}

/* A new series shows the baselines when it is a real one: there the
 * comparison is the point. */
static void
rebuilt_cb (LabWindow    *self,
            LabRunChange  change,
            LabRun       *run)
{
  if (change & LAB_RUN_CHANGE_DATA)
    lab_window_set_show_baselines (self, lab_run_get_settings (run)->data != NULL);
}

static void
show_baselines_change_state_cb (GSimpleAction *action,
                                GVariant      *value,
                                gpointer       user_data)
{
  lab_window_set_show_baselines (LAB_WINDOW (user_data), g_variant_get_boolean (value));
}

/* Open Series */

static void
series_open_cb (LabWindow       *self,
                LabSeriesDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabDataSource) source = lab_series_dialog_get_source (dialog, &error);
  RnnConfig config;

  if (source == NULL)
    {
      lab_series_dialog_set_message (dialog, error->message);
      return;
    }
  config = lab_run_get_settings (self->run)->config;
  lab_data_controls_get_data (self->data_controls, &config);
  config.series = RNN_SERIES_DATA;
  config.normalize = RNN_NORMALIZE_MINMAX;
  if (!lab_run_set_data (self->run, &config, source, &error))
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", source->title, error->message);

      lab_series_dialog_set_message (dialog, line);
      return;
    }

  /* The chooser shows it, as what the run now has: no second rebuild. */
  g_clear_handle_id (&self->data_timeout_id, g_source_remove);
  self->updating = TRUE;
  lab_data_controls_add_source (self->data_controls, source);
  self->updating = FALSE;
  lab_data_controls_set_message (self->data_controls, NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
series_dialog_destroyed_cb (LabWindow *self,
                            GtkWidget *dialog)
{
  if ((GtkWidget *) self->series_dialog == dialog)
    self->series_dialog = NULL;
}

LabSeriesDialog *
lab_window_open_series_file (LabWindow  *self,
                             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (self->series_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->series_dialog));
  bytes = lab_csv_load_file (path, &error);
  title = g_filename_display_basename (path);
  self->series_dialog = lab_series_dialog_new (GTK_WINDOW (self), title, bytes, error);
  g_signal_connect_object (self->series_dialog, "open", G_CALLBACK (series_open_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->series_dialog, "destroy", G_CALLBACK (series_dialog_destroyed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->series_dialog));
  return self->series_dialog;
}

LabSeriesDialog *
lab_window_get_series_dialog (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->series_dialog;
}

LabDataControls *
lab_window_get_data_controls (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->data_controls;
}

static void
close_series_chooser (LabWindow *self)
{
  if (self->series_chooser == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->series_chooser, self);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->series_chooser));
  g_clear_object (&self->series_chooser);
}

static void
series_chooser_response_cb (GtkNativeDialog *chooser,
                            int              response,
                            LabWindow       *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  close_series_chooser (self);
  if (file == NULL)
    return;
  path = g_file_get_path (file);
  if (path != NULL)
    lab_window_open_series_file (self, path);
}

static void
open_series_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  close_series_chooser (self);
  self->series_chooser = gtk_file_chooser_native_new (_("Open a Series"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_OPEN,
                                                      _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->series_chooser), TRUE);
  gtk_file_filter_set_name (csv, _("Tables (CSV, TSV)"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->series_chooser), csv);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->series_chooser), all);
  g_signal_connect (self->series_chooser, "response", G_CALLBACK (series_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->series_chooser));
}

/* Setup */

void
lab_window_class_bind_data (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, LabWindow, data_controls);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, metrics_label);
}

void
lab_window_data_init (LabWindow *self)
{
  const GActionEntry entries[] = {
    { "open-series", open_series_action_cb, NULL, NULL, NULL, { 0 } },
    { "show-baselines", NULL, NULL, "false", show_baselines_change_state_cb, { 0 } },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  g_signal_connect_object (self->data_controls, "changed", G_CALLBACK (data_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->run, "notify::shown", G_CALLBACK (shown_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->run, "notify::settings", G_CALLBACK (settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->run, "rebuilt", G_CALLBACK (rebuilt_cb),
                           self, G_CONNECT_SWAPPED);
  settings_changed_cb (self, NULL, self->run);
  lab_window_data_update_metrics (self);
}

void
lab_window_data_dispose (LabWindow *self)
{
  g_clear_handle_id (&self->data_timeout_id, g_source_remove);
  close_series_chooser (self);
  if (self->series_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->series_dialog));
}
