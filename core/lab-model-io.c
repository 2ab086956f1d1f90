/* lab-model-io.c: reading and writing the model file with json-glib.
 *
 * Reading checks every tensor against the shape the sizes imply and says
 * which one is wrong and how; it builds a new LabModel and touches nothing
 * else, so a refused file changes nothing. Writing produces the text in
 * memory (floats in the shortest form that reads back to the same float32)
 * and replaces the file atomically.
 */
#include <math.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif
#include <json-glib/json-glib.h>

#include "data/lab-data-resources.h"
#include "engine/limits.h"
#include "engine/rnn.h"

#include "core/lab-file-io.h"
#include "core/lab-json-guard.h"
#include "core/lab-model-io.h"
#include "core/lab-text.h"

G_DEFINE_QUARK (lab-model-error-quark, lab_model_error)

gsize
lab_model_param_count (int input_size,
                       int hidden_size,
                       int output_size)
{
  gsize n = 0;

  for (int t = 0; t < RNN_N_TENSORS; t++)
    {
      int rows, cols;

      rnn_tensor_shape (RNN_CELL_RNN, t, input_size, hidden_size, output_size, &rows, &cols);
      n += (gsize) rows * (gsize) cols;
    }
  return n;
}

LabModel *
lab_model_new (int input_size,
               int hidden_size,
               int output_size)
{
  LabModel *model;

  g_return_val_if_fail (input_size > 0 && hidden_size > 0 && output_size > 0, NULL);

  model = g_new0 (LabModel, 1);
  model->input_size = input_size;
  model->hidden_size = hidden_size;
  model->output_size = output_size;
  model->n_params = lab_model_param_count (input_size, hidden_size, output_size);
  model->params = g_new0 (float, model->n_params);
  return model;
}

LabModel *
lab_model_new_from_params (int          input_size,
                           int          hidden_size,
                           int          output_size,
                           const float *params,
                           gsize        n_params)
{
  LabModel *model;

  g_return_val_if_fail (params != NULL, NULL);

  for (int cell = 0; cell < RNN_N_CELLS; cell++)
    if (n_params == rnn_model_n_params (cell, input_size, hidden_size, output_size))
      {
        model = g_new0 (LabModel, 1);
        model->input_size = input_size;
        model->hidden_size = hidden_size;
        model->output_size = output_size;
        model->cell = cell;
        model->n_params = n_params;
        model->params = g_memdup2 (params, n_params * sizeof (float));
        return model;
      }
  return NULL;
}

LabModel *
lab_model_copy (const LabModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  return lab_model_new_from_params (model->input_size, model->hidden_size,
                                    model->output_size, model->params, model->n_params);
}

void
lab_model_free (LabModel *model)
{
  if (model == NULL)
    return;
  g_free (model->params);
  g_free (model);
}

/* ---- Reading ----------------------------------------------------------- */

/* "[50, 49]", "[50]", "[]" or what the node is when it is not an array:
 * the dimensions follow the first element down. */
static char *
describe_found (JsonNode *node)
{
  g_autoptr(GString) s = g_string_new ("[");
  gboolean first = TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        return g_strdup (_("an object"));
      if (JSON_NODE_HOLDS_NULL (node))
        return g_strdup (_("null"));
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (_("a string"));
      return g_strdup (_("a single value"));
    }

  while (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint len = json_array_get_length (array);

      g_string_append_printf (s, first ? "%u" : ", %u", len);
      first = FALSE;
      if (len == 0)
        break;
      node = json_array_get_element (array, 0);
    }
  g_string_append_c (s, ']');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
describe_expected (RnnTensor t,
                   int       rows,
                   int       cols)
{
  if (rnn_tensor_ndim (t) == 2)
    return g_strdup_printf ("[%d, %d]", rows, cols);
  return g_strdup_printf ("[%d]", rows);
}

static gboolean
shape_error (RnnTensor   t,
             int         rows,
             int         cols,
             JsonNode   *found,
             GError    **error)
{
  g_autofree char *expected = describe_expected (t, rows, cols);
  g_autofree char *got = describe_found (found);

  g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_SHAPE,
               _("%s: expected shape %s, found %s"),
               rnn_tensor_name (t), expected, got);
  return FALSE;
}

/* One number into *out; the location (tensor, row, column) names it in errors. */
static gboolean
read_value (JsonNode  *node,
            RnnTensor  t,
            int        row,
            int        col,
            float     *out,
            GError   **error)
{
  g_autofree char *where = NULL;
  GType type;
  double v;

  if (col >= 0)
    where = g_strdup_printf ("%s[%d][%d]", rnn_tensor_name (t), row, col);
  else
    where = g_strdup_printf ("%s[%d]", rnn_tensor_name (t), row);

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    {
      /* An integer (the guard has refused those beyond 64 bits) must be one
       * a float holds exactly: 16777217 would silently become 16777216. */
      gint64 i = json_node_get_int (node);
      float f = (float) i;

      if (!(fabsf (f) < 0x1p63f && (gint64) f == i))
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, i);

          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_VALUE,
                       _("%s: the integer %s has no exact float32 value; "
                         "accepted: integers a float32 holds exactly (any up to 16777216), "
                         "or numbers with a decimal point"),
                       where, text);
          return FALSE;
        }
      v = (double) i;
    }
  else if (type == G_TYPE_DOUBLE)
    v = json_node_get_double (node);
  else
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_VALUE,
                   _("%s: not a number"), where);
      return FALSE;
    }

  /* The value as PyTorch stores it: the float32 nearest to the double. */
  *out = (float) v;
  if (!isfinite (*out))
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_VALUE,
                   _("%s: NaN or infinite value"), where);
      return FALSE;
    }
  return TRUE;
}

/* Reads tensor t of the given shape from node into out (rows * cols floats, row-major). */
static gboolean
read_tensor (JsonNode   *node,
             RnnTensor   t,
             int         rows,
             int         cols,
             float      *out,
             GError    **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return shape_error (t, rows, cols, node, error);
  array = json_node_get_array (node);
  if (json_array_get_length (array) != (guint) rows)
    return shape_error (t, rows, cols, node, error);

  for (int r = 0; r < rows; r++)
    {
      JsonNode *element = json_array_get_element (array, r);

      if (rnn_tensor_ndim (t) == 1)
        {
          if (JSON_NODE_HOLDS_ARRAY (element))
            return shape_error (t, rows, cols, node, error);
          if (!read_value (element, t, r, -1, &out[r], error))
            return FALSE;
        }
      else
        {
          JsonArray *row;

          if (!JSON_NODE_HOLDS_ARRAY (element))
            return shape_error (t, rows, cols, node, error);
          row = json_node_get_array (element);
          /* A wrong first row is a wrong shape ("found [50, 49]"); a later one, a ragged array. */
          if (r == 0 && json_array_get_length (row) != (guint) cols)
            return shape_error (t, rows, cols, node, error);
          if (json_array_get_length (row) != (guint) cols)
            {
              g_autofree char *expected = describe_expected (t, rows, cols);

              g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_SHAPE,
                           _("%s: expected shape %s, found %u values in row %d"),
                           rnn_tensor_name (t), expected,
                           json_array_get_length (row), r);
              return FALSE;
            }
          for (int c = 0; c < cols; c++)
            {
              JsonNode *value = json_array_get_element (row, c);

              if (JSON_NODE_HOLDS_ARRAY (value))
                return shape_error (t, rows, cols, node, error);
              if (!read_value (value, t, r, c, &out[(gsize) r * cols + c], error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* An integer member of the header, or -1 with an error. */
static gboolean
read_header_int (JsonObject  *root,
                 const char  *name,
                 gboolean     required,
                 gint64       lo,
                 gint64       hi,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("%s: missing"), name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < lo || json_node_get_int (node) > hi)
    {
      /* The bounds are small (sizes): int is enough. */
      if (lo == hi)
        g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                     _("%s: expected %d"), name, (int) lo);
      else
        g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                     _("%s: expected an integer from %d to %d"), name, (int) lo, (int) hi);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_header_string (JsonObject  *root,
                    const char  *name,
                    const char  *expected,
                    gboolean     required,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || g_strcmp0 (json_node_get_string (node), expected) != 0)
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("%s: expected \"%s\""), name, expected);
      return FALSE;
    }
  return TRUE;
}

static const char *const header_keys[] = {
  "format", "version", "cell", "nonlinearity", "input_size", "hidden_size", "output_size",
  "state_dict", NULL,
};

static gboolean
is_tensor_name (const char *key)
{
  for (int t = 0; t < RNN_N_TENSORS; t++)
    if (g_str_equal (key, rnn_tensor_name (t)))
      return TRUE;
  return FALSE;
}

/* Refuses a key the model does not have: a tensor of a second layer
 * (rnn.weight_ih_l1 ...) or any other would be dropped without a word. */
static gboolean
check_members (JsonObject  *object,
               gboolean     tensors,
               GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *quoted = NULL;

      if (tensors ? is_tensor_name (key) : g_strv_contains (header_keys, key))
        continue;
      quoted = lab_text_sanitize (key, -1);
      if (tensors && g_str_has_prefix (key, "rnn.") && strstr (key, "_l") != NULL)
        g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                     _("%s: a tensor of another layer; accepted: a one-layer RNN "
                       "(the tensors ending in _l0)"), quoted);
      else if (tensors)
        g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                     _("%s: unknown tensor; accepted: rnn.weight_ih_l0, rnn.weight_hh_l0, "
                       "rnn.bias_ih_l0, rnn.bias_hh_l0, fc.weight, fc.bias"), quoted);
      else
        g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                     _("%s: unknown key; accepted: format, version, cell, nonlinearity, "
                       "input_size, hidden_size, output_size, state_dict"), quoted);
      return FALSE;
    }
  return TRUE;
}


/* "cell": absent (rnn), or one of the engine's cell names. */
static gboolean
read_header_cell (JsonObject  *root,
                  RnnCell     *cell,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (root, "cell");

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || rnn_cell_from_name (json_node_get_string (node), cell) != 0)
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("cell: expected \"rnn\", \"lstm\" or \"gru\""));
      return FALSE;
    }
  if (*cell != RNN_CELL_RNN && json_object_has_member (root, "nonlinearity"))
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("nonlinearity: belongs to the cell rnn only, not %s"), rnn_cell_name (*cell));
      return FALSE;
    }
  return TRUE;
}

/* A bare state_dict: the cell from the shapes. rnn.weight_hh_l0 is [G H, H]
 * for G = 1, 4, 3 gate blocks (rnn, lstm, gru); *H comes in as the row
 * count of rnn.weight_ih_l0 (G H) and leaves as H. Returns FALSE when no
 * cell fits; the caller then reads the tensors as an rnn's, which names the
 * first one that is wrong, and adds the shapes every cell accepts. */
static gboolean
cell_from_shapes (JsonObject *state,
                  RnnCell    *cell,
                  gint64     *H)
{
  JsonNode *w_hh = json_object_get_member (state, rnn_tensor_name (RNN_TENSOR_W_HH));
  JsonArray *rows;
  JsonNode *first;
  gint64 cols;

  if (w_hh == NULL || !JSON_NODE_HOLDS_ARRAY (w_hh)
      || json_array_get_length (rows = json_node_get_array (w_hh)) == 0
      || !JSON_NODE_HOLDS_ARRAY (first = json_array_get_element (rows, 0)))
    return FALSE;
  cols = json_array_get_length (json_node_get_array (first));
  for (int c = 0; c < RNN_N_CELLS; c++)
    if (cols >= RNN_HIDDEN_MIN && *H == rnn_cell_gate_count (c) * cols)
      {
        *cell = c;
        *H = cols;
        return TRUE;
      }
  return FALSE;
}

static LabModel *
model_from_root (JsonNode  *root_node,
                 GError   **error)
{
  g_autoptr(LabModel) model = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *root;
  JsonObject *state;
  gint64 I = 1, H = 0, O = 1;
  RnnCell cell = RNN_CELL_RNN;
  gboolean no_cell_fits = FALSE;
  gsize offset = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("expected a JSON object with the model's tensors"));
      return NULL;
    }
  root = json_node_get_object (root_node);

  if (json_object_has_member (root, "format") || json_object_has_member (root, "state_dict"))
    {
      JsonNode *state_node;
      JsonNode *version;

      if (!read_header_string (root, "format", LAB_MODEL_FORMAT, TRUE, error))
        return NULL;
      version = json_object_get_member (root, "version");
      if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
          || json_node_get_value_type (version) != G_TYPE_INT64
          || json_node_get_int (version) != LAB_MODEL_VERSION)
        {
          g_autofree char *text = version ? json_to_string (version, FALSE) : g_strdup (_("missing"));
          g_autofree char *found = lab_text_sanitize (text, -1);

          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                       _("version: %s is not supported; accepted: %d"),
                       found, LAB_MODEL_VERSION);
          return NULL;
        }
      if (!read_header_cell (root, &cell, error)
          || (cell == RNN_CELL_RNN && !read_header_string (root, "nonlinearity", "tanh", FALSE, error))
          || !read_header_int (root, "input_size", FALSE, 1, 1, &I, error)
          || !read_header_int (root, "output_size", FALSE, 1, 1, &O, error)
          || !read_header_int (root, "hidden_size", TRUE, RNN_HIDDEN_MIN, RNN_HIDDEN_MAX, &H, error))
        return NULL;

      state_node = json_object_get_member (root, "state_dict");
      if (state_node == NULL || !JSON_NODE_HOLDS_OBJECT (state_node))
        {
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                       state_node == NULL ? _("state_dict: missing")
                                          : _("state_dict: expected an object"));
          return NULL;
        }
      state = json_node_get_object (state_node);
      if (!check_members (root, FALSE, error) || !check_members (state, TRUE, error))
        return NULL;
    }
  else
    {
      /* A bare state_dict: the hidden size is the row count of the first tensor. */
      const char *first = rnn_tensor_name (RNN_TENSOR_W_IH);
      JsonNode *w_ih = json_object_get_member (root, first);

      state = root;
      if (!check_members (state, TRUE, error))
        return NULL;
      if (w_ih == NULL)
        {
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_MISSING,
                       _("%s: missing"), first);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (w_ih)
          || json_array_get_length (json_node_get_array (w_ih)) < RNN_HIDDEN_MIN
          || json_array_get_length (json_node_get_array (w_ih)) > 4 * RNN_HIDDEN_MAX)
        {
          g_autofree char *got = describe_found (w_ih);

          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_SHAPE,
                       _("%s: expected shape [G H, 1] (G = 1, 4, 3 for rnn, lstm, gru) with H "
                         "from %d to %d, found %s"),
                       first, RNN_HIDDEN_MIN, RNN_HIDDEN_MAX, got);
          return NULL;
        }
      H = json_array_get_length (json_node_get_array (w_ih));
      no_cell_fits = !cell_from_shapes (state, &cell, &H);
      if (!no_cell_fits && H > RNN_HIDDEN_MAX)
        {
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_SHAPE,
                       _("hidden size %d is out of range; accepted: %d to %d"),
                       (int) H, RNN_HIDDEN_MIN, RNN_HIDDEN_MAX);
          return NULL;
        }
    }

  model = lab_model_new ((int) I, (int) H, (int) O);
  model->cell = cell;
  model->n_params = rnn_model_n_params (cell, (int) I, (int) H, (int) O);
  model->params = g_renew (float, model->params, model->n_params);
  for (int t = 0; t < RNN_N_TENSORS; t++)
    {
      JsonNode *node = json_object_get_member (state, rnn_tensor_name (t));
      int rows, cols;

      if (node == NULL)
        {
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_MISSING,
                       _("%s: missing"), rnn_tensor_name (t));
          return NULL;
        }
      rnn_tensor_shape (cell, t, model->input_size, model->hidden_size, model->output_size, &rows, &cols);
      if (!read_tensor (node, t, rows, cols, model->params + offset, &local))
        {
          if (no_cell_fits && local->code == LAB_MODEL_ERROR_SHAPE)
            g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_SHAPE,
                         _("%s; no cell fits: for hidden size H, rnn has %s [H, 1] and %s [H, H], "
                           "lstm [4H, 1] and [4H, H], gru [3H, 1] and [3H, H]"),
                         local->message, rnn_tensor_name (RNN_TENSOR_W_IH),
                         rnn_tensor_name (RNN_TENSOR_W_HH));
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      offset += (gsize) rows * cols;
    }
  g_assert (offset == model->n_params);
  return g_steal_pointer (&model);
}

/* How the guard reads a model file: four levels (file, state_dict, matrix,
 * row), as many values as the largest model has, 64-bit integers, and
 * Python's NaN and Infinity read as non-finite numbers so that the message
 * names the tensor that holds one. */
static const LabJsonLimits model_json_limits = {
  .max_depth = RNN_MODEL_FILE_DEPTH_MAX,
  .max_values = RNN_MODEL_FILE_VALUES_MAX,
  .flags = LAB_JSON_INT64 | LAB_JSON_NONFINITE_WORDS,
};

static char *
describe_limit (void)
{
  g_autofree char *size = g_format_size_full (RNN_MODEL_FILE_MAX, G_FORMAT_SIZE_LONG_FORMAT);

  /* TRANSLATORS: what a model file may be at most, in an error message */
  return g_strdup_printf (_("a model file (a model of %d hidden units, the largest, is at most %s)"),
                          RNN_HIDDEN_MAX, size);
}

LabModel *
lab_model_load_bytes (GBytes  *bytes,
                      GError **error)
{
  g_autoptr(GError) json_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *text;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_PARSE,
                   _("not JSON: the file is empty"));
      return NULL;
    }
  if (len > RNN_MODEL_FILE_MAX)
    {
      g_autofree char *what = describe_limit ();
      g_autofree char *limit = g_format_size_full (RNN_MODEL_FILE_MAX, G_FORMAT_SIZE_LONG_FORMAT);

      g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                   _("the file is too large for %s; accepted: at most %s"), what, limit);
      return NULL;
    }

  root = lab_json_parse (text, len, &model_json_limits, NULL, &json_error);
  if (root == NULL)
    {
      switch (json_error->code)
        {
        case LAB_JSON_ERROR_NUMBER:
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_VALUE, "%s", json_error->message);
          break;
        case LAB_JSON_ERROR_TOO_MANY:
          /* A model larger than the app's largest: say so in hidden units. */
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                       _("not a model file: more values than a model of %d hidden units (the largest) "
                         "holds; %s"), RNN_HIDDEN_MAX, json_error->message);
          break;
        case LAB_JSON_ERROR_DEPTH:
        case LAB_JSON_ERROR_DUPLICATE:
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_FORMAT,
                       _("not a model file: %s"), json_error->message);
          break;
        default:
          g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_PARSE,
                       _("not JSON: %s"), json_error->message);
          break;
        }
      return NULL;
    }
  return model_from_root (root, error);
}

LabModel *
lab_model_load_file (const char  *path,
                     GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  what = describe_limit ();
  bytes = lab_file_read (path, RNN_MODEL_FILE_MAX, what, error);
  if (bytes == NULL)
    return NULL;
  return lab_model_load_bytes (bytes, error);
}

gboolean
lab_model_check_hidden_size (const LabModel  *model,
                             int              expected_hidden,
                             const char      *what,
                             GError         **error)
{
  g_return_val_if_fail (model != NULL, FALSE);

  if (model->hidden_size == expected_hidden)
    return TRUE;
  g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_MISMATCH,
               _("hidden size %d in the file does not match %s %d"),
               model->hidden_size, what, expected_hidden);
  return FALSE;
}

/* ---- Writing ----------------------------------------------------------- */

/* The shortest decimal that Python's float() and our reader (strtod, then
 * rounding to float32) both turn back into v; always with a '.' or an
 * exponent, so that Python reads a float, not an int. */
static void
append_float (GString *s,
              float    v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 6; digits <= 9; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, (double) v);
      if ((float) g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (s, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (s, ".0");
}

GBytes *
lab_model_to_bytes (const LabModel  *model,
                    GError         **error)
{
  g_autoptr(GString) s = NULL;
  gsize offset = 0;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (model->n_params == rnn_model_n_params (model->cell, model->input_size,
                                                                model->hidden_size,
                                                                model->output_size), NULL);

  s = g_string_sized_new (256 + model->n_params * 16);
  g_string_append_printf (s,
                          "{\n"
                          "  \"format\": \"%s\",\n"
                          "  \"version\": %d,\n"
                          "  \"cell\": \"%s\",\n"
                          "%s"
                          "  \"input_size\": %d,\n"
                          "  \"hidden_size\": %d,\n"
                          "  \"output_size\": %d,\n"
                          "  \"state_dict\": {\n",
                          LAB_MODEL_FORMAT, LAB_MODEL_VERSION, rnn_cell_name (model->cell),
                          model->cell == RNN_CELL_RNN ? "  \"nonlinearity\": \"tanh\",\n" : "",
                          model->input_size, model->hidden_size, model->output_size);

  for (int t = 0; t < RNN_N_TENSORS; t++)
    {
      const float *p;
      int rows, cols;

      rnn_tensor_shape (model->cell, t, model->input_size, model->hidden_size, model->output_size, &rows, &cols);
      p = model->params + offset;
      for (gsize i = 0; i < (gsize) rows * cols; i++)
        if (!isfinite (p[i]))
          {
            g_set_error (error, LAB_MODEL_ERROR, LAB_MODEL_ERROR_VALUE,
                         _("%s: NaN or infinite value"), rnn_tensor_name (t));
            return NULL;
          }

      g_string_append_printf (s, "    \"%s\": [", rnn_tensor_name (t));
      if (rnn_tensor_ndim (t) == 2)
        {
          /* One row per line. */
          for (int r = 0; r < rows; r++)
            {
              g_string_append (s, r == 0 ? "\n      [" : ",\n      [");
              for (int c = 0; c < cols; c++)
                {
                  if (c > 0)
                    g_string_append (s, ", ");
                  append_float (s, p[(gsize) r * cols + c]);
                }
              g_string_append_c (s, ']');
            }
          g_string_append (s, "\n    ]");
        }
      else
        {
          /* Eight values per line. */
          for (int r = 0; r < rows; r++)
            {
              if (r > 0)
                g_string_append (s, r % 8 == 0 ? ",\n      " : ", ");
              else if (rows > 8)
                g_string_append (s, "\n      ");
              append_float (s, p[r]);
            }
          g_string_append (s, rows > 8 ? "\n    ]" : "]");
        }
      g_string_append (s, t + 1 < RNN_N_TENSORS ? ",\n" : "\n");
      offset += (gsize) rows * cols;
    }
  g_string_append (s, "  }\n}\n");

  return g_string_free_to_bytes (g_steal_pointer (&s));
}

gboolean
lab_model_save_file (const LabModel  *model,
                     const char      *path,
                     GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = lab_model_to_bytes (model, error);
  if (bytes == NULL)
    return FALSE;
  return lab_file_write_bytes (path, bytes, error);
}

/* ---- The tutorial's model ---------------------------------------------- */

LabModel *
lab_model_load_tutorial (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  /* Through the resource itself (not the global registry), so that the
   * linker keeps the embedded data in every program that calls this. */
  bytes = g_resource_lookup_data (lab_data_get_resource (), LAB_TUTORIAL_MODEL_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  return lab_model_load_bytes (bytes, error);
}

gboolean
lab_config_is_tutorial_shape (const RnnConfig *cfg)
{
  RnnConfig tutorial;

  g_return_val_if_fail (cfg != NULL, FALSE);

  rnn_config_init_default (&tutorial);
  return cfg->cell == tutorial.cell
         && cfg->n_points == tutorial.n_points
         && cfg->period == tutorial.period
         && cfg->time_step == tutorial.time_step
         && cfg->hidden_size == tutorial.hidden_size
         && cfg->train_ratio == tutorial.train_ratio;
}
