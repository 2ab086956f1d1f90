/* lab-json-guard.c: a strict JSON tokenizer without recursion (RFC 8259),
 * run over every JSON file before json-glib parses it. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include "core/lab-json-guard.h"
#include "core/lab-text.h"

G_DEFINE_QUARK (lab-json-error-quark, lab_json_error)

/* One open array or object. */
typedef struct
{
  gboolean    is_object;
  guint       index;  /* arrays: the element being read */
  char       *key;    /* objects: the member being read (decoded) */
  GHashTable *keys;   /* objects: the keys seen so far */
} Frame;

typedef struct
{
  const char          *text;
  gsize                len;
  gsize                pos;
  const LabJsonLimits *limits;
  Frame               *stack;      /* (max_depth) */
  guint                depth;
  gsize                n_values;
  GString             *patched;    /* the text with NaN and Infinity replaced, once one is seen */
  gsize                copied;     /* text[0 .. copied) is in patched */
  GHashTable          *top_numbers;
  GError             **error;
} Scanner;

/* "state_dict["fc.bias"][0]": where the scanner is. */
static char *
describe_path (const Scanner *s)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < s->depth; i++)
    {
      const Frame *f = &s->stack[i];

      if (f->is_object && f->key != NULL)
        {
          g_autofree char *key = lab_text_sanitize (f->key, -1);

          if (i == 0)
            g_string_append (path, key);
          else
            g_string_append_printf (path, "[\"%s\"]", key);
        }
      else if (!f->is_object)
        g_string_append_printf (path, "[%u]", f->index);
    }
  return g_string_free (path, FALSE);
}

G_GNUC_PRINTF (4, 5)
static gboolean
fail (Scanner    *s,
      gsize       at,
      LabJsonError code,
      const char *format,
      ...)
{
  g_autofree char *problem = NULL;
  g_autofree char *path = describe_path (s);
  guint line = 1, column = 1;
  va_list args;

  for (gsize i = 0; i < at && i < s->len; i++)
    {
      if (s->text[i] == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guchar) s->text[i] & 0xc0) != 0x80)
        column++;
    }

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  if (path[0] != '\0')
    /* TRANSLATORS: "state_dict["fc.bias"][0]: <problem> (line 3, column 7)" */
    g_set_error (s->error, LAB_JSON_ERROR, code, _("%s: %s (line %u, column %u)"),
                 path, problem, line, column);
  else
    g_set_error (s->error, LAB_JSON_ERROR, code, _("%s (line %u, column %u)"),
                 problem, line, column);
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->pos < s->len)
    {
      char c = s->text[s->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      s->pos++;
    }
}

static gboolean
refuse_comment (Scanner *s)
{
  return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX,
               _("a comment; comments are not JSON and are not accepted"));
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u" at s->pos. */
static gboolean
read_u_escape (Scanner  *s,
               gunichar *out)
{
  gunichar v = 0;

  if (s->len - s->pos < 4)
    return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("\\u needs four hexadecimal digits"));
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (s->text[s->pos + i]);

      if (d < 0)
        return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("\\u needs four hexadecimal digits"));
      v = v * 16 + (gunichar) d;
    }
  s->pos += 4;
  *out = v;
  return TRUE;
}

/* A string at s->pos (its opening quote); decoded into out when out is not NULL. */
static gboolean
scan_string (Scanner *s,
             GString *out)
{
  gsize start = s->pos;

  s->pos++;
  for (;;)
    {
      guchar c;

      if (s->pos >= s->len)
        return fail (s, start, LAB_JSON_ERROR_SYNTAX, _("a string that is never closed"));
      c = (guchar) s->text[s->pos];
      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX,
                     _("a control character in a string; accepted: escaped, as \\n or \\u0001"));
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, (char) c);
          s->pos++;
          continue;
        }

      /* An escape. */
      gsize escape = s->pos;
      char e;

      s->pos++;
      if (s->pos >= s->len)
        return fail (s, start, LAB_JSON_ERROR_SYNTAX, _("a string that is never closed"));
      e = s->text[s->pos++];
      switch (e)
        {
        case '"': case '\\': case '/':
          if (out != NULL) g_string_append_c (out, e);
          break;
        case 'b': if (out != NULL) g_string_append_c (out, '\b'); break;
        case 'f': if (out != NULL) g_string_append_c (out, '\f'); break;
        case 'n': if (out != NULL) g_string_append_c (out, '\n'); break;
        case 'r': if (out != NULL) g_string_append_c (out, '\r'); break;
        case 't': if (out != NULL) g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!read_u_escape (s, &u))
              return FALSE;
            if (u == 0)
              return fail (s, escape, LAB_JSON_ERROR_SYNTAX,
                           _("\\u0000 (a NUL character) in a string is not accepted"));
            if (u >= 0xdc00 && u <= 0xdfff)
              return fail (s, escape, LAB_JSON_ERROR_SYNTAX,
                           _("an unpaired UTF-16 surrogate in a string"));
            if (u >= 0xd800 && u <= 0xdbff)
              {
                if (s->len - s->pos < 2 || s->text[s->pos] != '\\' || s->text[s->pos + 1] != 'u')
                  return fail (s, escape, LAB_JSON_ERROR_SYNTAX,
                               _("an unpaired UTF-16 surrogate in a string"));
                s->pos += 2;
                if (!read_u_escape (s, &low))
                  return FALSE;
                if (low < 0xdc00 || low > 0xdfff)
                  return fail (s, escape, LAB_JSON_ERROR_SYNTAX,
                               _("an unpaired UTF-16 surrogate in a string"));
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            if (out != NULL)
              g_string_append_unichar (out, u);
          }
          break;
        default:
          return fail (s, escape, LAB_JSON_ERROR_SYNTAX,
                       _("an unknown escape in a string; accepted: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"));
        }
    }
}

/* Replaces text[start .. s->pos) by replacement in the patched copy. */
static void
patch (Scanner    *s,
       gsize       start,
       const char *replacement)
{
  if (s->patched == NULL)
    s->patched = g_string_sized_new (s->len + 16);
  g_string_append_len (s->patched, s->text + s->copied, start - s->copied);
  g_string_append (s->patched, replacement);
  s->copied = s->pos;
}

static gboolean
word_at (const Scanner *s,
         const char    *word)
{
  gsize n = strlen (word);

  return s->len - s->pos >= n && memcmp (s->text + s->pos, word, n) == 0;
}

static void
record_top_number (Scanner *s,
                   gsize    start)
{
  const Frame *top;

  if (s->top_numbers == NULL || s->depth != 1)
    return;
  top = &s->stack[0];
  if (top->is_object && top->key != NULL)
    g_hash_table_replace (s->top_numbers, g_strdup (top->key),
                          g_strndup (s->text + start, s->pos - start));
}

/* NaN, Infinity or -Infinity at s->pos (start: where a '-' began). */
static gboolean
scan_nonfinite (Scanner *s,
                gsize    start)
{
  gboolean negative = start != s->pos;

  if (!(s->limits->flags & LAB_JSON_NONFINITE_WORDS))
    return fail (s, start, LAB_JSON_ERROR_SYNTAX,
                 _("NaN and Infinity are not JSON; accepted: numbers"));
  if (word_at (s, "Infinity"))
    s->pos += strlen ("Infinity");
  else if (!negative && word_at (s, "NaN"))
    s->pos += strlen ("NaN");
  else
    return fail (s, start, LAB_JSON_ERROR_SYNTAX, _("not a number"));
  /* NaN too becomes a number no float holds: the loader refuses both alike. */
  patch (s, start, negative ? "-1e999" : "1e999");
  record_top_number (s, start);
  return TRUE;
}

static gboolean
scan_number (Scanner *s)
{
  gsize start = s->pos;
  gboolean integer = TRUE;

  if (s->text[s->pos] == '-')
    s->pos++;
  if (s->pos < s->len && (s->text[s->pos] == 'I' || s->text[s->pos] == 'N'))
    return scan_nonfinite (s, start);
  if (s->pos >= s->len || !g_ascii_isdigit (s->text[s->pos]))
    return fail (s, start, LAB_JSON_ERROR_SYNTAX, _("a number needs a digit after '-'"));
  if (s->text[s->pos] == '0')
    {
      s->pos++;
      if (s->pos < s->len && g_ascii_isdigit (s->text[s->pos]))
        return fail (s, start, LAB_JSON_ERROR_SYNTAX,
                     _("a number with a leading zero is not JSON"));
    }
  else
    while (s->pos < s->len && g_ascii_isdigit (s->text[s->pos]))
      s->pos++;

  if (s->pos < s->len && s->text[s->pos] == '.')
    {
      integer = FALSE;
      s->pos++;
      if (s->pos >= s->len || !g_ascii_isdigit (s->text[s->pos]))
        return fail (s, start, LAB_JSON_ERROR_SYNTAX, _("a number needs a digit after '.'"));
      while (s->pos < s->len && g_ascii_isdigit (s->text[s->pos]))
        s->pos++;
    }
  if (s->pos < s->len && (s->text[s->pos] == 'e' || s->text[s->pos] == 'E'))
    {
      integer = FALSE;
      s->pos++;
      if (s->pos < s->len && (s->text[s->pos] == '+' || s->text[s->pos] == '-'))
        s->pos++;
      if (s->pos >= s->len || !g_ascii_isdigit (s->text[s->pos]))
        return fail (s, start, LAB_JSON_ERROR_SYNTAX, _("a number needs a digit in its exponent"));
      while (s->pos < s->len && g_ascii_isdigit (s->text[s->pos]))
        s->pos++;
    }

  if (integer && (s->limits->flags & LAB_JSON_INT64))
    {
      g_autofree char *digits = g_strndup (s->text + start, s->pos - start);

      errno = 0;
      g_ascii_strtoll (digits, NULL, 10);
      if (errno == ERANGE)
        {
          g_autofree char *quoted = lab_text_sanitize (digits, -1);

          return fail (s, start, LAB_JSON_ERROR_NUMBER,
                       _("the integer %s is out of range; accepted: integers from "
                         "%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT),
                       quoted, G_MININT64, G_MAXINT64);
        }
    }
  record_top_number (s, start);
  return TRUE;
}

/* A member's key and its colon, at s->pos; the key is checked against the others. */
static gboolean
scan_key (Scanner *s)
{
  Frame *top = &s->stack[s->depth - 1];
  g_autoptr(GString) key = NULL;
  gsize start;

  skip_space (s);
  if (s->pos >= s->len)
    return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("the text ends inside an object"));
  if (s->text[s->pos] == '}')
    return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("a comma before '}' is not JSON"));
  if (s->text[s->pos] == '/')
    return refuse_comment (s);
  if (s->text[s->pos] != '"')
    return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("expected a key in double quotes"));

  start = s->pos;
  key = g_string_new (NULL);
  if (!scan_string (s, key))
    return FALSE;
  if (g_hash_table_contains (top->keys, key->str))
    {
      g_autofree char *quoted = lab_text_sanitize (key->str, key->len);

      g_clear_pointer (&top->key, g_free);
      return fail (s, start, LAB_JSON_ERROR_DUPLICATE,
                   _("the key \"%s\" appears twice; accepted: each key once"), quoted);
    }
  g_free (top->key);
  top->key = g_strdup (key->str);
  g_hash_table_add (top->keys, g_string_free (g_steal_pointer (&key), FALSE));

  skip_space (s);
  if (s->pos < s->len && s->text[s->pos] == '/')
    return refuse_comment (s);
  if (s->pos >= s->len || s->text[s->pos] != ':')
    return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("expected ':' after a key"));
  s->pos++;
  return TRUE;
}

static gboolean
push (Scanner  *s,
      gboolean  is_object)
{
  Frame *f;

  if (s->depth == s->limits->max_depth)
    return fail (s, s->pos, LAB_JSON_ERROR_DEPTH,
                 _("values nested more than %u levels deep; accepted: at most %u"),
                 s->limits->max_depth, s->limits->max_depth);
  f = &s->stack[s->depth++];
  f->is_object = is_object;
  f->index = 0;
  f->key = NULL;
  f->keys = is_object ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) : NULL;
  s->pos++;
  return TRUE;
}

static void
pop (Scanner *s)
{
  Frame *f = &s->stack[--s->depth];

  g_clear_pointer (&f->key, g_free);
  g_clear_pointer (&f->keys, g_hash_table_unref);
}

static gboolean
unexpected (Scanner *s)
{
  g_autofree char *quoted = NULL;
  const char *p = s->text + s->pos;
  gsize n = g_utf8_next_char (p) - p;

  if (*p == '/')
    return refuse_comment (s);
  if (*p == ']' || *p == '}')
    return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("a comma before '%c' is not JSON"), *p);
  quoted = lab_text_sanitize (p, MIN (n, s->len - s->pos));
  return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX, _("unexpected '%s'; accepted: a JSON value"), quoted);
}

/* The whole text: one value, then nothing but white space. */
static gboolean
scan (Scanner *s)
{
  gboolean want_value = TRUE;

  for (;;)
    {
      skip_space (s);
      if (want_value)
        {
          char c;

          if (s->pos >= s->len)
            return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX,
                         s->depth == 0 ? _("the text holds no value") : _("the text ends inside a value"));
          if (++s->n_values > s->limits->max_values)
            return fail (s, s->pos, LAB_JSON_ERROR_TOO_MANY,
                         _("more than %" G_GSIZE_FORMAT " values; accepted: at most %" G_GSIZE_FORMAT),
                         s->limits->max_values, s->limits->max_values);
          c = s->text[s->pos];
          switch (c)
            {
            case '{':
              if (!push (s, TRUE))
                return FALSE;
              skip_space (s);
              if (s->pos < s->len && s->text[s->pos] == '}')
                {
                  s->pos++;
                  pop (s);
                  want_value = FALSE;
                }
              else if (!scan_key (s))
                return FALSE;
              continue;
            case '[':
              if (!push (s, FALSE))
                return FALSE;
              skip_space (s);
              if (s->pos < s->len && s->text[s->pos] == ']')
                {
                  s->pos++;
                  pop (s);
                  want_value = FALSE;
                }
              continue;
            case '"':
              if (!scan_string (s, NULL))
                return FALSE;
              break;
            case '-': case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
              if (!scan_number (s))
                return FALSE;
              break;
            case 'N': case 'I':
              if (!scan_nonfinite (s, s->pos))
                return FALSE;
              break;
            default:
              if (word_at (s, "true"))
                s->pos += 4;
              else if (word_at (s, "false"))
                s->pos += 5;
              else if (word_at (s, "null"))
                s->pos += 4;
              else
                return unexpected (s);
              break;
            }
          want_value = FALSE;
          continue;
        }

      /* After a value. */
      if (s->depth == 0)
        {
          if (s->pos == s->len)
            return TRUE;
          if (s->text[s->pos] == '/')
            return refuse_comment (s);
          return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX,
                       _("more text after the value; accepted: one JSON value per file"));
        }
      if (s->pos >= s->len)
        return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX,
                     s->stack[s->depth - 1].is_object ? _("the text ends inside an object")
                                                      : _("the text ends inside an array"));
      {
        Frame *top = &s->stack[s->depth - 1];
        char c = s->text[s->pos];

        if (c == ',')
          {
            s->pos++;
            if (top->is_object)
              {
                if (!scan_key (s))
                  return FALSE;
              }
            else
              top->index++;
            want_value = TRUE;
          }
        else if (c == (top->is_object ? '}' : ']'))
          {
            s->pos++;
            pop (s);
          }
        else if (c == '/')
          return refuse_comment (s);
        else
          return fail (s, s->pos, LAB_JSON_ERROR_SYNTAX,
                       top->is_object ? _("expected ',' or '}'") : _("expected ',' or ']'"));
      }
    }
}

/* Runs the scanner; on success *patched holds the text with NaN and
 * Infinity replaced, or NULL when there were none. */
static gboolean
check (const char           *text,
       gsize                 len,
       const LabJsonLimits  *limits,
       GHashTable           *top_numbers,
       GString             **patched,
       GError              **error)
{
  Scanner s = { 0 };
  gboolean ok;

  s.text = text;
  s.len = len;
  s.limits = limits;
  s.error = error;
  s.top_numbers = top_numbers;
  s.stack = g_new0 (Frame, MAX (limits->max_depth, 1));

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, LAB_JSON_ERROR, LAB_JSON_ERROR_SYNTAX, _("the text is not valid UTF-8"));
      ok = FALSE;
    }
  else
    ok = scan (&s);

  while (s.depth > 0)
    pop (&s);
  g_free (s.stack);
  if (ok && s.patched != NULL)
    g_string_append_len (s.patched, text + s.copied, len - s.copied);
  if (ok && patched != NULL)
    *patched = g_steal_pointer (&s.patched);
  if (s.patched != NULL)
    g_string_free (s.patched, TRUE);
  return ok;
}

gboolean
lab_json_check (const char           *text,
                gsize                 len,
                const LabJsonLimits  *limits,
                GError              **error)
{
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (limits != NULL, FALSE);

  return check (text ? text : "", len, limits, NULL, NULL, error);
}

JsonNode *
lab_json_parse (const char           *text,
                gsize                 len,
                const LabJsonLimits  *limits,
                GHashTable          **top_numbers,
                GError              **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) numbers = NULL;
  g_autoptr(GError) parse_error = NULL;
  GString *patched = NULL;
  gboolean ok;

  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  if (top_numbers != NULL)
    numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!check (text ? text : "", len, limits, numbers, &patched, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (patched != NULL)
    ok = json_parser_load_from_data (parser, patched->str, patched->len, &parse_error);
  else
    ok = json_parser_load_from_data (parser, text, len, &parse_error);
  if (patched != NULL)
    g_string_free (patched, TRUE);
  if (!ok || json_parser_get_root (parser) == NULL)
    {
      /* Strict JSON that json-glib refuses: not expected; its message is
       * quoted safely all the same. */
      g_autofree char *quoted = lab_text_sanitize (parse_error ? parse_error->message : "", -1);

      g_set_error (error, LAB_JSON_ERROR, LAB_JSON_ERROR_SYNTAX, "%s", quoted);
      return NULL;
    }
  if (top_numbers != NULL)
    *top_numbers = g_steal_pointer (&numbers);
  return json_node_ref (json_parser_get_root (parser));
}
