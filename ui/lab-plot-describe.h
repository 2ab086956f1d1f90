/* lab-plot-describe.h: what each plot shows, in one sentence with its
 * values, for assistive technologies: the accessible description of a
 * LabPlotView (lab_plot_view_describe), in the user's language.
 *
 * Each takes the data the plot draws and the epoch it shows; free the text
 * with g_free. NULL when there is nothing to describe.
 *
 *   forecast  "Forecast, epoch 120: train MSE 3.1e-4, test MSE 5.0e-4 in ppm;
 *              window 37 selected" (MSE in the series' units, over the
 *              windows' targets), or with a cursor its window's sentence
 *   window    "Window 37 of 190 (test): target 0.52, prediction 0.50, error 0.02"
 *   loss      "Loss, epoch 120: train 3.1e-4, test 5.0e-4, falling" (the
 *              train loss over the last ten epochs: falling, rising or flat)
 *   hidden    "Hidden state, epoch 120, window 37: 50 units by 10 time steps,
 *              values from -0.98 to 0.95, most active unit 12 (mean |value| 0.81)"
 *   gates     "Gates, epoch 120, window 37: mean input gate i_t 0.52, ..."
 *   gradient  "Gradients through time, epoch 120: " and the first/last ratio
 */
#pragma once

#include "plots/lab-plots.h"

G_BEGIN_DECLS

char *lab_plot_describe_forecast (const LabForecastData *data,
                                  int                    epoch,
                                  int                    cursor);
char *lab_plot_describe_window   (const LabForecastData *data,
                                  int                    window);
char *lab_plot_describe_loss     (const LabLossData     *data,
                                  int                    epoch);
char *lab_plot_describe_hidden   (const LabHiddenData   *data,
                                  int                    epoch);
char *lab_plot_describe_gates    (const LabGatesData    *data,
                                  int                    epoch);
char *lab_plot_describe_gradient (const LabGradientData *data,
                                  int                    epoch);
char *lab_plot_describe_unrolled (const LabUnrolledData *data,
                                  int                    epoch);

G_END_DECLS
