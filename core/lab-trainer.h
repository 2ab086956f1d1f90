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

#include "engine/session.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_TRAINER_PAUSED,   /* idle at an epoch boundary */
  LAB_TRAINER_RUNNING,  /* playing at the chosen speed */
  LAB_TRAINER_FINISHED, /* reached the epoch limit */
  LAB_TRAINER_DIVERGED, /* the loss became NaN or infinite; paused on the last good epoch */
} LabTrainerState;

/* Everything the views need for one epoch; immutable once sent, shared by
 * reference (lab_snapshot_ref/unref, thread-safe). */
typedef struct
{
  guint  generation;
  int    epoch;          /* epochs trained; 0 = the initial weights */
  int    n_points;
  int    time_step;      /* T */
  int    hidden_size;    /* H */
  int    n_windows;      /* N */
  int    n_train;
  float  train_loss;     /* MSE on the train windows with these weights */
  float  test_loss;      /* MSE on the test windows with these weights */
  float *series;         /* (n_points) */
  float *predictions;    /* (n_windows) prediction for every window */
  int    window;         /* the window whose hidden states are in hidden */
  float *hidden;         /* (T, H) h_1 .. h_T of that window */
  size_t n_params;
  float *params;         /* (n_params) the weights, RnnModel layout */
} LabSnapshot;

LabSnapshot *lab_snapshot_ref        (LabSnapshot *snapshot);
void         lab_snapshot_unref      (LabSnapshot *snapshot);
/* Hidden states (T, H) of any window, recomputed from the snapshot's weights
 * (cheap: one window forward). */
void         lab_snapshot_get_hidden (const LabSnapshot *snapshot, int window, float *out);

/* The epoch limit of a new trainer (the tutorial's), until set_max_epochs. */
#define LAB_TRAINER_DEFAULT_MAX_EPOCHS 200

/* LAB_REPORT_EPOCH, epoch k: train_loss is the loss of epoch k's forward pass,
 * before its update (what the tutorial prints); test_loss is measured on the
 * same weights (after k - 1 updates). A snapshot of epoch k holds the weights
 * after k updates and the losses of those. */
typedef enum
{
  LAB_REPORT_EPOCH,    /* one per trained epoch: epoch, train_loss, test_loss, grad_norm */
  LAB_REPORT_SNAPSHOT, /* coalesced: at most one per frame while running, one per step */
  LAB_REPORT_STATE,    /* state changed; message says why (translated, may be NULL) */
} LabReportKind;

typedef struct
{
  LabReportKind   kind;
  guint           generation;
  int             epoch;
  float           train_loss;
  float           test_loss;
  float           grad_norm;
  LabSnapshot    *snapshot; /* LAB_REPORT_SNAPSHOT only (owned reference) */
  LabTrainerState state;    /* LAB_REPORT_STATE only */
  char           *message;  /* LAB_REPORT_STATE only, may be NULL */
} LabReport;

void lab_report_free (LabReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabReport, lab_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSnapshot, lab_snapshot_unref)

#define LAB_TYPE_TRAINER (lab_trainer_get_type ())
G_DECLARE_FINAL_TYPE (LabTrainer, lab_trainer, LAB, TRAINER, GObject)

/* Starts the worker thread, paused at epoch 0 of generation 1, with the
 * given config. init_params (may be NULL: engine init from seed) are the
 * starting weights for this shape (copied). The first snapshot (epoch 0) is
 * reported at once. */
LabTrainer *lab_trainer_new (const RnnConfig *config,
                             guint64          seed,
                             const float     *init_params,
                             gsize            n_params);

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
/* Rebuilds data and model; init_params as for lab_trainer_new (NULL = init from the current seed). */
guint  lab_trainer_set_shape      (LabTrainer *self, int hidden_size, int time_step,
                                   const float *init_params, gsize n_params);
/* New starting weights of the current shape (an opened model file). */
guint  lab_trainer_load_params    (LabTrainer *self, const float *params, gsize n_params);
void   lab_trainer_set_lr         (LabTrainer *self, double lr);     /* applies at the next epoch */
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
