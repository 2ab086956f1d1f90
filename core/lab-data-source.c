/* lab-data-source.c: a shipped or imported series, as one value. */
#include "core/lab-data-source.h"

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

G_DEFINE_BOXED_TYPE (LabDataSource, lab_data_source, lab_data_source_ref, lab_data_source_unref)

/* Takes the values of series. */
static LabDataSource *
source_new (LabCsvSeries *series)
{
  LabDataSource *source = g_new0 (LabDataSource, 1);

  source->ref_count = 1;
  source->values = g_steal_pointer (&series->values);
  source->n_values = series->n_values;
  source->n_filled = series->n_filled;
  source->column_name = g_strdup (series->column_name);
  return source;
}

LabDataSource *
lab_data_source_new_real (const char  *name,
                          GError     **error)
{
  const LabRealSeries *real = lab_real_series_lookup (name);
  g_autoptr(LabCsvSeries) series = NULL;
  LabDataSource *source;

  g_return_val_if_fail (real != NULL, NULL);

  series = lab_real_series_load (real, error);
  if (series == NULL)
    return NULL;
  source = source_new (series);
  source->real = real;
  source->name = g_strdup (real->name);
  source->title = g_strdup (_(real->title));
  source->units = g_strdup (_(real->units));
  source->column = g_strdup (real->column);
  source->missing = real->missing;
  return source;
}

LabDataSource *
lab_data_source_new_csv (GBytes         *bytes,
                         const char     *title,
                         const char     *column,
                         LabCsvMissing   missing,
                         GError        **error)
{
  g_autoptr(LabCsvSeries) series = NULL;
  LabDataSource *source;
  const char *text;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  text = g_bytes_get_data (bytes, &length);
  series = lab_csv_parse (text != NULL ? text : "", length, column, missing, error);
  if (series == NULL)
    return NULL;
  source = source_new (series);
  source->name = g_strdup ("csv");
  source->title = g_strdup (title);
  source->units = g_strdup (series->column_name);
  source->file = g_bytes_ref (bytes);
  /* Replayed with --column: the header's name when it has one (and it
   * reads back as that column), else the number. */
  source->column = series->has_header && column != NULL
                   ? g_strdup (column)
                   : g_strdup_printf ("%d", series->column);
  source->missing = missing;
  return source;
}

LabDataSource *
lab_data_source_new_csv_file (const char     *path,
                              const char     *column,
                              LabCsvMissing   missing,
                              GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  bytes = lab_csv_load_file (path, error);
  if (bytes == NULL)
    return NULL;
  title = g_filename_display_basename (path);
  return lab_data_source_new_csv (bytes, title, column, missing, error);
}

LabDataSource *
lab_data_source_ref (LabDataSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);

  g_atomic_int_inc (&source->ref_count);
  return source;
}

void
lab_data_source_unref (LabDataSource *source)
{
  g_return_if_fail (source != NULL);

  if (!g_atomic_int_dec_and_test (&source->ref_count))
    return;
  g_free (source->name);
  g_free (source->title);
  g_free (source->units);
  g_free (source->values);
  g_clear_pointer (&source->file, g_bytes_unref);
  g_free (source->column);
  g_free (source->column_name);
  g_free (source);
}

const char *
lab_csv_missing_to_string (LabCsvMissing missing)
{
  return missing == LAB_CSV_MISSING_INTERPOLATE ? "interpolate" : "refuse";
}
