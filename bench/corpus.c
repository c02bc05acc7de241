/*
 * corpus.c: the shared part of the C benchmarks; see corpus.h.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/corpus.h"

static int add_file(struct bench_corpus *c, const char *path,
                    const char *prog) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: cannot open %s\n", prog, path);
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
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 64;
    struct bench_file *nf = realloc(c->files, cap * sizeof *nf);
    if (!nf) {
      free(data);
      return -1;
    }
    c->files = nf;
    c->cap = cap;
  }
  c->files[c->n].path = strdup(path);
  c->files[c->n].data = data;
  c->files[c->n].len = len;
  c->n++;
  c->bytes += len;
  return 0;
}

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

static int add_path(struct bench_corpus *c, const char *path,
                    const char *suffix, const char *prog) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "%s: no such file or directory: %s\n", prog, path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return has_suffix(path, suffix) ? add_file(c, path, prog) : 0;
  DIR *d = opendir(path);
  if (!d) return -1;
  struct dirent *de;
  int rc = 0;
  while (rc == 0 && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
    rc = add_path(c, sub, suffix, prog);
  }
  closedir(d);
  return rc;
}

static int cmp_file(const void *a, const void *b) {
  return strcmp(((const struct bench_file *)a)->path,
                ((const struct bench_file *)b)->path);
}

int bench_corpus_load(struct bench_corpus *c, char **paths, size_t n_paths,
                      const char *suffix, const char *prog) {
  for (size_t i = 0; i < n_paths; i++)
    if (add_path(c, paths[i], suffix, prog)) return -1;
  qsort(c->files, c->n, sizeof *c->files, cmp_file);
  return 0;
}

void bench_corpus_free(struct bench_corpus *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->files[i].path);
    free(c->files[i].data);
  }
  free(c->files);
  c->files = NULL;
  c->n = c->cap = c->bytes = 0;
}

double bench_cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_json_str(const char *s) {
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
