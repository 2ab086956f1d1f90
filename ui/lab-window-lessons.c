/* lab-window-lessons.c: the Lessons panel (lab-window-lessons.h). */
#include <glib/gi18n.h>

#include "core/lab-lesson-settings.h"
#include "core/lab-model-io.h"
#include "core/lab-text.h"
#include "ui/lab-window-lessons.h"
#include "ui/lab-window-data.h"
#include "ui/lab-window-private.h"

struct _LabWindowLessons
{
  LabLessonCheckSettings  check;
  gpointer                check_data;
  LabLesson              *lesson;
  int                     step;
  char                   *note;

  GtkWidget              *revealer;
  GtkStack               *stack;
  GtkListBox             *list;
  GtkLabel               *list_message;
  GtkLabel               *lesson_title;
  GtkLabel               *step_title;
  GtkLabel               *step_text;
  GtkLabel               *step_question;
  GtkLabel               *step_note;
  GtkLabel               *step_count;
  GtkWidget              *back_button;
  GtkWidget              *next_button;
  GtkFileChooserNative   *chooser;
  GStrv                   builtins;
};

/* A revealer keeps its child's width while it hides it (it slides only
 * vertically): hidden, the panel leaves the sidebar altogether, so it never
 * widens the sidebar at the plots' expense. */
static void
show_panel (LabWindowLessons *l,
            gboolean          shown)
{
  gtk_widget_set_visible (l->revealer, shown);
  gtk_revealer_set_reveal_child (GTK_REVEALER (l->revealer), shown);
}

static LabWindowLessons *
lessons_of (LabWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "lab-window-lessons");
}

static void
set_note (LabWindowLessons *l,
          const char       *note)
{
  g_free (l->note);
  l->note = g_strdup (note != NULL ? note : "");
  gtk_label_set_text (l->step_note, l->note);
  gtk_widget_set_visible (GTK_WIDGET (l->step_note), l->note[0] != '\0');
  gtk_label_set_text (l->list_message, l->note);
  gtk_widget_set_visible (GTK_WIDGET (l->list_message), l->note[0] != '\0' && l->lesson == NULL);
}

static void
update_step (LabWindow *self)
{
  LabWindowLessons *l = lessons_of (self);
  const LabLessonStep *step;
  g_autofree char *count = NULL;
  g_autofree char *question = NULL;

  if (l->lesson == NULL)
    {
      gtk_stack_set_visible_child_name (l->stack, "list");
      return;
    }
  step = &l->lesson->steps[l->step];
  gtk_label_set_text (l->lesson_title, lab_lesson_text_get (l->lesson->title, NULL));
  gtk_label_set_text (l->step_title, lab_lesson_text_get (step->title, NULL));
  gtk_label_set_text (l->step_text, lab_lesson_text_get (step->text, NULL));
  question = g_markup_printf_escaped ("<b>%s</b>", lab_lesson_text_get (step->question, NULL));
  gtk_label_set_markup (l->step_question, question);
  /* Translators: the lesson's step counter, "Step 2 of 4". */
  count = g_strdup_printf (_("Step %d of %u"), l->step + 1, l->lesson->n_steps);
  gtk_label_set_text (l->step_count, count);
  gtk_widget_set_sensitive (l->back_button, l->step > 0);
  gtk_widget_set_sensitive (l->next_button, l->step + 1 < (int) l->lesson->n_steps);
  gtk_stack_set_visible_child_name (l->stack, "step");
}

/* Takes lesson: the panel shows its first step. */
static void
open_lesson (LabWindow *self,
             LabLesson *lesson)
{
  LabWindowLessons *l = lessons_of (self);

  g_clear_pointer (&l->lesson, lab_lesson_free);
  l->lesson = lesson;
  l->step = 0;
  set_note (l, NULL);
  update_step (self);
  show_panel (l, TRUE);
}

static gboolean
refused (LabWindow  *self,
         GError    **error,
         GError     *local)
{
  set_note (lessons_of (self), local->message);
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
no_check (GError **error)
{
  g_set_error_literal (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID,
                       _("Lessons cannot be checked in this window"));
  return FALSE;
}

/* Opens what the loader gave, or shows why it refused. */
static gboolean
open_loaded (LabWindow  *self,
             LabLesson  *lesson,
             GError     *local,
             GError    **error)
{
  if (lesson == NULL)
    return refused (self, error, local);
  open_lesson (self, lesson);
  return TRUE;
}

gboolean
lab_window_open_lesson_builtin (LabWindow   *self,
                                const char  *resource,
                                GError     **error)
{
  LabWindowLessons *l = lessons_of (self);
  GError *local = NULL;
  LabLesson *lesson;

  if (l->check == NULL)
    return no_check (error);
  lesson = lab_lesson_load_builtin (resource, l->check, l->check_data, &local);
  return open_loaded (self, lesson, local, error);
}

gboolean
lab_window_open_lesson_path (LabWindow   *self,
                             const char  *path,
                             GError     **error)
{
  LabWindowLessons *l = lessons_of (self);
  GError *local = NULL;
  LabLesson *lesson;

  if (l->check == NULL)
    return no_check (error);
  lesson = lab_lesson_load_path (path, l->check, l->check_data, &local);
  return open_loaded (self, lesson, local, error);
}

const LabLesson *
lab_window_get_lesson (LabWindow *self)
{
  return lessons_of (self)->lesson;
}

int
lab_window_get_lesson_step (LabWindow *self)
{
  return lessons_of (self)->step;
}

const char *
lab_window_get_lesson_note (LabWindow *self)
{
  return lessons_of (self)->note;
}

void
lab_window_lesson_go (LabWindow *self,
                      int        step)
{
  LabWindowLessons *l = lessons_of (self);

  if (l->lesson == NULL)
    return;
  l->step = CLAMP (step, 0, (int) l->lesson->n_steps - 1);
  set_note (l, NULL);
  update_step (self);
}

void
lab_window_leave_lesson (LabWindow *self)
{
  LabWindowLessons *l = lessons_of (self);

  /* The run is left as it is: the teacher keeps playing. */
  g_clear_pointer (&l->lesson, lab_lesson_free);
  l->step = 0;
  set_note (l, NULL);
  update_step (self);
}


/* A file a step names (csv, init-weights), in the lesson's folder: the
 * loader checked that the name stays inside it. NULL for a built-in. */
static char *
lesson_file (LabWindowLessons  *l,
             const char        *key,
             const char        *name,
             GError           **error)
{
  if (l->lesson->folder == NULL)
    {
      g_set_error (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID,
                   /* Translators: %s is a settings key, "csv" or "init-weights" */
                   _("settings: %s: a built-in lesson has no folder to read a file from"), key);
      return NULL;
    }
  return g_build_filename (l->lesson->folder, name, NULL);
}

/* Prefixes error with the key and the file's name (quoted). */
static void
prefix_file_error (GError     **error,
                   const char  *key,
                   const char  *name)
{
  g_autofree char *quoted = lab_text_sanitize_full (name, -1, LAB_TEXT_PATH_QUOTE_MAX);

  /* Translators: a file a lesson step names could not be read: "settings:
   * csv: “series.csv”: " before the reason */
  g_prefix_error (error, _("settings: %s: “%s”: "), key, quoted);
}

/* The settings a step with a learning-rate schedule or initial weights
 * from a file starts with, as the command line builds them. */
static LabRunSettings *
step_settings (const LabLessonSettings  *s,
               LabDataSource            *source,
               const LabModel           *model,
               GError                  **error)
{
  RnnConfig base = s->config;
  g_autoptr(LabRunSettings) start = NULL;
  g_autoptr(LabRunSettings) data = NULL;
  LabRunSettings *next;

  /* The series comes next, from its source. */
  if (base.series == RNN_SERIES_DATA)
    {
      RnnConfig defaults;

      rnn_config_init_default (&defaults);
      base.series = defaults.series;
      base.n_points = defaults.n_points;
      base.period = defaults.period;
    }
  base.values = NULL;
  start = lab_run_settings_new (&base, s->seed);
  data = lab_run_settings_with_data (start, &s->config, source);
  next = lab_run_settings_with_cell (data, s->config.cell, s->config.clip_grad_norm);
  if (model != NULL)
    {
      LabRunSettings *loaded = lab_run_settings_with_params (next, model->hidden_size,
                                                             model->params, model->n_params);

      lab_run_settings_unref (next);
      if (loaded == NULL)
        {
          g_set_error_literal (error, LAB_LESSON_ERROR, LAB_LESSON_ERROR_INVALID,
                               _("settings: init-weights: the weights do not fit the step's network"));
          return NULL;
        }
      next = loaded;
    }
  for (guint i = 0; i < s->n_lr_changes; i++)
    {
      LabRunSettings *changed = lab_run_settings_with_lr (next, s->lr_changes[i].epoch,
                                                          s->lr_changes[i].lr);

      lab_run_settings_unref (next);
      next = changed;
    }
  return next;
}

/* One model's settings, and the files they name (a shipped series, a CSV,
 * initial weights), read before anything changes. */
static gboolean
read_step (LabWindow          *self,
           const char         *text,
           LabLessonSettings  *s,
           LabDataSource     **source,
           LabModel          **model,
           GError            **error)
{
  LabWindowLessons *l = lessons_of (self);

  if (!lab_lesson_settings_parse (text, strlen (text), s, error))
    return FALSE;
  if (s->real_series != NULL && (*source = lab_data_source_new_real (s->real_series, error)) == NULL)
    return FALSE;
  if (s->csv != NULL)
    {
      g_autofree char *path = lesson_file (l, "csv", s->csv, error);

      if (path == NULL)
        return FALSE;
      *source = lab_data_source_new_csv_file (path, s->column, s->missing, error);
      if (*source == NULL)
        {
          prefix_file_error (error, "csv", s->csv);
          return FALSE;
        }
    }
  if (s->init_weights != NULL)
    {
      g_autofree char *path = lesson_file (l, "init-weights", s->init_weights, error);

      if (path == NULL)
        return FALSE;
      *model = lab_model_load_file (path, error);
      if (*model == NULL)
        {
          prefix_file_error (error, "init-weights", s->init_weights);
          return FALSE;
        }
      /* As --init-weights: the file's shape and cell */
      s->config.hidden_size = (*model)->hidden_size;
      s->config.cell = (*model)->cell;
    }
  return TRUE;
}

/* The models after the first, side by side with it (compare mode); one
 * model ends compare mode. */
static gboolean
compare_models (LabWindow            *self,
                const LabLessonStep  *step,
                GError              **error)
{
  LabRunSettings *others[LAB_COMPARE_MAX_MODELS - 1] = { NULL };
  const char *labels[LAB_COMPARE_MAX_MODELS] = { NULL };
  gboolean ok = TRUE;
  guint n = 0;

  for (guint i = 1; i < step->n_models && ok; i++)
    {
      g_auto(LabLessonSettings) m = { 0 };
      g_autoptr(LabDataSource) source = NULL;
      g_autoptr(LabModel) model = NULL;
      const char *text = step->models[i].settings;
      LabRunSettings *made;

      ok = read_step (self, text, &m, &source, &model, error)
           && (made = step_settings (&m, source, model, error)) != NULL;
      if (ok)
        others[n++] = made;
    }
  for (guint i = 0; i < step->n_models; i++)
    if (step->models[i].label != NULL)
      labels[i] = lab_lesson_text_get (step->models[i].label, NULL);
  ok = ok && lab_window_compare (self, others, labels, n, error);
  for (guint i = 0; i < n; i++)
    lab_run_settings_unref (others[i]);
  return ok;
}

/* Whether every model of the step is there already, trained to its epoch
 * (the step before showed the same runs): then Show me only changes the
 * views, and the class does not wait for the same training twice. */
static gboolean
already_shown (LabWindow           *self,
               const LabLessonStep *step)
{
  if (step->play_to_epoch <= 0 || lab_compare_get_n_models (self->compare) != step->n_models)
    return FALSE;
  for (guint i = 0; i < step->n_models; i++)
    {
      LabRun *run = lab_compare_get_run (self->compare, i);
      g_auto(LabLessonSettings) m = { 0 };
      g_autoptr(LabRunSettings) wanted = NULL;
      const char *text = step->models[i].settings;

      if (!lab_lesson_settings_parse (text, strlen (text), &m, NULL) || m.real_series != NULL
          || m.csv != NULL || m.init_weights != NULL)
        return FALSE;
      wanted = step_settings (&m, NULL, NULL, NULL);
      if (lab_run_settings_diff (wanted, lab_run_get_settings (run)) != LAB_RUN_CHANGE_NONE
          || wanted->config.cell != lab_run_get_settings (run)->config.cell
          || lab_run_get_latest_epoch (run) != step->play_to_epoch
          || lab_run_get_max_epochs (run) != step->play_to_epoch)
        return FALSE;
    }
  return TRUE;
}

/* The first of the step's views that is a page of the lower right card. */
static void
show_views (LabWindow           *self,
            const LabLessonStep *step)
{
  for (guint i = 0; i < step->n_views; i++)
    {
      const char *name = lab_lesson_view_name (step->views[i]);

      if (gtk_stack_get_child_by_name (self->cell_stack, name) != NULL)
        {
          gtk_stack_set_visible_child_name (self->cell_stack, name);
          return;
        }
    }
}

gboolean
lab_window_lesson_show_me (LabWindow  *self,
                           GError    **error)
{
  LabWindowLessons *l = lessons_of (self);
  g_auto(LabLessonSettings) s = { 0 };
  g_autoptr(LabDataSource) source = NULL;
  g_autoptr(LabModel) model = NULL;
  g_autoptr(LabRunSettings) start = NULL;
  const LabLessonStep *step;
  GError *local = NULL;
  RnnConfig config;
  int play_to;

  g_return_val_if_fail (l->lesson != NULL, FALSE);

  step = &l->lesson->steps[l->step];
  if (already_shown (self, step))
    {
      lab_compare_go_live (self->compare);
      show_views (self, step);
      set_note (l, NULL);
      return TRUE;
    }
  if (!read_step (self, step->models[0].settings, &s, &source, &model, &local))
    return refused (self, error, local);
  if ((model != NULL || s.n_lr_changes > 0)
      && (start = step_settings (&s, source, model, &local)) == NULL)
    return refused (self, error, local);

  /* The series and the way to train on it, then the shape, the rate and
   * the seed; the controls follow the run. */
  lab_compare_pause (self->compare);
  config = s.config;
  if (!lab_run_set_data (self->run, &config, source, &local))
    return refused (self, error, local);
  self->updating = TRUE;
  if (s.csv != NULL)
    lab_data_controls_add_source (self->data_controls, source);
  else
    lab_data_controls_set_series (self->data_controls,
                                  s.real_series != NULL ? s.real_series : series_kind_name (s.config.series));
  self->updating = FALSE;
  g_clear_handle_id (&self->data_timeout_id, g_source_remove);
  g_clear_handle_id (&self->shape_timeout_id, g_source_remove);
  lab_run_set_shape (self->run, s.config.hidden_size, s.config.time_step);
  lab_run_set_lr (self->run, s.config.lr);
  if (lab_run_get_settings (self->run)->seed != s.seed)
    lab_run_reseed (self->run, s.seed);
  /* A schedule or weights from a file: exactly the command line's start */
  if (start != NULL)
    lab_run_start_with (self->run, start);
  else
    lab_run_reset (self->run);
  lab_window_sync_shape (self);
  lab_window_set_show_baselines (self, s.baselines || s.real_series != NULL);

  /* Plays to the step's epoch as fast as possible; the epoch limit pauses it there. */
  play_to = step->play_to_epoch;
  self->updating = TRUE;
  lab_controls_set_speed (self->controls, 0);
  self->updating = FALSE;
  lab_run_set_speed (self->run, 0);
  if (play_to > 0)
    {
      lab_controls_set_epochs (self->controls, play_to);
      lab_run_set_max_epochs (self->run, play_to);
    }
  if (step->select_window >= 0)
    lab_window_select_window (self, step->select_window);
  if (!compare_models (self, step, &local))
    return refused (self, error, local);
  show_views (self, step);
  if (play_to > 0)
    lab_compare_play (self->compare);
  set_note (l, NULL);
  return TRUE;
}

/* Actions and the panel */

static void
show_me_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);

  if (lessons_of (self)->lesson != NULL)
    lab_window_lesson_show_me (self, NULL);
}

static void
next_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lab_window_lesson_go (LAB_WINDOW (user_data), lessons_of (LAB_WINDOW (user_data))->step + 1);
}

static void
back_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lab_window_lesson_go (LAB_WINDOW (user_data), lessons_of (LAB_WINDOW (user_data))->step - 1);
}

static void
leave_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  lab_window_leave_lesson (LAB_WINDOW (user_data));
}

static void
lessons_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabWindowLessons *l = lessons_of (self);
  gboolean shown = gtk_revealer_get_reveal_child (GTK_REVEALER (l->revealer));

  show_panel (l, !shown);
  if (!shown)
    adw_flap_set_reveal_flap (self->flap, TRUE);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     LabWindow       *self)
{
  LabWindowLessons *l = lessons_of (self);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        lab_window_open_lesson_path (self, path, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&l->chooser);
}

static void
open_lesson_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabWindowLessons *l = lessons_of (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (l->chooser != NULL)
    return;
  /* A lesson file; an exported lesson folder is chosen as its settings.json. */
  l->chooser = gtk_file_chooser_native_new (_("Open Lesson"), GTK_WINDOW (self),
                                            GTK_FILE_CHOOSER_ACTION_OPEN,
                                            _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Lessons and exported lesson folders (JSON)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (l->chooser), filter);
  g_signal_connect_object (l->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (l->chooser));
}

/* win.open-builtin-lesson(i): the i-th built-in lesson, from 0. */
static void
open_builtin_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  LabWindow *self = LAB_WINDOW (user_data);
  LabWindowLessons *l = lessons_of (self);
  int i = g_variant_get_int32 (parameter);

  if (i >= 0 && i < (int) g_strv_length (l->builtins))
    lab_window_open_lesson_builtin (self, l->builtins[i], NULL);
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  LabWindow     *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-builtin-lesson", "i",
                              gtk_list_box_row_get_index (row));
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
action_button (const char *label,
               const char *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static GtkWidget *
build_list_page (LabWindow        *self,
                 LabWindowLessons *l)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = wrapped_label (_("Lessons"), "heading");

  gtk_box_append (GTK_BOX (box), heading);
  l->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (l->list), "boxed-list");
  gtk_list_box_set_selection_mode (l->list, GTK_SELECTION_NONE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (l->list),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  for (guint i = 0; l->builtins[i] != NULL; i++)
    {
      g_autoptr(LabLesson) lesson = lab_lesson_load_builtin (l->builtins[i], NULL, NULL, NULL);
      GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title;

      if (lesson == NULL)
        continue;
      title = wrapped_label (lab_lesson_text_get (lesson->title, NULL), "heading");
      gtk_box_append (GTK_BOX (row_box), title);
      if (lesson->summary != NULL)
        gtk_box_append (GTK_BOX (row_box),
                        wrapped_label (lab_lesson_text_get (lesson->summary, NULL), "dim-label"));
      gtk_widget_set_margin_top (row_box, 6);
      gtk_widget_set_margin_bottom (row_box, 6);
      gtk_widget_set_margin_start (row_box, 8);
      gtk_widget_set_margin_end (row_box, 8);
      gtk_list_box_append (l->list, row_box);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (gtk_widget_get_parent (row_box)),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);
    }
  g_signal_connect_object (l->list, "row-activated", G_CALLBACK (row_activated_cb), self, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->list));
  gtk_box_append (GTK_BOX (box), action_button (_("_Open Lesson…"), "win.open-lesson"));
  l->list_message = GTK_LABEL (wrapped_label ("", "error"));
  gtk_label_set_selectable (l->list_message, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (l->list_message), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->list_message));
  return box;
}

static GtkWidget *
build_step_page (LabWindowLessons *l)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *nav = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *show_me = action_button (_("_Show Me"), "win.lesson-show-me");

  l->lesson_title = GTK_LABEL (wrapped_label ("", "dim-label"));
  l->step_title = GTK_LABEL (wrapped_label ("", "title-3"));
  l->step_text = GTK_LABEL (wrapped_label ("", NULL));
  l->step_question = GTK_LABEL (wrapped_label ("", "lesson-question"));
  l->step_note = GTK_LABEL (wrapped_label ("", "caption"));
  gtk_label_set_selectable (l->step_note, TRUE);
  l->step_count = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_hexpand (GTK_WIDGET (l->step_count), TRUE);
  gtk_widget_add_css_class (show_me, "suggested-action");
  l->back_button = action_button (_("_Back"), "win.lesson-back");
  l->next_button = action_button (_("_Next"), "win.lesson-next");
  gtk_box_append (GTK_BOX (nav), l->back_button);
  gtk_box_append (GTK_BOX (nav), GTK_WIDGET (l->step_count));
  gtk_box_append (GTK_BOX (nav), l->next_button);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->lesson_title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->step_title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->step_text));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->step_question));
  gtk_box_append (GTK_BOX (box), show_me);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (l->step_note));
  gtk_box_append (GTK_BOX (box), nav);
  gtk_box_append (GTK_BOX (box), action_button (_("_Leave Lesson"), "win.lesson-leave"));
  return box;
}

static void
lessons_free (gpointer data)
{
  LabWindowLessons *l = data;

  if (l->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (l->chooser));
  g_clear_object (&l->chooser);
  g_clear_pointer (&l->lesson, lab_lesson_free);
  g_clear_pointer (&l->note, g_free);
  g_clear_pointer (&l->builtins, g_strfreev);
  g_free (l);
}

void
lab_window_lessons_init (LabWindow *self)
{
  static const GActionEntry entries[] = {
    { "lessons", lessons_activated, NULL, NULL, NULL, { 0 } },
    { "open-lesson", open_lesson_activated, NULL, NULL, NULL, { 0 } },
    { "open-builtin-lesson", open_builtin_activated, "i", NULL, NULL, { 0 } },
    { "lesson-show-me", show_me_activated, NULL, NULL, NULL, { 0 } },
    { "lesson-next", next_activated, NULL, NULL, NULL, { 0 } },
    { "lesson-back", back_activated, NULL, NULL, NULL, { 0 } },
    { "lesson-leave", leave_activated, NULL, NULL, NULL, { 0 } },
  };
  LabWindowLessons *l = g_new0 (LabWindowLessons, 1);
  GtkWidget *sidebar_box = gtk_widget_get_parent (GTK_WIDGET (self->controls));
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *clamp;

  g_object_set_data_full (G_OBJECT (self), "lab-window-lessons", l, lessons_free);
  l->builtins = lab_lesson_builtin_list ();
  l->note = g_strdup ("");
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  l->stack = GTK_STACK (gtk_stack_new ());
  /* The step page as tall as its text, not as the list of lessons. */
  gtk_stack_set_vhomogeneous (l->stack, FALSE);
  gtk_stack_add_named (l->stack, build_list_page (self, l), "list");
  gtk_stack_add_named (l->stack, build_step_page (l), "step");
  gtk_widget_add_css_class (frame, "lesson-panel");
  gtk_widget_set_margin_start (GTK_WIDGET (l->stack), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (l->stack), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (l->stack), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (l->stack), 6);
  /* As wide as the controls below: long texts wrap rather than widen the sidebar. */
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 300);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 300);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (l->stack));
  gtk_box_append (GTK_BOX (frame), clamp);
  gtk_box_append (GTK_BOX (frame), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  l->revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (l->revealer), frame);
  /* The step counter expands between Back and Next; that must not reach
   * the sidebar, which the flap would then widen to half the window. */
  gtk_widget_set_hexpand (l->revealer, FALSE);
  gtk_box_prepend (GTK_BOX (sidebar_box), l->revealer);
  show_panel (l, FALSE);
  update_step (self);
}

void
lab_window_lessons_dispose (LabWindow *self)
{
  LabWindowLessons *l = lessons_of (self);

  if (l != NULL && l->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (l->chooser));
      g_clear_object (&l->chooser);
    }
}

void
lab_window_set_lesson_check (LabWindow              *self,
                             LabLessonCheckSettings  check,
                             gpointer                user_data)
{
  LabWindowLessons *l = lessons_of (self);

  g_return_if_fail (LAB_IS_WINDOW (self));

  l->check = check;
  l->check_data = user_data;
}
