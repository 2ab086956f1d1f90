/* lab-cli.h: the headless run (rnn-lab --headless): trains without a window
 * and needs no display. With no other option it reproduces the tutorial and
 * prints what the tutorial's script prints. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The hidden sizes the command line and the window accept (the engine
 * accepts more). */
#define LAB_HIDDEN_SIZE_MIN 1
#define LAB_HIDDEN_SIZE_MAX 256

/* Exit statuses. */
#define LAB_CLI_EXIT_OK    0
#define LAB_CLI_EXIT_IO       1 /* a file could not be read or written */
#define LAB_CLI_EXIT_USAGE    2 /* a bad option or value, a file refused (malformed, too large) */
#define LAB_CLI_EXIT_DIVERGED 3 /* the loss or the weights became NaN or infinite */

/* Runs the headless command line; returns the process exit status. */
int lab_cli_run (int argc, char **argv);

G_END_DECLS
