/* lab-advisor.h: what a run is doing, in words a class understands.
 *
 * The advisor reads what the window already has (the loss history up to the
 * shown epoch, the share of saturated hidden units, the gradient norms
 * through time, a baseline's test MSE) and names what is happening:
 * diverging, oscillating, overfitting, stuck on a plateau, saturated units,
 * vanishing gradients, or beaten by a simple baseline. Pure logic, no GTK:
 * the same input always gives the same findings, so each rule is tested on a
 * run that shows it and on one that does not. The thresholds are below, each
 * with its reason.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LAB_FINDING_DIVERGING,    /* the loss blew up: far above where it started */
  LAB_FINDING_OSCILLATING,  /* the loss jumps far above its recent best and back */
  LAB_FINDING_OVERFITTING,  /* test loss rising for many epochs while train falls */
  LAB_FINDING_SATURATED,    /* most hidden units stuck near -1 or +1 */
  LAB_FINDING_VANISHING,    /* the gradient fades going back through time */
  LAB_FINDING_PLATEAU,      /* no progress for many epochs, loss still high */
  LAB_FINDING_BASELINE,     /* a simple baseline predicts the test part better */
  LAB_N_FINDINGS
} LabFindingKind;

/* Diverging: a loss above this many times the first epoch's, or not finite,
 * within the last LAB_ADVISOR_RECENT epochs. Training should only ever
 * bring the loss down from where the initial weights put it. */
#define LAB_ADVISOR_DIVERGE_FACTOR    10.0
/* Oscillating: within the last LAB_ADVISOR_RECENT epochs, a loss this many
 * times above the best loss reached before it. Adam's normal bumps stay
 * within a factor of 2 or 3; a step that overshoots the valley is far above. */
#define LAB_ADVISOR_SPIKE_FACTOR      10.0
#define LAB_ADVISOR_RECENT            20
/* Overfitting: in means over LAB_ADVISOR_OVERFIT_EPOCHS epochs (Adam's
 * bumps average out), the test loss of the last such span is this many times
 * its lowest earlier span, while the train loss is lower than then. */
#define LAB_ADVISOR_OVERFIT_FACTOR    2.0
#define LAB_ADVISOR_OVERFIT_EPOCHS    20
/* Plateau: over the last LAB_ADVISOR_PLATEAU_EPOCHS the best train loss
 * improved by less than this share, while it is still above
 * LAB_ADVISOR_PLATEAU_HIGH of the first epoch's loss (converged runs, whose
 * loss is far below where they started, are not stuck). */
#define LAB_ADVISOR_PLATEAU_EPOCHS    50
#define LAB_ADVISOR_PLATEAU_GAIN      0.01
#define LAB_ADVISOR_PLATEAU_HIGH      0.1
/* Saturated: at least this share of the hidden states have |h| > 0.99. */
#define LAB_ADVISOR_SATURATED_SHARE   0.5
/* Vanishing: |dL/dh_1| below this share of |dL/dh_T|, for T >= 3. */
#define LAB_ADVISOR_VANISHING_RATIO   1e-3
/* Baseline: only after this many epochs (a model just started is not yet
 * judged), and only when the baseline's test MSE is below the model's. */
#define LAB_ADVISOR_BASELINE_EPOCHS   20

typedef struct
{
  /* Losses of epochs 1 .. n_epochs: train_loss[i] is epoch i + 1's. */
  int          n_epochs;
  const float *train_loss;       /* (n_epochs) */
  const float *test_loss;        /* (n_epochs) or NULL */
  int          shown_epoch;      /* judge epochs 1 .. shown_epoch (<= n_epochs) */
  double       saturated_share;  /* in [0, 1], or < 0 when not known */
  int          time_step;        /* T of grad_norm */
  const float *grad_norm;        /* (T) |dL/dh_t|, t = 1 .. T, or NULL */
  double       model_test_mse;   /* the shown weights' test MSE, or < 0 */
  double       baseline_test_mse; /* the best baseline's test MSE, or < 0 */
  const char  *baseline_name;    /* the baseline, translated ("linear AR"), or NULL */
  double       learning_rate;    /* the rate in force, for the advice */
} LabAdvisorInput;

typedef struct
{
  LabFindingKind kind;
  int            since_epoch;  /* the epoch it began or was seen, 0 if not known */
  double         value;        /* the factor, share or ratio behind it */
} LabFinding;

/* Writes the findings, most urgent first (in LabFindingKind order), into
 * out (room for LAB_N_FINDINGS) and returns how many. */
int   lab_advisor_assess   (const LabAdvisorInput *input, LabFinding *out);

/* One translated sentence for the class, naming the cause and what to try
 * ("The loss is exploding: the learning rate 1 is too large; try 0.01."). */
char *lab_finding_describe (const LabFinding *finding, const LabAdvisorInput *input);
/* A short translated title: "Diverging", "Overfitting", ... */
const char *lab_finding_title (LabFindingKind kind);

G_END_DECLS
