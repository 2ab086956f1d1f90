/* lab-window-private.h: what the lab-window*.c files share: the window's
 * widgets and its run. The window lays out widgets and routes actions to
 * the run (core/lab-run.h); what they show, they read from the run. */
#pragma once

#include "core/lab-compare.h"
#include "core/lab-model-io.h"
#include "ui/lab-controls.h"
#include "ui/lab-tooltips.h"
#include "ui/lab-data-controls.h"
#include "ui/lab-series-dialog.h"
#include "ui/lab-window.h"

G_BEGIN_DECLS

/* What has changed since the views were last updated (lab_window_mark_dirty). */
enum
{
  LAB_DIRTY_FORECAST  = 1 << 0,
  LAB_DIRTY_HIDDEN    = 1 << 1,
  LAB_DIRTY_LOSS      = 1 << 2,
  LAB_DIRTY_TIMELINE  = 1 << 3,
  LAB_DIRTY_STATUS    = 1 << 4,
  LAB_DIRTY_ADVICE    = 1 << 5,
  LAB_DIRTY_SUMMARIES = 1 << 6,
  LAB_DIRTY_ALL       = (1 << 7) - 1,
};

/* Slider drags rebuild the network once the hand rests this long. */
#define LAB_WINDOW_SHAPE_DEBOUNCE_MS 150

struct _LabWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *play_button;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  AdwFlap             *flap;
  LabControls         *controls;
  LabPlotView         *forecast_view;
  LabPlotView         *loss_view;
  LabPlotView         *hidden_view;
  LabPlotView         *cell_state_view; /* an LSTM's c_t, as the hidden state */
  GtkStackPage        *cell_state_page;
  LabPlotView         *gates_view;
  LabPlotView         *gradient_view;
  GtkStack            *cell_stack;
  GtkMenuButton       *gates_help_button;
  GtkMenuButton       *gradient_help_button;
  GtkScale            *timeline_scale;
  GtkAdjustment       *timeline_adjustment;
  GtkLabel            *status_label;
  GtkWidget           *lower_box;
  GtkWidget           *sidebar_button;
  GtkMenuButton       *forecast_help_button;
  GtkMenuButton       *loss_help_button;
  GtkMenuButton       *hidden_help_button;
  GtkRevealer         *advice_revealer;
  GtkLabel            *advice_label;
  GtkWidget           *plots_grid;
  GtkWidget           *forecast_frame;

  LabRun              *run;             /* the first model: the one the controls edit */
  LabCompare          *compare;         /* it, and the models compared with it */
  float               *hidden;          /* (T, H) selected window of the shown snapshot */
  gsize                n_hidden;

  guint                tick_id;
  guint                shape_timeout_id;
  gboolean             updating;        /* widgets being set from the run */

  /* Updates (lab-window.c) */
  guint                dirty;           /* LAB_DIRTY_* not yet shown */
  gint64               views_time;      /* when the views, the status and */
  gint64               status_time;     /* the advice were last updated */
  gint64               advice_time;
  int                  finding;         /* the LabFindingKind shown, -1 none */
  gboolean             heatmap_auto_range;
  LabForecastModel     ghost_forecast;  /* the previous run, for the views */
  LabLossSeries        ghost_loss;
  AdwToast            *rebuild_toast;   /* the last "rebuilt" toast while shown */
  gboolean             undoing;         /* the next rebuild is an undo's */
  int                  undo_epochs;

  /* Classroom: lab-window-export.c, -files.c and -presenter.c */
  GtkFileChooserNative *chooser;        /* the file chooser open now, or NULL */
  char                *file_message;    /* the last toast about a file */
  LabPalette           palette;
  gboolean             presenter;
  gboolean             presenter_was_fullscreen;
  gboolean             presenter_had_sidebar;
  gboolean             presenter_fullscreen;  /* asked of the window manager */

  /* The series: lab-window-data.c */
  LabDataControls     *data_controls;
  GtkLabel            *metrics_label;
  guint                data_timeout_id;
  GtkFileChooserNative *series_chooser;
  LabSeriesDialog     *series_dialog;
  gboolean             show_baselines;
  LabForecastBaseline  baselines[LAB_N_BASELINES]; /* what the forecast view is given */

  /* Compare mode: lab-window-compare.c */
  GtkWidget           *models_box;      /* the models bar: one card per model */
  GtkWidget           *model_cards[LAB_COMPARE_MAX_MODELS];
  GtkWidget           *model_names[LAB_COMPARE_MAX_MODELS];
  GtkWidget           *model_sizes[LAB_COMPARE_MAX_MODELS];
  GtkWidget           *model_losses[LAB_COMPARE_MAX_MODELS];
  GtkWidget           *model_swatches[LAB_COMPARE_MAX_MODELS];
  LabForecastModel     compare_forecast[LAB_COMPARE_MAX_MODELS];
  LabLossSeries        compare_loss[LAB_COMPARE_MAX_MODELS];
  gint64               bar_time;        /* when the bar's numbers were last set */
  /* The unrolled network and one step: lab-window-unrolled.c */
  LabPlotView         *unrolled_view;
  LabPlotView         *step_view;       /* beside the network when the page is tall enough */
  LabPlotView         *step_popover_view; /* in step_popover otherwise */
  GtkPopover          *step_popover;
  GtkWidget           *unrolled_box;
  GtkMenuButton       *unrolled_help_button;
  int                  unrolled_step;   /* the step picked, 1..T; 0: T */
  LabPass              unrolled_pass;   /* the pass animated after a step */
  int                  unrolled_pass_step;
  gint64               unrolled_pass_start; /* frame time the animation began, 0 none */
  guint                unrolled_tick_id;
  gboolean             unrolled_stale;  /* skipped while training on another page */
};

/* lab-window.c */
void         lab_window_get_losses          (LabWindow         *self,
                                             const LabSnapshot *snapshot,
                                             char             **train,
                                             char             **test);
/* Shows the run's shape, seed and rate in the controls, unless a drag is pending. */
void         lab_window_sync_shape          (LabWindow         *self);
/* Marks what changed (LAB_DIRTY_*): updated at once while paused, at the
 * next frame (at a bounded rate) while training. */
void         lab_window_mark_dirty          (LabWindow         *self,
                                             guint              what);

/* lab-window-actions.c */
/* The split the time step in the controls gives, in the sidebar. */
void         lab_window_update_split        (LabWindow         *self);

/* lab-window-actions.c */
void         lab_window_add_actions         (LabWindow         *self);
void         lab_window_connect_controls    (LabWindow         *self);
void         lab_window_class_bind_controls (GtkWidgetClass    *widget_class);

/* lab-window-files.c */
void         lab_window_add_file_actions    (LabWindow         *self);
void         lab_window_close_chooser       (LabWindow         *self);

/* lab-window-data.c */
void         lab_window_class_bind_data     (GtkWidgetClass    *widget_class);
void         lab_window_data_init           (LabWindow         *self);
void         lab_window_data_dispose        (LabWindow         *self);
/* The forecast, the baselines (when shown), the units of the shown snapshot. */
void         lab_window_data_fill_forecast  (LabWindow         *self,
                                             const LabSnapshot *snapshot,
                                             LabForecastData   *data);
/* The test errors under the status line, of the shown epoch. */
void         lab_window_data_update_metrics (LabWindow         *self);
/* "Sine wave", "Mauna Loa CO2, weekly, 1958–2001", "data.csv": what is learned. */
const char  *lab_window_data_get_title      (LabWindow         *self);

/* lab-window-compare.c */
void         lab_window_compare_init        (LabWindow         *self);
void         lab_window_compare_dispose     (LabWindow         *self);
/* The model whose hidden state, gates and unrolled network are shown. */
LabRun      *lab_window_get_focus_run       (LabWindow         *self);
/* Its label in compare mode, for the views' titles; NULL with one model. */
const char  *lab_window_get_focus_label     (LabWindow         *self);
/* In compare mode, the models of each overlay (nothing with one model),
 * borrowed from the runs: to be given to the views at once. */
void         lab_window_compare_fill_forecast (LabWindow       *self,
                                             LabForecastData   *data);
void         lab_window_compare_fill_loss   (LabWindow         *self,
                                             LabLossData       *data);
void         lab_window_compare_fill_gradient (LabWindow       *self,
                                             LabGradientData   *data,
                                             LabGradientSeries *series);
/* The models bar's numbers (at the status line's rate). */
void         lab_window_compare_update_bar  (LabWindow         *self);

/* lab-window-presenter.c */
void         lab_window_class_bind_classroom (GtkWidgetClass   *widget_class);
void         lab_window_add_view_actions    (LabWindow         *self);
void         lab_window_update_plot_style   (LabWindow         *self);
void         lab_window_update_help         (LabWindow         *self);
/* The cell's forward equations, and W_hh's spectral radius now (RNN, else
 * NULL), as Pango markup for the help popovers. */
const char  *lab_window_cell_equations      (RnnCell            cell);
char        *lab_window_spectral_radius_markup (LabWindow      *self);
/* One step of BPTT through a plain RNN, as markup (the same in every language). */
#define LAB_BPTT_RNN_MARKUP \
  "∂L/∂h<sub>t−1</sub> = W<sub>hh</sub><sup>T</sup> (∂L/∂h<sub>t</sub> ⊙ (1 − h<sub>t</sub>²))"

/* lab-window-unrolled.c */
void         lab_window_class_bind_unrolled (GtkWidgetClass    *widget_class);
void         lab_window_unrolled_init       (LabWindow         *self);
void         lab_window_unrolled_dispose    (LabWindow         *self);
/* The unrolled network and the step picked, for window of s. */
void         lab_window_update_unrolled     (LabWindow         *self,
                                             LabSnapshot       *s,
                                             int                window);
/* The teacher stepped one epoch: animate the passes when the page is shown. */
void         lab_window_unrolled_stepped    (LabWindow         *self);
char        *lab_window_unrolled_help_markup (LabWindow        *self);
/* The size of the step panel in its popover (for exports). */
void         lab_window_unrolled_get_step_size (LabWindow      *self,
                                             int               *width,
                                             int               *height);

G_END_DECLS
