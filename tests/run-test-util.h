/* run-test-util.h: what the tests of a LabRun with no display share. */
#pragma once

#include "core/lab-run.h"

G_BEGIN_DECLS

/* How long a test waits for a trainer. */
#define RUN_TEST_WAIT_US (60 * G_USEC_PER_SEC)

/* Drains the run as a window's frames would, until its current generation
 * shows `epoch`; returns that snapshot (borrowed). Fails the test after
 * RUN_TEST_WAIT_US. */
LabSnapshot *run_test_drain_until (LabRun *run,
                                   int     epoch);

G_END_DECLS
