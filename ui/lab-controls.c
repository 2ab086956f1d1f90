/* lab-controls.c: the sidebar's controls (see the header).
 *
 * Each property is a view of one control: the getter reads the control,
 * the setter moves it, and a change of the control, by hand or by code,
 * notifies the property once. The ranges come from engine/limits.h. */
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "core/lab-run-settings.h"
#include "engine/limits.h"
#include "engine/rnn.h"
#include "ui/lab-controls.h"

struct _LabControls
{
  GtkBox         parent_instance;

  GtkDropDown   *cell_dropdown;
  GtkLabel      *n_params_label;
  GtkCheckButton *clip_check;
  GtkSpinButton *clip_spin;
  GtkScale      *hidden_size_scale;
  GtkSpinButton *hidden_size_spin;
  GtkScale      *time_step_scale;
  GtkSpinButton *time_step_spin;
  GtkLabel      *time_step_split;
  GtkScale      *lr_scale;
  GtkSpinButton *lr_spin;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *seed_spin;
  GtkScale      *speed_scale;
  GtkSpinButton *speed_spin;
  GtkLabel      *speed_value;
  GtkSpinButton *window_spin;

  double         lr;            /* the rate as typed or stepped to; the
                                   slider shows log10 of it */
  double         speed;         /* epochs per second as typed or stepped to
                                   (0: as fast as possible); the slider
                                   shows the nearest notch */
  gboolean       speed_syncing; /* the slider or the box being set from speed */
};

G_DEFINE_FINAL_TYPE (LabControls, lab_controls, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_HIDDEN_SIZE,
  PROP_TIME_STEP,
  PROP_LEARNING_RATE,
  PROP_EPOCHS,
  PROP_SEED,
  PROP_SPEED,
  PROP_WINDOW,
  PROP_CELL,
  PROP_CLIP_GRAD_NORM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void notify_changed (LabControls *self, int prop);

/* The speed slider's notches, in epochs per second; 0 = as fast as possible. */
static const double speeds[LAB_CONTROLS_N_SPEEDS] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0 };

/* Formatting */

/* 10^value with two significant digits. */
static double
lr_from_scale (double value)
{
  double lr = pow (10.0, value);
  double unit = pow (10.0, floor (log10 (lr)) - 1);

  return round (lr / unit) * unit;
}

/* The slider's notches: 1, 2 and 5 per decade, k = 0 at RNN_LR_WINDOW_MIN. */
static double
lr_notch (int k)
{
  static const double mantissa[] = { 1, 2, 5 };
  int decade = (int) round (log10 (RNN_LR_WINDOW_MIN)) + k / 3;

  /* a quotient or product of exact powers of ten: 0.01, not 0.010000000000000002 */
  return decade < 0 ? mantissa[k % 3] / pow (10.0, -decade) : mantissa[k % 3] * pow (10.0, decade);
}

static int
lr_n_notches (void)
{
  int k = 0;

  while (lr_notch (k + 1) <= RNN_LR_WINDOW_MAX * (1 + 1e-9))
    k++;
  return k + 1;
}

/* The notch nearest lr on the log scale. */
static int
lr_nearest_notch (double lr)
{
  int best = 0, n = lr_n_notches ();

  for (int k = 1; k < n; k++)
    if (fabs (log10 (lr_notch (k) / lr)) < fabs (log10 (lr_notch (best) / lr)))
      best = k;
  return best;
}

char *
lab_controls_format_lr (double lr)
{
  char format[8], buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The shortest form that reads back as the same value: 0.01, 0.0032. */
  for (int digits = 1; digits <= 17; digits++)
    {
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, lr);
      if (g_ascii_strtod (buf, NULL) == lr)
        break;
    }
  return g_strdup (buf);
}

gboolean
lab_controls_parse_lr (const char *text,
                       double     *lr)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  /* A decimal comma is read as a point. */
  g_strdelimit (copy, ",", '.');
  value = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (value)
      || value < RNN_LR_WINDOW_MIN * (1 - 1e-12) || value > RNN_LR_WINDOW_MAX * (1 + 1e-12))
    return FALSE;
  *lr = CLAMP (value, RNN_LR_WINDOW_MIN, RNN_LR_WINDOW_MAX);
  return TRUE;
}

char *
lab_controls_format_speed (double speed)
{
  if (speed <= 0)
    return g_strdup (_("As fast as possible"));
  /* Translators: training speed */
  return g_strdup_printf (ngettext ("%g epoch/s", "%g epochs/s", (gulong) speed), speed);
}

static int
range_int (GtkScale *scale)
{
  return (int) round (gtk_range_get_value (GTK_RANGE (scale)));
}

static void
update_value_labels (LabControls *self)
{
  g_autofree char *speed = lab_controls_format_speed (lab_controls_get_speed (self));

  char lr[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *count = lab_controls_format_n_params (rnn_model_n_params (lab_controls_get_cell (self), 1,
                                                                            lab_controls_get_hidden_size (self), 1));

  /* The box holds the number; the label says what it counts. */
  gtk_label_set_text (self->speed_value, self->speed <= 0 ? _("as fast as possible")
                      /* Translators: after the speed box, "20 epochs/s" */
                      : ngettext ("epoch/s", "epochs/s", (gulong) self->speed));
  gtk_label_set_text (self->n_params_label, count);
  /* Screen readers read the value, not the slider's position (log10 of
   * the rate, a speed notch). */
  lab_format_double (lr, lab_controls_get_learning_rate (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lr_scale),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, lr, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->speed_scale),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, speed, -1);
}

/* The learning-rate spin button shows and reads the rate, while its
 * adjustment (shared with the slider) holds log10 of it. */
static int
lr_spin_input_cb (GtkSpinButton *spin,
                  double        *new_value,
                  LabControls   *self)
{
  double lr;

  if (!lab_controls_parse_lr (gtk_editable_get_text (GTK_EDITABLE (spin)), &lr))
    return GTK_INPUT_ERROR;
  self->lr = lr;
  *new_value = log10 (lr);
  return TRUE;
}

static gboolean
lr_spin_output_cb (GtkSpinButton *spin,
                   LabControls   *self)
{
  g_autofree char *text = lab_controls_format_lr (lab_controls_get_learning_rate (self));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* The slider moves by notches (1, 2, 5 per decade): keys and clicks step
 * to the next one, a drag lands on the nearest. */
static gboolean
lr_change_value_cb (GtkRange      *range,
                    GtkScrollType  scroll,
                    double         value,
                    LabControls   *self)
{
  double current = gtk_range_get_value (range);
  int n = lr_n_notches ();
  int k = lr_nearest_notch (pow (10.0, value));

  switch (scroll)
    {
    case GTK_SCROLL_STEP_BACKWARD:
    case GTK_SCROLL_STEP_FORWARD:
    case GTK_SCROLL_STEP_UP:
    case GTK_SCROLL_STEP_DOWN:
    case GTK_SCROLL_STEP_LEFT:
    case GTK_SCROLL_STEP_RIGHT:
    case GTK_SCROLL_PAGE_BACKWARD:
    case GTK_SCROLL_PAGE_FORWARD:
    case GTK_SCROLL_PAGE_UP:
    case GTK_SCROLL_PAGE_DOWN:
    case GTK_SCROLL_PAGE_LEFT:
    case GTK_SCROLL_PAGE_RIGHT:
      {
        double lr = lab_controls_get_learning_rate (self);

        /* One notch in the direction asked, from where the rate is now. */
        if (value > current)
          for (k = 0; k < n - 1 && lr_notch (k) <= lr * (1 + 1e-9); k++)
            ;
        else if (value < current)
          for (k = n - 1; k > 0 && lr_notch (k) >= lr * (1 - 1e-9); k--)
            ;
        else
          return TRUE;
      }
      break;

    default:
      break;
    }

  lab_controls_set_learning_rate (self, lr_notch (CLAMP (k, 0, n - 1)));
  return TRUE;
}

/* A click on a slider's trough moves it by one page towards the click,
 * never to the click point: a stray click must not rebuild the network
 * far from where it was. A press on the knob starts a drag as usual. */
static GtkWidget *
find_knob (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *knob;

      if (g_strcmp0 (gtk_widget_get_css_name (child), "slider") == 0)
        return child;
      knob = find_knob (child);
      if (knob != NULL)
        return knob;
    }
  return NULL;
}

static void
trough_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   gpointer         user_data)
{
  GtkWidget *scale = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *knob = find_knob (scale);
  graphene_rect_t bounds;
  gboolean inverted = gtk_range_get_inverted (GTK_RANGE (scale));

  if (knob == NULL || !gtk_widget_compute_bounds (knob, scale, &bounds))
    return;
  if (x >= bounds.origin.x && x <= bounds.origin.x + bounds.size.width)
    return; /* on the knob: a drag */

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit_by_name (scale, "move-slider",
                         (x > bounds.origin.x) != inverted ? GTK_SCROLL_PAGE_FORWARD
                                                           : GTK_SCROLL_PAGE_BACKWARD);
}

static void
add_trough_paging (GtkScale *scale)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (gesture), "lab-trough-paging");
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (trough_pressed_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (scale), GTK_EVENT_CONTROLLER (gesture));
}

/* Template callbacks: a control moved */

static void
notify_changed (LabControls *self,
                int          prop)
{
  update_value_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
cell_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_CELL);
}

static void
clip_changed_cb (LabControls *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->clip_spin), gtk_check_button_get_active (self->clip_check));
  notify_changed (self, PROP_CLIP_GRAD_NORM);
}

static void
hidden_size_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_HIDDEN_SIZE);
}

static void
time_step_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_TIME_STEP);
}

static void
lr_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_LEARNING_RATE);
}

static void
epochs_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_EPOCHS);
}

static void
seed_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_SEED);
}

/* The notch nearest to speed on a log scale; 0 ("as fast as possible")
 * matches only 0. */
static int
nearest_notch (double speed)
{
  int best = 0;
  double best_distance = INFINITY;

  for (int notch = 0; notch < LAB_CONTROLS_N_SPEEDS; notch++)
    {
      double s = speeds[notch];
      double distance = (s <= 0) != (speed <= 0) ? INFINITY
                        : speed <= 0 ? 0.0 : fabs (log (s / speed));

      if (distance < best_distance)
        {
          best_distance = distance;
          best = notch;
        }
    }
  return best;
}

/* Shows speed in the slider (its nearest notch) and in the box. */
static void
show_speed (LabControls *self)
{
  self->speed_syncing = TRUE;
  gtk_range_set_value (GTK_RANGE (self->speed_scale), nearest_notch (self->speed));
  gtk_spin_button_set_value (self->speed_spin, self->speed);
  self->speed_syncing = FALSE;
}

static void
speed_changed_cb (LabControls *self)
{
  int notch = range_int (self->speed_scale);

  if (self->speed_syncing)
    return;
  self->speed = speeds[CLAMP (notch, 0, LAB_CONTROLS_N_SPEEDS - 1)];
  show_speed (self);
  notify_changed (self, PROP_SPEED);
}

/* A typed speed is kept as typed; the slider moves to its nearest notch. */
static void
speed_spin_changed_cb (LabControls *self)
{
  if (self->speed_syncing)
    return;
  self->speed = gtk_spin_button_get_value (self->speed_spin);
  show_speed (self);
  notify_changed (self, PROP_SPEED);
}

/* The box shows "max" for 0, as fast as possible. */
static gboolean
speed_spin_output_cb (GtkSpinButton *spin,
                      LabControls   *self)
{
  double value = gtk_spin_button_get_value (spin);
  g_autofree char *text = NULL;

  /* Translators: in the speed box, 0 epochs per second: as fast as possible */
  text = value <= 0 ? g_strdup (C_("speed", "max")) : g_strdup_printf ("%g", value);
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
speed_spin_input_cb (GtkSpinButton *spin,
                     double        *value,
                     LabControls   *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  char *end = NULL;
  double v;

  if (g_str_equal (text, C_("speed", "max")) || g_ascii_strcasecmp (text, "max") == 0)
    {
      *value = 0;
      return TRUE;
    }
  v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v) || v < 0)
    return GTK_INPUT_ERROR;
  *value = v;
  return TRUE;
}

static void
window_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_WINDOW);
}

/* GObject */

static void
lab_controls_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LabControls *self = LAB_CONTROLS (object);

  switch (prop_id)
    {
    case PROP_HIDDEN_SIZE:
      g_value_set_int (value, lab_controls_get_hidden_size (self));
      break;
    case PROP_TIME_STEP:
      g_value_set_int (value, lab_controls_get_time_step (self));
      break;
    case PROP_LEARNING_RATE:
      g_value_set_double (value, lab_controls_get_learning_rate (self));
      break;
    case PROP_EPOCHS:
      g_value_set_int (value, lab_controls_get_epochs (self));
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, lab_controls_get_seed (self));
      break;
    case PROP_SPEED:
      g_value_set_double (value, lab_controls_get_speed (self));
      break;
    case PROP_WINDOW:
      g_value_set_int (value, lab_controls_get_window (self));
      break;
    case PROP_CELL:
      g_value_set_string (value, rnn_cell_name (lab_controls_get_cell (self)));
      break;
    case PROP_CLIP_GRAD_NORM:
      g_value_set_double (value, lab_controls_get_clip_grad_norm (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_controls_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LabControls *self = LAB_CONTROLS (object);

  switch (prop_id)
    {
    case PROP_HIDDEN_SIZE:
      lab_controls_set_hidden_size (self, g_value_get_int (value));
      break;
    case PROP_TIME_STEP:
      lab_controls_set_time_step (self, g_value_get_int (value));
      break;
    case PROP_LEARNING_RATE:
      lab_controls_set_learning_rate (self, g_value_get_double (value));
      break;
    case PROP_EPOCHS:
      lab_controls_set_epochs (self, g_value_get_int (value));
      break;
    case PROP_SEED:
      lab_controls_set_seed (self, g_value_get_uint64 (value));
      break;
    case PROP_SPEED:
      lab_controls_set_speed (self, g_value_get_double (value));
      break;
    case PROP_WINDOW:
      lab_controls_set_window (self, g_value_get_int (value));
      break;
    case PROP_CELL:
      {
        RnnCell cell = RNN_CELL_RNN;

        if (g_value_get_string (value) != NULL)
          rnn_cell_from_name (g_value_get_string (value), &cell);
        lab_controls_set_cell (self, cell);
      }
      break;
    case PROP_CLIP_GRAD_NORM:
      lab_controls_set_clip_grad_norm (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_controls_class_init (LabControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lab_controls_get_property;
  object_class->set_property = lab_controls_set_property;

  properties[PROP_HIDDEN_SIZE] =
    g_param_spec_int ("hidden-size", NULL, NULL, RNN_HIDDEN_MIN, RNN_HIDDEN_MAX, 50, flags);
  properties[PROP_TIME_STEP] =
    g_param_spec_int ("time-step", NULL, NULL, RNN_TIME_STEP_MIN, RNN_POINTS_MAX, 10, flags);
  properties[PROP_LEARNING_RATE] =
    g_param_spec_double ("learning-rate", NULL, NULL, RNN_LR_WINDOW_MIN, RNN_LR_WINDOW_MAX, 0.01, flags);
  properties[PROP_EPOCHS] =
    g_param_spec_int ("epochs", NULL, NULL, 1, RNN_EPOCHS_MAX, 200, flags);
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, RNN_SEED_WINDOW_MAX, 0, flags);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, LAB_CONTROLS_DEFAULT_SPEED, flags);
  properties[PROP_WINDOW] =
    g_param_spec_int ("window", NULL, NULL, 0, G_MAXINT, 0, flags);
  /* the cell's name (rnn_cell_name: "rnn", "lstm", "gru"), for GSettings */
  properties[PROP_CELL] =
    g_param_spec_string ("cell", NULL, NULL, "rnn", flags);
  /* 0: off */
  properties[PROP_CLIP_GRAD_NORM] =
    g_param_spec_double ("clip-grad-norm", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rnnlab/RnnLab/ui/lab-controls.ui");
  gtk_widget_class_bind_template_child (widget_class, LabControls, cell_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabControls, n_params_label);
  gtk_widget_class_bind_template_child (widget_class, LabControls, clip_check);
  gtk_widget_class_bind_template_child (widget_class, LabControls, clip_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, hidden_size_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, hidden_size_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, time_step_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, time_step_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, time_step_split);
  gtk_widget_class_bind_template_child (widget_class, LabControls, lr_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, lr_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, speed_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, speed_value);
  gtk_widget_class_bind_template_child (widget_class, LabControls, speed_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, window_spin);
  gtk_widget_class_bind_template_callback (widget_class, cell_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, clip_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, hidden_size_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_step_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lr_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lr_change_value_cb);
  gtk_widget_class_bind_template_callback (widget_class, epochs_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, seed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_spin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_spin_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_spin_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_changed_cb);
}

static void
lab_controls_init (LabControls *self)
{
  GtkScale *scales[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  scales[0] = self->hidden_size_scale;
  scales[1] = self->time_step_scale;
  scales[2] = self->lr_scale;
  scales[3] = self->speed_scale;
  self->lr = 0.01;

  /* The ranges are the limits', whatever the template says. */
  gtk_range_set_range (GTK_RANGE (self->hidden_size_scale), RNN_HIDDEN_MIN, RNN_HIDDEN_MAX);
  gtk_range_set_range (GTK_RANGE (self->lr_scale), log10 (RNN_LR_WINDOW_MIN), log10 (RNN_LR_WINDOW_MAX));

  /* Each value can be typed: a spin button on the slider's own adjustment. */
  gtk_spin_button_configure (self->hidden_size_spin,
                             gtk_range_get_adjustment (GTK_RANGE (self->hidden_size_scale)), 1, 0);
  gtk_spin_button_configure (self->time_step_spin,
                             gtk_range_get_adjustment (GTK_RANGE (self->time_step_scale)), 1, 0);
  gtk_spin_button_set_numeric (self->hidden_size_spin, TRUE);
  gtk_spin_button_set_numeric (self->time_step_spin, TRUE);
  gtk_spin_button_configure (self->lr_spin,
                             gtk_range_get_adjustment (GTK_RANGE (self->lr_scale)), 1, 4);
  gtk_spin_button_set_update_policy (self->lr_spin, GTK_UPDATE_IF_VALID);
  g_signal_connect (self->lr_spin, "input", G_CALLBACK (lr_spin_input_cb), self);
  g_signal_connect (self->lr_spin, "output", G_CALLBACK (lr_spin_output_cb), self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hidden_size_spin),
                               gtk_widget_get_tooltip_text (GTK_WIDGET (self->hidden_size_scale)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_step_spin),
                               gtk_widget_get_tooltip_text (GTK_WIDGET (self->time_step_scale)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->lr_spin),
                               gtk_widget_get_tooltip_text (GTK_WIDGET (self->lr_scale)));
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    add_trough_paging (scales[i]);
  gtk_spin_button_set_range (self->epochs_spin, 1, RNN_EPOCHS_MAX);
  gtk_spin_button_set_range (self->seed_spin, 0, RNN_SEED_WINDOW_MAX);
  gtk_range_set_range (GTK_RANGE (self->speed_scale), 0, LAB_CONTROLS_N_SPEEDS - 1);
  for (guint i = 0; i < LAB_CONTROLS_N_SPEEDS; i++)
    gtk_scale_add_mark (self->speed_scale, i, GTK_POS_BOTTOM, NULL);
  lab_controls_set_speed (self, LAB_CONTROLS_DEFAULT_SPEED);
  gtk_spin_button_set_range (self->clip_spin, RNN_CLIP_WINDOW_MIN, RNN_CLIP_WINDOW_MAX);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clip_spin), FALSE);
  update_value_labels (self);
}

/* Public API */

char *
lab_controls_format_n_params (gsize n_params)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GSIZE_FORMAT, n_params);
  g_autoptr(GString) grouped = g_string_new (NULL);
  gsize len = strlen (digits);

  /* 2701 -> "2,701" */
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (grouped, ',');
      g_string_append_c (grouped, digits[i]);
    }
  /* Translators: %s is a number with thousands grouped, "2,701" */
  return g_strdup_printf (ngettext ("%s parameter", "%s parameters", n_params > G_MAXULONG ? G_MAXULONG : (gulong) n_params),
                          grouped->str);
}

RnnCell
lab_controls_get_cell (LabControls *self)
{
  guint selected;

  g_return_val_if_fail (LAB_IS_CONTROLS (self), RNN_CELL_RNN);

  selected = gtk_drop_down_get_selected (self->cell_dropdown);
  return selected < RNN_N_CELLS ? (RnnCell) selected : RNN_CELL_RNN;
}

void
lab_controls_set_cell (LabControls *self,
                       RnnCell      cell)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));
  g_return_if_fail (cell >= 0 && cell < RNN_N_CELLS);

  gtk_drop_down_set_selected (self->cell_dropdown, (guint) cell);
}

double
lab_controls_get_clip_grad_norm (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  if (!gtk_check_button_get_active (self->clip_check))
    return 0;
  return gtk_spin_button_get_value (self->clip_spin);
}

void
lab_controls_set_clip_grad_norm (LabControls *self,
                                 double       max_norm)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  if (!(max_norm > 0))
    {
      gtk_check_button_set_active (self->clip_check, FALSE);
      return;
    }
  /* the value first, so that turning it on notifies the final norm */
  g_signal_handlers_block_by_func (self->clip_spin, clip_changed_cb, self);
  gtk_spin_button_set_value (self->clip_spin, max_norm);
  g_signal_handlers_unblock_by_func (self->clip_spin, clip_changed_cb, self);
  if (gtk_check_button_get_active (self->clip_check))
    notify_changed (self, PROP_CLIP_GRAD_NORM);
  else
    gtk_check_button_set_active (self->clip_check, TRUE);
}

int
lab_controls_get_hidden_size (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return range_int (self->hidden_size_scale);
}

void
lab_controls_set_hidden_size (LabControls *self,
                              int          hidden_size)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_range_set_value (GTK_RANGE (self->hidden_size_scale), hidden_size);
}

int
lab_controls_get_time_step (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return range_int (self->time_step_scale);
}

void
lab_controls_set_time_step (LabControls *self,
                            int          time_step)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_range_set_value (GTK_RANGE (self->time_step_scale), time_step);
}

void
lab_controls_set_time_step_max (LabControls *self,
                                int          time_step_max)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_range_set_range (GTK_RANGE (self->time_step_scale), RNN_TIME_STEP_MIN,
                       MAX (time_step_max, RNN_TIME_STEP_MIN));
}

double
lab_controls_get_learning_rate (LabControls *self)
{
  double value;

  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  /* The rate typed or stepped to, while the slider is where it put it;
   * moved some other way, the slider's value with two digits. */
  value = gtk_range_get_value (GTK_RANGE (self->lr_scale));
  if (fabs (value - log10 (self->lr)) < 1e-9)
    return self->lr;
  return lr_from_scale (value);
}

void
lab_controls_set_learning_rate (LabControls *self,
                                double       lr)
{
  double old, value;

  g_return_if_fail (LAB_IS_CONTROLS (self));
  g_return_if_fail (lr > 0);

  lr = CLAMP (lr, RNN_LR_WINDOW_MIN, RNN_LR_WINDOW_MAX);
  old = lab_controls_get_learning_rate (self);
  value = log10 (lr);
  self->lr = lr;
  if (fabs (gtk_range_get_value (GTK_RANGE (self->lr_scale)) - value) >= 1e-9)
    {
      gtk_range_set_value (GTK_RANGE (self->lr_scale), value);
    }
  else if (old != lr)
    {
      /* The slider stays where it is; the rate did change. */
      lr_spin_output_cb (self->lr_spin, self);
      notify_changed (self, PROP_LEARNING_RATE);
    }
}

int
lab_controls_get_epochs (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return gtk_spin_button_get_value_as_int (self->epochs_spin);
}

void
lab_controls_set_epochs (LabControls *self,
                         int          epochs)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_spin_button_set_value (self->epochs_spin, epochs);
}

guint64
lab_controls_get_seed (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return (guint64) gtk_spin_button_get_value_as_int (self->seed_spin);
}

void
lab_controls_set_seed (LabControls *self,
                       guint64      seed)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_spin_button_set_value (self->seed_spin, (double) MIN (seed, RNN_SEED_WINDOW_MAX));
}

double
lab_controls_get_speed (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return self->speed;
}

void
lab_controls_set_speed (LabControls *self,
                        double       speed)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  speed = CLAMP (speed, 0, speeds[LAB_CONTROLS_N_SPEEDS - 2]);
  if (speed == self->speed && gtk_spin_button_get_value (self->speed_spin) == speed)
    return;
  self->speed = speed;
  show_speed (self);
  notify_changed (self, PROP_SPEED);
}

int
lab_controls_get_window (LabControls *self)
{
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return gtk_spin_button_get_value_as_int (self->window_spin);
}

void
lab_controls_set_window (LabControls *self,
                         int          window)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_spin_button_set_value (self->window_spin, window);
}

void
lab_controls_set_split (LabControls *self,
                        int          n_train,
                        int          n_test)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LAB_IS_CONTROLS (self));

  if (n_train <= 0)
    text = g_strdup (_("Too long for this series"));
  else
    /* Translators: under the time step: how the windows are split */
    text = g_strdup_printf (_("%d train · %d test windows"), n_train, n_test);
  gtk_label_set_text (self->time_step_split, text);
}

void
lab_controls_set_n_windows (LabControls *self,
                            int          n_windows)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_spin_button_set_range (self->window_spin, 0, MAX (n_windows - 1, 0));
}
