/* lab-text.h: quoting input in messages.
 *
 * Every message that quotes a file's text, a key, a path or an option value
 * passes it through lab_text_sanitize: what reaches the terminal or a toast
 * is printable, one line and short, whatever the input held. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest quotation, in characters, before it is cut with "…". */
#define LAB_TEXT_QUOTE_MAX 64

/* A printable copy of text (len bytes, or up to the NUL when len < 0):
 * control characters (C0, DEL, C1, including ESC and newlines) and
 * bidirectional overrides become \n, \t, \r or \xNN / \u{NNNN}, invalid
 * UTF-8 bytes \xNN, and a backslash \\; after LAB_TEXT_QUOTE_MAX characters
 * the rest is replaced by "…". NULL gives "(null)". */
char *lab_text_sanitize      (const char *text,
                              gssize      len);
/* The same with another limit (0: no limit), for a whole message from a
 * library that may quote input (GLib's option parser does). */
char *lab_text_sanitize_full (const char *text,
                              gssize      len,
                              guint       max_chars);

G_END_DECLS
