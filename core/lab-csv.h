/* lab-csv.h: one column of a CSV file as a series.
 *
 * What spreadsheets write is accepted:
 *
 * - UTF-8 text, with or without a byte order mark; LF or CRLF line ends.
 * - The delimiter is read from the first line, outside quotes: a tab if it
 *   has one, else a semicolon if it has one, else a comma.
 * - Fields may be quoted ("a ""quoted"" name", with the delimiter or a line
 *   break inside); spaces around a field are ignored.
 * - A header row or none: the first row is a header when one of its cells is
 *   not a number in a column that holds numbers further down, or is the name
 *   of the column asked for.
 * - Numbers in the C notation (1.5, -2e-3). With a semicolon or a tab as the
 *   delimiter a decimal comma is read too (1,5), as European spreadsheets
 *   write it; a number with both a comma and a point (1,234.5: a thousands
 *   separator) is not a number. A comma-delimited file cannot carry a
 *   decimal comma unquoted: the row then has too many fields and is refused.
 * - Other columns (dates, labels) may sit beside the values.
 * - A missing value is an empty cell, a row shorter than the header, a blank
 *   line, or one of NA, N/A, #N/A, NaN, NULL, - (any case). By default a
 *   missing value is refused with its line and column; with
 *   LAB_CSV_MISSING_INTERPOLATE, a gap between two values is filled on the
 *   straight line between the nearest values on each side, and missing
 *   values before the first value or after the last are dropped (the series
 *   starts at its first value and ends at its last: nothing is invented
 *   beyond the data). Text that is neither a number nor a missing value
 *   ("12 kg", "abc") is refused in both modes: a typo is not a gap.
 * - Bounded (engine/limits.h): at most RNN_CSV_FILE_MAX bytes,
 *   RNN_CSV_COLUMNS_MAX columns and RNN_POINTS_MAX data rows. A file with a
 *   NUL byte or another control character (but tab, CR, LF), or that is not
 *   UTF-8, is refused as binary. lab_csv_read_file reads through
 *   lab_file_read (core/lab-file-io.h): anything but a regular file (a
 *   FIFO, a device) is refused before a byte is read, and so is a file
 *   larger than the bound.
 *
 * Messages never echo the file's bytes raw: a cell or a column name is shown
 * through lab_text_sanitize_full (core/lab-text.h), cut to 40 characters.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LAB_CSV_ERROR (lab_csv_error_quark ())

typedef enum
{
  LAB_CSV_ERROR_TOO_LARGE,   /* text of more than RNN_CSV_FILE_MAX bytes, or too many rows */
  LAB_CSV_ERROR_BINARY,      /* NUL or control bytes, or not UTF-8 */
  LAB_CSV_ERROR_SYNTAX,      /* an unclosed quote, a row longer than the first */
  LAB_CSV_ERROR_EMPTY,       /* no rows, or no value in the column */
  LAB_CSV_ERROR_COLUMN,      /* no such column, or no single numeric column */
  LAB_CSV_ERROR_CELL,        /* a cell that is not a number */
  LAB_CSV_ERROR_MISSING,     /* a missing value, without interpolation */
} LabCsvError;

GQuark lab_csv_error_quark (void);

typedef enum
{
  LAB_CSV_MISSING_REFUSE,
  LAB_CSV_MISSING_INTERPOLATE,
} LabCsvMissing;

typedef struct
{
  float    *values;      /* (n_values) in the file's units */
  int       n_values;
  int       column;      /* the column read, counted from 1 */
  char     *column_name; /* its header, escaped, or "column N" without a header */
  gboolean  has_header;
  char      delimiter;   /* ',', ';' or '\t' */
  int       n_filled;    /* gaps filled by interpolation */
  int       n_dropped;   /* missing values dropped before the first value or after the last */
} LabCsvSeries;

/* What a file holds, for a preview before a column is chosen. */
typedef struct
{
  char      delimiter;   /* ',', ';' or '\t' */
  gboolean  has_header;
  int       n_columns;
  char    **names;       /* (n_columns) escaped headers, or "column N" */
  gboolean *numeric;     /* (n_columns) holds numbers (and gaps) only */
  int       n_numeric;
  int       n_data_rows; /* rows after the header, blank ones between included */
  int       n_rows;      /* the rows in cells: the first ones, at most max_rows */
  char    **cells;       /* (n_rows, n_columns) escaped, "" where a row is short */
} LabCsvPreview;

/* column: a header name (exactly, as the header has it), else a number
 * counted from 1; NULL for the only numeric column. */
LabCsvSeries *lab_csv_parse       (const char *text, gsize length, const char *column,
                                   LabCsvMissing missing, GError **error);
/* The same from a file; a file that cannot be opened or read is a
 * G_FILE_ERROR, one that is not a regular file or is larger than
 * RNN_CSV_FILE_MAX a LAB_FILE_ERROR, everything else LAB_CSV_ERROR. */
LabCsvSeries *lab_csv_read_file   (const char *path, const char *column,
                                   LabCsvMissing missing, GError **error);
void          lab_csv_series_free (LabCsvSeries *series);

/* The columns and first max_rows rows of a CSV text, with the checks of
 * lab_csv_parse (size, binary, UTF-8, quotes, ragged rows). */
LabCsvPreview *lab_csv_preview     (const char *text, gsize length, int max_rows,
                                    GError **error);
void           lab_csv_preview_free (LabCsvPreview *preview);
/* A file's bytes as lab_csv_read_file reads them: only a regular file
 * (opened without blocking), at most RNN_CSV_FILE_MAX. */
GBytes       *lab_csv_load_file   (const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabCsvSeries, lab_csv_series_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LabCsvPreview, lab_csv_preview_free)

G_END_DECLS
