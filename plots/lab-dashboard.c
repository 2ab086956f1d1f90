/* lab-dashboard.c: the three plot renderers composed on one page. */
#include <math.h>

#include <pango/pangocairo.h>

#include "plots/lab-dashboard.h"

void
lab_dashboard_get_layout (int                 width,
                          int                 height,
                          const LabPlotStyle *style,
                          gboolean            has_title,
                          LabDashboardLayout *layout)
{
  lab_dashboard_get_arranged_layout (width, height, style, has_title, LAB_DASHBOARD_HANDOUT,
                                     layout);
}

void
lab_dashboard_get_arranged_layout (int                      width,
                                   int                      height,
                                   const LabPlotStyle      *style,
                                   gboolean                 has_title,
                                   LabDashboardArrangement  arrangement,
                                   LabDashboardLayout      *layout)
{
  double font_scale = style != NULL && style->font_scale > 0 ? style->font_scale : 1.0;
  double w = MAX (width, 1), h = MAX (height, 1);
  /* As the plots' own text: grows with the page, and with presenter mode. */
  double font_px = CLAMP (sqrt (w * h) / 64.0, 14.0, 34.0) * font_scale;
  double gap = round (font_px * 0.6);
  double title_h = has_title ? round (font_px * 2.2) : 0.0;
  double top, rest, upper, half;

  g_return_if_fail (layout != NULL);

  layout->title = (LabDashboardRect) { gap, 0, MAX (w - 2 * gap, 1), title_h };

  top = title_h;
  rest = MAX (h - top, 2);

  if (arrangement == LAB_DASHBOARD_PRESENTER && w >= rest * 1.2)
    {
      /* Wide: the forecast on the left, full height; the others stacked. */
      double left = floor ((w - gap) * 0.64), side = MAX (w - left - gap, 1);
      double upper_side = floor ((rest - gap) / 2);

      layout->forecast = (LabDashboardRect) { 0, top, MAX (left, 1), rest };
      layout->loss = (LabDashboardRect) { left + gap, top, side, MAX (upper_side, 1) };
      layout->hidden = (LabDashboardRect) { left + gap, top + upper_side + gap, side,
                                            MAX (rest - upper_side - gap, 1) };
      return;
    }
  /* The forecast is the figure of the tutorial: it gets the larger share
   * (most of it in presenter mode). */
  upper = floor (rest * (arrangement == LAB_DASHBOARD_PRESENTER ? 0.66 : 0.56));
  half = floor ((w - gap) / 2);

  layout->forecast = (LabDashboardRect) { 0, top, w, MAX (upper, 1) };
  layout->loss = (LabDashboardRect) { 0, top + upper + gap, MAX (half, 1),
                                      MAX (rest - upper - gap, 1) };
  layout->hidden = (LabDashboardRect) { half + gap, top + upper + gap,
                                        MAX (w - half - gap, 1),
                                        MAX (rest - upper - gap, 1) };
}

static void
draw_title (cairo_t                *cr,
            const LabDashboardRect *rect,
            const char             *title,
            const LabPlotStyle     *style)
{
  g_autoptr(PangoFontDescription) font = NULL;
  PangoLayout *layout;
  int tw, th;

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Sans Bold");
  pango_font_description_set_absolute_size (font, rect->height * 0.5 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, title, -1);
  pango_layout_set_width (layout, (int) (rect->width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &tw, &th);

  cairo_set_source_rgb (cr, style->foreground.r, style->foreground.g, style->foreground.b);
  cairo_move_to (cr, rect->x, rect->y + (rect->height - th) / 2.0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* Runs one renderer inside its panel, translated and clipped. */
static void
begin_panel (cairo_t                *cr,
             const LabDashboardRect *rect)
{
  cairo_save (cr);
  cairo_translate (cr, rect->x, rect->y);
  cairo_rectangle (cr, 0, 0, rect->width, rect->height);
  cairo_clip (cr);
}

void
lab_dashboard_draw (cairo_t                *cr,
                    int                     width,
                    int                     height,
                    const LabDashboardData *data,
                    const LabPlotStyle     *style)
{
  LabDashboardLayout l;
  gboolean has_title;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (style != NULL);

  has_title = data->title != NULL && data->title[0] != '\0';
  lab_dashboard_get_arranged_layout (width, height, style, has_title, data->arrangement, &l);

  cairo_save (cr);
  cairo_set_source_rgb (cr, style->background.r, style->background.g, style->background.b);
  cairo_paint (cr);

  if (has_title)
    draw_title (cr, &l.title, data->title, style);

  begin_panel (cr, &l.forecast);
  lab_forecast_plot_draw (cr, (int) l.forecast.width, (int) l.forecast.height,
                          data->forecast, style);
  cairo_restore (cr);

  begin_panel (cr, &l.loss);
  lab_loss_plot_draw (cr, (int) l.loss.width, (int) l.loss.height, data->loss, style);
  cairo_restore (cr);

  begin_panel (cr, &l.hidden);
  lab_hidden_plot_draw (cr, (int) l.hidden.width, (int) l.hidden.height, data->hidden, style);
  cairo_restore (cr);

  cairo_restore (cr);
}
