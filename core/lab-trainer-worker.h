/* lab-trainer-worker.h: the worker thread of a LabTrainer. The trainer
 * (lab-trainer.c) makes one and starts the thread; from then on the two
 * talk only through the queues (lab-commands.h, lab-snapshot.h). */
#pragma once

#include "core/lab-commands.h"
#include "core/lab-snapshot.h"

G_BEGIN_DECLS

typedef struct _LabTrainerWorker LabTrainerWorker;

/* A worker for session (taken), built from settings (referenced), that
 * reads commands and pushes reports; snapshots_queued counts the snapshots
 * waiting in reports (atomic, decremented by whoever pops them); max_epochs
 * is the epoch limit until LAB_CMD_SET_MAX_EPOCHS. It starts with a first
 * generation (number 1) pending: epoch 0, paused. */
LabTrainerWorker *lab_trainer_worker_new  (GAsyncQueue    *commands,
                                           GAsyncQueue    *reports,
                                           int            *snapshots_queued,
                                           LabRunSettings *settings,
                                           RnnSession     *session,
                                           int             max_epochs);
/* The thread's function: runs until LAB_CMD_QUIT, then frees the worker. */
gpointer          lab_trainer_worker_main (gpointer        worker);

G_END_DECLS
