/* fuzz-settings-json.c: the settings.json loader of the command line
 * (rnn-lab --headless --settings, app/lab-cli.c).
 *
 * Properties: no crash, hang or leak whatever the bytes; a refusal has a
 * clean one-line message. */
#include "app/lab-cli.h"
#include "tests/fuzz/lab-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;

  if (!lab_cli_check_settings_text ((const char *) data, size, &error))
    {
      LAB_FUZZ_CHECK (error != NULL);
      LAB_FUZZ_CHECK (lab_fuzz_message_is_clean (error->message));
    }
  else
    LAB_FUZZ_CHECK (error == NULL);
  return 0;
}
