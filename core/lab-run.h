/* lab-run.h: one training run, as the widgets see it.
 *
 * A LabRun owns a LabTrainer and the LabHistory of its reports, and turns
 * the reports into properties and signals: what is SHOWN (a snapshot, its
 * epoch and the settings it was trained with), the trainer's state, the
 * scrub position, the measured speed. Views, the title, the help and the
 * status line observe it and read from it; the window only routes its
 * actions to the commands below. Data flows one way: engine -> trainer ->
 * run -> views. A window may hold several runs side by side: nothing here
 * is shared between two of them.
 *
 * Reports are taken in lab_run_drain (), which the owner calls once per
 * frame (a widget tick callback) with a time budget; signals are emitted
 * from there, on the owner's thread.
 */
#pragma once

#include <glib-object.h>

#include "core/lab-history.h"
#include "core/lab-trainer.h"

G_BEGIN_DECLS

/* What a new generation changed, compared with the one shown before it. */
typedef enum /*< flags >*/
{
  LAB_RUN_CHANGE_NONE      = 0,
  LAB_RUN_CHANGE_SHAPE     = 1 << 0, /* hidden size or time step */
  LAB_RUN_CHANGE_DATA      = 1 << 1, /* the series, its scaling or its split */
  LAB_RUN_CHANGE_OPTIMIZER = 1 << 2, /* the optimizer, the batches */
  LAB_RUN_CHANGE_LR        = 1 << 3, /* the learning-rate schedule */
  LAB_RUN_CHANGE_SEED      = 1 << 4,
  LAB_RUN_CHANGE_INIT      = 1 << 5, /* where the initial weights come from, or which */
} LabRunChange;

#define LAB_TYPE_RUN_CHANGE     (lab_run_change_get_type ())
GType lab_run_change_get_type   (void) G_GNUC_CONST;
#define LAB_TYPE_TRAINER_STATE  (lab_trainer_state_get_type ())
GType lab_trainer_state_get_type (void) G_GNUC_CONST;

/* What differs between two settings values (either may be NULL: all). */
LabRunChange lab_run_settings_diff (const LabRunSettings *a, const LabRunSettings *b);

#define LAB_TYPE_RUN (lab_run_get_type ())
G_DECLARE_FINAL_TYPE (LabRun, lab_run, LAB, RUN, GObject)

/* A run of the given settings, paused at epoch 0; NULL if no network can
 * be built for them. Waits up to wait_us for the epoch 0 snapshot (0: not
 * at all), so that a first frame can show the data. */
LabRun          *lab_run_new               (LabRunSettings *settings,
                                            gint64          wait_us);

/* Takes the trainer's reports for up to budget_us microseconds; updates the
 * history, the latest and the shown snapshot, and emits what changed. */
void             lab_run_drain             (LabRun         *self,
                                            gint64          budget_us);

LabTrainer      *lab_run_get_trainer       (LabRun         *self);
LabHistory      *lab_run_get_history       (LabRun         *self);

/* What is shown: the latest snapshot, or a past one while scrubbing
 * (borrowed, NULL before the first report), its epoch (-1 before), and the
 * settings it was trained with (borrowed, never NULL). */
LabSnapshot     *lab_run_get_shown         (LabRun         *self);
int              lab_run_get_shown_epoch   (LabRun         *self);
const LabRunSettings *lab_run_get_settings (LabRun         *self);
/* The newest snapshot (borrowed, may be NULL) and its epoch (-1 before). */
LabSnapshot     *lab_run_get_latest        (LabRun         *self);
int              lab_run_get_latest_epoch  (LabRun         *self);
/* The losses that go with a snapshot's picture: the train and test MSE of
 * the weights it shows (after `epoch` updates), the same numbers the
 * command line prints as Train MSE and Test MSE after that many epochs.
 * (The tutorial's printout and the loss CSV give, for epoch k, the loss of
 * epoch k's forward pass, before its update: the weights of epoch k - 1.) */
void             lab_run_get_losses        (LabRun         *self,
                                            const LabSnapshot *snapshot,
                                            float          *train_loss,
                                            float          *test_loss);
/* The loss curves as the loss plot draws them (LabLossData.from_epoch_0):
 * value i is the loss of the weights after i updates, i = 0 .. n - 1 (from
 * the epoch records, whose epoch k holds the weights of k - 1, and the
 * latest snapshot's evaluation for the newest weights). Borrowed: valid
 * until the next drain or command. */
int              lab_run_get_loss_curve    (LabRun         *self,
                                            const float   **train_loss,
                                            const float   **test_loss);

LabTrainerState  lab_run_get_state         (LabRun         *self);
gboolean         lab_run_get_playing       (LabRun         *self);
/* Why training stopped (the loss diverged), or NULL. */
const char      *lab_run_get_message       (LabRun         *self);
/* Epochs per second over the last half second (0 unless running). */
double           lab_run_get_rate          (LabRun         *self);
/* Milliseconds the trainer spends on one epoch (its update and its test
 * loss), a running mean over about the last 20 epochs; 0 before any
 * epoch of the current generation. */
double           lab_run_get_ms_per_epoch  (LabRun         *self);
/* Whether the shown epoch is a past one (the timeline scrubbed back). */
gboolean         lab_run_get_scrubbing     (LabRun         *self);
/* The epoch the timeline is scrubbed to, -1 when live. */
int              lab_run_get_scrub_epoch   (LabRun         *self);
double           lab_run_get_speed         (LabRun         *self);
int              lab_run_get_max_epochs    (LabRun         *self);
int              lab_run_get_selected_window (LabRun       *self);

/* The run a rebuild (a new shape or seed) replaced, kept for comparison
 * (the views draw it faded as a "ghost") and for undo. Only a run that had
 * trained at least one epoch is kept; a rebuild of an untrained run keeps
 * the one kept before. */
typedef struct
{
  LabRunSettings *settings;   /* what its shown epoch was trained with */
  int             epoch;      /* the epoch shown when it was replaced */
  char           *label;      /* "before: hidden 50", translated */
  int             n_epochs;   /* the loss curve, as lab_run_get_loss_curve */
  float          *train_loss; /* (n_epochs) */
  float          *test_loss;  /* (n_epochs) */
  LabSnapshot    *snapshot;   /* the picture shown (its predictions) */
} LabRunPrevious;

/* The run kept, or NULL. Borrowed; "notify::previous" says it changed. */
const LabRunPrevious *lab_run_get_previous  (LabRun         *self);
void             lab_run_forget_previous   (LabRun         *self);
/* Goes back to the run kept: starts over with its settings (shape, seed,
 * learning-rate schedule, initial weights) and replays, training again,
 * up to the epoch it was at, so its history and weights come back exactly
 * (the run replaced by the undo is kept in turn). FALSE if none is kept. */
gboolean         lab_run_undo_rebuild      (LabRun         *self);

/* Commands. A rebuild (shape, seed, reset, weights) starts over at epoch 0,
 * and keeps playing if the run was playing. */
void             lab_run_set_playing       (LabRun         *self,
                                            gboolean        playing);
void             lab_run_play              (LabRun         *self);
void             lab_run_pause             (LabRun         *self);
/* One epoch forward from the one shown: while the timeline is scrubbed
 * back, the next recorded epoch; at the latest, one more epoch trained.
 * Pauses a playing run. */
void             lab_run_step              (LabRun         *self);
/* One recorded epoch back from the one shown (pauses); FALSE at the first. */
gboolean         lab_run_step_back         (LabRun         *self);
/* Replays from the same initial weights. */
void             lab_run_reset             (LabRun         *self);
/* Starts over with exactly these settings (shape, data, learning-rate
 * schedule, seed, initial weights): a lesson step's. */
void             lab_run_start_with        (LabRun         *self,
                                            LabRunSettings *settings);
void             lab_run_reseed            (LabRun         *self,
                                            guint64         seed);
/* Applies from the next epoch the trainer trains. */
void             lab_run_set_lr            (LabRun         *self,
                                            double          lr);
/* A no-op if the shape is the latest one. */
void             lab_run_set_shape         (LabRun         *self,
                                            int             hidden_size,
                                            int             time_step);
/* A new cell (engine/rnn.h), or gradient clipping (RnnConfig.clip_grad_norm,
 * 0: off): both rebuild at epoch 0 from the initial weights by the rule,
 * keeping the trained run as the ghost (undo brings it back). No-ops if
 * the value is the latest one. */
void             lab_run_set_cell          (LabRun         *self,
                                            RnnCell         cell);
void             lab_run_set_clip_grad_norm (LabRun        *self,
                                            double          max_norm);
/* A new series, or a new way to train on it (lab_run_settings_with_data):
 * rebuilds at epoch 0. FALSE (error: one line saying why, nothing changed)
 * if no run can be built with it at the current time step; TRUE and
 * nothing done if nothing differs. */
gboolean         lab_run_set_data          (LabRun         *self,
                                            const RnnConfig *config,
                                            LabDataSource  *source,
                                            GError        **error);
/* Starts from these weights of hidden_size units (an opened model file);
 * the shape follows. */
void             lab_run_load_params       (LabRun         *self,
                                            int             hidden_size,
                                            const float    *params,
                                            gsize           n_params);
void             lab_run_set_speed         (LabRun         *self,
                                            double          epochs_per_second);
void             lab_run_set_max_epochs    (LabRun         *self,
                                            int             max_epochs);
void             lab_run_select_window     (LabRun         *self,
                                            int             window);
/* Shows a past epoch (the nearest recorded snapshot at or before it) and
 * pauses; an epoch at or past the latest, or -1, goes back to live. */
void             lab_run_show_epoch        (LabRun         *self,
                                            int             epoch);
void             lab_run_go_live           (LabRun         *self);

G_END_DECLS
