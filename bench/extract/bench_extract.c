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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "crawler/crawler.h"
#include "crawler/html.h"

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
  size_t pl = strlen(path);
  if (pl < 5 || strcmp(path + pl - 5, ".html")) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "bench_extract: cannot open %s\n", path);
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
    cap_files = cap_files ? cap_files * 2 : 256;
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
    fprintf(stderr, "bench_extract: no such file or directory: %s\n", path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return add_file(path);
  DIR *d = opendir(path);
  if (!d) return -1;
  struct dirent *de;
  int rc = 0;
  while (rc == 0 && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
    struct stat ss;
    if (stat(sub, &ss) == 0 && S_ISDIR(ss.st_mode)) rc = add_path(sub);
    else rc = add_file(sub);
  }
  closedir(d);
  return rc;
}

static double cpu_now(void) {
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
    if (*p == '"' || *p == '\\') printf("\\%c", *p);
    else if (*p == '\n') fputs("\\n", stdout);
    else if (*p < 0x20) printf("\\u%04x", *p);
    else putchar(*p);
  }
  putchar('"');
}

static int dump(const char *url) {
  for (size_t i = 0; i < n_files; i++) {
    struct mw_extracted *x = NULL;
    struct mw_err err = {0};
    int rc = mw_article_extract(files[i].data, files[i].len, NULL, url, 28800,
                                NULL, &x, &err);
    const char *base = strrchr(files[i].path, '/');
    base = base ? base + 1 : files[i].path;
    if (rc) {
      printf("{\"file\":");
      json_str(base);
      printf(",\"error\":");
      json_str(err.msg);
      printf("}\n");
      continue;
    }
    char when[32] = "";
    if (x->published != MW_TIME_UNKNOWN)
      mw_time_format_iso_utc(x->published, when, sizeof when);
    printf("{\"file\":");
    json_str(base);
    printf(",\"title\":");
    json_str(x->title);
    printf(",\"published\":");
    json_str(when[0] ? when : NULL);
    printf(",\"origin\":");
    json_str(x->origin);
    printf(",\"author\":");
    json_str(x->author);
    printf(",\"editor\":");
    json_str(x->editor);
    printf(",\"charset\":");
    json_str(x->charset.name);
    printf(",\"charset_why\":");
    json_str(x->charset.why);
    printf(",\"title_from\":");
    json_str(x->title_from);
    printf(",\"time_from\":");
    json_str(x->time_from);
    printf(",\"origin_from\":");
    json_str(x->origin_from);
    printf(",\"body_from\":");
    json_str(x->body_from);
    printf(",\"body_chars\":%zu,\"body\":", x->body_chars);
    json_str(x->body);
    printf("}\n");
    mw_extracted_free(x);
  }
  return 0;
}

/* Decode and light tree only: the floor under extraction. */
static int tree_only(const struct file *f) {
  struct mw_charset_guess g;
  mw_charset_detect(f->data, f->len, NULL, &g);
  struct mw_buf b;
  mw_buf_init(&b, f->len * 3 + 1024);
  int rc = mw_charset_decode(f->data, f->len, g.name, &b, NULL, NULL);
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
  for (; i < argc; i++)
    if (add_path(argv[i]) != 0) return 1;
  if (!n_files) {
    fprintf(stderr, "bench_extract: no .html files given\n");
    return 1;
  }
  qsort(files, n_files, sizeof *files, cmp_file);
  if (do_dump) return dump(url);

  size_t bytes = 0, with_body = 0;
  for (size_t k = 0; k < n_files; k++) bytes += files[k].len;
  double t0 = cpu_now();
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
  double t1 = cpu_now();
  for (int r = 0; r < rounds; r++)
    for (size_t k = 0; k < n_files; k++)
      if (tree_only(&files[k])) return 1;
  double t2 = cpu_now();
  double pages = (double)n_files * rounds;
  printf("pages %zu\n", n_files);
  printf("bytes_per_page %.0f\n", (double)bytes / (double)n_files);
  printf("with_body %zu\n", with_body);
  printf("rounds %d\n", rounds);
  printf("seconds %.4f\n", t1 - t0);
  printf("pages_per_s %.0f\n", pages / (t1 - t0));
  printf("ms_per_page %.4f\n", (t1 - t0) * 1000.0 / pages);
  printf("tree_ms_per_page %.4f\n", (t2 - t1) * 1000.0 / pages);
  return 0;
}
