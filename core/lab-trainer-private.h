/* lab-trainer-private.h: what the two sides of a LabTrainer share (see
 * lab-trainer.c): the commands, the worker's state, the series behind the
 * snapshots, and the queue helpers that ThreadSanitizer can follow. */
#pragma once

#include "core/lab-trainer.h"

G_BEGIN_DECLS

/* The per-epoch test loss runs forward over the test windows in chunks of
 * at most this many, so its scratch stays small for any series. */
#define TEST_CHUNK 256

/* GAsyncQueue hands every command and report from one thread to the other,
 * but GLib is not built with ThreadSanitizer and its futex-based locks are
 * invisible to it. So each item is released before it is pushed and
 * acquired after it is popped, which tells ThreadSanitizer exactly the
 * happens-before edge the queue provides. Reference counts shared across
 * threads use g_atomic_int (inline, so instrumented), not GLib's functions. */
#if defined(__SANITIZE_THREAD__)
# define LAB_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define LAB_TSAN 1
# endif
#endif
#ifdef LAB_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
#endif

static inline void
queue_push (GAsyncQueue *queue,
            gpointer     item)
{
#ifdef LAB_TSAN
  __tsan_release (item);
#endif
  g_async_queue_push (queue, item);
}

static inline void
queue_push_front (GAsyncQueue *queue,
                  gpointer     item)
{
#ifdef LAB_TSAN
  __tsan_release (item);
#endif
  g_async_queue_push_front (queue, item);
}

/* Wraps every pop: returns item (may be NULL). */
static inline gpointer
queue_popped (gpointer item)
{
#ifdef LAB_TSAN
  if (item != NULL)
    __tsan_acquire (item);
#endif
  return item;
}

typedef enum
{
  CMD_PLAY,
  CMD_PAUSE,
  CMD_STEP,
  CMD_RESET,
  CMD_RESEED,
  CMD_SET_SHAPE,
  CMD_LOAD_PARAMS,
  CMD_SET_LR,
  CMD_SET_SPEED,
  CMD_SET_MAX_EPOCHS,
  CMD_SELECT_WINDOW,
  CMD_QUIT,
} LabCommandKind;

typedef struct
{
  LabCommandKind kind;
  guint          generation; /* commands that start a generation: its number */
  int            n;          /* step: epochs; set_shape: hidden size; max epochs; window */
  int            time_step;  /* set_shape */
  double         value;      /* lr, speed */
  guint64        seed;       /* reseed */
  float         *params;     /* set_shape, load_params: starting weights or NULL (owned) */
  gsize          n_params;
} LabCommand;

/* The series of a generation, shared by all its snapshots. */
typedef struct
{
  int   ref_count; /* atomic */
  int   n_points;
  float data[];    /* (n_points) */
} LabSeries;

/* The snapshot as allocated: the public struct, its reference count, and the
 * series it shares with every snapshot of its generation. predictions, hidden
 * and params live in the same block, after this struct. */
typedef struct
{
  LabSnapshot pub;
  int         ref_count; /* atomic */
  LabSeries  *series;
} LabSnapshotReal;

typedef struct
{
  /* Shared with the caller. */
  GAsyncQueue *commands;          /* LabCommand */
  GAsyncQueue *reports;           /* LabReport */
  int         *snapshots_queued;  /* atomic, in the LabTrainer */

  /* The worker's own; the caller touches these only before the thread
   * starts and after it is joined. */
  RnnSession     *session;
  RnnConfig       config;         /* the shape to build on the next rebuild; lr */
  guint64         seed;
  float          *init_params;    /* starting weights of this shape, or NULL: from seed */
  gsize           n_init_params;
  float          *pred;           /* (N) predictions from the last evaluate */
  float          *backup;         /* (n_params) weights before the current update */
  float          *x_test;         /* (T, Nt) per chunk of TEST_CHUNK windows: chunk c is
                                   * (T, nc) time-major at x_test + T * c * TEST_CHUNK */
  float          *hs_test;        /* (T+1, TEST_CHUNK, H) scratch */
  float          *y_test;         /* (TEST_CHUNK) scratch */
  LabSeries      *series;         /* shared with the snapshots */

  guint           generation;     /* the one being reported */
  int             epoch;          /* epochs trained in this generation */
  float           train_mse;      /* the last full evaluate (the last snapshot) */
  float           test_mse;
  float           test_loss;      /* test MSE of the current weights, for the next epoch record */
  LabTrainerState state;
  int             steps_left;     /* step mode: epochs still to run */
  int             max_epochs;     /* <= 0: no limit */
  double          speed;          /* epochs per second, <= 0: unlimited */
  int             window;         /* window for the hidden states */
  gint64          epoch_start;    /* monotonic time the last running epoch began */
  gint64          next_due;       /* running with a speed limit: earliest next epoch */
  gint64          last_snapshot_time;
  gint64          snapshot_cost;  /* microseconds the last snapshot took */
  int             last_snapshot_epoch; /* -1: none in this generation */

  gboolean        pending;        /* a new generation waits to be applied */
  guint           pending_generation;
  gboolean        rebuild;        /* ... and it has a new shape */
} LabTrainerWorker;

LabSeries *lab_series_new                (const float      *data,
                                          int               n_points);
LabSeries *lab_series_ref                (LabSeries        *series);
void       lab_series_unref              (LabSeries        *series);
void       lab_command_free              (LabCommand       *cmd);

void       lab_trainer_worker_alloc_test (LabTrainerWorker *w);
gpointer   lab_trainer_worker_main       (gpointer          data);
void       lab_trainer_worker_free       (LabTrainerWorker *w);

G_END_DECLS
