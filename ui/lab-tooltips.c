/* lab-tooltips.c: tooltips that wrap as a sentence (see the header). */
#include "ui/lab-tooltips.h"

#define INSTALLED_KEY "lab-tooltip-installed"

/* The width of text in Latin characters: wide (East Asian) ones count two. */
static int
text_width_chars (const char *text)
{
  int width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

GtkWidget *
lab_tooltip_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  int width = text_width_chars (text);

  /* As wide as the text, up to a line of LAB_TOOLTIP_MAX_CHARS: its minimum
   * width is then its natural one, and only longer texts wrap. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (label), MIN (width, LAB_TOOLTIP_MAX_CHARS));
  gtk_label_set_max_width_chars (GTK_LABEL (label), LAB_TOOLTIP_MAX_CHARS);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

void
lab_tooltip_set_text (GtkTooltip *tooltip,
                      const char *text)
{
  g_return_if_fail (GTK_IS_TOOLTIP (tooltip));

  gtk_tooltip_set_custom (tooltip, text != NULL ? lab_tooltip_label_new (text) : NULL);
}

/* Runs before GtkWidget's own handler, which would show the text in a
 * label of its own. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_widget_get_tooltip_text (widget);

  if (text == NULL || *text == '\0')
    return FALSE;
  lab_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
lab_tooltips_install (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (gtk_widget_get_tooltip_text (root) != NULL &&
      g_object_get_data (G_OBJECT (root), INSTALLED_KEY) == NULL)
    {
      g_signal_connect (root, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
      g_object_set_data (G_OBJECT (root), INSTALLED_KEY, GINT_TO_POINTER (TRUE));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lab_tooltips_install (child);
}
