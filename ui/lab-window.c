/* lab-window.c: the main window.
 *
 * The window owns the trainer and drains it in one place, a tick callback
 * that runs once per frame: it pops reports within a small time budget,
 * records every epoch in the history, keeps the newest snapshot, and
 * redraws only the views whose data changed. What the controls and the
 * actions do is in lab-window-actions.c. */
#include <math.h>

#include <glib/gi18n.h>

#include "core/lab-model-io.h"
#include "engine/series.h"
#include "ui/lab-window-private.h"

#define DEFAULT_SEED            0

/* Time the tick callback may spend draining reports in one frame. */
#define TICK_BUDGET_US          4000
/* The first frame waits this long at most for the epoch 0 snapshot. */
#define FIRST_SNAPSHOT_WAIT_US  250000
#define RATE_INTERVAL_US        500000

/* The speed slider's notches, in epochs per second; 0 = as fast as possible. */
const double lab_window_speeds[LAB_WINDOW_N_SPEEDS] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0 };

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

/* Formatting */

double
lab_window_lr_from_scale (double value)
{
  double lr = pow (10.0, value);
  double unit = pow (10.0, floor (log10 (lr)) - 1);

  /* Two significant digits: the value shown is the value used. */
  return round (lr / unit) * unit;
}

/* "0.0518" as the tutorial prints it; small losses as "3.12×10⁻⁵". */
static char *
format_loss (double loss)
{
  static const char *superscript[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  GString *text;
  double mantissa;
  int exponent;

  if (!isfinite (loss))
    return g_strdup ("—");
  if (loss >= 1e-3 || loss <= 0)
    return g_strdup_printf ("%.4f", loss);

  exponent = (int) floor (log10 (loss));
  mantissa = loss / pow (10.0, exponent);
  if (mantissa >= 9.995)
    {
      mantissa /= 10;
      exponent++;
    }

  text = g_string_new (NULL);
  g_string_append_printf (text, "%.2f×10⁻", mantissa);
  exponent = -exponent;
  if (exponent >= 10)
    g_string_append (text, superscript[(exponent / 10) % 10]);
  g_string_append (text, superscript[exponent % 10]);

  return g_string_free (text, FALSE);
}

char *
lab_window_format_speed (double speed)
{
  if (speed <= 0)
    return g_strdup (_("As fast as possible"));
  /* Translators: training speed */
  return g_strdup_printf (ngettext ("%g epoch/s", "%g epochs/s", (gulong) speed), speed);
}

/* Initial weights */

/* The tutorial's weights when the shape and the seed are the tutorial's,
 * else NULL (the trainer then initialises from the seed). */
const float *
lab_window_tutorial_params (LabWindow *self,
                     int        hidden_size,
                     int        time_step,
                     guint64    seed,
                     gsize     *n_params)
{
  RnnConfig config = self->config;

  config.hidden_size = hidden_size;
  config.time_step = time_step;
  *n_params = 0;
  if (self->tutorial == NULL || seed != DEFAULT_SEED || !lab_config_is_tutorial_shape (&config))
    return NULL;

  *n_params = self->tutorial->n_params;
  return self->tutorial->params;
}

static void
load_tutorial_model (LabWindow *self)
{
  g_autoptr(GError) error = NULL;

  self->tutorial = lab_model_load_tutorial (&error);
  if (self->tutorial == NULL)
    g_warning ("The tutorial's initial weights are not available, starting from seed %d: %s",
               DEFAULT_SEED, error->message);
}

/* The losses shown for a snapshot's epoch: as the tutorial prints them,
 * epoch k's record (the loss of its forward pass, before its update); at
 * epoch 0, or if the record is missing, the snapshot's own evaluation. */
void
lab_window_get_losses (LabWindow   *self,
                       LabSnapshot *s,
                       char       **train,
                       char       **test)
{
  int n = lab_history_get_n_epochs (self->history);

  if (s->epoch >= 1 && s->epoch <= n)
    {
      *train = format_loss (lab_history_get_train_loss (self->history)[s->epoch - 1]);
      *test = format_loss (lab_history_get_test_loss (self->history)[s->epoch - 1]);
    }
  else
    {
      *train = format_loss (s->train_loss);
      *test = format_loss (s->test_loss);
    }
}

/* Views */

static void
update_forecast_view (LabWindow *self)
{
  LabSnapshot *s = self->shown;
  LabForecastData data = { 0 };
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *summary = NULL;

  if (s == NULL)
    return;

  data.n_points = s->n_points;
  data.series = s->series;
  data.time_step = s->time_step;
  data.n_windows = s->n_windows;
  data.n_train = s->n_train;
  data.predictions = s->predictions;
  data.selected = CLAMP (self->selected_window, 0, s->n_windows - 1);
  data.title = NULL;
  lab_plot_view_set_forecast (self->forecast_view, &data);

  lab_window_get_losses (self, s, &train, &test);
  summary = g_strdup_printf (_("epoch %d, train loss %s, test loss %s: "
                               "the sine series of %d points with %d train and %d test predictions"),
                             s->epoch, train, test, s->n_points,
                             s->n_train, s->n_windows - s->n_train);
  lab_plot_view_set_summary (self->forecast_view, summary);
}

static void
update_hidden_view (LabWindow *self)
{
  LabSnapshot *s = self->shown;
  LabHiddenData data = { 0 };
  g_autofree char *summary = NULL;
  const float *hidden;
  gsize n;
  float lo = 0.f, hi = 0.f;
  int window;

  if (s == NULL)
    return;

  window = CLAMP (self->selected_window, 0, s->n_windows - 1);
  n = (gsize) s->time_step * (gsize) s->hidden_size;
  if (s->window == window)
    {
      hidden = s->hidden;
    }
  else
    {
      /* Another window than the worker's: one window forward, cheap. */
      if (self->n_hidden != n)
        {
          g_free (self->hidden);
          self->hidden = g_new (float, n);
          self->n_hidden = n;
        }
      lab_snapshot_get_hidden (s, window, self->hidden);
      hidden = self->hidden;
    }

  data.time_step = s->time_step;
  data.hidden_size = s->hidden_size;
  data.hidden = hidden;
  data.window = window;
  data.epoch = s->epoch;
  lab_plot_view_set_hidden (self->hidden_view, &data);

  for (gsize i = 0; i < n; i++)
    {
      lo = i == 0 ? hidden[i] : MIN (lo, hidden[i]);
      hi = i == 0 ? hidden[i] : MAX (hi, hidden[i]);
    }
  summary = g_strdup_printf (_("epoch %d, window %d: %d hidden units by %d time steps, "
                               "values from %.2f to %.2f"),
                             s->epoch, window, s->hidden_size, s->time_step, lo, hi);
  lab_plot_view_set_summary (self->hidden_view, summary);
}

void
lab_window_update_loss_view (LabWindow *self)
{
  LabLossData data = { 0 };
  g_autofree char *summary = NULL;
  int n = lab_history_get_n_epochs (self->history);
  int epoch = self->shown != NULL ? self->shown->epoch : 0;

  data.n_epochs = n;
  data.train_loss = lab_history_get_train_loss (self->history);
  data.test_loss = lab_history_get_test_loss (self->history);
  data.total_epochs = MAX (self->max_epochs, n);
  data.current_epoch = epoch;
  lab_plot_view_set_loss (self->loss_view, &data);

  if (n > 0 && self->shown != NULL)
    {
      g_autofree char *train = NULL;
      g_autofree char *test = NULL;

      lab_window_get_losses (self, self->shown, &train, &test);
      summary = g_strdup_printf (_("epoch %d of %d, train loss %s, test loss %s: "
                                   "train and test loss of %d epochs on a log scale"),
                                 epoch, self->max_epochs, train, test, n);
    }
  else
    {
      summary = g_strdup_printf (_("epoch %d of %d: no epoch trained yet"),
                                 epoch, self->max_epochs);
    }
  lab_plot_view_set_summary (self->loss_view, summary);
}

static void
update_timeline (LabWindow *self)
{
  int latest = self->latest != NULL ? self->latest->epoch : 0;
  GAction *action;

  latest = MAX (latest, lab_history_get_n_epochs (self->history));
  self->updating = TRUE;
  /* At epoch 0 the range is kept open, so the scale is drawn. */
  gtk_adjustment_set_upper (self->timeline_adjustment, MAX (latest, 1));
  gtk_adjustment_set_value (self->timeline_adjustment,
                            self->scrub_epoch >= 0 ? self->scrub_epoch : latest);
  self->updating = FALSE;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "live");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->scrub_epoch >= 0);
}

/* Puts a snapshot in the forecast and the heatmap (and the loss marker). */
static void
show_snapshot (LabWindow   *self,
               LabSnapshot *snapshot)
{
  if (snapshot == NULL || snapshot == self->shown)
    return;

  g_clear_pointer (&self->shown, lab_snapshot_unref);
  self->shown = lab_snapshot_ref (snapshot);

  update_forecast_view (self);
  update_hidden_view (self);
  lab_window_update_loss_view (self);
}

void
lab_window_go_live (LabWindow *self)
{
  if (self->scrub_epoch >= 0)
    {
      self->scrub_epoch = -1;
      show_snapshot (self, self->latest);
    }
  update_timeline (self);
  lab_window_update_status (self);
}

/* Status */

void
lab_window_update_status (LabWindow *self)
{
  LabSnapshot *s = self->shown;
  g_autofree char *train = NULL;
  g_autofree char *test = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *text = NULL;

  if (s == NULL)
    {
      gtk_label_set_text (self->status_label, _("Starting…"));
      return;
    }

  lab_window_get_losses (self, s, &train, &test);

  if (self->scrub_epoch >= 0)
    tail = g_strdup (_("timeline"));
  else if (self->state == LAB_TRAINER_RUNNING)
    tail = g_strdup_printf (_("%.0f epochs/s"), self->rate);
  else if (self->state == LAB_TRAINER_FINISHED)
    tail = g_strdup (_("finished"));
  else if (self->state == LAB_TRAINER_DIVERGED)
    tail = g_strdup (_("stopped: the loss diverged"));
  else
    tail = g_strdup (_("paused"));

  /* Translators: the status line under the plots */
  text = g_strdup_printf (_("Epoch %d of %d · train loss %s · test loss %s · %s"),
                          s->epoch, self->max_epochs, train, test, tail);
  gtk_label_set_text (self->status_label, text);
}

void
lab_window_update_title (LabWindow *self)
{
  g_autofree char *subtitle = NULL;

  /* Translators: the window subtitle */
  subtitle = g_strdup_printf (_("Sine wave · %d hidden units · time step %d"),
                              self->config.hidden_size, self->config.time_step);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  lab_window_update_help (self);
}

/* Playing */

static void
update_play_button (LabWindow *self)
{
  if (self->playing)
    {
      gtk_button_set_icon_name (self->play_button, "media-playback-pause-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Pause (Space)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pause"), -1);
    }
  else
    {
      gtk_button_set_icon_name (self->play_button, "media-playback-start-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), _("Play (Space)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Play"), -1);
    }
}

/* Mirrors the playing state in the action and the button, without a command. */
void
lab_window_sync_playing (LabWindow *self,
              gboolean   playing)
{
  GAction *action;

  self->playing = playing;
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "play");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (playing));
  update_play_button (self);
}

static void
hide_banner (LabWindow *self)
{
  g_clear_pointer (&self->message, g_free);
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

/* A command started a new generation: the history and the timeline start
 * over; the views keep the old picture until its first snapshot arrives. */
void
lab_window_start_generation (LabWindow *self,
                  guint      generation)
{
  lab_history_clear (self->history, generation);
  g_clear_pointer (&self->latest, lab_snapshot_unref);
  self->scrub_epoch = -1;
  self->rate_epochs = 0;
  self->rate_start = g_get_monotonic_time ();
  self->rate = 0;
  hide_banner (self);

  /* A new start keeps playing if the run was playing. */
  if (self->playing)
    lab_trainer_play (self->trainer);

  lab_window_update_loss_view (self);
  update_timeline (self);
}

/* Reports */

static void
handle_state (LabWindow       *self,
              LabTrainerState  state,
              const char      *message)
{
  LabTrainerState old = self->state;

  self->state = state;
  lab_window_sync_playing (self, state == LAB_TRAINER_RUNNING);

  if (state == LAB_TRAINER_DIVERGED)
    {
      g_autoptr(AdwToast) toast = NULL;

      g_free (self->message);
      self->message = g_strdup (message != NULL ? message
                                : _("The loss became infinite or not a number. "
                                    "Try a smaller learning rate, then Reset."));
      gtk_label_set_text (self->banner_label, self->message);
      gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);

      if (old != LAB_TRAINER_DIVERGED)
        {
          toast = adw_toast_new (_("Training stopped: the loss diverged"));
          adw_toast_set_timeout (toast, 4);
          adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
        }
    }
  else if (state == LAB_TRAINER_FINISHED && message != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 3);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else if (state != LAB_TRAINER_DIVERGED && message != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
    }
}

static gboolean
handle_report (LabWindow *self,
               LabReport *report)
{
  /* A generation started elsewhere (a model loaded straight into the
   * trainer): the run starts over here too. */
  if (report->kind != LAB_REPORT_STATE &&
      report->generation != lab_history_get_generation (self->history))
    {
      self->scrub_epoch = -1;
      hide_banner (self);
    }

  switch (report->kind)
    {
    case LAB_REPORT_EPOCH:
      lab_history_add_report (self->history, report);
      self->rate_epochs++;
      self->n_epochs_seen++;
      return TRUE;

    case LAB_REPORT_SNAPSHOT:
      lab_history_add_report (self->history, report);
      g_clear_pointer (&self->latest, lab_snapshot_unref);
      self->latest = lab_snapshot_ref (report->snapshot);
      self->n_snapshots++;
      return TRUE;

    case LAB_REPORT_STATE:
      handle_state (self, report->state, report->message);
      return TRUE;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* Drains the trainer: once per frame, within TICK_BUDGET_US. */
static gboolean
lab_window_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (widget);
  gint64 start = g_get_monotonic_time ();
  guint n_epochs_seen = self->n_epochs_seen;
  guint n_snapshots = self->n_snapshots;
  gboolean any = FALSE;
  gint64 now;

  if (self->trainer == NULL)
    return G_SOURCE_REMOVE;

  do
    {
      g_autoptr(LabReport) report = lab_trainer_pop_report (self->trainer);

      if (report == NULL)
        break;
      any |= handle_report (self, report);
    }
  while (g_get_monotonic_time () - start < TICK_BUDGET_US);

  now = g_get_monotonic_time ();
  if (now - self->rate_start >= RATE_INTERVAL_US)
    {
      double rate = self->rate_epochs * (double) G_USEC_PER_SEC / (now - self->rate_start);

      rate = self->state == LAB_TRAINER_RUNNING ? rate : 0;
      any |= rate != self->rate;
      self->rate = rate;
      self->rate_epochs = 0;
      self->rate_start = now;
    }

  if (!any)
    return G_SOURCE_CONTINUE;

  /* Only what changed is redrawn. The loss view borrows the history's
   * arrays, which move as they grow: it is given them again after news. */
  if (self->scrub_epoch < 0 && self->latest != NULL && self->n_snapshots != n_snapshots)
    show_snapshot (self, self->latest);
  else if (self->n_epochs_seen != n_epochs_seen || self->n_snapshots != n_snapshots)
    lab_window_update_loss_view (self);

  update_timeline (self);
  /* The text follows the shown snapshot, so it changes with the views. */
  lab_window_update_status (self);

  return G_SOURCE_CONTINUE;
}

/* Waits briefly for the epoch 0 snapshot, so the first frame shows the data. */
static void
wait_for_first_snapshot (LabWindow *self)
{
  gint64 deadline = g_get_monotonic_time () + FIRST_SNAPSHOT_WAIT_US;

  while (self->latest == NULL)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      g_autoptr(LabReport) report = NULL;

      if (left <= 0)
        break;
      report = lab_trainer_timed_pop_report (self->trainer, left);
      if (report == NULL)
        break;
      handle_report (self, report);
    }

  if (self->latest != NULL)
    show_snapshot (self, self->latest);
  update_timeline (self);
  lab_window_update_status (self);
}

/* Style */

static void
style_dark_changed_cb (LabWindow       *self,
                       GParamSpec      *pspec,
                       AdwStyleManager *manager)
{
  /* The palette and presenter mode join the theme: lab-window-presenter.c. */
  lab_window_update_plot_style (self);
}

/* GObject */

static void
lab_window_dispose (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  /* No callback may reach the window once it is going away: the tick and
   * the debounce timer go first, then the worker is stopped and joined. */
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_handle_id (&self->shape_timeout_id, g_source_remove);
  lab_window_close_chooser (self);

  if (self->trainer != NULL)
    lab_trainer_shutdown (self->trainer);
  g_clear_object (&self->trainer);

  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_finalize (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_clear_pointer (&self->history, lab_history_free);
  g_clear_pointer (&self->tutorial, lab_model_free);
  g_clear_pointer (&self->latest, lab_snapshot_unref);
  g_clear_pointer (&self->shown, lab_snapshot_unref);
  g_clear_pointer (&self->hidden, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->initial_model, lab_model_free);
  g_clear_pointer (&self->file_message, g_free);

  G_OBJECT_CLASS (lab_window_parent_class)->finalize (object);
}

static void
lab_window_class_init (LabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lab_window_dispose;
  object_class->finalize = lab_window_finalize;

  g_type_ensure (LAB_TYPE_PLOT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rnnlab/RnnLab/ui/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, hidden_size_scale);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, hidden_size_value);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, time_step_scale);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, time_step_value);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, lr_scale);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, lr_value);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, speed_scale);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, speed_value);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, window_spin);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, forecast_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, loss_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, hidden_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, timeline_scale);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, timeline_adjustment);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, status_label);

  lab_window_class_bind_controls (widget_class);
  lab_window_class_bind_classroom (widget_class);
}


static void
lab_window_init (LabWindow *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  const float *params;
  gsize n_params;
  int n_windows;

  gtk_widget_init_template (GTK_WIDGET (self));

  lab_window_add_actions (self);
  lab_window_add_file_actions (self);
  lab_window_add_view_actions (self);

  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (style_dark_changed_cb), self, G_CONNECT_SWAPPED);
  style_dark_changed_cb (self, NULL, style_manager);

  /* The tutorial, paused at epoch 0. */
  rnn_config_init_default (&self->config);
  self->seed = DEFAULT_SEED;
  self->max_epochs = LAB_TRAINER_DEFAULT_MAX_EPOCHS;
  self->speed = lab_window_speeds[LAB_WINDOW_DEFAULT_SPEED];
  self->scrub_epoch = -1;
  self->selected_window = 0;
  self->state = LAB_TRAINER_PAUSED;
  self->history = lab_history_new (0);
  load_tutorial_model (self);

  self->updating = TRUE;
  gtk_range_set_range (GTK_RANGE (self->hidden_size_scale), RNN_HIDDEN_MIN, 256);
  gtk_range_set_value (GTK_RANGE (self->hidden_size_scale), self->config.hidden_size);
  gtk_range_set_range (GTK_RANGE (self->time_step_scale), RNN_TIME_STEP_MIN,
                       series_time_step_max (self->config.n_points, self->config.train_ratio));
  gtk_range_set_value (GTK_RANGE (self->time_step_scale), self->config.time_step);
  gtk_range_set_value (GTK_RANGE (self->lr_scale), log10 (self->config.lr));
  gtk_range_set_range (GTK_RANGE (self->speed_scale), 0, LAB_WINDOW_N_SPEEDS - 1);
  gtk_range_set_value (GTK_RANGE (self->speed_scale), LAB_WINDOW_DEFAULT_SPEED);
  for (guint i = 0; i < LAB_WINDOW_N_SPEEDS; i++)
    gtk_scale_add_mark (self->speed_scale, i, GTK_POS_BOTTOM, NULL);
  gtk_spin_button_set_value (self->epochs_spin, self->max_epochs);
  gtk_spin_button_set_value (self->seed_spin, (double) self->seed);
  n_windows = series_window_count (self->config.n_points, self->config.time_step);
  gtk_spin_button_set_range (self->window_spin, 0, MAX (n_windows - 1, 0));
  gtk_spin_button_set_value (self->window_spin, self->selected_window);
  self->updating = FALSE;
  lab_window_update_value_labels (self);
  lab_window_update_title (self);
  update_play_button (self);

  params = lab_window_tutorial_params (self, self->config.hidden_size, self->config.time_step,
                                self->seed, &n_params);
  self->trainer = lab_trainer_new (&self->config, self->seed, params, n_params);
  lab_trainer_set_speed (self->trainer, self->speed);
  lab_trainer_set_max_epochs (self->trainer, self->max_epochs);
  lab_trainer_select_window (self->trainer, self->selected_window);
  lab_history_clear (self->history, lab_trainer_get_generation (self->trainer));
  self->rate_start = g_get_monotonic_time ();

  wait_for_first_snapshot (self);
  lab_window_update_loss_view (self);

  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), lab_window_tick_cb, NULL, NULL);
}

/* Public API */

LabWindow *
lab_window_new (GtkApplication *application)
{
  return g_object_new (LAB_TYPE_WINDOW, "application", application, NULL);
}

LabTrainer *
lab_window_get_trainer (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->trainer;
}

LabHistory *
lab_window_get_history (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->history;
}

LabPlotView *
lab_window_get_plot_view (LabWindow   *self,
                          LabPlotKind  kind)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  switch (kind)
    {
    case LAB_PLOT_KIND_FORECAST:
      return self->forecast_view;
    case LAB_PLOT_KIND_LOSS:
      return self->loss_view;
    case LAB_PLOT_KIND_HIDDEN:
      return self->hidden_view;
    default:
      g_return_val_if_reached (NULL);
    }
}

LabTrainerState
lab_window_get_state (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), LAB_TRAINER_PAUSED);

  return self->state;
}

LabSnapshot *
lab_window_get_latest_snapshot (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->latest;
}

int
lab_window_get_epoch (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), -1);

  return self->latest != NULL ? self->latest->epoch : -1;
}

LabSnapshot *
lab_window_get_shown_snapshot (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->shown;
}

gboolean
lab_window_get_playing (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  return self->playing;
}

const RnnConfig *
lab_window_get_config (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return &self->config;
}

guint64
lab_window_get_seed (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return self->seed;
}

int
lab_window_get_max_epochs (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return self->max_epochs;
}

double
lab_window_get_speed (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return self->speed;
}

int
lab_window_get_selected_window (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return self->selected_window;
}

void
lab_window_select_window (LabWindow *self,
                          int        window)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (window >= 0);

  if (self->shown != NULL)
    window = MIN (window, self->shown->n_windows - 1);
  self->selected_window = window;

  if ((int) gtk_spin_button_get_value (self->window_spin) != window)
    {
      self->updating = TRUE;
      gtk_spin_button_set_value (self->window_spin, window);
      self->updating = FALSE;
    }

  if (self->trainer != NULL)
    lab_trainer_select_window (self->trainer, window);
  update_forecast_view (self);
  update_hidden_view (self);
}

void
lab_window_show_epoch (LabWindow *self,
                       int        epoch)
{
  LabSnapshot *snapshot;

  g_return_if_fail (LAB_IS_WINDOW (self));

  if (epoch < 0 || self->latest == NULL || epoch >= self->latest->epoch)
    {
      lab_window_go_live (self);
      return;
    }

  /* Looking back stops the run: the class looks at one epoch. */
  if (self->playing)
    {
      lab_window_sync_playing (self, FALSE);
      lab_trainer_pause (self->trainer);
    }

  snapshot = lab_history_lookup (self->history, epoch);
  self->scrub_epoch = epoch;
  if (snapshot != NULL)
    show_snapshot (self, snapshot);
  update_timeline (self);
  lab_window_update_status (self);
}

const char *
lab_window_get_message (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->message;
}

void
lab_window_add_toast (LabWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
