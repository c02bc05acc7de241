/*
 * norm.h (private to matchers/): the normal form with its offset map.
 *
 * mw_norm_text writes the normal form of a text (see normalize.c) and,
 * when asked, records where the result differs in length from the
 * original, so a hit found at normalised offsets can be reported at the
 * offsets of the text the user gave. Only the pieces that changed length
 * are recorded: a plain Chinese text costs no map entries at all.
 */
#ifndef MW_MATCHERS_NORM_H
#define MW_MATCHERS_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* One piece of the original, [o0, o1), that became [n0, n1) of the
 * normalised text with a different length (or was dropped: n0 == n1).
 * Between pieces the two texts run in step. Offsets are relative to the
 * start of the original and of what mw_norm_text appended. */
struct mw_norm_span {
  uint32_t n0, n1, o0, o1;
};

/* Caller-owned; reuse across documents with mw_norm_map_reset. */
struct mw_norm_map {
  struct mw_norm_span *v;
  size_t n, cap;
  size_t max; /* entries; over it mw_norm_text fails with MW_ETOOBIG */
};

void mw_norm_map_init(struct mw_norm_map *m, size_t max);
void mw_norm_map_reset(struct mw_norm_map *m);
void mw_norm_map_cleanup(struct mw_norm_map *m);

/* What normalising needs to know about each character of the Basic
 * Multilingual Plane, precomputed from utf8proc (about 0.5 MB, 3 ms to
 * build). Immutable once built, so any number of threads may share one.
 * Each matcher owns one (mw_matcher_new builds it, mw_matcher_free frees
 * it). */
struct mw_norm_table;
/* MW_OK or MW_ENOMEM (then *out is NULL). Free with mw_norm_table_free. */
int mw_norm_table_new(struct mw_norm_table **out);
void mw_norm_table_free(struct mw_norm_table *t);

/* Appends the normal form of s to out using table t (not NULL); records
 * the map when map is not NULL (reset first by the caller). Texts over
 * 1 GB are MW_ETOOBIG. */
int mw_norm_text(const struct mw_norm_table *t, const char *s, size_t len,
                 struct mw_buf *out, struct mw_norm_map *map);

/* Original offset of a match starting (or ending, exclusive) at normalised
 * offset off. A match that starts or ends inside a changed piece widens to
 * the whole piece. */
size_t mw_norm_map_start(const struct mw_norm_map *m, size_t off);
size_t mw_norm_map_end(const struct mw_norm_map *m, size_t off);

/* The normal form re-encoded for the scan: two bytes a character of the
 * BMP (UTF-16 code units, surrogate pairs beyond it, each shuffled one to
 * one), so that Chinese text, three bytes a character in UTF-8, is a third
 * shorter for Hyperscan to read (and it reads it a third faster); and per
 * unit the UTF-8 offset of the character it starts, so hits are reported
 * at UTF-8 offsets. Literals are encoded the same way; a match at an odd
 * offset straddles characters and is not one. Caller-owned; reuse across
 * texts. */
struct mw_norm_wide {
  unsigned char *u; /* 2 * n bytes */
  uint32_t *off;    /* n + 1 entries; off[n] is the UTF-8 length */
  size_t n, cap;    /* units */
};

void mw_norm_wide_init(struct mw_norm_wide *w);
void mw_norm_wide_cleanup(struct mw_norm_wide *w);
/* Re-encodes s[0, len), well-formed UTF-8 (what mw_norm_text writes) of
 * at most 1 GB, into w. MW_OK, MW_ETOOBIG or MW_ENOMEM. */
int mw_norm_wide(const char *s, size_t len, struct mw_norm_wide *w);

/* Characters (code points) in s[0, len) of well-formed UTF-8. */
static inline size_t mw_utf8_count(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

#endif
