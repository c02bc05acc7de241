/*
 * matchers_int.h (private to matchers/): the compiled matcher and the
 * per-call scratch that compile.c and prog.c build and match.c,
 * explain.c and score.c read.
 *
 * Rules are flattened into one node array. Every literal of every rule,
 * regex factor, lexicon entry and negation cue is one entry of lits and
 * one pattern of the Hyperscan databases (its index is the pattern id).
 * A rule is looked at only when a literal of its trigger set hit (a set
 * one of whose literals occurs in every document the rule matches; see
 * prog.c), or always when its regexes have no factor. Topics are also
 * written as programs (prog.c) evaluated without their trees.
 */
#ifndef MW_MATCHERS_INT_H
#define MW_MATCHERS_INT_H

#include <hs/hs.h>
#include <pthread.h>

#include "matchers/matchers.h"
#include "matchers/norm.h"
#include "matchers/rule.h"

#define NONE32 UINT32_MAX
/* Largest field accepted; the normal form may grow to three times that. */
#define FIELD_MAX (256u << 20)
/* Longest normal form scanned in the wide form (six bytes of scratch a
 * character); longer fields are scanned as UTF-8. */
#define WIDE_MAX (1u << 20)
/* Occurrences recorded per document for NEAR and scoring. */
#define HITS_MAX 200000u
/* Regex matches collected per field for NEAR. */
#define RE_POS_MAX 1000u

struct node {
  uint8_t kind;     /* enum rule_kind */
  uint8_t fields;   /* FB_* bits the node looks in (inherited down) */
  uint8_t has_re;   /* a regex below: evaluated after its siblings */
  uint8_t negative; /* under an odd number of NOTs */
  uint16_t dist;    /* NEAR */
  uint32_t atom;    /* LIT: literal; RE: regex */
  uint32_t kid0, n; /* kids in m->kids: n in evaluation order (regex-free
                       first), then the same n as written */
  uint32_t src0, src1; /* bytes of the rule text */
  const char *shown;   /* LIT, RE */
};

struct lit {
  const char *s;
  uint32_t len;
  bool all;       /* every occurrence is recorded (NEAR, scoring) */
  bool gate;      /* a regex's best factor: every occurrence and the last
                     are recorded, for where a match can lie */
  int32_t cue;    /* index in m->cues, or -1 */
};

/* What taking in a hit reads per literal (m->lit_info), in one place: the
 * length, or LIT_LONG when it does not fit and lits[].len has it, the
 * flags below, and where the topics it wakes start in topic_index.refs
 * (they end where the next literal's start: n_lits + 1 entries). */
struct lit_info {
  uint32_t info;
  uint32_t topics;
};
#define LIT_LEN 0x00FFFFFFu
#define LIT_ALL 0x80000000u
#define LIT_GATE 0x40000000u
#define LIT_LONG 0x20000000u
#define LIT_TOPICS 0x10000000u  /* it wakes topics (topic_index) */
#define LIT_LEXICON 0x08000000u /* it wakes lexicon entries */

struct regex {
  pcre2_code *code;
  uint32_t gate0, n_gate; /* its best factor: literals in m->gates; 0
                             gates: always runs */
  uint32_t window; /* > 0: no match is longer than this many bytes, so the
                      search looks only near the best factor's occurrences */
  bool split;      /* the best factor is one place of the pattern, with at
                      most pre bytes of match before it and post after */
  uint32_t pre, post;
  uint32_t x0, n_x; /* its other factors, m->xsets[x0 .. x0 + n_x) */
};

/* A factor of a regex that is not in the database: one of its strings
 * (m->xstrs[s0 .. s0 + n)) occurs in every match. */
struct xset {
  uint32_t s0, n;
};

struct xstr {
  const char *s;
  uint32_t len;
};

struct rule {
  uint32_t root;      /* node; NONE32 when the rule did not compile */
  const char *text;   /* the rule as written (or generated) */
  bool always;        /* a regex without a factor decides it */
};

struct topic {
  const char *name;
  struct rule r;
};

struct lex_entry {
  const char *term;     /* as written */
  const char *category;
  double weight;
  struct rule r;
};

struct cue {
  const char *term;
  double factor; /* a term near it counts this much */
};

struct ctx;
struct build;

/* A term or regex of a topic that counts for it when found (not under a
 * NOT), for listing the terms of a matched topic without its tree. */
struct leaf {
  const char *shown; /* as written */
  uint32_t len;      /* of shown */
  uint32_t atom;     /* literal or regex */
  uint8_t kind;      /* R_LIT or R_RE */
  uint8_t fields;
};

/* Literal -> the rules whose trigger set holds it (rule numbers: topics
 * 0..n_topics-1, then lexicon entries), and the rules to look at on every
 * document. */
struct rule_index {
  uint32_t *off;  /* n_lits + 1 offsets into refs */
  uint32_t *refs;
  uint32_t *always;
  size_t n_always;
};

struct mw_matcher {
  struct mw_arena *arena; /* every string and the parse trees */
  struct mw_norm_table *norm; /* the normal form's character table */
  struct topic *topics;
  size_t n_topics;
  struct lex_entry *lex;
  size_t n_lex;
  struct cue *cues;
  size_t n_cues;
  struct node *nodes;
  size_t n_nodes;
  uint32_t *kids;
  size_t n_kids;
  struct lit *lits;
  size_t n_lits;
  struct lit_info *lit_info; /* per literal, see struct lit_info */
  uint32_t *cue_lits; /* the literal of each cue */
  struct regex *res;
  size_t n_res;
  uint32_t *gates;
  size_t n_gates;
  struct xset *xsets;
  size_t n_xsets;
  struct xstr *xstrs;
  size_t n_xstrs;
  struct rule_index topic_index, lex_index;
  uint32_t *prog;       /* the topics as programs (prog.c) */
  size_t n_prog;
  uint32_t *topic_prog; /* per topic: its program in prog, or NONE32 */
  struct leaf *leaves;  /* per topic, in the order written */
  uint32_t *topic_leaf0; /* n_topics + 1 offsets into leaves */
  hs_database_t *db;   /* NULL when there are no literals */
  hs_database_t *db16; /* the same in the scan's wide form */
  size_t db_bytes;     /* both */
  struct mw_rule_error *errors;
  size_t n_errors;
  bool scored; /* a lexicon was given */
  struct mw_sensitivity_conf sens;
  pthread_mutex_t lock; /* guards pool */
  struct ctx *pool;
  struct build *build; /* while compiling only: the literal index */
};

/* One occurrence of a recorded literal. */
struct hit {
  uint32_t start, end; /* normalised offsets */
  uint32_t next;       /* the literal's previous occurrence, or NONE32 */
  uint8_t field;
};

/* An occurrence as the scan reports it, before it is taken in. */
struct raw_hit {
  uint32_t id, end;
};
#define RAW_MAX 1024u

/* Scratch for one call: taken from the matcher's pool, returned after. */
/* A span of normalised text. */
struct span {
  uint32_t start, end;
};

struct ctx {
  struct ctx *next;
  const struct mw_matcher *m;
  const struct lit_info *info; /* m->lit_info */
  hs_scratch_t *scratch;
  pcre2_match_data *md;
  pcre2_match_context *mctx;
  struct mw_buf norm[MW_FIELD_COUNT];
  struct mw_norm_map map[MW_FIELD_COUNT];
  bool mapped; /* map[] filled for this document */
  const struct rule_index *queue[2]; /* indexes whose rules are queued */
  uint32_t wakes;                    /* ... as LIT_TOPICS | LIT_LEXICON */
  int field;   /* being scanned */
  uint8_t bit; /* ... as a FB_* bit */
  struct raw_hit raw[RAW_MAX]; /* reported, not taken in yet */
  size_t n_raw;
  struct mw_norm_wide wide;    /* the field being scanned, in wide form */
  bool scan_wide;              /* ... which is what the scan reads: raw
                                  ends are units of it */
  uint8_t *mask;      /* per literal: FB_* bits where it occurs */
  uint32_t *first;    /* per literal and field: start, end of the first */
  uint32_t *last;     /* per gate literal and field: start of the last */
  uint32_t *head;     /* per literal: last recorded hit */
  uint32_t *touched;  /* literals seen */
  size_t n_touched;
  struct hit *hits;
  size_t n_hits, cap_hits;
  bool lost;          /* some occurrences were not recorded (HITS_MAX) */
  uint8_t *re_state;  /* per regex and field: 0 unknown, 1 no, 2 yes */
  uint32_t *re_first; /* per regex and field: start, end of the first */
  uint32_t *re_touched;
  size_t n_re_touched;
  uint32_t *stamp;    /* per rule: generation it was queued in */
  uint32_t gen;
  uint32_t *cands;
  size_t n_cands;
  struct span *va, *vb; /* NEAR: positions of its two parts */
  size_t cap_va, cap_vb;
  struct span *vw;      /* regexes: where a match may lie */
  size_t cap_vw;
};

/* ----------------------------------------------------------- match.c */

/* Takes a scratch from the pool (or makes one); NULL when out of memory. */
struct ctx *ctx_get(const struct mw_matcher *m);
void ctx_put(const struct mw_matcher *m, struct ctx *c);
void ctx_free(struct ctx *c);
/* Normalises and scans doc's fields into c and queues the candidate
 * rules: topics (QUEUE_TOPICS) and lexicon entries (QUEUE_LEXICON);
 * with_map keeps the offset maps for explanations. */
#define QUEUE_TOPICS 1u
#define QUEUE_LEXICON 2u
int ctx_scan(const struct mw_matcher *m, struct ctx *c,
             const struct mw_doc *doc, bool with_map, unsigned queue,
             struct mw_err *err);
/* Clears what ctx_scan recorded. */
void ctx_clear(const struct mw_matcher *m, struct ctx *c);
/* The verdict of node ni on the scanned document. */
bool eval_node(const struct mw_matcher *m, struct ctx *c, uint32_t ni);
/* Whether regex re matches field f; *s, *e its first match. */
bool regex_in_field(const struct mw_matcher *m, struct ctx *c, uint32_t re,
                    int f, uint32_t *s, uint32_t *e);
static inline bool rule_ok(const struct rule *r) { return r->root != NONE32; }

/* ------------------------------------------------------------ prog.c */

/* Builds the rule indexes, the literals' scan info and the topics'
 * programs once every rule is compiled. MW_OK or MW_ENOMEM. */
int plan_build(struct mw_matcher *m);
void plan_free(struct mw_matcher *m);
/* The verdict of topic t on the scanned document. */
bool topic_eval(const struct mw_matcher *m, struct ctx *c, size_t t);


/* ----------------------------------------------------------- score.c */

/* Parses a lexicon into m (called by compile.c before the database is
 * built); bad lines become errors. */
int lexicon_load(struct mw_matcher *m, const char *text, size_t len,
                 const char *name, struct mw_err *err);
/* Scores the scanned document; details (may be NULL) receives the terms,
 * allocated in arena, and the explanation. */
struct score_detail {
  struct mw_score_term *terms;
  size_t n_terms;
  char *explanation;
};
double score_doc(const struct mw_matcher *m, struct ctx *c,
                 const struct mw_doc *doc, int *level, double *kind_factor,
                 struct mw_arena *arena, struct score_detail *details);

/* --------------------------------------------------------- compile.c */

/* Compiles one rule tree into m's nodes; registers its literals (all:
 * every occurrence recorded). Returns the root or NONE32 with a message
 * (byte offset in *off) in e. */
int compile_tree(struct mw_matcher *m, struct rnode *root, bool all,
                 uint32_t *out, struct rule_err *e);
/* The id of a normalised literal, added when new (all: record every
 * occurrence). */
int lit_register(struct mw_matcher *m, const char *s, size_t n, bool all,
                 uint32_t *id);
/* Kids of n in the order they were written (after the n->n kids in
 * evaluation order). */
static inline const uint32_t *node_kids_written(const struct mw_matcher *m,
                                                const struct node *n) {
  return m->kids + n->kid0 + n->n;
}
/* Verdict of a rule on a document with no hits: 0 no, 1 yes, 2 it
 * depends on a regex with no literal factor. */
int rule_empty_eval(const struct mw_matcher *m, uint32_t ni);
/* Compiles one topic of the config into t (keywords.c); a topic that does
 * not compile gets an error and no root. Negative only when out of
 * memory. */
int topic_compile(struct mw_matcher *m, struct topic *t,
                  const struct mw_topic_conf *c);
/* Records an error for topic (NULL: a lexicon line) at off of text. */
int add_error(struct mw_matcher *m, const char *topic, const char *where,
              int conf_line, int conf_col, const char *text, size_t off,
              const char *msg);

#endif
