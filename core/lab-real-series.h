/* lab-real-series.h: the real series shipped with the app (data/series/,
 * compiled into the resources; their source and licence are in
 * data/series/README.md). */
#pragma once

#include "core/lab-csv.h"

G_BEGIN_DECLS

typedef struct
{
  const char    *name;      /* "co2", "sunspots", "nile": --series NAME */
  const char    *title;     /* translatable (N_), "Mauna Loa CO2, weekly, 1958-2001" */
  const char    *units;     /* translatable (N_), "ppm" */
  const char    *source;    /* who measured it, one line (not translated) */
  const char    *licence;   /* "public domain" */
  const char    *resource;  /* the CSV's resource path */
  const char    *column;    /* the column read */
  LabCsvMissing  missing;   /* co2 has gaps: interpolated */
} LabRealSeries;

/* The shipped series, n_out of them. */
const LabRealSeries *lab_real_series_all    (int *n_out);
/* The series of that name, or NULL. */
const LabRealSeries *lab_real_series_lookup (const char *name);
/* Its values, from the resources. */
LabCsvSeries        *lab_real_series_load   (const LabRealSeries *series, GError **error);

G_END_DECLS
