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

/* What a plot puts around its area; decides the margins. */
typedef struct
{
  gboolean has_title;
  gboolean has_xlabel;
  gboolean has_ylabel;
  int      ytick_chars;  /* widest y tick label, in digits */
  double   extra_right;  /* room on the right (a colour bar), in font heights */
} LabFrameSpec;

typedef struct
{
  int     width, height;
  double  font_px;    /* body text and tick labels */
  double  title_px;
  double  line_px;    /* data lines */
  double  thin_px;    /* axes, ticks, grid */
  double  pad;
  double  tick_len;
  LabRect area;       /* the plotting area, data is clipped to it */
  LabRect title;      /* the title line, above the area */
} LabPlotFrame;

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

/* Text is markup-free UTF-8. (ax, ay) is the anchor inside the text box:
 * 0, 0 top left; 0.5, 0.5 centre; 1, 1 bottom right. Rotated texts turn
 * a quarter anticlockwise about their anchor. */
void lab_plot_text_size (LabPlotPainter *painter, const char *text, double size_px,
                         gboolean bold, double *width, double *height);
void lab_plot_text      (LabPlotPainter *painter, const char *text, double size_px,
                         gboolean bold, LabRgb color, double x, double y,
                         double ax, double ay, gboolean rotated);

/* Tick labels: "0.5", "−1", "10⁻³" (a true minus sign). */
void lab_plot_format_tick (char *buf, gsize size, double value, double step, gboolean log);
/* "3.1×10⁻⁴"-style compact value for readouts, digits significant figures. */
void lab_plot_format_value (char *buf, gsize size, double value, int digits);

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
void lab_plot_draw_title (LabPlotPainter *painter, const char *left, const char *right);
/* A centred, muted message over the area (empty plots). */
void lab_plot_draw_hint  (LabPlotPainter *painter, const char *text);

void lab_plot_clip_area  (LabPlotPainter *painter);

/* Draws a polyline through the finite points, breaking at the others;
 * lone points become dots. xs may be NULL (then x = x0 + i). */
void lab_plot_draw_series (LabPlotPainter *painter, const LabScale *x, const LabScale *y,
                           double x0, const float *values, int n, double line_width);

typedef struct
{
  const char *label;
  LabRgb      color;
  gboolean    dashed;
  gboolean    band;    /* a filled swatch instead of a line */
} LabLegendEntry;

/* The legend in whichever corner of the area covers fewest of the given
 * pixel points (obstacles; may be NULL). */
void lab_plot_draw_legend (LabPlotPainter *painter, const LabLegendEntry *entries, int n,
                           const double *px, const double *py, int n_points);

G_END_DECLS
