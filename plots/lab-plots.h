/* lab-plots.h: the plot renderers. Each draws a plain data snapshot onto any
 * cairo_t (the screen, a PNG, SVG or PDF file) with Cairo and Pango only,
 * so the window and the exported files can't drift apart. No GTK here. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double r, g, b;
} LabRgb;

typedef enum
{
  LAB_PALETTE_DEFAULT,
  LAB_PALETTE_OKABE_ITO,     /* colour-blind safe */
  LAB_PALETTE_HIGH_CONTRAST,
  LAB_N_PALETTES
} LabPalette;

typedef struct
{
  LabRgb background;
  LabRgb foreground;   /* text, axes, ticks */
  LabRgb grid;
  LabRgb series;       /* the original data */
  LabRgb train;        /* train predictions, train loss */
  LabRgb test;         /* test predictions, test loss */
  LabRgb test_shade;   /* the shaded test region */
  LabRgb highlight;    /* selected window, current epoch marker */
  LabRgb cold;         /* heatmap -1 */
  LabRgb neutral;      /* heatmap 0 */
  LabRgb warm;         /* heatmap +1 */
  double font_scale;   /* 1.0 normal; larger in presenter mode */
  double line_scale;   /* 1.0 normal; thicker in presenter mode */
} LabPlotStyle;

void lab_plot_style_init (LabPlotStyle *style, LabPalette palette, gboolean dark);

/* Linear or log mapping of a data interval onto a pixel interval. */
typedef struct
{
  double   d0, d1;   /* data */
  double   p0, p1;   /* pixels */
  gboolean log;      /* log10 mapping; d0, d1 > 0 */
} LabScale;

double lab_scale_map    (const LabScale *scale, double value);
double lab_scale_invert (const LabScale *scale, double pixel);
/* "Nice" tick values (1, 2, 5 x 10^k) covering [lo, hi], at most max_ticks;
 * returns the count written to ticks. For log scales: the powers of ten. */
int    lab_scale_ticks  (double lo, double hi, gboolean log, double *ticks, int max_ticks);

/* The forecast: the series, train and test predictions (as in the tutorial's
 * figure), the test region shaded, the selected window's inputs marked. */
typedef struct
{
  int          n_points;
  const float *series;        /* (n_points) */
  int          time_step;     /* T: prediction k is drawn at x = k + T */
  int          n_windows;     /* N */
  int          n_train;
  const float *predictions;   /* (N) or NULL before any */
  int          selected;      /* window to mark, -1 for none */
  const char  *title;         /* may be NULL */
} LabForecastData;

void lab_forecast_plot_draw   (cairo_t *cr, int width, int height,
                               const LabForecastData *data, const LabPlotStyle *style);
/* The window whose prediction is nearest to pixel x (for click to select), or -1. */
int  lab_forecast_plot_window_at (int width, int height, const LabForecastData *data,
                                  const LabPlotStyle *style, double x, double y);
/* The data-to-pixel scales the plot uses at this size (x: time step, y: value). */
void lab_forecast_plot_get_scales (int width, int height, const LabForecastData *data,
                                   const LabPlotStyle *style, LabScale *x, LabScale *y);

/* The loss: train and test MSE per epoch on a log scale, current epoch marked. */
typedef struct
{
  int          n_epochs;       /* recorded epochs; value i is epoch i + 1 */
  const float *train_loss;     /* (n_epochs) */
  const float *test_loss;      /* (n_epochs) or NULL */
  int          total_epochs;   /* x axis extent (the epoch limit), >= n_epochs */
  int          current_epoch;  /* marked with a vertical line; 0 = none */
} LabLossData;

void lab_loss_plot_draw (cairo_t *cr, int width, int height,
                         const LabLossData *data, const LabPlotStyle *style);

/* The hidden state: h_t for one window, units (rows) by time steps (columns),
 * diverging colours centred on 0 over tanh's range -1..1, with a colour bar. */
typedef struct
{
  int          time_step;   /* T columns */
  int          hidden_size; /* H rows */
  const float *hidden;      /* (T, H): hidden[t * H + j] = h_{t+1}[j] */
  int          window;      /* shown in the title */
  int          epoch;
} LabHiddenData;

void     lab_hidden_plot_draw    (cairo_t *cr, int width, int height,
                                  const LabHiddenData *data, const LabPlotStyle *style);
/* The cell under pixel (x, y): TRUE and unit (0-based row) and step (1-based t). */
gboolean lab_hidden_plot_cell_at (int width, int height, const LabHiddenData *data,
                                  const LabPlotStyle *style, double x, double y,
                                  int *unit, int *step);
/* Where the cells are: the heatmap's top left corner and one cell's size, in pixels.
 * FALSE (and nothing written) when there is nothing to show. */
gboolean lab_hidden_plot_get_grid (int width, int height, const LabHiddenData *data,
                                   const LabPlotStyle *style, double *x, double *y,
                                   double *cell_width, double *cell_height);
/* The colour of a value on the diverging scale (clamped to -1..1). */
LabRgb   lab_hidden_plot_color   (const LabPlotStyle *style, double value);

G_END_DECLS
