/*
 * pool.c: the server's store handles. A store handle is not shared
 * between threads (store.h), and a connection runs on a thread of its
 * own, so each request borrows one of a few handles for as long as its
 * handler runs and gives it back; a request finding none free waits.
 *
 * The handles are opened on the database the crawler writes (SQLite WAL:
 * readers never block it). What it leaves to others: what a request does
 * with its handle (server.c, the handlers).
 */
#include <pthread.h>
#include <stdlib.h>

#include "web/web_int.h"

struct mw_web_pool {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  struct mw_store **all; /* every handle, for closing */
  struct mw_store **idle; /* a stack of the free ones */
  size_t n, n_idle;
};

int mw_web_pool_open(const char *db_path, size_t n, struct mw_web_pool **out,
                     struct mw_err *err) {
  *out = NULL;
  if (n == 0) n = 1;
  struct mw_web_pool *p = calloc(1, sizeof *p);
  if (!p) return mw_err_set(err, MW_ENOMEM, "serve: out of memory");
  p->all = calloc(n, sizeof *p->all);
  p->idle = calloc(n, sizeof *p->idle);
  if (!p->all || !p->idle) {
    free(p->all);
    free(p->idle);
    free(p);
    return mw_err_set(err, MW_ENOMEM, "serve: out of memory");
  }
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->freed, NULL);
  for (size_t i = 0; i < n; i++) {
    int rc = mw_store_open(db_path, &p->all[i], err);
    if (rc) {
      mw_web_pool_close(p);
      return rc;
    }
    p->n++;
    p->idle[p->n_idle++] = p->all[i];
  }
  *out = p;
  return MW_OK;
}

struct mw_store *mw_web_pool_take(struct mw_web_pool *p) {
  pthread_mutex_lock(&p->lock);
  while (p->n_idle == 0) pthread_cond_wait(&p->freed, &p->lock);
  struct mw_store *s = p->idle[--p->n_idle];
  pthread_mutex_unlock(&p->lock);
  return s;
}

void mw_web_pool_give(struct mw_web_pool *p, struct mw_store *s) {
  if (!s) return;
  pthread_mutex_lock(&p->lock);
  p->idle[p->n_idle++] = s;
  pthread_cond_signal(&p->freed);
  pthread_mutex_unlock(&p->lock);
}

void mw_web_pool_close(struct mw_web_pool *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) mw_store_close(p->all[i]);
  pthread_cond_destroy(&p->freed);
  pthread_mutex_destroy(&p->lock);
  free(p->all);
  free(p->idle);
  free(p);
}
