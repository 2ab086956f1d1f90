/* lab-cli-data.c: series, baselines and forecasts for the headless run. */
#include "app/lab-cli-data.h"

#include <math.h>
#include <stdio.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-real-series.h"
#include "engine/baselines.h"
#include "engine/forecast.h"
#include "plots/lab-export.h"

gboolean
lab_cli_data_load (const char     *real_name,
                   const char     *csv_path,
                   const char     *column,
                   LabCsvMissing   missing,
                   float         **values,
                   int            *n_values,
                   char          **label,
                   GError        **error)
{
  g_autoptr(LabCsvSeries) series = NULL;

  if (real_name != NULL)
    {
      const LabRealSeries *real = lab_real_series_lookup (real_name);

      g_return_val_if_fail (real != NULL, FALSE);
      series = lab_real_series_load (real, error);
      if (series == NULL)
        {
          g_prefix_error (error, "--series: %s: ", real_name);
          return FALSE;
        }
      *label = g_strdup (_(real->title));
    }
  else
    {
      g_autofree char *shown = g_filename_display_name (csv_path);

      series = lab_csv_read_file (csv_path, column, missing, error);
      if (series == NULL)
        {
          /* a column that is not there is --column's fault */
          if (column != NULL && g_error_matches (*error, LAB_CSV_ERROR, LAB_CSV_ERROR_COLUMN))
            g_prefix_error (error, "--column: %s: ", shown);
          else
            g_prefix_error (error, "--csv: %s: ", shown);
          if (g_error_matches (*error, LAB_CSV_ERROR, LAB_CSV_ERROR_MISSING))
            {
              g_autofree char *message = g_strdup_printf (_("%s; accepted: a number, or --missing interpolate"),
                                                          (*error)->message);

              g_free ((*error)->message);
              (*error)->message = g_steal_pointer (&message);
            }
          return FALSE;
        }
      *label = g_strdup (series->column_name);
    }

  *n_values = series->n_values;
  *values = g_steal_pointer (&series->values);
  return TRUE;
}

static void
print_line (FILE       *log,
            const char *label,
            double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  fprintf (log, "%s%s\n", label, g_ascii_formatd (buf, sizeof buf, "%.3e", value));
}

void
lab_cli_data_print_baselines (FILE        *log,
                              RnnSession  *session,
                              const float *predictions)
{
  const RnnDataset *d = rnn_session_dataset (session);
  int N = d->N, Bt = d->n_train, n_test = N - Bt;
  g_autofree float *persistence = g_new (float, N);
  g_autofree float *ar = g_new (float, N);
  g_autofree float *units = g_new (float, n_test);
  const float *actual = d->series + d->T + Bt;   /* the test targets in the series' units */
  const float *models[] = { predictions, persistence, ar };
  const char *mae_labels[] = { "Test MAE: ", "Persistence Test MAE: ", "Linear AR Test MAE: " };
  float mse;

  baseline_persistence (persistence, d);
  if (baseline_linear_ar (ar, NULL, d) != RNN_OK)
    for (int k = 0; k < N; k++)
      ar[k] = NAN;

  mse_forward (&mse, persistence + Bt, d->Y + Bt, n_test);
  print_line (log, "Persistence Test MSE: ", mse);
  mse_forward (&mse, ar + Bt, d->Y + Bt, n_test);
  print_line (log, "Linear AR Test MSE: ", mse);

  /* mean absolute errors in the series' own units */
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      series_scale_inverse (units, &d->scale, models[i] + Bt, n_test);
      print_line (log, mae_labels[i], series_mae (units, actual, n_test));
    }
}

gboolean
lab_cli_data_write_forecast (RnnSession  *session,
                             int          steps,
                             const char  *path,
                             GError     **error)
{
  const RnnDataset *d = rnn_session_dataset (session);
  RnnModel *m = rnn_session_model (session);
  g_autofree float *start = g_new (float, d->T);
  g_autofree float *forecast = g_new (float, steps);
  g_autofree float *scratch = g_new (float, rnn_forecast_scratch_size (d->T, m->H, steps));
  g_autoptr(GBytes) bytes = NULL;

  series_forecast_start (start, d);
  rnn_forecast (forecast, scratch, start, m, d->T, steps);
  series_scale_inverse (forecast, &d->scale, forecast, steps);
  bytes = lab_export_forecast_csv_bytes (d->n_train + d->T, forecast, steps);
  return lab_export_write_bytes (path, bytes, error);
}
