/* lab-plot-private.h: what the three plot renderers share: the layout of a
 * frame (margins from the size and the style only, so hit tests need no
 * cairo_t), text, axes, grid and legend. Not installed, not for the widgets. */
#pragma once

#include <pango/pangocairo.h>

#include "plots/lab-plots.h"

G_BEGIN_DECLS

typedef struct
{
  double x, y, width, height;
} LabRect;

typedef struct
{
  const char *label;   /* plain text */
  LabRgb      color;
  gboolean    dashed;
  gboolean    band;    /* a filled swatch instead of a line */
  gboolean    marker;  /* dots on the line (the free-running forecast) */
  gboolean    thin;    /* a thinner line (the ghost of the previous run) */
  gboolean    dotted;  /* dots (baselines) */
} LabLegendEntry;

#define LAB_LEGEND_MAX 12

/* What a plot puts around its area; decides the margins. */
typedef struct
{
  gboolean has_title;
  gboolean has_xlabel;
  gboolean has_ylabel;
  int      ytick_chars;  /* widest y tick label, in digits */
  double   extra_right;  /* room on the right (a colour bar), in font heights */
  /* The legend, in order of importance: laid out in rows between the title and
   * the area, outside the data; entries that do not fit are left out. */
  const LabLegendEntry *legend;
  int                   n_legend;
} LabFrameSpec;

typedef struct
{
  int     width, height;
  double  font_px;    /* body text, tick labels and legends */
  double  title_px;
  double  line_px;    /* data lines */
  double  thin_px;    /* axes, ticks, grid */
  double  pad;
  double  tick_len;
  LabRect area;       /* the plotting area, data is clipped to it */
  LabRect title;      /* the title line, above the area */
  LabRect legend;     /* the legend's rows (height 0: none) */
  int     n_legend;   /* entries that fit, the first ones of spec->legend */
  LabRect legend_items[LAB_LEGEND_MAX];  /* each entry's box, swatch and label */
} LabPlotFrame;

/* The smallest text of any plot at font_scale 1, in pixels: legible from the
 * back of a classroom on a projector. */
#define LAB_PLOT_MIN_FONT_PX 14.0

void lab_plot_frame_init (LabPlotFrame       *frame,
                          int                 width,
                          int                 height,
                          const LabPlotStyle *style,
                          const LabFrameSpec *spec);

/* One draw call: the frame, the style, and one reusable Pango layout. */
typedef struct
{
  cairo_t            *cr;
  const LabPlotStyle *style;
  LabPlotFrame        frame;
  PangoLayout        *layout;
  PangoFontDescription *font;
} LabPlotPainter;

/* Fills the background and prepares text; lab_plot_painter_end frees. */
void lab_plot_painter_begin (LabPlotPainter     *painter,
                             cairo_t            *cr,
                             int                 width,
                             int                 height,
                             const LabPlotStyle *style,
                             const LabFrameSpec *spec);
void lab_plot_painter_end   (LabPlotPainter     *painter);

void lab_plot_set_color (cairo_t *cr, LabRgb color, double alpha);
LabRgb lab_rgb_mix      (LabRgb a, LabRgb b, double t);

/* Text is plain UTF-8 (lab_plot_markup: Pango markup, for subscripts such as
 * "h<sub>t−1</sub>"). (ax, ay) is the anchor inside the text box:
 * 0, 0 top left; 0.5, 0.5 centre; 1, 1 bottom right. Rotated texts turn
 * a quarter anticlockwise about their anchor. */
void lab_plot_text_size (LabPlotPainter *painter, const char *text, double size_px,
                         gboolean bold, double *width, double *height);
void lab_plot_text      (LabPlotPainter *painter, const char *text, double size_px,
                         gboolean bold, LabRgb color, double x, double y,
                         double ax, double ay, gboolean rotated);
void lab_plot_markup_size (LabPlotPainter *painter, const char *markup, double size_px,
                           gboolean bold, double *width, double *height);
void lab_plot_markup      (LabPlotPainter *painter, const char *markup, double size_px,
                           gboolean bold, LabRgb color, double x, double y,
                           double ax, double ay);
/* A plain-text measurement with no cairo_t, with the same font options as
 * the painter (layouts that hit tests use must not need a surface). */
void lab_plot_measure_text (const char *text, gboolean markup, double size_px,
                            gboolean bold, double *width, double *height);

/* Tick labels: "0.5", "−1", "10⁻³", "1.5×10⁵": lab_format_number's notation,
 * with as many decimals as the step needs (the same for every tick). */
void lab_plot_format_tick (char *buf, gsize size, double value, double step, gboolean log);

/* How many ticks fit along a pixel length at the frame's font size. */
int  lab_plot_max_ticks (const LabPlotFrame *frame, double length, gboolean vertical);

void lab_plot_draw_grid  (LabPlotPainter *painter, const LabScale *x, const LabScale *y);
void lab_plot_draw_axes  (LabPlotPainter *painter, const LabScale *x, const LabScale *y,
                          const char *xlabel, const char *ylabel);
/* Axes over items 1..n (time steps, hidden units): integer labels, thinned
 * to 1, 2, 5, 10... so they never collide; the scales map item i's centre. */
int  lab_plot_index_ticks     (int count, double cell_px, double min_spacing,
                               double *ticks, int max);
void lab_plot_draw_index_axes (LabPlotPainter *painter, const LabScale *x, int nx,
                               const LabScale *y, int ny, const char *xlabel,
                               const char *ylabel);
/* One index axis along the frame's area (x below it, y left of it), and the
 * axis labels alone. */
void lab_plot_draw_index_axis  (LabPlotPainter *painter, const LabScale *scale, int count,
                                gboolean vertical);
void lab_plot_draw_axis_labels (LabPlotPainter *painter, const char *xlabel,
                                const char *ylabel);
/* An arrow from (x0, y0) to (x1, y1), head length head, in the current source. */
void lab_plot_arrow (cairo_t *cr, double x0, double y0, double x1, double y1,
                     double line_width, double head);
/* Escapes text for markup; free with g_free. */
#define lab_plot_escape(text) g_markup_escape_text ((text), -1)
void lab_plot_draw_title (LabPlotPainter *painter, const char *left, const char *right);
/* The same with the title in Pango markup (subscripts). */
void lab_plot_draw_title_markup (LabPlotPainter *painter, const char *left, const char *right);
/* A centred, muted message over the area (empty plots). */
void lab_plot_draw_hint  (LabPlotPainter *painter, const char *text);

void lab_plot_clip_area  (LabPlotPainter *painter);

/* Draws a polyline through the finite points, breaking at the others;
 * lone points become dots. xs may be NULL (then x = x0 + i). */
void lab_plot_draw_series (LabPlotPainter *painter, const LabScale *x, const LabScale *y,
                           double x0, const float *values, int n, double line_width);
/* The same, with values of exactly 0 drawn at zero_floor (log scales: a loss
 * of 0 on the axis floor) when zero_floor > 0. */
void lab_plot_draw_series_floor (LabPlotPainter *painter, const LabScale *x,
                                 const LabScale *y, double x0, const float *values,
                                 int n, double line_width, double zero_floor);
/* Dots of radius r at the finite values (markers of a dashed curve), at
 * every value or, where they would crowd, at every few. */
void lab_plot_draw_markers (LabPlotPainter *painter, const LabScale *x, const LabScale *y,
                            double x0, const float *values, int n, double r);

/* Dash patterns, in line widths. */
void lab_plot_set_dash   (cairo_t *cr, double line_width, gboolean dashed);
void lab_plot_set_dotted (cairo_t *cr, double line_width);

/* Draws the legend the frame laid out (spec->legend). */
void lab_plot_draw_legend (LabPlotPainter *painter, const LabLegendEntry *entries);

/* A colour bar of height bh at (bx, by): value v at by + bh (hi - v) / (hi - lo),
 * colours from color_at (value), ticks from lab_scale_ticks, labels right of it. */
typedef LabRgb (*LabColorFunc) (const LabPlotStyle *style, double value, gpointer user_data);
void lab_plot_draw_colour_bar (LabPlotPainter *painter, double bx, double by, double bw,
                               double bh, double lo, double hi, LabColorFunc color_at,
                               gpointer user_data);

/* Heatmap cells: (T, H) values, column t and row j at (x + t cw, y + j ch);
 * an image scaled without smoothing on raster targets, rectangles on vector
 * ones. */
void lab_plot_draw_cells (LabPlotPainter *painter, double x, double y, double cw,
                          double ch, int T, int H, const float *values,
                          LabColorFunc color_at, gpointer user_data);
/* Whole-pixel heatmap geometry inside area: cell sizes (whole pixels from 4 up)
 * and the area shrunk to fit them. */
void lab_plot_fit_cells (LabRect *area, int T, int H, double *cw, double *ch);

/* The hidden state's diverging colour of value / *(double *) range: a
 * LabColorFunc for heatmaps and colour bars over -range..range. */
LabRgb lab_hidden_scaled_color (const LabPlotStyle *style, double value, gpointer range);

/* The unrolled view's slots (for tests): the count, the first slot's left
 * edge, one slot's width, and the band of the x_t labels and values. */
int lab_unrolled_layout_slots (int width, int height, const LabUnrolledData *data,
                               const LabPlotStyle *style, double *x0, double *slot_width,
                               double *label_top, double *label_bottom);

G_END_DECLS
