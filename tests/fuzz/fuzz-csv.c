/* fuzz-csv.c: the CSV reader (core/lab-csv.c: --csv, and the shipped
 * series).
 *
 * Any bytes go to lab_csv_parse with each of the ways a column is chosen
 * (the only numeric one, by number, by name) and both missing-value modes.
 * Properties: no crash, hang or leak; a series or an error, never both;
 * every value returned is finite; a refusal has a clean one-line message. */
#include <math.h>

#include "core/lab-csv.h"
#include "tests/fuzz/lab-fuzz.h"

static void
check_one (const uint8_t *data,
           size_t         size,
           const char    *column,
           LabCsvMissing  missing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) s = lab_csv_parse ((const char *) data, size, column, missing, &error);

  LAB_FUZZ_CHECK ((s == NULL) != (error == NULL));
  if (s != NULL)
    {
      LAB_FUZZ_CHECK (s->n_values >= 1 && s->column >= 1);
      for (int i = 0; i < s->n_values; i++)
        LAB_FUZZ_CHECK (isfinite (s->values[i]));
      LAB_FUZZ_CHECK (lab_fuzz_message_is_clean (s->column_name));
    }
  else
    LAB_FUZZ_CHECK (lab_fuzz_message_is_clean (error->message));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const columns[] = { NULL, "1", "2", "value" };

  for (unsigned i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      check_one (data, size, columns[i], LAB_CSV_MISSING_REFUSE);
      check_one (data, size, columns[i], LAB_CSV_MISSING_INTERPOLATE);
    }
  return 0;
}
