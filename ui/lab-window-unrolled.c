/* lab-window-unrolled.c: the "Unrolled" page of the lower-right card: the
 * network unrolled over the selected window, and the arithmetic of one
 * step of it (core: lab_snapshot_get_step_terms).
 *
 * Pointing at a column, or the arrow keys while the view has the focus,
 * pick the step; the "one step" panel sits under the network when the page
 * is tall enough and opens in a popover (click, Enter) otherwise. After the
 * teacher steps one epoch, the forward pass runs left to right and the
 * backward pass right to left over UNROLLED_PASS_US, drawn from a tick
 * callback: nothing waits for it, and a new step starts it again. */
#include <glib/gi18n.h>

#include "ui/lab-window-private.h"

/* The whole animation: the forward pass, then the backward pass. */
#define UNROLLED_PASS_US     (1500 * G_TIME_SPAN_MILLISECOND)
/* The step panel goes under the network from this page height on (pixels
 * at font scale 1; an LSTM's or GRU's step has more rows), and opens in a
 * popover below it. */
#define UNROLLED_INLINE_MIN       430
#define UNROLLED_INLINE_MIN_GATED 600
/* The popover's step panel: a plain RNN's step has fewer rows. */
#define STEP_POPOVER_WIDTH         560
#define STEP_POPOVER_HEIGHT        240
#define STEP_POPOVER_HEIGHT_GATED  380

/* The step picked: the teacher's, else T. */
static int
picked_step (LabWindow *self,
             int        T)
{
  return self->unrolled_step >= 1 && self->unrolled_step <= T ? self->unrolled_step : T;
}

static void
update_summaries (LabWindow   *self,
                  LabSnapshot *s,
                  int          window,
                  int          step)
{
  g_autofree char *one = NULL;

  /* While training, the window has said so once (describe_views); the
   * values are read out at the pause. */
  if (lab_compare_get_training (self->compare))
    return;
  /* The network says its picked step's values (lab-plot-describe.c) */
  lab_plot_view_describe (self->unrolled_view, s->epoch);
  /* Translators: the one-step panel's description */
  one = g_strdup_printf (_("One step, epoch %d, window %d: the arithmetic of time step %d of %d"),
                         s->epoch, window, step, s->time_step);
  lab_plot_view_set_summary (self->step_view, one);
  if (self->step_popover_view != NULL)
    lab_plot_view_set_summary (self->step_popover_view, one);
}

/* The step panels: the terms of the picked step, from the snapshot's weights. */
static void
update_step (LabWindow   *self,
             LabSnapshot *s,
             int          window)
{
  int step = picked_step (self, s->time_step);
  g_autoptr(LabStepTerms) terms = lab_snapshot_get_step_terms (s, window, step);
  LabStepData data = { 0 };

  if (terms == NULL)
    return;
  data.cell = (LabPlotCell) terms->cell;
  data.step = terms->step;
  data.input_size = terms->input_size;
  data.hidden_size = terms->hidden_size;
  data.x = terms->x;
  data.h_prev = terms->h_prev;
  data.ih = terms->ih;
  data.hh = terms->hh;
  data.b_ih = terms->b_ih;
  data.b_hh = terms->b_hh;
  data.pre = terms->pre;
  data.gates = terms->cell != RNN_CELL_RNN ? terms->gates : NULL;
  data.c_prev = terms->c_prev;
  data.c = terms->c;
  data.h = terms->h;
  lab_plot_view_set_step (self->step_view, &data);
  if (self->step_popover_view != NULL)
    {
      const LabPlotStyle *style = lab_plot_view_get_style (self->step_popover_view);
      int height = terms->cell == RNN_CELL_RNN ? STEP_POPOVER_HEIGHT : STEP_POPOVER_HEIGHT_GATED;

      gtk_widget_set_size_request (GTK_WIDGET (self->step_popover_view),
                                   STEP_POPOVER_WIDTH * MAX (style->font_scale, 1.0),
                                   height * MAX (style->font_scale, 1.0));
      lab_plot_view_set_step (self->step_popover_view, &data);
    }
  update_summaries (self, s, window, step);
}

static gboolean
page_shown (LabWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->cell_stack), "unrolled") == 0;
}

void
lab_window_update_unrolled (LabWindow   *self,
                            LabSnapshot *s,
                            int          window)
{
  gsize T = s->time_step, H = s->hidden_size;
  g_autofree float *hidden = NULL;
  LabUnrolledData data = { 0 };
  float prediction;

  /* While training, a page nobody sees waits for the pause or its turn
   * (exports of a paused run get what is shown). */
  self->unrolled_stale = lab_run_get_playing (self->run) && !page_shown (self);
  if (self->unrolled_stale)
    return;

  data.time_step = T;
  data.hidden_size = H;
  data.inputs = s->inputs + window;
  if (window == s->window)
    data.hidden = s->hidden;
  else
    {
      hidden = g_new (float, T * H);
      lab_snapshot_get_hidden (s, window, hidden);
      data.hidden = hidden;
    }
  /* ŷ = W_fc h_T + b_fc and its target on the model's scale, as x_t: the
   * network's own numbers (the forecast shows them in the series' units) */
  series_scale_apply (&prediction, &s->scale, &s->predictions[window], 1);
  data.prediction = prediction;
  data.target = window + (int) T < s->n_points ? s->inputs[window + T] : NAN;
  data.auto_range = self->heatmap_auto_range;
  data.highlight = picked_step (self, T);
  data.pass = self->unrolled_pass;
  data.pass_step = self->unrolled_pass_step;
  data.model = lab_window_get_focus_label (self);
  lab_plot_view_set_unrolled (self->unrolled_view, &data);
  update_step (self, s, window);
}

/* Picking a step */

static void
pick_step (LabWindow *self,
           int        step)
{
  LabSnapshot *s = lab_run_get_shown (lab_window_get_focus_run (self));
  const LabUnrolledData *data = lab_plot_view_get_unrolled (self->unrolled_view);
  int window;

  if (s == NULL || data == NULL || step < 1 || step > s->time_step)
    return;
  if (step == picked_step (self, s->time_step) && self->unrolled_step == step)
    return;
  self->unrolled_step = step;
  lab_plot_view_set_unrolled_marks (self->unrolled_view, step, data->pass, data->pass_step);
  window = CLAMP (lab_run_get_selected_window (self->run), 0, s->n_windows - 1);
  update_step (self, s, window);
}

static gboolean
step_inline (LabWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->step_view));
}

static void
show_step_popover (LabWindow *self,
                   double     x,
                   double     y)
{
  GdkRectangle at = { (int) x, (int) y, 1, 1 };

  if (step_inline (self))
    return;
  gtk_popover_set_pointing_to (self->step_popover, &at);
  gtk_popover_popup (self->step_popover);
}

static int
step_under (LabWindow *self,
            double     x,
            double     y)
{
  const LabUnrolledData *data = lab_plot_view_get_unrolled (self->unrolled_view);
  GtkWidget *view = GTK_WIDGET (self->unrolled_view);

  if (data == NULL)
    return 0;
  return lab_unrolled_plot_step_at (gtk_widget_get_width (view), gtk_widget_get_height (view), data,
                                    lab_plot_view_get_style (self->unrolled_view), x, y);
}

static void
motion_cb (LabWindow                *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  int step = step_under (self, x, y);

  if (step > 0)
    pick_step (self, step);
}

static void
click_released_cb (LabWindow       *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *gesture)
{
  int step = step_under (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self->unrolled_view));
  if (step < 1)
    return;
  pick_step (self, step);
  show_step_popover (self, x, y);
}

/* Moves the picked step by delta (clamped to 1..T); the popover's arrows too. */
static gboolean
move_step (LabWindow *self,
           guint      keyval)
{
  LabSnapshot *s = lab_run_get_shown (lab_window_get_focus_run (self));
  int T, step;

  if (s == NULL)
    return FALSE;
  T = s->time_step;
  step = picked_step (self, T);
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step = MAX (step - 1, 1);
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step = MIN (step + 1, T);
      break;
    case GDK_KEY_Home:
      step = 1;
      break;
    case GDK_KEY_End:
      step = T;
      break;
    default:
      return FALSE;
    }
  pick_step (self, step);
  return TRUE;
}

static gboolean
key_pressed_cb (LabWindow             *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GtkWidget *view = GTK_WIDGET (self->unrolled_view);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
    {
      show_step_popover (self, gtk_widget_get_width (view) / 2.0, gtk_widget_get_height (view) / 2.0);
      return TRUE;
    }
  return move_step (self, keyval);
}

static gboolean
popover_key_pressed_cb (LabWindow             *self,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        GtkEventControllerKey *controller)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;
  return move_step (self, keyval);
}

/* The passes of step mode, and where the step panel goes */

static void
set_pass (LabWindow *self,
          LabPass    pass,
          int        pass_step)
{
  const LabUnrolledData *data = lab_plot_view_get_unrolled (self->unrolled_view);

  self->unrolled_pass = pass;
  self->unrolled_pass_step = pass_step;
  if (data != NULL)
    lab_plot_view_set_unrolled_marks (self->unrolled_view, data->highlight, pass, pass_step);
}

static void
advance_pass (LabWindow *self,
              gint64     now)
{
  const LabUnrolledData *data = lab_plot_view_get_unrolled (self->unrolled_view);
  double f;
  int T;

  if (self->unrolled_pass == LAB_PASS_NONE)
    return;
  if (data == NULL || lab_run_get_playing (self->run))
    {
      set_pass (self, LAB_PASS_NONE, 0);
      return;
    }
  if (self->unrolled_pass_start == 0)
    self->unrolled_pass_start = now;
  T = MAX (data->time_step, 1);
  /* f in [0, 2): the forward pass over the first half, the backward over the second */
  f = 2.0 * (double) (now - self->unrolled_pass_start) / UNROLLED_PASS_US;
  if (f >= 2.0)
    set_pass (self, LAB_PASS_NONE, 0);
  else if (f < 1.0)
    set_pass (self, LAB_PASS_FORWARD, CLAMP (1 + (int) (f * T), 1, T));
  else
    set_pass (self, LAB_PASS_BACKWARD, CLAMP (T - (int) ((f - 1.0) * T), 1, T));
}

static void
place_step_panel (LabWindow *self)
{
  const LabPlotStyle *style = lab_plot_view_get_style (self->unrolled_view);
  const LabStepData *step = lab_plot_view_get_step (self->step_view);
  int height = gtk_widget_get_height (self->unrolled_box);
  int needed = step != NULL && step->cell != LAB_PLOT_CELL_RNN ? UNROLLED_INLINE_MIN_GATED : UNROLLED_INLINE_MIN;
  gboolean fits = height >= needed * MAX (style->font_scale, 1.0);

  if (height <= 0 || fits == step_inline (self))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->step_view), fits);
  if (fits)
    gtk_popover_popdown (self->step_popover);
}

static gboolean
unrolled_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  place_step_panel (self);
  advance_pass (self, gdk_frame_clock_get_frame_time (frame_clock));
  return G_SOURCE_CONTINUE;
}

void
lab_window_unrolled_stepped (LabWindow *self)
{
  g_return_if_fail (LAB_IS_WINDOW (self));

  if (lab_run_get_playing (self->run) || !page_shown (self))
    return;
  /* From the start, at the next frame's time */
  self->unrolled_pass_start = 0;
  set_pass (self, LAB_PASS_FORWARD, 1);
}

/* The page, as an action (win.cell-page): "hidden", "cell-state", "gates",
 * "gradient", "unrolled" */

static void
cell_page_change_state_cb (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  const char *name = g_variant_get_string (state, NULL);
  GtkWidget *page = gtk_stack_get_child_by_name (self->cell_stack, name);

  if (page == NULL || !gtk_stack_page_get_visible (gtk_stack_get_page (self->cell_stack, page)))
    {
      g_warning ("win.cell-page: no page “%s” shown; accepted: hidden, cell-state (LSTM), "
                 "gates, gradient, unrolled", name);
      return;
    }
  gtk_stack_set_visible_child_name (self->cell_stack, name);
}

static void
visible_page_changed_cb (LabWindow  *self,
                         GParamSpec *pspec,
                         GtkStack   *stack)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "cell-page");
  const char *name = gtk_stack_get_visible_child_name (stack);

  if (action != NULL && name != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
  /* The network wants width: its card shares the row's room while shown. */
  gtk_widget_set_hexpand (gtk_widget_get_ancestor (GTK_WIDGET (stack), GTK_TYPE_FRAME),
                          g_strcmp0 (name, "unrolled") == 0);
  /* A pass nobody sees ends. */
  if (g_strcmp0 (name, "unrolled") != 0 && self->unrolled_pass != LAB_PASS_NONE)
    set_pass (self, LAB_PASS_NONE, 0);
  if (g_strcmp0 (name, "unrolled") == 0 && self->unrolled_stale)
    lab_window_mark_dirty (self, LAB_DIRTY_HIDDEN);
}

void
lab_window_unrolled_get_step_size (LabWindow *self,
                                   int       *width,
                                   int       *height)
{
  int w = -1, h = -1;

  if (self->step_popover_view != NULL)
    gtk_widget_get_size_request (GTK_WIDGET (self->step_popover_view), &w, &h);
  if (w > 0 && h > 0)
    {
      *width = w;
      *height = h;
    }
}

/* Help */

char *
lab_window_unrolled_help_markup (LabWindow *self)
{
  const LabRunSettings *settings = lab_run_get_settings (lab_window_get_focus_run (self));
  RnnCell cell = settings->config.cell;
  g_autofree char *about = NULL;
  g_autofree char *radius = lab_window_spectral_radius_markup (self);
  const char *path;
  const char *why;

  about = g_strdup_printf (_("The network unrolled over the %d time steps of the selected window, "
                             "as textbooks draw it: x<sub>t</sub> enters at the bottom, each column "
                             "is h<sub>t</sub> (coloured as in the hidden state), and ŷ at the end is "
                             "compared with the target. The same weights serve every column. Point "
                             "at a column, or focus the view and press ← and →, to see the arithmetic "
                             "of that step with the real numbers and their shapes (Enter or a click "
                             "opens it when the page is small). After Step, the forward pass runs "
                             "left to right and the backward pass right to left."),
                           settings->config.time_step);
  /* Backward through the cell: what carries the gradient from h_T back to h_1 */
  if (cell == RNN_CELL_LSTM)
    path = "∂L/∂c<sub>t−1</sub> = ∂L/∂c<sub>t</sub> ⊙ σ(f) + (through h<sub>t−1</sub> and W<sub>hh</sub>)";
  else if (cell == RNN_CELL_GRU)
    path = "∂L/∂h<sub>t−1</sub> = ∂L/∂h<sub>t</sub> ⊙ z + (through r, z, n and W<sub>hh</sub>)";
  else
    path = "∂L/∂h<sub>1</sub> = ∏<sub>t=2..T</sub> W<sub>hh</sub><sup>T</sup> diag(1 − h<sub>t</sub>²) · ∂L/∂h<sub>T</sub>";
  if (cell == RNN_CELL_LSTM)
    why = _("The cell state c<sub>t</sub> = f ⊙ c<sub>t−1</sub> + i ⊙ g carries the gradient back "
            "multiplied only by the forget gate, unit by unit: no W<sub>hh</sub>, no tanh′. While f "
            "stays near 1 the gradient survives many steps, which is why an LSTM can learn "
            "what happened long ago.");
  else if (cell == RNN_CELL_GRU)
    why = _("The update gate z mixes h<sub>t−1</sub> straight into h<sub>t</sub>, so the gradient "
            "also goes back multiplied only by z, unit by unit. While z stays near 1 it survives "
            "many steps, as through an LSTM’s cell state.");
  else
    why = _("Going back T steps multiplies T − 1 Jacobians W<sub>hh</sub><sup>T</sup> diag(1 − h²). "
            "Their product behaves like ρ<sup>T</sup>, ρ the spectral radius of W<sub>hh</sub> "
            "(scaled down further by saturated units, where 1 − h² ≈ 0): below 1 it vanishes and "
            "the first steps stop learning; well above 1 it can explode, which clipping by "
            "total norm keeps in check.");

  return g_strdup_printf ("<b>%s</b>\n\n%s\n\n<b>%s</b>\n%s\n\n<b>%s</b>\n%s\n%s\n\n%s%s%s",
                          _("The unrolled network"), about,
                          _("Forward"), lab_window_cell_equations (cell),
                          _("Backward through time (BPTT)"), LAB_BPTT_RNN_MARKUP, path, why,
                          radius != NULL ? "\n" : "", radius != NULL ? radius : "");
}

/* Setup */

void
lab_window_class_bind_unrolled (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, LabWindow, unrolled_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, step_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, unrolled_box);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, unrolled_help_button);
}

void
lab_window_unrolled_init (LabWindow *self)
{
  GtkWidget *view = GTK_WIDGET (self->unrolled_view);
  GtkWidget *switcher = gtk_widget_get_prev_sibling (GTK_WIDGET (self->cell_stack));
  GtkEventController *controller;
  GtkGesture *click;
  GAction *action;

  /* With this page the tabs no longer fit the card at equal widths. */
  if (GTK_IS_STACK_SWITCHER (switcher))
    gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (switcher)), FALSE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, controller);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, controller);

  /* The step panel for a small page */
  self->step_popover_view = LAB_PLOT_VIEW (lab_plot_view_new (LAB_PLOT_KIND_STEP));
  lab_plot_view_set_style (self->step_popover_view, lab_plot_view_get_style (self->unrolled_view));
  self->step_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->step_popover, GTK_WIDGET (self->step_popover_view));
  gtk_popover_set_position (self->step_popover, GTK_POS_TOP);
  gtk_widget_set_parent (GTK_WIDGET (self->step_popover), view);
  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (popover_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->step_popover), controller);

  self->unrolled_tick_id = gtk_widget_add_tick_callback (self->unrolled_box, unrolled_tick_cb, self, NULL);

  action = G_ACTION (g_simple_action_new_stateful ("cell-page", G_VARIANT_TYPE_STRING,
                                                   g_variant_new_string ("hidden")));
  g_signal_connect (action, "change-state", G_CALLBACK (cell_page_change_state_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self), action);
  g_object_unref (action);
  g_signal_connect_object (self->cell_stack, "notify::visible-child-name",
                           G_CALLBACK (visible_page_changed_cb), self, G_CONNECT_SWAPPED);
}

void
lab_window_unrolled_dispose (LabWindow *self)
{
  if (self->unrolled_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (self->unrolled_box, self->unrolled_tick_id);
      self->unrolled_tick_id = 0;
    }
  if (self->step_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->step_popover));
      self->step_popover = NULL;
      self->step_popover_view = NULL;
    }
}
