/* lab-cli-data.h: the headless run's data beyond the tutorial's sine: the
 * shipped and imported series, and the numbers that judge a trained model
 * on them (baselines, errors in the series' units, the free-running
 * forecast). Options are checked in lab-cli.c; these do the work. */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "core/lab-csv.h"
#include "engine/session.h"

G_BEGIN_DECLS

/* A real series (real_name, one of lab-real-series) or a CSV file's column
 * (csv_path, column, missing): its values in *values (n_values), a short
 * label for the figure in *label. The message of a file that cannot be
 * read or is refused names the option and the file. */
gboolean lab_cli_data_load (const char     *real_name,
                            const char     *csv_path,
                            const char     *column,
                            LabCsvMissing   missing,
                            float         **values,
                            int            *n_values,
                            char          **label,
                            GError        **error);

/* After "Test MSE:", to log: the baselines' test MSE on the model's scale,
 * then the test MAE of the model and of both baselines in the series'
 * units. predictions (N) are the model's, on the model's scale. */
void     lab_cli_data_print_baselines (FILE        *log,
                                       RnnSession  *session,
                                       const float *predictions);

/* The free-running forecast of steps points from the start of the test
 * part, in the series' units, as step,index,forecast. */
gboolean lab_cli_data_write_forecast (RnnSession  *session,
                                      int          steps,
                                      const char  *path,
                                      GError     **error);

G_END_DECLS
