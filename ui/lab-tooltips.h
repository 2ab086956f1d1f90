/* lab-tooltips.h: tooltips that wrap as a sentence, in any language.
 *
 * GTK 4.8 sizes a tooltip by its label's minimum width: a wrapping label's
 * minimum is its longest word, and in Chinese every character is a place
 * to break, so "主菜单" came out one character per line (and "New Seed" on
 * two). These tooltips are labels that ask for the width of their text up
 * to a comfortable line length (LAB_TOOLTIP_MAX_CHARS), and wrap beyond it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Line length of a tooltip, in Latin characters (a Chinese one counts two). */
#define LAB_TOOLTIP_MAX_CHARS 48

/* Shows text (plain) in the tooltip with such a label. */
void       lab_tooltip_set_text  (GtkTooltip *tooltip,
                                  const char *text);
/* The label lab_tooltip_set_text () uses (floating). */
GtkWidget *lab_tooltip_label_new (const char *text);
/* Every widget under root with a tooltip text gets such tooltips (also
 * when its text changes later). */
void       lab_tooltips_install  (GtkWidget  *root);

G_END_DECLS
