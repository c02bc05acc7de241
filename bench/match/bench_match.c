/*
 * bench_match.c: the matcher benchmark's workload and two of its runners.
 *
 *   bench_match gen DIR MB      writes DIR/corpus.txt (MB megabytes of
 *                               documents, one per line: title TAB body,
 *                               Chinese text from the seed documents and
 *                               a character model of them), DIR/keywords.txt
 *                               (10,000 literals), DIR/regexes.txt (200)
 *                               and DIR/bench.yaml (1,000 topics using all
 *                               of them, and the shipped lexicon)
 *   bench_match mediawatch CONFIG CORPUS [--score]
 *                               every topic of CONFIG on every document
 *                               (mw_matcher_match; --score adds the
 *                               sensitivity score)
 *   bench_match hyperscan KEYWORDS CORPUS
 *                               a bare Hyperscan scan of the same literals,
 *                               every match reported, document by document
 *
 * Runners print one line: "NAME bytes seconds MB/s db_bytes matches". The
 * `run` script beside this file times grep -F and ripgrep on the same
 * files and prints the comparison. Not part of `meson test`.
 */
#include <fcntl.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "matchers/matchers.h"

#define N_KEYWORDS 10000
#define N_REGEXES 200
#define N_TOPICS 1000

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  fprintf(stderr, "bench_match: %s\n", what);
  exit(1);
}

/* ------------------------------------------------------------ the text */

/* Code points of the seeds and, per code point, the ones that follow it. */
struct model {
  uint32_t *text; /* the seeds, CJK and punctuation only */
  size_t n;
  uint32_t *next_off; /* per BMP code point: successors in next[] */
  uint32_t *next;
  char **lines;       /* seed paragraphs, as UTF-8 */
  size_t n_lines;
};

static size_t put_utf8(char *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  o[0] = (char)(0xE0 | (cp >> 12));
  o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

static bool cjk(uint32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }

static void read_seed(struct model *md, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot read a seed document");
  static char buf[1 << 20];
  size_t len = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[len] = '\0';
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && buf[j] != '\n') j++;
    if (j - i > 60) {
      md->lines = realloc(md->lines, (md->n_lines + 1) * sizeof *md->lines);
      md->lines[md->n_lines] = malloc(j - i + 1);
      memcpy(md->lines[md->n_lines], buf + i, j - i);
      md->lines[md->n_lines++][j - i] = '\0';
    }
    i = j + 1;
  }
  md->text = realloc(md->text, (md->n + len) * sizeof *md->text);
  for (size_t k = 0; k < len;) {
    unsigned char c = (unsigned char)buf[k];
    uint32_t cp;
    size_t m;
    if (c < 0x80) cp = c, m = 1;
    else if ((c & 0xE0) == 0xC0) cp = c & 0x1F, m = 2;
    else if ((c & 0xF0) == 0xE0) cp = c & 0x0F, m = 3;
    else cp = c & 0x07, m = 4;
    for (size_t q = 1; q < m && k + q < len; q++)
      cp = (cp << 6) | ((unsigned char)buf[k + q] & 0x3F);
    k += m;
    if (cjk(cp) || cp == 0xFF0C || cp == 0x3002 || cp == 0x3001)
      md->text[md->n++] = cp;
  }
}

static void build_model(struct model *md, const char *root) {
  memset(md, 0, sizeof *md);
  static const char *const seeds[] = {"seed_plan.txt", "seed_changchun.txt",
                                      "seed_jinxi.txt", "seed_jiangbei.txt"};
  for (size_t i = 0; i < 4; i++) {
    char path[2048];
    snprintf(path, sizeof path, "%s/tests/data/matchers/%s", root, seeds[i]);
    read_seed(md, path);
  }
  uint32_t *count = calloc(0x10001, sizeof *count);
  for (size_t i = 0; i + 1 < md->n; i++) count[md->text[i]]++;
  md->next_off = calloc(0x10001, sizeof *md->next_off);
  for (uint32_t c = 0, t = 0; c <= 0x10000; c++) {
    md->next_off[c] = t;
    if (c < 0x10000) t += count[c];
  }
  md->next = malloc(md->n * sizeof *md->next);
  memset(count, 0, 0x10001 * sizeof *count);
  for (size_t i = 0; i + 1 < md->n; i++) {
    uint32_t c = md->text[i];
    md->next[md->next_off[c] + count[c]++] = md->text[i + 1];
  }
  free(count);
}

/* n characters of the model's text as UTF-8 into o; returns bytes. */
static size_t babble(const struct model *md, size_t n, char *o) {
  uint32_t c = md->text[rnd((uint32_t)md->n)];
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    w += put_utf8(o + w, c);
    uint32_t a = md->next_off[c], b = md->next_off[c + 1];
    c = b > a ? md->next[a + rnd(b - a)] : md->text[rnd((uint32_t)md->n)];
  }
  return w;
}

/* A random run of k CJK characters of the seeds, as a keyword. */
static size_t ngram(const struct model *md, int k, char *o) {
  for (;;) {
    size_t at = rnd((uint32_t)(md->n - (size_t)k));
    size_t w = 0;
    bool ok = true;
    for (int i = 0; i < k && ok; i++) {
      ok = cjk(md->text[at + (size_t)i]);
      w += put_utf8(o + w, md->text[at + (size_t)i]);
    }
    if (ok) {
      o[w] = '\0';
      return w;
    }
  }
}

static bool seen(char **v, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(v[i], s)) return true;
  return false;
}

static int gen(const char *dir, long mb, const char *root) {
  struct model md;
  build_model(&md, root);
  char path[4096];
  /* Keywords: a tenth real phrases of the seeds (3 to 5 characters, as
   * place, body and event words are), the rest random runs of their
   * characters, most of which never occur; all distinct. */
  char **kw = calloc(N_KEYWORDS, sizeof *kw);
  size_t nk = 0;
  char tmp[64];
  while (nk < N_KEYWORDS) {
    if (nk < N_KEYWORDS / 10) {
      ngram(&md, 3 + (int)rnd(3), tmp);
    } else {
      size_t w = 0;
      int k = 3 + (int)rnd(3);
      for (int i = 0; i < k; i++) {
        uint32_t c;
        do c = md.text[rnd((uint32_t)md.n)];
        while (!cjk(c));
        w += put_utf8(tmp + w, c);
      }
      tmp[w] = '\0';
    }
    if (nk < 2000 ? seen(kw, nk, tmp) : seen(kw + nk - 2000, 2000, tmp))
      continue;
    kw[nk++] = strdup(tmp);
  }
  snprintf(path, sizeof path, "%s/keywords.txt", dir);
  FILE *f = fopen(path, "w");
  for (size_t i = 0; i < nk; i++) fprintf(f, "%s\n", kw[i]);
  fclose(f);
  /* Regexes: two phrases of the seeds a few characters apart. */
  char re[N_REGEXES][160];
  snprintf(path, sizeof path, "%s/regexes.txt", dir);
  f = fopen(path, "w");
  for (int i = 0; i < N_REGEXES; i++) {
    char a[32], b[32];
    ngram(&md, 3, a);
    ngram(&md, 2 + (int)rnd(2), b);
    snprintf(re[i], sizeof re[i], "/%s.{0,%u}%s/", a, 2 + rnd(8), b);
    fprintf(f, "%s\n", re[i]);
  }
  fclose(f);
  /* Topics: every keyword in one topic, in the four ways to write one. */
  snprintf(path, sizeof path, "%s/bench.yaml", dir);
  f = fopen(path, "w");
  fprintf(f, "outlets:\n  - name: bench\n    tier: city\n    sources:\n"
             "      - url: http://bench.invalid/rss.xml\n"
             "sensitivity:\n  lexicon: %s/examples/lexicon.tsv\ntopics:\n",
          root);
  for (int t = 0; t < N_TOPICS; t++) {
    char **k = kw + t * 10;
    fprintf(f, "  - name: t%d\n", t);
    if (t < N_REGEXES) {
      if (t % 2)
        fprintf(f, "    rule: '(%s | %s | %s | %s | %s) %s | %s %s | "
                   "NEAR/20(%s, %s)'\n",
                k[0], k[1], k[2], k[3], k[4], re[t], k[5], k[6], k[7], k[8]);
      else
        fprintf(f, "    rule: '%s | %s | (%s | %s) (%s | %s | %s) -%s | "
                   "NEAR/20(%s, %s)'\n",
                re[t], k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8]);
      fprintf(f, "    exclude: [%s]\n", k[9]);
      continue;
    }
    switch (t % 4) {
      case 0:
        fprintf(f, "    keywords: [");
        for (int i = 0; i < 10; i++) fprintf(f, "%s%s", i ? ", " : "", k[i]);
        fprintf(f, "]\n");
        break;
      case 1:
        fprintf(f, "    rule: '(%s | %s | %s | %s) (%s | %s | %s) -%s | "
                   "NEAR/20(%s, %s)'\n",
                k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9]);
        break;
      case 2:
        fprintf(f, "    regions: [%s, %s, %s]\n    subjects: [%s, %s, %s, %s]\n"
                   "    events: [%s, %s]\n    exclude: [%s]\n",
                k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9]);
        break;
      default:
        fprintf(f, "    rule: 'title:(%s | %s) | body:(%s | %s | %s) (%s | %s "
                   "| %s | %s) -%s'\n",
                k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9]);
    }
  }
  fclose(f);
  /* The corpus: articles of 1.5 to 6 KB, a third of their paragraphs
   * taken whole from the seeds, with a keyword now and then. */
  snprintf(path, sizeof path, "%s/corpus.txt", dir);
  f = fopen(path, "w");
  if (!f) die("cannot write the corpus");
  size_t cap = 1 << 16, want = (size_t)mb << 20, total = 0;
  char *doc = malloc(cap);
  while (total < want) {
    size_t w = babble(&md, 10 + rnd(16), doc);
    doc[w++] = '\t';
    size_t target = 1500 + rnd(4500);
    while (w < target) {
      if (rnd(3) == 0) {
        const char *p = md.lines[rnd((uint32_t)md.n_lines)];
        size_t n = strlen(p);
        if (w + n + 8 > cap) break;
        memcpy(doc + w, p, n);
        w += n;
      } else {
        w += babble(&md, 20 + rnd(60), doc + w);
        w += put_utf8(doc + w, 0x3002);
      }
      if (rnd(4) == 0) {
        const char *k = kw[rnd(N_KEYWORDS)];
        memcpy(doc + w, k, strlen(k));
        w += strlen(k);
      }
    }
    doc[w++] = '\n';
    fwrite(doc, 1, w, f);
    total += w;
  }
  fclose(f);
  printf("corpus %zu bytes, %d keywords, %d regexes, %d topics\n", total,
         N_KEYWORDS, N_REGEXES, N_TOPICS);
  return 0;
}

/* ------------------------------------------------------------ runners */

static const char *map_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st)) die("cannot open the corpus");
  *len = (size_t)st.st_size;
  const char *p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (p == MAP_FAILED) die("cannot map the corpus");
  return p;
}

static int run_mediawatch(const char *config, const char *corpus, bool score) {
  struct mw_config *cfg;
  struct mw_matcher *m;
  struct mw_err err;
  if (mw_config_load(config, &cfg, &err)) die(err.msg);
  if (mw_matcher_new_config(cfg, &m, &err)) die(err.msg);
  if (mw_matcher_error_count(m)) die(mw_matcher_error(m, 0)->message);
  struct mw_matcher_stats st;
  mw_matcher_stats(m, &st);
  size_t len;
  const char *text = map_file(corpus, &len);
  struct mw_topic_result *r = calloc(st.topics, sizeof *r);
  unsigned long long matched = 0;
  double levels = 0, t0 = now();
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    const char *tab = memchr(text + i, '\t', end - i);
    struct mw_doc d = {.title = {text + i, tab ? (size_t)(tab - text) - i : 0},
                       .body = {tab ? tab + 1 : text + i,
                                tab ? end - (size_t)(tab + 1 - text)
                                    : end - i}};
    int n = mw_matcher_match(m, &d, r, &err);
    if (n < 0) die(err.msg);
    matched += (unsigned long long)n;
    if (score) {
      double s;
      int level;
      if (mw_matcher_score(m, &d, &s, &level, &err)) die(err.msg);
      levels += level;
    }
    i = end + 1;
  }
  double t = now() - t0;
  printf("mediawatch%s %zu %.3f %.1f %zu %llu\n", score ? "+score" : "", len,
         t, (double)len / t / 1e6, st.db_bytes, matched);
  (void)levels;
  free(r);
  mw_matcher_free(m);
  mw_config_free(cfg);
  return 0;
}

static int on_hit(unsigned id, unsigned long long from, unsigned long long to,
                  unsigned flags, void *ctx) {
  (void)id, (void)from, (void)to, (void)flags;
  ++*(unsigned long long *)ctx;
  return 0;
}

static int run_hyperscan(const char *keywords, const char *corpus) {
  size_t klen;
  const char *k = map_file(keywords, &klen);
  const char **exprs = calloc(N_KEYWORDS + 1, sizeof *exprs);
  size_t *lens = calloc(N_KEYWORDS + 1, sizeof *lens);
  unsigned *ids = calloc(N_KEYWORDS + 1, sizeof *ids);
  unsigned n = 0;
  for (size_t i = 0; i < klen && n <= N_KEYWORDS;) {
    const char *nl = memchr(k + i, '\n', klen - i);
    size_t end = nl ? (size_t)(nl - k) : klen;
    if (end > i) {
      exprs[n] = k + i;
      lens[n] = end - i;
      ids[n] = n;
      n++;
    }
    i = end + 1;
  }
  hs_database_t *db;
  hs_compile_error_t *cerr;
  if (hs_compile_lit_multi(exprs, NULL, ids, lens, n, HS_MODE_BLOCK, NULL, &db,
                           &cerr) != HS_SUCCESS)
    die(cerr->message);
  hs_scratch_t *scratch = NULL;
  hs_alloc_scratch(db, &scratch);
  size_t dbsize;
  hs_database_size(db, &dbsize);
  size_t len;
  const char *text = map_file(corpus, &len);
  unsigned long long hits = 0;
  double t0 = now();
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - text) : len;
    hs_scan(db, text + i, (unsigned)(end - i), 0, scratch, on_hit, &hits);
    i = end + 1;
  }
  double t = now() - t0;
  printf("hyperscan %zu %.3f %.1f %zu %llu\n", len, t, (double)len / t / 1e6,
         dbsize, hits);
  hs_free_scratch(scratch);
  hs_free_database(db);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "gen")) {
    char *end;
    long mb = strtol(argv[3], &end, 10);
    if (*end || mb < 1) die("gen DIR MB: MB must be a positive number");
    return gen(argv[2], mb, MW_SOURCE_ROOT);
  }
  if ((argc == 4 || argc == 5) && !strcmp(argv[1], "mediawatch"))
    return run_mediawatch(argv[2], argv[3],
                          argc == 5 && !strcmp(argv[4], "--score"));
  if (argc == 4 && !strcmp(argv[1], "hyperscan"))
    return run_hyperscan(argv[2], argv[3]);
  fputs("usage: bench_match gen DIR MB\n"
        "       bench_match mediawatch CONFIG CORPUS [--score]\n"
        "       bench_match hyperscan KEYWORDS CORPUS\n",
        stderr);
  return 2;
}
