/*
 * api_args.h (private to the JSON API, web/api_*.c): reading the query
 * arguments several endpoints share (paging, days and times) and turning
 * stored text into JSON values.
 *
 * Every reader either fills its result and returns MW_OK, or sets a 400
 * reply naming the argument (mw_web_reply_error) and returns its code, so
 * a handler can `return` it. Query values are NUL-terminated by the
 * server; they are read with bounded lengths all the same.
 */
#ifndef MW_WEB_API_ARGS_H
#define MW_WEB_API_ARGS_H

#include "web/web_int.h"

#define MW_WEB_API_PAGE_MAX 10000 /* deeper pages are refused */
#define MW_WEB_API_ARG_MAX 256    /* bytes of a filter argument */

/* page (1..MW_WEB_API_PAGE_MAX, default 1) and per_page (1..max, default
 * def). */
int mw_web_api_paging(const struct mw_web_req *r, struct mw_web_resp *o,
                      size_t def, size_t max, size_t *page, size_t *per_page);

/* The time argument key, as epoch seconds or a local day "YYYY-MM-DD":
 * the day's first instant, or with end true the first instant of the day
 * after (so "to=2026-11-30" takes in the whole 30th). *t 0 when absent. */
int mw_web_api_time_arg(const struct mw_web_req *r, struct mw_web_resp *o,
                        const char *key, bool end, int64_t *t);

/* A filter argument of at most MW_WEB_API_ARG_MAX bytes; *v NULL when
 * absent or empty. */
int mw_web_api_text_arg(const struct mw_web_req *r, struct mw_web_resp *o,
                        const char *key, const char **v);

/* A local time in tz: "YYYY-MM-DD HH:MM" (or with 'T', with ":SS"), or a
 * day "YYYY-MM-DD" (its start, or with day_end the start of the next
 * day). s holds n bytes. False when s is none of these. */
bool mw_web_api_parse_local(const struct mw_tz *tz, const char *s, size_t n,
                            bool day_end, int64_t *t);

/* s as a JSON string (bytes that are not UTF-8 become U+FFFD), JSON null
 * for NULL; NULL only when out of memory. Caller owns the reference. */
json_t *mw_web_api_str(const char *s);

/* Setters on a JSON object; each returns 0, or -1 when out of memory.
 * set_time sets key (epoch seconds, 0 for none) and key_text (local time,
 * "" for none). */
int mw_web_api_set_str(json_t *obj, const char *key, const char *s);
int mw_web_api_set_int(json_t *obj, const char *key, int64_t v);
int mw_web_api_set_time(const struct mw_web *w, json_t *obj, const char *key,
                        int64_t t);

/* The period's name into buf: "2026-W47", "2026-11", or for days
 * "2026-11-01<sep>2026-11-30" (first and last day, local). */
void mw_web_api_period_label(const struct mw_tz *tz,
                             const struct mw_report_period *p, const char *sep,
                             char *buf, size_t n);

/* The JSON error reply for a failed store or engine call: 404 not_found
 * for MW_ENOTFOUND, else a 500 (logged by the server, not shown). */
int mw_web_api_fail(struct mw_web_resp *o, int rc, const struct mw_err *err);

/* ------------------------------------------- api_cache.c: slow answers */

/* Answers that took at least this much CPU time are kept this long
 * (monotonic). */
#define MW_WEB_API_CACHE_SLOW_MS 25.0
#define MW_WEB_API_CACHE_TTL_S 30.0

/* The calling thread's CPU time in milliseconds, for timing a
 * computation. */
double mw_web_api_cpu_ms(void);
/* The kept answer of key (which names the database and the question), a
 * malloc'd copy the caller frees; NULL when the caller is to compute it.
 * Then *must_put may say the caller has to hand the result (or NULL on
 * failure) to mw_web_api_cache_put, which other requests for the key may
 * be waiting for: it must, on every path. Waits while another request
 * computes the key for the first time. */
char *mw_web_api_cache_get(const char *key, bool *must_put);
/* The answer text of key that took cost_ms to compute; copied. */
void mw_web_api_cache_put(const char *key, const char *text, double cost_ms);

/* Refresh-ahead (api_cache.c): a kept answer asked for within
 * MW_WEB_API_CACHE_WANTED_S is computed again in the background once it
 * is within MW_WEB_API_CACHE_AHEAD_S of expiring. The recipe: fn computes
 * the answer of arg (arg_len bytes, at most MW_WEB_API_CACHE_ARG_MAX,
 * copied) on store s as of wall time now into *text (malloc'd, the cache
 * frees it) and returns MW_OK or a negative MW_E* code. */
#define MW_WEB_API_CACHE_ARG_MAX 64
#define MW_WEB_API_CACHE_AHEAD_S 10.0
#define MW_WEB_API_CACHE_WANTED_S 600.0
struct mw_web_api_refill {
  int (*fn)(struct mw_web *w, struct mw_store *s, int64_t now,
            const void *arg, char **text);
  const void *arg;
  size_t arg_len;
};
/* mw_web_api_cache_get, also leaving how to compute key again on database
 * db (how and db are copied; NULL: never refreshed). */
char *mw_web_api_cache_get_ex(const char *key, const char *db,
                              const struct mw_web_api_refill *how,
                              bool *must_put);
/* Computes again, one after the other on s (a handle of w's database that
 * only the calling thread uses), the kept answers of w's database that
 * are due (above); the others keep being served meanwhile. A failed
 * computation keeps the old answer until it expires. Returns how many
 * were refreshed. Called by the server's indexer thread (server.c). */
size_t mw_web_api_cache_refresh(struct mw_web *w, struct mw_store *s,
                                int64_t now);
/* Tests: the monotonic clock in seconds the cache reads; NULL restores
 * CLOCK_MONOTONIC. */
void mw_web_api_cache_set_clock(double (*now)(void));

#endif
