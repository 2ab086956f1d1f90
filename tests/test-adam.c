/* test-adam.c: adam_update and sgd_update against torch.optim on a tiny
 * problem (tests/reference/adam-tiny.json, written by
 * make-adam-reference.py), step by step. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "engine/adam.h"

#define N_PARAMS 8

static JsonNode *
load_reference (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "reference", "adam-tiny.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
read_floats (float     *dst,
             JsonArray *array)
{
  g_assert_cmpuint (json_array_get_length (array), ==, N_PARAMS);
  for (guint i = 0; i < N_PARAMS; i++)
    dst[i] = (float) json_array_get_double_element (array, i);
}

/* Distance in units in the last place between two floats of the same sign. */
static int64_t
ulp_distance (float a,
              float b)
{
  int32_t ia, ib;

  memcpy (&ia, &a, sizeof ia);
  memcpy (&ib, &b, sizeof ib);
  /* map the sign-magnitude bit patterns onto a monotonic integer line */
  int64_t la = ia < 0 ? (int64_t) INT32_MIN - ia : ia;
  int64_t lb = ib < 0 ? (int64_t) INT32_MIN - ib : ib;
  return la > lb ? la - lb : lb - la;
}

static JsonObject *
find_run (JsonObject *root,
          const char *name)
{
  JsonArray *runs = json_object_get_array_member (root, "runs");

  for (guint r = 0; r < json_array_get_length (runs); r++)
    {
      JsonObject *run = json_array_get_object_element (runs, r);
      if (g_str_equal (json_object_get_string_member (run, "name"), name))
        return run;
    }
  g_assert_not_reached ();
  return NULL;
}

/* Replays the reference gradients and returns the worst ULP distance to
 * PyTorch's parameters over every step. */
static int64_t
replay (JsonObject *root,
        JsonObject *run)
{
  JsonArray *grads = json_object_get_array_member (root, "grads");
  JsonArray *steps = json_object_get_array_member (run, "params");
  gboolean adam = g_str_equal (json_object_get_string_member (run, "optimizer"), "adam");
  double lr = json_object_get_double_member (run, "lr");
  float p[N_PARAMS], m[N_PARAMS] = { 0 }, v[N_PARAMS] = { 0 };
  float g[N_PARAMS], expected[N_PARAMS];
  int64_t worst = 0;

  read_floats (p, json_object_get_array_member (root, "initial"));
  g_assert_cmpuint (json_array_get_length (steps), ==, json_array_get_length (grads));

  for (guint k = 0; k < json_array_get_length (grads); k++)
    {
      read_floats (g, json_array_get_array_element (grads, k));
      if (adam)
        adam_update (p, m, v, g, lr,
                     json_object_get_double_member (run, "beta1"),
                     json_object_get_double_member (run, "beta2"),
                     json_object_get_double_member (run, "eps"),
                     (long) k + 1, N_PARAMS);
      else
        sgd_update (p, g, lr, N_PARAMS);

      read_floats (expected, json_array_get_array_element (steps, k));
      for (int i = 0; i < N_PARAMS; i++)
        {
          int64_t d = ulp_distance (p[i], expected[i]);
          if (d > worst)
            worst = d;
          /* the same operations in the same order: the same float, up to
           * a few ULP if some day they were not */
          g_assert_cmpfloat_with_epsilon (p[i], expected[i], 4e-7 * fabs (expected[i]) + 1e-30);
        }
    }
  return worst;
}

static void
test_adam_default (void)
{
  g_autoptr (JsonNode) node = load_reference ();
  JsonObject *root = json_node_get_object (node);
  JsonObject *run = find_run (root, "adam-default");

  /* the engine's defaults are PyTorch's */
  g_assert_cmpfloat (json_object_get_double_member (run, "beta1"), ==, ADAM_BETA1);
  g_assert_cmpfloat (json_object_get_double_member (run, "beta2"), ==, ADAM_BETA2);
  g_assert_cmpfloat (json_object_get_double_member (run, "eps"), ==, ADAM_EPS);

  int64_t worst = replay (root, run);
  g_test_message ("adam-default: worst distance to PyTorch %" G_GINT64_FORMAT " ULP", worst);
  g_assert_cmpint (worst, ==, 0);
}

/* Replays the named run of the reference file: PyTorch's to the bit. */
static void
assert_replay_exact (const char *name)
{
  g_autoptr (JsonNode) node = load_reference ();
  JsonObject *root = json_node_get_object (node);

  int64_t worst = replay (root, find_run (root, name));
  g_test_message ("%s: worst distance to PyTorch %" G_GINT64_FORMAT " ULP", name, worst);
  g_assert_cmpint (worst, ==, 0);
}

static void
test_adam_custom (void)
{
  assert_replay_exact ("adam-custom");
}

static void
test_sgd (void)
{
  assert_replay_exact ("sgd");
}

/* A zero gradient on a fresh state leaves the parameter exactly where it
 * was: eps keeps the denominator away from zero, m stays 0. */
static void
test_adam_zero_grad (void)
{
  float p[2] = { 0.25f, -3.0f }, m[2] = { 0 }, v[2] = { 0 }, g[2] = { 0 };

  adam_update (p, m, v, g, 0.01, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, 1, 2);
  g_assert_cmpfloat (p[0], ==, 0.25f);
  g_assert_cmpfloat (p[1], ==, -3.0f);
  g_assert_true (isfinite (v[0]) && v[0] == 0.0f);
}

/* The first step of Adam moves every parameter by about lr, against the
 * gradient's sign, whatever the gradient's size (m/sqrt(v) = sign(g)). */
static void
test_adam_first_step (void)
{
  float p[3] = { 0, 0, 0 }, m[3] = { 0 }, v[3] = { 0 }, g[3] = { 1e-3f, -50.0f, 2.0f };

  adam_update (p, m, v, g, 0.01, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, 1, 3);
  g_assert_cmpfloat_with_epsilon (p[0], -0.01, 1e-7);
  g_assert_cmpfloat_with_epsilon (p[1], 0.01, 1e-7);
  g_assert_cmpfloat_with_epsilon (p[2], -0.01, 1e-7);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/adam/pytorch-default", test_adam_default);
  g_test_add_func ("/engine/adam/pytorch-custom", test_adam_custom);
  g_test_add_func ("/engine/adam/zero-grad", test_adam_zero_grad);
  g_test_add_func ("/engine/adam/first-step", test_adam_first_step);
  g_test_add_func ("/engine/sgd/pytorch", test_sgd);

  return g_test_run ();
}
