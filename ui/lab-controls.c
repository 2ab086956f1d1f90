/* lab-controls.c: the sidebar's controls (see the header).
 *
 * Each property is a view of one control: the getter reads the control,
 * the setter moves it, and a change of the control, by hand or by code,
 * notifies the property once. The ranges come from engine/limits.h. */
#include <math.h>

#include <glib/gi18n.h>

#include "engine/limits.h"
#include "ui/lab-controls.h"

struct _LabControls
{
  GtkBox         parent_instance;

  GtkScale      *hidden_size_scale;
  GtkLabel      *hidden_size_value;
  GtkScale      *time_step_scale;
  GtkLabel      *time_step_value;
  GtkScale      *lr_scale;
  GtkLabel      *lr_value;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *seed_spin;
  GtkScale      *speed_scale;
  GtkLabel      *speed_value;
  GtkSpinButton *window_spin;
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  g_autofree char *hidden = g_strdup_printf ("%d", range_int (self->hidden_size_scale));
  g_autofree char *time_step = g_strdup_printf ("%d", range_int (self->time_step_scale));
  g_autofree char *lr = g_strdup_printf ("%.2g", lab_controls_get_learning_rate (self));
  g_autofree char *speed = lab_controls_format_speed (lab_controls_get_speed (self));

  gtk_label_set_text (self->hidden_size_value, hidden);
  gtk_label_set_text (self->time_step_value, time_step);
  gtk_label_set_text (self->lr_value, lr);
  gtk_label_set_text (self->speed_value, speed);
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

static void
speed_changed_cb (LabControls *self)
{
  notify_changed (self, PROP_SPEED);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rnnlab/RnnLab/ui/lab-controls.ui");
  gtk_widget_class_bind_template_child (widget_class, LabControls, hidden_size_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, hidden_size_value);
  gtk_widget_class_bind_template_child (widget_class, LabControls, time_step_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, time_step_value);
  gtk_widget_class_bind_template_child (widget_class, LabControls, lr_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, lr_value);
  gtk_widget_class_bind_template_child (widget_class, LabControls, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LabControls, speed_scale);
  gtk_widget_class_bind_template_child (widget_class, LabControls, speed_value);
  gtk_widget_class_bind_template_child (widget_class, LabControls, window_spin);
  gtk_widget_class_bind_template_callback (widget_class, hidden_size_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_step_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lr_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, epochs_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, seed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_changed_cb);
}

static void
lab_controls_init (LabControls *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The ranges are the limits', whatever the template says. */
  gtk_range_set_range (GTK_RANGE (self->hidden_size_scale), RNN_HIDDEN_MIN, RNN_HIDDEN_MAX);
  gtk_range_set_range (GTK_RANGE (self->lr_scale), log10 (RNN_LR_WINDOW_MIN), log10 (RNN_LR_WINDOW_MAX));
  gtk_spin_button_set_range (self->epochs_spin, 1, RNN_EPOCHS_MAX);
  gtk_spin_button_set_range (self->seed_spin, 0, RNN_SEED_WINDOW_MAX);
  gtk_range_set_range (GTK_RANGE (self->speed_scale), 0, LAB_CONTROLS_N_SPEEDS - 1);
  for (guint i = 0; i < LAB_CONTROLS_N_SPEEDS; i++)
    gtk_scale_add_mark (self->speed_scale, i, GTK_POS_BOTTOM, NULL);
  lab_controls_set_speed (self, LAB_CONTROLS_DEFAULT_SPEED);
  update_value_labels (self);
}

/* Public API */

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
  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  return lr_from_scale (gtk_range_get_value (GTK_RANGE (self->lr_scale)));
}

void
lab_controls_set_learning_rate (LabControls *self,
                                double       lr)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));
  g_return_if_fail (lr > 0);

  gtk_range_set_value (GTK_RANGE (self->lr_scale), log10 (lr));
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
  int notch;

  g_return_val_if_fail (LAB_IS_CONTROLS (self), 0);

  notch = range_int (self->speed_scale);
  return speeds[CLAMP (notch, 0, LAB_CONTROLS_N_SPEEDS - 1)];
}

void
lab_controls_set_speed (LabControls *self,
                        double       speed)
{
  int best = 0;
  double best_distance = INFINITY;

  g_return_if_fail (LAB_IS_CONTROLS (self));

  /* The nearest notch on a log scale; 0 ("as fast as possible") matches only 0. */
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
  gtk_range_set_value (GTK_RANGE (self->speed_scale), best);
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
lab_controls_set_n_windows (LabControls *self,
                            int          n_windows)
{
  g_return_if_fail (LAB_IS_CONTROLS (self));

  gtk_spin_button_set_range (self->window_spin, 0, MAX (n_windows - 1, 0));
}
