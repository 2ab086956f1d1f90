/* lab-snapshot.h: what the trainer thread reports: per-epoch records, the
 * snapshots the views draw, and state changes. Reports are copies, never
 * pointers into the model; a snapshot is immutable once sent and shared by
 * reference (lab_snapshot_ref/unref, thread-safe). Each carries the run
 * settings it was trained with. */
#pragma once

#include <glib-object.h>

#include "core/lab-run-settings.h"

G_BEGIN_DECLS

typedef enum
{
  LAB_TRAINER_PAUSED,   /* idle at an epoch boundary */
  LAB_TRAINER_RUNNING,  /* playing at the chosen speed */
  LAB_TRAINER_FINISHED, /* reached the epoch limit */
  LAB_TRAINER_DIVERGED, /* the loss became NaN or infinite; paused on the last good epoch */
} LabTrainerState;

/* A reference forecast on the generation's windows (engine/baselines.h),
 * computed once per rebuild and shared by its snapshots. */
typedef enum
{
  LAB_BASELINE_PERSISTENCE, /* the next value is the last one */
  LAB_BASELINE_LINEAR_AR,   /* least squares on the window, with an intercept */
  LAB_N_BASELINES
} LabBaselineKind;

typedef struct
{
  LabBaselineKind kind;
  const char     *label;          /* untranslated: "Persistence", "Linear AR" (N_) */
  gboolean        ok;             /* FALSE if it could not be fitted (LAPACK failed) */
  const float    *predictions;    /* (n_windows) in the series' units */
  float           test_mse;       /* on the model's scale, as --baselines prints it */
  float           test_mse_units; /* in the series' units */
  float           test_mae_units;
} LabBaseline;

/* Everything the views need for one epoch. */
typedef struct
{
  guint           generation;
  int             epoch;          /* epochs trained; 0 = the initial weights */
  LabRunSettings *settings;       /* what these weights were trained with */
  int             n_points;
  int             time_step;      /* T */
  int             hidden_size;    /* H */
  int             n_windows;      /* N */
  int             n_train;
  float           train_loss;     /* MSE on the train windows with these weights */
  float           test_loss;      /* MSE on the test windows with these weights */
  float          *series;         /* (n_points) in the series' own units */
  float          *predictions;    /* (n_windows) prediction for every window, in the series' units */
  /* What the network reads: the series on the model's scale (the scaling
   * fitted on the training part, engine/scaling.h), and that scaling. */
  const float    *inputs;         /* (n_points) */
  RnnScale        scale;
  /* The errors of these weights on the test windows, in the series' units. */
  float           test_mse_units;
  float           test_mae_units;
  /* The free-running forecast of these weights (engine/forecast.h), in the
   * series' units: value k predicts series position forecast_start + k,
   * from the first test target on, as many as there are test windows. */
  int             n_forecast;
  int             forecast_start;
  float          *forecast;       /* (n_forecast) */
  /* The generation's baselines (LAB_N_BASELINES), shared. */
  int             n_baselines;
  const LabBaseline *baselines;
  int             window;         /* the window whose hidden states are in hidden */
  float          *hidden;         /* (T, H) h_1 .. h_T of that window */
  /* The same window's gate activations and cell states (rnn_window_states):
   * gates[(t G + k) H + j] is gate k (rnn_cell_gate_name) at step t + 1. */
  RnnCell         cell;           /* settings->config.cell */
  int             n_gates;        /* G = rnn_cell_gate_count (cell) */
  float          *gates;          /* (T, G, H) */
  float          *cell_state;     /* (T, H) c_1 .. c_T; NULL unless the cell has one (LSTM) */
  /* |dL/dh_t| for t = 1..T of the epoch that produced these weights
   * (rnn_session_grad_norms, before clipping); NULL for epoch 0. */
  float          *grad_norms;     /* (T) */
  size_t          n_params;
  float          *params;         /* (n_params) the weights, RnnModel layout */
} LabSnapshot;

#define LAB_TYPE_SNAPSHOT (lab_snapshot_get_type ())
GType        lab_snapshot_get_type   (void) G_GNUC_CONST;

LabSnapshot *lab_snapshot_ref        (LabSnapshot *snapshot);
void         lab_snapshot_unref      (LabSnapshot *snapshot);
/* Fills predictions (in the series' units) and the test errors in the
 * series' units from the model's predictions (n_windows, on its scale). */
void         lab_snapshot_set_predictions (LabSnapshot *snapshot, const float *predictions);
/* Hidden states (T, H) of any window, recomputed from the snapshot's weights
 * on the model's scale inputs (cheap: one window forward). */
void         lab_snapshot_get_hidden (const LabSnapshot *snapshot, int window, float *out);
/* Hidden states hs (T, H), cell states cs (T, H) and gates (T, G, H) of any
 * window, as lab_snapshot_get_hidden; cs and gates may be NULL. */
void         lab_snapshot_get_states (const LabSnapshot *snapshot, int window,
                                      float *hs, float *cs, float *gates);
/* The arithmetic of step t of a window (rnn_step_terms), one block the
 * caller frees with lab_step_terms_free. G = n_gates; vectors of G H hold
 * the gate blocks in PyTorch's order. */
typedef struct
{
  RnnCell cell;
  int     step;         /* t, 1..T */
  int     input_size;   /* I */
  int     hidden_size;  /* H */
  int     n_gates;      /* G */
  float  *x;            /* (I) x_t */
  float  *h_prev;       /* (H) h_{t-1} (h_0 = 0) */
  float  *ih;           /* (G H) W_ih x_t */
  float  *hh;           /* (G H) W_hh h_{t-1} */
  float  *b_ih;         /* (G H) */
  float  *b_hh;         /* (G H) */
  float  *pre;          /* (G H) the sum before the nonlinearities */
  float  *gates;        /* (G H) after them (rnn: h_t) */
  float  *c_prev;       /* (H) c_{t-1}; NULL unless the cell has a state */
  float  *c;            /* (H) c_t; likewise */
  float  *h;            /* (H) h_t */
} LabStepTerms;

/* Step t (1..T) of a window of the snapshot's weights on the model's scale
 * inputs; NULL if window or t is out of range. */
LabStepTerms *lab_snapshot_get_step_terms (const LabSnapshot *snapshot, int window, int step);
void          lab_step_terms_free         (LabStepTerms *terms);

/* The learning rate of the snapshot's epoch (for epoch 0, of epoch 1). */
double       lab_snapshot_get_lr     (const LabSnapshot *snapshot);

/* The series of a generation, shared by all its snapshots: the data in
 * both scales, its windows' split and the baselines fitted on them. */
typedef struct _LabSeries LabSeries;

/* Computes the baselines (a least-squares fit: once per rebuild). */
LabSeries   *lab_series_new          (const RnnDataset *dataset);
LabSeries   *lab_series_ref          (LabSeries *series);
void         lab_series_unref        (LabSeries *series);

/* A snapshot of the given sizes whose arrays are to be filled by the
 * caller (the trainer's worker): series is shared (a new reference),
 * settings referenced, predictions, hidden, gates, cell_state, grad_norms,
 * params and forecast allocated with it (the windows, the time step and
 * the forecast's length are the series', the cell the settings'). */
LabSnapshot *lab_snapshot_new        (LabSeries *series, LabRunSettings *settings,
                                      int hidden_size, gsize n_params);

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
  float           train_ms;  /* LAB_REPORT_EPOCH: the epoch's training and
                                test loss took this long on the worker */
  LabRunSettings *settings; /* what the epoch was trained with (a reference) */
  LabSnapshot    *snapshot; /* LAB_REPORT_SNAPSHOT only (owned reference) */
  LabTrainerState state;    /* LAB_REPORT_STATE only */
  char           *message;  /* LAB_REPORT_STATE only, may be NULL */
} LabReport;

void lab_report_free (LabReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabReport, lab_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabSnapshot, lab_snapshot_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabStepTerms, lab_step_terms_free)

G_END_DECLS
