/* forecast.h: the free-running forecast, the model feeding on its own output.
 *
 * From T true values (on the model's scale) the model predicts the next
 * point, the prediction is appended, the window slides by one, and so on:
 *
 *   buf[0 .. T-1] = start,   buf[T + k] = model (buf[k .. k + T - 1]),  k = 0 .. steps - 1
 *
 * buf is one contiguous line, so the window of step k is buf + k with no
 * copy; everything lives in a scratch the caller allocates once.
 */
#pragma once

#include <stddef.h>

#include "rnn.h"
#include "series.h"

/* Floats of scratch rnn_forecast needs: (T + steps) + (T + 1) H. */
size_t rnn_forecast_scratch_size (int T, int H, int steps);
/* out (steps) on the model's scale; scratch (rnn_forecast_scratch_size);
 * start (T) the last true values; m a model with input and output size 1. */
void   rnn_forecast              (float *out, float *scratch,
                                  const float *start, const RnnModel *m,
                                  int T, int steps);
/* start (T) = the inputs of d's first test window, z[n_train .. n_train + T - 1]:
 * the last T true values before its target, z[n_train + T], the first test
 * target and the position step 1 of a forecast predicts. */
void   series_forecast_start     (float *start, const RnnDataset *d);
