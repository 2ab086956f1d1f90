/* test-export.c: figures (PNG, SVG, PDF) and CSV tables written to files:
 * valid, of the requested size, not blank, exact, and atomic. */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lab-file-io.h"

#include "plots/lab-export.h"
#include "plots/lab-plots.h"

/* A forecast of a short sine, drawn by the same renderer as the window. */
static void
draw_forecast_cb (cairo_t  *cr,
                  int       width,
                  int       height,
                  gpointer  user_data)
{
  float series[40], predictions[40 - 5 - 1];
  LabPlotStyle style;
  LabForecastData data = {
    .n_points = 40, .series = series, .time_step = 5,
    .n_windows = 34, .n_train = 23, .predictions = predictions,
    .selected = 3, .title = "Export test",
  };

  for (int i = 0; i < 40; i++)
    series[i] = (float) sin (2 * G_PI * i / 40.0);
  for (int k = 0; k < 34; k++)
    predictions[k] = 0.9f * series[k + 5];
  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  lab_forecast_plot_draw (cr, width, height, &data, &style);
}

static char *
read_file (const char *path,
           gsize      *len)
{
  char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return contents;
}

/* Checks a PNG file: its size, and that it is not one flat colour. */
static void
assert_png (const char *path,
            int         width,
            int         height)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (path);
  const guchar *data;
  int stride, distinct = 0;
  guint32 first;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, height);

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  memcpy (&first, data, sizeof first);
  for (int y = 0; y < height; y += 3)
    for (int x = 0; x < width; x += 3)
      {
        guint32 pixel;

        memcpy (&pixel, data + (gsize) y * stride + (gsize) x * 4, sizeof pixel);
        distinct += pixel != first;
      }
  /* Lines, text and the shaded test region cover a good part of the figure. */
  g_assert_cmpint (distinct, >, (width / 3) * (height / 3) / 100);
  cairo_surface_destroy (image);
}

typedef struct
{
  gboolean seen_svg;
  char    *width;
  char    *height;
} SvgInfo;

static void
svg_start_element (GMarkupParseContext  *context,
                   const char           *element,
                   const char          **names,
                   const char          **values,
                   gpointer              user_data,
                   GError              **error)
{
  SvgInfo *info = user_data;

  if (info->seen_svg || strcmp (element, "svg") != 0)
    return;
  info->seen_svg = TRUE;
  for (int i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], "width") == 0)
        info->width = g_strdup (values[i]);
      else if (strcmp (names[i], "height") == 0)
        info->height = g_strdup (values[i]);
    }
}

/* Checks that an SVG file is well-formed XML with the given size. */
static void
assert_svg (const char *path,
            int         width,
            int         height)
{
  static const GMarkupParser parser = { svg_start_element, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *w = g_strdup_printf ("%dpx", width);
  g_autofree char *h = g_strdup_printf ("%dpx", height);
  SvgInfo info = { 0 };
  gsize len;

  text = read_file (path, &len);
  /* GMarkup does not take the XML declaration; skip it. */
  {
    const char *start = text;

    if (g_str_has_prefix (text, "<?xml"))
      start = strstr (text, "?>") + 2;
    context = g_markup_parse_context_new (&parser, 0, &info, NULL);
    g_assert_true (g_markup_parse_context_parse (context, start, len - (start - text), &error));
    g_assert_no_error (error);
    g_assert_true (g_markup_parse_context_end_parse (context, &error));
    g_assert_no_error (error);
  }
  g_assert_true (info.seen_svg);
  g_assert_cmpstr (info.width, ==, w);
  g_assert_cmpstr (info.height, ==, h);
  /* Something is drawn: paths and text glyphs. */
  g_assert_nonnull (strstr (text, "<path"));
  g_free (info.width);
  g_free (info.height);
}

/* Checks that a PDF file starts as one and has the given page size. */
static void
assert_pdf (const char *path,
            int         width,
            int         height)
{
  g_autofree char *text = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *pattern = g_strdup_printf ("/MediaBox\\s*\\[\\s*0\\s+0\\s+%d\\s+%d\\s*\\]", width, height);
  gsize len;

  text = read_file (path, &len);
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  regex = g_regex_new (pattern, G_REGEX_RAW, 0, NULL);
  g_assert_true (g_regex_match_full (regex, text, len, 0, 0, NULL, NULL));
  /* The trailer ends the file (binary streams come before it). */
  {
    g_autofree char *tail = g_strndup (text + len - 16, 16);

    g_assert_nonnull (strstr (tail, "%%EOF"));
  }
}

static void
test_format_from_path (void)
{
  LabExportFormat format = LAB_EXPORT_PDF;

  g_assert_true (lab_export_format_from_path ("figure.png", &format));
  g_assert_cmpint (format, ==, LAB_EXPORT_PNG);
  g_assert_true (lab_export_format_from_path ("a.b/Figure.SVG", &format));
  g_assert_cmpint (format, ==, LAB_EXPORT_SVG);
  g_assert_true (lab_export_format_from_path ("x.pdf", &format));
  g_assert_cmpint (format, ==, LAB_EXPORT_PDF);
  g_assert_false (lab_export_format_from_path ("x.jpeg", &format));
  g_assert_false (lab_export_format_from_path ("png", &format));
  g_assert_false (lab_export_format_from_path ("dir.png/figure", &format));
  g_assert_cmpstr (lab_export_format_extension (LAB_EXPORT_SVG), ==, "svg");
}

static void
test_figures (void)
{
  g_autoptr(GError) error = NULL;
  struct
  {
    const char     *name;
    LabExportFormat format;
    int             width, height;
    double          scale;
  } cases[] = {
    { "export-forecast.png", LAB_EXPORT_PNG, 1200, 700, 1.0 },
    { "export-forecast-2x.png", LAB_EXPORT_PNG, 640, 400, 2.0 },
    { "export-forecast.svg", LAB_EXPORT_SVG, 1200, 700, 1.0 },
    { "export-forecast.pdf", LAB_EXPORT_PDF, 1000, 600, 1.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Kept in the build directory, to be looked at. */
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, cases[i].name, NULL);
      int w = (int) (cases[i].width * cases[i].scale), h = (int) (cases[i].height * cases[i].scale);

      g_remove (path);
      g_assert_true (lab_export_draw_to_file_scaled (path, cases[i].format,
                                                     cases[i].width, cases[i].height,
                                                     cases[i].scale, draw_forecast_cb, NULL,
                                                     &error));
      g_assert_no_error (error);
      switch (cases[i].format)
        {
        case LAB_EXPORT_PNG: assert_png (path, w, h); break;
        case LAB_EXPORT_SVG: assert_svg (path, w, h); break;
        case LAB_EXPORT_PDF: assert_pdf (path, w, h); break;
        default: g_assert_not_reached ();
        }
    }
}

static void
test_bad_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = lab_export_draw_to_bytes (LAB_EXPORT_PNG, 0, 600, 1.0, draw_forecast_cb, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_FORMAT);
  g_clear_error (&error);
  bytes = lab_export_draw_to_bytes (LAB_EXPORT_PNG, 1000, 600, 0.5, draw_forecast_cb, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_FORMAT);
}

static void
test_loss_csv (void)
{
  const float train[] = { 0.5f, 0.125f, 1.5e-5f };
  const float test[] = { 0.75f, 0.25f, 3.0e-4f };
  g_autoptr(GBytes) with_test = lab_export_loss_csv_bytes (3, train, test);
  g_autoptr(GBytes) without_test = lab_export_loss_csv_bytes (2, train, NULL);
  g_autoptr(GBytes) empty = lab_export_loss_csv_bytes (0, NULL, NULL);
  g_autofree char *a = g_strndup (g_bytes_get_data (with_test, NULL), g_bytes_get_size (with_test));
  g_autofree char *b = g_strndup (g_bytes_get_data (without_test, NULL), g_bytes_get_size (without_test));
  g_autofree char *c = g_strndup (g_bytes_get_data (empty, NULL), g_bytes_get_size (empty));

  g_assert_cmpstr (a, ==,
                   "epoch,train_loss,test_loss\n"
                   "1,0.5,0.75\n"
                   "2,0.125,0.25\n"
                   "3,1.49999996e-05,0.000300000014\n");
  g_assert_cmpstr (b, ==, "epoch,train_loss,test_loss\n1,0.5,\n2,0.125,\n");
  g_assert_cmpstr (c, ==, "epoch,train_loss,test_loss\n");
}

static void
test_predictions_csv (void)
{
  const float series[] = { 0.0f, 0.5f, 1.0f, 0.5f, 0.0f, -0.5f };
  const float predictions[] = { 0.875f, 0.25f, -0.125f };
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "predictions.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* 6 points, T = 2: windows k = 0, 1, 2 predict x = 2, 3, 4; two train, one test. */
  g_assert_true (lab_export_predictions_csv (path, series, 6, 2, predictions, 3, 2, &error));
  g_assert_no_error (error);
  text = read_file (path, NULL);
  g_assert_cmpstr (text, ==,
                   "index,actual,prediction,split\n"
                   "2,1,0.875,train\n"
                   "3,0.5,0.25,train\n"
                   "4,0,-0.125,test\n");
  g_remove (path);
  g_rmdir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_unwritable (void)
{
  const float loss[] = { 1.0f };
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-export-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "figure.png", NULL);
  g_autofree char *blocker = g_build_filename (dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (blocker, "loss.csv", NULL);
  g_autofree char *good = g_build_filename (dir, "good.png", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  g_autoptr(GError) error = NULL;

  g_assert_false (lab_export_draw_to_file (missing, LAB_EXPORT_PNG, 1000, 600,
                                           draw_forecast_cb, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  g_assert_false (lab_export_loss_csv (under_file, 1, loss, loss, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A failed export does not damage the file it would replace. */
  g_assert_true (lab_export_draw_to_file (good, LAB_EXPORT_PNG, 1000, 600,
                                          draw_forecast_cb, NULL, &error));
  g_assert_no_error (error);
  before = read_file (good, &before_len);
  g_assert_false (lab_export_draw_to_file (good, LAB_EXPORT_PNG, 0, 0,
                                           draw_forecast_cb, NULL, &error));
  g_assert_nonnull (error);
  after = read_file (good, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
  assert_png (good, 1000, 600);

  /* Nothing else in the folder: no temporary file left behind. */
  g_assert_cmpuint (count_entries (dir), ==, 2);

  g_remove (good);
  g_remove (blocker);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* What lab_file_write does with what is already at the path. */
static void
test_output_kinds (void)
{
  const float loss[] = { 0.5f };
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-kinds-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (dir, "target.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "link.csv", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.csv", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  gsize len;

  /* A link: the file it points to is replaced, the link stays a link. */
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("target.csv", link), ==, 0);
  g_assert_true (lab_export_loss_csv (link, 1, loss, loss, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  text = read_file (target, &len);
  g_assert_cmpstr (text, ==, "epoch,train_loss,test_loss\n1,0.5,0.5\n");

  /* A link to nothing: refused, nothing created. */
  g_assert_cmpint (symlink ("nowhere/x.csv", dangling), ==, 0);
  g_assert_false (lab_export_loss_csv (dangling, 1, loss, loss, &error));
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT);
  g_clear_error (&error);
  g_assert_false (lab_file_check_output (dangling, &error));
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT);
  g_clear_error (&error);

  /* A character device is written in place: /dev/null stays a device. */
  g_assert_true (lab_file_check_output ("/dev/null", &error));
  g_assert_true (lab_export_loss_csv ("/dev/null", 1, loss, loss, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  /* A FIFO nobody reads: refused at once, and it stays a FIFO. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (lab_export_loss_csv (fifo, 1, loss, loss, &error));
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT);
  g_clear_error (&error);
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  /* A folder. */
  g_assert_false (lab_export_loss_csv (dir, 1, loss, loss, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_clear_error (&error);
  g_assert_false (lab_file_check_output (dir, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_clear_error (&error);

  /* Nothing left behind: target, link, dangling, fifo. */
  g_assert_cmpuint (count_entries (dir), ==, 4);
  g_remove (fifo);
  g_remove (dangling);
  g_remove (link);
  g_remove (target);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/export/format-from-path", test_format_from_path);
  g_test_add_func ("/app/export/figures", test_figures);
  g_test_add_func ("/app/export/bad-size", test_bad_size);
  g_test_add_func ("/app/export/loss-csv", test_loss_csv);
  g_test_add_func ("/app/export/predictions-csv", test_predictions_csv);
  g_test_add_func ("/app/export/unwritable", test_unwritable);
  g_test_add_func ("/app/export/output-kinds", test_output_kinds);

  status = g_test_run ();
  return status;
}
