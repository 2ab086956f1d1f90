/* lab-text.c: quoting input in messages. */
#include <string.h>

#include "core/lab-text.h"

/* Characters that would change how the rest of a line is shown: C0 and C1
 * controls, DEL, and the bidirectional embeddings, overrides and isolates. */
static gboolean
needs_escape (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f)
         || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
         || c == 0x2028 || c == 0x2029;
}

char *
lab_text_sanitize (const char *text,
                   gssize      len)
{
  return lab_text_sanitize_full (text, len, LAB_TEXT_QUOTE_MAX);
}

char *
lab_text_sanitize_full (const char *text,
                        gssize      len,
                        guint       max_chars)
{
  GString *s;
  const char *p, *end;
  guint n_chars = 0;

  if (text == NULL)
    return g_strdup ("(null)");
  if (len < 0)
    len = strlen (text);

  s = g_string_sized_new (MIN ((gsize) len, 256) + 8);
  p = text;
  end = text + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (max_chars > 0 && n_chars == max_chars)
        {
          g_string_append (s, "…");
          break;
        }
      n_chars++;
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: the byte in hex. */
          g_string_append_printf (s, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (c == '\n')
        g_string_append (s, "\\n");
      else if (c == '\t')
        g_string_append (s, "\\t");
      else if (c == '\r')
        g_string_append (s, "\\r");
      else if (c == '\\')
        g_string_append (s, "\\\\");
      else if (c < 0x80 && needs_escape (c))
        g_string_append_printf (s, "\\x%02x", c);
      else if (needs_escape (c))
        g_string_append_printf (s, "\\u{%04x}", c);
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (s, FALSE);
}
