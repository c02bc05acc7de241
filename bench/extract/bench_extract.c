/*
 * bench_extract.c: article extraction's throughput, and a dump of what it
 * extracts.
 *
 *   bench_extract [-n N] DIR|FILE...   extract every .html file N times
 *                                      (default 3) and print pages, CPU
 *                                      seconds, pages/s, ms/page, and the
 *                                      same for the decode + light-tree
 *                                      part alone
 *   bench_extract --dump [--url URL] DIR|FILE...
 *                                      print each page's fields as one JSON
 *                                      line (bench/extract/run scores them
 *                                      against the corpus' truth)
 *
 * Files are read into memory before the clock starts; only extraction is
 * timed, in CPU seconds of this process, with no HTTP charset, the URL
 * given (or none) and dates at +08:00. Not part of `meson test`;
 * bench/extract/run drives it against python3-readability.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/corpus.h"
#include "crawler/crawler.h"
#include "crawler/html.h"

static int dump(const struct bench_corpus *c, const char *url) {
  const struct bench_file *files = c->files;
  for (size_t i = 0; i < c->n; i++) {
    struct mw_extracted *x = NULL;
    struct mw_err err = {0};
    int rc = mw_article_extract(files[i].data, files[i].len, NULL, url, 28800,
                                NULL, &x, &err);
    const char *base = strrchr(files[i].path, '/');
    base = base ? base + 1 : files[i].path;
    if (rc) {
      printf("{\"file\":");
      bench_json_str(base);
      printf(",\"error\":");
      bench_json_str(err.msg);
      printf("}\n");
      continue;
    }
    char when[32] = "";
    if (x->published != MW_TIME_UNKNOWN)
      mw_time_format_iso_utc(x->published, when, sizeof when);
    printf("{\"file\":");
    bench_json_str(base);
    printf(",\"title\":");
    bench_json_str(x->title);
    printf(",\"published\":");
    bench_json_str(when[0] ? when : NULL);
    printf(",\"origin\":");
    bench_json_str(x->origin);
    printf(",\"author\":");
    bench_json_str(x->author);
    printf(",\"editor\":");
    bench_json_str(x->editor);
    printf(",\"charset\":");
    bench_json_str(x->charset.name);
    printf(",\"charset_why\":");
    bench_json_str(x->charset.why);
    printf(",\"title_from\":");
    bench_json_str(x->title_from);
    printf(",\"time_from\":");
    bench_json_str(x->time_from);
    printf(",\"origin_from\":");
    bench_json_str(x->origin_from);
    printf(",\"body_from\":");
    bench_json_str(x->body_from);
    printf(",\"body_chars\":%zu,\"body\":", x->body_chars);
    bench_json_str(x->body);
    printf("}\n");
    mw_extracted_free(x);
  }
  return 0;
}

/* Decode and light tree only: the floor under extraction. */
static int tree_only(const struct bench_file *f) {
  struct mw_charset_guess g;
  struct mw_buf b;
  mw_buf_init(&b, f->len * 3 + 1024);
  int rc = mw_charset_decode_page(f->data, f->len, NULL, &g, &b, NULL, NULL);
  struct mw_html_doc *doc = NULL;
  if (!rc) rc = mw_html_parse(b.data ? b.data : "", b.len, NULL, &doc, NULL);
  mw_html_free(doc);
  mw_buf_cleanup(&b);
  return rc;
}

int main(int argc, char **argv) {
  int rounds = 3;
  bool do_dump = false;
  const char *url = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    int64_t n;
    if (!strcmp(argv[i], "-n") && i + 1 < argc &&
        mw_parse_int64(argv[i + 1], 1, 1000000, &n) == MW_OK)
      rounds = (int)n, i++;
    else if (!strcmp(argv[i], "--dump")) do_dump = true;
    else if (!strcmp(argv[i], "--url") && i + 1 < argc) url = argv[++i];
    else {
      fprintf(stderr, "usage: bench_extract [-n N] [--dump [--url URL]] "
                      "DIR|FILE...\n");
      return 2;
    }
  }
  if (i == argc || rounds < 1) {
    fprintf(stderr, "usage: bench_extract [-n N] [--dump [--url URL]] "
                    "DIR|FILE...\n");
    return 2;
  }
  struct bench_corpus c = {0};
  if (bench_corpus_load(&c, argv + i, (size_t)(argc - i), ".html",
                        "bench_extract"))
    return 1;
  if (!c.n) {
    fprintf(stderr, "bench_extract: no .html files given\n");
    return 1;
  }
  const struct bench_file *files = c.files;
  size_t n_files = c.n;
  if (do_dump) {
    int rc = dump(&c, url);
    bench_corpus_free(&c);
    return rc;
  }

  size_t with_body = 0;
  double t0 = bench_cpu_seconds();
  for (int r = 0; r < rounds; r++)
    for (size_t k = 0; k < n_files; k++) {
      struct mw_extracted *x = NULL;
      struct mw_err err = {0};
      if (mw_article_extract(files[k].data, files[k].len, NULL, url, 28800,
                             NULL, &x, &err)) {
        fprintf(stderr, "bench_extract: %s: %s\n", files[k].path, err.msg);
        return 1;
      }
      if (r == 0 && x->body) with_body++;
      mw_extracted_free(x);
    }
  double t1 = bench_cpu_seconds();
  for (int r = 0; r < rounds; r++)
    for (size_t k = 0; k < n_files; k++)
      if (tree_only(&files[k])) return 1;
  double t2 = bench_cpu_seconds();
  double pages = (double)n_files * rounds;
  printf("pages %zu\n", n_files);
  printf("bytes_per_page %.0f\n", (double)c.bytes / (double)n_files);
  printf("with_body %zu\n", with_body);
  printf("rounds %d\n", rounds);
  printf("seconds %.4f\n", t1 - t0);
  printf("pages_per_s %.0f\n", pages / (t1 - t0));
  printf("ms_per_page %.4f\n", (t1 - t0) * 1000.0 / pages);
  printf("tree_ms_per_page %.4f\n", (t2 - t1) * 1000.0 / pages);
  bench_corpus_free(&c);
  return 0;
}
