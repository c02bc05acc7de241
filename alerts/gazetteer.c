/*
 * gazetteer.c: place names with their parents, and the 属地 of a text.
 *
 * What it does: reads the place list (`name<TAB>level<TAB>parent`, see
 * alerts.h), indexes every name, its short form (长春 for 长春市) and its
 * full path (吉林省长春市) in one open-addressing hash table, and finds
 * the most specific place a text names by forward maximum matching: at
 * each character the longest known name or short form starting there
 * wins and the scan jumps past it, so a short form never matches inside
 * a longer name (二道 inside 二道江区). The cost is one table probe per
 * text position and candidate length, whatever the size of the list.
 *
 * What it leaves to others: deciding what a place means for routing and
 * silences (the engine), the outlet's region as a fallback (the engine).
 *
 * Choices: a short form shared by places of several levels (吉林 for
 * 吉林省 and 吉林市) names the shallowest of them, as people say 吉林 for
 * the province; a full name always beats a short form spelled the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"

#define GZ_NAME_MAX 96              /* bytes of one name */
#define GZ_LINE_MAX 1024            /* bytes of one line */
#define GZ_PLACES_MAX 1000000       /* every village of China fits */
#define GZ_FILE_MAX (128u << 20)    /* bytes of the file */
#define GZ_DEPTH_MAX 8              /* parent links followed */
#define GZ_CAND_MAX 64              /* places one string may resolve to */

enum { LV_PROVINCE, LV_CITY, LV_DISTRICT, LV_TOWN, LV_VILLAGE, LV_COUNT };

static const char *const level_names[LV_COUNT] = {"province", "city",
                                                  "district", "town",
                                                  "village"};

/* Suffixes that may be left out (长春 for 长春市), when at least two
 * characters remain. */
static const char *const suffixes[] = {"街道", "省", "市", "区", "县",
                                       "镇", "乡", "村"};

struct place {
  const char *name, *path;  /* in the arena, NUL-terminated */
  uint32_t name_len;
  uint32_t short_len;       /* 0: no short form; else a prefix of name */
  int32_t parent;           /* -1: none */
  int32_t next_name, next_short, next_path; /* places sharing a key */
  uint8_t level;
};

/* One spelling and the places it stands for, as a name, as a short form
 * and as a full path. */
struct key {
  const char *p;
  uint32_t len, hash;
  int32_t full, shortf, path; /* chain heads, -1: none */
};

struct mw_gazetteer {
  struct mw_arena *arena;
  struct place *places;
  size_t n, cap;
  struct key *keys; /* open addressing, key_cap a power of two */
  size_t n_keys, key_cap;
  bool has_len[GZ_NAME_MAX + 1]; /* byte lengths of names and short forms */
  size_t min_len, max_len;
};

/* ------------------------------------------------------------- the index */

static uint32_t fnv_step(uint32_t h, unsigned char c) {
  return (h ^ c) * 16777619u;
}

static uint32_t fnv(const char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = fnv_step(h, (unsigned char)p[i]);
  return h;
}

static struct key *key_find(const struct mw_gazetteer *g, uint32_t h,
                            const char *p, size_t n) {
  if (!g->key_cap) return NULL;
  size_t mask = g->key_cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    struct key *k = &g->keys[i];
    if (!k->p) return NULL;
    if (k->hash == h && k->len == n && !memcmp(k->p, p, n)) return k;
  }
}

static int key_grow(struct mw_gazetteer *g) {
  size_t cap = g->key_cap ? g->key_cap * 2 : 1024;
  struct key *keys = calloc(cap, sizeof *keys);
  if (!keys) return MW_ENOMEM;
  for (size_t i = 0; i < g->key_cap; i++) {
    struct key *k = &g->keys[i];
    if (!k->p) continue;
    size_t j = k->hash & (cap - 1);
    while (keys[j].p) j = (j + 1) & (cap - 1);
    keys[j] = *k;
  }
  free(g->keys);
  g->keys = keys;
  g->key_cap = cap;
  return MW_OK;
}

/* The entry for p[0..n), created empty when missing. p must outlive g. */
static struct key *key_get(struct mw_gazetteer *g, const char *p, size_t n) {
  uint32_t h = fnv(p, n);
  struct key *k = key_find(g, h, p, n);
  if (k) return k;
  if ((g->n_keys + 1) * 2 > g->key_cap && key_grow(g)) return NULL;
  size_t mask = g->key_cap - 1, i = h & mask;
  while (g->keys[i].p) i = (i + 1) & mask;
  k = &g->keys[i];
  *k = (struct key){p, (uint32_t)n, h, -1, -1, -1};
  g->n_keys++;
  return k;
}

static void note_len(struct mw_gazetteer *g, size_t n) {
  g->has_len[n] = true;
  if (!g->min_len || n < g->min_len) g->min_len = n;
  if (n > g->max_len) g->max_len = n;
}

/* ------------------------------------------------------------ the parser */

static size_t utf8_chars(const char *p, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)p[i] & 0xC0) != 0x80) c++;
  return c;
}

static bool utf8_valid(const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i <= extra) return false;
    for (size_t k = 1; k <= extra; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (p[i + k] & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    i += extra + 1;
  }
  return true;
}

static struct mw_str trim(const char *p, size_t n) {
  while (n && mw_ascii_isspace((unsigned char)*p)) p++, n--;
  while (n && mw_ascii_isspace((unsigned char)p[n - 1])) n--;
  return (struct mw_str){p, n};
}

static size_t short_len_of(const char *name, size_t n) {
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    size_t s = strlen(suffixes[i]);
    if (n > s && !memcmp(name + n - s, suffixes[i], s) &&
        utf8_chars(name, n - s) >= 2)
      return n - s;
  }
  return 0;
}

/* Cuts an echoed field for a message, on a character boundary. */
static int echo_len(struct mw_str s) {
  size_t n = s.len < 60 ? s.len : 60;
  while (n < s.len && n && ((unsigned char)s.p[n] & 0xC0) == 0x80) n--;
  return (int)n;
}

/* The parent a line names: among places shallower than level, those named
 * v (else those whose full path is v) at the deepest level there is. */
static int find_parent(const struct mw_gazetteer *g, struct mw_str v,
                       int level, int32_t *out, const char *file, int line,
                       struct mw_err *err) {
  const struct key *k = key_find(g, fnv(v.p, v.len), v.p, v.len);
  int32_t best = -1;
  int best_level = -1, count = 0;
  for (int pass = 0; pass < 2 && best < 0 && k; pass++) {
    int32_t i = pass ? k->path : k->full;
    for (; i >= 0; i = pass ? g->places[i].next_path : g->places[i].next_name) {
      int lv = g->places[i].level;
      if (lv >= level) continue;
      if (lv > best_level) {
        best = i, best_level = lv, count = 1;
      } else if (lv == best_level) {
        count++;
        if (i < best) best = i;
      }
    }
  }
  if (best < 0)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: parent \"%.*s\" is not defined above this line "
                      "as a place of a higher level than %s",
                      file, line, echo_len(v), v.p, level_names[level]);
  if (count > 1)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: parent \"%.*s\" is ambiguous: %d places of "
                      "that name; give its full path, such as \"%s\"",
                      file, line, echo_len(v), v.p, count,
                      g->places[best].path);
  *out = best;
  return MW_OK;
}

static int add_place(struct mw_gazetteer *g, struct mw_str name, int level,
                     int32_t parent, const char *file, int line,
                     struct mw_err *err) {
  const struct key *k = key_find(g, fnv(name.p, name.len), name.p, name.len);
  for (int32_t i = k ? k->full : -1; i >= 0; i = g->places[i].next_name)
    if (g->places[i].parent == parent)
      return mw_err_set(err, MW_EINVAL,
                        "%s:%d: \"%.*s\" is given twice under %s", file, line,
                        echo_len(name), name.p,
                        parent >= 0 ? g->places[parent].path : "no parent");
  if (g->n == g->cap) {
    if (g->n >= GZ_PLACES_MAX)
      return mw_err_set(err, MW_ETOOBIG, "%s:%d: more than %d places", file,
                        line, GZ_PLACES_MAX);
    size_t cap = g->cap ? g->cap * 2 : 256;
    struct place *p = realloc(g->places, cap * sizeof *p);
    if (!p) return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
    g->places = p;
    g->cap = cap;
  }
  int32_t id = (int32_t)g->n;
  struct place *pl = &g->places[id];
  pl->name = mw_arena_strndup(g->arena, name.p, name.len);
  if (!pl->name) return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
  /* The path repeats no name (北京市 the province and 北京市 the city). */
  if (parent < 0) {
    pl->path = pl->name;
  } else if (!strcmp(g->places[parent].name, pl->name)) {
    pl->path = g->places[parent].path;
  } else {
    size_t pn = strlen(g->places[parent].path);
    char *path = mw_arena_alloc(g->arena, pn + name.len + 1);
    if (!path) return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
    memcpy(path, g->places[parent].path, pn);
    memcpy(path + pn, name.p, name.len);
    path[pn + name.len] = '\0';
    pl->path = path;
  }
  pl->name_len = (uint32_t)name.len;
  pl->short_len = (uint32_t)short_len_of(pl->name, name.len);
  pl->parent = parent;
  pl->level = (uint8_t)level;
  pl->next_name = pl->next_short = pl->next_path = -1;
  g->n++;

  /* Keys point into the arena's copies. Entries move when the table
   * grows, so each is looked up again after the last insertion. */
  struct key *kn = key_get(g, pl->name, name.len);
  struct key *ks = pl->short_len ? key_get(g, pl->name, pl->short_len) : NULL;
  if (!kn || (pl->short_len && !ks))
    return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
  kn = key_get(g, pl->name, name.len); /* ks may have moved the table */
  pl->next_name = kn->full;
  kn->full = id;
  note_len(g, name.len);
  if (pl->short_len) {
    ks = key_get(g, pl->name, pl->short_len);
    pl->next_short = ks->shortf;
    ks->shortf = id;
    note_len(g, pl->short_len);
  }
  struct key *kp = key_get(g, pl->path, strlen(pl->path));
  if (!kp) return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
  pl->next_path = kp->path;
  kp->path = id;
  return MW_OK;
}

static int parse_line(struct mw_gazetteer *g, const char *p, size_t n,
                      const char *file, int line, struct mw_err *err) {
  if (n > GZ_LINE_MAX)
    return mw_err_set(err, MW_EINVAL, "%s:%d: line longer than %d bytes",
                      file, line, GZ_LINE_MAX);
  if (memchr(p, '\0', n) || !utf8_valid((const unsigned char *)p, n))
    return mw_err_set(err, MW_EINVAL, "%s:%d: not UTF-8 text", file, line);
  struct mw_str all = trim(p, n);
  if (!all.len || all.p[0] == '#') return MW_OK;

  /* Columns split before trimming: a leading tab is an empty name. */
  struct mw_str f[3] = {{0}};
  size_t nf = 0;
  const char *s = p, *end = all.p + all.len;
  while (nf < 3) {
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    const char *e = tab ? tab : end;
    f[nf++] = trim(s, (size_t)(e - s));
    if (!tab) break;
    s = tab + 1;
    if (nf == 3)
      return mw_err_set(err, MW_EINVAL,
                        "%s:%d: more than three columns: expected "
                        "name<TAB>level<TAB>parent", file, line);
  }
  if (nf < 2)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: expected name<TAB>level<TAB>parent", file, line);
  if (!f[0].len)
    return mw_err_set(err, MW_EINVAL, "%s:%d: empty place name", file, line);
  if (f[0].len > GZ_NAME_MAX)
    return mw_err_set(err, MW_EINVAL, "%s:%d: place name longer than %d bytes",
                      file, line, GZ_NAME_MAX);
  int level = -1;
  for (int i = 0; i < LV_COUNT; i++)
    if (f[1].len == strlen(level_names[i]) &&
        !mw_ascii_ncasecmp(f[1].p, level_names[i], f[1].len))
      level = i;
  if (level < 0)
    return mw_err_set(err, MW_EINVAL,
                      "%s:%d: unknown level \"%.*s\" (use province, city, "
                      "district, town or village)",
                      file, line, echo_len(f[1]), f[1].p);
  int32_t parent = -1;
  if (level == LV_PROVINCE) {
    if (f[2].len)
      return mw_err_set(err, MW_EINVAL,
                        "%s:%d: a province has no parent; leave the third "
                        "column empty", file, line);
  } else {
    if (!f[2].len)
      return mw_err_set(err, MW_EINVAL, "%s:%d: a %s needs a parent", file,
                        line, level_names[level]);
    int rc = find_parent(g, f[2], level, &parent, file, line, err);
    if (rc) return rc;
  }
  return add_place(g, f[0], level, parent, file, line, err);
}

int mw_gazetteer_parse(const char *text, size_t len, const char *name,
                       struct mw_gazetteer **out, struct mw_err *err) {
  const char *file = name ? name : "gazetteer";
  *out = NULL;
  if (len > GZ_FILE_MAX)
    return mw_err_set(err, MW_ETOOBIG, "%s: larger than %u bytes", file,
                      GZ_FILE_MAX);
  struct mw_gazetteer *g = calloc(1, sizeof *g);
  if (!g) return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
  g->arena = mw_arena_new(64 * 1024, 0);
  if (!g->arena || key_grow(g)) {
    mw_gazetteer_free(g);
    return mw_err_set(err, MW_ENOMEM, "%s: out of memory", file);
  }
  size_t off = 0;
  int line = 0;
  /* A UTF-8 byte order mark some editors write. */
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) off = 3;
  while (off < len) {
    line++;
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    int rc = parse_line(g, text + off, n, file, line, err);
    if (rc) {
      mw_gazetteer_free(g);
      return rc;
    }
    off += n + 1;
  }
  *out = g;
  return MW_OK;
}

int mw_gazetteer_load(const char *path, struct mw_gazetteer **out,
                      struct mw_err *err) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return mw_err_set(err, MW_EIO, "%s: cannot open: %s", path,
                      strerror(errno));
  struct mw_buf b;
  mw_buf_init(&b, GZ_FILE_MAX);
  char chunk[16384];
  size_t n;
  int rc = MW_OK;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if ((rc = mw_buf_append(&b, chunk, n))) break;
  bool bad = ferror(f);
  fclose(f);
  if (rc == MW_ETOOBIG)
    rc = mw_err_set(err, rc, "%s: larger than %u bytes", path, GZ_FILE_MAX);
  else if (rc)
    rc = mw_err_set(err, rc, "%s: out of memory", path);
  else if (bad)
    rc = mw_err_set(err, MW_EIO, "%s: read error", path);
  else
    rc = mw_gazetteer_parse(b.data ? b.data : "", b.len, path, out, err);
  mw_buf_cleanup(&b);
  return rc;
}

void mw_gazetteer_free(struct mw_gazetteer *g) {
  if (!g) return;
  mw_arena_free(g->arena);
  free(g->places);
  free(g->keys);
  free(g);
}

size_t mw_gazetteer_count(const struct mw_gazetteer *g) { return g ? g->n : 0; }

/* -------------------------------------------------------------- matching */

/* The next name or short form in t from *pos on, longest first at each
 * character; *pos receives where it starts. */
static const struct key *next_hit(const struct mw_gazetteer *g,
                                  const unsigned char *t, size_t len,
                                  size_t *pos) {
  uint32_t h[GZ_NAME_MAX + 1];
  for (size_t p = *pos; p < len; p++) {
    if ((t[p] & 0xC0) == 0x80) continue;
    size_t maxl = len - p < g->max_len ? len - p : g->max_len;
    if (maxl < g->min_len) break;
    uint32_t x = 2166136261u;
    for (size_t l = 1; l <= maxl; l++) h[l] = x = fnv_step(x, t[p + l - 1]);
    for (size_t l = maxl; l >= g->min_len && l > 0; l--) {
      if (!g->has_len[l]) continue;
      const struct key *k = key_find(g, h[l], (const char *)t + p, l);
      if (k && (k->full >= 0 || k->shortf >= 0)) {
        *pos = p;
        return k;
      }
    }
  }
  return NULL;
}

/* Walks the places a hit stands for: every place of the name, else the
 * shallowest places of the short form (吉林 names 吉林省, not 吉林市). */
struct hit_iter {
  const struct mw_gazetteer *g;
  int32_t i;
  bool by_short;
  int top;
};

static void hit_begin(struct hit_iter *it, const struct mw_gazetteer *g,
                      const struct key *k) {
  it->g = g;
  it->by_short = k->full < 0;
  it->i = it->by_short ? k->shortf : k->full;
  it->top = LV_COUNT;
  if (it->by_short)
    for (int32_t i = k->shortf; i >= 0; i = g->places[i].next_short)
      if (g->places[i].level < it->top) it->top = g->places[i].level;
}

static int32_t hit_next(struct hit_iter *it) {
  const struct place *pl = it->g->places;
  while (it->i >= 0) {
    int32_t i = it->i;
    it->i = it->by_short ? pl[i].next_short : pl[i].next_name;
    if (!it->by_short || pl[i].level == it->top) return i;
  }
  return -1;
}

const char *mw_gazetteer_locate(const struct mw_gazetteer *g,
                                const char *text, size_t len,
                                struct mw_buf *path) {
  if (path) mw_buf_reset(path);
  if (!g || !text || !g->n || !g->max_len) return NULL;
  uint8_t *named = calloc((g->n + 7) / 8, 1);
  if (!named) return NULL;
  const unsigned char *t = (const unsigned char *)text;
  const struct key *k;
  struct hit_iter it;
  int32_t c;

  for (size_t pos = 0; (k = next_hit(g, t, len, &pos)); pos += k->len)
    for (hit_begin(&it, g, k); (c = hit_next(&it)) >= 0;)
      named[c / 8] |= (uint8_t)(1u << c % 8);

  int32_t best = -1;
  int best_level = -1, best_anc = -1;
  size_t best_pos = 0;
  for (size_t pos = 0; (k = next_hit(g, t, len, &pos)); pos += k->len) {
    for (hit_begin(&it, g, k); (c = hit_next(&it)) >= 0;) {
      const struct place *pl = &g->places[c];
      int anc = 0, depth = 0;
      for (int32_t a = pl->parent; a >= 0 && depth < GZ_DEPTH_MAX;
           a = g->places[a].parent, depth++)
        if (named[a / 8] & (1u << a % 8)) anc++;
      /* Deeper, then more ancestors named, then the earlier hit, then
       * the earlier line (chains run from the last line back). */
      if (pl->level > best_level ||
          (pl->level == best_level &&
           (anc > best_anc ||
            (anc == best_anc && pos == best_pos && c < best)))) {
        best = c, best_level = pl->level, best_anc = anc, best_pos = pos;
      }
    }
  }
  free(named);
  if (best < 0) return NULL;
  if (path) mw_buf_puts(path, g->places[best].path);
  return g->places[best].name;
}

/* ------------------------------------------------------------ containment */

/* The places a written region stands for: a name, a full path, a short
 * form, or names run together (长春市朝阳区) where each lies under the
 * one before. */
static size_t resolve(const struct mw_gazetteer *g, const char *s,
                      int32_t *out) {
  size_t len = strnlen(s, GZ_LINE_MAX + 1), n = 0;
  if (!len || len > GZ_LINE_MAX) return 0;
  const struct key *k = key_find(g, fnv(s, len), s, len);
  if (k && k->full >= 0) {
    for (int32_t i = k->full; i >= 0 && n < GZ_CAND_MAX;
         i = g->places[i].next_name)
      out[n++] = i;
  } else if (k && k->path >= 0) {
    for (int32_t i = k->path; i >= 0 && n < GZ_CAND_MAX;
         i = g->places[i].next_path)
      out[n++] = i;
  } else if (k && k->shortf >= 0) {
    struct hit_iter it;
    int32_t c;
    for (hit_begin(&it, g, k); (c = hit_next(&it)) >= 0 && n < GZ_CAND_MAX;)
      out[n++] = c;
  }
  if (n) return n;

  /* Names run together: each hit must start where the last one ended,
   * and the places of a hit must lie under one place of the hit before. */
  int32_t prev[GZ_CAND_MAX], cur[GZ_CAND_MAX];
  size_t n_prev = 0, pos = 0, expect = 0;
  bool first = true;
  const unsigned char *t = (const unsigned char *)s;
  while ((k = next_hit(g, t, len, &pos))) {
    if (pos != expect) return 0;
    size_t nc = 0;
    struct hit_iter it;
    int32_t c;
    for (hit_begin(&it, g, k); (c = hit_next(&it)) >= 0 && nc < GZ_CAND_MAX;) {
      bool ok = first;
      int depth = 0;
      for (int32_t a = g->places[c].parent; !ok && a >= 0 &&
                                             depth < GZ_DEPTH_MAX;
           a = g->places[a].parent, depth++)
        for (size_t j = 0; j < n_prev && !ok; j++) ok = prev[j] == a;
      if (ok) cur[nc++] = c;
    }
    if (!nc) return 0;
    memcpy(prev, cur, nc * sizeof cur[0]);
    n_prev = nc;
    first = false;
    pos += k->len;
    expect = pos;
  }
  if (expect != len) return 0;
  memcpy(out, prev, n_prev * sizeof prev[0]);
  return n_prev;
}

bool mw_gazetteer_within(const struct mw_gazetteer *g, const char *place,
                         const char *ancestor) {
  if (!place || !ancestor) return false;
  if (!strcmp(place, ancestor)) return true;
  if (!g || !g->n) return false;
  int32_t p[GZ_CAND_MAX], a[GZ_CAND_MAX];
  size_t np = resolve(g, place, p), na = resolve(g, ancestor, a);
  for (size_t i = 0; i < np; i++) {
    int depth = 0;
    for (int32_t x = p[i]; x >= 0 && depth < GZ_DEPTH_MAX;
         x = g->places[x].parent, depth++)
      for (size_t j = 0; j < na; j++)
        if (a[j] == x) return true;
  }
  return false;
}
