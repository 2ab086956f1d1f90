/* lab-plot-style.c: the palettes of the plots, light and dark.
 *
 * Default follows GNOME's palette (blue, orange, green, as the tutorial's
 * figure); Okabe-Ito stays distinguishable under every common colour-vision
 * deficiency; high contrast uses pure, saturated colours on white or black.
 * Dark variants have dark backgrounds (the plots follow the theme). */
#include <math.h>

#include "plots/lab-plots.h"

static LabRgb
rgb (guint32 hex)
{
  return (LabRgb) {
    ((hex >> 16) & 0xff) / 255.0,
    ((hex >> 8) & 0xff) / 255.0,
    (hex & 0xff) / 255.0,
  };
}

typedef struct
{
  guint32 background, foreground, grid;
  guint32 series, train, test, test_shade, highlight;
  guint32 cold, neutral, warm;
} PaletteHex;

/* Compare mode's model colours: Okabe and Ito's set, which stays distinct
 * under every common colour-vision deficiency, in every palette. On light
 * pages vermillion, blue, bluish green, reddish purple; on dark ones their
 * lighter members (orange, sky blue) so that each keeps its contrast. */
static const guint32 model_colors[2][4] = {
  { 0xd55e00, 0x0072b2, 0x009e73, 0xcc79a7 },
  { 0xe69f00, 0x56b4e9, 0x00c08c, 0xcc79a7 },
};

/* [palette][dark] */
static const PaletteHex palettes[LAB_N_PALETTES][2] = {
  [LAB_PALETTE_DEFAULT] = {
    { 0xffffff, 0x241f31, 0xe6e6e6,
      0x1c71d8, 0xe66100, 0x26a269, 0xf1f5f9, 0x9141ac,
      0x1a5fb4, 0xf6f5f4, 0xc01c28 },
    { 0x1e1e1e, 0xdeddda, 0x363636,
      0x62a0ea, 0xffa348, 0x57e389, 0x262c33, 0xdc8add,
      0x3584e4, 0x2a2a2a, 0xed333b },
  },
  [LAB_PALETTE_OKABE_ITO] = {
    { 0xffffff, 0x000000, 0xe3e3e3,
      0x0072b2, 0xe69f00, 0x009e73, 0xf0f4f7, 0xcc79a7,
      0x0072b2, 0xf7f7f7, 0xd55e00 },
    { 0x1a1a1a, 0xe8e8e8, 0x383838,
      0x56b4e9, 0xe69f00, 0x00c08c, 0x24292e, 0xcc79a7,
      0x56b4e9, 0x262626, 0xd55e00 },
  },
  [LAB_PALETTE_HIGH_CONTRAST] = {
    { 0xffffff, 0x000000, 0xbdbdbd,
      0x000000, 0x0047d6, 0xd00000, 0xe8e8e8, 0x8a00b8,
      0x0000ff, 0xffffff, 0xff0000 },
    { 0x000000, 0xffffff, 0x5c5c5c,
      0xffffff, 0x4cc3ff, 0xffd400, 0x242424, 0xff5cff,
      0x00a6ff, 0x000000, 0xff3030 },
  },
};

void
lab_plot_style_init (LabPlotStyle *style,
                     LabPalette    palette,
                     gboolean      dark)
{
  const PaletteHex *p;

  g_return_if_fail (style != NULL);

  if ((int) palette < 0 || palette >= LAB_N_PALETTES)
    palette = LAB_PALETTE_DEFAULT;
  p = &palettes[palette][dark ? 1 : 0];

  style->background = rgb (p->background);
  style->foreground = rgb (p->foreground);
  style->grid = rgb (p->grid);
  style->series = rgb (p->series);
  style->train = rgb (p->train);
  style->test = rgb (p->test);
  style->test_shade = rgb (p->test_shade);
  style->highlight = rgb (p->highlight);
  style->cold = rgb (p->cold);
  style->neutral = rgb (p->neutral);
  style->warm = rgb (p->warm);
  style->font_scale = 1.0;
  style->line_scale = 1.0;
  for (int i = 0; i < 4; i++)
    style->models[i] = rgb (model_colors[dark ? 1 : 0][i]);
  /* The previous run: a grey between text and page, visible, never loud. */
  style->ghost = (LabRgb) {
    style->foreground.r + (style->background.r - style->foreground.r) * 0.55,
    style->foreground.g + (style->background.g - style->foreground.g) * 0.55,
    style->foreground.b + (style->background.b - style->foreground.b) * 0.55,
  };
}

LabRgb
lab_plot_style_model_color (const LabPlotStyle *style,
                            int                 index)
{
  static const LabRgb black = { 0, 0, 0 };

  g_return_val_if_fail (style != NULL, black);

  return style->models[((index % 4) + 4) % 4];
}

/* Viridis at nine evenly spaced points (matplotlib's table). */
static const guint32 viridis[] = {
  0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
  0x28ae80, 0x5ec962, 0xaddc30, 0xfde725,
};

LabRgb
lab_plot_sequential_color (double v)
{
  int n = G_N_ELEMENTS (viridis) - 1, i;
  LabRgb a, b;
  double t;

  if (isnan (v))
    return (LabRgb) { 0.5, 0.5, 0.5 };
  v = CLAMP (v, 0.0, 1.0) * n;
  i = MIN ((int) floor (v), n - 1);
  t = v - i;
  a = rgb (viridis[i]);
  b = rgb (viridis[i + 1]);
  return (LabRgb) { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
}
