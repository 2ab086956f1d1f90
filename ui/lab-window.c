/* lab-window.c: the main window: its layout, and the observers that keep
 * the views, the timeline, the title and the status line on what the run
 * (core/lab-run.h) shows. A tick callback drains the run once per frame;
 * the run says what changed, and only that is redrawn. What the controls
 * and the actions do is in lab-window-actions.c. */
#include <math.h>

#include <glib/gi18n.h>

#include "core/lab-advisor.h"
#include "engine/diagnostics.h"
#include "ui/lab-window-lessons.h"
#include "ui/lab-window-private.h"

/* Time the tick callback may spend draining reports in one frame. */
#define TICK_BUDGET_US          4000
/* The first frame waits this long at most for the epoch 0 snapshot. */
#define FIRST_SNAPSHOT_WAIT_US  250000
/* While training: how often the views, the status line and the advice
 * follow (the trainer may run thousands of epochs a second). */
#define PLAY_VIEWS_INTERVAL_US   33000
#define PLAY_STATUS_INTERVAL_US  100000
#define PLAY_ADVICE_INTERVAL_US  (2 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (LabWindow, lab_window, ADW_TYPE_APPLICATION_WINDOW)

/* Formatting */

/* The losses of the weights a snapshot shows (lab_run_get_losses), as text. */
void
lab_window_get_losses (LabWindow         *self,
                       const LabSnapshot *s,
                       char             **train,
                       char             **test)
{
  float train_loss, test_loss;

  lab_run_get_losses (self->run, s, &train_loss, &test_loss);
  *train = lab_format_loss (train_loss);
  *test = lab_format_loss (test_loss);
}

/* Views: their data */

static void
update_forecast_view (LabWindow *self)
{
  LabSnapshot *s = lab_run_get_shown (self->run);
  const LabRunPrevious *previous = lab_run_get_previous (self->run);
  LabForecastData data = { 0 };

  if (s == NULL)
    return;

  data.n_points = s->n_points;
  data.series = s->series;
  data.time_step = s->time_step;
  data.n_windows = s->n_windows;
  data.n_train = s->n_train;
  data.predictions = s->predictions;
  data.selected = CLAMP (lab_run_get_selected_window (self->run), 0, s->n_windows - 1);
  data.title = NULL;

  lab_window_data_fill_forecast (self, s, &data);

  /* The run a rebuild replaced, faded, for "before and after". Only on the
   * same series: its predictions are of those points. */
  if (previous != NULL && previous->snapshot->n_points == s->n_points)
    {
      LabSnapshot *p = previous->snapshot;

      self->ghost_forecast = (LabForecastModel) {
        .label = previous->label,
        .time_step = p->time_step,
        .n_windows = p->n_windows,
        .n_train = p->n_train,
        .predictions = p->predictions,
      };
      data.ghost = &self->ghost_forecast;
    }
  lab_window_compare_fill_forecast (self, &data);
  if (data.n_models > 1)
    data.ghost = NULL;
  lab_plot_view_set_forecast (self->forecast_view, &data);
}

/* The hidden states of the selected window of the shown snapshot. */
static const float *
shown_hidden (LabWindow   *self,
              LabSnapshot *s,
              int          window)
{
  gsize n = (gsize) s->time_step * (gsize) s->hidden_size;

  if (s->window == window)
    return s->hidden;

  /* Another window than the worker's: one window forward, cheap. */
  if (self->n_hidden != n)
    {
      g_free (self->hidden);
      self->hidden = g_new (float, n);
      self->n_hidden = n;
    }
  lab_snapshot_get_hidden (s, window, self->hidden);
  return self->hidden;
}

/* The gates (LSTM: i, f, o; GRU: r, z) and |dL/dh_t| of the shown epoch. */
static void
update_cell_views (LabWindow   *self,
                   LabSnapshot *s,
                   int          window)
{
  static const int lstm_gates[] = { 0, 1, 3 }, gru_gates[] = { 0, 1 };
  static const char *lstm_names[] = { N_("input gate i<sub>t</sub>"), N_("forget gate f<sub>t</sub>"),
                                      N_("output gate o<sub>t</sub>") };
  static const char *gru_names[] = { N_("reset gate r<sub>t</sub>"), N_("update gate z<sub>t</sub>") };
  gsize T = s->time_step, H = s->hidden_size, G = s->n_gates;
  LabGate gates[3];
  LabGatesData data = { 0 };
  LabGradientSeries series[LAB_COMPARE_MAX_MODELS] = { 0 };
  LabGradientData gradient = { 0 };
  g_autofree float *states = g_new (float, T * G * H);
  g_autofree float *split = g_new (float, T * 3 * H);
  g_autofree float *hs = NULL;
  g_autofree float *cs = NULL;
  const float *all = s->gates, *cell_state = s->cell_state;
  gboolean has_state = rnn_cell_has_state (s->cell);

  if (window != s->window)
    {
      hs = g_new (float, T * H);
      cs = has_state ? g_new (float, T * H) : NULL;
      lab_snapshot_get_states (s, window, hs, cs, states);
      all = states;
      cell_state = cs;
    }
  /* An LSTM's c_t, beside its h_t, on the same window */
  gtk_stack_page_set_visible (self->cell_state_page, has_state);
  if (has_state)
    {
      LabHiddenData c = { .time_step = T, .hidden_size = H, .hidden = cell_state,
                          .window = window, .epoch = s->epoch,
                          .auto_range = TRUE, .cell_state = TRUE,
                          .model = lab_window_get_focus_label (self) };

      lab_plot_view_set_hidden (self->cell_state_view, &c);
    }
  data.cell = (LabPlotCell) s->cell;
  data.time_step = T;
  data.hidden_size = H;
  data.window = window;
  data.epoch = s->epoch;
  data.gates = gates;
  if (s->cell != RNN_CELL_RNN)
    {
      const int *which = s->cell == RNN_CELL_LSTM ? lstm_gates : gru_gates;
      const char **names = s->cell == RNN_CELL_LSTM ? lstm_names : gru_names;

      data.n_gates = s->cell == RNN_CELL_LSTM ? 3 : 2;
      /* (T, G, H) to one (T, H) block per gate shown */
      for (int k = 0; k < data.n_gates; k++)
        {
          float *block = split + k * T * H;

          for (gsize t = 0; t < T; t++)
            memcpy (block + t * H, all + (t * G + which[k]) * H, H * sizeof (float));
          gates[k].values = block;
          gates[k].name = _(names[k]);
        }
    }
  lab_plot_view_set_gates (self->gates_view, &data);

  gradient.epoch = s->epoch;
  if (s->grad_norms != NULL)
    {
      series[0].time_step = s->time_step;
      series[0].norms = s->grad_norms;
      gradient.n_models = 1;
      gradient.models = series;
    }
  lab_window_compare_fill_gradient (self, &gradient, series);
  lab_plot_view_set_gradient (self->gradient_view, &gradient);
}

static void
update_hidden_view (LabWindow *self)
{
  LabRun *run = lab_window_get_focus_run (self);
  LabSnapshot *s = lab_run_get_shown (run);
  LabHiddenData data = { 0 };
  int window;

  if (s == NULL)
    return;

  window = CLAMP (lab_run_get_selected_window (run), 0, s->n_windows - 1);
  data.time_step = s->time_step;
  data.hidden_size = s->hidden_size;
  data.hidden = shown_hidden (self, s, window);
  data.window = window;
  data.epoch = s->epoch;
  data.auto_range = self->heatmap_auto_range;
  data.model = lab_window_get_focus_label (self);
  lab_plot_view_set_hidden (self->hidden_view, &data);
  update_cell_views (self, s, window);
  lab_window_update_unrolled (self, s, window);
}

static void
update_loss_view (LabWindow *self)
{
  LabSnapshot *shown = lab_run_get_shown (self->run);
  const LabRunPrevious *previous = lab_run_get_previous (self->run);
  LabLossData data = { 0 };
  const float *train, *test;
  int n = lab_run_get_loss_curve (self->run, &train, &test);

  /* Value i: the weights after i updates, the picture of epoch i. */
  data.from_epoch_0 = TRUE;
  data.n_epochs = n;
  data.train_loss = train;
  data.test_loss = test;
  data.total_epochs = MAX (lab_run_get_max_epochs (self->run), n - 1);
  data.current_epoch = shown != NULL ? shown->epoch : 0;
  if (previous != NULL)
    {
      self->ghost_loss = (LabLossSeries) {
        .label = previous->label,
        .n_epochs = previous->n_epochs,
        .train_loss = previous->train_loss,
        .test_loss = previous->test_loss,
      };
      data.ghost = &self->ghost_loss;
    }
  lab_window_compare_fill_loss (self, &data);
  lab_plot_view_set_loss (self->loss_view, &data);
}

static void
update_timeline (LabWindow *self)
{
  int latest = MAX (lab_compare_get_latest_epoch (self->compare), 0);
  int scrub = lab_run_get_scrub_epoch (self->run);
  GAction *action;

  self->updating = TRUE;
  /* At epoch 0 the range is kept open, so the scale is drawn. */
  gtk_adjustment_set_upper (self->timeline_adjustment, MAX (latest, 1));
  gtk_adjustment_set_value (self->timeline_adjustment, scrub >= 0 ? scrub : latest);
  self->updating = FALSE;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "live");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), scrub >= 0);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "step-back");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), lab_run_get_shown_epoch (self->run) > 0);
}

/* Views: what they say to assistive technologies (at pauses and steps,
 * not at every frame of a run) */

/* Each plot's description: its values at the epoch shown, or while
 * training (epoch < 0) that it trains; the lesson panel's Show me, a step,
 * a scrub and a pause come here through LAB_DIRTY_SUMMARIES. */
static void
describe_views (LabWindow *self,
                int        epoch)
{
  LabPlotView *views[] = { self->forecast_view, self->loss_view, self->hidden_view,
                           self->cell_state_view, self->gates_view, self->gradient_view,
                           self->unrolled_view };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      if (epoch >= 0)
        lab_plot_view_describe (views[i], epoch);
      else
        lab_plot_view_describe_training (views[i]);
    }
}

static void
update_summaries (LabWindow *self)
{
  LabSnapshot *s = lab_run_get_shown (self->run);

  if (s != NULL)
    describe_views (self, s->epoch);
}

/* Status */

static void
update_status (LabWindow *self)
{
  LabSnapshot *s = lab_run_get_shown (self->run);
  LabTrainerState state = lab_run_get_state (self->run);
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

  if (lab_run_get_scrubbing (self->run))
    tail = g_strdup (_("timeline"));
  else if (state == LAB_TRAINER_RUNNING)
    tail = g_strdup_printf (_("%.0f epochs/s"), lab_run_get_rate (self->run));
  else if (state == LAB_TRAINER_FINISHED)
    tail = g_strdup (_("finished"));
  else if (state == LAB_TRAINER_DIVERGED)
    tail = g_strdup (_("stopped: the loss diverged"));
  else
    tail = g_strdup (_("paused"));

  /* Translators: the status line under the plots; the losses are those of
   * the weights shown (after that many epochs) */
  if (lab_compare_get_n_models (self->compare) > 1)
    /* Translators: the status line in compare mode; each model's losses
     * are on its card */
    text = g_strdup_printf (_("Epoch %d of %d · %u models compared · %s"),
                            s->epoch, lab_run_get_max_epochs (self->run),
                            lab_compare_get_n_models (self->compare), tail);
  else
    text = g_strdup_printf (_("Epoch %d of %d · train loss %s · test loss %s · %s"),
                            s->epoch, lab_run_get_max_epochs (self->run), train, test, tail);
  if (g_strcmp0 (gtk_label_get_text (self->status_label), text) != 0)
    gtk_label_set_text (self->status_label, text);
}

static void
update_title (LabWindow *self)
{
  const RnnConfig *config = &lab_run_get_settings (self->run)->config;
  g_autofree char *subtitle = NULL;

  /* Translators: the window subtitle */
  subtitle = g_strdup_printf (_("%s · %d hidden units · time step %d"),
                              lab_window_data_get_title (self), config->hidden_size, config->time_step);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* What the run is doing, in one line beside the loss plot */

static void
update_advice (LabWindow *self)
{
  LabSnapshot *s = lab_run_get_shown (self->run);
  LabHistory *history = lab_run_get_history (self->run);
  LabFinding findings[LAB_N_FINDINGS];
  LabAdvisorInput input = { 0 };
  int n_findings, kind = -1;

  if (s != NULL)
    {
      input.n_epochs = lab_history_get_n_epochs (history);
      input.train_loss = lab_history_get_train_loss (history);
      input.test_loss = lab_history_get_test_loss (history);
      input.shown_epoch = MIN (s->epoch, input.n_epochs);
      /* The hidden states the trainer sent with the snapshot (one window). */
      input.saturated_share = s->hidden != NULL
        ? rnn_saturation_share (s->hidden, (size_t) s->time_step * s->hidden_size) : -1;
      input.time_step = s->time_step;
      input.grad_norm = s->grad_norms; /* of the epoch these weights came from; NULL at 0 */
      input.model_test_mse = s->test_loss;
      /* The best baseline, when the forecast shows the baselines (so that
       * the sentence names what the class sees). Both MSEs on the model's
       * scale, as the command line's --baselines prints them. */
      input.baseline_test_mse = -1;
      for (int b = 0; self->show_baselines && b < s->n_baselines; b++)
        if (s->baselines[b].ok && isfinite (s->baselines[b].test_mse)
            && (input.baseline_test_mse < 0 || s->baselines[b].test_mse < input.baseline_test_mse))
          {
            input.baseline_test_mse = s->baselines[b].test_mse;
            input.baseline_name = _(s->baselines[b].label);
          }
      input.learning_rate = lab_snapshot_get_lr (s);

      n_findings = s->generation == lab_history_get_generation (history)
                   ? lab_advisor_assess (&input, findings) : 0;
      if (n_findings > 0)
        {
          g_autofree char *sentence = lab_finding_describe (&findings[0], &input);
          g_autofree char *markup = NULL;

          kind = findings[0].kind;
          markup = g_markup_printf_escaped ("<b>%s</b> %s", lab_finding_title (kind), sentence);
          if (g_strcmp0 (gtk_label_get_label (self->advice_label), markup) != 0)
            gtk_label_set_markup (self->advice_label, markup);
        }
    }

  gtk_revealer_set_reveal_child (self->advice_revealer, kind >= 0);
  if (kind != self->finding)
    {
      self->finding = kind;
      lab_window_update_help (self);
    }
}

/* Updates: what changed is marked, and drawn at once while paused (a step,
 * the timeline); while training, at most PLAY_VIEWS_INTERVAL_US apart, the
 * status line every PLAY_STATUS_INTERVAL_US, the advice every
 * PLAY_ADVICE_INTERVAL_US and the accessible descriptions at the pause. */

static gboolean
is_training (LabWindow *self)
{
  return lab_compare_get_training (self->compare);
}

static void
flush_updates (LabWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean training = is_training (self);
  const LabLossData *drawn = lab_plot_view_get_loss (self->loss_view);
  const float *curve;
  guint dirty;

  /* The loss view borrows the run's curve: if it moved (it grew), the view
   * takes it again now, whatever the rate. */
  lab_run_get_loss_curve (self->run, &curve, NULL);
  if (drawn != NULL && drawn->train_loss != curve)
    {
      self->dirty &= ~LAB_DIRTY_LOSS;
      update_loss_view (self);
    }

  dirty = self->dirty;
  if (dirty == 0)
    return;

  if (training && now - self->views_time < PLAY_VIEWS_INTERVAL_US)
    dirty &= ~(LAB_DIRTY_FORECAST | LAB_DIRTY_HIDDEN | LAB_DIRTY_LOSS | LAB_DIRTY_TIMELINE);
  else if (dirty & (LAB_DIRTY_FORECAST | LAB_DIRTY_HIDDEN | LAB_DIRTY_LOSS | LAB_DIRTY_TIMELINE))
    self->views_time = now;
  if (training && now - self->status_time < PLAY_STATUS_INTERVAL_US)
    dirty &= ~LAB_DIRTY_STATUS;
  else if (dirty & LAB_DIRTY_STATUS)
    self->status_time = now;
  if (training && now - self->advice_time < PLAY_ADVICE_INTERVAL_US)
    dirty &= ~LAB_DIRTY_ADVICE;
  else if (dirty & LAB_DIRTY_ADVICE)
    self->advice_time = now;
  if (training)
    dirty &= ~LAB_DIRTY_SUMMARIES;

  self->dirty &= ~dirty;
  if (dirty & LAB_DIRTY_FORECAST)
    update_forecast_view (self);
  if (dirty & LAB_DIRTY_HIDDEN)
    update_hidden_view (self);
  if (dirty & LAB_DIRTY_LOSS)
    update_loss_view (self);
  if (dirty & LAB_DIRTY_TIMELINE)
    update_timeline (self);
  if (dirty & LAB_DIRTY_STATUS)
    {
      update_status (self);
      lab_window_compare_update_bar (self);
    }
  if (dirty & LAB_DIRTY_ADVICE)
    update_advice (self);
  if (dirty & LAB_DIRTY_SUMMARIES)
    update_summaries (self);
}

void
lab_window_mark_dirty (LabWindow *self,
                       guint      what)
{
  self->dirty |= what;
  /* While training the tick flushes, after draining. */
  if (!is_training (self))
    flush_updates (self);
}

/* Playing */

static void
update_play_button (LabWindow *self)
{
  gboolean playing = lab_run_get_playing (self->run);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "play");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (playing));
  if (playing)
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

/* Observers of the run */

static void
shown_changed_cb (LabWindow  *self,
                  GParamSpec *pspec,
                  LabRun     *run)
{
  LabSnapshot *s = lab_run_get_shown (run);

  if (s != NULL)
    {
      self->updating = TRUE;
      lab_controls_set_n_windows (self->controls, s->n_windows);
      self->updating = FALSE;
    }
  lab_window_mark_dirty (self, LAB_DIRTY_ALL);
}

static void
settings_changed_cb (LabWindow  *self,
                     GParamSpec *pspec,
                     LabRun     *run)
{
  update_title (self);
  lab_window_update_help (self);
}

static void
selected_window_changed_cb (LabWindow  *self,
                            GParamSpec *pspec,
                            LabRun     *run)
{
  lab_window_mark_dirty (self, LAB_DIRTY_FORECAST | LAB_DIRTY_HIDDEN | LAB_DIRTY_SUMMARIES);
}

static void
epochs_recorded_cb (LabWindow *self,
                    int        n_new,
                    LabRun    *run)
{
  lab_window_mark_dirty (self, LAB_DIRTY_LOSS | LAB_DIRTY_TIMELINE | LAB_DIRTY_STATUS
                               | LAB_DIRTY_ADVICE | LAB_DIRTY_SUMMARIES);
}

static void
status_changed_cb (LabWindow  *self,
                   GParamSpec *pspec,
                   LabRun     *run)
{
  lab_window_mark_dirty (self, LAB_DIRTY_STATUS | LAB_DIRTY_TIMELINE | LAB_DIRTY_ADVICE
                               | LAB_DIRTY_SUMMARIES);
}

static void
max_epochs_changed_cb (LabWindow  *self,
                       GParamSpec *pspec,
                       LabRun     *run)
{
  lab_window_mark_dirty (self, LAB_DIRTY_LOSS | LAB_DIRTY_STATUS | LAB_DIRTY_SUMMARIES);
}

static void
previous_changed_cb (LabWindow  *self,
                     GParamSpec *pspec,
                     LabRun     *run)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "undo-rebuild");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), lab_run_get_previous (run) != NULL);
  /* The ghosts' arrays belong to the run: the views take them again now. */
  self->dirty |= LAB_DIRTY_FORECAST | LAB_DIRTY_LOSS;
  flush_updates (self);
}

static void
playing_changed_cb (LabWindow  *self,
                    GParamSpec *pspec,
                    LabRun     *run)
{
  update_play_button (self);
  if (lab_run_get_playing (run))
    describe_views (self, -1);
  /* A pause: everything at once, the descriptions too. */
  lab_window_mark_dirty (self, LAB_DIRTY_ALL);
}

static void
message_changed_cb (LabWindow  *self,
                    GParamSpec *pspec,
                    LabRun     *run)
{
  const char *message = lab_run_get_message (run);

  if (message != NULL)
    gtk_label_set_text (self->banner_label, message);
  /* Hidden, not only folded away: its Reset button leaves the accessibility tree. */
  gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), message != NULL);
  gtk_revealer_set_reveal_child (self->banner_revealer, message != NULL);
}

static void
notice_cb (LabWindow       *self,
           const char      *message,
           LabTrainerState  state,
           LabRun          *run)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (state == LAB_TRAINER_DIVERGED)
    {
      toast = adw_toast_new (_("Training stopped: the loss diverged"));
      adw_toast_set_timeout (toast, 4);
    }
  else
    {
      escaped = g_markup_escape_text (message, -1);
      toast = adw_toast_new (escaped);
      if (state == LAB_TRAINER_FINISHED)
        adw_toast_set_timeout (toast, 3);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
rebuild_toast_dismissed_cb (LabWindow *self,
                            AdwToast  *toast)
{
  if (self->rebuild_toast == toast)
    self->rebuild_toast = NULL;
}

/* Says what a rebuild did, with Undo when a trained run was replaced. */
static void
show_rebuild_toast (LabWindow    *self,
                    LabRunChange  change)
{
  const RnnConfig *config = &lab_run_get_settings (self->run)->config;
  const LabRunPrevious *previous = lab_run_get_previous (self->run);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->undoing)
    {
      self->undoing = FALSE;
      /* Translators: after Undo; the run is trained again, epoch by epoch */
      title = g_strdup_printf (ngettext ("Back to the run before: replaying its %d epoch",
                                         "Back to the run before: replaying its %d epochs",
                                         self->undo_epochs),
                               self->undo_epochs);
    }
  else if (change & LAB_RUN_CHANGE_SHAPE)
    title = g_strdup_printf (_("New network: %d hidden units, time step %d; training starts at epoch 0"),
                             config->hidden_size, config->time_step);
  else
    {
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, lab_run_get_settings (self->run)->seed);

      title = g_strdup_printf (_("New initial weights (seed %s); training starts at epoch 0"), seed);
    }

  if (self->rebuild_toast != NULL)
    adw_toast_dismiss (self->rebuild_toast);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (previous != NULL && previous->snapshot->generation != lab_run_get_shown (self->run)->generation)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "win.undo-rebuild");
    }
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (rebuild_toast_dismissed_cb),
                           self, G_CONNECT_SWAPPED);
  self->rebuild_toast = toast;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
rebuilt_cb (LabWindow    *self,
            LabRunChange  change,
            LabRun       *run)
{
  lab_window_sync_shape (self);
  if (self->undoing || (change & (LAB_RUN_CHANGE_SHAPE | LAB_RUN_CHANGE_SEED)) != 0)
    show_rebuild_toast (self, change);
}

void
lab_window_sync_shape (LabWindow *self)
{
  const LabRunSettings *settings = lab_run_get_settings (self->run);
  const RnnConfig *config = &settings->config;

  /* A drag still waiting to be applied wins. */
  if (self->shape_timeout_id != 0)
    return;
  self->updating = TRUE;
  lab_controls_set_cell (self->controls, config->cell);
  lab_controls_set_clip_grad_norm (self->controls, config->clip_grad_norm);
  lab_controls_set_hidden_size (self->controls, config->hidden_size);
  lab_controls_set_time_step (self->controls, config->time_step);
  lab_controls_set_seed (self->controls, settings->seed);
  lab_controls_set_learning_rate (self->controls, lab_run_settings_get_last_lr (settings));
  self->updating = FALSE;
  lab_window_update_split (self);
}

/* Drains the run: once per frame, within TICK_BUDGET_US. */
static gboolean
lab_window_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (self->compare == NULL)
    return G_SOURCE_REMOVE;
  lab_compare_drain (self->compare, TICK_BUDGET_US);
  flush_updates (self);
  return G_SOURCE_CONTINUE;
}

static void
observe_run (LabWindow *self)
{
  const struct { const char *signal; GCallback callback; } observers[] = {
    { "notify::shown", G_CALLBACK (shown_changed_cb) },
    { "notify::settings", G_CALLBACK (settings_changed_cb) },
    { "notify::selected-window", G_CALLBACK (selected_window_changed_cb) },
    { "notify::state", G_CALLBACK (status_changed_cb) },
    { "notify::rate", G_CALLBACK (status_changed_cb) },
    { "notify::scrubbing", G_CALLBACK (status_changed_cb) },
    { "notify::max-epochs", G_CALLBACK (max_epochs_changed_cb) },
    { "notify::playing", G_CALLBACK (playing_changed_cb) },
    { "notify::message", G_CALLBACK (message_changed_cb) },
    { "notify::previous", G_CALLBACK (previous_changed_cb) },
    { "epochs-recorded", G_CALLBACK (epochs_recorded_cb) },
    { "notice", G_CALLBACK (notice_cb) },
    { "rebuilt", G_CALLBACK (rebuilt_cb) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (observers); i++)
    g_signal_connect_object (self->run, observers[i].signal, observers[i].callback,
                             self, G_CONNECT_SWAPPED);
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
  lab_window_lessons_dispose (self);
  lab_window_data_dispose (self);
  lab_window_compare_dispose (self);
  lab_window_unrolled_dispose (self);

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (lab_window_parent_class)->dispose (object);
}

static void
lab_window_finalize (GObject *object)
{
  LabWindow *self = LAB_WINDOW (object);

  g_clear_pointer (&self->hidden, g_free);
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
  g_type_ensure (LAB_TYPE_CONTROLS);
  g_type_ensure (LAB_TYPE_DATA_CONTROLS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rnnlab/RnnLab/ui/lab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, controls);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, forecast_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, loss_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, hidden_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, gates_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, cell_state_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, cell_state_page);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, gradient_view);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, cell_stack);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, gates_help_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, gradient_help_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, timeline_scale);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, timeline_adjustment);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, advice_revealer);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, advice_label);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, plots_grid);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, forecast_frame);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, models_box);

  lab_window_class_bind_controls (widget_class);
  lab_window_class_bind_classroom (widget_class);
  lab_window_class_bind_data (widget_class);
  lab_window_class_bind_unrolled (widget_class);
}


static void
lab_window_init (LabWindow *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autoptr(LabRunSettings) settings = NULL;
  RnnConfig config;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->finding = -1;
  self->heatmap_auto_range = TRUE;

  lab_window_add_actions (self);
  lab_window_add_file_actions (self);
  lab_window_add_view_actions (self);

  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (style_dark_changed_cb), self, G_CONNECT_SWAPPED);
  style_dark_changed_cb (self, NULL, style_manager);

  /* The tutorial, paused at epoch 0: its shape, its rate, its seed (and so,
   * by lab_run_settings_wants_tutorial, its weights). */
  rnn_config_init_default (&config);
  settings = lab_run_settings_new (&config, LAB_TUTORIAL_SEED);
  self->run = lab_run_new (settings, FIRST_SNAPSHOT_WAIT_US);
  g_assert (self->run != NULL);

  self->updating = TRUE;
  lab_controls_set_time_step_max (self->controls, lab_run_settings_get_time_step_max (settings));
  lab_controls_set_hidden_size (self->controls, config.hidden_size);
  lab_controls_set_time_step (self->controls, config.time_step);
  lab_controls_set_learning_rate (self->controls, config.lr);
  lab_controls_set_seed (self->controls, LAB_TUTORIAL_SEED);
  lab_controls_set_epochs (self->controls, lab_run_get_max_epochs (self->run));
  self->updating = FALSE;

  observe_run (self);
  lab_window_compare_init (self);
  lab_window_connect_controls (self);
  lab_window_data_init (self);
  lab_window_lessons_init (self);
  lab_window_unrolled_init (self);
  update_play_button (self);
  settings_changed_cb (self, NULL, self->run);
  previous_changed_cb (self, NULL, self->run);
  shown_changed_cb (self, NULL, self->run);
  lab_window_update_split (self);
  lab_tooltips_install (GTK_WIDGET (self));

  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), lab_window_tick_cb, NULL, NULL);
}

/* Public API */

LabWindow *
lab_window_new (GtkApplication *application)
{
  return g_object_new (LAB_TYPE_WINDOW, "application", application, NULL);
}

LabRun *
lab_window_get_run (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return self->run;
}

LabTrainer *
lab_window_get_trainer (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return lab_run_get_trainer (self->run);
}

LabHistory *
lab_window_get_history (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return lab_run_get_history (self->run);
}

GtkWidget *
lab_window_get_controls (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->controls);
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
    case LAB_PLOT_KIND_GATES:
      return self->gates_view;
    case LAB_PLOT_KIND_GRADIENT:
      return self->gradient_view;
    case LAB_PLOT_KIND_UNROLLED:
      return self->unrolled_view;
    case LAB_PLOT_KIND_STEP:
      return self->step_view;
    default:
      g_return_val_if_reached (NULL);
    }
}

LabTrainerState
lab_window_get_state (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), LAB_TRAINER_PAUSED);

  return lab_run_get_state (self->run);
}

LabSnapshot *
lab_window_get_latest_snapshot (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return lab_run_get_latest (self->run);
}

int
lab_window_get_epoch (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), -1);

  return lab_run_get_latest_epoch (self->run);
}

LabSnapshot *
lab_window_get_shown_snapshot (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return lab_run_get_shown (self->run);
}

gboolean
lab_window_get_playing (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  return lab_run_get_playing (self->run);
}

const RnnConfig *
lab_window_get_config (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return &lab_run_get_settings (self->run)->config;
}

guint64
lab_window_get_seed (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return lab_run_get_settings (self->run)->seed;
}

int
lab_window_get_max_epochs (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return lab_run_get_max_epochs (self->run);
}

double
lab_window_get_speed (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return lab_run_get_speed (self->run);
}

int
lab_window_get_selected_window (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), 0);

  return lab_run_get_selected_window (self->run);
}

void
lab_window_select_window (LabWindow *self,
                          int        window)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (window >= 0);

  /* The spin button is bound to the run's selected window. */
  lab_controls_set_window (self->controls, window);
}

void
lab_window_show_epoch (LabWindow *self,
                       int        epoch)
{
  g_return_if_fail (LAB_IS_WINDOW (self));

  lab_run_show_epoch (self->run, epoch);
}

const char *
lab_window_get_message (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  return lab_run_get_message (self->run);
}

void
lab_window_add_toast (LabWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (LAB_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
