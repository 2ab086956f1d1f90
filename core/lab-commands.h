/* lab-commands.h: what goes through a LabTrainer's queues, between the
 * caller's side (lab-trainer.c) and the worker thread
 * (lab-trainer-worker.c): the commands, and the queue helpers that
 * ThreadSanitizer can follow. Private to the trainer. */
#pragma once

#include <glib.h>

#include "core/lab-run-settings.h"

G_BEGIN_DECLS

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
lab_queue_push (GAsyncQueue *queue,
                gpointer     item)
{
#ifdef LAB_TSAN
  __tsan_release (item);
#endif
  g_async_queue_push (queue, item);
}

static inline void
lab_queue_push_front (GAsyncQueue *queue,
                      gpointer     item)
{
#ifdef LAB_TSAN
  __tsan_release (item);
#endif
  g_async_queue_push_front (queue, item);
}

/* Wraps every pop: returns item (may be NULL). */
static inline gpointer
lab_queue_popped (gpointer item)
{
#ifdef LAB_TSAN
  if (item != NULL)
    __tsan_acquire (item);
#endif
  return item;
}

typedef enum
{
  LAB_CMD_PLAY,
  LAB_CMD_PAUSE,
  LAB_CMD_STEP,
  LAB_CMD_RESET,
  LAB_CMD_RESEED,
  LAB_CMD_SET_SHAPE,
  LAB_CMD_LOAD_PARAMS,
  LAB_CMD_SET_SETTINGS,
  LAB_CMD_SET_DATA,
  LAB_CMD_SET_LR,
  LAB_CMD_SET_SPEED,
  LAB_CMD_SET_MAX_EPOCHS,
  LAB_CMD_SELECT_WINDOW,
  LAB_CMD_QUIT,
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
  LabRunSettings *settings;  /* set_settings: the whole settings value (owned reference) */
  RnnConfig      config;     /* set_data: the series and training part */
  LabDataSource *source;     /* set_data: the values of a series that is not generated (a reference) */
} LabCommand;

static inline LabCommand *
lab_command_new (LabCommandKind kind)
{
  LabCommand *cmd = g_new0 (LabCommand, 1);

  cmd->kind = kind;
  return cmd;
}

static inline void
lab_command_free (LabCommand *cmd)
{
  g_free (cmd->params);
  g_clear_pointer (&cmd->settings, lab_run_settings_unref);
  g_clear_pointer (&cmd->source, lab_data_source_unref);
  g_free (cmd);
}

G_END_DECLS
