/* lab-window-presenter.c: the window in front of a class: presenter mode,
 * the palette and the light or dark style of the plots, and the help of
 * each view.
 *
 * The palette and the colour scheme are the window actions win.palette and
 * win.color-scheme (string states). lab-window-settings.c makes them from
 * the settings keys; a window without settings gets plain ones when it is
 * first shown. Either way the plots follow the action's state. */
#include <glib/gi18n.h>

#include "core/lab-advisor.h"

#include "ui/lab-window-export.h"
#include "engine/diagnostics.h"
#include "ui/lab-window-private.h"

/* Readable from the back of a classroom on a 1920x1080 projector. */
#define PRESENTER_FONT_SCALE 1.8
#define PRESENTER_LINE_SCALE 2.2

#define HELP_LABEL_KEY "lab-help-label"

static const char *palette_ids[LAB_N_PALETTES] = {
  [LAB_PALETTE_DEFAULT] = "default",
  [LAB_PALETTE_OKABE_ITO] = "okabe-ito",
  [LAB_PALETTE_HIGH_CONTRAST] = "high-contrast",
};

/* Plot style */

void
lab_window_update_plot_style (LabWindow *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  LabPlotStyle style;

  lab_plot_style_init (&style, self->palette, adw_style_manager_get_dark (manager));
  if (self->presenter)
    {
      style.font_scale = PRESENTER_FONT_SCALE;
      style.line_scale = PRESENTER_LINE_SCALE;
    }
  lab_plot_view_set_style (self->forecast_view, &style);
  lab_plot_view_set_style (self->loss_view, &style);
  lab_plot_view_set_style (self->hidden_view, &style);
  lab_plot_view_set_style (self->cell_state_view, &style);
  lab_plot_view_set_style (self->gates_view, &style);
  lab_plot_view_set_style (self->gradient_view, &style);
  lab_plot_view_set_style (self->unrolled_view, &style);
  lab_plot_view_set_style (self->step_view, &style);
  if (self->step_popover_view != NULL)
    lab_plot_view_set_style (self->step_popover_view, &style);
}

static void
follow_palette (LabWindow *self,
                GVariant  *state)
{
  const char *id;

  if (state == NULL || !g_variant_is_of_type (state, G_VARIANT_TYPE_STRING))
    return;
  id = g_variant_get_string (state, NULL);
  self->palette = LAB_PALETTE_DEFAULT;
  for (int p = 0; p < LAB_N_PALETTES; p++)
    if (g_str_equal (id, palette_ids[p]))
      self->palette = p;
  lab_window_update_plot_style (self);
}

static void
palette_state_changed_cb (LabWindow  *self,
                          const char *name,
                          GVariant   *state)
{
  follow_palette (self, state);
}

static void
palette_added_cb (LabWindow  *self,
                  const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), name);

  follow_palette (self, state);
}

/* Plain actions for a window without settings. */

static void
palette_change_state_cb (GSimpleAction *action,
                         GVariant      *value,
                         gpointer       user_data)
{
  g_simple_action_set_state (action, value);
}

static void
color_scheme_change_state_cb (GSimpleAction *action,
                              GVariant      *value,
                              gpointer       user_data)
{
  const char *scheme = g_variant_get_string (value, NULL);
  AdwColorScheme color_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_str_equal (scheme, "light"))
    color_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (scheme, "dark"))
    color_scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme);
  g_simple_action_set_state (action, value);
}

static void
add_missing_style_actions_cb (LabWindow *self)
{
  const GActionEntry entries[] = {
    { "palette", NULL, "s", "'default'", palette_change_state_cb, { 0 } },
    { "color-scheme", NULL, "s", "'follow'", color_scheme_change_state_cb, { 0 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_action_map_lookup_action (G_ACTION_MAP (self), entries[i].name) == NULL)
      g_action_map_add_action_entries (G_ACTION_MAP (self), &entries[i], 1, self);
}

/* Presenter mode */

/* The plots in a grid of equal columns. At the desk: the forecast across
 * the top, the loss and the hidden state side by side under it. In front
 * of a class: as the presenter dashboard (LAB_DASHBOARD_PRESENTER), the
 * forecast gets two thirds of the width at full height, so a sine still
 * looks like one, and the loss and the hidden state are stacked beside it. */
static void
arrange_plots (LabWindow *self,
               gboolean   presenter)
{
  GtkGrid *grid = GTK_GRID (self->plots_grid);

  g_object_ref (self->forecast_frame);
  g_object_ref (self->lower_box);
  gtk_grid_remove (grid, self->forecast_frame);
  gtk_grid_remove (grid, self->lower_box);
  if (presenter)
    {
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->lower_box), GTK_ORIENTATION_VERTICAL);
      gtk_widget_set_vexpand (self->lower_box, TRUE);
      gtk_grid_attach (grid, self->forecast_frame, 0, 0, 2, 1);
      gtk_grid_attach (grid, self->lower_box, 2, 0, 1, 1);
    }
  else
    {
      gtk_orientable_set_orientation (GTK_ORIENTABLE (self->lower_box), GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_set_vexpand (self->lower_box, FALSE);
      gtk_grid_attach (grid, self->forecast_frame, 0, 0, 1, 1);
      gtk_grid_attach (grid, self->lower_box, 0, 1, 1, 1);
    }
  g_object_unref (self->forecast_frame);
  g_object_unref (self->lower_box);
}

gboolean
lab_window_get_presenter (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  return self->presenter;
}

gboolean
lab_window_get_presenter_fullscreen (LabWindow *self)
{
  g_return_val_if_fail (LAB_IS_WINDOW (self), FALSE);

  return self->presenter_fullscreen;
}

void
lab_window_set_presenter (LabWindow *self,
                          gboolean   presenter)
{
  GtkWindow *window = GTK_WINDOW (self);
  GAction *action;

  g_return_if_fail (LAB_IS_WINDOW (self));

  presenter = !!presenter;
  if (self->presenter == presenter)
    return;
  self->presenter = presenter;

  if (presenter)
    {
      /* Play, step and reset stay in the header bar; the controls go, the
       * plots take the screen, and everything is larger. */
      self->presenter_was_fullscreen = gtk_window_is_fullscreen (window);
      self->presenter_had_sidebar = adw_flap_get_reveal_flap (self->flap);
      adw_flap_set_reveal_flap (self->flap, FALSE);
      gtk_widget_set_visible (self->sidebar_button, FALSE);
      arrange_plots (self, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "lab-presenter");
      gtk_window_fullscreen (window);
      self->presenter_fullscreen = TRUE;
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "lab-presenter");
      arrange_plots (self, FALSE);
      gtk_widget_set_visible (self->sidebar_button, TRUE);
      adw_flap_set_reveal_flap (self->flap, self->presenter_had_sidebar);
      if (!self->presenter_was_fullscreen)
        gtk_window_unfullscreen (window);
      self->presenter_fullscreen = FALSE;
    }

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "presenter");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (presenter));
  lab_window_update_plot_style (self);
}

static void
presenter_change_state_cb (GSimpleAction *action,
                           GVariant      *value,
                           gpointer       user_data)
{
  lab_window_set_presenter (LAB_WINDOW (user_data), g_variant_get_boolean (value));
}

static gboolean
escape_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  LabWindow *self = LAB_WINDOW (widget);

  if (!self->presenter)
    return FALSE;
  lab_window_set_presenter (self, FALSE);
  return TRUE;
}

/* Help */

/* Why a finding of the advisor happens and what to try (lab_finding_describe
 * says what is happening now, with the numbers). */
static const char *
finding_why (LabFindingKind kind)
{
  switch (kind)
    {
    case LAB_FINDING_DIVERGING:
      return _("Each step of the optimizer overshoots the valley of the loss and lands "
               "higher up on the other side, so every step makes it worse. A smaller "
               "learning rate (try a tenth) takes smaller steps; then Reset.");
    case LAB_FINDING_OSCILLATING:
      return _("The learning rate is so large that some steps overshoot: the loss jumps "
               "up and falls back. A smaller rate makes the descent smooth; small bumps "
               "are normal for Adam.");
    case LAB_FINDING_OVERFITTING:
      return _("The network learns the training windows by heart instead of the wave: "
               "it gets better on them and worse on windows it has never seen. Fewer "
               "hidden units, more data or stopping earlier help.");
    case LAB_FINDING_SATURATED:
      return _("Most hidden values are stuck near −1 or +1, where tanh is flat: its slope "
               "is almost 0, so little gradient flows through these units and they stop "
               "learning. Usually a too large learning rate pushed the weights far; try a "
               "smaller one and Reset.");
    case LAB_FINDING_VANISHING:
      return _("The gradient shrinks at every step back through time, so the first inputs "
               "of a window hardly change the weights: the network cannot learn a long "
               "memory. A shorter time step helps.");
    case LAB_FINDING_PLATEAU:
      return _("The loss has hardly moved for many epochs and is still high: the optimizer "
               "is on a flat stretch. A larger learning rate, more hidden units or another "
               "seed can get it moving.");
    case LAB_FINDING_BASELINE:
      return _("A simple rule predicts the test part better than the network. On a pure "
               "sine a straight line through the last values is exact; the network has "
               "to earn its complexity on harder series.");
    default:
      return NULL;
    }
}

/* The forward equations of the cell (Pango markup, the same in every language). */
const char *
lab_window_cell_equations (RnnCell cell)
{
  if (cell == RNN_CELL_LSTM)
    return "[i f g o] = W<sub>ih</sub> x<sub>t</sub> + b<sub>ih</sub> + "
           "W<sub>hh</sub> h<sub>t−1</sub> + b<sub>hh</sub>\n"
           "c<sub>t</sub> = σ(f)·c<sub>t−1</sub> + σ(i)·tanh(g)\n"
           "h<sub>t</sub> = σ(o)·tanh(c<sub>t</sub>)";
  if (cell == RNN_CELL_GRU)
    return "r = σ(W<sub>ir</sub> x + b<sub>ir</sub> + W<sub>hr</sub> h + b<sub>hr</sub>),  z likewise\n"
           "n = tanh(W<sub>in</sub> x + b<sub>in</sub> + r·(W<sub>hn</sub> h + b<sub>hn</sub>))\n"
           "h<sub>t</sub> = (1 − z)·n + z·h<sub>t−1</sub>";
  return "h<sub>t</sub> = tanh(W<sub>ih</sub> x<sub>t</sub> + b<sub>ih</sub> + "
         "W<sub>hh</sub> h<sub>t−1</sub> + b<sub>hh</sub>)";
}

/* "Spectral radius of W_hh now: 0.93" for an RNN shown at the settings'
 * hidden size; NULL otherwise. */
char *
lab_window_spectral_radius_markup (LabWindow *self)
{
  const LabRunSettings *settings = lab_run_get_settings (self->run);
  LabSnapshot *s = lab_run_get_shown (self->run);
  int H = settings->config.hidden_size;
  g_autofree double *work = NULL;
  char number[32];
  double rho;

  if (settings->config.cell != RNN_CELL_RNN || s == NULL || s->hidden_size != H || s->cell != RNN_CELL_RNN)
    return NULL;
  work = g_new (double, rnn_diagnostics_work_size (H));
  /* RNN, input size 1: W_hh follows W_ih (H, 1) in the parameters */
  if (rnn_spectral_radius (&rho, work, s->params + H, H) != RNN_OK)
    return NULL;
  lab_format_number (number, sizeof number, rho, 3);
  /* Translators: %s is a number, W_hh's largest |eigenvalue| */
  return g_strdup_printf (_("Spectral radius of W<sub>hh</sub> now: %s"), number);
}

/* The gates view's and the gradient view's help: the cell's equations,
 * the shapes now, and for the gradient BPTT and, for the RNN, the spectral
 * radius of W_hh that makes it shrink or grow. */
static char *
cell_help_markup (LabWindow   *self,
                  LabPlotKind  kind)
{
  const LabRunSettings *settings = lab_run_get_settings (self->run);
  RnnCell cell = settings->config.cell;
  int H = settings->config.hidden_size, G = rnn_cell_gate_count (cell);
  const char *equations = lab_window_cell_equations (cell);
  g_autofree char *shapes = NULL;
  g_autofree char *radius = NULL;

  shapes = g_strdup_printf ("W<sub>ih</sub> %d×1    W<sub>hh</sub> %d×%d    b<sub>ih</sub>, b<sub>hh</sub> %d",
                            G * H, G * H, H, G * H);

  if (kind == LAB_PLOT_KIND_GATES)
    return g_strdup_printf ("<b>%s</b>\n\n%s\n\n<b>%s</b>\n%s\n\n<b>%s</b>\n%s",
                            _("Gates"),
                            _("How far each gate is open (0 closed, 1 open) for every unit (rows) "
                              "and time step (columns) of the selected window. An LSTM keeps its "
                              "memory c<sub>t</sub> while the forget gate f is near 1; a GRU keeps "
                              "h<sub>t−1</sub> while the update gate z is near 1. A plain RNN has no gates."),
                            _("The cell"), equations, _("Shapes now"), shapes);

  radius = lab_window_spectral_radius_markup (self);
  return g_strdup_printf ("<b>%s</b>\n\n%s\n\n"
                          "∂L/∂h<sub>t</sub> = ∂L/∂h<sub>t+1</sub> · ∂h<sub>t+1</sub>/∂h<sub>t</sub> + "
                          "∂L/∂ŷ · ∂ŷ/∂h<sub>t</sub>\n"
                          "RNN: ∂h<sub>t+1</sub>/∂h<sub>t</sub> = diag(1 − h<sub>t+1</sub>²) W<sub>hh</sub>\n"
                          "%s\n\n"
                          "%s\n%s%s\n\n<b>%s</b>\n%s\n\n<b>%s</b>\n%s",
                          _("Gradients through time"),
                          _("How much the loss depends on the hidden state at each step t of the "
                            "window (the norm of ∂L/∂h<sub>t</sub> over the training windows, "
                            "before clipping), on a log scale, for the shown epoch."),
                          LAB_BPTT_RNN_MARKUP,
                          _("Going back one step multiplies the gradient by W<sub>hh</sub> and by "
                            "tanh′ = 1 − h², which is below 1 and near 0 for saturated units. "
                            "When W<sub>hh</sub>’s spectral radius is below 1 the product shrinks "
                            "step after step, and early steps stop learning: the vanishing gradient. "
                            "An LSTM’s cell state passes back through the forget gate instead."),
                          radius != NULL ? "\n" : "", radius != NULL ? radius : "",
                          _("The cell"), equations, _("Shapes now"), shapes);
}

char *
lab_window_get_help_markup (LabWindow   *self,
                            LabPlotKind  kind)
{
  /* In compare mode, the model whose card is chosen. */
  const LabRunSettings *settings = lab_run_get_settings (lab_window_get_focus_run (self));
  RnnCell cell = settings->config.cell;
  int H = settings->config.hidden_size;
  int T = settings->config.time_step;
  int G = rnn_cell_gate_count (cell);
  int n_params = (int) lab_run_settings_get_n_params (settings);
  g_autofree char *about = NULL;
  g_autofree char *shapes = NULL;
  g_autofree char *count = NULL;
  g_autofree char *now = NULL;
  const char *title;

  g_return_val_if_fail (LAB_IS_WINDOW (self), NULL);

  if (kind == LAB_PLOT_KIND_GATES || kind == LAB_PLOT_KIND_GRADIENT)
    return cell_help_markup (self, kind);
  if (kind == LAB_PLOT_KIND_UNROLLED)
    return lab_window_unrolled_help_markup (self);
  switch (kind)
    {
    case LAB_PLOT_KIND_FORECAST:
      {
        g_autofree char *what = NULL;
        g_autofree char *series = NULL;
        /* The honest answer to "is the RNN good?" */
        const char *baselines = _("The dashed line is the free-running forecast: from the last true "
                                  "window before the test, the network predicts, feeds its own "
                                  "prediction back in, and goes on, so errors compound. The baselines "
                                  "(Show Baselines in the ⋯ menu) are what it must beat: persistence "
                                  "says the next value is the last one; the linear AR model is a "
                                  "straight line through the window, fitted by least squares. A sine "
                                  "obeys x(t+1) = 2cos(2π/P)·x(t) − x(t−1): a straight line through the "
                                  "last two points predicts it exactly, so on the tutorial's sine the "
                                  "linear AR's test MSE is about 10⁻¹⁶. That is the honest answer to "
                                  "“is the RNN good?”: on real series the comparison gets interesting.");

        title = _("Forecast");
        series = g_strdup_printf (_("The series the network learns (%s), and its predictions. Each "
                                    "prediction is made from the %d values before it (a window). "
                                    "The windows of the first part train the network; the shaded "
                                    "part is the test, which it never trains on. Click a point to "
                                    "see its window in the hidden state. After a new hidden size, "
                                    "time step or seed, the run before is drawn faded."),
                                  lab_window_data_get_title (self), T);
        what = g_strdup_printf ("%s\n\n%s", series, baselines);
        about = g_markup_escape_text (what, -1);
      }
      break;

    case LAB_PLOT_KIND_LOSS:
      {
        g_autofree char *what = NULL;
        g_autofree char *which = NULL;

        title = _("Loss");
        what = g_markup_escape_text (_("How far the predictions are from the data: the mean squared "
                                       "error on the train and on the test windows, epoch by epoch "
                                       "(an epoch is one pass over the train windows and one step of "
                                       "the optimizer). The scale is logarithmic: each grid line is "
                                       "ten times smaller. The vertical line marks the epoch shown. "
                                       "A test loss that rises while the train loss falls means the "
                                       "network memorises instead of learning the wave."), -1);
        which = g_markup_escape_text (_("The curves and the losses in the status line are those of the "
                                        "weights at each epoch, after that many updates: at epoch k, "
                                        "what rnn-lab --headless --epochs k prints as Train MSE and "
                                        "Test MSE. The tutorial’s printout (“Epoch [10/200], Loss: "
                                        "0.0518”) and the exported loss CSV keep the tutorial’s "
                                        "convention instead: for epoch k, the loss of that epoch’s "
                                        "forward pass, before its update, i.e. of the weights of "
                                        "epoch k − 1."), -1);
        about = g_strdup_printf ("%s\n\n%s", what, which);
        if (self->finding >= 0)
          now = g_markup_printf_escaped ("<b>%s: %s</b>\n%s\n\n",
                                         _("Now"), lab_finding_title (self->finding),
                                         finding_why (self->finding));
      }
      break;

    case LAB_PLOT_KIND_HIDDEN:
      {
        /* A private-use character marks where the markup of h_T goes. */
        const char *mark = "\xee\x80\x80";
        g_autofree char *what = NULL;
        g_autofree char *escaped = NULL;
        GString *text;

        title = _("Hidden state");
        what = g_strdup_printf (_("The network’s memory while it reads one window: the %1$d "
                                  "hidden units (rows) after each of the %2$d time steps "
                                  "(columns). Red (warm) is positive, blue (cool) negative, "
                                  "the middle colour 0: tanh keeps every value between −1 "
                                  "and 1, and the colour bar follows the largest value "
                                  "unless the main menu says otherwise. Only the last "
                                  "column, %3$s, reaches the output."), H, T, mark);
        escaped = g_markup_escape_text (what, -1);
        text = g_string_new (escaped);
        g_string_replace (text, mark, "h<sub>T</sub>", 0);
        about = g_string_free (text, FALSE);
      }
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  /* The equations are the same in every language; an LSTM or a GRU
   * stacks its G gate blocks in W_ih, W_hh and both biases. */
  if (cell == RNN_CELL_RNN)
    shapes = g_strdup_printf ("W<sub>xh</sub> %d×1    W<sub>hh</sub> %d×%d    b %d "
                              "(b<sub>ih</sub> + b<sub>hh</sub>)\n"
                              "W<sub>hy</sub> 1×%d    b<sub>y</sub> 1",
                              H, H, H, H, H);
  else
    shapes = g_strdup_printf ("W<sub>ih</sub> %d×1    W<sub>hh</sub> %d×%d    "
                              "b<sub>ih</sub>, b<sub>hh</sub> %d\n"
                              "W<sub>hy</sub> 1×%d    b<sub>y</sub> 1",
                              G * H, G * H, H, G * H, H);
  count = g_strdup_printf (ngettext ("%d parameter in all; h₀ = 0; T = %d",
                                     "%d parameters in all; h₀ = 0; T = %d", n_params),
                           n_params, T);

  return g_strdup_printf ("%s<b>%s</b>\n\n%s\n\n"
                          "<b>%s</b>\n"
                          "%s\n"
                          "y = W<sub>hy</sub> h<sub>T</sub> + b<sub>y</sub>\n\n"
                          "<b>%s</b>\n%s\n%s",
                          now != NULL ? now : "", title, about, _("The network"),
                          cell == RNN_CELL_RNN ? "h<sub>t</sub> = tanh(W<sub>xh</sub> x<sub>t</sub> + "
                                                 "W<sub>hh</sub> h<sub>t−1</sub> + b)"
                                               : lab_window_cell_equations (cell),
                          _("Shapes now"), shapes, count);
}

static GtkMenuButton *
help_button (LabWindow   *self,
             LabPlotKind  kind)
{
  switch (kind)
    {
    case LAB_PLOT_KIND_FORECAST:
      return self->forecast_help_button;
    case LAB_PLOT_KIND_LOSS:
      return self->loss_help_button;
    case LAB_PLOT_KIND_HIDDEN:
      return self->hidden_help_button;
    case LAB_PLOT_KIND_GATES:
      return self->gates_help_button;
    case LAB_PLOT_KIND_GRADIENT:
      return self->gradient_help_button;
    case LAB_PLOT_KIND_UNROLLED:
      return self->unrolled_help_button;
    default:
      g_return_val_if_reached (NULL);
    }
}

void
lab_window_update_help (LabWindow *self)
{
  for (int kind = LAB_PLOT_KIND_FORECAST; kind <= LAB_PLOT_KIND_UNROLLED; kind++)
    {
      GtkMenuButton *button = help_button (self, kind);
      GtkLabel *label;
      g_autofree char *markup = NULL;

      if (button == NULL)
        continue;
      label = g_object_get_data (G_OBJECT (button), HELP_LABEL_KEY);
      if (label == NULL)
        continue;
      markup = lab_window_get_help_markup (self, kind);
      gtk_label_set_markup (label, markup);
    }
}

static void
setup_help (LabWindow   *self,
            LabPlotKind  kind)
{
  static const char *names[] = { N_("About the Forecast"), N_("About the Loss"),
                                 N_("About the Hidden State"), N_("About the Gates"),
                                 N_("About Gradients through Time"),
                                 N_("About the Unrolled Network") };
  GtkMenuButton *button = help_button (self, kind);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 52);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), label);
  gtk_menu_button_set_popover (button, popover);
  g_object_set_data (G_OBJECT (button), HELP_LABEL_KEY, label);

  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _(names[kind]));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(names[kind]), -1);
}

/* Setup */

void
lab_window_class_bind_classroom (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, LabWindow, lower_box);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, forecast_help_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, loss_help_button);
  gtk_widget_class_bind_template_child (widget_class, LabWindow, hidden_help_button);
}

void
lab_window_add_view_actions (LabWindow *self)
{
  const GActionEntry entries[] = {
    { "presenter", NULL, NULL, "false", presenter_change_state_cb, { 0 } },
  };
  GtkEventController *controller;

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  /* Escape leaves presenter mode (and does nothing else here). */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "lab-presenter-shortcuts");
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (self, "action-state-changed::palette",
                    G_CALLBACK (palette_state_changed_cb), NULL);
  g_signal_connect (self, "action-added::palette", G_CALLBACK (palette_added_cb), NULL);
  /* The settings, when there are any, are attached before the window is shown. */
  g_signal_connect (self, "map", G_CALLBACK (add_missing_style_actions_cb), NULL);

  for (int kind = LAB_PLOT_KIND_FORECAST; kind <= LAB_PLOT_KIND_UNROLLED; kind++)
    setup_help (self, kind);
}
