/*
 * html_tok.c: mw_html_parse, our own HTML tokenizer and tree builder. It
 * builds the light tree of html.h that html.c builds from libxml2's HTML
 * SAX parser, node for node, at a sixth of the CPU (no per-character
 * function calls, no name dictionary, no callbacks; plain text and the
 * counting of its characters go sixteen bytes at a time).
 *
 * Equality is the contract (tests/crawler/test_html_tok.c compares both
 * builders on every HTML fixture and on generated tag soup), so this file
 * replays libxml2 2.9's tree construction rather than HTML5's: the same
 * stack of open names (elements dropped or flattened by the builder
 * included), the same implied html/head/body/p, the same start tags closing
 * open ones (p by blocks, li by li, td/th/tr, option, dt/dd, ... the table
 * htmlStartClose), end tags that close up to a matching open element unless
 * one of higher priority (div, td, tr, table, body, ...) is in between, and
 * the same oddities, since a different node would change extraction: text
 * outside body opens a <p>, a misplaced <html>/<head>/<body> is dropped, a
 * '<' not before a letter is text, "</" before no name vanishes, raw text
 * (script, style) ends at "</script" with any ending, a NUL byte between
 * constructs ends the page, inside text it is a space. Where we choose to
 * differ: <embed>, <source>, <track> and <wbr> are void here (libxml2's
 * HTML 4 tables nest everything after them inside them).
 *
 * Work is linear in the input: libxml2 scans its whole stack for each end
 * tag and some start tags; here every open name links to the previous one
 * of the same name, so each lookup is O(1) and a 100,000-deep page costs
 * as much as a flat one. Memory: the tree in one arena (text in a block
 * sized from the input), the name stack and name table on the heap.
 *
 * What it leaves to others: the pieces of markup read the same anywhere
 * (references, names, comments, DOCTYPE: html_entities.c), what the tree
 * keeps and counts (the builder of html.c), decoding (charset.c).
 */
#include <stdlib.h>
#include <string.h>

#include "crawler/html.h"

#define MAX_INPUT_BYTES (256u * 1024 * 1024) /* as html.c */
#define CHUNK 1000  /* libxml2 hands text over in pieces this big */
#define MAX_KEPT 14 /* attribute names the builder keeps */

/* ------------------------------------------------------------ elements */

enum {
  F_EMPTY = 1,        /* void: ends at once */
  F_DROP = 2,         /* skipped with its content by the builder */
  F_RAW = 4,          /* content is raw text */
  F_HEADISH = 8,      /* opens an implied head, not a body */
  F_FRAMES = 16,      /* opens neither */
  F_CLOSES_HEAD = 32, /* its start closes an open head (libxml2 2.9) */
};

/* Known elements: those with a rule below, and common ones, whose name
 * needs no copy. Names of the others are interned per page. */
/* clang-format off */
#define TAGS(X)                                                                \
  X(A, "a", 0) X(ABBR, "abbr", F_CLOSES_HEAD)                                  \
  X(ACRONYM, "acronym", F_CLOSES_HEAD) X(ADDRESS, "address", 0)                \
  X(AREA, "area", F_EMPTY) X(ARTICLE, "article", 0) X(ASIDE, "aside", 0)       \
  X(B, "b", F_CLOSES_HEAD) X(BASE, "base", F_EMPTY | F_HEADISH)                \
  X(BASEFONT, "basefont", F_EMPTY) X(BDO, "bdo", F_CLOSES_HEAD)                \
  X(BIG, "big", F_CLOSES_HEAD) X(BLOCKQUOTE, "blockquote", 0)                  \
  X(BODY, "body", 0) X(BR, "br", F_EMPTY | F_CLOSES_HEAD)                      \
  X(BUTTON, "button", 0) X(CAPTION, "caption", 0) X(CENTER, "center", 0)       \
  X(CITE, "cite", F_CLOSES_HEAD) X(CODE, "code", F_CLOSES_HEAD)                \
  X(COL, "col", F_EMPTY) X(COLGROUP, "colgroup", 0) X(DD, "dd", 0)             \
  X(DFN, "dfn", F_CLOSES_HEAD) X(DIR, "dir", 0) X(DIV, "div", 0)               \
  X(DL, "dl", 0) X(DT, "dt", 0) X(EM, "em", F_CLOSES_HEAD)                     \
  X(EMBED, "embed", F_EMPTY) X(FIELDSET, "fieldset", 0)                        \
  X(FIGURE, "figure", 0) X(FONT, "font", F_CLOSES_HEAD)                        \
  X(FOOTER, "footer", 0) X(FORM, "form", 0)                                    \
  X(FRAME, "frame", F_EMPTY | F_FRAMES) X(FRAMESET, "frameset", F_FRAMES)      \
  X(H1, "h1", 0) X(H2, "h2", 0) X(H3, "h3", 0) X(H4, "h4", 0)                  \
  X(H5, "h5", 0) X(H6, "h6", 0) X(HEAD, "head", 0) X(HEADER, "header", 0)      \
  X(HR, "hr", F_EMPTY) X(HTML, "html", 0) X(I, "i", F_CLOSES_HEAD)             \
  X(IFRAME, "iframe", F_DROP | F_CLOSES_HEAD)                                  \
  X(IMG, "img", F_EMPTY | F_CLOSES_HEAD) X(INPUT, "input", F_EMPTY)            \
  X(ISINDEX, "isindex", F_EMPTY) X(KBD, "kbd", F_CLOSES_HEAD)                  \
  X(LABEL, "label", 0) X(LEGEND, "legend", 0) X(LI, "li", 0)                   \
  X(LINK, "link", F_EMPTY | F_HEADISH) X(LISTING, "listing", 0)                \
  X(MAIN, "main", 0) X(MAP, "map", F_CLOSES_HEAD) X(MATH, "math", F_DROP)      \
  X(MENU, "menu", 0) X(META, "meta", F_EMPTY | F_HEADISH) X(NAV, "nav", 0)     \
  X(NOFRAMES, "noframes", F_FRAMES) X(NOSCRIPT, "noscript", F_DROP)            \
  X(OBJECT, "object", F_DROP) X(OL, "ol", 0) X(OPTGROUP, "optgroup", 0)        \
  X(OPTION, "option", 0) X(P, "p", 0) X(PARAM, "param", F_EMPTY)               \
  X(PRE, "pre", 0) X(Q, "q", F_CLOSES_HEAD) X(S, "s", F_CLOSES_HEAD)           \
  X(SAMP, "samp", F_CLOSES_HEAD)                                               \
  X(SCRIPT, "script", F_DROP | F_RAW | F_HEADISH) X(SECTION, "section", 0)     \
  X(SELECT, "select", 0) X(SMALL, "small", F_CLOSES_HEAD)                      \
  X(SOURCE, "source", F_EMPTY) X(SPAN, "span", F_CLOSES_HEAD)                  \
  X(STRIKE, "strike", F_CLOSES_HEAD) X(STRONG, "strong", F_CLOSES_HEAD)        \
  X(STYLE, "style", F_DROP | F_RAW | F_HEADISH)                                \
  X(SUB, "sub", F_CLOSES_HEAD) X(SUP, "sup", F_CLOSES_HEAD)                    \
  X(SVG, "svg", F_DROP) X(TABLE, "table", 0) X(TBODY, "tbody", 0)              \
  X(TD, "td", 0) X(TEMPLATE, "template", F_DROP) X(TEXTAREA, "textarea", 0)    \
  X(TFOOT, "tfoot", 0) X(TH, "th", 0) X(THEAD, "thead", 0)                     \
  X(TITLE, "title", F_HEADISH) X(TR, "tr", 0) X(TRACK, "track", F_EMPTY)       \
  X(TT, "tt", F_CLOSES_HEAD) X(U, "u", F_CLOSES_HEAD) X(UL, "ul", 0)           \
  X(VAR, "var", F_CLOSES_HEAD) X(WBR, "wbr", F_EMPTY) X(XMP, "xmp", 0)
/* clang-format on */

#define ENUM(id, name, flags) T_##id,
enum { T_NONE, TAGS(ENUM) T_COUNT };
#define NAME(id, name, flags) name,
static const char *const TAG_NAME[T_COUNT] = {"", TAGS(NAME)};
#define FLAGS(id, name, flags) flags,
static const unsigned char TAG_FLAGS[T_COUNT] = {0, TAGS(FLAGS)};
_Static_assert(T_COUNT <= 128, "closes[] holds 128 ids");

/* libxml2's htmlEndPriority: an end tag closes no element of higher
 * priority on its way to its match. The others have 100. */
static const struct {
  unsigned char id, prio;
} HIGH_PRIO[] = {{T_DIV, 150},   {T_TD, 160},    {T_TH, 160},    {T_TR, 170},
                 {T_THEAD, 180}, {T_TBODY, 180}, {T_TFOOT, 180}, {T_TABLE, 190},
                 {T_HEAD, 200},  {T_BODY, 200},  {T_HTML, 220}};

/* libxml2 2.9's htmlStartClose, as that version's parser applies it
 * (probed pair by pair; it differs from the HTML 4 table in its source
 * comments): each start tag, then the open elements it closes while one of
 * them is the current element. F_CLOSES_HEAD marks the inline elements
 * whose only entry is head. */
/* clang-format off */
static const unsigned char START_CLOSE[] = {
    T_A, T_A, T_HEAD, 0,
    T_ADDRESS, T_HEAD, T_P, T_UL, 0,
    T_BLOCKQUOTE, T_HEAD, T_P, 0,
    T_BODY, T_HEAD, T_P, T_STYLE, T_TITLE, 0,
    T_CAPTION, T_P, 0,
    T_CENTER, T_B, T_FONT, T_HEAD, T_I, T_P, 0,
    T_COL, T_CAPTION, T_P, 0,
    T_COLGROUP, T_CAPTION, T_COLGROUP, T_P, 0,
    T_DD, T_ADDRESS, T_DIR, T_DT, T_HEAD, T_MENU, T_P, T_PRE, T_LISTING, T_XMP,
        0,
    T_DIR, T_HEAD, T_P, 0,
    T_DIV, T_HEAD, T_P, 0,
    T_DL, T_ADDRESS, T_DIR, T_DT, T_HEAD, T_MENU, T_P, T_PRE, T_LISTING, T_XMP,
        0,
    T_DT, T_ADDRESS, T_DD, T_DIR, T_HEAD, T_MENU, T_P, T_PRE, T_LISTING, T_XMP,
        0,
    T_FIELDSET, T_A, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_LEGEND, T_P,
        T_PRE, T_LISTING, T_XMP, 0,
    T_FORM, T_ADDRESS, T_DIR, T_DL, T_FORM, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6,
        T_HEAD, T_MENU, T_OL, T_P, T_PRE, T_UL, T_LISTING, T_XMP, 0,
    T_FRAMESET, T_HEAD, T_P, T_STYLE, T_TITLE, 0,
    T_H1, T_HEAD, T_P, 0,
    T_H2, T_HEAD, T_P, 0,
    T_H3, T_HEAD, T_P, 0,
    T_H4, T_HEAD, T_P, 0,
    T_H5, T_HEAD, T_P, 0,
    T_H6, T_HEAD, T_P, 0,
    T_HEAD, T_P, 0,
    T_HR, T_HEAD, T_P, 0,
    T_LI, T_ADDRESS, T_DL, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_LI,
        T_P, T_PRE, T_LISTING, T_XMP, 0,
    T_LISTING, T_HEAD, T_P, 0,
    T_MENU, T_HEAD, T_P, T_UL, 0,
    T_NOSCRIPT, T_SCRIPT, 0,
    T_OL, T_HEAD, T_P, T_UL, 0,
    T_OPTGROUP, T_OPTION, 0,
    T_OPTION, T_OPTION, 0,
    T_P, T_B, T_BIG, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_I, T_P, T_S,
        T_SMALL, T_STRIKE, T_TT, T_U, 0,
    T_PRE, T_HEAD, T_P, T_UL, 0,
    T_TABLE, T_A, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_P, T_PRE,
        T_LISTING, T_XMP, 0,
    T_TBODY, T_CAPTION, T_COLGROUP, T_P, T_TBODY, T_TD, T_TFOOT, T_TH, T_THEAD,
        T_TR, 0,
    T_TD, T_A, T_B, T_FONT, T_I, T_P, T_SPAN, T_TD, T_TH, T_U, 0,
    T_TFOOT, T_CAPTION, T_COLGROUP, T_P, T_TBODY, T_TD, T_TH, T_THEAD, T_TR, 0,
    T_TH, T_A, T_B, T_FONT, T_I, T_P, T_SPAN, T_TD, T_TH, T_U, 0,
    T_THEAD, T_CAPTION, T_COLGROUP, 0,
    T_TITLE, T_P, 0,
    T_TR, T_CAPTION, T_COLGROUP, T_P, T_TD, T_TH, T_TR, 0,
    T_UL, T_ADDRESS, T_DIR, T_HEAD, T_MENU, T_OL, T_P, T_PRE, T_LISTING, T_XMP,
        0,
    T_XMP, T_HEAD, T_P, 0,
};
/* clang-format on */

/* ------------------------------------------------------------- state */

struct el {
  unsigned id;
  int prev; /* index of the open element of the same name below, or -1 */
};

struct slot {
  unsigned hash, id; /* id 0: empty */
};

struct tok {
  const unsigned char *p, *end; /* the page, read up to p */

  /* libxml2's stack of open names, and per name its topmost entry */
  struct el *st;
  size_t n_st, cap_st;
  int *top_of;
  size_t cap_ids;
  unsigned n_ids;
  int html_state; /* libxml2's ctxt->html: 3 once a head opened, 10 a body */
  int discarded;  /* misplaced html/head/body start tags pending an end */
  /* names interned: known ones on first sight, others copied */
  struct slot *slots;
  size_t cap_slots, n_slots;
  const char **unk_name; /* names of ids >= T_COUNT */
  unsigned char *unk_len;

  struct mw_html_builder b; /* the light tree the events build */
  bool oom; /* of the name stack and table (the builder has its own) */

  /* closes[new] bit old: the start of new ends an open old (START_CLOSE) */
  uint64_t closes[T_COUNT][2];

  /* attributes of the start tag being read */
  struct mw_html_attr attrs[MAX_KEPT];
  size_t n_attrs;
};

/* ------------------------------------------------------------ helpers */

static inline bool is_blank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline unsigned char at(const struct tok *t, const unsigned char *p,
                               size_t k) {
  return (size_t)(t->end - p) > k ? p[k] : 0;
}

static const unsigned char *skip_blanks(const struct tok *t,
                                        const unsigned char *p) {
  while (p < t->end && is_blank(*p)) p++;
  return p;
}

static bool fail_oom(struct tok *t) {
  t->oom = true;
  return false;
}

static bool stopped(const struct tok *t) {
  return t->oom || t->b.stop;
}

/* -------------------------------------------------------------- names */

static unsigned name_hash(const char *s, size_t n) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static const char *id_name(const struct tok *t, unsigned id, size_t *len) {
  if (id < T_COUNT) {
    *len = strlen(TAG_NAME[id]);
    return TAG_NAME[id];
  }
  *len = t->unk_len[id - T_COUNT];
  return t->unk_name[id - T_COUNT];
}

/* TAGS is in strcmp order: a binary search, once per name and page. */
static int known_id(const char *s, size_t n) {
  unsigned lo = 1, hi = T_COUNT;
  while (lo < hi) {
    unsigned mid = (lo + hi) / 2;
    int c = strncmp(TAG_NAME[mid], s, n);
    if (!c) c = TAG_NAME[mid][n] ? 1 : 0;
    if (!c) return (int)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

static bool grow_slots(struct tok *t) {
  size_t cap = t->cap_slots * 2;
  struct slot *s = calloc(cap, sizeof *s);
  if (!s) return fail_oom(t);
  for (size_t i = 0; i < t->cap_slots; i++) {
    if (!t->slots[i].id) continue;
    size_t k = t->slots[i].hash & (cap - 1);
    while (s[k].id) k = (k + 1) & (cap - 1);
    s[k] = t->slots[i];
  }
  free(t->slots);
  t->slots = s;
  t->cap_slots = cap;
  return true;
}

/* The id of a lower-case name; a new one when add, else 0 for a name not
 * seen yet (an end tag of it closes nothing). */
static unsigned name_id(struct tok *t, const char *s, size_t n, bool add) {
  unsigned h = name_hash(s, n);
  size_t mask = t->cap_slots - 1, k = h & mask;
  for (; t->slots[k].id; k = (k + 1) & mask) {
    if (t->slots[k].hash != h) continue;
    size_t len;
    const char *name = id_name(t, t->slots[k].id, &len);
    if (len == n && !memcmp(name, s, n)) return t->slots[k].id;
  }
  int known = known_id(s, n);
  if (!known && !add) return 0;
  unsigned id = (unsigned)known;
  if (!known) {
    if (t->n_ids >= t->cap_ids) {
      size_t cap = t->cap_ids * 2;
      int *top = realloc(t->top_of, cap * sizeof *top);
      const char **nm =
          top ? realloc(t->unk_name, (cap - T_COUNT) * sizeof *nm) : NULL;
      if (nm) t->unk_name = nm;
      unsigned char *ln = nm ? realloc(t->unk_len, cap - T_COUNT) : NULL;
      if (top) t->top_of = top;
      if (!ln) return fail_oom(t), 0;
      t->unk_len = ln;
      t->cap_ids = cap;
    }
    char *copy = mw_arena_strndup(t->b.arena, s, n);
    if (!copy) return fail_oom(t), 0;
    id = t->n_ids++;
    t->top_of[id] = -1;
    t->unk_name[id - T_COUNT] = copy;
    t->unk_len[id - T_COUNT] = (unsigned char)n;
  }
  t->slots[k].hash = h;
  t->slots[k].id = id;
  if (++t->n_slots * 2 > t->cap_slots && !grow_slots(t)) return 0;
  return id;
}

/* ------------------------------------------------------- name stack */

static unsigned top(const struct tok *t) {
  return t->n_st ? t->st[t->n_st - 1].id : T_NONE;
}

/* htmlnamePush and the start event; attrs of t->attrs when with_attrs. */
static void push(struct tok *t, unsigned id, bool with_attrs) {
  if (t->n_st == t->cap_st) {
    size_t cap = t->cap_st * 2;
    struct el *s = realloc(t->st, cap * sizeof *s);
    if (!s) {
      fail_oom(t);
      return;
    }
    t->st = s;
    t->cap_st = cap;
  }
  if (id == T_HEAD && t->html_state < 3) t->html_state = 3;
  if (id == T_BODY && t->html_state < 10) t->html_state = 10;
  t->st[t->n_st].id = id;
  t->st[t->n_st].prev = t->top_of[id];
  t->top_of[id] = (int)t->n_st++;
  unsigned f = 0;
  if (id < T_COUNT && (TAG_FLAGS[id] & F_DROP)) f |= MW_HTML_B_DROP;
  if (id == T_A) f |= MW_HTML_B_A;
  if (id == T_HEAD) f |= MW_HTML_B_HEAD;
  if (id == T_BODY) f |= MW_HTML_B_BODY;
  if (id == T_TITLE) f |= MW_HTML_B_TITLE;
  mw_html_builder_start(&t->b,
                        id < T_COUNT ? TAG_NAME[id] : t->unk_name[id - T_COUNT],
                        f, t->attrs, with_attrs ? t->n_attrs : 0);
}

static void pop_silent(struct tok *t) {
  if (!t->n_st) return;
  struct el *e = &t->st[--t->n_st];
  t->top_of[e->id] = e->prev;
}

/* The end event of the current element, then its pop. */
static void end_top(struct tok *t) {
  mw_html_builder_end(&t->b);
  pop_silent(t);
}

static void end_all(struct tok *t) {
  while (t->n_st) end_top(t);
}

static void init_closes(struct tok *t) {
  memset(t->closes, 0, sizeof t->closes);
  for (unsigned id = 1; id < T_COUNT; id++)
    if (TAG_FLAGS[id] & F_CLOSES_HEAD)
      t->closes[id][T_HEAD >> 6] |= 1ull << (T_HEAD & 63);
  for (size_t i = 0; i < sizeof START_CLOSE; i++) {
    unsigned newtag = START_CLOSE[i];
    for (i++; START_CLOSE[i]; i++)
      t->closes[newtag][START_CLOSE[i] >> 6] |= 1ull << (START_CLOSE[i] & 63);
  }
}

static bool closes(const struct tok *t, unsigned newtag, unsigned old) {
  return newtag < T_COUNT && old < T_COUNT &&
         (t->closes[newtag][old >> 6] >> (old & 63) & 1);
}

/* htmlAutoClose: the start of newtag ends the current element while the
 * table says so. */
static void autoclose(struct tok *t, unsigned newtag) {
  while (t->n_st && closes(t, newtag, top(t))) end_top(t);
}

/* htmlCheckImplied: the html, head or body a start tag needs. */
static void check_implied(struct tok *t, unsigned id) {
  if (id == T_HTML) return;
  if (!t->n_st) push(t, T_HTML, false);
  if (id == T_BODY || id == T_HEAD) return;
  unsigned f = id < T_COUNT ? TAG_FLAGS[id] : 0;
  if (t->n_st <= 1 && (f & F_HEADISH)) {
    if (t->html_state >= 3) return;
    push(t, T_HEAD, false);
  } else if (!(f & F_FRAMES)) {
    if (t->html_state >= 10) return;
    if (t->top_of[T_BODY] >= 0 || t->top_of[T_HEAD] >= 0) return;
    push(t, T_BODY, false);
  }
}

/* htmlCheckParagraph: text straight in html or head, or outside any
 * element, opens a <p>. */
static void check_paragraph(struct tok *t) {
  unsigned cur = top(t);
  if (cur != T_NONE && cur != T_HTML && cur != T_HEAD) return;
  autoclose(t, T_P);
  check_implied(t, T_P);
  push(t, T_P, false);
}

/* ------------------------------------------------------------ markup */

/* Reads the attributes of a start tag from p up to '>', "/>", a NUL or the
 * end; keeps the wanted ones (the first of a name wins) in t->attrs when
 * keep. Returns where the tag's end is. */
static const unsigned char *attributes(struct tok *t, const unsigned char *p,
                                       bool keep) {
  const unsigned char *end = t->end;
  char name[MW_HTML_NAME_MAX];
  t->n_attrs = 0;
  p = skip_blanks(t, p);
  while (p < end && *p && *p != '>' && !(*p == '/' && at(t, p, 1) == '>')) {
    size_t n = mw_html_name(p, t->end, name, true);
    if (!n) { /* a bogus attribute: skipped to a blank or the tag's end */
      while (p < end && *p && !is_blank(*p) && *p != '>' &&
             !(*p == '/' && at(t, p, 1) == '>'))
        p++;
      p = skip_blanks(t, p);
      continue;
    }
    p = skip_blanks(t, p + n);
    const char *kept = keep ? mw_html_kept_attr(name, n) : NULL;
    for (size_t i = 0; kept && i < t->n_attrs; i++)
      if (t->attrs[i].name == kept) kept = NULL; /* redefined: dropped */
    const unsigned char *v = NULL, *v_end = NULL;
    if (p < end && *p == '=') {
      p = skip_blanks(t, p + 1);
      unsigned char quote = p < end && (*p == '"' || *p == '\'') ? *p : 0;
      if (quote) p++;
      v = p;
      if (quote)
        while (p < end && *p && *p != quote) p++;
      else
        while (p < end && *p && *p != '>' && !is_blank(*p)) p++;
      v_end = p;
      if (quote && p < end && *p == quote) p++;
    }
    if (kept) {
      struct mw_html_attr *a = &t->attrs[t->n_attrs++];
      a->name = kept;
      if (!v) v = v_end = p; /* no value: "" */
      char *out = mw_arena_alloc(t->b.arena, (size_t)(v_end - v) + 1);
      if (!out) return fail_oom(t), end;
      size_t o = 0;
      bool cut = false; /* libxml2 wrote a NUL for a reference to nothing */
      for (const unsigned char *q = v; q < v_end;) {
        if (*q != '&') {
          const unsigned char *amp = memchr(q, '&', (size_t)(v_end - q));
          size_t run = (size_t)((amp ? amp : v_end) - q);
          if (!cut) memcpy(out + o, q, run), o += run;
          q += run;
          continue;
        }
        struct mw_html_ref r;
        mw_html_ref_read(q, v_end, &r);
        if (r.none) cut = true;
        if (!cut) {
          memcpy(out + o, r.verbatim ? q : r.out, r.out_len);
          o += r.out_len;
        }
        q += r.consumed;
      }
      out[o] = '\0';
      a->value = out;
    }
    p = skip_blanks(t, p);
  }
  return p;
}

/* A start tag at t->p ('<' then a letter): htmlParseStartTag and what
 * htmlParseElementInternal does after it. */
static void start_tag(struct tok *t) {
  char name[MW_HTML_NAME_MAX];
  const unsigned char *p = t->p + 1;
  size_t n = mw_html_name(p, t->end, name, true);
  p += n;
  unsigned id = name_id(t, name, n, true);
  if (!id) return;
  autoclose(t, id);
  check_implied(t, id);
  bool discard = false;
  if (id == T_HTML && t->n_st > 0) discard = true;
  if (id == T_HEAD && t->n_st != 1) discard = true;
  if (id == T_BODY && t->top_of[T_BODY] >= 0) discard = true;
  if (discard) t->discarded++;
  p = attributes(t, p, !discard);
  if (t->oom) return;
  if (!discard) push(t, id, true);
  if (!t->n_st) { /* no current element: the tag is dropped */
    t->p = p < t->end && *p == '>' ? p + 1 : p;
    return;
  }
  if (p < t->end && *p == '/') { /* "/>": ends the current element */
    t->p = p + 2;
    end_top(t);
  } else if (p < t->end && *p == '>') {
    t->p = p + 1;
    unsigned cur = top(t);
    if (cur < T_COUNT && (TAG_FLAGS[cur] & F_EMPTY)) end_top(t);
  } else { /* at a NUL or the end: libxml2 pops it unannounced, then the
            * page ends */
    t->p = p;
    pop_silent(t);
    end_all(t);
  }
}

/* An end tag at t->p ("</"): htmlParseEndTag. */
static void end_tag(struct tok *t) {
  char name[MW_HTML_NAME_MAX];
  const unsigned char *p = t->p + 2, *end = t->end;
  size_t n = mw_html_name(p, t->end, name, true);
  if (!n) { /* "</" before no name: dropped */
    t->p = p;
    return;
  }
  p = skip_blanks(t, p + n);
  if (p >= end || *p != '>')
    while (p < end && *p && *p != '>') p++;
  if (p < end && *p == '>') p++;
  t->p = p;
  unsigned id = name_id(t, name, n, false);
  if (t->discarded > 0 && (id == T_HTML || id == T_BODY || id == T_HEAD)) {
    t->discarded--;
    return;
  }
  if (!id || t->top_of[id] < 0) return; /* not open: ignored */
  if (top(t) != id) {
    /* misplaced: it may close only elements of its priority or lower */
    int at_ = t->top_of[id], prio = 100;
    for (size_t i = 0; i < sizeof HIGH_PRIO / sizeof HIGH_PRIO[0]; i++)
      if (HIGH_PRIO[i].id == id) prio = HIGH_PRIO[i].prio;
    for (size_t i = 0; i < sizeof HIGH_PRIO / sizeof HIGH_PRIO[0]; i++)
      if (HIGH_PRIO[i].prio > prio && t->top_of[HIGH_PRIO[i].id] > at_) return;
    while (top(t) != id) end_top(t);
  }
  end_top(t);
}

/* ------------------------------------------------------------- text */

/* Bytes a text run stops at or handles: '<', '&', control characters
 * (libxml2 drops them; a NUL is a space) and 0xEF (U+FFFE and U+FFFF are
 * dropped too). */
static const unsigned char TEXT_STOP[256] = {
    [0] = 1,    [1] = 1,    [2] = 1,    [3] = 1,    [4] = 1,    [5] = 1,
    [6] = 1,    [7] = 1,    [8] = 1,    [0x0B] = 1, [0x0C] = 1, [0x0E] = 1,
    [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1,
    [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, ['<'] = 1,
    ['&'] = 1,  [0xEF] = 1,
};

/* How a text run's next character is taken: *n input bytes, *out bytes of
 * output (0 for a dropped one, 1 for a NUL made a space). */
static const unsigned char *text_char(const struct tok *t,
                                      const unsigned char *p, size_t *n,
                                      size_t *out) {
  unsigned char c = *p;
  if (c == 0) {
    *n = *out = 1;
    return (const unsigned char *)" ";
  }
  if (c < 0x20 && !is_blank(c)) {
    *n = 1;
    *out = 0;
    return p;
  }
  if (c == 0xEF && at(t, p, 1) == 0xBF && (at(t, p, 2) & 0xFE) == 0xBE) {
    *n = 3;
    *out = 0;
    return p;
  }
  size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if ((size_t)(t->end - p) < k) k = (size_t)(t->end - p);
  *n = *out = k;
  return p;
}

/* Character data up to '<', '&' or the end, in an element where it needs
 * no <p>. */
static void text_fast(struct tok *t) {
  const unsigned char *p = t->p, *end = t->end;
  for (;;) {
    const unsigned char *q = mw_html_scan_text(p, end);
    for (;;) {
      while (q < end && !TEXT_STOP[*q]) q++;
      /* 0xEF mostly starts full-width punctuation, which stays */
      if (q < end && *q == 0xEF &&
          !(at(t, q, 1) == 0xBF && (at(t, q, 2) & 0xFE) == 0xBE)) {
        q++;
        continue;
      }
      break;
    }
    mw_html_builder_text(&t->b, p, (size_t)(q - p));
    if (q >= end || *q == '<' || *q == '&') {
      t->p = q;
      return;
    }
    size_t n, out;
    const unsigned char *src = text_char(t, q, &n, &out);
    mw_html_builder_text(&t->b, src, out);
    p = q + n;
  }
}

/* Text straight in html or head, or outside any element: libxml2 looks at
 * it in pieces of CHUNK bytes; a piece that is not white space followed by
 * '<' or the end opens a <p> (check_paragraph), and the rest of the run
 * then goes in it. */
static void text_strict(struct tok *t) {
  unsigned char piece[CHUNK + 4];
  size_t len = 0;
  bool blank = true;
  const unsigned char *p = t->p, *end = t->end;
  while (p < end && *p != '<' && *p != '&') {
    size_t n, out;
    const unsigned char *src = text_char(t, p, &n, &out);
    for (size_t i = 0; i < out; i++) {
      if (!is_blank(src[i])) blank = false;
      piece[len++] = src[i];
    }
    if (len >= CHUNK) {
      /* libxml2's look at the next character is at this one */
      bool ignorable = blank && *p == 0;
      if (!ignorable) check_paragraph(t);
      mw_html_builder_text(&t->b, piece, len);
      len = 0;
      blank = true;
      if (!ignorable) {
        t->p = p + n;
        text_fast(t); /* the rest of the run is in the <p> */
        return;
      }
    }
    p += n;
  }
  if (len) {
    if (!blank || (p < end && *p == '&')) check_paragraph(t);
    mw_html_builder_text(&t->b, piece, len);
  }
  t->p = p;
}

static void text(struct tok *t) {
  unsigned cur = top(t);
  if (cur == T_NONE || cur == T_HTML || cur == T_HEAD)
    text_strict(t);
  else
    text_fast(t);
}

static void reference(struct tok *t) {
  struct mw_html_ref r;
  mw_html_ref_read(t->p, t->end, &r);
  if (!r.none) {
    check_paragraph(t);
    mw_html_builder_text(&t->b, r.verbatim ? t->p : r.out, r.out_len);
  }
  t->p += r.consumed;
}

/* Comments and processing instructions before the content. */
static void misc(struct tok *t) {
  for (;;) {
    t->p = skip_blanks(t, t->p);
    const unsigned char *p = t->p;
    if (at(t, p, 0) != '<') return;
    if (at(t, p, 1) == '!' && at(t, p, 2) == '-' && at(t, p, 3) == '-')
      t->p = mw_html_skip_comment(t->p, t->end);
    else if (at(t, p, 1) == '?')
      t->p = mw_html_skip_pi(t->p, t->end);
    else
      return;
  }
}

/* Raw text of the current script or style: up to "</" and its name, in
 * any case and with any ending ("</SCRIPTx" ends it too), or the end. */
static void raw_text(struct tok *t) {
  size_t n;
  const char *name = id_name(t, top(t), &n);
  const unsigned char *q = t->p, *end = t->end;
  while ((q = memchr(q, '<', (size_t)(end - q))) != NULL) {
    if (at(t, q, 1) == '/' && (size_t)(end - q - 2) >= n &&
        !mw_ascii_ncasecmp((const char *)q + 2, name, n))
      break;
    q++;
  }
  t->p = q ? q : end;
}

/* libxml2 looks one name ahead at each '<' and a letter, and lets the
 * element's start end others first (htmlParseContentInternal); that name
 * stops at a '.', unlike the element's own. True when it closed one. */
static bool look_ahead(struct tok *t) {
  char name[MW_HTML_NAME_MAX];
  size_t n = mw_html_name(t->p + 1, t->end, name, false);
  unsigned id = n ? name_id(t, name, n, false) : 0;
  if (!id || !t->n_st || !closes(t, id, top(t))) return false;
  autoclose(t, id);
  return true;
}

/* htmlParseDocument and htmlParseContentInternal. */
static void parse(struct tok *t) {
  const unsigned char *end = t->end;
  if (end - t->p >= 3 && t->p[0] == 0xEF && t->p[1] == 0xBB && t->p[2] == 0xBF)
    t->p += 3; /* a byte-order mark */
  misc(t);
  if (mw_html_at_doctype(t->p, t->end))
    t->p = mw_html_skip_doctype(t->p, t->end);
  misc(t);
  while (!stopped(t)) {
    const unsigned char *p = t->p;
    if (p >= end || *p == 0) break; /* a NUL here ends the page too */
    if (*p == '<') {
      unsigned char c = at(t, p, 1);
      if (c == '/') {
        end_tag(t);
        continue;
      }
      if ((mw_ascii_isalpha(c) || c == '_' || c == ':') && look_ahead(t))
        continue;
    }
    unsigned cur = top(t);
    if (cur < T_COUNT && (TAG_FLAGS[cur] & F_RAW)) {
      raw_text(t);
      continue;
    }
    if (mw_html_at_doctype(p, end)) { /* misplaced: dropped, on from there */
      t->p = mw_html_skip_doctype(p, end);
      p = t->p;
    }
    unsigned char c0 = at(t, p, 0), c1 = at(t, p, 1);
    if (c0 == '<' && c1 == '!' && at(t, p, 2) == '-' && at(t, p, 3) == '-')
      t->p = mw_html_skip_comment(t->p, t->end);
    else if (c0 == '<' && c1 == '?')
      t->p = mw_html_skip_pi(t->p, t->end);
    else if (c0 == '<' && mw_ascii_isalpha(c1))
      start_tag(t);
    else if (c0 == '<') { /* not markup: the '<' is text */
      mw_html_builder_text(&t->b, "<", 1);
      t->p = p + 1;
    } else if (c0 == '&')
      reference(t);
    else if (c0 == 0)
      break;
    else
      text(t);
  }
  end_all(t);
}

/* ---------------------------------------------------------------- API */

int mw_html_parse(const char *utf8, size_t len,
                  const struct mw_html_limits *limits, struct mw_html_doc **out,
                  struct mw_err *err) {
  *out = NULL;
  if (!utf8) len = 0;
  bool cut = false;
  if (len > MAX_INPUT_BYTES) {
    len = MAX_INPUT_BYTES;
    while (len > 0 && ((unsigned char)utf8[len] & 0xC0) == 0x80) len--;
    cut = true;
  }
  struct tok t;
  memset(&t, 0, sizeof t);
  int rc = mw_html_builder_init(&t.b, len, limits, err);
  if (rc) return rc;
  t.b.doc->truncated = cut;
  t.p = (const unsigned char *)utf8;
  t.end = t.p + len;
  t.html_state = 1;
  t.cap_st = 64;
  t.cap_ids = T_COUNT + 64;
  t.n_ids = T_COUNT;
  t.cap_slots = 512;
  t.st = malloc(t.cap_st * sizeof *t.st);
  t.top_of = malloc(t.cap_ids * sizeof *t.top_of);
  t.unk_name = malloc((t.cap_ids - T_COUNT) * sizeof *t.unk_name);
  t.unk_len = malloc(t.cap_ids - T_COUNT);
  t.slots = calloc(t.cap_slots, sizeof *t.slots);
  if (t.st && t.top_of && t.unk_name && t.unk_len && t.slots) {
    for (size_t i = 0; i < t.cap_ids; i++) t.top_of[i] = -1;
    init_closes(&t);
    if (len) parse(&t);
  } else {
    t.oom = true;
  }
  free(t.st);
  free(t.top_of);
  free(t.unk_name);
  free(t.unk_len);
  free(t.slots);
  if (t.oom) t.b.oom = true;
  return mw_html_builder_finish(&t.b, out, err);
}
