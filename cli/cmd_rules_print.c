/*
 * cmd_rules_print.c: the output of `rules diff` (cmd_rules.c): per topic
 * the counts before and after with examples, then the targets whose status
 * or count would change, as text for a terminal or as one JSON object.
 * Text from crawled pages is printed with its control bytes blanked.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd_rules.h"

static const char *const change_name[] = {"changed", "added", "removed"};

/* Text from crawled pages on one terminal line: control bytes become
 * spaces. */
static void put_clean(const char *s, FILE *out) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    fputc(c < 0x20 || c == 0x7f ? ' ' : (int)c, out);
  }
}

void mw_rules_local_day(const struct mw_config *cfg, int64_t t, char *buf,
                        size_t n) {
  struct mw_civil c;
  mw_tz_to_civil(cfg->tz, t, &c);
  snprintf(buf, n, "%04d-%02d-%02d", c.year, c.month, c.day);
}

static void print_examples(const struct mw_config *cfg, char sign,
                           const struct examples *e) {
  for (size_t i = 0; i < e->n; i++) {
    char day[16];
    mw_rules_local_day(cfg, e->v[i].when, day, sizeof day);
    printf("  %c %s ", sign, day);
    put_clean(e->v[i].outlet, stdout);
    fputs(" 《", stdout);
    put_clean(e->v[i].title, stdout);
    fputs("》 ", stdout);
    put_clean(e->v[i].url, stdout);
    fputc('\n', stdout);
  }
}

void mw_rules_print_text(const struct rules_diff *r,
                         const struct target_diff *td, size_t n_td,
                         bool any_targets) {
  for (size_t i = 0; i < r->n_topics; i++) {
    const struct topic_diff *d = &r->topics[i];
    const char *what = d->change == ADDED     ? " (added)"
                       : d->change == REMOVED ? " (removed)"
                                              : "";
    if (!d->evaluated) {
      printf("topic %s%s: not evaluated, its rule does not compile in %s\n",
             d->name, what, r->next->path);
      continue;
    }
    printf("topic %s%s: %lld → %lld (+%lld, -%lld)\n", d->name, what,
           (long long)d->before, (long long)d->after, (long long)d->added,
           (long long)d->removed);
    print_examples(r->cur, '+', &d->plus);
    print_examples(r->cur, '-', &d->minus);
  }
  if (!any_targets) return;
  puts(n_td ? "targets:" : "targets: no change");
  for (size_t i = 0; i < n_td; i++) {
    const struct target_row *b = td[i].before, *a = td[i].after;
    if (!b)
      printf("  %s (added): %s (%lld of %lld)\n", a->name,
             mw_target_status_zh(a->status), (long long)a->count,
             (long long)a->min);
    else if (!a)
      printf("  %s (removed): %s (%lld of %lld)\n", b->name,
             mw_target_status_zh(b->status), (long long)b->count,
             (long long)b->min);
    else if (b->status != a->status)
      printf("  %s: %s → %s (%lld → %lld of %lld)\n", a->name,
             mw_target_status_zh(b->status), mw_target_status_zh(a->status),
             (long long)b->count, (long long)a->count, (long long)a->min);
    else
      printf("  %s: %s (%lld → %lld of %lld)\n", a->name,
             mw_target_status_zh(a->status), (long long)b->count,
             (long long)a->count, (long long)a->min);
  }
}

static json_t *examples_json(const struct mw_config *cfg,
                             const struct examples *e) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < e->n; i++) {
    char day[16];
    mw_rules_local_day(cfg, e->v[i].when, day, sizeof day);
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "date", day,
                                         "outlet", e->v[i].outlet, "title",
                                         e->v[i].title, "url", e->v[i].url));
  }
  return arr;
}

static json_t *target_json(const struct target_row *t) {
  if (!t) return json_null();
  return json_pack("{s:I, s:I, s:s, s:s}", "count", (json_int_t)t->count, "min",
                   (json_int_t)t->min, "status",
                   mw_target_status_name(t->status), "status_zh",
                   mw_target_status_zh(t->status));
}

int mw_rules_print_json(const struct rules_diff *r, const char *db,
                        const struct target_diff *td, size_t n_td) {
  json_t *topics = json_array(), *targets = json_array();
  for (size_t i = 0; topics && i < r->n_topics; i++) {
    const struct topic_diff *d = &r->topics[i];
    json_t *o = json_pack("{s:s, s:s, s:b}", "name", d->name, "change",
                          change_name[d->change], "evaluated", d->evaluated);
    if (o && d->evaluated)
      json_object_update_new(
          o, json_pack("{s:I, s:I, s:I, s:I, s:o, s:o}", "before",
                       (json_int_t)d->before, "after", (json_int_t)d->after,
                       "added", (json_int_t)d->added, "removed",
                       (json_int_t)d->removed, "examples_added",
                       examples_json(r->cur, &d->plus), "examples_removed",
                       examples_json(r->cur, &d->minus)));
    json_array_append_new(topics, o);
  }
  for (size_t i = 0; targets && i < n_td; i++) {
    const struct target_row *b = td[i].before, *a = td[i].after;
    const char *change = !b                       ? "added"
                         : !a                     ? "removed"
                         : b->status != a->status ? "status"
                                                  : "count";
    json_array_append_new(
        targets, json_pack("{s:s, s:s, s:o, s:o}", "name",
                           a ? a->name : b->name, "change", change, "before",
                           target_json(b), "after", target_json(a)));
  }
  json_t *root =
      json_pack("{s:s, s:s, s:s, s:I, s:o, s:o}", "current", r->cur->path,
                "new", r->next->path, "database", db, "articles",
                (json_int_t)r->articles, "topics", topics, "targets", targets);
  char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
  json_decref(root);
  if (!text) return MW_ENOMEM;
  puts(text);
  free(text);
  return MW_OK;
}
