/* lab-json-guard.h: strict, bounded JSON before json-glib sees it.
 *
 * json-glib reads nested values recursively (a file of 100000 '[' exhausts
 * the stack), accepts comments, keeps the last of duplicate keys, cuts a
 * key at "\u0000" and wraps integers that do not fit in 64 bits. Every JSON
 * loader of the app therefore reads through lab_json_parse: a tokenizer
 * without recursion first checks the text against RFC 8259 and the
 * loader's bounds (nesting depth, number of values), refusing
 *
 *   - invalid UTF-8, an empty text, more than one top-level value;
 *   - comments (they are not JSON; the message says so), single quotes,
 *     trailing commas, bare words, control characters in strings, a leading
 *     '+' or '0', hexadecimal and other non-JSON numbers;
 *   - a key that appears twice in one object;
 *   - "\u0000" anywhere, and unpaired UTF-16 surrogates;
 *   - with LAB_JSON_INT64, an integer outside -2^63 .. 2^63 - 1;
 *
 * and names where the problem is: the path of keys and indices, then
 * line and column ("state_dict["fc.bias"][0]: ... (line 27, column 17)"). Only a text that passes is
 * parsed by json-glib, which then reads it exactly as written.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LAB_JSON_ERROR (lab_json_error_quark ())

typedef enum
{
  LAB_JSON_ERROR_SYNTAX,    /* not strict JSON */
  LAB_JSON_ERROR_DEPTH,     /* nested deeper than the loader allows */
  LAB_JSON_ERROR_TOO_MANY,  /* more values than the loader allows */
  LAB_JSON_ERROR_DUPLICATE, /* a key twice in one object */
  LAB_JSON_ERROR_NUMBER,    /* an integer out of range */
} LabJsonError;

GQuark lab_json_error_quark (void);

typedef enum
{
  LAB_JSON_FLAGS_NONE = 0,
  /* Refuse integers outside gint64 (json-glib would wrap them). */
  LAB_JSON_INT64 = 1 << 0,
  /* Read NaN, Infinity and -Infinity (Python's json.dump writes them) as
   * numbers too large for a double, so that the loader sees a non-finite
   * value where the file has one and can name it. */
  LAB_JSON_NONFINITE_WORDS = 1 << 1,
} LabJsonFlags;

typedef struct
{
  guint        max_depth;   /* arrays and objects inside each other; 1: a flat object */
  gsize        max_values;  /* every value counts: numbers, strings, arrays, objects... */
  LabJsonFlags flags;
} LabJsonLimits;

/* Checks text (len bytes) against the limits without building anything. */
gboolean  lab_json_check (const char           *text,
                          gsize                 len,
                          const LabJsonLimits  *limits,
                          GError              **error);

/* Checks, then parses with json-glib; the root node (free with
 * json_node_unref). When top_numbers is not NULL it receives a table of the
 * numbers that are members of a top-level object, key -> the number's text
 * exactly as written (for values that must be read exactly, such as a
 * 64-bit unsigned seed, which json-glib cannot hold). */
JsonNode *lab_json_parse (const char           *text,
                          gsize                 len,
                          const LabJsonLimits  *limits,
                          GHashTable          **top_numbers,
                          GError              **error);

G_END_DECLS
