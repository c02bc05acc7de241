/*
 * search_words.c: the words of a search query (search.c) and what is done
 * with them outside SQL: splitting the query on spaces (ASCII and the
 * ideographic space), refusing text that is not UTF-8 or too long; the
 * FTS5 expression of the words of SEARCH_LONG_CHARS characters or more,
 * quoted so that nothing the user typed is FTS5 syntax; and, for the
 * shorter words the trigram index cannot find, the marks FTS5 cannot put:
 * every occurrence in a hit's title and text, and the snippet of the
 * short-words-only path, cut around the first occurrence.
 *
 * What it leaves to others: the index, the SQL and the walk over the
 * candidates (search.c), escaping and <mark> tags (web/).
 */
#include <stdlib.h>
#include <string.h>

#include "store/search_int.h"

#define SEARCH_LONG_CHARS 3 /* trigram: shorter words are not indexed */
#define SNIPPET_CHARS 64    /* characters of text around the first hit */
#define SNIPPET_BEFORE 16   /* of which before it */

size_t store_utf8_len(const unsigned char *p, size_t n) {
  size_t len = p[0] < 0x80                    ? 1
               : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
               : p[0] >= 0xe0 && p[0] <= 0xef ? 3
               : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4
                                              : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((p[i] & 0xc0) != 0x80) return 0;
  /* Overlong three- and four-byte forms, surrogates, above U+10FFFF. */
  if (len == 3 &&
      ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
    return 0;
  if (len == 4 &&
      ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
    return 0;
  return len;
}

/* Splits q into words on ASCII spaces, control characters and the
 * ideographic space U+3000. */
int store_search_parse(const char *q, struct search_words *pq,
                       struct mw_err *err) {
  memset(pq, 0, sizeof *pq);
  if (!q) return mw_err_set(err, MW_EINVAL, "search: no words to look for");
  size_t n = strnlen(q, SEARCH_Q_MAX + 1);
  if (n > SEARCH_Q_MAX)
    return mw_err_set(err, MW_EINVAL,
                      "search: the query is longer than %d bytes; use fewer "
                      "or shorter words",
                      SEARCH_Q_MAX);
  const unsigned char *p = (const unsigned char *)q;
  size_t i = 0;
  while (i < n) {
    size_t len = store_utf8_len(p + i, n - i);
    if (!len)
      return mw_err_set(err, MW_EINVAL,
                        "search: the query is not valid UTF-8 text");
    bool space =
        (len == 1 && (p[i] <= 0x20 || p[i] == 0x7f)) ||
        (len == 3 && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80);
    if (space) {
      i += len;
      continue;
    }
    if (pq->n == SEARCH_WORDS_MAX)
      return mw_err_set(err, MW_EINVAL, "search: more than %d words; use fewer",
                        SEARCH_WORDS_MAX);
    struct search_word *w = &pq->words[pq->n++];
    w->p = q + i;
    while (i < n) {
      len = store_utf8_len(p + i, n - i);
      if (!len)
        return mw_err_set(err, MW_EINVAL,
                          "search: the query is not valid UTF-8 text");
      if ((len == 1 && (p[i] <= 0x20 || p[i] == 0x7f)) ||
          (len == 3 && p[i] == 0xe3 && p[i + 1] == 0x80 && p[i + 2] == 0x80))
        break;
      i += len;
      w->chars++;
    }
    w->len = (size_t)(q + i - w->p);
    if (w->chars < SEARCH_LONG_CHARS) pq->shorts[pq->n_short++] = w;
  }
  if (pq->n == 0)
    return mw_err_set(err, MW_EINVAL, "search: no words to look for");
  return MW_OK;
}

/* The FTS5 expression of the long words: "w1" AND "w2", each a string
 * with its quotes doubled, so nothing the user typed is FTS5 syntax.
 * Empty when there are none. */
int store_search_match(const struct search_words *pq, struct mw_buf *b) {
  int rc = MW_OK;
  bool first = true;
  for (size_t i = 0; i < pq->n && !rc; i++) {
    const struct search_word *w = &pq->words[i];
    if (w->chars < SEARCH_LONG_CHARS) continue;
    if (!first) rc = mw_buf_puts(b, " AND ");
    first = false;
    if (!rc) rc = mw_buf_putc(b, '"');
    for (size_t j = 0; j < w->len && !rc; j++) {
      rc = mw_buf_putc(b, w->p[j]);
      if (!rc && w->p[j] == '"') rc = mw_buf_putc(b, '"');
    }
    if (!rc) rc = mw_buf_putc(b, '"');
  }
  return rc;
}

/* ------------------------------------------------------------- marks */

/* s with every occurrence of a short word outside the marks already there
 * put between MW_SEARCH_MARK_OPEN and _CLOSE; NULL stays NULL. *out
 * malloc'd; false when out of memory. */
bool store_search_mark(const char *s, const struct search_words *pq,
                       char **out) {
  *out = NULL;
  if (!s) return true;
  struct mw_buf b;
  mw_buf_init(&b, 4 * strlen(s) + 16); /* each byte marked at most once */
  bool inside = false;
  int rc = mw_buf_puts(&b, ""); /* "" stays "", not NULL */
  for (const char *p = s; *p && !rc;) {
    if (*p == MW_SEARCH_MARK_OPEN[0]) inside = true;
    if (*p == MW_SEARCH_MARK_CLOSE[0]) inside = false;
    size_t best = 0;
    for (size_t i = 0; !inside && i < pq->n_short; i++) {
      const struct search_word *w = pq->shorts[i];
      if (w->len > best && !strncmp(p, w->p, w->len)) best = w->len;
    }
    if (best) {
      if (!(rc = mw_buf_puts(&b, MW_SEARCH_MARK_OPEN)) &&
          !(rc = mw_buf_append(&b, p, best)))
        rc = mw_buf_puts(&b, MW_SEARCH_MARK_CLOSE);
      p += best;
    } else {
      rc = mw_buf_putc(&b, *p++);
    }
  }
  if (!rc) *out = mw_buf_steal(&b);
  mw_buf_cleanup(&b);
  return *out != NULL;
}

/* Back over one UTF-8 character before position i of s. */
static size_t utf8_back(const char *s, size_t i) {
  if (i == 0) return 0;
  i--;
  while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80) i--;
  return i;
}

/* Forward over one UTF-8 character at position i of s (not at its end). */
static size_t utf8_next(const char *s, size_t i) {
  i++;
  while (s[i] && ((unsigned char)s[i] & 0xc0) == 0x80) i++;
  return i;
}

/* For the short-words path: about SNIPPET_CHARS characters of text around
 * the first occurrence of a short word, "…" where it is cut, marked. */
bool store_search_snippet(const char *text, const struct search_words *pq,
                          char **out) {
  *out = NULL;
  if (!text) return true;
  const char *first = NULL;
  for (size_t i = 0; i < pq->n_short; i++) {
    char *w = mw_strndup(pq->shorts[i]->p, pq->shorts[i]->len);
    if (!w) return false;
    const char *hit = strstr(text, w);
    free(w);
    if (hit && (!first || hit < first)) first = hit;
  }
  size_t at = first ? (size_t)(first - text) : 0, start = at, end = at;
  size_t chars = 0;
  for (; chars < SNIPPET_BEFORE && start > 0; chars++)
    start = utf8_back(text, start);
  for (; chars < SNIPPET_CHARS && text[end]; chars++)
    end = utf8_next(text, end);
  char *cut = malloc(end - start + 2 * sizeof "…");
  if (!cut) return false;
  size_t n = 0;
  if (start > 0) {
    memcpy(cut, "…", sizeof "…" - 1);
    n += sizeof "…" - 1;
  }
  memcpy(cut + n, text + start, end - start);
  n += end - start;
  if (text[end]) {
    memcpy(cut + n, "…", sizeof "…" - 1);
    n += sizeof "…" - 1;
  }
  cut[n] = '\0';
  bool ok = store_search_mark(cut, pq, out);
  free(cut);
  return ok;
}
