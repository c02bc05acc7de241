/* Tests store/users.c and store/sessions.c: roles, name rules, duplicate
 * users, password changes ending sessions, role changes applying to open
 * sessions, removal cascading, expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/store/store_test_util.h"

#define T INT64_C(1700000000)
#define TOK1 "aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11aa11"
#define TOK2 "bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22"
#define CSRF "cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33cc33"
#define HASH "$6$salt$abcdefghijklmnop"

/* A store with no sources: users and sessions stand alone. */
static int setup(void **state) {
  struct tu_store *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  struct mw_err err = {0};
  if (mw_store_open(f->path, &f->s, &err)) fail_msg("open: %s", err.msg);
  *state = f;
  return 0;
}

static void test_roles(void **state) {
  (void)state;
  enum mw_user_role r;
  assert_int_equal(mw_user_role_parse("viewer", &r), MW_OK);
  assert_int_equal(r, MW_ROLE_VIEWER);
  assert_int_equal(mw_user_role_parse("duty", &r), MW_OK);
  assert_int_equal(r, MW_ROLE_DUTY);
  assert_int_equal(mw_user_role_parse("duty-officer", &r), MW_OK);
  assert_int_equal(r, MW_ROLE_DUTY);
  assert_int_equal(mw_user_role_parse("admin", &r), MW_OK);
  assert_int_equal(r, MW_ROLE_ADMIN);
  assert_int_equal(mw_user_role_parse("Admin", &r), MW_EINVAL);
  assert_int_equal(mw_user_role_parse("root", &r), MW_EINVAL);
  assert_int_equal(mw_user_role_parse("", &r), MW_EINVAL);
  assert_int_equal(mw_user_role_parse(NULL, &r), MW_EINVAL);
  assert_string_equal(mw_user_role_name(MW_ROLE_VIEWER), "viewer");
  assert_string_equal(mw_user_role_name(MW_ROLE_DUTY), "duty");
  assert_string_equal(mw_user_role_name(MW_ROLE_ADMIN), "admin");
  assert_string_equal(mw_user_role_label_zh(MW_ROLE_VIEWER), "查看");
  assert_string_equal(mw_user_role_label_zh(MW_ROLE_DUTY), "值班员");
  assert_string_equal(mw_user_role_label_zh(MW_ROLE_ADMIN), "管理员");
}

static void test_add_get_list(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  assert_int_equal(mw_store_user_add(f->s, "张三", MW_ROLE_DUTY, HASH, T, &err),
                   MW_OK);
  assert_int_equal(
      mw_store_user_add(f->s, "admin", MW_ROLE_ADMIN, "$6$x$y", T + 1, &err),
      MW_OK);
  struct mw_user u;
  assert_int_equal(mw_store_user_get(f->s, "张三", &u, &err), MW_OK);
  assert_true(u.id > 0);
  assert_string_equal(u.name, "张三");
  assert_int_equal(u.role, MW_ROLE_DUTY);
  assert_string_equal(u.hash, HASH);
  assert_int_equal(u.created, T);
  assert_int_equal(u.changed, T);
  mw_user_cleanup(&u);

  struct mw_user *all;
  size_t n;
  assert_int_equal(mw_store_users(f->s, &all, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_string_equal(all[0].name, "admin"); /* by name, bytes */
  assert_int_equal(all[0].role, MW_ROLE_ADMIN);
  assert_string_equal(all[1].name, "张三");
  mw_users_free(all, n);

  assert_int_equal(mw_store_user_get(f->s, "李四", &u, &err), MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "李四"));
}

static void test_duplicate_and_bad_names(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  assert_int_equal(
      mw_store_user_add(f->s, "wang", MW_ROLE_VIEWER, HASH, T, &err), MW_OK);
  assert_int_equal(
      mw_store_user_add(f->s, "wang", MW_ROLE_ADMIN, HASH, T, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "wang"));
  assert_non_null(strstr(err.msg, "exists"));

  char long_name[66];
  memset(long_name, 'a', 65);
  long_name[65] = '\0';
  const char *bad[] = {"",          "a b",         "a/b",
                       "tab\there", "bell\a",      "全角\xe3\x80\x80空格",
                       "bad\xff",   "cut\xe5\xbc", long_name};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(
        mw_store_user_add(f->s, bad[i], MW_ROLE_VIEWER, HASH, T, &err),
        MW_EINVAL);
  }
  assert_int_equal(mw_store_user_add(f->s, NULL, MW_ROLE_VIEWER, HASH, T, &err),
                   MW_EINVAL);
  long_name[64] = '\0'; /* exactly 64 bytes is fine */
  assert_int_equal(
      mw_store_user_add(f->s, long_name, MW_ROLE_VIEWER, HASH, T, &err), MW_OK);
  assert_int_equal(mw_store_user_add(f->s, "x", 0, HASH, T, &err), MW_EINVAL);
  assert_int_equal(mw_store_user_add(f->s, "x", MW_ROLE_DUTY, "", T, &err),
                   MW_EINVAL);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM users"), 2);
}

/* Adds user name and returns its id. */
static int64_t add_user(struct tu_store *f, const char *name,
                        enum mw_user_role role) {
  struct mw_err err = {0};
  assert_int_equal(mw_store_user_add(f->s, name, role, HASH, T, &err), MW_OK);
  struct mw_user u;
  assert_int_equal(mw_store_user_get(f->s, name, &u, &err), MW_OK);
  int64_t id = u.id;
  mw_user_cleanup(&u);
  return id;
}

static void test_sessions(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t id = add_user(f, "duty1", MW_ROLE_DUTY);
  assert_int_equal(
      mw_store_session_add(f->s, TOK1, id, CSRF, T, T + 3600, &err), MW_OK);
  struct mw_web_session ws;
  assert_int_equal(mw_store_session_get(f->s, TOK1, T + 10, &ws, &err), MW_OK);
  assert_int_equal(ws.user_id, id);
  assert_string_equal(ws.user, "duty1");
  assert_int_equal(ws.role, MW_ROLE_DUTY);
  assert_string_equal(ws.csrf, CSRF);
  assert_int_equal(ws.created, T);
  assert_int_equal(ws.expires, T + 3600);
  assert_int_equal(ws.last_seen, T);

  /* expires <= now: gone. */
  assert_int_equal(mw_store_session_get(f->s, TOK1, T + 3600, &ws, &err),
                   MW_ENOTFOUND);
  assert_int_equal(ws.user_id, 0);
  /* Sliding: touch moves it on. */
  assert_int_equal(mw_store_session_touch(f->s, TOK1, T + 3000, T + 7200, &err),
                   MW_OK);
  assert_int_equal(mw_store_session_get(f->s, TOK1, T + 3600, &ws, &err),
                   MW_OK);
  assert_int_equal(ws.last_seen, T + 3000);
  assert_int_equal(ws.expires, T + 7200);

  /* A role change applies at once. */
  assert_int_equal(mw_store_user_set_role(f->s, "duty1", MW_ROLE_VIEWER, &err),
                   MW_OK);
  assert_int_equal(mw_store_session_get(f->s, TOK1, T + 3600, &ws, &err),
                   MW_OK);
  assert_int_equal(ws.role, MW_ROLE_VIEWER);
  assert_int_equal(mw_store_user_set_role(f->s, "nobody", MW_ROLE_ADMIN, &err),
                   MW_ENOTFOUND);

  /* Unknown token, unknown user, duplicate token, bad csrf. */
  assert_int_equal(mw_store_session_get(f->s, TOK2, T, &ws, &err),
                   MW_ENOTFOUND);
  assert_int_equal(
      mw_store_session_add(f->s, TOK2, id + 99, CSRF, T, T + 60, &err),
      MW_ENOTFOUND);
  assert_int_equal(mw_store_session_add(f->s, TOK1, id, CSRF, T, T + 60, &err),
                   MW_EINVAL);
  assert_int_equal(
      mw_store_session_add(f->s, TOK2, id, CSRF "x", T, T + 60, &err),
      MW_EINVAL);
  assert_int_equal(mw_store_session_add(f->s, "", id, CSRF, T, T + 60, &err),
                   MW_EINVAL);

  /* Sign out; twice is fine. */
  assert_int_equal(mw_store_session_remove(f->s, TOK1, &err), MW_OK);
  assert_int_equal(mw_store_session_get(f->s, TOK1, T, &ws, &err),
                   MW_ENOTFOUND);
  assert_int_equal(mw_store_session_remove(f->s, TOK1, &err), MW_OK);
}

static void test_password_change_ends_sessions(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t a = add_user(f, "a", MW_ROLE_ADMIN);
  int64_t b = add_user(f, "b", MW_ROLE_DUTY);
  assert_int_equal(mw_store_session_add(f->s, TOK1, a, CSRF, T, T + 60, &err),
                   MW_OK);
  assert_int_equal(mw_store_session_add(f->s, TOK2, b, CSRF, T, T + 60, &err),
                   MW_OK);
  assert_int_equal(
      mw_store_user_set_hash(f->s, "a", "$6$new$hash", T + 5, &err), MW_OK);
  struct mw_web_session ws;
  assert_int_equal(mw_store_session_get(f->s, TOK1, T + 1, &ws, &err),
                   MW_ENOTFOUND);
  assert_int_equal(mw_store_session_get(f->s, TOK2, T + 1, &ws, &err), MW_OK);
  struct mw_user u;
  assert_int_equal(mw_store_user_get(f->s, "a", &u, &err), MW_OK);
  assert_string_equal(u.hash, "$6$new$hash");
  assert_int_equal(u.created, T);
  assert_int_equal(u.changed, T + 5);
  mw_user_cleanup(&u);
  assert_int_equal(mw_store_user_set_hash(f->s, "zz", "$6$n$h", T, &err),
                   MW_ENOTFOUND);
  assert_int_equal(mw_store_user_set_hash(f->s, "a", "", T, &err), MW_EINVAL);
}

static void test_remove_user(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t a = add_user(f, "gone", MW_ROLE_DUTY);
  assert_int_equal(mw_store_session_add(f->s, TOK1, a, CSRF, T, T + 60, &err),
                   MW_OK);
  assert_int_equal(mw_store_user_remove(f->s, "gone", &err), MW_OK);
  struct mw_web_session ws;
  assert_int_equal(mw_store_session_get(f->s, TOK1, T + 1, &ws, &err),
                   MW_ENOTFOUND);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM web_sessions"),
                   0);
  assert_int_equal(mw_store_user_remove(f->s, "gone", &err), MW_ENOTFOUND);
  /* The name may be taken again, with a fresh id. */
  int64_t again = add_user(f, "gone", MW_ROLE_VIEWER);
  assert_true(again > 0);
}

static void test_sessions_expire(void **state) {
  struct tu_store *f = *state;
  struct mw_err err = {0};
  int64_t a = add_user(f, "u", MW_ROLE_VIEWER);
  assert_int_equal(mw_store_session_add(f->s, TOK1, a, CSRF, T, T + 60, &err),
                   MW_OK);
  assert_int_equal(mw_store_session_add(f->s, TOK2, a, CSRF, T, T + 120, &err),
                   MW_OK);
  assert_int_equal(mw_store_sessions_expire(f->s, T + 60, &err), MW_OK);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM web_sessions"),
                   1);
  struct mw_web_session ws;
  assert_int_equal(mw_store_session_get(f->s, TOK2, T + 60, &ws, &err), MW_OK);
  assert_int_equal(mw_store_sessions_expire(f->s, T + 120, &err), MW_OK);
  assert_int_equal(tu_query_int(f->path, "SELECT count(*) FROM web_sessions"),
                   0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roles),
      cmocka_unit_test_setup_teardown(test_add_get_list, setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_duplicate_and_bad_names, setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_sessions, setup, tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_password_change_ends_sessions, setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_remove_user, setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_sessions_expire, setup,
                                      tu_store_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
