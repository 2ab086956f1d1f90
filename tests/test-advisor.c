/* test-advisor.c: each rule of the advisor on a real run that shows it and
 * on one that does not. The runs are the tutorial's (its initial weights,
 * its sine) at several learning rates, trained by the engine here:
 *   lr 0.01  the tutorial: converges, nothing to report;
 *   lr 1     explodes within ten epochs, then sits on a plateau at the
 *            series' variance with most hidden units saturated;
 *   lr 0.03  converges, but with spikes far above its best;
 *   lr 0.001 slow: the test loss turns up while the train loss falls. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "core/lab-advisor.h"
#include "core/lab-model-io.h"
#include "engine/session.h"

typedef struct
{
  int    n_epochs;
  float *train;     /* (n_epochs) loss of epoch k's forward pass */
  float *test;      /* (n_epochs) test MSE of the same weights */
  double saturated; /* share of |h| > 0.99 over every window after the last epoch */
  double lr;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->train);
  g_free (run->test);
}

static void
train (Run   *run,
       double lr,
       int    n_epochs)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LabModel) tutorial = lab_model_load_tutorial (&error);
  RnnConfig cfg;
  RnnStatus status = RNN_OK;
  RnnSession *s;
  const RnnDataset *d;
  g_autofree float *hidden = NULL;
  size_t saturated = 0;

  g_assert_no_error (error);
  rnn_config_init_default (&cfg);
  cfg.lr = lr;
  s = rnn_session_new (&cfg, &status);
  g_assert_nonnull (s);
  g_assert_cmpint (rnn_session_set_params (s, tutorial->params, tutorial->n_params), ==, RNN_OK);

  run->n_epochs = n_epochs;
  run->lr = lr;
  run->train = g_new (float, n_epochs);
  run->test = g_new (float, n_epochs);
  for (int e = 0; e < n_epochs; e++)
    {
      rnn_session_evaluate (s, NULL, NULL, &run->test[e]);
      g_assert_cmpint (rnn_session_train_epoch (s, &run->train[e], NULL), ==, RNN_OK);
    }

  d = rnn_session_dataset (s);
  rnn_session_evaluate (s, NULL, NULL, NULL);
  hidden = g_new (float, (size_t) d->T * cfg.hidden_size);
  for (int k = 0; k < d->N; k++)
    {
      rnn_session_hidden (s, k, hidden);
      for (int i = 0; i < d->T * cfg.hidden_size; i++)
        saturated += fabsf (hidden[i]) > 0.99f;
    }
  run->saturated = (double) saturated / ((double) d->N * d->T * cfg.hidden_size);
  rnn_session_free (s);
}

static Run tutorial_run, explode_run, spiky_run, slow_run;

static LabAdvisorInput
input_at (const Run *run,
          int        shown_epoch)
{
  return (LabAdvisorInput) {
    .n_epochs = run->n_epochs,
    .train_loss = run->train,
    .test_loss = run->test,
    .shown_epoch = shown_epoch,
    .saturated_share = shown_epoch == run->n_epochs ? run->saturated : -1.0,
    .model_test_mse = -1.0,
    .baseline_test_mse = -1.0,
    .learning_rate = run->lr,
  };
}

/* Whether kind is among the findings at the shown epoch. */
static gboolean
finds (const Run     *run,
       int            shown_epoch,
       LabFindingKind kind)
{
  LabAdvisorInput in = input_at (run, shown_epoch);
  LabFinding found[LAB_N_FINDINGS];
  int n = lab_advisor_assess (&in, found);

  for (int i = 0; i < n; i++)
    if (found[i].kind == kind)
      return TRUE;
  return FALSE;
}

/* The first shown epoch at which kind is found, or 0. */
static int
first_epoch_with (const Run     *run,
                  LabFindingKind kind)
{
  for (int e = 1; e <= run->n_epochs; e++)
    if (finds (run, e, kind))
      return e;
  return 0;
}

static void
test_tutorial_quiet (void)
{
  LabAdvisorInput in = input_at (&tutorial_run, tutorial_run.n_epochs);
  LabFinding found[LAB_N_FINDINGS];

  /* Nothing at the end, and no rule on the way but none: every epoch. */
  g_assert_cmpint (lab_advisor_assess (&in, found), ==, 0);
  for (LabFindingKind k = 0; k < LAB_N_FINDINGS; k++)
    g_assert_cmpint (first_epoch_with (&tutorial_run, k), ==, 0);
  g_assert_cmpfloat (tutorial_run.saturated, <, LAB_ADVISOR_SATURATED_SHARE);
}

static void
test_diverging (void)
{
  int e = first_epoch_with (&explode_run, LAB_FINDING_DIVERGING);
  LabAdvisorInput in = input_at (&explode_run, e);
  LabFinding found[LAB_N_FINDINGS];
  g_autofree char *text = NULL;

  g_assert_cmpint (e, >=, 1);
  g_assert_cmpint (e, <=, 10);
  g_assert_cmpint (lab_advisor_assess (&in, found), >=, 1);
  g_assert_cmpint (found[0].kind, ==, LAB_FINDING_DIVERGING);
  g_assert_cmpfloat (found[0].value, >, LAB_ADVISOR_DIVERGE_FACTOR);
  /* The advice names the rate and a tenth of it. */
  text = lab_finding_describe (&found[0], &in);
  g_assert_nonnull (strstr (text, "learning rate 1 "));
  g_assert_nonnull (strstr (text, "try 0.1"));
  /* The blow-up is reported as diverging, not also as oscillating. */
  g_assert_false (finds (&explode_run, e, LAB_FINDING_OSCILLATING));
}

static void
test_oscillating (void)
{
  int e = first_epoch_with (&spiky_run, LAB_FINDING_OSCILLATING);

  g_assert_cmpint (e, >, 0);
  g_assert_false (finds (&spiky_run, e, LAB_FINDING_DIVERGING));
  /* The spike is more than the factor above the best loss before it. */
  {
    double best = INFINITY;

    for (int i = 0; i < e - 1; i++)
      best = MIN (best, spiky_run.train[i]);
    g_assert_cmpfloat (spiky_run.train[e - 1], >, LAB_ADVISOR_SPIKE_FACTOR * best);
  }
}

static void
test_overfitting (void)
{
  int e = first_epoch_with (&slow_run, LAB_FINDING_OVERFITTING);
  LabAdvisorInput in = input_at (&slow_run, slow_run.n_epochs);
  LabFinding found[LAB_N_FINDINGS];
  int n = lab_advisor_assess (&in, found);
  gboolean seen = FALSE;

  g_assert_cmpint (e, >, 0);
  for (int i = 0; i < n; i++)
    if (found[i].kind == LAB_FINDING_OVERFITTING)
      {
        seen = TRUE;
        /* since_epoch: where the test loss was lowest. */
        g_assert_cmpfloat (found[i].value, >=, LAB_ADVISOR_OVERFIT_FACTOR);
        g_assert_cmpfloat (slow_run.test[found[i].since_epoch - 1], <,
                           slow_run.test[slow_run.n_epochs - 1]);
        g_assert_cmpfloat (slow_run.train[slow_run.n_epochs - 1], <, slow_run.train[found[i].since_epoch - 1]);
      }
  g_assert_true (seen);
}

static void
test_plateau_and_saturation (void)
{
  g_assert_true (finds (&explode_run, explode_run.n_epochs, LAB_FINDING_PLATEAU));
  g_assert_true (finds (&explode_run, explode_run.n_epochs, LAB_FINDING_SATURATED));
  g_assert_cmpfloat (explode_run.saturated, >=, LAB_ADVISOR_SATURATED_SHARE);
  /* Before 50 epochs a plateau cannot be judged. */
  g_assert_false (finds (&explode_run, LAB_ADVISOR_PLATEAU_EPOCHS, LAB_FINDING_PLATEAU));
}

/* The vanishing and baseline rules read numbers given to them. */
static void
test_vanishing_and_baseline_inputs (void)
{
  float fading[5] = { 1e-7f, 1e-5f, 1e-3f, 1e-2f, 1.0f };
  float flat[5] = { 0.5f, 0.6f, 0.7f, 0.8f, 1.0f };
  LabAdvisorInput in = input_at (&tutorial_run, tutorial_run.n_epochs);
  LabFinding found[LAB_N_FINDINGS];

  in.time_step = 5;
  in.grad_norm = fading;
  g_assert_cmpint (lab_advisor_assess (&in, found), ==, 1);
  g_assert_cmpint (found[0].kind, ==, LAB_FINDING_VANISHING);
  g_assert_cmpfloat_with_epsilon (found[0].value, 1e-7, 1e-12);
  in.grad_norm = flat;
  g_assert_cmpint (lab_advisor_assess (&in, found), ==, 0);

  in.model_test_mse = tutorial_run.test[tutorial_run.n_epochs - 1];
  in.baseline_test_mse = in.model_test_mse * 2;
  g_assert_cmpint (lab_advisor_assess (&in, found), ==, 0);
  in.baseline_test_mse = in.model_test_mse / 4;
  in.baseline_name = "linear AR";
  g_assert_cmpint (lab_advisor_assess (&in, found), ==, 1);
  g_assert_cmpint (found[0].kind, ==, LAB_FINDING_BASELINE);
  g_assert_cmpfloat_with_epsilon (found[0].value, 4.0, 1e-9);
}

static void
test_titles (void)
{
  for (LabFindingKind k = 0; k < LAB_N_FINDINGS; k++)
    g_assert_cmpstr (lab_finding_title (k), !=, "");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  train (&tutorial_run, 0.01, 200);
  train (&explode_run, 1.0, 200);
  train (&spiky_run, 0.03, 400);
  train (&slow_run, 0.001, 400);

  g_test_add_func ("/core/advisor/tutorial-quiet", test_tutorial_quiet);
  g_test_add_func ("/core/advisor/diverging", test_diverging);
  g_test_add_func ("/core/advisor/oscillating", test_oscillating);
  g_test_add_func ("/core/advisor/overfitting", test_overfitting);
  g_test_add_func ("/core/advisor/plateau-saturation", test_plateau_and_saturation);
  g_test_add_func ("/core/advisor/vanishing-baseline", test_vanishing_and_baseline_inputs);
  g_test_add_func ("/core/advisor/titles", test_titles);

  status = g_test_run ();
  run_clear (&tutorial_run);
  run_clear (&explode_run);
  run_clear (&spiky_run);
  run_clear (&slow_run);
  return status;
}
