/* fuzz-model-json.c: the model file loader (core/lab-model-io.c).
 *
 * Properties: no crash, hang or leak whatever the bytes; what the JSON guard
 * accepts json-glib parses; a refusal has a clean one-line message; a model
 * that loads saves back to a text that loads to the same bits. */
#include <string.h>

#include "core/lab-json-guard.h"
#include "core/lab-model-io.h"
#include "engine/limits.h"
#include "tests/fuzz/lab-fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const LabJsonLimits limits = { RNN_MODEL_FILE_DEPTH_MAX, RNN_MODEL_FILE_VALUES_MAX,
                                        LAB_JSON_INT64 };
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(LabModel) model = NULL;
  g_autoptr(GError) error = NULL;

  /* The guard and json-glib agree: strict JSON within bounds parses. */
  if (lab_json_check ((const char *) data, size, &limits, NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      LAB_FUZZ_CHECK (json_parser_load_from_data (parser, (const char *) data, size, NULL));
      LAB_FUZZ_CHECK (json_parser_get_root (parser) != NULL);
    }

  model = lab_model_load_bytes (bytes, &error);
  if (model == NULL)
    {
      LAB_FUZZ_CHECK (error != NULL);
      LAB_FUZZ_CHECK (lab_fuzz_message_is_clean (error->message));
      return 0;
    }
  LAB_FUZZ_CHECK (error == NULL);
  LAB_FUZZ_CHECK (model->n_params == lab_model_param_count (model->input_size, model->hidden_size,
                                                            model->output_size));
  {
    g_autoptr(GBytes) saved = lab_model_to_bytes (model, &error);
    g_autoptr(LabModel) again = NULL;

    LAB_FUZZ_CHECK (saved != NULL);
    again = lab_model_load_bytes (saved, &error);
    LAB_FUZZ_CHECK (again != NULL);
    LAB_FUZZ_CHECK (again->n_params == model->n_params);
    LAB_FUZZ_CHECK (memcmp (again->params, model->params, model->n_params * sizeof (float)) == 0);
  }
  return 0;
}
