/*
 * api_cache.c: keeps the JSON of answers that were slow to compute for a
 * short while, so the overview (GET /api/coverage) over a year of a
 * province's articles answers at once while a crawl writes, instead of
 * every open dashboard recounting a week of articles every time.
 *
 * Only an answer that took MW_WEB_API_CACHE_SLOW_MS or more of the
 * thread's CPU time is kept (a request that merely waited for a busy
 * machine is not slow), for MW_WEB_API_CACHE_TTL_S seconds of the
 * monotonic clock: a small store is always counted afresh, and a big one
 * is at most that old. When a kept
 * answer expires, the first request recounts it while the others are
 * given the old one; while an answer never counted yet is being counted,
 * the others wait for it rather than count the same thing at once.
 *
 * What it leaves to others: what a key means and what is computed (the
 * handlers). One cache per process, shared by its servers: keys name the
 * database.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/api_args.h"

#define SLOTS 16
#define KEY_MAX 1024

struct slot {
  char key[KEY_MAX];
  char *text;     /* the answer, NULL when none is kept */
  double expires; /* monotonic seconds */
  double used;    /* last asked for, for eviction */
  bool filling;   /* a request is computing it */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t filled = PTHREAD_COND_INITIALIZER;
static struct slot slots[SLOTS];

static double clock_ms(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

double mw_web_api_cpu_ms(void) {
  return clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

static struct slot *find(const char *key) {
  for (size_t i = 0; i < SLOTS; i++)
    if (slots[i].key[0] && !strcmp(slots[i].key, key)) return &slots[i];
  return NULL;
}

/* A slot for a new key: an empty one, else the least recently used one
 * nobody is filling; NULL when every slot is being filled. */
static struct slot *claim(const char *key) {
  struct slot *best = NULL;
  for (size_t i = 0; i < SLOTS; i++) {
    struct slot *s = &slots[i];
    if (s->filling) continue;
    if (!s->key[0]) {
      best = s;
      break;
    }
    if (!best || s->used < best->used) best = s;
  }
  if (!best) return NULL;
  free(best->text);
  memset(best, 0, sizeof *best);
  snprintf(best->key, sizeof best->key, "%s", key);
  return best;
}

char *mw_web_api_cache_get(const char *key, bool *must_put) {
  *must_put = false;
  if (strlen(key) >= KEY_MAX) return NULL;
  pthread_mutex_lock(&lock);
  double now = clock_ms(CLOCK_MONOTONIC) / 1000.0;
  struct slot *s = find(key);
  /* Never counted yet, being counted: wait for it. */
  while (s && s->filling && !s->text) {
    pthread_cond_wait(&filled, &lock);
    s = find(key);
  }
  char *copy = NULL;
  if (s && s->text && (now < s->expires || s->filling)) {
    s->used = now;
    copy = mw_strdup(s->text);
  } else if ((s = s ? s : claim(key))) {
    s->filling = true;
    s->used = now;
    *must_put = true;
  }
  pthread_mutex_unlock(&lock);
  return copy;
}

void mw_web_api_cache_put(const char *key, const char *text, double cost_ms) {
  pthread_mutex_lock(&lock);
  struct slot *s = find(key);
  if (s) {
    s->filling = false;
    free(s->text);
    s->text = NULL;
    if (text && cost_ms >= MW_WEB_API_CACHE_SLOW_MS) {
      s->text = mw_strdup(text);
      s->expires = clock_ms(CLOCK_MONOTONIC) / 1000.0 + MW_WEB_API_CACHE_TTL_S;
    }
    if (!s->text) s->key[0] = '\0';
  }
  pthread_cond_broadcast(&filled);
  pthread_mutex_unlock(&lock);
}
