/* lab-window-lessons.h: the Lessons panel at the top of the sidebar: the
 * built-in lessons, Open Lesson…, and the open lesson's current step with
 * its "Show me", Back, Next and Leave. "Show me" applies the step's first
 * model to the run (lab-lesson-settings.h), plays to its epoch as fast as
 * possible and pauses there; a compared step names, in one line, the
 * command that trains the others headless. */
#pragma once

#include "core/lab-lesson.h"
#include "ui/lab-window.h"

G_BEGIN_DECLS

typedef struct _LabWindowLessons LabWindowLessons;

/* lab-window.c calls these from init and dispose. */
void         lab_window_lessons_init         (LabWindow              *self);
void         lab_window_lessons_dispose      (LabWindow              *self);

/* The settings check the loader is given (the application passes the
 * command line's, lab_cli_lesson_check_settings); without one, no lesson
 * opens. */
void         lab_window_set_lesson_check     (LabWindow              *self,
                                              LabLessonCheckSettings  check,
                                              gpointer                user_data);
/* Opens a lesson at its first step (a built-in's resource path or a file
 * or folder); FALSE with the loader's one line (also shown in the panel),
 * and the open lesson and the run unchanged. */
gboolean     lab_window_open_lesson_builtin  (LabWindow              *self,
                                              const char             *resource,
                                              GError                **error);
gboolean     lab_window_open_lesson_path     (LabWindow              *self,
                                              const char             *path,
                                              GError                **error);
/* The open lesson (borrowed, NULL when none) and its step (0-based). */
const LabLesson *lab_window_get_lesson       (LabWindow              *self);
int          lab_window_get_lesson_step      (LabWindow              *self);
/* What the panel's buttons do: win.lesson-show-me, -next, -back, -leave. */
gboolean     lab_window_lesson_show_me       (LabWindow              *self,
                                              GError                **error);
void         lab_window_lesson_go            (LabWindow              *self,
                                              int                     step);
void         lab_window_leave_lesson         (LabWindow              *self);
/* The panel's line under the step: the compared models' command, or why a
 * lesson or a step was refused; "" when none. */
const char  *lab_window_get_lesson_note      (LabWindow              *self);

G_END_DECLS
