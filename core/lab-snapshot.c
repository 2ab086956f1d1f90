/* lab-snapshot.c: snapshots, the series they share, and reports. */
#include <string.h>

#include "core/lab-snapshot.h"

struct _LabSeries
{
  int   ref_count; /* atomic */
  int   n_points;
  float data[];    /* (n_points) */
};

/* The snapshot as allocated: the public struct, its reference count, and the
 * series it shares with every snapshot of its generation. predictions, hidden
 * and params live in the same block, after this struct. */
typedef struct
{
  LabSnapshot pub;
  int         ref_count; /* atomic */
  LabSeries  *series;
} LabSnapshotReal;

LabSeries *
lab_series_new (const float *data,
                int          n_points)
{
  LabSeries *series = g_malloc (sizeof *series + (gsize) n_points * sizeof (float));

  series->ref_count = 1;
  series->n_points = n_points;
  memcpy (series->data, data, (gsize) n_points * sizeof (float));
  return series;
}

LabSeries *
lab_series_ref (LabSeries *series)
{
  g_atomic_int_inc (&series->ref_count);
  return series;
}

void
lab_series_unref (LabSeries *series)
{
  if (g_atomic_int_dec_and_test (&series->ref_count))
    g_free (series);
}

G_DEFINE_BOXED_TYPE (LabSnapshot, lab_snapshot, lab_snapshot_ref, lab_snapshot_unref)

LabSnapshot *
lab_snapshot_new (LabSeries      *series,
                  LabRunSettings *settings,
                  int             n_windows,
                  int             time_step,
                  int             hidden_size,
                  gsize           n_params)
{
  gsize n_floats = (gsize) n_windows + (gsize) time_step * hidden_size + n_params;
  LabSnapshotReal *real = g_malloc0 (sizeof *real + n_floats * sizeof (float));
  LabSnapshot *s = &real->pub;
  float *data = (float *) (real + 1);

  real->ref_count = 1;
  real->series = lab_series_ref (series);
  s->settings = lab_run_settings_ref (settings);
  s->n_points = series->n_points;
  s->time_step = time_step;
  s->hidden_size = hidden_size;
  s->n_windows = n_windows;
  s->series = series->data;
  s->predictions = data;
  s->hidden = data + n_windows;
  s->n_params = n_params;
  s->params = data + n_windows + (gsize) time_step * hidden_size;
  return s;
}

LabSnapshot *
lab_snapshot_ref (LabSnapshot *snapshot)
{
  LabSnapshotReal *real = (LabSnapshotReal *) snapshot;

  g_return_val_if_fail (snapshot != NULL, NULL);

  g_atomic_int_inc (&real->ref_count);
  return snapshot;
}

void
lab_snapshot_unref (LabSnapshot *snapshot)
{
  LabSnapshotReal *real = (LabSnapshotReal *) snapshot;

  g_return_if_fail (snapshot != NULL);

  if (g_atomic_int_dec_and_test (&real->ref_count))
    {
      lab_run_settings_unref (snapshot->settings);
      lab_series_unref (real->series);
      g_free (real);
    }
}

void
lab_snapshot_get_hidden (const LabSnapshot *snapshot,
                         int                window,
                         float             *out)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (window >= 0 && window < snapshot->n_windows);

  /* Input size 1: window k's inputs x_1 .. x_T are series[k .. k + T - 1]. */
  rnn_hidden_sequence (out, snapshot->series + window, snapshot->params,
                       snapshot->time_step, 1, snapshot->hidden_size, 1);
}

double
lab_snapshot_get_lr (const LabSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, 0.0);

  return lab_run_settings_lr_at (snapshot->settings, MAX (snapshot->epoch, 1));
}

void
lab_report_free (LabReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->snapshot, lab_snapshot_unref);
  g_clear_pointer (&report->settings, lab_run_settings_unref);
  g_free (report->message);
  g_free (report);
}
