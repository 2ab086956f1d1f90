/* lab-run-settings.h: the settings a run is trained with, as one value.
 *
 * A LabRunSettings is immutable and reference-counted (atomically: the
 * trainer thread makes them, the UI reads them). It wraps the engine's
 * RnnConfig (shape, data, optimizer and whatever later engine options add)
 * and adds what the engine does not know: the learning rate per epoch as a
 * schedule, the seed, and where the initial weights come from. The
 * trainer's worker owns the settings it applies; every snapshot and epoch
 * report carries those it was trained with, so whatever shows an epoch
 * (views, title, help, status line, exports, a lesson's settings.json)
 * reads them from what it shows. A change makes a new value
 * (lab_run_settings_with_*), never edits one.
 *
 * The learning-rate schedule: config.lr is the rate of epoch 1; each
 * change { epoch k, lr } trains epoch k (the k-th update, 1-based) and
 * every later one with lr, until the next change. Changes have strictly
 * increasing epochs, all >= 2, each rate different from the one before.
 */
#pragma once

#include <glib-object.h>

#include "core/lab-data-source.h"
#include "engine/session.h"

G_BEGIN_DECLS

/* Where the initial weights come from. */
typedef enum
{
  LAB_INIT_TUTORIAL, /* the tutorial's PyTorch weights (lab_run_settings_wants_tutorial) */
  LAB_INIT_SEED,     /* the engine's generator from the seed */
  LAB_INIT_FILE,     /* weights given by the caller (an opened model file) */
} LabInit;

typedef struct
{
  int    epoch;  /* >= 2 */
  double lr;
} LabLrChange;

typedef struct _LabRunSettings LabRunSettings;

struct _LabRunSettings
{
  /*< public, read-only >*/
  RnnConfig          config;        /* config.lr: the rate of epoch 1 */
  guint64            seed;
  LabInit            init;
  const float       *init_params;   /* (n_init_params) TUTORIAL and FILE; NULL for SEED */
  gsize              n_init_params;
  guint              n_lr_changes;
  const LabLrChange *lr_changes;    /* (n_lr_changes) by increasing epoch */
  /* config.series RNN_SERIES_DATA: where the values come from; it owns
   * what config.values points at. NULL for a generated series. */
  LabDataSource     *data;

  /*< private >*/
  int                ref_count;     /* atomic */
  gpointer           weights;       /* shared block behind init_params */
};

/* The seed whose weights at the tutorial's shape are the tutorial's own:
 * its script calls torch.manual_seed(0) before building the model. */
#define LAB_TUTORIAL_SEED 0

/* The one rule for "start from the tutorial's weights", used by the window
 * and the command line alike: the tutorial's shape (lab_config_is_tutorial_shape)
 * and seed LAB_TUTORIAL_SEED. The window's default (seed 0) and the default
 * headless run (no --seed: seed 0) therefore start from the same weights,
 * the tutorial's, and so does --seed 0; any other seed or shape uses the
 * engine's generator. */
gboolean        lab_run_settings_wants_tutorial (const RnnConfig *config,
                                                 guint64          seed);

#define LAB_TYPE_RUN_SETTINGS (lab_run_settings_get_type ())
GType           lab_run_settings_get_type   (void) G_GNUC_CONST;

/* Initial weights from the rule above (the tutorial's, else the seed's).
 * If the tutorial's weights cannot be loaded (a broken build), from the seed. */
LabRunSettings *lab_run_settings_new        (const RnnConfig      *config,
                                             guint64               seed);
/* Initial weights from the seed, whatever the shape (tests, benchmarks). */
LabRunSettings *lab_run_settings_new_seeded (const RnnConfig      *config,
                                             guint64               seed);
LabRunSettings *lab_run_settings_ref        (LabRunSettings       *settings);
void            lab_run_settings_unref      (LabRunSettings       *settings);

/* n_params of a model of these settings (the engine's RnnModel layout). */
gsize           lab_run_settings_get_n_params (const LabRunSettings *settings);
/* The longest time step the settings' series allows (one train and one
 * test window left), for the time-step control's range. */
int             lab_run_settings_get_time_step_max (const LabRunSettings *settings);
/* The window offers time steps that leave at least this many train and
 * test windows: fewer make a loss that says little (a test MSE of 3
 * windows) and a lesson about overfitting rather than about memory. */
#define LAB_MIN_TRAIN_WINDOWS 20
#define LAB_MIN_TEST_WINDOWS  10
/* The longest time step that leaves LAB_MIN_TRAIN_WINDOWS and
 * LAB_MIN_TEST_WINDOWS (on a series too short for that, the longest one
 * allowed at all), for the window's time-step control. */
int             lab_run_settings_get_time_step_limit (const LabRunSettings *settings);
/* The train and test windows the settings' series gives at time step T
 * (0 and 0 if T does not fit). */
void            lab_run_settings_get_split  (const LabRunSettings *settings,
                                             int                   time_step,
                                             int                  *n_train,
                                             int                  *n_test);
/* The rate epoch k (>= 1) is trained with; for k = 0, that of epoch 1. */
double          lab_run_settings_lr_at      (const LabRunSettings *settings,
                                             int                   epoch);
/* The rate of the last change (or of epoch 1): what a new epoch gets. */
double          lab_run_settings_get_last_lr (const LabRunSettings *settings);

/* New values; each returns a new reference. */

/* Epoch `epoch` and every later one trained with lr: changes from that
 * epoch on are dropped. epoch <= 1 sets the rate of epoch 1. */
LabRunSettings *lab_run_settings_with_lr    (const LabRunSettings *settings,
                                             int                   epoch,
                                             double                lr);
/* A new start (epoch 0) with the same initial weights, trained with the
 * last rate from epoch 1. */
LabRunSettings *lab_run_settings_restart    (const LabRunSettings *settings);
/* A new shape; initial weights by the rule (an opened file no longer fits). */
LabRunSettings *lab_run_settings_with_shape (const LabRunSettings *settings,
                                             int                   hidden_size,
                                             int                   time_step);
/* A new cell (initial weights by the rule) and gradient clipping (0: off;
 * the initial weights stay when only it changes). */
LabRunSettings *lab_run_settings_with_cell  (const LabRunSettings *settings,
                                             RnnCell               cell,
                                             double                clip_grad_norm);
/* A new seed; initial weights by the rule. */
LabRunSettings *lab_run_settings_with_seed  (const LabRunSettings *settings,
                                             guint64               seed);
/* A new series, or a new way to train on it: every field of config but
 * the shape (hidden_size, time_step) and the learning rate is taken, with
 * the values of source for an RNN_SERIES_DATA series (n_points follows
 * them; config->values is ignored) or NULL for a generated one. The
 * batches' order is drawn with the settings' seed. Initial weights by the
 * rule. */
LabRunSettings *lab_run_settings_with_data  (const LabRunSettings *settings,
                                             const RnnConfig      *config,
                                             LabDataSource        *source);
/* Initial weights given (LAB_INIT_FILE), for hidden_size units. NULL if
 * n_params does not fit that size. */
LabRunSettings *lab_run_settings_with_params (const LabRunSettings *settings,
                                              int                   hidden_size,
                                              const float          *params,
                                              gsize                 n_params);

/* "RNN", "LSTM", "GRU": a cell as the window names it (the same in every
 * language). */
const char     *lab_cell_label              (RnnCell               cell);

/* "tutorial", "seed" or "file": settings.json's "init". */
const char     *lab_init_to_string          (LabInit               init);

/* The name of an imported series' copy in a lesson folder. */
#define LAB_LESSON_SERIES_CSV "series.csv"

/* The text of a lesson's settings.json for a run of `epochs` epochs: every
 * setting `rnn-lab --headless --settings` needs to train it again, with the
 * command line's option names; the schedule as "lr" (epoch 1) and
 * "lr-changes" (those up to `epochs`); when init is "file", init_weights
 * names the file of the initial weights, relative to settings.json.
 *
 * The series: a generated one by "points" and "period", and "series",
 * "period2", "decay", "burst", "noise", "series-seed" where they apply and
 * differ from the command line's defaults; a shipped one by "series"; an
 * imported one by "csv" (LAB_LESSON_SERIES_CSV, the file's copy next to
 * settings.json), "column" and "missing". Then "normalize" (when it is not
 * the series' default), "train-ratio", "batch-size" (when not all the
 * windows) and "shuffle" (when on). */
GBytes         *lab_run_settings_to_json    (const LabRunSettings *settings,
                                             int                   epochs,
                                             const char           *init_weights);

/* The shortest text (%.15g, %.16g or %.17g, C locale) that reads back with
 * g_ascii_strtod as the same double: how every number of settings.json is
 * written. buf holds at least G_ASCII_DTOSTR_BUF_SIZE bytes. */
char           *lab_format_double           (char                 *buf,
                                             double                value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabRunSettings, lab_run_settings_unref)

G_END_DECLS
