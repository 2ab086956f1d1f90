/* lab-file-io.h: reading files with a size bound, and writing outputs
 * without replacing what should not be replaced.
 *
 * Reading: only a regular file is read (a FIFO or a device is refused at
 * once, never waited on), and only up to a bound the caller states: no
 * file is slurped whole before its size is known.
 *
 * Writing (every output of the app goes through lab_file_write):
 *   "-"                     standard output;
 *   no file, a regular file written to a temporary file in the same folder
 *                           and renamed over it: a failure leaves no
 *                           half-written file and never damages a good one;
 *   a symbolic link         followed: the file it points to is replaced as
 *                           above and the link stays a link; a link to
 *                           nothing is refused (where to create the file
 *                           would be a guess);
 *   a character device      written directly (/dev/null, /dev/stdout, a
 *                           terminal): renaming over it would replace the
 *                           device node;
 *   a FIFO                  written directly when a program reads it,
 *                           refused at once otherwise (never waited on);
 *   a folder, a block device, a socket   refused.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LAB_FILE_ERROR (lab_file_error_quark ())

typedef enum
{
  LAB_FILE_ERROR_TOO_LARGE,   /* larger than the reader's bound */
  LAB_FILE_ERROR_NOT_REGULAR, /* an input that is not a regular file */
  LAB_FILE_ERROR_OUTPUT,      /* an output that cannot be one (see above) */
} LabFileError;

GQuark lab_file_error_quark (void);

/* The contents of the regular file at path, at most max bytes; what names
 * the kind of file in the message when it is larger ("a model file").
 * Messages do not repeat the path: the caller names the file. */
GBytes  *lab_file_read         (const char  *path,
                                gsize        max,
                                const char  *what,
                                GError     **error);

/* Writes data to path as described above. */
gboolean lab_file_write        (const char  *path,
                                const void  *data,
                                gsize        len,
                                GError     **error);
gboolean lab_file_write_bytes  (const char  *path,
                                GBytes      *bytes,
                                GError     **error);

/* Whether lab_file_write (path) can succeed, checked before the work that
 * makes the data: the folder exists and a file can be created in it (tried
 * for real, so it holds for root and read-only disks too), or path is a
 * device or FIFO that may be written. */
gboolean lab_file_check_output (const char  *path,
                                GError     **error);

/* Whether path means standard output ("-"). */
gboolean lab_file_is_stdout    (const char  *path);

G_END_DECLS
