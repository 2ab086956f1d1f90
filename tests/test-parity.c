/* test-parity.c: the engine against PyTorch, run for run.
 *
 * Each reference file in tests/reference/ was written by
 * make-reference.py: a configuration, the model PyTorch built for it, the
 * loss of every epoch and the trained model's predictions. From the same
 * initial weights the engine must follow the same trajectory: every epoch's
 * training loss within 1e-3 relative, final predictions within 1e-5
 * absolute; and where the reference has them, every epoch's |dL/dh_t| for
 * every step within 1e-3 relative. make-batch-reference.py's runs
 * (mini-batches, shuffled batches, real series on the model's scale) are
 * held to the same.
 */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/forecast.h"
#include "engine/session.h"

static const char *const reference_files[] = {
  "tutorial.json",
  "small-h16-t5.json",
  "wide-h96-t20.json",
  "sgd-h8.json",
  "batch-sine-b16.json",
  "shuffle-sine-b8.json",
  "nile-minmax.json",
  "sunspots-zscore-b32.json",
  "lstm-tutorial.json",
  "lstm-small-h16-t5.json",
  "lstm-sgd-h8.json",
  "gru-tutorial.json",
  "gru-small-h16-t5.json",
  "gru-sgd-h8.json",
  "rnn-clip-sgd-h32-t16.json",
  "lstm-clip-sgd-h24.json",
  "gru-clip-h20.json",
};

static JsonNode *
load_reference (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", name, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Copies a state_dict tensor (a list of numbers, or a list of rows) into dst
 * and returns how many numbers it held. */
static size_t
read_tensor (float     *dst,
             JsonArray *array)
{
  size_t n = 0;

  for (guint r = 0; r < json_array_get_length (array); r++)
    {
      JsonNode *node = json_array_get_element (array, r);
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *row = json_node_get_array (node);
          for (guint c = 0; c < json_array_get_length (row); c++)
            dst[n++] = (float) json_array_get_double_element (row, c);
        }
      else
        dst[n++] = (float) json_node_get_double (node);
    }
  return n;
}

static RnnSession *
session_from_reference (JsonObject *root)
{
  JsonObject *cfg_json = json_object_get_object_member (root, "config");
  JsonObject *initial = json_object_get_object_member (root, "initial");
  JsonObject *state = json_object_get_object_member (initial, "state_dict");
  RnnConfig cfg;
  RnnStatus status;
  g_autofree float *values = NULL;

  rnn_config_init_default (&cfg);
  if (json_object_has_member (root, "series")
      && !g_str_equal (json_object_get_string_member (cfg_json, "series"), "sine"))
    {
      /* a real series: its values, scaled by the engine */
      JsonArray *series = json_object_get_array_member (root, "series");

      cfg.series = RNN_SERIES_DATA;
      cfg.n_points = (int) json_array_get_length (series);
      values = g_new (float, cfg.n_points);
      g_assert_cmpuint (read_tensor (values, series), ==, (size_t) cfg.n_points);
      cfg.values = values;
    }
  else
    {
      cfg.n_points = (int) json_object_get_int_member (cfg_json, "n_points");
      cfg.period = json_object_get_double_member (cfg_json, "period");
    }
  if (json_object_has_member (cfg_json, "normalize"))
    cfg.normalize = series_normalize_from_name (json_object_get_string_member (cfg_json, "normalize"));
  if (json_object_has_member (cfg_json, "batch_size"))
    cfg.batch_size = (int) json_object_get_int_member (cfg_json, "batch_size");
  if (json_object_has_member (cfg_json, "shuffle"))
    cfg.shuffle = json_object_get_boolean_member (cfg_json, "shuffle");
  cfg.time_step = (int) json_object_get_int_member (cfg_json, "time_step");
  cfg.train_ratio = json_object_get_double_member (cfg_json, "train_ratio");
  cfg.hidden_size = (int) json_object_get_int_member (cfg_json, "hidden_size");
  cfg.lr = json_object_get_double_member (cfg_json, "lr");
  cfg.optimizer = json_object_has_member (cfg_json, "optimizer")
                  && g_str_equal (json_object_get_string_member (cfg_json, "optimizer"), "sgd")
                  ? RNN_OPTIMIZER_SGD : RNN_OPTIMIZER_ADAM;
  if (json_object_has_member (cfg_json, "cell"))
    g_assert_cmpint (rnn_cell_from_name (json_object_get_string_member (cfg_json, "cell"), &cfg.cell), ==, 0);
  if (json_object_has_member (cfg_json, "clip_grad_norm"))
    cfg.clip_grad_norm = json_object_get_double_member (cfg_json, "clip_grad_norm");

  RnnSession *s = rnn_session_new (&cfg, &status);
  g_assert_cmpint (status, ==, RNN_OK);

  /* The six tensors, in the engine's layout (PyTorch's state_dict order). */
  RnnModel *m = rnn_session_model (s);
  g_autofree float *params = g_new0 (float, m->n_params);
  size_t off = 0;
  for (int k = 0; k < RNN_N_TENSORS; k++)
    {
      int rows, cols;
      rnn_model_tensor (m, (RnnTensor) k, &rows, &cols);
      JsonArray *array = json_object_get_array_member (state, rnn_tensor_name ((RnnTensor) k));
      g_assert_nonnull (array);
      g_assert_cmpuint (read_tensor (params + off, array), ==, (size_t) rows * cols);
      off += (size_t) rows * cols;
    }
  g_assert_cmpuint (off, ==, m->n_params);
  g_assert_cmpint (rnn_session_set_params (s, params, m->n_params), ==, RNN_OK);
  return s;
}

static void
run_parity (const char *name)
{
  g_autoptr (JsonNode) node = load_reference (name);
  JsonObject *root = json_node_get_object (node);
  JsonArray *losses = json_object_get_array_member (root, "train_loss");
  JsonArray *preds = json_object_get_array_member (root, "predictions");
  JsonArray *norms = json_object_has_member (root, "grad_norms")
                     ? json_object_get_array_member (root, "grad_norms") : NULL;
  RnnSession *s = session_from_reference (root);
  const RnnDataset *d = rnn_session_dataset (s);
  guint epochs = json_array_get_length (losses);
  double worst_loss = 0.0, worst_pred = 0.0, worst_norm = 0.0;
  int clipped = 0;

  g_assert_cmpuint (epochs, >, 0);
  g_assert_true (norms == NULL || json_array_get_length (norms) == epochs);
  for (guint e = 0; e < epochs; e++)
    {
      float loss, gnorm;
      g_assert_cmpint (rnn_session_train_epoch (s, &loss, &gnorm), ==, RNN_OK);
      double ref = json_array_get_double_element (losses, e);
      double rel = fabs (loss - ref) / fabs (ref);
      worst_loss = MAX (worst_loss, rel);
      if (rel > 1e-3)
        g_test_message ("%s: epoch %u loss %.9g, PyTorch %.9g", name, e + 1, loss, ref);
      g_assert_cmpfloat (rel, <=, 1e-3);
      clipped += rnn_session_config (s)->clip_grad_norm > 0 && gnorm > rnn_session_config (s)->clip_grad_norm;

      if (norms == NULL)
        continue;
      JsonArray *step = json_array_get_array_element (norms, e);
      const float *got = rnn_session_grad_norms (s);
      g_assert_cmpuint (json_array_get_length (step), ==, (guint) d->T);
      for (int t = 0; t < d->T; t++)
        {
          double nref = json_array_get_double_element (step, t);
          double nrel = fabs (got[t] - nref) / fabs (nref);
          worst_norm = MAX (worst_norm, nrel);
          if (nrel > 1e-3)
            g_test_message ("%s: epoch %u |dL/dh_%d| %.9g, PyTorch %.9g", name, e + 1, t + 1, got[t], nref);
          g_assert_cmpfloat (nrel, <=, 1e-3);
        }
    }
  /* a clipped reference must really clip, most of the time */
  if (rnn_session_config (s)->clip_grad_norm > 0)
    g_assert_cmpint (clipped, >, (int) epochs / 2);

  g_assert_cmpuint (json_array_get_length (preds), ==, (guint) d->N);
  g_autofree float *pred = g_new (float, d->N);
  float train_mse, test_mse;
  rnn_session_evaluate (s, pred, &train_mse, &test_mse);
  for (int k = 0; k < d->N; k++)
    {
      double ref = json_array_get_double_element (preds, k);
      worst_pred = MAX (worst_pred, fabs (pred[k] - ref));
      g_assert_cmpfloat_with_epsilon (pred[k], ref, 1e-5);
    }
  g_assert_cmpfloat_with_epsilon (train_mse, json_object_get_double_member (root, "train_mse_final"),
                                  1e-3 * json_object_get_double_member (root, "train_mse_final"));
  g_assert_cmpfloat_with_epsilon (test_mse, json_object_get_double_member (root, "test_mse_final"),
                                  1e-3 * json_object_get_double_member (root, "test_mse_final"));
  g_test_message ("%s: worst loss rel. error %.3g, worst prediction error %.3g, "
                  "worst |dL/dh_t| rel. error %.3g, %d epochs clipped",
                  name, worst_loss, worst_pred, worst_norm, clipped);
  rnn_session_free (s);
}

static void
test_parity (gconstpointer data)
{
  run_parity (data);
}

/* The tutorial's printout, formatted from the engine's own losses, equals
 * what the article's script printed. */
static void
test_tutorial_stdout (void)
{
  g_autoptr (JsonNode) node = load_reference ("tutorial.json");
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", "tutorial-stdout.txt", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) printed = g_string_new (NULL);
  RnnSession *s = session_from_reference (json_node_get_object (node));

  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);

  for (int epoch = 1; epoch <= 200; epoch++)
    {
      float loss;
      g_assert_cmpint (rnn_session_train_epoch (s, &loss, NULL), ==, RNN_OK);
      if (epoch % 10 == 0)
        g_string_append_printf (printed, "Epoch [%d/200], Loss: %.4f\n", epoch, loss);
    }
  g_assert_cmpstr (printed->str, ==, expected);
  rnn_session_free (s);
}

/* The free-running forecast of the tutorial's initial model against numpy's
 * (make-data-reference.py); its first step is the model's one-step
 * prediction for the first test window. */
static void
test_forecast (void)
{
  g_autoptr (JsonNode) node = load_reference ("tutorial.json");
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", "data-reference.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  RnnSession *s = session_from_reference (json_node_get_object (node));
  const RnnDataset *d = rnn_session_dataset (s);
  RnnModel *m = rnn_session_model (s);
  JsonObject *ref;
  JsonArray *expected;
  int steps;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  ref = json_object_get_object_member (json_object_get_object_member (
          json_node_get_object (json_parser_get_root (parser)), "forecast"), "tutorial-initial");
  expected = json_object_get_array_member (ref, "forecast");
  steps = (int) json_object_get_int_member (ref, "steps");
  g_assert_cmpint (json_array_get_length (expected), ==, steps);

  g_autofree float *start = g_new (float, d->T);
  g_autofree float *out = g_new (float, steps);
  g_autofree float *scratch = g_new (float, rnn_forecast_scratch_size (d->T, m->H, steps));
  g_autofree float *pred = g_new (float, d->N);

  series_forecast_start (start, d);
  for (int t = 0; t < d->T; t++)
    g_assert_cmpfloat (start[t], ==, d->series[d->n_train + t]);
  rnn_forecast (out, scratch, start, m, d->T, steps);
  for (int k = 0; k < steps; k++)
    g_assert_cmpfloat_with_epsilon (out[k], json_array_get_double_element (expected, k), 1e-5);

  rnn_session_evaluate (s, pred, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (out[0], pred[d->n_train], 1e-6);
  rnn_session_free (s);
}

/* Compares n floats with the reference list (flat) within 1e-5. */
static void
assert_floats (const float *got,
               JsonArray   *want,
               size_t       n,
               const char  *what)
{
  g_autofree float *values = g_new (float, MAX (json_array_get_length (want), 1));

  g_assert_cmpuint (read_tensor (values, want), ==, n);
  for (size_t i = 0; i < n; i++)
    {
      if (fabsf (got[i] - values[i]) > 1e-5f)
        g_test_message ("%s[%zu]: %g, PyTorch %g", what, i, got[i], values[i]);
      g_assert_cmpfloat_with_epsilon (got[i], values[i], 1e-5);
    }
}

/* rnn_step_terms against make-step-reference.py: every term of every step
 * of one window, and h_t against the model's forward pass. */
static void
test_step_terms (gconstpointer data)
{
  const char *cell_name = data;
  g_autoptr (JsonNode) node = load_reference ("step-terms.json");
  JsonArray *cases = json_object_get_array_member (json_node_get_object (node), "cases");
  JsonObject *ref = NULL;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (cases, i), "cell"),
                     cell_name))
      ref = json_array_get_object_element (cases, i);
  g_assert_nonnull (ref);

  RnnCell cell;
  g_assert_cmpint (rnn_cell_from_name (cell_name, &cell), ==, 0);
  int I = (int) json_object_get_int_member (ref, "input_size");
  int H = (int) json_object_get_int_member (ref, "hidden_size");
  int T = (int) json_object_get_int_member (ref, "time_step");
  int G = rnn_cell_gate_count (cell);
  JsonObject *state = json_object_get_object_member (json_object_get_object_member (ref, "initial"),
                                                     "state_dict");
  JsonArray *steps = json_object_get_array_member (ref, "steps");
  RnnModel *m = rnn_model_new (cell, I, H, 1);
  g_autofree float *x = g_new (float, T * I);
  g_autofree float *ih = g_new (float, G * H);
  g_autofree float *hh = g_new (float, G * H);
  g_autofree float *pre = g_new (float, G * H);
  g_autofree float *hs = g_new (float, T * H);
  g_autofree float *cs = g_new (float, T * H);
  g_autofree float *gs = g_new (float, T * G * H);
  g_autofree float *forward_hs = g_new (float, (T + 1) * H);
  float y;

  g_assert_nonnull (m);
  for (int k = 0; k < RNN_N_TENSORS; k++)
    {
      int rows, cols;
      float *tensor = rnn_model_tensor (m, k, &rows, &cols);

      g_assert_cmpuint (read_tensor (tensor, json_object_get_array_member (state, rnn_tensor_name (k))),
                        ==, (size_t) rows * cols);
    }
  g_assert_cmpuint (read_tensor (x, json_object_get_array_member (ref, "x")), ==, (size_t) T * I);
  g_assert_cmpuint (json_array_get_length (steps), ==, (guint) T);

  /* the forward pass the training uses, over this one window */
  rnn_model_forward (&y, forward_hs, x, m, T, 1);
  g_assert_true (isfinite (y));

  for (int t = 1; t <= T; t++)
    {
      JsonObject *step = json_array_get_object_element (steps, t - 1);
      const float *gates_t = gs + (size_t) (t - 1) * G * H;
      float zeros[64] = { 0 };

      g_assert_cmpint (H, <=, 64);
      g_assert_cmpint (rnn_step_terms (cell, ih, hh, pre, hs, cs, gs, x, m->params, t, I, H, 1),
                       ==, RNN_OK);
      assert_floats (x + (t - 1) * I, json_object_get_array_member (step, "x"), I, "x");
      assert_floats (t > 1 ? hs + (t - 2) * H : zeros, json_object_get_array_member (step, "h_prev"),
                     H, "h_prev");
      assert_floats (ih, json_object_get_array_member (step, "ih"), G * H, "W_ih x");
      assert_floats (hh, json_object_get_array_member (step, "hh"), G * H, "W_hh h");
      assert_floats (pre, json_object_get_array_member (step, "pre"), G * H, "pre");
      assert_floats (gates_t, json_object_get_array_member (step, "gates"), G * H, "gates");
      assert_floats (hs + (t - 1) * H, json_object_get_array_member (step, "h"), H, "h");
      if (rnn_cell_has_state (cell))
        {
          assert_floats (t > 1 ? cs + (t - 2) * H : zeros, json_object_get_array_member (step, "c_prev"),
                         H, "c_prev");
          assert_floats (cs + (t - 1) * H, json_object_get_array_member (step, "c"), H, "c");
        }
      /* h_t is the forward pass's hidden state */
      for (int j = 0; j < H; j++)
        g_assert_cmpfloat_with_epsilon (hs[(t - 1) * H + j], forward_hs[t * H + j], 1e-6);
    }
  /* t out of range is refused */
  g_assert_cmpint (rnn_step_terms (cell, ih, hh, pre, hs, cs, gs, x, m->params, 0, I, H, 1),
                   ==, RNN_ERR_SHAPE);
  rnn_model_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (reference_files); i++)
    {
      g_autofree char *base = g_strndup (reference_files[i], strlen (reference_files[i]) - strlen (".json"));
      g_autofree char *test_path = g_strdup_printf ("/engine/parity/%s", base);
      g_test_add_data_func (test_path, reference_files[i], test_parity);
    }
  g_test_add_func ("/engine/parity/tutorial-stdout", test_tutorial_stdout);
  g_test_add_func ("/engine/parity/forecast", test_forecast);
  g_test_add_data_func ("/engine/parity/step-terms/rnn", "rnn", test_step_terms);
  g_test_add_data_func ("/engine/parity/step-terms/lstm", "lstm", test_step_terms);
  g_test_add_data_func ("/engine/parity/step-terms/gru", "gru", test_step_terms);

  return g_test_run ();
}
