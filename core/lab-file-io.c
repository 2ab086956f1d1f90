/* lab-file-io.c: bounded reads, careful writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef GETTEXT_PACKAGE
# include <glib/gi18n-lib.h>
#else
# include <glib/gi18n.h>
#endif
#include <glib/gstdio.h>

#include "core/lab-file-io.h"
#include "core/lab-text.h"

G_DEFINE_QUARK (lab-file-error-quark, lab_file_error)

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

gboolean
lab_file_is_stdout (const char *path)
{
  return path != NULL && strcmp (path, "-") == 0;
}

/* ---- Reading ------------------------------------------------------------ */

GBytes *
lab_file_read (const char  *path,
               gsize        max,
               const char  *what,
               GError     **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize size = 0, capacity;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno, _("could not open the file"));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno, _("could not open the file"));
      close (fd);
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("is a folder; accepted: a regular file"));
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_NOT_REGULAR,
                   _("not a regular file (a FIFO, a device or a socket); accepted: a regular file"));
      close (fd);
      return NULL;
    }
  if ((guint64) st.st_size > max)
    goto too_large;

  /* Read at most max + 1 bytes: the file may grow while it is read. */
  capacity = (gsize) st.st_size + 1;
  buffer = g_malloc (capacity + 1);
  for (;;)
    {
      gssize n;

      if (size == capacity)
        {
          if (capacity > max)
            break;
          capacity = MIN (capacity * 2, max + 1);
          buffer = g_realloc (buffer, capacity + 1);
        }
      n = read (fd, buffer + size, capacity - size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, _("could not read the file"));
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      size += (gsize) n;
    }
  close (fd);
  if (size > max)
    goto too_large_closed;
  buffer[size] = '\0';
  return g_bytes_new_take (g_steal_pointer (&buffer), size);

too_large:
  close (fd);
too_large_closed:
  {
    g_autofree char *limit = g_format_size_full (max, G_FORMAT_SIZE_LONG_FORMAT);

    g_set_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_TOO_LARGE,
                 _("the file is too large for %s; accepted: at most %s"), what, limit);
  }
  return NULL;
}

/* ---- Writing ------------------------------------------------------------ */

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len,
           GError     **error)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, _("could not write"));
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Writes a temporary file next to path and renames it over path: a
 * failure leaves no half-written file and never damages a good one. */
static gboolean
replace_atomically (const char  *path,
                    const char  *data,
                    gsize        len,
                    GError     **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0666);

  if (fd < 0)
    return set_errno_error (error, errno, _("could not create the file"));
  if (!write_all (fd, data, len, error))
    {
      close (fd);
      g_unlink (tmp);
      return FALSE;
    }
  /* On disk before the rename: a crash leaves the old file or the new. */
  {
    int status = fsync (fd);
    int saved_errno = errno;

    if (close (fd) != 0 && status == 0)
      {
        status = -1;
        saved_errno = errno;
      }
    if (status != 0)
      {
        g_unlink (tmp);
        return set_errno_error (error, saved_errno, _("could not write"));
      }
  }
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      return set_errno_error (error, saved_errno, _("could not replace the file"));
    }
  return TRUE;
}

/* A device, a FIFO or standard output: written in place. */
static gboolean
write_direct (const char  *path,
              const char  *data,
              gsize        len,
              gboolean     fifo,
              GError     **error)
{
  gboolean ok;
  int fd;

  /* With O_NONBLOCK a FIFO that nobody reads fails at once (ENXIO). */
  fd = g_open (path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (fifo ? O_NONBLOCK : 0), 0);
  if (fd < 0 && fifo && errno == ENXIO)
    {
      g_set_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT,
                   _("a FIFO that no program is reading; accepted: a file, or a FIFO being read"));
      return FALSE;
    }
  if (fd < 0)
    return set_errno_error (error, errno, _("could not open"));
  if (fifo)
    fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  ok = write_all (fd, data, len, error);
  if (close (fd) != 0 && ok)
    ok = set_errno_error (error, errno, _("could not write"));
  return ok;
}

static gboolean
refuse_kind (GError **error)
{
  g_set_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT,
               _("a block device or a socket; accepted: a regular file, a character "
                 "device such as /dev/null, a FIFO, or - for standard output"));
  return FALSE;
}

static gboolean
refuse_dangling (GError **error)
{
  g_set_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT,
               _("a symbolic link to nothing; accepted: a file, or a link to an existing file"));
  return FALSE;
}

/* What is at path, following a symbolic link (*is_link says whether it was
 * one). FALSE with errno when there is nothing (ENOENT) or lstat fails. */
static gboolean
stat_target (const char  *path,
             struct stat *st,
             gboolean    *is_link)
{
  *is_link = FALSE;
  if (lstat (path, st) != 0)
    return FALSE;
  if (S_ISLNK (st->st_mode))
    {
      *is_link = TRUE;
      if (stat (path, st) != 0)
        return FALSE;
    }
  return TRUE;
}

gboolean
lab_file_write (const char  *path,
                const void  *data,
                gsize        len,
                GError     **error)
{
  struct stat st;
  gboolean is_link;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (data == NULL)
    data = "";
  if (lab_file_is_stdout (path))
    {
      fflush (stdout);
      return write_all (STDOUT_FILENO, data, len, error);
    }

  if (!stat_target (path, &st, &is_link))
    {
      if (errno == ENOENT && is_link)
        return refuse_dangling (error);
      if (errno != ENOENT)
        return set_errno_error (error, errno, _("could not write"));
      /* Nothing there yet. */
      return replace_atomically (path, data, len, error);
    }

  if (S_ISREG (st.st_mode))
    {
      g_autofree char *target = NULL;

      if (!is_link)
        return replace_atomically (path, data, len, error);
      /* Replace the file the link points to, not the link. */
      target = realpath (path, NULL);
      if (target == NULL)
        return set_errno_error (error, errno, _("could not write"));
      return replace_atomically (target, data, len, error);
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, _("is a folder, not a file"));
      return FALSE;
    }
  if (S_ISCHR (st.st_mode))
    return write_direct (path, data, len, FALSE, error);
  if (S_ISFIFO (st.st_mode))
    return write_direct (path, data, len, TRUE, error);
  return refuse_kind (error);
}

gboolean
lab_file_write_bytes (const char  *path,
                      GBytes      *bytes,
                      GError     **error)
{
  const void *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  return lab_file_write (path, data, len, error);
}

/* Creates and removes a file in dir: the only test that holds for root, a
 * read-only disk and every file system alike. */
static gboolean
probe_folder (const char  *dir,
              GError     **error)
{
  g_autofree char *probe = g_build_filename (dir, ".rnn-lab-XXXXXX", NULL);
  int fd = g_mkstemp_full (probe, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *quoted = lab_text_sanitize (dir, -1);
      g_autofree char *what = g_strdup_printf (_("cannot create a file in the folder %s"), quoted);

      return set_errno_error (error, saved_errno, what);
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}

gboolean
lab_file_check_output (const char  *path,
                       GError     **error)
{
  g_autofree char *dir = NULL;
  struct stat st;
  gboolean is_link;

  g_return_val_if_fail (path != NULL, FALSE);

  if (lab_file_is_stdout (path))
    return TRUE;
  if (path[0] == '\0')
    {
      g_set_error (error, LAB_FILE_ERROR, LAB_FILE_ERROR_OUTPUT, _("the file name is empty"));
      return FALSE;
    }

  if (!stat_target (path, &st, &is_link))
    {
      if (errno == ENOENT && is_link)
        return refuse_dangling (error);
      if (errno != ENOENT)
        return set_errno_error (error, errno, _("cannot write here"));

      dir = g_path_get_dirname (path);
      if (stat (dir, &st) != 0 || !S_ISDIR (st.st_mode))
        {
          int saved_errno = errno;
          g_autofree char *quoted = lab_text_sanitize (dir, -1);

          if (stat (dir, &st) == 0)
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                           _("%s is not a folder"), quoted);
              return FALSE;
            }
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("the folder %s does not exist"), quoted);
          return FALSE;
        }
      return probe_folder (dir, error);
    }

  if (S_ISREG (st.st_mode))
    {
      g_autofree char *target = is_link ? realpath (path, NULL) : g_strdup (path);

      if (target == NULL)
        return set_errno_error (error, errno, _("cannot write here"));
      dir = g_path_get_dirname (target);
      return probe_folder (dir, error);
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, _("is a folder, not a file"));
      return FALSE;
    }
  if (S_ISCHR (st.st_mode))
    {
      if (access (path, W_OK) != 0)
        return set_errno_error (error, errno, _("cannot write here"));
      return TRUE;
    }
  if (S_ISFIFO (st.st_mode))
    return TRUE;
  return refuse_kind (error);
}
