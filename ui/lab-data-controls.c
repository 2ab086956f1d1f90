/* lab-data-controls.c: the series, its parameters, the scaling and the
 * optimizer, in the sidebar. The spin buttons and drop-downs hold the
 * values; the properties read and write them; every change, from a hand or
 * from GSettings, is announced by notify and "changed". Only the
 * parameters of the chosen kind are shown; the ranges keep out values no
 * run could take. */
#include <math.h>

#include <glib/gi18n.h>

#include "engine/generators.h"
#include "engine/limits.h"
#include "engine/series.h"
#include "ui/lab-data-controls.h"

struct _LabDataControls
{
  GtkBox          parent_instance;

  GtkDropDown    *series_dropdown;
  GtkMenuButton  *about_button;
  GtkLabel       *about_label;
  GtkWidget      *points_row;
  GtkWidget      *period_row;
  GtkWidget      *period2_row;
  GtkWidget      *decay_row;
  GtkWidget      *burst_row;
  GtkWidget      *noise_row;
  GtkWidget      *series_seed_row;
  GtkSpinButton  *points_spin;
  GtkSpinButton  *period_spin;
  GtkSpinButton  *period2_spin;
  GtkSpinButton  *decay_spin;
  GtkSpinButton  *burst_spin;
  GtkSpinButton  *noise_spin;
  GtkSpinButton  *series_seed_spin;
  GtkSpinButton  *train_ratio_spin;
  GtkDropDown    *normalize_dropdown;
  GtkDrawingArea *preview;
  GtkLabel       *split_label;
  GtkLabel       *message_label;
  GtkDropDown    *optimizer_dropdown;
  GtkSpinButton  *batch_size_spin;
  GtkSwitch      *shuffle_switch;

  GtkStringList  *series_names;
  GPtrArray      *series_ids;      /* (char *) parallel to series_names */
  LabDataSource  *imported;        /* the "csv" entry, or NULL */
  GHashTable     *real;            /* name -> LabDataSource, loaded once */

  int             time_step;
  float          *values;          /* (n_values) the preview's series */
  int             n_values;
  gboolean        updating;        /* the kind is being applied: one "changed" */
};

G_DEFINE_FINAL_TYPE (LabDataControls, lab_data_controls, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SERIES,
  PROP_POINTS,
  PROP_PERIOD,
  PROP_PERIOD2,
  PROP_DECAY,
  PROP_BURST,
  PROP_NOISE,
  PROP_SERIES_SEED,
  PROP_TRAIN_RATIO,
  PROP_NORMALIZE,
  PROP_OPTIMIZER,
  PROP_BATCH_SIZE,
  PROP_SHUFFLE,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PROP_KEY "lab-data-prop"

static const char *optimizer_ids[] = { "adam", "sgd" };

/* The series */

const char *
lab_data_controls_kind_title (RnnSeriesKind kind)
{
  switch (kind)
    {
    case RNN_SERIES_SINE: return _("Sine");
    case RNN_SERIES_SQUARE: return _("Square wave");
    case RNN_SERIES_SAWTOOTH: return _("Sawtooth");
    case RNN_SERIES_DAMPED: return _("Damped sine");
    case RNN_SERIES_SUM: return _("Sum of two sines");
    case RNN_SERIES_RANDOM_WALK: return _("Random walk");
    case RNN_SERIES_PATTERN: return _("Repeating pattern");
    default: g_return_val_if_reached ("");
    }
}

static int
series_index (LabDataControls *self,
              const char      *id)
{
  for (guint i = 0; id != NULL && i < self->series_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->series_ids, i), id))
      return (int) i;
  return -1;
}

const char *
lab_data_controls_get_series (LabDataControls *self)
{
  guint i;

  g_return_val_if_fail (LAB_IS_DATA_CONTROLS (self), NULL);

  i = gtk_drop_down_get_selected (self->series_dropdown);
  return i < self->series_ids->len ? g_ptr_array_index (self->series_ids, i) : "sine";
}

/* The source of a shipped or imported series (loaded on first use), or
 * NULL for a generated one. */
static LabDataSource *
current_source (LabDataControls *self)
{
  const char *id = lab_data_controls_get_series (self);
  LabDataSource *source;

  if (g_str_equal (id, "csv"))
    return self->imported;
  if (lab_real_series_lookup (id) == NULL)
    return NULL;
  source = g_hash_table_lookup (self->real, id);
  if (source == NULL)
    {
      g_autoptr(GError) error = NULL;

      source = lab_data_source_new_real (id, &error);
      if (source == NULL)
        {
          /* a broken build: the resources lack the file */
          g_warning ("The series %s cannot be loaded: %s", id, error->message);
          return NULL;
        }
      g_hash_table_insert (self->real, g_strdup (id), source);
    }
  return source;
}

static RnnNormalize
normalize_get (LabDataControls *self)
{
  return (RnnNormalize) MIN (gtk_drop_down_get_selected (self->normalize_dropdown),
                             RNN_N_NORMALIZE - 1);
}

LabDataSource *
lab_data_controls_get_data (LabDataControls *self,
                            RnnConfig       *config)
{
  LabDataSource *source;
  int kind;

  g_return_val_if_fail (LAB_IS_DATA_CONTROLS (self), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  source = current_source (self);
  kind = series_kind_from_name (lab_data_controls_get_series (self));
  config->series = source != NULL ? RNN_SERIES_DATA : kind >= 0 ? (RnnSeriesKind) kind : RNN_SERIES_SINE;
  config->n_points = gtk_spin_button_get_value_as_int (self->points_spin);
  config->period = gtk_spin_button_get_value (self->period_spin);
  config->period2 = gtk_spin_button_get_value (self->period2_spin);
  config->decay = gtk_spin_button_get_value (self->decay_spin);
  config->burst = config->series == RNN_SERIES_PATTERN
                  ? gtk_spin_button_get_value_as_int (self->burst_spin) : 0;
  config->noise = gtk_spin_button_get_value (self->noise_spin);
  config->series_seed = (guint64) gtk_spin_button_get_value (self->series_seed_spin);
  config->train_ratio = gtk_spin_button_get_value (self->train_ratio_spin);
  config->normalize = normalize_get (self);
  config->optimizer = gtk_drop_down_get_selected (self->optimizer_dropdown) == 1
                      ? RNN_OPTIMIZER_SGD : RNN_OPTIMIZER_ADAM;
  config->batch_size = gtk_spin_button_get_value_as_int (self->batch_size_spin);
  config->shuffle = gtk_switch_get_active (self->shuffle_switch);
  config->values = source != NULL ? source->values : NULL;

  if (config->series == RNN_SERIES_PATTERN)
    {
      /* a whole number of points, at most the series, bursts shorter */
      config->period = MIN (round (config->period), config->n_points);
      if (config->burst >= config->period)
        config->burst = 0;
    }
  if (source != NULL)
    {
      config->n_points = source->n_values;
      config->period = 0.0;
      config->noise = 0.0;
    }
  return source;
}

/* The preview */

static void
update_preview (LabDataControls *self)
{
  RnnConfig config;
  LabDataSource *source;
  int n, N, n_train;
  g_autofree char *split = NULL;

  rnn_config_init_default (&config);
  source = lab_data_controls_get_data (self, &config);
  n = config.n_points;
  g_clear_pointer (&self->values, g_free);
  self->n_values = 0;
  self->values = g_new (float, n);
  if (source != NULL)
    memcpy (self->values, source->values, (gsize) n * sizeof (float));
  else
    {
      RnnSeriesSpec spec = { config.series, n, config.period, config.period2, config.decay,
                             config.noise, config.burst, config.series_seed };

      if (!series_generate (self->values, &spec))
        n = 0;
    }
  self->n_values = n;

  N = series_window_count (n, self->time_step);
  n_train = series_split_train (N, config.train_ratio);
  if (N >= 2 && n_train >= 1 && n_train < N)
    /* TRANSLATORS: under the series' preview */
    split = g_strdup_printf (_("%d points · %d windows of %d: %d train, %d test"),
                             n, N, self->time_step, n_train, N - n_train);
  else
    split = g_strdup_printf (_("%d points"), n);
  gtk_label_set_text (self->split_label, split);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static void
preview_draw_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  LabDataControls *self = LAB_DATA_CONTROLS (user_data);
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (area));
  GdkRGBA color;
  float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;
  int n = self->n_values, N, n_train;
  double pad = 3, x_split;

  if (n < 2)
    return;
  for (int i = 0; i < n; i++)
    if (isfinite (self->values[i]))
      {
        lo = MIN (lo, self->values[i]);
        hi = MAX (hi, self->values[i]);
      }
  if (!(hi >= lo))
    return;
  if (hi == lo)
    hi = lo + 1;

  gtk_style_context_get_color (context, &color);

  /* The test part, from its first target on, shaded. */
  N = series_window_count (n, self->time_step);
  n_train = series_split_train (N, gtk_spin_button_get_value (self->train_ratio_spin));
  if (N >= 2 && n_train >= 1 && n_train < N)
    {
      x_split = pad + (width - 2 * pad) * (double) (n_train + self->time_step) / (n - 1);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.10);
      cairo_rectangle (cr, x_split, 0, width - x_split, height);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.45);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, round (x_split) + 0.5, 0);
      cairo_line_to (cr, round (x_split) + 0.5, height);
      cairo_stroke (cr);
    }

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (int i = 0; i < n; i++)
    {
      double x = pad + (width - 2 * pad) * (double) i / (n - 1);
      double y = height - pad - (height - 2 * pad) * (self->values[i] - lo) / (hi - lo);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
}

/* What is shown for the kind */

static void
update_about (LabDataControls *self,
              LabDataSource   *source)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->about_button), source != NULL);
  if (source == NULL)
    return;
  if (source->real != NULL)
    text = g_strdup_printf (_("%s\n\n%d values in %s.\nSource: %s.\nLicence: %s."),
                            source->title, source->n_values, source->units,
                            source->real->source, source->real->licence);
  else if (source->n_filled > 0)
    text = g_strdup_printf (ngettext ("%s, column “%s”: %d values, %d gap filled by linear interpolation.",
                                      "%s, column “%s”: %d values, %d gaps filled by linear interpolation.",
                                      source->n_filled),
                            source->title, source->column_name, source->n_values, source->n_filled);
  else
    text = g_strdup_printf (_("%s, column “%s”: %d values."),
                            source->title, source->column_name, source->n_values);
  gtk_label_set_text (self->about_label, text);
}

static void
update_rows (LabDataControls *self)
{
  LabDataSource *source = current_source (self);
  int kind = source != NULL ? RNN_SERIES_DATA
             : series_kind_from_name (lab_data_controls_get_series (self));
  gboolean generated = source == NULL;
  double period = gtk_spin_button_get_value (self->period_spin);

  gtk_widget_set_visible (self->points_row, generated);
  gtk_widget_set_visible (self->period_row, generated && kind != RNN_SERIES_RANDOM_WALK);
  gtk_widget_set_visible (self->period2_row, kind == RNN_SERIES_SUM);
  gtk_widget_set_visible (self->decay_row, kind == RNN_SERIES_DAMPED);
  gtk_widget_set_visible (self->burst_row, kind == RNN_SERIES_PATTERN);
  gtk_widget_set_visible (self->noise_row, generated);
  gtk_widget_set_visible (self->series_seed_row, generated);
  /* The pattern repeats a whole number of points; its burst is shorter. */
  gtk_spin_button_set_digits (self->period_spin, kind == RNN_SERIES_PATTERN ? 0 : 1);
  if (kind == RNN_SERIES_PATTERN)
    {
      gtk_spin_button_set_range (self->period_spin, 1,
                                 gtk_spin_button_get_value_as_int (self->points_spin));
      gtk_spin_button_set_range (self->burst_spin, 0, MAX (round (period) - 1, 0));
    }
  else
    gtk_spin_button_set_range (self->period_spin, 1, RNN_POINTS_MAX);
  update_about (self, source);
}

/* Handlers */

static void
announce (LabDataControls *self,
          int              prop)
{
  if (prop > PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  if (self->updating)
    return;
  update_rows (self);
  update_preview (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
spin_changed_cb (LabDataControls *self,
                 GtkSpinButton   *spin)
{
  announce (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spin), PROP_KEY)));
}

static void
choice_changed_cb (LabDataControls *self,
                   GParamSpec      *pspec,
                   GObject         *widget)
{
  announce (self, GPOINTER_TO_INT (g_object_get_data (widget, PROP_KEY)));
}

static void
series_changed_cb (LabDataControls *self,
                   GParamSpec      *pspec,
                   GtkDropDown     *dropdown)
{
  LabDataSource *source = current_source (self);

  /* A new kind starts from its usual scaling: none for a generated wave,
   * min-max for a real series. One "changed" for both. */
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->normalize_dropdown,
                              source != NULL ? RNN_NORMALIZE_MINMAX : RNN_NORMALIZE_NONE);
  self->updating = FALSE;
  announce (self, PROP_SERIES);
}

/* GObject */

static void
lab_data_controls_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LAB_TYPE_DATA_CONTROLS);

  G_OBJECT_CLASS (lab_data_controls_parent_class)->dispose (object);
}

static void
lab_data_controls_finalize (GObject *object)
{
  LabDataControls *self = LAB_DATA_CONTROLS (object);

  g_clear_pointer (&self->series_ids, g_ptr_array_unref);
  g_clear_pointer (&self->imported, lab_data_source_unref);
  g_clear_pointer (&self->real, g_hash_table_unref);
  g_clear_pointer (&self->values, g_free);

  G_OBJECT_CLASS (lab_data_controls_parent_class)->finalize (object);
}

static GtkSpinButton *
prop_spin (LabDataControls *self,
           guint            prop_id)
{
  switch (prop_id)
    {
    case PROP_POINTS: return self->points_spin;
    case PROP_PERIOD: return self->period_spin;
    case PROP_PERIOD2: return self->period2_spin;
    case PROP_DECAY: return self->decay_spin;
    case PROP_BURST: return self->burst_spin;
    case PROP_NOISE: return self->noise_spin;
    case PROP_SERIES_SEED: return self->series_seed_spin;
    case PROP_TRAIN_RATIO: return self->train_ratio_spin;
    case PROP_BATCH_SIZE: return self->batch_size_spin;
    default: return NULL;
    }
}

static void
lab_data_controls_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LabDataControls *self = LAB_DATA_CONTROLS (object);
  GtkSpinButton *spin = prop_spin (self, prop_id);

  switch (prop_id)
    {
    case PROP_SERIES:
      g_value_set_string (value, lab_data_controls_get_series (self));
      break;
    case PROP_POINTS:
    case PROP_BURST:
    case PROP_BATCH_SIZE:
      g_value_set_int (value, gtk_spin_button_get_value_as_int (spin));
      break;
    case PROP_PERIOD:
    case PROP_PERIOD2:
    case PROP_DECAY:
    case PROP_NOISE:
    case PROP_TRAIN_RATIO:
      g_value_set_double (value, gtk_spin_button_get_value (spin));
      break;
    case PROP_SERIES_SEED:
      g_value_set_uint64 (value, (guint64) gtk_spin_button_get_value (spin));
      break;
    case PROP_NORMALIZE:
      g_value_set_string (value, series_normalize_name (normalize_get (self)));
      break;
    case PROP_OPTIMIZER:
      g_value_set_string (value, optimizer_ids[gtk_drop_down_get_selected (self->optimizer_dropdown) == 1]);
      break;
    case PROP_SHUFFLE:
      g_value_set_boolean (value, gtk_switch_get_active (self->shuffle_switch));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_data_controls_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LabDataControls *self = LAB_DATA_CONTROLS (object);
  GtkSpinButton *spin = prop_spin (self, prop_id);
  int n;

  switch (prop_id)
    {
    case PROP_SERIES:
      lab_data_controls_set_series (self, g_value_get_string (value));
      break;
    case PROP_POINTS:
    case PROP_BURST:
    case PROP_BATCH_SIZE:
      gtk_spin_button_set_value (spin, g_value_get_int (value));
      break;
    case PROP_PERIOD:
    case PROP_PERIOD2:
    case PROP_DECAY:
    case PROP_NOISE:
    case PROP_TRAIN_RATIO:
      gtk_spin_button_set_value (spin, g_value_get_double (value));
      break;
    case PROP_SERIES_SEED:
      gtk_spin_button_set_value (spin, (double) MIN (g_value_get_uint64 (value), RNN_SEED_WINDOW_MAX));
      break;
    case PROP_NORMALIZE:
      n = series_normalize_from_name (g_value_get_string (value));
      if (n >= 0)
        gtk_drop_down_set_selected (self->normalize_dropdown, (guint) n);
      break;
    case PROP_OPTIMIZER:
      gtk_drop_down_set_selected (self->optimizer_dropdown,
                                  g_strcmp0 (g_value_get_string (value), "sgd") == 0);
      break;
    case PROP_SHUFFLE:
      gtk_switch_set_active (self->shuffle_switch, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lab_data_controls_class_init (LabDataControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lab_data_controls_dispose;
  object_class->finalize = lab_data_controls_finalize;
  object_class->get_property = lab_data_controls_get_property;
  object_class->set_property = lab_data_controls_set_property;

  /* The ranges are the spin buttons' (lab-data-controls.ui) and the
   * schema's; tests/test-settings.c checks the schema against the limits. */
  properties[PROP_SERIES] = g_param_spec_string ("series", NULL, NULL, "sine", rw);
  properties[PROP_POINTS] = g_param_spec_int ("points", NULL, NULL, RNN_POINTS_MIN, RNN_POINTS_MAX, 100, rw);
  properties[PROP_PERIOD] = g_param_spec_double ("period", NULL, NULL, 1, RNN_POINTS_MAX, 100, rw);
  properties[PROP_PERIOD2] = g_param_spec_double ("period2", NULL, NULL, 1, RNN_POINTS_MAX, 25, rw);
  properties[PROP_DECAY] = g_param_spec_double ("decay", NULL, NULL, 0, RNN_DECAY_MAX, 3, rw);
  properties[PROP_BURST] = g_param_spec_int ("burst", NULL, NULL, 0, RNN_POINTS_MAX, 0, rw);
  properties[PROP_NOISE] = g_param_spec_double ("noise", NULL, NULL, 0, 1000, 0, rw);
  properties[PROP_SERIES_SEED] = g_param_spec_uint64 ("series-seed", NULL, NULL, 0, RNN_SEED_WINDOW_MAX, 0, rw);
  properties[PROP_TRAIN_RATIO] = g_param_spec_double ("train-ratio", NULL, NULL, 0.05, 0.95, 0.7, rw);
  properties[PROP_NORMALIZE] = g_param_spec_string ("normalize", NULL, NULL, "none", rw);
  properties[PROP_OPTIMIZER] = g_param_spec_string ("optimizer", NULL, NULL, "adam", rw);
  properties[PROP_BATCH_SIZE] = g_param_spec_int ("batch-size", NULL, NULL, 0, RNN_POINTS_MAX, 0, rw);
  properties[PROP_SHUFFLE] = g_param_spec_boolean ("shuffle", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Something the run is built from changed (also from a property set). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/rnnlab/RnnLab/ui/lab-data-controls.ui");
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, series_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, about_button);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, about_label);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, points_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, period_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, period2_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, decay_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, burst_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, noise_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, series_seed_row);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, points_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, period_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, period2_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, decay_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, burst_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, noise_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, series_seed_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, train_ratio_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, normalize_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, preview);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, split_label);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, message_label);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, optimizer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, batch_size_spin);
  gtk_widget_class_bind_template_child (widget_class, LabDataControls, shuffle_switch);
  gtk_widget_class_bind_template_callback (widget_class, spin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, series_changed_cb);
}

/* "All" for a batch size of 0: the tutorial's full batch. */
static gboolean
batch_size_output_cb (GtkSpinButton *spin,
                      gpointer       user_data)
{
  int n = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = n == 0 ? g_strdup (_("All")) : g_strdup_printf ("%d", n);

  if (!g_str_equal (gtk_editable_get_text (GTK_EDITABLE (spin)), text))
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
batch_size_input_cb (GtkSpinButton *spin,
                     double        *value,
                     gpointer       user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  guint64 n;

  if (g_ascii_strcasecmp (text, _("All")) == 0 || g_ascii_strcasecmp (text, "all") == 0)
    {
      *value = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, RNN_POINTS_MAX, &n, NULL))
    return GTK_INPUT_ERROR;
  *value = (double) n;
  return TRUE;
}

static void
lab_data_controls_init (LabDataControls *self)
{
  int n_real;
  const LabRealSeries *real;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_set_data (G_OBJECT (self->points_spin), PROP_KEY, GINT_TO_POINTER (PROP_POINTS));
  g_object_set_data (G_OBJECT (self->period_spin), PROP_KEY, GINT_TO_POINTER (PROP_PERIOD));
  g_object_set_data (G_OBJECT (self->period2_spin), PROP_KEY, GINT_TO_POINTER (PROP_PERIOD2));
  g_object_set_data (G_OBJECT (self->decay_spin), PROP_KEY, GINT_TO_POINTER (PROP_DECAY));
  g_object_set_data (G_OBJECT (self->burst_spin), PROP_KEY, GINT_TO_POINTER (PROP_BURST));
  g_object_set_data (G_OBJECT (self->noise_spin), PROP_KEY, GINT_TO_POINTER (PROP_NOISE));
  g_object_set_data (G_OBJECT (self->series_seed_spin), PROP_KEY, GINT_TO_POINTER (PROP_SERIES_SEED));
  g_object_set_data (G_OBJECT (self->train_ratio_spin), PROP_KEY, GINT_TO_POINTER (PROP_TRAIN_RATIO));
  g_object_set_data (G_OBJECT (self->normalize_dropdown), PROP_KEY, GINT_TO_POINTER (PROP_NORMALIZE));
  g_object_set_data (G_OBJECT (self->optimizer_dropdown), PROP_KEY, GINT_TO_POINTER (PROP_OPTIMIZER));
  g_object_set_data (G_OBJECT (self->batch_size_spin), PROP_KEY, GINT_TO_POINTER (PROP_BATCH_SIZE));
  g_object_set_data (G_OBJECT (self->shuffle_switch), PROP_KEY, GINT_TO_POINTER (PROP_SHUFFLE));

  g_signal_connect (self->batch_size_spin, "output", G_CALLBACK (batch_size_output_cb), NULL);
  g_signal_connect (self->batch_size_spin, "input", G_CALLBACK (batch_size_input_cb), NULL);
  gtk_drawing_area_set_draw_func (self->preview, preview_draw_cb, self, NULL);

  self->time_step = 10;
  self->real = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) lab_data_source_unref);
  self->series_ids = g_ptr_array_new ();
  self->series_names = gtk_string_list_new (NULL);
  for (int kind = RNN_SERIES_SINE; kind < RNN_SERIES_DATA; kind++)
    {
      g_ptr_array_add (self->series_ids, (gpointer) series_kind_name (kind));
      gtk_string_list_append (self->series_names, lab_data_controls_kind_title (kind));
    }
  real = lab_real_series_all (&n_real);
  for (int i = 0; i < n_real; i++)
    {
      g_ptr_array_add (self->series_ids, (gpointer) real[i].name);
      gtk_string_list_append (self->series_names, _(real[i].title));
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->series_dropdown, G_LIST_MODEL (self->series_names));
  g_object_unref (self->series_names);
  gtk_drop_down_set_selected (self->series_dropdown, 0);
  self->updating = FALSE;

  update_rows (self);
  update_preview (self);
}

/* Public API */

void
lab_data_controls_set_series (LabDataControls *self,
                              const char      *series)
{
  int i;

  g_return_if_fail (LAB_IS_DATA_CONTROLS (self));

  i = series_index (self, series);
  if (i >= 0)
    gtk_drop_down_set_selected (self->series_dropdown, (guint) i);
}

void
lab_data_controls_add_source (LabDataControls *self,
                              LabDataSource   *source)
{
  g_autofree char *title = NULL;
  int i;

  g_return_if_fail (LAB_IS_DATA_CONTROLS (self));
  g_return_if_fail (source != NULL && source->real == NULL);

  g_clear_pointer (&self->imported, lab_data_source_unref);
  self->imported = lab_data_source_ref (source);
  /* TRANSLATORS: the series chooser's entry for an opened CSV file */
  title = g_strdup_printf (_("Imported: %s"), source->title);
  i = series_index (self, "csv");
  if (i < 0)
    {
      g_ptr_array_add (self->series_ids, (gpointer) "csv");
      gtk_string_list_append (GTK_STRING_LIST (gtk_drop_down_get_model (self->series_dropdown)), title);
      i = (int) self->series_ids->len - 1;
    }
  else
    {
      const char *titles[] = { title, NULL };

      gtk_string_list_splice (GTK_STRING_LIST (gtk_drop_down_get_model (self->series_dropdown)),
                              (guint) i, 1, titles);
    }
  if (gtk_drop_down_get_selected (self->series_dropdown) == (guint) i)
    series_changed_cb (self, NULL, self->series_dropdown);
  else
    gtk_drop_down_set_selected (self->series_dropdown, (guint) i);
}

void
lab_data_controls_set_time_step (LabDataControls *self,
                                 int              time_step)
{
  g_return_if_fail (LAB_IS_DATA_CONTROLS (self));

  if (self->time_step == time_step)
    return;
  self->time_step = time_step;
  update_preview (self);
}

void
lab_data_controls_set_message (LabDataControls *self,
                               const char      *message)
{
  g_return_if_fail (LAB_IS_DATA_CONTROLS (self));

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

const char *
lab_data_controls_get_message (LabDataControls *self)
{
  g_return_val_if_fail (LAB_IS_DATA_CONTROLS (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}
