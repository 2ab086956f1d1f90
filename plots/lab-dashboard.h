/* lab-dashboard.h: the three views on one page, for slides and handouts.
 *
 * A title line (the epoch and the losses, given by the caller), the forecast
 * across the top, the loss and the hidden state side by side below. Plain
 * Cairo and Pango through the plot renderers: no GTK, so the exported files,
 * the tests and the window draw the same picture. */
#pragma once

#include "plots/lab-plots.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_DASHBOARD_HANDOUT,    /* the forecast across the top, loss and hidden state below */
  LAB_DASHBOARD_PRESENTER,  /* the forecast gets the space: two thirds of the width at
                               full height on a wide page (most of the height on a
                               tall one), loss and hidden state stacked beside it */
} LabDashboardArrangement;

typedef struct
{
  const char            *title;    /* one line, may be NULL */
  const LabForecastData *forecast; /* each may be NULL: that panel is left empty */
  const LabLossData     *loss;
  const LabHiddenData   *hidden;
  LabDashboardArrangement arrangement;
} LabDashboardData;

typedef struct
{
  double x, y, width, height;
} LabDashboardRect;

typedef struct
{
  LabDashboardRect title;
  LabDashboardRect forecast;
  LabDashboardRect loss;
  LabDashboardRect hidden;
} LabDashboardLayout;

/* Where each part goes at this size (panels on whole pixels). */
void lab_dashboard_get_layout (int                 width,
                               int                 height,
                               const LabPlotStyle *style,
                               gboolean            has_title,
                               LabDashboardLayout *layout);

void lab_dashboard_get_arranged_layout (int                      width,
                                        int                      height,
                                        const LabPlotStyle      *style,
                                        gboolean                 has_title,
                                        LabDashboardArrangement  arrangement,
                                        LabDashboardLayout      *layout);

void lab_dashboard_draw       (cairo_t                *cr,
                               int                     width,
                               int                     height,
                               const LabDashboardData *data,
                               const LabPlotStyle     *style);

G_END_DECLS
