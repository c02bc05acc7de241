/*
 * matchers.h: deciding which topics a document is about.
 *
 * First version: a topic is a list of keywords, any of which matches in the
 * title or the text. Both keywords and documents are normalised the same
 * way (Unicode NFKC, case folded, full-width forms to half-width, zero-width
 * characters dropped) so 'ＷＨＯ' finds 'who'. The interface is the one the
 * full rule language fills later: compile once from the config, then match
 * many documents, each in one call, with no shared state between calls.
 */
#ifndef MW_MATCHERS_H
#define MW_MATCHERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* Normalises UTF-8 text for matching into out (appended). Invalid UTF-8
 * bytes become U+FFFD. Returns MW_ETOOBIG when out's ceiling is reached. */
int mw_text_normalize(const char *s, size_t len, struct mw_buf *out);

/* The compiled topics. Opaque, immutable after mw_matcher_new, so one
 * matcher may serve several threads. Free with mw_matcher_free. */
struct mw_matcher;

/* Compiles the config's topics. A topic whose keywords are all empty after
 * normalisation is an error naming the topic and its config line. */
int mw_matcher_new(const struct mw_topic_conf *topics, size_t n_topics,
                   struct mw_matcher **out, struct mw_err *err);
void mw_matcher_free(struct mw_matcher *m);
size_t mw_matcher_topic_count(const struct mw_matcher *m);
const char *mw_matcher_topic_name(const struct mw_matcher *m, size_t topic);

/* A document's fields; any may be {NULL, 0}. */
struct mw_doc {
  struct mw_str title;
  struct mw_str body;
};

/* Per topic: whether it matched and the keywords that hit, comma
 * separated, in config order. Caller owns the storage. */
struct mw_topic_result {
  bool matched;
  char terms[256]; /* truncated at a keyword boundary */
};

/* Matches doc against every topic. results has room for
 * mw_matcher_topic_count(m) entries. Returns the number of topics matched
 * or a negative status. */
int mw_matcher_match(const struct mw_matcher *m, const struct mw_doc *doc,
                     struct mw_topic_result *results, struct mw_err *err);

/* ------------------------------------------------------------- reprints */

/* A 64-bit simhash of a text for finding reprints (转载): computed over
 * character shingles of the normalised text with whitespace and
 * punctuation dropped, so the same story with a different masthead,
 * spacing or full-width digits hashes close. Texts of fewer than 20
 * characters give 0 (too short to judge). */
uint64_t mw_simhash(const char *utf8, size_t len);
/* Bits that differ between two hashes (0-64). */
int mw_simhash_distance(uint64_t a, uint64_t b);
/* The distance up to which two bodies count as the same story. */
#define MW_SIMHASH_SAME_STORY 3

#endif
