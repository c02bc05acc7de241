/*
 * static.c: serves the dashboard's script and stylesheet (GET /static/NAME)
 * from the bytes embed.c compiled into the binary at build time, with the
 * type their extension names. Nothing is read from disk, so no path from
 * a request ever reaches the file system. The server adds the headers
 * every reply gets; the cache lifetime of static files is set here.
 */
#include <string.h>

#include "web/web_int.h"

/* The layout of the table embed.c generates (static_files.c). */
struct mw_web_embedded {
  const char *name;
  const unsigned char *data;
  size_t len;
};
extern const struct mw_web_embedded mw_web_embedded_files[];

static const char *type_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (dot && strcmp(dot, ".js") == 0) return "text/javascript; charset=utf-8";
  if (dot && strcmp(dot, ".css") == 0) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

int mw_web_static(struct mw_web_req *r, struct mw_web_resp *o) {
  const char *name = r->path + strlen("/static/");
  o->csp = MW_CSP_API;
  for (const struct mw_web_embedded *f = mw_web_embedded_files; f->name; f++) {
    if (strcmp(f->name, name) != 0) continue;
    o->status = 200;
    o->type = type_of(f->name);
    int rc = mw_buf_append(&o->body, f->data, f->len);
    if (!rc) rc = mw_web_resp_header(o, "Cache-Control", "max-age=3600");
    return rc;
  }
  o->status = 404;
  o->type = "text/plain; charset=utf-8";
  return mw_buf_puts(&o->body, "not found\n");
}
