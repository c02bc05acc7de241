/*
 * extract.c: mw_article_extract, the article page from raw bytes to
 * title, time, 来源, author, editor and body.
 *
 * The order is fixed because each step reads what the one before found:
 * decode (charset.c), build the light tree (html.c), read what the page
 * declares and the title with the heading that shows it (extract_meta.c),
 * pick and write the body by text density (extract_body.c), then read the
 * labelled lines between heading and body (extract_time.c). Per-source XPath rules, when a source has them, are evaluated last
 * on libxml2's DOM (xpath.c) and replace what the heuristics found; they
 * cost a DOM, so only pages of those sources pay for it.
 *
 * Everything the result holds is in one arena, released by
 * mw_extracted_free. What it leaves to others: fetching, deciding which
 * pages are articles (listing.c), storing.
 */
#include <stdlib.h>
#include <string.h>

#include "crawler/extract_internal.h"
#include "crawler/xpath.h"

/* The decoded page may grow to three bytes per input byte (a stray byte
 * becomes U+FFFD); past that the input was not text. */
#define DECODED_MAX(len) ((len) * 3 + 1024)

/* ---------------------------------------------------------- XPath rules */

struct first_text {
  struct mw_xctx *c;
  char *text; /* first non-empty, in the arena */
  int rc;
};

static int take_first(const char *text, const char *href, void *user) {
  (void)href;
  struct first_text *f = user;
  if (!*text) return 0;
  f->text = mw_arena_strdup(f->c->arena, text);
  if (!f->text) f->rc = MW_ENOMEM;
  return 1;
}

struct all_text {
  struct mw_buf buf;
  int rc;
};

static int take_all(const char *text, const char *href, void *user) {
  (void)href;
  struct all_text *a = user;
  if (!*text) return 0;
  if (a->buf.len) a->rc = mw_buf_putc(&a->buf, '\n');
  if (!a->rc) a->rc = mw_buf_puts(&a->buf, text);
  return a->rc != MW_OK;
}

static int rule_error(struct mw_err *err, int rc, const char *field) {
  if (rc == MW_ENOMEM) return mw_err_set(err, rc, "out of memory");
  mw_err_prefix(err, "%s: ", field);
  return rc;
}

/* One text field by rule: the first selected node with text. */
static int rule_first(struct mw_xctx *c, struct mw_xpath_doc *d,
                      const char *field, const char *expr, char **out,
                      struct mw_err *err) {
  struct first_text f = {c, NULL, MW_OK};
  int rc = mw_xpath_select(d, expr, take_first, &f, err);
  if (rc < 0) return rule_error(err, rc, field);
  if (f.rc) return mw_err_set(err, f.rc, "out of memory");
  *out = f.text;
  return MW_OK;
}

static int apply_rules(struct mw_xctx *c, const struct mw_article_rules *r,
                       struct mw_err *err) {
  struct mw_extracted *x = c->x;
  struct mw_xpath_doc *d = NULL;
  int rc = mw_xpath_doc_new(c->utf8, c->len, &d, err);
  if (rc) return rc;
  char *s = NULL;
  if (r->title_xpath) {
    rc = rule_first(c, d, "title_xpath", r->title_xpath, &s, err);
    if (rc) goto done;
    if (s) x->title = s, x->title_from = "xpath";
  }
  if (r->time_xpath) {
    rc = rule_first(c, d, "time_xpath", r->time_xpath, &s, err);
    if (rc) goto done;
    int64_t t = s ? mw_x_date_in(s, strlen(s), c->offset_s) : MW_TIME_UNKNOWN;
    if (t == MW_TIME_UNKNOWN && s &&
        mw_date_parse(s, strlen(s), c->offset_s, &t) != MW_OK)
      t = MW_TIME_UNKNOWN;
    if (t != MW_TIME_UNKNOWN) x->published = t, x->time_from = "xpath";
  }
  if (r->source_xpath) {
    rc = rule_first(c, d, "source_xpath", r->source_xpath, &s, err);
    if (rc) goto done;
    const char *o = s ? mw_x_origin_in(c, s, strlen(s)) : NULL;
    if (o) x->origin = (char *)o, x->origin_from = "xpath";
  }
  if (r->body_xpath) {
    struct all_text a;
    mw_buf_init(&a.buf, DECODED_MAX(c->len));
    a.rc = MW_OK;
    rc = mw_xpath_select(d, r->body_xpath, take_all, &a, err);
    if (rc < 0) {
      mw_buf_cleanup(&a.buf);
      rc = rule_error(err, rc, "body_xpath");
      goto done;
    }
    rc = MW_OK;
    if (a.rc) {
      mw_buf_cleanup(&a.buf);
      rc = mw_err_set(err, a.rc, "body_xpath: %s",
                      a.rc == MW_ETOOBIG ? "selects too much text"
                                         : "out of memory");
      goto done;
    }
    if (a.buf.len) {
      size_t n = mw_x_clean_lines(a.buf.data, a.buf.len, x->title);
      if (n) {
        x->body = mw_arena_strndup(c->arena, a.buf.data, n);
        if (!x->body) rc = mw_err_set(err, MW_ENOMEM, "out of memory");
        x->body_chars = mw_x_utf8_chars(a.buf.data, n);
        x->body_from = "xpath";
      }
    }
    mw_buf_cleanup(&a.buf);
  }
done:
  mw_xpath_doc_free(d);
  return rc;
}

/* ------------------------------------------------------------- extract */

static bool has_rules(const struct mw_article_rules *r) {
  return r && (r->title_xpath || r->time_xpath || r->source_xpath ||
               r->body_xpath);
}

static int run(struct mw_xctx *c, const struct mw_article_rules *rules,
               struct mw_err *err) {
  int rc = mw_x_meta(c);
  if (!rc) rc = mw_x_board(c);
  if (!rc) rc = mw_x_title(c);
  if (!rc) rc = mw_x_body(c);
  if (!rc) rc = mw_x_fields(c);
  if (rc) return mw_err_set(err, rc, "%s while extracting the article",
                            rc == MW_ENOMEM ? "out of memory"
                                            : "a size limit was reached");
  if (has_rules(rules)) return apply_rules(c, rules, err);
  return MW_OK;
}

int mw_article_extract(const char *data, size_t len, const char *http_charset,
                       const char *url, int default_offset_s,
                       const struct mw_article_rules *rules,
                       struct mw_extracted **out, struct mw_err *err) {
  if (!out) return mw_err_set(err, MW_EINVAL, "no output given");
  *out = NULL;
  if (!data && len) return mw_err_set(err, MW_EINVAL, "no page given");
  if (!data) data = "";

  struct mw_arena *arena = mw_arena_new(16384, 0);
  struct mw_extracted *x = arena ? mw_arena_alloc(arena, sizeof *x) : NULL;
  if (!x) {
    mw_arena_free(arena);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  memset(x, 0, sizeof *x);
  x->arena = arena;
  x->published = MW_TIME_UNKNOWN;

  struct mw_xctx c;
  memset(&c, 0, sizeof c);
  c.url = url;
  c.offset_s = default_offset_s;
  c.x = x;
  c.arena = arena;
  c.meta.wechat_ct = MW_TIME_UNKNOWN;
  mw_buf_init(&c.scratch, DECODED_MAX(len));

  struct mw_buf page;
  mw_buf_init(&page, DECODED_MAX(len));
  int rc = mw_charset_decode_page(data, len, http_charset, &x->charset, &page,
                                  &x->replaced_chars, err);
  if (rc == MW_EINVAL) {
    /* detect names only charsets decode knows; should one slip through,
     * reading the bytes as UTF-8 (bad ones replaced) still gives text */
    mw_buf_reset(&page);
    x->replaced_chars = 0;
    rc = mw_charset_decode(data, len, "UTF-8", &page, &x->replaced_chars, err);
  }
  if (!rc && !page.data) rc = mw_buf_append(&page, "", 0);
  if (rc) {
    if (rc != MW_ENOMEM) mw_err_prefix(err, "decoding the page: ");
    goto fail;
  }
  c.utf8 = page.data;
  c.len = page.len;

  rc = mw_html_parse(c.utf8, c.len, NULL, &c.doc, err);
  if (rc) goto fail;
  rc = run(&c, rules, err);
  if (rc) goto fail;

  mw_html_free(c.doc);
  mw_buf_cleanup(&page);
  mw_buf_cleanup(&c.scratch);
  *out = x;
  return MW_OK;

fail:
  mw_html_free(c.doc);
  mw_buf_cleanup(&page);
  mw_buf_cleanup(&c.scratch);
  mw_arena_free(arena);
  return rc;
}

void mw_extracted_free(struct mw_extracted *x) {
  if (x) mw_arena_free(x->arena); /* x itself lives in the arena */
}
