/* lab-window-actions.c: what the window's controls and actions do: each
 * becomes a command of the run (core/lab-run.h).
 *
 * Shape changes are debounced so that dragging a slider rebuilds the
 * network once, when the hand stops; the learning rate, the seed, the speed
 * and the epoch limit apply at once (the last three are bound to the run's
 * properties). Space, Right and Left are the window's own shortcuts; they
 * leave a key to the focused widget that uses it (Right in a slider, Space
 * in a number box). */
#include <math.h>

#include <glib/gi18n.h>

#include "ui/lab-window-private.h"

/* Controls */

static gboolean
shape_timeout_cb (gpointer user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  self->shape_timeout_id = 0;
  lab_run_set_shape (self->run, lab_controls_get_hidden_size (self->controls),
                     lab_controls_get_time_step (self->controls));
  return G_SOURCE_REMOVE;
}

void
lab_window_update_split (LabWindow *self)
{
  LabRunSettings *settings = lab_run_get_latest (self->run) != NULL
                             ? lab_run_get_latest (self->run)->settings
                             : (LabRunSettings *) lab_run_get_settings (self->run);
  int n_train, n_test;

  lab_controls_set_time_step_max (self->controls, lab_run_settings_get_time_step_limit (settings));
  lab_run_settings_get_split (settings, lab_controls_get_time_step (self->controls),
                              &n_train, &n_test);
  lab_controls_set_split (self->controls, n_train, n_test);
}

static void
shape_changed_cb (LabWindow   *self,
                  GParamSpec  *pspec,
                  LabControls *controls)
{
  lab_window_update_split (self);
  if (self->updating)
    return;

  g_clear_handle_id (&self->shape_timeout_id, g_source_remove);
  self->shape_timeout_id = g_timeout_add (LAB_WINDOW_SHAPE_DEBOUNCE_MS, shape_timeout_cb, self);
}

static void
lr_changed_cb (LabWindow   *self,
               GParamSpec  *pspec,
               LabControls *controls)
{
  if (self->updating)
    return;

  lab_run_set_lr (self->run, lab_controls_get_learning_rate (controls));
}

static void
seed_changed_cb (LabWindow   *self,
                 GParamSpec  *pspec,
                 LabControls *controls)
{
  if (self->updating)
    return;

  lab_run_reseed (self->run, lab_controls_get_seed (controls));
}

static void
forecast_window_selected_cb (LabWindow   *self,
                             int          window,
                             LabPlotView *view)
{
  /* The spin button is bound to the run's selected window. */
  lab_controls_set_window (self->controls, window);
}

static void
timeline_changed_cb (LabWindow *self,
                     GtkRange  *range)
{
  if (self->updating)
    return;

  lab_compare_show_epoch (self->compare, (int) round (gtk_range_get_value (range)));
}

static void
cell_changed_cb (LabWindow *self)
{
  if (self->updating)
    return;

  lab_run_set_cell (self->run, lab_controls_get_cell (self->controls));
}

static void
clip_changed_cb (LabWindow *self)
{
  if (self->updating)
    return;

  lab_run_set_clip_grad_norm (self->run, lab_controls_get_clip_grad_norm (self->controls));
}

void
lab_window_connect_controls (LabWindow *self)
{
  g_signal_connect_object (self->controls, "notify::cell",
                           G_CALLBACK (cell_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "notify::clip-grad-norm",
                           G_CALLBACK (clip_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "notify::hidden-size",
                           G_CALLBACK (shape_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "notify::time-step",
                           G_CALLBACK (shape_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "notify::learning-rate",
                           G_CALLBACK (lr_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controls, "notify::seed",
                           G_CALLBACK (seed_changed_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->controls, "speed", self->run, "speed", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->controls, "epochs", self->run, "max-epochs", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->controls, "window", self->run, "selected-window",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
}

/* Actions */

static void
play_change_state_cb (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  /* The action's state follows the run's "playing" (lab-window.c). */
  lab_compare_set_playing (self->compare, g_variant_get_boolean (value));
}

static void
step_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  /* The passes are animated for a paused run only: ask before the step pauses it. */
  lab_window_unrolled_stepped (LAB_WINDOW (user_data));
  lab_compare_step (LAB_WINDOW (user_data)->compare);
}

static void
step_back_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  lab_compare_step_back (LAB_WINDOW (user_data)->compare);
}

static void
undo_rebuild_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  const LabRunPrevious *previous = lab_run_get_previous (self->run);

  if (previous == NULL)
    return;
  /* A drag still waiting would rebuild again afterwards. */
  g_clear_handle_id (&self->shape_timeout_id, g_source_remove);
  self->undoing = TRUE;
  self->undo_epochs = previous->epoch;
  if (!lab_run_undo_rebuild (self->run))
    self->undoing = FALSE;
}

/* "Why?" beside the loss plot: its help, which begins with the why. */
static void
explain_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  lab_window_update_help (self);
  gtk_menu_button_popup (self->loss_help_button);
}

static void
heatmap_auto_range_change_state_cb (GSimpleAction *action,
                                    GVariant      *value,
                                    gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  self->heatmap_auto_range = g_variant_get_boolean (value);
  g_simple_action_set_state (action, value);
  lab_window_mark_dirty (self, LAB_DIRTY_HIDDEN);
}

static void
reset_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  lab_compare_reset (LAB_WINDOW (user_data)->compare);
}

static void
reseed_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  guint64 old = lab_controls_get_seed (self->controls);
  guint64 seed;

  do
    seed = (guint64) g_random_int_range (1, RNN_SEED_WINDOW_MAX + 1);
  while (seed == old);

  /* The seed's handler reseeds. */
  lab_controls_set_seed (self->controls, seed);
}

static void
live_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lab_compare_go_live (LAB_WINDOW (user_data)->compare);
}

static void
fullscreen_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* Whether the focused widget uses this key itself: arrows, Home and End
 * move a slider, the cursor of a text or number box, the forecast's cursor
 * or the step picked in the unrolled network; Space types a space into a
 * text or number box (a slider, a plot or a button leaves it to play). */
static gboolean
focus_uses_key (LabWindow *self,
                guint      keyval)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean text = FALSE, range = FALSE;

  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      text |= GTK_IS_EDITABLE (w);
      range |= GTK_IS_RANGE (w) || w == GTK_WIDGET (self->unrolled_view);
      range |= LAB_IS_PLOT_VIEW (w) && lab_plot_view_uses_arrow_keys (LAB_PLOT_VIEW (w));
    }
  if (keyval == GDK_KEY_space)
    return text;
  return text || range;
}

typedef struct
{
  guint       keyval;
  const char *action;
} TransportKey;

static const TransportKey transport_keys[] = {
  { GDK_KEY_space, "win.play" },
  { GDK_KEY_Right, "win.step" },
  { GDK_KEY_Left, "win.step-back" },
};

/* user_data: the TransportKey */
static gboolean
transport_shortcut_cb (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  const TransportKey *key = user_data;

  if (focus_uses_key (LAB_WINDOW (widget), key->keyval))
    return FALSE;
  return gtk_widget_activate_action (widget, key->action, NULL);
}

static void
add_transport_shortcuts (LabWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "lab-transport-shortcuts");
  /* Before the focused widget: the callback itself leaves it the keys it uses. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (transport_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (transport_keys[i].keyval, 0),
                                                            gtk_callback_action_new (transport_shortcut_cb,
                                                                                     (gpointer) &transport_keys[i],
                                                                                     NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static const GActionEntry win_actions[] = {
  { "play", NULL, NULL, "false", play_change_state_cb, { 0 } },
  { "step", step_action_cb, NULL, NULL, NULL, { 0 } },
  { "step-back", step_back_action_cb, NULL, NULL, NULL, { 0 } },
  { "undo-rebuild", undo_rebuild_action_cb, NULL, NULL, NULL, { 0 } },
  { "explain", explain_action_cb, NULL, NULL, NULL, { 0 } },
  { "heatmap-auto-range", NULL, NULL, "true", heatmap_auto_range_change_state_cb, { 0 } },
  { "reset", reset_action_cb, NULL, NULL, NULL, { 0 } },
  { "reseed", reseed_action_cb, NULL, NULL, NULL, { 0 } },
  { "live", live_action_cb, NULL, NULL, NULL, { 0 } },
  { "fullscreen", fullscreen_action_cb, NULL, NULL, NULL, { 0 } },
};

void
lab_window_add_actions (LabWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  add_transport_shortcuts (self);
}

void
lab_window_class_bind_controls (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, forecast_window_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeline_changed_cb);
}
