/* forecast.c: the free-running forecast (forecast.h). */
#include "engine/forecast.h"

#include <assert.h>
#include <string.h>

size_t
rnn_forecast_scratch_size (int T,
                           int H,
                           int steps)
{
  return (size_t) (T + steps) + (size_t) (T + 1) * H;
}

void
rnn_forecast (float          *out,
              float          *scratch,
              const float    *start,
              const RnnModel *m,
              int             T,
              int             steps)
{
  float *buf = scratch;                     /* (T + steps) the line: true values, then predictions */
  float *hs = scratch + T + steps;          /* (T + 1, 1, H) hidden states of one window */

  assert (m->I == 1 && m->O == 1);
  memcpy (buf, start, (size_t) T * sizeof (float));
  for (int k = 0; k < steps; k++)
    /* the window buf[k .. k + T - 1] is (T, B = 1, I = 1), contiguous */
    rnn_model_forward (buf + T + k, hs, buf + k, m, T, 1);
  memcpy (out, buf + T, (size_t) steps * sizeof (float));
}

void
series_forecast_start (float            *start,
                       const RnnDataset *d)
{
  /* column n_train of X (T, N) */
  for (int t = 0; t < d->T; t++)
    start[t] = d->X[(size_t) t * d->N + d->n_train];
}
