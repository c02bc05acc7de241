/*
 * keywords.c: the first matcher: each topic is a list of keywords, and a
 * topic matches when any keyword occurs in the normalised title or body.
 * A plain substring search per keyword is enough for the handful of topics
 * an office keeps; the rule-language issue replaces the engine behind the
 * same interface with one multi-pattern scan.
 */
#include <stdlib.h>
#include <string.h>

#include "matchers/matchers.h"

#define DOC_FIELD_MAX (8u << 20)

struct keyword {
  char *norm;   /* normalised form, what is searched */
  size_t len;
  char *shown;  /* as written in the config, what is reported */
};

struct topic {
  char *name;
  struct keyword *kw;
  size_t n_kw;
};

struct mw_matcher {
  struct topic *topics;
  size_t n_topics;
};

void mw_matcher_free(struct mw_matcher *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n_topics; i++) {
    struct topic *t = &m->topics[i];
    for (size_t k = 0; k < t->n_kw; k++) {
      free(t->kw[k].norm);
      free(t->kw[k].shown);
    }
    free(t->kw);
    free(t->name);
  }
  free(m->topics);
  free(m);
}

static int compile_topic(struct topic *t, const struct mw_topic_conf *conf,
                         struct mw_err *err) {
  t->name = mw_strdup(conf->name);
  t->kw = calloc(conf->n_keywords ? conf->n_keywords : 1, sizeof *t->kw);
  if (!t->name || !t->kw) return mw_err_set(err, MW_ENOMEM, "out of memory");
  for (size_t k = 0; k < conf->n_keywords; k++) {
    struct mw_buf b;
    mw_buf_init(&b, 4096);
    const char *raw = conf->keywords[k];
    int rc = mw_text_normalize(raw, strlen(raw), &b);
    if (rc) {
      mw_buf_cleanup(&b);
      return mw_err_set(err, rc, "line %d: topic '%s': keyword '%s': %s",
                        conf->line, conf->name, raw, mw_strerror(rc));
    }
    if (b.len == 0) {
      mw_buf_cleanup(&b);
      continue; /* an empty keyword would match everything */
    }
    struct keyword *kw = &t->kw[t->n_kw];
    kw->len = b.len;
    kw->norm = mw_buf_steal(&b);
    kw->shown = mw_strdup(raw);
    t->n_kw++;
    if (!kw->norm || !kw->shown)
      return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  if (t->n_kw == 0)
    return mw_err_set(err, MW_EINVAL,
                      "line %d: topic '%s' has no usable keyword", conf->line,
                      conf->name);
  return MW_OK;
}

int mw_matcher_new(const struct mw_topic_conf *topics, size_t n_topics,
                   struct mw_matcher **out, struct mw_err *err) {
  struct mw_matcher *m = calloc(1, sizeof *m);
  if (!m) return mw_err_set(err, MW_ENOMEM, "out of memory");
  m->topics = calloc(n_topics ? n_topics : 1, sizeof *m->topics);
  if (!m->topics) {
    free(m);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n_topics; i++) {
    m->n_topics = i + 1;
    int rc = compile_topic(&m->topics[i], &topics[i], err);
    if (rc) {
      mw_matcher_free(m);
      return rc;
    }
  }
  *out = m;
  return MW_OK;
}

size_t mw_matcher_topic_count(const struct mw_matcher *m) {
  return m->n_topics;
}

const char *mw_matcher_topic_name(const struct mw_matcher *m, size_t topic) {
  return topic < m->n_topics ? m->topics[topic].name : NULL;
}

static void add_term(struct mw_topic_result *r, const char *term) {
  size_t used = strlen(r->terms);
  size_t need = strlen(term) + (used ? 1 : 0);
  if (used + need >= sizeof r->terms) return; /* whole terms or none */
  if (used) r->terms[used++] = ',';
  memcpy(r->terms + used, term, strlen(term) + 1);
}

int mw_matcher_match(const struct mw_matcher *m, const struct mw_doc *doc,
                     struct mw_topic_result *results, struct mw_err *err) {
  struct mw_buf title, body;
  mw_buf_init(&title, DOC_FIELD_MAX);
  mw_buf_init(&body, DOC_FIELD_MAX);
  int rc = mw_text_normalize(doc->title.p, doc->title.len, &title);
  if (!rc) rc = mw_text_normalize(doc->body.p, doc->body.len, &body);
  if (rc) {
    mw_buf_cleanup(&title);
    mw_buf_cleanup(&body);
    return mw_err_set(err, rc, "normalising the document: %s", mw_strerror(rc));
  }
  int matched = 0;
  for (size_t i = 0; i < m->n_topics; i++) {
    const struct topic *t = &m->topics[i];
    struct mw_topic_result *r = &results[i];
    r->matched = false;
    r->terms[0] = '\0';
    for (size_t k = 0; k < t->n_kw; k++) {
      const struct keyword *kw = &t->kw[k];
      if ((title.len && memmem(title.data, title.len, kw->norm, kw->len)) ||
          (body.len && memmem(body.data, body.len, kw->norm, kw->len))) {
        r->matched = true;
        add_term(r, kw->shown);
      }
    }
    matched += r->matched;
  }
  mw_buf_cleanup(&title);
  mw_buf_cleanup(&body);
  return matched;
}
