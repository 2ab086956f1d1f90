/* lab-history.h: what the UI remembers of the current generation, for the
 * loss plot and the epoch timeline. No GTK; used from one thread.
 *
 * Every epoch record is kept (three floats per epoch), in arrays that can be
 * handed straight to LabLossData: value i is epoch i + 1.
 *
 * Snapshots are kept with bounded memory: at most max_snapshots of them
 * (LAB_HISTORY_DEFAULT_SNAPSHOTS = 300 unless asked otherwise), so memory is
 * at most max_snapshots times the size of one snapshot (about 4 bytes x
 * (n_params + n_windows + T * H); 300 x 270 kB for a 256-unit network).
 * When a snapshot would exceed the bound, the older half is thinned (every
 * other one dropped), so recent epochs stay dense and older ones grow sparse;
 * epoch 0 and the latest snapshot are always kept.
 */
#pragma once

#include <glib.h>

#include "core/lab-snapshot.h"

G_BEGIN_DECLS

#define LAB_HISTORY_DEFAULT_SNAPSHOTS 300
#define LAB_HISTORY_MIN_SNAPSHOTS     4

typedef struct _LabHistory LabHistory;

/* max_snapshots: 0 for the default; at least LAB_HISTORY_MIN_SNAPSHOTS. */
LabHistory  *lab_history_new            (guint max_snapshots);
void         lab_history_free           (LabHistory *self);

/* Forgets everything and starts recording the given generation. */
void         lab_history_clear          (LabHistory *self, guint generation);
guint        lab_history_get_generation (const LabHistory *self);

/* Records an epoch or snapshot report (state reports are ignored). A report
 * of a newer generation clears the history first; one of an older generation
 * is ignored. Returns TRUE if the report was recorded. */
gboolean     lab_history_add_report     (LabHistory *self, const LabReport *report);

/* Epoch records: epoch numbers start at 1 and follow each other; a record
 * for an epoch already recorded cuts the history back to it. */
void         lab_history_add_epoch      (LabHistory *self, int epoch, float train_loss,
                                         float test_loss, float grad_norm);
int          lab_history_get_n_epochs   (const LabHistory *self);
const float *lab_history_get_train_loss (const LabHistory *self);  /* (n_epochs) */
const float *lab_history_get_test_loss  (const LabHistory *self);  /* (n_epochs) */
const float *lab_history_get_grad_norm  (const LabHistory *self);  /* (n_epochs) */

/* Takes a reference. A snapshot of an epoch already held replaces it (and
 * any later ones). */
void         lab_history_add_snapshot   (LabHistory *self, LabSnapshot *snapshot);
guint        lab_history_get_n_snapshots (const LabHistory *self);
guint        lab_history_get_max_snapshots (const LabHistory *self);
/* Borrowed, in epoch order; index < n_snapshots. */
LabSnapshot *lab_history_get_snapshot   (const LabHistory *self, guint index);
/* The latest snapshot, or NULL. Borrowed. */
LabSnapshot *lab_history_get_latest     (const LabHistory *self);
/* The snapshot of the greatest epoch <= epoch (for the timeline scrubber),
 * or NULL if there is none. Borrowed. */
LabSnapshot *lab_history_lookup         (const LabHistory *self, int epoch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabHistory, lab_history_free)

G_END_DECLS
