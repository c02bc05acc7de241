/*
 * api_users.c: the dashboard's user accounts, for admins. GET /api/users
 * lists them (never a hash), POST /api/users adds one {"name", "role",
 * "password"}, POST /api/users/{name}/remove removes one with its
 * sessions.
 *
 * An admin cannot remove their own account here, so the last admin
 * cannot lock everyone out by a slip; `mediawatch users` on the server can.
 *
 * What it leaves to others: the admin check and CSRF (the server, from
 * routes_api.c), hashing (mw_web_password_hash, auth.c), SQL (store/).
 */
#include <stdlib.h>
#include <string.h>

#include "web/api_args.h"

#define PASSWORD_MAX 1024 /* as mw_web_password_hash takes */

static json_t *user_json(const struct mw_web *w, const char *name,
                         enum mw_user_role role, int64_t created) {
  json_t *e = json_object();
  if (!e) return NULL;
  if (mw_web_api_set_str(e, "name", name) ||
      mw_web_api_set_str(e, "role", mw_user_role_name(role)) ||
      mw_web_api_set_str(e, "role_zh", mw_user_role_label_zh(role)) ||
      mw_web_api_set_time(w, e, "created", created)) {
    json_decref(e);
    return NULL;
  }
  return e;
}

int mw_web_api_users(struct mw_web_req *r, struct mw_web_resp *o) {
  struct mw_err err = {0};
  struct mw_user *u = NULL;
  size_t n = 0;
  int rc = mw_store_users(r->store, &u, &n, &err);
  if (rc) return mw_web_api_fail(o, rc, &err);
  json_t *list = json_array();
  bool oom = !list;
  for (size_t i = 0; !oom && i < n; i++)
    oom = json_array_append_new(
              list, user_json(r->web, u[i].name, u[i].role, u[i].created)) != 0;
  mw_users_free(u, n);
  json_t *j = oom ? NULL : json_object();
  if (!j || json_object_set(j, "users", list)) oom = true;
  json_decref(list);
  if (oom) {
    json_decref(j);
    return MW_ENOMEM;
  }
  return mw_web_reply_json(o, 200, j);
}

/* A required string member of the body. */
static int need_str(json_t *body, struct mw_web_resp *o, const char *key,
                    const char *what, const char **v) {
  json_t *m = json_object_get(body, key);
  *v = json_is_string(m) ? json_string_value(m) : NULL;
  if (!*v || !**v)
    return mw_web_reply_error(o, 400, "invalid", "%s: give %s", key, what);
  return MW_OK;
}

int mw_web_api_user_add(struct mw_web_req *r, struct mw_web_resp *o) {
  json_t *body = mw_web_body_json(r, o);
  if (!body) return MW_EINVAL;
  const char *name, *role_s, *password;
  enum mw_user_role role;
  struct mw_err err = {0};
  char *hash = NULL;
  int rc = need_str(body, o, "name", "the user's name", &name);
  if (!rc) rc = need_str(body, o, "role", "viewer, duty or admin", &role_s);
  if (!rc && mw_user_role_parse(role_s, &role))
    rc = mw_web_reply_error(o, 400, "invalid",
                            "role: give viewer, duty or admin");
  if (!rc) rc = need_str(body, o, "password", "a password", &password);
  if (!rc &&
      json_string_length(json_object_get(body, "password")) > PASSWORD_MAX)
    rc = mw_web_reply_error(o, 400, "invalid", "password: at most %d bytes",
                            PASSWORD_MAX);
  if (!rc) {
    struct mw_user old = {0};
    int got = mw_store_user_get(r->store, name, &old, &err);
    mw_user_cleanup(&old);
    if (got == MW_OK)
      rc = mw_web_reply_error(o, 409, "conflict",
                              "a user named \"%s\" exists already", name);
    else if (got != MW_ENOTFOUND)
      rc = mw_web_api_fail(o, got, &err);
  }
  if (!rc) {
    rc = mw_web_password_hash(password, &hash, &err);
    if (rc == MW_EINVAL)
      rc = mw_web_reply_error(o, 400, "invalid", "password: %s", err.msg);
    else if (rc)
      rc = mw_web_api_fail(o, rc, &err);
  }
  if (!rc) {
    rc = mw_store_user_add(r->store, name, role, hash, r->now, &err);
    if (rc == MW_EINVAL)
      rc = mw_web_reply_error(o, 400, "invalid", "name: %s", err.msg);
    else if (rc)
      rc = mw_web_api_fail(o, rc, &err);
  }
  free(hash);
  json_t *j = rc ? NULL : user_json(r->web, name, role, r->now);
  json_decref(body);
  if (rc) return rc;
  return j ? mw_web_reply_json(o, 200, j) : MW_ENOMEM;
}

int mw_web_api_user_remove(struct mw_web_req *r, struct mw_web_resp *o) {
  static const char prefix[] = "/api/users/", suffix[] = "/remove";
  const char *p = r->path + sizeof prefix - 1;
  size_t n = strnlen(p, 4096);
  size_t ns = sizeof suffix - 1;
  if (strncmp(r->path, prefix, sizeof prefix - 1) || n <= ns ||
      strcmp(p + n - ns, suffix) || memchr(p, '/', n - ns))
    return mw_web_reply_error(o, 404, "not_found",
                              "no such page: use POST /api/users/NAME/remove");
  char *name = mw_strndup(p, n - ns);
  if (!name) return MW_ENOMEM;
  struct mw_err err = {0};
  int rc;
  if (!strcmp(name, r->user->name))
    rc = mw_web_reply_error(o, 409, "conflict",
                            "you cannot remove your own account; ask "
                            "another admin");
  else if ((rc = mw_store_user_remove(r->store, name, &err)))
    rc = mw_web_api_fail(o, rc, &err);
  json_t *j = rc ? NULL : json_object();
  if (j && mw_web_api_set_str(j, "removed", name)) {
    json_decref(j);
    j = NULL;
  }
  free(name);
  if (rc) return rc;
  return j ? mw_web_reply_json(o, 200, j) : MW_ENOMEM;
}
