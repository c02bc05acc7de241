/*
 * corpus.h: what every C benchmark under bench/ shares: a corpus of files
 * read into memory before the clock starts, the process's CPU clock, and a
 * JSON string writer for --dump output compared by the peer scripts.
 */
#ifndef MW_BENCH_CORPUS_H
#define MW_BENCH_CORPUS_H

#include <stddef.h>

struct bench_file {
  char *path;
  char *data; /* NUL-terminated */
  size_t len;
};

struct bench_corpus {
  struct bench_file *files; /* sorted by path after bench_corpus_load */
  size_t n, cap;
  size_t bytes;
};

/* Reads every regular file under each of paths (folders recursively) whose
 * name ends with suffix ("" for all) into c, sorted by path. Prints what
 * went wrong to stderr, prefixed with prog, and returns -1 on failure. */
int bench_corpus_load(struct bench_corpus *c, char **paths, size_t n_paths,
                      const char *suffix, const char *prog);
void bench_corpus_free(struct bench_corpus *c);

/* CPU seconds used by this process so far. */
double bench_cpu_seconds(void);

/* Writes s as a JSON string (or null) to stdout. */
void bench_json_str(const char *s);

#endif
