/* bench-window.c: the window's performance figures, one line each, against
 * the targets of the design (section 8):
 *
 * - the time from main () to the first frame of the 1280x800 window;
 * - frames per second while the trainer runs at full speed, from the frame
 *   clock (its own estimate, and frames counted over the run), with the worst
 *   interval between two frames;
 * - the UI thread's share of a core while the trainer runs at full speed
 *   (target: under half a core);
 * - the time to draw each plot with the window's data, at its size on screen
 *   and at 1280x800, through lab_plot_view_draw () into an image surface;
 * - the training speed in the window (epochs per second while playing)
 *   against the same shape with no window, in the same run: the engine
 *   driven directly with the trainer's work per epoch (one training epoch
 *   and the test loss), just before and just after the window's run; the
 *   trainer thread alone; and the engine as the headless command line
 *   drives it (an epoch and a full evaluation). On a shared machine the
 *   threads' time on a CPU and time waiting for one (/proc's schedstat)
 *   tell the load of others apart from the cost of the window.
 *
 *   bench-window [--seconds S] [--shape HxT]... [--window-only] [--compare]
 *
 * --window-only runs the window and counts its frames and epochs, nothing
 * else (for a profiler). --compare trains RNN, LSTM and GRU side by side
 * (the Compare menu's first entry) at each shape, and counts the frames
 * (the headless figures, of one model, are left out).
 * The shapes default to the tutorial's (50x10), the medium's hidden size and
 * time step on the window's 100-point series (128x32), and the largest the
 * sliders allow. It needs a display: the benchmark runs it under Xvfb, with
 * GSK_RENDERER=cairo as the ui tests do (set below when the environment does
 * not say otherwise).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <adwaita.h>

#include "app/lab-application.h"
#include "engine/rnn.h"
#include "engine/series.h"
#include "engine/session.h"
#include "ui/lab-controls.h"
#include "ui/lab-window.h"

#define FIRST_FRAME_TARGET_MS 500.0
#define FPS_TARGET            55.0
#define DRAW_TARGET_MS        2.0
#define SLOWDOWN_TARGET       0.20
#define UI_THREAD_TARGET      0.50   /* of one core, while training at full speed */
#define DRAW_REPS             200
#define WARMUP_US             (G_USEC_PER_SEC / 2)
#define MAX_SHAPES            8

static gint64 main_start_us;
static gboolean window_only;
static gboolean compare;

/* Time and CPU */

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
cpu_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("unknown");
  fields = g_strsplit (g_strstrip (text), " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("unknown");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

static char *
cpu_model (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL))
    return g_strdup ("unknown CPU");
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name"))
      {
        const char *colon = strchr (lines[i], ':');

        if (colon != NULL)
          return g_strstrip (g_strdup (colon + 1));
      }
  return g_strdup ("unknown CPU");
}

/* Time on a CPU and time spent runnable but waiting for one (ns), summed
 * over this process's threads named comm (NULL: the calling thread), from
 * /proc's schedstat. The wait is what a busy machine takes away. */
typedef struct
{
  double run_ms;
  double wait_ms;
} SchedTime;

static gboolean
read_schedstat (const char *path,
                SchedTime  *out)
{
  g_autofree char *text = NULL;
  guint64 run, wait;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &run, &wait) != 2)
    return FALSE;
  out->run_ms += run / 1e6;
  out->wait_ms += wait / 1e6;
  return TRUE;
}

static SchedTime
sched_time (const char *comm)
{
  SchedTime t = { 0, 0 };
  g_autoptr(GDir) dir = NULL;
  const char *tid;

  if (comm == NULL)
    {
      read_schedstat ("/proc/thread-self/schedstat", &t);
      return t;
    }
  dir = g_dir_open ("/proc/self/task", 0, NULL);
  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *stat_path = g_strdup_printf ("/proc/self/task/%s/schedstat", tid);
      g_autofree char *name = NULL;

      if (g_file_get_contents (comm_path, &name, NULL, NULL) &&
          strcmp (g_strstrip (name), comm) == 0)
        read_schedstat (stat_path, &t);
    }
  return t;
}

static SchedTime
sched_since (const char *comm,
             SchedTime   start)
{
  SchedTime now = sched_time (comm);

  return (SchedTime) { now.run_ms - start.run_ms, now.wait_ms - start.wait_ms };
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The main loop */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until cond holds (NULL: never) or timeout_us pass. */
static gboolean
run_until (Condition cond,
           gpointer  data,
           gint64    timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  guint wake = g_timeout_add (5, wake_cb, NULL);
  gboolean met = FALSE;

  while (!(met = cond != NULL && cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return met;
}

/* Frames */

typedef struct
{
  GdkFrameClock *clock;
  gint64         first_paint_us;   /* 0 until the first frame is drawn */
  gboolean       first_had_data;   /* the views had the data at the first frame */
  gint64         begin_us;         /* before-paint of the frame in progress */

  gboolean       counting;
  guint          frames;           /* after-paint, while counting */
  guint          renders;          /* frames that drew the surface */
  gint64         first_us, last_us;
  gint64         worst_interval_us;
  gint64         worst_work_us;    /* before-paint to after-paint */
  gint64         work_us;
  /* CPU time of the main thread in each phase, summed over the frames:
   * update (the window's tick: draining the trainer, new data for the
   * views), layout, paint (snapshot and render). */
  double         cpu_mark;
  double         cpu_update, cpu_layout, cpu_paint;
} FrameStats;

static FrameStats frame_stats;
static LabWindow *bench_window;

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  frame_stats.begin_us = g_get_monotonic_time ();
  frame_stats.cpu_mark = cpu_ms (CLOCK_THREAD_CPUTIME_ID);
}

/* Connected after GTK's own handlers of each phase: each marks its end. */
static void
phase_end_cb (GdkFrameClock *clock,
              gpointer       user_data)
{
  double *sum = user_data;
  double now = cpu_ms (CLOCK_THREAD_CPUTIME_ID);

  if (frame_stats.counting)
    *sum += now - frame_stats.cpu_mark;
  frame_stats.cpu_mark = now;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  FrameStats *f = &frame_stats;
  gint64 now = g_get_monotonic_time ();

  if (f->first_paint_us == 0)
    {
      f->first_paint_us = now;
      f->first_had_data =
        bench_window != NULL &&
        lab_plot_view_get_forecast (lab_window_get_plot_view (bench_window, LAB_PLOT_KIND_FORECAST)) != NULL;
    }

  if (!f->counting)
    return;

  if (f->frames == 0)
    f->first_us = now;
  else
    f->worst_interval_us = MAX (f->worst_interval_us, now - f->last_us);
  f->last_us = now;
  f->frames++;
  if (f->begin_us > 0)
    {
      f->work_us += now - f->begin_us;
      f->worst_work_us = MAX (f->worst_work_us, now - f->begin_us);
    }
}

/* GdkSurface::render: the frame drew something. */
static gboolean
render_hook (GSignalInvocationHint *hint,
             guint                  n_params,
             const GValue          *params,
             gpointer               user_data)
{
  if (frame_stats.counting)
    frame_stats.renders++;
  return TRUE;
}

static void
window_realize_cb (GtkWidget *widget,
                   gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  frame_stats.clock = clock;
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect (clock, "update", G_CALLBACK (phase_end_cb), &frame_stats.cpu_update);
  g_signal_connect (clock, "layout", G_CALLBACK (phase_end_cb), &frame_stats.cpu_layout);
  g_signal_connect (clock, "paint", G_CALLBACK (phase_end_cb), &frame_stats.cpu_paint);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

static gint64 window_added_us;

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  if (!LAB_IS_WINDOW (window) || bench_window != NULL)
    return;
  window_added_us = g_get_monotonic_time ();
  bench_window = LAB_WINDOW (window);
  g_signal_connect_after (window, "realize", G_CALLBACK (window_realize_cb), NULL);
}

static gboolean
first_frame_drawn (gpointer data)
{
  return frame_stats.first_paint_us != 0;
}

/* The window's controls */

static GtkWidget *
child (const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (bench_window), LAB_TYPE_WINDOW, name);

  if (object == NULL)
    object = gtk_widget_get_template_child (lab_window_get_controls (bench_window),
                                            LAB_TYPE_CONTROLS, name);
  if (object == NULL)
    g_error ("the window has no %s", name);
  return GTK_WIDGET (object);
}

static void
set_range_to (const char *name,
              double      value)
{
  gtk_range_set_value (GTK_RANGE (child (name)), value);
}

static double
range_upper (const char *name)
{
  return gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (child (name))));
}

static void
set_playing (gboolean playing)
{
  if (lab_window_get_playing (bench_window) != playing)
    g_action_group_activate_action (G_ACTION_GROUP (bench_window), "play", NULL);
}

typedef struct
{
  int H;
  int T;
} Shape;

static gboolean
shape_is_shown (gpointer data)
{
  const Shape *shape = data;
  LabSnapshot *s = lab_window_get_latest_snapshot (bench_window);

  return s != NULL && s->hidden_size == shape->H && s->time_step == shape->T && s->epoch == 0;
}

static gboolean
trainer_is_paused (gpointer data)
{
  return lab_window_get_state (bench_window) != LAB_TRAINER_RUNNING;
}

/* Plot draw times */

static void
time_plot (const char  *shape_name,
           LabPlotKind  kind,
           int          width,
           int          height,
           const char  *where)
{
  LabPlotView *view = lab_window_get_plot_view (bench_window, kind);
  cairo_surface_t *surface;
  cairo_t *cr;
  double wall[DRAW_REPS], cpu[DRAW_REPS];
  g_autofree char *what = NULL;
  double median, worst;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  lab_plot_view_draw (view, cr, width, height); /* the font caches */
  for (int i = 0; i < DRAW_REPS; i++)
    {
      double t0 = now_ms (), c0 = cpu_ms (CLOCK_THREAD_CPUTIME_ID);

      lab_plot_view_draw (view, cr, width, height);
      cairo_surface_flush (surface);
      wall[i] = now_ms () - t0;
      cpu[i] = cpu_ms (CLOCK_THREAD_CPUTIME_ID) - c0;
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  qsort (wall, DRAW_REPS, sizeof (double), compare_doubles);
  qsort (cpu, DRAW_REPS, sizeof (double), compare_doubles);
  median = wall[DRAW_REPS / 2];
  worst = wall[DRAW_REPS - 1];

  if (kind == LAB_PLOT_KIND_LOSS)
    what = g_strdup_printf ("loss (%d epochs)", lab_plot_view_get_loss (view)->n_epochs);
  else if (kind == LAB_PLOT_KIND_HIDDEN)
    what = g_strdup_printf ("hidden (H %d, T %d)", lab_plot_view_get_hidden (view)->hidden_size,
                            lab_plot_view_get_hidden (view)->time_step);
  else
    what = g_strdup_printf ("forecast (%d windows)", lab_plot_view_get_forecast (view)->n_windows);

  printf ("draw %-9s %-22s %-9s %4dx%-4d median %6.3f ms  max %6.3f ms  (CPU median %6.3f, max %6.3f) over %d  target (median) < %.0f ms: %s\n",
          shape_name, what, where, width, height, median, worst,
          cpu[DRAW_REPS / 2], cpu[DRAW_REPS - 1], DRAW_REPS,
          DRAW_TARGET_MS, median < DRAW_TARGET_MS ? "met" : "MISSED");
}

static void
time_plots (const char *shape_name)
{
  for (LabPlotKind kind = LAB_PLOT_KIND_FORECAST; kind <= LAB_PLOT_KIND_HIDDEN; kind++)
    {
      GtkWidget *view = GTK_WIDGET (lab_window_get_plot_view (bench_window, kind));

      time_plot (shape_name, kind, gtk_widget_get_width (view), gtk_widget_get_height (view),
                 "on screen");
      time_plot (shape_name, kind, 1280, 800, "full");
    }
  fflush (stdout);
}

/* Training speed with no window */

static RnnConfig
shape_config (const Shape *shape)
{
  RnnConfig config = *lab_window_get_config (bench_window);

  config.hidden_size = shape->H;
  config.time_step = shape->T;
  return config;
}

/* The engine with no thread and no window, epochs per second. With
 * full_evaluate, as the headless command line trains: an epoch, then a
 * forward pass over every window. Without, as the trainer does per epoch:
 * an epoch, then the test loss (a forward pass over the test windows). */
static double
engine_epochs_per_second (const RnnConfig *config,
                          gboolean         full_evaluate,
                          double           seconds,
                          SchedTime       *sched)
{
  RnnStatus status;
  RnnSession *s = rnn_session_new (config, &status);
  const RnnDataset *d;
  RnnModel *m;
  int T, Nt;
  g_autofree float *x_test = NULL;
  g_autofree float *hs_test = NULL;
  g_autofree float *y_test = NULL;
  double t0, elapsed;
  float loss, test_mse;
  int epochs = 0;
  SchedTime sched0;

  if (s == NULL)
    g_error ("cannot build a session of H %d, T %d (status %d)",
             config->hidden_size, config->time_step, status);
  rnn_session_init_seed (s, 0);
  d = rnn_session_dataset (s);
  m = rnn_session_model (s);
  T = d->T;
  Nt = d->N - d->n_train;

  /* x_test (T, Nt) time-major, hs_test (T + 1, Nt, H), y_test (Nt) */
  x_test = g_new (float, (gsize) T * Nt);
  hs_test = g_new (float, (gsize) (T + 1) * Nt * m->H);
  y_test = g_new (float, Nt);
  for (int t = 0; t < T; t++)
    for (int j = 0; j < Nt; j++)
      x_test[t * Nt + j] = d->X[(gsize) t * d->N + d->n_train + j];

  /* A few epochs to warm the caches, then the clock. */
  for (int i = 0; i < 3; i++)
    rnn_session_train_epoch (s, &loss, NULL);
  sched0 = sched_time (NULL);
  t0 = now_ms ();
  do
    {
      if (rnn_session_train_epoch (s, &loss, NULL) != RNN_OK)
        rnn_session_init_seed (s, 0);
      if (full_evaluate)
        rnn_session_evaluate (s, NULL, NULL, &test_mse);
      else
        {
          rnn_model_forward (y_test, hs_test, x_test, m, T, Nt);
          mse_forward (&test_mse, y_test, d->Y + d->n_train, Nt);
        }
      epochs++;
    }
  while ((elapsed = now_ms () - t0) < seconds * 1e3);
  if (sched != NULL)
    {
      SchedTime t = sched_since (NULL, sched0);

      sched->run_ms += t.run_ms * 1e3 / elapsed;   /* per second of the run */
      sched->wait_ms += t.wait_ms * 1e3 / elapsed;
    }

  rnn_session_free (s);
  return epochs / (elapsed / 1e3);
}

/* The trainer thread on its own, its reports drained as the window does. */
static double
trainer_epochs_per_second (const RnnConfig *config,
                           double           seconds,
                           SchedTime       *sched)
{
  g_autoptr(LabRunSettings) settings = lab_run_settings_new_seeded (config, 0);
  g_autoptr(LabTrainer) trainer = lab_trainer_new (settings);
  gint64 warm_end, start, end, now;
  SchedTime sched0;
  int epochs = 0;

  lab_trainer_set_speed (trainer, 0);
  lab_trainer_set_max_epochs (trainer, 0);
  lab_trainer_play (trainer);

  warm_end = g_get_monotonic_time () + WARMUP_US;
  while (g_get_monotonic_time () < warm_end)
    lab_report_free (lab_trainer_timed_pop_report (trainer, 10000));

  sched0 = sched_time ("lab-trainer");
  start = g_get_monotonic_time ();
  end = start + (gint64) (seconds * G_USEC_PER_SEC);
  while ((now = g_get_monotonic_time ()) < end)
    {
      g_autoptr(LabReport) report = lab_trainer_timed_pop_report (trainer, 10000);

      if (report != NULL && report->kind == LAB_REPORT_EPOCH)
        epochs++;
    }
  *sched = sched_since ("lab-trainer", sched0);
  sched->run_ms *= G_USEC_PER_SEC / (double) (now - start);
  sched->wait_ms *= G_USEC_PER_SEC / (double) (now - start);
  lab_trainer_shutdown (trainer);

  return epochs / ((now - start) / (double) G_USEC_PER_SEC);
}

/* How long a new trainer takes to report its first snapshot (the window
 * waits for it while it is built, so that the first frame shows data). */
static double
trainer_first_snapshot_ms (const RnnConfig *config)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(LabRunSettings) settings = lab_run_settings_new_seeded (config, 0);
  g_autoptr(LabTrainer) trainer = lab_trainer_new (settings);
  double ms = -1;

  for (;;)
    {
      g_autoptr(LabReport) report = lab_trainer_timed_pop_report (trainer, G_USEC_PER_SEC);

      if (report == NULL)
        break;
      if (report->kind == LAB_REPORT_SNAPSHOT)
        {
          ms = (g_get_monotonic_time () - start) / 1e3;
          break;
        }
    }
  lab_trainer_shutdown (trainer);
  return ms;
}

/* One shape: the window playing at full speed, then the plots, then the
 * same shape with no window. */
static void
run_shape (const Shape *shape,
           double       seconds)
{
  g_autofree char *name = g_strdup_printf ("H%dxT%d%s", shape->H, shape->T, compare ? "x3" : "");
  g_autofree char *load = NULL;
  LabHistory *history = lab_window_get_history (bench_window);
  RnnConfig config;
  double main_cpu0, proc_cpu0, main_cpu, proc_cpu, elapsed_s, fps_counted, fps_clock;
  double window_rate, engine_before = 0, engine_after, engine_rate, trainer_rate, cli_rate, slower;
  double headless_s = MIN (seconds / 2, 4.0);
  SchedTime engine_sched = { 0, 0 }, trainer_sched, window_sched, window_sched0;
  int epoch0, epoch1, n0, n1;
  gint64 run_start;
  double run_s;

  set_playing (FALSE);
  run_until (trainer_is_paused, NULL, 5 * G_USEC_PER_SEC);
  if (lab_window_get_config (bench_window)->hidden_size != shape->H ||
      lab_window_get_config (bench_window)->time_step != shape->T)
    {
      set_range_to ("hidden_size_scale", shape->H);
      set_range_to ("time_step_scale", shape->T);
      if (!run_until (shape_is_shown, (gpointer) shape, 20 * G_USEC_PER_SEC))
        g_error ("the window did not take the shape H %d, T %d", shape->H, shape->T);
    }
  config = shape_config (shape);
  if (compare)
    {
      g_action_group_activate_action (G_ACTION_GROUP (bench_window), "compare", g_variant_new_string ("cells"));
      run_until (NULL, NULL, 200000);
    }

  /* The headless engine just before, and again just after, the window run:
   * the machine may be shared, so the two are averaged. */
  if (!window_only)
    engine_before = engine_epochs_per_second (&config, FALSE, headless_s, &engine_sched);

  set_playing (TRUE);
  run_until (NULL, NULL, WARMUP_US);

  frame_stats.frames = frame_stats.renders = 0;
  frame_stats.first_us = frame_stats.last_us = 0;
  frame_stats.worst_interval_us = frame_stats.worst_work_us = frame_stats.work_us = 0;
  frame_stats.cpu_update = frame_stats.cpu_layout = frame_stats.cpu_paint = 0;
  frame_stats.counting = TRUE;
  run_start = g_get_monotonic_time ();
  epoch0 = lab_window_get_epoch (bench_window);
  n0 = lab_history_get_n_epochs (history);
  main_cpu0 = cpu_ms (CLOCK_THREAD_CPUTIME_ID);
  proc_cpu0 = cpu_ms (CLOCK_PROCESS_CPUTIME_ID);
  window_sched0 = sched_time ("lab-trainer");

  run_until (NULL, NULL, (gint64) (seconds * G_USEC_PER_SEC));

  frame_stats.counting = FALSE;
  run_s = (g_get_monotonic_time () - run_start) / (double) G_USEC_PER_SEC;
  epoch1 = lab_window_get_epoch (bench_window);
  n1 = lab_history_get_n_epochs (history);
  main_cpu = cpu_ms (CLOCK_THREAD_CPUTIME_ID) - main_cpu0;
  proc_cpu = cpu_ms (CLOCK_PROCESS_CPUTIME_ID) - proc_cpu0;
  window_sched = sched_since ("lab-trainer", window_sched0);
  fps_clock = frame_stats.clock != NULL ? gdk_frame_clock_get_fps (frame_stats.clock) : 0;
  set_playing (FALSE);

  elapsed_s = (frame_stats.last_us - frame_stats.first_us) / (double) G_USEC_PER_SEC;
  fps_counted = frame_stats.frames > 1 ? (frame_stats.frames - 1) / elapsed_s : 0;
  window_rate = (n1 - n0) / run_s;
  load = load_average ();

  printf ("fps  %-9s %.1f fps counted (%u frames in %.2f s, %u drawn), frame clock %.1f fps, "
          "worst interval %.1f ms, frame work mean %.2f ms max %.1f ms; "
          "CPU: main thread %.0f%%, process %.0f%%; load %s  target >= %.0f fps: %s\n",
          name, fps_counted, frame_stats.frames, elapsed_s, frame_stats.renders, fps_clock,
          frame_stats.worst_interval_us / 1e3,
          frame_stats.frames > 0 ? frame_stats.work_us / 1e3 / frame_stats.frames : 0,
          frame_stats.worst_work_us / 1e3,
          100 * main_cpu / (run_s * 1e3), 100 * proc_cpu / (run_s * 1e3), load,
          FPS_TARGET, MIN (fps_counted, fps_clock) >= FPS_TARGET ? "met" : "MISSED");
  /* The UI thread's share of a core (its CPU time, CLOCK_THREAD_CPUTIME_ID,
   * the same as getrusage (RUSAGE_THREAD)), and as the scheduler saw it. */
  printf ("ui   %-9s UI thread %.0f%% of a core while training at full speed "
          "(%.0f ms CPU in %.1f s; trainer thread %.0f%%)  target < %.0f%%: %s\n",
          name, 100 * main_cpu / (run_s * 1e3), main_cpu, run_s,
          window_sched.run_ms / (run_s * 10), 100 * UI_THREAD_TARGET,
          main_cpu / (run_s * 1e3) < UI_THREAD_TARGET ? "met" : "MISSED");
  if (frame_stats.frames > 0)
    printf ("frame %-9s main thread CPU per frame: update (the tick) %.2f ms, layout %.2f ms, "
            "paint (snapshot and render) %.2f ms\n",
            name, frame_stats.cpu_update / frame_stats.frames,
            frame_stats.cpu_layout / frame_stats.frames, frame_stats.cpu_paint / frame_stats.frames);
  fflush (stdout);

  run_until (trainer_is_paused, NULL, 5 * G_USEC_PER_SEC);
  /* The views catch up with the last epochs, then the plots are timed with
   * the whole history. */
  run_until (NULL, NULL, 200000);
  if (window_only)
    return;
  time_plots (name);

  engine_after = engine_epochs_per_second (&config, FALSE, headless_s, &engine_sched);
  trainer_rate = trainer_epochs_per_second (&config, headless_s, &trainer_sched);
  cli_rate = engine_epochs_per_second (&config, TRUE, headless_s / 2, NULL);
  engine_rate = (engine_before + engine_after) / 2;
  engine_sched.run_ms /= 2;
  engine_sched.wait_ms /= 2;
  slower = 1 - window_rate / engine_rate;

  /* Epochs per second of CPU time: what the machine's other load does not
   * change (the thread's share of a core is shown next to it). */
  printf ("train %-9s window %.0f epochs/s (%d epochs in %.1f s, epoch counter %d -> %d; trainer thread "
          "on a CPU %.0f%%, waiting for one %.0f%%; %.0f epochs per CPU-second)\n",
          name, window_rate, n1 - n0, run_s, epoch0, epoch1,
          window_sched.run_ms / (run_s * 10), window_sched.wait_ms / (run_s * 10),
          (n1 - n0) / (window_sched.run_ms / 1e3));
  printf ("train %-9s headless engine %.0f epochs/s (%.0f before, %.0f after; epoch + test loss as the "
          "trainer does; on a CPU %.0f%%, waiting %.0f%%; %.0f per CPU-second); trainer alone %.0f epochs/s "
          "(on a CPU %.0f%%, waiting %.0f%%); engine as the command line (epoch + full evaluate) %.0f epochs/s\n",
          name, engine_rate, engine_before, engine_after,
          engine_sched.run_ms / 10, engine_sched.wait_ms / 10,
          engine_rate / (engine_sched.run_ms / 1e3),
          trainer_rate, trainer_sched.run_ms / 10, trainer_sched.wait_ms / 10, cli_rate);
  printf ("train %-9s window/headless engine %.2f (%.0f%% slower), window/trainer alone %.2f; "
          "per CPU-second window/engine %.2f  target <= %.0f%% slower: %s\n",
          name, window_rate / engine_rate, 100 * slower, window_rate / trainer_rate,
          ((n1 - n0) / (window_sched.run_ms / 1e3)) / (engine_rate / (engine_sched.run_ms / 1e3)),
          100 * SLOWDOWN_TARGET, slower <= SLOWDOWN_TARGET ? "met" : "MISSED");
  fflush (stdout);
}

/* Command line */

static gboolean
parse_shape (const char *text,
             Shape      *shape)
{
  char *end;

  shape->H = (int) strtol (text, &end, 10);
  if (*end != 'x')
    return FALSE;
  shape->T = (int) strtol (end + 1, &end, 10);
  return *end == '\0' && shape->H >= RNN_HIDDEN_MIN && shape->H <= 256 &&
         shape->T >= RNN_TIME_STEP_MIN;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *load = NULL;
  Shape shapes[MAX_SHAPES];
  int n_shapes = 0;
  double seconds = 8;
  gint64 registered_us;
  double first_ms;
  GtkWidget *window;
  gboolean animations;

  main_start_us = g_get_monotonic_time ();

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--seconds") == 0 && i + 1 < argc)
        {
          seconds = g_ascii_strtod (argv[++i], NULL);
          if (!(seconds >= 1 && seconds <= 600))
            {
              fprintf (stderr, "bench-window: --seconds must be from 1 to 600\n");
              return 2;
            }
        }
      else if (strcmp (argv[i], "--shape") == 0 && i + 1 < argc && n_shapes < MAX_SHAPES)
        {
          if (!parse_shape (argv[++i], &shapes[n_shapes++]))
            {
              fprintf (stderr, "bench-window: --shape must be HxT, hidden size 1 to 256, time step from %d\n",
                       RNN_TIME_STEP_MIN);
              return 2;
            }
        }
      else if (strcmp (argv[i], "--window-only") == 0)
        window_only = TRUE;
      else if (strcmp (argv[i], "--compare") == 0)
        compare = window_only = TRUE;
      else
        {
          fprintf (stderr, "usage: bench-window [--seconds S] [--shape HxT]... [--window-only] [--compare]\n");
          return 2;
        }
    }

  /* The environment of the ui tests, unless the caller chose otherwise. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
#ifdef BENCH_SCHEMA_DIR
  g_setenv ("GSETTINGS_SCHEMA_DIR", BENCH_SCHEMA_DIR, FALSE);
#endif
  g_setenv ("ADW_DISABLE_PORTAL", "1", FALSE);

  /* Start-up as the program does it: register, activate (the window, its
   * settings, present). */
  app = GTK_APPLICATION (lab_application_new ());
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("cannot register the application: %s", error->message);
  registered_us = g_get_monotonic_time ();
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                              render_hook, NULL, NULL);
  g_application_activate (G_APPLICATION (app));
  if (bench_window == NULL)
    g_error ("activating the application opened no window");
  if (!run_until (first_frame_drawn, NULL, 30 * G_USEC_PER_SEC))
    g_error ("no frame drawn in 30 s");
  first_ms = (frame_stats.first_paint_us - main_start_us) / 1e3;
  window = GTK_WIDGET (bench_window);

  cpu = cpu_model ();
  load = load_average ();
  g_object_get (gtk_settings_get_default (), "gtk-enable-animations", &animations, NULL);
  printf ("machine: %s, %d cores; load average %s at start\n", cpu, g_get_num_processors (), load);
  printf ("versions: GTK %u.%u.%u, libadwaita %u.%u.%u, cairo %s; engine products by OpenBLAS\n",
          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
          adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
          cairo_version_string ());
  printf ("environment: GSK_RENDERER=%s, GSETTINGS_BACKEND=%s, display %s (%s), animations %s, renderer %s\n",
          g_getenv ("GSK_RENDERER"), g_getenv ("GSETTINGS_BACKEND"),
          gdk_display_get_name (gtk_widget_get_display (window)),
          G_OBJECT_TYPE_NAME (gtk_widget_get_display (window)),
          animations ? "on" : "off",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  printf ("first-frame %.1f ms from main (register %.1f ms, window built %.1f ms, present to frame %.1f ms), "
          "window %dx%d (surface %dx%d), views with data: %s  target < %.0f ms: %s\n",
          first_ms, (registered_us - main_start_us) / 1e3,
          (window_added_us - registered_us) / 1e3,
          (frame_stats.first_paint_us - window_added_us) / 1e3,
          gtk_widget_get_width (window), gtk_widget_get_height (window),
          gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))),
          gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window))),
          frame_stats.first_had_data ? "yes" : "no",
          FIRST_FRAME_TARGET_MS, first_ms < FIRST_FRAME_TARGET_MS ? "met" : "MISSED");
  {
    RnnConfig config = *lab_window_get_config (bench_window);
    double a = trainer_first_snapshot_ms (&config), b = trainer_first_snapshot_ms (&config);

    printf ("first-frame parts: a new trainer's first snapshot %.1f ms, %.1f ms (the window waits for it "
            "while it is built); GDK_DEBUG=%s\n", a, b,
            g_getenv ("GDK_DEBUG") != NULL ? g_getenv ("GDK_DEBUG") : "(unset: GL is initialised at start-up)");
  }
  fflush (stdout);

  if (n_shapes == 0)
    {
      shapes[n_shapes++] = (Shape) { 50, 10 };
      shapes[n_shapes++] = (Shape) { 128, 32 };
      shapes[n_shapes++] = (Shape) { (int) range_upper ("hidden_size_scale"),
                                     (int) range_upper ("time_step_scale") };
    }

  /* Full speed, no epoch limit within the run. */
  set_range_to ("speed_scale", range_upper ("speed_scale"));
  if (lab_window_get_speed (bench_window) > 0)
    g_error ("the speed slider's last notch is not unlimited");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child ("epochs_spin")),
                             gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (child ("epochs_spin")))));

  for (int i = 0; i < n_shapes; i++)
    {
      if (shapes[i].T > range_upper ("time_step_scale") || shapes[i].H > range_upper ("hidden_size_scale"))
        {
          printf ("shape H%dxT%d: beyond the sliders (hidden size up to %.0f, time step up to %.0f), skipped\n",
                  shapes[i].H, shapes[i].T, range_upper ("hidden_size_scale"), range_upper ("time_step_scale"));
          continue;
        }
      run_shape (&shapes[i], seconds);
    }

  g_free (load);
  load = load_average ();
  printf ("load average %s at the end\n", load);

  gtk_window_destroy (GTK_WINDOW (bench_window));
  bench_window = NULL;
  run_until (NULL, NULL, 50000);

  return 0;
}
