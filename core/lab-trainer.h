/* lab-trainer.h: the training engine on a background thread.
 *
 * The worker thread owns the RnnSession (model, optimizer, data); nothing else
 * touches it. The UI sends commands (all functions below return at once) and
 * drains reports with lab_trainer_pop_report(), typically once per frame.
 * Reports are copies, never pointers into the model. Each reset, reseed or
 * shape change starts a new generation; reports of older generations are
 * dropped by lab_trainer_pop_report(), so the UI never sees stale data.
 */
#pragma once

#include <glib-object.h>

#include "core/lab-snapshot.h"

G_BEGIN_DECLS

/* The epoch limit of a new trainer (the tutorial's), until set_max_epochs. */
#define LAB_TRAINER_DEFAULT_MAX_EPOCHS 200

#define LAB_TYPE_TRAINER (lab_trainer_get_type ())
G_DECLARE_FINAL_TYPE (LabTrainer, lab_trainer, LAB, TRAINER, GObject)

/* Starts the worker thread, paused at epoch 0 of generation 1, with the
 * given settings (referenced; the worker owns what it applies from then on:
 * every report carries it). The first snapshot (epoch 0) is reported at
 * once. NULL if no session can be built for these settings. */
LabTrainer *lab_trainer_new (LabRunSettings *settings);

/* Commands. Those that start a new generation return its number.
 * The worker takes commands in order at epoch boundaries (also inside a
 * multi-epoch step: a pause stops it, a learning rate applies from the next
 * epoch). Play and step at the epoch limit only report FINISHED again. Step
 * while running pauses, then runs the steps; steps add up. A new generation
 * (reset, reseed, set_shape, load_params) starts paused at epoch 0, with its
 * own epoch-0 snapshot and state report; a burst of them is applied once.
 * select_window clamps to the last window; when paused it sends a snapshot.
 * max_epochs <= 0: no limit (default LAB_TRAINER_DEFAULT_MAX_EPOCHS). */
void   lab_trainer_play           (LabTrainer *self);
void   lab_trainer_pause          (LabTrainer *self);
void   lab_trainer_step           (LabTrainer *self, int n_epochs);
guint  lab_trainer_reset          (LabTrainer *self);   /* replay from the same initial weights */
guint  lab_trainer_reseed         (LabTrainer *self, guint64 seed);
/* Rebuilds data and model. init_params: the starting weights of the new
 * shape (copied), or NULL for those lab_run_settings_with_shape () gives.
 * If the rebuild fails, the previous shape is kept and a state report says so. */
guint  lab_trainer_set_shape      (LabTrainer *self, int hidden_size, int time_step,
                                   const float *init_params, gsize n_params);
/* A new series or way of training on it: the fields of config that
 * lab_run_settings_with_data () takes, with source for a series that is
 * not generated (referenced). Rebuilds data and model; if they cannot be
 * built (the series too short for the time step), the previous series is
 * kept and a state report says so. */
guint  lab_trainer_set_data       (LabTrainer *self, const RnnConfig *config,
                                   LabDataSource *source);
/* New starting weights of the current shape (an opened model file); if
 * they do not fit the shape the worker has then, it replays the current
 * run instead and a state report says so. */
guint  lab_trainer_load_params    (LabTrainer *self, const float *params, gsize n_params);
/* From the next epoch on: the settings get a learning-rate change at the
 * epoch after the worker's current one (at epoch 0, the rate of epoch 1);
 * while paused, a snapshot carrying the new settings follows. */
/* Starts over with exactly these settings (shape, data, schedule, seed,
 * initial weights), as a run was started with them: to go back to an
 * earlier run (undo). If no network can be built for them, the previous
 * shape is kept and a state report says so. */
guint  lab_trainer_set_settings   (LabTrainer *self, LabRunSettings *settings);
void   lab_trainer_set_lr         (LabTrainer *self, double lr);
void   lab_trainer_set_speed      (LabTrainer *self, double epochs_per_second); /* <= 0: as fast as possible */
void   lab_trainer_set_max_epochs (LabTrainer *self, int max_epochs);
void   lab_trainer_select_window  (LabTrainer *self, int window);    /* window for snapshot hidden states */

/* The generation the UI is on now (the last one a command started). */
guint  lab_trainer_get_generation (LabTrainer *self);
/* Next report of the current generation, or NULL if none is waiting. Never blocks. */
LabReport *lab_trainer_pop_report (LabTrainer *self);
/* As pop_report, but waits up to timeout_us (for tests and the headless tools). */
LabReport *lab_trainer_timed_pop_report (LabTrainer *self, gint64 timeout_us);

/* Stops the worker at the next safe point and joins it (also done by dispose). */
void   lab_trainer_shutdown       (LabTrainer *self);

G_END_DECLS
