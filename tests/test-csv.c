/* test-csv.c: the CSV reader on a corpus of awkward real-world files
 * (tests/data/csv/), the shipped series, and what it refuses. */
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lab-csv.h"
#include "core/lab-file-io.h"
#include "core/lab-real-series.h"
#include "engine/limits.h"

static char *
corpus_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

static LabCsvSeries *
read_corpus (const char    *name,
             const char    *column,
             LabCsvMissing  missing,
             GError       **error)
{
  g_autofree char *path = corpus_path (name);

  return lab_csv_read_file (path, column, missing, error);
}

static void
assert_values (const LabCsvSeries *s,
               const float        *expected,
               int                 n)
{
  g_assert_nonnull (s);
  g_assert_cmpint (s->n_values, ==, n);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat (s->values[i], ==, expected[i]);
}

/* A refused file: the error's code, and words its message must hold. */
static void
assert_refused (const char    *name,
                const char    *column,
                LabCsvMissing  missing,
                int            code,
                const char    *needle1,
                const char    *needle2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus (name, column, missing, &error);

  g_assert_null (s);
  g_assert_error (error, LAB_CSV_ERROR, code);
  if (needle1 != NULL && strstr (error->message, needle1) == NULL)
    g_error ("%s: “%s” lacks “%s”", name, error->message, needle1);
  if (needle2 != NULL && strstr (error->message, needle2) == NULL)
    g_error ("%s: “%s” lacks “%s”", name, error->message, needle2);
  /* one line, no raw control bytes */
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
}

static void
test_excel_bom_crlf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("excel-bom-crlf.csv", NULL, LAB_CSV_MISSING_REFUSE, &error);
  const float expected[] = { 120.5f, 98.0f, 143.25f, -75.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 4);
  g_assert_true (s->has_header);
  g_assert_cmpint (s->column, ==, 2);
  g_assert_cmpstr (s->column_name, ==, "Sales");   /* no BOM in the name */
  g_assert_cmpint (s->delimiter, ==, ',');
}

static void
test_semicolon_decimal_comma (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("semicolon-decimal-comma.csv", NULL,
                                           LAB_CSV_MISSING_REFUSE, &error);
  const float expected[] = { 1.5f, -0.25f, 3.0f, 12.75f };

  g_assert_no_error (error);
  assert_values (s, expected, 4);
  g_assert_cmpint (s->delimiter, ==, ';');
  g_assert_cmpstr (s->column_name, ==, "Temperatur (°C)");
}

static void
test_quoted_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("quoted-header.csv", "Passengers, \"thousands\"",
                                           LAB_CSV_MISSING_REFUSE, &error);
  const float expected[] = { 112.0f, 118.0f, 132.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 3);
  g_assert_cmpint (s->column, ==, 2);
}

static void
test_date_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("date-column.csv", NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_autoptr(LabCsvSeries) by_number = NULL;
  const float expected[] = { 1120.0f, 1160.0f, 963.0f, 1210.0f, 1160.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 5);
  g_assert_cmpstr (s->column_name, ==, "flow");

  by_number = read_corpus ("date-column.csv", "2", LAB_CSV_MISSING_REFUSE, &error);
  g_assert_no_error (error);
  assert_values (by_number, expected, 5);
}

/* Gaps filled on straight lines; those before the first value and after
 * the last dropped. */
static void
test_gaps_interpolate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("gaps.csv", "level", LAB_CSV_MISSING_INTERPOLATE, &error);
  /* 10 at t=3, 16 at t=6: 12 and 14 between; 17 at t=7 */
  const float expected[] = { 10.0f, 12.0f, 14.0f, 16.0f, 17.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 5);
  g_assert_cmpint (s->n_filled, ==, 2);
  g_assert_cmpint (s->n_dropped, ==, 4);
}

static void
test_gaps_refused (void)
{
  assert_refused ("gaps.csv", "level", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_MISSING,
                  "line 2,", "column 2 (“level”)");
}

static void
test_ragged (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("ragged.csv", "value", LAB_CSV_MISSING_INTERPOLATE, &error);
  const float expected[] = { 0.5f, 1.0f, 1.5f, 2.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 4);
  g_assert_cmpint (s->n_filled, ==, 1);

  /* without interpolation the short row is a missing value on line 3 */
  assert_refused ("ragged.csv", "value", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_MISSING,
                  "line 3,", "“value”");
  /* a row longer than the header: refused, never read shifted */
  assert_refused ("ragged-long.csv", "value", LAB_CSV_MISSING_INTERPOLATE, LAB_CSV_ERROR_SYNTAX,
                  "line 3:", "3 fields");
}

static void
test_no_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) tab = read_corpus ("tab-no-header.tsv", "2", LAB_CSV_MISSING_REFUSE, &error);
  g_autoptr(LabCsvSeries) one = NULL;
  const float expected_tab[] = { 1.0f, 2.0f, 3.0f };
  const float expected_one[] = { 3, 1, 4, 1, 5, 9, 2, 6 };

  g_assert_no_error (error);
  assert_values (tab, expected_tab, 3);
  g_assert_false (tab->has_header);
  g_assert_cmpint (tab->delimiter, ==, '\t');
  g_assert_cmpstr (tab->column_name, ==, "column 2");

  one = read_corpus ("one-column.csv", NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_no_error (error);
  assert_values (one, expected_one, 8);
}

static void
test_quoted_newline_and_cr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("quoted-newline.csv", NULL, LAB_CSV_MISSING_REFUSE, &error);
  const float expected[] = { 1.0f, 2.0f, 3.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 3);
}

static void
test_column_choice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = read_corpus ("two-numeric.csv", "south", LAB_CSV_MISSING_REFUSE, &error);
  const float expected[] = { 10.0f, 20.0f, 30.0f };

  g_assert_no_error (error);
  assert_values (s, expected, 3);

  /* two numeric columns (three with the year): the message lists them */
  assert_refused ("two-numeric.csv", NULL, LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_COLUMN,
                  "3 columns hold numbers", "1 “year”, 2 “north”, 3 “south”");
  assert_refused ("two-numeric.csv", "west", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_COLUMN,
                  "no column “west”", "1 to 3");
  assert_refused ("two-numeric.csv", "4", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_COLUMN,
                  "no column “4”", NULL);
  assert_refused ("two-numeric.csv", "0", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_COLUMN,
                  "no column “0”", NULL);
}

static void
test_refused_cells (void)
{
  /* text in a value cell, in both modes: a typo is not a gap */
  assert_refused ("text-cell.csv", "weight", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_CELL,
                  "line 3, column 2 (“weight”)", "“12 kg”");
  assert_refused ("text-cell.csv", "weight", LAB_CSV_MISSING_INTERPOLATE, LAB_CSV_ERROR_CELL,
                  "line 3,", NULL);
  assert_refused ("thousands.csv", "population", LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_CELL,
                  "“1,234.5”", NULL);
  /* with no column given, a column with text is not numeric */
  assert_refused ("text-cell.csv", NULL, LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_COLUMN,
                  "no column holds only numbers", "2 “weight”");
}

static void
test_refused_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = NULL;

  assert_refused ("binary.csv", NULL, LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_BINARY,
                  "binary", "0x1A");
  assert_refused ("latin1.csv", NULL, LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_BINARY,
                  "UTF-8", NULL);
  assert_refused ("unclosed-quote.csv", NULL, LAB_CSV_MISSING_REFUSE, LAB_CSV_ERROR_SYNTAX,
                  "line 2: a quoted field is not closed", NULL);

  s = read_corpus ("no-such-file.csv", NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  /* a folder */
  {
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "csv", NULL);

    s = lab_csv_read_file (dir, NULL, LAB_CSV_MISSING_REFUSE, &error);
    g_assert_null (s);
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
    g_clear_error (&error);
  }

  /* empty text, blank lines only */
  s = lab_csv_parse ("", 0, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_EMPTY);
  g_clear_error (&error);
  s = lab_csv_parse ("\n\n\r\n", 4, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_EMPTY);
  g_clear_error (&error);
  /* a header alone */
  s = lab_csv_parse ("date,value\n", 11, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* only gaps */
  s = lab_csv_parse ("v\n1\n\n", 5, "1", LAB_CSV_MISSING_INTERPOLATE, &error);
  g_assert_nonnull (s);
  g_assert_cmpint (s->n_values, ==, 1);
  g_clear_pointer (&s, lab_csv_series_free);
  s = lab_csv_parse ("v;w\nNA;1\n;2\n", 12, "v", LAB_CSV_MISSING_INTERPOLATE, &error);
  g_assert_null (s);
  g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_EMPTY);
  g_clear_error (&error);
  /* out of float range */
  s = lab_csv_parse ("v\n1\n1e39\n", 9, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "line 3,"));
  g_clear_error (&error);
}

/* Too large: refused from its size, before it is read. */
static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LabCsvSeries) s = NULL;
  g_autofree char *limit = g_format_size_full (RNN_CSV_FILE_MAX, G_FORMAT_SIZE_LONG_FORMAT);
  int fd = g_file_open_tmp ("rnn-lab-csv-XXXXXX.csv", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ftruncate (fd, (off_t) RNN_CSV_FILE_MAX + 1), ==, 0);
  close (fd);
  s = lab_csv_read_file (path, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, limit));
  g_unlink (path);
  g_clear_error (&error);

  /* the same bound on text from elsewhere (the file is sparse: all NUL) */
  {
    g_autofree char *text = g_malloc0 (RNN_CSV_FILE_MAX + 1);

    s = lab_csv_parse (text, RNN_CSV_FILE_MAX + 1, NULL, LAB_CSV_MISSING_REFUSE, &error);
    g_assert_null (s);
    g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, limit));
    g_clear_error (&error);
  }

  /* and from too many rows */
  {
    GString *text = g_string_new ("v\n");

    for (int i = 0; i <= 100000; i++)
      g_string_append (text, "1\n");
    s = lab_csv_parse (text->str, text->len, NULL, LAB_CSV_MISSING_REFUSE, &error);
    g_assert_null (s);
    g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_TOO_LARGE);
    g_string_free (text, TRUE);
  }
}

/* A FIFO with no writer: refused at once, not waited on. */
static void
test_fifo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-csv-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "pipe.csv", NULL);
  g_autoptr(LabCsvSeries) s = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  s = lab_csv_read_file (path, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_NOT_REGULAR);
  g_unlink (path);
  g_rmdir (dir);
}

/* Messages and names quote the file through the shared sanitiser
 * (lab_text_sanitize_full): a line break, a bidirectional override or a
 * backslash never reaches the terminal raw, and a long name is cut. */
static void
test_escape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = NULL;
  g_autoptr(GString) long_name = g_string_new (NULL);
  const char *newline = "\"a\nb\"\n1\n2\n";
  const char *bidi = "v\n1\nab\xe2\x80\xae" "cd\\\n";
  g_autofree char *expected = NULL;

  s = lab_csv_parse (newline, strlen (newline), NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->column_name, ==, "a\\nb");
  g_clear_pointer (&s, lab_csv_series_free);

  s = lab_csv_parse (bidi, strlen (bidi), "v", LAB_CSV_MISSING_REFUSE, &error);
  g_assert_null (s);
  g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_CELL);
  g_assert_nonnull (strstr (error->message, "ab\\u{202e}cd\\\\"));
  g_assert_null (strstr (error->message, "\xe2\x80\xae"));
  g_clear_error (&error);

  for (int i = 0; i < 50; i++)
    g_string_append_c (long_name, 'x');
  expected = g_strdup_printf ("%.40s…", long_name->str);
  g_string_append (long_name, "\n1\n2\n");
  s = lab_csv_parse (long_name->str, long_name->len, NULL, LAB_CSV_MISSING_REFUSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s->column_name, ==, expected);
}

/* The shipped series: their length, first and last values, and the CO2
 * record's 59 gaps filled. */
static void
test_real_series (void)
{
  struct { const char *name; int n; float first; float last; int filled; } cases[] = {
    { "co2", 2284, 316.1f, 371.5f, 59 },
    { "sunspots", 309, 5.0f, 2.9f, 0 },
    { "nile", 100, 1120.0f, 740.0f, 0 },
  };
  int n_all;

  lab_real_series_all (&n_all);
  g_assert_cmpint (n_all, ==, 3);
  g_assert_null (lab_real_series_lookup ("sine"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const LabRealSeries *info = lab_real_series_lookup (cases[i].name);
      g_autoptr(LabCsvSeries) s = NULL;

      g_assert_nonnull (info);
      g_assert_cmpstr (info->licence, ==, "public domain");
      s = lab_real_series_load (info, &error);
      g_assert_no_error (error);
      g_assert_cmpint (s->n_values, ==, cases[i].n);
      g_assert_cmpfloat (s->values[0], ==, cases[i].first);
      g_assert_cmpfloat (s->values[s->n_values - 1], ==, cases[i].last);
      g_assert_cmpint (s->n_filled, ==, cases[i].filled);
      g_assert_cmpint (s->n_dropped, ==, 0);
    }
}

/* The first CO2 gap: 1958-05-10 lies between 316.9 (05-03) and 317.5
 * (05-17): halfway, 317.2. */
static void
test_co2_gap (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = lab_real_series_load (lab_real_series_lookup ("co2"), &error);

  g_assert_no_error (error);
  /* rows 1958-03-29 .. 05-03 are values 0 .. 5, 05-10 is 6 */
  g_assert_cmpfloat (s->values[5], ==, 316.9f);
  g_assert_cmpfloat (s->values[6], ==, (float) (316.9 + (317.5 - 316.9) / 2.0));
  g_assert_cmpfloat (s->values[7], ==, 317.5f);
}

/* The preview an Open Series dialog shows: columns, which hold numbers,
 * the first rows; the same refusals as a parse; bytes as a file holds them. */
static void
test_preview (void)
{
  g_autofree char *path = corpus_path ("date-column.csv");
  g_autofree char *binary = corpus_path ("binary.csv");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(LabCsvPreview) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length, n;
  const char *text;

  bytes = lab_csv_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  text = g_bytes_get_data (bytes, &n);
  g_assert_cmpmem (text, n, contents, length);

  p = lab_csv_preview (text, n, 3, &error);
  g_assert_no_error (error);
  g_assert_true (p->has_header);
  g_assert_cmpint (p->delimiter, ==, ',');
  g_assert_cmpint (p->n_columns, ==, 3);
  g_assert_cmpint (p->n_data_rows, ==, 5);
  g_assert_cmpint (p->n_rows, ==, 3);
  g_assert_cmpstr (p->names[1], ==, "flow");
  g_assert_false (p->numeric[0]);
  g_assert_true (p->numeric[1]);
  g_assert_false (p->numeric[2]);
  g_assert_cmpint (p->n_numeric, ==, 1);
  g_assert_cmpstr (p->cells[0 * 3 + 0], ==, "1871-01-01");
  g_assert_cmpstr (p->cells[2 * 3 + 1], ==, "963");
  g_assert_cmpstr (p->cells[1 * 3 + 2], ==, "");

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = lab_csv_load_file (binary, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, &n);
  g_assert_null (lab_csv_preview (text, n, 3, &error));
  g_assert_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_BINARY);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/csv/excel-bom-crlf", test_excel_bom_crlf);
  g_test_add_func ("/core/csv/preview", test_preview);
  g_test_add_func ("/core/csv/semicolon-decimal-comma", test_semicolon_decimal_comma);
  g_test_add_func ("/core/csv/quoted-header", test_quoted_header);
  g_test_add_func ("/core/csv/date-column", test_date_column);
  g_test_add_func ("/core/csv/gaps/interpolate", test_gaps_interpolate);
  g_test_add_func ("/core/csv/gaps/refused", test_gaps_refused);
  g_test_add_func ("/core/csv/ragged", test_ragged);
  g_test_add_func ("/core/csv/no-header", test_no_header);
  g_test_add_func ("/core/csv/quoted-newline-and-cr", test_quoted_newline_and_cr);
  g_test_add_func ("/core/csv/column-choice", test_column_choice);
  g_test_add_func ("/core/csv/refused/cells", test_refused_cells);
  g_test_add_func ("/core/csv/refused/files", test_refused_files);
  g_test_add_func ("/core/csv/refused/too-large", test_too_large);
  g_test_add_func ("/core/csv/refused/fifo", test_fifo);
  g_test_add_func ("/core/csv/escape", test_escape);
  g_test_add_func ("/core/csv/real-series", test_real_series);
  g_test_add_func ("/core/csv/real-series/co2-gap", test_co2_gap);

  return g_test_run ();
}
