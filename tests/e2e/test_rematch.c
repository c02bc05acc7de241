/*
 * test_rematch.c: `mediawatch rematch`: a narrower rule removes matches
 * from stored articles, the old rule brings them back, --since limits the
 * walk, and nothing else changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/e2e.h"

/* Copies cfg to out with the 无废城市 topic's keywords replaced by rule. */
static void with_rule(const char *cfg, const char *out, const char *rule) {
  char *t = e2e_read_file(cfg, NULL);
  assert_non_null(t);
  const char *old = "    keywords: [无废城市, 无废细胞]\n";
  char *hit = strstr(t, old);
  assert_non_null(hit);
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  mw_buf_append(&b, t, (size_t)(hit - t));
  mw_buf_printf(&b, "    rule: \"%s\"\n", rule);
  mw_buf_puts(&b, hit + strlen(old));
  e2e_write_file(out, b.data);
  mw_buf_cleanup(&b);
  free(t);
}

static long long topic_after(const char *out, const char *topic) {
  char key[128];
  snprintf(key, sizeof key, "%s: ", topic);
  const char *p = strstr(out, key);
  if (!p) fail_msg("no line for %s in:\n%s", topic, out);
  p = strstr(p, "-> ");
  assert_non_null(p);
  return strtoll(p + 3, NULL, 10);
}

static void test_rematch(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "rematch");
  char sites[1024], tmpl[1024], cfg[1024], narrow[1024], db[1024];
  e2e_data("sites", sites, sizeof sites);
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  e2e_path(&d, "narrow.yaml", narrow, sizeof narrow);
  e2e_path(&d, "mw.db", db, sizeof db);
  struct mw_fixture *fx = e2e_fixture(sites);
  e2e_make_config(tmpl, cfg, mw_fixture_base_url(fx), db);
  with_rule(cfg, narrow, "无废细胞");
  char *out = NULL, *err = NULL;
  const char *crawl[] = {"crawl", "--once", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, NULL, crawl), 0);
  e2e_expect_in(out, "matches: 无废城市 26");
  free(out);

  /* Nothing changed yet: rematching with the same rules is a no-op. */
  const char *same[] = {"rematch", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, NULL, same), 0);
  e2e_expect_in(out, "articles: 55 checked, 0 changed");
  e2e_expect_in(out, "无废城市: 26 -> 26 (+0, -0)");
  e2e_expect_in(out, "垃圾分类: 24 -> 24 (+0, -0)");
  free(out);

  /* A narrower rule takes matches away and adds none. */
  const char *nar[] = {"rematch", "--config", narrow, NULL};
  assert_int_equal(e2e_run(&out, &err, nar), 0);
  long long narrowed = topic_after(out, "无废城市");
  assert_true(narrowed > 0 && narrowed < 26);
  char line[128];
  snprintf(line, sizeof line, "无废城市: 26 -> %lld (+0, -%lld)", narrowed,
           26 - narrowed);
  e2e_expect_in(out, line);
  e2e_expect_in(out, "垃圾分类: 24 -> 24 (+0, -0)");
  free(out);
  free(err);

  /* The report counts what the store now says. */
  const char *rep[] = {"report", "--config", narrow, "--week", "2023-W19",
                       "--format", "csv", NULL};
  assert_int_equal(e2e_run(&out, NULL, rep), 0);
  free(out);

  /* --since: only articles from 2023-05-22 on are looked at. */
  const char *back_late[] = {"rematch", "--config", cfg, "--since",
                             "2023-05-22", NULL};
  assert_int_equal(e2e_run(&out, NULL, back_late), 0);
  assert_null(strstr(out, "articles: 55 checked"));
  long long late = topic_after(out, "无废城市");
  free(out);
  /* And all of them: the original counts are back. */
  assert_int_equal(e2e_run(&out, NULL, same), 0);
  e2e_expect_in(out, "无废城市: ");
  assert_int_equal(topic_after(out, "无废城市"), 26);
  assert_true(late < 26);
  free(out);

  /* A bad date is refused before anything is touched. */
  const char *bad[] = {"rematch", "--config", cfg, "--since", "yesterday", NULL};
  assert_int_equal(e2e_run(NULL, &err, bad), 2);
  e2e_expect_in(err, "--since: 'yesterday' is not a date");
  free(err);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

/* A rule on the 来源 field sees what the crawl extracted: the two portal
 * articles that name 吉林日报 as their origin (expected.json). */
static void test_source_scope(void **state) {
  (void)state;
  struct e2e_scratch d;
  e2e_scratch_new(&d, "scope");
  char sites[1024], tmpl[1024], cfg[1024], db[1024];
  e2e_data("sites", sites, sizeof sites);
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_path(&d, "mw.yaml", cfg, sizeof cfg);
  e2e_path(&d, "mw.db", db, sizeof db);
  struct mw_fixture *fx = e2e_fixture(sites);
  e2e_make_config(tmpl, cfg, mw_fixture_base_url(fx), db);
  char *t = e2e_read_file(cfg, NULL);
  const char *anchor = "    keywords: [垃圾分类, 生活垃圾分类]\n";
  char *hit = strstr(t, anchor);
  assert_non_null(hit);
  struct mw_buf b;
  mw_buf_init(&b, 1u << 20);
  mw_buf_append(&b, t, (size_t)(hit - t) + strlen(anchor));
  mw_buf_puts(&b, "  - name: 吉林日报稿件\n    rule: \"source:吉林日报\"\n");
  mw_buf_puts(&b, hit + strlen(anchor));
  e2e_write_file(cfg, b.data);
  mw_buf_cleanup(&b);
  free(t);
  char *out = NULL;
  const char *crawl[] = {"crawl", "--once", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, NULL, crawl), 0);
  e2e_expect_in(out, "matches: 吉林日报稿件 2");
  free(out);
  /* rematch reads the same field back from the store: nothing changes. */
  const char *again[] = {"rematch", "--config", cfg, NULL};
  assert_int_equal(e2e_run(&out, NULL, again), 0);
  e2e_expect_in(out, "吉林日报稿件: 2 -> 2 (+0, -0)");
  free(out);
  mw_fixture_stop(fx);
  e2e_scratch_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rematch),
      cmocka_unit_test(test_source_scope),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
