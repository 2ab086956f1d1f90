/* lab-series-dialog.c: a CSV file's preview, the column to read and gaps. */
#include <glib/gi18n.h>

#include "ui/lab-series-dialog.h"

struct _LabSeriesDialog
{
  GtkWindow       parent_instance;

  GBytes         *bytes;
  char           *title;
  LabCsvPreview  *preview;
  int             column;       /* from 0, -1 none */
  int             n_gaps;
  gboolean        column_ok;    /* the column reads (with interpolation if asked) */

  GtkWidget      *open_button;
  GtkWidget      *info_label;
  GtkWidget      *grid;
  GtkWidget      *column_dropdown;
  GtkWidget      *interpolate_check;
  GtkWidget      *message_label;
};

G_DEFINE_FINAL_TYPE (LabSeriesDialog, lab_series_dialog, GTK_TYPE_WINDOW)

enum {
  OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_open (LabSeriesDialog *self)
{
  gtk_widget_set_sensitive (self->open_button, lab_series_dialog_get_can_open (self));
}

/* Reads the chosen column as asked: the gaps it has, and whatever refuses it. */
static void
check_column (LabSeriesDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LabCsvSeries) filled = NULL;
  g_autofree char *number = NULL;
  g_autofree char *check_label = NULL;
  gboolean interpolate;
  const char *text;
  gsize length;

  self->column_ok = FALSE;
  self->n_gaps = 0;
  if (self->preview == NULL || self->column < 0)
    {
      update_open (self);
      return;
    }

  text = g_bytes_get_data (self->bytes, &length);
  number = g_strdup_printf ("%d", self->column + 1);
  interpolate = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->interpolate_check));
  filled = lab_csv_parse (text, length, number, LAB_CSV_MISSING_INTERPOLATE, &error);
  if (filled != NULL)
    self->n_gaps = filled->n_filled + filled->n_dropped;

  if (filled == NULL)
    lab_series_dialog_set_message (self, error->message);
  else if (self->n_gaps > 0 && !interpolate)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("The column has %d missing value: fill it by interpolation, or choose another column",
                                                            "The column has %d missing values: fill them by interpolation, or choose another column",
                                                            self->n_gaps),
                                                  self->n_gaps);

      lab_series_dialog_set_message (self, message);
    }
  else
    {
      self->column_ok = TRUE;
      lab_series_dialog_set_message (self, NULL);
    }

  if (self->n_gaps > 0)
    check_label = g_strdup_printf (ngettext ("Fill %d gap by linear interpolation",
                                             "Fill %d gaps by linear interpolation", self->n_gaps),
                                   self->n_gaps);
  else
    check_label = g_strdup (_("Fill gaps by linear interpolation (none found)"));
  gtk_check_button_set_label (GTK_CHECK_BUTTON (self->interpolate_check), check_label);
  gtk_widget_set_sensitive (self->interpolate_check, self->n_gaps > 0);
  update_open (self);
}

static void
column_changed_cb (LabSeriesDialog *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->column_dropdown));

  self->column = selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected;
  check_column (self);
}

static void
open_clicked_cb (LabSeriesDialog *self)
{
  lab_series_dialog_activate_open (self);
}

static void
fill_preview (LabSeriesDialog *self)
{
  LabCsvPreview *p = self->preview;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *info = NULL;
  const char *delimiter = p->delimiter == ',' ? _("comma") : p->delimiter == ';' ? _("semicolon") : _("tab");
  int last_numeric = -1;

  /* TRANSLATORS: "data.csv: 312 rows, 3 columns, comma-separated, with a header" */
  info = g_strdup_printf (p->has_header ? _("%s: %d rows, %d columns, %s-separated, with a header")
                                        : _("%s: %d rows, %d columns, %s-separated, no header"),
                          self->title, p->n_data_rows, p->n_columns, delimiter);
  gtk_label_set_text (GTK_LABEL (self->info_label), info);

  for (int c = 0; c < p->n_columns; c++)
    {
      GtkWidget *head = gtk_label_new (NULL);
      g_autofree char *markup = NULL;
      g_autofree char *item = NULL;

      markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", p->names[c],
                                        p->numeric[c] ? _("numbers") : _("text"));
      gtk_label_set_markup (GTK_LABEL (head), markup);
      gtk_label_set_xalign (GTK_LABEL (head), 0);
      gtk_grid_attach (GTK_GRID (self->grid), head, c, 0, 1, 1);
      for (int r = 0; r < p->n_rows; r++)
        {
          GtkWidget *cell = gtk_label_new (p->cells[r * p->n_columns + c]);

          gtk_label_set_xalign (GTK_LABEL (cell), p->numeric[c] ? 1 : 0);
          gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (cell), 18);
          gtk_widget_add_css_class (cell, "numeric");
          gtk_grid_attach (GTK_GRID (self->grid), cell, c, r + 1, 1, 1);
        }
      /* TRANSLATORS: a column in the chooser: "2 · value (numbers)" */
      item = g_strdup_printf (p->numeric[c] ? _("%d · %s (numbers)") : _("%d · %s (text)"),
                              c + 1, p->names[c]);
      gtk_string_list_append (names, item);
      if (p->numeric[c])
        last_numeric = c;
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->column_dropdown), G_LIST_MODEL (names));

  if (p->n_numeric == 0)
    {
      self->column = -1;
      lab_series_dialog_set_message (self, _("No column holds only numbers: there is nothing to learn from in this file"));
      gtk_widget_set_sensitive (self->column_dropdown, FALSE);
      update_open (self);
      return;
    }
  /* the only numeric column, or the last of several: a count, an index or
   * a year usually comes first, the values after it */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->column_dropdown), (guint) last_numeric);
  column_changed_cb (self);
}

/* GObject */

static void
lab_series_dialog_finalize (GObject *object)
{
  LabSeriesDialog *self = LAB_SERIES_DIALOG (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->preview, lab_csv_preview_free);
  g_free (self->title);

  G_OBJECT_CLASS (lab_series_dialog_parent_class)->finalize (object);
}

static void
lab_series_dialog_class_init (LabSeriesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lab_series_dialog_finalize;

  /* Open was pressed: the owner reads the source and closes the dialog,
   * or says in it why not. */
  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lab_series_dialog_init (LabSeriesDialog *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *column_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *column_label = gtk_label_new_with_mnemonic (_("_Column"));

  self->column = -1;
  gtk_window_set_title (GTK_WINDOW (self), _("Open Series"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 620, 460);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  self->open_button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_add_css_class (self->open_button, "suggested-action");
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->open_button);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->open_button);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (open_clicked_cb), self);

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);

  self->info_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->info_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->info_label), TRUE);
  gtk_box_append (GTK_BOX (box), self->info_label);

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 4);
  gtk_widget_set_margin_start (self->grid, 12);
  gtk_widget_set_margin_end (self->grid, 12);
  gtk_widget_set_margin_top (self->grid, 8);
  gtk_widget_set_margin_bottom (self->grid, 8);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->grid);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_size_request (scrolled, -1, 200);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->column_dropdown = gtk_drop_down_new (NULL, NULL);
  gtk_widget_set_hexpand (self->column_dropdown, TRUE);
  gtk_widget_set_tooltip_text (self->column_dropdown, _("The column whose values become the series, top to bottom"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (column_label), self->column_dropdown);
  gtk_box_append (GTK_BOX (column_box), column_label);
  gtk_box_append (GTK_BOX (column_box), self->column_dropdown);
  gtk_box_append (GTK_BOX (box), column_box);
  g_signal_connect_swapped (self->column_dropdown, "notify::selected", G_CALLBACK (column_changed_cb), self);

  self->interpolate_check = gtk_check_button_new_with_label (_("Fill gaps by linear interpolation"));
  gtk_widget_set_tooltip_text (self->interpolate_check,
                               _("A missing value between two values is put on the straight line between them; "
                                 "missing values before the first value or after the last are dropped"));
  gtk_box_append (GTK_BOX (box), self->interpolate_check);
  g_signal_connect_swapped (self->interpolate_check, "toggled", G_CALLBACK (check_column), self);

  self->message_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_widget_add_css_class (self->message_label, "error");
  gtk_widget_set_visible (self->message_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->message_label);

  gtk_window_set_child (GTK_WINDOW (self), box);
}

/* Public API */

LabSeriesDialog *
lab_series_dialog_new (GtkWindow    *parent,
                       const char   *title,
                       GBytes       *bytes,
                       const GError *error)
{
  LabSeriesDialog *self;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (bytes != NULL || error != NULL, NULL);

  self = g_object_new (LAB_TYPE_SERIES_DIALOG, "transient-for", parent, NULL);
  self->title = g_strdup (title);
  if (bytes != NULL)
    {
      gsize length;
      const char *text = g_bytes_get_data (bytes, &length);

      self->bytes = g_bytes_ref (bytes);
      self->preview = lab_csv_preview (text != NULL ? text : "", length,
                                       LAB_SERIES_DIALOG_ROWS, &local);
      error = local;
    }
  if (self->preview == NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", title, error->message);

      gtk_label_set_text (GTK_LABEL (self->info_label), title);
      gtk_widget_set_sensitive (self->column_dropdown, FALSE);
      gtk_widget_set_sensitive (self->interpolate_check, FALSE);
      lab_series_dialog_set_message (self, line);
      update_open (self);
      return self;
    }
  fill_preview (self);
  return self;
}

int
lab_series_dialog_get_n_columns (LabSeriesDialog *self)
{
  g_return_val_if_fail (LAB_IS_SERIES_DIALOG (self), 0);

  return self->preview != NULL ? self->preview->n_columns : 0;
}

int
lab_series_dialog_get_column (LabSeriesDialog *self)
{
  g_return_val_if_fail (LAB_IS_SERIES_DIALOG (self), -1);

  return self->column;
}

void
lab_series_dialog_set_column (LabSeriesDialog *self,
                              int              column)
{
  g_return_if_fail (LAB_IS_SERIES_DIALOG (self));
  g_return_if_fail (column >= 0 && column < lab_series_dialog_get_n_columns (self));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->column_dropdown), (guint) column);
}

int
lab_series_dialog_get_n_gaps (LabSeriesDialog *self)
{
  g_return_val_if_fail (LAB_IS_SERIES_DIALOG (self), 0);

  return self->n_gaps;
}

void
lab_series_dialog_set_interpolate (LabSeriesDialog *self,
                                   gboolean         interpolate)
{
  g_return_if_fail (LAB_IS_SERIES_DIALOG (self));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->interpolate_check), interpolate);
}

gboolean
lab_series_dialog_get_can_open (LabSeriesDialog *self)
{
  g_return_val_if_fail (LAB_IS_SERIES_DIALOG (self), FALSE);

  return self->preview != NULL && self->column >= 0 && self->column_ok;
}

const char *
lab_series_dialog_get_message (LabSeriesDialog *self)
{
  g_return_val_if_fail (LAB_IS_SERIES_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (self->message_label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->message_label));
}

void
lab_series_dialog_set_message (LabSeriesDialog *self,
                               const char      *message)
{
  g_return_if_fail (LAB_IS_SERIES_DIALOG (self));

  gtk_label_set_text (GTK_LABEL (self->message_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->message_label, message != NULL);
}

LabDataSource *
lab_series_dialog_get_source (LabSeriesDialog  *self,
                              GError          **error)
{
  g_autofree char *column = NULL;
  gboolean interpolate;

  g_return_val_if_fail (LAB_IS_SERIES_DIALOG (self), NULL);
  g_return_val_if_fail (self->bytes != NULL && self->column >= 0, NULL);

  /* By number: the preview's names are escaped, the number is exact. */
  column = g_strdup_printf ("%d", self->column + 1);
  interpolate = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->interpolate_check));
  return lab_data_source_new_csv (self->bytes, self->title, column,
                                  interpolate && self->n_gaps > 0 ? LAB_CSV_MISSING_INTERPOLATE
                                                                  : LAB_CSV_MISSING_REFUSE,
                                  error);
}

void
lab_series_dialog_activate_open (LabSeriesDialog *self)
{
  g_return_if_fail (LAB_IS_SERIES_DIALOG (self));

  if (lab_series_dialog_get_can_open (self))
    g_signal_emit (self, signals[OPEN], 0);
}
