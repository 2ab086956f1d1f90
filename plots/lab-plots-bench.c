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
  LabForecastData forecast = { 100, series, 10, 89, 62, predictions, 40, NULL };
  LabForecastData forecast_large = { 4000, series, 64, 3935, 2754, predictions, 1000, NULL };
  LabLossData loss = { 200, train, test, 200, 200 };
  LabLossData loss_long = { 5000, train, test, 5000, 4000 };
  LabHiddenData hidden_small = { 10, 50, hidden, 40, 200 };
  LabHiddenData hidden_large = { 100, 256, hidden, 40, 200 };
  LabPlotStyle style;

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
