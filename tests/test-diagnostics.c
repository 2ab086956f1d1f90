/* test-diagnostics.c: spectral radius, largest singular value and the share
 * of saturated units against numpy (tests/reference/diagnostics.json, made by
 * tests/reference/make-diagnostics-reference.py). */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "engine/diagnostics.h"
#include "engine/series.h"

static JsonObject *reference;

static float *
float_array (JsonArray *array,
             guint     *n)
{
  guint len = json_array_get_length (array);
  float *out = g_new (float, len);

  for (guint i = 0; i < len; i++)
    out[i] = (float) json_array_get_double_element (array, i);
  if (n != NULL)
    *n = len;
  return out;
}

/* Both matrix functions against numpy on every reference matrix, with a
 * workspace of exactly the advertised size (AddressSanitizer catches any
 * write past it). */
static void
test_matrices (void)
{
  JsonArray *cases = json_object_get_array_member (reference, "matrices");

  g_assert_cmpuint (json_array_get_length (cases), >=, 4);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *o = json_array_get_object_element (cases, c);
      int H = (int) json_object_get_int_member (o, "H");
      guint n = 0;
      g_autofree float *W = float_array (json_object_get_array_member (o, "W"), &n);
      g_autofree double *work = g_new (double, rnn_diagnostics_work_size (H));
      double radius = -1.0, sigma = -1.0;
      double want_radius = json_object_get_double_member (o, "spectral_radius");
      double want_sigma = json_object_get_double_member (o, "largest_singular_value");

      g_test_message ("%s", json_object_get_string_member (o, "name"));
      g_assert_cmpuint (n, ==, (guint) (H * H));
      g_assert_cmpint (rnn_spectral_radius (&radius, work, W, H), ==, RNN_OK);
      g_assert_cmpint (rnn_largest_singular_value (&sigma, work, W, H), ==, RNN_OK);
      g_assert_cmpfloat_with_epsilon (radius, want_radius, 1e-9 * want_radius);
      g_assert_cmpfloat_with_epsilon (sigma, want_sigma, 1e-9 * want_sigma);
      /* The two differ for a non-normal matrix: rho <= sigma_max always. */
      g_assert_cmpfloat (radius, <=, sigma * (1 + 1e-12));
    }
}

static void
test_bad_input (void)
{
  float W[4] = { 1.0f, 0.0f, NAN, 1.0f };
  double work[64], value = 42.0;

  g_assert_cmpint (rnn_spectral_radius (&value, work, W, 2), ==, RNN_ERR_NONFINITE);
  g_assert_cmpint (rnn_largest_singular_value (&value, work, W, 2), ==, RNN_ERR_NONFINITE);
  g_assert_cmpfloat (value, ==, 42.0);
  W[2] = INFINITY;
  g_assert_cmpint (rnn_spectral_radius (&value, work, W, 2), ==, RNN_ERR_NONFINITE);
  g_assert_cmpint (rnn_spectral_radius (&value, work, W, 0), ==, RNN_ERR_SHAPE);
  g_assert_cmpuint (rnn_diagnostics_work_size (0), ==, 0);
  g_assert_cmpfloat (rnn_saturation_share (W, 0), ==, 0.0);
}

/* The share counts |h| > 0.99 strictly, and sign does not matter. */
static void
test_saturation_threshold (void)
{
  const float h[8] = { 0.99f, -0.99f, 0.995f, -0.995f, 1.0f, -1.0f, 0.0f, 0.5f };

  g_assert_cmpfloat_with_epsilon (rnn_saturation_share (h, 8), 4.0 / 8.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (rnn_saturation_share (h, 2), 0.0, 1e-15);
}

/* A forward pass of an RNN with large input weights over the tutorial's
 * windows: the share of saturated states is numpy's, exactly. */
static void
test_saturation_forward (void)
{
  JsonObject *o = json_object_get_object_member (reference, "saturation");
  int H = (int) json_object_get_int_member (o, "H");
  int T = (int) json_object_get_int_member (o, "T");
  g_autofree float *W_ih = float_array (json_object_get_array_member (o, "W_ih"), NULL);
  g_autofree float *W_hh = float_array (json_object_get_array_member (o, "W_hh"), NULL);
  g_autofree float *b_ih = float_array (json_object_get_array_member (o, "b_ih"), NULL);
  g_autofree float *b_hh = float_array (json_object_get_array_member (o, "b_hh"), NULL);
  const float *src[] = { W_ih, W_hh, b_ih, b_hh };
  const RnnTensor which[] = { RNN_TENSOR_W_IH, RNN_TENSOR_W_HH, RNN_TENSOR_B_IH, RNN_TENSOR_B_HH };
  RnnDataset d;
  RnnModel *m = rnn_model_new (RNN_CELL_RNN, 1, H, 1);
  g_autofree float *hs = NULL;
  g_autofree float *y = NULL;

  g_assert_nonnull (m);
  g_assert_cmpint (series_dataset_init (&d, (int) json_object_get_int_member (o, "n_points"),
                                        json_object_get_double_member (o, "period"), T, 0.7), ==, RNN_OK);
  for (guint i = 0; i < G_N_ELEMENTS (which); i++)
    {
      int rows = 0, cols = 0;
      float *dst = rnn_model_tensor (m, which[i], &rows, &cols);

      memcpy (dst, src[i], sizeof (float) * rows * cols);
    }
  hs = g_new0 (float, (size_t) (T + 1) * d.N * H);
  y = g_new0 (float, d.N);
  rnn_model_forward (y, hs, d.X, m, T, d.N);

  /* hs[0] is h0 = 0; h_1 .. h_T follow. */
  g_assert_cmpfloat_with_epsilon (rnn_saturation_share (hs + (size_t) d.N * H, (size_t) T * d.N * H),
                                  json_object_get_double_member (o, "share"), 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (o, "share"), >, 0.1);

  series_dataset_clear (&d);
  rnn_model_free (m);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  path = g_test_build_filename (G_TEST_DIST, "reference", "diagnostics.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  reference = json_object_ref (json_node_get_object (json_parser_get_root (parser)));

  g_test_add_func ("/engine/diagnostics/matrices", test_matrices);
  g_test_add_func ("/engine/diagnostics/bad-input", test_bad_input);
  g_test_add_func ("/engine/diagnostics/saturation/threshold", test_saturation_threshold);
  g_test_add_func ("/engine/diagnostics/saturation/forward", test_saturation_forward);

  status = g_test_run ();
  json_object_unref (reference);
  return status;
}
