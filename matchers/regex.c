/*
 * regex.c: the literal factors of a /regex/ atom, so that a regex only runs
 * on documents where it can match.
 *
 * A factor is a set of strings one of which occurs in every match: for
 * /垃圾.{0,4}混装/ there are two, {垃圾} and {混装}, for
 * /(偷排|直排).{0,6}污水/ {污水} and {偷排, 直排}. The best factor (its
 * shortest string longest, then the fewest strings) joins the literals of
 * the one multi-pattern database; a regex whose best factor was not seen
 * in a field is false there without running. The others are looked for
 * (memmem) only near where the best one occurred, before running the
 * regex there: adding them to the database would cost every document a
 * scan for them. The analysis reads a subset of PCRE2
 * syntax and gives up (no factor: the regex always runs) on anything it
 * does not understand, such as extended mode, conditionals or recursion,
 * so it can be wrong only by being cautious.
 *
 * What it leaves to others: compiling the regex (rule.c), running it
 * (match.c).
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "matchers/norm.h"
#include "matchers/rule.h"

#define SET_MAX REGEX_SET_MAX
#define RUN_MAX 60
#define DEPTH_MAX 32

/* Factors that all hold, best first. */
struct flist {
  size_t n;
  struct regex_factor f[REGEX_FACTORS_MAX];
};

struct rx {
  const char *s;
  size_t len, i;
  struct mw_arena *a;
  const struct mw_norm_table *nt;
  bool give_up;
  int depth;
};

static size_t shortest(const struct regex_factor *f) {
  size_t m = SIZE_MAX;
  for (size_t k = 0; k < f->n; k++)
    if (f->l[k] < m) m = f->l[k];
  return f->n ? m : 0;
}

/* Whether factor a is better than b: longer shortest string, then fewer
 * strings. */
static bool better(const struct regex_factor *a, const struct regex_factor *b) {
  size_t x = shortest(a), y = shortest(b);
  return x > y || (x == y && a->n < b->n);
}

/* Adds f to the list in order, after those as good (so the first found of
 * equals stays first), dropping the worst when the list is full. */
static void consider(struct flist *best, const struct regex_factor *f) {
  if (!f->n) return;
  size_t at = best->n;
  while (at > 0 && better(f, &best->f[at - 1])) at--;
  if (at >= REGEX_FACTORS_MAX) return;
  size_t keep = best->n < REGEX_FACTORS_MAX ? best->n : REGEX_FACTORS_MAX - 1;
  memmove(&best->f[at + 1], &best->f[at], (keep - at) * sizeof *best->f);
  best->f[at] = *f;
  if (best->n < REGEX_FACTORS_MAX) best->n++;
}

/* A run of literal characters, pattern bytes [ps, pe); top: of the
 * pattern's own sequence (not in a group or alternation) and not repeated,
 * so the pattern splits around it. */
static void consider_run(struct rx *r, struct flist *best, const char *run,
                         size_t rl, size_t ps, size_t pe, bool top) {
  if (!rl) return;
  struct mw_buf b;
  mw_buf_init(&b, 20 * rl + 64);
  if (mw_norm_text(r->nt, run, rl, &b, NULL) == MW_OK && b.len) {
    struct regex_factor f = {.n = 1, .ps = ps, .pe = pe,
                             .top = top && r->depth == 0};
    f.v[0] = mw_arena_strndup(r->a, b.data, b.len);
    f.l[0] = b.len;
    if (f.v[0]) consider(best, &f);
  }
  mw_buf_cleanup(&b);
}

/* Reads a quantifier at r->i: its minimum, or -1 when there is none. */
static long quantifier(struct rx *r) {
  if (r->i >= r->len) return -1;
  char c = r->s[r->i];
  long min = -1;
  if (c == '*' || c == '?') min = 0;
  else if (c == '+') min = 1;
  if (min >= 0) {
    r->i++;
  } else if (c == '{') {
    size_t j = r->i + 1;
    long n = 0;
    bool digits = false;
    while (j < r->len && mw_ascii_isdigit((unsigned char)r->s[j])) {
      if (n < 100000) n = n * 10 + (r->s[j] - '0');
      digits = true;
      j++;
    }
    if (!digits) return -1; /* a literal '{' */
    if (j < r->len && r->s[j] == ',') {
      j++;
      while (j < r->len && mw_ascii_isdigit((unsigned char)r->s[j])) j++;
    }
    if (j >= r->len || r->s[j] != '}') return -1;
    r->i = j + 1;
    min = n;
  } else {
    return -1;
  }
  if (r->i < r->len && (r->s[r->i] == '?' || r->s[r->i] == '+')) r->i++;
  return min;
}

/* Skips an escape's argument: {..}, <..>, '..' or a few characters. */
static void skip_escape_arg(struct rx *r, char letter) {
  if (r->i < r->len && (r->s[r->i] == '{' || r->s[r->i] == '<' ||
                        r->s[r->i] == '\'')) {
    char close = r->s[r->i] == '{' ? '}' : r->s[r->i] == '<' ? '>' : '\'';
    while (r->i < r->len && r->s[r->i] != close) r->i++;
    if (r->i < r->len) r->i++;
    return;
  }
  if (letter == 'x') {
    for (int k = 0; k < 2 && r->i < r->len &&
                    strchr("0123456789abcdefABCDEF", r->s[r->i]);
         k++)
      r->i++;
  } else if (letter == 'c' || letter == 'p' || letter == 'P') {
    if (r->i < r->len) r->i++;
  } else if (mw_ascii_isdigit((unsigned char)letter) || letter == 'g' ||
             letter == 'o') {
    while (r->i < r->len && mw_ascii_isdigit((unsigned char)r->s[r->i]))
      r->i++;
  } else if (letter == 'Q') {
    while (r->i + 1 < r->len && !(r->s[r->i] == '\\' && r->s[r->i + 1] == 'E'))
      r->i++;
    r->i = r->i + 1 < r->len ? r->i + 2 : r->len;
  }
}

static void skip_class(struct rx *r) {
  r->i++; /* '[' */
  if (r->i < r->len && r->s[r->i] == '^') r->i++;
  if (r->i < r->len && r->s[r->i] == ']') r->i++;
  while (r->i < r->len && r->s[r->i] != ']') {
    if (r->s[r->i] == '\\') r->i++;
    else if (r->s[r->i] == '[' && r->i + 1 < r->len && r->s[r->i + 1] == ':') {
      const char *end = strstr(r->s + r->i, ":]");
      if (end) r->i = (size_t)(end - r->s) + 1;
    }
    r->i++;
  }
  if (r->i < r->len) r->i++;
  else r->give_up = true;
}

static struct flist parse_alt(struct rx *r);

/* What follows '(': returns false for a group that matches nothing
 * (lookaround, comment, option setting), after skipping it. */
static bool group_prefix(struct rx *r, bool *zero_width) {
  *zero_width = false;
  if (r->i < r->len && r->s[r->i] == '*') { /* (*VERB) */
    while (r->i < r->len && r->s[r->i] != ')') r->i++;
    r->i++;
    return false;
  }
  if (r->i >= r->len || r->s[r->i] != '?') return true;
  r->i++;
  char c = r->i < r->len ? r->s[r->i] : '\0';
  if (c == ':' || c == '|' || c == '>') {
    r->i++;
    return true;
  }
  if (c == '=' || c == '!') {
    r->i++;
    *zero_width = true;
    return true;
  }
  if (c == '<' && r->i + 1 < r->len &&
      (r->s[r->i + 1] == '=' || r->s[r->i + 1] == '!')) {
    r->i += 2;
    *zero_width = true;
    return true;
  }
  if (c == '<' || c == '\'' || c == 'P') { /* named group */
    char close = c == '\'' ? '\'' : '>';
    while (r->i < r->len && r->s[r->i] != close) r->i++;
    r->i++;
    return true;
  }
  if (c == '#') {
    while (r->i < r->len && r->s[r->i] != ')') r->i++;
    r->i++;
    return false;
  }
  /* Option letters: (?i) sets, (?i:...) groups; extended mode defeats us. */
  size_t j = r->i;
  while (j < r->len && (mw_ascii_isalpha((unsigned char)r->s[j]) ||
                        r->s[j] == '-' || r->s[j] == '^'))
    j++;
  if (j > r->i && j < r->len && (r->s[j] == ')' || r->s[j] == ':')) {
    if (memchr(r->s + r->i, 'x', j - r->i)) r->give_up = true;
    bool group = r->s[j] == ':';
    r->i = j + 1;
    return group;
  }
  r->give_up = true; /* conditionals, recursion, callouts */
  return false;
}

static struct flist parse_seq(struct rx *r) {
  struct flist best = {0};
  char run[RUN_MAX + 8];
  size_t rl = 0, rs = 0; /* the run, and where it starts in the pattern */
  while (r->i < r->len && !r->give_up) {
    size_t at = r->i; /* where this atom starts */
    char c = r->s[r->i];
    if (c == '|' || c == ')') break;
    if (c == '(') {
      r->i++;
      bool zero_width;
      bool group = group_prefix(r, &zero_width);
      if (!group) continue; /* options and comments leave runs whole */
      if (++r->depth > DEPTH_MAX) {
        r->give_up = true;
        break;
      }
      struct flist inner = parse_alt(r);
      r->depth--;
      if (r->i >= r->len || r->s[r->i] != ')') {
        r->give_up = true;
        break;
      }
      r->i++;
      long min = quantifier(r);
      consider_run(r, &best, run, rl, rs, at, true);
      rl = 0;
      for (size_t k = 0; !zero_width && min != 0 && k < inner.n; k++)
        consider(&best, &inner.f[k]); /* each holds in every match */
      continue;
    }
    bool literal = false;
    char lit[8];
    size_t ll = 0;
    if (c == '[') {
      skip_class(r);
    } else if (c == '.') {
      r->i++;
    } else if (c == '^' || c == '$') {
      r->i++;
      consider_run(r, &best, run, rl, rs, at, true);
      rl = 0;
      continue;
    } else if (c == '\\') {
      if (r->i + 1 >= r->len) {
        r->give_up = true;
        break;
      }
      unsigned char d = (unsigned char)r->s[r->i + 1];
      if (d < 0x80 && (mw_ascii_isalpha(d) || mw_ascii_isdigit(d))) {
        r->i += 2;
        skip_escape_arg(r, (char)d);
      } else {
        r->i++; /* an escaped character stands for itself */
        literal = true;
      }
    } else if (c == '*' || c == '+' || c == '?') {
      r->give_up = true;
      break;
    } else {
      literal = true;
    }
    if (literal) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t n = utf8proc_iterate(
          (const utf8proc_uint8_t *)r->s + r->i,
          (utf8proc_ssize_t)(r->len - r->i), &cp);
      if (n <= 0) {
        r->give_up = true;
        break;
      }
      memcpy(lit, r->s + r->i, (size_t)n);
      ll = (size_t)n;
      r->i += (size_t)n;
      if (cp < 0x80) {
        lit[0] = (char)mw_ascii_tolower((unsigned char)lit[0]);
      } else if (utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp ||
                 utf8proc_get_property(cp)->combining_class != 0) {
        literal = false; /* case variants or marks: not one string */
      }
    }
    size_t end = r->i; /* of the character, before any quantifier */
    long min = quantifier(r);
    if (!literal || min == 0) {
      consider_run(r, &best, run, rl, rs, at, true);
      rl = 0;
      continue;
    }
    if (rl + ll > RUN_MAX) {
      consider_run(r, &best, run, rl, rs, at, true);
      rl = 0;
    }
    if (!rl) rs = at;
    memcpy(run + rl, lit, ll);
    rl += ll;
    if (min > 0) { /* repeated: what follows is not adjacent */
      consider_run(r, &best, run, rl, rs, end, false);
      rl = 0;
    }
  }
  consider_run(r, &best, run, rl, rs, r->i, true);
  return best;
}

/* A sequence's factors; for an alternation one factor, the union of the
 * best of each branch (none when a branch has none). */
static struct flist parse_alt(struct rx *r) {
  struct flist first = parse_seq(r);
  if (r->give_up || r->i >= r->len || r->s[r->i] != '|') return first;
  struct regex_factor all = {0};
  bool none = first.n == 0;
  if (!none) all = first.f[0];
  while (!r->give_up && r->i < r->len && r->s[r->i] == '|') {
    r->i++;
    struct flist f = parse_seq(r);
    if (!f.n || all.n + f.f[0].n > SET_MAX) none = true;
    for (size_t k = 0; !none && k < f.f[0].n; k++) {
      all.v[all.n] = f.f[0].v[k];
      all.l[all.n++] = f.f[0].l[k];
    }
  }
  struct flist out = {0};
  all.top = false; /* one string of several: no single place in the pattern */
  if (!none && all.n) out.f[out.n++] = all;
  return out;
}

size_t regex_factors(const char *pat, size_t len, struct mw_arena *a,
                     const struct mw_norm_table *nt,
                     struct regex_factor *out) {
  struct rx r = {.s = pat, .len = len, .a = a, .nt = nt};
  struct flist f = parse_alt(&r);
  if (r.give_up || r.i != len || f.n == 0) return 0;
  for (size_t k = 0; k < f.n; k++) out[k] = f.f[k];
  return f.n;
}
