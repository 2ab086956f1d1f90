/* lab-plot-view.c: one widget for the plots, drawn by their renderers.
 *
 * The forecast reports a click as "window-selected"; the heatmap answers
 * hovering with a tooltip naming the unit, the time step and the value,
 * the loss plot with the epoch and its losses. Each view is one Tab stop
 * whose accessible description says its values when the window asks
 * (lab_plot_view_describe); the focused forecast moves a cursor over its
 * windows with the arrow keys and reads each one out. */
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ui/lab-plot-describe.h"
#include "ui/lab-plot-view.h"
#include "ui/lab-tooltips.h"

struct _LabPlotView
{
  GtkWidget        parent_instance;

  LabPlotKind      kind;
  LabPlotStyle     style;
  char            *summary;
  const char      *label;           /* translated, static */
  int              described_epoch; /* of the last lab_plot_view_describe(), or -1 */
  int              cursor;          /* the forecast's keyboard cursor, or -1 */

  gboolean         has_forecast;
  LabForecastData  forecast;
  float           *series;       /* (n_points) */
  float           *predictions;  /* (n_windows) or NULL */
  char            *title;
  float           *free_forecast; /* (n_forecast) or NULL */
  char            *y_label;
  LabForecastBaseline *baselines; /* (n_baselines), labels and predictions copied */

  gboolean         has_loss;
  LabLossData      loss;         /* arrays borrowed */

  gboolean         has_hidden;
  LabHiddenData    hidden;
  float           *hidden_values; /* (T, H) */

  gboolean         has_gates;
  LabGatesData     gates;
  LabGate         *gate_list;     /* (n_gates), names copied */
  float           *gate_values;   /* (n_gates, T, H) */

  gboolean         has_gradient;
  LabGradientData  gradient;
  LabForecastModel *forecast_models; /* compare mode: (n_models), labels and arrays copied */
  LabLossSeries   *loss_models;      /* likewise */
  LabGradientSeries *gradient_models; /* (n_models), labels copied */
  float           *gradient_norms;    /* (n_models, T) */

  char            *model;           /* the hidden or unrolled data's model label */
  gboolean         has_unrolled;
  LabUnrolledData  unrolled;
  float           *unrolled_values;   /* (T + T H) x_t, then h_t */

  gboolean         has_step;
  LabStepData      step;
  float           *step_values;       /* every vector of step, back to back */
};

G_DEFINE_TYPE (LabPlotView, lab_plot_view, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (LabPlotKind, lab_plot_kind,
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_FORECAST, "forecast"),
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_LOSS, "loss"),
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_HIDDEN, "hidden"),
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_GATES, "gates"),
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_GRADIENT, "gradient"),
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_UNROLLED, "unrolled"),
                    G_DEFINE_ENUM_VALUE (LAB_PLOT_KIND_STEP, "step"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_SUMMARY,
  N_PROPS
};

enum {
  WINDOW_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_gates (LabPlotView *self)
{
  for (int k = 0; self->gate_list != NULL && k < self->gates.n_gates; k++)
    g_free ((char *) self->gate_list[k].name);
  g_clear_pointer (&self->gate_list, g_free);
  g_clear_pointer (&self->gate_values, g_free);
  self->has_gates = FALSE;
}

static void
clear_gradient (LabPlotView *self)
{
  for (int m = 0; self->gradient_models != NULL && m < self->gradient.n_models; m++)
    g_free ((char *) self->gradient_models[m].label);
  g_clear_pointer (&self->gradient_models, g_free);
  g_clear_pointer (&self->gradient_norms, g_free);
  self->has_gradient = FALSE;
}

static void
clear_forecast_models (LabPlotView *self)
{
  for (int m = 0; self->forecast_models != NULL && m < self->forecast.n_models; m++)
    {
      g_free ((char *) self->forecast_models[m].label);
      g_free ((float *) self->forecast_models[m].predictions);
      g_free ((float *) self->forecast_models[m].forecast);
    }
  g_clear_pointer (&self->forecast_models, g_free);
}

static void
clear_loss_models (LabPlotView *self)
{
  for (int m = 0; self->loss_models != NULL && m < self->loss.n_models; m++)
    {
      g_free ((char *) self->loss_models[m].label);
      g_free ((float *) self->loss_models[m].train_loss);
      g_free ((float *) self->loss_models[m].test_loss);
    }
  g_clear_pointer (&self->loss_models, g_free);
}

static void
clear_baselines (LabPlotView *self)
{
  for (int b = 0; self->baselines != NULL && b < self->forecast.n_baselines; b++)
    {
      g_free ((char *) self->baselines[b].label);
      g_free ((float *) self->baselines[b].predictions);
    }
  g_clear_pointer (&self->baselines, g_free);
}

static void
lab_plot_view_finalize (GObject *object)
{
  LabPlotView *self = (LabPlotView *)object;

  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->series, g_free);
  g_clear_pointer (&self->predictions, g_free);
  g_clear_pointer (&self->title, g_free);
  clear_baselines (self);
  clear_forecast_models (self);
  clear_loss_models (self);
  g_clear_pointer (&self->free_forecast, g_free);
  g_clear_pointer (&self->y_label, g_free);
  g_clear_pointer (&self->hidden_values, g_free);
  g_clear_pointer (&self->model, g_free);
  clear_gates (self);
  clear_gradient (self);
  g_clear_pointer (&self->unrolled_values, g_free);
  g_clear_pointer (&self->step_values, g_free);

  G_OBJECT_CLASS (lab_plot_view_parent_class)->finalize (object);
}

static void
lab_plot_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LabPlotView *self = LAB_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_plot_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LabPlotView *self = LAB_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;

    case PROP_SUMMARY:
      lab_plot_view_set_summary (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The view's name, as its accessible label says it. */
static const char *
view_label (LabPlotView *self)
{
  if (self->kind == LAB_PLOT_KIND_HIDDEN && self->has_hidden && self->hidden.cell_state)
    return _("Cell state");
  return self->label;
}

static void
lab_plot_view_constructed (GObject *object)
{
  LabPlotView *self = LAB_PLOT_VIEW (object);
  GtkWidget *widget = GTK_WIDGET (self);
  const char *label = NULL;

  G_OBJECT_CLASS (lab_plot_view_parent_class)->constructed (object);

  switch (self->kind)
    {
    case LAB_PLOT_KIND_FORECAST:
      label = _("Forecast");
      gtk_widget_set_size_request (widget, 360, 200);
      gtk_widget_set_cursor_from_name (widget, "crosshair");
      break;

    case LAB_PLOT_KIND_LOSS:
      label = _("Loss");
      gtk_widget_set_size_request (widget, 240, 160);
      gtk_widget_set_has_tooltip (widget, TRUE);
      break;

    case LAB_PLOT_KIND_HIDDEN:
      label = _("Hidden state");
      gtk_widget_set_size_request (widget, 240, 160);
      gtk_widget_set_has_tooltip (widget, TRUE);
      break;

    case LAB_PLOT_KIND_GATES:
      label = _("Gates");
      gtk_widget_set_size_request (widget, 240, 160);
      gtk_widget_set_has_tooltip (widget, TRUE);
      break;

    case LAB_PLOT_KIND_GRADIENT:
      label = _("Gradients through time");
      gtk_widget_set_size_request (widget, 240, 160);
      gtk_widget_set_has_tooltip (widget, TRUE);
      break;

    case LAB_PLOT_KIND_UNROLLED:
      label = _("Unrolled network");
      gtk_widget_set_size_request (widget, 240, 120);
      gtk_widget_set_has_tooltip (widget, TRUE);
      break;

    case LAB_PLOT_KIND_STEP:
      label = _("One step");
      gtk_widget_set_size_request (widget, 240, 80);
      break;

    default:
      g_assert_not_reached ();
    }

  self->label = label;
  gtk_widget_add_css_class (widget, "plot");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No data yet"),
                                  -1);
}

/* Hover readouts: the heatmap's cell, the loss plot's epoch. */
static char *
loss_readout (LabPlotView *self,
              int          x,
              int          y)
{
  const LabLossData *data = &self->loss;
  int epoch, i;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;

  if (!self->has_loss || data->n_models > 0)
    return NULL;
  epoch = lab_loss_plot_epoch_at (gtk_widget_get_width (GTK_WIDGET (self)),
                                  gtk_widget_get_height (GTK_WIDGET (self)),
                                  data, &self->style, x, y);
  i = data->from_epoch_0 ? epoch : epoch - 1;
  if (epoch < 0 || i < 0 || i >= data->n_epochs || data->train_loss == NULL)
    return NULL;
  train = lab_format_loss (data->train_loss[i]);
  if (data->test_loss == NULL)
    /* Translators: hovering the loss plot */
    return g_strdup_printf (_("epoch %d: train loss %s"), epoch, train);
  test = lab_format_loss (data->test_loss[i]);
  /* Translators: hovering the loss plot */
  return g_strdup_printf (_("epoch %d: train loss %s, test loss %s"), epoch, train, test);
}

static char *
hidden_readout (LabPlotView *self,
                int          x,
                int          y)
{
  const LabHiddenData *data = &self->hidden;
  char value[32];
  int unit, step;

  if (!self->has_hidden)
    return NULL;
  if (!lab_hidden_plot_cell_at (gtk_widget_get_width (GTK_WIDGET (self)),
                                gtk_widget_get_height (GTK_WIDGET (self)),
                                data, &self->style, x, y, &unit, &step))
    return NULL;
  if (unit < 0 || unit >= data->hidden_size || step < 1 || step > data->time_step)
    return NULL;

  lab_format_number (value, sizeof value, data->hidden[(step - 1) * data->hidden_size + unit], 3);
  /* Translators: a cell of the hidden-state heatmap */
  return g_strdup_printf (_("unit %d, t = %d, h = %s"), unit + 1, step, value);
}

static char *
gates_readout (LabPlotView *self,
               int          x,
               int          y)
{
  const LabGatesData *data = &self->gates;
  g_autofree char *name = NULL;
  char value[32];
  int gate, unit, step;

  if (!self->has_gates)
    return NULL;
  if (!lab_gates_plot_cell_at (gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)),
                               data, &self->style, x, y, &gate, &unit, &step))
    return NULL;
  if (gate < 0 || gate >= data->n_gates || unit < 0 || unit >= data->hidden_size
      || step < 1 || step > data->time_step)
    return NULL;

  lab_format_number (value, sizeof value,
                     data->gates[gate].values[(step - 1) * data->hidden_size + unit], 3);
  if (!pango_parse_markup (data->gates[gate].name, -1, 0, NULL, &name, NULL, NULL))
    name = g_strdup ("?");
  /* Translators: a cell of the gates view: "input gate i_t, unit 3, t = 5: 0.73" */
  return g_strdup_printf (_("%s, unit %d, t = %d: %s"), name, unit + 1, step, value);
}

static char *
gradient_readout (LabPlotView *self,
                  int          x,
                  int          y)
{
  const LabGradientData *data = &self->gradient;
  g_autoptr(GString) text = NULL;
  int step;

  if (!self->has_gradient || data->n_models < 1)
    return NULL;
  step = lab_gradient_plot_step_at (gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)),
                                    data, &self->style, x, y);
  if (step < 1)
    return NULL;
  text = g_string_new (NULL);
  for (int m = 0; m < data->n_models; m++)
    {
      const LabGradientSeries *series = &data->models[m];
      char value[32];

      if (step > series->time_step)
        continue;
      lab_format_number (value, sizeof value, series->norms[step - 1], 3);
      if (text->len > 0)
        g_string_append (text, "\n");
      if (series->label != NULL)
        g_string_append_printf (text, "%s: ", series->label);
      /* Translators: hovering the gradient view, the norm of dL/dh_t */
      g_string_append_printf (text, _("t = %d, ‖∂L/∂h‖ = %s"), step, value);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static char *
unrolled_readout (LabPlotView *self,
                  int          x,
                  int          y)
{
  const LabUnrolledData *data = &self->unrolled;
  char x_text[32], lo_text[32], hi_text[32];
  const float *h;
  float lo, hi;
  int step;

  if (!self->has_unrolled || data->hidden == NULL)
    return NULL;
  step = lab_unrolled_plot_step_at (gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)),
                                    data, &self->style, x, y);
  if (step < 1 || step > data->time_step || data->hidden_size < 1)
    return NULL;
  h = data->hidden + (gsize) (step - 1) * data->hidden_size;
  lo = hi = h[0];
  for (int j = 1; j < data->hidden_size; j++)
    {
      lo = MIN (lo, h[j]);
      hi = MAX (hi, h[j]);
    }
  lab_format_number (x_text, sizeof x_text, data->inputs != NULL ? data->inputs[step - 1] : NAN, 3);
  lab_format_number (lo_text, sizeof lo_text, lo, 3);
  lab_format_number (hi_text, sizeof hi_text, hi, 3);
  /* Translators: hovering a column of the unrolled network */
  return g_strdup_printf (_("t = %d: x = %s, h from %s to %s"), step, x_text, lo_text, hi_text);
}

static char *
readout (LabPlotView *self,
         int          x,
         int          y)
{
  switch (self->kind)
    {
    case LAB_PLOT_KIND_HIDDEN:
      return hidden_readout (self, x, y);
    case LAB_PLOT_KIND_LOSS:
      return loss_readout (self, x, y);
    case LAB_PLOT_KIND_GATES:
      return gates_readout (self, x, y);
    case LAB_PLOT_KIND_GRADIENT:
      return gradient_readout (self, x, y);
    case LAB_PLOT_KIND_UNROLLED:
      return unrolled_readout (self, x, y);
    case LAB_PLOT_KIND_FORECAST:
    default:
      return NULL;
    }
}

static gboolean
lab_plot_view_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_tooltip,
                             GtkTooltip *tooltip)
{
  LabPlotView *self = LAB_PLOT_VIEW (widget);
  g_autofree char *text = NULL;

  if (keyboard_tooltip)
    return FALSE;
  text = readout (self, x, y);
  if (text == NULL)
    return FALSE;
  lab_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The readout at (x, y), as the tooltip shows it, or NULL (for tests). */
char *
lab_plot_view_get_readout (LabPlotView *self,
                           double       x,
                           double       y)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return readout (self, (int) x, (int) y);
}

static void
click_released_cb (LabPlotView     *self,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkGestureClick *gesture)
{
  int window;

  if (self->kind != LAB_PLOT_KIND_FORECAST || !self->has_forecast)
    return;

  window = lab_forecast_plot_window_at (gtk_widget_get_width (GTK_WIDGET (self)),
                                        gtk_widget_get_height (GTK_WIDGET (self)),
                                        &self->forecast, &self->style, x, y);
  if (window >= 0)
    g_signal_emit (self, signals[WINDOW_SELECTED], 0, window);
}

void
lab_plot_view_describe (LabPlotView *self,
                        int          epoch)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));

  self->described_epoch = epoch;
  switch (self->kind)
    {
    case LAB_PLOT_KIND_FORECAST:
      text = self->has_forecast ? lab_plot_describe_forecast (&self->forecast, epoch, self->cursor) : NULL;
      break;
    case LAB_PLOT_KIND_LOSS:
      text = self->has_loss ? lab_plot_describe_loss (&self->loss, epoch) : NULL;
      break;
    case LAB_PLOT_KIND_HIDDEN:
      text = self->has_hidden ? lab_plot_describe_hidden (&self->hidden, epoch) : NULL;
      break;
    case LAB_PLOT_KIND_GATES:
      text = self->has_gates ? lab_plot_describe_gates (&self->gates, epoch) : NULL;
      break;
    case LAB_PLOT_KIND_GRADIENT:
      text = self->has_gradient ? lab_plot_describe_gradient (&self->gradient, epoch) : NULL;
      break;
    case LAB_PLOT_KIND_UNROLLED:
      text = self->has_unrolled ? lab_plot_describe_unrolled (&self->unrolled, epoch) : NULL;
      break;
    default:
      break;
    }
  if (text == NULL)
    /* Translators: a plot's description before its first data */
    text = g_strdup_printf (_("%s: no data yet"), view_label (self));
  lab_plot_view_set_summary (self, text);
}

void
lab_plot_view_describe_training (LabPlotView *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));

  self->described_epoch = -1;
  /* Translators: a plot's description while the network trains */
  text = g_strdup_printf (_("%s, training: its values are read out at the next pause"),
                          view_label (self));
  lab_plot_view_set_summary (self, text);
}

/* The keyboard cursor over the forecast's windows */

int
lab_plot_view_get_cursor (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), -1);

  return self->cursor;
}

static void
redescribe (LabPlotView *self)
{
  g_autofree char *window = NULL;

  if (self->described_epoch >= 0)
    {
      lab_plot_view_describe (self, self->described_epoch);
      return;
    }
  /* While training, the window under the cursor alone */
  if (self->cursor >= 0 && self->has_forecast)
    window = lab_plot_describe_window (&self->forecast, self->cursor);
  if (window != NULL)
    lab_plot_view_set_summary (self, window);
}

void
lab_plot_view_set_cursor (LabPlotView *self,
                          int          window)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));

  if (self->kind != LAB_PLOT_KIND_FORECAST)
    return;
  if (window >= 0 && self->has_forecast)
    window = MIN (window, self->forecast.n_windows - 1);
  window = MAX (window, -1);
  if (window == self->cursor)
    return;
  self->cursor = window;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (window >= 0)
    g_signal_emit (self, signals[WINDOW_SELECTED], 0, window);
  redescribe (self);
}

gboolean
lab_plot_view_uses_arrow_keys (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), FALSE);

  return self->kind == LAB_PLOT_KIND_FORECAST;
}

static gboolean
key_pressed_cb (LabPlotView           *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int n, from, to;

  if (self->kind != LAB_PLOT_KIND_FORECAST || !self->has_forecast)
    return FALSE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;
  n = self->forecast.n_windows;
  if (n < 1)
    return FALSE;
  from = self->cursor >= 0 ? self->cursor : CLAMP (self->forecast.selected, 0, n - 1);

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      to = from - 1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      to = from + 1;
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      to = from - 10;
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      to = from + 10;
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      to = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      to = n - 1;
      break;
    default:
      return FALSE;
    }
  /* The first key shows the cursor where the selection is. */
  if (self->cursor < 0 && (keyval == GDK_KEY_Left || keyval == GDK_KEY_Right
                           || keyval == GDK_KEY_KP_Left || keyval == GDK_KEY_KP_Right))
    to = from;
  lab_plot_view_set_cursor (self, CLAMP (to, 0, n - 1));
  return TRUE;
}

static void
focus_leave_cb (LabPlotView             *self,
                GtkEventControllerFocus *controller)
{
  if (self->cursor < 0)
    return;
  self->cursor = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->described_epoch >= 0)
    lab_plot_view_describe (self, self->described_epoch);
  else
    lab_plot_view_describe_training (self);
}

/* The cursor: a vertical line through the window's target, a ring on the
 * target and a dot on the prediction, thick enough for a projector. */
static void
draw_cursor (LabPlotView *self,
             cairo_t     *cr,
             int          width,
             int          height)
{
  const LabForecastData *data = &self->forecast;
  const LabPlotStyle *style = &self->style;
  LabScale xs, ys;
  int target = self->cursor + data->time_step;
  double x, top, bottom, lw = 3 * style->line_scale;

  if (target < 0 || target >= data->n_points)
    return;
  lab_forecast_plot_get_scales (width, height, data, style, &xs, &ys);
  x = lab_scale_map (&xs, target);
  top = MIN (ys.p0, ys.p1);
  bottom = MAX (ys.p0, ys.p1);

  cairo_save (cr);
  cairo_set_line_width (cr, lw);
  cairo_set_source_rgb (cr, style->foreground.r, style->foreground.g, style->foreground.b);
  cairo_move_to (cr, x, top);
  cairo_line_to (cr, x, bottom);
  cairo_stroke (cr);

  cairo_arc (cr, x, lab_scale_map (&ys, data->series[target]), 3 * lw, 0, 2 * G_PI);
  cairo_stroke (cr);
  if (data->predictions != NULL && data->n_models == 0)
    {
      cairo_set_source_rgb (cr, style->highlight.r, style->highlight.g, style->highlight.b);
      cairo_arc (cr, x, lab_scale_map (&ys, data->predictions[self->cursor]), 2 * lw, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, style->foreground.r, style->foreground.g, style->foreground.b);
      cairo_set_line_width (cr, lw / 2);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
lab_plot_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LabPlotView *self = LAB_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  lab_plot_view_draw (self, cr, width, height);
  if (self->cursor >= 0 && self->has_forecast && gtk_widget_has_focus (widget))
    draw_cursor (self, cr, width, height);
  cairo_destroy (cr);
}

static void
lab_plot_view_class_init (LabPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lab_plot_view_constructed;
  object_class->finalize = lab_plot_view_finalize;
  object_class->get_property = lab_plot_view_get_property;
  object_class->set_property = lab_plot_view_set_property;

  widget_class->snapshot = lab_plot_view_snapshot;
  widget_class->query_tooltip = lab_plot_view_query_tooltip;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       LAB_TYPE_PLOT_KIND,
                       LAB_PLOT_KIND_FORECAST,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The forecast was clicked near the prediction of this window. */
  signals[WINDOW_SELECTED] =
    g_signal_new ("window-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lab_plot_view_init (LabPlotView *self)
{
  GtkGesture *click;
  GtkEventController *key, *focus;

  lab_plot_style_init (&self->style, LAB_PALETTE_DEFAULT, FALSE);
  self->forecast.selected = -1;
  self->described_epoch = -1;
  self->cursor = -1;
  /* A screen reader reaches the plot and reads its description by Tab. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  key = gtk_event_controller_key_new ();
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (key_pressed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

GtkWidget *
lab_plot_view_new (LabPlotKind kind)
{
  return g_object_new (LAB_TYPE_PLOT_VIEW, "kind", kind, NULL);
}

LabPlotKind
lab_plot_view_get_kind (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), LAB_PLOT_KIND_FORECAST);

  return self->kind;
}

static float *
copy_floats (float       *old,
             const float *values,
             gsize        n)
{
  g_free (old);
  if (values == NULL || n == 0)
    return NULL;
  return g_memdup2 (values, n * sizeof (float));
}

void
lab_plot_view_set_forecast (LabPlotView           *self,
                            const LabForecastData *data)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);

  self->series = copy_floats (self->series, data->series, MAX (data->n_points, 0));
  self->predictions = copy_floats (self->predictions, data->predictions, MAX (data->n_windows, 0));
  self->free_forecast = copy_floats (self->free_forecast, data->forecast, MAX (data->n_forecast, 0));
  g_free (self->title);
  self->title = g_strdup (data->title);
  g_free (self->y_label);
  self->y_label = g_strdup (data->y_label);
  clear_baselines (self);
  if (data->n_baselines > 0 && data->baselines != NULL)
    {
      self->baselines = g_new0 (LabForecastBaseline, data->n_baselines);
      for (int b = 0; b < data->n_baselines; b++)
        {
          self->baselines[b] = data->baselines[b];
          self->baselines[b].label = g_strdup (data->baselines[b].label);
          self->baselines[b].predictions = copy_floats (NULL, data->baselines[b].predictions,
                                                        MAX (data->n_windows, 0));
        }
    }

  clear_forecast_models (self);
  if (data->n_models > 0 && data->models != NULL)
    {
      self->forecast_models = g_new0 (LabForecastModel, data->n_models);
      for (int m = 0; m < data->n_models; m++)
        {
          const LabForecastModel *model = &data->models[m];

          self->forecast_models[m] = *model;
          self->forecast_models[m].label = g_strdup (model->label);
          self->forecast_models[m].predictions = copy_floats (NULL, model->predictions,
                                                              MAX (model->n_windows, 0));
          self->forecast_models[m].forecast = copy_floats (NULL, model->forecast,
                                                           MAX (model->n_forecast, 0));
        }
    }

  self->forecast = *data;
  self->forecast.models = self->forecast_models;
  if (self->forecast_models == NULL)
    self->forecast.n_models = 0;
  self->forecast.series = self->series;
  self->forecast.predictions = self->predictions;
  self->forecast.title = self->title;
  self->forecast.forecast = self->free_forecast;
  self->forecast.y_label = self->y_label;
  self->forecast.baselines = self->baselines;
  if (self->baselines == NULL)
    self->forecast.n_baselines = 0;
  self->has_forecast = self->series != NULL;
  if (self->cursor >= self->forecast.n_windows)
    self->cursor = -1;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lab_plot_view_set_loss (LabPlotView       *self,
                        const LabLossData *data)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);

  clear_loss_models (self);
  if (data->n_models > 0 && data->models != NULL)
    {
      self->loss_models = g_new0 (LabLossSeries, data->n_models);
      for (int m = 0; m < data->n_models; m++)
        {
          const LabLossSeries *model = &data->models[m];
          gsize n = (gsize) MAX (model->n_epochs, 0);

          self->loss_models[m] = *model;
          self->loss_models[m].label = g_strdup (model->label);
          self->loss_models[m].train_loss = copy_floats (NULL, model->train_loss, n);
          self->loss_models[m].test_loss = copy_floats (NULL, model->test_loss, n);
        }
    }

  self->loss = *data;
  self->loss.models = self->loss_models;
  if (self->loss_models == NULL)
    self->loss.n_models = 0;
  self->has_loss = TRUE;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lab_plot_view_set_hidden (LabPlotView         *self,
                          const LabHiddenData *data)
{
  gsize n;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);

  n = (gsize) MAX (data->time_step, 0) * (gsize) MAX (data->hidden_size, 0);
  self->hidden_values = copy_floats (self->hidden_values, data->hidden, n);
  if (!self->has_hidden || self->hidden.cell_state != data->cell_state)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    data->cell_state ? _("Cell state") : _("Hidden state"), -1);
  self->hidden = *data;
  self->hidden.hidden = self->hidden_values;
  g_free (self->model);
  self->model = g_strdup (data->model);
  self->hidden.model = self->model;
  self->has_hidden = self->hidden_values != NULL;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lab_plot_view_set_gates (LabPlotView        *self,
                         const LabGatesData *data)
{
  gsize TH;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (data->n_gates >= 0);

  clear_gates (self);
  TH = (gsize) MAX (data->time_step, 0) * (gsize) MAX (data->hidden_size, 0);
  self->gates = *data;
  self->gate_list = g_new0 (LabGate, MAX (data->n_gates, 1));
  self->gate_values = g_new (float, MAX (TH * data->n_gates, 1));
  for (int k = 0; k < data->n_gates; k++)
    {
      memcpy (self->gate_values + k * TH, data->gates[k].values, TH * sizeof (float));
      self->gate_list[k].values = self->gate_values + k * TH;
      self->gate_list[k].name = g_strdup (data->gates[k].name);
    }
  self->gates.gates = self->gate_list;
  self->has_gates = TRUE;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lab_plot_view_set_gradient (LabPlotView           *self,
                            const LabGradientData *data)
{
  gsize n = 0;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (data->n_models >= 0);

  clear_gradient (self);
  for (int m = 0; m < data->n_models; m++)
    n += (gsize) MAX (data->models[m].time_step, 0);
  self->gradient = *data;
  self->gradient_models = g_new0 (LabGradientSeries, MAX (data->n_models, 1));
  self->gradient_norms = g_new (float, MAX (n, 1));
  n = 0;
  for (int m = 0; m < data->n_models; m++)
    {
      gsize T = (gsize) MAX (data->models[m].time_step, 0);

      self->gradient_models[m] = data->models[m];
      self->gradient_models[m].label = g_strdup (data->models[m].label);
      memcpy (self->gradient_norms + n, data->models[m].norms, T * sizeof (float));
      self->gradient_models[m].norms = self->gradient_norms + n;
      n += T;
    }
  self->gradient.models = self->gradient_models;
  self->has_gradient = TRUE;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const LabGatesData *
lab_plot_view_get_gates (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_gates ? &self->gates : NULL;
}

const LabGradientData *
lab_plot_view_get_gradient (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_gradient ? &self->gradient : NULL;
}

void
lab_plot_view_set_unrolled (LabPlotView           *self,
                            const LabUnrolledData *data)
{
  gsize T, H;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);

  T = (gsize) MAX (data->time_step, 0);
  H = (gsize) MAX (data->hidden_size, 0);
  g_free (self->unrolled_values);
  self->unrolled_values = g_new0 (float, MAX (T + T * H, 1));
  if (data->inputs != NULL)
    memcpy (self->unrolled_values, data->inputs, T * sizeof (float));
  if (data->hidden != NULL)
    memcpy (self->unrolled_values + T, data->hidden, T * H * sizeof (float));
  self->unrolled = *data;
  self->unrolled.inputs = data->inputs != NULL ? self->unrolled_values : NULL;
  self->unrolled.hidden = data->hidden != NULL ? self->unrolled_values + T : NULL;
  g_free (self->model);
  self->model = g_strdup (data->model);
  self->unrolled.model = self->model;
  self->has_unrolled = TRUE;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lab_plot_view_set_unrolled_marks (LabPlotView *self,
                                  int          highlight,
                                  LabPass      pass,
                                  int          pass_step)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));

  if (self->unrolled.highlight == highlight && self->unrolled.pass == pass
      && self->unrolled.pass_step == pass_step)
    return;
  self->unrolled.highlight = highlight;
  self->unrolled.pass = pass;
  self->unrolled.pass_step = pass_step;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const LabUnrolledData *
lab_plot_view_get_unrolled (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_unrolled ? &self->unrolled : NULL;
}

/* Copies n floats of src (if any) to *next and moves it on. */
static const float *
take_floats (float       **next,
             const float  *src,
             gsize         n)
{
  float *dst = *next;

  if (src == NULL)
    return NULL;
  memcpy (dst, src, n * sizeof (float));
  *next += n;
  return dst;
}

void
lab_plot_view_set_step (LabPlotView       *self,
                        const LabStepData *data)
{
  gsize I, H, GH;
  float *next;

  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (data != NULL);

  I = (gsize) MAX (data->input_size, 0);
  H = (gsize) MAX (data->hidden_size, 0);
  GH = (gsize) (data->cell == LAB_PLOT_CELL_LSTM ? 4 : data->cell == LAB_PLOT_CELL_GRU ? 3 : 1) * H;
  g_free (self->step_values);
  self->step_values = g_new (float, MAX (I + 6 * GH + 4 * H, 1));
  next = self->step_values;
  self->step = *data;
  self->step.x = take_floats (&next, data->x, I);
  self->step.h_prev = take_floats (&next, data->h_prev, H);
  self->step.ih = take_floats (&next, data->ih, GH);
  self->step.hh = take_floats (&next, data->hh, GH);
  self->step.b_ih = take_floats (&next, data->b_ih, GH);
  self->step.b_hh = take_floats (&next, data->b_hh, GH);
  self->step.pre = take_floats (&next, data->pre, GH);
  self->step.gates = take_floats (&next, data->gates, GH);
  self->step.c_prev = take_floats (&next, data->c_prev, H);
  self->step.c = take_floats (&next, data->c, H);
  self->step.h = take_floats (&next, data->h, H);
  self->has_step = TRUE;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const LabStepData *
lab_plot_view_get_step (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_step ? &self->step : NULL;
}

const LabForecastData *
lab_plot_view_get_forecast (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_forecast ? &self->forecast : NULL;
}

const LabLossData *
lab_plot_view_get_loss (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_loss ? &self->loss : NULL;
}

const LabHiddenData *
lab_plot_view_get_hidden (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->has_hidden ? &self->hidden : NULL;
}

void
lab_plot_view_set_style (LabPlotView        *self,
                         const LabPlotStyle *style)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (style != NULL);

  self->style = *style;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const LabPlotStyle *
lab_plot_view_get_style (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return &self->style;
}

void
lab_plot_view_set_summary (LabPlotView *self,
                           const char  *summary)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));

  if (g_strcmp0 (self->summary, summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_strdup (summary);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      summary != NULL ? summary : "",
                                      -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
}

const char *
lab_plot_view_get_summary (LabPlotView *self)
{
  g_return_val_if_fail (LAB_IS_PLOT_VIEW (self), NULL);

  return self->summary;
}

void
lab_plot_view_draw (LabPlotView *self,
                    cairo_t     *cr,
                    int          width,
                    int          height)
{
  g_return_if_fail (LAB_IS_PLOT_VIEW (self));
  g_return_if_fail (cr != NULL);

  switch (self->kind)
    {
    case LAB_PLOT_KIND_FORECAST:
      if (self->has_forecast)
        {
          lab_forecast_plot_draw (cr, width, height, &self->forecast, &self->style);
          return;
        }
      break;

    case LAB_PLOT_KIND_LOSS:
      if (self->has_loss)
        {
          lab_loss_plot_draw (cr, width, height, &self->loss, &self->style);
          return;
        }
      break;

    case LAB_PLOT_KIND_HIDDEN:
      if (self->has_hidden)
        {
          lab_hidden_plot_draw (cr, width, height, &self->hidden, &self->style);
          return;
        }
      break;

    case LAB_PLOT_KIND_GATES:
      if (self->has_gates)
        {
          lab_gates_plot_draw (cr, width, height, &self->gates, &self->style);
          return;
        }
      break;

    case LAB_PLOT_KIND_GRADIENT:
      if (self->has_gradient)
        {
          lab_gradient_plot_draw (cr, width, height, &self->gradient, &self->style);
          return;
        }
      break;

    case LAB_PLOT_KIND_UNROLLED:
      if (self->has_unrolled)
        {
          lab_unrolled_plot_draw (cr, width, height, &self->unrolled, &self->style);
          return;
        }
      break;

    case LAB_PLOT_KIND_STEP:
      if (self->has_step)
        {
          lab_step_plot_draw (cr, width, height, &self->step, &self->style);
          return;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  cairo_set_source_rgb (cr, self->style.background.r, self->style.background.g,
                        self->style.background.b);
  cairo_paint (cr);
}
