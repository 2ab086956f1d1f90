/* lab-cli.h: the headless run (rnn-lab --headless): trains without a window
 * and needs no display. With no other option it reproduces the tutorial and
 * prints what the tutorial's script prints. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses. */
#define LAB_CLI_EXIT_OK    0
#define LAB_CLI_EXIT_IO    1 /* a file could not be read or written; training diverged */
#define LAB_CLI_EXIT_USAGE 2 /* bad option or malformed model file */

/* Runs the headless command line; returns the process exit status. */
int lab_cli_run (int argc, char **argv);

G_END_DECLS
