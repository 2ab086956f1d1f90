/* lab-window-compare.c: compare mode in the window.
 *
 * The Compare menu starts two or three models side by side on the same
 * series from the same seed (core/lab-compare.h); the models bar under the
 * plots has one card per model, in its colour, with its parameters, its
 * losses and its speed, and the card chosen is the model whose hidden
 * state, gates and unrolled network are shown. The forecast, the loss and
 * the gradient overlay every model (the views copy what they are given). */
#include <glib/gi18n.h>

#include "ui/lab-window-lessons.h"
#include "ui/lab-window-private.h"

/* The built-in lesson the long-memory preset opens, and its compared step. */
#define MEMORY_LESSON_ID   "long-memory"
#define MEMORY_LESSON_STEP 2

/* While training, the models bar's numbers follow this often. */
#define BAR_INTERVAL_US (G_USEC_PER_SEC / 4)

LabRun *
lab_window_get_focus_run (LabWindow *self)
{
  return lab_compare_get_run (self->compare, lab_compare_get_focus (self->compare));
}

const char *
lab_window_get_focus_label (LabWindow *self)
{
  if (lab_compare_get_n_models (self->compare) < 2)
    return NULL;
  return lab_compare_get_label (self->compare, lab_compare_get_focus (self->compare));
}

static gboolean
comparing (LabWindow *self)
{
  return lab_compare_get_n_models (self->compare) > 1;
}

/* The overlays */

void
lab_window_compare_fill_forecast (LabWindow       *self,
                                  LabForecastData *data)
{
  guint n = lab_compare_get_n_models (self->compare);

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    {
      LabSnapshot *s = lab_run_get_shown (lab_compare_get_run (self->compare, i));
      LabForecastModel *m = &self->compare_forecast[i];

      *m = (LabForecastModel) { .label = lab_compare_get_label (self->compare, i), .color = (int) i };
      if (s == NULL || s->n_points != data->n_points)
        continue;
      m->time_step = s->time_step;
      m->n_windows = s->n_windows;
      m->n_train = s->n_train;
      m->predictions = s->predictions;
      m->n_forecast = s->n_forecast;
      m->forecast_start = s->forecast_start;
      m->forecast = s->forecast;
    }
  data->n_models = (int) n;
  data->models = self->compare_forecast;
  /* One model's test error in the legend says nothing of the others'. */
  data->test_mse = 0;
}

void
lab_window_compare_fill_loss (LabWindow   *self,
                              LabLossData *data)
{
  guint n = lab_compare_get_n_models (self->compare);

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    {
      LabRun *run = lab_compare_get_run (self->compare, i);
      const float *train, *test;
      int n_epochs = lab_run_get_loss_curve (run, &train, &test);

      self->compare_loss[i] = (LabLossSeries) {
        .label = lab_compare_get_label (self->compare, i),
        .color = (int) i,
        .n_epochs = n_epochs,
        .train_loss = train,
        .test_loss = test,
      };
      data->total_epochs = MAX (data->total_epochs, MAX (lab_run_get_max_epochs (run), n_epochs - 1));
    }
  data->n_models = (int) n;
  data->models = self->compare_loss;
  /* The ghost belongs to the first model alone. */
  data->ghost = NULL;
}

void
lab_window_compare_fill_gradient (LabWindow         *self,
                                  LabGradientData   *data,
                                  LabGradientSeries *series)
{
  guint n = lab_compare_get_n_models (self->compare);

  if (n < 2)
    return;
  data->n_models = 0;
  for (guint i = 0; i < n; i++)
    {
      LabSnapshot *s = lab_run_get_shown (lab_compare_get_run (self->compare, i));

      if (s == NULL || s->grad_norms == NULL)
        continue;
      series[data->n_models++] = (LabGradientSeries) {
        .label = lab_compare_get_label (self->compare, i),
        .color = (int) i,
        .time_step = s->time_step,
        .norms = s->grad_norms, /* copied by the view */
      };
    }
  data->models = series;
}

/* The models bar */

static void
swatch_draw (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  LabWindow *self = LAB_WINDOW (gtk_widget_get_root (GTK_WIDGET (area)));
  int i = GPOINTER_TO_INT (user_data);
  LabRgb c;

  if (!LAB_IS_WINDOW (self))
    return;
  c = lab_plot_style_model_color (lab_plot_view_get_style (self->forecast_view), i);
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
card_toggled_cb (GtkToggleButton *button,
                 LabWindow       *self)
{
  if (self->updating || !gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < LAB_COMPARE_MAX_MODELS; i++)
    if (self->model_cards[i] == GTK_WIDGET (button))
      lab_compare_set_focus (self->compare, i);
}

static GtkWidget *
card_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Narrow cards (a small screen with the sidebar open) wrap their lines. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
build_bar (LabWindow *self)
{
  GtkWidget *stop;

  for (guint i = 0; i < LAB_COMPARE_MAX_MODELS; i++)
    {
      GtkWidget *card = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *swatch = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), swatch_draw, GINT_TO_POINTER (i), NULL);
      self->model_swatches[i] = swatch;
      self->model_names[i] = card_label ("heading");
      self->model_sizes[i] = card_label ("dim-label");
      /* The sizes give way first on a narrow card (the whole line is the
       * card's tooltip); the losses wrap instead. */
      gtk_label_set_wrap (GTK_LABEL (self->model_sizes[i]), FALSE);
      gtk_label_set_ellipsize (GTK_LABEL (self->model_sizes[i]), PANGO_ELLIPSIZE_END);
      self->model_losses[i] = card_label (NULL);
      gtk_box_append (GTK_BOX (top), swatch);
      gtk_box_append (GTK_BOX (top), self->model_names[i]);
      gtk_box_append (GTK_BOX (box), top);
      gtk_box_append (GTK_BOX (box), self->model_losses[i]);
      gtk_box_append (GTK_BOX (box), self->model_sizes[i]);
      gtk_button_set_child (GTK_BUTTON (card), box);
      gtk_widget_set_hexpand (card, TRUE);
      gtk_widget_add_css_class (card, "lab-model-card");
      gtk_widget_set_tooltip_text (card, _("Show this model’s hidden state, gates and unrolled network"));
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (card), GTK_TOGGLE_BUTTON (self->model_cards[0]));
      g_signal_connect_object (card, "toggled", G_CALLBACK (card_toggled_cb), self, 0);
      {
        /* Translators: a compared model's card before it has a label */
        g_autofree char *name = g_strdup_printf (_("Model %u"), i + 1);

        gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      }
      self->model_cards[i] = card;
      gtk_box_append (GTK_BOX (self->models_box), card);
    }

  stop = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (stop, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (stop, "circular");
  gtk_widget_add_css_class (stop, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (stop), "win.compare-stop");
  gtk_widget_set_tooltip_text (stop, _("Stop Comparing"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (stop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Stop Comparing"), -1);
  gtk_box_append (GTK_BOX (self->models_box), stop);
}

void
lab_window_compare_update_bar (LabWindow *self)
{
  guint n = lab_compare_get_n_models (self->compare);

  gint64 now = g_get_monotonic_time ();

  gtk_widget_set_visible (self->models_box, n > 1);
  if (n < 2)
    return;
  /* New text relays the window out: while training, a few times a second. */
  if (lab_compare_get_training (self->compare) && now - self->bar_time < BAR_INTERVAL_US)
    return;
  self->bar_time = now;

  self->updating = TRUE;
  for (guint i = 0; i < LAB_COMPARE_MAX_MODELS; i++)
    {
      LabRun *run = i < n ? lab_compare_get_run (self->compare, i) : NULL;
      LabSnapshot *s = run != NULL ? lab_run_get_shown (run) : NULL;
      g_autofree char *sizes = NULL;
      g_autofree char *losses = NULL;
      g_autofree char *name = NULL;
      double ms;

      gtk_widget_set_visible (self->model_cards[i], run != NULL);
      if (run == NULL)
        continue;
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->model_cards[i]),
                                    i == lab_compare_get_focus (self->compare));
      gtk_label_set_text (GTK_LABEL (self->model_names[i]), lab_compare_get_label (self->compare, i));
      ms = lab_run_get_ms_per_epoch (run);
      {
        const LabRunSettings *settings = lab_run_get_settings (run);
        g_autofree char *params = lab_controls_format_n_params (lab_run_settings_get_n_params (settings));
        char ms_text[32];

        lab_format_number (ms_text, sizeof ms_text, ms, 2);
        if (ms > 0)
          /* Translators: a compared model's size and speed, "50 units · 10,651 parameters · 2.1 ms per epoch" */
          sizes = g_strdup_printf (_("%d units · %s · %s ms per epoch"), settings->config.hidden_size,
                                   params, ms_text);
        else
          sizes = g_strdup_printf (_("%d units · %s"), settings->config.hidden_size, params);
      }
      if (s != NULL)
        {
          LabSnapshot *first = lab_run_get_shown (self->run);
          float train_loss, test_loss;
          g_autofree char *train = NULL;
          g_autofree char *test = NULL;

          lab_run_get_losses (run, s, &train_loss, &test_loss);
          train = lab_format_loss (train_loss);
          test = lab_format_loss (test_loss);
          if (first != NULL && first->epoch != s->epoch)
            /* Translators: a compared model's losses, at an epoch other than the first model's */
            losses = g_strdup_printf (_("Epoch %d · train %s · test %s"), s->epoch, train, test);
          else
            /* Translators: a compared model's losses at the epoch shown */
            losses = g_strdup_printf (_("Train %s · test %s"), train, test);
        }
      gtk_label_set_text (GTK_LABEL (self->model_losses[i]), losses != NULL ? losses : "");
      gtk_label_set_text (GTK_LABEL (self->model_sizes[i]), sizes);
      gtk_widget_set_tooltip_text (self->model_sizes[i], sizes);
      gtk_widget_queue_draw (self->model_swatches[i]);
      /* Translators: a compared model's card, as a screen reader names it:
       * "Model 2: LSTM · 50 units" */
      name = g_strdup_printf (_("Model %u: %s"), i + 1, lab_compare_get_label (self->compare, i));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->model_cards[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      losses != NULL ? losses : "", -1);
    }
  self->updating = FALSE;
}

/* Observers */

static void
n_models_changed_cb (LabWindow  *self,
                     GParamSpec *pspec,
                     LabCompare *compare)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "compare-stop");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), comparing (self));
  lab_window_compare_update_bar (self);
  lab_window_data_update_metrics (self);
  lab_window_mark_dirty (self, LAB_DIRTY_ALL);
}

static void
focus_changed_cb (LabWindow  *self,
                  GParamSpec *pspec,
                  LabCompare *compare)
{
  lab_window_compare_update_bar (self);
  lab_window_update_help (self);
  lab_window_mark_dirty (self, LAB_DIRTY_HIDDEN | LAB_DIRTY_SUMMARIES);
}

static void
compare_changed_cb (LabWindow  *self,
                    guint       change,
                    LabCompare *compare)
{
  guint dirty = LAB_DIRTY_STATUS;

  /* The last model stopped: everything at once, the descriptions too. */
  if ((change & LAB_COMPARE_CHANGE_STATE) && !lab_compare_get_training (compare))
    dirty = LAB_DIRTY_ALL;

  if (change & LAB_COMPARE_CHANGE_SHOWN)
    dirty |= LAB_DIRTY_FORECAST | LAB_DIRTY_HIDDEN | LAB_DIRTY_SUMMARIES;
  if (change & LAB_COMPARE_CHANGE_LOSS)
    dirty |= LAB_DIRTY_LOSS | LAB_DIRTY_TIMELINE | LAB_DIRTY_SUMMARIES;
  lab_window_mark_dirty (self, dirty);
}

/* The Compare menu */

gboolean
lab_window_compare (LabWindow       *self,
                    LabRunSettings **others,
                    const char     **labels,
                    guint            n_others,
                    GError         **error)
{
  GError *local = NULL;

  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  if (!lab_compare_set_others (self->compare, others, labels, n_others, &local))
    {
      lab_window_add_toast (self, adw_toast_new (local->message));
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

LabCompare *
lab_window_get_compare (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->compare;
}

/* "cells": the first model's settings with each other cell; "learning-rates":
 * with a tenth and ten times its rate; "time-steps": with a short and a
 * long window. */
static guint
make_others (LabWindow       *self,
             const char      *what,
             LabRunSettings **others)
{
  const LabRunSettings *first = lab_run_get_settings (self->run);
  const RnnConfig *c = &first->config;
  guint n = 0;

  if (g_str_equal (what, "cells"))
    {
      for (RnnCell cell = RNN_CELL_RNN; cell <= RNN_CELL_GRU; cell++)
        if (cell != c->cell)
          others[n++] = lab_run_settings_with_cell (first, cell, c->clip_grad_norm);
    }
  else if (g_str_equal (what, "learning-rates"))
    {
      double lr = lab_run_settings_get_last_lr (first);

      others[n++] = lab_run_settings_with_lr (first, 1, lr / 10);
      others[n++] = lab_run_settings_with_lr (first, 1, MIN (lr * 10, 1.0));
    }
  else if (g_str_equal (what, "time-steps"))
    {
      int limit = lab_run_settings_get_time_step_limit (first);
      int steps[] = { 2, MIN (3 * c->time_step, limit) };

      for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
        if (steps[k] != c->time_step && steps[k] >= 1)
          others[n++] = lab_run_settings_with_shape (first, c->hidden_size, steps[k]);
    }
  return n;
}

static void
compare_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabRunSettings *others[LAB_COMPARE_MAX_MODELS - 1] = { NULL };
  guint n = make_others (self, g_variant_get_string (parameter, NULL), others);

  if (n > 0)
    lab_window_compare (self, others, NULL, n, NULL);
  for (guint i = 0; i < n; i++)
    lab_run_settings_unref (others[i]);
}

static void
compare_stop_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  lab_compare_stop (LAB_WINDOW (user_data)->compare);
}

/* The long-memory preset: the built-in lesson's compared step, with the
 * gradient view that shows why the plain RNN fails. */
static void
compare_memory_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  g_auto(GStrv) builtins = lab_lesson_builtin_list ();

  for (guint i = 0; builtins[i] != NULL; i++)
    if (strstr (builtins[i], MEMORY_LESSON_ID) != NULL)
      {
        if (lab_window_open_lesson_builtin (self, builtins[i], NULL))
          {
            lab_window_lesson_go (self, MEMORY_LESSON_STEP);
            lab_window_lesson_show_me (self, NULL);
          }
        return;
      }
}

static const GActionEntry compare_actions[] = {
  { "compare", compare_action_cb, "s", NULL, NULL, { 0 } },
  { "compare-stop", compare_stop_action_cb, NULL, NULL, NULL, { 0 } },
  { "compare-memory", compare_memory_action_cb, NULL, NULL, NULL, { 0 } },
};

void
lab_window_compare_init (LabWindow *self)
{
  self->compare = lab_compare_new (self->run);
  g_action_map_add_action_entries (G_ACTION_MAP (self), compare_actions,
                                   G_N_ELEMENTS (compare_actions), self);
  build_bar (self);
  g_signal_connect_object (self->compare, "notify::n-models", G_CALLBACK (n_models_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare, "notify::focus", G_CALLBACK (focus_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare, "changed", G_CALLBACK (compare_changed_cb),
                           self, G_CONNECT_SWAPPED);
  n_models_changed_cb (self, NULL, self->compare);
}

void
lab_window_compare_dispose (LabWindow *self)
{
  if (self->compare != NULL)
    g_signal_handlers_disconnect_by_data (self->compare, self);
  g_clear_object (&self->compare);
}
