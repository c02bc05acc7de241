/*
 * search_int.h (private to search.c and search_words.c): a search query
 * split into words, and the calls of search_words.c that split it, build
 * the FTS5 expression of its long words and mark its short words in a
 * hit's title and text.
 */
#ifndef MW_STORE_SEARCH_INT_H
#define MW_STORE_SEARCH_INT_H

#include "store/store_int.h"

#define SEARCH_Q_MAX 256 /* bytes of a query */
#define SEARCH_WORDS_MAX 8

struct search_word {
  const char *p; /* into the query */
  size_t len;    /* bytes */
  size_t chars;
};

/* The words of a query; shorts point into words, the ones too short for
 * the trigram index. Points into the query text, which must outlive it. */
struct search_words {
  struct search_word words[SEARCH_WORDS_MAX];
  size_t n;
  size_t n_short;
  const struct search_word *shorts[SEARCH_WORDS_MAX];
};

/* Splits q into pq; MW_EINVAL with a message for the user when q is NULL,
 * empty, too long, not UTF-8 or has too many words. */
int store_search_parse(const char *q, struct search_words *pq,
                       struct mw_err *err);

/* Appends the FTS5 expression of the long words of pq to b ("w1" AND
 * "w2"; nothing when there are none). MW_OK or b's error. */
int store_search_match(const struct search_words *pq, struct mw_buf *b);

/* s with every occurrence of a short word of pq outside the marks already
 * there put between MW_SEARCH_MARK_OPEN and _CLOSE; NULL stays NULL.
 * *out malloc'd; false when out of memory. */
bool store_search_mark(const char *s, const struct search_words *pq,
                       char **out);

/* The snippet of a hit found by short words only: text around the first
 * occurrence of one, "…" where cut, marked as store_search_mark does.
 * NULL stays NULL; *out malloc'd; false when out of memory. */
bool store_search_snippet(const char *text, const struct search_words *pq,
                          char **out);

#endif
