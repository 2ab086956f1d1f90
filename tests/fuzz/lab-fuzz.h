/* lab-fuzz.h: what every fuzz harness shares.
 *
 * A harness is one file that defines LLVMFuzzerTestOneInput (the libFuzzer
 * entry point) for one loader and checks, beyond "no crash", the loader's
 * promises. With clang (meson -Dfuzzing=true) it links libFuzzer; otherwise
 * replay.c gives it a main() that runs every file of the corpus folders it
 * is given and the generated inputs below, as a normal test. To add one
 * (a CSV reader, say): write fuzz-<name>.c, add <name> to the list in
 * tests/fuzz/meson.build and put a few seed files in corpus/<name>/.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A failed property: says which, and aborts (libFuzzer saves the input). */
#define LAB_FUZZ_CHECK(cond)                                                   \
  do                                                                           \
    {                                                                          \
      if (!(cond))                                                             \
        {                                                                      \
          fprintf (stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, \
                   #cond);                                                     \
          abort ();                                                            \
        }                                                                      \
    }                                                                          \
  while (0)

/* A message for the terminal or a toast: one line, no control character. */
static inline gboolean
lab_fuzz_message_is_clean (const char *message)
{
  if (message == NULL || message[0] == '\0')
    return FALSE;
  for (const char *p = message; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return g_utf8_validate (message, -1, NULL);
}
