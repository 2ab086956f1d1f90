/* test-cli.c: rnn-lab --headless, run as a separate process (the binary
 * comes from the RNN_LAB_BIN environment variable, set by meson): the
 * tutorial's output, every bad option and model file, outputs, round trips. */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "engine/session.h"

typedef struct
{
  int   status; /* exit status */
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* Runs rnn-lab --headless with args (NULL-terminated) in folder dir. */
static void
run_cli (CliResult         *r,
         const char        *dir,
         const char *const *args)
{
  const char *bin = g_getenv ("RNN_LAB_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (char *) bin);
  g_ptr_array_add (argv, (char *) "--headless");
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  /* Never a crash: a signal (or a sanitizer's abort) fails here. */
  if (!WIFEXITED (wait_status))
    g_error ("rnn-lab was killed by signal %d; stderr: %s", WTERMSIG (wait_status), r->err);
  r->status = WEXITSTATUS (wait_status);
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rnn-lab-cli-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* The error output is one line naming the problem. */
static void
assert_one_line_error (const CliResult *r,
                       const char      *needle)
{
  g_assert_true (g_str_has_prefix (r->err, "rnn-lab: "));
  g_assert_cmpuint (count_lines (r->err), ==, 1);
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  if (strstr (r->err, needle) == NULL)
    g_error ("expected “%s” in the error, got “%s”", needle, r->err);
}

/* ---- The tutorial ------------------------------------------------------ */

static void
test_tutorial (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *reference_path = g_test_build_filename (G_TEST_DIST, "reference", "tutorial-stdout.txt", NULL);
  g_autofree char *model_path = g_test_build_filename (G_TEST_DIST, "..", "data", "tutorial-model.json", NULL);
  g_autofree char *reference = read_text (reference_path);
  g_auto(CliResult) plain = { 0 };
  g_auto(CliResult) from_file = { 0 };
  const char *tail;

  run_cli (&plain, dir, (const char *[]) { NULL });
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpstr (plain.err, ==, "");
  g_assert_cmpuint (count_lines (reference), ==, 20);

  /* The tutorial's 20 lines, exactly, then the two MSE lines. */
  g_assert_true (g_str_has_prefix (plain.out, reference));
  tail = plain.out + strlen (reference);
  if (!g_regex_match_simple ("^Train MSE: [0-9]\\.[0-9]{3}e-[0-9]{2}\nTest MSE: [0-9]\\.[0-9]{3}e-[0-9]{2}\n$",
                             tail, 0, 0))
    g_error ("unexpected end of output: “%s”", tail);

  /* The shipped weights given as a file: the same run. */
  run_cli (&from_file, dir, (const char *[]) { "--init-weights", model_path, NULL });
  g_assert_cmpint (from_file.status, ==, 0);
  g_assert_cmpstr (from_file.out, ==, plain.out);

  remove_dir (dir);
}

static void
test_help (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, NULL, (const char *[]) { "--help", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--hidden-size"));
  g_assert_nonnull (strstr (r.out, "--export-png"));
}

static void
test_seed (void)
{
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) c = { 0 };
  const char *args_7[] = { "--seed", "7", "--epochs", "30", "--log-every", "5", NULL };
  const char *args_8[] = { "--seed", "8", "--epochs", "30", "--log-every", "5", NULL };

  run_cli (&a, NULL, args_7);
  run_cli (&b, NULL, args_7);
  run_cli (&c, NULL, args_8);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpuint (count_lines (a.out), ==, 6 + 2);
  g_assert_true (g_str_has_prefix (a.out, "Epoch [5/30], Loss: "));
  /* Same seed, same run; another seed, another run. */
  g_assert_cmpstr (a.out, ==, b.out);
  g_assert_cmpstr (a.out, !=, c.out);
}

static void
test_other_shape (void)
{
  g_auto(CliResult) r = { 0 };

  run_cli (&r, NULL, (const char *[]) {
    "--hidden-size", "16", "--time-step", "5", "--points", "200", "--period", "50",
    "--lr", "0.005", "--epochs", "40", "--train-ratio", "0.6", "--optimizer", "sgd",
    "--log-every", "0", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_str_has_prefix (r.out, "Train MSE: "));
  g_assert_cmpuint (count_lines (r.out), ==, 2);
}

/* ---- Bad input --------------------------------------------------------- */

static void
test_bad_options (void)
{
  struct
  {
    const char *args[5];
    const char *needle;
  } cases[] = {
    { { "--hidden-size", "0" }, "--hidden-size: 0 is out of range; accepted: 1 to 256" },
    { { "--hidden-size", "257" }, "--hidden-size: 257 is out of range; accepted: 1 to 256" },
    { { "--hidden-size", "abc" }, "--hidden-size: “abc” is not an integer; accepted: 1 to 256" },
    { { "--hidden-size", "5x" }, "--hidden-size: “5x” is not an integer" },
    { { "--hidden-size", "" }, "--hidden-size: “” is not an integer" },
    { { "--hidden-size", "99999999999999999999" }, "--hidden-size: 99999999999999999999 is out of range" },
    { { "--lr", "0" }, "--lr: 0 is out of range; accepted: greater than 0" },
    { { "--lr", "-0.1" }, "--lr: -0.1 is out of range" },
    { { "--lr", "11" }, "--lr: 11 is out of range" },
    { { "--lr", "1e" }, "--lr: “1e” is not a number" },
    { { "--lr", "nan" }, "--lr: “nan” is not a number" },
    { { "--lr", "inf" }, "--lr: “inf” is not a number" },
    { { "--lr", "0x1p-4" }, "--lr: “0x1p-4” is not a number" },
    { { "--time-step", "0" }, "--time-step: 0 is out of range; accepted: 1 to 97" },
    { { "--time-step", "98" }, "--time-step: 98 is out of range; accepted: 1 to 97" },
    { { "--time-step", "1.5" }, "--time-step: “1.5” is not an integer" },
    { { "--epochs", "-1" }, "--epochs: -1 is out of range; accepted: 0 to 1000000" },
    { { "--epochs", "1000001" }, "--epochs: 1000001 is out of range" },
    { { "--points", "3" }, "--points: 3 is out of range; accepted: 4 to 100000" },
    { { "--points", "100001" }, "--points: 100001 is out of range" },
    { { "--period", "0" }, "--period: 0 is out of range" },
    { { "--period", "-inf" }, "--period: “-inf” is not a number" },
    { { "--train-ratio", "0" }, "--train-ratio: 0 is out of range; accepted: greater than 0 and less than 1" },
    { { "--train-ratio", "1" }, "--train-ratio: 1 is out of range" },
    { { "--train-ratio", "0.001" }, "--train-ratio: 0.001 leaves no train window" },
    { { "--seed", "-1" }, "--seed: “-1” is not an unsigned integer" },
    { { "--seed", "18446744073709551616" }, "--seed: “18446744073709551616” is not an unsigned integer" },
    { { "--log-every", "-1" }, "--log-every: -1 is out of range; accepted: 0 to 200" },
    { { "--log-every", "201" }, "--log-every: 201 is out of range; accepted: 0 to 200" },
    { { "--optimizer", "rmsprop" }, "--optimizer: “rmsprop” is not an optimizer; accepted: adam, sgd" },
    { { "--export-width", "999" }, "--export-width: 999 is out of range; accepted: 1000 to 8000" },
    { { "--export-height", "599" }, "--export-height: 599 is out of range; accepted: 600 to 8000" },
    { { "--lr" }, "--lr" },
    { { "--no-such-option" }, "--no-such-option" },
    { { "--series", "cosine" }, "--series: “cosine” is not a series; accepted: sine, square, sawtooth, damped, sum, random-walk, pattern, co2, sunspots, nile" },
    { { "--series", "pattern", "--period", "2.5" }, "--period: 2.5 is not a whole number of points; accepted: for --series pattern, 2 to 100" },
    { { "--series", "nile", "--points", "50" }, "--points: only for generated series" },
    { { "--series", "nile", "--noise", "0.1" }, "--noise: only for generated series" },
    { { "--series", "nile", "--csv", "x.csv" }, "--series: not with --csv" },
    { { "--series-seed", "-3" }, "--series-seed: “-3” is not an unsigned integer" },
    { { "--noise", "-0.1" }, "--noise: -0.1 is out of range; accepted: 0 to 1e+06" },
    { { "--period2", "10" }, "--period2: only for --series sum" },
    { { "--series", "sum", "--period2", "0" }, "--period2: 0 is out of range" },
    { { "--decay", "1" }, "--decay: only for --series damped" },
    { { "--column", "2" }, "--column: only for --csv" },
    { { "--missing", "interpolate" }, "--missing: only for --csv" },
    { { "--normalize", "log" }, "--normalize: “log” is not a scaling; accepted: none, minmax, zscore" },
    { { "--batch-size", "0" }, "--batch-size: 0 is out of range; accepted: 1 to 100000" },
    { { "--forecast-steps", "0" }, "--forecast-steps: 0 is out of range; accepted: 1 to 100000" },
    { { "stray" }, "stray" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = { 0 };

      g_test_message ("case %u: %s %s", i, cases[i].args[0],
                      cases[i].args[1] ? cases[i].args[1] : "");
      run_cli (&r, NULL, cases[i].args);
      g_assert_cmpint (r.status, ==, 2);
      assert_one_line_error (&r, cases[i].needle);
      /* Refused before training. */
      g_assert_cmpstr (r.out, ==, "");
    }
}

/* A model file of hidden size H with one edit, as text. */
static char *
model_text (int         H,
            const char *edit)
{
  GString *s = g_string_new ("{\"format\": \"rnn-lab-model\", \"version\": 1, \"cell\": \"rnn\", "
                             "\"nonlinearity\": \"tanh\", \"input_size\": 1, ");
  const char *names[] = { "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
                          "rnn.bias_hh_l0", "fc.weight", "fc.bias" };
  int rows[] = { H, H, H, H, 1, 1 };
  int cols[] = { 1, H, 0, 0, H, 0 };

  g_string_append_printf (s, "\"hidden_size\": %d, \"output_size\": 1, \"state_dict\": {", H);
  for (int t = 0; t < 6; t++)
    {
      if (g_strcmp0 (edit, "missing fc.bias") == 0 && t == 5)
        continue;
      g_string_append_printf (s, "%s\"%s\": [", t > 0 ? ", " : "", names[t]);
      for (int r = 0; r < rows[t]; r++)
        {
          int c_count = cols[t];

          if (g_strcmp0 (edit, "short hh") == 0 && t == 1)
            c_count--;
          if (r > 0)
            g_string_append (s, ", ");
          if (cols[t] == 0)
            {
              if (g_strcmp0 (edit, "string") == 0 && t == 2 && r == 3)
                g_string_append (s, "\"x\"");
              else if (g_strcmp0 (edit, "nan") == 0 && t == 3 && r == 1)
                g_string_append (s, "NaN");
              else
                g_string_append_printf (s, "%g", 0.01 * ((r * 7 + t) % 11) - 0.05);
              continue;
            }
          g_string_append_c (s, '[');
          for (int c = 0; c < c_count; c++)
            {
              /* fc.weight at float's limit: the prediction's square overflows. */
              if (g_strcmp0 (edit, "huge") == 0 && t == 4)
                g_string_append_printf (s, "%s3e38", c > 0 ? ", " : "");
              else
                g_string_append_printf (s, "%s%g", c > 0 ? ", " : "", 0.01 * ((r * 3 + c + t) % 13) - 0.06);
            }
          g_string_append_c (s, ']');
        }
      g_string_append_c (s, ']');
    }
  g_string_append (s, "}}");
  if (g_strcmp0 (edit, "broken") == 0)
    g_string_truncate (s, s->len / 2);
  return g_string_free (s, FALSE);
}

static void
test_bad_model (void)
{
  g_autofree char *dir = make_dir ();
  struct
  {
    int         H;
    const char *edit;
    const char *extra[3];
    const char *needle;
  } cases[] = {
    { 8, "broken", { NULL }, "not JSON: " },
    { 8, "missing fc.bias", { NULL }, "fc.bias: missing" },
    { 50, "short hh", { NULL }, "rnn.weight_hh_l0: expected shape [50, 50], found [50, 49]" },
    { 8, "string", { NULL }, "rnn.bias_ih_l0[3]: not a number" },
    { 8, "nan", { NULL }, "rnn.bias_hh_l0[1]: NaN or infinite value" },
    { 32, NULL, { "--hidden-size", "50", NULL }, "hidden size 32 in the file does not match --hidden-size 50" },
    /* The model file's own limit is the app's (engine/limits.h). */
    { 300, NULL, { NULL }, "hidden_size: expected an integer from 1 to 256" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/model-%u.json", dir, i);
      g_autofree char *text = model_text (cases[i].H, cases[i].edit);
      g_auto(CliResult) r = { 0 };
      const char *args[] = { "--init-weights", path, "--epochs", "5",
                             cases[i].extra[0], cases[i].extra[1], NULL };

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      g_test_message ("case %u: %s", i, cases[i].edit ? cases[i].edit : "hidden size");
      run_cli (&r, dir, args);
      g_assert_cmpint (r.status, ==, 2);
      assert_one_line_error (&r, cases[i].needle);
      /* The message names the option and the file too. */
      assert_one_line_error (&r, path);
      g_assert_cmpstr (r.out, ==, "");
    }

  /* The same file without the edit loads; the hidden size comes from it. */
  {
    g_autofree char *path = g_strdup_printf ("%s/good.json", dir);
    g_autofree char *text = model_text (32, NULL);
    g_auto(CliResult) r = { 0 };

    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    run_cli (&r, dir, (const char *[]) { "--init-weights", path, "--epochs", "3", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
  }

  /* Weights so large that the loss overflows: the run stops with one line, exit 3. */
  {
    g_autofree char *path = g_strdup_printf ("%s/huge.json", dir);
    g_autofree char *text = model_text (4, "huge");
    g_autofree char *pred = g_build_filename (dir, "never.csv", NULL);
    g_auto(CliResult) r = { 0 };

    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    run_cli (&r, dir, (const char *[]) { "--init-weights", path, "--predictions-csv", pred, NULL });
    g_assert_cmpint (r.status, ==, 3);
    assert_one_line_error (&r, "training diverged: the loss became NaN or infinite at epoch 1; try a smaller --lr");
    g_assert_false (g_file_test (pred, G_FILE_TEST_EXISTS));
  }

  /* A file that can't be read is an I/O error. */
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, dir, (const char *[]) { "--init-weights", "no-such-file.json", NULL });
    g_assert_cmpint (r.status, ==, 1);
    assert_one_line_error (&r, "no-such-file.json");
  }

  remove_dir (dir);
}

static void
test_unwritable (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *blocker = g_build_filename (dir, "file", NULL);
  g_autofree char *under_file = g_build_filename (blocker, "model.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "figure.png", NULL);
  g_autofree char *good_csv = g_build_filename (dir, "loss.csv", NULL);

  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));

  /* Known before training: the folder is not there. */
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, dir, (const char *[]) { "--export-png", missing, NULL });
    g_assert_cmpint (r.status, ==, 1);
    assert_one_line_error (&r, missing);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, dir, (const char *[]) { "--save-weights", under_file, NULL });
    g_assert_cmpint (r.status, ==, 1);
    assert_one_line_error (&r, under_file);
  }

  /* A folder that exists but takes no new file (even for root): found
   * before training too, by trying to create a file in it. */
  if (g_file_test ("/proc/self", G_FILE_TEST_IS_DIR))
    {
      g_auto(CliResult) r = { 0 };

      run_cli (&r, dir, (const char *[]) { "--epochs", "20", "--loss-csv", good_csv,
                                           "--predictions-csv", "/proc/rnn-lab-predictions.csv", NULL });
      g_assert_cmpint (r.status, ==, 1);
      assert_one_line_error (&r, "--predictions-csv: /proc/rnn-lab-predictions.csv: cannot create a file in the folder /proc");
      g_assert_cmpstr (r.out, ==, "");
      g_assert_false (g_file_test ("/proc/rnn-lab-predictions.csv", G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (good_csv, G_FILE_TEST_EXISTS));
    }
  else
    g_test_message ("no /proc: the folder that takes no file is not tested");

  remove_dir (dir);
}

/* ---- Outputs ----------------------------------------------------------- */

static void
test_weights_round_trip (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *saved = g_build_filename (dir, "saved.json", NULL);
  g_autofree char *loss = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) rows = NULL;
  g_auto(GStrv) fields = NULL;
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) c = { 0 };
  g_autofree char *train_line = NULL;
  g_autofree char *test_line = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Train, save the weights. */
  run_cli (&a, dir, (const char *[]) { "--seed", "3", "--epochs", "30", "--log-every", "0",
                                       "--save-weights", saved, NULL });
  g_assert_cmpint (a.status, ==, 0);

  /* Start from them: the loss of the first epoch is the MSE of the saved weights. */
  run_cli (&b, dir, (const char *[]) { "--init-weights", saved, "--epochs", "1", "--log-every", "0",
                                       "--loss-csv", loss, NULL });
  g_assert_cmpint (b.status, ==, 0);
  text = read_text (loss);
  rows = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (rows[0], ==, "epoch,train_loss,test_loss");
  fields = g_strsplit (rows[1], ",", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 3);
  g_assert_cmpstr (fields[0], ==, "1");
  train_line = g_strdup_printf ("Train MSE: %s\n",
                                g_ascii_formatd (buf, sizeof buf, "%.3e", g_ascii_strtod (fields[1], NULL)));
  test_line = g_strdup_printf ("Test MSE: %s\n",
                               g_ascii_formatd (buf, sizeof buf, "%.3e", g_ascii_strtod (fields[2], NULL)));
  g_assert_nonnull (strstr (a.out, train_line));
  g_assert_nonnull (strstr (a.out, test_line));

  /* And a saved file saves back to the same text (bit-exact weights). */
  {
    g_autofree char *resaved = g_build_filename (dir, "resaved.json", NULL);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    g_auto(CliResult) d = { 0 };

    run_cli (&c, dir, (const char *[]) { "--init-weights", saved, "--epochs", "5",
                                         "--save-weights", resaved, "--log-every", "0", NULL });
    g_assert_cmpint (c.status, ==, 0);
    run_cli (&d, dir, (const char *[]) { "--init-weights", saved, "--epochs", "5",
                                         "--log-every", "0", NULL });
    g_assert_cmpstr (c.out, ==, d.out);
    first = read_text (saved);
    second = read_text (resaved);
    g_assert_true (g_str_has_prefix (second, "{\n  \"format\": \"rnn-lab-model\""));
    g_assert_cmpstr (first, !=, second); /* five more epochs changed them */
  }

  remove_dir (dir);
}

static void
test_csv (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *loss = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *pred = g_build_filename (dir, "predictions.csv", NULL);
  g_autofree char *loss_text = NULL;
  g_autofree char *pred_text = NULL;
  g_auto(GStrv) loss_rows = NULL;
  g_auto(GStrv) pred_rows = NULL;
  g_auto(CliResult) r = { 0 };
  int n_train = 0, n_test = 0;

  run_cli (&r, dir, (const char *[]) { "--loss-csv", loss, "--predictions-csv", pred, NULL });
  g_assert_cmpint (r.status, ==, 0);

  loss_text = read_text (loss);
  loss_rows = g_strsplit (loss_text, "\n", -1);
  g_assert_cmpstr (loss_rows[0], ==, "epoch,train_loss,test_loss");
  g_assert_cmpuint (count_lines (loss_text), ==, 1 + 200);
  /* Epoch 10's training loss is the one printed: 0.0518. */
  {
    g_auto(GStrv) f = g_strsplit (loss_rows[10], ",", -1);

    g_assert_cmpstr (f[0], ==, "10");
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f[1], NULL), 0.0518, 0.00005);
    g_assert_cmpfloat (g_ascii_strtod (f[2], NULL), >, 0.0);
  }

  pred_text = read_text (pred);
  pred_rows = g_strsplit (pred_text, "\n", -1);
  g_assert_cmpstr (pred_rows[0], ==, "index,actual,prediction,split");
  g_assert_cmpuint (count_lines (pred_text), ==, 1 + 89);
  for (int k = 0; k < 89; k++)
    {
      g_auto(GStrv) f = g_strsplit (pred_rows[k + 1], ",", -1);
      double actual = sin (2 * G_PI * (k + 10) / 100.0);

      g_assert_cmpuint (g_strv_length (f), ==, 4);
      g_assert_cmpint (atoi (f[0]), ==, k + 10);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f[1], NULL), actual, 1e-6);
      /* The trained tutorial model follows the sine closely. */
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f[2], NULL), actual, 0.1);
      n_train += g_str_equal (f[3], "train");
      n_test += g_str_equal (f[3], "test");
    }
  g_assert_cmpint (n_train, ==, 62);
  g_assert_cmpint (n_test, ==, 27);

  remove_dir (dir);
}

static void
assert_png_size (const char *path,
                 int         width,
                 int         height)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (path);
  const guchar *data;
  guint32 first, pixel;
  int stride, differing = 0;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, height);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  memcpy (&first, data, 4);
  for (int y = 0; y < height; y += 4)
    for (int x = 0; x < width; x += 4)
      {
        memcpy (&pixel, data + (gsize) y * stride + (gsize) x * 4, 4);
        differing += pixel != first;
      }
  g_assert_cmpint (differing, >, (width / 4) * (height / 4) / 100);
  cairo_surface_destroy (image);
}

static void
test_export (void)
{
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "cli-forecast.png", NULL);
  g_autofree char *png_large = g_test_build_filename (G_TEST_BUILT, "cli-forecast-1600x900.png", NULL);
  g_autofree char *svg = g_test_build_filename (G_TEST_BUILT, "cli-forecast.svg", NULL);
  g_autofree char *pdf = g_test_build_filename (G_TEST_BUILT, "cli-forecast.pdf", NULL);
  g_autofree char *svg_text = NULL;
  g_autofree char *pdf_text = NULL;
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) large = { 0 };
  gsize pdf_len;

  g_remove (png);
  g_remove (svg);
  g_remove (pdf);
  run_cli (&r, NULL, (const char *[]) { "--export-png", png, "--export-svg", svg,
                                        "--export-pdf", pdf, NULL });
  g_assert_cmpint (r.status, ==, 0);
  assert_png_size (png, 1200, 700);

  svg_text = read_text (svg);
  g_assert_nonnull (strstr (svg_text, "<svg"));
  g_assert_nonnull (strstr (svg_text, "width=\"1200px\" height=\"700px\""));
  g_assert_nonnull (strstr (svg_text, "</svg>"));

  g_assert_true (g_file_get_contents (pdf, &pdf_text, &pdf_len, NULL));
  g_assert_true (g_str_has_prefix (pdf_text, "%PDF-"));
  {
    g_autoptr(GRegex) regex = g_regex_new ("/MediaBox\\s*\\[\\s*0\\s+0\\s+1200\\s+700\\s*\\]",
                                           G_REGEX_RAW, 0, NULL);

    g_assert_true (g_regex_match_full (regex, pdf_text, pdf_len, 0, 0, NULL, NULL));
  }

  run_cli (&large, NULL, (const char *[]) { "--export-png", png_large, "--export-width", "1600",
                                            "--export-height", "900", "--epochs", "20", NULL });
  g_assert_cmpint (large.status, ==, 0);
  assert_png_size (png_large, 1600, 900);
}

/* ---- PyTorch ----------------------------------------------------------- */

static gboolean
have_torch (void)
{
  const char *argv[] = { "/usr/bin/python3", "-c", "import torch", NULL };
  int wait_status = 0;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &wait_status, NULL))
    return FALSE;
  return WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0;
}

/* load-into-torch.py predicts from the model file what --predictions-csv
 * wrote for it: the tutorial's 89 windows, within 1e-5. */
static void
assert_torch_predicts (const char *model,
                       const char *pred_csv)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "reference", "load-into-torch.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, model, NULL };
  g_autofree char *torch_out = NULL;
  g_autofree char *torch_err = NULL;
  g_autofree char *pred_text = read_text (pred_csv);
  g_auto(GStrv) torch_lines = NULL;
  g_auto(GStrv) pred_rows = g_strsplit (pred_text, "\n", -1);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &torch_out, &torch_err, &wait_status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    g_error ("load-into-torch.py failed: %s", torch_err);
  torch_lines = g_strsplit (torch_out, "\n", -1);
  g_assert_cmpuint (count_lines (torch_out), ==, 89);
  for (int k = 0; k < 89; k++)
    {
      g_auto(GStrv) f = g_strsplit (pred_rows[k + 1], ",", -1);

      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (torch_lines[k], NULL),
                                      g_ascii_strtod (f[2], NULL), 1e-5);
    }
}

/* A file saved by --save-weights loads into the tutorial's PyTorch model
 * (json.load, load_state_dict) and predicts what we predict. */
static void
test_pytorch (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *pred = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "reference", "load-into-torch.py", NULL);
  g_auto(CliResult) r = { 0 };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (!have_torch ())
    {
      g_test_skip ("PyTorch is not installed (/usr/bin/python3 -c \"import torch\" failed)");
      return;
    }
  if (!g_file_test (script, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("tests/reference/load-into-torch.py is missing");
      return;
    }

  dir = make_dir ();
  saved = g_build_filename (dir, "model.json", NULL);
  pred = g_build_filename (dir, "predictions.csv", NULL);
  run_cli (&r, dir, (const char *[]) { "--save-weights", saved, "--predictions-csv", pred, NULL });
  g_assert_cmpint (r.status, ==, 0);
  assert_torch_predicts (saved, pred);

  /* The other way: PyTorch's one-line export of the tutorial's freshly built
   * model (a bare state_dict) drops in, and the run is the default one. */
  {
    g_autofree char *bare = g_build_filename (dir, "bare.json", NULL);
    g_autofree char *code = g_strdup_printf (
      "import json, torch, torch.nn as nn\n"
      "torch.manual_seed(0)\n"
      "class RNNModel(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.rnn = nn.RNN(1, 50, batch_first=True)\n"
      "        self.fc = nn.Linear(50, 1)\n"
      "model = RNNModel()\n"
      "json.dump({k: v.tolist() for k, v in model.state_dict().items()}, open(%s, 'w'))\n",
      "__import__('sys').argv[1]");
    const char *argv[] = { "/usr/bin/python3", "-c", code, bare, NULL };
    g_auto(CliResult) plain = { 0 };
    g_auto(CliResult) from_torch = { 0 };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 NULL, NULL, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
    run_cli (&plain, dir, (const char *[]) { "--epochs", "50", NULL });
    run_cli (&from_torch, dir, (const char *[]) { "--init-weights", bare, "--epochs", "50", NULL });
    g_assert_cmpint (from_torch.status, ==, 0);
    g_assert_cmpstr (from_torch.err, ==, "");
    g_assert_cmpstr (from_torch.out, ==, plain.out);
  }

  remove_dir (dir);
}

/* ---- Cells (--cell) ----------------------------------------------------- */

/* --cell lstm|gru trains from the seeded init (seed 0 unless given), saves
 * a file that says its cell and loads back, into PyTorch too; a bad name
 * and a file of another cell are refused in one line. */
static void
test_cells (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *saved = g_build_filename (dir, "lstm.json", NULL);
  g_autofree char *pred = g_build_filename (dir, "lstm.csv", NULL);
  g_auto(CliResult) lstm = { 0 };
  g_auto(CliResult) lstm_seed0 = { 0 };
  g_auto(CliResult) gru = { 0 };
  g_auto(CliResult) bad = { 0 };
  g_auto(CliResult) other = { 0 };
  g_auto(CliResult) back = { 0 };

  run_cli (&lstm, dir, (const char *[]) { "--cell", "lstm", "--epochs", "20", "--log-every", "10",
                                          "--save-weights", saved, "--predictions-csv", pred, NULL });
  g_assert_cmpint (lstm.status, ==, 0);
  g_assert_cmpstr (lstm.err, ==, "");
  g_assert_true (g_str_has_prefix (lstm.out, "Epoch [10/20], Loss: "));
  run_cli (&lstm_seed0, dir, (const char *[]) { "--cell", "lstm", "--seed", "0", "--epochs", "20",
                                                "--log-every", "10", NULL });
  g_assert_cmpstr (lstm_seed0.out, ==, lstm.out);
  run_cli (&gru, dir, (const char *[]) { "--cell", "gru", "--epochs", "20", "--log-every", "10", NULL });
  g_assert_cmpint (gru.status, ==, 0);
  g_assert_cmpstr (gru.out, !=, lstm.out);

  g_autofree char *text = read_text (saved);
  g_assert_nonnull (strstr (text, "\"cell\": \"lstm\""));
  g_assert_null (strstr (text, "nonlinearity"));
  run_cli (&back, dir, (const char *[]) { "--init-weights", saved, "--epochs", "1", NULL });
  g_assert_cmpint (back.status, ==, 0);

  run_cli (&bad, dir, (const char *[]) { "--cell", "elman", NULL });
  g_assert_cmpint (bad.status, ==, 2);
  assert_one_line_error (&bad, "--cell: “elman” is not a cell; accepted: rnn, lstm, gru");
  run_cli (&other, dir, (const char *[]) { "--init-weights", saved, "--cell", "gru", NULL });
  g_assert_cmpint (other.status, ==, 2);
  assert_one_line_error (&other, "the file's cell is lstm, --cell is gru");

  if (have_torch ())
    assert_torch_predicts (saved, pred);
  remove_dir (dir);
}

/* ---- Gradient clipping and dL/dh_t (--clip-grad-norm, --grad-csv) ------ */

/* Column col (from 0) of a CSV file with a header line, as doubles. */
static GArray *
read_csv_column (const char *path,
                 int         col)
{
  g_autofree char *text = read_text (path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      double v;

      g_assert_cmpuint (g_strv_length (f), >, (guint) col);
      v = g_ascii_strtod (f[col], NULL);
      g_array_append_val (values, v);
    }
  return values;
}

/* The per-epoch losses of an engine session driven by hand: the sine of
 * 200 points, period 40, T 16, H 32, SGD at 0.2, seeded init. */
static float *
clip_losses_by_hand (double  clip,
                     int     epochs,
                     float **grad_norms)
{
  RnnConfig cfg;
  RnnStatus status = RNN_OK;
  RnnSession *s;
  float *losses = g_new (float, epochs);

  rnn_config_init_default (&cfg);
  cfg.n_points = 200;
  cfg.period = 40;
  cfg.time_step = 16;
  cfg.hidden_size = 32;
  cfg.lr = 0.2;
  cfg.optimizer = RNN_OPTIMIZER_SGD;
  cfg.clip_grad_norm = clip;
  s = rnn_session_new (&cfg, &status);
  g_assert_cmpint (status, ==, RNN_OK);
  rnn_session_init_seed (s, 5);
  if (grad_norms != NULL)
    *grad_norms = g_new (float, (gsize) epochs * cfg.time_step);
  for (int e = 0; e < epochs; e++)
    {
      g_assert_cmpint (rnn_session_train_epoch (s, &losses[e], NULL), ==, RNN_OK);
      if (grad_norms != NULL)
        memcpy (*grad_norms + (gsize) e * cfg.time_step, rnn_session_grad_norms (s),
                sizeof (float) * cfg.time_step);
    }
  rnn_session_free (s);
  return losses;
}

static void
test_clip_grad_norm (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *clipped_csv = g_build_filename (dir, "clipped.csv", NULL);
  g_autofree char *free_csv = g_build_filename (dir, "free.csv", NULL);
  g_autofree char *grad_csv = g_build_filename (dir, "grad.csv", NULL);
  g_autofree float *by_hand_norms = NULL;
  g_autofree float *by_hand = clip_losses_by_hand (0.02, 30, &by_hand_norms);
  g_autofree float *by_hand_free = clip_losses_by_hand (0.0, 30, NULL);
  g_autofree char *grad_text = NULL;
  g_auto(GStrv) grad_rows = NULL;
  g_autoptr(GArray) clipped = NULL;
  g_autoptr(GArray) unclipped = NULL;
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) f = { 0 };
  int differ = 0;
  struct { const char *value; const char *needle; } bad[] = {
    { "-1", "--clip-grad-norm: -1 is out of range; accepted: 0 to 1e+06" },
    { "big", "--clip-grad-norm: “big” is not a number; accepted: 0 to 1e+06" },
    { "1e7", "--clip-grad-norm: 1e7 is out of range; accepted: 0 to 1e+06" },
  };
#define CLIP_RUN "--points", "200", "--period", "40", "--time-step", "16", "--hidden-size", "32", \
                 "--lr", "0.2", "--optimizer", "sgd", "--seed", "5", "--epochs", "30", "--log-every", "0"

  /* the command line's losses are the engine's, bit for bit */
  run_cli (&r, dir, (const char *[]) { CLIP_RUN, "--clip-grad-norm", "0.02", "--loss-csv", clipped_csv,
                                       "--grad-csv", grad_csv, NULL });
  g_assert_cmpint (r.status, ==, 0);
  run_cli (&f, dir, (const char *[]) { CLIP_RUN, "--loss-csv", free_csv, NULL });
  g_assert_cmpint (f.status, ==, 0);
#undef CLIP_RUN
  clipped = read_csv_column (clipped_csv, 1);
  unclipped = read_csv_column (free_csv, 1);
  g_assert_cmpuint (clipped->len, ==, 30);
  g_assert_cmpuint (unclipped->len, ==, 30);
  for (int e = 0; e < 30; e++)
    {
      g_assert_cmpfloat ((float) g_array_index (clipped, double, e), ==, by_hand[e]);
      g_assert_cmpfloat ((float) g_array_index (unclipped, double, e), ==, by_hand_free[e]);
      differ += by_hand[e] != by_hand_free[e];
    }
  /* and clipping changed the run */
  g_assert_cmpint (differ, >, 20);

  /* --grad-csv: epoch,t,grad_norm, every epoch and t = 1..16, the session's
   * rnn_session_grad_norms bit for bit */
  grad_text = read_text (grad_csv);
  grad_rows = g_strsplit (grad_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (grad_rows), ==, 1 + 30 * 16 + 1);
  g_assert_cmpstr (grad_rows[0], ==, "epoch,t,grad_norm");
  for (int e = 0; e < 30; e++)
    for (int t = 0; t < 16; t++)
      {
        g_auto(GStrv) fields = g_strsplit (grad_rows[1 + e * 16 + t], ",", -1);

        g_assert_cmpuint (g_strv_length (fields), ==, 3);
        g_assert_cmpint (atoi (fields[0]), ==, e + 1);
        g_assert_cmpint (atoi (fields[1]), ==, t + 1);
        g_assert_cmpfloat ((float) g_ascii_strtod (fields[2], NULL), ==, by_hand_norms[e * 16 + t]);
        g_assert_cmpfloat (by_hand_norms[e * 16 + t], >, 0.0f);
      }
  g_assert_cmpstr (grad_rows[1 + 30 * 16], ==, "");

  /* standard output: the rows there, the progress on stderr */
  {
    g_auto(CliResult) o = { 0 };
    g_auto(CliResult) u = { 0 };

    run_cli (&o, dir, (const char *[]) { "--epochs", "2", "--hidden-size", "4", "--grad-csv", "-", NULL });
    g_assert_cmpint (o.status, ==, 0);
    g_assert_true (g_str_has_prefix (o.out, "epoch,t,grad_norm\n1,1,"));
    g_assert_cmpuint (count_lines (o.out), ==, 1 + 2 * 10);
    g_assert_nonnull (strstr (o.err, "Test MSE: "));
    /* an unwritable path is refused before training */
    run_cli (&u, dir, (const char *[]) { "--grad-csv", "/nonexistent-folder/g.csv", NULL });
    g_assert_cmpint (u.status, ==, 1);
    assert_one_line_error (&u, "--grad-csv: ");
    g_assert_null (strstr (u.out, "Epoch"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CliResult) b = { 0 };

      run_cli (&b, dir, (const char *[]) { "--clip-grad-norm", bad[i].value, NULL });
      g_assert_cmpint (b.status, ==, 2);
      assert_one_line_error (&b, bad[i].needle);
    }
  remove_dir (dir);
}

/* A PyTorch run with clipping (tests/reference/rnn-clip-sgd-h32-t16.json),
 * replayed through the command line from its initial weights: every
 * epoch's loss and every |dL/dh_t| (--grad-csv) within 1e-3 relative. */
static void
test_clip_grad_norm_pytorch (void)
{
  g_autofree char *ref_path = g_test_build_filename (G_TEST_DIST, "reference", "rnn-clip-sgd-h32-t16.json", NULL);
  g_autofree char *dir = make_dir ();
  g_autofree char *initial = g_build_filename (dir, "initial.json", NULL);
  g_autofree char *loss_csv = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *grad_csv = g_build_filename (dir, "grad.csv", NULL);
  g_autoptr(GArray) norms = NULL;
  JsonArray *ref_norms;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) losses = NULL;
  g_autofree char *initial_text = NULL;
  g_auto(CliResult) r = { 0 };
  JsonObject *root, *cfg;
  JsonArray *ref_losses;
  char epochs[16], clip[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_true (json_parser_load_from_file (parser, ref_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  cfg = json_object_get_object_member (root, "config");
  g_assert_cmpstr (json_object_get_string_member (cfg, "cell"), ==, "rnn");
  g_assert_cmpint (json_object_get_int_member (cfg, "n_points"), ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (cfg, "period"), ==, 40.0);
  g_assert_cmpint (json_object_get_int_member (cfg, "time_step"), ==, 16);
  g_assert_cmpfloat (json_object_get_double_member (cfg, "train_ratio"), ==, 0.7);
  g_assert_cmpint (json_object_get_int_member (cfg, "hidden_size"), ==, 32);
  g_assert_cmpfloat (json_object_get_double_member (cfg, "lr"), ==, 0.5);
  g_assert_cmpstr (json_object_get_string_member (cfg, "optimizer"), ==, "sgd");
  g_snprintf (epochs, sizeof epochs, "%" G_GINT64_FORMAT, json_object_get_int_member (cfg, "epochs"));
  g_ascii_dtostr (clip, sizeof clip, json_object_get_double_member (cfg, "clip_grad_norm"));

  initial_text = json_to_string (json_object_get_member (root, "initial"), TRUE);
  g_assert_true (g_file_set_contents (initial, initial_text, -1, NULL));
  run_cli (&r, dir, (const char *[]) { "--init-weights", initial, "--points", "200", "--period", "40",
                                       "--time-step", "16", "--lr", "0.5", "--optimizer", "sgd",
                                       "--epochs", epochs, "--clip-grad-norm", clip, "--log-every", "0",
                                       "--loss-csv", loss_csv, "--grad-csv", grad_csv, NULL });
  g_assert_cmpint (r.status, ==, 0);
  losses = read_csv_column (loss_csv, 1);
  ref_losses = json_object_get_array_member (root, "train_loss");
  g_assert_cmpuint (losses->len, ==, json_array_get_length (ref_losses));
  for (guint e = 0; e < losses->len; e++)
    {
      double want = json_array_get_double_element (ref_losses, e);

      g_assert_cmpfloat_with_epsilon (g_array_index (losses, double, e), want, 1e-3 * fabs (want));
    }

  /* --grad-csv: |dL/dh_t| of every epoch and step, PyTorch's unrolled loop's */
  norms = read_csv_column (grad_csv, 2);
  ref_norms = json_object_get_array_member (root, "grad_norms");
  g_assert_cmpuint (norms->len, ==, json_array_get_length (ref_norms) * 16);
  for (guint e = 0; e < json_array_get_length (ref_norms); e++)
    {
      JsonArray *step = json_array_get_array_element (ref_norms, e);

      g_assert_cmpuint (json_array_get_length (step), ==, 16);
      for (guint t = 0; t < 16; t++)
        {
          double want = json_array_get_double_element (step, t);

          g_assert_cmpfloat_with_epsilon (g_array_index (norms, double, e * 16 + t), want,
                                          1e-3 * fabs (want));
        }
    }
  remove_dir (dir);
}

static char *
write_settings (const char *dir,
                const char *name,
                const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* ---- --compare -------------------------------------------------------- */

/* The value after label in a run's output ("Test MSE: "), as printed. */
static char *
printed_value (const char *out,
               const char *label)
{
  const char *p = strstr (out, label);

  g_assert_nonnull (p);
  p += strlen (label);
  return g_strndup (p, strcspn (p, "\n"));
}

static void
test_compare (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *loss_csv = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *grad_csv = g_build_filename (dir, "grad.csv", NULL);
  g_autofree char *loss_text = NULL;
  g_autofree char *grad_text = NULL;
  g_auto(GStrv) loss_rows = NULL;
  g_auto(GStrv) table = NULL;
  g_auto(CliResult) r = { 0 };
  const char *models[][3] = { { "rnn", "rnn", "50" }, { "lstm", "lstm", "12" }, { "gru", "gru", "50" } };
  /* I H + H H + 2 H + H + 1, times the gates but fc: 50+2500+100+51, 48+576+96+13, 150+7500+300+51 */
  const char *params[] = { "2701", "733", "8001" };
  struct { const char *args[5]; const char *needle; } bad[] = {
    { { "--compare", "rnn,elman,lstm:0,gru:x" },
      "--compare: “elman”, “lstm:0”, “gru:x”: not a model of the list; accepted: 2 or 3 different models" },
    { { "--compare", "rnn,rnn" }, "--compare: “rnn”: not a model of the list" },
    { { "--compare", "rnn,lstm,gru,rnn:4" }, "--compare: “rnn:4”: not a model of the list" },
    { { "--compare", "lstm" }, "--compare: one model; accepted: 2 or 3 different models" },
    { { "--compare", "rnn,lstm", "--save-weights", "m.json" }, "--compare: not with --save-weights" },
    { { "--compare", "rnn,lstm", "--init-weights", "m.json" }, "--compare: not with --init-weights" },
    { { "--compare", "rnn,lstm", "--cell", "gru" }, "--compare: not with --cell" },
  };

  run_cli (&r, dir, (const char *[]) { "--compare", "rnn,lstm:12,gru", "--epochs", "15", "--seed", "3",
                                       "--log-every", "5", "--loss-csv", loss_csv, "--grad-csv", grad_csv,
                                       NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  table = g_strsplit (strstr (r.out, "\nModel"), "\n", -1);
  g_assert_true (g_str_has_prefix (table[1], "Model "));
  for (int k = 0; k < 3; k++)
    {
      g_auto(CliResult) alone = { 0 };
      g_autofree char *heading = g_strdup_printf ("== %s, hidden size %s ==\n", models[k][1], models[k][2]);
      g_autofree char *train = NULL;
      g_autofree char *test = NULL;
      g_auto(GStrv) cols = NULL;
      const char *block = strstr (r.out, heading);
      const char *end;

      /* each model's lines are those of its own run */
      run_cli (&alone, dir, (const char *[]) { "--cell", models[k][1], "--hidden-size", models[k][2],
                                               "--seed", "3", "--epochs", "15", "--log-every", "5", NULL });
      g_assert_cmpint (alone.status, ==, 0);
      g_assert_nonnull (block);
      block += strlen (heading);
      end = strstr (block, k < 2 ? "== " : "\nModel");
      g_assert_nonnull (end);
      g_assert_cmpint (end - block, ==, (int) strlen (alone.out));
      g_assert_true (strncmp (block, alone.out, strlen (alone.out)) == 0);

      /* and its row of the table: cell, hidden, parameters, train, test, ms/epoch */
      train = printed_value (alone.out, "Train MSE: ");
      test = printed_value (alone.out, "Test MSE: ");
      cols = g_regex_split_simple ("\\s+", table[2 + k], 0, 0);
      g_assert_cmpuint (g_strv_length (cols), ==, 6);
      g_assert_cmpstr (cols[0], ==, models[k][0]);
      g_assert_cmpstr (cols[1], ==, models[k][2]);
      g_assert_cmpstr (cols[2], ==, params[k]);
      g_assert_cmpstr (cols[3], ==, train);
      g_assert_cmpstr (cols[4], ==, test);
      g_assert_cmpfloat (g_ascii_strtod (cols[5], NULL), >, 0.0);
    }

  /* a column pair per model, a model column in the gradients */
  loss_text = read_text (loss_csv);
  loss_rows = g_strsplit (loss_text, "\n", -1);
  g_assert_cmpstr (loss_rows[0], ==, "epoch,rnn_train,rnn_test,lstm_train,lstm_test,gru_train,gru_test");
  g_assert_cmpuint (count_lines (loss_text), ==, 16);
  g_assert_true (g_str_has_prefix (loss_rows[15], "15,"));
  grad_text = read_text (grad_csv);
  g_assert_true (g_str_has_prefix (grad_text, "model,epoch,t,grad_norm\nrnn,1,1,"));
  g_assert_cmpuint (count_lines (grad_text), ==, 1 + 3 * 15 * 10);
  g_assert_nonnull (strstr (grad_text, "\nlstm,15,10,"));
  g_assert_nonnull (strstr (grad_text, "\ngru,15,10,"));

  /* the same cell twice is named with its hidden size */
  {
    g_auto(CliResult) twice = { 0 };

    run_cli (&twice, dir, (const char *[]) { "--compare", "rnn:8,rnn:4", "--epochs", "2", "--log-every", "0",
                                             "--loss-csv", "-", NULL });
    g_assert_cmpint (twice.status, ==, 0);
    g_assert_true (g_str_has_prefix (twice.out, "epoch,rnn:8_train,rnn:8_test,rnn:4_train,rnn:4_test\n"));
    g_assert_nonnull (strstr (twice.err, "== rnn:4, hidden size 4 =="));
  }

  /* a settings key, the same string */
  {
    g_autofree char *settings = write_settings (dir, "compare.json",
      "{ \"format\": \"rnn-lab-settings\", \"version\": 1, \"compare\": \"rnn:4,gru:4\","
      "  \"epochs\": 3, \"log-every\": 0 }");
    g_auto(CliResult) from_file = { 0 };
    g_auto(CliResult) typed = { 0 };

    run_cli (&from_file, dir, (const char *[]) { "--settings", settings, NULL });
    run_cli (&typed, dir, (const char *[]) { "--compare", "rnn:4,gru:4", "--epochs", "3", "--log-every", "0",
                                             NULL });
    g_assert_cmpint (from_file.status, ==, 0);
    g_assert_nonnull (strstr (from_file.out, "== gru, hidden size 4 =="));
    /* the same lines but the timings */
    g_assert_true (strncmp (from_file.out, typed.out, strstr (typed.out, "\nModel") - typed.out) == 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CliResult) b = { 0 };

      run_cli (&b, dir, bad[i].args);
      g_assert_cmpint (b.status, ==, 2);
      assert_one_line_error (&b, bad[i].needle);
    }
  remove_dir (dir);
}

/* ---- A lesson's settings.json (--settings) ----------------------------- */


static void
test_settings (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *model_path = g_test_build_filename (G_TEST_DIST, "..", "data", "tutorial-model.json", NULL);
  g_autofree char *model_text = read_text (model_path);
  g_autofree char *seeded = write_settings (dir, "seeded.json",
    "{ \"format\": \"rnn-lab-settings\", \"version\": 1, \"hidden-size\": 16,"
    "  \"time-step\": 5, \"lr\": 0.005, \"optimizer\": \"sgd\", \"epochs\": 12,"
    "  \"points\": 200, \"period\": 50, \"train-ratio\": 0.6, \"seed\": 7, \"init\": \"seed\" }");
  g_autofree char *from_file = write_settings (dir, "from-file.json",
    "{ \"format\": \"rnn-lab-settings\", \"version\": 1, \"epochs\": 20, \"seed\": 0,"
    "  \"init\": \"file\", \"init-weights\": \"initial-model.json\" }");
  G_GNUC_UNUSED g_autofree char *initial = write_settings (dir, "initial-model.json", model_text);
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) c = { 0 };
  g_auto(CliResult) d = { 0 };
  g_auto(CliResult) e = { 0 };
  struct { const char *name; const char *text; const char *needle; } bad[] = {
    { "range.json", "{ \"hidden-size\": 500 }", "hidden-size: 500 is out of range; accepted: 1 to 256" },
    { "key.json", "{ \"hiden-size\": 5 }", "hiden-size: unknown key; accepted: format, version, hidden-size" },
    { "init.json", "{ \"init\": \"magic\" }", "init: “magic”; accepted: tutorial, seed, file" },
    { "type.json", "{ \"lr\": [0.1] }", "lr: not a number or a string" },
    { "seed.json", "{ \"init\": \"seed\" }", "seed: missing" },
    { "format.json", "{ \"format\": \"other\" }", "format: “other”; accepted: rnn-lab-settings" },
    { "json.json", "{ hidden", "json.json" },
  };

  /* The same run as the options it holds. */
  run_cli (&a, dir, (const char *[]) { "--settings", seeded, "--log-every", "4", NULL });
  run_cli (&b, dir, (const char *[]) {
    "--hidden-size", "16", "--time-step", "5", "--lr", "0.005", "--optimizer", "sgd",
    "--epochs", "12", "--points", "200", "--period", "50", "--train-ratio", "0.6",
    "--seed", "7", "--log-every", "4", NULL });
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpstr (a.err, ==, "");
  g_assert_cmpstr (a.out, ==, b.out);
  g_assert_true (g_str_has_prefix (a.out, "Epoch [4/12], Loss: "));

  /* An option on the command line wins over the file. */
  run_cli (&c, dir, (const char *[]) { "--settings", seeded, "--epochs", "3", "--log-every", "1", NULL });
  g_assert_cmpint (c.status, ==, 0);
  g_assert_true (g_str_has_prefix (c.out, "Epoch [1/3], Loss: "));
  g_assert_cmpuint (count_lines (c.out), ==, 3 + 2);

  /* Initial weights from a file next to settings.json (run from elsewhere). */
  run_cli (&d, NULL, (const char *[]) { "--settings", from_file, NULL });
  run_cli (&e, NULL, (const char *[]) { "--init-weights", model_path, "--epochs", "20", NULL });
  g_assert_cmpint (d.status, ==, 0);
  g_assert_cmpstr (d.out, ==, e.out);

  /* A bad file: one line naming the key and what is accepted, status 2. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_settings (dir, bad[i].name, bad[i].text);
      g_auto(CliResult) r = { 0 };

      run_cli (&r, dir, (const char *[]) { "--settings", path, NULL });
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      assert_one_line_error (&r, bad[i].needle);
    }

  remove_dir (dir);
}

/* ---- Series, CSV import, forecasts and baselines ------------------------- */

static char *
csv_corpus (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "csv", name, NULL);
}

/* Every series trains and ends with the MSE lines; noise and the series
 * seed change a generated series' numbers. */
static void
test_series (void)
{
  const char *names[] = { "sine", "square", "sawtooth", "damped", "sum", "random-walk",
                          "pattern", "co2", "sunspots", "nile" };
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(CliResult) r = { 0 };
      const char *args[] = { "--series", names[i], "--epochs", "2", "--hidden-size", "4",
                             "--seed", "1", "--log-every", "0", NULL };

      run_cli (&r, NULL, args);
      if (r.status != 0)
        g_error ("--series %s: %s", names[i], r.err);
      g_assert_true (g_str_has_prefix (r.out, "Train MSE: "));
      g_assert_nonnull (strstr (r.out, "\nTest MSE: "));
    }

  run_cli (&a, NULL, (const char *[]) { "--noise", "0.1", "--series-seed", "1", "--epochs", "1", NULL });
  run_cli (&b, NULL, (const char *[]) { "--noise", "0.1", "--series-seed", "2", "--epochs", "1", NULL });
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_cmpstr (a.out, !=, b.out);
}

/* The third field of a predictions CSV row, index,actual,prediction,split. */
static double
prediction_of (const char *row)
{
  g_auto(GStrv) fields = g_strsplit (row, ",", -1);

  g_assert_cmpuint (g_strv_length (fields), ==, 4);
  return g_ascii_strtod (fields[2], NULL);
}

/* An imported column trains; the predictions CSV is in the file's units. */
static void
test_import (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *csv = g_build_filename (dir, "level.csv", NULL);
  g_autofree char *pred = g_build_filename (dir, "pred.csv", NULL);
  g_autoptr(GString) text = g_string_new ("\xef\xbb\xbf" "date;level\r\n");
  g_auto(CliResult) r = { 0 };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  /* 60 rows around 1000, a decimal comma, one gap (line 32) */
  for (int i = 0; i < 60; i++)
    {
      if (i == 30)
        g_string_append_printf (text, "2020-01-%02d;\r\n", i % 28 + 1);
      else
        g_string_append_printf (text, "2020-01-%02d;%d,5\r\n", i % 28 + 1, 1000 + (i % 10));
    }
  g_assert_true (g_file_set_contents (csv, text->str, text->len, NULL));

  run_cli (&r, NULL, (const char *[]) { "--csv", csv, "--epochs", "3", NULL });
  g_assert_cmpint (r.status, ==, 2);
  assert_one_line_error (&r, "line 32, column 2 (“level”): the value is missing; "
                             "accepted: a number, or --missing interpolate");
  cli_result_clear (&r);

  run_cli (&r, NULL, (const char *[]) { "--csv", csv, "--missing", "interpolate", "--epochs", "3",
                                        "--predictions-csv", pred, NULL });
  g_assert_cmpint (r.status, ==, 0);
  out = read_text (pred);
  lines = g_strsplit (out, "\n", -1);
  /* index 10's actual value: 1000 + 0 + 0.5 */
  g_assert_true (g_str_has_prefix (lines[1], "10,1000.5,"));
  /* the prediction is in the file's units too, far from the model's [-1, 1] */
  g_assert_cmpfloat (prediction_of (lines[1]), >, 900.0);
  remove_dir (dir);
}

/* Each refused file: one line, exit 2, or 1 when it cannot be read. */
static void
test_import_refused (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "pipe.csv", NULL);
  g_autofree char *binary = csv_corpus ("binary.csv");
  g_autofree char *two = csv_corpus ("two-numeric.csv");
  g_autofree char *one = csv_corpus ("one-column.csv");
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  struct { const char *args[7]; int status; const char *needle; } cases[] = {
    { { "--csv", missing }, 1, "--csv: " },
    { { "--csv", binary }, 2, "a binary file" },
    { { "--csv", two }, 2, "3 columns hold numbers; choose one by name or number: "
                           "1 “year”, 2 “north”, 3 “south”" },
    { { "--csv", two, "--column", "east" }, 2, "--column: " },
    { { "--csv", one }, 2, "--time-step: the default 10 is too long for 8 points; accepted: 1 to 5" },
    { { "--csv", fifo }, 1, "--csv: " },
    { { "--csv", fifo }, 1, "not a regular file" },
    { { "--csv", two, "--column", "2", "--missing", "guess" }, 2,
      "--missing: “guess” is not a way to treat gaps; accepted: refuse, interpolate" },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = { 0 };

      run_cli (&r, NULL, cases[i].args);
      g_assert_cmpint (r.status, ==, cases[i].status);
      assert_one_line_error (&r, cases[i].needle);
      g_assert_cmpstr (r.out, ==, "");
    }
  remove_dir (dir);
}

static double
value_after (const char *out,
             const char *label)
{
  const char *p = strstr (out, label);

  g_assert_nonnull (p);
  return g_ascii_strtod (p + strlen (label), NULL);
}

/* --baselines after Test MSE: on the tutorial's sine the linear AR is
 * exact, persistence is not. */
static void
test_baselines (void)
{
  g_auto(CliResult) r = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (&r, NULL, (const char *[]) { "--baselines", "--epochs", "20", NULL });
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  /* 2 epoch lines, 2 MSE lines, 2 baselines, 3 MAEs, and the last "" */
  g_assert_cmpuint (g_strv_length (lines), ==, 10);
  g_assert_true (g_str_has_prefix (lines[2], "Train MSE: "));
  g_assert_true (g_str_has_prefix (lines[3], "Test MSE: "));
  g_assert_true (g_str_has_prefix (lines[4], "Persistence Test MSE: "));
  g_assert_true (g_str_has_prefix (lines[5], "Linear AR Test MSE: "));
  g_assert_true (g_str_has_prefix (lines[6], "Test MAE: "));
  g_assert_cmpfloat (value_after (r.out, "Linear AR Test MSE: "), <, 1e-10);
  g_assert_cmpfloat_with_epsilon (value_after (r.out, "Persistence Test MSE: "), 1.548e-3, 1e-6);
  g_assert_cmpfloat (value_after (r.out, "Linear AR Test MAE: "), <, 1e-6);
}

/* step,index,forecast: the test part's length by default, index from the
 * first test target; the first step is the one-step prediction there. */
static void
test_forecast (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fc = g_build_filename (dir, "forecast.csv", NULL);
  g_autofree char *pred = g_build_filename (dir, "pred.csv", NULL);
  g_auto(CliResult) r = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *pred_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) pred_lines = NULL;

  run_cli (&r, NULL, (const char *[]) { "--series", "nile", "--epochs", "5", "--forecast-csv", fc,
                                        "--predictions-csv", pred, NULL });
  g_assert_cmpint (r.status, ==, 0);
  text = read_text (fc);
  lines = g_strsplit (text, "\n", -1);
  /* Nile: 100 points, 89 windows, 62 train, 27 test */
  g_assert_cmpstr (lines[0], ==, "step,index,forecast");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 27 + 1);
  g_assert_true (g_str_has_prefix (lines[1], "1,72,"));
  g_assert_true (g_str_has_prefix (lines[27], "27,98,"));
  pred_text = read_text (pred);
  pred_lines = g_strsplit (pred_text, "\n", -1);
  g_assert_true (g_str_has_prefix (pred_lines[1 + 62], "72,"));
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (lines[1] + strlen ("1,72,"), NULL),
                                  prediction_of (pred_lines[1 + 62]), 1e-3);
  cli_result_clear (&r);

  run_cli (&r, NULL, (const char *[]) { "--epochs", "1", "--forecast-steps", "200",
                                        "--forecast-csv", fc, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&text, g_free);
  text = read_text (fc);
  g_assert_cmpuint (count_lines (text), ==, 201);
  remove_dir (dir);
}

/* --epochs 0 evaluates the starting weights: the tutorial's initial model's
 * train MSE is the loss the first epoch prints (before its update). */
static void
test_epochs_zero (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *loss = g_build_filename (dir, "loss.csv", NULL);
  g_autofree char *pred = g_build_filename (dir, "pred.csv", NULL);
  g_auto(CliResult) zero = { 0 };
  g_auto(CliResult) one = { 0 };
  g_autofree char *loss_text = NULL;
  g_autofree char *pred_text = NULL;
  g_auto(GStrv) rows = NULL;

  run_cli (&zero, NULL, (const char *[]) { "--epochs", "0", "--predictions-csv", pred, NULL });
  g_assert_cmpint (zero.status, ==, 0);
  g_assert_true (g_str_has_prefix (zero.out, "Train MSE: "));
  g_assert_cmpuint (count_lines (zero.out), ==, 2);
  pred_text = read_text (pred);
  g_assert_cmpuint (count_lines (pred_text), ==, 1 + 89);

  run_cli (&one, NULL, (const char *[]) { "--epochs", "1", "--loss-csv", loss, NULL });
  g_assert_cmpint (one.status, ==, 0);
  loss_text = read_text (loss);
  rows = g_strsplit (loss_text, "\n", -1);
  g_assert_true (g_str_has_prefix (rows[1], "1,"));
  g_assert_cmpfloat_with_epsilon (value_after (zero.out, "Train MSE: "),
                                  g_ascii_strtod (rows[1] + 2, NULL),
                                  1e-3 * value_after (zero.out, "Train MSE: "));
  remove_dir (dir);
}

/* ---- Hostile input, divergence and limits (each found by a fuzzer or by hand) */

/* The message quotes no raw control byte and is one line. */
static void
assert_clean_error (const CliResult *r)
{
  for (const char *p = r->err; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n')
      g_error ("a raw control byte 0x%02x in “%s”", (guchar) *p, r->err);
  g_assert_cmpuint (count_lines (r->err), ==, 1);
}

static void
test_diverged (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *loss = g_build_filename (dir, "loss.csv", NULL);
  g_auto(CliResult) r = { 0 };
  g_auto(GStrv) lines = NULL;
  GRegex *loss_line = g_regex_new ("^Epoch \\[[0-9]+/8\\], Loss: "
                                   "(-?[0-9]{1,6}\\.[0-9]{4}|-?[0-9]\\.[0-9]{4}e[+-][0-9]{2,3}|nan|-?inf)$",
                                   0, 0, NULL);

  run_cli (&r, dir, (const char *[]) { "--optimizer", "sgd", "--lr", "10", "--epochs", "8",
                                       "--log-every", "1", "--loss-csv", loss, NULL });
  /* Its own status and message, never "Train MSE: inf" and exit 0. */
  g_assert_cmpint (r.status, ==, 3);
  assert_one_line_error (&r, "rnn-lab: training diverged: ");
  assert_one_line_error (&r, "try a smaller --lr");
  g_assert_null (strstr (r.out, "MSE"));
  /* Every loss line readable: no 34-digit number. */
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8 + 1);
  for (int i = 0; i < 8; i++)
    if (!g_regex_match (loss_line, lines[i], 0, NULL))
      g_error ("unreadable loss line “%s”", lines[i]);
  g_regex_unref (loss_line);
  /* A failed run writes no outputs. */
  g_assert_false (g_file_test (loss, G_FILE_TEST_EXISTS));
  remove_dir (dir);
}

static void
test_limits (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  struct { const char *args[5]; int status; const char *needle; } cases[] = {
    /* Refused at the range check, with the range. */
    { { "--period", "1e-310" }, 2, "--period: 1e-310 is out of range; accepted: 2 to 1e+09" },
    { { "--period", "1.5" }, 2, "--period: 1.5 is out of range; accepted: 2 to 1e+09" },
    { { "--lr", "1e-310" }, 2, "--lr: 1e-310 is out of range; accepted: greater than 0, at most 10" },
    /* Refused before allocating, with the budget. */
    { { "--points", "100000", "--time-step", "20000" }, 2, "need 732.3\xc2\xa0GiB of memory; accepted: at most 1.0\xc2\xa0GiB" },
    { { "--points", "100000", "--time-step", "5000", NULL }, 2, "of memory; accepted: at most 1.0\xc2\xa0GiB" },
    /* Inputs that are not regular files: refused at once, never waited on or read. */
    { { "--init-weights", "/dev/zero" }, 1, "--init-weights: /dev/zero: not a regular file" },
    { { "--init-weights", fifo }, 1, "not a regular file" },
    { { "--settings", fifo }, 1, "not a regular file" },
    { { "--settings", dir }, 1, "is a folder" },
    /* A missing file: the same status for both. */
    { { "--settings", "no-such-settings.json" }, 1, "--settings: no-such-settings.json: could not open the file" },
    { { "--init-weights", "no-such-model.json" }, 1, "--init-weights: no-such-model.json: could not open the file" },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = { 0 };
      gint64 start = g_get_monotonic_time ();

      g_test_message ("case %u: %s %s", i, cases[i].args[0], cases[i].args[1]);
      run_cli (&r, dir, cases[i].args);
      g_assert_cmpint (r.status, ==, cases[i].status);
      assert_one_line_error (&r, cases[i].needle);
      g_assert_cmpstr (r.out, ==, "");
      /* Refused before any work: well under the time a run or a big allocation takes. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
    }
  g_remove (fifo);
  remove_dir (dir);
}

static void
test_quoting (void)
{
  struct { const char *args[3]; const char *needle; } cases[] = {
    { { "--lr", "1\x1b[31m" }, "--lr: “1\\x1b[31m” is not a number" },
    { { "--optimizer", "adam\nsgd" }, "--optimizer: “adam\\nsgd” is not an optimizer" },
    /* GLib refuses text that is not UTF-8 before the option sees it. */
    { { "--hidden-size", "\xff\xfe" }, "Invalid byte sequence" },
    { { "--seed", "1\r2" }, "--seed: “1\\r2” is not an unsigned integer" },
    { { "--no-such\x1b]0;title\x07" }, "--no-such\\x1b]0;title\\x07" },
    { { "stray\x1b[2J" }, "stray\\x1b[2J" },
  };
  g_autoptr(GString) long_value = g_string_new ("5");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliResult) r = { 0 };

      run_cli (&r, NULL, cases[i].args);
      g_assert_cmpint (r.status, ==, 2);
      assert_clean_error (&r);
      assert_one_line_error (&r, cases[i].needle);
    }

  /* A long value is cut with an ellipsis. */
  for (int i = 0; i < 10000; i++)
    g_string_append_c (long_value, 'x');
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", long_value->str, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_line_error (&r, "xxx…” is not an integer");
    g_assert_cmpuint (strlen (r.err), <, 300);
  }
}

static void
test_settings_hostile (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *model_path = g_test_build_filename (G_TEST_DIST, "..", "data", "tutorial-model.json", NULL);
  g_autofree char *model_text = read_text (model_path);
  G_GNUC_UNUSED g_autofree char *initial = write_settings (dir, "initial-model.json", model_text);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) big = g_string_new ("{ \"epochs\": 5 ");
  struct { const char *name; const char *text; int status; const char *needle; } bad[] = {
    { "dup.json", "{ \"epochs\": 5, \"epochs\": 6 }", 2, "the key \"epochs\" appears twice" },
    { "two.json", "{ \"epochs\": 5 } { \"epochs\": 6 }", 2, "one JSON value per file" },
    { "nul.json", "{ \"epochs\\u0000 tail\": 5 }", 2, "\\u0000 (a NUL character)" },
    { "comment.json", "{ \"epochs\": 5 /* \" */ }", 2, "comments are not JSON" },
    { "nan.json", "{ \"lr\": NaN }", 2, "NaN and Infinity are not JSON" },
    { "trailing.json", "{ \"epochs\": 5, }", 2, "a comma before '}' is not JSON" },
    { "esc.json", "{ \"ep\x1b[31mochs\": 5 }", 2, "a control character in a string" },
    { "esckey.json", "{ \"ep\\u001b[31mochs\": 5 }", 2, "ep\\x1b[31mochs: unknown key" },
    /* Exact integers, quoted as written. */
    { "seed.json", "{ \"seed\": 18446744073709551616 }", 2,
      "seed: “18446744073709551616” is not an unsigned integer; accepted: 0 to 18446744073709551615" },
    { "seed2.json", "{ \"seed\": 9223372036854775808.5 }", 2, "seed: “9223372036854775808.5” is not an unsigned integer" },
    { "epochs.json", "{ \"epochs\": 1e2 }", 2, "epochs: “1e2” is not an integer" },
    { "epochs2.json", "{ \"epochs\": 99999999999999999999999999 }", 2,
      "epochs: 99999999999999999999999999 is out of range; accepted: 0 to 1000000" },
    { "period.json", "{ \"period\": 1e-310 }", 2, "period: 1e-310 is out of range; accepted: 2 to 1e+09" },
    /* init-weights stays inside the lesson's folder. */
    { "abs.json", "{ \"init\": \"file\", \"init-weights\": \"/etc/passwd\" }", 2,
      "init-weights: “/etc/passwd” is an absolute path; accepted: a file in the lesson's folder" },
    { "up.json", "{ \"init\": \"file\", \"init-weights\": \"../initial-model.json\" }", 2,
      "init-weights: “../initial-model.json” leaves the lesson's folder (..)" },
    { "up2.json", "{ \"init-weights\": \"a/../../x.json\" }", 2, "leaves the lesson's folder" },
  };

  /* 100000 nested '[' (200 KB) crashed the program. */
  g_string_append (deep, "{ \"lr\": ");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}");
  {
    g_autofree char *path = write_settings (dir, "deep.json", deep->str);
    g_auto(CliResult) r = { 0 };

    run_cli (&r, dir, (const char *[]) { "--settings", path, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_line_error (&r, "values nested more than 3 levels deep");
  }
  /* Larger than a settings file can be. */
  while (big->len <= 1024 * 1024)
    g_string_append (big, "                                                              ");
  g_string_append (big, "}");
  {
    g_autofree char *path = write_settings (dir, "big.json", big->str);
    g_auto(CliResult) r = { 0 };

    run_cli (&r, dir, (const char *[]) { "--settings", path, NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_line_error (&r, "the file is too large for a settings file; accepted: at most 1.0\xc2\xa0MB");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_settings (dir, bad[i].name, bad[i].text);
      g_auto(CliResult) r = { 0 };

      g_test_message ("settings case %s", bad[i].name);
      run_cli (&r, dir, (const char *[]) { "--settings", path, NULL });
      g_assert_cmpint (r.status, ==, bad[i].status);
      g_assert_cmpstr (r.out, ==, "");
      assert_clean_error (&r);
      assert_one_line_error (&r, bad[i].needle);
    }

  /* The largest seed is read exactly (json-glib alone would wrap it). */
  {
    g_autofree char *path = write_settings (dir, "max-seed.json",
                                            "{ \"seed\": 18446744073709551615, \"epochs\": 3, \"init\": \"seed\" }");
    g_auto(CliResult) a = { 0 };
    g_auto(CliResult) b = { 0 };

    run_cli (&a, dir, (const char *[]) { "--settings", path, "--log-every", "1", NULL });
    run_cli (&b, dir, (const char *[]) { "--seed", "18446744073709551615", "--epochs", "3", "--log-every", "1", NULL });
    g_assert_cmpint (a.status, ==, 0);
    g_assert_cmpstr (a.out, ==, b.out);
  }
  /* A file in a subfolder of the lesson is fine. */
  {
    g_autofree char *sub = g_build_filename (dir, "weights", NULL);
    g_autofree char *sub_model = g_build_filename (sub, "start.json", NULL);
    g_autofree char *path = write_settings (dir, "sub.json",
                                            "{ \"epochs\": 2, \"init-weights\": \"weights/start.json\" }");
    g_auto(CliResult) r = { 0 };

    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    g_assert_true (g_file_set_contents (sub_model, model_text, -1, NULL));
    run_cli (&r, NULL, (const char *[]) { "--settings", path, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_remove (sub_model);
  }
  remove_dir (dir);
}

/* The actual value (second field) of each row of a predictions CSV, by index. */
static GHashTable *
actual_by_index (const char *path)
{
  g_autofree char *text = read_text (path);
  g_auto(GStrv) rows = g_strsplit (text, "\n", -1);
  GHashTable *actual = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  for (int i = 1; rows[i] != NULL && rows[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (rows[i], ",", -1);
      double *v = g_new (double, 1);

      g_assert_cmpuint (g_strv_length (f), ==, 4);
      *v = g_ascii_strtod (f[1], NULL);
      g_hash_table_insert (actual, GINT_TO_POINTER (atoi (f[0])), v);
    }
  return actual;
}

/* --burst K: K random points at the start of each period of the pattern,
 * then exactly 0 until the next period; 0 (the default) leaves every point
 * random. */
static void
test_burst (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *pred = g_build_filename (dir, "burst.csv", NULL);
  g_autofree char *pred_all = g_build_filename (dir, "all.csv", NULL);
  g_autoptr(GHashTable) burst = NULL;
  g_autoptr(GHashTable) all = NULL;
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) a = { 0 };
  int n_burst = 0, n_quiet = 0;
  struct { const char *args[9]; const char *needle; } bad[] = {
    { { "--burst", "2" }, "--burst: only for --series pattern" },
    { { "--series", "sine", "--burst", "2" }, "--burst: only for --series pattern" },
    { { "--series", "pattern", "--period", "10", "--burst", "10" },
      "--burst: 10 is out of range; accepted: 0 to 9" },
    { { "--series", "pattern", "--burst", "-1" }, "--burst: -1 is out of range; accepted: 0 to 99" },
    { { "--series", "pattern", "--burst", "two" }, "--burst: “two” is not an integer; accepted: 0 to 99" },
  };

  run_cli (&r, NULL, (const char *[]) { "--series", "pattern", "--period", "10", "--burst", "3",
                                        "--series-seed", "4", "--epochs", "1", "--hidden-size", "4",
                                        "--time-step", "12", "--predictions-csv", pred, NULL });
  g_assert_cmpint (r.status, ==, 0);
  burst = actual_by_index (pred);
  g_assert_cmpuint (g_hash_table_size (burst), ==, 100 - 12 - 1);
  for (int i = 12; i < 99; i++)
    {
      double v = *(double *) g_hash_table_lookup (burst, GINT_TO_POINTER (i));

      if (i % 10 < 3)
        {
          g_assert_cmpfloat (fabs (v), >, 0.0);
          g_assert_cmpfloat (fabs (v), <, 1.0);
          n_burst++;
        }
      else
        {
          g_assert_cmpfloat (v, ==, 0.0);
          n_quiet++;
        }
    }
  g_assert_cmpint (n_burst, ==, 25);
  g_assert_cmpint (n_quiet, ==, 62);

  /* Without --burst every point of the period is drawn. */
  run_cli (&a, NULL, (const char *[]) { "--series", "pattern", "--period", "10",
                                        "--series-seed", "4", "--epochs", "1", "--hidden-size", "4",
                                        "--time-step", "12", "--predictions-csv", pred_all, NULL });
  g_assert_cmpint (a.status, ==, 0);
  all = actual_by_index (pred_all);
  for (int i = 12; i < 99; i++)
    g_assert_cmpfloat (fabs (*(double *) g_hash_table_lookup (all, GINT_TO_POINTER (i))), >, 0.0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CliResult) b = { 0 };

      g_test_message ("case %u", i);
      run_cli (&b, NULL, bad[i].args);
      g_assert_cmpint (b.status, ==, 2);
      assert_one_line_error (&b, bad[i].needle);
      g_assert_cmpstr (b.out, ==, "");
    }
  remove_dir (dir);
}

/* "lr-changes" replays exactly: with SGD (no optimizer state) a run whose
 * rate drops at epoch 3 is two epochs at the first rate, then three from
 * the weights they left at the second, bit for bit. */
static void
test_settings_lr_changes (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *weights = g_build_filename (dir, "scheduled.json", NULL);
  g_autofree char *two = g_build_filename (dir, "two.json", NULL);
  g_autofree char *three = g_build_filename (dir, "three.json", NULL);
  g_autofree char *settings = write_settings (dir, "settings.json",
    "{ \"format\": \"rnn-lab-settings\", \"version\": 1, \"optimizer\": \"sgd\", \"lr\": 0.5,"
    "  \"lr-changes\": [ { \"epoch\": 3, \"lr\": 0.018000000000000002 } ],"
    "  \"epochs\": 5, \"seed\": 7, \"init\": \"seed\", \"log-every\": 1 }");
  g_autofree char *scheduled_text = NULL;
  g_autofree char *resumed_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) then = NULL;
  g_auto(CliResult) s = { 0 };
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) fixed = { 0 };
  g_auto(CliResult) plain = { 0 };

  run_cli (&s, NULL, (const char *[]) { "--settings", settings, "--save-weights", weights, NULL });
  g_assert_cmpint (s.status, ==, 0);
  run_cli (&a, NULL, (const char *[]) { "--optimizer", "sgd", "--lr", "0.5", "--seed", "7", "--epochs", "2",
                                        "--log-every", "1", "--save-weights", two, NULL });
  g_assert_cmpint (a.status, ==, 0);
  run_cli (&b, NULL, (const char *[]) { "--optimizer", "sgd", "--lr", "0.018000000000000002",
                                        "--init-weights", two, "--epochs", "3", "--log-every", "1",
                                        "--save-weights", three, NULL });
  g_assert_cmpint (b.status, ==, 0);

  scheduled_text = read_text (weights);
  resumed_text = read_text (three);
  g_assert_cmpstr (scheduled_text, ==, resumed_text);
  /* The losses printed: epochs 1-2 as the first run's, 3-5 as the second's. */
  lines = g_strsplit (s.out, "\n", -1);
  first = g_strsplit (a.out, "\n", -1);
  then = g_strsplit (b.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5 + 2 + 1);
  for (int k = 0; k < 2; k++)
    g_assert_cmpstr (strchr (lines[k], ':'), ==, strchr (first[k], ':'));
  for (int k = 0; k < 3; k++)
    g_assert_cmpstr (strchr (lines[2 + k], ':'), ==, strchr (then[k], ':'));

  /* A --lr typed on the command line drops the schedule. */
  run_cli (&fixed, NULL, (const char *[]) { "--settings", settings, "--lr", "0.5", NULL });
  run_cli (&plain, NULL, (const char *[]) { "--optimizer", "sgd", "--lr", "0.5", "--seed", "7",
                                            "--epochs", "5", "--log-every", "1", NULL });
  g_assert_cmpint (fixed.status, ==, 0);
  g_assert_cmpstr (fixed.out, ==, plain.out);
  {
    g_auto(GStrv) constant = g_strsplit (plain.out, "\n", -1);

    /* The change is the third update: epoch 3's loss (before it) is the
     * constant rate's, epoch 4's is not. */
    g_assert_cmpstr (lines[2], ==, constant[2]);
    g_assert_cmpstr (lines[3], !=, constant[3]);
  }
  remove_dir (dir);
}

/* The data options are settings.json keys too, under their own names; a
 * bundled CSV follows init-weights' rule (in the lesson's folder). */
static void
test_settings_series (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *csv = g_build_filename (dir, "series.csv", NULL);
  g_autoptr(GString) csv_text = g_string_new ("t,level\n");
  g_autofree char *nile = write_settings (dir, "nile.json", "{ \"series\": \"nile\", \"epochs\": 3 }");
  g_autofree char *batches = write_settings (dir, "batches.json",
    "{ \"shuffle\": true, \"batch-size\": 8, \"epochs\": 3, \"seed\": 5, \"init\": \"seed\","
    "  \"series\": \"pattern\", \"period\": 20, \"burst\": 4, \"series-seed\": 2, \"noise\": 0.01 }");
  g_autofree char *bundled = write_settings (dir, "bundled.json",
    "{ \"csv\": \"series.csv\", \"column\": \"level\", \"missing\": \"interpolate\","
    "  \"normalize\": \"zscore\", \"epochs\": 2 }");
  struct { const char *name; const char *text; const char *needle; } bad[] = {
    { "flag.json", "{ \"shuffle\": \"yes\" }", "shuffle: not true or false" },
    { "flag2.json", "{ \"shuffle\": 1 }", "shuffle: not true or false" },
    { "bool.json", "{ \"epochs\": true }", "epochs: not a number or a string" },
    { "report.json", "{ \"loss-csv\": \"loss.csv\" }", "loss-csv: unknown key; accepted: " },
    { "series.json", "{ \"series\": \"cosine\" }", "series: “cosine” is not a series" },
    { "burst.json", "{ \"burst\": 3 }", "burst: only for --series pattern" },
    { "abs.json", "{ \"csv\": \"/etc/passwd\" }",
      "csv: “/etc/passwd” is an absolute path; accepted: a file in the lesson's folder, such as series.csv" },
    { "up.json", "{ \"csv\": \"data/../../series.csv\" }", "csv: “data/../../series.csv” leaves the lesson's folder (..)" },
    { "empty.json", "{ \"csv\": \"\" }", "csv: an empty file name" },
    { "both.json", "{ \"csv\": \"series.csv\", \"series\": \"nile\" }", "series: not with --csv" },
    { "changes.json", "{ \"lr-changes\": 5 }", "lr-changes: not a list" },
    { "changes1.json", "{ \"lr-changes\": [ { \"epoch\": 1, \"lr\": 0.1 } ] }",
      "lr-changes[0]: epoch 1; accepted: 2 to 1000000" },
    { "changes2.json", "{ \"lr-changes\": [ { \"epoch\": 5, \"lr\": 0.1 }, { \"epoch\": 5, \"lr\": 0.2 } ] }",
      "lr-changes[1]: epoch 5; accepted: 6 to 1000000" },
    { "changes3.json", "{ \"lr-changes\": [ { \"epoch\": 5, \"lr\": 11 } ] }",
      "lr-changes[0]: lr out of range; accepted: greater than 0, at most 10" },
    { "changes4.json", "{ \"lr-changes\": [ { \"epoch\": 5, \"lr\": 1e-310 } ] }",
      "lr-changes[0]: lr out of range" },
    { "changes5.json", "{ \"lr-changes\": [ { \"epoch\": 5 } ] }",
      "lr-changes[0]: accepted: {\"epoch\": an integer, \"lr\": a number}" },
    { "changes6.json", "{ \"lr-changes\": [ [ [ 5 ] ] ] }", "values nested more than 3 levels deep" },
  };

  for (int i = 0; i < 60; i++)
    {
      if (i == 20)
        g_string_append_printf (csv_text, "%d,\n", i);
      else
        g_string_append_printf (csv_text, "%d,%g\n", i, 10.0 + sin (i / 3.0));
    }
  g_assert_true (g_file_set_contents (csv, csv_text->str, -1, NULL));

  {
    g_auto(CliResult) a = { 0 };
    g_auto(CliResult) b = { 0 };

    run_cli (&a, NULL, (const char *[]) { "--settings", nile, NULL });
    run_cli (&b, NULL, (const char *[]) { "--series", "nile", "--epochs", "3", NULL });
    g_assert_cmpint (a.status, ==, 0);
    g_assert_cmpstr (a.out, ==, b.out);
  }
  {
    g_auto(CliResult) a = { 0 };
    g_auto(CliResult) b = { 0 };
    g_auto(CliResult) c = { 0 };

    run_cli (&a, NULL, (const char *[]) { "--settings", batches, "--log-every", "1", NULL });
    run_cli (&b, NULL, (const char *[]) { "--shuffle", "--batch-size", "8", "--epochs", "3", "--seed", "5",
                                          "--series", "pattern", "--period", "20", "--burst", "4",
                                          "--series-seed", "2", "--noise", "0.01", "--log-every", "1", NULL });
    run_cli (&c, NULL, (const char *[]) { "--batch-size", "8", "--epochs", "3", "--seed", "5",
                                          "--series", "pattern", "--period", "20", "--burst", "4",
                                          "--series-seed", "2", "--noise", "0.01", "--log-every", "1", NULL });
    g_assert_cmpint (a.status, ==, 0);
    g_assert_cmpstr (a.err, ==, "");
    g_assert_cmpstr (a.out, ==, b.out);
    /* "shuffle": true did shuffle. */
    g_assert_cmpstr (a.out, !=, c.out);
  }
  {
    g_auto(CliResult) a = { 0 };
    g_auto(CliResult) b = { 0 };
    g_auto(CliResult) c = { 0 };
    g_auto(CliResult) d = { 0 };

    /* Run from elsewhere: the CSV is found next to settings.json. */
    run_cli (&a, NULL, (const char *[]) { "--settings", bundled, NULL });
    run_cli (&b, NULL, (const char *[]) { "--csv", csv, "--column", "level", "--missing", "interpolate",
                                          "--normalize", "zscore", "--epochs", "2", NULL });
    g_assert_cmpint (a.status, ==, 0);
    g_assert_cmpstr (a.out, ==, b.out);
    /* A series named on the command line replaces the bundled one. */
    run_cli (&c, NULL, (const char *[]) { "--settings", bundled, "--series", "sine", NULL });
    run_cli (&d, NULL, (const char *[]) { "--normalize", "zscore", "--epochs", "2", NULL });
    g_assert_cmpint (c.status, ==, 0);
    g_assert_cmpstr (c.out, ==, d.out);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_settings (dir, bad[i].name, bad[i].text);
      g_auto(CliResult) r = { 0 };

      g_test_message ("settings case %s", bad[i].name);
      run_cli (&r, dir, (const char *[]) { "--settings", path, NULL });
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      assert_one_line_error (&r, bad[i].needle);
      assert_one_line_error (&r, path);
    }
  remove_dir (dir);
}

static void
test_output_kinds (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *target = g_build_filename (dir, "target.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "link.csv", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.csv", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.csv", NULL);
  g_autofree char *csv = NULL;
  GStatBuf st;

  /* "-": the table on standard output, the progress lines on stderr. */
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", "3", "--log-every", "1", "--loss-csv", "-", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "epoch,train_loss,test_loss\n1,"));
    g_assert_cmpuint (count_lines (r.out), ==, 4);
    g_assert_true (g_str_has_prefix (r.err, "Epoch [1/3], Loss: "));
  }
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", "2", "--save-weights", "-", "--log-every", "0", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "{\n  \"format\": \"rnn-lab-model\""));
  }
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--loss-csv", "-", "--predictions-csv", "-", NULL });
    g_assert_cmpint (r.status, ==, 2);
    assert_one_line_error (&r, "--predictions-csv: - (standard output) is already --loss-csv's");
  }

  /* A device is written in place, never replaced by a regular file. */
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", "2", "--loss-csv", "/dev/null", NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
    g_assert_true (S_ISCHR (st.st_mode));
  }

  /* A symbolic link: the file it points to is replaced, the link stays. */
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("target.csv", link), ==, 0);
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", "2", "--loss-csv", link, NULL });
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
    csv = read_text (target);
    g_assert_true (g_str_has_prefix (csv, "epoch,train_loss,test_loss\n"));
  }
  /* A link to nothing, a FIFO nobody reads: refused, never waited on. */
  g_assert_cmpint (symlink ("nowhere/x.csv", dangling), ==, 0);
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", "2", "--loss-csv", dangling, NULL });
    g_assert_cmpint (r.status, ==, 1);
    assert_one_line_error (&r, "a symbolic link to nothing");
    g_assert_cmpstr (r.out, ==, "");
  }
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    g_auto(CliResult) r = { 0 };

    run_cli (&r, NULL, (const char *[]) { "--epochs", "2", "--loss-csv", fifo, NULL });
    g_assert_cmpint (r.status, ==, 1);
    assert_one_line_error (&r, "a FIFO that no program is reading");
    g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
    g_assert_true (S_ISFIFO (st.st_mode));
  }
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/cli/tutorial", test_tutorial);
  g_test_add_func ("/app/cli/help", test_help);
  g_test_add_func ("/app/cli/seed", test_seed);
  g_test_add_func ("/app/cli/other-shape", test_other_shape);
  g_test_add_func ("/app/cli/bad-options", test_bad_options);
  g_test_add_func ("/app/cli/bad-model", test_bad_model);
  g_test_add_func ("/app/cli/unwritable", test_unwritable);
  g_test_add_func ("/app/cli/weights-round-trip", test_weights_round_trip);
  g_test_add_func ("/app/cli/csv", test_csv);
  g_test_add_func ("/app/cli/export", test_export);
  g_test_add_func ("/app/cli/pytorch", test_pytorch);
  g_test_add_func ("/app/cli/cells", test_cells);
  g_test_add_func ("/app/cli/compare", test_compare);
  g_test_add_func ("/app/cli/clip-grad-norm-grad-csv", test_clip_grad_norm);
  g_test_add_func ("/app/cli/clip-grad-norm-grad-csv/pytorch", test_clip_grad_norm_pytorch);
  g_test_add_func ("/app/cli/settings", test_settings);
  g_test_add_func ("/app/cli/series", test_series);
  g_test_add_func ("/app/cli/import", test_import);
  g_test_add_func ("/app/cli/import-refused", test_import_refused);
  g_test_add_func ("/app/cli/baselines", test_baselines);
  g_test_add_func ("/app/cli/forecast", test_forecast);
  g_test_add_func ("/app/cli/epochs-zero", test_epochs_zero);
  g_test_add_func ("/app/cli/settings/hostile", test_settings_hostile);
  g_test_add_func ("/app/cli/diverged", test_diverged);
  g_test_add_func ("/app/cli/limits", test_limits);
  g_test_add_func ("/app/cli/quoting", test_quoting);
  g_test_add_func ("/app/cli/output-kinds", test_output_kinds);
  g_test_add_func ("/app/cli/burst", test_burst);
  g_test_add_func ("/app/cli/settings/lr-changes", test_settings_lr_changes);
  g_test_add_func ("/app/cli/settings/series", test_settings_series);

  return g_test_run ();
}
