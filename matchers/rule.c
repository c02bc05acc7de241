/*
 * rule.c: the parser of the rule language office staff write topics in.
 *
 *   rule    := or
 *   or      := and { (OR | '|') and }
 *   and     := unary { [AND | '+'] unary | NOT unary }   (space is AND;
 *              "a NOT b" is "a AND NOT b")
 *   unary   := NOT unary | '-' unary | field ':' unary | primary
 *   primary := term | "phrase" | “phrase” | /regex/ | '(' or ')'
 *            | NEAR/n '(' or ',' or ')'
 *
 * Chinese input methods type full-width punctuation, so （ ） ｜ ＋ ， ：
 * and － work like their ASCII forms. Field names have Chinese aliases
 * (标题, 正文, 来源, 媒体). A term is anything else up to white space or
 * one of the characters above; AND, OR, NOT and NEAR are operators only in
 * capitals. Every error stops at the first problem with the byte offset
 * the caret goes under and a message saying what to write instead.
 *
 * What it leaves to others: what the tree means (compile.c, match.c),
 * the topic name and config position in messages (compile.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "matchers/norm.h"
#include "matchers/rule.h"

enum sym {
  S_OTHER, S_WS, S_LP, S_RP, S_PIPE, S_PLUS, S_COMMA, S_DQ, S_LQ, S_RQ,
  S_FWQ, S_MINUS, S_COLON, S_SLASH, S_END
};

/* The symbol at s[i] and its byte length. */
static enum sym sym_at(const char *s, size_t len, size_t i, size_t *n) {
  *n = 1;
  if (i >= len) return S_END;
  unsigned char c = (unsigned char)s[i];
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
      return S_WS;
    case '(': return S_LP;
    case ')': return S_RP;
    case '|': return S_PIPE;
    case '+': return S_PLUS;
    case ',': return S_COMMA;
    case '"': return S_DQ;
    case '-': return S_MINUS;
    case ':': return S_COLON;
    case '/': return S_SLASH;
    default: break;
  }
  if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
    *n = 2;
    return S_WS; /* no-break space */
  }
  if (i + 2 >= len) return S_OTHER;
  unsigned char c1 = (unsigned char)s[i + 1], c2 = (unsigned char)s[i + 2];
  *n = 3;
  if (c == 0xE3 && c1 == 0x80 && c2 == 0x80) return S_WS; /* U+3000 */
  if (c == 0xE2 && c1 == 0x80 && c2 == 0x9C) return S_LQ;  /* “ */
  if (c == 0xE2 && c1 == 0x80 && c2 == 0x9D) return S_RQ;  /* ” */
  if (c == 0xEF && c1 == 0xBC) {
    switch (c2) {
      case 0x88: return S_LP;    /* （ */
      case 0x89: return S_RP;    /* ） */
      case 0x8B: return S_PLUS;  /* ＋ */
      case 0x8C: return S_COMMA; /* ， */
      case 0x82: return S_FWQ;   /* ＂ */
      case 0x8D: return S_MINUS; /* － */
      case 0x9A: return S_COLON; /* ： */
      default: break;
    }
  }
  if (c == 0xEF && c1 == 0xBD && c2 == 0x9C) return S_PIPE; /* ｜ */
  *n = 1;
  return S_OTHER;
}

static bool ends_word(enum sym s) {
  return s == S_WS || s == S_LP || s == S_RP || s == S_PIPE || s == S_PLUS ||
         s == S_COMMA || s == S_DQ || s == S_LQ || s == S_RQ || s == S_FWQ ||
         s == S_END;
}

enum tok_kind {
  T_END, T_LP, T_RP, T_OR, T_AND, T_NOT, T_MINUS, T_COMMA, T_FIELD, T_NEAR,
  T_TERM, T_PHRASE, T_REGEX
};

struct tok {
  enum tok_kind kind;
  size_t off, end;       /* the token's bytes */
  size_t v0, v1;         /* TERM, PHRASE, REGEX: the content's bytes */
  unsigned fields;       /* FIELD */
  int dist;              /* NEAR */
  bool escapes;          /* PHRASE in ASCII quotes: may hold \" and \\ */
};

struct parser {
  const char *s;
  size_t len;
  size_t pos;     /* tokenizer position */
  struct tok t;   /* current token */
  struct tok prev;
  struct mw_arena *a;
  const struct mw_norm_table *nt;
  struct rule_err *e;
  int depth;
  pcre2_code **codes; /* compiled so far, freed on failure */
  size_t n_codes, cap_codes;
  int rc;
};

static int fail(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, size_t off, const char *fmt, ...) {
  if (p->rc) return p->rc;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->e->msg, sizeof p->e->msg, fmt, ap);
  va_end(ap);
  p->e->off = off;
  p->rc = MW_EINVAL;
  return p->rc;
}

static int nomem(struct parser *p) {
  if (!p->rc) {
    p->rc = MW_ENOMEM;
    p->e->off = 0;
    snprintf(p->e->msg, sizeof p->e->msg, "out of memory");
  }
  return p->rc;
}

/* ------------------------------------------------------------ tokens */

static const struct {
  const char *name;
  unsigned bits;
} field_names[] = {
    {"title", FB_TITLE},   {"body", FB_BODY},   {"source", FB_SOURCE},
    {"outlet", FB_OUTLET}, {"标题", FB_TITLE},  {"正文", FB_BODY},
    {"来源", FB_SOURCE},   {"媒体", FB_OUTLET},
};

static unsigned field_bits(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++) {
    size_t k = strlen(field_names[i].name);
    if (k == n && !mw_ascii_ncasecmp(s, field_names[i].name, n))
      return field_names[i].bits;
  }
  return 0;
}

static bool all_ascii_letters(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!mw_ascii_isalpha((unsigned char)s[i])) return false;
  return n > 0;
}

static bool word_is(const struct parser *p, size_t a, size_t b,
                    const char *w) {
  return b - a == strlen(w) && !memcmp(p->s + a, w, b - a);
}

/* Reads a quoted phrase whose opening quote is at p->pos. */
static int lex_phrase(struct parser *p, enum sym open, size_t qn) {
  struct tok *t = &p->t;
  t->kind = T_PHRASE;
  t->escapes = open == S_DQ;
  size_t i = p->pos + qn;
  t->v0 = i;
  for (;;) {
    size_t n;
    enum sym s = sym_at(p->s, p->len, i, &n);
    if (s == S_END)
      return fail(p, p->pos,
                  "unterminated phrase: the quote opened here is never "
                  "closed");
    if (open == S_DQ && p->s[i] == '\\' && i + 1 < p->len) {
      i += 2;
      continue;
    }
    if ((open == S_DQ && s == S_DQ) || (open == S_LQ && s == S_RQ) ||
        (open == S_FWQ && (s == S_FWQ || s == S_DQ))) {
      t->v1 = i;
      p->pos = i + n;
      t->end = p->pos;
      if (t->v1 == t->v0) return fail(p, t->off, "empty phrase");
      return MW_OK;
    }
    i += n;
  }
}

/* Reads a /regex/ whose opening slash is at p->pos. */
static int lex_regex(struct parser *p) {
  struct tok *t = &p->t;
  t->kind = T_REGEX;
  size_t i = p->pos + 1;
  t->v0 = i;
  while (i < p->len && p->s[i] != '/') {
    if (p->s[i] == '\\' && i + 1 < p->len) i++;
    i++;
  }
  if (i >= p->len)
    return fail(p, p->pos,
                "unterminated regex: no '/' closes the one opened here "
                "(write \\/ for a slash inside)");
  t->v1 = i;
  p->pos = i + 1;
  t->end = p->pos;
  if (t->v1 == t->v0) return fail(p, t->off, "empty regex //");
  if (p->pos < p->len && mw_ascii_isalpha((unsigned char)p->s[p->pos]))
    return fail(p, p->pos,
                "unexpected '%c' after the regex: matching already ignores "
                "case, and regex flags are not supported",
                p->s[p->pos]);
  return MW_OK;
}

/* Reads a word: a term, an operator, NEAR/n or a field. */
static int lex_word(struct parser *p) {
  struct tok *t = &p->t;
  size_t i = p->pos, colon = 0, colon_n = 0, n;
  enum sym s;
  while (!ends_word(s = sym_at(p->s, p->len, i, &n))) {
    if (s == S_COLON && !colon_n && i > p->pos) {
      colon = i;
      colon_n = n;
    }
    i += n;
  }
  t->v0 = p->pos;
  t->v1 = i;
  t->end = i;
  if (word_is(p, p->pos, i, "AND")) t->kind = T_AND;
  else if (word_is(p, p->pos, i, "OR")) t->kind = T_OR;
  else if (word_is(p, p->pos, i, "NOT")) t->kind = T_NOT;
  else if (i - p->pos >= 4 && !memcmp(p->s + p->pos, "NEAR", 4) &&
           (i - p->pos == 4 || p->s[p->pos + 4] == '/')) {
    t->kind = T_NEAR;
    size_t d0 = p->pos + 5;
    if (i - p->pos <= 5)
      return fail(p, t->off, "NEAR needs a distance in characters, as in "
                             "NEAR/20(焚烧厂, 抗议)");
    int64_t d;
    char digits[16];
    size_t dn = i - d0;
    if (dn >= sizeof digits || !mw_ascii_isdigit((unsigned char)p->s[d0]))
      return fail(p, d0, "NEAR needs a distance in characters, as in "
                         "NEAR/20(焚烧厂, 抗议)");
    memcpy(digits, p->s + d0, dn);
    digits[dn] = '\0';
    if (mw_parse_int64(digits, 0, NEAR_MAX, &d))
      return fail(p, d0, "the distance of NEAR must be a whole number of "
                         "characters from 0 to %d", NEAR_MAX);
    t->dist = (int)d;
  } else if (colon_n) {
    unsigned bits = field_bits(p->s + p->pos, colon - p->pos);
    if (bits) {
      t->kind = T_FIELD;
      t->fields = bits;
      t->end = colon + colon_n;
      t->v1 = colon;
    } else if (all_ascii_letters(p->s + p->pos, colon - p->pos) &&
               !(colon + 2 < i && p->s[colon + 1] == '/' &&
                 p->s[colon + 2] == '/')) { /* http://... is a term */
      return fail(p, t->off,
                  "unknown field '%.*s:' (fields are title:, body:, "
                  "source:, outlet:; quote a term that holds a colon)",
                  (int)(colon - p->pos), p->s + p->pos);
    } else {
      t->kind = T_TERM;
    }
  } else {
    t->kind = T_TERM;
  }
  p->pos = t->end;
  return MW_OK;
}

/* Moves to the next token. */
static int next(struct parser *p) {
  if (p->rc) return p->rc;
  p->prev = p->t;
  size_t n;
  enum sym s;
  while ((s = sym_at(p->s, p->len, p->pos, &n)) == S_WS) p->pos += n;
  struct tok *t = &p->t;
  memset(t, 0, sizeof *t);
  t->off = p->pos;
  t->end = p->pos + n;
  switch (s) {
    case S_END: t->kind = T_END; t->end = p->pos; return MW_OK;
    case S_LP: t->kind = T_LP; break;
    case S_RP: t->kind = T_RP; break;
    case S_PIPE: t->kind = T_OR; break;
    case S_PLUS: t->kind = T_AND; break;
    case S_COMMA: t->kind = T_COMMA; break;
    case S_DQ: case S_LQ: case S_FWQ: return lex_phrase(p, s, n);
    case S_RQ:
      return fail(p, p->pos, "closing quote without an opening one");
    case S_SLASH: return lex_regex(p);
    case S_MINUS: {
      size_t m;
      enum sym after = sym_at(p->s, p->len, p->pos + n, &m);
      if (after == S_WS || after == S_END || after == S_RP ||
          after == S_PIPE || after == S_PLUS || after == S_COMMA)
        return fail(p, p->pos, "'-' must touch the term it leaves out, as "
                               "in -广告");
      t->kind = T_MINUS;
      break;
    }
    default: return lex_word(p);
  }
  p->pos = t->end;
  return MW_OK;
}

/* ------------------------------------------------------------ nodes */

static struct rnode *new_node(struct parser *p, enum rule_kind kind,
                              size_t off, size_t end) {
  struct rnode *n = mw_arena_alloc(p->a, sizeof *n);
  if (!n) {
    nomem(p);
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->off = off;
  n->end = end;
  return n;
}

static int push_kid(struct parser *p, struct rnode *parent, struct rnode *kid,
                    size_t *cap) {
  if (parent->n == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    struct rnode **k = mw_arena_alloc(p->a, c * sizeof *k);
    if (!k) return nomem(p);
    if (parent->n) memcpy(k, parent->kids, parent->n * sizeof *k);
    parent->kids = k;
    *cap = c;
  }
  parent->kids[parent->n++] = kid;
  if (kid->end > parent->end) parent->end = kid->end;
  return MW_OK;
}

const char *rule_normalised(struct mw_arena *a, const struct mw_norm_table *nt,
                            const char *text, size_t n, size_t *len, int *rc) {
  struct mw_buf b;
  mw_buf_init(&b, 20 * n + 64); /* NFKC expands at most 18 times */
  *rc = mw_norm_text(nt, text, n, &b, NULL);
  const char *out = NULL;
  *len = 0;
  if (*rc == MW_OK && b.len) {
    out = mw_arena_strndup(a, b.data, b.len);
    if (!out) *rc = MW_ENOMEM;
    else *len = b.len;
  }
  mw_buf_cleanup(&b);
  return out;
}

static struct rnode *leaf_term(struct parser *p) {
  const struct tok *t = &p->t;
  struct rnode *n = new_node(p, R_LIT, t->off, t->end);
  if (!n) return NULL;
  const char *text = p->s + t->v0;
  size_t tn = t->v1 - t->v0;
  char *unescaped = NULL;
  if (t->kind == T_PHRASE && t->escapes && memchr(text, '\\', tn)) {
    unescaped = mw_arena_alloc(p->a, tn + 1);
    if (!unescaped) {
      nomem(p);
      return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < tn; i++) {
      if (text[i] == '\\' && i + 1 < tn &&
          (text[i + 1] == '"' || text[i + 1] == '\\'))
        i++;
      unescaped[k++] = text[i];
    }
    text = unescaped;
    tn = k;
  }
  n->shown = mw_arena_strndup(p->a, p->s + t->off, t->end - t->off);
  int rc;
  n->norm = rule_normalised(p->a, p->nt, text, tn, &n->norm_len, &rc);
  if (rc == MW_ENOMEM || !n->shown) {
    nomem(p);
    return NULL;
  }
  if (rc || !n->norm) {
    fail(p, t->off, "%s is empty once normalised (only spaces or "
                    "invisible characters)",
         t->kind == T_PHRASE ? "the phrase" : "the term");
    return NULL;
  }
  return n;
}

static struct rnode *leaf_regex(struct parser *p) {
  const struct tok *t = &p->t;
  struct rnode *n = new_node(p, R_RE, t->off, t->end);
  if (!n) return NULL;
  n->shown = mw_arena_strndup(p->a, p->s + t->off, t->end - t->off);
  n->norm = mw_arena_strndup(p->a, p->s + t->v0, t->v1 - t->v0);
  n->norm_len = t->v1 - t->v0;
  if (!n->shown || !n->norm) {
    nomem(p);
    return NULL;
  }
  if (p->n_codes == p->cap_codes) {
    size_t c = p->cap_codes ? p->cap_codes * 2 : 4;
    pcre2_code **v = realloc(p->codes, c * sizeof *v);
    if (!v) {
      nomem(p);
      return NULL;
    }
    p->codes = v;
    p->cap_codes = c;
  }
  int code;
  PCRE2_SIZE eoff;
  /* Text is matched normalised: lower case already, valid UTF-8. */
  n->re = pcre2_compile((PCRE2_SPTR)n->norm, n->norm_len,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &eoff,
                        NULL);
  if (!n->re) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(code, msg, sizeof msg);
    /* At the end of the pattern the caret goes under the closing '/'. */
    size_t at = t->v0 + (eoff <= n->norm_len ? eoff : n->norm_len);
    fail(p, at, "invalid regex: %s", (const char *)msg);
    return NULL;
  }
  p->codes[p->n_codes++] = n->re;
  uint32_t minlen = 0;
  pcre2_pattern_info(n->re, PCRE2_INFO_MINLENGTH, &minlen);
  if (minlen == 0) {
    fail(p, t->off, "this regex also matches an empty text, so it would "
                    "match every document; make something required");
    return NULL;
  }
  pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE); /* interpreted if no JIT */
  return n;
}

/* ------------------------------------------------------------ grammar */

static struct rnode *parse_or(struct parser *p);
static struct rnode *parse_unary(struct parser *p, const struct tok *after);

static const char *tok_text(const struct parser *p, const struct tok *t,
                            char *buf, size_t n) {
  snprintf(buf, n, "%.*s", (int)(t->end - t->off), p->s + t->off);
  return buf;
}

/* The error when a term was expected at the current token. */
static struct rnode *missing(struct parser *p, const struct tok *after) {
  char a[64], b[64];
  const struct tok *t = &p->t;
  switch (t->kind) {
    case T_END:
      if (after)
        fail(p, p->len, "the rule ends after '%s': a term is missing",
             tok_text(p, after, a, sizeof a));
      else
        fail(p, p->len, "the rule is empty");
      break;
    case T_RP:
      if (after && after->kind == T_LP)
        fail(p, after->off, "empty parentheses: put terms inside");
      else
        fail(p, t->off, "missing term before ')'");
      break;
    default:
      fail(p, t->off, "missing term before '%s'", tok_text(p, t, b, sizeof b));
      break;
  }
  return NULL;
}

static bool near_ok(const struct rnode *n, const struct rnode **bad) {
  if (n->fields) {
    *bad = n;
    return false;
  }
  if (n->kind == R_LIT || n->kind == R_RE) return true;
  if (n->kind != R_OR) {
    *bad = n;
    return false;
  }
  for (size_t i = 0; i < n->n; i++)
    if (!near_ok(n->kids[i], bad)) return false;
  return true;
}

static struct rnode *parse_near(struct parser *p) {
  struct tok near = p->t;
  if (next(p)) return NULL;
  if (p->t.kind != T_LP) {
    fail(p, p->t.kind == T_END ? p->len : p->t.off,
         "NEAR/%d must be followed by '(' and two parts, as in "
         "NEAR/%d(焚烧厂, 抗议 OR 反对)", near.dist, near.dist);
    return NULL;
  }
  struct tok lp = p->t;
  struct rnode *n = new_node(p, R_NEAR, near.off, near.end);
  if (!n || next(p)) return NULL;
  n->dist = near.dist;
  size_t cap = 0;
  for (int part = 0; part < 2; part++) {
    const struct tok *after = part ? &p->prev : &lp;
    struct tok before = *after;
    if (p->t.kind == T_RP || p->t.kind == T_COMMA || p->t.kind == T_END)
      return missing(p, &before);
    struct rnode *k = parse_or(p);
    if (!k) return NULL;
    const struct rnode *bad = NULL;
    if (!near_ok(k, &bad)) {
      fail(p, bad->off,
           bad->fields ? "put a field before NEAR, not inside it: "
                         "title:NEAR/%d(a, b)"
                       : "inside NEAR/%d(a, b) each part is terms joined "
                         "by OR",
           near.dist);
      return NULL;
    }
    if (push_kid(p, n, k, &cap)) return NULL;
    if (part == 0) {
      if (p->t.kind == T_RP) {
        fail(p, p->t.off, "NEAR/%d(a, b) needs two parts separated by a "
                          "comma", near.dist);
        return NULL;
      }
      if (p->t.kind == T_END) {
        fail(p, lp.off, "unbalanced parenthesis: this '(' is never closed");
        return NULL;
      }
      if (next(p)) return NULL; /* the comma */
    }
  }
  if (p->t.kind == T_COMMA) {
    fail(p, p->t.off, "NEAR/%d(a, b) takes exactly two parts", near.dist);
    return NULL;
  }
  if (p->t.kind != T_RP) {
    fail(p, lp.off, "unbalanced parenthesis: this '(' is never closed");
    return NULL;
  }
  n->end = p->t.end;
  if (next(p)) return NULL;
  return n;
}

static struct rnode *parse_primary(struct parser *p, const struct tok *after) {
  struct rnode *n = NULL;
  switch (p->t.kind) {
    case T_TERM:
    case T_PHRASE:
      n = leaf_term(p);
      break;
    case T_REGEX:
      n = leaf_regex(p);
      break;
    case T_NEAR:
      return parse_near(p);
    case T_LP: {
      struct tok lp = p->t;
      if (next(p)) return NULL;
      if (p->t.kind == T_RP) {
        fail(p, lp.off, "empty parentheses: put terms inside");
        return NULL;
      }
      if (p->t.kind == T_END) {
        fail(p, lp.off, "unbalanced parenthesis: this '(' is never closed");
        return NULL;
      }
      n = parse_or(p);
      if (!n) return NULL;
      if (p->t.kind == T_COMMA) {
        fail(p, p->t.off, "',' only separates the two parts of "
                          "NEAR/n(a, b)");
        return NULL;
      }
      if (p->t.kind != T_RP) {
        fail(p, lp.off, "unbalanced parenthesis: this '(' is never closed");
        return NULL;
      }
      break;
    }
    default:
      return missing(p, after);
  }
  if (!n || next(p)) return NULL;
  return n;
}

static struct rnode *parse_unary(struct parser *p, const struct tok *after) {
  if (++p->depth > RULE_MAX_DEPTH) {
    fail(p, p->t.off, "nesting deeper than %d levels", RULE_MAX_DEPTH);
    return NULL;
  }
  struct rnode *n = NULL;
  struct tok op = p->t;
  if (op.kind == T_NOT || op.kind == T_MINUS) {
    if (next(p)) return NULL;
    struct rnode *k = parse_unary(p, &op);
    if (!k) return NULL;
    n = new_node(p, R_NOT, op.off, k->end);
    if (n) {
      size_t cap = 0;
      push_kid(p, n, k, &cap);
    }
  } else if (op.kind == T_FIELD) {
    if (next(p)) return NULL;
    if (p->t.kind == T_END || p->t.kind == T_OR || p->t.kind == T_AND ||
        p->t.kind == T_RP || p->t.kind == T_COMMA) {
      char b[64];
      fail(p, op.off, "'%s' needs a term right after it",
           tok_text(p, &op, b, sizeof b));
      return NULL;
    }
    struct tok inner = p->t;
    n = parse_unary(p, &op);
    if (n && n->fields) {
      fail(p, inner.off, "a term can be in one field scope only");
      return NULL;
    }
    if (n) {
      n->fields = op.fields;
      n->off = op.off;
    }
  } else {
    n = parse_primary(p, after);
  }
  p->depth--;
  return p->rc ? NULL : n;
}

static bool starts_operand(enum tok_kind k) {
  return k == T_TERM || k == T_PHRASE || k == T_REGEX || k == T_LP ||
         k == T_FIELD || k == T_NEAR || k == T_MINUS;
}

static struct rnode *parse_and(struct parser *p, const struct tok *after) {
  struct rnode *first = parse_unary(p, after);
  if (!first) return NULL;
  struct rnode *and = NULL;
  size_t cap = 0;
  for (;;) {
    struct tok op = p->t;
    struct rnode *k;
    if (op.kind == T_AND) {
      if (next(p)) return NULL;
      k = parse_unary(p, &op);
    } else if (op.kind == T_NOT) {
      if (next(p)) return NULL;
      struct rnode *inner = parse_unary(p, &op);
      if (!inner) return NULL;
      k = new_node(p, R_NOT, op.off, inner->end);
      size_t c2 = 0;
      if (k && push_kid(p, k, inner, &c2)) return NULL;
    } else if (starts_operand(op.kind)) {
      k = parse_unary(p, NULL);
    } else {
      break;
    }
    if (!k) return NULL;
    if (!and) {
      and = new_node(p, R_AND, first->off, first->end);
      if (!and || push_kid(p, and, first, &cap)) return NULL;
    }
    if (push_kid(p, and, k, &cap)) return NULL;
  }
  return and ? and : first;
}

static struct rnode *parse_or(struct parser *p) {
  struct tok prev = p->prev;
  struct rnode *first = parse_and(p, prev.kind == T_END ? NULL : &prev);
  if (!first) return NULL;
  struct rnode *or = NULL;
  size_t cap = 0;
  while (p->t.kind == T_OR) {
    struct tok op = p->t;
    if (next(p)) return NULL;
    struct rnode *k = parse_and(p, &op);
    if (!k) return NULL;
    if (!or) {
      or = new_node(p, R_OR, first->off, first->end);
      if (!or || push_kid(p, or, first, &cap)) return NULL;
    }
    if (push_kid(p, or, k, &cap)) return NULL;
  }
  return or ? or : first;
}

int rule_parse(const char *src, size_t len, struct mw_arena *a,
               const struct mw_norm_table *nt, struct rnode **out,
               struct rule_err *e) {
  struct parser p = {.s = src, .len = len, .a = a, .nt = nt, .e = e};
  *out = NULL;
  memset(e, 0, sizeof *e);
  struct rnode *root = NULL;
  if (len > RULE_MAX_BYTES) {
    fail(&p, 0, "the rule is longer than %d bytes", RULE_MAX_BYTES);
  } else if (memchr(src, '\0', len)) {
    fail(&p, (size_t)((const char *)memchr(src, '\0', len) - src),
         "the rule holds a NUL character");
  } else if (next(&p) == MW_OK) {
    p.prev.kind = T_END;
    if (p.t.kind == T_END) fail(&p, 0, "the rule is empty");
    else root = parse_or(&p);
    if (root && p.t.kind == T_RP)
      fail(&p, p.t.off, "unbalanced parenthesis: this ')' has no '(' "
                        "before it");
    else if (root && p.t.kind == T_COMMA)
      fail(&p, p.t.off, "',' only separates the two parts of NEAR/n(a, b)");
    else if (root && p.t.kind != T_END)
      fail(&p, p.t.off, "unexpected text");
  }
  if (p.rc) {
    for (size_t i = 0; i < p.n_codes; i++) pcre2_code_free(p.codes[i]);
    free(p.codes);
    return p.rc;
  }
  free(p.codes);
  *out = root;
  return MW_OK;
}
