/* test-cli.c: rnn-lab --headless, run as a separate process (the binary
 * comes from the RNN_LAB_BIN environment variable, set by meson): the
 * tutorial's output, every bad option and model file, outputs, round trips. */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>

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
    { { "--epochs", "0" }, "--epochs: 0 is out of range; accepted: 1 to 1000000" },
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
    { 300, NULL, { NULL }, "hidden size 300 is out of range; accepted: 1 to 256" },
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

  /* Weights so large that the loss overflows: the run stops with one line, exit 1. */
  {
    g_autofree char *path = g_strdup_printf ("%s/huge.json", dir);
    g_autofree char *text = model_text (4, "huge");
    g_autofree char *pred = g_build_filename (dir, "never.csv", NULL);
    g_auto(CliResult) r = { 0 };

    g_assert_true (g_file_set_contents (path, text, -1, NULL));
    run_cli (&r, dir, (const char *[]) { "--init-weights", path, "--predictions-csv", pred, NULL });
    g_assert_cmpint (r.status, ==, 1);
    assert_one_line_error (&r, "the loss became NaN or infinite at epoch 1; try a smaller --lr");
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

  /* Known only when writing (a folder that exists but takes no new file,
   * even for root): exit 1 after training, the other outputs written, no
   * partial file. */
  if (g_file_test ("/proc/self", G_FILE_TEST_IS_DIR))
    {
      g_auto(CliResult) r = { 0 };

      run_cli (&r, dir, (const char *[]) { "--epochs", "20", "--loss-csv", good_csv,
                                           "--predictions-csv", "/proc/rnn-lab-predictions.csv", NULL });
      g_assert_cmpint (r.status, ==, 1);
      assert_one_line_error (&r, "--predictions-csv: /proc/rnn-lab-predictions.csv: ");
      g_assert_true (g_str_has_prefix (r.out, "Epoch [10/20]"));
      g_assert_false (g_file_test ("/proc/rnn-lab-predictions.csv", G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (good_csv, G_FILE_TEST_IS_REGULAR));
    }
  else
    g_test_message ("no /proc: the write-time failure is not tested");

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
  assert_one_line_error (&bad, "--cell: not a cell; accepted: rnn, lstm, gru");
  run_cli (&other, dir, (const char *[]) { "--init-weights", saved, "--cell", "gru", NULL });
  g_assert_cmpint (other.status, ==, 2);
  assert_one_line_error (&other, "the file's cell is lstm, --cell is gru");

  if (have_torch ())
    assert_torch_predicts (saved, pred);
  remove_dir (dir);
}

/* ---- A lesson's settings.json (--settings) ----------------------------- */

static char *
write_settings (const char *dir,
                const char *name,
                const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

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
  g_autofree char *initial = write_settings (dir, "initial-model.json", model_text);
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
  g_test_add_func ("/app/cli/settings", test_settings);

  return g_test_run ();
}
