/*
 * pipeline_work.c: what the worker does with one fetched document, by kind:
 * a feed's entries become articles; a listing page (栏目页) or a sitemap
 * yields the links not stored yet, which the loop then fetches; an article
 * page is extracted and stored. Every stored article is matched against
 * the topics and joined to its reprint cluster.
 *
 * Runs on the pipeline's worker thread inside the open transaction; touches
 * only the job, the store and the immutable matcher and config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "cli/pipeline_int.h"

/* A busy crawl has thousands of pages asked for and not fetched yet, so a
 * request is one allocation: the struct, then its URL and link text. */
struct page_ctx *mw_page_new(enum page_kind kind, const char *url,
                             const char *text, int64_t date, int depth) {
  size_t ulen = strlen(url), tlen = text && *text ? strlen(text) + 1 : 0;
  struct page_ctx *p = malloc(sizeof *p + ulen + 1 + tlen);
  if (!p) return NULL;
  *p = (struct page_ctx){.kind = kind, .link_date = date, .depth = depth};
  p->url = (char *)(p + 1);
  memcpy(p->url, url, ulen + 1);
  if (tlen) {
    p->link_text = p->url + ulen + 1;
    memcpy(p->link_text, text, tlen);
  }
  return p;
}

void mw_page_free(struct page_ctx *p) { free(p); }

static void request(struct job *j, struct page_ctx *p) {
  if (!p) {
    j->left_out = true; /* out of memory: the page is not asked for */
    return;
  }
  p->next = j->requests;
  j->requests = p;
  j->n_requests++;
}

static void note(struct job *j, const char *fmt, const char *arg) {
  if (j->problem) return; /* the first problem is the one to act on */
  struct mw_buf b;
  mw_buf_init(&b, 2048);
  mw_buf_printf(&b, fmt, arg);
  j->problem = mw_buf_steal(&b);
}

/* --------------------------------------------------------------- storing */

/* Topics an alert names: the first few an article matched. */
#define MAX_ALERT_TOPICS 16

/* Terms an alert's reason names at most. */
#define REASON_TERMS 8

/* The reason an alert shows, on one line: the score and the terms that
 * made it, strongest first as the report lists them, e.g.
 * "敏感度 19.5：恶臭、扰民、投诉无果". NULL on ENOMEM (the alert goes
 * without). */
static char *reason_of(const struct mw_match_report *r) {
  struct mw_buf b;
  mw_buf_init(&b, 1024);
  int rc = mw_buf_printf(&b, "敏感度 %.1f", r->score);
  size_t shown = 0;
  for (size_t i = 0; !rc && i < r->n_terms && shown < REASON_TERMS; i++) {
    if (r->terms[i].points <= 0) continue;
    rc = mw_buf_printf(&b, "%s%s", shown ? "、" : "：", r->terms[i].term);
    shown++;
  }
  if (!rc && r->n_terms > shown && shown == REASON_TERMS)
    rc = mw_buf_puts(&b, "等");
  if (rc) {
    mw_buf_cleanup(&b);
    return NULL;
  }
  return mw_buf_steal(&b);
}

/* Scores a new article and hands it to the alerts engine, inside the
 * job's transaction, so an alert and its notifications are stored with
 * the article or not at all. The score's wording is worked out only for
 * the few articles that are sensitive. */
static int observe(struct work_ctx *w, struct job *j, const struct mw_article *a,
                   int64_t id, const struct mw_doc *doc,
                   const char *const *topics, size_t n_topics,
                   struct mw_err *err) {
  double score = 0;
  int level = 0;
  struct mw_err merr;
  if (mw_matcher_score(w->matcher, doc, &score, &level, &merr) < 0) {
    score = 0;
    level = 0;
  }
  struct mw_match_report *report = NULL;
  if (level > 0 && mw_matcher_explain(w->matcher, doc, &report, &merr))
    report = NULL;
  char *reason = report ? reason_of(report) : NULL;
  mw_match_report_free(report);
  int64_t cluster = 0;
  int rc = mw_store_article_cluster(w->store, id, &cluster, err);
  if (rc) {
    free(reason);
    return rc;
  }
  struct mw_alert_input in = {
      .article_id = id,
      .cluster_id = cluster,
      .title = a->title,
      .url = a->url,
      .text = a->text,
      .outlet = j->src->outlet,
      .outlet_region = j->src->region,
      .topics = topics,
      .n_topics = n_topics,
      .score = score,
      .level = level,
      .reason = reason,
  };
  int64_t alert_id = 0;
  rc = mw_alerts_observe(w->alerts, w->store, &in, j->when, &alert_id, err);
  free(reason);
  if (rc == MW_OK && alert_id) {
    j->alerted++;
    w->alerted = true;
  }
  return rc;
}

/* Bytes of a body its mojibake share is measured on. */
#define ODDITIES_SAMPLE 4096

/* Whether UTF-8 text holds at least min characters (not bytes: what
 * health.body_min counts); stops counting there. */
static bool utf8_at_least(const char *s, size_t len, int64_t min) {
  int64_t n = 0;
  for (size_t i = 0; i < len && n < min; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n >= min;
}

/* What a new article looked like, for its source's health: which fields
 * were found (dated: the page or entry itself gave a time, not the
 * listing's link) and how much of its text is implausible (mojibake). */
static int record_quality(struct work_ctx *w, struct job *j,
                          const struct mw_article *a, int64_t id,
                          size_t text_len, bool dated, struct mw_err *err) {
  struct mw_article_quality q = {.article_id = id,
                                 .source_id = j->src->crawl.id,
                                 .fetched = j->when};
  if (a->title && *a->title) q.flags |= MW_QUALITY_TITLE;
  if (dated) q.flags |= MW_QUALITY_DATE;
  if (a->origin && *a->origin) q.flags |= MW_QUALITY_ORIGIN;
  int64_t chars = 0, odd = 0;
  /* A wrong charset garbles a page throughout: its first few KB tell
   * (about 1,300 汉字), and a long body costs no more. */
  if (a->text) {
    /* On a character's boundary, or its cut tail would count as odd. */
    mw_text_oddities(a->text, mw_utf8_cut(a->text, text_len, ODDITIES_SAMPLE),
                     &chars, &odd);
  }
  if (a->text && utf8_at_least(a->text, text_len, w->cfg->health.body_min))
    q.flags |= MW_QUALITY_BODY;
  q.chars = chars;
  q.odd_chars = odd;
  if (a->title) {
    mw_text_oddities(a->title, strlen(a->title), &chars, &odd);
    q.chars += chars;
    q.odd_chars += odd;
  }
  return mw_store_add_quality(w->store, &q, err);
}

/* Stores one article and, when it is new, matches it. The body's simhash
 * goes in with the row, so the store places it in its reprint cluster
 * before writing it, once. */
static int store_article(struct work_ctx *w, struct job *j,
                         struct mw_article *a, bool dated,
                         struct mw_err *err) {
  size_t text_len = a->text ? strlen(a->text) : 0;
  a->simhash = text_len ? mw_simhash(a->text, text_len) : 0;
  a->cluster_distance = MW_SIMHASH_SAME_STORY;
  int64_t id;
  bool inserted;
  int rc = mw_store_add_article(w->store, a, &id, &inserted, err);
  if (rc || !inserted) return rc;
  j->new_articles++;
  rc = record_quality(w, j, a, id, text_len, dated, err);
  if (rc) return rc;
  struct mw_doc doc = {
      .title = {a->title, a->title ? strlen(a->title) : 0},
      .body = {a->text, text_len},
      .source = {a->origin, a->origin ? strlen(a->origin) : 0},
      .outlet = {j->src->outlet, j->src->outlet ? strlen(j->src->outlet) : 0},
      .kind = j->src->media,
  };
  struct mw_err merr;
  const char *topics[MAX_ALERT_TOPICS];
  size_t n_topics = 0;
  if (!j->topic_hits) {
    j->topic_hits = calloc(w->n_topics + 1, sizeof *j->topic_hits);
    j->n_topic_hits = j->topic_hits ? w->n_topics : 0;
  }
  if (j->topic_hits && mw_matcher_match(w->matcher, &doc, w->results, &merr) >= 0) {
    for (size_t t = 0; t < w->n_topics; t++) {
      if (!w->results[t].matched) continue;
      rc = mw_store_add_match(w->store, id,
                              mw_matcher_topic_name(w->matcher, t),
                              w->results[t].terms, err);
      if (rc) return rc;
      j->topic_hits[t]++;
      if (n_topics < MAX_ALERT_TOPICS)
        topics[n_topics++] = mw_matcher_topic_name(w->matcher, t);
    }
  }
  /* Too short to judge: recorded as hashed, in no cluster. */
  if (!a->simhash)
    rc = mw_store_cluster_article(w->store, id, 0, MW_SIMHASH_SAME_STORY, err);
  if (!rc)
    rc = mw_store_add_mentions(w->store, id, a->title, a->text, w->mentions,
                               w->n_mentions, err);
  if (rc || !w->alerts) return rc;
  return observe(w, j, a, id, &doc, topics, n_topics, err);
}

/* ----------------------------------------------------------------- feeds */

/* The key an entry is stored under: its canonical link, else its id when
 * the id is itself a web address. */
static char *entry_url(const struct mw_feed_entry *e, const char *base) {
  char *url = NULL;
  if (e->link && mw_url_canonicalize(e->link, base, &url, NULL) == MW_OK)
    return url;
  if (e->id && mw_url_is_http(e->id) &&
      mw_url_canonicalize(e->id, NULL, &url, NULL) == MW_OK)
    return url;
  return NULL;
}

static int process_feed(struct work_ctx *w, struct job *j, int offset,
                        struct mw_err *err) {
  struct mw_feed *feed = NULL;
  struct mw_err perr;
  if (mw_feed_parse(j->body, j->body_len, j->charset, j->final_url, offset,
                    NULL, &feed, &perr)) {
    /* A broken document is the source's problem, not the transaction's. */
    note(j, "%s", perr.msg);
    j->unusable = true;
    return MW_OK;
  }
  j->entries = (int64_t)feed->n_entries;
  j->recovered = feed->recovered;
  /* What the feed asks now replaces what it asked before. */
  j->floor_s = feed->ttl_s > feed->update_period_s ? feed->ttl_s
                                                   : feed->update_period_s;
  if (j->max_age_s > j->floor_s) j->floor_s = j->max_age_s;
  size_t skipped = 0;
  int rc = MW_OK;
  for (size_t i = 0; i < feed->n_entries && rc == MW_OK; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    char *url = entry_url(e, j->final_url);
    if (!url) {
      skipped++;
      continue;
    }
    /* Most entries of a feed are known from its last poll: skip them
     * before hashing their text. */
    bool known = false;
    rc = mw_store_article_exists(w->store, url, &known, err);
    if (rc || known) {
      free(url);
      continue;
    }
    struct mw_article a = {
        .source_id = j->src->crawl.id,
        .url = url,
        .guid = e->id,
        .title = e->title,
        .author = e->author,
        .text = e->text,
        .published = e->published != MW_TIME_UNKNOWN ? e->published : e->updated,
        .fetched = j->when,
    };
    rc = store_article(w, j, &a, a.published != MW_TIME_UNKNOWN, err);
    free(url);
  }
  if (rc == MW_OK && (skipped || feed->recovered)) {
    struct mw_buf b;
    mw_buf_init(&b, 1024);
    if (feed->recovered)
      mw_buf_printf(&b, "feed not well-formed, recovered %zu entries",
                    feed->n_entries);
    if (skipped)
      mw_buf_printf(&b, "%s%zu entries without a usable link skipped",
                    b.len ? "; " : "", skipped);
    j->problem = mw_buf_steal(&b);
  }
  mw_feed_free(feed);
  return rc;
}

/* ------------------------------------------------------ listings, sitemaps */

/* Asks for url as an article page when it is not stored yet. */
static int want_article(struct work_ctx *w, struct job *j, const char *url,
                        const char *text, int64_t date, size_t *asked,
                        struct mw_err *err) {
  bool exists;
  int rc = mw_store_article_exists(w->store, url, &exists, err);
  if (rc || exists) return rc;
  if (*asked >= MW_PIPELINE_MAX_ARTICLES_PER_POLL) {
    j->left_out = true; /* the next poll asks for it */
    return MW_OK;
  }
  request(j, mw_page_new(PAGE_ARTICLE, url, text, date, 0));
  (*asked)++;
  return MW_OK;
}

static int process_listing(struct work_ctx *w, struct job *j, int offset,
                           struct mw_err *err) {
  const struct mw_source_conf *conf = j->src->conf;
  struct mw_listing_rules rules = {.links_xpath = conf ? conf->links_xpath : NULL};
  struct mw_listing *l = NULL;
  struct mw_err perr;
  if (mw_listing_parse(j->body, j->body_len, j->charset, j->final_url, offset,
                       &rules, &l, &perr)) {
    note(j, "%s", perr.msg);
    j->unusable = true;
    return MW_OK;
  }
  int depth = j->page ? j->page->depth : 0;
  size_t asked = 0;
  const char *next_page = NULL;
  int rc = MW_OK;
  for (size_t i = 0; i < l->n_links && rc == MW_OK; i++) {
    const struct mw_link *k = &l->links[i];
    if (k->kind == MW_LINK_ARTICLE) {
      j->entries++;
      rc = want_article(w, j, k->url, k->text, k->date, &asked, err);
    } else if (k->kind == MW_LINK_NEXT_PAGE && !next_page) {
      next_page = k->url;
    } else if (k->kind == MW_LINK_ATTACHMENT) {
      j->attachments++;
      rc = mw_store_add_attachment(w->store, j->src->crawl.id, k->url, k->text,
                                   j->when, NULL, err);
    }
  }
  /* Older pages are read only while this one still had news: a listing
   * whose first page is all known needs no second page, once the work of
   * the previous 200 is known to be complete, which the store's validators
   * say (pipeline.c: they are written only then). A poll sent without them
   * although the server gives them (the first poll, or the previous chain
   * of pages stopped: a crash, a page that failed) recovers: it reads every
   * page up to max_pages, so articles behind a known first page (stored
   * before page 2 failed) are found again. A server that sends no
   * validators is always polled unconditionally and keeps to "while there
   * is news": reading every page at every poll would cost too much, so
   * there the articles of a page that failed are found only if a later
   * poll reaches that page again. */
  bool recover = j->page ? j->page->recover
                         : !j->conditional && (j->etag || j->last_modified);
  int64_t max_pages = conf ? conf->max_pages : 1;
  if (rc == MW_OK && next_page && (asked > 0 || recover) &&
      depth + 1 < max_pages) {
    struct page_ctx *np = mw_page_new(PAGE_LISTING, next_page, NULL,
                                      MW_TIME_UNKNOWN, depth + 1);
    if (np) np->recover = recover;
    request(j, np);
  }
  if (rc == MW_OK && j->entries == 0 && l->cut) {
    /* Not a quiet column: the page is built so deep (or so big) that the
     * parser stopped before its links. The poll failed, and says why. */
    note(j, "%s", "the listing page is nested deeper (or is bigger) than "
                  "the HTML parser follows, and no article links were found "
                  "before that point");
    j->unusable = true;
  } else if (rc == MW_OK && j->entries == 0) {
    note(j, "%s", "the listing page yields no article links (template "
                  "changed? try links_xpath)");
  }
  mw_listing_free(l);
  return rc;
}

static int process_sitemap(struct work_ctx *w, struct job *j, int offset,
                           struct mw_err *err) {
  struct mw_sitemap *sm = NULL;
  struct mw_err perr;
  if (mw_sitemap_parse(j->body, j->body_len, j->final_url, offset, &sm, &perr)) {
    note(j, "%s", perr.msg);
    j->unusable = true;
    return MW_OK;
  }
  j->entries = (int64_t)sm->n_entries;
  size_t asked = 0;
  int rc = MW_OK;
  for (size_t i = 0; i < sm->n_entries && rc == MW_OK; i++) {
    const struct mw_sitemap_entry *e = &sm->entries[i];
    if (!sm->is_index) {
      rc = want_article(w, j, e->loc, e->title, e->published, &asked, err);
    } else if (i < MW_PIPELINE_MAX_CHILD_SITEMAPS && (!j->page || j->page->depth == 0)) {
      /* One level of index only: an index of indexes is a loop or a trap. */
      request(j, mw_page_new(PAGE_SITEMAP, e->loc, NULL, MW_TIME_UNKNOWN, 1));
    }
  }
  mw_sitemap_free(sm);
  return rc;
}

/* -------------------------------------------------------------- articles */

void mw_cli_article_rules(const struct mw_source_conf *conf,
                          struct mw_article_rules *out) {
  *out = (struct mw_article_rules){0};
  if (!conf) return;
  out->title_xpath = conf->title_xpath;
  out->time_xpath = conf->time_xpath;
  out->source_xpath = conf->source_xpath;
  out->body_xpath = conf->body_xpath;
}

static int process_article(struct work_ctx *w, struct job *j, int offset,
                           struct mw_err *err) {
  struct mw_article_rules rules;
  mw_cli_article_rules(j->src->conf, &rules);
  struct mw_extracted *x = NULL;
  struct mw_err perr;
  if (mw_article_extract(j->body, j->body_len, j->charset, j->page->url, offset,
                         &rules, &x, &perr)) {
    note(j, "%s", perr.msg);
    j->unusable = true;
    return MW_OK;
  }
  const char *title = x->title ? x->title : j->page->link_text;
  if (!title && !x->body) {
    note(j, "%s: no title and no body text found", j->page->url);
    j->unusable = true;
    mw_extracted_free(x);
    return MW_OK;
  }
  struct mw_article a = {
      .source_id = j->src->crawl.id,
      .url = j->page->url,
      .title = title,
      .author = x->author,
      .origin = x->origin,
      .text = x->body,
      .published = x->published != MW_TIME_UNKNOWN ? x->published
                                                   : j->page->link_date,
      .fetched = j->when,
  };
  int rc = store_article(w, j, &a, x->published != MW_TIME_UNKNOWN, err);
  mw_extracted_free(x);
  return rc;
}

/* ------------------------------------------------------------ the record */

/* A poll of the source itself is recorded on the source: outcome, HTTP
 * status, validators, next due time. Pages are not: an article that fails
 * says nothing of the source's health.
 *
 * A 200 that asked for no page writes its validators. One that asked for
 * pages clears them, in this same transaction: it is stored before its
 * pages are fetched, and had any validators stayed, a crash before the
 * pages were stored (or a page that failed, or links past the per-poll
 * cap) would be answered 304 at the next poll and those pages never asked
 * for again. Its own validators are written by a job of their own once
 * every page of its chain is stored or known (pipeline.c); until then the
 * next poll is unconditional and finds what is still missing. */
/* The interval from the source's publication rate, once it has a history;
 * written with the poll's record and handed back to the loop. */
static int adapt_interval(struct work_ctx *w, struct job *j, char *why,
                          size_t why_len, struct mw_err *err) {
  if (j->status == MW_FETCH_NOT_MODIFIED && j->max_age_s > j->floor_s)
    j->floor_s = j->max_age_s;
  const struct mw_crawler_conf *cc = &w->cfg->crawler;
  if (!j->adaptive) {
    /* Recorded all the same, so `sources health` shows what is in force. */
    j->interval_s = j->base_s;
    snprintf(why, why_len, "%s: poll as configured",
             cc->adaptive ? "adaptive: false" : "crawler.adaptive: false");
    return MW_OK;
  }
  struct mw_poll_plan plan = {.base_s = j->base_s,
                              .min_s = cc->poll_min_s,
                              .max_s = cc->poll_max_s,
                              .adapt_after_s = cc->adapt_after_s,
                              .window_s = MW_POLL_WINDOW,
                              .floor_s = j->floor_s};
  int64_t *times = NULL;
  size_t n = 0;
  /* A month of a busy board is a few thousand times; more say nothing
   * the interval's bounds would not cut anyway. */
  int rc = mw_store_publication_times(w->store, j->src->crawl.id,
                                      j->when - MW_POLL_WINDOW, 10000, &times,
                                      &n, err);
  if (rc) return rc;
  j->interval_s = mw_crawl_adaptive_interval(&plan, j->when, j->first_fetch,
                                             times, n, why, why_len);
  free(times);
  return MW_OK;
}

static int record_poll(struct work_ctx *w, struct job *j, struct mw_err *err) {
  bool ok = (j->status == MW_FETCH_OK && !j->unusable) ||
            j->status == MW_FETCH_NOT_MODIFIED;
  if (j->unusable) j->failures++;
  char why[256] = "";
  int rc = adapt_interval(w, j, why, sizeof why, err);
  if (rc) return rc;
  struct mw_fetch_record r = {
      .source_id = j->src->crawl.id,
      .when = j->when,
      .ok = ok,
      .http_status = j->http_status,
      .error = j->error ? j->error : j->problem,
      .update_validators = j->status == MW_FETCH_OK && !j->unusable,
      .etag = j->n_requests ? NULL : j->etag,
      .last_modified = j->n_requests ? NULL : j->last_modified,
      .next_due = j->next_due,
      .consecutive_failures = j->failures,
      .new_articles = j->new_articles,
      .links_known = j->status == MW_FETCH_OK && !j->unusable,
      .links = j->entries,
      .moved_to = j->moved_to,
      .interval_s = j->interval_s,
      .interval_why = why[0] ? why : NULL,
  };
  return mw_store_record_fetch(w->store, &r, err);
}

int mw_pipeline_work(struct work_ctx *w, struct job *j, struct mw_err *err) {
  if (j->set_validators) {
    int vrc = mw_store_set_validators(w->store, j->src->crawl.id, j->etag,
                                      j->last_modified, err);
    /* A source gone from the store has nothing to keep; the rest of the
     * transaction is not lost for it. */
    return vrc == MW_ENOTFOUND ? MW_OK : vrc;
  }
  int rc = MW_OK;
  int offset = mw_tz_offset_at(w->cfg->tz, j->when);
  if (j->status == MW_FETCH_OK) {
    enum page_kind kind = j->page ? j->page->kind
                          : j->src->kind == MW_SOURCE_HTML    ? PAGE_LISTING
                          : j->src->kind == MW_SOURCE_SITEMAP ? PAGE_SITEMAP
                                                              : PAGE_ARTICLE;
    if (!j->page && j->src->kind == MW_SOURCE_FEED)
      rc = process_feed(w, j, offset, err);
    else if (kind == PAGE_LISTING)
      rc = process_listing(w, j, offset, err);
    else if (kind == PAGE_SITEMAP)
      rc = process_sitemap(w, j, offset, err);
    else
      rc = process_article(w, j, offset, err);
    if (rc) return rc;
  } else if (j->page && j->error) {
    note(j, "%s", j->error);
  }
  /* An article page that gave nothing: its source's health counts it
   * (a redesign that defeats extraction would otherwise store nothing and
   * show nothing). */
  if (j->page && j->page->kind == PAGE_ARTICLE &&
      (j->status != MW_FETCH_OK || j->unusable)) {
    const char *why = j->problem ? j->problem : j->error;
    /* "URL: HTTP 404" is kept beside its URL already: "HTTP 404". */
    size_t ulen = strlen(j->page->url);
    if (why && !strncmp(why, j->page->url, ulen) && !strncmp(why + ulen, ": ", 2))
      why += ulen + 2;
    rc = mw_store_page_failed(w->store, j->src->crawl.id, j->page->url, why,
                              j->when, err);
  }
  if (j->page) return rc;
  return record_poll(w, j, err);
}
