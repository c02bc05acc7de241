/*
 * bench_feeds.c: the feed parser's throughput, and a dump of what it reads.
 *
 *   bench_feeds [-n N] DIR|FILE...     parse every file N times (default 1)
 *                                      and print items, CPU seconds, items/s
 *   bench_feeds --dump [--offset S] DIR|FILE...
 *                                      print each file's feed as one JSON
 *                                      line, dates without a zone at S
 *                                      seconds east (default 28800), for
 *                                      comparing with other parsers
 *                                      (agree.py)
 *
 * Files are read into memory before the clock starts: only parsing is
 * timed, in CPU seconds of this process. Files are parsed in name order
 * with no HTTP charset and no base URL, dates at +08:00. Not part of
 * `meson test`; bench/feeds/run drives it against feedparser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/corpus.h"
#include "crawler/crawler.h"

static void json_time(int64_t t) {
  if (t == MW_TIME_UNKNOWN)
    fputs("null", stdout);
  else
    printf("%lld", (long long)t);
}

static void dump(const struct bench_file *f, int offset_s) {
  struct mw_feed *feed;
  struct mw_err err = {0};
  int rc =
      mw_feed_parse(f->data, f->len, NULL, NULL, offset_s, NULL, &feed, &err);
  printf("{\"file\":");
  bench_json_str(f->path);
  if (rc) {
    printf(",\"error\":");
    bench_json_str(err.msg);
    printf("}\n");
    return;
  }
  printf(",\"format\":\"%s\",\"encoding\":", mw_feed_format_name(feed->format));
  bench_json_str(feed->encoding);
  printf(",\"recovered\":%s,\"title\":", feed->recovered ? "true" : "false");
  bench_json_str(feed->title);
  printf(",\"link\":");
  bench_json_str(feed->link);
  printf(",\"entries\":[");
  for (size_t i = 0; i < feed->n_entries; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    printf("%s{\"title\":", i ? "," : "");
    bench_json_str(e->title);
    printf(",\"link\":");
    bench_json_str(e->link);
    printf(",\"id\":");
    bench_json_str(e->id);
    printf(",\"published\":");
    json_time(e->published);
    printf(",\"updated\":");
    json_time(e->updated);
    printf(",\"author\":");
    bench_json_str(e->author);
    printf(",\"text\":");
    bench_json_str(e->text);
    printf("}");
  }
  printf("],\"problems\":[");
  for (size_t i = 0; i < feed->n_problems; i++) {
    if (i) putchar(',');
    bench_json_str(feed->problems[i]);
  }
  printf("]}\n");
  mw_feed_free(feed);
}

int main(int argc, char **argv) {
  long rounds = 1;
  int do_dump = 0, offset_s = 28800;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "--dump")) {
      do_dump = 1;
    } else if (!strcmp(argv[i], "--offset") && i + 1 < argc) {
      offset_s = (int)strtol(argv[++i], NULL, 10);
    } else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
      rounds = strtol(argv[++i], NULL, 10);
      if (rounds < 1) rounds = 1;
    } else {
      fprintf(stderr,
              "usage: bench_feeds [-n N] [--dump [--offset S]] "
              "DIR|FILE...\n");
      return 2;
    }
  }
  if (i >= argc) {
    fprintf(stderr, "usage: bench_feeds [-n N] [--dump] DIR|FILE...\n");
    return 2;
  }
  struct bench_corpus c = {0};
  if (bench_corpus_load(&c, argv + i, (size_t)(argc - i), "", "bench_feeds"))
    return 1;
  if (do_dump) {
    for (size_t k = 0; k < c.n; k++) dump(&c.files[k], offset_s);
    bench_corpus_free(&c);
    return 0;
  }
  size_t items = 0, failed = 0;
  double t0 = bench_cpu_seconds();
  for (long r = 0; r < rounds; r++) {
    for (size_t k = 0; k < c.n; k++) {
      struct mw_feed *feed;
      if (mw_feed_parse(c.files[k].data, c.files[k].len, NULL, NULL, 28800, NULL,
                        &feed, NULL) != MW_OK) {
        failed++;
        continue;
      }
      items += feed->n_entries;
      mw_feed_free(feed);
    }
  }
  double secs = bench_cpu_seconds() - t0;
  printf(
      "files %zu\nbytes %zu\nrounds %ld\nfailed %zu\nitems %zu\n"
      "seconds %.3f\nitems_per_s %.0f\nmb_per_s %.1f\n",
      c.n, c.bytes, rounds, failed, items, secs,
      secs > 0 ? (double)items / secs : 0.0,
      secs > 0 ? (double)c.bytes * (double)rounds / secs / 1e6 : 0.0);
  bench_corpus_free(&c);
  return 0;
}
