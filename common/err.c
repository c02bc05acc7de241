/*
 * err.c: the error struct every library fills and cli/ prints.
 */
#include <stdio.h>
#include <string.h>

#include "common/common.h"

int mw_err_set(struct mw_err *err, int code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

void mw_err_prefix(struct mw_err *err, const char *fmt, ...) {
  if (!err) return;
  char prefix[MW_ERR_MSG_MAX];
  char old[MW_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, err->msg, sizeof old);
  old[sizeof old - 1] = '\0';
  /* Truncation is fine here: a message cut short is still a message. */
  size_t np = strlen(prefix), no = strlen(old);
  if (np > sizeof err->msg - 1) np = sizeof err->msg - 1;
  if (no > sizeof err->msg - 1 - np) no = sizeof err->msg - 1 - np;
  memcpy(err->msg, prefix, np);
  memcpy(err->msg + np, old, no);
  err->msg[np + no] = '\0';
}

void mw_err_clear(struct mw_err *err) {
  if (!err) return;
  err->code = MW_OK;
  err->msg[0] = '\0';
}

const char *mw_strerror(int code) {
  switch (code) {
    case MW_OK: return "ok";
    case MW_EINVAL: return "invalid input";
    case MW_ENOMEM: return "out of memory";
    case MW_EIO: return "input/output error";
    case MW_ETOOBIG: return "size limit reached";
    case MW_ENOTFOUND: return "not found";
    case MW_EPARSE: return "cannot parse";
    case MW_EDB: return "database error";
    case MW_ENET: return "network error";
    case MW_EDENIED: return "refused by policy";
    default: return "unknown error";
  }
}
