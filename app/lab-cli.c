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
#include "core/lab-run-settings.h"
#include "core/lab-text.h"
#include "plots/lab-export.h"

#define CLI_ERROR (cli_error_quark ())
static G_DEFINE_QUARK (lab-cli-error-quark, cli_error)

typedef enum
{
  CLI_ERROR_USAGE, /* exit status 2 */
  CLI_ERROR_IO,    /* exit status 1 */
} CliError;

/* A period shorter than two points cannot be seen in a series sampled
 * once a point (it aliases to a longer one); a very long one is a line. */
#define PERIOD_MIN        2.0
#define PERIOD_MAX        1e9
#define EXPORT_WIDTH      1200
#define EXPORT_HEIGHT     700
#define EXPORT_WIDTH_MIN  1000
#define EXPORT_HEIGHT_MIN 600
#define EXPORT_SIDE_MAX   8000
/* --compare: two or three models. */
#define COMPARE_MIN 2
#define COMPARE_MAX 3
/* A gradient norm above this is no limit a lesson means. */
#define CLIP_GRAD_NORM_MAX 1e6
/* --grad-csv keeps a row per epoch and time step until it is written. */
#define GRAD_CSV_ROWS_MAX 10000000

/* The options as typed; NULL when not given. A flag is "true" when given
 * (a settings file may say "false"). */
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
  char     *cell;
  char     *clip_grad_norm;
  /* the series and what is judged on it (lab-cli-data.h) */
  char     *series;
  char     *series_seed;
  char     *noise;
  char     *period2;
  char     *decay;
  char     *burst;
  char     *csv;
  char     *column;
  char     *missing;
  char     *normalize;
  char     *batch_size;
  char     *shuffle;
  char     *forecast_steps;
  char     *baselines;
  /* files */
  char     *init_weights;
  char     *save_weights;
  char     *loss_csv;
  char     *grad_csv;
  char     *compare;
  char     *predictions_csv;
  char     *forecast_csv;
  char     *export_png;
  char     *export_svg;
  char     *export_pdf;
  char     *export_width;
  char     *export_height;
  char     *settings;
  char     *source;        /* how messages name the settings file these came from, quoted
                            * ("--settings: lesson/settings.json", "lesson.json: step 2:
                            * settings"); NULL: the command line */
  GArray   *lr_changes;    /* LabLrChange: a settings file's "lr-changes", or NULL */
} CliOptions;

/* ---- The options --------------------------------------------------------- */

typedef enum
{
  OPT_INT,      /* an integer in [lo, hi] */
  OPT_REAL,     /* a finite number in [lo, hi] (ends open where said) */
  OPT_SEED,     /* an unsigned 64-bit integer */
  OPT_CHOICE,   /* one of choices */
  OPT_TEXT,     /* any text */
  OPT_FLAG,     /* no value on the command line; true or false in settings.json */
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
  gsize       field;       /* where the text goes: offsetof (CliOptions, ...) */
} CliOption;

#define FIELD(f) offsetof (CliOptions, f)

#define SERIES_CHOICES "sine, square, sawtooth, damped, sum, random-walk, pattern, co2, sunspots, nile"

/* Some ranges also depend on other values: --time-step's and --burst's
 * upper ends (hi -1: no fixed upper end) on the series, --log-every's on
 * the epochs; check_options narrows them, and --help says so. */
static const CliOption cli_options[] = {
  { "hidden-size", OPT_INT, N_("H"), N_("Hidden units"), "50",
    RNN_HIDDEN_MIN, RNN_HIDDEN_MAX, FALSE, FALSE, NULL, TRUE, FIELD (hidden_size) },
  { "lr", OPT_REAL, N_("RATE"), N_("Learning rate"), "0.01",
    0.0, RNN_LR_MAX, TRUE, FALSE, NULL, TRUE, FIELD (lr) },
  { "time-step", OPT_INT, N_("T"), N_("Window length (it must leave a train and a test window)"), "10",
    RNN_TIME_STEP_MIN, -1, FALSE, FALSE, NULL, TRUE, FIELD (time_step) },
  { "epochs", OPT_INT, N_("N"), N_("Epochs to train (0 evaluates the starting weights)"), "200",
    0, RNN_EPOCHS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (epochs) },
  { "points", OPT_INT, N_("N"), N_("Points of a generated series"), "100",
    RNN_POINTS_MIN, RNN_POINTS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (points) },
  { "period", OPT_REAL, N_("P"), N_("Period of a generated series, in points (--series pattern: a whole number)"),
    N_("the point count"), PERIOD_MIN, PERIOD_MAX, FALSE, FALSE, NULL, TRUE, FIELD (period) },
  { "train-ratio", OPT_REAL, N_("R"), N_("Share of the windows used for training"), "0.7",
    0.0, 1.0, TRUE, TRUE, NULL, TRUE, FIELD (train_ratio) },
  { "seed", OPT_SEED, N_("N"),
    N_("Seed of the initial weights, from the engine's generator (seed 0 at the tutorial's shape: "
       "the tutorial's weights), and of --shuffle"),
    "0", 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (seed) },
  { "log-every", OPT_INT, N_("N"), N_("Print the loss every N epochs (at most the epochs), 0 for never"), "10",
    0, RNN_EPOCHS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (log_every) },
  { "optimizer", OPT_CHOICE, N_("NAME"), N_("The optimizer"), "adam",
    0, 0, FALSE, FALSE, "adam, sgd", TRUE, FIELD (optimizer) },
  { "cell", OPT_CHOICE, N_("NAME"),
    N_("The recurrent cell, as PyTorch's nn.RNN, nn.LSTM or nn.GRU (other than rnn, the weights start "
       "from the engine's generator and --seed)"), "rnn",
    0, 0, FALSE, FALSE, "rnn, lstm, gru", TRUE, FIELD (cell) },
  { "clip-grad-norm", OPT_REAL, N_("X"),
    N_("Clip the gradient's total L2 norm to X before each step, as torch.nn.utils.clip_grad_norm_ "
       "(0: no clipping)"), "0",
    0.0, CLIP_GRAD_NORM_MAX, FALSE, FALSE, NULL, TRUE, FIELD (clip_grad_norm) },
  { "series", OPT_CHOICE, N_("NAME"),
    N_("The series to train on (co2, sunspots and nile are real ones, shipped with the app)"), "sine",
    0, 0, FALSE, FALSE, SERIES_CHOICES, TRUE, FIELD (series) },
  { "series-seed", OPT_SEED, N_("N"), N_("Seed of the random walk, the pattern and the noise"), "0",
    0, 0, FALSE, FALSE, NULL, TRUE, FIELD (series_seed) },
  { "noise", OPT_REAL, N_("SD"), N_("Add Gaussian noise of this standard deviation to a generated series"), "0",
    0.0, RNN_NOISE_MAX, FALSE, FALSE, NULL, TRUE, FIELD (noise) },
  { "period2", OPT_REAL, N_("P"), N_("Period of the second sine of --series sum"), N_("period / 4"),
    0.0, PERIOD_MAX, TRUE, FALSE, NULL, TRUE, FIELD (period2) },
  { "decay", OPT_REAL, N_("D"), N_("--series damped: the amplitude falls to e^-D over the series"), "3",
    0.0, RNN_DECAY_MAX, FALSE, FALSE, NULL, TRUE, FIELD (decay) },
  { "burst", OPT_INT, N_("K"),
    N_("--series pattern: K random points at the start of each period, the rest 0, so that only "
       "memory tells when the next burst comes (0: every point random; K less than the period)"),
    "0", 0, -1, FALSE, FALSE, NULL, TRUE, FIELD (burst) },
  { "csv", OPT_INPUT, N_("FILE"), N_("Train on a column of this CSV file"), NULL,
    0, 0, FALSE, FALSE, NULL, TRUE, FIELD (csv) },
  { "column", OPT_TEXT, N_("NAME|N"), N_("The CSV column, by header name or number from 1"),
    N_("the only numeric column"), 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (column) },
  { "missing", OPT_CHOICE, N_("HOW"),
    N_("What to do with gaps in the CSV column (interpolate: on a straight line, gaps at either end dropped)"),
    "refuse",
    0, 0, FALSE, FALSE, "refuse, interpolate", TRUE, FIELD (missing) },
  { "normalize", OPT_CHOICE, N_("HOW"),
    N_("Scaling, fitted on the training part only so that the test part is never seen (minmax: to [-1, 1])"),
    N_("none for generated series, minmax for real and imported ones"),
    0, 0, FALSE, FALSE, "none, minmax, zscore", TRUE, FIELD (normalize) },
  { "batch-size", OPT_INT, N_("N"),
    N_("Windows per optimizer step; the loss printed is the mean of the batch losses"),
    N_("all the training windows"), 1, RNN_POINTS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (batch_size) },
  { "shuffle", OPT_FLAG, NULL, N_("Shuffle the training windows every epoch (the engine's generator, from --seed)"),
    NULL, 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (shuffle) },
  { "forecast-steps", OPT_INT, N_("N"), N_("Points of the free-running forecast"),
    N_("the test part's length"), 1, RNN_POINTS_MAX, FALSE, FALSE, NULL, TRUE, FIELD (forecast_steps) },
  { "baselines", OPT_FLAG, NULL,
    N_("Also print the test MSE of persistence and of a linear AR model, and test MAEs in the series' units"),
    NULL, 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (baselines) },
  { "init-weights", OPT_INPUT, N_("FILE"), N_("Start from the weights in this model file"), NULL,
    0, 0, FALSE, FALSE, NULL, TRUE, FIELD (init_weights) },
  { "save-weights", OPT_OUTPUT, N_("FILE"), N_("Save the trained model to this file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (save_weights) },
  { "loss-csv", OPT_OUTPUT, N_("FILE"), N_("Write epoch,train_loss,test_loss to this file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (loss_csv) },
  { "grad-csv", OPT_OUTPUT, N_("FILE"),
    N_("Write epoch,t,grad_norm: the norm of the gradient of each epoch's loss with respect to h_t, "
       "t = 1..T, before clipping"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (grad_csv) },
  { "predictions-csv", OPT_OUTPUT, N_("FILE"), N_("Write index,actual,prediction,split to this file"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (predictions_csv) },
  { "forecast-csv", OPT_OUTPUT, N_("FILE"),
    N_("Write step,index,forecast of the free-running forecast from the test part's start"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (forecast_csv) },
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
  { "compare", OPT_TEXT, N_("CELL[:H],..."),
    N_("Train 2 or 3 models one after the other on the same data from the same --seed (each as a "
       "separate --cell CELL --hidden-size H run) and end with a table; H defaults to --hidden-size"),
    NULL, 0, 0, FALSE, FALSE, NULL, TRUE, FIELD (compare) },
  { "settings", OPT_SETTINGS, N_("FILE"),
    N_("Read the settings of a lesson (its settings.json); options given here win"), NULL,
    0, 0, FALSE, FALSE, NULL, FALSE, FIELD (settings) },
};

static char **
option_slot (CliOptions      *o,
             const CliOption *option)
{
  return (char **) ((guint8 *) o + option->field);
}

static const char *
option_text (const CliOptions *o,
             const CliOption  *option)
{
  return *option_slot ((CliOptions *) o, option);
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
    g_clear_pointer (option_slot (o, &cli_options[i]), g_free);
  g_clear_pointer (&o->lr_changes, g_array_unref);
  g_clear_pointer (&o->source, g_free);
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
  return lab_text_sanitize_full (path, -1, LAB_TEXT_PATH_QUOTE_MAX);
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

/* Whether v is in a real option's range. A subnormal ("1e-310") is refused
 * even where it is "greater than 0": no range of the app means it. */
static gboolean
real_in_range (const CliOption *option,
               double           v)
{
  return (option->lo_open ? v > option->lo : v >= option->lo)
         && (option->hi_open ? v < option->hi : v <= option->hi)
         && (v == 0.0 || isnormal (v));
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
        return g_strdup_printf (_("at least %d"), (int) option->lo);
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
 * "--settings: lesson/settings.json: hidden-size" in a settings file. */
static char *
setting_label (const CliOptions *o,
               const char       *name)
{
  if (o->source == NULL)
    return g_strconcat ("--", name, NULL);
  return g_strdup_printf ("%s: %s", o->source, name);
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

/* "--period2: only for --series sum" */
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
  if (!real_in_range (option, v))
    return out_of_range (o, name, text, accepted, error);
  *out = v;
  return TRUE;
}

/* --seed and --series-seed: any unsigned 64-bit integer, written in full. */
static gboolean
parse_unsigned (const CliOptions  *o,
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

/* One of a choice option's values: its index in the table's list. what
 * names what the value should be, for the message ("an optimizer"). */
static gboolean
parse_choice (const CliOptions  *o,
              const char        *name,
              const char        *what,
              int               *out,
              GError           **error)
{
  const CliOption *option = find_option (name);
  const char *text = option_text (o, option);
  g_auto(GStrv) choices = g_strsplit (option->choices, ", ", -1);

  for (int i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], text))
      {
        *out = i;
        return TRUE;
      }

  {
    g_autofree char *label = setting_label (o, name);
    g_autofree char *quoted = quote (text);

    /* TRANSLATORS: "--optimizer: “rmsprop” is not an optimizer; accepted: adam, sgd" */
    g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, _("%s: “%s” is not %s; accepted: %s"),
                 label, quoted, what, option->choices);
  }
  return FALSE;
}

/* A flag: "true" (given on the command line, or true in settings.json) or "false". */
static gboolean
parse_flag (const CliOptions  *o,
            const char        *name,
            gboolean          *out,
            GError           **error)
{
  const char *text = option_text (o, find_option (name));

  if (text == NULL)
    {
      *out = FALSE;
      return TRUE;
    }
  if (g_str_equal (text, "true") || g_str_equal (text, "false"))
    {
      *out = g_str_equal (text, "true");
      return TRUE;
    }
  {
    g_autofree char *label = setting_label (o, name);
    g_autofree char *quoted = quote (text);

    g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                 _("%s: “%s” is not true or false; accepted: true, false"), label, quoted);
  }
  return FALSE;
}

/* One model of --compare. */
typedef struct
{
  RnnCell cell;
  int     hidden_size;
  char    name[16];   /* "lstm", or "lstm:24" when the cell comes twice */
} CliModel;

/* The checked run. */
typedef struct
{
  RnnConfig config;
  CliModel  models[COMPARE_MAX];
  int       n_models;        /* 0: no --compare */
  int       epochs;
  int       log_every;
  guint64   seed;
  int       export_width;
  int       export_height;
  LabModel *init_model;
  float    *values;          /* a real or imported series (config.values points here) */
  char     *series_label;    /* its name for the figure, or NULL for a generated one */
  int       forecast_steps;  /* 0: the test part's length */
  gboolean  baselines;
  /* A settings file's own check reads no file it names (the CSV): the
   * series' length, and what depends on it, is checked once merged. */
  gboolean  no_files;
  gboolean  length_unknown;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->init_model, lab_model_free);
  g_clear_pointer (&run->values, g_free);
  g_clear_pointer (&run->series_label, g_free);
}

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

/* ---- The series ---------------------------------------------------------- */

/* --series and its parameters, --csv and its column, --normalize,
 * --batch-size, --shuffle, --forecast-steps, --baselines. Runs after
 * --points and --period, before the time step is checked against the
 * series' length; a real or imported series is loaded here, so its length
 * is known. */
static gboolean
check_series_options (const CliOptions  *o,
                      CliRun            *run,
                      GError           **error)
{
  RnnConfig *cfg = &run->config;
  LabCsvMissing missing = LAB_CSV_MISSING_REFUSE;
  gboolean data = FALSE;
  gint64 v;
  int i;

  if (o->series != NULL)
    {
      int kind;

      if (!parse_choice (o, "series", _("a series"), &i, error))
        return FALSE;
      kind = series_kind_from_name (o->series);
      /* SERIES_CHOICES names the engine's kinds and the shipped series. */
      g_assert (kind >= 0 || lab_real_series_lookup (o->series) != NULL);
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
      if (!parse_choice (o, "missing", _("a way to treat gaps"), &i, error))
        return FALSE;
      missing = i == 1 ? LAB_CSV_MISSING_INTERPOLATE : LAB_CSV_MISSING_REFUSE;
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
      cfg->series = RNN_SERIES_DATA;
      cfg->period = 0.0;
      cfg->normalize = RNN_NORMALIZE_MINMAX;
      if (o->csv != NULL && run->no_files)
        run->length_unknown = TRUE;
      else
        {
          if (!lab_cli_data_load (o->csv == NULL ? o->series : NULL, o->csv, o->column, missing,
                                  &run->values, &cfg->n_points, &run->series_label, error))
            return FALSE;
          if (cfg->n_points < RNN_POINTS_MIN)
            {
              g_autofree char *label = setting_label (o, o->csv != NULL ? "csv" : "series");

              g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                           _("%s: %d values are too few; accepted: at least %d"),
                           label, cfg->n_points, RNN_POINTS_MIN);
              return FALSE;
            }
          cfg->values = run->values;
        }
    }

  if (o->series_seed != NULL && !parse_unsigned (o, "series-seed", &cfg->series_seed, error))
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
      && !(cfg->period <= cfg->n_points && cfg->period == floor (cfg->period)))
    {
      g_autofree char *label = setting_label (o, "period");
      g_autofree char *quoted = o->period != NULL ? quote (o->period) : format_real (cfg->period);

      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("%s: %s is not a whole number of points; accepted: for --series pattern, %d to %d"),
                   label, quoted, (int) PERIOD_MIN, cfg->n_points);
      return FALSE;
    }
  if (o->burst != NULL)
    {
      if (cfg->series != RNN_SERIES_PATTERN)
        return only_for (o, "burst", "--series pattern", error);
      /* K random points, then at least one quiet one. */
      if (!parse_int (o, "burst", 0, (gint64) cfg->period - 1, &v, error))
        return FALSE;
      cfg->burst = (int) v;
    }

  if (o->normalize != NULL)
    {
      if (!parse_choice (o, "normalize", _("a scaling"), &i, error))
        return FALSE;
      cfg->normalize = (RnnNormalize) series_normalize_from_name (o->normalize);
    }

  if (o->batch_size != NULL)
    {
      if (!parse_int (o, "batch-size", 1, RNN_POINTS_MAX, &v, error))
        return FALSE;
      cfg->batch_size = (int) v;
    }
  if (!parse_flag (o, "shuffle", &cfg->shuffle, error))
    return FALSE;

  if (o->forecast_steps != NULL)
    {
      if (!parse_int (o, "forecast-steps", 1, RNN_POINTS_MAX, &v, error))
        return FALSE;
      run->forecast_steps = (int) v;
    }
  return parse_flag (o, "baselines", &run->baselines, error);
}

/* The options --compare trains around, and those it cannot honour. */
static const char *const compare_refused[] = {
  "cell", "init-weights", "save-weights", "predictions-csv", "forecast-csv",
  "export-png", "export-svg", "export-pdf", "baselines", "forecast-steps",
};

/* --compare CELL[:H],...: every bad item named in one message. Runs once
 * the hidden size (the items' default) is known. */
static gboolean
check_compare (const CliOptions  *o,
               CliRun            *run,
               GError           **error)
{
  g_autofree char *label = setting_label (o, "compare");
  g_auto(GStrv) items = g_strsplit (o->compare, ",", -1);
  g_autoptr(GString) bad = g_string_new (NULL);
  guint n = g_strv_length (items);
  int n_bad = 0;

  for (guint i = 0; i < G_N_ELEMENTS (compare_refused); i++)
    if (option_text (o, find_option (compare_refused[i])) != NULL)
      {
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     _("%s: not with --%s (it trains several models); accepted: the training "
                       "settings, --loss-csv and --grad-csv"),
                     label, compare_refused[i]);
        return FALSE;
      }

  run->n_models = 0;
  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], ":", 2);
      CliModel model = { .hidden_size = run->config.hidden_size };
      gboolean ok = rnn_cell_from_name (parts[0], &model.cell) == 0;

      if (ok && parts[1] != NULL)
        {
          gint64 h = 0;

          ok = g_ascii_string_to_signed (parts[1], 10, RNN_HIDDEN_MIN, RNN_HIDDEN_MAX, &h, NULL)
               && g_ascii_isdigit (parts[1][0]);
          model.hidden_size = (int) h;
        }
      for (int k = 0; ok && k < run->n_models; k++)
        ok = run->models[k].cell != model.cell || run->models[k].hidden_size != model.hidden_size;
      if (!ok || run->n_models == COMPARE_MAX)
        {
          g_autofree char *quoted = quote (items[i]);

          g_string_append_printf (bad, "%s“%s”", n_bad > 0 ? ", " : "", quoted);
          n_bad++;
          continue;
        }
      run->models[run->n_models++] = model;
    }
  if (n_bad > 0 || run->n_models < COMPARE_MIN)
    {
      g_autofree char *accepted = int_range (RNN_HIDDEN_MIN, RNN_HIDDEN_MAX);

      if (n_bad > 0)
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     _("%s: %s: not a model of the list; accepted: 2 or 3 different models, each "
                       "rnn, lstm or gru, optionally :H with H %s (rnn:50,lstm:24)"),
                     label, bad->str, accepted);
      else
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     _("%s: one model; accepted: 2 or 3 different models, each rnn, lstm or gru, "
                       "optionally :H with H %s (rnn:50,lstm:24)"),
                     label, accepted);
      return FALSE;
    }

  for (int k = 0; k < run->n_models; k++)
    {
      CliModel *m = &run->models[k];
      gboolean twice = FALSE;
      RnnConfig cfg = run->config;

      for (int j = 0; j < run->n_models; j++)
        twice |= j != k && run->models[j].cell == m->cell;
      if (twice)
        g_snprintf (m->name, sizeof m->name, "%s:%d", rnn_cell_name (m->cell), m->hidden_size);
      else
        g_strlcpy (m->name, rnn_cell_name (m->cell), sizeof m->name);
      cfg.cell = m->cell;
      cfg.hidden_size = m->hidden_size;
      if (!run->length_unknown && !check_memory (o, &cfg, error))
        return FALSE;
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

  /* The time step and the ratio together must leave a train and a test
   * window (checked once the series' length is known). */
  t_max = run->length_unknown ? RNN_POINTS_MAX : series_time_step_max (cfg->n_points, cfg->train_ratio);
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

  if (o->grad_csv != NULL && (gint64) run->epochs * cfg->time_step > GRAD_CSV_ROWS_MAX)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--grad-csv: %d epochs of %d time steps make more than %d rows; "
                     "accepted: fewer epochs or a shorter --time-step"),
                   run->epochs, cfg->time_step, GRAD_CSV_ROWS_MAX);
      return FALSE;
    }

  if (o->seed != NULL && !parse_unsigned (o, "seed", &run->seed, error))
    return FALSE;
  /* --shuffle draws the batches' order from the engine's RNG with --seed */
  cfg->shuffle_seed = run->seed;

  if (o->optimizer != NULL)
    {
      int i;

      if (!parse_choice (o, "optimizer", _("an optimizer"), &i, error))
        return FALSE;
      cfg->optimizer = i == 1 ? RNN_OPTIMIZER_SGD : RNN_OPTIMIZER_ADAM;
    }
  if (o->cell != NULL)
    {
      int i;

      if (!parse_choice (o, "cell", _("a cell"), &i, error))
        return FALSE;
      /* the choices in RnnCell order: rnn, lstm, gru */
      cfg->cell = (RnnCell) i;
    }
  if (o->clip_grad_norm != NULL && !parse_real (o, "clip-grad-norm", &cfg->clip_grad_norm, error))
    return FALSE;

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

  if (o->compare != NULL)
    return check_compare (o, run, error);
  return run->length_unknown || check_memory (o, cfg, error);
}

/* ---- A lesson's settings.json -------------------------------------------- */

#define SETTINGS_FORMAT "rnn-lab-settings"
#define SETTINGS_INIT_WEIGHTS_DEFAULT "initial-model.json"
#define SETTINGS_CSV_EXAMPLE "series.csv"

/* settings.json: small, strict (core/lab-json-guard.h); nested only in
 * "lr-changes", a list of objects. */
static const LabJsonLimits settings_json_limits = {
  .max_depth = RNN_SETTINGS_FILE_DEPTH_MAX,
  .max_values = RNN_SETTINGS_FILE_VALUES_MAX,
  .flags = LAB_JSON_FLAGS_NONE,
};

/* The keys that are not options. */
static const char *const settings_extra_keys[] = { "format", "version", "lr-changes", "init", NULL };

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
  g_string_append (s, ", lr-changes, init");
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
 * option would be), a string as it is, a flag's true or false. */
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
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

/* "lr-changes": [{"epoch": 37, "lr": 0.003}, ...]: from epoch k (the k-th
 * update, 1-based, k >= 2) on, training uses that rate; epochs strictly
 * increase; each rate as --lr accepts it. json-glib reads each rate with
 * g_ascii_strtod, so the shortest text lab_format_double writes gives back
 * the same double, and a lesson replays bit for bit. */
static gboolean
read_lr_changes (const char  *source,
                 JsonNode    *node,
                 CliOptions  *s,
                 GError     **error)
{
  const CliOption *lr_option = find_option ("lr");
  g_autofree char *range = real_range (lr_option);
  JsonArray *array;
  int last = 1;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return settings_error (error, source, "lr-changes",
                           _("not a list; accepted: [{\"epoch\": 2 or more, \"lr\": a rate}, ...]"));
  array = json_node_get_array (node);
  s->lr_changes = g_array_new (FALSE, FALSE, sizeof (LabLrChange));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *change = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *epoch = change != NULL ? json_object_get_member (change, "epoch") : NULL;
      JsonNode *lr = change != NULL ? json_object_get_member (change, "lr") : NULL;
      g_autofree char *where = g_strdup_printf ("lr-changes[%u]", i);
      g_autofree char *problem = NULL;
      LabLrChange c;

      if (change == NULL || json_object_get_size (change) != 2
          || epoch == NULL || !JSON_NODE_HOLDS_VALUE (epoch)
          || json_node_get_value_type (epoch) != G_TYPE_INT64
          || lr == NULL || !JSON_NODE_HOLDS_VALUE (lr)
          || (json_node_get_value_type (lr) != G_TYPE_DOUBLE
              && json_node_get_value_type (lr) != G_TYPE_INT64))
        return settings_error (error, source, where,
                               _("accepted: {\"epoch\": an integer, \"lr\": a number}"));
      if (json_node_get_int (epoch) <= last || json_node_get_int (epoch) > RNN_EPOCHS_MAX)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (epoch));
          g_autofree char *accepted = int_range (last + 1, RNN_EPOCHS_MAX);

          /* TRANSLATORS: an epoch of a learning-rate change, "epoch 3; accepted: 5 to 1000000" */
          problem = g_strdup_printf (_("epoch %s; accepted: %s"), text, accepted);
          return settings_error (error, source, where, problem);
        }
      c.epoch = (int) json_node_get_int (epoch);
      c.lr = json_node_get_double (lr);
      if (!(isfinite (c.lr) && real_in_range (lr_option, c.lr)))
        {
          problem = g_strdup_printf (_("lr out of range; accepted: %s"), range);
          return settings_error (error, source, where, problem);
        }
      g_array_append_val (s->lr_changes, c);
      last = c.epoch;
    }
  return TRUE;
}

/* The rate of epoch `epoch` (1-based): the last change at or before it, or
 * the run's --lr. */
static double
cli_lr_at (const CliOptions *o,
           const CliRun     *run,
           int               epoch)
{
  double lr = run->config.lr;

  for (guint i = 0; o->lr_changes != NULL && i < o->lr_changes->len; i++)
    if (g_array_index (o->lr_changes, LabLrChange, i).epoch <= epoch)
      lr = g_array_index (o->lr_changes, LabLrChange, i).lr;
  return lr;
}

/* A file a lesson names (init-weights, csv) is inside the lesson's folder:
 * a lesson someone downloaded must not read /etc/shadow or ../../secret.json. */
static gboolean
check_lesson_path (const char  *where,
                   const char  *key,
                   const char  *value,
                   const char  *example,
                   GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *quoted = quote (value);

  if (value[0] == '\0')
    problem = g_strdup_printf (_("an empty file name; accepted: a file in the lesson's folder, such as %s"),
                               example);
  else if (g_path_is_absolute (value))
    problem = g_strdup_printf (_("“%s” is an absolute path; accepted: a file in the lesson's folder, such as %s"),
                               quoted, example);
  else
    {
      parts = g_strsplit (value, G_DIR_SEPARATOR_S, -1);
      for (guint i = 0; problem == NULL && parts[i] != NULL; i++)
        if (g_str_equal (parts[i], ".."))
          problem = g_strdup_printf (_("“%s” leaves the lesson's folder (..); accepted: a file in the "
                                       "lesson's folder, such as %s"),
                                     quoted, example);
    }
  if (problem == NULL)
    return TRUE;
  return settings_error (error, where, key, problem);
}

static gboolean settings_from_text (const char  *where,
                                    const char  *folder,
                                    const char  *text,
                                    gsize        len,
                                    CliOptions  *s,
                                    GError     **error);

/* Reads a settings file (rnn-lab's "Export lesson" writes one) into s, as
 * if its values had been typed as options; init-weights and csv are files
 * in the settings file's folder. Every value is checked as its option would
 * be. */
static gboolean
read_settings (const char  *path,
               CliOptions  *s,
               GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *quoted_path = quote_path (path);
  g_autofree char *where = NULL;
  g_autofree char *folder = NULL;
  const char *text;
  gsize len;

  bytes = lab_file_read (path, RNN_SETTINGS_FILE_MAX, _("a settings file"), error);
  if (bytes == NULL)
    {
      /* As --init-weights: a file that cannot be read is status 1, one too large 2. */
      g_prefix_error (error, "--settings: %s: ", quoted_path);
      return FALSE;
    }
  text = g_bytes_get_data (bytes, &len);
  where = g_strdup_printf ("--settings: %s", quoted_path);
  folder = g_path_get_dirname (path);
  return settings_from_text (where, folder, text, len, s, error);
}

gboolean
lab_cli_check_settings_text (const char  *text,
                             gsize        len,
                             GError     **error)
{
  CliOptions s = { 0 };
  gboolean ok = settings_from_text ("--settings: settings.json", ".", text, len, &s, error);

  cli_options_clear (&s);
  return ok;
}

gboolean
lab_cli_check_settings_at (const char  *where,
                           const char  *folder,
                           const char  *text,
                           gsize        len,
                           GError     **error)
{
  CliOptions s = { 0 };
  g_autofree char *quoted = NULL;
  gboolean ok;

  g_return_val_if_fail (where != NULL && folder != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  quoted = quote_path (where);
  ok = settings_from_text (quoted, folder, text, len, &s, error);
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

/* The text of a settings file into s: where names it in messages (already
 * quoted: "--settings: lesson/settings.json"), folder holds the files it
 * names (init-weights, csv). */
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
  g_autofree char *csv = NULL;
  const char *dir = folder;
  JsonObject *object;
  CliRun check = { .no_files = TRUE };
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
  g_free (s->source);
  s->source = g_strdup (where);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      gboolean is_flag;
      g_autofree char *value = NULL;
      g_autofree char *problem = NULL;
      char **field;

      if (!is_settings_key (key))
        {
          g_autofree char *accepted = settings_keys_text ();

          problem = g_strdup_printf (_("unknown key; accepted: %s"), accepted);
          return settings_error (error, where, key, problem);
        }
      if (g_str_equal (key, "lr-changes"))
        {
          if (!read_lr_changes (where, node, s, error))
            return FALSE;
          continue;
        }
      /* A flag is true or false; every other value a number or a string. */
      is_flag = !g_strv_contains (settings_extra_keys, key) && find_option (key)->type == OPT_FLAG;
      if (is_flag != (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN))
        return settings_error (error, where, key,
                               is_flag ? _("not true or false") : _("not a number or a string"));
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
      else if (g_str_equal (key, "csv"))
        field = &csv;
      else
        field = option_slot (s, find_option (key));
      g_free (*field);
      *field = g_steal_pointer (&value);
    }

  /* A series in a CSV file is bundled with the lesson, next to settings.json. */
  if (csv != NULL)
    {
      if (!check_lesson_path (where, "csv", csv, SETTINGS_CSV_EXAMPLE, error))
        return FALSE;
      s->csv = g_build_filename (dir, csv, NULL);
    }

  /* Where the initial weights come from: the tutorial's (the default for
   * its shape and seed 0), the engine's generator from the seed, or a
   * model file. */
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
      if (!check_lesson_path (where, "init-weights", init_weights, SETTINGS_INIT_WEIGHTS_DEFAULT, error))
        return FALSE;
      s->init_weights = g_build_filename (dir, init_weights, NULL);
    }
  else
    {
      g_autofree char *quoted = quote (init);
      g_autofree char *problem = g_strdup_printf (_("“%s”; accepted: tutorial, seed, file"), quoted);

      return settings_error (error, where, "init", problem);
    }

  /* Each value as its option would be checked, named by its key. */
  ok = check_options (s, &check, error);
  cli_run_clear (&check);
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
  /* A rate typed on the command line is the rate of the whole run. */
  if (o->lr == NULL && o->lr_changes == NULL)
    o->lr_changes = g_steal_pointer (&s->lr_changes);
  /* A series named on the command line replaces the file's, with the
   * CSV's column and gaps. */
  if (o->series != NULL || o->csv != NULL)
    {
      g_clear_pointer (&s->series, g_free);
      g_clear_pointer (&s->csv, g_free);
      g_clear_pointer (&s->column, g_free);
      g_clear_pointer (&s->missing, g_free);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    {
      char **mine = option_slot (o, &cli_options[i]);
      char **theirs = option_slot (s, &cli_options[i]);

      if (cli_options[i].in_settings && *mine == NULL)
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

/* Reads --init-weights; the hidden size and the cell come from the file
 * unless --hidden-size or --cell was given, and must then match it. */
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
  if (model->hidden_size < RNN_HIDDEN_MIN || model->hidden_size > RNN_HIDDEN_MAX)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--init-weights: %s: hidden size %d is out of range; accepted: %d to %d"),
                   quoted, model->hidden_size, RNN_HIDDEN_MIN, RNN_HIDDEN_MAX);
      return FALSE;
    }
  if (o->cell != NULL && model->cell != run->config.cell)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _("--init-weights: %s: the file's cell is %s, --cell is %s"),
                   quoted, rnn_cell_name (model->cell), rnn_cell_name (run->config.cell));
      return FALSE;
    }
  run->config.cell = model->cell;
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
               const float      *test_loss,
               const float      *grad_norms)
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

  if (o->grad_csv != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = lab_export_grad_csv (o->grad_csv, 1, NULL, run->epochs, data->T,
                                         (const float *const[]) { grad_norms }, &error);

      all_ok &= report_output ("--grad-csv", o->grad_csv, ok, error);
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

/* One trained model: its per-epoch records and final figures. */
typedef struct
{
  RnnSession *session;
  float      *train_loss;   /* (epochs) */
  float      *test_loss;    /* (epochs), NaN unless --loss-csv */
  float      *grad_norms;   /* (epochs, T) with --grad-csv, else NULL */
  float      *predictions;  /* (N) */
  float       train_mse, test_mse;
  double      ms_per_epoch;
} Trained;

static void
trained_clear (Trained *t)
{
  g_clear_pointer (&t->session, rnn_session_free);
  g_clear_pointer (&t->train_loss, g_free);
  g_clear_pointer (&t->test_loss, g_free);
  g_clear_pointer (&t->grad_norms, g_free);
  g_clear_pointer (&t->predictions, g_free);
}

/* Trains the model of cfg as the run says, printing the epoch lines and
 * the final Train/Test MSE to log. An exit status; on success out holds
 * the model (clear it with trained_clear either way). */
static int
train_one (const CliOptions *o,
           const CliRun     *run,
           const RnnConfig  *cfg,
           FILE             *log,
           Trained          *out)
{
  g_autofree char *message = NULL;
  LabModel *tutorial = NULL;
  const LabModel *init_model = run->init_model;
  RnnModel *m;
  RnnStatus status = RNN_OK;
  gint64 start;
  int T;

  out->session = rnn_session_new (cfg, &status);
  if (out->session == NULL)
    {
      if (status == RNN_ERR_SHAPE || status == RNN_ERR_BUDGET)
        {
          g_printerr ("rnn-lab: %s\n", _("these settings leave no train or no test window"));
          return LAB_CLI_EXIT_USAGE;
        }
      g_printerr ("rnn-lab: %s\n", _("not enough memory for this model and series"));
      return LAB_CLI_EXIT_IO;
    }

  /* The same rule as the window's: lab_run_settings_wants_tutorial. */
  if (init_model == NULL && lab_run_settings_wants_tutorial (cfg, run->seed))
    {
      g_autoptr(GError) error = NULL;

      init_model = tutorial = lab_model_load_tutorial (&error);
      if (tutorial == NULL)
        {
          /* Only a broken build gets here. */
          g_printerr ("rnn-lab: %s: %s\n", _("the tutorial's weights"), error->message);
          return LAB_CLI_EXIT_IO;
        }
    }

  if (init_model != NULL)
    status = rnn_session_set_params (out->session, init_model->params, init_model->n_params);
  else
    rnn_session_init_seed (out->session, run->seed);
  g_clear_pointer (&tutorial, lab_model_free);
  if (status != RNN_OK)
    {
      g_printerr ("rnn-lab: --init-weights: %s\n", _("the weights do not fit this model"));
      return LAB_CLI_EXIT_USAGE;
    }

  T = rnn_session_dataset (out->session)->T;
  out->train_loss = g_new (float, MAX (run->epochs, 1));
  out->test_loss = g_new (float, MAX (run->epochs, 1));
  out->predictions = g_new (float, rnn_session_dataset (out->session)->N);
  /* (epochs, T): dL/dh_t of every epoch, for --grad-csv */
  if (o->grad_csv != NULL)
    out->grad_norms = g_new (float, (gsize) MAX (run->epochs, 1) * T);

  start = g_get_monotonic_time ();
  for (int epoch = 1; epoch <= run->epochs; epoch++)
    {
      float loss = 0.0f;

      /* The test loss of the weights this epoch's forward pass uses, as the
       * trainer records it (rnn_session_test_loss), so a lesson's replay
       * matches the window's table bit for bit. */
      if (o->loss_csv != NULL)
        out->test_loss[epoch - 1] = rnn_session_test_loss (out->session);
      else
        out->test_loss[epoch - 1] = NAN;
      rnn_session_set_lr (out->session, cli_lr_at (o, run, epoch));

      status = rnn_session_train_epoch (out->session, &loss, NULL);
      out->train_loss[epoch - 1] = loss;
      if (out->grad_norms != NULL)
        memcpy (out->grad_norms + (gsize) (epoch - 1) * T, rnn_session_grad_norms (out->session),
                sizeof (float) * T);
      if (status == RNN_ERR_NONFINITE)
        {
          message = g_strdup_printf (_("training diverged: the loss became NaN or infinite at "
                                       "epoch %d; try a smaller --lr"), epoch);
          return diverged (log, message);
        }
      if (status != RNN_OK)
        {
          fflush (log);
          g_printerr (_("rnn-lab: training failed at epoch %d\n"), epoch);
          return LAB_CLI_EXIT_IO;
        }

      if (run->log_every > 0 && epoch % run->log_every == 0)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          fprintf (log, "Epoch [%d/%d], Loss: %s\n", epoch, run->epochs,
                   format_loss (buf, sizeof buf, loss));
        }
    }
  out->ms_per_epoch = run->epochs > 0 ? (g_get_monotonic_time () - start) / 1000.0 / run->epochs : 0.0;

  /* The last update is applied after the last loss was seen: the weights
   * it left, and their loss, must be finite too (with --epochs 0, the
   * starting weights'). */
  m = rnn_session_model (out->session);
  rnn_session_evaluate (out->session, out->predictions, &out->train_mse, &out->test_mse);
  if (!all_finite (m->params, m->n_params) || !isfinite (out->train_mse) || !isfinite (out->test_mse))
    {
      if (run->epochs == 0)
        message = g_strdup (_("the loss of the starting weights is NaN or infinite; "
                              "accepted: weights whose predictions stay finite"));
      else
        message = g_strdup_printf (_("training diverged: after the last update (epoch %d) the "
                                     "weights or their loss are NaN or infinite; try a smaller --lr"),
                                   run->epochs);
      return diverged (log, message);
    }
  /* Losses on the model's scale; the files and figures in the series' units. */
  print_value_line (log, "Train MSE: ", "%.3e", out->train_mse);
  print_value_line (log, "Test MSE: ", "%.3e", out->test_mse);
  return LAB_CLI_EXIT_OK;
}

static int
train_and_write (const CliOptions *o,
                 CliRun           *run)
{
  /* With an output on standard output, the progress lines go to stderr. */
  FILE *log = any_output_to_stdout (o) ? stderr : stdout;
  Trained t = { 0 };
  int exit_status = train_one (o, run, &run->config, log, &t);
  const RnnDataset *data;

  if (exit_status != LAB_CLI_EXIT_OK)
    {
      trained_clear (&t);
      return exit_status;
    }
  data = rnn_session_dataset (t.session);
  if (run->baselines)
    lab_cli_data_print_baselines (log, t.session, t.predictions);
  fflush (log);
  series_scale_inverse (t.predictions, &data->scale, t.predictions, data->N);

  if (!write_outputs (o, run, t.session, t.predictions, t.train_loss, t.test_loss, t.grad_norms))
    exit_status = LAB_CLI_EXIT_IO;
  trained_clear (&t);
  return exit_status;
}

/* --compare: each model as its own run would train it, one after the
 * other under a heading, then a table and the files with a column (or a
 * block) per model. */
static int
train_and_compare (const CliOptions *o,
                   CliRun           *run)
{
  FILE *log = any_output_to_stdout (o) ? stderr : stdout;
  Trained t[COMPARE_MAX] = { 0 };
  const char *names[COMPARE_MAX];
  const float *train[COMPARE_MAX], *test[COMPARE_MAX], *norms[COMPARE_MAX];
  int exit_status = LAB_CLI_EXIT_OK;
  gboolean all_ok = TRUE;

  for (int k = 0; k < run->n_models && exit_status == LAB_CLI_EXIT_OK; k++)
    {
      RnnConfig cfg = run->config;

      cfg.cell = run->models[k].cell;
      cfg.hidden_size = run->models[k].hidden_size;
      /* TRANSLATORS: the heading of one model's lines under --compare, "== lstm, hidden size 24 ==" */
      fprintf (log, _("== %s, hidden size %d ==\n"), run->models[k].name, cfg.hidden_size);
      exit_status = train_one (o, run, &cfg, log, &t[k]);
      names[k] = run->models[k].name;
      train[k] = t[k].train_loss;
      test[k] = t[k].test_loss;
      norms[k] = t[k].grad_norms;
    }

  if (exit_status == LAB_CLI_EXIT_OK)
    {
      fprintf (log, "\n%-8s %6s %10s %10s %10s %9s\n", _("Model"), _("Hidden"), _("Parameters"),
               _("Train MSE"), _("Test MSE"), _("ms/epoch"));
      for (int k = 0; k < run->n_models; k++)
        {
          char train_mse[G_ASCII_DTOSTR_BUF_SIZE], test_mse[G_ASCII_DTOSTR_BUF_SIZE];
          char ms[G_ASCII_DTOSTR_BUF_SIZE];

          fprintf (log, "%-8s %6d %10zu %10s %10s %9s\n", names[k], run->models[k].hidden_size,
                   rnn_session_model (t[k].session)->n_params,
                   g_ascii_formatd (train_mse, sizeof train_mse, "%.3e", t[k].train_mse),
                   g_ascii_formatd (test_mse, sizeof test_mse, "%.3e", t[k].test_mse),
                   g_ascii_formatd (ms, sizeof ms, "%.3f", t[k].ms_per_epoch));
        }
      fflush (log);

      if (o->loss_csv != NULL)
        {
          g_autoptr(GError) error = NULL;
          gboolean ok = lab_export_compare_loss_csv (o->loss_csv, run->n_models, names, run->epochs,
                                                     train, test, &error);

          all_ok &= report_output ("--loss-csv", o->loss_csv, ok, error);
        }
      if (o->grad_csv != NULL)
        {
          g_autoptr(GError) error = NULL;
          gboolean ok = lab_export_grad_csv (o->grad_csv, run->n_models, names, run->epochs,
                                             run->config.time_step, norms, &error);

          all_ok &= report_output ("--grad-csv", o->grad_csv, ok, error);
        }
      if (!all_ok)
        exit_status = LAB_CLI_EXIT_IO;
    }

  for (int k = 0; k < run->n_models; k++)
    trained_clear (&t[k]);
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
    /* TRANSLATORS: between what an option is and its accepted values in --help */
    g_string_append_printf (s, _(", %s"), accepted);
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
  /* Where GLib sets the flags; each becomes "true" in its slot. */
  gboolean flags[G_N_ELEMENTS (cli_options)] = { 0 };
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
          option->name, 0, 0, G_OPTION_ARG_NONE, &flags[i], description, NULL,
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
      g_autofree char *quoted = lab_text_sanitize_full (error->message, -1, LAB_TEXT_PATH_QUOTE_MAX);

      g_printerr ("rnn-lab: %s\n", quoted);
      cli_options_clear (&o);
      return LAB_CLI_EXIT_USAGE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cli_options); i++)
    if (flags[i])
      *option_slot (&o, &cli_options[i]) = g_strdup ("true");
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
      cli_run_clear (&run);
      cli_options_clear (&o);
      return status;
    }

  status = run.n_models > 0 ? train_and_compare (&o, &run) : train_and_write (&o, &run);
  cli_run_clear (&run);
  cli_options_clear (&o);
  return status;
}
