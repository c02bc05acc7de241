/*
 * secret.c: reading a receiver's secret (a robot URL with its key, a
 * signing secret, an SMTP password) from an environment variable or from
 * a file only its owner can read.
 *
 * The secret itself never enters an error message: messages name the
 * variable or the file and say what to do about it. What the secret is
 * used for, and scrubbing it from what receivers answer, is notify.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alerts/alerts.h"

/* A secret is a key or a URL: 64 KB is far beyond any real one, and
 * bounds what a wrong path (a log file, a device) can make us read. */
#define SECRET_MAX (64u << 10)

static int read_env(const char *env, char **out, struct mw_err *err) {
  const char *v = getenv(env);
  if (!v)
    return mw_err_set(err, MW_EINVAL,
                      "environment variable %s is not set (it should hold "
                      "the secret)",
                      env);
  size_t n = strnlen(v, SECRET_MAX + 1);
  if (n == 0)
    return mw_err_set(err, MW_EINVAL, "environment variable %s is empty", env);
  if (n > SECRET_MAX)
    return mw_err_set(err, MW_ETOOBIG,
                      "environment variable %s is longer than %u bytes", env,
                      SECRET_MAX);
  *out = mw_strndup(v, n);
  if (!*out) return mw_err_set(err, MW_ENOMEM, "out of memory");
  return MW_OK;
}

static int read_file(const char *file, char **out, struct mw_err *err) {
  /* Symlinks are followed on purpose: mounted secrets (Kubernetes,
   * systemd credentials) are links to the real file, whose mode is the
   * one checked below. */
  int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return mw_err_set(err, MW_EIO, "cannot open secret file %s: %s", file,
                      strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return mw_err_set(err, MW_EIO, "cannot stat secret file %s: %s", file,
                      strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return mw_err_set(err, MW_EINVAL, "secret file %s is not a regular file",
                      file);
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    close(fd);
    return mw_err_set(err, MW_EDENIED,
                      "secret file %s has mode %04o: group or others may "
                      "read or write it; run chmod 600 %s",
                      file, (unsigned)(st.st_mode & 07777), file);
  }
  if (st.st_size > (off_t)SECRET_MAX) {
    close(fd);
    return mw_err_set(err, MW_ETOOBIG,
                      "secret file %s is larger than %u bytes", file,
                      SECRET_MAX);
  }
  struct mw_buf b;
  mw_buf_init(&b, SECRET_MAX);
  char chunk[4096];
  int rc = MW_OK;
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = mw_err_set(err, MW_EIO, "cannot read secret file %s: %s", file,
                      strerror(errno));
      break;
    }
    if (n == 0) break;
    if (mw_buf_append(&b, chunk, (size_t)n) != MW_OK) {
      rc = mw_err_set(err, MW_ETOOBIG,
                      "secret file %s is larger than %u bytes", file,
                      SECRET_MAX);
      break;
    }
  }
  close(fd);
  explicit_bzero(chunk, sizeof chunk);
  if (rc == MW_OK) {
    /* Editors end files with a newline; the secret does not include it. */
    if (b.len && b.data[b.len - 1] == '\n') b.len--;
    if (b.len && b.data[b.len - 1] == '\r') b.len--;
    if (b.len == 0)
      rc = mw_err_set(err, MW_EINVAL, "secret file %s is empty", file);
    else if (memchr(b.data, '\0', b.len))
      rc = mw_err_set(err, MW_EINVAL, "secret file %s contains a NUL byte",
                      file);
  }
  if (rc == MW_OK) {
    *out = mw_strndup(b.data, b.len);
    if (!*out) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  if (b.data) explicit_bzero(b.data, b.cap);
  mw_buf_cleanup(&b);
  return rc;
}

int mw_secret_read(const char *env, const char *file, char **out,
                   struct mw_err *err) {
  *out = NULL;
  if (env && *env) return read_env(env, out, err);
  if (file && *file) return read_file(file, out, err);
  return mw_err_set(err, MW_EINVAL,
                    "no secret configured: give an environment variable or "
                    "a file");
}
