/* lab-cli.c: the headless run.
 *
 * Every option is checked (strictly: the whole text must be a number in its
 * range), every input file read and every output's folder tried before
 * training starts; a problem gets a single line on stderr naming the option
 * and what is accepted. The options are one table (cli_options below): the
 * --help text, the settings.json keys, the range checks and the messages
 * all come from it.
 *
 * Exit status: 0 done; 1 a file could not be read or written; 2 a bad
 * option, value or file content; 3 the training diverged (the loss or the
 * weights became NaN or infinite). Outputs are written after training,
 * each through lab_file_write (core/lab-file-io.h): a regular file is
 * replaced through a temporary file, so a failure leaves no half-written
 * file; "-" is standard output (the progress lines then go to stderr).
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif

#include <json-glib/json-glib.h>

#include "engine/limits.h"
#include "engine/series.h"
#include "engine/session.h"
#include "plots/lab-plots.h"

#include "app/lab-cli.h"
#include "app/lab-cli-data.h"
#include "core/lab-file-io.h"
#include "core/lab-json-guard.h"
#include "core/lab-model-io.h"
#include "core/lab-real-series.h"
#include "core/lab-text.h"
#include "plots/lab-export.h"

#define CLI_ERROR (cli_error_quark ())
static G_DEFINE_QUARK (lab-cli-error-quark, cli_error)

typedef enum
{
  CLI_ERROR_USAGE, /* exit status 2 */
  CLI_ERROR_IO,    /* exit status 1 */
} CliError;

#define EPOCHS_MAX        1000000
#define LR_MAX            10.0
/* A period shorter than two points cannot be seen in a series sampled
 * once a point (it aliases to a longer one); a very long one is a line. */
#define PERIOD_MIN        2.0
#define PERIOD_MAX        1e9
#define EXPORT_WIDTH      1200
#define EXPORT_HEIGHT     700
#define EXPORT_WIDTH_MIN  1000
#define EXPORT_HEIGHT_MIN 600
#define EXPORT_SIDE_MAX   8000
#define SERIES_CHOICES    "sine, square, sawtooth, damped, sum, random-walk, pattern, co2, sunspots, nile"
/* A path quoted in a message is cut after this many characters. */
#define PATH_QUOTE_MAX    1024

/* The options as typed; NULL when not given. */
typedef struct
{
  gboolean  headless;
  char     *hidden_size;
  char     *lr;
  char     *time_step;
  char     *epochs;
  char     *points;
  char     *period;
  char     *train_ratio;
  char     *seed;
  char     *log_every;
  char     *optimizer;
  char     *export_width;
  char     *export_height;
  char     *init_weights;
  char     *save_weights;
  char     *loss_csv;
  char     *predictions_csv;
  char     *export_png;
  char     *export_svg;
  char     *export_pdf;
  char     *settings;
  /* the series and what is judged on it (lab-cli-data.h) */
  char     *series;
  char     *series_seed;
  char     *noise;
  char     *period2;
  char     *decay;
  char     *csv;
  char     *column;
  char     *missing;
  char     *normalize;
  char     *batch_size;
  char     *forecast_steps;
  char     *forecast_csv;
  gboolean  shuffle;
  gboolean  baselines;
  const char *where;       /* how messages name the settings file these came from
                            * ("--settings: lesson/settings.json"); NULL: the command line */
} CliOptions;

/* ---- The options --------------------------------------------------------- */

typedef enum
{
  OPT_INT,      /* an integer in [lo, hi] */
  OPT_REAL,     /* a finite number in [lo, hi] (ends open where said) */
  OPT_SEED,     /* an unsigned 64-bit integer */
  OPT_CHOICE,   /* one of choices */
  OPT_TEXT,     /* any text (checked where it is used) */
  OPT_FLAG,     /* on or off: the field is a gboolean; true or false in settings.json */
  OPT_INPUT,    /* a file read before training */
  OPT_OUTPUT,   /* a file written after training; "-" is standard output */
  OPT_SETTINGS, /* a lesson's settings.json */
} OptionType;

typedef struct
{
  const char *name;        /* without "--"; also the key in settings.json */
  OptionType  type;
  const char *arg;         /* the placeholder in --help */
  const char *help;        /* what it is, for --help (translated) */
  const char *fallback;    /* the default, as --help shows it (translated) */
  double      lo, hi;      /* OPT_INT and OPT_REAL: the range */
  gboolean    lo_open;     /* OPT_REAL: lo itself is not accepted */
  gboolean    hi_open;     /* OPT_REAL: hi itself is not accepted */
  const char *choices;     /* OPT_CHOICE: "adam, sgd" */
  gboolean    in_settings; /* a key of settings.json */
  gsize       field;       /* where the text (OPT_FLAG: the gboolean) goes: offsetof (CliOptions, ...) */
} CliOption;

#define FIELD(f) offsetof (CliOptions, f)

/* Some ranges also depend on other values: --time-step's upper end on the
 * points and the ratio (hi -1: no fixed upper end), --log-every's on the
 * epochs; check_options narrows them, and --help says so. */
static const CliOption cli_options[] = {
  { "hidden-size", OPT_INT, N_("H"), N_("Hidden units"), "50",
    LAB_HIDDEN_SIZE_MIN, LAB_HIDDEN_SIZE_MAX, FALSE, FALSE, NULL, TRUE, FIELD (hidden_size) },
  { "lr", OPT_REAL, N_("RATE"), N_("Learning rate"), "0.01",
    0.0, LR_MAX, TRUE, FALSE, NULL, TRUE, FIELD (lr) },
  { "time-step", OPT_INT, N_("T"), N_("Window length (it must leave a train and a test window)"), "10",
    RNN_TIME_STEP_MIN, -1, FALSE, FALSE, NULL, TRUE, FIELD (time_step) },
  { "epochs", OPT_INT, N_("N"), N_("Epochs to train (0: only evaluate the starting weights)"), "200",
    0, EPOCHS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (epochs) },
  { "series", OPT_CHOICE, N_("NAME"), N_("The series; generated or real (shipped)"), "sine",
    0, 0, FALSE, FALSE, SERIES_CHOICES, TRUE, FIELD (series) },
  { "points", OPT_INT, N_("N"), N_("Points of a generated series"), "100",
    RNN_POINTS_MIN, RNN_POINTS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (points) },
  { "period", OPT_REAL, N_("P"), N_("Period of a generated series, in points (pattern: a whole number)"),
    N_("the point count"), PERIOD_MIN, PERIOD_MAX, FALSE, FALSE, NULL, TRUE, FIELD (period) },
  { "period2", OPT_REAL, N_("P"), N_("Period of the second sine of --series sum"), N_("period / 4"),
    0.0, PERIOD_MAX, TRUE, FALSE, NULL, TRUE, FIELD (period2) },
  { "decay", OPT_REAL, N_("D"), N_("--series damped: the amplitude falls to e^-D over the series"), "3",
    0.0, RNN_DECAY_MAX, FALSE, FALSE, NULL, TRUE, FIELD (decay) },
  { "noise", OPT_REAL, N_("SD"), N_("Add Gaussian noise of this standard deviation to a generated series"), "0",
    0.0, RNN_NOISE_MAX, FALSE, FALSE, NULL, TRUE, FIELD (noise) },
  { "series-seed", OPT_SEED, N_("N"), N_("Seed of the random walk, the pattern and the noise"), "0",
    0, 0, FALSE, FALSE, NULL, TRUE, FIELD (series_seed) },
  { "csv", OPT_INPUT, N_("FILE"), N_("Train on a column of this CSV file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (csv) },
  { "column", OPT_TEXT, N_("NAME|N"), N_("The CSV column, by header name or number from 1"),
    N_("the only numeric column"), 0, 0, FALSE, FALSE, NULL, FALSE, FIELD (column) },
  { "missing", OPT_CHOICE, N_("HOW"),
    N_("Gaps in the CSV column: refused, or interpolated linearly (gaps at either end dropped)"), "refuse",
    0, 0, FALSE, FALSE, "refuse, interpolate", FALSE, FIELD (missing) },
  { "normalize", OPT_CHOICE, N_("HOW"),
    N_("Scaling (minmax: to [-1, 1]), fitted on the training part only, so the test part is never seen"),
    N_("none for generated series, minmax for real and imported ones"),
    0, 0, FALSE, FALSE, "none, minmax, zscore", TRUE, FIELD (normalize) },
  { "batch-size", OPT_INT, N_("N"), N_("Windows per optimizer step; the loss printed is the mean of the batch losses"),
    N_("all the training windows"), 1, RNN_POINTS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (batch_size) },
  { "shuffle", OPT_FLAG, NULL, N_("Shuffle the training windows every epoch (the engine's generator, from --seed)"),
    NULL, 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (shuffle) },
  { "train-ratio", OPT_REAL, N_("R"), N_("Share of the windows used for training"), "0.7",
    0.0, 1.0, TRUE, TRUE, NULL, TRUE, FIELD (train_ratio) },
  { "seed", OPT_SEED, N_("N"), N_("Initialise with the engine's generator from this seed"),
    N_("the tutorial's weights, else 0"), 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (seed) },
  { "log-every", OPT_INT, N_("N"), N_("Print the loss every N epochs (at most the epochs), 0 for never"), "10",
    0, EPOCHS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (log_every) },
  { "optimizer", OPT_CHOICE, N_("NAME"), N_("The optimizer"), "adam",
    0, 0, FALSE, FALSE, "adam, sgd", TRUE, FIELD (optimizer) },
  { "init-weights", OPT_INPUT, N_("FILE"), N_("Start from the weights in this model file"), NULL,
    0, 0, FALSE, FALSE, NULL, TRUE, FIELD (init_weights) },
  { "save-weights", OPT_OUTPUT, N_("FILE"), N_("Save the trained model to this file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (save_weights) },
  { "loss-csv", OPT_OUTPUT, N_("FILE"), N_("Write epoch,train_loss,test_loss to this file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (loss_csv) },
  { "predictions-csv", OPT_OUTPUT, N_("FILE"), N_("Write index,actual,prediction,split to this file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (predictions_csv) },
  { "forecast-steps", OPT_INT, N_("N"), N_("Points of the free-running forecast"), N_("the test part's length"),
    1, RNN_POINTS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (forecast_steps) },
  { "forecast-csv", OPT_OUTPUT, N_("FILE"),
    N_("Write step,index,forecast of the free-running forecast from the test part's start"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (forecast_csv) },
  { "baselines", OPT_FLAG, NULL,
    N_("Also print the test MSE of persistence and of a linear AR model, and test MAEs in the series' units"),
    NULL, 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (baselines) },
  { "export-png", OPT_OUTPUT, N_("FILE"), N_("Draw the forecast figure to this PNG file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (export_png) },
  { "export-svg", OPT_OUTPUT, N_("FILE"), N_("Draw the forecast figure to this SVG file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (export_svg) },
  { "export-pdf", OPT_OUTPUT, N_("FILE"), N_("Draw the forecast figure to this PDF file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (export_pdf) },
  { "export-width", OPT_INT, N_("PIXELS"), N_("Figure width"), "1200",
    EXPORT_WIDTH_MIN, EXPORT_SIDE_MAX, FALSE, FALSE, NULL, FALSE, FIELD (export_width) },
  { "export-height", OPT_INT, N_("PIXELS"), N_("Figure height"), "700",
    EXPORT_HEIGHT_MIN, EXPORT_SIDE_MAX, FALSE, FALSE, NULL, FALSE, FIELD (export_height) },
  { "settings", OPT_SETTINGS, N_("FILE"),
    N_("Read the settings of a lesson (its settings.json); options given here win"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (settings) },
};

/* The text of an option (not OPT_FLAG). */
static char **
option_slot (CliOptions      *o,
             const CliOption *option)
{
  g_return_val_if_fail (option->type != OPT_FLAG, NULL);
  return (char **) ((guint8 *) o + option->field);
}

static const char *
option_text (const CliOptions *o,
             const CliOption  *option)
{
  if (option->type == OPT_FLAG)
    return NULL;
  return *option_slot ((CliOptions *) o, option);
}

/* The value of an OPT_FLAG. */
static gboolean *
flag_slot (CliOptions      *o,
           const CliOption *option)
{
  g_return_val_if_fail (option->type == OPT_FLAG, NULL);
  return (gboolean *) ((guint8 *) o + option->field);
}

static const CliOption *
find_option (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    if (g_str_equal (cli_options[i].name, name))
      return &cli_options[i];
  g_return_val_if_reached (NULL);
}

static void
cli_options_clear (CliOptions *o)
{
  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    if (cli_options[i].type != OPT_FLAG)
      g_clear_pointer (option_slot (o, &cli_options[i]), g_free);
}

/* A value quoted in a message: printable, one line, short. */
static char *
quote (const char *text)
{
  return lab_text_sanitize (text, -1);
}

static char *
quote_path (const char *path)
{
  return lab_text_sanitize_full (path, -1, PATH_QUOTE_MAX);
}

/* ---- Ranges -------------------------------------------------------------- */

static char *
format_real (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", v));
}

/* "1 to 256": the accepted range of an integer. */
static char *
int_range (gint64 lo,
           gint64 hi)
{
  g_autofree char *lo_text = g_strdup_printf ("%" G_GINT64_FORMAT, lo);
  g_autofree char *hi_text = g_strdup_printf ("%" G_GINT64_FORMAT, hi);

  /* TRANSLATORS: a range of accepted values, "1 to 256" */
  return g_strdup_printf (_("%s to %s"), lo_text, hi_text);
}

/* "greater than 0, at most 10", "2 to 1e+09", "greater than 0 and less than 1". */
static char *
real_range (const CliOption *option)
{
  g_autofree char *lo = format_real (option->lo);
  g_autofree char *hi = format_real (option->hi);

  if (option->lo_open && option->hi_open)
    /* TRANSLATORS: a range of accepted values, "greater than 0 and less than 1" */
    return g_strdup_printf (_("greater than %s and less than %s"), lo, hi);
  if (option->lo_open)
    /* TRANSLATORS: a range of accepted values, "greater than 0, at most 10" */
    return g_strdup_printf (_("greater than %s, at most %s"), lo, hi);
  /* TRANSLATORS: a range of accepted values, "1 to 256" */
  return g_strdup_printf (_("%s to %s"), lo, hi);
}

static char *
seed_range (void)
{
  g_autofree char *max = g_strdup_printf ("%" G_GUINT64_FORMAT, G_MAXUINT64);

  /* TRANSLATORS: a range of accepted values, "1 to 256" */
  return g_strdup_printf (_("%s to %s"), "0", max);
}

/* The accepted values of an option, as --help and the messages say them. */
static char *
describe_accepted (const CliOption *option)
{
  switch (option->type)
    {
    case OPT_INT:
      if (option->hi < option->lo)
        /* TRANSLATORS: a range of accepted values, "at least 1" */
        return g_strdup_printf (_("at least %" G_GINT64_FORMAT), (gint64) option->lo);
      return int_range ((gint64) option->lo, (gint64) option->hi);
    case OPT_REAL:
      return real_range (option);
    case OPT_SEED:
      return seed_range ();
    case OPT_CHOICE:
      return g_strdup (option->choices);
    default:
      return NULL;
    }
}

/* ---- Strict number parsing ----------------------------------------------- */

/* How a message names a setting: "--hidden-size" on the command line,
 * "lesson/settings.json: hidden-size" in a settings file. */
static char *
setting_label (const CliOptions *o,
               const char       *name)
{
  if (o->where == NULL)
    return g_strconcat ("--", name, NULL);
  return g_strdup_printf ("%s: %s", o->where, name);
}

static gboolean
out_of_range (const CliOptions  *o,
              const char        *name,
              const char        *text,
              const char        *accepted,
              GError           **error)
{
  g_autofree char *label = setting_label (o, name);
  g_autofree char *quoted = quote (text);

  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               _("%s: %s is out of range; accepted: %s"), label, quoted, accepted);
  return FALSE;
}

/* An integer option in [lo, hi] (the table's range, or one narrowed by other values). */
static gboolean
parse_int (const CliOptions  *o,
           const char        *name,
           gint64             lo,
           gint64             hi,
           gint64            *out,
           GError           **error)
{
  const char *text = option_text (o, find_option (name));
  g_autofree char *accepted = int_range (lo, hi);
  char *end = NULL;
  gint64 v;

  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (text[0] == '\0' || g_ascii_isspace (text[0]) || end == text || *end != '\0')
    {
      g_autofree char *label = setting_label (o, name);
      g_autofree char *quoted = quote (text);

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: “%s” is not an integer; accepted: %s"), label, quoted, accepted);
      return FALSE;
    }
  if (errno == ERANGE || v < lo || v > hi)
    return out_of_range (o, name, text, accepted, error);
  *out = v;
  return TRUE;
}

/* A finite number in the option's range. Checked on the text as well as
 * the value: "1e-310" reads as a subnormal that is still "greater than 0". */
static gboolean
parse_real (const CliOptions  *o,
            const char        *name,
            double            *out,
            GError           **error)
{
  const CliOption *option = find_option (name);
  const char *text = option_text (o, option);
  g_autofree char *accepted = real_range (option);
  char *end = NULL;
  double v;

  v = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || g_ascii_isspace (text[0]) || end == text || *end != '\0'
      || !isfinite (v) || strchr (text, 'x') != NULL || strchr (text, 'X') != NULL)
    {
      g_autofree char *label = setting_label (o, name);
      g_autofree char *quoted = quote (text);

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: “%s” is not a number; accepted: %s"), label, quoted, accepted);
      return FALSE;
    }
  if ((option->lo_open ? !(v > option->lo) : !(v >= option->lo))
      || (option->hi_open ? !(v < option->hi) : !(v <= option->hi))
      || (v != 0.0 && !isnormal (v)))
    return out_of_range (o, name, text, accepted, error);
  *out = v;
  return TRUE;
}

/* The checked run. */
typedef struct
{
  RnnConfig config;
  int       epochs;
  int       log_every;
  gboolean  seed_given;
  guint64   seed;
  int       export_width;
  int       export_height;
  LabModel *init_model;
  float    *values;          /* a real or imported series (config.values points here) */
  char     *series_label;    /* its name for the figure, or NULL for a generated one */
  int       forecast_steps;  /* 0: none asked for */
} CliRun;

/* A shape whose memory is above the budget is refused before anything is
 * allocated, with what it would take. */
static gboolean
check_memory (const CliOptions  *o,
              const RnnConfig   *cfg,
              GError           **error)
{
  size_t need = rnn_session_memory (cfg);
  g_autofree char *need_text = NULL;
  g_autofree char *budget_text = NULL;

  if (need <= RNN_MEMORY_BUDGET)
    return TRUE;
  need_text = need == SIZE_MAX ? g_strdup (_("more than the address space"))
                               : g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
  budget_text = g_format_size_full (RNN_MEMORY_BUDGET, G_FORMAT_SIZE_IEC_UNITS);
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               _("%d points with a time step of %d and %d hidden units need %s of memory; "
                 "accepted: at most %s (fewer points, a shorter time step or fewer hidden units)"),
               cfg->n_points, cfg->time_step, cfg->hidden_size, need_text, budget_text);
  return FALSE;
}

/* An unsigned 64-bit integer option (a seed). */
static gboolean
parse_seed (const CliOptions  *o,
            const char        *name,
            guint64           *out,
            GError           **error)
{
  const char *text = option_text (o, find_option (name));

  if (text[0] == '-' || text[0] == '+'
      || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL))
    {
      g_autofree char *label = setting_label (o, name);
      g_autofree char *quoted = quote (text);
      g_autofree char *accepted = seed_range ();

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: “%s” is not an unsigned integer; accepted: %s"),
                   label, quoted, accepted);
      return FALSE;
    }
  return TRUE;
}

/* A choice that is not one of the option's: message (the label, the value
 * and the accepted choices fill it in, in that order) into error. */
#define NOT_A_CHOICE(o, name, message, error)                                     \
  G_STMT_START {                                                                  \
    g_autofree char *label_ = setting_label ((o), (name));                        \
    g_autofree char *quoted_ = quote (option_text ((o), find_option (name)));     \
                                                                                  \
    g_set_error ((error), CLI_ERROR, CLI_ERROR_USAGE, (message), label_, quoted_, \
                 find_option (name)->choices);                                    \
  } G_STMT_END

/* An option given where it has no meaning. */
static gboolean
only_for (const CliOptions  *o,
          const char        *name,
          const char        *what,
          GError           **error)
{
  g_autofree char *label = setting_label (o, name);

  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, _("%s: only for %s"), label, what);
  return FALSE;
}

/* --series and its parameters, --csv and its column, --normalize,
 * --batch-size, --shuffle, --forecast-steps. Runs after --points and
 * --period, before the time step is checked against the series' length; a
 * real or imported series is loaded here, so its length is known. */
static gboolean
check_series_options (const CliOptions  *o,
                      CliRun            *run,
                      GError           **error)
{
  RnnConfig *cfg = &run->config;
  LabCsvMissing missing = LAB_CSV_MISSING_REFUSE;
  gboolean data = FALSE;
  gint64 v;
  int kind;

  if (o->series != NULL)
    {
      kind = series_kind_from_name (o->series);
      if (kind < 0 && lab_real_series_lookup (o->series) == NULL)
        {
          NOT_A_CHOICE (o, "series", _("%s: “%s” is not a series; accepted: %s"), error);
          return FALSE;
        }
      if (o->csv != NULL)
        {
          g_autofree char *label = setting_label (o, "series");

          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       _("%s: not with --csv; accepted: one of --series or --csv"), label);
          return FALSE;
        }
      cfg->series = kind >= 0 ? (RnnSeriesKind) kind : RNN_SERIES_DATA;
    }
  data = cfg->series == RNN_SERIES_DATA || o->csv != NULL;

  if (o->column != NULL && o->csv == NULL)
    return only_for (o, "column", "--csv", error);
  if (o->missing != NULL)
    {
      if (o->csv == NULL)
        return only_for (o, "missing", "--csv", error);
      if (g_str_equal (o->missing, "interpolate"))
        missing = LAB_CSV_MISSING_INTERPOLATE;
      else if (!g_str_equal (o->missing, "refuse"))
        {
          NOT_A_CHOICE (o, "missing", _("%s: “%s” is not a way to treat gaps; accepted: %s"), error);
          return FALSE;
        }
    }

  if (data)
    {
      const char *what = _("generated series (not with a real or imported one)");

      if (o->points != NULL)
        return only_for (o, "points", what, error);
      if (o->period != NULL)
        return only_for (o, "period", what, error);
      if (o->noise != NULL)
        return only_for (o, "noise", what, error);
      if (o->series_seed != NULL)
        return only_for (o, "series-seed", what, error);
      g_clear_pointer (&run->values, g_free);
      g_clear_pointer (&run->series_label, g_free);
      if (!lab_cli_data_load (o->csv == NULL ? o->series : NULL, o->csv, o->column, missing,
                              &run->values, &cfg->n_points, &run->series_label, error))
        return FALSE;
      if (cfg->n_points < RNN_POINTS_MIN)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       _("%s: %d values are too few; accepted: at least %d"),
                       o->csv != NULL ? "--csv" : "--series", cfg->n_points, RNN_POINTS_MIN);
          return FALSE;
        }
      cfg->series = RNN_SERIES_DATA;
      cfg->values = run->values;
      cfg->period = 0.0;
      cfg->normalize = RNN_NORMALIZE_MINMAX;
    }

  if (o->series_seed != NULL && !parse_seed (o, "series-seed", &cfg->series_seed, error))
    return FALSE;
  if (o->noise != NULL && !parse_real (o, "noise", &cfg->noise, error))
    return FALSE;

  cfg->period2 = cfg->period / 4.0;
  if (o->period2 != NULL)
    {
      if (cfg->series != RNN_SERIES_SUM)
        return only_for (o, "period2", "--series sum", error);
      if (!parse_real (o, "period2", &cfg->period2, error))
        return FALSE;
    }
  if (o->decay != NULL)
    {
      if (cfg->series != RNN_SERIES_DAMPED)
        return only_for (o, "decay", "--series damped", error);
      if (!parse_real (o, "decay", &cfg->decay, error))
        return FALSE;
    }
  if (cfg->series == RNN_SERIES_PATTERN
      && !(cfg->period >= 1.0 && cfg->period <= cfg->n_points && cfg->period == floor (cfg->period)))
    {
      g_autofree char *label = setting_label (o, "period");
      g_autofree char *period = o->period != NULL ? quote (o->period) : format_real (cfg->period);

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: %s is not a whole number of points; accepted: for --series pattern, 1 to %d"),
                   label, period, cfg->n_points);
      return FALSE;
    }

  if (o->normalize != NULL)
    {
      int n = series_normalize_from_name (o->normalize);

      if (n < 0)
        {
          NOT_A_CHOICE (o, "normalize", _("%s: “%s” is not a scaling; accepted: %s"), error);
          return FALSE;
        }
      cfg->normalize = (RnnNormalize) n;
    }

  if (o->batch_size != NULL)
    {
      if (!parse_int (o, "batch-size", 1, RNN_POINTS_MAX, &v, error))
        return FALSE;
      cfg->batch_size = (int) v;
    }
  cfg->shuffle = o->shuffle;

  if (o->forecast_steps != NULL)
    {
      if (!parse_int (o, "forecast-steps", 1, RNN_POINTS_MAX, &v, error))
        return FALSE;
      run->forecast_steps = (int) v;
    }
  return TRUE;
}

static gboolean
check_options (const CliOptions  *o,
               CliRun            *run,
               GError           **error)
{
  RnnConfig *cfg = &run->config;
  gint64 v;
  int t_max;

  rnn_config_init_default (cfg);
  run->epochs = 200;
  run->log_every = 10;
  run->export_width = EXPORT_WIDTH;
  run->export_height = EXPORT_HEIGHT;

#define RANGE_OF(name) (gint64) find_option (name)->lo, (gint64) find_option (name)->hi

  if (o->hidden_size != NULL)
    {
      if (!parse_int (o, "hidden-size", RANGE_OF ("hidden-size"), &v, error))
        return FALSE;
      cfg->hidden_size = (int) v;
    }

  if (o->lr != NULL && !parse_real (o, "lr", &cfg->lr, error))
    return FALSE;

  if (o->epochs != NULL)
    {
      if (!parse_int (o, "epochs", RANGE_OF ("epochs"), &v, error))
        return FALSE;
      run->epochs = (int) v;
    }

  if (o->log_every != NULL)
    {
      if (!parse_int (o, "log-every", 0, run->epochs, &v, error))
        return FALSE;
      run->log_every = (int) v;
    }

  if (o->points != NULL)
    {
      if (!parse_int (o, "points", RANGE_OF ("points"), &v, error))
        return FALSE;
      cfg->n_points = (int) v;
    }

  cfg->period = cfg->n_points;
  if (o->period != NULL && !parse_real (o, "period", &cfg->period, error))
    return FALSE;

  if (o->train_ratio != NULL && !parse_real (o, "train-ratio", &cfg->train_ratio, error))
    return FALSE;

  if (!check_series_options (o, run, error))
    return FALSE;

  /* The time step and the ratio together must leave a train and a test window. */
  t_max = series_time_step_max (cfg->n_points, cfg->train_ratio);
  if (t_max < RNN_TIME_STEP_MIN)
    {
      g_autofree char *label = setting_label (o, "train-ratio");
      g_autofree char *ratio = o->train_ratio ? quote (o->train_ratio) : format_real (cfg->train_ratio);

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: %s leaves no train window for %d points; "
                     "accepted: a larger ratio, less than 1"),
                   label, ratio, cfg->n_points);
      return FALSE;
    }
  if (o->time_step != NULL)
    {
      if (!parse_int (o, "time-step", RNN_TIME_STEP_MIN, t_max, &v, error))
        return FALSE;
      cfg->time_step = (int) v;
    }
  else if (cfg->time_step > t_max)
    {
      g_autofree char *label = setting_label (o, "time-step");

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: the default %d is too long for %d points; "
                     "accepted: %d to %d"),
                   label, cfg->time_step, cfg->n_points, RNN_TIME_STEP_MIN, t_max);
      return FALSE;
    }

  if (o->seed != NULL)
    {
      if (!parse_seed (o, "seed", &run->seed, error))
        return FALSE;
      run->seed_given = TRUE;
    }
  /* --shuffle draws the batches' order from the engine's RNG with --seed */
  cfg->shuffle_seed = run->seed;

  if (o->optimizer != NULL)
    {
      if (g_str_equal (o->optimizer, "adam"))
        cfg->optimizer = RNN_OPTIMIZER_ADAM;
      else if (g_str_equal (o->optimizer, "sgd"))
        cfg->optimizer = RNN_OPTIMIZER_SGD;
      else
        {
          g_autofree char *label = setting_label (o, "optimizer");
          g_autofree char *quoted = quote (o->optimizer);

          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       _("%s: “%s” is not an optimizer; accepted: %s"),
                       label, quoted, find_option ("optimizer")->choices);
          return FALSE;
        }
    }

  if (o->export_width != NULL)
    {
      if (!parse_int (o, "export-width", RANGE_OF ("export-width"), &v, error))
        return FALSE;
      run->export_width = (int) v;
    }
  if (o->export_height != NULL)
    {
      if (!parse_int (o, "export-height", RANGE_OF ("export-height"), &v, error))
        return FALSE;
      run->export_height = (int) v;
    }
#undef RANGE_OF

  return check_memory (o, cfg, error);
}

/* ---- A lesson's settings.json -------------------------------------------- */

#define SETTINGS_FORMAT "rnn-lab-settings"
#define SETTINGS_INIT_WEIGHTS_DEFAULT "initial-model.json"

/* settings.json: flat, small, strict (core/lab-json-guard.h). */
static const LabJsonLimits settings_json_limits = {
  .max_depth = RNN_SETTINGS_FILE_DEPTH_MAX,
  .max_values = RNN_SETTINGS_FILE_VALUES_MAX,
  .flags = LAB_JSON_FLAGS_NONE,
};

/* The keys that are not options. */
static const char *const settings_extra_keys[] = { "format", "version", "init", NULL };

static gboolean
is_settings_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    if (cli_options[i].in_settings && g_str_equal (cli_options[i].name, key))
      return TRUE;
  return g_strv_contains (settings_extra_keys, key);
}

static char *
settings_keys_text (void)
{
  GString *s = g_string_new ("format, version");

  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    if (cli_options[i].in_settings)
      g_string_append_printf (s, ", %s", cli_options[i].name);
  g_string_append (s, ", init");
  return g_string_free (s, FALSE);
}

static gboolean
settings_error (GError     **error,
                const char  *where,
                const char  *key,
                const char  *problem)
{
  g_autofree char *quoted_key = quote (key);

  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "%s: %s: %s", where, quoted_key, problem);
  return FALSE;
}

/* The value of a key as the text an option would have: a number exactly as
 * the file writes it (numbers holds their text: a seed of 2^64 - 1 or an
 * integer too large for anything stays what it is, and is checked as its
 * option would be), a string as it is. */
static char *
settings_value_text (JsonNode    *node,
                     const char  *key,
                     GHashTable  *numbers)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return g_strdup (g_hash_table_lookup (numbers, key));
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return NULL;
    }
}

/* init-weights names a file inside the lesson's folder: a lesson someone
 * downloaded must not read /etc/shadow or ../../secret.json. */
static gboolean
check_init_weights_path (const char  *where,
                         const char  *value,
                         GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *quoted = quote (value);

  if (value[0] == '\0')
    problem = g_strdup_printf (_("an empty file name; accepted: a file in the lesson's folder, such as %s"),
                               SETTINGS_INIT_WEIGHTS_DEFAULT);
  else if (g_path_is_absolute (value))
    problem = g_strdup_printf (_("“%s” is an absolute path; accepted: a file in the lesson's folder, such as %s"),
                               quoted, SETTINGS_INIT_WEIGHTS_DEFAULT);
  else
    {
      parts = g_strsplit (value, G_DIR_SEPARATOR_S, -1);
      for (guint i = 0; problem == NULL && parts[i] != NULL; i++)
        if (g_str_equal (parts[i], ".."))
          problem = g_strdup_printf (_("“%s” leaves the lesson's folder (..); accepted: a file in the "
                                       "lesson's folder, such as %s"),
                                     quoted, SETTINGS_INIT_WEIGHTS_DEFAULT);
    }
  if (problem == NULL)
    return TRUE;
  return settings_error (error, where, "init-weights", problem);
}

static gboolean settings_from_text (const char  *where,
                                    const char  *folder,
                                    const char  *text,
                                    gsize        len,
                                    CliOptions  *s,
                                    GError     **error);

/* Reads a settings file (rnn-lab's "Export lesson" writes one) into s, as
 * if its values had been typed as options; init-weights is a file in the
 * settings file's folder. Every value is checked as its option would be. */
static gboolean
read_settings (const char  *path,
               CliOptions  *s,
               GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *quoted_path = quote_path (path);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *where = NULL;
  const char *text;
  gsize len;
  gboolean ok;

  bytes = lab_file_read (path, RNN_SETTINGS_FILE_MAX, _("a settings file"), error);
  if (bytes == NULL)
    {
      /* As --init-weights: a file that cannot be read is status 1, one too large 2. */
      g_prefix_error (error, "--settings: %s: ", quoted_path);
      return FALSE;
    }
  text = g_bytes_get_data (bytes, &len);
  where = g_strdup_printf ("--settings: %s", quoted_path);
  ok = settings_from_text (where, folder, text, len, s, error);
  s->where = NULL;
  return ok;
}

gboolean
lab_cli_check_settings_text (const char  *text,
                             gsize        len,
                             GError     **error)
{
  return lab_cli_check_settings_at ("--settings: settings.json", ".", text, len, error);
}

gboolean
lab_cli_check_settings_at (const char  *where,
                           const char  *folder,
                           const char  *text,
                           gsize        len,
                           GError     **error)
{
  CliOptions s = { 0 };
  gboolean ok;

  g_return_val_if_fail (where != NULL && folder != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  ok = settings_from_text (where, folder, text, len, &s, error);
  cli_options_clear (&s);
  return ok;
}

gboolean
lab_cli_lesson_check_settings (const char  *where,
                               const char  *folder,
                               const char  *text,
                               gsize        len,
                               gpointer     user_data,
                               GError     **error)
{
  return lab_cli_check_settings_at (where, folder, text, len, error);
}

/* The text of a settings file (where names it in messages; init-weights is
 * a file in folder) into s, every value checked as its option would be. */
static gboolean
settings_from_text (const char  *where,
                    const char  *folder,
                    const char  *text,
                    gsize        len,
                    CliOptions  *s,
                    GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) numbers = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *init = NULL;
  g_autofree char *init_weights = NULL;
  JsonObject *object;
  CliRun check = { 0 };
  gboolean ok;

  root = lab_json_parse (text, len, &settings_json_limits, &numbers, error);
  if (root == NULL)
    {
      g_autoptr(GError) local = g_steal_pointer (error);

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "%s: %s", where, local->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: not a settings file; accepted: a JSON object such as "
                     "“Export lesson” writes"), where);
      return FALSE;
    }
  object = json_node_get_object (root);
  s->where = where;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      g_autofree char *value = NULL;
      g_autofree char *problem = NULL;
      char **field;

      if (!is_settings_key (key))
        {
          g_autofree char *accepted = settings_keys_text ();

          problem = g_strdup_printf (_("unknown key; accepted: %s"), accepted);
          return settings_error (error, where, key, problem);
        }
      if (!g_strv_contains (settings_extra_keys, key) && find_option (key)->type == OPT_FLAG)
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return settings_error (error, where, key, _("not true or false"));
          *flag_slot (s, find_option (key)) = json_node_get_boolean (node);
          continue;
        }
      value = settings_value_text (node, key, numbers);
      if (value == NULL)
        return settings_error (error, where, key, _("not a number or a string"));

      if (g_str_equal (key, "format"))
        {
          if (!g_str_equal (value, SETTINGS_FORMAT))
            {
              g_autofree char *quoted = quote (value);

              problem = g_strdup_printf (_("“%s”; accepted: %s"), quoted, SETTINGS_FORMAT);
              return settings_error (error, where, key, problem);
            }
          continue;
        }
      if (g_str_equal (key, "version"))
        {
          if (!g_str_equal (value, "1"))
            {
              g_autofree char *quoted = quote (value);

              problem = g_strdup_printf (_("%s; accepted: 1"), quoted);
              return settings_error (error, where, key, problem);
            }
          continue;
        }

      if (g_str_equal (key, "init"))
        field = &init;
      else if (g_str_equal (key, "init-weights"))
        field = &init_weights;
      else
        field = option_slot (s, find_option (key));
      g_free (*field);
      *field = g_steal_pointer (&value);
    }

  /* Where the initial weights come from: the tutorial's (the default for
   * its shape), the engine's generator from the seed, or a model file. */
  if (init == NULL)
    init = g_strdup (init_weights != NULL ? "file" : s->seed != NULL ? "seed" : "tutorial");
  if (g_str_equal (init, "tutorial"))
    {
      g_clear_pointer (&s->seed, g_free);
    }
  else if (g_str_equal (init, "seed"))
    {
      if (s->seed == NULL)
        return settings_error (error, where, "seed", _("missing; “init” is “seed”, so a seed is needed"));
    }
  else if (g_str_equal (init, "file"))
    {
      g_clear_pointer (&s->seed, g_free);
      if (init_weights == NULL)
        init_weights = g_strdup (SETTINGS_INIT_WEIGHTS_DEFAULT);
      if (!check_init_weights_path (where, init_weights, error))
        return FALSE;
      s->init_weights = g_build_filename (folder, init_weights, NULL);
    }
  else
    {
      g_autofree char *quoted = quote (init);
      g_autofree char *problem = g_strdup_printf (_("“%s”; accepted: tutorial, seed, file"), quoted);

      return settings_error (error, where, "init", problem);
    }

  /* Each value as its option would be checked, named by its key. */
  ok = check_options (s, &check, error);
  g_free (check.values);
  g_free (check.series_label);
  s->where = NULL;
  return ok;
}

/* Options typed on the command line win over the settings file's. */
static void
merge_settings (CliOptions *o,
                CliOptions *s)
{
  /* A seed typed on the command line asks for the generator's weights. */
  if (o->seed != NULL)
    g_clear_pointer (&s->init_weights, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    {
      char **mine, **theirs;

      if (!cli_options[i].in_settings)
        continue;
      if (cli_options[i].type == OPT_FLAG)
        {
          /* A flag is either given (on) or not: the file can switch it on. */
          *flag_slot (o, &cli_options[i]) |= *flag_slot (s, &cli_options[i]);
          continue;
        }
      mine = option_slot (o, &cli_options[i]);
      theirs = option_slot (s, &cli_options[i]);
      if (*mine == NULL)
        *mine = g_steal_pointer (theirs);
    }
}

/* Every output is tried before training: a typo in a path, a folder that
 * takes no new file, must not cost a whole run. At most one output may be
 * standard output. */
static gboolean
check_outputs (const CliOptions  *o,
               GError           **error)
{
  const char *to_stdout = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    {
      const CliOption *option = &cli_options[i];
      const char *path = option_text (o, option);

      if (option->type != OPT_OUTPUT || path == NULL)
        continue;
      if (path[0] == '\0')
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       _("--%s: the file name is empty"), option->name);
          return FALSE;
        }
      if (lab_file_is_stdout (path))
        {
          if (to_stdout != NULL)
            {
              g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                           _("--%s: - (standard output) is already --%s's; accepted: "
                             "one output on standard output"), option->name, to_stdout);
              return FALSE;
            }
          to_stdout = option->name;
          continue;
        }
      if (!lab_file_check_output (path, error))
        {
          g_autofree char *quoted = quote_path (path);

          g_prefix_error (error, "--%s: %s: ", option->name, quoted);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
any_output_to_stdout (const CliOptions *o)
{
  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    if (cli_options[i].type == OPT_OUTPUT && lab_file_is_stdout (option_text (o, &cli_options[i])))
      return TRUE;
  return FALSE;
}

/* Reads --init-weights; the hidden size comes from the file unless
 * --hidden-size was given, and must then match it. */
static gboolean
load_init_weights (const CliOptions  *o,
                   CliRun            *run,
                   GError           **error)
{
  g_autoptr(LabModel) model = NULL;
  g_autofree char *quoted = NULL;

  if (o->init_weights == NULL)
    return TRUE;

  quoted = quote_path (o->init_weights);
  model = lab_model_load_file (o->init_weights, error);
  if (model == NULL
      || (o->hidden_size != NULL
          && !lab_model_check_hidden_size (model, run->config.hidden_size, "--hidden-size", error)))
    {
      g_prefix_error (error, "--init-weights: %s: ", quoted);
      return FALSE;
    }
  if (model->hidden_size < LAB_HIDDEN_SIZE_MIN || model->hidden_size > LAB_HIDDEN_SIZE_MAX)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--init-weights: %s: hidden size %d is out of range; accepted: %d to %d"),
                   quoted, model->hidden_size, LAB_HIDDEN_SIZE_MIN, LAB_HIDDEN_SIZE_MAX);
      return FALSE;
    }
  run->config.hidden_size = model->hidden_size;
  run->init_model = g_steal_pointer (&model);
  /* The shape changed with the file's hidden size. */
  return check_memory (o, &run->config, error);
}

/* ---- Outputs ------------------------------------------------------------- */

typedef struct
{
  const RnnDataset *data;
  const float      *predictions;
  int               epochs;
  const char       *series_label;  /* NULL: a generated series */
} ForecastFigure;

static void
draw_forecast_cb (cairo_t  *cr,
                  int       width,
                  int       height,
                  gpointer  user_data)
{
  const ForecastFigure *figure = user_data;
  g_autofree char *title = NULL;
  LabPlotStyle style;
  LabForecastData data = {
    .n_points = figure->data->n_points,
    .series = figure->data->series,
    .time_step = figure->data->T,
    .n_windows = figure->data->N,
    .n_train = figure->data->n_train,
    .predictions = figure->predictions,
    .selected = -1,
  };

  if (figure->series_label != NULL)
    title = g_strdup_printf (_("%s and the RNN's predictions after %d epochs"),
                             figure->series_label, figure->epochs);
  else
    title = g_strdup_printf (_("Sine wave and the RNN's predictions after %d epochs"), figure->epochs);
  data.title = title;
  lab_plot_style_init (&style, LAB_PALETTE_DEFAULT, FALSE);
  lab_forecast_plot_draw (cr, width, height, &data, &style);
}

/* Reports an output that could not be written (one line); FALSE then. */
static gboolean
report_output (const char *option,
               const char *path,
               gboolean    ok,
               GError     *error)
{
  g_autofree char *quoted = NULL;

  if (ok)
    return TRUE;
  quoted = quote_path (path);
  g_printerr ("rnn-lab: %s: %s: %s\n", option, quoted, error->message);
  return FALSE;
}

static gboolean
write_outputs (const CliOptions *o,
               const CliRun     *run,
               RnnSession       *session,
               const float      *predictions,
               const float      *train_loss,
               const float      *test_loss)
{
  const RnnDataset *data = rnn_session_dataset (session);
  RnnModel *m = rnn_session_model (session);
  ForecastFigure figure = { data, predictions, run->epochs, run->series_label };
  struct { const char *option; const char *path; LabExportFormat format; } figures[] = {
    { "--export-png", o->export_png, LAB_EXPORT_PNG },
    { "--export-svg", o->export_svg, LAB_EXPORT_SVG },
    { "--export-pdf", o->export_pdf, LAB_EXPORT_PDF },
  };
  gboolean all_ok = TRUE;

  if (o->save_weights != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LabModel) model = lab_model_new_from_params (m->I, m->H, m->O, m->params, m->n_params);
      gboolean ok = model != NULL && lab_model_save_file (model, o->save_weights, &error);

      if (model == NULL)
        g_set_error (&error, CLI_ERROR, CLI_ERROR_IO, _("the model has an unexpected size"));
      all_ok &= report_output ("--save-weights", o->save_weights, ok, error);
    }

  if (o->loss_csv != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = lab_export_loss_csv (o->loss_csv, run->epochs, train_loss, test_loss, &error);

      all_ok &= report_output ("--loss-csv", o->loss_csv, ok, error);
    }

  if (o->predictions_csv != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = lab_export_predictions_csv (o->predictions_csv, data->series, data->n_points,
                                                data->T, predictions, data->N, data->n_train,
                                                &error);

      all_ok &= report_output ("--predictions-csv", o->predictions_csv, ok, error);
    }

  if (o->forecast_csv != NULL)
    {
      g_autoptr(GError) error = NULL;
      int steps = run->forecast_steps > 0 ? run->forecast_steps : data->N - data->n_train;
      gboolean ok = lab_cli_data_write_forecast (session, steps, o->forecast_csv, &error);

      all_ok &= report_output ("--forecast-csv", o->forecast_csv, ok, error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (figures[i].path == NULL)
        continue;
      ok = lab_export_draw_to_file (figures[i].path, figures[i].format,
                                    run->export_width, run->export_height,
                                    draw_forecast_cb, &figure, &error);
      all_ok &= report_output (figures[i].option, figures[i].path, ok, error);
    }

  return all_ok;
}

/* ---- The run ------------------------------------------------------------- */

/* A loss as the tutorial prints it ("%.4f"), except where that would be
 * unreadable: a diverging run's 1e30 is "1.0000e+30", not 34 digits. */
static const char *
format_loss (char   *buf,
             gsize   size,
             double  v)
{
  if (isnan (v))
    return "nan";
  if (isinf (v))
    return v > 0 ? "inf" : "-inf";
  return g_ascii_formatd (buf, size, fabs (v) < 1e6 ? "%.4f" : "%.4e", v);
}

static void
print_value_line (FILE       *log,
                  const char *label,
                  const char *format,
                  double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The C locale's decimal point whatever the user's locale: the lines are
   * the tutorial's, and scripts read them. */
  fprintf (log, "%s%s\n", label, g_ascii_formatd (buf, sizeof buf, format, value));
}

static gboolean
all_finite (const float *v,
            gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

static int
diverged (FILE       *log,
          const char *message)
{
  fflush (log);
  g_printerr ("rnn-lab: %s\n", message);
  return LAB_CLI_EXIT_DIVERGED;
}

static int
train_and_write (const CliOptions *o,
                 CliRun           *run)
{
  g_autofree float *train_loss = NULL;
  g_autofree float *test_loss = NULL;
  g_autofree float *predictions = NULL;
  g_autofree char *message = NULL;
  /* With an output on standard output, the progress lines go to stderr. */
  FILE *log = any_output_to_stdout (o) ? stderr : stdout;
  RnnSession *session;
  RnnModel *m;
  RnnStatus status = RNN_OK;
  float train_mse, test_mse;
  int exit_status = LAB_CLI_EXIT_OK;

  session = rnn_session_new (&run->config, &status);
  if (session == NULL)
    {
      if (status == RNN_ERR_SHAPE || status == RNN_ERR_BUDGET)
        {
          g_printerr ("rnn-lab: %s\n", _("these settings leave no train or no test window"));
          return LAB_CLI_EXIT_USAGE;
        }
      g_printerr ("rnn-lab: %s\n", _("not enough memory for this model and series"));
      return LAB_CLI_EXIT_IO;
    }

  if (run->init_model == NULL && !run->seed_given && lab_config_is_tutorial_shape (&run->config))
    {
      g_autoptr(GError) error = NULL;

      run->init_model = lab_model_load_tutorial (&error);
      if (run->init_model == NULL)
        {
          /* Only a broken build gets here. */
          g_printerr ("rnn-lab: %s: %s\n", _("the tutorial's weights"), error->message);
          rnn_session_free (session);
          return LAB_CLI_EXIT_IO;
        }
    }

  if (run->init_model != NULL)
    status = rnn_session_set_params (session, run->init_model->params, run->init_model->n_params);
  else
    rnn_session_init_seed (session, run->seed);
  if (status != RNN_OK)
    {
      g_printerr ("rnn-lab: --init-weights: %s\n", _("the weights do not fit this model"));
      rnn_session_free (session);
      return LAB_CLI_EXIT_USAGE;
    }

  train_loss = g_new (float, MAX (run->epochs, 1));
  test_loss = g_new (float, MAX (run->epochs, 1));
  predictions = g_new (float, rnn_session_dataset (session)->N);

  for (int epoch = 1; epoch <= run->epochs; epoch++)
    {
      float loss = 0.0f;

      /* The test loss of the weights this epoch's forward pass uses. */
      if (o->loss_csv != NULL)
        rnn_session_evaluate (session, NULL, NULL, &test_loss[epoch - 1]);
      else
        test_loss[epoch - 1] = NAN;

      status = rnn_session_train_epoch (session, &loss, NULL);
      train_loss[epoch - 1] = loss;
      if (status == RNN_ERR_NONFINITE)
        {
          message = g_strdup_printf (_("training diverged: the loss became NaN or infinite at "
                                       "epoch %d; try a smaller --lr"), epoch);
          rnn_session_free (session);
          return diverged (log, message);
        }
      if (status != RNN_OK)
        {
          fflush (log);
          g_printerr (_("rnn-lab: training failed at epoch %d\n"), epoch);
          rnn_session_free (session);
          return LAB_CLI_EXIT_IO;
        }

      if (run->log_every > 0 && epoch % run->log_every == 0)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          fprintf (log, "Epoch [%d/%d], Loss: %s\n", epoch, run->epochs,
                   format_loss (buf, sizeof buf, loss));
        }
    }

  /* The last update is applied after the last loss was seen: the weights
   * it left, and their loss, must be finite too. */
  m = rnn_session_model (session);
  rnn_session_evaluate (session, predictions, &train_mse, &test_mse);
  if (!all_finite (m->params, m->n_params) || !isfinite (train_mse) || !isfinite (test_mse))
    {
      message = g_strdup_printf (_("training diverged: after the last update (epoch %d) the "
                                   "weights or their loss are NaN or infinite; try a smaller --lr"),
                                 run->epochs);
      rnn_session_free (session);
      return diverged (log, message);
    }
  /* Losses on the model's scale; the files and figures in the series' units. */
  print_value_line (log, "Train MSE: ", "%.3e", train_mse);
  print_value_line (log, "Test MSE: ", "%.3e", test_mse);
  if (o->baselines)
    lab_cli_data_print_baselines (log, session, predictions);
  fflush (log);
  series_scale_inverse (predictions, &rnn_session_dataset (session)->scale, predictions,
                        rnn_session_dataset (session)->N);

  if (!write_outputs (o, run, session, predictions, train_loss, test_loss))
    exit_status = LAB_CLI_EXIT_IO;

  rnn_session_free (session);
  return exit_status;
}

static int
fail (GError *error)
{
  int status = LAB_CLI_EXIT_USAGE;

  /* Cannot read or write a file: 1. A file that was read but is refused
   * (too large, malformed) is a bad value: 2. */
  if (error->domain == G_FILE_ERROR || error->domain == G_IO_ERROR
      || g_error_matches (error, LAB_FILE_ERROR, LAB_FILE_ERROR_NOT_REGULAR)
      || g_error_matches (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT)
      || g_error_matches (error, CLI_ERROR, CLI_ERROR_IO))
    status = LAB_CLI_EXIT_IO;
  g_printerr ("rnn-lab: %s\n", error->message);
  return status;
}

/* The --help line of an option: its text, the accepted values (from the
 * table's limits) and the default. */
static char *
describe_option (const CliOption *option)
{
  g_autofree char *accepted = describe_accepted (option);
  GString *s = g_string_new (_(option->help));

  if (accepted != NULL && option->type != OPT_CHOICE)
    g_string_append_printf (s, ", %s", accepted);
  else if (accepted != NULL)
    g_string_append_printf (s, ": %s", accepted);
  if (option->fallback != NULL)
    g_string_append_printf (s, " [%s]", _(option->fallback));
  if (option->type == OPT_OUTPUT)
    g_string_append (s, _(" (- for standard output)"));
  return g_string_free (s, FALSE);
}

static const char *
identity_translate (const char *text,
                    gpointer    user_data)
{
  return text;
}

int
lab_cli_run (int    argc,
             char **argv)
{
  CliOptions o = { 0 };
  CliRun run = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree GOptionEntry *entries = g_new0 (GOptionEntry, G_N_ELEMENTS (cli_options) + 2);
  g_auto(GStrv) args = NULL;
  int status;

  entries[0] = (GOptionEntry) { "headless", 0, 0, G_OPTION_ARG_NONE, &o.headless,
                                _("Train without a window (this mode)"), NULL };
  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    {
      const CliOption *option = &cli_options[i];
      char *description = describe_option (option);
      gboolean is_file = option->type == OPT_INPUT || option->type == OPT_OUTPUT
                         || option->type == OPT_SETTINGS;

      g_ptr_array_add (texts, description);
      if (option->type == OPT_FLAG)
        entries[i + 1] = (GOptionEntry) {
          option->name, 0, 0, G_OPTION_ARG_NONE, flag_slot (&o, option), description, NULL,
        };
      else
        entries[i + 1] = (GOptionEntry) {
          option->name, 0, 0, is_file ? G_OPTION_ARG_FILENAME : G_OPTION_ARG_STRING,
          option_slot (&o, option), description, _(option->arg),
        };
    }

  /* GOptionContext rearranges what it is given; keep argv as it was. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Train the tutorial's RNN on a sine wave without a window."));
  g_option_context_set_description (context,
                                    _("Exit status: 0 done, 1 a file could not be read or written, "
                                      "2 a bad option, value or file, 3 the training diverged."));
  g_option_context_add_main_entries (context, entries, NULL);
  /* The descriptions above are translated already. */
  g_option_context_set_translate_func (context, identity_translate, NULL, NULL);
  g_option_context_set_strict_posix (context, FALSE);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      /* GLib's message quotes the option as typed. */
      g_autofree char *quoted = lab_text_sanitize_full (error->message, -1, PATH_QUOTE_MAX);

      g_printerr ("rnn-lab: %s\n", quoted);
      cli_options_clear (&o);
      return LAB_CLI_EXIT_USAGE;
    }
  if (args[0] != NULL && args[1] != NULL)
    {
      g_autofree char *quoted = quote (args[1]);

      g_printerr ("rnn-lab: %s “%s”; %s\n", _("unexpected argument"), quoted,
                  _("see rnn-lab --headless --help"));
      cli_options_clear (&o);
      return LAB_CLI_EXIT_USAGE;
    }

  if (o.settings != NULL)
    {
      CliOptions from_file = { 0 };
      gboolean ok = read_settings (o.settings, &from_file, &error);

      if (ok)
        merge_settings (&o, &from_file);
      cli_options_clear (&from_file);
      if (!ok)
        {
          status = fail (error);
          cli_options_clear (&o);
          return status;
        }
    }

  if (!check_options (&o, &run, &error)
      || !check_outputs (&o, &error)
      || !load_init_weights (&o, &run, &error))
    {
      status = fail (error);
      g_free (run.values);
      g_free (run.series_label);
      cli_options_clear (&o);
      return status;
    }

  status = train_and_write (&o, &run);
  lab_model_free (run.init_model);
  g_free (run.values);
  g_free (run.series_label);
  cli_options_clear (&o);
  return status;
}
