/*
 * judge.c: the verdict on one source from its fetch state and history
 * (mw_health_judge). Pure: the history is read by the caller (survey.c),
 * the clock is `now`, the thresholds are the health: section.
 *
 * Each rule below looks at one kind of evidence and adds at most one
 * problem (extraction: one per field) with its numbers and a line of
 * English; the verdict is the worst severity. What it leaves to others:
 * recording problems and telling anyone (check.c), the wording in Chinese
 * (message.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health/health_int.h"

#define DAY_S 86400
/* Publication times older than this do not count towards the usual gap. */
/* A year: a source that stopped three months ago is still found silent;
 * one that stopped longer ago than that has shown as silent all year. */
/* Failed article pages that say something: one or two are a dead link. */
#define PAGES_FAILED_MIN 3
#define SILENCE_WINDOW_S (365 * DAY_S)
/* The 200s before the last one its usual link count is the median of. */
#define LINKS_USUAL_N 20
/* A usual link count under this is too small to call a drop. */
#define LINKS_USUAL_MIN 4
/* Articles the shares need on each side before a drop means anything. */
#define EXTRACTION_RECENT_MIN 3
#define EXTRACTION_BASELINE_MIN 5
/* Recent non-ASCII characters needed before a mojibake share counts. */
#define MOJIBAKE_CHARS_MIN 50
/* Distinct publication times needed before a silence is judged. */
#define SILENCE_TIMES_MIN 4

/* Copies src into dst (n bytes) without cutting a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t n, const char *src) {
  if (n == 0) return;
  size_t len = src ? mw_utf8_cut(src, strlen(src), n - 1) : 0;
  if (len) memcpy(dst, src, len);
  dst[len] = '\0';
}

/* Cuts a UTF-8 sequence that snprintf left incomplete at the end of s. */
static void trim_utf8(char *s) {
  size_t len = strlen(s), i = len;
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
  if (i == 0) return;
  unsigned char lead = (unsigned char)s[i - 1];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (len - (i - 1) < need) s[i - 1] = '\0';
}

static struct mw_health_problem *add(struct mw_source_health *out,
                                     enum mw_problem_code code,
                                     enum mw_health_status sev) {
  if (out->n_problems >= MW_HEALTH_MAX_PROBLEMS) return NULL;
  struct mw_health_problem *p = &out->problems[out->n_problems++];
  memset(p, 0, sizeof *p);
  p->code = code;
  p->severity = sev;
  return p;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* The median of v[0..n) (sorted in place); of an even count, the mean of
 * the two middle values rounded down. n > 0. */
static int64_t median(int64_t *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_i64);
  if (n % 2) return v[n / 2];
  return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

/* Every poll since the outage began failed: broken after unreachable_s. */
static void judge_unreachable(const struct mw_health_conf *conf,
                              const struct mw_source_state *src,
                              const struct mw_source_history *h, int64_t now,
                              struct mw_source_health *out) {
  if (h->failing_since == 0 || now - h->failing_since < conf->unreachable_s)
    return;
  int64_t failed = 0;
  const char *last_error = NULL;
  for (size_t i = 0; i < h->n_polls; i++) {
    const struct mw_poll_rec *p = &h->polls[i];
    if (p->ok || p->when < h->failing_since) continue;
    failed++;
    if (!last_error && p->error) last_error = p->error;
  }
  if (!last_error) last_error = src->last_error;
  struct mw_health_problem *p =
      add(out, MW_PROBLEM_UNREACHABLE, MW_HEALTH_BROKEN);
  if (!p) return;
  p->since = h->failing_since;
  p->count = failed;
  copy_utf8(p->text, sizeof p->text, last_error);
  char span[32], when[32];
  health_fmt_span(now - h->failing_since, span, sizeof span);
  health_fmt_utc(h->failing_since, when, sizeof when);
  snprintf(p->detail, sizeof p->detail,
           "unreachable for %s (%lld poll%s failed since %s; last: %s)", span,
           (long long)failed, failed == 1 ? "" : "s", when,
           last_error && last_error[0] ? last_error : "no error recorded");
  trim_utf8(p->detail);
}

static const char *links_what(enum mw_source_kind k) {
  switch (k) {
  case MW_SOURCE_FEED: return "feed";
  case MW_SOURCE_SITEMAP: return "sitemap";
  default: return "listing page";
  }
}

static const char *links_noun(enum mw_source_kind k) {
  switch (k) {
  case MW_SOURCE_FEED: return "entries";
  case MW_SOURCE_SITEMAP: return "URLs";
  default: return "article links";
  }
}

/* The last usable 200 against the median of the up to 20 before it. */
static void judge_links(const struct mw_health_conf *conf,
                        const struct mw_source_state *src,
                        const struct mw_source_history *h,
                        struct mw_source_health *out) {
  const struct mw_poll_rec *last = NULL;
  int64_t before[LINKS_USUAL_N];
  size_t n_before = 0;
  for (size_t i = 0; i < h->n_polls && n_before < LINKS_USUAL_N; i++) {
    const struct mw_poll_rec *p = &h->polls[i];
    if (!p->ok || p->http_status != 200 || p->links < 0) continue;
    if (!last) last = p;
    else before[n_before++] = p->links;
  }
  if (!last) return;
  int64_t usual = n_before ? median(before, n_before) : 0;
  char when[32];
  health_fmt_utc(last->when, when, sizeof when);
  struct mw_health_problem *p = NULL;
  if (last->links == 0) {
    p = add(out, MW_PROBLEM_NO_LINKS, MW_HEALTH_BROKEN);
    if (!p) return;
    char usually[48] = "";
    if (n_before) snprintf(usually, sizeof usually, "usually %lld; ",
                           (long long)usual);
    snprintf(p->detail, sizeof p->detail,
             "%s yields no %s (%slast answer %s)", links_what(src->kind),
             links_noun(src->kind), usually, when);
  } else if (n_before && usual >= LINKS_USUAL_MIN &&
             last->links * 100 < usual * conf->links_drop_pct) {
    p = add(out, MW_PROBLEM_FEWER_LINKS, MW_HEALTH_DEGRADED);
    if (!p) return;
    snprintf(p->detail, sizeof p->detail,
             "%s yields %lld %s, usually %lld (last answer %s)",
             links_what(src->kind), (long long)last->links,
             links_noun(src->kind), (long long)usual, when);
  }
  if (!p) return;
  p->count = last->links;
  p->usual = usual;
  p->since = last->when;
}

struct field {
  const char *name;  /* the field's name in evidence */
  const char *words; /* what is missing, in the detail */
};

static int64_t field_count(const struct mw_quality_window *w, int i) {
  switch (i) {
  case 0: return w->with_title;
  case 1: return w->with_date;
  case 2: return w->with_origin;
  default: return w->with_body;
  }
}

static int pct(double share) { return (int)(share * 100 + 0.5); }

/* Each field found in fewer of the recent articles than in the baseline.
 * The comparisons are on whole counts, so a share on the threshold is
 * exactly on it. */
static void judge_extraction(const struct mw_health_conf *conf,
                             const struct mw_source_history *h,
                             struct mw_source_health *out) {
  static const struct field fields[] = {
      {"title", "titles"},
      {"date", "publication dates"},
      {"origin", "来源 (origin) lines"},
      {"body", "bodies"},
  };
  const struct mw_quality_window *r = &h->recent, *b = &h->baseline;
  if (r->articles < EXTRACTION_RECENT_MIN ||
      b->articles < EXTRACTION_BASELINE_MIN)
    return;
  for (int i = 0; i < 4; i++) {
    int64_t wr = field_count(r, i), wb = field_count(b, i);
    /* u - r >= pct/100  <=>  (wb*nr - wr*nb) * 100 >= pct * nb * nr */
    int64_t drop = (wb * r->articles - wr * b->articles) * 100;
    bool degraded =
        drop >= conf->extraction_drop_pct * b->articles * r->articles;
    bool broken = wr == 0 && wb * 5 >= b->articles * 4;
    if (!degraded && !broken) continue;
    struct mw_health_problem *p = add(
        out, MW_PROBLEM_EXTRACTION, broken ? MW_HEALTH_BROKEN
                                           : MW_HEALTH_DEGRADED);
    if (!p) return;
    snprintf(p->field, sizeof p->field, "%s", fields[i].name);
    p->share = (double)wr / (double)r->articles;
    p->usual_share = (double)wb / (double)b->articles;
    p->count = r->articles;
    copy_utf8(p->url, sizeof p->url, r->example_url);
    char what[64];
    if (i == 3)
      snprintf(what, sizeof what, "bodies of %lld+ characters",
               (long long)conf->body_min);
    else
      snprintf(what, sizeof what, "%s", fields[i].words);
    snprintf(p->detail, sizeof p->detail,
             "%s found in %lld of the %lld newest articles (%d%%), usually "
             "%d%%%s%s",
             what, (long long)wr, (long long)r->articles, pct(p->share),
             pct(p->usual_share), r->example_url ? "; e.g. " : "",
             r->example_url ? r->example_url : "");
    trim_utf8(p->detail);
  }
}

/* Article pages that yielded no article at all (a redesign that defeats
 * extraction stores nothing, so the shares above never see it): failed
 * pages against stored articles over the same span. Half of them failing
 * is degraded; four in five, or every one with none stored, broken. */
static void judge_pages(const struct mw_source_history *h,
                        struct mw_source_health *out) {
  int64_t f = h->pages_failed, ok = h->recent.articles;
  if (f < PAGES_FAILED_MIN || f * 2 < f + ok) return;
  bool broken = ok == 0 || f * 5 >= (f + ok) * 4;
  struct mw_health_problem *p = add(
      out, MW_PROBLEM_EXTRACTION, broken ? MW_HEALTH_BROKEN : MW_HEALTH_DEGRADED);
  if (!p) return;
  snprintf(p->field, sizeof p->field, "page");
  p->count = f + ok;
  p->share = (double)ok / (double)(f + ok);
  p->usual_share = 1.0;
  copy_utf8(p->url, sizeof p->url, h->failed_url);
  copy_utf8(p->text, sizeof p->text, h->failed_reason);
  snprintf(p->detail, sizeof p->detail,
           "article pages yielded no article: %lld of the last %lld%s%s%s%s",
           (long long)f, (long long)(f + ok), h->failed_url ? "; e.g. " : "",
           h->failed_url ? h->failed_url : "",
           h->failed_reason ? ": " : "",
           h->failed_reason ? h->failed_reason : "");
  trim_utf8(p->detail);
}

static void judge_mojibake(const struct mw_health_conf *conf,
                           const struct mw_source_history *h,
                           struct mw_source_health *out) {
  const struct mw_quality_window *r = &h->recent, *b = &h->baseline;
  if (r->chars < MOJIBAKE_CHARS_MIN ||
      r->odd_chars * 100 <= conf->mojibake_pct * r->chars)
    return;
  struct mw_health_problem *p =
      add(out, MW_PROBLEM_MOJIBAKE, MW_HEALTH_BROKEN);
  if (!p) return;
  p->share = (double)r->odd_chars / (double)r->chars;
  p->usual_share = b->chars > 0 ? (double)b->odd_chars / (double)b->chars : 0;
  p->count = r->articles;
  copy_utf8(p->url, sizeof p->url, r->example_url);
  copy_utf8(p->text, sizeof p->text, r->example_title);
  const char *title = r->example_title ? r->example_title : "";
  const char *url = r->example_url ? r->example_url : "";
  snprintf(p->detail, sizeof p->detail,
           "%d%% of the non-ASCII characters of the %lld newest articles are "
           "implausible (usually %d%%): a charset decoded wrongly?%s%s%s%s%s",
           pct(p->share), (long long)r->articles, pct(p->usual_share),
           title[0] ? " e.g. \"" : "", title, title[0] ? "\"" : "",
           url[0] ? " " : "", url);
  trim_utf8(p->detail);
}

/* Silent for silence_factor usual gaps (and silence_min). The usual gap is
 * the median of the gaps between consecutive publication times in the
 * last year, leaving out gaps of 0: a backlog stored at once with no
 * date of its own, or several articles dated the same day with no time,
 * share one time, and counting those would make the usual gap 0, any
 * pause a silence. */
static void judge_silent(const struct mw_health_conf *conf,
                         const struct mw_source_history *h, int64_t now,
                         struct mw_source_health *out) {
  if (h->n_published < SILENCE_TIMES_MIN) return;
  int64_t *gaps = malloc(h->n_published * sizeof *gaps);
  if (!gaps) return;
  size_t n_gaps = 0, n_times = 0;
  int64_t prev = 0, last = 0;
  bool have_prev = false;
  for (size_t i = 0; i < h->n_published; i++) {
    int64_t t = h->published[i];
    /* A time in the future is a wrong date, not a publication. */
    if (t < now - SILENCE_WINDOW_S || t > now) continue;
    n_times++;
    if (have_prev && t > prev) gaps[n_gaps++] = t - prev;
    if (!have_prev || t > prev) prev = t;
    have_prev = true;
    if (t > last) last = t;
  }
  if (n_gaps + 1 < SILENCE_TIMES_MIN) {
    free(gaps);
    return;
  }
  int64_t gap = median(gaps, n_gaps);
  free(gaps);
  int64_t limit = conf->silence_factor * gap;
  if (limit < conf->silence_min_s) limit = conf->silence_min_s;
  if (now - last <= limit) return;
  struct mw_health_problem *p =
      add(out, MW_PROBLEM_SILENT, MW_HEALTH_DEGRADED);
  if (!p) return;
  p->since = last;
  p->usual = gap;
  p->count = (int64_t)n_times;
  char quiet[32], usual[32];
  health_fmt_span_words(now - last, quiet, sizeof quiet);
  health_fmt_span_words(gap, usual, sizeof usual);
  snprintf(p->detail, sizeof p->detail,
           "no new article for %s; usually one every %s (%lld in a year)",
           quiet, usual, (long long)n_times);
}

static void judge_moved(const struct mw_source_state *src,
                        struct mw_source_health *out) {
  if (!src->moved_to || !src->moved_to[0]) return;
  struct mw_health_problem *p = add(out, MW_PROBLEM_MOVED, MW_HEALTH_DEGRADED);
  if (!p) return;
  copy_utf8(p->url, sizeof p->url, src->moved_to);
  p->since = src->moved_since;
  char when[32] = "";
  if (src->moved_since) health_fmt_utc(src->moved_since, when, sizeof when);
  snprintf(p->detail, sizeof p->detail,
           "permanently redirected (301/308) to %s%s%s: put the new address "
           "in the config",
           src->moved_to, when[0] ? " since " : "", when);
  trim_utf8(p->detail);
}

void mw_health_judge(const struct mw_health_conf *conf,
                     const struct mw_source_state *src,
                     const struct mw_source_history *h, int64_t now,
                     struct mw_source_health *out) {
  /* Not the whole struct: a survey holds one per source, and the problem
   * slots a source does not use are never touched (add() clears each one
   * it hands out), so they cost no memory in a large zeroed allocation. */
  out->status = MW_HEALTH_OK;
  out->n_problems = 0;
  if (!conf || !src || !h) return;
  judge_unreachable(conf, src, h, now, out);
  bool unreachable = out->n_problems > 0;
  judge_links(conf, src, h, out);
  judge_extraction(conf, h, out);
  judge_pages(h, out);
  judge_mojibake(conf, h, out);
  /* An unreachable source is silent too; the outage already says why. */
  if (!unreachable) judge_silent(conf, h, now, out);
  judge_moved(src, out);
  /* Worst first, keeping the order above within a severity. */
  for (size_t i = 1; i < out->n_problems; i++) {
    struct mw_health_problem tmp = out->problems[i];
    size_t j = i;
    while (j > 0 && out->problems[j - 1].severity < tmp.severity) {
      out->problems[j] = out->problems[j - 1];
      j--;
    }
    out->problems[j] = tmp;
  }
  for (size_t i = 0; i < out->n_problems; i++)
    if (out->problems[i].severity > out->status)
      out->status = out->problems[i].severity;
}
