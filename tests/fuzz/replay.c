/* replay.c: main() for a fuzz harness built without libFuzzer: runs every
 * file in the folders given as arguments, then generated inputs (deep
 * nesting of every kind, and the same cut at every length near its end)
 * through LLVMFuzzerTestOneInput, as a TAP test. */
#include <string.h>

#include <glib/gstdio.h>

#include "tests/fuzz/lab-fuzz.h"

#define DEEP 100000

static guint n_inputs;

static void
run_bytes (const char *data,
           gsize       len)
{
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  n_inputs++;
}

static void
run_folder (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *text = NULL;
      gsize len;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      g_assert_true (g_file_get_contents (path, &text, &len, &error));
      run_bytes (text, len);
      /* And every prefix of a small file: truncated files are common. */
      if (len <= 4096)
        for (gsize cut = 0; cut < len; cut++)
          run_bytes (text, cut);
    }
}

/* prefix, then `open` DEEP times, then `close` DEEP times, then suffix. */
static void
run_nested (const char *prefix,
            const char *open,
            const char *close,
            const char *suffix)
{
  GString *s = g_string_new (prefix);

  for (int i = 0; i < DEEP; i++)
    g_string_append (s, open);
  for (int i = 0; i < DEEP; i++)
    g_string_append (s, close);
  g_string_append (s, suffix);
  run_bytes (s->str, s->len);
  /* Unclosed. */
  run_bytes (s->str, strlen (prefix) + DEEP * strlen (open));
  g_string_free (s, TRUE);
}

static void
test_replay (gconstpointer user_data)
{
  const char *const *folders = user_data;

  for (int i = 0; folders[i] != NULL; i++)
    run_folder (folders[i]);

  run_nested ("", "[", "]", "");
  run_nested ("", "{\"a\":", "}", "");
  run_nested ("{\"lr\": ", "[", "]", "}");
  run_nested ("{\"rnn.weight_ih_l0\": /* \" */ ", "[", "]", "}");
  run_nested ("{\"state_dict\": ", "{\"x\": [", "]}", "}");
  run_nested ("", "[\"]\\\"\",", "]", "");

  g_test_message ("%u inputs", n_inputs);
  g_assert_cmpuint (n_inputs, >, 12);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The corpus folders: the arguments left after g_test_init. */
  g_test_add_data_func ("/fuzz/replay", (const char *const *) (argv + 1), test_replay);
  return g_test_run ();
}
