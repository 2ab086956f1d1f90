/* lab-window-private.h: what lab-window.c and lab-window-actions.c share. */
#pragma once

#include "core/lab-model-io.h"
#include "ui/lab-window.h"

G_BEGIN_DECLS

/* The speed slider's notches, in epochs per second; 0 = as fast as possible. */
#define LAB_WINDOW_N_SPEEDS        11
#define LAB_WINDOW_DEFAULT_SPEED   4
extern const double lab_window_speeds[LAB_WINDOW_N_SPEEDS];

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
  GtkScale            *hidden_size_scale;
  GtkLabel            *hidden_size_value;
  GtkScale            *time_step_scale;
  GtkLabel            *time_step_value;
  GtkScale            *lr_scale;
  GtkLabel            *lr_value;
  GtkSpinButton       *epochs_spin;
  GtkSpinButton       *seed_spin;
  GtkScale            *speed_scale;
  GtkLabel            *speed_value;
  GtkSpinButton       *window_spin;
  LabPlotView         *forecast_view;
  LabPlotView         *loss_view;
  LabPlotView         *hidden_view;
  GtkScale            *timeline_scale;
  GtkAdjustment       *timeline_adjustment;
  GtkLabel            *status_label;
  GtkWidget           *lower_box;
  GtkWidget           *sidebar_button;
  GtkMenuButton       *forecast_help_button;
  GtkMenuButton       *loss_help_button;
  GtkMenuButton       *hidden_help_button;

  LabTrainer          *trainer;
  LabHistory          *history;
  LabModel            *tutorial;        /* the tutorial's initial weights, or NULL */

  /* As last sent to the trainer. */
  RnnConfig            config;
  guint64              seed;
  int                  max_epochs;
  double               speed;

  LabTrainerState      state;
  gboolean             playing;
  char                *message;         /* shown in the banner, or NULL */
  LabSnapshot         *latest;          /* the newest snapshot (a reference) */
  LabSnapshot         *shown;           /* the one in the views (a reference) */
  int                  scrub_epoch;     /* -1: the views follow the latest */
  int                  selected_window;
  float               *hidden;          /* (T, H) selected window of 'shown' */
  gsize                n_hidden;

  guint                n_snapshots;     /* snapshots received, to see news */
  guint                n_epochs_seen;   /* epoch records received, likewise */
  guint                tick_id;
  guint                shape_timeout_id;
  gboolean             updating;        /* controls being set from code */

  /* Classroom: lab-window-export.c, -files.c and -presenter.c */
  LabModel            *initial_model;   /* the opened model this run started from, or NULL */
  GtkFileChooserNative *chooser;        /* the file chooser open now, or NULL */
  char                *file_message;    /* the last toast about a file */
  LabPalette           palette;
  gboolean             presenter;
  gboolean             presenter_was_fullscreen;
  gboolean             presenter_had_sidebar;
  gboolean             presenter_fullscreen;  /* asked of the window manager */

  /* Epochs per second, measured over about half a second. */
  gint64               rate_start;
  int                  rate_epochs;
  double               rate;
};

/* lab-window.c */
double       lab_window_lr_from_scale       (double       value);
char        *lab_window_format_speed        (double       speed);
const float *lab_window_tutorial_params     (LabWindow   *self,
                                             int          hidden_size,
                                             int          time_step,
                                             guint64      seed,
                                             gsize       *n_params);
void         lab_window_start_generation    (LabWindow   *self,
                                             guint        generation);
void         lab_window_go_live             (LabWindow   *self);
void         lab_window_sync_playing        (LabWindow   *self,
                                             gboolean     playing);
void         lab_window_update_title        (LabWindow   *self);
void         lab_window_update_status       (LabWindow   *self);
void         lab_window_update_loss_view    (LabWindow   *self);
void         lab_window_get_losses          (LabWindow   *self,
                                             LabSnapshot *snapshot,
                                             char       **train,
                                             char       **test);

/* lab-window-actions.c */
void         lab_window_add_actions         (LabWindow   *self);
void         lab_window_class_bind_controls (GtkWidgetClass *widget_class);
void         lab_window_update_value_labels (LabWindow   *self);

/* lab-window-files.c */
void         lab_window_add_file_actions    (LabWindow   *self);
void         lab_window_close_chooser       (LabWindow   *self);

/* lab-window-presenter.c */
void         lab_window_class_bind_classroom (GtkWidgetClass *widget_class);
void         lab_window_add_view_actions    (LabWindow   *self);
void         lab_window_update_plot_style   (LabWindow   *self);
void         lab_window_update_help         (LabWindow   *self);

G_END_DECLS
