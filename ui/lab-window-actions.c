/* lab-window-actions.c: what the window's controls and actions do: each
 * becomes a command of the run (core/lab-run.h).
 *
 * Shape changes are debounced so that dragging a slider rebuilds the
 * network once, when the hand stops; the learning rate, the seed, the speed
 * and the epoch limit apply at once (the last three are bound to the run's
 * properties). Space and Right are the window's own shortcuts, so that they
 * work while a slider has the focus. */
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

static void
shape_changed_cb (LabWindow   *self,
                  GParamSpec  *pspec,
                  LabControls *controls)
{
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

  lab_run_show_epoch (self->run, (int) round (gtk_range_get_value (range)));
}

void
lab_window_connect_controls (LabWindow *self)
{
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
  lab_run_set_playing (self->run, g_variant_get_boolean (value));
}

static void
step_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lab_run_step (LAB_WINDOW (user_data)->run);
}

static void
reset_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  lab_run_reset (LAB_WINDOW (user_data)->run);
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
  lab_run_go_live (LAB_WINDOW (user_data)->run);
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

/* Space and Right work wherever the focus is, sliders included, except
 * while text is being typed into a spin button. */
static gboolean
focus_is_text (LabWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && GTK_IS_EDITABLE (focus);
}

/* user_data: the action the key stands for ("win.play", "win.step"). */
static gboolean
transport_shortcut_cb (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  const char *action = user_data;

  if (focus_is_text (LAB_WINDOW (widget)))
    return FALSE;
  return gtk_widget_activate_action (widget, action, NULL);
}

static void
add_transport_shortcuts (LabWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "lab-transport-shortcuts");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (transport_shortcut_cb,
                                                                                   (gpointer) "win.play", NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Right, 0),
                                                          gtk_callback_action_new (transport_shortcut_cb,
                                                                                   (gpointer) "win.step", NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static const GActionEntry win_actions[] = {
  { "play", NULL, NULL, "false", play_change_state_cb, { 0 } },
  { "step", step_action_cb, NULL, NULL, NULL, { 0 } },
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
