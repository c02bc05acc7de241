/*
 * bulletin.c: the work bulletin (工作简报): checks the issue, lays out the
 * masthead and the items once (every string from the store copied through
 * rpt_clean, so the renderers can trust it is valid UTF-8; dates as local
 * days in Chinese), picks each story's lead paragraph, and hands the
 * layout to the renderer of the format asked for. A failed render leaves
 * the caller's buffer as it was.
 *
 * What it leaves to others: choosing the stories (cli/ through the
 * store), the syntax of each format (bulletin_html.c, bulletin_md.c),
 * escaping (escape.c).
 */
#include <stdio.h>
#include <string.h>

#include "report/bulletin_int.h"

int mw_bulletin_format_parse(const char *s, enum mw_bulletin_format *out) {
  if (s && !strcmp(s, "html")) {
    *out = MW_BULLETIN_HTML;
    return MW_OK;
  }
  if (s && !strcmp(s, "md")) {
    *out = MW_BULLETIN_MD;
    return MW_OK;
  }
  return MW_EINVAL;
}

/* Whether the UTF-8 sequence at p (n bytes left) ends a sentence. */
static size_t sentence_end(const char *p, size_t n) {
  static const char *const ends[] = {"。", "！", "？", "；", "!", "?"};
  for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
    size_t l = strlen(ends[i]);
    if (n >= l && !memcmp(p, ends[i], l)) return l;
  }
  return 0;
}

/* A closing quote or bracket right after a sentence end stays with it. */
static size_t closer(const char *p, size_t n) {
  static const char *const cl[] = {"”", "’", "）", "」", "』", ")"};
  for (size_t i = 0; i < sizeof cl / sizeof cl[0]; i++) {
    size_t l = strlen(cl[i]);
    if (n >= l && !memcmp(p, cl[i], l)) return l;
  }
  return 0;
}

static bool is_space_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c != ' ' && c != '\t' && c != '\r') {
      /* U+3000 ideographic space */
      if (n - i >= 3 && !memcmp(s + i, "\xE3\x80\x80", 3)) {
        i += 2;
        continue;
      }
      return false;
    }
  }
  return true;
}

/* Trims ASCII and ideographic spaces around [*s, *s + *n). */
static void trim(const char **s, size_t *n) {
  for (;;) {
    if (*n && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r')) {
      (*s)++, (*n)--;
    } else if (*n >= 3 && !memcmp(*s, "\xE3\x80\x80", 3)) {
      *s += 3, *n -= 3;
    } else {
      break;
    }
  }
  for (;;) {
    if (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
               (*s)[*n - 1] == '\r'))
      (*n)--;
    else if (*n >= 3 && !memcmp(*s + *n - 3, "\xE3\x80\x80", 3))
      *n -= 3;
    else
      break;
  }
}

/* Bytes of the first `chars` characters of valid UTF-8 s (n bytes). */
static size_t char_bytes(const char *s, size_t n, size_t chars) {
  size_t i = 0, c = 0;
  while (i < n) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (c == chars) return i;
      c++;
    }
    i++;
  }
  return n;
}

/* The cut of paragraph p (n bytes, valid UTF-8), in bytes; *ellipsis when
 * it was cut inside a sentence. */
static size_t cut(const char *p, size_t n, bool *ellipsis) {
  *ellipsis = false;
  size_t soft = char_bytes(p, n, MW_BULLETIN_LEAD_CHARS);
  if (soft == n) return n;
  size_t hard = char_bytes(p, n, 2 * MW_BULLETIN_LEAD_CHARS);
  size_t last = 0;
  for (size_t i = 0; i < hard;) {
    size_t l = sentence_end(p + i, n - i);
    if (!l) {
      i++;
      continue;
    }
    i += l;
    i += closer(p + i, n - i);
    if (i <= soft || last == 0) last = i;
    if (i > soft) break;
  }
  if (last && last <= hard) return last;
  *ellipsis = true;
  return soft;
}

int mw_bulletin_lead(const char *text, const char *title, struct mw_buf *out) {
  struct mw_arena *a = mw_arena_new(0, 0);
  if (!a) return MW_ENOMEM;
  const char *t = rpt_clean(a, text), *ti = rpt_clean(a, title);
  int rc = t && ti ? MW_OK : MW_ENOMEM;
  size_t tlen = ti ? strlen(ti) : 0;
  for (const char *p = t; !rc && p && *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    const char *s = p;
    p = nl ? nl + 1 : p + n;
    trim(&s, &n);
    if (n == 0 || is_space_line(s, n)) continue;
    if (n == tlen && !memcmp(s, ti, n)) continue;
    bool ellipsis;
    size_t len = cut(s, n, &ellipsis);
    rc = mw_buf_append(out, s, len);
    if (!rc && ellipsis) rc = mw_buf_puts(out, "……");
    break;
  }
  mw_arena_free(a);
  return rc;
}

static void format_day_zh(const struct mw_tz *tz, int64_t t, char *buf,
                          size_t n) {
  struct mw_civil c;
  mw_time_to_civil(t, tz ? mw_tz_offset_at(tz, t) : 0, &c);
  snprintf(buf, n, "%d年%d月%d日", c.year, c.month, c.day);
}

static int layout(struct blt *l, const struct mw_bulletin *b,
                  struct mw_err *err) {
  struct mw_arena *a = l->arena;
  l->title = rpt_clean(a, b->title ? b->title : "工作简报");
  l->office = b->office ? rpt_clean(a, b->office) : NULL;
  snprintf(l->issue, sizeof l->issue, "%d年第%d期", b->year, b->issue);
  if (b->total)
    snprintf(l->total, sizeof l->total, "（总第%d期）", b->total);
  snprintf(l->date, sizeof l->date, "%d年%d月%d日", b->year, b->month,
           b->day);
  l->items = mw_arena_alloc(a, (b->n_stories ? b->n_stories : 1) *
                                   sizeof *l->items);
  if (!l->title || (b->office && !l->office) || !l->items)
    return mw_err_set(err, MW_ENOMEM, "bulletin: out of memory");
  struct mw_buf lead;
  mw_buf_init(&lead, 64u << 10);
  int rc = MW_OK;
  for (size_t i = 0; !rc && i < b->n_stories; i++) {
    const struct mw_bulletin_story *s = &b->stories[i];
    struct blt_item *it = &l->items[l->n_items++];
    memset(it, 0, sizeof *it);
    mw_buf_reset(&lead);
    const char *title = s->title && s->title[0] ? s->title : "（无标题）";
    it->title = rpt_clean(a, title);
    it->source = rpt_clean(a, s->source ? s->source : s->outlet);
    format_day_zh(b->tz, s->time, it->date, sizeof it->date);
    rc = mw_bulletin_lead(s->text, s->title, &lead);
    if (!rc) it->lead = rpt_clean(a, lead.data ? lead.data : "");
    if (!rc && (!it->title || !it->source || !it->lead)) rc = MW_ENOMEM;
    it->outlet_count = s->outlet_count;
  }
  mw_buf_cleanup(&lead);
  if (rc) return mw_err_set(err, rc, "bulletin: %s", mw_strerror(rc));
  return MW_OK;
}

int mw_bulletin_write(const struct mw_bulletin *b, enum mw_bulletin_format fmt,
                      struct mw_buf *out, struct mw_err *err) {
  if (!b || !out || (b->n_stories && !b->stories))
    return mw_err_set(err, MW_EINVAL, "bulletin: missing input or output");
  if (b->issue < 1)
    return mw_err_set(err, MW_EINVAL,
                      "bulletin: the issue number must be 1 or more, not %d",
                      b->issue);
  if (b->total && b->total < b->issue)
    return mw_err_set(err, MW_EINVAL,
                      "bulletin: the running number (总第%d期) is below the "
                      "issue of the year (第%d期)",
                      b->total, b->issue);
  if (b->year < 1970 || b->year > 9999 ||
      !mw_civil_valid(b->year, b->month, b->day, 0, 0, 0))
    return mw_err_set(err, MW_EINVAL, "bulletin: %d-%d-%d is not a date",
                      b->year, b->month, b->day);
  if (fmt != MW_BULLETIN_HTML && fmt != MW_BULLETIN_MD)
    return mw_err_set(err, MW_EINVAL, "bulletin: unknown format %d",
                      (int)fmt);
  struct blt l = {.arena = mw_arena_new(0, 0)};
  if (!l.arena) return mw_err_set(err, MW_ENOMEM, "bulletin: out of memory");
  int rc = layout(&l, b, err);
  if (rc) {
    mw_arena_free(l.arena);
    return rc;
  }
  size_t start = out->len;
  rc = fmt == MW_BULLETIN_HTML ? blt_html(&l, out) : blt_md(&l, out);
  mw_arena_free(l.arena);
  if (!rc) return MW_OK;
  out->len = start;
  if (out->data) out->data[start] = '\0';
  if (rc == MW_ETOOBIG)
    return mw_err_set(err, rc,
                      "bulletin: larger than the output limit (%zu bytes)",
                      out->max);
  return mw_err_set(err, rc, "bulletin: cannot write: %s", mw_strerror(rc));
}
