/* run-test-util.c: what the tests of a LabRun with no display share. */
#include "tests/run-test-util.h"

LabSnapshot *
run_test_drain_until (LabRun *run,
                      int     epoch)
{
  gint64 deadline = g_get_monotonic_time () + RUN_TEST_WAIT_US;

  for (;;)
    {
      LabSnapshot *s;

      lab_run_drain (run, 4000);
      s = lab_run_get_shown (run);
      if (s != NULL && s->epoch == epoch
          && s->generation == lab_trainer_get_generation (lab_run_get_trainer (run)))
        return s;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}
