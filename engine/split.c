/* split.c: the helper thread of split.h, POSIX threads.
 *
 * (Not C11 <threads.h>: glibc builds thrd_create and mtx_lock on its
 * internal pthread calls, which ThreadSanitizer does not intercept, so a
 * thread started with thrd_create crashes under it and the hand-over below
 * would be invisible to it.)
 *
 * A handshake on one mutex and one condition variable: the caller posts a
 * job (generation `posted` moves on), the helper runs it and marks it done
 * (`done` catches up). The helper sleeps between jobs; twice an epoch it is
 * woken, which costs microseconds against the milliseconds of a phase. */
#include "engine/split.h"

#include <cblas.h>
#include <stdlib.h>
#include <pthread.h>

#undef I

#ifdef OPENBLAS_VERSION
#define RNN_HAVE_OPENBLAS_THREADS 1
#endif

struct RnnSplit
{
  pthread_t       thread;
  pthread_mutex_t lock;
  pthread_cond_t  cond; /* signalled on every change below */
  RnnSplitFunc    fn;   /* the job, valid while posted != done */
  void           *arg;
  unsigned long   posted; /* jobs handed over */
  unsigned long   done;   /* jobs finished by the helper */
  int             quit;
};

static void *
helper_main (void *data)
{
  RnnSplit *sp = data;

  pthread_mutex_lock (&sp->lock);
  for (;;)
    {
      while (sp->done == sp->posted && !sp->quit)
        pthread_cond_wait (&sp->cond, &sp->lock);
      if (sp->quit)
        break;
      RnnSplitFunc fn = sp->fn;
      void *arg = sp->arg;
      pthread_mutex_unlock (&sp->lock);

      fn (arg, 1);

      pthread_mutex_lock (&sp->lock);
      sp->done = sp->posted;
      pthread_cond_broadcast (&sp->cond);
    }
  pthread_mutex_unlock (&sp->lock);
  return NULL;
}

RnnSplit *
rnn_split_new (void)
{
  RnnSplit *sp = calloc (1, sizeof *sp);
  if (sp == NULL)
    return NULL;

  pthread_mutex_init (&sp->lock, NULL);
  pthread_cond_init (&sp->cond, NULL);
  if (pthread_create (&sp->thread, NULL, helper_main, sp) != 0)
    {
      pthread_cond_destroy (&sp->cond);
      pthread_mutex_destroy (&sp->lock);
      free (sp);
      return NULL;
    }
  return sp;
}

void
rnn_split_free (RnnSplit *sp)
{
  if (sp == NULL)
    return;
  pthread_mutex_lock (&sp->lock);
  sp->quit = 1;
  pthread_cond_broadcast (&sp->cond);
  pthread_mutex_unlock (&sp->lock);
  pthread_join (sp->thread, NULL);
  pthread_cond_destroy (&sp->cond);
  pthread_mutex_destroy (&sp->lock);
  free (sp);
}

void
rnn_split_run (RnnSplit     *sp,
               RnnSplitFunc  fn,
               void         *arg)
{
#ifdef RNN_HAVE_OPENBLAS_THREADS
  /* each half's products run on the thread that calls them */
  int blas_threads = openblas_get_num_threads ();
  if (blas_threads != 1)
    openblas_set_num_threads (1);
#endif

  pthread_mutex_lock (&sp->lock);
  sp->fn = fn;
  sp->arg = arg;
  sp->posted++;
  pthread_cond_broadcast (&sp->cond);
  pthread_mutex_unlock (&sp->lock);

  fn (arg, 0);

  pthread_mutex_lock (&sp->lock);
  while (sp->done != sp->posted)
    pthread_cond_wait (&sp->cond, &sp->lock);
  pthread_mutex_unlock (&sp->lock);

#ifdef RNN_HAVE_OPENBLAS_THREADS
  if (blas_threads != 1)
    openblas_set_num_threads (blas_threads);
#endif
}
