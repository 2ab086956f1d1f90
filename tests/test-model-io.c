/* test-model-io.c: the model file: bit-exact round trips, PyTorch's bare
 * state_dict, every malformed case with its message, atomic saves. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <fcntl.h>

#include "core/lab-file-io.h"
#include "core/lab-model-io.h"
#include "engine/limits.h"
#include "engine/rnn.h"

/* A model of hidden size H whose parameters are random float32 bit
 * patterns (every finite magnitude, signs, subnormals, zeros). */
static LabModel *
random_model (int H)
{
  LabModel *model = lab_model_new (1, H, 1);

  for (gsize i = 0; i < model->n_params; i++)
    {
      float v;

      do
        {
          guint32 bits = g_test_rand_int ();
          memcpy (&v, &bits, sizeof v);
        }
      while (!isfinite (v));
      model->params[i] = v;
    }
  /* A few values that are easy to get wrong. */
  model->params[0] = -0.0f;
  model->params[1] = 1.0f;
  model->params[2] = 1e-45f;
  model->params[3] = 3.4028235e38f;
  model->params[4] = 0.1f;
  return model;
}

static void
assert_same_model (const LabModel *a,
                   const LabModel *b)
{
  g_assert_cmpint (a->input_size, ==, b->input_size);
  g_assert_cmpint (a->hidden_size, ==, b->hidden_size);
  g_assert_cmpint (a->output_size, ==, b->output_size);
  g_assert_cmpuint (a->n_params, ==, b->n_params);
  /* Bit for bit, -0 included. */
  g_assert_cmpmem (a->params, a->n_params * sizeof (float), b->params, b->n_params * sizeof (float));
}

static LabModel *
load_text (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return lab_model_load_bytes (bytes, error);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-model-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "model.json", NULL);
  int sizes[] = { 1, 7, 50 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(LabModel) model = random_model (sizes[i]);
      g_autoptr(LabModel) from_bytes = NULL;
      g_autoptr(LabModel) from_file = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (model->n_params, ==, (gsize) (sizes[i] * sizes[i] + 4 * sizes[i] + 1));

      bytes = lab_model_to_bytes (model, &error);
      g_assert_no_error (error);
      from_bytes = lab_model_load_bytes (bytes, &error);
      g_assert_no_error (error);
      assert_same_model (model, from_bytes);

      g_assert_true (lab_model_save_file (model, path, &error));
      g_assert_no_error (error);
      from_file = lab_model_load_file (path, &error);
      g_assert_no_error (error);
      assert_same_model (model, from_file);
    }

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_saved_text (void)
{
  g_autoptr(LabModel) model = lab_model_new (1, 2, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *state;
  const char *text;
  gsize len;

  for (gsize i = 0; i < model->n_params; i++)
    model->params[i] = (float) i * 0.25f - 1.0f;
  bytes = lab_model_to_bytes (model, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, &len);

  /* The header of design section 6, pretty-printed, and PyTorch's names. */
  g_assert_true (g_str_has_prefix (text, "{\n  \"format\": \"rnn-lab-model\",\n"));
  g_assert_nonnull (strstr (text, "\n    \"rnn.weight_hh_l0\": [\n      [-0.5, -0.25],\n      [0.0, 0.25]\n    ],\n"));
  /* Whole numbers are written as floats, so Python reads floats. */
  g_assert_nonnull (strstr (text, "[-1.0]"));

  g_assert_true (json_parser_load_from_data (parser, text, len, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rnn-lab-model");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "hidden_size"), ==, 2);
  state = json_object_get_object_member (root, "state_dict");
  for (int t = 0; t < RNN_N_TENSORS; t++)
    g_assert_true (json_object_has_member (state, rnn_tensor_name (t)));
}

/* The state_dict alone, as json.dump({k: v.tolist() ...}) writes it. */
static void
test_bare_state_dict (void)
{
  g_autoptr(LabModel) model = random_model (5);
  g_autoptr(LabModel) loaded = NULL;
  g_autoptr(GBytes) bytes = lab_model_to_bytes (model, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bare = NULL;
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  bare = json_to_string (json_object_get_member (root, "state_dict"), FALSE);
  g_assert_null (strstr (bare, "format"));

  loaded = load_text (bare, &error);
  g_assert_no_error (error);
  assert_same_model (model, loaded);

  /* The hidden size comes from the shapes. */
  g_assert_cmpint (loaded->hidden_size, ==, 5);
}

static void
test_python_text (void)
{
  /* What Python's json.dump gives for a hidden size of 2: ints where the
   * value is whole, no spaces, and the header's keys in any order. */
  const char *text =
    "{\"rnn.weight_ih_l0\": [[0.5], [-0.25]], \"rnn.weight_hh_l0\": [[1, 0], [0, 1]],"
    " \"rnn.bias_ih_l0\": [0.1, 0.2], \"rnn.bias_hh_l0\": [-0.1, -0.2],"
    " \"fc.weight\": [[0.3, 0.4]], \"fc.bias\": [0.0]}";
  const float expected[] = { 0.5f, -0.25f, 1, 0, 0, 1, 0.1f, 0.2f, -0.1f, -0.2f, 0.3f, 0.4f, 0.0f };
  g_autoptr(LabModel) model = NULL;
  g_autoptr(GError) error = NULL;

  model = load_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (model->hidden_size, ==, 2);
  g_assert_cmpmem (model->params, model->n_params * sizeof (float), expected, sizeof expected);
}

static void
test_tutorial (void)
{
  g_autoptr(LabModel) model = NULL;
  g_autoptr(GError) error = NULL;
  RnnConfig cfg;

  model = lab_model_load_tutorial (&error);
  g_assert_no_error (error);
  g_assert_cmpint (model->hidden_size, ==, 50);
  g_assert_cmpuint (model->n_params, ==, 50 + 50 * 50 + 50 + 50 + 50 + 1);
  /* PyTorch's init: every value within 1/sqrt(50). */
  for (gsize i = 0; i < model->n_params; i++)
    g_assert_cmpfloat (fabsf (model->params[i]), <=, 1.0 / sqrt (50.0));

  rnn_config_init_default (&cfg);
  g_assert_true (lab_config_is_tutorial_shape (&cfg));
  cfg.lr = 0.5;
  g_assert_true (lab_config_is_tutorial_shape (&cfg));
  cfg.hidden_size = 32;
  g_assert_false (lab_config_is_tutorial_shape (&cfg));
}

/* ---- Malformed files --------------------------------------------------- */

typedef enum
{
  EDIT_NONE,
  EDIT_REMOVE,       /* remove the tensor */
  EDIT_DROP_COLUMN,  /* every row one value short */
  EDIT_DROP_ROW,     /* one row fewer */
  EDIT_RAGGED,       /* one later row short */
  EDIT_STRING,       /* element [2] (or [1][2]) a string */
  EDIT_NAN,          /* element [2] Python's NaN */
  EDIT_NEG_INF,      /* element [2] Python's -Infinity */
  EDIT_HUGE,         /* element [2] 1e999 */
  EDIT_FLOAT_RANGE,  /* element [2] 1e300 (a double, but no float) */
  EDIT_NOT_ARRAY,    /* the tensor a string */
} Edit;

/* A valid file (hidden size 4) with tensor `name` edited; returns its text. */
static char *
edited_model (const char *name,
              Edit        edit,
              gboolean    bare)
{
  g_autoptr(LabModel) model = random_model (4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *root, *state;
  JsonArray *tensor;
  JsonNode *marker = NULL;
  char **parts;
  char *result;

  for (gsize i = 0; i < model->n_params; i++)
    model->params[i] = 0.125f * (float) (i % 7) - 0.5f;
  bytes = lab_model_to_bytes (model, NULL);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  state = json_object_get_object_member (root, "state_dict");
  tensor = json_object_get_array_member (state, name);

  switch (edit)
    {
    case EDIT_NONE:
      break;
    case EDIT_REMOVE:
      json_object_remove_member (state, name);
      break;
    case EDIT_DROP_COLUMN:
      for (guint r = 0; r < json_array_get_length (tensor); r++)
        json_array_remove_element (json_array_get_array_element (tensor, r), 0);
      break;
    case EDIT_DROP_ROW:
      json_array_remove_element (tensor, 0);
      break;
    case EDIT_RAGGED:
      json_array_remove_element (json_array_get_array_element (tensor, 2), 0);
      break;
    case EDIT_NOT_ARRAY:
      json_object_set_string_member (state, name, "weights");
      break;
    case EDIT_STRING:
    case EDIT_NAN:
    case EDIT_NEG_INF:
    case EDIT_HUGE:
    case EDIT_FLOAT_RANGE:
      {
        JsonArray *holder = tensor;
        guint index = 2;

        if (JSON_NODE_HOLDS_ARRAY (json_array_get_element (tensor, 0)))
          {
            holder = json_array_get_array_element (tensor, json_array_get_length (tensor) > 1 ? 1 : 0);
          }
        marker = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (marker, "@MARK@");
        /* Replace element index by the marker. */
        {
          g_autoptr(JsonArray) copy = json_array_new ();
          for (guint i = 0; i < json_array_get_length (holder); i++)
            json_array_add_element (copy, i == index ? json_node_copy (marker)
                                                     : json_node_copy (json_array_get_element (holder, i)));
          while (json_array_get_length (holder) > 0)
            json_array_remove_element (holder, 0);
          for (guint i = 0; i < json_array_get_length (copy); i++)
            json_array_add_element (holder, json_node_copy (json_array_get_element (copy, i)));
        }
        json_node_unref (marker);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  text = json_to_string (bare ? json_object_get_member (root, "state_dict") : json_parser_get_root (parser), TRUE);
  parts = g_strsplit (text, "\"@MARK@\"", -1);
  switch (edit)
    {
    case EDIT_STRING: result = g_strjoinv ("\"abc\"", parts); break;
    case EDIT_NAN: result = g_strjoinv ("NaN", parts); break;
    case EDIT_NEG_INF: result = g_strjoinv ("-Infinity", parts); break;
    case EDIT_HUGE: result = g_strjoinv ("1e999", parts); break;
    case EDIT_FLOAT_RANGE: result = g_strjoinv ("-1e300", parts); break;
    default: result = g_strjoinv ("", parts); break;
    }
  g_strfreev (parts);
  return result;
}

static void
assert_refused (const char *text,
                int         code,
                const char *message)
{
  g_autoptr(LabModel) existing = random_model (3);
  g_autoptr(LabModel) before = lab_model_copy (existing);
  g_autoptr(LabModel) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = load_text (text, &error);
  g_assert_null (loaded);
  g_assert_error (error, LAB_MODEL_ERROR, code);
  if (!g_str_has_prefix (error->message, message))
    g_error ("expected a message starting with “%s”, got “%s”", message, error->message);
  /* One line, for the command line and for a toast. */
  g_assert_null (strchr (error->message, '\n'));
  /* The caller's model is not touched. */
  assert_same_model (before, existing);
}

static void
test_malformed (void)
{
  struct
  {
    const char *tensor;
    Edit        edit;
    int         code;
    const char *message;
  } cases[] = {
    { "fc.bias", EDIT_REMOVE, LAB_MODEL_ERROR_MISSING, "fc.bias: missing" },
    { "rnn.bias_hh_l0", EDIT_REMOVE, LAB_MODEL_ERROR_MISSING, "rnn.bias_hh_l0: missing" },
    { "rnn.weight_hh_l0", EDIT_DROP_COLUMN, LAB_MODEL_ERROR_SHAPE,
      "rnn.weight_hh_l0: expected shape [4, 4], found [4, 3]" },
    { "rnn.weight_hh_l0", EDIT_DROP_ROW, LAB_MODEL_ERROR_SHAPE,
      "rnn.weight_hh_l0: expected shape [4, 4], found [3, 4]" },
    { "rnn.weight_hh_l0", EDIT_RAGGED, LAB_MODEL_ERROR_SHAPE,
      "rnn.weight_hh_l0: expected shape [4, 4], found 3 values in row 2" },
    { "fc.weight", EDIT_DROP_COLUMN, LAB_MODEL_ERROR_SHAPE,
      "fc.weight: expected shape [1, 4], found [1, 3]" },
    { "rnn.bias_ih_l0", EDIT_DROP_ROW, LAB_MODEL_ERROR_SHAPE,
      "rnn.bias_ih_l0: expected shape [4], found [3]" },
    { "rnn.bias_ih_l0", EDIT_NOT_ARRAY, LAB_MODEL_ERROR_SHAPE,
      "rnn.bias_ih_l0: expected shape [4], found a string" },
    { "rnn.bias_ih_l0", EDIT_STRING, LAB_MODEL_ERROR_VALUE, "rnn.bias_ih_l0[2]: not a number" },
    { "rnn.weight_hh_l0", EDIT_STRING, LAB_MODEL_ERROR_VALUE, "rnn.weight_hh_l0[1][2]: not a number" },
    { "rnn.bias_ih_l0", EDIT_NAN, LAB_MODEL_ERROR_VALUE, "rnn.bias_ih_l0[2]: NaN or infinite value" },
    { "fc.weight", EDIT_NAN, LAB_MODEL_ERROR_VALUE, "fc.weight[0][2]: NaN or infinite value" },
    { "rnn.bias_ih_l0", EDIT_NEG_INF, LAB_MODEL_ERROR_VALUE, "rnn.bias_ih_l0[2]: NaN or infinite value" },
    { "rnn.weight_hh_l0", EDIT_NEG_INF, LAB_MODEL_ERROR_VALUE, "rnn.weight_hh_l0[1][2]: NaN or infinite value" },
    { "rnn.bias_hh_l0", EDIT_HUGE, LAB_MODEL_ERROR_VALUE, "rnn.bias_hh_l0[2]: NaN or infinite value" },
    { "rnn.bias_hh_l0", EDIT_FLOAT_RANGE, LAB_MODEL_ERROR_VALUE, "rnn.bias_hh_l0[2]: NaN or infinite value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int bare = 0; bare <= 1; bare++)
      {
        g_autofree char *text = NULL;

        text = edited_model (cases[i].tensor, cases[i].edit, bare);
        g_test_message ("case %u (%s)", i, bare ? "bare" : "with header");
        assert_refused (text, cases[i].code, cases[i].message);
      }
}

static void
test_malformed_header (void)
{
  g_autofree char *good = edited_model ("fc.bias", EDIT_NONE, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabModel) model = NULL;
  struct
  {
    const char *from, *to;
    int         code;
    const char *message;
  } cases[] = {
    { "\"rnn-lab-model\"", "\"keras\"", LAB_MODEL_ERROR_FORMAT, "format: expected \"rnn-lab-model\"" },
    { "\"version\" : 1", "\"version\" : 2", LAB_MODEL_ERROR_FORMAT, "version: 2 is not supported; accepted: 1" },
    { "\"cell\" : \"rnn\"", "\"cell\" : \"elman\"", LAB_MODEL_ERROR_FORMAT,
      "cell: expected \"rnn\", \"lstm\" or \"gru\"" },
    { "\"cell\" : \"rnn\"", "\"cell\" : \"lstm\"", LAB_MODEL_ERROR_FORMAT,
      "nonlinearity: belongs to the cell rnn only, not lstm" },
    { "\"input_size\" : 1", "\"input_size\" : 3", LAB_MODEL_ERROR_FORMAT, "input_size: expected 1" },
    { "\"hidden_size\" : 4", "\"hidden_size\" : 0", LAB_MODEL_ERROR_FORMAT,
      "hidden_size: expected an integer from 1 to" },
    /* The header says 5, the tensors have 4 rows. */
    { "\"hidden_size\" : 4", "\"hidden_size\" : 5", LAB_MODEL_ERROR_SHAPE,
      "rnn.weight_ih_l0: expected shape [5, 1], found [4, 1]" },
    { "\"state_dict\" : {", "\"weights\" : {", LAB_MODEL_ERROR_FORMAT, "state_dict: missing" },
  };

  model = load_text (good, &error);
  g_assert_no_error (error);
  g_assert_cmpint (model->hidden_size, ==, 4);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = g_strsplit (good, cases[i].from, -1);
      g_autofree char *text = g_strjoinv (cases[i].to, parts);

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_test_message ("header case %u", i);
      assert_refused (text, cases[i].code, cases[i].message);
    }

  assert_refused ("{\"format\": \"rnn-lab-model\", \"version\": 1, \"state_dict\": {",
                  LAB_MODEL_ERROR_PARSE, "not JSON: ");
  assert_refused ("", LAB_MODEL_ERROR_PARSE, "not JSON: ");
  assert_refused ("[1, 2, 3]", LAB_MODEL_ERROR_FORMAT, "expected a JSON object");
  assert_refused ("{\"something\": 1}", LAB_MODEL_ERROR_FORMAT, "something: unknown tensor; accepted: ");
  assert_refused ("{\"a\": NaNa}", LAB_MODEL_ERROR_PARSE, "not JSON: ");
  assert_refused ("\xff\xfe{}", LAB_MODEL_ERROR_PARSE, "not JSON: ");
}

/* ---- Hostile files (each found by a fuzzer or by hand) ------------------- */

static void
assert_refused_naming (const char *text,
                       int         code,
                       const char *prefix,
                       const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabModel) loaded = NULL;

  assert_refused (text, code, prefix);
  loaded = load_text (text, &error);
  if (strstr (error->message, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, error->message);
}

/* A good file with the first `from` replaced by `to`. */
static char *
good_with (const char *from,
           const char *to)
{
  g_autoptr(LabModel) model = random_model (4);
  g_autoptr(GBytes) bytes = lab_model_to_bytes (model, NULL);
  const char *good = g_bytes_get_data (bytes, NULL);
  const char *at = strstr (good, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - good), good, to, at + strlen (from));
}

static char *
nested (const char *prefix,
        int         depth,
        const char *suffix)
{
  GString *s = g_string_new (prefix);

  for (int i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (int i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
test_refused_nesting (void)
{
  g_autofree char *deep = nested ("{\"rnn.weight_ih_l0\": ", 100000, "}");
  g_autofree char *bare_deep = nested ("", 100000, "");
  g_autofree char *five = nested ("{\"rnn.weight_ih_l0\": ", 4, "}");
  g_autofree char *fooled = nested ("{\"rnn.weight_ih_l0\": /* \" */ ", 100000, "}");

  /* 100000 '[': refused before json-glib can recurse, with the limit named. */
  assert_refused_naming (deep, LAB_MODEL_ERROR_FORMAT, "not a model file: ",
                         "values nested more than 4 levels deep");
  assert_refused_naming (bare_deep, LAB_MODEL_ERROR_FORMAT, "not a model file: ",
                         "values nested more than 4 levels deep");
  /* Five levels: one more than a model file has. */
  assert_refused_naming (five, LAB_MODEL_ERROR_FORMAT, "not a model file: ",
                         "rnn.weight_ih_l0[0][0][0]: values nested more than 4");
  /* A comment holding a quote fooled the old depth count: comments are refused. */
  assert_refused_naming (fooled, LAB_MODEL_ERROR_PARSE, "not JSON: ", "comments are not JSON");
}

static void
test_refused_numbers (void)
{
  g_autofree char *text = NULL;
  g_autoptr(LabModel) model = NULL;
  g_autoptr(GError) error = NULL;
  struct { const char *value; int code; const char *needle; } cases[] = {
    /* Loaded as -1.0 before: json-glib wraps what does not fit in 64 bits. */
    { "99999999999999999999999999", LAB_MODEL_ERROR_VALUE,
      "fc.bias\"][0]: the integer 99999999999999999999999999 is out of range" },
    /* Loaded as -9.22e18 before. */
    { "9223372036854775808", LAB_MODEL_ERROR_VALUE,
      "fc.bias\"][0]: the integer 9223372036854775808 is out of range" },
    { "-9223372036854775809", LAB_MODEL_ERROR_VALUE, "fc.bias\"][0]: the integer -9223372036854775809 is out of range" },
    /* Fits in 64 bits, but a float would round it. */
    { "9223372036854775807", LAB_MODEL_ERROR_VALUE,
      "fc.bias[0]: the integer 9223372036854775807 has no exact float32 value" },
    { "16777217", LAB_MODEL_ERROR_VALUE, "fc.bias[0]: the integer 16777217 has no exact float32 value" },
    { "-Infinity", LAB_MODEL_ERROR_VALUE, "fc.bias[0]: NaN or infinite value" },
    { "Infinity", LAB_MODEL_ERROR_VALUE, "fc.bias[0]: NaN or infinite value" },
    { "1e39", LAB_MODEL_ERROR_VALUE, "fc.bias[0]: NaN or infinite value" },
    /* Not JSON numbers. */
    { "0x10", LAB_MODEL_ERROR_PARSE, "expected ',' or ']'" },
    { "+1", LAB_MODEL_ERROR_PARSE, "unexpected '+'" },
    { "01", LAB_MODEL_ERROR_PARSE, "leading zero" },
    { "1.", LAB_MODEL_ERROR_PARSE, "a digit after '.'" },
    { ".5", LAB_MODEL_ERROR_PARSE, "unexpected '.'" },
    { "-", LAB_MODEL_ERROR_PARSE, "a digit after '-'" },
    { "1e", LAB_MODEL_ERROR_PARSE, "exponent" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bias = g_strdup_printf ("\"fc.bias\": [%s]", cases[i].value);
      g_autofree char *bad = NULL;
      GRegex *regex = g_regex_new ("\"fc\\.bias\": \\[[^\\]]*\\]", 0, 0, NULL);
      g_autoptr(LabModel) good = random_model (4);
      g_autoptr(GBytes) bytes = lab_model_to_bytes (good, NULL);

      bad = g_regex_replace_literal (regex, g_bytes_get_data (bytes, NULL), -1, 0, bias, 0, NULL);
      g_regex_unref (regex);
      g_assert_nonnull (strstr (bad, bias));
      g_test_message ("value %s", cases[i].value);
      assert_refused_naming (bad, cases[i].code, "", cases[i].needle);
    }

  /* What a float holds exactly is read exactly. */
  text = g_strdup ("{\"rnn.weight_ih_l0\": [[16777216]], \"rnn.weight_hh_l0\": [[-1073741824]],"
                   " \"rnn.bias_ih_l0\": [0], \"rnn.bias_hh_l0\": [-0.0],"
                   " \"fc.weight\": [[1e-45]], \"fc.bias\": [3.4028234663852886e38]}");
  model = load_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (model->params[0], ==, 16777216.0f);
  g_assert_cmpfloat (model->params[1], ==, -1073741824.0f);
  g_assert_cmpfloat (model->params[5], ==, 3.4028234663852886e38f);
}

static void
test_refused_structure (void)
{
  g_autofree char *layer1 = good_with ("\"state_dict\": {",
                                       "\"state_dict\": {\n    \"rnn.weight_ih_l1\": [[0.5]],");
  g_autofree char *extra = good_with ("\"state_dict\": {",
                                      "\"state_dict\": {\n    \"rnn.weight_ih\": [[0.5]],");
  g_autofree char *dup_hidden = good_with ("\"hidden_size\": 4,", "\"hidden_size\": 4, \"hidden_size\": 5,");
  g_autofree char *dup_format = good_with ("\"format\": \"rnn-lab-model\",",
                                           "\"format\": \"keras\", \"format\": \"rnn-lab-model\",");
  g_autofree char *dup_escaped = good_with ("\"hidden_size\": 4,", "\"hidden_size\": 4, \"hidden\\u005fsize\": 4,");
  g_autofree char *good = edited_model ("fc.bias", EDIT_NONE, FALSE);
  g_autofree char *two = g_strconcat (good, good, NULL);
  g_autofree char *nan_key = good_with ("\"version\": 1,", "\"version\": 1, \"junk\": NaN,");
  g_autofree char *comment = good_with ("\"version\": 1,", "\"version\": 1, /* a comment */");
  g_autofree char *nul_key = good_with ("\"format\"", "\"format\\u0000 tail\"");
  g_autofree char *nul_value = good_with ("\"rnn-lab-model\"", "\"rnn-lab-model\\u0000junk\"");
  g_autofree char *trailing = good_with ("\"version\": 1,", "\"version\": 1,,");
  g_autofree char *quotes = good_with ("\"version\": 1,", "'version': 1,");
  g_autofree char *bare_word = good_with ("\"version\": 1,", "\"version\": one,");
  g_autofree char *control = good_with ("\"rnn-lab-model\"", "\"rnn-lab\x1b[31m-model\"");

  /* A second layer is not dropped without a word. */
  assert_refused (layer1, LAB_MODEL_ERROR_FORMAT,
                  "rnn.weight_ih_l1: a tensor of another layer; accepted: a one-layer RNN");
  assert_refused (extra, LAB_MODEL_ERROR_FORMAT, "rnn.weight_ih: unknown tensor; accepted: ");
  /* Duplicate keys: the last one won before, even format and hidden_size. */
  assert_refused_naming (dup_hidden, LAB_MODEL_ERROR_FORMAT, "not a model file: ",
                         "the key \"hidden_size\" appears twice");
  assert_refused_naming (dup_format, LAB_MODEL_ERROR_FORMAT, "not a model file: ",
                         "the key \"format\" appears twice");
  assert_refused_naming (dup_escaped, LAB_MODEL_ERROR_FORMAT, "not a model file: ",
                         "the key \"hidden_size\" appears twice");
  /* Two objects in one file. */
  assert_refused_naming (two, LAB_MODEL_ERROR_PARSE, "not JSON: ", "one JSON value per file");
  /* NaN or a comment in an unknown key made an otherwise invalid file parse. */
  assert_refused (nan_key, LAB_MODEL_ERROR_FORMAT, "junk: unknown key; accepted: format, version");
  assert_refused_naming (comment, LAB_MODEL_ERROR_PARSE, "not JSON: ", "comments are not JSON");
  /* "format\u0000 tail" was read as "format". */
  assert_refused_naming (nul_key, LAB_MODEL_ERROR_PARSE, "not JSON: ", "\\u0000");
  assert_refused_naming (nul_value, LAB_MODEL_ERROR_PARSE, "not JSON: ", "\\u0000");
  /* What json-glib would read leniently. */
  assert_refused_naming (trailing, LAB_MODEL_ERROR_PARSE, "not JSON: ", "expected a key");
  assert_refused_naming (quotes, LAB_MODEL_ERROR_PARSE, "not JSON: ", "expected a key in double quotes");
  assert_refused_naming (bare_word, LAB_MODEL_ERROR_PARSE, "not JSON: ", "unexpected 'o'");
  assert_refused_naming (control, LAB_MODEL_ERROR_PARSE, "not JSON: ", "a control character");
}

static void
test_refused_size (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-size-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LabModel) model = NULL;
  g_autofree char *limit = g_format_size_full (RNN_MODEL_FILE_MAX, G_FORMAT_SIZE_LONG_FORMAT);
  GString *many;
  int fd;

  /* One byte over the bound: refused from its size, nothing read (the file is sparse). */
  fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) RNN_MODEL_FILE_MAX + 1), ==, 0);
  close (fd);
  model = lab_model_load_file (big, &error);
  g_assert_null (model);
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, limit));
  {
    g_autofree char *largest = g_strdup_printf ("%d hidden units", RNN_HIDDEN_MAX);

    g_assert_nonnull (strstr (error->message, largest));
  }
  g_clear_error (&error);

  /* The same bound on bytes from elsewhere. */
  {
    char *zeros = g_malloc0 (RNN_MODEL_FILE_MAX + 1);
    g_autoptr(GBytes) bytes = g_bytes_new_take (zeros, RNN_MODEL_FILE_MAX + 1);

    model = lab_model_load_bytes (bytes, &error);
    g_assert_null (model);
    g_assert_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, limit));
    g_clear_error (&error);
  }

  /* Within the size bound but more values than the largest model has. */
  many = g_string_new ("{\"rnn.weight_ih_l0\": [0");
  for (gsize i = 0; i < RNN_MODEL_FILE_VALUES_MAX; i++)
    g_string_append (many, ",0");
  g_string_append (many, "]}");
  g_assert_cmpuint (many->len, <, RNN_MODEL_FILE_MAX);
  assert_refused_naming (many->str, LAB_MODEL_ERROR_FORMAT, "not a model file: ", "values; accepted: at most");
  {
    g_autofree char *largest = g_strdup_printf ("more values than a model of %d hidden units", RNN_HIDDEN_MAX);

    assert_refused_naming (many->str, LAB_MODEL_ERROR_FORMAT, "not a model file: ", largest);
  }
  g_string_free (many, TRUE);

  /* A FIFO and a device are refused at once, never waited on or read. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  model = lab_model_load_file (fifo, &error);
  g_assert_null (model);
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_NOT_REGULAR);
  g_clear_error (&error);
  model = lab_model_load_file ("/dev/zero", &error);
  g_assert_null (model);
  g_assert_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_NOT_REGULAR);
  g_clear_error (&error);
  model = lab_model_load_file (dir, &error);
  g_assert_null (model);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);

  g_remove (fifo);
  g_remove (big);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_hidden_size_mismatch (void)
{
  g_autoptr(LabModel) model = random_model (32);
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_model_check_hidden_size (model, 32, "--hidden-size", &error));
  g_assert_no_error (error);
  g_assert_false (lab_model_check_hidden_size (model, 50, "--hidden-size", &error));
  g_assert_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_MISMATCH);
  g_assert_cmpstr (error->message, ==, "hidden size 32 in the file does not match --hidden-size 50");
}

/* ---- Saving ------------------------------------------------------------ */

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_save_atomic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("rnn-lab-save-XXXXXX", NULL);
  g_autofree char *good_path = g_build_filename (dir, "good.json", NULL);
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *under_file = g_build_filename (blocker, "model.json", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "missing", "model.json", NULL);
  g_autofree char *ro_dir = g_build_filename (dir, "read-only", NULL);
  g_autofree char *ro_path = g_build_filename (ro_dir, "model.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(LabModel) model = random_model (3);
  g_autoptr(LabModel) broken = lab_model_copy (model);
  g_autoptr(GError) error = NULL;

  g_assert_true (lab_model_save_file (model, good_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));

  /* A folder that does not exist, a path through a file: refused, nothing written. */
  g_assert_false (lab_model_save_file (model, missing_dir, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_false (lab_model_save_file (model, under_file, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));

  /* A model with a NaN is not saved, and the good file it would replace stays. */
  g_assert_true (g_file_get_contents (good_path, &before, NULL, NULL));
  broken->params[5] = NAN;
  g_assert_false (lab_model_save_file (broken, good_path, &error));
  g_assert_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "rnn.weight_hh_l0: NaN or infinite value");
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (good_path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  /* A read-only folder (only meaningful when not running as root, who may write anyway). */
  g_assert_cmpint (g_mkdir (ro_dir, 0555), ==, 0);
  if (access (ro_dir, W_OK) != 0)
    {
      g_assert_false (lab_model_save_file (model, ro_path, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      g_clear_error (&error);
      g_assert_cmpuint (count_entries (ro_dir), ==, 0);
    }
  else
    g_test_message ("running as root: the read-only folder is writable, that part is skipped");

  /* No temporary file left behind: good.json, not-a-folder, read-only. */
  g_assert_cmpuint (count_entries (dir), ==, 3);

  g_remove (ro_path);
  g_rmdir (ro_dir);
  g_remove (blocker);
  g_remove (good_path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_load_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabModel) model = NULL;

  model = lab_model_load_file ("no-such-model-file.json", &error);
  g_assert_null (model);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  /* The caller names the file; the message says what happened. */
  g_assert_cmpstr (error->message, ==, "could not open the file: No such file or directory");
}

/* LSTM and GRU models: PyTorch's shapes, bit-exact round trips with and
 * without the header, the cell read from a bare state_dict's shapes, and a
 * bare state_dict that fits no cell refused with every cell's shapes. */
static void
test_cells (void)
{
  for (int cell = RNN_CELL_LSTM; cell <= RNN_CELL_GRU; cell++)
    {
      const int H = 5, G = rnn_cell_gate_count (cell);
      gsize n = rnn_model_n_params (cell, 1, H, 1);
      g_autofree float *params = g_new (float, n);
      g_autoptr(GError) error = NULL;

      for (gsize i = 0; i < n; i++)
        params[i] = (float) i / 7.0f - 3.0f;
      g_autoptr(LabModel) model = lab_model_new_from_params (1, H, 1, params, n);
      g_assert_nonnull (model);
      g_assert_cmpint (model->cell, ==, cell);
      g_assert_null (lab_model_new_from_params (1, H, 1, params, n - 1));

      g_autoptr(GBytes) bytes = lab_model_to_bytes (model, &error);
      g_assert_no_error (error);
      const char *text = g_bytes_get_data (bytes, NULL);
      g_autofree char *cell_line = g_strdup_printf ("\"cell\": \"%s\"", rnn_cell_name (cell));
      g_assert_nonnull (strstr (text, cell_line));
      g_assert_null (strstr (text, "nonlinearity"));

      g_autoptr(LabModel) back = lab_model_load_bytes (bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->cell, ==, cell);
      g_assert_cmpint (back->hidden_size, ==, H);
      g_assert_cmpuint (back->n_params, ==, n);
      g_assert_true (memcmp (back->params, params, n * sizeof (float)) == 0);

      /* the state_dict alone, as PyTorch's json.dump of it writes it */
      g_autoptr(JsonParser) parser = json_parser_new ();
      json_parser_load_from_data (parser, text, -1, &error);
      g_assert_no_error (error);
      JsonNode *state = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "state_dict");
      g_autofree char *bare = json_to_string (state, FALSE);
      g_autoptr(LabModel) from_bare = load_text (bare, &error);
      g_assert_no_error (error);
      g_assert_cmpint (from_bare->cell, ==, cell);
      g_assert_cmpint (from_bare->hidden_size, ==, H);
      g_assert_true (memcmp (from_bare->params, params, n * sizeof (float)) == 0);

      /* W_ih with one gate block too many or too few fits no cell */
      JsonArray *w_ih = json_object_get_array_member (json_node_get_object (state), "rnn.weight_ih_l0");
      g_assert_cmpuint (json_array_get_length (w_ih), ==, (guint) (G * H));
      json_array_remove_element (w_ih, 0);
      g_autofree char *wrong = json_to_string (state, FALSE);
      assert_refused (wrong, LAB_MODEL_ERROR_SHAPE, "rnn.weight_hh_l0: expected shape");
      g_autoptr(LabModel) none = load_text (wrong, &error);
      g_assert_null (none);
      g_assert_nonnull (strstr (error->message, "lstm [4H, 1] and [4H, H], gru [3H, 1] and [3H, H]"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/model-io/round-trip", test_round_trip);
  g_test_add_func ("/app/model-io/saved-text", test_saved_text);
  g_test_add_func ("/app/model-io/bare-state-dict", test_bare_state_dict);
  g_test_add_func ("/app/model-io/python-text", test_python_text);
  g_test_add_func ("/app/model-io/tutorial", test_tutorial);
  g_test_add_func ("/app/model-io/malformed/tensors", test_malformed);
  g_test_add_func ("/app/model-io/malformed/header", test_malformed_header);
  g_test_add_func ("/app/model-io/malformed/hidden-size", test_hidden_size_mismatch);
  g_test_add_func ("/app/model-io/refused/nesting", test_refused_nesting);
  g_test_add_func ("/app/model-io/refused/numbers", test_refused_numbers);
  g_test_add_func ("/app/model-io/refused/structure", test_refused_structure);
  g_test_add_func ("/app/model-io/refused/size", test_refused_size);
  g_test_add_func ("/app/model-io/save/atomic", test_save_atomic);
  g_test_add_func ("/app/model-io/load/file-errors", test_load_file_errors);
  g_test_add_func ("/app/model-io/cells", test_cells);

  return g_test_run ();
}
