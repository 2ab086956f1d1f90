/* lab-csv.c: one column of a CSV file as a series (the rules: lab-csv.h).
 *
 * The text is read twice by one tokenizer that hands each cell to a
 * callback, so memory stays proportional to the rows, not to the cells:
 * the first pass classifies every cell (number, missing, text) and keeps
 * per-column counts and the first row's names; the second takes the values
 * of the chosen column.
 */
#include "core/lab-csv.h"

#include <float.h>
#include <math.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-file-io.h"
#include "core/lab-text.h"
#include "engine/limits.h"
#include "engine/series.h"

G_DEFINE_QUARK (lab-csv-error-quark, lab_csv_error)

#define SHOWN_CHARS   40    /* of a cell or a name in a message */
#define SHOWN_COLUMNS 12    /* in a list of columns */

typedef enum
{
  CELL_NUMBER,
  CELL_MISSING,
  CELL_TEXT,
  CELL_RANGE,  /* a number, but not a finite float32 */
} CellClass;

typedef struct
{
  int    n_number;     /* cells of the data rows that are numbers */
  int    n_text;       /* ... that are text (or out of range) */
  int    first_text_line;
  char  *first_text;   /* escaped */
  CellClass first_class;  /* the class of the first row's cell */
  char  *name;         /* the first row's cell, as in the file */
} ColumnStats;

typedef struct Parse Parse;
/* Called for every cell; row counts from 0, col from 0. */
typedef gboolean (*CellFunc) (Parse *ps, int row, int line, int col,
                              const char *cell, gsize len, GError **error);
/* Called at the end of every row with its number of fields. */
typedef gboolean (*RowFunc) (Parse *ps, int row, int line, int n_fields, gboolean blank,
                             GError **error);

struct Parse
{
  const char  *text;
  gsize        length;
  char         delimiter;
  gboolean     decimal_comma;
  int          n_columns;     /* fields of the first row */
  int          last_row;      /* the last row that is not blank */
  ColumnStats *columns;       /* (n_columns) */

  /* the second pass */
  int          column;        /* from 0 */
  int          first_data_row;
  gboolean     seen;          /* the row had the column */
  LabCsvMissing missing;
  GArray      *values;        /* double, NAN for missing */
  int          first_missing_line;
};

/* ---- Messages ------------------------------------------------------------ */

/* "column 2 (“value”)", or "column 2" without a header */
static char *
column_label (const Parse *ps,
              int          col,
              gboolean     has_header)
{
  if (has_header && ps->columns[col].name != NULL && ps->columns[col].name[0] != '\0')
    {
      g_autofree char *name = lab_text_sanitize_full (ps->columns[col].name, -1, SHOWN_CHARS);

      return g_strdup_printf (_("column %d (“%s”)"), col + 1, name);
    }
  return g_strdup_printf (_("column %d"), col + 1);
}

/* "1 date, 2 value, 3 note" */
static char *
column_list (const Parse *ps,
             gboolean     has_header)
{
  GString *list = g_string_new (NULL);

  for (int c = 0; c < ps->n_columns; c++)
    {
      if (c == SHOWN_COLUMNS)
        {
          g_string_append_printf (list, _(", … (%d columns)"), ps->n_columns);
          break;
        }
      if (c > 0)
        g_string_append (list, ", ");
      if (has_header)
        {
          g_autofree char *name = lab_text_sanitize_full (ps->columns[c].name, -1, SHOWN_CHARS);

          g_string_append_printf (list, "%d “%s”", c + 1, name);
        }
      else
        g_string_append_printf (list, "%d", c + 1);
    }
  return g_string_free (list, FALSE);
}

/* ---- Cells --------------------------------------------------------------- */

static gboolean
is_missing_marker (const char *cell,
                   gsize       len)
{
  static const char *const markers[] = { "NA", "N/A", "#N/A", "NaN", "NULL", "-" };

  if (len == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    if (len == strlen (markers[i]) && g_ascii_strncasecmp (cell, markers[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* A decimal number: [+-] digits [sep digits] [e [+-] digits], with at least
 * one digit before the exponent; sep is '.' or, with decimal_comma, ','. */
static CellClass
classify (const char *cell,
          gsize       len,
          gboolean    decimal_comma,
          double     *value)
{
  char buf[64];
  gsize i = 0, digits = 0;
  gboolean sep = FALSE;

  if (is_missing_marker (cell, len))
    return CELL_MISSING;
  if (len >= sizeof buf)
    return CELL_TEXT;

  if (cell[i] == '+' || cell[i] == '-')
    buf[i] = cell[i], i++;
  for (; i < len; i++)
    {
      char c = cell[i];

      if (g_ascii_isdigit (c))
        digits++, buf[i] = c;
      else if (!sep && (c == '.' || (decimal_comma && c == ',')))
        sep = TRUE, buf[i] = '.';
      else
        break;
    }
  if (digits == 0)
    return CELL_TEXT;
  if (i < len && (cell[i] == 'e' || cell[i] == 'E'))
    {
      gsize exp_digits = 0;

      buf[i] = 'e', i++;
      if (i < len && (cell[i] == '+' || cell[i] == '-'))
        buf[i] = cell[i], i++;
      for (; i < len && g_ascii_isdigit (cell[i]); i++)
        exp_digits++, buf[i] = cell[i];
      if (exp_digits == 0)
        return CELL_TEXT;
    }
  if (i != len)
    return CELL_TEXT;
  buf[i] = '\0';

  *value = g_ascii_strtod (buf, NULL);
  if (!isfinite (*value) || fabs (*value) > FLT_MAX)
    return CELL_RANGE;
  return CELL_NUMBER;
}

/* ---- The tokenizer -------------------------------------------------------- */

/* The delimiter: a tab if the first line has one outside quotes, else a
 * semicolon if it has one, else a comma. */
static char
detect_delimiter (const char *p,
                  const char *end)
{
  gboolean quoted = FALSE, semicolon = FALSE;

  for (; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == '\n' || *p == '\r'))
        break;
      else if (!quoted && *p == '\t')
        return '\t';
      else if (!quoted && *p == ';')
        semicolon = TRUE;
    }
  return semicolon ? ';' : ',';
}

static gboolean
tokenize (Parse     *ps,
          CellFunc   on_cell,
          RowFunc    on_row,
          GError   **error)
{
  const char *p = ps->text, *end = ps->text + ps->length;
  g_autoptr(GString) field = g_string_new (NULL);
  int line = 1;

  for (int row = 0; p < end; row++)
    {
      int row_line = line, n_fields = 0;
      gboolean blank = FALSE;

      for (;;)
        {
          gboolean quoted = FALSE;

          g_string_truncate (field, 0);
          while (p < end && *p == ' ')
            p++;
          if (p < end && *p == '"')
            {
              int quote_line = line;

              quoted = TRUE;
              for (p++;; p++)
                {
                  if (p >= end)
                    {
                      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_SYNTAX,
                                   _("line %d: a quoted field is not closed"), quote_line);
                      return FALSE;
                    }
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        p++;
                      else
                        {
                          p++;
                          break;
                        }
                    }
                  else if (*p == '\n')
                    line++;
                  g_string_append_c (field, *p);
                }
              while (p < end && *p == ' ')
                p++;
              if (p < end && *p != ps->delimiter && *p != '\n' && *p != '\r')
                {
                  g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_SYNTAX,
                               _("line %d: text after the closing quote of a field"), line);
                  return FALSE;
                }
            }
          else
            {
              const char *start = p;

              while (p < end && *p != ps->delimiter && *p != '\n' && *p != '\r')
                p++;
              g_string_append_len (field, start, p - start);
              while (field->len > 0 && field->str[field->len - 1] == ' ')
                g_string_truncate (field, field->len - 1);
            }

          if (n_fields >= RNN_CSV_COLUMNS_MAX)
            {
              g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_TOO_LARGE,
                           _("line %d: more than %d columns"), row_line, RNN_CSV_COLUMNS_MAX);
              return FALSE;
            }
          blank = n_fields == 0 && field->len == 0 && !quoted;
          if (!on_cell (ps, row, row_line, n_fields, field->str, field->len, error))
            return FALSE;
          n_fields++;

          if (p < end && *p == ps->delimiter)
            {
              p++;
              blank = FALSE;
              continue;
            }
          /* the end of the row: LF, CRLF, a lone CR, or the end of the text */
          if (p < end && *p == '\r')
            p++;
          if (p < end && *p == '\n')
            p++;
          line++;
          break;
        }
      if (!on_row (ps, row, row_line, n_fields, blank, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Pass 1: what each column holds --------------------------------------- */

static gboolean
stats_cell (Parse      *ps,
            int         row,
            int         line,
            int         col,
            const char *cell,
            gsize       len,
            GError    **error)
{
  ColumnStats *c;
  CellClass class;
  double v;

  if (row == 0)
    {
      /* the first row sets the columns; its cells may be a header */
      ps->columns = g_renew (ColumnStats, ps->columns, col + 1);
      memset (&ps->columns[col], 0, sizeof ps->columns[col]);
      ps->columns[col].name = g_strndup (cell, len);
      ps->columns[col].first_class = classify (cell, len, ps->decimal_comma, &v);
      ps->n_columns = col + 1;
      return TRUE;
    }
  if (col >= ps->n_columns)
    return TRUE;  /* refused at the end of the row, with the count */

  c = &ps->columns[col];
  class = classify (cell, len, ps->decimal_comma, &v);
  if (class == CELL_NUMBER || class == CELL_RANGE)
    c->n_number++;
  else if (class != CELL_MISSING)
    {
      if (c->n_text++ == 0)
        {
          c->first_text_line = line;
          c->first_text = lab_text_sanitize_full (cell, len, SHOWN_CHARS);
        }
    }
  return TRUE;
}

static gboolean
stats_row (Parse    *ps,
           int       row,
           int       line,
           int       n_fields,
           gboolean  blank,
           GError  **error)
{
  if (row > 0 && n_fields > ps->n_columns)
    {
      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_SYNTAX,
                   _("line %d: %d fields, but the first line has %d"),
                   line, n_fields, ps->n_columns);
      return FALSE;
    }
  if (!blank)
    {
      /* a header and RNN_POINTS_MAX data rows at most */
      if (row > RNN_POINTS_MAX)
        {
          g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_TOO_LARGE,
                       _("more than %d rows; accepted: at most %d values"),
                       RNN_POINTS_MAX, RNN_POINTS_MAX);
          return FALSE;
        }
      ps->last_row = row;
    }
  return TRUE;
}

/* ---- Pass 2: the values of one column ------------------------------------- */

static gboolean
values_cell (Parse      *ps,
             int         row,
             int         line,
             int         col,
             const char *cell,
             gsize       len,
             GError    **error)
{
  double v = NAN;

  if (row < ps->first_data_row || row > ps->last_row || col != ps->column)
    return TRUE;
  ps->seen = TRUE;
  switch (classify (cell, len, ps->decimal_comma, &v))
    {
    case CELL_NUMBER:
      break;
    case CELL_MISSING:
      v = NAN;
      break;
    case CELL_RANGE:
      {
        g_autofree char *label = column_label (ps, col, ps->first_data_row == 1);
        g_autofree char *shown = lab_text_sanitize_full (cell, len, SHOWN_CHARS);

        g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_CELL,
                     _("line %d, %s: %s is out of range; accepted: at most %g in size"),
                     line, label, shown, (double) FLT_MAX);
        return FALSE;
      }
    case CELL_TEXT:
    default:
      {
        g_autofree char *label = column_label (ps, col, ps->first_data_row == 1);
        g_autofree char *shown = lab_text_sanitize_full (cell, len, SHOWN_CHARS);

        g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_CELL,
                     _("line %d, %s: “%s” is not a number; "
                       "accepted: a decimal number, or an empty cell for a gap"),
                     line, label, shown);
        return FALSE;
      }
    }
  if (isnan (v) && ps->first_missing_line == 0)
    ps->first_missing_line = line;
  g_array_append_val (ps->values, v);
  return TRUE;
}

static gboolean
values_row (Parse    *ps,
            int       row,
            int       line,
            int       n_fields,
            gboolean  blank,
            GError  **error)
{
  if (row >= ps->first_data_row && row <= ps->last_row && !ps->seen)
    {
      /* a short row: the column's value is missing */
      double v = NAN;

      if (ps->first_missing_line == 0)
        ps->first_missing_line = line;
      g_array_append_val (ps->values, v);
    }
  ps->seen = FALSE;
  return TRUE;
}

/* ---- The series ------------------------------------------------------------ */

/* Fills the gaps of v (n, NAN for missing) on straight lines between the
 * nearest values, and drops the missing values at both ends. */
static LabCsvSeries *
series_from_values (const double *v,
                    int           n)
{
  LabCsvSeries *s = g_new0 (LabCsvSeries, 1);
  int first = 0, last = n - 1, prev = -1;

  while (first < n && isnan (v[first]))
    first++;
  while (last >= first && isnan (v[last]))
    last--;
  s->n_dropped = first + (n - 1 - last);
  s->n_values = last - first + 1;
  s->values = g_new (float, MAX (s->n_values, 1));

  for (int i = first; i <= last; i++)
    {
      if (!isnan (v[i]))
        {
          /* fill the gap (prev, i): x = v[prev] + (v[i] - v[prev]) (j - prev) / (i - prev) */
          for (int j = prev + 1; prev >= 0 && j < i; j++)
            {
              s->values[j - first] = (float) (v[prev] + (v[i] - v[prev]) * (double) (j - prev)
                                                        / (double) (i - prev));
              s->n_filled++;
            }
          s->values[i - first] = (float) v[i];
          prev = i;
        }
    }
  return s;
}

static void
parse_clear (Parse *ps)
{
  for (int c = 0; c < ps->n_columns; c++)
    {
      g_free (ps->columns[c].name);
      g_free (ps->columns[c].first_text);
    }
  g_free (ps->columns);
  if (ps->values != NULL)
    g_array_unref (ps->values);
}

/* The column asked for, or the only numeric one; -1 with error set. */
static int
choose_column (Parse       *ps,
               const char  *column,
               gboolean     has_header,
               GError     **error)
{
  g_autofree char *list = column_list (ps, has_header);
  guint64 number;
  int found = -1, n_numeric = 0;

  if (column != NULL)
    {
      for (int c = 0; has_header && c < ps->n_columns; c++)
        if (strcmp (ps->columns[c].name, column) == 0)
          return c;
      if (column[0] != '+' && column[0] != '-'
          && g_ascii_string_to_unsigned (column, 10, 1, ps->n_columns, &number, NULL))
        return (int) number - 1;

      g_autofree char *shown = lab_text_sanitize_full (column, -1, SHOWN_CHARS);
      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_COLUMN,
                   _("no column “%s”; accepted: a name from the header or a number from 1 to %d: %s"),
                   shown, ps->n_columns, list);
      return -1;
    }

  for (int c = 0; c < ps->n_columns; c++)
    if (ps->columns[c].n_number > 0 && ps->columns[c].n_text == 0)
      {
        n_numeric++;
        found = c;
      }
  if (n_numeric == 1)
    return found;
  if (n_numeric == 0)
    g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_COLUMN,
                 _("no column holds only numbers; columns: %s"), list);
  else
    g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_COLUMN,
                 _("%d columns hold numbers; choose one by name or number: %s"),
                 n_numeric, list);
  return -1;
}

/* Checks the text (size, binary, UTF-8), reads what each column holds and
 * whether the first row is a header; column: the one asked for (a header
 * naming it is a header), or NULL. */
static gboolean
parse_prepare (Parse       *ps,
               const char  *text,
               gsize        length,
               const char  *column,
               gboolean    *has_header_out,
               GError     **error)
{
  gboolean has_header = FALSE;

  if (length > RNN_CSV_FILE_MAX)
    {
      g_autofree char *limit = g_format_size_full (RNN_CSV_FILE_MAX, G_FORMAT_SIZE_LONG_FORMAT);

      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_TOO_LARGE,
                   _("the file is too large for %s; accepted: at most %s"), _("a CSV file"), limit);
      return FALSE;
    }
  /* A byte order mark is not text; every other control byte but tab, CR
   * and LF means a binary file, and so does anything that is not UTF-8. */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    text += 3, length -= 3;
  for (gsize i = 0; i < length; i++)
    if (((guchar) text[i] < 0x20 && text[i] != '\t' && text[i] != '\r' && text[i] != '\n')
        || text[i] == 0x7f)
      {
        /* A macro such as G_GSIZE_FORMAT inside _() cuts the msgid short,
         * and the file is at most RNN_CSV_FILE_MAX, so an unsigned long. */
        g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_BINARY,
                     _("a binary file (control byte 0x%02X at byte %lu); "
                       "accepted: CSV text"), (guchar) text[i], (gulong) (i + 1));
        return FALSE;
      }
  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_BINARY,
                   _("not UTF-8 text; accepted: CSV text in UTF-8 (save it as “CSV UTF-8”)"));
      return FALSE;
    }

  ps->text = text;
  ps->length = length;
  ps->delimiter = detect_delimiter (text, text + length);
  ps->decimal_comma = ps->delimiter != ',';
  ps->last_row = -1;

  if (!tokenize (ps, stats_cell, stats_row, error))
    return FALSE;
  if (ps->last_row < 0)
    {
      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_EMPTY, _("the file has no rows"));
      return FALSE;
    }

  /* The first row is a header when a cell of it is not a number in a column
   * that holds numbers below it, or is the name of the column asked for. */
  for (int c = 0; c < ps->n_columns; c++)
    if (ps->columns[c].first_class == CELL_TEXT
        && (ps->columns[c].n_number > 0 || g_strcmp0 (ps->columns[c].name, column) == 0))
      has_header = TRUE;
  if (ps->last_row == 0)
    for (int c = 0; c < ps->n_columns; c++)
      if (ps->columns[c].first_class == CELL_TEXT)
        has_header = TRUE;
  if (!has_header)
    /* the first row is data: count its cells */
    for (int c = 0; c < ps->n_columns; c++)
      {
        ColumnStats *cs = &ps->columns[c];

        if (cs->first_class == CELL_NUMBER || cs->first_class == CELL_RANGE)
          cs->n_number++;
        else if (cs->first_class != CELL_MISSING)
          {
            cs->n_text++;
            g_free (cs->first_text);
            cs->first_text = lab_text_sanitize_full (cs->name, -1, SHOWN_CHARS);
            cs->first_text_line = 1;
          }
      }
  *has_header_out = has_header;
  return TRUE;
}

LabCsvSeries *
lab_csv_parse (const char    *text,
               gsize          length,
               const char    *column,
               LabCsvMissing  missing,
               GError       **error)
{
  Parse ps = { 0 };
  LabCsvSeries *series = NULL;
  gboolean has_header = FALSE;
  int col;

  if (!parse_prepare (&ps, text, length, column, &has_header, error))
    goto out;

  if ((col = choose_column (&ps, column, has_header, error)) < 0)
    goto out;

  ps.column = col;
  ps.first_data_row = has_header ? 1 : 0;
  ps.missing = missing;
  ps.values = g_array_new (FALSE, FALSE, sizeof (double));
  if (!tokenize (&ps, values_cell, values_row, error))
    goto out;

  if (ps.first_missing_line > 0 && missing == LAB_CSV_MISSING_REFUSE)
    {
      g_autofree char *label = column_label (&ps, col, has_header);

      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_MISSING,
                   _("line %d, %s: the value is missing"), ps.first_missing_line, label);
      goto out;
    }

  series = series_from_values ((const double *) ps.values->data, (int) ps.values->len);
  if (series->n_values <= 0)
    {
      g_autofree char *label = column_label (&ps, col, has_header);

      g_set_error (error, LAB_CSV_ERROR, LAB_CSV_ERROR_EMPTY, _("%s holds no value"), label);
      g_clear_pointer (&series, lab_csv_series_free);
      goto out;
    }
  series->column = col + 1;
  series->has_header = has_header;
  series->delimiter = ps.delimiter;
  if (has_header && ps.columns[col].name[0] != '\0')
    series->column_name = lab_text_sanitize_full (ps.columns[col].name, -1, SHOWN_CHARS);
  else
    series->column_name = g_strdup_printf (_("column %d"), col + 1);

out:
  parse_clear (&ps);
  return series;
}

/* ---- Preview -------------------------------------------------------------- */

typedef struct
{
  Parse      ps;
  LabCsvPreview *preview;
} PreviewParse;

static gboolean
preview_cell (Parse      *ps,
              int         row,
              int         line,
              int         col,
              const char *cell,
              gsize       len,
              GError    **error)
{
  LabCsvPreview *p = ((PreviewParse *) ps)->preview;
  int r = row - (p->has_header ? 1 : 0);

  if (r < 0 || r >= p->n_rows || col >= p->n_columns)
    return TRUE;
  p->cells[r * p->n_columns + col] = lab_text_sanitize_full (cell, len, SHOWN_CHARS);
  return TRUE;
}

static gboolean
preview_row (Parse    *ps,
             int       row,
             int       line,
             int       n_fields,
             gboolean  blank,
             GError  **error)
{
  return TRUE;
}

LabCsvPreview *
lab_csv_preview (const char  *text,
                 gsize        length,
                 int          max_rows,
                 GError     **error)
{
  PreviewParse pp = { { 0 }, NULL };
  Parse *ps = &pp.ps;
  LabCsvPreview *p = NULL;
  gboolean has_header = FALSE;

  g_return_val_if_fail (max_rows >= 0, NULL);

  if (!parse_prepare (ps, text, length, NULL, &has_header, error))
    goto out;

  p = g_new0 (LabCsvPreview, 1);
  p->delimiter = ps->delimiter;
  p->has_header = has_header;
  p->n_columns = ps->n_columns;
  p->n_data_rows = ps->last_row + 1 - (has_header ? 1 : 0);
  p->names = g_new0 (char *, ps->n_columns + 1);
  p->numeric = g_new0 (gboolean, ps->n_columns);
  for (int c = 0; c < ps->n_columns; c++)
    {
      if (has_header && ps->columns[c].name[0] != '\0')
        p->names[c] = lab_text_sanitize_full (ps->columns[c].name, -1, SHOWN_CHARS);
      else
        p->names[c] = g_strdup_printf (_("column %d"), c + 1);
      p->numeric[c] = ps->columns[c].n_number > 0 && ps->columns[c].n_text == 0;
      if (p->numeric[c])
        p->n_numeric++;
    }
  p->n_rows = MIN (max_rows, MAX (p->n_data_rows, 0));
  p->cells = g_new0 (char *, (gsize) p->n_rows * p->n_columns + 1);
  pp.preview = p;
  /* the rows are known to tokenize: the first pass did */
  tokenize (ps, preview_cell, preview_row, NULL);
  for (int i = 0; i < p->n_rows * p->n_columns; i++)
    if (p->cells[i] == NULL)
      p->cells[i] = g_strdup ("");

out:
  parse_clear (ps);
  return p;
}

void
lab_csv_preview_free (LabCsvPreview *preview)
{
  if (preview == NULL)
    return;
  g_strfreev (preview->names);
  for (int i = 0; i < preview->n_rows * preview->n_columns; i++)
    g_free (preview->cells[i]);
  g_free (preview->cells);
  g_free (preview->numeric);
  g_free (preview);
}

/* ---- Files -------------------------------------------------------------- */

/* Only a regular file (opened without blocking), at most RNN_CSV_FILE_MAX:
 * the shared bounded reader. */
GBytes *
lab_csv_load_file (const char  *path,
                   GError     **error)
{
  return lab_file_read (path, RNN_CSV_FILE_MAX, _("a CSV file"), error);
}

LabCsvSeries *
lab_csv_read_file (const char    *path,
                   const char    *column,
                   LabCsvMissing  missing,
                   GError       **error)
{
  g_autoptr(GBytes) bytes = lab_csv_load_file (path, error);
  const char *text;
  gsize length;

  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &length);
  return lab_csv_parse (text, length, column, missing, error);
}

void
lab_csv_series_free (LabCsvSeries *series)
{
  if (series == NULL)
    return;
  g_free (series->values);
  g_free (series->column_name);
  g_free (series);
}
