/*
 * matchers.h: deciding which topics a document is about, and how
 * sensitive it is.
 *
 * A topic is a rule written by office staff: terms and "quoted phrases"
 * joined by AND, OR, NOT and parentheses (or the search-box shorthand:
 * space for AND, | for OR, -term for NOT), field scopes (title:, body:,
 * source:, outlet:), NEAR/n(a, b) and /regex/ atoms; or a list of keywords
 * (any of them); or the grouped form of Chinese monitoring systems
 * (regions AND subjects AND events, NOT exclusions). A lexicon of weighted
 * terms scores how sensitive a document is. Rules, lexicon and documents
 * are normalised the same way (Unicode NFKC, case folded, full-width forms
 * to half-width, zero-width characters dropped, white space between CJK
 * characters ignored) so 'ＷＨＯ' finds 'who' and '无 废 城 市' finds
 * '无废城市'; hits are reported at offsets of the original text.
 *
 * Compile once from the config, then match many documents, each in one
 * call: every literal of every rule and of the lexicon is in one
 * multi-pattern database, each field of a document is scanned once, and
 * the rules are evaluated on the hits. A rule with an error is set aside
 * with a message that points at the spot; the other rules keep working.
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

/* The compiled topics (and lexicon). Opaque, immutable after it is made,
 * so one matcher may serve several threads (per-call scratch is pooled
 * inside). Free with mw_matcher_free. */
struct mw_matcher;

/* Compiles the config's topics. Returns MW_OK even when some rules have
 * errors: those topics never match and their errors are listed by
 * mw_matcher_error. A negative status (out of memory, the pattern
 * database refused) means no matcher. A topic with `keywords:` matches
 * when any keyword is in the title or the body. */
int mw_matcher_new(const struct mw_topic_conf *topics, size_t n_topics,
                   struct mw_matcher **out, struct mw_err *err);
/* Compiles the topics and, when cfg->sensitivity.lexicon is set, the
 * lexicon file (term, category, weight per line; see examples/lexicon.tsv)
 * with the scoring settings. A lexicon that cannot be read is an error; a
 * bad line of it is listed like a bad rule and skipped. This is what the
 * daemon, `match` and a later rematch all compile. */
int mw_matcher_new_config(const struct mw_config *cfg,
                          struct mw_matcher **out, struct mw_err *err);
/* Same with the lexicon given as text (name is used in messages); sens
 * may be NULL for the defaults, lexicon NULL for no scoring. */
int mw_matcher_new_lexicon(const struct mw_topic_conf *topics,
                           size_t n_topics,
                           const struct mw_sensitivity_conf *sens,
                           const char *lexicon, size_t lexicon_len,
                           const char *name, struct mw_matcher **out,
                           struct mw_err *err);
void mw_matcher_free(struct mw_matcher *m);
size_t mw_matcher_topic_count(const struct mw_matcher *m);
const char *mw_matcher_topic_name(const struct mw_matcher *m, size_t topic);
/* False when the topic's rule did not compile (it never matches). */
bool mw_matcher_topic_valid(const struct mw_matcher *m, size_t topic);
/* Appends the compiled expression of a topic, fully parenthesised with
 * normalised terms and field scopes spelled out, such as
 * `(AND (OR 垃圾分类 生活垃圾) (NOT title:广告))`. */
int mw_matcher_topic_expr(const struct mw_matcher *m, size_t topic,
                          struct mw_buf *out);

/* A rule (or lexicon line) that did not compile. Strings owned by the
 * matcher. */
struct mw_rule_error {
  const char *topic;       /* the topic's name; NULL for a lexicon line */
  int conf_line, conf_col; /* the rule in the config file; 0 when unknown */
  int line, column;        /* in the rule: 1-based line, character column */
  const char *message;     /* "topic 垃圾分类, column 14: unbalanced ..." */
  const char *excerpt;     /* the line of the rule the error is on */
  const char *caret;       /* spaces and '^' under the spot (a CJK
                              character counts two columns) */
};
size_t mw_matcher_error_count(const struct mw_matcher *m);
const struct mw_rule_error *mw_matcher_error(const struct mw_matcher *m,
                                             size_t i);

/* What the pattern database holds, for `config check` and benchmarks. */
struct mw_matcher_stats {
  size_t topics, lexicon_entries;
  size_t literals;         /* distinct normalised literals */
  size_t regexes;          /* /regex/ atoms */
  size_t regexes_ungated;  /* with no literal that must occur: they run on
                              every document their rule reaches */
  size_t db_bytes;         /* the compiled Hyperscan databases (the
                              literals as UTF-8 and in the two-byte form
                              Chinese text is scanned in) */
};
void mw_matcher_stats(const struct mw_matcher *m, struct mw_matcher_stats *out);

/* The kind of outlet a document comes from, for sensitivity weights:
 * complaint boards and social accounts weigh more than press releases. */
enum mw_doc_kind {
  MW_DOC_UNKNOWN = 0,
  MW_DOC_PRESS,     /* newspapers, stations, news sites */
  MW_DOC_PORTAL,    /* government portals */
  MW_DOC_SOCIAL,    /* Weibo, WeChat, Douyin accounts */
  MW_DOC_COMPLAINT, /* complaint boards (留言板), forums */
};
/* "unknown", "press", "portal", "social", "complaint". */
const char *mw_doc_kind_name(int kind);
int mw_doc_kind_parse(const char *s, int *out);
/* The kind an outlet's tier implies: new-media is social, portal is
 * portal, the rest press. */
int mw_doc_kind_of_tier(enum mw_tier tier);

/* A document's fields; any may be {NULL, 0}. */
struct mw_doc {
  struct mw_str title;
  struct mw_str body;
  struct mw_str source; /* the 来源 line: the outlet it names as origin */
  struct mw_str outlet; /* the outlet that published it */
  int kind;             /* enum mw_doc_kind */
};

/* Per topic: whether it matched and the terms that hit (as written in the
 * rule; regexes as /.../), comma separated, in rule order. Caller owns
 * the storage. */
struct mw_topic_result {
  bool matched;
  char terms[256]; /* truncated at a term boundary */
};

/* Matches doc against every topic. results has room for
 * mw_matcher_topic_count(m) entries. Returns the number of topics matched
 * or a negative status (a field over 256 MB, out of memory). */
int mw_matcher_match(const struct mw_matcher *m, const struct mw_doc *doc,
                     struct mw_topic_result *results, struct mw_err *err);

/* The sensitivity of doc: *score (0 when no lexicon is loaded) and the
 * suggested alert level, 0 (not sensitive) or 1 一般 to 4 特别重大. */
int mw_matcher_score(const struct mw_matcher *m, const struct mw_doc *doc,
                     double *score, int *level, struct mw_err *err);

/* ------------------------------------------------------- explanations */

enum mw_field {
  MW_FIELD_TITLE,
  MW_FIELD_BODY,
  MW_FIELD_SOURCE,
  MW_FIELD_OUTLET,
  MW_FIELD_COUNT
};
/* "title", "body", "source", "outlet". */
const char *mw_field_name(int field);

/* One term of a rule found in a document: its first occurrence. */
struct mw_hit {
  const char *term;  /* as written: 无废城市, "zero waste", /垃圾.{0,4}混装/ */
  int field;         /* enum mw_field */
  size_t start, end; /* bytes of the original field text */
  bool negative;     /* under NOT: finding it counts against the topic */
};

struct mw_mark {
  size_t start, end; /* bytes of a snippet */
};

struct mw_topic_report {
  const char *name;
  bool matched;
  bool valid;             /* false: the rule did not compile */
  struct mw_hit *hits;    /* the terms found, in rule order */
  size_t n_hits;
  const char *snippet;    /* one line of the original text around the
                             first hit, NULL when nothing hit */
  int snippet_field;
  struct mw_mark *marks;  /* the hits inside the snippet */
  size_t n_marks;
  const char *why;        /* the rule, one part per line, each with its
                             verdict ("yes"/"no") and where it hit */
};

/* One lexicon entry that counted towards the score. */
struct mw_score_term {
  const char *term;     /* as written in the lexicon */
  const char *category;
  double weight;        /* from the lexicon */
  int field;            /* where it was found (first occurrence) */
  size_t start, end;    /* bytes of the original field text */
  bool in_title;        /* weighed as a title hit */
  const char *cue;      /* the negation that softened it, or NULL */
  double factor;        /* title weight times the negation's factor */
  double points;        /* weight times factor */
};

struct mw_match_report {
  struct mw_topic_report *topics; /* one per topic, in config order */
  size_t n_topics;
  int matched;                    /* topics matched */
  bool scored;                    /* a lexicon is loaded */
  double score;                   /* sum of points times kind_factor */
  int level;                      /* 0, or 1 一般 .. 4 特别重大 */
  int kind;                       /* the document's enum mw_doc_kind */
  double kind_factor;
  struct mw_score_term *terms;
  size_t n_terms;
  const char *explanation;        /* the score, term by term, in words */
};

/* Matches doc and explains everything: per topic the hits with original
 * offsets, a snippet and the rule's verdict part by part; the score term
 * by term. Free *out with mw_match_report_free. */
int mw_matcher_explain(const struct mw_matcher *m, const struct mw_doc *doc,
                       struct mw_match_report **out, struct mw_err *err);
void mw_match_report_free(struct mw_match_report *r);

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
