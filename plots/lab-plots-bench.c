/* lab-plots-bench.c: how long each plot takes to draw into an image surface
 * (the tutorial's data; H = 50 and the largest shape, H = 256, T = 100). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "plots/lab-plots.h"

typedef void (*DrawFunc) (cairo_t *cr, int width, int height, const void *data,
                          const LabPlotStyle *style);

static void
draw_forecast (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_forecast_plot_draw (cr, width, height, data, style);
}

static void
draw_loss (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_loss_plot_draw (cr, width, height, data, style);
}

static void
draw_hidden (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_hidden_plot_draw (cr, width, height, data, style);
}

static void
draw_gates (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_gates_plot_draw (cr, width, height, data, style);
}

static void
draw_gradient (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_gradient_plot_draw (cr, width, height, data, style);
}

static void
draw_unrolled (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_unrolled_plot_draw (cr, width, height, data, style);
}

static void
draw_step (cairo_t *cr, int width, int height, const void *data, const LabPlotStyle *style)
{
  lab_step_plot_draw (cr, width, height, data, style);
}

/* CPU time of this thread, in ms: on a busy machine, wall time would
 * count the time spent waiting for a core. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
time_draw (DrawFunc            draw,
           const void         *data,
           int                 width,
           int                 height,
           const LabPlotStyle *style,
           int                 reps)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  double start;

  double best = G_MAXDOUBLE;

  draw (cr, width, height, data, style);   /* warm the font caches */
  /* The best of five batches: the machine may be busy with other work. */
  for (int batch = 0; batch < 5; batch++)
    {
      start = cpu_ms ();
      for (int i = 0; i < reps; i++)
        draw (cr, width, height, data, style);
      cairo_surface_flush (surface);
      best = MIN (best, (cpu_ms () - start) / reps);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return best;
}

int
main (int   argc,
      char *argv[])
{
  static float series[4000], predictions[4000], train[5000], test[5000], hidden[100 * 256];
  const int sizes[][2] = { { 1280, 800 }, { 1920, 1080 }, { 3840, 2160 } };
  int reps = argc > 1 ? atoi (argv[1]) : 200;
  LabForecastData forecast = { .n_points = 100, .series = series, .time_step = 10,
                               .n_windows = 89, .n_train = 62, .predictions = predictions,
                               .selected = 40 };
  LabForecastData forecast_large = { .n_points = 4000, .series = series, .time_step = 64,
                                     .n_windows = 3935, .n_train = 2754,
                                     .predictions = predictions, .selected = 1000 };
  LabLossData loss = { .n_epochs = 200, .train_loss = train, .test_loss = test,
                       .total_epochs = 200, .current_epoch = 200 };
  LabLossData loss_long = { .n_epochs = 5000, .train_loss = train, .test_loss = test,
                            .total_epochs = 5000, .current_epoch = 4000 };
  LabHiddenData hidden_small = { .time_step = 10, .hidden_size = 50, .hidden = hidden,
                                 .window = 40, .epoch = 200 };
  LabHiddenData hidden_large = { .time_step = 100, .hidden_size = 256, .hidden = hidden,
                                 .window = 40, .epoch = 200, .auto_range = TRUE };
  static float gates[4][100 * 256], norms[3][100], vectors[8][4 * 256], inputs[100];
  LabGate gate_list[4] = {
    { "input gate i<sub>t</sub>", gates[0] }, { "forget gate f<sub>t</sub>", gates[1] },
    { "output gate o<sub>t</sub>", gates[2] }, { "cell input g<sub>t</sub>", gates[3] },
  };
  LabGatesData gates_lstm = { LAB_PLOT_CELL_LSTM, 100, 256, 4, gate_list, 40, 200 };
  LabGradientSeries grad_models[3] = {
    { "RNN", 0, 100, norms[0] }, { "LSTM", 1, 100, norms[1] }, { "GRU", 2, 100, norms[2] },
  };
  LabGradientData gradient = { 3, grad_models, 200 };
  LabUnrolledData unrolled = { 100, 256, inputs, hidden, 0.1, 0.12, TRUE, 40, LAB_PASS_FORWARD, 60, NULL };
  LabStepData step = { LAB_PLOT_CELL_LSTM, 5, 1, 256, vectors[0], vectors[1], vectors[2], vectors[3],
                       vectors[4], vectors[5], vectors[6], vectors[7], vectors[1], vectors[2],
                       vectors[3] };
  static float train3[3][5000], test3[3][5000];
  LabLossSeries loss_models[3];
  LabLossData loss_compare = { .total_epochs = 5000, .current_epoch = 4000, .n_models = 3,
                               .models = loss_models };
  LabPlotStyle style;

  for (int m = 0; m < 3; m++)
    {
      for (int i = 0; i < 5000; i++)
        {
          train3[m][i] = 0.5f * expf (-i / (18.0f + 10 * m)) + 2e-5f;
          test3[m][i] = 1.2f * train3[m][i];
        }
      loss_models[m] = (LabLossSeries) { "model", m, 5000, train3[m], test3[m] };
      for (int t = 0; t < 100; t++)
        norms[m][t] = powf (0.9f + 0.04f * m, 99 - t);
    }
  for (int g = 0; g < 4; g++)
    for (int i = 0; i < 100 * 256; i++)
      gates[g][i] = 0.5f + 0.5f * sinf (i * 0.11f + g);
  for (int k = 0; k < 8; k++)
    for (int i = 0; i < 4 * 256; i++)
      vectors[k][i] = sinf (i * 0.3f + k);
  for (int t = 0; t < 100; t++)
    inputs[t] = sinf (t * 0.06f);

  for (int i = 0; i < 4000; i++)
    {
      series[i] = sinf (2 * G_PI * i / 100);
      predictions[i] = 0.97f * sinf (2 * G_PI * (i + 10) / 100);
    }
  for (int i = 0; i < 5000; i++)
    {
      train[i] = 0.5f * expf (-i / 18.0f) + 2e-5f;
      test[i] = 0.6f * expf (-i / 22.0f) + 1e-4f;
    }
  for (int i = 0; i < 100 * 256; i++)
    hidden[i] = tanhf (sinf (i * 0.37f) * 2);

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  printf ("%-30s %12s %12s %12s\n", "plot (ms per draw)", "1280x800", "1920x1080", "3840x2160");
  {
    const struct { const char *name; DrawFunc draw; const void *data; } plots[] = {
      { "forecast (tutorial)", draw_forecast, &forecast },
      { "forecast (4000 points)", draw_forecast, &forecast_large },
      { "loss (200 epochs)", draw_loss, &loss },
      { "loss (5000 epochs)", draw_loss, &loss_long },
      { "hidden (T 10, H 50)", draw_hidden, &hidden_small },
      { "hidden (T 100, H 256)", draw_hidden, &hidden_large },
      { "loss (3 models, 5000 epochs)", draw_loss, &loss_compare },
      { "gates (LSTM, T 100, H 256)", draw_gates, &gates_lstm },
      { "gradient (3 models, T 100)", draw_gradient, &gradient },
      { "unrolled (T 100, H 256)", draw_unrolled, &unrolled },
      { "one step (LSTM, H 256)", draw_step, &step },
    };

    for (gsize p = 0; p < G_N_ELEMENTS (plots); p++)
      {
        printf ("%-30s", plots[p].name);
        for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
          printf (" %12.3f", time_draw (plots[p].draw, plots[p].data, sizes[s][0], sizes[s][1],
                                        &style, s == 2 ? MAX (reps / 10, 1) : reps));
        printf ("\n");
      }
  }
  return 0;
}
