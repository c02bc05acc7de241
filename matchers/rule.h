/*
 * rule.h (private to matchers/): the parse tree of a rule, the parser of
 * the rule language, and the literal factors of a regex.
 *
 * (rule.c; keywords.c builds trees of lists, compile.c locates errors.)
 * The parser turns rule text into a tree of terms (normalised), regexes
 * (compiled with PCRE2), AND, OR, NOT, NEAR and field scopes, or fails with
 * the byte offset of the problem and a message. Trees for keyword lists
 * and the grouped form are built with the same nodes (rule_lit, rule_op),
 * so every topic compiles the same way. Trees live in the caller's arena;
 * compiled regexes are owned by the tree until the matcher takes them.
 */
#ifndef MW_MATCHERS_RULE_H
#define MW_MATCHERS_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/common.h"
#include "matchers/norm.h"

/* Field bits: a node's scope. */
#define FB_TITLE 1u
#define FB_BODY 2u
#define FB_SOURCE 4u
#define FB_OUTLET 8u
#define FB_TEXT (FB_TITLE | FB_BODY) /* what an unscoped term searches */

enum rule_kind { R_LIT, R_RE, R_AND, R_OR, R_NOT, R_NEAR };

#define RULE_MAX_BYTES 16384
#define RULE_MAX_DEPTH 64
#define NEAR_MAX 10000

struct rnode {
  enum rule_kind kind;
  unsigned fields;       /* scope written on this node; 0: inherited */
  int dist;              /* NEAR: characters */
  const char *shown;     /* LIT, RE: as written ("无废城市", /a.b/) */
  const char *norm;      /* LIT: normalised; RE: the pattern */
  size_t norm_len;
  pcre2_code *re;        /* RE: owned until taken (set to NULL) */
  struct rnode **kids;
  size_t n;
  size_t off, end;       /* bytes of the rule text; 0, 0 when built */
};

/* The place and reason of a parse error. */
struct rule_err {
  size_t off; /* byte of the rule text the caret goes under */
  char msg[240];
};

/* Parses rule text, normalising terms with table nt. On failure returns
 * MW_EINVAL with e filled (and frees any regex compiled so far);
 * MW_ENOMEM when out of memory. */
int rule_parse(const char *src, size_t len, struct mw_arena *a,
               const struct mw_norm_table *nt, struct rnode **out,
               struct rule_err *e);

/* The normal form of text in the arena (NUL-terminated); NULL with *len
 * 0 when nothing is left, *rc set on failure. */
const char *rule_normalised(struct mw_arena *a, const struct mw_norm_table *nt,
                            const char *text, size_t n, size_t *len, int *rc);
/* A literal node for text taken as it is (keywords, grouped words):
 * NULL with MW_EINVAL in *rc when it is empty once normalised. */
struct rnode *rule_lit(struct mw_arena *a, const struct mw_norm_table *nt,
                       const char *text, int *rc);
/* An AND, OR or NOT node over n kids (copied). */
struct rnode *rule_op(struct mw_arena *a, enum rule_kind kind,
                      struct rnode *const *kids, size_t n);
/* Frees the regexes a tree still owns. */
void rule_release(struct rnode *n);

/* Where off falls in src: 1-based line and character column, the line's
 * text and a caret line under it (display width: CJK counts two). */
void rule_locate(const char *src, size_t len, size_t off, int *line,
                 int *col, struct mw_buf *excerpt, struct mw_buf *caret);

/* A literal factor of a regex: strings (normalised, in the arena) one of
 * which occurs in every match of the pattern. */
#define REGEX_SET_MAX 16    /* strings of one factor */
#define REGEX_FACTORS_MAX 4 /* factors kept per regex */
struct regex_factor {
  size_t n;
  const char *v[REGEX_SET_MAX];
  size_t l[REGEX_SET_MAX];
  /* top: one run of literal characters of the pattern's own sequence, at
   * pattern bytes [ps, pe), so that every match is the part before it, an
   * occurrence of v[0], and the part after it. */
  bool top;
  size_t ps, pe;
};
/* The factors of a regex that all hold, into out[REGEX_FACTORS_MAX], best
 * first (the shortest string longest, then the fewest strings). Returns
 * how many, 0 when the pattern promises none. */
size_t regex_factors(const char *pat, size_t len, struct mw_arena *a,
                     const struct mw_norm_table *nt,
                     struct regex_factor *out);

#endif
