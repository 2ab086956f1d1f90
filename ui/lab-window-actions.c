/* lab-window-actions.c: what the window's controls and actions do.
 *
 * Every control turns into a trainer command. Shape changes are debounced
 * so that dragging a slider rebuilds the network once, when the hand stops;
 * the learning rate, the speed and the epoch limit apply at once. Space and
 * Right are the window's own shortcuts, so that they work while a slider
 * has the focus. */
#include <math.h>

#include <glib/gi18n.h>

#include "engine/series.h"
#include "ui/lab-window-private.h"

/* Controls */

void
lab_window_update_value_labels (LabWindow *self)
{
  g_autofree char *hidden = NULL;
  g_autofree char *time_step = NULL;
  g_autofree char *lr = NULL;
  g_autofree char *speed = NULL;

  hidden = g_strdup_printf ("%d", (int) gtk_range_get_value (GTK_RANGE (self->hidden_size_scale)));
  time_step = g_strdup_printf ("%d", (int) gtk_range_get_value (GTK_RANGE (self->time_step_scale)));
  lr = g_strdup_printf ("%.2g", lab_window_lr_from_scale (gtk_range_get_value (GTK_RANGE (self->lr_scale))));
  speed = lab_window_format_speed (lab_window_speeds[(int) gtk_range_get_value (GTK_RANGE (self->speed_scale))]);

  gtk_label_set_text (self->hidden_size_value, hidden);
  gtk_label_set_text (self->time_step_value, time_step);
  gtk_label_set_text (self->lr_value, lr);
  gtk_label_set_text (self->speed_value, speed);
}

static void
apply_shape (LabWindow *self)
{
  int hidden_size = (int) gtk_range_get_value (GTK_RANGE (self->hidden_size_scale));
  int time_step = (int) gtk_range_get_value (GTK_RANGE (self->time_step_scale));
  const float *params;
  gsize n_params;
  guint generation;
  int n_windows;

  if (hidden_size == self->config.hidden_size && time_step == self->config.time_step)
    return;

  self->config.hidden_size = hidden_size;
  self->config.time_step = time_step;
  /* A new shape starts from new weights: an opened model no longer applies. */
  g_clear_pointer (&self->initial_model, lab_model_free);
  params = lab_window_tutorial_params (self, hidden_size, time_step, self->seed, &n_params);
  generation = lab_trainer_set_shape (self->trainer, hidden_size, time_step, params, n_params);

  n_windows = series_window_count (self->config.n_points, time_step);
  self->updating = TRUE;
  gtk_spin_button_set_range (self->window_spin, 0, MAX (n_windows - 1, 0));
  self->updating = FALSE;
  self->selected_window = (int) gtk_spin_button_get_value (self->window_spin);
  lab_trainer_select_window (self->trainer, self->selected_window);

  lab_window_start_generation (self, generation);
  lab_window_update_title (self);
}

static gboolean
shape_timeout_cb (gpointer user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  self->shape_timeout_id = 0;
  apply_shape (self);

  return G_SOURCE_REMOVE;
}

static void
shape_changed_cb (LabWindow *self,
                  GtkRange  *range)
{
  lab_window_update_value_labels (self);
  if (self->updating || self->trainer == NULL)
    return;

  g_clear_handle_id (&self->shape_timeout_id, g_source_remove);
  self->shape_timeout_id = g_timeout_add (LAB_WINDOW_SHAPE_DEBOUNCE_MS, shape_timeout_cb, self);
}

static void
lr_changed_cb (LabWindow *self,
               GtkRange  *range)
{
  lab_window_update_value_labels (self);
  if (self->updating || self->trainer == NULL)
    return;

  self->config.lr = lab_window_lr_from_scale (gtk_range_get_value (range));
  lab_trainer_set_lr (self->trainer, self->config.lr);
}

static void
speed_changed_cb (LabWindow *self,
                  GtkRange  *range)
{
  int notch = (int) round (gtk_range_get_value (range));

  lab_window_update_value_labels (self);
  if (self->updating || self->trainer == NULL)
    return;

  self->speed = lab_window_speeds[CLAMP (notch, 0, LAB_WINDOW_N_SPEEDS - 1)];
  lab_trainer_set_speed (self->trainer, self->speed);
}

static void
epochs_changed_cb (LabWindow     *self,
                   GtkSpinButton *spin)
{
  if (self->updating || self->trainer == NULL)
    return;

  self->max_epochs = gtk_spin_button_get_value_as_int (spin);
  lab_trainer_set_max_epochs (self->trainer, self->max_epochs);
  lab_window_update_loss_view (self);
  lab_window_update_status (self);
}

static void
seed_changed_cb (LabWindow     *self,
                 GtkSpinButton *spin)
{
  const float *params;
  gsize n_params;
  guint generation;

  if (self->updating || self->trainer == NULL)
    return;

  self->seed = (guint64) gtk_spin_button_get_value_as_int (spin);
  g_clear_pointer (&self->initial_model, lab_model_free);
  generation = lab_trainer_reseed (self->trainer, self->seed);
  params = lab_window_tutorial_params (self, self->config.hidden_size, self->config.time_step,
                                self->seed, &n_params);
  if (params != NULL)
    generation = lab_trainer_load_params (self->trainer, params, n_params);

  lab_window_start_generation (self, generation);
}

static void
window_changed_cb (LabWindow     *self,
                   GtkSpinButton *spin)
{
  if (self->updating || self->trainer == NULL)
    return;

  lab_window_select_window (self, gtk_spin_button_get_value_as_int (spin));
}

static void
forecast_window_selected_cb (LabWindow   *self,
                             int          window,
                             LabPlotView *view)
{
  /* The spin button's handler selects it. */
  gtk_spin_button_set_value (self->window_spin, window);
}

static void
timeline_changed_cb (LabWindow *self,
                     GtkRange  *range)
{
  int epoch;

  if (self->updating || self->trainer == NULL)
    return;

  epoch = (int) round (gtk_range_get_value (range));
  lab_window_show_epoch (self, epoch);
}

/* Actions */

static void
play_change_state_cb (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  gboolean playing = g_variant_get_boolean (value);

  if (self->trainer == NULL)
    return;

  lab_window_sync_playing (self, playing);
  if (playing)
    {
      lab_window_go_live (self);
      lab_trainer_play (self->trainer);
    }
  else
    {
      lab_trainer_pause (self->trainer);
    }
}

static void
step_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  if (self->trainer == NULL)
    return;

  if (self->playing)
    {
      lab_window_sync_playing (self, FALSE);
      lab_trainer_pause (self->trainer);
    }
  lab_window_go_live (self);
  lab_trainer_step (self->trainer, 1);
}

static void
reset_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  if (self->trainer == NULL)
    return;

  lab_window_start_generation (self, lab_trainer_reset (self->trainer));
}

static void
reseed_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  int seed;

  do
    seed = g_random_int_range (1, 1000000);
  while ((guint64) seed == self->seed);

  /* The spin button's handler reseeds. */
  gtk_spin_button_set_value (self->seed_spin, seed);
}

static void
live_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lab_window_go_live (LAB_WINDOW (user_data));
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
  gtk_widget_class_bind_template_callback (widget_class, shape_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lr_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, epochs_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, seed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, forecast_window_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, timeline_changed_cb);
}
