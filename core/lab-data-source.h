/* lab-data-source.h: a series that is not generated: one of the shipped
 * real series, or a column of an imported CSV file.
 *
 * A LabDataSource is immutable and reference-counted (atomically: the run
 * settings that carry it cross to the trainer thread). It owns the values
 * (in the series' units) that RnnConfig.values borrows, and says where they
 * come from, so that whatever shows or records a run can name the series
 * and its units, and a lesson can replay it: the command line's
 * "--series NAME", or "--csv FILE --column C --missing M" with the file's
 * own bytes kept for the lesson's copy. The window and the command line
 * load a series through the same two constructors.
 */
#pragma once

#include "core/lab-csv.h"
#include "core/lab-real-series.h"

G_BEGIN_DECLS

typedef struct _LabDataSource LabDataSource;

struct _LabDataSource
{
  /*< public, read-only >*/
  const LabRealSeries *real;      /* a shipped series, or NULL for a CSV */
  char                *name;      /* "co2", ...; "csv" for an imported file */
  char                *title;     /* the shipped series' title (translated), or the file's name */
  char                *units;     /* the y axis: the units (translated), or the column's name */
  float               *values;    /* (n_values) in the series' units */
  int                  n_values;

  /* An imported file: its bytes, and how it was read. */
  GBytes              *file;
  char                *column;    /* as --column takes it: the header, or the number */
  char                *column_name; /* escaped, for display */
  LabCsvMissing        missing;
  int                  n_filled;  /* gaps filled by interpolation */

  /*< private >*/
  int                  ref_count; /* atomic */
};

#define LAB_TYPE_DATA_SOURCE (lab_data_source_get_type ())
GType          lab_data_source_get_type  (void) G_GNUC_CONST;

/* One of the shipped series by its name (lab_real_series_lookup). */
LabDataSource *lab_data_source_new_real  (const char     *name,
                                          GError        **error);
/* A column of a CSV text (a file's bytes, kept): column as lab_csv_parse
 * takes it (NULL: the only numeric one); title names the file. */
LabDataSource *lab_data_source_new_csv   (GBytes         *bytes,
                                          const char     *title,
                                          const char     *column,
                                          LabCsvMissing   missing,
                                          GError        **error);
/* The same from a file, read as lab_csv_read_file reads it (a FIFO or a
 * device is refused before a byte is read; at most RNN_CSV_FILE_MAX). */
LabDataSource *lab_data_source_new_csv_file (const char  *path,
                                             const char  *column,
                                             LabCsvMissing missing,
                                             GError     **error);
LabDataSource *lab_data_source_ref       (LabDataSource  *source);
void           lab_data_source_unref     (LabDataSource  *source);

/* "refuse" or "interpolate": the command line's --missing. */
const char    *lab_csv_missing_to_string (LabCsvMissing   missing);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabDataSource, lab_data_source_unref)

G_END_DECLS
