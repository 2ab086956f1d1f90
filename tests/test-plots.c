/* test-plots.c: the Cairo plot renderers, with no display: scales and
 * ticks, hit tests, colours, and real pixels of real renders. */
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <cairo-svg.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "plots/lab-plot-private.h"
#include "plots/lab-dashboard.h"
#include "plots/lab-plots.h"

#define TUTORIAL_POINTS  100
#define TUTORIAL_T       10
#define TUTORIAL_WINDOWS 89
#define TUTORIAL_TRAIN   62

typedef struct
{
  float           series[TUTORIAL_POINTS];
  float           predictions[TUTORIAL_WINDOWS];
  LabForecastData data;
} Forecast;

static void
forecast_init (Forecast *f)
{
  for (int i = 0; i < TUTORIAL_POINTS; i++)
    f->series[i] = sinf (2 * G_PI * i / TUTORIAL_POINTS);
  /* A model that learnt a little: the target plus a small, visible error. */
  for (int k = 0; k < TUTORIAL_WINDOWS; k++)
    f->predictions[k] = f->series[k + TUTORIAL_T] * 0.97f + 0.02f;
  f->data = (LabForecastData) {
    .n_points = TUTORIAL_POINTS,
    .series = f->series,
    .time_step = TUTORIAL_T,
    .n_windows = TUTORIAL_WINDOWS,
    .n_train = TUTORIAL_TRAIN,
    .predictions = f->predictions,
    .selected = 40,
    .title = NULL,
  };
}

static LabRgb
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data;
  guint32 p;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  p = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
  return (LabRgb) {
    ((p >> 16) & 0xff) / 255.0, ((p >> 8) & 0xff) / 255.0, (p & 0xff) / 255.0,
  };
}

static gboolean
rgb_close (LabRgb a,
           LabRgb b,
           double tolerance)
{
  return fabs (a.r - b.r) <= tolerance && fabs (a.g - b.g) <= tolerance
         && fabs (a.b - b.b) <= tolerance;
}

static double
rgb_distance (LabRgb a,
              LabRgb b)
{
  return sqrt ((a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) + (a.b - b.b) * (a.b - b.b));
}

/* Whether a pixel within two of (x, y) shows the colour, rather than any of
 * the others (lines are antialiased: their pixels are blends). */
static gboolean
color_near (cairo_surface_t *surface,
            int              x,
            int              y,
            LabRgb           color,
            const LabRgb    *others,
            int              n_others)
{
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++)
      {
        LabRgb p = pixel_at (surface, x + dx, y + dy);
        double d = rgb_distance (p, color);
        gboolean closest = d < 0.4;

        for (int i = 0; i < n_others; i++)
          closest = closest && d < rgb_distance (p, others[i]);
        if (closest)
          return TRUE;
      }
  return FALSE;
}

static double
luminance (LabRgb c)
{
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/* Fraction of pixels that differ from the background. */
static double
ink_fraction (cairo_surface_t    *surface,
              const LabPlotStyle *style)
{
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int ink = 0;

  for (int y = 0; y < h; y += 2)
    for (int x = 0; x < w; x += 2)
      if (!rgb_close (pixel_at (surface, x, y), style->background, 2.0 / 255))
        ink++;
  return (double) ink / (((w + 1) / 2) * ((h + 1) / 2));
}

typedef enum { PLOT_FORECAST, PLOT_LOSS, PLOT_HIDDEN } PlotKind;

static void
draw_plot (cairo_t            *cr,
           PlotKind            kind,
           int                 width,
           int                 height,
           const void         *data,
           const LabPlotStyle *style)
{
  switch (kind)
    {
    case PLOT_FORECAST:
      lab_forecast_plot_draw (cr, width, height, data, style);
      break;
    case PLOT_LOSS:
      lab_loss_plot_draw (cr, width, height, data, style);
      break;
    case PLOT_HIDDEN:
      lab_hidden_plot_draw (cr, width, height, data, style);
      break;
    }
}

/* Renders into a new image surface; checks Cairo is happy. */
static cairo_surface_t *
render (PlotKind            kind,
        int                 width,
        int                 height,
        const void         *data,
        const LabPlotStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  draw_plot (cr, kind, width, height, data, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

/* Sample renders go to the build directory, to be looked at. */
static void
save_sample (cairo_surface_t *surface,
             const char      *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
}

typedef struct
{
  float       train[200];
  float       test[200];
  LabLossData data;
} Loss;

static void
loss_init (Loss *l,
           int   n_epochs)
{
  for (int i = 0; i < n_epochs; i++)
    {
      l->train[i] = 0.5f * expf (-i / 18.0f) + 2e-5f;
      l->test[i] = 0.6f * expf (-i / 22.0f) + 1e-4f;
    }
  l->data = (LabLossData) {
    .n_epochs = n_epochs,
    .train_loss = l->train,
    .test_loss = l->test,
    .total_epochs = 200,
    .current_epoch = n_epochs,
  };
}

typedef struct
{
  float         hidden[100 * 256];
  LabHiddenData data;
} Hidden;

/* Unit 0 is +1 at every step, unit 1 is -1, unit 2 is 0, the rest a pattern. */
static void
hidden_init (Hidden *h,
             int     T,
             int     H)
{
  for (int t = 0; t < T; t++)
    for (int j = 0; j < H; j++)
      {
        float v = tanhf (2.0f * sinf (0.7f * j + 0.45f * t));

        if (j == 0)
          v = 1;
        else if (j == 1)
          v = -1;
        else if (j == 2)
          v = 0;
        h->hidden[t * H + j] = v;
      }
  h->data = (LabHiddenData) {
    .time_step = T, .hidden_size = H, .hidden = h->hidden, .window = 40, .epoch = 120,
  };
}

/* Scales */

static void
test_scale_round_trip (void)
{
  LabScale lin = { .d0 = -1.2, .d1 = 1.2, .p0 = 400, .p1 = 20 };
  LabScale log = { .d0 = 1e-5, .d1 = 1, .p0 = 500, .p1 = 30, .log = TRUE };
  double values[] = { -1.2, -0.5, 0, 0.33, 1.2, 7 };

  g_assert_cmpfloat_with_epsilon (lab_scale_map (&lin, -1.2), 400, 1e-9);
  g_assert_cmpfloat_with_epsilon (lab_scale_map (&lin, 1.2), 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (lab_scale_map (&lin, 0), 210, 1e-9);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat_with_epsilon (lab_scale_invert (&lin, lab_scale_map (&lin, values[i])),
                                    values[i], 1e-9);

  g_assert_cmpfloat_with_epsilon (lab_scale_map (&log, 1e-5), 500, 1e-9);
  g_assert_cmpfloat_with_epsilon (lab_scale_map (&log, 1), 30, 1e-9);
  /* Each decade takes the same room. */
  g_assert_cmpfloat_with_epsilon (lab_scale_map (&log, 1e-3) - lab_scale_map (&log, 1e-2),
                                  lab_scale_map (&log, 1e-2) - lab_scale_map (&log, 1e-1), 1e-9);
  for (double v = 1e-5; v <= 1; v *= 3.7)
    g_assert_cmpfloat_with_epsilon (lab_scale_invert (&log, lab_scale_map (&log, v)) / v,
                                    1.0, 1e-9);
  /* Nothing <= 0 has a place on a log scale. */
  g_assert_true (isnan (lab_scale_map (&log, 0)));
  g_assert_true (isnan (lab_scale_map (&log, -1)));
}

static gboolean
is_nice_step (double step)
{
  double m = step / pow (10.0, floor (log10 (step) + 1e-9));

  return fabs (m - 1) < 1e-9 || fabs (m - 2) < 1e-9 || fabs (m - 5) < 1e-9;
}

static void
test_scale_linear_ticks (void)
{
  const struct { double lo, hi; int max; } cases[] = {
    { 0, 99, 6 }, { -1.08, 1.08, 5 }, { 0, 1, 11 }, { -3.7, 12.2, 8 },
    { 0.001, 0.0043, 4 }, { 0, 200, 11 }, { 17, 18, 3 },
  };
  double ticks[16];
  int n;

  n = lab_scale_ticks (0, 99, FALSE, ticks, 6);
  g_assert_cmpint (n, ==, 5);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (ticks[i], 20.0 * i, 1e-9);

  n = lab_scale_ticks (-1.08, 1.08, FALSE, ticks, 5);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpfloat_with_epsilon (ticks[0], -1, 1e-12);
  g_assert_cmpfloat (ticks[1], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (ticks[2], 1, 1e-12);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      n = lab_scale_ticks (cases[c].lo, cases[c].hi, FALSE, ticks, cases[c].max);
      g_assert_cmpint (n, >=, 2);
      g_assert_cmpint (n, <=, cases[c].max);
      for (int i = 0; i < n; i++)
        {
          g_assert_cmpfloat (ticks[i], >=, cases[c].lo - 1e-9);
          g_assert_cmpfloat (ticks[i], <=, cases[c].hi + 1e-9);
        }
      for (int i = 1; i < n; i++)
        {
          g_assert_true (is_nice_step (ticks[i] - ticks[i - 1]));
          g_assert_cmpfloat_with_epsilon (ticks[i] - ticks[i - 1], ticks[1] - ticks[0], 1e-9);
        }
    }

  /* Reversed bounds are the same interval; bad input gives nothing. */
  g_assert_cmpint (lab_scale_ticks (1.08, -1.08, FALSE, ticks, 5), ==, 3);
  g_assert_cmpint (lab_scale_ticks (NAN, 1, FALSE, ticks, 5), ==, 0);
  g_assert_cmpint (lab_scale_ticks (0, INFINITY, FALSE, ticks, 5), ==, 0);
  g_assert_cmpint (lab_scale_ticks (0, 1, FALSE, ticks, 0), ==, 0);
}

static void
test_scale_log_ticks (void)
{
  double ticks[16];
  int n;

  n = lab_scale_ticks (1e-4, 1, TRUE, ticks, 10);
  g_assert_cmpint (n, ==, 5);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (log10 (ticks[i]), i - 4.0, 1e-9);

  n = lab_scale_ticks (0.003, 0.5, TRUE, ticks, 10);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpfloat_with_epsilon (ticks[0], 1e-2, 1e-15);
  g_assert_cmpfloat_with_epsilon (ticks[1], 1e-1, 1e-15);

  /* Thirteen decades in at most five ticks: every fifth power. */
  n = lab_scale_ticks (1e-12, 1, TRUE, ticks, 5);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpfloat_with_epsilon (log10 (ticks[0]), -10, 1e-9);
  g_assert_cmpfloat_with_epsilon (log10 (ticks[1]), -5, 1e-9);
  g_assert_cmpfloat_with_epsilon (log10 (ticks[2]), 0, 1e-9);

  g_assert_cmpint (lab_scale_ticks (0, 1, TRUE, ticks, 5), ==, 0);
  g_assert_cmpint (lab_scale_ticks (-1, 1, TRUE, ticks, 5), ==, 0);
}

static void
test_format (void)
{
  char buf[64];

  lab_plot_format_tick (buf, sizeof buf, -1, 0.5, FALSE);
  g_assert_cmpstr (buf, ==, "−1.0");
  lab_plot_format_tick (buf, sizeof buf, 40, 20, FALSE);
  g_assert_cmpstr (buf, ==, "40");
  lab_plot_format_tick (buf, sizeof buf, 1e-3, 10, TRUE);
  g_assert_cmpstr (buf, ==, "10⁻³");
  lab_plot_format_tick (buf, sizeof buf, 1, 10, TRUE);
  g_assert_cmpstr (buf, ==, "1");
  lab_plot_format_tick (buf, sizeof buf, 1e12, 10, TRUE);
  g_assert_cmpstr (buf, ==, "10¹²");
  /* Large tick values in the same notation as every other number. */
  lab_plot_format_tick (buf, sizeof buf, 100000, 20000, FALSE);
  g_assert_cmpstr (buf, ==, "10⁵");
  lab_plot_format_tick (buf, sizeof buf, 120000, 20000, FALSE);
  g_assert_cmpstr (buf, ==, "1.2×10⁵");
  lab_plot_format_tick (buf, sizeof buf, 80000, 20000, FALSE);
  g_assert_cmpstr (buf, ==, "80000");
  lab_plot_format_tick (buf, sizeof buf, 0, 0.5, FALSE);
  g_assert_cmpstr (buf, ==, "0.0");
}

/* The one number format: 3 significant figures for losses, plain from 0.01
 * to 99999, a power of ten otherwise. */
static void
test_format_number (void)
{
  const struct { double v; int digits; const char *text; } cases[] = {
    { 0.0518, 3, "0.0518" },
    { 3.14159e-4, 3, "3.14×10⁻⁴" },
    { 3.14e-4, 2, "3.1×10⁻⁴" },
    { 9.96e-4, 2, "10⁻³" },
    { 1e-4, 3, "10⁻⁴" },
    { -2.5e-7, 3, "−2.5×10⁻⁷" },
    { 0.0078, 3, "7.8×10⁻³" },
    { 0.01, 3, "0.01" },
    { 0.05, 3, "0.05" },
    { 0.5, 3, "0.5" },
    { 12.345, 3, "12.3" },
    { 2500, 3, "2500" },
    { 99999, 3, "99999" },
    { 123456, 3, "1.23×10⁵" },
    { -1, 3, "−1" },
    { 0, 3, "0" },
    { -0.0, 3, "0" },
    { 4.64e-10, 3, "4.64×10⁻¹⁰" },
    { 5.88e-6, 3, "5.88×10⁻⁶" },
    { 5.762e-6, 3, "5.76×10⁻⁶" },
    { NAN, 3, "NaN" },
    { INFINITY, 3, "∞" },
    { -INFINITY, 3, "−∞" },
  };
  char buf[64];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      lab_format_number (buf, sizeof buf, cases[i].v, cases[i].digits);
      g_assert_cmpstr (buf, ==, cases[i].text);
    }
  /* lab_format_loss is the same rule at three digits. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cases[i].digits == 3)
      {
        g_autofree char *loss = lab_format_loss (cases[i].v);

        g_assert_cmpstr (loss, ==, cases[i].text);
      }
  /* A small buffer truncates, never overflows. */
  lab_format_number (buf, 4, 3.14159e-4, 3);
  g_assert_cmpint (strlen (buf), <=, 3);
}

static void
test_index_ticks (void)
{
  double ticks[64];
  int n;

  /* Room for every label. */
  n = lab_plot_index_ticks (10, 50, 30, ticks, 64);
  g_assert_cmpint (n, ==, 10);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat (ticks[i], ==, i + 1);

  /* 256 units in 512 px with labels 20 px apart: 10, 20, ... 250, regular. */
  n = lab_plot_index_ticks (256, 2, 20, ticks, 64);
  g_assert_cmpfloat (ticks[0], ==, 10);
  g_assert_cmpfloat (ticks[n - 1], ==, 250);
  g_assert_cmpint (n, ==, 25);
  for (int i = 1; i < n; i++)
    g_assert_cmpfloat (ticks[i] - ticks[i - 1], ==, 10);

  /* Ten steps with room for every other label: 2, 4, ... 10 (not "1 2 4 6 8 10"). */
  n = lab_plot_index_ticks (10, 20, 30, ticks, 64);
  g_assert_cmpint (n, ==, 5);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat (ticks[i], ==, 2 * (i + 1));

  n = lab_plot_index_ticks (1, 300, 30, ticks, 64);
  g_assert_cmpint (n, ==, 1);
  /* Too little room for even the step: the first item alone. */
  n = lab_plot_index_ticks (3, 2, 30, ticks, 64);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpfloat (ticks[0], ==, 1);
  g_assert_cmpint (lab_plot_index_ticks (0, 300, 30, ticks, 64), ==, 0);
}

/* Hit tests */

static void
test_forecast_window_at (void)
{
  LabPlotStyle style;
  Forecast f;
  LabScale xs, ys;
  const int ks[] = { 0, 1, 30, 61, 62, 88 };
  const int sizes[][2] = { { 1280, 800 }, { 320, 200 }, { 3840, 2160 } };

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int w = sizes[s][0], h = sizes[s][1];
      double ymid;

      lab_forecast_plot_get_scales (w, h, &f.data, &style, &xs, &ys);
      ymid = lab_scale_map (&ys, 0);
      for (guint i = 0; i < G_N_ELEMENTS (ks); i++)
        {
          double x = lab_scale_map (&xs, ks[i] + TUTORIAL_T);

          g_assert_cmpint (lab_forecast_plot_window_at (w, h, &f.data, &style, x, ymid), ==, ks[i]);
          /* Nearest, not floor: just short of the next target still counts. */
          x = lab_scale_map (&xs, ks[i] + TUTORIAL_T + 0.45);
          g_assert_cmpint (lab_forecast_plot_window_at (w, h, &f.data, &style, x, ymid), ==, ks[i]);
        }

      /* Left of the first target (over the first inputs): window 0; past the
       * last one: the last window. */
      g_assert_cmpint (lab_forecast_plot_window_at (w, h, &f.data, &style,
                                                    lab_scale_map (&xs, 2), ymid), ==, 0);
      g_assert_cmpint (lab_forecast_plot_window_at (w, h, &f.data, &style,
                                                    lab_scale_map (&xs, 99.2), ymid), ==, 88);
      /* Outside the plot: nothing. */
      g_assert_cmpint (lab_forecast_plot_window_at (w, h, &f.data, &style, 1, ymid), ==, -1);
      g_assert_cmpint (lab_forecast_plot_window_at (w, h, &f.data, &style,
                                                    lab_scale_map (&xs, 50), h - 1), ==, -1);
    }

  f.data.n_windows = 0;
  g_assert_cmpint (lab_forecast_plot_window_at (1280, 800, &f.data, &style, 600, 400), ==, -1);
  g_assert_cmpint (lab_forecast_plot_window_at (1280, 800, NULL, &style, 600, 400), ==, -1);
}

static void
test_hidden_cell_at (void)
{
  LabPlotStyle style;
  static Hidden h;
  const int shapes[][2] = { { 10, 50 }, { 1, 1 }, { 100, 256 }, { 3, 7 } };
  int unit, step;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      int T = shapes[s][0], H = shapes[s][1];
      double gx, gy, cw, ch, right, bottom;

      hidden_init (&h, T, H);
      g_assert_true (lab_hidden_plot_get_grid (640, 400, &h.data, &style, &gx, &gy, &cw, &ch));
      g_assert_cmpfloat (cw, >, 0);
      g_assert_cmpfloat (ch, >, 0);
      right = gx + T * cw;
      bottom = gy + H * ch;
      g_assert_cmpfloat (right, <=, 640);
      g_assert_cmpfloat (bottom, <=, 400);

      /* Top left corner: unit 0 (the first row), step 1. */
      g_assert_true (lab_hidden_plot_cell_at (640, 400, &h.data, &style, gx, gy, &unit, &step));
      g_assert_cmpint (unit, ==, 0);
      g_assert_cmpint (step, ==, 1);
      /* Bottom right corner: the last unit, step T. */
      g_assert_true (lab_hidden_plot_cell_at (640, 400, &h.data, &style,
                                              right - 0.01, bottom - 0.01, &unit, &step));
      g_assert_cmpint (unit, ==, H - 1);
      g_assert_cmpint (step, ==, T);
      /* The middle of cell (unit H/2, step T/2 + 1). */
      g_assert_true (lab_hidden_plot_cell_at (640, 400, &h.data, &style,
                                              gx + (T / 2 + 0.5) * cw, gy + (H / 2 + 0.5) * ch,
                                              &unit, &step));
      g_assert_cmpint (unit, ==, H / 2);
      g_assert_cmpint (step, ==, T / 2 + 1);
      /* Just outside each edge. */
      g_assert_false (lab_hidden_plot_cell_at (640, 400, &h.data, &style, gx - 0.5, gy + 1, &unit, &step));
      g_assert_false (lab_hidden_plot_cell_at (640, 400, &h.data, &style, gx + 1, gy - 0.5, &unit, &step));
      g_assert_false (lab_hidden_plot_cell_at (640, 400, &h.data, &style, right, gy + 1, &unit, &step));
      g_assert_false (lab_hidden_plot_cell_at (640, 400, &h.data, &style, gx + 1, bottom, &unit, &step));
    }

  g_assert_false (lab_hidden_plot_cell_at (640, 400, NULL, &style, 300, 200, &unit, &step));
  h.data.hidden = NULL;
  g_assert_false (lab_hidden_plot_cell_at (640, 400, &h.data, &style, 300, 200, &unit, &step));
  g_assert_false (lab_hidden_plot_get_grid (640, 400, &h.data, &style, NULL, NULL, NULL, NULL));
}

static void
test_hidden_color (void)
{
  for (int p = 0; p < LAB_N_PALETTES; p++)
    for (int dark = 0; dark <= 1; dark++)
      {
        LabPlotStyle s;
        LabRgb half;

        lab_plot_style_init (&s, p, dark);
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, 0), s.neutral, 1e-12));
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, 1), s.warm, 1e-12));
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, -1), s.cold, 1e-12));
        /* Clamped to tanh's range; NaN shows as neutral, never as a colour. */
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, 7.5), s.warm, 1e-12));
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, -1e30), s.cold, 1e-12));
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, INFINITY), s.warm, 1e-12));
        g_assert_true (rgb_close (lab_hidden_plot_color (&s, NAN), s.neutral, 1e-12));
        half = lab_hidden_plot_color (&s, 0.5);
        g_assert_cmpfloat_with_epsilon (half.r, (s.neutral.r + s.warm.r) / 2, 1e-12);
        g_assert_cmpfloat_with_epsilon (half.b, (s.neutral.b + s.warm.b) / 2, 1e-12);
        /* Warm and cold are told apart. */
        g_assert_false (rgb_close (s.warm, s.cold, 0.2));
      }
}

static void
test_styles (void)
{
  for (int p = 0; p < LAB_N_PALETTES; p++)
    {
      LabPlotStyle light, dark;

      lab_plot_style_init (&light, p, FALSE);
      lab_plot_style_init (&dark, p, TRUE);
      g_assert_cmpfloat (luminance (light.background), >, 0.9);
      g_assert_cmpfloat (luminance (dark.background), <, 0.15);
      /* Text stands out from the page in both. */
      g_assert_cmpfloat (fabs (luminance (light.foreground) - luminance (light.background)), >, 0.7);
      g_assert_cmpfloat (fabs (luminance (dark.foreground) - luminance (dark.background)), >, 0.7);
      g_assert_cmpfloat (light.font_scale, ==, 1.0);
      g_assert_cmpfloat (dark.line_scale, ==, 1.0);
    }
}

/* Renders */

static void
test_render_forecast (void)
{
  Forecast f;

  forecast_init (&f);
  for (int p = 0; p < LAB_N_PALETTES; p++)
    for (int dark = 0; dark <= 1; dark++)
      {
        LabPlotStyle style;
        cairo_surface_t *surface;
        LabScale xs, ys;
        int px, py;

        lab_plot_style_init (&style, p, dark);
        surface = render (PLOT_FORECAST, 800, 500, &f.data, &style);
        lab_forecast_plot_get_scales (800, 500, &f.data, &style, &xs, &ys);

        g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.02);
        g_assert_true (rgb_close (pixel_at (surface, 0, 0), style.background, 1.0 / 255));
        g_assert_true (rgb_close (pixel_at (surface, 799, 499), style.background, 1.0 / 255));
        if (dark)
          g_assert_cmpfloat (luminance (pixel_at (surface, 2, 250)), <, 0.15);

        /* Inside the test region, clear of the curves: the shade. */
        px = (int) lab_scale_map (&xs, 90);
        py = (int) lab_scale_map (&ys, 0.3);
        g_assert_true (rgb_close (pixel_at (surface, px, py), style.test_shade, 2.0 / 255));
        /* On a train prediction near the crest (flat: the line covers the
         * pixel): the train colour; in the trough, the test colour. */
        px = (int) lab_scale_map (&xs, 25);
        py = (int) lab_scale_map (&ys, f.predictions[25 - TUTORIAL_T]);
        {
          LabRgb others[] = { style.series, style.test, style.background, style.test_shade };

          g_assert_true (color_near (surface, px, py, style.train, others, G_N_ELEMENTS (others)));
        }
        px = (int) lab_scale_map (&xs, 75);
        py = (int) lab_scale_map (&ys, f.predictions[75 - TUTORIAL_T]);
        {
          LabRgb others[] = { style.series, style.train, style.background, style.test_shade };

          g_assert_true (color_near (surface, px, py, style.test, others, G_N_ELEMENTS (others)));
        }

        if (p == LAB_PALETTE_DEFAULT)
          save_sample (surface, dark ? "plots-forecast-dark.png" : "plots-forecast.png");
        if (p == LAB_PALETTE_OKABE_ITO && !dark)
          save_sample (surface, "plots-forecast-okabe-ito.png");
        if (p == LAB_PALETTE_HIGH_CONTRAST && dark)
          save_sample (surface, "plots-forecast-high-contrast-dark.png");
        cairo_surface_destroy (surface);
      }
}

static void
test_render_forecast_untrained (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface;
  Forecast f;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);
  f.data.predictions = NULL;
  f.data.selected = -1;
  f.data.title = "Epoch 0";
  surface = render (PLOT_FORECAST, 640, 400, &f.data, &style);
  g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.01);
  save_sample (surface, "plots-forecast-untrained.png");
  cairo_surface_destroy (surface);

  /* Nothing at all: axes only, no crash. */
  surface = render (PLOT_FORECAST, 640, 400, NULL, &style);
  g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.001);
  cairo_surface_destroy (surface);
}

static void
test_render_forecast_bad_values (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface;
  LabScale ys;
  Forecast f;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);
  f.series[5] = NAN;
  f.series[6] = INFINITY;
  f.predictions[3] = NAN;
  f.predictions[10] = 1e30f;
  f.predictions[11] = -INFINITY;
  f.predictions[70] = -1e9f;
  f.data.selected = 88;
  surface = render (PLOT_FORECAST, 800, 500, &f.data, &style);
  g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.02);
  save_sample (surface, "plots-forecast-bad-values.png");
  cairo_surface_destroy (surface);

  /* Absurd predictions stretch the y axis by at most one span each way. */
  lab_forecast_plot_get_scales (800, 500, &f.data, &style, NULL, &ys);
  g_assert_cmpfloat (ys.d1, <=, 3.5);
  g_assert_cmpfloat (ys.d0, >=, -3.5);
  g_assert_cmpfloat (ys.d1, >, 1.0);
  g_assert_cmpfloat (ys.d0, <, -1.0);

  /* A window beyond the data, a negative time step: ignored. */
  f.data.selected = 500;
  f.data.time_step = -3;
  surface = render (PLOT_FORECAST, 300, 200, &f.data, &style);
  cairo_surface_destroy (surface);
}

static void
test_render_loss (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface;
  static Loss l;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  loss_init (&l, 120);
  surface = render (PLOT_LOSS, 800, 500, &l.data, &style);
  g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.02);
  g_assert_true (rgb_close (pixel_at (surface, 0, 0), style.background, 1.0 / 255));
  save_sample (surface, "plots-loss.png");
  cairo_surface_destroy (surface);

  lab_plot_style_init (&style, LAB_PALETTE_OKABE_ITO, TRUE);
  surface = render (PLOT_LOSS, 800, 500, &l.data, &style);
  g_assert_cmpfloat (luminance (pixel_at (surface, 0, 0)), <, 0.15);
  g_assert_cmpfloat (luminance (pixel_at (surface, 799, 499)), <, 0.15);
  save_sample (surface, "plots-loss-dark.png");
  cairo_surface_destroy (surface);
}

static void
test_render_loss_edge_cases (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface, *empty;
  static Loss l;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);

  /* No epoch yet: axes and the hint. */
  loss_init (&l, 0);
  empty = render (PLOT_LOSS, 640, 400, &l.data, &style);
  g_assert_cmpfloat (ink_fraction (empty, &style), >, 0.005);
  save_sample (empty, "plots-loss-empty.png");

  /* One epoch: a dot on each curve, more ink than the empty plot. */
  loss_init (&l, 1);
  surface = render (PLOT_LOSS, 640, 400, &l.data, &style);
  g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.005);
  save_sample (surface, "plots-loss-one-epoch.png");
  cairo_surface_destroy (surface);

  /* Zeros, NaN, infinities and negatives are skipped, not drawn as garbage. */
  loss_init (&l, 150);
  l.train[10] = 0;
  l.train[11] = NAN;
  l.test[12] = INFINITY;
  l.test[13] = -1;
  l.train[149] = NAN;
  l.data.current_epoch = 150;
  surface = render (PLOT_LOSS, 640, 400, &l.data, &style);
  g_assert_cmpfloat (ink_fraction (surface, &style), >, ink_fraction (empty, &style));
  save_sample (surface, "plots-loss-bad-values.png");
  cairo_surface_destroy (surface);

  /* All garbage: like the empty plot. */
  for (int i = 0; i < 150; i++)
    l.train[i] = l.test[i] = NAN;
  surface = render (PLOT_LOSS, 640, 400, &l.data, &style);
  cairo_surface_destroy (surface);

  /* No test loss, a current epoch past the end, total smaller than n. */
  loss_init (&l, 50);
  l.data.test_loss = NULL;
  l.data.current_epoch = 900;
  l.data.total_epochs = 10;
  surface = render (PLOT_LOSS, 300, 200, &l.data, &style);
  cairo_surface_destroy (surface);

  surface = render (PLOT_LOSS, 300, 200, NULL, &style);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (empty);
}

static void
test_render_hidden (void)
{
  static Hidden h;

  hidden_init (&h, 10, 50);
  for (int p = 0; p < LAB_N_PALETTES; p++)
    for (int dark = 0; dark <= 1; dark++)
      {
        LabPlotStyle style;
        cairo_surface_t *surface;
        double gx, gy, cw, ch;

        lab_plot_style_init (&style, p, dark);
        surface = render (PLOT_HIDDEN, 800, 500, &h.data, &style);
        g_assert_true (lab_hidden_plot_get_grid (800, 500, &h.data, &style, &gx, &gy, &cw, &ch));
        g_assert_true (rgb_close (pixel_at (surface, 0, 0), style.background, 1.0 / 255));
        if (dark)
          g_assert_cmpfloat (luminance (pixel_at (surface, 0, 0)), <, 0.15);

        /* Unit 0 holds +1: warm; unit 1 holds -1: cold; unit 2 holds 0: neutral. */
        for (int t = 0; t < 10; t++)
          {
            int px = (int) (gx + (t + 0.5) * cw);

            g_assert_true (rgb_close (pixel_at (surface, px, (int) (gy + 0.5 * ch)),
                                      style.warm, 2.0 / 255));
            g_assert_true (rgb_close (pixel_at (surface, px, (int) (gy + 1.5 * ch)),
                                      style.cold, 2.0 / 255));
            g_assert_true (rgb_close (pixel_at (surface, px, (int) (gy + 2.5 * ch)),
                                      style.neutral, 2.0 / 255));
          }
        if (p == LAB_PALETTE_DEFAULT)
          save_sample (surface, dark ? "plots-hidden-dark.png" : "plots-hidden.png");
        cairo_surface_destroy (surface);
      }
}

static void
test_render_hidden_shapes (void)
{
  const int shapes[][2] = { { 1, 1 }, { 1, 256 }, { 100, 1 }, { 100, 256 }, { 32, 128 } };
  LabPlotStyle style;
  static Hidden h;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      int T = shapes[s][0], H = shapes[s][1];
      cairo_surface_t *surface;
      double gx, gy, cw, ch;
      g_autofree char *name = NULL;

      hidden_init (&h, T, H);
      surface = render (PLOT_HIDDEN, 640, 400, &h.data, &style);
      g_assert_true (lab_hidden_plot_get_grid (640, 400, &h.data, &style, &gx, &gy, &cw, &ch));
      /* The first row is +1 (warm) wherever it is big enough to hit. */
      if (ch >= 1 && cw >= 1)
        g_assert_true (rgb_close (pixel_at (surface, (int) (gx + cw / 2), (int) (gy + ch / 2)),
                                  H == 1 ? style.warm : style.warm, 2.0 / 255));
      name = g_strdup_printf ("plots-hidden-%dx%d.png", T, H);
      save_sample (surface, name);
      cairo_surface_destroy (surface);
    }

  /* NaN in the data, nothing at all. */
  hidden_init (&h, 10, 50);
  h.hidden[7] = NAN;
  h.hidden[8] = INFINITY;
  cairo_surface_destroy (render (PLOT_HIDDEN, 300, 200, &h.data, &style));
  cairo_surface_destroy (render (PLOT_HIDDEN, 300, 200, NULL, &style));
  h.data.hidden_size = 0;
  cairo_surface_destroy (render (PLOT_HIDDEN, 300, 200, &h.data, &style));
}

/* The sizes the app meets: a small pane, the window, a 4K export, presenter mode. */
static void
test_render_sizes (void)
{
  const int sizes[][2] = { { 300, 200 }, { 1280, 800 }, { 3840, 2160 }, { 1, 1 } };
  static Loss l;
  static Hidden h;
  Forecast f;

  forecast_init (&f);
  loss_init (&l, 120);
  hidden_init (&h, 10, 50);
  for (int presenter = 0; presenter <= 1; presenter++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        const void *data[] = { &f.data, &l.data, &h.data };
        const char *names[] = { "forecast", "loss", "hidden" };
        LabPlotStyle style;

        lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, presenter);
        if (presenter)
          {
            style.font_scale = 1.8;
            style.line_scale = 2.0;
          }
        for (int k = PLOT_FORECAST; k <= PLOT_HIDDEN; k++)
          {
            cairo_surface_t *surface = render (k, sizes[s][0], sizes[s][1], data[k], &style);

            if (sizes[s][0] > 1)
              g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.01);
            if (sizes[s][0] == 300 || (sizes[s][0] == 1280 && presenter))
              {
                g_autofree char *name = g_strdup_printf ("plots-%s-%dx%d%s.png", names[k],
                                                         sizes[s][0], sizes[s][1],
                                                         presenter ? "-presenter" : "");
                save_sample (surface, name);
              }
            cairo_surface_destroy (surface);
          }
      }
}

static void
test_render_vector (void)
{
  const char *exts[] = { "png", "svg", "pdf" };
  static Loss l;
  static Hidden h;
  LabPlotStyle style;
  Forecast f;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);
  loss_init (&l, 120);
  hidden_init (&h, 10, 50);

  for (int k = PLOT_FORECAST; k <= PLOT_HIDDEN; k++)
    for (guint e = 0; e < G_N_ELEMENTS (exts); e++)
      {
        const void *data[] = { &f.data, &l.data, &h.data };
        const char *names[] = { "forecast", "loss", "hidden" };
        g_autofree char *base = g_strdup_printf ("plots-export-%s.%s", names[k], exts[e]);
        g_autofree char *path = g_test_build_filename (G_TEST_BUILT, base, NULL);
        cairo_surface_t *surface;
        cairo_t *cr;
        GStatBuf st;

        if (e == 0)
          surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 600);
        else if (e == 1)
          surface = cairo_svg_surface_create (path, 1000, 600);
        else
          surface = cairo_pdf_surface_create (path, 1000, 600);
        cr = cairo_create (surface);
        draw_plot (cr, k, 1000, 600, data[k], &style);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        cairo_destroy (cr);
        if (e == 0)
          g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
        cairo_surface_finish (surface);
        g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
        cairo_surface_destroy (surface);

        g_assert_cmpint (g_stat (path, &st), ==, 0);
        g_assert_cmpint (st.st_size, >, 1000);
      }
}

#define RENDER_FUNC(name, Type, draw)                                          \
  static cairo_surface_t *                                                    \
  name (int w, int h, const Type *data, const LabPlotStyle *style)            \
  {                                                                           \
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h); \
    cairo_t *cr = cairo_create (surface);                                     \
                                                                              \
    draw (cr, w, h, data, style);                                             \
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);            \
    cairo_destroy (cr);                                                       \
    return surface;                                                           \
  }

RENDER_FUNC (render_gradient, LabGradientData, lab_gradient_plot_draw)
RENDER_FUNC (render_gates, LabGatesData, lab_gates_plot_draw)
RENDER_FUNC (render_unrolled, LabUnrolledData, lab_unrolled_plot_draw)
RENDER_FUNC (render_step, LabStepData, lab_step_plot_draw)

/* Legibility: tick labels at 1x are at least LAB_PLOT_MIN_FONT_PX, measured
 * on the pixels: the ink of the x tick labels' digits (about 0.73 em tall). */
static void
test_legibility_tick_height (void)
{
  const int sizes[][2] = { { 800, 450 }, { 360, 220 }, { 1280, 800 } };
  static Loss l;

  loss_init (&l, 120);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int w = sizes[s][0], h = sizes[s][1], first = -1, last = -1;
      LabPlotStyle style;
      LabPlotFrame frame;
      LabFrameSpec spec = { .has_xlabel = TRUE };
      cairo_surface_t *surface;
      LabScale xs, ys;

      lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
      lab_plot_frame_init (&frame, w, h, &style, &spec);
      g_assert_cmpfloat (frame.font_px, >=, LAB_PLOT_MIN_FONT_PX);
      g_assert_cmpfloat (frame.title_px, >, frame.font_px);

      surface = render (PLOT_LOSS, w, h, &l.data, &style);
      lab_loss_plot_get_scales (w, h, &l.data, &style, &xs, &ys);
      /* Rows below the tick marks with dark ink: the first run is the labels. */
      for (int y = (int) ys.p0 + (int) ceil (frame.tick_len) + 2; y < h; y++)
        {
          gboolean ink = FALSE;

          for (int x = (int) xs.p0; x < (int) xs.p1 && !ink; x++)
            ink = luminance (pixel_at (surface, x, y)) < 0.5;
          if (ink && first < 0)
            first = y;
          if (ink)
            last = y;
          else if (first >= 0)
            break;
        }
      g_assert_cmpint (first, >=, 0);
      g_assert_cmpint (last - first + 1, >=, (int) floor (LAB_PLOT_MIN_FONT_PX * 0.68));
      cairo_surface_destroy (surface);
    }
}

/* Small states: with the automatic range the cells are far from neutral,
 * with the fixed ±1 they are nearly white (the "almost white"). */
static void
test_hidden_auto_range (void)
{
  LabPlotStyle style;
  static Hidden h;
  double fixed = 0, automatic = 0;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  hidden_init (&h, 10, 50);
  for (int i = 0; i < 10 * 50; i++)
    h.hidden[i] = 0.13f * sinf (0.37f * i + 0.2f);
  g_assert_cmpfloat_with_epsilon (lab_hidden_plot_get_range (&h.data), 1.0, 1e-12);
  h.data.auto_range = TRUE;
  /* max |h| just under 0.13: rounded up to the nice 0.15. */
  g_assert_cmpfloat_with_epsilon (lab_hidden_plot_get_range (&h.data), 0.15, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_plot_nice_ceil (0.13), 0.15, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_plot_nice_ceil (2.6), 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_plot_nice_ceil (1), 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (lab_plot_nice_ceil (0), 1, 1e-12);

  for (int a = 0; a <= 1; a++)
    {
      cairo_surface_t *surface;
      double gx, gy, cw, ch, sum = 0;
      int n = 0;

      h.data.auto_range = a;
      surface = render (PLOT_HIDDEN, 800, 450, &h.data, &style);
      g_assert_true (lab_hidden_plot_get_grid (800, 450, &h.data, &style, &gx, &gy, &cw, &ch));
      for (int t = 0; t < 10; t++)
        for (int j = 0; j < 50; j++)
          {
            sum += rgb_distance (pixel_at (surface, (int) (gx + (t + 0.5) * cw),
                                           (int) (gy + (j + 0.5) * ch)), style.neutral);
            n++;
          }
      if (a)
        automatic = sum / n;
      else
        fixed = sum / n;
      save_sample (surface, a ? "plots-hidden-small-auto.png" : "plots-hidden-small-fixed.png");
      cairo_surface_destroy (surface);
    }
  g_assert_cmpfloat (fixed, <, 0.12);
  g_assert_cmpfloat (automatic, >, 0.35);
}

/* Nothing right of the cursor: past it, the area holds only page and grid. */
static void
test_loss_cursor (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface;
  static Loss l;
  LabScale xs, ys;
  int ink = 0;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  loss_init (&l, 120);
  l.data.current_epoch = 60;
  surface = render (PLOT_LOSS, 800, 450, &l.data, &style);
  save_sample (surface, "plots-loss-cursor.png");
  lab_loss_plot_get_scales (800, 450, &l.data, &style, &xs, &ys);
  /* The axis still spans the recorded 120 epochs. */
  g_assert_cmpfloat (xs.d1, >=, 120);
  for (int x = (int) lab_scale_map (&xs, 60) + 6; x < (int) xs.p1; x++)
    for (int y = (int) ys.p1 + 30; y < (int) ys.p0 - 1; y++)
      {
        LabRgb p = pixel_at (surface, x, y);

        if (!rgb_close (p, style.background, 3.0 / 255) && !rgb_close (p, style.grid, 3.0 / 255))
          ink++;
      }
  g_assert_cmpint (ink, ==, 0);
  /* Left of it the curves are there. */
  {
    LabRgb others[] = { style.background, style.grid, style.test };
    int px = (int) lab_scale_map (&xs, 30), py = (int) lab_scale_map (&ys, l.train[29]);

    g_assert_true (color_near (surface, px, py, style.train, others, G_N_ELEMENTS (others)));
  }
  cairo_surface_destroy (surface);
}

/* A loss of exactly 0 is drawn on the axis floor, marked; epoch 0 at x = 0. */
static void
test_loss_zero_and_epoch_0 (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface;
  static Loss l;
  LabScale xs, ys;
  LabRgb others[3];

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  others[0] = style.background;
  others[1] = style.grid;
  others[2] = style.test;
  loss_init (&l, 120);
  for (int i = 80; i < 120; i++)
    l.train[i] = 0;
  l.data.test_loss = NULL;
  surface = render (PLOT_LOSS, 800, 450, &l.data, &style);
  save_sample (surface, "plots-loss-zero.png");
  lab_loss_plot_get_scales (800, 450, &l.data, &style, &xs, &ys);
  /* The floor is at least a decade below the smallest positive loss. */
  g_assert_cmpfloat (ys.d0, <=, l.train[79] / 10);
  g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 100),
                             (int) lab_scale_map (&ys, ys.d0) - 1, style.train, others, 3));
  cairo_surface_destroy (surface);

  /* Value 0 is the initial weights' loss, at x = 0. */
  loss_init (&l, 120);
  l.data.from_epoch_0 = TRUE;
  l.data.current_epoch = 119;
  surface = render (PLOT_LOSS, 800, 450, &l.data, &style);
  lab_loss_plot_get_scales (800, 450, &l.data, &style, &xs, &ys);
  g_assert_cmpfloat (xs.d0, ==, 0);
  g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 0) + 2,
                             (int) lab_scale_map (&ys, l.train[0]), style.train, others, 3));
  g_assert_cmpint (lab_loss_plot_epoch_at (800, 450, &l.data, &style, lab_scale_map (&xs, 0), 200), ==, 0);
  g_assert_cmpint (lab_loss_plot_epoch_at (800, 450, &l.data, &style, lab_scale_map (&xs, 57.2), 200), ==, 57);
  g_assert_cmpint (lab_loss_plot_epoch_at (800, 450, &l.data, &style, 2, 200), ==, -1);
  cairo_surface_destroy (surface);
}

/* The x axis follows the recorded epochs, in nice steps, within the limit. */
static void
test_loss_extent (void)
{
  static float train[100000];
  const struct { int n, total; double lo, hi; } cases[] = {
    { 1, 200, 10, 10 }, { 10, 200, 10.5, 15 }, { 120, 200, 126, 150 },
    { 195, 200, 200, 200 }, { 5000, 100000, 5250, 6000 }, { 100000, 100000, 100000, 100000 },
    { 300, 0, 315, 400 },
  };
  LabPlotStyle style;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (int i = 0; i < 100000; i++)
    train[i] = 0.5f / (1 + i);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      LabLossData data = { .n_epochs = cases[c].n, .train_loss = train,
                           .total_epochs = cases[c].total, .current_epoch = cases[c].n };
      LabScale xs;

      lab_loss_plot_get_scales (800, 450, &data, &style, &xs, NULL);
      g_assert_cmpfloat (xs.d1, >=, cases[c].lo);
      g_assert_cmpfloat (xs.d1, <=, cases[c].hi);
    }

  /* 100000 epochs: the last x label stays whole inside the figure. */
  {
    LabLossData data = { .n_epochs = 100000, .train_loss = train,
                         .total_epochs = 100000, .current_epoch = 100000 };
    cairo_surface_t *surface = render (PLOT_LOSS, 800, 450, &data, &style);
    LabScale xs, ys;

    lab_loss_plot_get_scales (800, 450, &data, &style, &xs, &ys);
    for (int y = (int) ys.p0 + 2; y < 450; y++)
      for (int x = 797; x < 800; x++)
        g_assert_true (rgb_close (pixel_at (surface, x, y), style.background, 3.0 / 255));
    save_sample (surface, "plots-loss-100000.png");
    cairo_surface_destroy (surface);
  }
}

/* At the window's minimum size the legend is outside the data: every point
 * of the curves shows its own colour. */
static void
test_legend_minimum_size (void)
{
  LabPlotStyle style;
  cairo_surface_t *surface;
  LabScale xs, ys;
  Forecast f;
  static Loss l;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);
  for (int k = 0; k < TUTORIAL_WINDOWS; k++)
    f.predictions[k] = 0.5f * f.series[k + TUTORIAL_T];
  f.data.selected = -1;
  surface = render (PLOT_FORECAST, 360, 220, &f.data, &style);
  save_sample (surface, "plots-forecast-minimum.png");
  lab_forecast_plot_get_scales (360, 220, &f.data, &style, &xs, &ys);
  for (int i = 0; i < TUTORIAL_POINTS; i += 3)
    {
      LabRgb others[] = { style.background, style.grid, style.test_shade, style.foreground };

      if (fabsf (f.series[i]) < 0.25f)
        continue;   /* where the predictions cross the series */
      g_assert_true (color_near (surface, (int) lab_scale_map (&xs, i),
                                 (int) lab_scale_map (&ys, f.series[i]),
                                 style.series, others, G_N_ELEMENTS (others)));
    }
  cairo_surface_destroy (surface);

  loss_init (&l, 120);
  surface = render (PLOT_LOSS, 360, 220, &l.data, &style);
  lab_loss_plot_get_scales (360, 220, &l.data, &style, &xs, &ys);
  for (int i = 0; i < 110; i += 5)
    {
      LabRgb others[] = { style.background, style.grid, style.test, style.foreground };

      g_assert_true (color_near (surface, (int) lab_scale_map (&xs, i + 1),
                                 (int) lab_scale_map (&ys, l.train[i]),
                                 style.train, others, G_N_ELEMENTS (others)));
    }
  save_sample (surface, "plots-loss-minimum.png");
  cairo_surface_destroy (surface);
}

/* Compare mode: three models, three distinct colour-blind-safe colours, each
 * on its own curve; the ghost beneath. */
static void
test_overlay_colors (void)
{
  static float train[3][150], test[3][150], ghost[150], preds[3][TUTORIAL_WINDOWS];
  LabLossSeries models[3], ghost_series;
  LabForecastModel fmodels[3];
  LabPlotStyle style;
  Forecast f;

  for (int p = 0; p < LAB_N_PALETTES; p++)
    for (int dark = 0; dark <= 1; dark++)
      {
        LabPlotStyle s;

        lab_plot_style_init (&s, p, dark);
        for (int a = 0; a < 4; a++)
          for (int b = a + 1; b < 4; b++)
            g_assert_cmpfloat (rgb_distance (s.models[a], s.models[b]), >, 0.3);
        for (int a = 0; a < 3; a++)
          g_assert_cmpfloat (rgb_distance (s.models[a], s.background), >, 0.4);
      }

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (int m = 0; m < 3; m++)
    {
      for (int i = 0; i < 150; i++)
        {
          train[m][i] = 0.5f * expf (-i / (10.0f + 15 * m)) + 1e-5f;
          test[m][i] = 1.3f * train[m][i];
        }
      models[m] = (LabLossSeries) { .label = (const char *[]) { "RNN", "LSTM", "GRU" }[m],
                                    .color = m, .n_epochs = 150,
                                    .train_loss = train[m], .test_loss = test[m] };
    }
  for (int i = 0; i < 150; i++)
    ghost[i] = 0.3f;
  ghost_series = (LabLossSeries) { .label = "before: hidden 50", .n_epochs = 150, .train_loss = ghost };
  {
    LabLossData data = { .total_epochs = 200, .current_epoch = 150, .n_models = 3,
                         .models = models, .ghost = &ghost_series };
    cairo_surface_t *surface = render (PLOT_LOSS, 800, 450, &data, &style);
    LabScale xs, ys;

    lab_loss_plot_get_scales (800, 450, &data, &style, &xs, &ys);
    for (int m = 0; m < 3; m++)
      {
        LabRgb others[] = { style.background, style.grid, style.models[(m + 1) % 3],
                            style.models[(m + 2) % 3], style.ghost };

        g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 20),
                                   (int) lab_scale_map (&ys, train[m][19]),
                                   style.models[m], others, G_N_ELEMENTS (others)));
      }
    {
      LabRgb others[] = { style.background, style.grid, style.models[0], style.models[1] };

      g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 100),
                                 (int) lab_scale_map (&ys, 0.3), style.ghost, others,
                                 G_N_ELEMENTS (others)));
    }
    save_sample (surface, "plots-loss-compare.png");
    cairo_surface_destroy (surface);
  }

  forecast_init (&f);
  for (int m = 0; m < 3; m++)
    {
      for (int k = 0; k < TUTORIAL_WINDOWS; k++)
        preds[m][k] = f.series[k + TUTORIAL_T] * (0.9f - 0.25f * m);
      fmodels[m] = (LabForecastModel) { .label = (const char *[]) { "RNN · 50", "LSTM · 24", "GRU · 28" }[m],
                                        .color = m, .time_step = TUTORIAL_T,
                                        .n_windows = TUTORIAL_WINDOWS, .n_train = TUTORIAL_TRAIN,
                                        .predictions = preds[m] };
    }
  f.data.predictions = NULL;
  f.data.n_models = 3;
  f.data.models = fmodels;
  f.data.selected = -1;
  {
    cairo_surface_t *surface = render (PLOT_FORECAST, 800, 450, &f.data, &style);
    LabScale xs, ys;

    lab_forecast_plot_get_scales (800, 450, &f.data, &style, &xs, &ys);
    for (int m = 0; m < 3; m++)
      {
        LabRgb others[] = { style.background, style.grid, style.test_shade,
                            style.models[(m + 1) % 3], style.models[(m + 2) % 3] };

        g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 35),
                                   (int) lab_scale_map (&ys, preds[m][25]),
                                   style.models[m], others, G_N_ELEMENTS (others)));
      }
    save_sample (surface, "plots-forecast-compare.png");
    cairo_surface_destroy (surface);
  }
}

/* The free-running forecast and baselines: drawn, in the legend, in units. */
static void
test_forecast_free_running (void)
{
  static float free_run[40], persistence[TUTORIAL_WINDOWS], ar[TUTORIAL_WINDOWS];
  LabForecastBaseline baselines[2];
  LabPlotStyle style;
  cairo_surface_t *surface;
  LabScale xs, ys;
  Forecast f;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);
  /* The forecast drifts away: errors compound; it runs past the series' end. */
  for (int k = 0; k < 40; k++)
    free_run[k] = sinf (2 * G_PI * (72 + k) / 100) * (1 - 0.02f * k) + 0.01f * k;
  for (int k = 0; k < TUTORIAL_WINDOWS; k++)
    {
      persistence[k] = f.series[k + TUTORIAL_T - 1];
      ar[k] = f.series[k + TUTORIAL_T];
    }
  baselines[0] = (LabForecastBaseline) { "Persistence", 3.9e-3, persistence };
  baselines[1] = (LabForecastBaseline) { "Linear AR", 1.2e-14, ar };
  f.data.n_forecast = 40;
  f.data.forecast_start = 72;
  f.data.forecast = free_run;
  f.data.n_baselines = 2;
  f.data.baselines = baselines;
  f.data.test_mse = 2.5e-4;
  f.data.y_label = "CO₂ (ppm)";
  surface = render (PLOT_FORECAST, 800, 450, &f.data, &style);
  lab_forecast_plot_get_scales (800, 450, &f.data, &style, &xs, &ys);
  /* The x axis reaches the forecast's last point (past the series). */
  g_assert_cmpfloat (xs.d1, >=, 111);
  {
    LabRgb others[] = { style.background, style.grid, style.series };

    g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 105),
                               (int) lab_scale_map (&ys, free_run[33]), style.test, others,
                               G_N_ELEMENTS (others)));
  }
  save_sample (surface, "plots-forecast-free-running.png");
  cairo_surface_destroy (surface);
}

static void
test_gradient_ratio_text (void)
{
  const float decades[] = { 1e-4f, 1e-3f, 1e-2f, 1e-1f, 1 };
  const float gaps[] = { NAN, 2e-3f, 0.1f, 0.2f, INFINITY };
  const float last_zero[] = { 0.5f, 0.1f, 0 };
  const float growing[] = { 50, 10, 1 };
  const float none[] = { NAN, NAN };
  g_autofree char *a = lab_gradient_ratio_text (decades, 5);
  g_autofree char *b = lab_gradient_ratio_text (gaps, 5);
  g_autofree char *c = lab_gradient_ratio_text (last_zero, 3);
  g_autofree char *d = lab_gradient_ratio_text (growing, 3);
  g_autofree char *e = lab_gradient_ratio_text (none, 2);
  g_autofree char *g = lab_gradient_ratio_text (decades, 1);
  g_autofree char *h = lab_gradient_ratio_text (NULL, 5);

  g_assert_cmpstr (a, ==, "The gradient at t = 1 is 10⁻⁴ of the one at t = 5");
  /* NaN and infinity are skipped: the first and last finite steps. */
  g_assert_cmpstr (b, ==, "The gradient at t = 2 is 0.01 of the one at t = 4");
  g_assert_cmpstr (c, ==, "The gradient at t = 3 is zero: no ratio to show");
  g_assert_cmpstr (d, ==, "The gradient at t = 1 is 50 times the one at t = 3");
  g_assert_cmpstr (e, ==, "No gradient to compare yet");
  g_assert_cmpstr (g, ==, "Only one step has a gradient: nothing to compare");
  g_assert_cmpstr (h, ==, "No gradient to compare yet");
}

static void
test_render_gradient (void)
{
  static float rnn[100], lstm[100];
  LabGradientSeries models[2];
  LabPlotStyle style;
  LabScale xs, ys;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (int t = 0; t < 100; t++)
    {
      rnn[t] = 1e-2f * powf (0.8f, 99 - t);
      lstm[t] = 1e-2f * (0.5f + 0.5f * t / 99.0f);
    }
  rnn[50] = NAN;
  models[0] = (LabGradientSeries) { "RNN", 0, 20, rnn + 80 };
  models[1] = (LabGradientSeries) { "LSTM", 1, 20, lstm + 80 };
  for (int n = 1; n <= 2; n++)
    {
      LabGradientData data = { n, models, 120 };
      const int sizes[][2] = { { 800, 450 }, { 360, 220 } };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          int w = sizes[s][0], h = sizes[s][1];
          cairo_surface_t *surface = render_gradient (w, h, &data, &style);
          g_autofree char *name = g_strdup_printf ("sample-gradient-%d-%dx%d.png", n, w, h);

          lab_gradient_plot_get_scales (w, h, &data, &style, &xs, &ys);
          g_assert_true (ys.log);
          g_assert_cmpfloat (ys.d0, <=, rnn[80]);
          g_assert_cmpfloat (ys.d1, >=, lstm[99]);
          for (int m = 0; m < n; m++)
            {
              LabRgb others[] = { style.background, style.grid, style.models[1 - m] };

              g_assert_true (color_near (surface, (int) lab_scale_map (&xs, 15),
                                         (int) lab_scale_map (&ys, models[m].norms[14]),
                                         style.models[m], others, G_N_ELEMENTS (others)));
            }
          g_assert_cmpint (lab_gradient_plot_step_at (w, h, &data, &style, lab_scale_map (&xs, 7.3),
                                                      (ys.p0 + ys.p1) / 2), ==, 7);
          g_assert_cmpint (lab_gradient_plot_step_at (w, h, &data, &style, 1, 1), ==, 0);
          save_sample (surface, name);
          cairo_surface_destroy (surface);
        }
    }
  /* Zeros, NaN, nothing. */
  {
    static float zeros[10];
    LabGradientSeries z = { NULL, 0, 10, zeros };
    LabGradientData data = { 1, &z, 3 };

    cairo_surface_destroy (render_gradient (400, 300, &data, &style));
    cairo_surface_destroy (render_gradient (400, 300, NULL, &style));
  }
}

static void
gates_init (float    *values,
            LabGate  *gates,
            int       n,
            int       T,
            int       H)
{
  const char *names[] = { "input gate i<sub>t</sub>", "forget gate f<sub>t</sub>",
                          "output gate o<sub>t</sub>", "cell input g<sub>t</sub>" };

  for (int g = 0; g < n; g++)
    {
      for (int i = 0; i < T * H; i++)
        values[g * T * H + i] = 0.5f + 0.5f * sinf (0.3f * i + g);
      /* Unit 0: fully open at every step; unit 1: closed. */
      for (int t = 0; t < T; t++)
        {
          values[g * T * H + t * H] = 1;
          values[g * T * H + t * H + 1] = 0;
        }
      gates[g] = (LabGate) { names[g], values + g * T * H };
    }
}

static void
test_render_gates (void)
{
  static float values[4 * 10 * 50];
  LabGate gates[4];
  LabPlotStyle style;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  gates_init (values, gates, 4, 10, 50);
  for (int n = 2; n <= 4; n++)
    {
      const int sizes[][2] = { { 800, 450 }, { 360, 220 } };
      LabGatesData data = { n == 2 ? LAB_PLOT_CELL_GRU : LAB_PLOT_CELL_LSTM, 10, 50, n, gates, 40, 120 };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          int w = sizes[s][0], h = sizes[s][1];
          cairo_surface_t *surface = render_gates (w, h, &data, &style);
          g_autofree char *name = g_strdup_printf ("sample-gates-%d-%dx%d.png", n, w, h);

          for (int g = 0; g < n; g++)
            {
              double gx, gy, cw, ch;
              int gate, unit, step;

              g_assert_true (lab_gates_plot_get_grid (w, h, &data, &style, g, &gx, &gy, &cw, &ch));
              g_assert_cmpfloat (gx + 10 * cw, <=, w);
              g_assert_cmpfloat (gy + 50 * ch, <=, h);
              if (ch >= 1)
                {
                  /* Unit 0 is open (1): viridis' yellow; unit 1 closed: its purple. */
                  g_assert_true (rgb_close (pixel_at (surface, (int) (gx + cw * 3.5), (int) (gy + 0.5 * ch)),
                                            lab_plot_sequential_color (1), 2.0 / 255));
                  g_assert_true (rgb_close (pixel_at (surface, (int) (gx + cw * 3.5), (int) (gy + 1.5 * ch)),
                                            lab_plot_sequential_color (0), 2.0 / 255));
                }
              g_assert_true (lab_gates_plot_cell_at (w, h, &data, &style, gx + cw * 4.5, gy + ch * 7.5,
                                                     &gate, &unit, &step));
              g_assert_cmpint (gate, ==, g);
              g_assert_cmpint (unit, ==, 7);
              g_assert_cmpint (step, ==, 5);
              g_assert_false (lab_gates_plot_cell_at (w, h, &data, &style, gx - 1, gy + 2,
                                                      &gate, &unit, &step));
            }
          save_sample (surface, name);
          cairo_surface_destroy (surface);
        }
    }
  /* The sequential scale: dark to light, clamped, NaN grey. */
  g_assert_cmpfloat (luminance (lab_plot_sequential_color (0)), <, 0.1);
  g_assert_cmpfloat (luminance (lab_plot_sequential_color (1)), >, 0.8);
  for (double v = 0; v < 1; v += 0.125)
    g_assert_cmpfloat (luminance (lab_plot_sequential_color (v)), <,
                       luminance (lab_plot_sequential_color (v + 0.125)));
  g_assert_true (rgb_close (lab_plot_sequential_color (7), lab_plot_sequential_color (1), 1e-12));
  {
    LabGatesData empty = { LAB_PLOT_CELL_RNN, 10, 50, 0, NULL, 0, 0 };

    cairo_surface_destroy (render_gates (400, 300, &empty, &style));
    cairo_surface_destroy (render_gates (400, 300, NULL, &style));
    g_assert_false (lab_gates_plot_cell_at (400, 300, &empty, &style, 200, 150, NULL, NULL, NULL));
  }
}

static void
test_render_unrolled (void)
{
  static float inputs[100];
  static Hidden h;
  LabPlotStyle style;
  int steps[128], n;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (int T = 10; T <= 100; T += 90)
    {
      const int sizes[][2] = { { 800, 450 }, { 360, 220 } };
      LabUnrolledData data;

      hidden_init (&h, T, 50);
      for (int t = 0; t < T; t++)
        inputs[t] = sinf (2 * G_PI * (40 + t) / 100);
      data = (LabUnrolledData) { T, 50, inputs, h.hidden, 0.0213, 0.0, FALSE, 3, LAB_PASS_NONE, 0, NULL };
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          int w = sizes[s][0], hh = sizes[s][1], elided = -1;
          double x0, sw, top, bottom;
          cairo_surface_t *surface = render_unrolled (w, hh, &data, &style);
          g_autofree char *name = g_strdup_printf ("sample-unrolled-%d-%dx%d.png", T, w, hh);

          n = lab_unrolled_plot_get_columns (w, hh, &data, &style, steps, G_N_ELEMENTS (steps));
          for (int i = 0; i < n; i++)
            if (steps[i] == 0)
              elided = i;
          if (T == 100)
            {
              /* Elided: the first and last steps kept, a mark between, in order. */
              g_assert_cmpint (n, <, 100);
              g_assert_cmpint (elided, >, 0);
              g_assert_cmpint (steps[0], ==, 1);
              g_assert_cmpint (steps[n - 1], ==, 100);
              g_assert_cmpint (elided, >=, 2);
              for (int i = 1; i < n; i++)
                if (i != elided && i - 1 != elided)
                  g_assert_cmpint (steps[i], ==, steps[i - 1] + 1);
            }
          else if (w == 800)
            {
              g_assert_cmpint (n, ==, 10);
              g_assert_cmpint (elided, ==, -1);
            }

          /* Every label fits its slot: the gutters between slots are page. */
          g_assert_cmpint (lab_unrolled_layout_slots (w, hh, &data, &style, &x0, &sw, &top, &bottom), ==, n);
          for (int i = 1; i < n; i++)
            for (int y = (int) top; y < (int) bottom && y < hh; y++)
              g_assert_true (rgb_close (pixel_at (surface, (int) (x0 + i * sw), y),
                                        style.background, 3.0 / 255));

          /* Hover: each slot's centre gives its step; the mark gives none. */
          for (int i = 0; i < n; i++)
            g_assert_cmpint (lab_unrolled_plot_step_at (w, hh, &data, &style, x0 + (i + 0.5) * sw,
                                                        (top + bottom) / 2), ==, steps[i]);
          g_assert_cmpint (lab_unrolled_plot_step_at (w, hh, &data, &style, 1, 1), ==, 0);
          save_sample (surface, name);
          cairo_surface_destroy (surface);
        }

      /* The passes of step mode: forward half-way, backward half-way. */
      data.pass = LAB_PASS_FORWARD;
      data.pass_step = T / 2;
      {
        cairo_surface_t *surface = render_unrolled (800, 450, &data, &style);
        g_autofree char *name = g_strdup_printf ("sample-unrolled-%d-forward.png", T);

        save_sample (surface, name);
        cairo_surface_destroy (surface);
      }
      data.pass = LAB_PASS_BACKWARD;
      {
        cairo_surface_t *surface = render_unrolled (800, 450, &data, &style);
        g_autofree char *name = g_strdup_printf ("sample-unrolled-%d-backward.png", T);

        save_sample (surface, name);
        cairo_surface_destroy (surface);
      }
    }
  cairo_surface_destroy (render_unrolled (400, 300, NULL, &style));
}

static void
test_render_step (void)
{
  static float v[8][4 * 50];
  LabPlotStyle style;
  const LabPlotCell cells[] = { LAB_PLOT_CELL_RNN, LAB_PLOT_CELL_LSTM, LAB_PLOT_CELL_GRU };
  const char *names[] = { "rnn", "lstm", "gru" };

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  for (int k = 0; k < 8; k++)
    for (int i = 0; i < 4 * 50; i++)
      v[k][i] = 0.7f * sinf (0.9f * i + k) * (k == 0 ? 1 : 0.5f);
  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    {
      LabStepData data = { cells[c], 5, 1, 50, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                           cells[c] == LAB_PLOT_CELL_LSTM ? v[1] : NULL,
                           cells[c] == LAB_PLOT_CELL_LSTM ? v[2] : NULL, v[3] };
      const int sizes[][2] = { { 800, 450 }, { 360, 220 } };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          cairo_surface_t *surface = render_step (sizes[s][0], sizes[s][1], &data, &style);
          g_autofree char *name = g_strdup_printf ("sample-step-%s-%dx%d.png", names[c],
                                                   sizes[s][0], sizes[s][1]);

          g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.03);
          save_sample (surface, name);
          cairo_surface_destroy (surface);
        }
    }
  cairo_surface_destroy (render_step (400, 300, NULL, &style));
}

/* The presenter arrangement gives the forecast most of the page. */
static void
test_dashboard_presenter (void)
{
  LabPlotStyle style;
  LabDashboardLayout hand, pres;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  style.font_scale = 1.6;
  lab_dashboard_get_arranged_layout (1600, 1000, &style, TRUE, LAB_DASHBOARD_HANDOUT, &hand);
  lab_dashboard_get_arranged_layout (1600, 1000, &style, TRUE, LAB_DASHBOARD_PRESENTER, &pres);
  g_assert_cmpfloat (pres.forecast.width * pres.forecast.height, >,
                     hand.forecast.width * hand.forecast.height);
  g_assert_cmpfloat (pres.forecast.width * pres.forecast.height, >,
                     0.55 * 1600 * (1000 - pres.title.height));
  /* No panel overlaps another. */
  g_assert_cmpfloat (pres.forecast.x + pres.forecast.width, <=, pres.loss.x);
  g_assert_cmpfloat (pres.loss.y + pres.loss.height, <=, pres.hidden.y);
  g_assert_cmpfloat (pres.hidden.y + pres.hidden.height, <=, 1000);
}

/* Sample renders at the window's usual size and at its minimum, to look at. */
static void
test_render_samples (void)
{
  const int sizes[][2] = { { 800, 450 }, { 360, 220 } };
  static Loss l;
  static Hidden h;
  LabPlotStyle style;
  Forecast f;

  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  forecast_init (&f);
  loss_init (&l, 120);
  hidden_init (&h, 10, 50);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (int k = PLOT_FORECAST; k <= PLOT_HIDDEN; k++)
      {
        const void *data[] = { &f.data, &l.data, &h.data };
        const char *names[] = { "forecast", "loss", "hidden" };
        cairo_surface_t *surface = render (k, sizes[s][0], sizes[s][1], data[k], &style);
        g_autofree char *name = g_strdup_printf ("sample-%s-%dx%d.png", names[k],
                                                 sizes[s][0], sizes[s][1]);

        g_assert_cmpfloat (ink_fraction (surface, &style), >, 0.02);
        save_sample (surface, name);
        cairo_surface_destroy (surface);
      }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/plots/scale/round-trip", test_scale_round_trip);
  g_test_add_func ("/ui/plots/scale/linear-ticks", test_scale_linear_ticks);
  g_test_add_func ("/ui/plots/scale/log-ticks", test_scale_log_ticks);
  g_test_add_func ("/ui/plots/format", test_format);
  g_test_add_func ("/ui/plots/format-number", test_format_number);
  g_test_add_func ("/ui/plots/index-ticks", test_index_ticks);
  g_test_add_func ("/ui/plots/style", test_styles);
  g_test_add_func ("/ui/plots/forecast/window-at", test_forecast_window_at);
  g_test_add_func ("/ui/plots/hidden/cell-at", test_hidden_cell_at);
  g_test_add_func ("/ui/plots/hidden/color", test_hidden_color);
  g_test_add_func ("/ui/plots/render/forecast", test_render_forecast);
  g_test_add_func ("/ui/plots/render/forecast-untrained", test_render_forecast_untrained);
  g_test_add_func ("/ui/plots/render/forecast-bad-values", test_render_forecast_bad_values);
  g_test_add_func ("/ui/plots/render/loss", test_render_loss);
  g_test_add_func ("/ui/plots/render/loss-edge-cases", test_render_loss_edge_cases);
  g_test_add_func ("/ui/plots/render/hidden", test_render_hidden);
  g_test_add_func ("/ui/plots/render/hidden-shapes", test_render_hidden_shapes);
  g_test_add_func ("/ui/plots/render/sizes", test_render_sizes);
  g_test_add_func ("/ui/plots/render/vector", test_render_vector);
  g_test_add_func ("/ui/plots/render/samples", test_render_samples);
  g_test_add_func ("/ui/plots/legibility/tick-height", test_legibility_tick_height);
  g_test_add_func ("/ui/plots/legibility/legend-minimum-size", test_legend_minimum_size);
  g_test_add_func ("/ui/plots/hidden/auto-range", test_hidden_auto_range);
  g_test_add_func ("/ui/plots/loss/cursor", test_loss_cursor);
  g_test_add_func ("/ui/plots/loss/zero-and-epoch-0", test_loss_zero_and_epoch_0);
  g_test_add_func ("/ui/plots/loss/extent", test_loss_extent);
  g_test_add_func ("/ui/plots/overlay/colors", test_overlay_colors);
  g_test_add_func ("/ui/plots/forecast/free-running", test_forecast_free_running);
  g_test_add_func ("/ui/plots/gradient/ratio-text", test_gradient_ratio_text);
  g_test_add_func ("/ui/plots/gradient/render", test_render_gradient);
  g_test_add_func ("/ui/plots/gates/render", test_render_gates);
  g_test_add_func ("/ui/plots/unrolled/render", test_render_unrolled);
  g_test_add_func ("/ui/plots/step/render", test_render_step);
  g_test_add_func ("/ui/plots/dashboard/presenter", test_dashboard_presenter);

  ret = g_test_run ();

  /* Fontconfig and Pango keep global caches for the life of the process;
   * free them so that LeakSanitizer sees only our own allocations. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return ret;
}
