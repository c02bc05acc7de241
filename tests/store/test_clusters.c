/* Tests store/clusters.c and the per-story coverage of store/coverage.c:
 * reprints joining one cluster and its original (by 来源, else earliest),
 * hash 0 left out, the banded lookup finding neighbours 1 to 3 bits away
 * whatever bands the bits fall in, top stories, coverage counted per
 * story, articles hashed and clustered as they are inserted (without
 * rewriting their rows), and migrations 2 to 4 on files written by
 * versions 1 and 3. */
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

/* ISO week 2023-W19 in Asia/Shanghai: [2023-05-08 00:00+08, 05-15 00:00+08). */
#define FROM INT64_C(1683475200)
#define TO (FROM + 7 * 86400)
#define U MW_TIME_UNKNOWN

/* A story's hash, with the sign bit set so storing it signed is tested. */
#define H UINT64_C(0xA5E1C0DE12345678)

struct fixture {
  char *dir, *path;
  struct tu_config tc;
  struct mw_store *s;
  int64_t rm, rm2, jl, cj; /* sources: 人民日报 (two), 吉林日报, 中国吉林网 */
  int next_url;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  f->dir = tu_tmpdir();
  f->path = tu_path(f->dir, "mw.db");
  tu_config_init(&f->tc);
  /* A third outlet, so a story can run on three. */
  f->tc.sources[3] = (struct mw_source_conf){
      .url = "http://www.chinajilin.com.cn/rss.xml", .kind = MW_SOURCE_FEED,
      .poll_interval_s = 1800, .line = 30};
  f->tc.outlets[2] = (struct mw_outlet_conf){
      .name = "中国吉林网", .tier = MW_TIER_PROVINCIAL, .region = "吉林省",
      .sources = &f->tc.sources[3], .n_sources = 1, .line = 28};
  f->tc.cfg.n_outlets = 3;
  f->s = tu_open_synced(f->path, &f->tc);
  struct mw_source_state *src;
  size_t n;
  struct mw_err err = {0};
  assert_int_equal(mw_store_list_sources(f->s, &src, &n, &err), MW_OK);
  assert_int_equal(n, 4);
  f->rm = src[0].id;
  f->rm2 = src[1].id;
  f->jl = src[2].id;
  f->cj = src[3].id;
  assert_string_equal(src[3].outlet_name, "中国吉林网");
  mw_store_sources_free(src, n);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  mw_store_close(f->s);
  tu_rmtree(f->dir);
  free(f->path);
  free(f->dir);
  free(f);
  return 0;
}

/* Adds an article (a fresh URL) and returns its id. */
static int64_t add(struct fixture *f, int64_t src, int64_t published,
                   int64_t fetched, const char *title, const char *origin,
                   const char *topic) {
  char url[64];
  snprintf(url, sizeof url, "https://example.cn/a%d", ++f->next_url);
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src, .url = url, .title = title,
                         .origin = origin, .published = published,
                         .fetched = fetched};
  int64_t id;
  bool ins;
  if (mw_store_add_article(f->s, &a, &id, &ins, &err))
    fail_msg("%s", err.msg);
  assert_true(ins);
  if (topic) assert_int_equal(mw_store_add_match(f->s, id, topic, NULL, &err),
                              MW_OK);
  return id;
}

static void clus(struct fixture *f, int64_t id, uint64_t h) {
  struct mw_err err = {0};
  if (mw_store_cluster_article(f->s, id, h, 3, &err))
    fail_msg("clustering %lld: %s", (long long)id, err.msg);
}

/* One integer from the store's file, sql built like printf. */
static int64_t q(struct fixture *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int64_t q(struct fixture *f, const char *fmt, ...) {
  char sql[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return tu_query_int(f->path, sql);
}

static int64_t cluster_of(struct fixture *f, int64_t article) {
  return q(f, "SELECT cluster_id FROM articles WHERE id = %lld",
           (long long)article);
}

static void expect_original(struct fixture *f, int64_t cluster,
                            int64_t article, const char *outlet) {
  assert_int_equal(q(f, "SELECT original_article_id FROM clusters"
                        " WHERE id = %lld", (long long)cluster), article);
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT original_outlet = '%s' FROM clusters"
           " WHERE id = %lld", outlet, (long long)cluster);
  if (tu_query_int(f->path, sql) != 1)
    fail_msg("cluster %lld: original outlet is not %s", (long long)cluster,
             outlet);
}

/* ------------------------------------------------------------ clusters */

static void test_reprints_join_one_cluster_original_by_origin(void **state) {
  struct fixture *f = *state;
  /* 人民日报 runs it first with no 来源; 中国吉林网 reprints it naming
   * 吉林日报; 吉林日报's own copy comes last: it is still the original. */
  int64_t a1 = add(f, f->rm, FROM + 100, FROM + 200, "推进组成立", NULL, NULL);
  clus(f, a1, H);
  int64_t c = cluster_of(f, a1);
  assert_true(c > 0);
  expect_original(f, c, a1, "人民日报");

  int64_t a2 = add(f, f->cj, FROM + 700, FROM + 800, "推进组成立（转）",
                   "吉林日报", NULL);
  clus(f, a2, H ^ (UINT64_C(1) << 5)); /* 1 bit away */
  assert_int_equal(cluster_of(f, a2), c);
  /* 吉林日报 is named but carries nothing yet: the earliest member is the
   * original, and the named outlet is where the story came from. */
  expect_original(f, c, a1, "吉林日报");

  int64_t a3 = add(f, f->jl, FROM + 1300, FROM + 1400, "吉林省成立推进组",
                   "\u3000吉林日报 ", NULL);
  clus(f, a3, H ^ (UINT64_C(1) << 20) ^ (UINT64_C(1) << 40)); /* 2 bits */
  assert_int_equal(cluster_of(f, a3), c);
  expect_original(f, c, a3, "吉林日报");
  assert_int_equal(q(f, "SELECT article_count FROM clusters WHERE id = %lld",
                     (long long)c), 3);
  assert_int_equal(q(f, "SELECT outlet_count FROM clusters WHERE id = %lld",
                     (long long)c), 3);
  assert_int_equal(q(f, "SELECT first_seen FROM clusters WHERE id = %lld",
                     (long long)c), FROM + 100);
  /* The hash is kept as the signed value of its bits. */
  assert_int_equal(q(f, "SELECT simhash FROM articles WHERE id = %lld",
                     (long long)a1), (int64_t)H);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 12);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands WHERE "
                        "article_id = %lld AND band = 3 AND value = %lld",
                     (long long)a1, (long long)(H >> 48)), 1);

  /* A different story on the same outlet: its own cluster. */
  int64_t b = add(f, f->rm2, FROM + 100, FROM + 200, "垃圾分类宣传周", NULL,
                  NULL);
  clus(f, b, ~H);
  int64_t cb = cluster_of(f, b);
  assert_true(cb > 0 && cb != c);
  expect_original(f, cb, b, "人民日报");
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 2);
  assert_int_equal(q(f, "SELECT article_count FROM clusters WHERE id = %lld",
                     (long long)cb), 1);
}

static void test_original_by_earliest_when_no_origin_matches(void **state) {
  struct fixture *f = *state;
  /* Every copy names 新华社, which is not watched: the earliest copy is the
   * original, 新华社 the original outlet. */
  int64_t a1 = add(f, f->jl, FROM + 100, FROM + 900, NULL, "新华社", NULL);
  int64_t a2 = add(f, f->rm, FROM + 50, FROM + 900, NULL, "新华社", NULL);
  int64_t a3 = add(f, f->cj, FROM + 70, FROM + 900, NULL, NULL, NULL);
  clus(f, a1, H);
  clus(f, a2, H ^ 1);
  clus(f, a3, H ^ 3);
  int64_t c = cluster_of(f, a1);
  assert_int_equal(cluster_of(f, a2), c);
  assert_int_equal(cluster_of(f, a3), c);
  expect_original(f, c, a2, "新华社");
  assert_int_equal(q(f, "SELECT first_seen FROM clusters WHERE id = %lld",
                     (long long)c), FROM + 50);

  /* No 来源 at all: the earliest by coverage time, the fetch time standing
   * in for an unknown publication time. */
  const uint64_t g = UINT64_C(0x0123456789ABCDEF);
  int64_t b1 = add(f, f->rm, FROM + 20, FROM + 30, NULL, NULL, NULL);
  int64_t b2 = add(f, f->cj, U, FROM + 10, NULL, NULL, NULL);
  clus(f, b1, g);
  clus(f, b2, g ^ (UINT64_C(1) << 63));
  int64_t cb = cluster_of(f, b1);
  assert_int_equal(cluster_of(f, b2), cb);
  expect_original(f, cb, b2, "中国吉林网");
  assert_int_equal(q(f, "SELECT first_seen FROM clusters WHERE id = %lld",
                     (long long)cb), FROM + 10);
  /* Ties on time go to the lower id. */
  int64_t t1 = add(f, f->jl, FROM + 5, FROM + 5, NULL, NULL, NULL);
  int64_t t2 = add(f, f->rm, FROM + 5, FROM + 5, NULL, NULL, NULL);
  clus(f, t2, ~g);
  clus(f, t1, ~g ^ 4);
  expect_original(f, cluster_of(f, t1), t1, "吉林日报");

  /* The 来源 most members name; on a tie the first named. Blank ones
   * name nothing. */
  const uint64_t k = UINT64_C(0x0F0F00FF0F0F00FF);
  int64_t n1 = add(f, f->rm, FROM + 1, FROM + 1, NULL, "新华社", NULL);
  int64_t n2 = add(f, f->jl, FROM + 2, FROM + 2, NULL, "中新社", NULL);
  int64_t n3 = add(f, f->cj, FROM + 3, FROM + 3, NULL, " \u3000 ", NULL);
  int64_t n4 = add(f, f->cj, FROM + 4, FROM + 4, NULL, " ", NULL);
  clus(f, n1, k);
  clus(f, n2, k ^ 1);
  clus(f, n3, k ^ 2);
  clus(f, n4, k ^ 4);
  int64_t cn = cluster_of(f, n1);
  expect_original(f, cn, n1, "新华社");
  int64_t n5 = add(f, f->cj, FROM + 5, FROM + 5, NULL, "中新社 ", NULL);
  clus(f, n5, k ^ 8);
  assert_int_equal(cluster_of(f, n5), cn);
  expect_original(f, cn, n1, "中新社");
  assert_int_equal(q(f, "SELECT outlet_count FROM clusters WHERE id = %lld",
                     (long long)cn), 3);
  assert_int_equal(q(f, "SELECT article_count FROM clusters WHERE id = %lld",
                     (long long)cn), 5);
}

static void test_hash_zero_is_not_clustered(void **state) {
  struct fixture *f = *state;
  int64_t a = add(f, f->rm, FROM, FROM, "短讯", NULL, NULL);
  int64_t b = add(f, f->jl, FROM, FROM, "短讯", NULL, NULL);
  clus(f, a, 0);
  clus(f, b, 0);
  assert_int_equal(cluster_of(f, a), -1); /* NULL */
  assert_int_equal(cluster_of(f, b), -1);
  assert_int_equal(q(f, "SELECT simhash FROM articles WHERE id = %lld",
                     (long long)a), 0);
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 0);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 0);
  /* A hash with a zero band still finds nothing in those zero rows. */
  int64_t c = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  clus(f, c, UINT64_C(0xFFFF));
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 1);
}

static void test_recluster_same_hash_changes_nothing(void **state) {
  struct fixture *f = *state;
  int64_t a = add(f, f->rm, FROM, FROM, NULL, NULL, NULL);
  int64_t b = add(f, f->jl, FROM + 1, FROM + 1, NULL, NULL, NULL);
  clus(f, a, H);
  clus(f, b, H ^ 2);
  int64_t c = cluster_of(f, a);
  clus(f, b, H ^ 2);
  clus(f, a, H);
  assert_int_equal(cluster_of(f, a), c);
  assert_int_equal(q(f, "SELECT article_count FROM clusters"), 2);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 8);
  /* A new hash moves b out; a is left alone in c. */
  clus(f, b, ~H);
  int64_t cb = cluster_of(f, b);
  assert_true(cb != c);
  assert_int_equal(q(f, "SELECT article_count FROM clusters WHERE id = %lld",
                     (long long)c), 1);
  assert_int_equal(q(f, "SELECT outlet_count FROM clusters WHERE id = %lld",
                     (long long)c), 1);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 8);
  /* Moving a away leaves c empty: it is deleted. */
  clus(f, a, 0);
  assert_int_equal(q(f, "SELECT count(*) FROM clusters WHERE id = %lld",
                     (long long)c), 0);
  assert_int_equal(cluster_of(f, a), -1);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 4);
}

/* ------------------------------------------------------------- banding */

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Every way of putting 1, 2 or 3 differing bits into the 4 bands (bands
 * may repeat: 4 + 16 + 64 placements), bit positions varied so the edges
 * of each band (bits 0 and 15 of it) are hit: the neighbour is always
 * found. */
static void test_banding_finds_every_neighbour_within_3(void **state) {
  struct fixture *f = *state;
  uint64_t seed = 42;
  int combos = 0;
  bool edge_lo = false, edge_hi = false;
  /* No batch: cluster_of reads through a second connection. */
  for (int d = 1; d <= 3; d++) {
    int n = d == 1 ? 4 : d == 2 ? 16 : 64;
    for (int i = 0; i < n; i++, combos++) {
      int band[3] = {i % 4, (i / 4) % 4, (i / 16) % 4};
      uint64_t mask = 0;
      for (int k = 0; k < d; k++) {
        int pos = (combos + 7 * k) % 16; /* distinct for k = 0, 1, 2 */
        edge_lo |= pos == 0;
        edge_hi |= pos == 15;
        mask |= UINT64_C(1) << (band[k] * 16 + pos);
      }
      assert_int_equal(__builtin_popcountll(mask), d);
      uint64_t base = splitmix(&seed);
      int64_t a = add(f, f->rm, FROM + combos, FROM, NULL, NULL, NULL);
      int64_t b = add(f, f->jl, FROM + combos + 1, FROM, NULL, NULL, NULL);
      clus(f, a, base);
      clus(f, b, base ^ mask);
      if (cluster_of(f, b) != cluster_of(f, a))
        fail_msg("distance %d, bands %d %d %d, mask %016llx: not found", d,
                 band[0], band[1], band[2], (unsigned long long)mask);
    }
  }
  assert_int_equal(combos, 84);
  assert_true(edge_lo && edge_hi);
  /* Random bases are far apart: one cluster of two per placement. */
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 84);
  assert_int_equal(q(f, "SELECT min(article_count) FROM clusters"), 2);
  assert_int_equal(q(f, "SELECT max(outlet_count) FROM clusters"), 2);
}

static void test_banding_limits_and_errors(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  const uint64_t g = UINT64_C(0x1111222233334444);
  int64_t a = add(f, f->rm, FROM, FROM, NULL, NULL, NULL);
  clus(f, a, g);
  int64_t c = cluster_of(f, a);
  /* 4 bits in one band: found through the other three, but too far. */
  int64_t b = add(f, f->jl, FROM, FROM, NULL, NULL, NULL);
  clus(f, b, g ^ UINT64_C(0xF));
  assert_true(cluster_of(f, b) != c);
  /* One bit in every band: shares no band; beyond what the index finds. */
  int64_t e = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  clus(f, e, g ^ UINT64_C(0x0001000100010001) << 3);
  assert_true(cluster_of(f, e) != c);
  /* max_distance is the caller's: 2 bits away with 1 allowed is apart. */
  int64_t h = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  assert_int_equal(mw_store_cluster_article(f->s, h, g ^ 0x30, 1, &err),
                   MW_OK);
  assert_true(cluster_of(f, h) != c);
  int64_t h0 = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  assert_int_equal(mw_store_cluster_article(f->s, h0, g, 0, &err), MW_OK);
  assert_int_equal(cluster_of(f, h0), c);

  assert_int_equal(mw_store_cluster_article(f->s, a, g, 4, &err), MW_EINVAL);
  assert_non_null(strstr(err.msg, "0..3"));
  assert_int_equal(mw_store_cluster_article(f->s, a, g, -1, &err),
                   MW_EINVAL);
  assert_int_equal(mw_store_cluster_article(f->s, 999999, g, 3, &err),
                   MW_ENOTFOUND);
  assert_non_null(strstr(err.msg, "999999"));
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"
                        " WHERE article_id = 999999"), 0);
}

/* An article near two clusters joins the nearer one. */
static void test_nearest_cluster_wins(void **state) {
  struct fixture *f = *state;
  const uint64_t x = UINT64_C(0x7777000011112222);
  int64_t a = add(f, f->rm, FROM, FROM, NULL, NULL, NULL);
  int64_t b = add(f, f->jl, FROM, FROM, NULL, NULL, NULL);
  clus(f, a, x);
  clus(f, b, x ^ 0xF); /* 4 bits from a: a cluster of its own */
  int64_t ca = cluster_of(f, a), cb = cluster_of(f, b);
  assert_true(ca != cb);
  int64_t n1 = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  clus(f, n1, x ^ 0x1); /* 1 from a, 3 from b */
  assert_int_equal(cluster_of(f, n1), ca);
  int64_t n2 = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  clus(f, n2, x ^ 0x7); /* 3 from a, 1 from b */
  assert_int_equal(cluster_of(f, n2), cb);
  int64_t n3 = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  clus(f, n3, x ^ 0x3); /* 2 from a, 2 from b: the older cluster */
  assert_int_equal(cluster_of(f, n3), ca < cb ? ca : cb);
}

/* ----------------------------------------------------- hash at insert */

/* Adds an article with its hash, clustered at insert; returns its id. */
static int64_t add_hashed(struct fixture *f, int64_t src, int64_t published,
                          const char *origin, uint64_t h, int distance,
                          bool *inserted) {
  char url[64];
  snprintf(url, sizeof url, "https://example.cn/a%d", ++f->next_url);
  struct mw_err err = {0};
  struct mw_article a = {.source_id = src, .url = url, .origin = origin,
                         .published = published, .fetched = published + 10,
                         .simhash = h, .cluster_distance = distance};
  int64_t id;
  bool ins;
  if (mw_store_add_article(f->s, &a, &id, &ins, &err))
    fail_msg("%s", err.msg);
  if (inserted) *inserted = ins;
  else assert_true(ins);
  return id;
}

/* Counts UPDATEs of articles rows, whoever runs them: the trigger lives in
 * the file, so the store's own connection fires it. */
static void watch_article_updates(struct fixture *f) {
  tu_exec(f->path, "CREATE TABLE updates_seen (id INTEGER);"
                   "CREATE TRIGGER count_updates AFTER UPDATE ON articles"
                   " BEGIN INSERT INTO updates_seen VALUES (new.id); END;");
}

static void test_hash_at_insert_clusters_like_cluster_article(void **state) {
  struct fixture *f = *state;
  watch_article_updates(f);
  /* The story of test_reprints_join_one_cluster_original_by_origin, each
   * article hashed as it is added. */
  int64_t a1 = add_hashed(f, f->rm, FROM + 100, NULL, H, 3, NULL);
  int64_t c = cluster_of(f, a1);
  assert_true(c > 0);
  expect_original(f, c, a1, "人民日报");
  int64_t a2 = add_hashed(f, f->cj, FROM + 700, "吉林日报",
                          H ^ (UINT64_C(1) << 5), 3, NULL);
  assert_int_equal(cluster_of(f, a2), c);
  expect_original(f, c, a1, "吉林日报");
  int64_t a3 = add_hashed(f, f->jl, FROM + 1300, "\u3000吉林日报 ",
                          H ^ (UINT64_C(1) << 20) ^ (UINT64_C(1) << 40), 3,
                          NULL);
  assert_int_equal(cluster_of(f, a3), c);
  expect_original(f, c, a3, "吉林日报");
  assert_int_equal(q(f, "SELECT article_count FROM clusters WHERE id = %lld",
                     (long long)c), 3);
  assert_int_equal(q(f, "SELECT outlet_count FROM clusters WHERE id = %lld",
                     (long long)c), 3);
  assert_int_equal(q(f, "SELECT first_seen FROM clusters WHERE id = %lld",
                     (long long)c), FROM + 100);
  /* The row holds hash and cluster; so does the narrow index. */
  assert_int_equal(q(f, "SELECT simhash FROM articles WHERE id = %lld",
                     (long long)a1), (int64_t)H);
  assert_int_equal(q(f, "SELECT simhash FROM article_hashes WHERE"
                        " article_id = %lld", (long long)a1), (int64_t)H);
  assert_int_equal(q(f, "SELECT count(*) FROM article_hashes WHERE"
                        " cluster_id = %lld", (long long)c), 3);
  assert_int_equal(q(f, "SELECT counted_at FROM article_hashes WHERE"
                        " article_id = %lld", (long long)a2), FROM + 700);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 12);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands WHERE"
                        " simhash = %lld", (long long)H), 4);
  /* A far hash starts a cluster of its own. */
  int64_t b = add_hashed(f, f->rm2, FROM + 100, NULL, ~H, 3, NULL);
  assert_true(cluster_of(f, b) != c);
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 2);
  /* None of it rewrote an article row. */
  assert_int_equal(q(f, "SELECT count(*) FROM updates_seen"), 0);

  /* An article hashed later (two steps) rewrites its row once, and a
   * hashed insert then finds it. */
  int64_t d = add(f, f->cj, FROM + 5, FROM + 5, NULL, NULL, NULL);
  clus(f, d, UINT64_C(0x5555AAAA5555AAAA));
  assert_int_equal(q(f, "SELECT count(*) FROM updates_seen"), 1);
  int64_t e = add_hashed(f, f->jl, FROM + 6, NULL,
                         UINT64_C(0x5555AAAA5555AAAB), 3, NULL);
  assert_int_equal(cluster_of(f, e), cluster_of(f, d));
  assert_int_equal(q(f, "SELECT count(*) FROM updates_seen"), 1);
  /* Hashed insert and the two-step call agree: calling it again with the
   * same hash changes nothing. */
  clus(f, e, UINT64_C(0x5555AAAA5555AAAB));
  assert_int_equal(q(f, "SELECT count(*) FROM updates_seen"), 1);
  assert_int_equal(q(f, "SELECT article_count FROM clusters WHERE id = %lld",
                     (long long)cluster_of(f, d)), 2);
}

static void test_hash_at_insert_known_url_and_limits(void **state) {
  struct fixture *f = *state;
  struct mw_err err = {0};
  int64_t a = add_hashed(f, f->rm, FROM, NULL, H, 3, NULL);
  int64_t c = cluster_of(f, a);
  /* The same URL again, with a far hash: nothing changes, and no cluster
   * is left behind for it. */
  char url[64];
  snprintf(url, sizeof url, "https://example.cn/a%d", f->next_url);
  struct mw_article again = {.source_id = f->jl, .url = url, .published = FROM,
                             .fetched = FROM, .simhash = ~H,
                             .cluster_distance = 3};
  int64_t id;
  bool ins = true;
  assert_int_equal(mw_store_add_article(f->s, &again, &id, &ins, &err), MW_OK);
  assert_false(ins);
  assert_int_equal(id, a);
  assert_int_equal(cluster_of(f, a), c);
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 1);
  assert_int_equal(q(f, "SELECT count(*) FROM article_hashes"), 1);
  assert_int_equal(q(f, "SELECT count(*) FROM simhash_bands"), 4);
  /* The caller's distance: 2 bits away with 1 allowed is apart, with 2
   * together. */
  int64_t b = add_hashed(f, f->jl, FROM, NULL, H ^ 0x30, 1, NULL);
  assert_true(cluster_of(f, b) != c);
  int64_t d = add_hashed(f, f->cj, FROM, NULL, H ^ 0x300, 2, NULL);
  assert_int_equal(cluster_of(f, d), c);
  /* Out of range: refused before anything is written. */
  int64_t before = q(f, "SELECT count(*) FROM articles");
  struct mw_article bad = {.source_id = f->rm, .url = "https://example.cn/x",
                           .fetched = FROM, .simhash = H, .cluster_distance = 4};
  assert_int_equal(mw_store_add_article(f->s, &bad, &id, &ins, &err),
                   MW_EINVAL);
  assert_non_null(strstr(err.msg, "0..3"));
  bad.cluster_distance = -1;
  assert_int_equal(mw_store_add_article(f->s, &bad, &id, &ins, &err),
                   MW_EINVAL);
  /* An unknown source: no row, and no cluster made for it either. */
  bad = (struct mw_article){.source_id = 999, .url = "https://example.cn/y",
                            .fetched = FROM, .simhash = UINT64_C(0x1234),
                            .cluster_distance = 3};
  assert_int_equal(mw_store_add_article(f->s, &bad, &id, &ins, &err),
                   MW_ENOTFOUND);
  assert_int_equal(q(f, "SELECT count(*) FROM articles"), before);
  assert_int_equal(q(f, "SELECT count(*) FROM clusters"), 2);
  /* Left 0, the hash leaves the article out of the index, as before. */
  int64_t u = add(f, f->cj, FROM, FROM, NULL, NULL, NULL);
  assert_int_equal(q(f, "SELECT count(*) FROM article_hashes WHERE"
                        " article_id = %lld", (long long)u), 0);
  assert_int_equal(q(f, "SELECT simhash IS NULL FROM articles WHERE"
                        " id = %lld", (long long)u), 1);
}

/* --------------------------------------------------- top stories, coverage */

struct stories {
  int64_t s1_jl, s2_rm, s3_jl, s4_cj, s6_rm;
};

/* Stories in 2023-W19 (see the counts in the tests below). */
static void add_stories(struct fixture *f, struct stories *st) {
  const char *W = "无废城市", *L = "垃圾分类";
  struct mw_err err = {0};
  assert_int_equal(mw_store_begin(f->s, &err), MW_OK);
  /* S1: three outlets, 吉林日报 named by the others. */
  clus(f, add(f, f->rm, FROM + 100, FROM + 100, "人民日报稿", "吉林日报", W),
       H);
  st->s1_jl = add(f, f->jl, FROM + 200, FROM + 200, "吉林省成立推进组",
                  NULL, W);
  clus(f, st->s1_jl, H ^ 1);
  clus(f, add(f, f->cj, FROM + 300, FROM + 300, "转载", "吉林日报", W),
       H ^ 2);
  /* S2: two outlets, three articles (人民日报 on both its feeds). */
  const uint64_t s2 = UINT64_C(0x0F0F0F0F0F0F0F0F);
  st->s2_rm = add(f, f->rm, FROM + 50, FROM + 50, "分类宣传周", NULL, L);
  clus(f, st->s2_rm, s2);
  clus(f, add(f, f->rm2, FROM + 60, FROM + 60, NULL, NULL, L), s2 ^ 8);
  clus(f, add(f, f->cj, FROM + 70, FROM + 70, NULL, NULL, NULL), s2 ^ 16);
  /* S3: one outlet, twice. */
  const uint64_t s3 = UINT64_C(0x3C3C3C3C3C3C3C3C);
  st->s3_jl = add(f, f->jl, FROM + 10, FROM + 10, "两地联动", NULL, W);
  clus(f, st->s3_jl, s3);
  clus(f, add(f, f->jl, FROM + 20, FROM + 20, NULL, NULL, W), s3 ^ 1);
  /* S4: one article. */
  st->s4_cj = add(f, f->cj, FROM + 5, FROM + 5, "签约", NULL, NULL);
  clus(f, st->s4_cj, UINT64_C(0x5555AAAA5555AAAA));
  /* S5: before the week: not listed. */
  clus(f, add(f, f->rm, FROM - 100, FROM - 100, NULL, NULL, NULL),
       UINT64_C(0x6666999966669999));
  /* S6: began before the week, reprinted in its last second. */
  const uint64_t s6 = UINT64_C(0x1248124812481248);
  st->s6_rm = add(f, f->rm, FROM - 1000, FROM - 1000, "无废景区", NULL, W);
  clus(f, st->s6_rm, s6);
  clus(f, add(f, f->jl, TO - 1, TO - 1, NULL, NULL, NULL), s6 ^ 0x100);
  /* S7: at the end of the week, which is outside it. */
  clus(f, add(f, f->cj, TO, TO, NULL, NULL, W), UINT64_C(0x7070707007070707));
  /* Not stories of any cluster: too short, and never hashed. */
  clus(f, add(f, f->cj, FROM + 400, FROM + 400, NULL, NULL, W), 0);
  add(f, f->cj, FROM + 500, FROM + 500, NULL, NULL, W);
  assert_int_equal(mw_store_commit(f->s, &err), MW_OK);
}

static void expect_outlets(const struct mw_cluster *c, const char *a,
                           const char *b, const char *d) {
  const char *want[3] = {a, b, d};
  size_t n = d ? 3 : b ? 2 : 1;
  assert_int_equal(c->n_outlets, n);
  for (size_t i = 0; i < n; i++) assert_string_equal(c->outlets[i], want[i]);
}

static void test_top_clusters(void **state) {
  struct fixture *f = *state;
  struct stories st;
  add_stories(f, &st);
  struct mw_err err = {0};
  struct mw_cluster *c;
  size_t n;
  assert_int_equal(mw_store_top_clusters(f->s, FROM, TO, 0, &c, &n, &err),
                   MW_OK);
  assert_int_equal(n, 5);
  /* S1: the original (吉林日报, named by 来源) first, then by time. */
  assert_int_equal(c[0].original_article_id, st.s1_jl);
  assert_string_equal(c[0].title, "吉林省成立推进组");
  assert_string_equal(c[0].original_outlet, "吉林日报");
  assert_int_equal(c[0].first_seen, FROM + 100);
  assert_int_equal(c[0].article_count, 3);
  assert_int_equal(c[0].outlet_count, 3);
  expect_outlets(&c[0], "吉林日报", "人民日报", "中国吉林网");
  /* S2 before S6: both on two outlets, S2 has more articles. */
  assert_int_equal(c[1].original_article_id, st.s2_rm);
  assert_string_equal(c[1].title, "分类宣传周");
  assert_string_equal(c[1].original_outlet, "人民日报");
  assert_int_equal(c[1].article_count, 3);
  assert_int_equal(c[1].outlet_count, 2);
  expect_outlets(&c[1], "人民日报", "中国吉林网", NULL);
  /* S6 counts its member from before the week too. */
  assert_int_equal(c[2].original_article_id, st.s6_rm);
  assert_int_equal(c[2].first_seen, FROM - 1000);
  assert_int_equal(c[2].article_count, 2);
  assert_int_equal(c[2].outlet_count, 2);
  expect_outlets(&c[2], "人民日报", "吉林日报", NULL);
  /* S3 (two articles) before S4 (one), though S4 came first. */
  assert_int_equal(c[3].original_article_id, st.s3_jl);
  assert_int_equal(c[3].article_count, 2);
  assert_int_equal(c[3].outlet_count, 1);
  expect_outlets(&c[3], "吉林日报", NULL, NULL);
  assert_int_equal(c[4].original_article_id, st.s4_cj);
  assert_string_equal(c[4].original_outlet, "中国吉林网");
  assert_int_equal(c[4].first_seen, FROM + 5);
  expect_outlets(&c[4], "中国吉林网", NULL, NULL);
  mw_store_clusters_free(c, n);

  assert_int_equal(mw_store_top_clusters(f->s, FROM, TO, 2, &c, &n, &err),
                   MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(c[1].original_article_id, st.s2_rm);
  mw_store_clusters_free(c, n);

  /* The week before holds S5 and S6's first article. */
  assert_int_equal(mw_store_top_clusters(f->s, FROM - 7 * 86400, FROM, 0, &c,
                                         &n, &err), MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(c[0].original_article_id, st.s6_rm);
  assert_int_equal(c[1].n_outlets, 1);
  assert_null(c[1].title);
  mw_store_clusters_free(c, n);

  /* An empty period, a reversed one. */
  assert_int_equal(mw_store_top_clusters(f->s, TO + 1, TO + 1, 0, &c, &n,
                                         &err), MW_OK);
  assert_int_equal(n, 0);
  assert_null(c);
  assert_int_equal(mw_store_top_clusters(f->s, TO, FROM, 0, &c, &n, &err),
                   MW_EINVAL);
  mw_store_clusters_free(NULL, 0);
}

static void expect_cell(const struct mw_coverage_cell *c, const char *outlet,
                        const char *topic, int64_t count) {
  assert_string_equal(c->outlet, outlet);
  if (topic) assert_string_equal(c->topic, topic);
  else assert_null(c->topic);
  if (c->count != count)
    fail_msg("%s / %s: %lld, expected %lld", outlet, topic ? topic : "all",
             (long long)c->count, (long long)count);
}

static void test_coverage_per_cluster(void **state) {
  struct fixture *f = *state;
  struct stories st;
  add_stories(f, &st);
  struct mw_err err = {0};
  struct mw_coverage *by_article, *by_story, *plain;
  assert_int_equal(mw_store_coverage_ex(f->s, FROM, TO, false, &by_article,
                                        &err), MW_OK);
  assert_int_equal(mw_store_coverage_ex(f->s, FROM, TO, true, &by_story,
                                        &err), MW_OK);
  assert_int_equal(mw_store_coverage(f->s, FROM, TO, &plain, &err), MW_OK);
  /* Outlets sort by their UTF-8 bytes: 中国吉林网, 人民日报, 吉林日报;
   * the all-articles row (NULL) first, then 垃圾分类, 无废城市. */
  assert_int_equal(by_article->n_cells, 7);
  expect_cell(&by_article->cells[0], "中国吉林网", NULL, 5);
  expect_cell(&by_article->cells[1], "中国吉林网", "无废城市", 3);
  expect_cell(&by_article->cells[2], "人民日报", NULL, 3);
  expect_cell(&by_article->cells[3], "人民日报", "垃圾分类", 2);
  expect_cell(&by_article->cells[4], "人民日报", "无废城市", 1);
  expect_cell(&by_article->cells[5], "吉林日报", NULL, 4);
  expect_cell(&by_article->cells[6], "吉林日报", "无废城市", 3);
  assert_int_equal(by_article->cells[0].tier, MW_TIER_PROVINCIAL);
  assert_int_equal(by_article->cells[2].tier, MW_TIER_CENTRAL);
  /* Per story: 人民日报's two S2 copies are one story, so are 吉林日报's
   * two S3 copies; 中国吉林网's short and unhashed articles stay stories
   * of their own. */
  assert_int_equal(by_story->n_cells, 7);
  expect_cell(&by_story->cells[0], "中国吉林网", NULL, 5);
  expect_cell(&by_story->cells[1], "中国吉林网", "无废城市", 3);
  expect_cell(&by_story->cells[2], "人民日报", NULL, 2);
  expect_cell(&by_story->cells[3], "人民日报", "垃圾分类", 1);
  expect_cell(&by_story->cells[4], "人民日报", "无废城市", 1);
  expect_cell(&by_story->cells[5], "吉林日报", NULL, 3);
  expect_cell(&by_story->cells[6], "吉林日报", "无废城市", 2);
  assert_int_equal(by_story->from, FROM);
  assert_int_equal(by_story->to, TO);
  /* mw_store_coverage is the per-article count. */
  assert_int_equal(plain->n_cells, by_article->n_cells);
  for (size_t i = 0; i < plain->n_cells; i++)
    assert_int_equal(plain->cells[i].count, by_article->cells[i].count);
  mw_coverage_free(plain);
  mw_coverage_free(by_story);
  mw_coverage_free(by_article);

  assert_int_equal(mw_store_coverage_ex(f->s, TO, FROM, true, &by_story,
                                        &err), MW_EINVAL);
  assert_null(by_story);
}

/* ----------------------------------------------------------- migration */

/* Version 1's schema as published (store/open.c, migration 1). */
static const char V1_SCHEMA[] =
    "CREATE TABLE outlets ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  tier TEXT NOT NULL CHECK (tier IN ('central', 'provincial', 'city',"
    "    'county', 'portal', 'new-media')),"
    "  region TEXT,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  poll_interval_s INTEGER NOT NULL,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  next_due INTEGER NOT NULL DEFAULT 0,"
    "  consecutive_failures INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  last_fetch INTEGER NOT NULL DEFAULT 0,"
    "  last_ok INTEGER NOT NULL DEFAULT 0,"
    "  last_status INTEGER NOT NULL DEFAULT 0,"
    "  active INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE INDEX sources_outlet ON sources (outlet_id);"
    "CREATE TABLE fetch_log ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  fetched_at INTEGER NOT NULL,"
    "  ok INTEGER NOT NULL,"
    "  http_status INTEGER NOT NULL,"
    "  error TEXT,"
    "  new_articles INTEGER NOT NULL"
    ");"
    "CREATE INDEX fetch_log_source ON fetch_log (source_id, id);"
    "CREATE TABLE articles ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  outlet_id INTEGER NOT NULL REFERENCES outlets(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  guid TEXT,"
    "  title TEXT,"
    "  author TEXT,"
    "  origin TEXT,"
    "  text TEXT,"
    "  published INTEGER,"
    "  fetched INTEGER NOT NULL,"
    "  counted_at INTEGER NOT NULL"
    "    GENERATED ALWAYS AS (coalesce(published, fetched)) STORED"
    ");"
    "CREATE INDEX articles_counted ON articles (counted_at, outlet_id);"
    "CREATE INDEX articles_source ON articles (source_id);"
    "CREATE TABLE matches ("
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  topic TEXT NOT NULL,"
    "  terms TEXT,"
    "  PRIMARY KEY (article_id, topic)"
    ") WITHOUT ROWID;"
    "CREATE INDEX matches_topic ON matches (topic, article_id);"
    "PRAGMA user_version = 1;";

static void test_migration_from_version_1_keeps_rows(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "v1.db");
  tu_exec(path, V1_SCHEMA);
  tu_exec(path,
          "INSERT INTO outlets (id, name, tier) VALUES (1, '吉林日报', "
          "'provincial');"
          "INSERT INTO sources (id, outlet_id, url, kind, poll_interval_s,"
          " etag) VALUES (1, 1, 'http://jlrb.jlntv.cn/rss.xml', 'feed', 900,"
          " '\"v1\"');"
          "INSERT INTO fetch_log (source_id, fetched_at, ok, http_status,"
          " new_articles) VALUES (1, 1683475300, 1, 200, 2);"
          "INSERT INTO articles (id, source_id, outlet_id, url, title, origin,"
          " published, fetched) VALUES"
          " (1, 1, 1, 'http://jlrb.jlntv.cn/a1', '推进组成立', '吉林日报',"
          "  1683475300, 1683475400),"
          " (2, 1, 1, 'http://jlrb.jlntv.cn/a2', '专题讲座', NULL, NULL,"
          "  1683475500);"
          "INSERT INTO matches (article_id, topic, terms) VALUES"
          " (1, '无废城市', '无废城市'), (2, '无废城市', '无废城市');");
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"), 1);

  struct mw_store *s = NULL;
  struct mw_err err = {0};
  if (mw_store_open(path, &s, &err)) fail_msg("open: %s", err.msg);
  /* Every later migration runs too, in one go. */
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"),
                   mw_store_schema_version());
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM outlets"), 1);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM sources WHERE "
                                      "etag = '\"v1\"'"), 1);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM fetch_log"), 1);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM matches"), 2);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM articles WHERE"
                                      " simhash IS NULL AND cluster_id IS"
                                      " NULL"), 2);
  assert_int_equal(tu_query_int(path, "SELECT counted_at FROM articles"
                                      " WHERE id = 2"), 1683475500);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM clusters"), 0);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM simhash_bands"),
                   0);

  /* Old articles count as their own stories until hashed; then they
   * cluster like new ones. */
  struct mw_coverage *cov;
  assert_int_equal(mw_store_coverage_ex(s, FROM, TO, true, &cov, &err),
                   MW_OK);
  assert_int_equal(cov->n_cells, 2);
  expect_cell(&cov->cells[0], "吉林日报", NULL, 2);
  mw_coverage_free(cov);
  assert_int_equal(mw_store_cluster_article(s, 1, H, 3, &err), MW_OK);
  assert_int_equal(mw_store_cluster_article(s, 2, H ^ 4, 3, &err), MW_OK);
  assert_int_equal(mw_store_coverage_ex(s, FROM, TO, true, &cov, &err),
                   MW_OK);
  expect_cell(&cov->cells[0], "吉林日报", NULL, 1);
  expect_cell(&cov->cells[1], "吉林日报", "无废城市", 1);
  mw_coverage_free(cov);
  assert_int_equal(tu_query_int(path, "SELECT original_article_id FROM"
                                      " clusters"), 1);
  mw_store_close(s);

  /* Reopening migrates nothing more. */
  assert_int_equal(mw_store_open(path, &s, &err), MW_OK);
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"),
                   mw_store_schema_version());
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM clusters"), 1);
  mw_store_close(s);
  tu_rmtree(dir);
  free(path);
  free(dir);
}

/* Migrations 2 and 3 as published (store/open.c). */
static const char V2_V3_SCHEMA[] =
    "CREATE TABLE clusters ("
    "  id INTEGER PRIMARY KEY,"
    "  original_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,"
    "  original_outlet TEXT,"
    "  first_seen INTEGER NOT NULL,"
    "  article_count INTEGER NOT NULL DEFAULT 0,"
    "  outlet_count INTEGER NOT NULL DEFAULT 0"
    ");"
    "ALTER TABLE articles ADD COLUMN simhash INTEGER;"
    "ALTER TABLE articles ADD COLUMN cluster_id INTEGER"
    "  REFERENCES clusters(id) ON DELETE SET NULL;"
    "CREATE INDEX articles_cluster ON articles (cluster_id);"
    "CREATE TABLE simhash_bands ("
    "  band INTEGER NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  article_id INTEGER NOT NULL,"
    "  PRIMARY KEY (band, value, article_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),"
    "  url TEXT NOT NULL UNIQUE,"
    "  text TEXT,"
    "  first_seen INTEGER NOT NULL"
    ");"
    "CREATE INDEX attachments_source ON attachments (source_id, first_seen);"
    "PRAGMA user_version = 3;";

/* Migration 4 on a file written by version 3: the hashes and clusters it
 * holds move into the narrow index, and new articles join old clusters. */
static void test_migration_from_version_3_keeps_clusters(void **state) {
  (void)state;
  char *dir = tu_tmpdir();
  char *path = tu_path(dir, "v3.db");
  tu_exec(path, V1_SCHEMA);
  tu_exec(path, V2_V3_SCHEMA);
  /* What version 3 wrote for a two-article cluster (1, 2: 人民日报 then
   * 吉林日报's reprint naming it), a lone hashed article (3), a too-short
   * one (4, hash 0) and one never hashed (5). Hashes as signed integers;
   * bands of H are 0x5678 0x1234 0xC0DE 0xA5E1. */
  char sql[4096];
  snprintf(sql, sizeof sql,
           "INSERT INTO outlets (id, name, tier) VALUES (1, '人民日报',"
           " 'central'), (2, '吉林日报', 'provincial');"
           "INSERT INTO sources (id, outlet_id, url, kind, poll_interval_s)"
           " VALUES (1, 1, 'http://rm.cn/rss.xml', 'feed', 900),"
           " (2, 2, 'http://jl.cn/rss.xml', 'feed', 900);"
           "INSERT INTO clusters (id, original_article_id, original_outlet,"
           " first_seen, article_count, outlet_count) VALUES"
           " (7, 1, '人民日报', %lld, 2, 2), (8, 3, '人民日报', %lld, 1, 1);"
           "INSERT INTO articles (id, source_id, outlet_id, url, text,"
           " published, fetched, simhash, cluster_id) VALUES"
           " (1, 1, 1, 'http://rm.cn/1', '正文', %lld, %lld, %lld, 7),"
           " (2, 2, 2, 'http://jl.cn/2', '正文', NULL, %lld, %lld, 7),"
           " (3, 1, 1, 'http://rm.cn/3', '正文', %lld, %lld, %lld, 8),"
           " (4, 1, 1, 'http://rm.cn/4', '短', %lld, %lld, 0, NULL),"
           " (5, 2, 2, 'http://jl.cn/5', '旧', %lld, %lld, NULL, NULL);"
           "UPDATE articles SET origin = '人民日报' WHERE id = 2;"
           "INSERT INTO simhash_bands (band, value, article_id) VALUES"
           " (0, 22136, 1), (1, 4660, 1), (2, 49374, 1), (3, 42465, 1),"
           " (0, 22137, 2), (1, 4660, 2), (2, 49374, 2), (3, 42465, 2),"
           " (0, 0, 3), (1, 0, 3), (2, 65535, 3), (3, 65535, 3),"
           /* a row left behind by an article deleted since */
           " (0, 22136, 99);",
           (long long)(FROM + 100), (long long)(FROM + 300),
           (long long)(FROM + 100), (long long)(FROM + 110), (long long)H,
           (long long)(FROM + 200), (long long)(H ^ 1),
           (long long)(FROM + 300), (long long)(FROM + 310),
           (long long)UINT64_C(0xFFFFFFFF00000000),
           (long long)(FROM + 400), (long long)(FROM + 410),
           (long long)(FROM + 500), (long long)(FROM + 510));
  tu_exec(path, sql);
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"), 3);

  struct mw_store *s = NULL;
  struct mw_err err = {0};
  if (mw_store_open(path, &s, &err)) fail_msg("open: %s", err.msg);
  assert_int_equal(tu_query_int(path, "PRAGMA user_version"),
                   mw_store_schema_version());
  /* Every hashed article, hash 0 included, with its cluster, outlet and
   * coverage time; the unhashed one is not there. */
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM article_hashes"),
                   4);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM article_hashes"
                                      " WHERE article_id = 5"), 0);
  assert_int_equal(tu_query_int(path, "SELECT cluster_id FROM article_hashes"
                                      " WHERE article_id = 2"), 7);
  assert_int_equal(tu_query_int(path, "SELECT outlet_id FROM article_hashes"
                                      " WHERE article_id = 2"), 2);
  assert_int_equal(tu_query_int(path, "SELECT counted_at FROM article_hashes"
                                      " WHERE article_id = 2"), FROM + 200);
  assert_int_equal(tu_query_int(path, "SELECT simhash FROM article_hashes"
                                      " WHERE article_id = 1"), (int64_t)H);
  assert_int_equal(tu_query_int(path, "SELECT cluster_id FROM article_hashes"
                                      " WHERE article_id = 4"), -1);
  /* Band rows carry the whole hash; the orphan row has none. */
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM simhash_bands b"
                                      " WHERE simhash = (SELECT simhash FROM"
                                      " articles WHERE id = b.article_id)"),
                   12);
  assert_int_equal(tu_query_int(path, "SELECT count(*) FROM simhash_bands"
                                      " WHERE simhash IS NULL"), 1);
  assert_int_equal(tu_query_int(path, "SELECT simhash FROM simhash_bands"
                                      " WHERE band = 2 AND article_id = 2"),
                   (int64_t)(H ^ 1));

  /* A new reprint of story 1 joins cluster 7 at insert; the orphan band
   * row (it shares band 0) is passed over. */
  struct mw_article a = {.source_id = 2, .url = "http://jl.cn/6",
                         .origin = "人民日报", .published = FROM + 50,
                         .fetched = FROM + 60, .simhash = H ^ (1u << 16),
                         .cluster_distance = 3};
  int64_t id;
  bool ins;
  assert_int_equal(mw_store_add_article(s, &a, &id, &ins, &err), MW_OK);
  assert_true(ins);
  assert_int_equal(tu_query_int(path, "SELECT cluster_id FROM articles WHERE"
                                      " id = 6"), 7);
  assert_int_equal(tu_query_int(path, "SELECT article_count FROM clusters"
                                      " WHERE id = 7"), 3);
  assert_int_equal(tu_query_int(path, "SELECT first_seen FROM clusters"
                                      " WHERE id = 7"), FROM + 50);
  /* The earliest member whose outlet a member names: 人民日报's own copy
   * (article 1), not the reprint that came first. */
  assert_int_equal(tu_query_int(path, "SELECT original_article_id FROM"
                                      " clusters WHERE id = 7"), 1);
  /* The old article never hashed is hashed now like any other. */
  assert_int_equal(mw_store_cluster_article(s, 5, UINT64_C(0xFFFFFFFF00000001),
                                            3, &err), MW_OK);
  assert_int_equal(tu_query_int(path, "SELECT cluster_id FROM articles WHERE"
                                      " id = 5"), 8);
  struct mw_cluster *top;
  size_t n;
  assert_int_equal(mw_store_top_clusters(s, FROM, TO, 0, &top, &n, &err),
                   MW_OK);
  assert_int_equal(n, 2);
  assert_int_equal(top[0].id, 7);
  assert_int_equal(top[0].article_count, 3);
  assert_int_equal(top[0].n_outlets, 2);
  assert_string_equal(top[0].outlets[0], "人民日报");
  assert_int_equal(top[1].id, 8);
  assert_int_equal(top[1].outlet_count, 2);
  mw_store_clusters_free(top, n);
  mw_store_close(s);
  tu_rmtree(dir);
  free(path);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(
          test_reprints_join_one_cluster_original_by_origin, setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_original_by_earliest_when_no_origin_matches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hash_zero_is_not_clustered, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_recluster_same_hash_changes_nothing,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(
          test_banding_finds_every_neighbour_within_3, setup, teardown),
      cmocka_unit_test_setup_teardown(test_banding_limits_and_errors, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_nearest_cluster_wins, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(
          test_hash_at_insert_clusters_like_cluster_article, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hash_at_insert_known_url_and_limits,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_top_clusters, setup, teardown),
      cmocka_unit_test_setup_teardown(test_coverage_per_cluster, setup,
                                      teardown),
      cmocka_unit_test(test_migration_from_version_1_keeps_rows),
      cmocka_unit_test(test_migration_from_version_3_keeps_clusters),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
