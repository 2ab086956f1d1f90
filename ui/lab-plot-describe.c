/* lab-plot-describe.c: what each plot shows, in one sentence with its
 * values, for assistive technologies (lab-plot-describe.h). */
#include <math.h>

#include <glib/gi18n.h>
#include <pango/pango.h>

#include "ui/lab-plot-describe.h"

/* Mean squared error of windows [from, to) against their targets, in the
 * series' units; NaN for none. */
static double
predictions_mse (const float *series,
                 int          n_points,
                 const float *predictions,
                 int          time_step,
                 int          from,
                 int          to)
{
  double sum = 0;
  int n = 0;

  for (int k = from; k < to; k++)
    {
      int target = k + time_step;

      if (target < 0 || target >= n_points)
        continue;
      sum += ((double) predictions[k] - series[target]) * ((double) predictions[k] - series[target]);
      n++;
    }
  return n > 0 ? sum / n : NAN;
}

static double
forecast_mse (const LabForecastData *data,
              int                    from,
              int                    to)
{
  return predictions_mse (data->series, data->n_points, data->predictions, data->time_step, from, to);
}

/* Compare mode: "RNN 0.0312; LSTM 2.1×10⁻⁴", each model's test MSE. */
static char *
models_test_mse (const LabForecastData *data)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (int m = 0; m < data->n_models; m++)
    {
      const LabForecastModel *model = &data->models[m];
      g_autofree char *mse = NULL;

      if (model->predictions == NULL)
        continue;
      mse = lab_format_loss (predictions_mse (data->series, data->n_points, model->predictions,
                                              model->time_step, model->n_train, model->n_windows));
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s %s", model->label != NULL ? model->label : "", mse);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "Window 37 of 190 (test): target 0.52, prediction 0.50, error 0.02" */
char *
lab_plot_describe_window (const LabForecastData *data,
                          int                    window)
{
  int target = window + data->time_step;
  char target_text[32], prediction_text[32], error_text[32];
  const char *split = window < data->n_train ? _("train") : _("test");

  if (target < 0 || target >= data->n_points)
    return NULL;
  lab_format_number (target_text, sizeof target_text, data->series[target], 3);
  if (data->n_models > 0)
    {
      g_autoptr(GString) predictions = g_string_new (NULL);

      /* Each model's prediction of the same target (its window ends there). */
      for (int m = 0; m < data->n_models; m++)
        {
          const LabForecastModel *model = &data->models[m];
          int k = target - model->time_step;

          if (model->predictions == NULL || k < 0 || k >= model->n_windows)
            continue;
          lab_format_number (prediction_text, sizeof prediction_text, model->predictions[k], 3);
          g_string_append_printf (predictions, "%s%s %s", predictions->len > 0 ? ", " : "",
                                  model->label != NULL ? model->label : "", prediction_text);
        }
      /* Translators: the forecast's keyboard cursor in compare mode; "(train)"
       * or "(test)", then each model's prediction: "RNN 0.50, LSTM 0.49" */
      return g_strdup_printf (_("Window %d of %d (%s): target %s; predictions %s"),
                              window, data->n_windows, split, target_text, predictions->str);
    }
  if (data->predictions == NULL)
    /* Translators: the forecast's keyboard cursor; "(train)" or "(test)" */
    return g_strdup_printf (_("Window %d of %d (%s): target %s"),
                            window, data->n_windows, split, target_text);
  lab_format_number (prediction_text, sizeof prediction_text, data->predictions[window], 3);
  lab_format_number (error_text, sizeof error_text,
                     (double) data->predictions[window] - data->series[target], 3);
  /* Translators: the forecast's keyboard cursor; "(train)" or "(test)",
   * then values in the series' units */
  return g_strdup_printf (_("Window %d of %d (%s): target %s, prediction %s, error %s"),
                          window, data->n_windows, split, target_text, prediction_text,
                          error_text);
}

char *
lab_plot_describe_forecast (const LabForecastData *data,
                            int                    epoch,
                            int                    cursor)
{
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *window = NULL;
  g_autofree char *values = NULL;

  if (data->n_models > 0)
    {
      g_autofree char *each = models_test_mse (data);

      /* Translators: the forecast in compare mode: each model's test MSE,
       * "RNN 0.0312; LSTM 2.1×10⁻⁴" */
      values = g_strdup_printf (_("Forecast, epoch %d: test MSE of %s"), epoch, each);
    }
  else if (data->predictions == NULL)
    values = g_strdup_printf (_("Forecast, epoch %d: %d points, no prediction yet"),
                              epoch, data->n_points);
  else
    {
      train = lab_format_loss (forecast_mse (data, 0, data->n_train));
      test = lab_format_loss (forecast_mse (data, data->n_train, data->n_windows));
      if (data->y_label != NULL)
        /* Translators: %s after "in": the series' units ("ppm") */
        values = g_strdup_printf (_("Forecast, epoch %d: train MSE %s, test MSE %s in %s"),
                                  epoch, train, test, data->y_label);
      else
        values = g_strdup_printf (_("Forecast, epoch %d: train MSE %s, test MSE %s"),
                                  epoch, train, test);
    }

  if (cursor >= 0 && cursor < data->n_windows)
    window = lab_plot_describe_window (data, cursor);
  else if (data->selected >= 0 && data->selected < data->n_windows)
    window = g_strdup_printf (_("window %d selected"), data->selected);
  if (window == NULL)
    return g_steal_pointer (&values);
  /* Translators: the forecast's description: its values, then the window */
  return g_strdup_printf (_("%s; %s"), values, window);
}

char *
lab_plot_describe_loss (const LabLossData *data,
                        int                epoch)
{
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  const char *trend;
  int i, before;

  if (data->n_models > 0)
    {
      g_autoptr(GString) each = g_string_new (NULL);

      for (int m = 0; m < data->n_models; m++)
        {
          const LabLossSeries *model = &data->models[m];
          int k = data->from_epoch_0 ? epoch : epoch - 1;
          g_autofree char *model_train = NULL;
          g_autofree char *model_test = NULL;

          k = MIN (k, model->n_epochs - 1);
          if (k < 0 || model->train_loss == NULL)
            continue;
          model_train = lab_format_loss (model->train_loss[k]);
          model_test = model->test_loss != NULL ? lab_format_loss (model->test_loss[k]) : g_strdup ("");
          if (each->len > 0)
            g_string_append (each, "; ");
          /* Translators: one compared model's losses, "LSTM train 3.1×10⁻⁴, test 5×10⁻⁴" */
          g_string_append_printf (each, _("%s train %s, test %s"),
                                  model->label != NULL ? model->label : "", model_train, model_test);
        }
      /* Translators: the loss plot in compare mode, each model's losses */
      return g_strdup_printf (_("Loss, epoch %d: %s"), epoch, each->str);
    }
  i = data->from_epoch_0 ? epoch : epoch - 1;
  if (i < 0 || i >= data->n_epochs || data->train_loss == NULL)
    return g_strdup_printf (_("Loss, epoch %d: no loss recorded yet"), epoch);

  train = lab_format_loss (data->train_loss[i]);
  test = data->test_loss != NULL ? lab_format_loss (data->test_loss[i]) : NULL;
  /* The trend of the train loss over the last ten epochs (or fewer) */
  before = MAX (i - 10, 0);
  if (i == before)
    trend = _("not trained yet");
  else if (!isfinite (data->train_loss[i]) || !isfinite (data->train_loss[before]))
    trend = _("not a number");
  else if (data->train_loss[i] < 0.99 * data->train_loss[before])
    trend = _("falling");
  else if (data->train_loss[i] > 1.01 * data->train_loss[before])
    trend = _("rising");
  else
    trend = _("flat");

  if (test == NULL)
    /* Translators: the loss plot's description; the last %s: "falling",
     * "rising" or "flat" */
    return g_strdup_printf (_("Loss, epoch %d: train %s, %s"), epoch, train, trend);
  /* Translators: the loss plot's description; the last %s: "falling",
   * "rising" or "flat" */
  return g_strdup_printf (_("Loss, epoch %d: train %s, test %s, %s"), epoch, train, test, trend);
}

char *
lab_plot_describe_hidden (const LabHiddenData *data,
                          int                  epoch)
{
  int T = data->time_step, H = data->hidden_size, busiest = 0;
  double best = -1;
  float lo = 0, hi = 0;
  char lo_text[32], hi_text[32], mean_text[32];

  if (T < 1 || H < 1 || data->hidden == NULL)
    return NULL;

  for (int j = 0; j < H; j++)
    {
      double mean = 0;

      for (int t = 0; t < T; t++)
        {
          float v = data->hidden[t * H + j];

          lo = t == 0 && j == 0 ? v : MIN (lo, v);
          hi = t == 0 && j == 0 ? v : MAX (hi, v);
          mean += fabs (v) / T;
        }
      if (mean > best)
        {
          best = mean;
          busiest = j;
        }
    }
  lab_format_number (lo_text, sizeof lo_text, lo, 3);
  lab_format_number (hi_text, sizeof hi_text, hi, 3);
  lab_format_number (mean_text, sizeof mean_text, best, 3);
  /* Translators: the heatmap's description: the first %s is "Hidden state"
   * or "Cell state"; the most active unit has the largest mean |value| */
  return g_strdup_printf (_("%s, epoch %d, window %d: %d units by %d time steps, values from %s to %s, "
                            "most active unit %d (mean |value| %s)"),
                          data->cell_state ? _("Cell state") : _("Hidden state"), epoch, data->window, H, T, lo_text, hi_text,
                          busiest + 1, mean_text);
}

/* "input gate i<sub>t</sub>" as "input gate i_t" */
static char *
plain_gate_name (const char *markup)
{
  g_autofree char *opened = NULL;
  g_autofree char *marked = NULL;
  char *text = NULL;
  g_auto(GStrv) parts = g_strsplit (markup, "<sub>", -1);
  g_auto(GStrv) closes = NULL;

  opened = g_strjoinv ("_", parts);
  closes = g_strsplit (opened, "</sub>", -1);
  marked = g_strjoinv ("", closes);
  if (!pango_parse_markup (marked, -1, 0, NULL, &text, NULL, NULL))
    text = g_strdup ("?");
  return text;
}

char *
lab_plot_describe_gates (const LabGatesData *data,
                         int                 epoch)
{
  gsize TH = (gsize) MAX (data->time_step, 0) * (gsize) MAX (data->hidden_size, 0);
  g_autoptr(GString) means = NULL;

  if (data->n_gates == 0 || TH == 0)
    return g_strdup_printf (_("Gates, epoch %d: a plain RNN has no gates"), epoch);

  means = g_string_new (NULL);
  for (int k = 0; k < data->n_gates; k++)
    {
      g_autofree char *name = plain_gate_name (data->gates[k].name);
      double mean = 0;
      char mean_text[32];

      for (gsize i = 0; i < TH; i++)
        mean += data->gates[k].values[i] / (double) TH;
      lab_format_number (mean_text, sizeof mean_text, mean, 2);
      if (means->len > 0)
        g_string_append (means, ", ");
      /* Translators: one gate's mean in the gates view's description */
      g_string_append_printf (means, _("%s %s"), name, mean_text);
    }
  /* Translators: the gates view's description; the last %s: each gate's
   * mean, "input gate i_t 0.52, forget gate f_t 0.61, …" */
  return g_strdup_printf (_("Gates, epoch %d, window %d: mean %s (0 closed, 1 open)"),
                          epoch, data->window, means->str);
}

char *
lab_plot_describe_gradient (const LabGradientData *data,
                            int                    epoch)
{
  g_autoptr(GString) text = NULL;

  if (data->n_models < 1)
    return g_strdup_printf (_("Gradients through time, epoch %d: no epoch trained yet"), epoch);

  text = g_string_new (NULL);
  g_string_printf (text, _("Gradients through time, epoch %d:"), epoch);
  for (int m = 0; m < data->n_models; m++)
    {
      g_autofree char *ratio = lab_gradient_ratio_text (data->models[m].norms,
                                                        data->models[m].time_step);

      g_string_append_c (text, ' ');
      if (data->models[m].label != NULL)
        g_string_append_printf (text, "%s: ", data->models[m].label);
      g_string_append (text, ratio);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
lab_plot_describe_unrolled (const LabUnrolledData *data,
                            int                    epoch)
{
  int T = data->time_step, H = data->hidden_size;
  int step = data->highlight >= 1 && data->highlight <= T ? data->highlight : T;
  const float *h;
  char lo_text[32], hi_text[32], x_text[32];
  g_autofree char *text = NULL;
  float lo, hi;

  if (data->hidden == NULL || T < 1 || H < 1)
    return NULL;
  h = data->hidden + (gsize) (step - 1) * H;
  lo = hi = h[0];
  for (int j = 1; j < H; j++)
    {
      lo = MIN (lo, h[j]);
      hi = MAX (hi, h[j]);
    }
  lab_format_number (lo_text, sizeof lo_text, lo, 3);
  lab_format_number (hi_text, sizeof hi_text, hi, 3);
  if (data->inputs != NULL)
    lab_format_number (x_text, sizeof x_text, data->inputs[step - 1], 3);
  else
    g_strlcpy (x_text, "?", sizeof x_text);
  /* Translators: the unrolled network's description: the step picked, its
   * input x_t and the range of its hidden state h_t */
  text = g_strdup_printf (_("Unrolled network, epoch %d: %d time steps of %d hidden units; "
                            "step %d: input %s, hidden state from %s to %s"),
                          epoch, T, H, step, x_text, lo_text, hi_text);
  if (isfinite (data->prediction) && isfinite (data->target))
    {
      char y_text[32], t_text[32];

      lab_format_number (y_text, sizeof y_text, data->prediction, 3);
      lab_format_number (t_text, sizeof t_text, data->target, 3);
      /* Translators: after the unrolled network's description */
      return g_strdup_printf (_("%s; prediction %s, target %s"), text, y_text, t_text);
    }
  return g_steal_pointer (&text);
}
