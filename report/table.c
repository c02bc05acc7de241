/*
 * table.c: lays out the coverage table once for every format: which
 * outlets and topics appear and in what order, the counts with the zeros
 * filled in, a subtotal per tier, the grand total and the totals set against
 * the previous period.
 *
 * Order: outlets by tier (central, provincial, city, county, portal,
 * new-media), within a tier in config order, then the outlets only the
 * store knows (dropped from the config since) by name; topics in config
 * order, then the store-only topics by name. Names are matched bytewise.
 *
 * What it leaves to others: escaping and layout (the coverage_*.c files),
 * counting (store/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

static void *zalloc(struct mw_arena *a, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) return NULL;
  void *p = mw_arena_alloc(a, n * size);
  if (p) memset(p, 0, n * size);
  return p;
}

/* Length of the well-formed UTF-8 sequence at s[0 .. n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0; /* overlong */
    if (c == 0xED) hi = 0x9F; /* surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90; /* overlong */
    if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return len;
}

/* A copy of s in the arena with each ill-formed byte replaced by U+FFFD. */
static const char *clean_name(struct mw_arena *a, const char *s) {
  size_t n = strlen(s);
  if (n > (SIZE_MAX - 1) / 3) return NULL;
  char *out = mw_arena_alloc(a, 3 * n + 1);
  if (!out) return NULL;
  const unsigned char *p = (const unsigned char *)s;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_len(p + i, n - i);
    if (len) {
      memcpy(out + o, p + i, len);
      o += len;
      i += len;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    }
  }
  out[o] = '\0';
  return out;
}

const char *rpt_clean(struct mw_arena *a, const char *s) {
  return clean_name(a, s ? s : "");
}

void rpt_format_local(const struct mw_config *cfg, int64_t t, char *buf,
                      size_t n) {
  struct mw_civil c;
  mw_time_to_civil(t, cfg->tz ? mw_tz_offset_at(cfg->tz, t) : 0, &c);
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
           c.hour, c.minute);
}

/* For sorting the store-only names. */
struct ref {
  const char *name;
  size_t idx;
};

static int ref_cmp(const void *a, const void *b) {
  return strcmp(((const struct ref *)a)->name, ((const struct ref *)b)->name);
}

/* A candidate outlet before ordering. */
struct cand {
  const char *name;
  enum mw_tier tier;
  bool in_config;
  size_t row; /* its place in t->outlets once ordered */
};

/* Growing lists, sized for the worst case up front. */
struct lists {
  struct cand *outlets;
  size_t n_outlets, n_cfg_outlets;
  struct rpt_topic *topics;
  size_t n_topics, n_cfg_topics;
  size_t *cell_outlet, *cell_topic; /* per cell; topic SIZE_MAX = all */
};

static size_t find_outlet(const struct lists *l, const char *name) {
  for (size_t i = 0; i < l->n_outlets; i++)
    if (!strcmp(l->outlets[i].name, name)) return i;
  return SIZE_MAX;
}

static size_t find_topic(const struct rpt_topic *topics, size_t n,
                         const char *name) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(topics[i].name, name)) return i;
  return SIZE_MAX;
}

static int nomem(struct mw_err *err) {
  return mw_err_set(err, MW_ENOMEM, "report: out of memory");
}

/* Collects the config's outlets and topics, then those only the store
 * knows, remembering where each cell goes. */
static int collect(struct rpt_table *t, const struct mw_config *cfg,
                   const struct mw_coverage *cov, struct lists *l,
                   struct mw_err *err) {
  struct mw_arena *a = t->arena;
  size_t max_o = cfg->n_outlets + cov->n_cells;
  size_t max_t = cfg->n_topics + cov->n_cells;
  if (max_o < cfg->n_outlets || max_t < cfg->n_topics) return nomem(err);
  l->outlets = zalloc(a, max_o, sizeof *l->outlets);
  l->topics = zalloc(a, max_t, sizeof *l->topics);
  l->cell_outlet = zalloc(a, cov->n_cells, sizeof *l->cell_outlet);
  l->cell_topic = zalloc(a, cov->n_cells, sizeof *l->cell_topic);
  if (!l->outlets || !l->topics || !l->cell_outlet || !l->cell_topic)
    return nomem(err);

  for (size_t i = 0; i < cfg->n_outlets; i++) {
    const struct mw_outlet_conf *o = &cfg->outlets[i];
    if (!o->name) continue;
    if ((unsigned)o->tier >= MW_TIER_COUNT)
      return mw_err_set(err, MW_EINVAL,
                        "report: outlet '%s' (config line %d) has no valid "
                        "tier", o->name, o->line);
    const char *name = clean_name(a, o->name);
    if (!name) return nomem(err);
    if (find_outlet(l, name) != SIZE_MAX) continue; /* first one wins */
    l->outlets[l->n_outlets++] = (struct cand){name, o->tier, true, 0};
  }
  l->n_cfg_outlets = l->n_outlets;
  for (size_t i = 0; i < cfg->n_topics; i++) {
    if (!cfg->topics[i].name) continue;
    const char *name = clean_name(a, cfg->topics[i].name);
    if (!name) return nomem(err);
    if (find_topic(l->topics, l->n_topics, name) != SIZE_MAX) continue;
    l->topics[l->n_topics++] = (struct rpt_topic){.name = name,
                                                  .in_config = true};
  }
  l->n_cfg_topics = l->n_topics;

  for (size_t i = 0; i < cov->n_cells; i++) {
    const struct mw_coverage_cell *c = &cov->cells[i];
    if (!c->outlet)
      return mw_err_set(err, MW_EINVAL, "report: a coverage cell has no "
                        "outlet");
    if ((unsigned)c->tier >= MW_TIER_COUNT)
      return mw_err_set(err, MW_EINVAL,
                        "report: outlet '%s' in the coverage has no valid "
                        "tier", c->outlet);
    const char *name = clean_name(a, c->outlet);
    if (!name) return nomem(err);
    size_t oi = find_outlet(l, name);
    if (oi == SIZE_MAX) {
      oi = l->n_outlets++;
      l->outlets[oi] = (struct cand){name, c->tier, false, 0};
    }
    l->cell_outlet[i] = oi;
    l->cell_topic[i] = SIZE_MAX;
    if (!c->topic) continue;
    const char *topic = clean_name(a, c->topic);
    if (!topic) return nomem(err);
    size_t ti = find_topic(l->topics, l->n_topics, topic);
    if (ti == SIZE_MAX) {
      ti = l->n_topics++;
      l->topics[ti] = (struct rpt_topic){.name = topic, .in_config = false};
    }
    l->cell_topic[i] = ti;
  }
  return MW_OK;
}

/* Sorts the store-only topics by name; fixes the cells' topic indices. */
static int order_topics(struct rpt_table *t, struct lists *l,
                        const struct mw_coverage *cov, struct mw_err *err) {
  size_t n_extra = l->n_topics - l->n_cfg_topics;
  struct ref *refs = zalloc(t->arena, n_extra, sizeof *refs);
  size_t *pos = zalloc(t->arena, l->n_topics, sizeof *pos);
  t->topics = zalloc(t->arena, l->n_topics, sizeof *t->topics);
  if (!refs || !pos || !t->topics) return nomem(err);
  for (size_t i = 0; i < n_extra; i++)
    refs[i] = (struct ref){l->topics[l->n_cfg_topics + i].name,
                           l->n_cfg_topics + i};
  qsort(refs, n_extra, sizeof *refs, ref_cmp);
  for (size_t i = 0; i < l->n_cfg_topics; i++) pos[i] = i;
  for (size_t i = 0; i < n_extra; i++) pos[refs[i].idx] = l->n_cfg_topics + i;
  for (size_t i = 0; i < l->n_topics; i++) t->topics[pos[i]] = l->topics[i];
  t->n_topics = l->n_topics;
  for (size_t i = 0; i < cov->n_cells; i++)
    if (l->cell_topic[i] != SIZE_MAX) l->cell_topic[i] = pos[l->cell_topic[i]];
  t->any_not_in_config |= n_extra > 0;
  return MW_OK;
}

static int init_row(struct rpt_table *t, struct rpt_row *r, const char *name,
                    enum mw_tier tier, bool in_config) {
  r->name = name;
  r->tier = tier;
  r->in_config = in_config;
  r->all = 0;
  r->counts = zalloc(t->arena, t->n_topics, sizeof *r->counts);
  return r->counts ? MW_OK : MW_ENOMEM;
}

/* Groups the outlets by tier: config order, then store-only by name. */
static int order_outlets(struct rpt_table *t, struct lists *l,
                         struct mw_err *err) {
  size_t n_extra = l->n_outlets - l->n_cfg_outlets;
  struct ref *refs = zalloc(t->arena, n_extra, sizeof *refs);
  t->outlets = zalloc(t->arena, l->n_outlets, sizeof *t->outlets);
  if (!refs || !t->outlets) return nomem(err);
  for (size_t i = 0; i < n_extra; i++)
    refs[i] = (struct ref){l->outlets[l->n_cfg_outlets + i].name,
                           l->n_cfg_outlets + i};
  qsort(refs, n_extra, sizeof *refs, ref_cmp);
  t->any_not_in_config |= n_extra > 0;

  for (int tier = 0; tier < MW_TIER_COUNT; tier++) {
    size_t first = t->n_outlets;
    for (size_t i = 0; i < l->n_cfg_outlets; i++) {
      struct cand *c = &l->outlets[i];
      if (c->tier != (enum mw_tier)tier) continue;
      c->row = t->n_outlets;
      if (init_row(t, &t->outlets[t->n_outlets++], c->name, c->tier, true))
        return nomem(err);
    }
    for (size_t i = 0; i < n_extra; i++) {
      struct cand *c = &l->outlets[refs[i].idx];
      if (c->tier != (enum mw_tier)tier) continue;
      c->row = t->n_outlets;
      if (init_row(t, &t->outlets[t->n_outlets++], c->name, c->tier, false))
        return nomem(err);
    }
    if (t->n_outlets == first) continue;
    struct rpt_tier *g = &t->tiers[t->n_tiers++];
    g->tier = (enum mw_tier)tier;
    g->first = first;
    g->n = t->n_outlets - first;
    if (init_row(t, &g->subtotal, NULL, g->tier, true)) return nomem(err);
  }
  if (init_row(t, &t->total, NULL, MW_TIER_COUNT, true)) return nomem(err);
  return MW_OK;
}

static void add_row(struct rpt_row *to, const struct rpt_row *from,
                    size_t n_topics) {
  for (size_t i = 0; i < n_topics; i++) to->counts[i] += from->counts[i];
  to->all += from->all;
}

static void set_change(struct rpt_change *c, int64_t count, bool has_prev,
                       int64_t prev) {
  *c = (struct rpt_change){.count = count, .has_prev = has_prev};
  if (!has_prev) return;
  c->prev = prev;
  c->delta = count - prev;
  if (prev <= 0) return;
  /* Integer rounding, half away from zero: no float formatting in output. */
  int64_t num = c->delta * 1000;
  int64_t q = num / prev, r = num % prev;
  if (2 * (r < 0 ? -r : r) >= prev) q += num < 0 ? -1 : 1;
  c->has_pct = true;
  c->pct_tenths = q;
}

/* Totals of the previous period: all articles and per table topic. */
static int compare_prev(struct rpt_table *t, const struct mw_coverage *prev,
                        struct mw_err *err) {
  int64_t *topic_prev = zalloc(t->arena, t->n_topics, sizeof *topic_prev);
  if (!topic_prev) return nomem(err);
  int64_t all_prev = 0;
  for (size_t i = 0; prev && i < prev->n_cells; i++) {
    const struct mw_coverage_cell *c = &prev->cells[i];
    if (!c->topic) {
      all_prev += c->count;
      continue;
    }
    const char *name = clean_name(t->arena, c->topic);
    if (!name) return nomem(err);
    size_t ti = find_topic(t->topics, t->n_topics, name);
    if (ti != SIZE_MAX) topic_prev[ti] += c->count;
  }
  set_change(&t->articles, t->total.all, prev != NULL, all_prev);
  for (size_t i = 0; i < t->n_topics; i++)
    set_change(&t->topics[i].total, t->total.counts[i], prev != NULL,
               topic_prev[i]);
  return MW_OK;
}

/* The period's dates and times in the zone (UTC without one). */
static void set_period(struct rpt_table *t, const struct mw_config *cfg,
                       const struct mw_report_period *p) {
  const struct mw_tz *tz = cfg->tz;
  t->tz_name = tz ? mw_tz_name(tz) : "UTC";
  t->from = p->from;
  t->to = p->to;
  int64_t at[2] = {p->from, p->to};
  int y[2], m[2], d[2]; /* the first and the last day */
  char *local[2] = {t->from_local, t->to_local};
  for (int i = 0; i < 2; i++) {
    int off = tz ? mw_tz_offset_at(tz, at[i]) : 0;
    struct mw_civil c;
    mw_time_format_iso(at[i], off, local[i], sizeof t->from_local);
    /* The last day is the one holding the period's last second. */
    int64_t day_of = i == 0 ? p->from : p->to - 1;
    off = tz ? mw_tz_offset_at(tz, day_of) : 0;
    mw_time_to_civil(day_of, off, &c);
    snprintf(i == 0 ? t->first_day : t->last_day, sizeof t->first_day,
             "%04d-%02d-%02d", c.year, c.month, c.day);
    y[i] = c.year;
    m[i] = c.month;
    d[i] = c.day;
  }
  if (p->iso_week > 0) {
    t->iso_year = p->iso_year;
    t->iso_week = p->iso_week;
    snprintf(t->week, sizeof t->week, "%04d-W%02d", p->iso_year, p->iso_week);
    t->kind = "week";
    snprintf(t->label_zh, sizeof t->label_zh, "%04d年第%d周", p->iso_year,
             p->iso_week);
    snprintf(t->iso, sizeof t->iso, "%s", t->week);
  } else if (p->month > 0) {
    t->kind = "month";
    snprintf(t->label_zh, sizeof t->label_zh, "%04d年%d月", p->year,
             p->month);
    snprintf(t->iso, sizeof t->iso, "%04d-%02d", p->year, p->month);
  } else {
    /* "2023年5月8日至5月10日", the year again only when it changes. */
    t->kind = "range";
    if (y[0] == y[1])
      snprintf(t->label_zh, sizeof t->label_zh, "%04d年%d月%d日至%d月%d日",
               y[0], m[0], d[0], m[1], d[1]);
    else
      snprintf(t->label_zh, sizeof t->label_zh,
               "%04d年%d月%d日至%04d年%d月%d日", y[0], m[0], d[0], y[1], m[1],
               d[1]);
  }
}

int rpt_table_build(struct rpt_table *t, const struct mw_config *cfg,
                    const struct mw_report_period *period,
                    const struct mw_coverage *cov,
                    const struct mw_coverage *prev, struct mw_err *err) {
  memset(t, 0, sizeof *t);
  if (!(t->arena = mw_arena_new(16384, 0))) return nomem(err);
  t->office = cfg->office_name && *cfg->office_name
                  ? clean_name(t->arena, cfg->office_name)
                  : "mediawatch";
  if (!t->office) return nomem(err);
  set_period(t, cfg, period);
  if (!(t->tz_name = clean_name(t->arena, t->tz_name))) return nomem(err);

  struct lists l = {0};
  int rc = collect(t, cfg, cov, &l, err);
  if (!rc) rc = order_topics(t, &l, cov, err);
  if (!rc) rc = order_outlets(t, &l, err);
  if (rc) return rc;
  for (size_t i = 0; i < cov->n_cells; i++) {
    struct rpt_row *r = &t->outlets[l.outlets[l.cell_outlet[i]].row];
    if (l.cell_topic[i] == SIZE_MAX) r->all += cov->cells[i].count;
    else r->counts[l.cell_topic[i]] += cov->cells[i].count;
  }
  for (size_t g = 0; g < t->n_tiers; g++) {
    struct rpt_tier *tier = &t->tiers[g];
    for (size_t i = 0; i < tier->n; i++)
      add_row(&tier->subtotal, &t->outlets[tier->first + i], t->n_topics);
    add_row(&t->total, &tier->subtotal, t->n_topics);
  }
  return compare_prev(t, prev, err);
}

void rpt_table_cleanup(struct rpt_table *t) {
  if (!t) return;
  mw_arena_free(t->arena);
  t->arena = NULL;
}

void rpt_format_delta(int64_t delta, char *buf, size_t n) {
  snprintf(buf, n, delta > 0 ? "+%lld" : "%lld", (long long)delta);
}

void rpt_format_pct(int64_t tenths, char *buf, size_t n) {
  int64_t a = tenths < 0 ? -tenths : tenths;
  snprintf(buf, n, "%s%lld.%lld%%", tenths > 0 ? "+" : tenths < 0 ? "-" : "",
           (long long)(a / 10), (long long)(a % 10));
}
