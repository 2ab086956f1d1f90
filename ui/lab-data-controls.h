/* lab-data-controls.h: the sidebar's data and optimizer controls as one
 * widget with properties: the series (a generated kind, a shipped series
 * or an imported file) with the parameters of its kind, the train share,
 * the scaling, the optimizer, the batch size and shuffling, each in its
 * own units. A small preview draws the series as it will be, the test part
 * shaded. GSettings binds to the properties (lab-window-settings.c); the
 * window reads the whole as a run's data part (lab_data_controls_get_data)
 * when "changed" says something moved. */
#pragma once

#include <gtk/gtk.h>

#include "core/lab-data-source.h"
#include "engine/session.h"

G_BEGIN_DECLS

#define LAB_TYPE_DATA_CONTROLS (lab_data_controls_get_type ())
G_DECLARE_FINAL_TYPE (LabDataControls, lab_data_controls, LAB, DATA_CONTROLS, GtkBox)

/* "Square wave", "Random walk", ...: a generated kind's name (translated). */
const char    *lab_data_controls_kind_title     (RnnSeriesKind    kind);
/* The id of the chosen series: "sine" ... "pattern" (series_kind_name),
 * "co2", "sunspots", "nile", or "csv" for the imported file. */
const char    *lab_data_controls_get_series     (LabDataControls *self);
/* Chooses a series by id; an unknown id (or "csv" with no file opened)
 * is ignored. The scaling follows the kind's default. */
void           lab_data_controls_set_series     (LabDataControls *self,
                                                 const char      *series);
/* Fills the fields of config that lab_run_settings_with_data () takes;
 * returns the series' values (borrowed), or NULL for a generated one. */
LabDataSource *lab_data_controls_get_data       (LabDataControls *self,
                                                 RnnConfig       *config);
/* An opened file: it becomes the chooser's "csv" entry (replacing the one
 * before) and is chosen. */
void           lab_data_controls_add_source     (LabDataControls *self,
                                                 LabDataSource   *source);
/* The run's time step, for the preview's split. */
void           lab_data_controls_set_time_step  (LabDataControls *self,
                                                 int              time_step);
/* Why the settings shown cannot build a run (NULL: they can). */
void           lab_data_controls_set_message    (LabDataControls *self,
                                                 const char      *message);
const char    *lab_data_controls_get_message    (LabDataControls *self);

G_END_DECLS
