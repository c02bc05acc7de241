/* Tests the problems and state of store/health.c: a source problem found,
 * updated, cleared (and found again as a new one), notified, listed open;
 * named state values. */
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

static void test_problems(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  int64_t id1 = 0, id2 = 0, id3 = 0, id = 0;
  bool is_new = false;
  assert_int_equal(mw_store_problem_found(t->s, t->env, "unreachable",
                                          "broken", "5 polls failed", 1000,
                                          &id1, &is_new, &err),
                   MW_OK);
  assert_true(is_new);
  assert_true(id1 > 0);
  assert_int_equal(mw_store_problem_found(t->s, t->env, "unreachable",
                                          "degraded", "6 polls failed", 2000,
                                          &id, &is_new, &err),
                   MW_OK);
  assert_false(is_new);
  assert_int_equal(id, id1);
  assert_int_equal(mw_store_problem_found(t->s, t->env, "no_links", "broken",
                                          NULL, 2000, &id2, &is_new, &err),
                   MW_OK);
  assert_true(is_new);
  assert_int_equal(mw_store_problem_found(t->s, t->jl, "mojibake", "degraded",
                                          "12% odd", 1500, &id3, NULL, &err),
                   MW_OK);
  /* Pointers for id and is_new may be NULL. */
  assert_int_equal(mw_store_problem_found(t->s, t->jl, "mojibake", "degraded",
                                          "13% odd", 2500, NULL, NULL, &err),
                   MW_OK);

  struct mw_source_problem *p;
  size_t n;
  assert_int_equal(mw_store_problems_open(t->s, &p, &n, &err), MW_OK);
  assert_int_equal(n, 3);
  assert_int_equal(p[0].id, id1);
  assert_string_equal(p[0].code, "unreachable");
  assert_string_equal(p[0].severity, "degraded");
  assert_string_equal(p[0].detail, "6 polls failed");
  assert_int_equal(p[0].since, 1000);
  assert_int_equal(p[0].last_seen, 2000);
  assert_int_equal(p[0].notified, 0);
  assert_int_equal(p[0].cleared, 0);
  assert_int_equal(p[1].id, id2);
  assert_null(p[1].detail);
  assert_int_equal(p[2].id, id3);
  assert_int_equal(p[2].source_id, t->jl);
  assert_string_equal(p[2].detail, "13% odd");
  assert_int_equal(p[2].since, 1500);
  assert_int_equal(p[2].last_seen, 2500);
  mw_source_problems_free(p, n);

  assert_int_equal(mw_store_problem_mark_notified(t->s, id1, 2100, &err),
                   MW_OK);
  assert_int_equal(mw_store_problem_mark_notified(t->s, 9999, 2100, &err),
                   MW_ENOTFOUND);

  /* env still has no_links but no longer unreachable; jl untouched. */
  const char *keep[] = {"no_links", "silent"};
  size_t cleared = 99;
  assert_int_equal(mw_store_problems_clear_others(t->s, t->env, keep, 2,
                                                  3000, &cleared, &err),
                   MW_OK);
  assert_int_equal(cleared, 1);
  assert_int_equal(tu_query_int(t->path, "SELECT cleared FROM source_problems"
                                         " WHERE code = 'unreachable'"),
                   3000);
  assert_int_equal(tu_query_int(t->path, "SELECT notified FROM"
                                         " source_problems WHERE code ="
                                         " 'unreachable'"),
                   2100);
  assert_int_equal(mw_store_problems_open(t->s, &p, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(p[0].id, id2);
  assert_int_equal(p[1].id, id3);
  mw_source_problems_free(p, n);

  /* Found again after clearing: a new problem. */
  assert_int_equal(mw_store_problem_found(t->s, t->env, "unreachable",
                                          "broken", "again", 4000, &id,
                                          &is_new, &err),
                   MW_OK);
  assert_true(is_new);
  assert_true(id != id1);
  assert_int_equal(tu_query_int(t->path, "SELECT count(*) FROM"
                                         " source_problems"),
                   4);
  /* Nothing kept: every open problem of jl clears. */
  assert_int_equal(mw_store_problems_clear_others(t->s, t->jl, NULL, 0, 5000,
                                                  &cleared, &err),
                   MW_OK);
  assert_int_equal(cleared, 1);
  assert_int_equal(mw_store_problems_clear_others(t->s, t->jl, NULL, 0, 5000,
                                                  NULL, &err),
                   MW_OK);
  assert_int_equal(mw_store_problems_open(t->s, &p, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(p[0].since, 2000); /* no_links, then unreachable */
  assert_int_equal(p[1].since, 4000);
  mw_source_problems_free(p, n);

  /* Errors. */
  assert_int_equal(mw_store_problem_found(t->s, t->env, NULL, "broken", NULL,
                                          1, NULL, NULL, &err),
                   MW_EINVAL);
  assert_int_equal(mw_store_problem_found(t->s, 9999, "unreachable", "broken",
                                          NULL, 1, NULL, NULL, &err),
                   MW_EDB);
  assert_non_null(strstr(err.msg, "source 9999"));
  assert_int_equal(mw_store_problems_clear_others(t->s, t->env, keep, 2, 0,
                                                  NULL, &err),
                   MW_EINVAL);
  assert_int_equal(mw_store_problems_open(t->s, &p, &n, &err), MW_OK);
  assert_int_equal(n, 2);
  mw_source_problems_free(p, n);
  mw_source_problems_free(NULL, 0);
}

static void test_state(void **state) {
  struct tu_store *t = *state;
  struct mw_err err = {0};
  int64_t v = 42;
  bool found = true;
  assert_int_equal(mw_store_state_get(t->s, "digest_day", &v, &found, &err),
                   MW_OK);
  assert_false(found);
  assert_int_equal(v, 42);
  assert_int_equal(mw_store_state_set(t->s, "digest_day", 20251, &err), MW_OK);
  assert_int_equal(mw_store_state_set(t->s, "other", -5, &err), MW_OK);
  assert_int_equal(mw_store_state_get(t->s, "digest_day", &v, &found, &err),
                   MW_OK);
  assert_true(found);
  assert_int_equal(v, 20251);
  assert_int_equal(mw_store_state_set(t->s, "digest_day", 20252, &err), MW_OK);
  assert_int_equal(mw_store_state_get(t->s, "digest_day", &v, &found, &err),
                   MW_OK);
  assert_int_equal(v, 20252);
  assert_int_equal(mw_store_state_get(t->s, "other", &v, &found, &err),
                   MW_OK);
  assert_int_equal(v, -5);
  assert_int_equal(tu_query_int(t->path, "SELECT count(*) FROM state"), 2);
  assert_int_equal(mw_store_state_set(t->s, NULL, 1, &err), MW_EINVAL);
  assert_int_equal(mw_store_state_get(t->s, NULL, &v, &found, &err),
                   MW_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_problems, tu_store_setup,
                                      tu_store_teardown),
      cmocka_unit_test_setup_teardown(test_state, tu_store_setup,
                                      tu_store_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
