/*
 * limiter.c: failed sign-ins counted per key ("ip:<address>",
 * "name:<user>") in a fixed window that opens at the first failure: after
 * max_failures within window_s, the key waits until the window closes.
 *
 * The table is bounded (LIMIT_KEYS entries): when it is full, the entry
 * whose window opened first gives way, so a flood of made-up names costs
 * memory of a fixed size (and can at worst shorten someone's wait). Keys
 * longer than LIMIT_KEY_MAX bytes are cut: two names sharing such a
 * prefix share a count. One mutex: sign-ins are rare.
 *
 * What it leaves to others: which keys to count, and the reply (auth.c).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

#define LIMIT_KEYS 4096
#define LIMIT_KEY_MAX 127

struct limit_entry {
  char key[LIMIT_KEY_MAX + 1]; /* "" when free */
  int64_t first;               /* the window opened here */
  int64_t failures;
};

struct mw_web_limiter {
  pthread_mutex_t lock;
  struct limit_entry e[LIMIT_KEYS];
  size_t used; /* entries 0..used-1 may be taken */
};

int mw_web_limiter_new(struct mw_web_limiter **out) {
  struct mw_web_limiter *l = calloc(1, sizeof *l);
  if (!l) return MW_ENOMEM;
  pthread_mutex_init(&l->lock, NULL);
  *out = l;
  return MW_OK;
}

void mw_web_limiter_free(struct mw_web_limiter *l) {
  if (!l) return;
  pthread_mutex_destroy(&l->lock);
  free(l);
}

/* The key as stored: cut at LIMIT_KEY_MAX bytes. */
static void key_copy(char *dst, const char *key) {
  size_t n = strnlen(key, LIMIT_KEY_MAX);
  memcpy(dst, key, n);
  dst[n] = '\0';
}

static struct limit_entry *find(struct mw_web_limiter *l, const char *key) {
  for (size_t i = 0; i < l->used; i++)
    if (l->e[i].key[0] && strcmp(l->e[i].key, key) == 0) return &l->e[i];
  return NULL;
}

int64_t mw_web_limiter_wait(struct mw_web_limiter *l, const char *key,
                            int64_t now, int64_t max_failures,
                            int64_t window_s) {
  char k[LIMIT_KEY_MAX + 1];
  key_copy(k, key);
  int64_t wait = 0;
  pthread_mutex_lock(&l->lock);
  struct limit_entry *e = find(l, k);
  if (e && now - e->first < window_s && max_failures > 0 &&
      e->failures >= max_failures)
    wait = e->first + window_s - now;
  pthread_mutex_unlock(&l->lock);
  return wait > 0 ? wait : 0;
}

void mw_web_limiter_fail(struct mw_web_limiter *l, const char *key,
                         int64_t now, int64_t window_s) {
  char k[LIMIT_KEY_MAX + 1];
  key_copy(k, key);
  pthread_mutex_lock(&l->lock);
  struct limit_entry *e = find(l, k);
  if (!e) {
    /* A free slot, else a window that closed, else the oldest window. */
    struct limit_entry *oldest = NULL;
    for (size_t i = 0; i < l->used && !e; i++) {
      struct limit_entry *c = &l->e[i];
      if (!c->key[0] || now - c->first >= window_s) e = c;
      else if (!oldest || c->first < oldest->first) oldest = c;
    }
    if (!e && l->used < LIMIT_KEYS) e = &l->e[l->used++];
    if (!e) e = oldest;
    memcpy(e->key, k, sizeof k);
    e->first = now;
    e->failures = 0;
  } else if (now - e->first >= window_s) {
    e->first = now;
    e->failures = 0;
  }
  e->failures++;
  pthread_mutex_unlock(&l->lock);
}

void mw_web_limiter_clear(struct mw_web_limiter *l, const char *key) {
  char k[LIMIT_KEY_MAX + 1];
  key_copy(k, key);
  pthread_mutex_lock(&l->lock);
  struct limit_entry *e = find(l, k);
  if (e) e->key[0] = '\0';
  pthread_mutex_unlock(&l->lock);
}
