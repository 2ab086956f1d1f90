/* baselines.c: persistence and the linear autoregressive model (baselines.h). */
#include "engine/baselines.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void
baseline_persistence (float            *pred,
                      const RnnDataset *d)
{
  /* row T - 1 of X (T, N): the last input of every window */
  memcpy (pred, d->X + (size_t) (d->T - 1) * d->N, (size_t) d->N * sizeof (float));
}

RnnStatus
baseline_linear_ar (float            *pred,
                    double           *coef,
                    const RnnDataset *d)
{
  int T = d->T, N = d->N, M = d->n_train, K = T + 1;
  int rows = M > K ? M : K;
  lapack_int rank = 0;
  double *A = malloc ((size_t) M * K * sizeof (double));   /* (M, K) [1, window] of each train window */
  double *b = calloc ((size_t) rows, sizeof (double));     /* (max (M, K)) targets in, c out */
  double *sv = malloc ((size_t) K * sizeof (double));      /* (K) singular values */
  RnnStatus status = RNN_OK;

  if (A == NULL || b == NULL || sv == NULL)
    {
      status = RNN_ERR_NOMEM;
      goto out;
    }
  for (int k = 0; k < M; k++)
    {
      A[(size_t) k * K] = 1.0;
      for (int t = 0; t < T; t++)
        A[(size_t) k * K + 1 + t] = d->X[(size_t) t * N + k];
      b[k] = d->Y[k];
    }

  /* min || A c - b ||, the minimum-norm c */
  if (LAPACKE_dgelsd (LAPACK_ROW_MAJOR, M, K, 1, A, K, b, 1, sv, RNN_AR_RCOND, &rank) != 0)
    {
      status = RNN_ERR_SHAPE;
      goto out;
    }

  for (int k = 0; k < N; k++)
    {
      double y = b[0];

      for (int t = 0; t < T; t++)
        y += b[1 + t] * d->X[(size_t) t * N + k];
      pred[k] = (float) y;
    }
  if (coef != NULL)
    memcpy (coef, b, (size_t) K * sizeof (double));

out:
  free (A);
  free (b);
  free (sv);
  return status;
}

double
series_mae (const float *a,
            const float *b,
            int          n)
{
  double sum = 0.0;

  for (int i = 0; i < n; i++)
    sum += fabs ((double) a[i] - (double) b[i]);
  return n > 0 ? sum / n : 0.0;
}
