/* lab-plot-view.h: a thin widget around one of the plot renderers.
 *
 * The view keeps the data it draws (copies for the forecast and the hidden
 * state; the loss arrays are borrowed from the caller, who must call
 * lab_plot_view_set_loss() again before they move) and redraws through the
 * same Cairo renderer that the exported files use. */
#pragma once

#include <gtk/gtk.h>

#include "plots/lab-plots.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_PLOT_KIND_FORECAST,
  LAB_PLOT_KIND_LOSS,
  LAB_PLOT_KIND_HIDDEN,
  LAB_PLOT_KIND_GATES,
  LAB_PLOT_KIND_GRADIENT,
  LAB_PLOT_KIND_UNROLLED,
  LAB_PLOT_KIND_STEP,
} LabPlotKind;

GType lab_plot_kind_get_type (void) G_GNUC_CONST;
#define LAB_TYPE_PLOT_KIND (lab_plot_kind_get_type ())

#define LAB_TYPE_PLOT_VIEW (lab_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (LabPlotView, lab_plot_view, LAB, PLOT_VIEW, GtkWidget)

GtkWidget             *lab_plot_view_new               (LabPlotKind            kind);
LabPlotKind            lab_plot_view_get_kind          (LabPlotView           *self);

/* Arrays are copied, the compared models' too; the ghost is borrowed
 * (valid until the next call). */
void                   lab_plot_view_set_forecast      (LabPlotView           *self,
                                                        const LabForecastData *data);
/* The curves and the ghost are borrowed (valid until the next call);
 * the compared models' curves and labels are copied. */
void                   lab_plot_view_set_loss          (LabPlotView           *self,
                                                        const LabLossData     *data);
/* Arrays are copied. */
void                   lab_plot_view_set_hidden        (LabPlotView           *self,
                                                        const LabHiddenData   *data);
/* Arrays, names and labels are copied. */
void                   lab_plot_view_set_gates         (LabPlotView           *self,
                                                        const LabGatesData    *data);
void                   lab_plot_view_set_gradient      (LabPlotView           *self,
                                                        const LabGradientData *data);
/* Arrays are copied. */
void                   lab_plot_view_set_unrolled      (LabPlotView           *self,
                                                        const LabUnrolledData *data);
/* Only the highlighted column and the pass of the unrolled network (no copy). */
void                   lab_plot_view_set_unrolled_marks (LabPlotView          *self,
                                                        int                    highlight,
                                                        LabPass                pass,
                                                        int                    pass_step);
/* Arrays are copied. */
void                   lab_plot_view_set_step          (LabPlotView           *self,
                                                        const LabStepData     *data);
/* The data drawn now (NULL before the first set). */
const LabForecastData *lab_plot_view_get_forecast      (LabPlotView           *self);
const LabLossData     *lab_plot_view_get_loss          (LabPlotView           *self);
const LabHiddenData   *lab_plot_view_get_hidden        (LabPlotView           *self);
const LabGatesData    *lab_plot_view_get_gates         (LabPlotView           *self);
const LabGradientData *lab_plot_view_get_gradient      (LabPlotView           *self);
const LabUnrolledData *lab_plot_view_get_unrolled      (LabPlotView           *self);
const LabStepData     *lab_plot_view_get_step          (LabPlotView           *self);

void                   lab_plot_view_set_style         (LabPlotView           *self,
                                                        const LabPlotStyle    *style);
const LabPlotStyle    *lab_plot_view_get_style         (LabPlotView           *self);

/* The accessible description: what the view shows now. */
void                   lab_plot_view_set_summary       (LabPlotView           *self,
                                                        const char            *summary);
const char            *lab_plot_view_get_summary       (LabPlotView           *self);

/* Describes now, in the summary, the data drawn at this epoch and its
 * values ("Loss, epoch 120: train 3.1e-4, test 5.0e-4, falling"). The
 * window calls it at pauses, steps, scrubs and lesson steps, not at every
 * frame; while training, lab_plot_view_describe_training() says so once. */
void                   lab_plot_view_describe          (LabPlotView           *self,
                                                        int                    epoch);
void                   lab_plot_view_describe_training (LabPlotView           *self);

/* The forecast's keyboard cursor: the window Left/Right, Home/End and
 * Page Up/Down move to while the view has focus (each move also emits
 * "window-selected"); -1 for none. */
int                    lab_plot_view_get_cursor        (LabPlotView           *self);
void                   lab_plot_view_set_cursor        (LabPlotView           *self,
                                                        int                    window);
/* Whether the view uses the arrow keys itself (the window's shortcuts
 * leave them to it while it has focus). */
gboolean               lab_plot_view_uses_arrow_keys   (LabPlotView           *self);

/* The hover readout at (x, y) (the tooltip's text), or NULL. */
char                  *lab_plot_view_get_readout       (LabPlotView           *self,
                                                        double                 x,
                                                        double                 y);

/* Draws the current data onto any cairo_t (for exports and screenshots). */
void                   lab_plot_view_draw              (LabPlotView           *self,
                                                        cairo_t               *cr,
                                                        int                    width,
                                                        int                    height);

G_END_DECLS
