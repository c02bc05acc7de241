/*
 * feed_internal.h: what the feed parser's files share, private to crawler/.
 *
 * feed.c drives libxml2's SAX2 push parser (passes, restarts, problems);
 * feed_sax.c is the state machine on its events; feed_entry.c turns
 * captured text into entry fields; feed_text.c reduces markup and entities
 * to plain text; feed_charset.c decides the encoding and hands over UTF-8;
 * feed_repair.c escapes bare '&' and '<' and finds where to resume after
 * libxml2 gives up. opml.c shares the libxml2 initialisation. Nothing here
 * is part of the crawler's public contract (crawler.h).
 */
#ifndef MW_FEED_INTERNAL_H
#define MW_FEED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "common/common.h"
#include "crawler/crawler.h"

/* ---------------------------------------------------------- feed_text.c */

/* Flags of mw_feedtext_reduce. */
enum {
  MW_TEXT_HTML = 1,     /* the input is HTML source: strip tags, decode
                           entities, drop <script>/<style>, block tags
                           become line breaks */
  MW_TEXT_ONE_LINE = 2, /* line breaks become spaces (titles) */
};

/* The byte feed.c puts in captured text where a child element of a field
 * (inline XHTML, raw markup in RSS) starts or ends a block: it can never
 * come from a parsed XML document, and mw_feedtext_reduce turns it into a
 * line break. */
#define MW_TEXT_BREAK '\x01'

/* Reduces in[0..n) to plain UTF-8 text in out, which must hold n + 1
 * bytes (the result is never longer than the input). Whitespace runs become
 * one space (NBSP included), breaks one newline, and both ends are trimmed.
 * Returns the length written; out is NUL-terminated. */
size_t mw_feedtext_reduce(const char *in, size_t n, unsigned flags, char *out);

/* True when RSS text (which does not say whether it is HTML) holds
 * markup: a closing tag, a known HTML start tag, or an entity reference.
 * The guess feed readers have always made. */
bool mw_feedtext_looks_like_html(const char *s, size_t n);

/* UTF-8 of the HTML named entity name[0..n) (without '&' and ';') into
 * out; returns the byte count, 0 when the name is unknown. */
size_t mw_feedtext_entity(const char *name, size_t n, char out[4]);

/* True for tags after which text continues on a new line ("p", "br",
 * "div", "li", "h1" ...), and for <script>/<style>, whose content is not
 * text; name[0..n) is compared ignoring ASCII case. */
bool mw_feedtext_is_block(const char *name, size_t n);
bool mw_feedtext_is_hidden(const char *name, size_t n);

/* The longest prefix of s[0..n) that does not end inside a UTF-8
 * character: where to cut text that is shown shortened. */
size_t mw_feedtext_utf8_cut(const char *s, size_t n);

/* Makes s (NUL-terminated) one line of valid UTF-8 in place: bytes that
 * are not UTF-8 dropped, control characters as single spaces, trailing
 * spaces trimmed. Returns the new length. For libxml2's messages, which
 * quote the document cut anywhere. */
size_t mw_feedtext_clean_line(char *s);

/* Trims ASCII whitespace from both ends of s[0..*n), returning the new
 * start and updating *n. */
const char *mw_feedtext_trim(const char *s, size_t *n);

/* ------------------------------------------------------- feed_charset.c */

/* The feed's bytes as UTF-8, ready for libxml2 with XML_PARSE_IGNORE_ENC. */
struct mw_feed_input {
  const char *p; /* UTF-8 bytes to parse (no BOM) */
  size_t len;
  char *owned;       /* malloc'd when the bytes were converted or repaired */
  char encoding[32]; /* what they were decoded from: "UTF-8", "GB18030" */
  char note[200];    /* a repair or fallback worth a problem line, or "" */
};

/* Picks the encoding (BOM, then http_charset, then the XML declaration,
 * else UTF-8; GB2312/GBK read as GB18030; a declared encoding the bytes
 * plainly do not fit gives way to one they do) and converts to UTF-8.
 * Invalid bytes become U+FFFD. With trust_utf8, bytes taken as UTF-8 are
 * handed over unchecked (the caller checks while parsing). Returns MW_OK,
 * or MW_ENOMEM. Release with mw_feed_input_cleanup. */
int mw_feed_decode(const char *data, size_t len, const char *http_charset,
                   bool trust_utf8, struct mw_feed_input *in);
void mw_feed_input_cleanup(struct mw_feed_input *in);

/* The canonical name for a charset label ("gbk" -> "GB18030", "utf8" ->
 * "UTF-8", "big5" -> "Big5"), written into out; false when the label is
 * empty or too long. Unknown labels are upper-cased and passed on. */
bool mw_feed_charset_name(const char *label, size_t n, char *out,
                          size_t out_size);

/* ------------------------------------------------ feed.c / feed_sax.c */

/* One open element as the feed parser sees it. The parser keeps its own
 * stack, driven by the end tags actually written, because libxml2's
 * recovery closes one element per mismatched end tag and so drifts away
 * from the document on broken feeds. */
struct mw_feed_frame {
  const xmlChar *name; /* local name, from the parser's dictionary */
  const char *base;    /* xml:base in force (arena), or NULL */
  uint8_t tag;         /* enum in feed_sax.c */
  uint8_t role;        /* enum in feed_sax.c */
};

/* The entry being read. Strings live in the feed's arena. */
struct mw_feed_item {
  char *title, *dc_title, *link, *id, *about, *author, *author_name,
      *author_email, *content, *summary;
  int link_rank;     /* how good the link found so far is; 0 = none */
  bool guid_is_link; /* guid without isPermaLink="false" */
  int64_t published, updated;
  size_t number; /* 1-based, counting every item element seen */
};

/* The text of the field being read. */
struct mw_feed_capture {
  int field;        /* enum in feed_sax.c; 0 = none */
  int depth;        /* stack index of the field's element */
  bool in_entry;    /* the entry's field, else the feed's */
  uint8_t mode;     /* enum in feed_sax.c: text, html, guess */
  bool children;    /* child elements seen: already text with breaks */
  int hidden_depth; /* > 0 inside <script>/<style>: stack index */
  bool truncated;
  struct mw_buf buf; /* ceiling: max_field_bytes */
};

/* An entity declared in the document's internal subset, or an HTML entity
 * resolved for a document that does not declare it. */
struct mw_feed_entity {
  xmlEntity ent;
  struct mw_feed_entity *next;
};

/* All the state of one mw_feed_parse call. */
struct mw_feed_parser {
  xmlParserCtxtPtr ctxt;
  struct mw_feed *feed;
  struct mw_feed_limits lim;
  int default_offset_s;
  const char *base_url; /* arena copy, or NULL */
  const char *input;    /* the UTF-8 being parsed */
  size_t input_len;
  size_t parse_start; /* offset of the current libxml2 run */

  struct mw_feed_frame *stack; /* lim.max_depth frames */
  int depth;

  bool root_seen; /* the first element was read */
  bool not_feed;  /* ... and it is not a feed's */
  char root_name[64];
  const char *root_ns; /* an unknown namespace the root used, taken as
                          the feed's own (arena), or NULL */
  size_t entries_cap, problems_cap;
  size_t problems_dropped;
  size_t arena_limit; /* bytes the feed's strings may take */
  bool stopped;       /* a limit stopped the parse */
  bool feed_title_done;
  int feed_link_rank;
  /* sy:updatePeriod (s) and sy:updateFrequency as read, 0 until seen:
   * they come in either order, feed->update_period_s is their quotient. */
  int64_t sy_period_s;
  int64_t sy_frequency;

  struct mw_feed_capture cap;
  bool in_item;
  int item_depth; /* stack index of the item element */
  struct mw_feed_item item;
  size_t items_seen;

  int errors;             /* well-formedness errors so far */
  bool need_repair;       /* bare '&' or '<', unknown entity: parse a
                             repaired copy instead */
  bool repaired;          /* this run parses the repaired copy */
  bool utf8_unchecked;    /* the input is UTF-8 nobody has checked yet */
  bool bad_utf8;          /* ... and libxml2 found it is not */
  bool pending_end;       /* an end tag that did not match libxml2's */
  char pending_name[128]; /* ... and its local name */
  size_t restart_at;      /* where to resume after the root closed early;
                             0 = nowhere */
  size_t last_error_at;   /* input offset of the last error */
  struct mw_feed_entity *entities; /* declared and HTML, arena */
  size_t n_declared;
  size_t html_entities_noted;
};

/* What an open element is to the parser. */
enum mw_feed_role {
  MW_ROLE_OTHER,
  MW_ROLE_ROOT,
  MW_ROLE_CHANNEL,
  MW_ROLE_ITEM,
  MW_ROLE_AUTHOR,
  MW_ROLE_SKIP,    /* this subtree holds no field of ours */
  MW_ROLE_FIELD,   /* the element whose text is being captured */
  MW_ROLE_INFIELD, /* markup inside a captured field */
};

/* The field whose text is being captured. */
enum mw_feed_field {
  MW_FIELD_NONE,
  MW_FIELD_TITLE,
  MW_FIELD_DC_TITLE,
  MW_FIELD_LINK,
  MW_FIELD_ID,
  MW_FIELD_PUBLISHED,
  MW_FIELD_UPDATED,
  MW_FIELD_AUTHOR,
  MW_FIELD_AUTHOR_NAME,
  MW_FIELD_AUTHOR_EMAIL,
  MW_FIELD_CONTENT,
  MW_FIELD_SUMMARY,
  MW_FIELD_TTL,          /* the channel's RSS <ttl>, minutes */
  MW_FIELD_SY_PERIOD,    /* sy:updatePeriod: hourly ... yearly */
  MW_FIELD_SY_FREQUENCY, /* sy:updateFrequency: times per period */
};

/* How a field's text is reduced: as text, as HTML, or as HTML only when
 * it looks like HTML (RSS, which does not say). */
enum mw_feed_mode { MW_MODE_TEXT, MW_MODE_HTML, MW_MODE_GUESS };

#define MW_XML_NS "http://www.w3.org/XML/1998/namespace"
#define MW_RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* feed.c */
/* Initialises libxml2 once per process (thread-safe); opml.c uses it too. */
void mw_feedp_xml_init(void);
void mw_feedp_problem(struct mw_feed_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Arena allocation within the feed's bound; NULL (and the parse stopped
 * with a problem line) when over it. */
void *mw_feedp_alloc(struct mw_feed_parser *p, size_t n);
char *mw_feedp_strndup(struct mw_feed_parser *p, const char *s, size_t n);
void mw_feedp_stop(struct mw_feed_parser *p);

/* feed_sax.c: fills sax with the parser's callbacks (user data: the
 * struct mw_feed_parser). */
void mw_feedp_sax_init(xmlSAXHandler *sax);
/* Closes what is still open at the end of the input (entries included). */
void mw_feedp_finish(struct mw_feed_parser *p);
/* Applies an end tag read outside libxml2 (between restarts). */
void mw_feedp_end_tag(struct mw_feed_parser *p, const char *name, size_t n);

/* feed_entry.c */
/* The value of attribute name (no namespace, or namespace uri) among the
 * SAX2 attributes attrs[0..5n). */
bool mw_feedp_attr(const xmlChar **attrs, int n, const char *name,
                   const char *uri, struct mw_str *out);
/* s, trimmed, equals lit ignoring ASCII case. */
bool mw_feedp_str_is(struct mw_str s, const char *lit);
bool mw_feedp_is_http(const char *s, size_t n);
/* ref resolved against base (NULL: none), in the arena. */
char *mw_feedp_resolve(struct mw_feed_parser *p, const char *ref, size_t n,
                       const char *base);
/* Starts capturing the text of the element on top of the stack as f. */
void mw_feedp_start_capture(struct mw_feed_parser *p, enum mw_feed_field f,
                            enum mw_feed_mode mode);
void mw_feedp_cap_append(struct mw_feed_parser *p, const char *s, size_t n);
/* Stores the captured field in the entry or the feed. */
void mw_feedp_finish_capture(struct mw_feed_parser *p);
/* The element on top of the stack starts an entry / the entry ends. */
void mw_feedp_begin_item(struct mw_feed_parser *p);
void mw_feedp_finish_item(struct mw_feed_parser *p);
/* The mode of an Atom text construct; false when it holds no text. */
bool mw_feedp_atom_mode(const xmlChar **attrs, int n, enum mw_feed_mode *mode);
/* An Atom-style <link href rel type> of the entry or of the feed. */
void mw_feedp_atom_link(struct mw_feed_parser *p, const xmlChar **attrs, int n,
                        bool for_entry);

/* feed_repair.c */
/* A copy of s[0..n) where '&' that starts no known reference and '<' that
 * starts no markup are escaped, outside CDATA sections and comments. The
 * parser's declared entities count as known. Returns NULL on ENOMEM;
 * *out_len receives the length; *fixed the number of repairs. */
char *mw_feedp_repair(const struct mw_feed_parser *p, const char *s, size_t n,
                      size_t *out_len, size_t *fixed);
/* From offset at, skips text, comments, processing instructions and end
 * tags (each applied with mw_feedp_end_tag) up to the next start tag;
 * returns its offset, or n when there is none. */
size_t mw_feedp_next_start(struct mw_feed_parser *p, const char *s, size_t n,
                           size_t at);

#endif
