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
  LabRgb models[4];    /* compare mode: one colour per model (Okabe-Ito based,
                          colour-blind safe in every palette) */
  LabRgb ghost;        /* the previous run, drawn faded beneath */
} LabPlotStyle;

#define LAB_PLOT_MAX_MODELS 3

void   lab_plot_style_init        (LabPlotStyle *style, LabPalette palette, gboolean dark);
/* Model i's colour (any i: wraps around the set). */
LabRgb lab_plot_style_model_color (const LabPlotStyle *style, int index);
/* A sequential colour for v in [0, 1] (viridis: perceptually uniform, colour-blind
 * safe, readable on light and dark pages); clamped, NaN is mid grey. */
LabRgb lab_plot_sequential_color  (double v);

/* The one number format of every plot, readout and status line.
 *
 * The rule: `digits` significant figures (3 for losses); numbers from 0.01 up to
 * (not including) 100000 are written plainly ("0.0518", "12.3", "2500"), others as
 * a mantissa times a power of ten ("3.14×10⁻⁴", "1.5×10⁵"); trailing zeros of the
 * fraction are dropped ("0.05", not "0.0500") and a mantissa of exactly 1 is left
 * out ("10⁻⁴"); exact zero is "0"; a true minus sign (U+2212); NaN is "NaN",
 * infinities "∞" and "−∞". Locale independent. */
void  lab_format_number (char *buf, gsize size, double value, int digits);
/* A loss (or any MSE) for readouts: lab_format_number with 3 digits; free with g_free. */
char *lab_format_loss   (double value);

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

/* One model's predictions in an overlay (compare mode) or the ghost of the
 * previous run. */
typedef struct
{
  const char  *label;         /* legend entry, e.g. "LSTM · hidden 24" */
  int          color;         /* index into style->models (ignored for a ghost) */
  int          time_step;     /* T: its prediction k is drawn at x = k + T */
  int          n_windows;     /* N */
  int          n_train;
  const float *predictions;   /* (N) one-step predictions, or NULL */
  int          n_forecast;    /* free-running forecast, may be 0 */
  int          forecast_start;/* series position its value 0 predicts */
  const float *forecast;      /* (n_forecast) */
} LabForecastModel;

/* A reference forecast (persistence, linear AR) on the same windows. */
typedef struct
{
  const char  *label;         /* "Persistence", "Linear AR" */
  double       test_mse;      /* shown in the legend; NaN for none */
  const float *predictions;   /* (N) drawn at x = k + T, or NULL */
} LabForecastBaseline;

/* The forecast: the series, train and test predictions (as in the tutorial's
 * figure), the test region shaded, the selected window's inputs marked; the
 * free-running forecast, baselines, overlaid models and the previous run's
 * ghost when given. Every field added after `title` is zero for "not shown". */
typedef struct
{
  int          n_points;
  const float *series;        /* (n_points) in the series' own units */
  int          time_step;     /* T: prediction k is drawn at x = k + T */
  int          n_windows;     /* N */
  int          n_train;
  const float *predictions;   /* (N) or NULL before any */
  int          selected;      /* window to mark, -1 for none */
  const char  *title;         /* may be NULL */

  /* The free-running forecast (the model fed its own output), dashed with
   * markers: value k predicts series position forecast_start + k. */
  int          n_forecast;
  int          forecast_start;
  const float *forecast;      /* (n_forecast) or NULL */

  const char  *y_label;       /* e.g. "CO₂ (ppm)"; NULL: "Value" */

  int                        n_baselines;
  const LabForecastBaseline *baselines;   /* (n_baselines), at x = k + time_step */
  double                     test_mse;    /* the model's, in the legend with the
                                             baselines'; 0 or NaN: not shown */

  /* Compare mode: 1..3 models replace predictions/forecast above (which are
   * then ignored); each in its own colour with a legend entry. */
  int                     n_models;
  const LabForecastModel *models;         /* (n_models) */
  const LabForecastModel *ghost;          /* the previous run, faded, or NULL */
} LabForecastData;

void lab_forecast_plot_draw   (cairo_t *cr, int width, int height,
                               const LabForecastData *data, const LabPlotStyle *style);
/* The window whose prediction is nearest to pixel x (for click to select), or -1. */
int  lab_forecast_plot_window_at (int width, int height, const LabForecastData *data,
                                  const LabPlotStyle *style, double x, double y);
/* The data-to-pixel scales the plot uses at this size (x: time step, y: value). */
void lab_forecast_plot_get_scales (int width, int height, const LabForecastData *data,
                                   const LabPlotStyle *style, LabScale *x, LabScale *y);

/* One model's losses in an overlay, or the ghost of the previous run. */
typedef struct
{
  const char  *label;          /* legend entry, e.g. "before: hidden 50" */
  int          color;          /* index into style->models (ignored for a ghost) */
  int          n_epochs;       /* values, numbered as the plot's (from_epoch_0) */
  const float *train_loss;     /* (n_epochs) */
  const float *test_loss;      /* (n_epochs) or NULL */
} LabLossSeries;

/* The loss: train and test MSE per epoch on a log scale, current epoch marked.
 * The x axis follows the epochs recorded (with headroom, in nice steps), up to
 * the epoch limit; nothing is drawn right of the current epoch. A loss of
 * exactly 0 is drawn on the axis floor with a mark. */
typedef struct
{
  int          n_epochs;       /* recorded epochs; value i is epoch i + 1 */
  const float *train_loss;     /* (n_epochs) */
  const float *test_loss;      /* (n_epochs) or NULL */
  int          total_epochs;   /* the epoch limit: the x axis never goes past it */
  int          current_epoch;  /* marked with a vertical line, the curves end
                                  there; 0 = none (every value drawn) */

  gboolean             from_epoch_0; /* value i is epoch i (value 0: the initial
                                        weights, at x = 0), not i + 1 */
  int                  n_models;     /* compare mode: 1..3 models replace
                                        train_loss/test_loss above */
  const LabLossSeries *models;       /* (n_models) */
  const LabLossSeries *ghost;        /* the previous run, faded, or NULL */
} LabLossData;

void lab_loss_plot_draw (cairo_t *cr, int width, int height,
                         const LabLossData *data, const LabPlotStyle *style);
/* The data-to-pixel scales the loss plot uses (x: epoch, y: loss, log). */
void lab_loss_plot_get_scales (int width, int height, const LabLossData *data,
                               const LabPlotStyle *style, LabScale *x, LabScale *y);
/* The recorded epoch nearest pixel x (for hover and scrubbing), or -1. */
int  lab_loss_plot_epoch_at   (int width, int height, const LabLossData *data,
                               const LabPlotStyle *style, double x, double y);

/* The hidden state: h_t for one window, units (rows) by time steps (columns),
 * diverging colours centred on 0 over tanh's range -1..1 (or a symmetric
 * automatic range), with a colour bar. */
typedef struct
{
  int          time_step;   /* T columns */
  int          hidden_size; /* H rows */
  const float *hidden;      /* (T, H): hidden[t * H + j] = h_{t+1}[j] */
  int          window;      /* shown in the title */
  int          epoch;

  gboolean     auto_range;  /* colours over ±max|value| rounded up to a nice
                               value (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ)
                               instead of ±1 */
  gboolean     cell_state;  /* the values are an LSTM's c_t (title "Cell state"),
                               not h_t */
  const char  *model;       /* compare mode: whose state it is ("LSTM"), in the
                               title; NULL for none */
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
/* The half-width r of the colour scale the plot uses (values -r..r): 1, or
 * the automatic range. */
double   lab_hidden_plot_get_range (const LabHiddenData *data);
/* The nice value >= v used by the automatic ranges (1 for v <= 0 or NaN). */
double   lab_plot_nice_ceil (double v);

/* The recurrent cell, for the views that draw its equations. */
typedef enum
{
  LAB_PLOT_CELL_RNN,
  LAB_PLOT_CELL_LSTM,
  LAB_PLOT_CELL_GRU,
} LabPlotCell;

/* Gate activations in [0, 1] for one window, one small heatmap per gate,
 * units (rows) by time steps (columns), sequential colours, a colour bar. */
typedef struct
{
  const char  *name;        /* Pango markup, e.g. "input gate i<sub>t</sub>" */
  const float *values;      /* (T, H): values[t * H + j] at step t + 1 */
} LabGate;

typedef struct
{
  LabPlotCell    cell;      /* in the title */
  int            time_step; /* T */
  int            hidden_size; /* H */
  int            n_gates;   /* LSTM: 3 (i, f, o) or 4 with g; GRU: 2 (r, z) */
  const LabGate *gates;     /* (n_gates) */
  int            window;
  int            epoch;
} LabGatesData;

void     lab_gates_plot_draw    (cairo_t *cr, int width, int height,
                                 const LabGatesData *data, const LabPlotStyle *style);
/* The cell under pixel (x, y): TRUE and gate (0-based), unit (0-based row),
 * step (1-based t). */
gboolean lab_gates_plot_cell_at (int width, int height, const LabGatesData *data,
                                 const LabPlotStyle *style, double x, double y,
                                 int *gate, int *unit, int *step);
/* Where gate g's cells are: its top left corner and one cell's size. */
gboolean lab_gates_plot_get_grid (int width, int height, const LabGatesData *data,
                                  const LabPlotStyle *style, int gate, double *x,
                                  double *y, double *cell_width, double *cell_height);

/* Gradients through time: ‖∂L/∂h_t‖ for t = 1..T at one epoch, log scale,
 * one curve per model, and the first-to-last ratio written out. */
typedef struct
{
  const char  *label;       /* legend entry; may be NULL with a single model */
  int          color;       /* index into style->models */
  int          time_step;   /* T */
  const float *norms;       /* (T): norms[t - 1] = ‖∂L/∂h_t‖ */
} LabGradientSeries;

typedef struct
{
  int                      n_models;  /* 1..3 */
  const LabGradientSeries *models;
  int                      epoch;     /* in the title; < 0 for none */
} LabGradientData;

void  lab_gradient_plot_draw       (cairo_t *cr, int width, int height,
                                    const LabGradientData *data,
                                    const LabPlotStyle *style);
void  lab_gradient_plot_get_scales (int width, int height, const LabGradientData *data,
                                    const LabPlotStyle *style, LabScale *x, LabScale *y);
/* The step t (1-based) nearest pixel x, or 0 outside the plot. */
int   lab_gradient_plot_step_at    (int width, int height, const LabGradientData *data,
                                    const LabPlotStyle *style, double x, double y);
/* "The gradient at t = 1 is 10⁻⁴ of the one at t = 10" (translated), from the
 * first and last finite norms; a sentence saying why when there is no ratio
 * (zeros, NaN, T < 2). Free with g_free. */
char *lab_gradient_ratio_text      (const float *norms, int time_step);

/* The network unrolled over one window, as textbooks draw it: inputs x_t along
 * the bottom, h_t as columns of cells coloured by value, arrows h_{t−1} → h_t
 * and x_t → h_t, ŷ against the target at the end. Columns that do not fit
 * are elided in the middle behind a "⋯" mark (the first and last ones stay). */
typedef enum
{
  LAB_PASS_NONE,
  LAB_PASS_FORWARD,         /* steps 1..pass_step computed, pass_step active */
  LAB_PASS_BACKWARD,        /* gradients reached steps T..pass_step */
} LabPass;

typedef struct
{
  int          time_step;   /* T */
  int          hidden_size; /* H */
  const float *inputs;      /* (T) x_t (the first input feature) */
  const float *hidden;      /* (T, H) as LabHiddenData */
  double       prediction;  /* ŷ; NaN: not shown */
  double       target;      /* y; NaN: not shown */
  gboolean     auto_range;  /* as LabHiddenData */
  int          highlight;   /* a column to highlight (hover, selection), 1..T; 0 none */
  LabPass      pass;        /* the animation of step mode */
  int          pass_step;   /* 1..T: where the pass is */
  const char  *model;       /* compare mode: whose network it is, in the title;
                               NULL for none */
} LabUnrolledData;

void     lab_unrolled_plot_draw    (cairo_t *cr, int width, int height,
                                    const LabUnrolledData *data,
                                    const LabPlotStyle *style);
/* The step t (1..T) whose column (or input) is under (x, y); 0 for none
 * (including the elision mark). */
int      lab_unrolled_plot_step_at (int width, int height, const LabUnrolledData *data,
                                    const LabPlotStyle *style, double x, double y);
/* The steps drawn, in order, with 0 for the elision mark; returns the count
 * (at most max). */
int      lab_unrolled_plot_get_columns (int width, int height,
                                        const LabUnrolledData *data,
                                        const LabPlotStyle *style, int *steps, int max);

/* One step's arithmetic with the real values: each term with its shape, a few
 * entries and "…". G is the number of gate blocks (RNN 1, LSTM 4 in the order
 * i, f, g, o, GRU 3 in the order r, z, n), as PyTorch stacks them. NULL
 * vectors are left out. */
typedef struct
{
  LabPlotCell  cell;
  int          step;        /* t, 1-based */
  int          input_size;  /* I */
  int          hidden_size; /* H */
  const float *x;           /* (I) x_t */
  const float *h_prev;      /* (H) h_{t−1} */
  const float *ih;          /* (G H) W_ih x_t */
  const float *hh;          /* (G H) W_hh h_{t−1} */
  const float *b_ih;        /* (G H) */
  const float *b_hh;        /* (G H) */
  const float *pre;         /* (G H) the sum, before the nonlinearities (GRU's n
                               block: W_in x + b_in + r ⊙ (W_hn h + b_hn)) */
  const float *gates;       /* (G H) after them (LSTM i f g o, GRU r z n); unused for RNN */
  const float *c_prev;      /* (H) LSTM c_{t−1} */
  const float *c;           /* (H) LSTM c_t */
  const float *h;           /* (H) h_t */
} LabStepData;

void lab_step_plot_draw (cairo_t *cr, int width, int height,
                         const LabStepData *data, const LabPlotStyle *style);

G_END_DECLS
