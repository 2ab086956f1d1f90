/* lab-advisor.c: the rules behind the explanations (see lab-advisor.h). */
#include <math.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-advisor.h"

/* Epoch e's train loss (1-based). */
static double
train_at (const LabAdvisorInput *in,
          int                    e)
{
  return in->train_loss[e - 1];
}

static gboolean
check_diverging (const LabAdvisorInput *in,
                 int                    upto,
                 LabFinding            *f)
{
  double first = train_at (in, 1);
  int from = MAX (1, upto - LAB_ADVISOR_RECENT + 1);

  for (int e = from; e <= upto; e++)
    {
      double loss = train_at (in, e);

      if (!isfinite (loss) || loss > LAB_ADVISOR_DIVERGE_FACTOR * first)
        {
          f->kind = LAB_FINDING_DIVERGING;
          f->since_epoch = e;
          f->value = isfinite (loss) ? loss / first : INFINITY;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
check_oscillating (const LabAdvisorInput *in,
                   int                    upto,
                   LabFinding            *f)
{
  double best = INFINITY, worst_factor = 0.0;
  int from = MAX (2, upto - LAB_ADVISOR_RECENT + 1), worst_epoch = 0;

  for (int e = 1; e < from; e++)
    best = MIN (best, train_at (in, e));
  for (int e = from; e <= upto; e++)
    {
      double loss = train_at (in, e);

      if (best > 0.0 && isfinite (best) && loss / best > worst_factor)
        {
          worst_factor = loss / best;
          worst_epoch = e;
        }
      best = MIN (best, loss);
    }
  if (worst_factor < LAB_ADVISOR_SPIKE_FACTOR)
    return FALSE;
  f->kind = LAB_FINDING_OSCILLATING;
  f->since_epoch = worst_epoch;
  f->value = worst_factor;
  return TRUE;
}

/* The mean of v over the W epochs ending at epoch e (1-based, e >= W). */
static double
window_mean (const float *v,
             int          e)
{
  double sum = 0.0;

  for (int i = e - LAB_ADVISOR_OVERFIT_EPOCHS; i < e; i++)
    sum += v[i];
  return sum / LAB_ADVISOR_OVERFIT_EPOCHS;
}

static gboolean
check_overfitting (const LabAdvisorInput *in,
                   int                    upto,
                   LabFinding            *f)
{
  const int W = LAB_ADVISOR_OVERFIT_EPOCHS;
  int best_end = 0;
  double best = INFINITY, now;

  if (in->test_loss == NULL || upto < 2 * W)
    return FALSE;
  /* Means over W epochs, so a run whose test loss only jitters (Adam's
   * bumps) is not called overfitting; a rise that lasts is. */
  for (int e = W; e <= upto - W; e++)
    {
      double m = window_mean (in->test_loss, e);

      if (m < best)
        {
          best = m;
          best_end = e;
        }
    }
  now = window_mean (in->test_loss, upto);
  if (best_end == 0 || !(best > 0.0) || !(now >= LAB_ADVISOR_OVERFIT_FACTOR * best)
      || !(window_mean (in->train_loss, upto) < window_mean (in->train_loss, best_end)))
    return FALSE;
  f->kind = LAB_FINDING_OVERFITTING;
  f->since_epoch = best_end;
  f->value = now / best;
  return TRUE;
}

static gboolean
check_plateau (const LabAdvisorInput *in,
               int                    upto,
               LabFinding            *f)
{
  double before = INFINITY, recent = INFINITY;
  int start = upto - LAB_ADVISOR_PLATEAU_EPOCHS;

  if (start < 1)
    return FALSE;
  for (int e = 1; e <= start; e++)
    before = MIN (before, train_at (in, e));
  for (int e = start + 1; e <= upto; e++)
    recent = MIN (recent, train_at (in, e));
  if (!isfinite (before) || !isfinite (recent)
      || recent < before * (1.0 - LAB_ADVISOR_PLATEAU_GAIN)
      || train_at (in, upto) < LAB_ADVISOR_PLATEAU_HIGH * train_at (in, 1))
    return FALSE;
  f->kind = LAB_FINDING_PLATEAU;
  f->since_epoch = start;
  f->value = train_at (in, upto) / train_at (in, 1);
  return TRUE;
}

static gboolean
check_vanishing (const LabAdvisorInput *in,
                 LabFinding            *f)
{
  int T = in->time_step;
  double first, last;

  if (in->grad_norm == NULL || T < 3)
    return FALSE;
  first = in->grad_norm[0];
  last = in->grad_norm[T - 1];
  if (!isfinite (first) || !isfinite (last) || !(last > 0.0)
      || first >= LAB_ADVISOR_VANISHING_RATIO * last)
    return FALSE;
  f->kind = LAB_FINDING_VANISHING;
  f->since_epoch = in->shown_epoch;
  f->value = first / last;
  return TRUE;
}

int
lab_advisor_assess (const LabAdvisorInput *in,
                    LabFinding            *out)
{
  int n = 0, upto;
  LabFinding f = { 0 };

  g_return_val_if_fail (in != NULL && out != NULL, 0);

  upto = MIN (in->shown_epoch, in->n_epochs);
  if (upto >= 1 && in->train_loss != NULL)
    {
      gboolean diverging = check_diverging (in, upto, &f);

      if (diverging)
        out[n++] = f;
      /* A run that blows up also swings: say the graver thing once. */
      if (!diverging && check_oscillating (in, upto, &f))
        out[n++] = f;
      if (check_overfitting (in, upto, &f))
        out[n++] = f;
    }
  if (in->saturated_share >= LAB_ADVISOR_SATURATED_SHARE)
    out[n++] = (LabFinding) { LAB_FINDING_SATURATED, in->shown_epoch, in->saturated_share };
  if (check_vanishing (in, &f))
    out[n++] = f;
  if (upto >= 1 && in->train_loss != NULL && check_plateau (in, upto, &f))
    out[n++] = f;
  if (upto >= LAB_ADVISOR_BASELINE_EPOCHS && in->baseline_test_mse >= 0.0
      && in->model_test_mse > in->baseline_test_mse)
    out[n++] = (LabFinding) { LAB_FINDING_BASELINE, upto,
                              in->baseline_test_mse > 0.0 ? in->model_test_mse / in->baseline_test_mse
                                                          : INFINITY };
  return n;
}

const char *
lab_finding_title (LabFindingKind kind)
{
  switch (kind)
    {
    case LAB_FINDING_DIVERGING:   return _("Diverging");
    case LAB_FINDING_OSCILLATING: return _("Oscillating");
    case LAB_FINDING_OVERFITTING: return _("Overfitting");
    case LAB_FINDING_SATURATED:   return _("Saturated units");
    case LAB_FINDING_VANISHING:   return _("Vanishing gradient");
    case LAB_FINDING_PLATEAU:     return _("Plateau");
    case LAB_FINDING_BASELINE:    return _("Beaten by a baseline");
    case LAB_N_FINDINGS:
    default:                      break;
    }
  g_return_val_if_reached ("");
}

/* A suggested smaller learning rate: a tenth, on the 1-2-5 ladder. */
static double
smaller_rate (double lr)
{
  double target = lr / 10.0, decade, steps[] = { 5.0, 2.0, 1.0 };

  if (!(target > 0.0))
    return 0.001;
  decade = pow (10.0, floor (log10 (target)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * decade <= target * (1 + 1e-9))
      return steps[i] * decade;
  return decade;
}

char *
lab_finding_describe (const LabFinding      *f,
                      const LabAdvisorInput *in)
{
  switch (f->kind)
    {
    case LAB_FINDING_DIVERGING:
      return g_strdup_printf (_("The loss has been exploding since epoch %d: each step overshoots. "
                                "The learning rate %g is too large; try %g."),
                              f->since_epoch, in->learning_rate, smaller_rate (in->learning_rate));
    case LAB_FINDING_OSCILLATING:
      return g_strdup_printf (_("At epoch %d the loss jumped to %.0f times its best: the steps are "
                                "too large near the minimum. Try a smaller learning rate than %g."),
                              f->since_epoch, f->value, in->learning_rate);
    case LAB_FINDING_OVERFITTING:
      return g_strdup_printf (_("The test loss has risen since epoch %d while the train loss falls: "
                                "the network memorises the training part. Stop earlier, use fewer "
                                "hidden units, or give it more data."),
                              f->since_epoch);
    case LAB_FINDING_SATURATED:
      return g_strdup_printf (_("%.0f%% of the hidden states are stuck near −1 or +1: there tanh is "
                                "flat, so almost no gradient passes. A smaller learning rate helps."),
                              100.0 * f->value);
    case LAB_FINDING_VANISHING:
      return g_strdup_printf (_("The gradient at the first step is %.1e of the one at the last: the "
                                "early inputs barely change the weights. An LSTM or GRU keeps the gradient alive "
                                "over long spans."),
                              f->value);
    case LAB_FINDING_PLATEAU:
      return g_strdup_printf (_("No progress for %d epochs, and the loss is still %.0f%% of where it "
                                "started: the network is stuck. Try another learning rate or seed."),
                              LAB_ADVISOR_PLATEAU_EPOCHS, 100.0 * f->value);
    case LAB_FINDING_BASELINE:
      return g_strdup_printf (_("A simple baseline (%s) predicts the test part better than the "
                                "network: test MSE %.3g against %.3g."),
                              in->baseline_name != NULL ? in->baseline_name : _("linear AR"),
                              in->baseline_test_mse, in->model_test_mse);
    case LAB_N_FINDINGS:
    default:
      break;
    }
  g_return_val_if_reached (g_strdup (""));
}
