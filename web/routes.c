/*
 * routes.c: the server's own routes (sign-in, the event stream, metrics)
 * and the lookup across the three tables. A path ending in '/' is a prefix
 * ("/api/alerts/" takes "/api/alerts/12/ack"); the first table row that
 * fits wins, so exact paths come before prefixes within a table.
 */
#include <string.h>

#include "web/web_int.h"

const struct mw_web_route mw_web_routes_core[] = {
    {.method = "POST", .path = "/api/login", .no_csrf = true,
     .fn = mw_web_api_login},
    {.method = "POST", .path = "/api/logout", .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_logout},
    {.method = "GET", .path = "/api/me", .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_me},
    {.method = "GET", .path = "/api/events", .min_role = MW_ROLE_VIEWER,
     .no_store = true, .fn = mw_web_api_events},
    {.method = "GET", .path = "/metrics", .fn = mw_web_metrics},
    {.method = NULL},
};

static bool path_fits(const char *pattern, const char *path) {
  size_t n = strlen(pattern);
  /* "/" alone is the overview page, not a prefix of every path. */
  if (n > 1 && pattern[n - 1] == '/') return strncmp(pattern, path, n) == 0;
  return strcmp(pattern, path) == 0;
}

static bool method_fits(const char *route, const char *method) {
  return strcmp(route, method) == 0 ||
         (strcmp(route, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

const struct mw_web_route *mw_web_route_find(const char *method,
                                             const char *path,
                                             bool *method_ok) {
  static const struct mw_web_route *const tables[] = {
      mw_web_routes_core, mw_web_routes_api, mw_web_routes_pages};
  bool path_seen = false;
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
    for (const struct mw_web_route *r = tables[t]; r->method; r++) {
      if (!path_fits(r->path, path)) continue;
      if (method_fits(r->method, method)) {
        *method_ok = true;
        return r;
      }
      path_seen = true;
    }
  }
  *method_ok = !path_seen;
  return NULL;
}
