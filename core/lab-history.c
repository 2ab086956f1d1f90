/* lab-history.c: epoch records and thinned snapshots of one generation. */
#include <math.h>

#include "core/lab-history.h"

struct _LabHistory
{
  guint      generation;
  guint      max_snapshots;
  GArray    *train_loss;  /* float (n_epochs), value i is epoch i + 1 */
  GArray    *test_loss;   /* float (n_epochs) */
  GArray    *grad_norm;   /* float (n_epochs) */
  GPtrArray *snapshots;   /* LabSnapshot, owned, by increasing epoch */
};

LabHistory *
lab_history_new (guint max_snapshots)
{
  LabHistory *self = g_new0 (LabHistory, 1);

  if (max_snapshots == 0)
    max_snapshots = LAB_HISTORY_DEFAULT_SNAPSHOTS;
  self->max_snapshots = MAX (max_snapshots, LAB_HISTORY_MIN_SNAPSHOTS);
  self->train_loss = g_array_new (FALSE, FALSE, sizeof (float));
  self->test_loss = g_array_new (FALSE, FALSE, sizeof (float));
  self->grad_norm = g_array_new (FALSE, FALSE, sizeof (float));
  self->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) lab_snapshot_unref);

  return self;
}

void
lab_history_free (LabHistory *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->train_loss);
  g_array_unref (self->test_loss);
  g_array_unref (self->grad_norm);
  g_ptr_array_unref (self->snapshots);
  g_free (self);
}

void
lab_history_clear (LabHistory *self,
                   guint       generation)
{
  g_return_if_fail (self != NULL);

  self->generation = generation;
  g_array_set_size (self->train_loss, 0);
  g_array_set_size (self->test_loss, 0);
  g_array_set_size (self->grad_norm, 0);
  g_ptr_array_set_size (self->snapshots, 0);
}

guint
lab_history_get_generation (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->generation;
}

gboolean
lab_history_add_report (LabHistory      *self,
                        const LabReport *report)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (report->kind == LAB_REPORT_STATE || report->generation < self->generation)
    return FALSE;
  if (report->generation > self->generation)
    lab_history_clear (self, report->generation);

  if (report->kind == LAB_REPORT_EPOCH)
    lab_history_add_epoch (self, report->epoch, report->train_loss,
                           report->test_loss, report->grad_norm);
  else if (report->snapshot != NULL)
    lab_history_add_snapshot (self, report->snapshot);
  else
    return FALSE;

  return TRUE;
}

void
lab_history_add_epoch (LabHistory *self,
                       int         epoch,
                       float       train_loss,
                       float       test_loss,
                       float       grad_norm)
{
  guint n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (epoch >= 1);

  /* A repeated epoch cuts back; a gap (never sent by the trainer) is NaN,
   * which the loss plot leaves out. */
  n = MIN (self->train_loss->len, (guint) epoch - 1);
  g_array_set_size (self->train_loss, n);
  g_array_set_size (self->test_loss, n);
  g_array_set_size (self->grad_norm, n);
  while (self->train_loss->len < (guint) epoch - 1)
    {
      float nan = NAN;

      g_array_append_val (self->train_loss, nan);
      g_array_append_val (self->test_loss, nan);
      g_array_append_val (self->grad_norm, nan);
    }

  g_array_append_val (self->train_loss, train_loss);
  g_array_append_val (self->test_loss, test_loss);
  g_array_append_val (self->grad_norm, grad_norm);
}

int
lab_history_get_n_epochs (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (int) self->train_loss->len;
}

const float *
lab_history_get_train_loss (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const float *) self->train_loss->data;
}

const float *
lab_history_get_test_loss (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const float *) self->test_loss->data;
}

const float *
lab_history_get_grad_norm (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const float *) self->grad_norm->data;
}

/* Drops every other snapshot of the older half, keeping index 0 (epoch 0,
 * or the oldest) and leaving the newer half and the latest alone. */
static void
lab_history_thin (LabHistory *self)
{
  guint half = self->snapshots->len / 2;

  /* Odd indices below half, from the top down so the rest keep their place. */
  for (guint i = (half - 1) | 1; i >= 1 && i < half; i -= 2)
    g_ptr_array_remove_index (self->snapshots, i);
}

void
lab_history_add_snapshot (LabHistory  *self,
                          LabSnapshot *snapshot)
{
  GPtrArray *s;

  g_return_if_fail (self != NULL);
  g_return_if_fail (snapshot != NULL);

  s = self->snapshots;
  while (s->len > 0 &&
         ((LabSnapshot *) g_ptr_array_index (s, s->len - 1))->epoch >= snapshot->epoch)
    g_ptr_array_remove_index (s, s->len - 1);

  g_ptr_array_add (s, lab_snapshot_ref (snapshot));
  if (s->len > self->max_snapshots)
    lab_history_thin (self);
}

guint
lab_history_get_n_snapshots (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->snapshots->len;
}

guint
lab_history_get_max_snapshots (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_snapshots;
}

LabSnapshot *
lab_history_get_snapshot (const LabHistory *self,
                          guint             index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->snapshots->len, NULL);

  return g_ptr_array_index (self->snapshots, index);
}

LabSnapshot *
lab_history_get_latest (const LabHistory *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->snapshots->len == 0)
    return NULL;
  return g_ptr_array_index (self->snapshots, self->snapshots->len - 1);
}

LabSnapshot *
lab_history_lookup (const LabHistory *self,
                    int               epoch)
{
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL, NULL);

  /* Binary search for the first snapshot with an epoch > epoch. */
  hi = self->snapshots->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (((LabSnapshot *) g_ptr_array_index (self->snapshots, mid))->epoch <= epoch)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo == 0 ? NULL : g_ptr_array_index (self->snapshots, lo - 1);
}
