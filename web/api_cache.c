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
 * is at most that old. While an answer never counted yet is being
 * counted, the others wait for it rather than count the same thing at
 * once.
 *
 * Refresh-ahead: a key asked for with a recipe (mw_web_api_cache_get_ex)
 * within the last MW_WEB_API_CACHE_WANTED_S is computed again in the
 * background (mw_web_api_cache_refresh, from the server's indexer thread
 * on its own store handle) once it is within MW_WEB_API_CACHE_AHEAD_S of
 * expiring, so after the first request of a key no request waits for a
 * recount while people keep asking; requests meanwhile get the answer
 * still kept. A key nobody asked for that long just expires. Should an
 * answer expire all the same (the refresh failed, or the indexer was busy
 * catching up), the first request recounts it while the others are given
 * the old one. At most SLOTS answers are kept (the least recently asked
 * goes first), so refreshing costs at most SLOTS recounts a TTL.
 *
 * What it leaves to others: what a key means and what is computed (the
 * handlers), when refreshing runs (server.c). One cache per process,
 * shared by its servers: keys name the database, and a server refreshes
 * only the keys of its own.
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
  double used;    /* last asked for: eviction, and whether to refresh */
  bool filling;   /* a request or the refresher is computing it */
  /* How to compute it again (refresh-ahead); fn NULL: never refreshed. */
  int (*fn)(struct mw_web *w, struct mw_store *s, int64_t now, const void *arg,
            char **text);
  unsigned char arg[MW_WEB_API_CACHE_ARG_MAX];
  size_t arg_len;
  char *db;             /* the database of the key, for the refresher */
  double refresh_after; /* a failed refresh is not retried before this */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t filled = PTHREAD_COND_INITIALIZER;
static struct slot slots[SLOTS];
static double (*test_clock)(void); /* under lock */

static double clock_ms(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Monotonic seconds; under lock. */
static double now_s(void) {
  return test_clock ? test_clock() : clock_ms(CLOCK_MONOTONIC) / 1000.0;
}

double mw_web_api_cpu_ms(void) {
  return clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

void mw_web_api_cache_set_clock(double (*now)(void)) {
  pthread_mutex_lock(&lock);
  test_clock = now;
  pthread_mutex_unlock(&lock);
}

static void slot_clear(struct slot *s) {
  free(s->text);
  free(s->db);
  memset(s, 0, sizeof *s);
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
  slot_clear(best);
  snprintf(best->key, sizeof best->key, "%s", key);
  return best;
}

/* Gives s its recipe unless it has one (first asker wins: the same key
 * means the same computation). Out of memory only leaves it without. */
static void set_recipe(struct slot *s, const char *db,
                       const struct mw_web_api_refill *how) {
  if (s->fn || !how || !how->fn || !db || how->arg_len > sizeof s->arg ||
      (how->arg_len && !how->arg))
    return;
  if (!(s->db = mw_strdup(db))) return;
  s->fn = how->fn;
  if (how->arg_len) memcpy(s->arg, how->arg, how->arg_len);
  s->arg_len = how->arg_len;
}

char *mw_web_api_cache_get_ex(const char *key, const char *db,
                              const struct mw_web_api_refill *how,
                              bool *must_put) {
  *must_put = false;
  if (strlen(key) >= KEY_MAX) return NULL;
  pthread_mutex_lock(&lock);
  double now = now_s();
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
    set_recipe(s, db, how);
  } else if ((s = s ? s : claim(key))) {
    s->filling = true;
    s->used = now;
    set_recipe(s, db, how);
    *must_put = true;
  }
  pthread_mutex_unlock(&lock);
  return copy;
}

char *mw_web_api_cache_get(const char *key, bool *must_put) {
  return mw_web_api_cache_get_ex(key, NULL, NULL, must_put);
}

/* Under lock: the answer of s is text (NULL: none) that took cost_ms. */
static void store_answer(struct slot *s, const char *text, double cost_ms) {
  s->filling = false;
  free(s->text);
  s->text = NULL;
  if (text && cost_ms >= MW_WEB_API_CACHE_SLOW_MS) {
    s->text = mw_strdup(text);
    s->expires = now_s() + MW_WEB_API_CACHE_TTL_S;
  }
  if (!s->text) slot_clear(s);
}

void mw_web_api_cache_put(const char *key, const char *text, double cost_ms) {
  pthread_mutex_lock(&lock);
  struct slot *s = find(key);
  if (s) store_answer(s, text, cost_ms);
  pthread_cond_broadcast(&filled);
  pthread_mutex_unlock(&lock);
}

/* Under lock: the kept answer of db most in need of a refresh (asked for
 * lately, expiring soonest within the margin), marked filling; NULL when
 * none is due. */
static struct slot *due(const char *db, double now) {
  struct slot *best = NULL;
  for (size_t i = 0; i < SLOTS; i++) {
    struct slot *s = &slots[i];
    if (!s->key[0] || !s->text || s->filling || !s->fn || !s->db ||
        strcmp(s->db, db) != 0 || now - s->used > MW_WEB_API_CACHE_WANTED_S ||
        s->expires - now > MW_WEB_API_CACHE_AHEAD_S || now < s->refresh_after)
      continue;
    if (!best || s->expires < best->expires) best = s;
  }
  if (best) best->filling = true;
  return best;
}

size_t mw_web_api_cache_refresh(struct mw_web *w, struct mw_store *store,
                                int64_t now) {
  if (!w || !w->cfg || !w->cfg->storage_path) return 0;
  size_t done = 0;
  /* Each slot at most once a call, whatever its answer's cost. */
  for (size_t round = 0; round < SLOTS; round++) {
    unsigned char arg[MW_WEB_API_CACHE_ARG_MAX];
    pthread_mutex_lock(&lock);
    struct slot *s = due(w->cfg->storage_path, now_s());
    if (!s) {
      pthread_mutex_unlock(&lock);
      break;
    }
    memcpy(arg, s->arg, s->arg_len);
    int (*fn)(struct mw_web *, struct mw_store *, int64_t, const void *,
              char **) = s->fn;
    pthread_mutex_unlock(&lock);

    char *text = NULL;
    double t0 = mw_web_api_cpu_ms();
    int rc = fn(w, store, now, arg, &text);
    double cost = mw_web_api_cpu_ms() - t0;

    pthread_mutex_lock(&lock);
    /* Filling slots are never evicted: s still holds key. */
    if (rc == MW_OK && text) {
      store_answer(s, text, cost);
      done++;
    } else {
      /* The answer kept stays until it expires; then a request recounts
       * it as before refreshing existed. */
      s->filling = false;
      s->refresh_after = s->expires;
    }
    pthread_cond_broadcast(&filled);
    pthread_mutex_unlock(&lock);
    free(text);
  }
  return done;
}
