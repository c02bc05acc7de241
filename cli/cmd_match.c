/*
 * cmd_match.c: `mediawatch match`: the tool rule authors and on-duty staff
 * tune with. Reads documents from files or standard input and shows which
 * topics match and why, term by term with offsets and a snippet, and the
 * sensitivity score with its suggested level and explanation; as text or
 * as one JSON object per document.
 *
 * What it leaves to others: compiling and matching (matchers/), level
 * names (alerts/). Nothing touches the database: rematching stored
 * articles is `rematch`.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alerts/alerts.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "matchers/matchers.h"

#define DOC_MAX (256u << 20)

static const char match_help[] =
    "usage: mediawatch match [--config FILE] [--rule RULE] [--explain]\n"
    "                        [--lines] [--source-kind KIND] [--json] [FILE...]\n\n"
    "Matches documents against the config's topics and scores how sensitive\n"
    "they are, showing why: the terms found with their offsets (bytes of the\n"
    "original text), a snippet, and the score term by term. Documents come\n"
    "from the FILEs, or standard input when there is none. A file is one\n"
    "document: its first line is the title when more lines follow.\n\n"
    "  -c, --config FILE       config file (default mediawatch.yaml)\n"
    "  -r, --rule RULE         also try RULE as a topic named 'rule'; with no\n"
    "                          config file, only RULE (and no scoring)\n"
    "  -e, --explain           show every topic's rule part by part, with\n"
    "                          each part's verdict, matched or not\n"
    "  -l, --lines             each line is a document: TITLE<TAB>BODY, or\n"
    "                          a body alone\n"
    "  -k, --source-kind KIND  press, portal, social, complaint or unknown:\n"
    "                          weights the score (default unknown)\n"
    "  -j, --json              one JSON object per document\n";

struct opts {
  bool explain, lines, json, color;
  int kind;
};

/* ------------------------------------------------------------- output */

static void put_marked(FILE *out, const struct mw_topic_report *t, bool color) {
  const char *open = color ? "\033[1;31m" : "【";
  const char *close = color ? "\033[0m" : "】";
  size_t at = 0, len = strlen(t->snippet);
  for (size_t i = 0; i < t->n_marks; i++) {
    const struct mw_mark *k = &t->marks[i];
    if (k->start < at || k->end > len) continue; /* overlapping: skip */
    fwrite(t->snippet + at, 1, k->start - at, out);
    fputs(open, out);
    fwrite(t->snippet + k->start, 1, k->end - k->start, out);
    fputs(close, out);
    at = k->end;
  }
  fputs(t->snippet + at, out);
}

static int cmp_mark(const void *a, const void *b) {
  const struct mw_mark *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

static void sort_marks(struct mw_match_report *r) {
  for (size_t i = 0; i < r->n_topics; i++)
    if (r->topics[i].n_marks > 1)
      qsort(r->topics[i].marks, r->topics[i].n_marks,
            sizeof *r->topics[i].marks, cmp_mark);
}

static const char *level_label(int level) {
  return level ? mw_alert_level_label_zh((enum mw_alert_level)level) : "无";
}

static void print_indented(FILE *out, const char *text, const char *indent) {
  const char *p = text;
  while (p && *p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    fprintf(out, "%s%.*s\n", indent, (int)n, p);
    p = nl ? nl + 1 : NULL;
  }
}

static void print_text(FILE *out, const char *name, const struct mw_doc *d,
                       const struct mw_matcher *m,
                       const struct mw_match_report *r, const struct opts *o) {
  fprintf(out, "== %s", name);
  if (d->title.len)
    fprintf(out, ": %.*s", (int)(d->title.len > 240 ? 240 : d->title.len),
            d->title.p);
  fprintf(out, "\ntopics: %d of %zu matched\n", r->matched, r->n_topics);
  for (size_t i = 0; i < r->n_topics; i++) {
    const struct mw_topic_report *t = &r->topics[i];
    if (!t->valid) {
      if (o->explain) fprintf(out, "  %s: not compiled (see config check)\n",
                              t->name);
      continue;
    }
    if (!t->matched && !o->explain) continue;
    fprintf(out, "  %s %s:", t->matched ? "+" : "-", t->name);
    size_t shown = 0;
    for (size_t k = 0; k < t->n_hits; k++) {
      const struct mw_hit *h = &t->hits[k];
      fprintf(out, "%s %s%s %s %zu-%zu", shown++ ? "," : "",
              h->negative ? "NOT " : "", h->term, mw_field_name(h->field),
              h->start, h->end);
    }
    if (!shown) fputs(" nothing found", out);
    fputc('\n', out);
    if (t->snippet && (t->matched || o->explain)) {
      fprintf(out, "      %s: ", mw_field_name(t->snippet_field));
      put_marked(out, t, o->color);
      fputc('\n', out);
    }
    if (o->explain) {
      struct mw_buf b;
      mw_buf_init(&b, 1u << 20);
      if (mw_matcher_topic_expr(m, i, &b) == MW_OK)
        fprintf(out, "      compiled: %s\n", b.data);
      mw_buf_cleanup(&b);
      print_indented(out, t->why, "      ");
    }
  }
  if (!r->scored) {
    fputs("sensitivity: not scored (no lexicon: set sensitivity.lexicon in "
          "the config)\n",
          out);
    return;
  }
  fprintf(out, "sensitivity: %g, level %d %s\n", r->score, r->level,
          level_label(r->level));
  print_indented(out, r->explanation, "  ");
}

static json_t *topic_json(const struct mw_matcher *m, size_t i,
                          const struct mw_topic_report *t, bool explain) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(t->name));
  json_object_set_new(o, "matched", json_boolean(t->matched));
  if (!t->valid) json_object_set_new(o, "error", json_true());
  json_t *hits = json_array();
  for (size_t k = 0; k < t->n_hits; k++) {
    const struct mw_hit *h = &t->hits[k];
    json_t *x = json_object();
    json_object_set_new(x, "term", json_string(h->term));
    json_object_set_new(x, "field", json_string(mw_field_name(h->field)));
    json_object_set_new(x, "start", json_integer((json_int_t)h->start));
    json_object_set_new(x, "end", json_integer((json_int_t)h->end));
    json_object_set_new(x, "negative", json_boolean(h->negative));
    json_array_append_new(hits, x);
  }
  json_object_set_new(o, "terms", hits);
  if (t->snippet) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
      put_marked(f, t, false);
      fclose(f);
      json_object_set_new(o, "snippet", json_string(buf));
      json_object_set_new(o, "snippet_field",
                          json_string(mw_field_name(t->snippet_field)));
    }
    free(buf);
  }
  if (explain && t->valid) {
    struct mw_buf b;
    mw_buf_init(&b, 1u << 20);
    if (mw_matcher_topic_expr(m, i, &b) == MW_OK)
      json_object_set_new(o, "compiled", json_string(b.data));
    mw_buf_cleanup(&b);
    json_object_set_new(o, "why", json_string(t->why));
  }
  return o;
}

static void print_json(FILE *out, const char *name, long line,
                       const struct mw_doc *d, const struct mw_matcher *m,
                       const struct mw_match_report *r, const struct opts *o) {
  json_t *doc = json_object();
  json_object_set_new(doc, "document", json_string(name));
  if (line) json_object_set_new(doc, "line", json_integer(line));
  json_object_set_new(doc, "title", json_stringn(d->title.p ? d->title.p : "",
                                                 d->title.len));
  json_t *names = json_array(), *topics = json_array();
  for (size_t i = 0; i < r->n_topics; i++) {
    const struct mw_topic_report *t = &r->topics[i];
    if (t->matched) json_array_append_new(names, json_string(t->name));
    if (t->matched || o->explain)
      json_array_append_new(topics, topic_json(m, i, t, o->explain));
  }
  json_object_set_new(doc, "matched", names);
  json_object_set_new(doc, "topics", topics);
  if (r->scored) {
    json_t *s = json_object();
    json_object_set_new(s, "score", json_real(r->score));
    json_object_set_new(s, "level", json_integer(r->level));
    json_object_set_new(s, "level_name", json_string(level_label(r->level)));
    json_object_set_new(s, "kind", json_string(mw_doc_kind_name(r->kind)));
    json_object_set_new(s, "kind_factor", json_real(r->kind_factor));
    json_t *terms = json_array();
    for (size_t k = 0; k < r->n_terms; k++) {
      const struct mw_score_term *t = &r->terms[k];
      json_t *x = json_object();
      json_object_set_new(x, "term", json_string(t->term));
      json_object_set_new(x, "category", json_string(t->category));
      json_object_set_new(x, "weight", json_real(t->weight));
      json_object_set_new(x, "field", json_string(mw_field_name(t->field)));
      json_object_set_new(x, "start", json_integer((json_int_t)t->start));
      json_object_set_new(x, "end", json_integer((json_int_t)t->end));
      json_object_set_new(x, "in_title", json_boolean(t->in_title));
      json_object_set_new(x, "negated_by",
                          t->cue ? json_string(t->cue) : json_null());
      json_object_set_new(x, "factor", json_real(t->factor));
      json_object_set_new(x, "points", json_real(t->points));
      json_array_append_new(terms, x);
    }
    json_object_set_new(s, "terms", terms);
    json_object_set_new(s, "explanation", json_string(r->explanation));
    json_object_set_new(doc, "sensitivity", s);
  }
  char *text = json_dumps(doc, JSON_COMPACT);
  if (text) fprintf(out, "%s\n", text);
  free(text);
  json_decref(doc);
}

/* ------------------------------------------------------------ reading */

static int read_all(FILE *f, struct mw_buf *b) {
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    int rc = mw_buf_append(b, chunk, n);
    if (rc) return rc;
  }
  return ferror(f) ? MW_EIO : MW_OK;
}

static int one(const struct mw_matcher *m, const struct opts *o,
               const char *name, long line, struct mw_doc *d) {
  struct mw_err err = {0};
  struct mw_match_report *r = NULL;
  d->kind = o->kind;
  if (mw_matcher_explain(m, d, &r, &err)) {
    mw_cli_error("%s: %s", name, err.msg);
    return MW_EXIT_FAIL;
  }
  sort_marks(r);
  if (o->json) {
    print_json(stdout, name, line, d, m, r, o);
  } else {
    char label[1100];
    if (line) snprintf(label, sizeof label, "%s:%ld", name, line);
    else snprintf(label, sizeof label, "%s", name);
    print_text(stdout, label, d, m, r, o);
  }
  mw_match_report_free(r);
  return MW_EXIT_OK;
}

static void trim_cr(const char **p, size_t *n) {
  while (*n && ((*p)[*n - 1] == '\r' || (*p)[*n - 1] == '\n')) (*n)--;
}

static int run_text(const struct mw_matcher *m, const struct opts *o,
                    const char *name, const char *text, size_t len) {
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) { /* a BOM */
    text += 3;
    len -= 3;
  }
  int status = MW_EXIT_OK;
  if (!o->lines) {
    struct mw_doc d = {.body = {text, len}};
    const char *nl = memchr(text, '\n', len);
    if (nl && nl + 1 < text + len) {
      size_t tl = (size_t)(nl - text);
      const char *tp = text;
      trim_cr(&tp, &tl);
      d.title = (struct mw_str){tp, tl};
      d.body = (struct mw_str){nl + 1, len - (size_t)(nl + 1 - text)};
    }
    return one(m, o, name, 0, &d);
  }
  long no = 0;
  for (size_t i = 0; i < len;) {
    const char *s = text + i;
    const char *nl = memchr(s, '\n', len - i);
    size_t n = nl ? (size_t)(nl - s) : len - i;
    i += n + 1;
    no++;
    trim_cr(&s, &n);
    if (!n) continue;
    struct mw_doc d = {.body = {s, n}};
    const char *tab = memchr(s, '\t', n);
    if (tab) {
      d.title = (struct mw_str){s, (size_t)(tab - s)};
      d.body = (struct mw_str){tab + 1, n - (size_t)(tab + 1 - s)};
    }
    int rc = one(m, o, name, no, &d);
    if (rc) status = rc;
  }
  return status;
}

/* ------------------------------------------------------------ the rest */

static void warn_errors(const struct mw_config *cfg,
                        const struct mw_matcher *m) {
  for (size_t i = 0; i < mw_matcher_error_count(m); i++) {
    const struct mw_rule_error *e = mw_matcher_error(m, i);
    if (cfg && e->conf_line)
      fprintf(stderr, "mediawatch: warning: %s:%d: %s\n", cfg->path,
              e->conf_line, e->message);
    else
      fprintf(stderr, "mediawatch: warning: %s\n", e->message);
    if (*e->excerpt)
      fprintf(stderr, "    %s\n    %s\n", e->excerpt, e->caret);
  }
  if (mw_matcher_error_count(m))
    fputs("mediawatch: warning: those topics never match until fixed\n",
          stderr);
}

static int build(const char *path, bool path_given, const char *rule,
                 struct mw_config **cfg, struct mw_matcher **m) {
  struct mw_err err = {0};
  bool use_cfg = path_given || !rule || access(path, F_OK) == 0;
  if (use_cfg && mw_config_load(path, cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  struct mw_config none = {0};
  struct mw_config view = *cfg ? **cfg : none;
  struct mw_topic_conf *topics = NULL;
  if (rule) {
    topics = calloc(view.n_topics + 1, sizeof *topics);
    if (!topics) {
      mw_cli_error("out of memory");
      return MW_EXIT_FAIL;
    }
    if (view.n_topics) memcpy(topics, view.topics, view.n_topics * sizeof *topics);
    topics[view.n_topics] = (struct mw_topic_conf){
        .name = "rule", .rule = (char *)rule, .line = 0};
    view.topics = topics;
    view.n_topics++;
  }
  int rc = mw_matcher_new_config(&view, m, &err);
  free(topics);
  if (rc) {
    mw_cli_error("%s%s%s", *cfg ? (*cfg)->path : "", *cfg ? ": " : "",
                 err.msg);
    return MW_EXIT_USAGE;
  }
  warn_errors(*cfg, *m);
  return MW_EXIT_OK;
}

int mw_cmd_match(int argc, char **argv) {
  static const struct option longopts[] = {
      {"config", required_argument, NULL, 'c'},
      {"rule", required_argument, NULL, 'r'},
      {"explain", no_argument, NULL, 'e'},
      {"lines", no_argument, NULL, 'l'},
      {"source-kind", required_argument, NULL, 'k'},
      {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *path = MW_DEFAULT_CONFIG, *rule = NULL;
  bool path_given = false;
  struct opts o = {.color = isatty(STDOUT_FILENO)};
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:r:elk:jh", longopts, NULL)) != -1) {
    switch (c) {
      case 'c': path = optarg; path_given = true; break;
      case 'r': rule = optarg; break;
      case 'e': o.explain = true; break;
      case 'l': o.lines = true; break;
      case 'j': o.json = true; break;
      case 'k':
        if (mw_doc_kind_parse(optarg, &o.kind)) {
          mw_cli_error("--source-kind must be press, portal, social, "
                       "complaint or unknown, not '%s'", optarg);
          return MW_EXIT_USAGE;
        }
        break;
      case 'h': fputs(match_help, stdout); return MW_EXIT_OK;
      default: fputs(match_help, stderr); return MW_EXIT_USAGE;
    }
  }
  struct mw_config *cfg = NULL;
  struct mw_matcher *m = NULL;
  int status = build(path, path_given, rule, &cfg, &m);
  if (status) {
    mw_config_free(cfg);
    return status;
  }
  struct mw_buf b;
  mw_buf_init(&b, DOC_MAX);
  if (optind == argc) {
    int rc = read_all(stdin, &b);
    if (rc) {
      mw_cli_error("standard input: %s", rc == MW_ETOOBIG
                                             ? "larger than 256 MB"
                                             : "cannot read");
      status = MW_EXIT_FAIL;
    } else {
      status = run_text(m, &o, "-", b.data ? b.data : "", b.len);
    }
  }
  for (int i = optind; i < argc; i++) {
    mw_buf_reset(&b);
    FILE *f = fopen(argv[i], "rb");
    int rc = f ? read_all(f, &b) : MW_EIO;
    if (f) fclose(f);
    if (rc) {
      mw_cli_error("%s: %s", argv[i], rc == MW_ETOOBIG ? "larger than 256 MB"
                                                       : "cannot read");
      status = MW_EXIT_FAIL;
      continue;
    }
    int st = run_text(m, &o, argv[i], b.data ? b.data : "", b.len);
    if (st) status = st;
  }
  fflush(stdout);
  mw_buf_cleanup(&b);
  mw_matcher_free(m);
  mw_config_free(cfg);
  return status;
}
