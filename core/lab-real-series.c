/* lab-real-series.c: the shipped series, read from the resources with the
 * CSV reader every imported file goes through. */
#include "core/lab-real-series.h"

#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#define RESOURCE_DIR "/io/github/rnnlab/RnnLab/series/"

static const LabRealSeries real_series[] = {
  { "co2", N_("Mauna Loa CO2, weekly, 1958–2001"), N_("ppm"),
    "Keeling and Whorf, Scripps Institution of Oceanography (CDIAC), via statsmodels",
    "public domain", RESOURCE_DIR "co2.csv", "co2", LAB_CSV_MISSING_INTERPOLATE },
  { "sunspots", N_("Sunspot activity, yearly, 1700–2008"), N_("sunspot number"),
    "National Geophysical Data Center (NOAA), via statsmodels",
    "public domain", RESOURCE_DIR "sunspots.csv", "SUNACTIVITY", LAB_CSV_MISSING_REFUSE },
  { "nile", N_("Annual flow of the Nile at Aswan, 1871–1970"), N_("10⁸ m³"),
    "Cobb (1978), Biometrika 65(2), via statsmodels",
    "public domain", RESOURCE_DIR "nile.csv", "volume", LAB_CSV_MISSING_REFUSE },
};

const LabRealSeries *
lab_real_series_all (int *n_out)
{
  *n_out = (int) G_N_ELEMENTS (real_series);
  return real_series;
}

const LabRealSeries *
lab_real_series_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (real_series); i++)
    if (strcmp (real_series[i].name, name) == 0)
      return &real_series[i];
  return NULL;
}

LabCsvSeries *
lab_real_series_load (const LabRealSeries *series,
                      GError             **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (series->resource,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  gsize length;
  const char *text;

  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &length);
  return lab_csv_parse (text, length, series->column, series->missing, error);
}
