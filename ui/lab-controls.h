/* lab-controls.h: the sidebar's controls as one widget with properties:
 * the shape (hidden-size, time-step), the learning rate, the epoch limit,
 * the seed, the playback speed and the heatmap's window, each in its own
 * units (a learning rate, epochs per second), whatever the slider does
 * underneath. The window and GSettings bind to these properties; nobody
 * reaches into the sliders. */
#pragma once

#include <gtk/gtk.h>

#include "engine/rnn.h"

G_BEGIN_DECLS

/* The speed slider's notches, in epochs per second; 0 = as fast as possible. */
#define LAB_CONTROLS_N_SPEEDS      11
#define LAB_CONTROLS_DEFAULT_SPEED 20.0

#define LAB_TYPE_CONTROLS (lab_controls_get_type ())
G_DECLARE_FINAL_TYPE (LabControls, lab_controls, LAB, CONTROLS, GtkBox)

/* The cell (engine/rnn.h); its "cell" property is rnn_cell_name's. */
RnnCell lab_controls_get_cell          (LabControls *self);
void    lab_controls_set_cell          (LabControls *self, RnnCell cell);
/* Gradient clipping's maximum norm; 0: off ("clip-grad-norm"). */
double  lab_controls_get_clip_grad_norm (LabControls *self);
void    lab_controls_set_clip_grad_norm (LabControls *self, double max_norm);
/* "2,701 parameters" */
char   *lab_controls_format_n_params   (gsize n_params);
int     lab_controls_get_hidden_size   (LabControls *self);
void    lab_controls_set_hidden_size   (LabControls *self, int hidden_size);
int     lab_controls_get_time_step     (LabControls *self);
void    lab_controls_set_time_step     (LabControls *self, int time_step);
/* The largest time step the series allows (the slider's end). */
void    lab_controls_set_time_step_max (LabControls *self, int time_step_max);
/* The rate shown in the spin button and used: as typed (any value in
 * range, kept exactly), or a notch of the slider (1, 2, 5 per decade: keys
 * and clicks step from notch to notch, a drag lands on the nearest); moved
 * by other means, the slider's value with two significant digits. */
double  lab_controls_get_learning_rate (LabControls *self);
void    lab_controls_set_learning_rate (LabControls *self, double lr);
int     lab_controls_get_epochs        (LabControls *self);
void    lab_controls_set_epochs        (LabControls *self, int epochs);
guint64 lab_controls_get_seed          (LabControls *self);
void    lab_controls_set_seed          (LabControls *self, guint64 seed);
/* Epochs per second, 0 as fast as possible; setting it picks the nearest
 * notch (0 only matches 0). */
double  lab_controls_get_speed         (LabControls *self);
void    lab_controls_set_speed         (LabControls *self, double speed);
/* The window whose hidden states the heatmap shows, 0 .. n_windows - 1. */
int     lab_controls_get_window        (LabControls *self);
void    lab_controls_set_window        (LabControls *self, int window);
void    lab_controls_set_n_windows     (LabControls *self, int n_windows);

/* Under the time step: "62 train · 27 test windows" (n_train 0: does not fit). */
void    lab_controls_set_split         (LabControls *self, int n_train, int n_test);

/* A learning rate as the spin button shows it: the shortest text that
 * reads back as the same double ("0.01", "0.0032"); and reading one back
 * (a decimal comma is accepted; FALSE if not a number in the window's range). */
char    *lab_controls_format_lr        (double lr);
gboolean lab_controls_parse_lr         (const char *text, double *lr);

/* "20 epochs/s", "As fast as possible". */
char   *lab_controls_format_speed      (double speed);

G_END_DECLS
