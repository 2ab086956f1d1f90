/* test-json-guard.c: the strict JSON check every loader runs first
 * (core/lab-json-guard.h) and the quoting of input in messages
 * (core/lab-text.h). */
#include <math.h>
#include <string.h>

#include "core/lab-json-guard.h"
#include "core/lab-text.h"

static const LabJsonLimits limits = { 4, 1000, LAB_JSON_INT64 };

static void
assert_refused (const char *text,
                int         code,
                const char *needle)
{
  g_autoptr(GError) error = NULL;

  g_test_message ("refused: %s", text);
  g_assert_false (lab_json_check (text, strlen (text), &limits, &error));
  g_assert_error (error, LAB_JSON_ERROR, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, error->message);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_accepted (void)
{
  const char *good[] = {
    "{}", "[]", "0", "-0", "1.5e-3", "-12E+2", "\"\"", "true", "null",
    " \t\r\n{ \"a\" : [ 1 , { \"b\" : null } ] } \n",
    "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00\"",
    "\"é 中文\"",
    "9223372036854775807", "-9223372036854775808",
    /* Brackets, quotes and comment marks inside strings do not count. */
    "[\"[[[[[[{{{{\\\"/*\", \"]]]]\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;

      g_test_message ("accepted: %s", good[i]);
      g_assert_true (lab_json_check (good[i], strlen (good[i]), &limits, &error));
      g_assert_no_error (error);
      /* And json-glib reads what the guard passes. */
      root = lab_json_parse (good[i], strlen (good[i]), &limits, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (root);
    }
}

static void
test_refused (void)
{
  assert_refused ("", LAB_JSON_ERROR_SYNTAX, "the text holds no value");
  assert_refused ("[[[[[1]]]]]", LAB_JSON_ERROR_DEPTH, "[0][0][0][0]: values nested more than 4 levels deep");
  assert_refused ("{\"a\": /* \" */ 1}", LAB_JSON_ERROR_SYNTAX, "a: a comment; comments are not JSON");
  assert_refused ("// x\n{}", LAB_JSON_ERROR_SYNTAX, "comments are not JSON and are not accepted (line 1, column 1)");
  assert_refused ("{\"a\": 1, \"a\": 2}", LAB_JSON_ERROR_DUPLICATE, "the key \"a\" appears twice");
  assert_refused ("{\"a\": 1, \"\\u0061\": 2}", LAB_JSON_ERROR_DUPLICATE, "the key \"a\" appears twice");
  assert_refused ("{} {}", LAB_JSON_ERROR_SYNTAX, "one JSON value per file");
  assert_refused ("{\"a\\u0000b\": 1}", LAB_JSON_ERROR_SYNTAX, "\\u0000 (a NUL character)");
  assert_refused ("\"\\ud800\"", LAB_JSON_ERROR_SYNTAX, "unpaired UTF-16 surrogate");
  assert_refused ("\"\\udc00\"", LAB_JSON_ERROR_SYNTAX, "unpaired UTF-16 surrogate");
  assert_refused ("\"\\x41\"", LAB_JSON_ERROR_SYNTAX, "an unknown escape");
  assert_refused ("\"a\tb\"", LAB_JSON_ERROR_SYNTAX, "a control character in a string");
  assert_refused ("\"abc", LAB_JSON_ERROR_SYNTAX, "never closed");
  assert_refused ("[1, 2,]", LAB_JSON_ERROR_SYNTAX, "a comma before ']'");
  assert_refused ("{'a': 1}", LAB_JSON_ERROR_SYNTAX, "expected a key in double quotes");
  assert_refused ("[NaN]", LAB_JSON_ERROR_SYNTAX, "NaN and Infinity are not JSON");
  assert_refused ("[-Infinity]", LAB_JSON_ERROR_SYNTAX, "NaN and Infinity are not JSON");
  assert_refused ("[+1]", LAB_JSON_ERROR_SYNTAX, "unexpected '+'");
  assert_refused ("[0x1F]", LAB_JSON_ERROR_SYNTAX, "expected ',' or ']'");
  assert_refused ("[00]", LAB_JSON_ERROR_SYNTAX, "leading zero");
  assert_refused ("[True]", LAB_JSON_ERROR_SYNTAX, "unexpected 'T'");
  assert_refused ("[\x1b]", LAB_JSON_ERROR_SYNTAX, "unexpected '\\x1b'");
  assert_refused ("[1]\xff", LAB_JSON_ERROR_SYNTAX, "not valid UTF-8");
  assert_refused ("{\"fc.bias\": [1, 9223372036854775808]}", LAB_JSON_ERROR_NUMBER,
                  "fc.bias[1]: the integer 9223372036854775808 is out of range");
  assert_refused ("{\"a\": {\"b\":\n  [-9223372036854775809]}}", LAB_JSON_ERROR_NUMBER,
                  "a[\"b\"][0]: the integer -9223372036854775809 is out of range; accepted: integers "
                  "from -9223372036854775808 to 9223372036854775807 (line 2, column 4)");

  /* Too many values, however small. */
  {
    GString *many = g_string_new ("[0");

    for (int i = 0; i < 1000; i++)
      g_string_append (many, ",0");
    g_string_append_c (many, ']');
    assert_refused (many->str, LAB_JSON_ERROR_TOO_MANY, "more than 1000 values");
    g_string_free (many, TRUE);
  }
  /* A million '[' is refused at the fifth, without recursion. */
  {
    char *deep = g_strnfill (1000000, '[');

    assert_refused (deep, LAB_JSON_ERROR_DEPTH, "nested more than 4");
    g_free (deep);
  }
}

static void
test_nonfinite_and_numbers (void)
{
  static const LabJsonLimits python = { 4, 1000, LAB_JSON_NONFINITE_WORDS };
  const char *text = "{\"a\": [NaN, -Infinity, Infinity, \"NaN\"], \"seed\": 18446744073709551615, "
                     "\"lr\": 0.018000000000000002}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) numbers = NULL;
  g_autoptr(JsonNode) root = lab_json_parse (text, strlen (text), &python, &numbers, &error);
  JsonArray *a;

  g_assert_no_error (error);
  a = json_object_get_array_member (json_node_get_object (root), "a");
  /* Non-finite where the file has a word; a string stays a string. */
  g_assert_true (isinf (json_array_get_double_element (a, 0)));
  g_assert_cmpfloat (json_array_get_double_element (a, 1), <, 0);
  g_assert_true (isinf (json_array_get_double_element (a, 1)));
  g_assert_true (isinf (json_array_get_double_element (a, 2)));
  g_assert_cmpstr (json_array_get_string_element (a, 3), ==, "NaN");
  /* The top-level numbers exactly as written. */
  g_assert_cmpstr (g_hash_table_lookup (numbers, "seed"), ==, "18446744073709551615");
  g_assert_cmpstr (g_hash_table_lookup (numbers, "lr"), ==, "0.018000000000000002");
  g_assert_null (g_hash_table_lookup (numbers, "a"));
}

static void
test_sanitize (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "plain text", "plain text" },
    { "a\nb\tc\rd", "a\\nb\\tc\\rd" },
    { "\x1b[31mred", "\\x1b[31mred" },
    { "back\\slash", "back\\\\slash" },
    { "del\x7f", "del\\x7f" },
    { "bad \xff\xfe utf8", "bad \\xff\\xfe utf8" },
    { "c1 \xc2\x9b", "c1 \\u{009b}" },
    { "bidi \xe2\x80\xae", "bidi \\u{202e}" },
    { "中文 é", "中文 é" },
  };
  g_autofree char *nul = lab_text_sanitize ("a\0b", 3);
  g_autofree char *null_text = lab_text_sanitize (NULL, -1);
  g_autofree char *long_text = g_strnfill (1000, 'x');
  g_autofree char *cut = lab_text_sanitize (long_text, -1);
  g_autofree char *uncut = lab_text_sanitize_full (long_text, -1, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = lab_text_sanitize (cases[i].in, -1);

      g_assert_cmpstr (s, ==, cases[i].out);
    }
  g_assert_cmpstr (nul, ==, "a\\x00b");
  g_assert_cmpstr (null_text, ==, "(null)");
  g_assert_cmpuint (g_utf8_strlen (cut, -1), ==, LAB_TEXT_QUOTE_MAX + 1);
  g_assert_true (g_str_has_suffix (cut, "x…"));
  g_assert_cmpuint (strlen (uncut), ==, 1000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/json-guard/accepted", test_accepted);
  g_test_add_func ("/app/json-guard/refused", test_refused);
  g_test_add_func ("/app/json-guard/nonfinite-and-numbers", test_nonfinite_and_numbers);
  g_test_add_func ("/app/text/sanitize", test_sanitize);

  return g_test_run ();
}
