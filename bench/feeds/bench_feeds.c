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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "crawler/crawler.h"

struct file {
  char *path;
  char *data;
  size_t len;
};

static struct file *files;
static size_t n_files, cap_files;

static int cmp_file(const void *a, const void *b) {
  return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static int add_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "bench_feeds: cannot open %s\n", path);
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(f);
    return 0;
  }
  char *data = malloc((size_t)st.st_size + 1);
  size_t len = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
  fclose(f);
  if (!data) return -1;
  data[len] = '\0';
  if (n_files == cap_files) {
    cap_files = cap_files ? cap_files * 2 : 64;
    struct file *nf = realloc(files, cap_files * sizeof *nf);
    if (!nf) return -1;
    files = nf;
  }
  files[n_files].path = strdup(path);
  files[n_files].data = data;
  files[n_files].len = len;
  n_files++;
  return 0;
}

static int add_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "bench_feeds: no such file or directory: %s\n", path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return add_file(path);
  DIR *d = opendir(path);
  if (!d) return -1;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(de->d_name) + 2;
    char *full = malloc(n);
    if (!full) break;
    snprintf(full, n, "%s/%s", path, de->d_name);
    int rc = add_file(full);
    free(full);
    if (rc) {
      closedir(d);
      return rc;
    }
  }
  closedir(d);
  return 0;
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void json_str(const char *s) {
  if (!s) {
    fputs("null", stdout);
    return;
  }
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      printf("\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", stdout);
    else if (*p < 0x20)
      printf("\\u%04x", *p);
    else
      putchar(*p);
  }
  putchar('"');
}

static void json_time(int64_t t) {
  if (t == MW_TIME_UNKNOWN)
    fputs("null", stdout);
  else
    printf("%lld", (long long)t);
}

static void dump(const struct file *f, int offset_s) {
  struct mw_feed *feed;
  struct mw_err err = {0};
  int rc =
      mw_feed_parse(f->data, f->len, NULL, NULL, offset_s, NULL, &feed, &err);
  printf("{\"file\":");
  json_str(f->path);
  if (rc) {
    printf(",\"error\":");
    json_str(err.msg);
    printf("}\n");
    return;
  }
  printf(",\"format\":\"%s\",\"encoding\":", mw_feed_format_name(feed->format));
  json_str(feed->encoding);
  printf(",\"recovered\":%s,\"title\":", feed->recovered ? "true" : "false");
  json_str(feed->title);
  printf(",\"link\":");
  json_str(feed->link);
  printf(",\"entries\":[");
  for (size_t i = 0; i < feed->n_entries; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    printf("%s{\"title\":", i ? "," : "");
    json_str(e->title);
    printf(",\"link\":");
    json_str(e->link);
    printf(",\"id\":");
    json_str(e->id);
    printf(",\"published\":");
    json_time(e->published);
    printf(",\"updated\":");
    json_time(e->updated);
    printf(",\"author\":");
    json_str(e->author);
    printf(",\"text\":");
    json_str(e->text);
    printf("}");
  }
  printf("],\"problems\":[");
  for (size_t i = 0; i < feed->n_problems; i++) {
    if (i) putchar(',');
    json_str(feed->problems[i]);
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
  for (; i < argc; i++)
    if (add_path(argv[i])) return 1;
  qsort(files, n_files, sizeof *files, cmp_file);
  if (do_dump) {
    for (size_t k = 0; k < n_files; k++) dump(&files[k], offset_s);
    return 0;
  }
  size_t bytes = 0, items = 0, failed = 0;
  for (size_t k = 0; k < n_files; k++) bytes += files[k].len;
  double t0 = cpu_seconds();
  for (long r = 0; r < rounds; r++) {
    for (size_t k = 0; k < n_files; k++) {
      struct mw_feed *feed;
      if (mw_feed_parse(files[k].data, files[k].len, NULL, NULL, 28800, NULL,
                        &feed, NULL) != MW_OK) {
        failed++;
        continue;
      }
      items += feed->n_entries;
      mw_feed_free(feed);
    }
  }
  double secs = cpu_seconds() - t0;
  printf(
      "files %zu\nbytes %zu\nrounds %ld\nfailed %zu\nitems %zu\n"
      "seconds %.3f\nitems_per_s %.0f\nmb_per_s %.1f\n",
      n_files, bytes, rounds, failed, items, secs,
      secs > 0 ? (double)items / secs : 0.0,
      secs > 0 ? (double)bytes * (double)rounds / secs / 1e6 : 0.0);
  return 0;
}
