/* fuzz-csv.c: the CSV reader under libFuzzer.
 *
 * Any bytes go to lab_csv_parse with each of the ways a column is chosen
 * (the only numeric one, by number, by name) and both missing-value modes;
 * it must return a series or an error, never both, never crash or leak,
 * and every value it returns is finite. With clang:
 *
 *   CC=clang meson setup build-fuzz -Db_sanitize=address -Db_lundef=false
 *   meson compile -C build-fuzz fuzz-csv
 *   build-fuzz/tests/fuzz-csv -max_len=4096 tests/fuzz/corpus/csv
 *
 * Built with FUZZ_REPLAY_MAIN (any compiler), it is a plain program that
 * runs every file named on its command line (or every file in a folder)
 * through the same function: the seed corpus replayed as a normal test.
 */
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/lab-csv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_one (const uint8_t *data,
           size_t         size,
           const char    *column,
           LabCsvMissing  missing)
{
  GError *error = NULL;
  LabCsvSeries *s = lab_csv_parse ((const char *) data, size, column, missing, &error);

  if ((s == NULL) == (error == NULL))
    abort ();
  if (s != NULL)
    {
      if (s->n_values < 1 || s->column < 1)
        abort ();
      for (int i = 0; i < s->n_values; i++)
        if (!isfinite (s->values[i]))
          abort ();
      lab_csv_series_free (s);
    }
  else
    {
      /* one line, no raw control bytes */
      for (const char *p = error->message; *p != '\0'; p++)
        if ((unsigned char) *p < 0x20)
          abort ();
      g_error_free (error);
    }
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

#ifdef FUZZ_REPLAY_MAIN
static int
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return 0;
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return 1;
}

int
main (int argc, char **argv)
{
  int n = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          n += replay_file (argv[i]);
          continue;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);

          n += replay_file (path);
        }
    }
  /* TAP: one test, the count of inputs replayed */
  printf ("1..1\n%s 1 - %d inputs replayed\n", n > 0 ? "ok" : "not ok", n);
  return n > 0 ? 0 : 1;
}
#endif
