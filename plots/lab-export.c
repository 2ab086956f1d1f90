/* lab-export.c: figures and tables to files, through memory and
 * lab_file_write (core/lab-file-io.h). */
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif
#include <pango/pangocairo.h>

#include "core/lab-file-io.h"
#include "plots/lab-export.h"

G_DEFINE_QUARK (lab-export-error-quark, lab_export_error)

/* Large enough for any poster; small enough that a typo can't eat the memory. */
#define EXPORT_SIZE_MAX 16384

gboolean
lab_export_format_from_path (const char      *path,
                             LabExportFormat *format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    *format = LAB_EXPORT_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = LAB_EXPORT_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = LAB_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

const char *
lab_export_format_extension (LabExportFormat format)
{
  switch (format)
    {
    case LAB_EXPORT_PNG: return "png";
    case LAB_EXPORT_SVG: return "svg";
    case LAB_EXPORT_PDF: return "pdf";
    default: g_return_val_if_reached ("png");
    }
}

static cairo_status_t
append_to_array_cb (void                *closure,
                    const unsigned char *data,
                    unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
cairo_failed (cairo_status_t   status,
              GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return FALSE;
  g_set_error (error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_CAIRO,
               _("could not draw the figure: %s"), cairo_status_to_string (status));
  return TRUE;
}

GBytes *
lab_export_draw_to_bytes (LabExportFormat    format,
                          int                width,
                          int                height,
                          double             scale,
                          LabExportDrawFunc  draw,
                          gpointer           user_data,
                          GError           **error)
{
  g_autoptr(GByteArray) out = NULL;
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (draw != NULL, NULL);

  if (format == LAB_EXPORT_PNG && !(scale >= 1.0 && scale <= 8.0))
    {
      g_set_error (error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_FORMAT,
                   _("scale %g is out of range; accepted: 1 to 8"), scale);
      return NULL;
    }
  if (format != LAB_EXPORT_PNG)
    scale = 1.0;
  if (width < 1 || height < 1
      || width * scale > EXPORT_SIZE_MAX || height * scale > EXPORT_SIZE_MAX)
    {
      g_set_error (error, LAB_EXPORT_ERROR, LAB_EXPORT_ERROR_FORMAT,
                   _("size %d x %d is out of range; accepted: 1 to %d on each side"),
                   width, height, EXPORT_SIZE_MAX);
      return NULL;
    }

  out = g_byte_array_new ();
  switch (format)
    {
    case LAB_EXPORT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) ceil (width * scale),
                                            (int) ceil (height * scale));
      break;
    case LAB_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (append_to_array_cb, out, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case LAB_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (append_to_array_cb, out, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "RNN Lab");
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (cairo_failed (cairo_surface_status (surface), error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  cr = cairo_create (surface);
  if (scale != 1.0)
    cairo_scale (cr, scale, scale);
  cairo_save (cr);
  draw (cr, width, height, user_data);
  cairo_restore (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (format == LAB_EXPORT_PNG && status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_to_array_cb, out);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (cairo_failed (status, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
lab_export_write_bytes (const char  *path,
                        GBytes      *bytes,
                        GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  return lab_file_write_bytes (path, bytes, error);
}

gboolean
lab_export_draw_to_file_scaled (const char         *path,
                                LabExportFormat     format,
                                int                 width,
                                int                 height,
                                double              scale,
                                LabExportDrawFunc   draw,
                                gpointer            user_data,
                                GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = lab_export_draw_to_bytes (format, width, height, scale, draw, user_data, error);
  if (bytes == NULL)
    return FALSE;
  return lab_export_write_bytes (path, bytes, error);
}

gboolean
lab_export_draw_to_file (const char         *path,
                         LabExportFormat     format,
                         int                 width,
                         int                 height,
                         LabExportDrawFunc   draw,
                         gpointer            user_data,
                         GError            **error)
{
  return lab_export_draw_to_file_scaled (path, format, width, height, 1.0,
                                         draw, user_data, error);
}

/* ---- CSV --------------------------------------------------------------- */

/* "%.9g" in the C locale: enough digits to give back the same float32. */
static void
append_number (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    g_string_append (s, "nan");
  else if (isinf (v))
    g_string_append (s, v > 0 ? "inf" : "-inf");
  else
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

GBytes *
lab_export_loss_csv_bytes (int          n_epochs,
                           const float *train_loss,
                           const float *test_loss)
{
  GString *s;

  g_return_val_if_fail (n_epochs >= 0, NULL);
  g_return_val_if_fail (n_epochs == 0 || train_loss != NULL, NULL);

  s = g_string_sized_new (32 + (gsize) n_epochs * 40);
  g_string_append (s, "epoch,train_loss,test_loss\n");
  for (int i = 0; i < n_epochs; i++)
    {
      g_string_append_printf (s, "%d,", i + 1);
      append_number (s, train_loss[i]);
      g_string_append_c (s, ',');
      if (test_loss != NULL)
        append_number (s, test_loss[i]);
      g_string_append_c (s, '\n');
    }
  return g_string_free_to_bytes (s);
}

gboolean
lab_export_loss_csv (const char   *path,
                     int           n_epochs,
                     const float  *train_loss,
                     const float  *test_loss,
                     GError      **error)
{
  g_autoptr(GBytes) bytes = lab_export_loss_csv_bytes (n_epochs, train_loss, test_loss);

  g_return_val_if_fail (bytes != NULL, FALSE);
  return lab_export_write_bytes (path, bytes, error);
}

GBytes *
lab_export_compare_loss_csv_bytes (int                 n_models,
                                   const char *const  *models,
                                   int                 n_epochs,
                                   const float *const *train_loss,
                                   const float *const *test_loss)
{
  GString *s;

  g_return_val_if_fail (n_models >= 1 && models != NULL && n_epochs >= 0, NULL);
  g_return_val_if_fail (train_loss != NULL && test_loss != NULL, NULL);

  s = g_string_sized_new (32 + (gsize) n_epochs * n_models * 40);
  g_string_append (s, "epoch");
  for (int k = 0; k < n_models; k++)
    g_string_append_printf (s, ",%s_train,%s_test", models[k], models[k]);
  g_string_append_c (s, '\n');
  for (int i = 0; i < n_epochs; i++)
    {
      g_string_append_printf (s, "%d", i + 1);
      for (int k = 0; k < n_models; k++)
        {
          g_string_append_c (s, ',');
          append_number (s, train_loss[k][i]);
          g_string_append_c (s, ',');
          append_number (s, test_loss[k][i]);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free_to_bytes (s);
}

gboolean
lab_export_compare_loss_csv (const char         *path,
                             int                 n_models,
                             const char *const  *models,
                             int                 n_epochs,
                             const float *const *train_loss,
                             const float *const *test_loss,
                             GError            **error)
{
  g_autoptr(GBytes) bytes = lab_export_compare_loss_csv_bytes (n_models, models, n_epochs,
                                                               train_loss, test_loss);

  g_return_val_if_fail (bytes != NULL, FALSE);
  return lab_export_write_bytes (path, bytes, error);
}

GBytes *
lab_export_grad_csv_bytes (int                 n_models,
                           const char *const  *models,
                           int                 n_epochs,
                           int                 time_step,
                           const float *const *norms)
{
  GString *s;

  g_return_val_if_fail (n_models >= 1 && n_epochs >= 0 && time_step >= 1, NULL);
  g_return_val_if_fail (models != NULL || n_models == 1, NULL);
  g_return_val_if_fail (norms != NULL, NULL);

  s = g_string_sized_new (32 + (gsize) n_models * n_epochs * time_step * 24);
  g_string_append (s, models != NULL ? "model,epoch,t,grad_norm\n" : "epoch,t,grad_norm\n");
  for (int k = 0; k < n_models; k++)
    for (int i = 0; i < n_epochs; i++)
      for (int t = 0; t < time_step; t++)
        {
          if (models != NULL)
            g_string_append_printf (s, "%s,", models[k]);
          g_string_append_printf (s, "%d,%d,", i + 1, t + 1);
          append_number (s, norms[k][(gsize) i * time_step + t]);
          g_string_append_c (s, '\n');
        }
  return g_string_free_to_bytes (s);
}

gboolean
lab_export_grad_csv (const char         *path,
                     int                 n_models,
                     const char *const  *models,
                     int                 n_epochs,
                     int                 time_step,
                     const float *const *norms,
                     GError            **error)
{
  g_autoptr(GBytes) bytes = lab_export_grad_csv_bytes (n_models, models, n_epochs, time_step, norms);

  g_return_val_if_fail (bytes != NULL, FALSE);
  return lab_export_write_bytes (path, bytes, error);
}

GBytes *
lab_export_predictions_csv_bytes (const float *series,
                                  int          n_points,
                                  int          time_step,
                                  const float *predictions,
                                  int          n_windows,
                                  int          n_train)
{
  GString *s;

  g_return_val_if_fail (series != NULL && predictions != NULL, NULL);
  g_return_val_if_fail (time_step >= 1 && n_windows >= 0, NULL);
  g_return_val_if_fail (n_windows + time_step <= n_points, NULL);

  s = g_string_sized_new (40 + (gsize) n_windows * 48);
  g_string_append (s, "index,actual,prediction,split\n");
  for (int k = 0; k < n_windows; k++)
    {
      g_string_append_printf (s, "%d,", k + time_step);
      append_number (s, series[k + time_step]);
      g_string_append_c (s, ',');
      append_number (s, predictions[k]);
      g_string_append (s, k < n_train ? ",train\n" : ",test\n");
    }
  return g_string_free_to_bytes (s);
}

gboolean
lab_export_predictions_csv (const char   *path,
                            const float  *series,
                            int           n_points,
                            int           time_step,
                            const float  *predictions,
                            int           n_windows,
                            int           n_train,
                            GError      **error)
{
  g_autoptr(GBytes) bytes = lab_export_predictions_csv_bytes (series, n_points, time_step,
                                                              predictions, n_windows, n_train);

  g_return_val_if_fail (bytes != NULL, FALSE);
  return lab_export_write_bytes (path, bytes, error);
}

GBytes *
lab_export_forecast_csv_bytes (int          first_index,
                               const float *forecast,
                               int          steps)
{
  GString *s;

  g_return_val_if_fail (steps >= 0, NULL);

  s = g_string_sized_new (32 + (gsize) steps * 32);
  g_string_append (s, "step,index,forecast\n");
  for (int k = 0; k < steps; k++)
    {
      g_string_append_printf (s, "%d,%d,", k + 1, first_index + k);
      append_number (s, forecast[k]);
      g_string_append_c (s, '\n');
    }
  return g_string_free_to_bytes (s);
}
