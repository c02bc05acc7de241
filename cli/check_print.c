/*
 * check_print.c: the output of `mediawatch sources check`, one printer per
 * kind of document. Text shows the first 200 characters of long fields;
 * JSON carries every field whole.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/check.h"

static void iso_or_dash(int64_t t, char *buf, size_t n) {
  if (t == MW_TIME_UNKNOWN) snprintf(buf, n, "-");
  else mw_time_format_iso_utc(t, buf, n);
}

/* Prints at most max_chars UTF-8 characters of s, newlines as spaces. */
static void print_prefix(const char *s, size_t max_chars) {
  if (!s) {
    fputs("-", stdout);
    return;
  }
  size_t chars = 0, i = 0;
  while (s[i] && chars < max_chars) {
    size_t len = 1;
    unsigned char c = (unsigned char)s[i];
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    for (size_t k = 1; k < len; k++)
      if (!s[i + k]) len = k;
    if (c == '\n' || c == '\r' || c == '\t') fputc(' ', stdout);
    else fwrite(s + i, 1, len, stdout);
    i += len;
    chars++;
  }
  if (s[i]) fputs("…", stdout);
}

static const char *or_dash(const char *s) { return s ? s : "-"; }

static json_t *str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t t) {
  if (t == MW_TIME_UNKNOWN) return json_null();
  char buf[32];
  mw_time_format_iso_utc(t, buf, sizeof buf);
  return json_string(buf);
}

static void print_timing_text(const struct mw_check_timing *t) {
  printf("timing:   fetch %.1f ms, processing %.2f ms CPU\n", t->fetch_ms,
         t->process_ms);
}

static json_t *timing_json(const struct mw_check_timing *t) {
  json_t *o = json_object();
  json_object_set_new(o, "fetch_ms", json_real(t->fetch_ms));
  json_object_set_new(o, "process_ms", json_real(t->process_ms));
  return o;
}

static json_t *charset_json(const struct mw_charset_guess *g) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(g->name));
  json_object_set_new(o, "why", str_or_null(g->why));
  return o;
}

static void dump(json_t *root) {
  json_dumpf(root, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(root);
}

static json_t *root_for(const char *kind, const char *source,
                        const struct mw_check_timing *t) {
  json_t *root = json_object();
  json_object_set_new(root, "source", json_string(source));
  json_object_set_new(root, "kind", json_string(kind));
  json_object_set_new(root, "timing", timing_json(t));
  return root;
}

/* ------------------------------------------------------------------ feeds */

void mw_check_print_feed(const struct mw_feed *feed, const char *source,
                         const struct mw_check_timing *t, bool as_json) {
  if (as_json) {
    json_t *root = root_for("feed", source, t);
    json_object_set_new(root, "format",
                        json_string(mw_feed_format_name(feed->format)));
    json_object_set_new(root, "encoding", str_or_null(feed->encoding));
    json_object_set_new(root, "well_formed", json_boolean(!feed->recovered));
    json_object_set_new(root, "title", str_or_null(feed->title));
    json_object_set_new(root, "link", str_or_null(feed->link));
    json_t *problems = json_array();
    for (size_t i = 0; i < feed->n_problems; i++)
      json_array_append_new(problems, json_string(feed->problems[i]));
    json_object_set_new(root, "problems", problems);
    json_t *entries = json_array();
    for (size_t i = 0; i < feed->n_entries; i++) {
      const struct mw_feed_entry *e = &feed->entries[i];
      json_t *o = json_object();
      json_object_set_new(o, "title", str_or_null(e->title));
      json_object_set_new(o, "link", str_or_null(e->link));
      json_object_set_new(o, "id", str_or_null(e->id));
      json_object_set_new(o, "published", time_or_null(e->published));
      json_object_set_new(o, "updated", time_or_null(e->updated));
      json_object_set_new(o, "author", str_or_null(e->author));
      json_object_set_new(o, "text", str_or_null(e->text));
      json_array_append_new(entries, o);
    }
    json_object_set_new(root, "entries", entries);
    dump(root);
    return;
  }
  printf("format:   %s\n", mw_feed_format_name(feed->format));
  printf("encoding: %s\n", or_dash(feed->encoding));
  printf("document: %s\n", feed->recovered ? "not well-formed, recovered"
                                           : "well-formed");
  printf("title:    %s\n", or_dash(feed->title));
  printf("link:     %s\n", or_dash(feed->link));
  printf("entries:  %zu\n", feed->n_entries);
  print_timing_text(t);
  for (size_t i = 0; i < feed->n_problems; i++)
    printf("problem:  %s\n", feed->problems[i]);
  for (size_t i = 0; i < feed->n_entries; i++) {
    const struct mw_feed_entry *e = &feed->entries[i];
    char pub[32], upd[32];
    iso_or_dash(e->published, pub, sizeof pub);
    iso_or_dash(e->updated, upd, sizeof upd);
    printf("\n[%zu] %s\n", i + 1, e->title ? e->title : "(no title)");
    printf("    link:      %s\n", or_dash(e->link));
    printf("    id:        %s\n", or_dash(e->id));
    printf("    published: %s\n    updated:   %s\n", pub, upd);
    printf("    author:    %s\n", or_dash(e->author));
    fputs("    text:      ", stdout);
    print_prefix(e->text, 200);
    fputc('\n', stdout);
  }
}

/* --------------------------------------------------------------- listings */

static const char *link_kind(enum mw_link_kind k) {
  switch (k) {
    case MW_LINK_ARTICLE: return "article";
    case MW_LINK_NEXT_PAGE: return "next-page";
    default: return "attachment";
  }
}

void mw_check_print_listing(const struct mw_listing *l, const char *source,
                            const struct mw_check_timing *t, bool as_json) {
  if (as_json) {
    json_t *root = root_for("html", source, t);
    json_object_set_new(root, "charset", charset_json(&l->charset));
    json_object_set_new(root, "how", str_or_null(l->how));
    json_t *links = json_array();
    for (size_t i = 0; i < l->n_links; i++) {
      const struct mw_link *k = &l->links[i];
      json_t *o = json_object();
      json_object_set_new(o, "kind", json_string(link_kind(k->kind)));
      json_object_set_new(o, "url", json_string(k->url));
      json_object_set_new(o, "text", str_or_null(k->text));
      json_object_set_new(o, "date", time_or_null(k->date));
      json_array_append_new(links, o);
    }
    json_object_set_new(root, "links", links);
    dump(root);
    return;
  }
  printf("kind:     html listing\n");
  printf("charset:  %s (%s)\n", l->charset.name, or_dash(l->charset.why));
  printf("found by: %s\n", or_dash(l->how));
  printf("links:    %zu articles, %zu next pages, %zu attachments\n",
         l->n_articles, l->n_next_pages, l->n_attachments);
  print_timing_text(t);
  for (size_t i = 0; i < l->n_links; i++) {
    const struct mw_link *k = &l->links[i];
    char date[32];
    iso_or_dash(k->date, date, sizeof date);
    printf("  %-10s %s  %s", link_kind(k->kind), date, k->url);
    if (k->text && *k->text) {
      fputs("  ", stdout);
      print_prefix(k->text, 60);
    }
    fputc('\n', stdout);
  }
}

/* --------------------------------------------------------------- articles */

void mw_check_print_article(const struct mw_extracted *x, const char *source,
                            const struct mw_check_timing *t, bool as_json) {
  if (as_json) {
    json_t *root = root_for("article", source, t);
    json_object_set_new(root, "charset", charset_json(&x->charset));
    json_object_set_new(root, "replaced_chars",
                        json_integer((json_int_t)x->replaced_chars));
    json_object_set_new(root, "title", str_or_null(x->title));
    json_object_set_new(root, "published", time_or_null(x->published));
    json_object_set_new(root, "origin", str_or_null(x->origin));
    json_object_set_new(root, "author", str_or_null(x->author));
    json_object_set_new(root, "editor", str_or_null(x->editor));
    json_object_set_new(root, "body", str_or_null(x->body));
    json_object_set_new(root, "body_chars", json_integer((json_int_t)x->body_chars));
    json_t *from = json_object();
    json_object_set_new(from, "title", str_or_null(x->title_from));
    json_object_set_new(from, "published", str_or_null(x->time_from));
    json_object_set_new(from, "origin", str_or_null(x->origin_from));
    json_object_set_new(from, "body", str_or_null(x->body_from));
    json_object_set_new(root, "found_by", from);
    dump(root);
    return;
  }
  char pub[32];
  iso_or_dash(x->published, pub, sizeof pub);
  printf("kind:      article\n");
  printf("charset:   %s (%s)%s\n", x->charset.name, or_dash(x->charset.why),
         x->replaced_chars ? ", with undecodable bytes" : "");
  printf("title:     %s   [%s]\n", or_dash(x->title), or_dash(x->title_from));
  printf("published: %s   [%s]\n", pub, or_dash(x->time_from));
  printf("来源:      %s   [%s]\n", or_dash(x->origin), or_dash(x->origin_from));
  printf("author:    %s\n", or_dash(x->author));
  printf("editor:    %s\n", or_dash(x->editor));
  printf("body:      %zu characters   [%s]\n           ", x->body_chars,
         or_dash(x->body_from));
  print_prefix(x->body, 200);
  fputc('\n', stdout);
  print_timing_text(t);
}

/* --------------------------------------------------------------- sitemaps */

void mw_check_print_sitemap(const struct mw_sitemap *sm, const char *source,
                            const struct mw_check_timing *t, bool as_json) {
  if (as_json) {
    json_t *root = root_for("sitemap", source, t);
    json_object_set_new(root, "is_index", json_boolean(sm->is_index));
    json_t *entries = json_array();
    for (size_t i = 0; i < sm->n_entries; i++) {
      const struct mw_sitemap_entry *e = &sm->entries[i];
      json_t *o = json_object();
      json_object_set_new(o, "loc", json_string(e->loc));
      json_object_set_new(o, "lastmod", time_or_null(e->lastmod));
      json_object_set_new(o, "title", str_or_null(e->title));
      json_object_set_new(o, "published", time_or_null(e->published));
      json_array_append_new(entries, o);
    }
    json_object_set_new(root, "entries", entries);
    dump(root);
    return;
  }
  printf("kind:     %s\n", sm->is_index ? "sitemap index" : "sitemap");
  printf("entries:  %zu\n", sm->n_entries);
  print_timing_text(t);
  for (size_t i = 0; i < sm->n_entries; i++) {
    const struct mw_sitemap_entry *e = &sm->entries[i];
    char when[32];
    iso_or_dash(e->published != MW_TIME_UNKNOWN ? e->published : e->lastmod,
                when, sizeof when);
    printf("  %s  %s", when, e->loc);
    if (e->title) {
      fputs("  ", stdout);
      print_prefix(e->title, 60);
    }
    fputc('\n', stdout);
  }
}
