/* fuzz-lesson.c: the lesson loader (core/lab-lesson.c) with the command
 * line's settings check, as the window uses it.
 *
 * Properties: no crash, hang or leak whatever the bytes; a refusal has a
 * clean one-line message; a lesson that loads is within the format's
 * bounds, has an English text everywhere, and each of its models'
 * settings is a flat JSON object that the settings check accepts again. */
#include <string.h>

#include "app/lab-cli.h"
#include "core/lab-lesson.h"
#include "engine/limits.h"
#include "tests/fuzz/lab-fuzz.h"

static void
check_text (const LabLessonText *text)
{
  const char *const c[] = { "C", NULL };

  LAB_FUZZ_CHECK (text != NULL);
  LAB_FUZZ_CHECK (lab_lesson_text_get_lang (text, "en") != NULL);
  LAB_FUZZ_CHECK (lab_lesson_text_get (text, c) == lab_lesson_text_get_lang (text, "en"));
  LAB_FUZZ_CHECK (g_utf8_validate (lab_lesson_text_get (text, NULL), -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(LabLesson) lesson = NULL;
  g_autoptr(GError) error = NULL;

  lesson = lab_lesson_load_text ("fuzz.json", NULL, (const char *) data, size,
                                 lab_cli_lesson_check_settings, NULL, &error);
  if (lesson == NULL)
    {
      LAB_FUZZ_CHECK (error != NULL);
      LAB_FUZZ_CHECK (lab_fuzz_message_is_clean (error->message));
      return 0;
    }
  LAB_FUZZ_CHECK (error == NULL);
  LAB_FUZZ_CHECK (lesson->id != NULL && strlen (lesson->id) <= RNN_LESSON_ID_MAX);
  check_text (lesson->title);
  LAB_FUZZ_CHECK (lesson->n_steps >= 1 && lesson->n_steps <= RNN_LESSON_STEPS_MAX);
  for (guint s = 0; s < lesson->n_steps; s++)
    {
      const LabLessonStep *step = &lesson->steps[s];

      check_text (step->title);
      check_text (step->text);
      check_text (step->question);
      LAB_FUZZ_CHECK (step->n_models == 1
                      || (step->n_models >= RNN_LESSON_COMPARE_MIN && step->n_models <= RNN_LESSON_COMPARE_MAX));
      LAB_FUZZ_CHECK (step->n_views >= 1 && step->n_views <= LAB_LESSON_N_VIEWS);
      LAB_FUZZ_CHECK (step->play_to_epoch >= 0 && step->play_to_epoch <= RNN_LESSON_EPOCH_MAX);
      for (guint m = 0; m < step->n_models; m++)
        {
          const char *settings = step->models[m].settings;
          g_autoptr(GError) again = NULL;

          LAB_FUZZ_CHECK (settings != NULL && settings[0] == '{');
          LAB_FUZZ_CHECK (lab_cli_check_settings_at ("again", ".", settings, strlen (settings), &again));
          if (step->n_models > 1)
            check_text (step->models[m].label);
        }
    }
  return 0;
}
