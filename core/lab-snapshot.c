/* lab-snapshot.c: snapshots, the series they share, and reports. */
#include <math.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-snapshot.h"
#include "engine/baselines.h"

struct _LabSeries
{
  int          ref_count; /* atomic */
  int          n_points;
  int          T, N, n_train;
  RnnScale     scale;
  LabBaseline  baselines[LAB_N_BASELINES];
  float       *data;      /* (n_points) in the series' units */
  float       *inputs;    /* (n_points) on the model's scale */
  float       *baseline_predictions; /* (LAB_N_BASELINES, N) in the series' units */
};

/* The snapshot as allocated: the public struct, its reference count, and the
 * series it shares with every snapshot of its generation. predictions,
 * hidden, params and forecast live in the same block, after this struct. */
typedef struct
{
  LabSnapshot pub;
  int         ref_count; /* atomic */
  LabSeries  *series;
} LabSnapshotReal;

/* MSE and MAE of predictions (N, in the series' units) against the test
 * targets of series (in the series' units). */
static void
test_errors_units (const float *series,
                   int          T,
                   int          N,
                   int          n_train,
                   const float *predictions,
                   float       *mse,
                   float       *mae)
{
  int n_test = N - n_train;
  const float *actual = series + T + n_train;

  mse_forward (mse, predictions + n_train, actual, n_test);
  *mae = (float) series_mae (predictions + n_train, actual, n_test);
}

static void
series_fit_baseline (LabSeries        *series,
                     const RnnDataset *d,
                     LabBaselineKind   kind)
{
  static const char *labels[] = { N_("Persistence"), N_("Linear AR") };
  LabBaseline *b = &series->baselines[kind];
  float *pred = series->baseline_predictions + (gsize) kind * d->N;

  b->kind = kind;
  b->label = labels[kind];
  b->predictions = pred;
  b->ok = TRUE;
  if (kind == LAB_BASELINE_PERSISTENCE)
    baseline_persistence (pred, d);
  else
    b->ok = baseline_linear_ar (pred, NULL, d) == RNN_OK;
  if (!b->ok)
    {
      for (int k = 0; k < d->N; k++)
        pred[k] = NAN;
      b->test_mse = b->test_mse_units = b->test_mae_units = NAN;
      return;
    }
  mse_forward (&b->test_mse, pred + d->n_train, d->Y + d->n_train, d->N - d->n_train);
  series_scale_inverse (pred, &d->scale, pred, d->N);
  test_errors_units (d->series, d->T, d->N, d->n_train, pred,
                     &b->test_mse_units, &b->test_mae_units);
}

LabSeries *
lab_series_new (const RnnDataset *d)
{
  gsize n = (gsize) d->n_points;
  LabSeries *series = g_malloc0 (sizeof *series
                                 + (2 * n + (gsize) LAB_N_BASELINES * d->N) * sizeof (float));
  float *floats = (float *) (series + 1);

  series->ref_count = 1;
  series->n_points = d->n_points;
  series->T = d->T;
  series->N = d->N;
  series->n_train = d->n_train;
  series->scale = d->scale;
  series->data = floats;
  series->inputs = floats + n;
  series->baseline_predictions = floats + 2 * n;
  memcpy (series->data, d->series, n * sizeof (float));
  series_scale_apply (series->inputs, &d->scale, d->series, d->n_points);
  for (int kind = 0; kind < LAB_N_BASELINES; kind++)
    series_fit_baseline (series, d, kind);
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
                  int             hidden_size,
                  gsize           n_params)
{
  int n_windows = series->N, time_step = series->T;
  int n_forecast = series->N - series->n_train;
  RnnCell cell = settings->config.cell;
  int G = rnn_cell_gate_count (cell);
  gsize TH = (gsize) time_step * hidden_size;
  gsize n_floats = (gsize) n_windows + TH + n_params + n_forecast
                   + TH * G + TH + time_step;
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
  s->n_train = series->n_train;
  s->inputs = series->inputs;
  s->scale = series->scale;
  s->n_forecast = n_forecast;
  s->forecast_start = series->n_train + series->T;
  s->forecast = s->params + n_params;
  s->cell = cell;
  s->n_gates = G;
  s->gates = s->forecast + n_forecast;
  s->cell_state = rnn_cell_has_state (cell) ? s->gates + TH * G : NULL;
  s->grad_norms = s->gates + TH * G + TH;
  s->n_baselines = LAB_N_BASELINES;
  s->baselines = series->baselines;
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
lab_snapshot_set_predictions (LabSnapshot *snapshot,
                              const float *predictions)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (predictions != NULL);

  series_scale_inverse (snapshot->predictions, &snapshot->scale, predictions, snapshot->n_windows);
  test_errors_units (snapshot->series, snapshot->time_step, snapshot->n_windows,
                     snapshot->n_train, snapshot->predictions,
                     &snapshot->test_mse_units, &snapshot->test_mae_units);
}

void
lab_snapshot_get_hidden (const LabSnapshot *snapshot,
                         int                window,
                         float             *out)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (window >= 0 && window < snapshot->n_windows);

  lab_snapshot_get_states (snapshot, window, out, NULL, NULL);
}

void
lab_snapshot_get_states (const LabSnapshot *snapshot,
                         int                window,
                         float             *hs,
                         float             *cs,
                         float             *gates)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (hs != NULL);
  g_return_if_fail (window >= 0 && window < snapshot->n_windows);

  /* Input size 1: window k's inputs x_1 .. x_T are z[k .. k + T - 1], the
   * series on the model's scale, as in training. */
  rnn_window_states (snapshot->cell, hs, cs, gates, snapshot->inputs + window,
                     snapshot->params, snapshot->time_step, 1, snapshot->hidden_size, 1);
}

LabStepTerms *
lab_snapshot_get_step_terms (const LabSnapshot *snapshot,
                             int                window,
                             int                step)
{
  LabStepTerms *terms;
  gsize I = 1, H, GH;
  g_autofree float *scratch = NULL;
  float *hs, *cs, *gs, *next;
  int G;

  g_return_val_if_fail (snapshot != NULL, NULL);

  if (window < 0 || window >= snapshot->n_windows || step < 1 || step > snapshot->time_step)
    return NULL;
  H = snapshot->hidden_size;
  G = snapshot->n_gates;
  GH = G * H;

  /* the states of steps 1..t: (t, H) h, (t, H) c, (t, G, H) gates */
  scratch = g_new (float, (gsize) step * (2 * H + GH));
  hs = scratch;
  cs = hs + (gsize) step * H;
  gs = cs + (gsize) step * H;

  terms = g_malloc0 (sizeof (LabStepTerms) + (I + 6 * GH + 4 * H) * sizeof (float));
  next = (float *) (terms + 1);
  terms->x = next, next += I;
  terms->ih = next, next += GH;
  terms->hh = next, next += GH;
  terms->b_ih = next, next += GH;
  terms->b_hh = next, next += GH;
  terms->pre = next, next += GH;
  terms->h_prev = next, next += H;
  terms->h = next, next += H;
  terms->gates = next, next += GH;
  terms->c_prev = next, next += H;
  terms->c = next;

  /* Input size 1: window k's x_t is z[k + t - 1], as in training. */
  if (rnn_step_terms (snapshot->cell, terms->ih, terms->hh, terms->pre, hs, cs, gs,
                      snapshot->inputs + window, snapshot->params, step, I, H, 1) != RNN_OK)
    {
      g_free (terms);
      return NULL;
    }
  terms->cell = snapshot->cell;
  terms->step = step;
  terms->input_size = I;
  terms->hidden_size = H;
  terms->n_gates = G;
  terms->x[0] = snapshot->inputs[window + step - 1];
  /* the biases follow W_ih (G H, I) and W_hh (G H, H) in the parameters */
  memcpy (terms->b_ih, snapshot->params + GH * I + GH * H, GH * sizeof (float));
  memcpy (terms->b_hh, snapshot->params + GH * I + GH * H + GH, GH * sizeof (float));
  if (step > 1)
    memcpy (terms->h_prev, hs + (step - 2) * H, H * sizeof (float));
  memcpy (terms->h, hs + (step - 1) * H, H * sizeof (float));
  memcpy (terms->gates, gs + (step - 1) * GH, GH * sizeof (float));
  if (rnn_cell_has_state (snapshot->cell))
    {
      if (step > 1)
        memcpy (terms->c_prev, cs + (step - 2) * H, H * sizeof (float));
      memcpy (terms->c, cs + (step - 1) * H, H * sizeof (float));
    }
  else
    terms->c_prev = terms->c = NULL;
  return terms;
}

void
lab_step_terms_free (LabStepTerms *terms)
{
  g_free (terms);
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
