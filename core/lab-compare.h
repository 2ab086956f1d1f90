/* lab-compare.h: two or three runs side by side (compare mode).
 *
 * A LabCompare holds the window's run (the first model, the one the
 * controls edit) and up to two more, each a LabRun with its own settings
 * (cell, hidden size, learning rate, optimizer, time step) on the same
 * series from the same seed. The commands of the timeline (play, pause,
 * step, step back, reset, scrub, speed, epoch limit, the selected window)
 * apply to every model; the first model's rebuilds carry over, so that
 * the models always start together: a new series or a new seed goes to
 * every model, and any other rebuild of the first (its shape, its cell,
 * undo) starts the others again at epoch 0 too.
 *
 * With one model this is the window's run alone, and every command is the
 * run's own. Data flows one way: engine -> trainer -> runs -> compare ->
 * views; the window only routes actions here.
 */
#pragma once

#include <glib-object.h>

#include "core/lab-run.h"

G_BEGIN_DECLS

#define LAB_COMPARE_MAX_MODELS 3

/* What changed in a model after the first (the first's changes are its
 * run's own signals). */
typedef enum /*< flags >*/
{
  LAB_COMPARE_CHANGE_SHOWN  = 1 << 0, /* the snapshot shown */
  LAB_COMPARE_CHANGE_LOSS   = 1 << 1, /* its history grew or was cleared */
  LAB_COMPARE_CHANGE_STATE  = 1 << 2, /* trainer state, speed, rate */
} LabCompareChange;

#define LAB_TYPE_COMPARE_CHANGE (lab_compare_change_get_type ())
GType lab_compare_change_get_type (void) G_GNUC_CONST;

#define LAB_TYPE_COMPARE (lab_compare_get_type ())
G_DECLARE_FINAL_TYPE (LabCompare, lab_compare, LAB, COMPARE, GObject)

/* The first model is run (referenced), alone. */
LabCompare  *lab_compare_new            (LabRun          *run);

/* Compare mode: the first model and one or two more of these settings
 * (each a whole settings value; its series should be the first model's),
 * with labels (NULL, or a NULL entry: made by lab_compare_make_labels).
 * Every model starts at epoch 0, the first one too, with the first one's
 * speed, epoch limit and selected window, playing if it was. FALSE
 * (error: one line saying why, nothing changed) if a network cannot be
 * built for some settings. n_others 0 ends compare mode. */
gboolean     lab_compare_set_others     (LabCompare      *self,
                                         LabRunSettings **others,
                                         const char     **labels,
                                         guint            n_others,
                                         GError         **error);
/* Back to the first model alone (its run goes on as it is). */
void         lab_compare_stop           (LabCompare      *self);

guint        lab_compare_get_n_models   (LabCompare      *self);
/* Model i (0: the first); borrowed. */
LabRun      *lab_compare_get_run        (LabCompare      *self,
                                         guint            i);
/* Its label ("LSTM", "RNN · lr 0.1"), made from the settings that differ
 * between the models unless a label was given; translated. */
const char  *lab_compare_get_label      (LabCompare      *self,
                                         guint            i);
/* Mean milliseconds of training per epoch over the last epochs (0 before
 * any). */
double       lab_compare_get_ms_per_epoch (LabCompare    *self,
                                         guint            i);
/* The model whose hidden state, gates and unrolled network are shown. */
guint        lab_compare_get_focus      (LabCompare      *self);
void         lab_compare_set_focus      (LabCompare      *self,
                                         guint            i);
/* The newest epoch of any model. */
int          lab_compare_get_latest_epoch (LabCompare    *self);
/* Whether any model is playing or training. */
gboolean     lab_compare_get_training   (LabCompare      *self);

/* Labels for n models, short enough for a legend: each model's cell, and
 * its hidden size, learning rate, time step, optimizer or clipping when
 * they differ between the models; free with g_strfreev. */
GStrv        lab_compare_make_labels    (LabRunSettings **settings,
                                         guint            n);

/* Takes every model's reports (lab_run_drain), sharing budget_us. */
void         lab_compare_drain          (LabCompare      *self,
                                         gint64           budget_us);

/* The timeline's commands, for every model. */
void         lab_compare_set_playing    (LabCompare      *self,
                                         gboolean         playing);
void         lab_compare_play           (LabCompare      *self);
void         lab_compare_pause          (LabCompare      *self);
void         lab_compare_step           (LabCompare      *self);
gboolean     lab_compare_step_back      (LabCompare      *self);
void         lab_compare_reset          (LabCompare      *self);
void         lab_compare_show_epoch     (LabCompare      *self,
                                         int              epoch);
void         lab_compare_go_live        (LabCompare      *self);
void         lab_compare_set_speed      (LabCompare      *self,
                                         double           epochs_per_second);
void         lab_compare_set_max_epochs (LabCompare      *self,
                                         int              max_epochs);
void         lab_compare_select_window  (LabCompare      *self,
                                         int              window);

G_END_DECLS
