/*
 * config_table.h: private to cli/. The one table that declares every
 * configuration option (name, type, bounds, default, one line of
 * documentation, where it lands in struct mw_config) and the sections it
 * fills, shared by the loader (config.c, config_alerts.c) and the Markdown
 * reference (config_sections.c).
 */
#ifndef MW_CLI_CONFIG_TABLE_H
#define MW_CLI_CONFIG_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* Where an option lives: each section is one struct of common.h. */
enum mw_cfg_section {
  MW_CFG_TOP,     /* struct mw_config */
  MW_CFG_CRAWLER, /* struct mw_crawler_conf */
  MW_CFG_OUTLET,  /* struct mw_outlet_conf, one per outlets[] item */
  MW_CFG_SOURCE,  /* struct mw_source_conf, one per sources[] item */
  MW_CFG_TOPIC,   /* struct mw_topic_conf */
  MW_CFG_TARGET,  /* struct mw_target_conf */
  MW_CFG_SENSITIVITY, /* struct mw_sensitivity_conf */
  MW_CFG_ALERTS,   /* struct mw_alerts_conf */
  MW_CFG_RECEIVER, /* struct mw_receiver_conf, one per receivers[] item */
  MW_CFG_ROUTE,    /* struct mw_route_conf */
  MW_CFG_PERSON,   /* struct mw_person_conf */
  MW_CFG_SHIFT,    /* struct mw_shift_conf, one per roster[] item */
  MW_CFG_SERVE,    /* struct mw_serve_conf */
  MW_CFG_HEALTH,   /* struct mw_health_conf */
  MW_CFG_SECTION_COUNT
};

enum mw_cfg_type {
  MW_CFG_STRING,   /* char * */
  MW_CFG_PATH,     /* char *, resolved against the config's folder */
  MW_CFG_ZONE,     /* char *, checked with mw_tz_load */
  MW_CFG_URL,      /* char *, http:// or https:// with a host */
  MW_CFG_PERIOD,   /* char *, week|month|quarter|year|range */
  MW_CFG_INT,      /* int64_t in [min, max] */
  MW_CFG_SIZE,     /* int64_t bytes in [min, max], written 10MB */
  MW_CFG_DURATION, /* int64_t seconds in [min, max], written 30m */
  MW_CFG_BOOL,     /* bool */
  MW_CFG_TIER,     /* enum mw_tier */
  MW_CFG_TIER_ANY, /* int: enum mw_tier or -1 ("any") */
  MW_CFG_KIND,     /* enum mw_source_kind */
  MW_CFG_RECEIVER_KIND, /* enum mw_receiver_kind */
  MW_CFG_MEDIA,    /* int: enum mw_doc_kind (matchers.h), -1 for "auto" */
  MW_CFG_LEVEL,    /* int64_t alert level 1..4: digit, name, 一般.., colour */
  MW_CFG_CLOCK,    /* char * "08:00" at offset, int minutes at count_offset */
  MW_CFG_WINDOW,   /* char * "22:00-07:00" at offset, struct mw_clock_window
                      at count_offset ({-1, -1} when not given) */
  MW_CFG_MAP,      /* a nested section: struct at offset (crawler, ...) */
  MW_CFG_LIST,     /* a list of sections: item array at offset, size_t
                      count at count_offset (outlets, sources, ...) */
  MW_CFG_STRLIST,  /* char ** at offset, size_t count at count_offset */
};

#define MW_CFG_REQUIRED 1u /* must be given */
#define MW_CFG_UNIQUE 2u   /* no two items of the section share the value */
#define MW_CFG_NONEMPTY 4u /* LIST: at least one item when given */

struct mw_cfg_option {
  const char *name;
  enum mw_cfg_section section;
  enum mw_cfg_type type;
  unsigned flags;
  int64_t min, max;    /* INT, SIZE (bytes), DURATION (seconds) */
  const char *def;     /* default as written in YAML; NULL: none */
  size_t offset;       /* of the field in the section's struct */
  size_t count_offset; /* STRLIST, LIST: of the size_t count; CLOCK,
                          WINDOW: of the parsed value */
  enum mw_cfg_section child; /* MAP, LIST: the section of the items */
  const char *doc;     /* one line */
};

extern const struct mw_cfg_option mw_cfg_options[];
extern const size_t mw_cfg_n_options;

/* What the loader and the reference need of each section. */
struct mw_cfg_section_info {
  const char *title; /* heading in the reference: "outlets[]" */
  const char *intro; /* its paragraph */
  const char *word;  /* one item in messages: "outlet", "receiver" */
  const char *key;   /* the key that names an item ("name", "url"), or
                        NULL: items go by position ("shift #2") */
  size_t size;       /* bytes of the section's struct */
  size_t line_offset; /* of its `int line`; SIZE_MAX when it has none */
};

/* Indexed by enum mw_cfg_section, in the order of the reference. */
extern const struct mw_cfg_section_info mw_cfg_sections[MW_CFG_SECTION_COUNT];

/* The option named name (n bytes) in section, or NULL. */
const struct mw_cfg_option *mw_cfg_find(enum mw_cfg_section section,
                                        const char *name, size_t n);
/* The nearest option name of section to name, for "did you mean", or NULL
 * when none is close. */
const char *mw_cfg_suggest(enum mw_cfg_section section, const char *name);
/* Whether typed is close enough to known to be suggested: at most one
 * edit (two for names of 6 characters or more), counted in characters
 * (a Chinese character is one), ASCII case ignored, a swapped pair one
 * edit. Returns the distance, or SIZE_MAX when not close. */
size_t mw_cfg_near(const char *typed, const char *known);
/* What a value of o must be, for messages: "an integer between 1 and
 * 1000", "a duration between 1s and 7d (such as 30m)". */
void mw_cfg_describe(const struct mw_cfg_option *o, char *buf, size_t n);
/* Why text is not a valid value of o, when the type's parser says more
 * than mw_cfg_describe (a bad time of day, window): writes the reason and
 * returns true; false when it has nothing to add. */
bool mw_cfg_explain(const struct mw_cfg_option *o, const char *text,
                    char *buf, size_t n);
/* Seconds as the config writes them: "7d", "6h", "30m", "90s". */
void mw_cfg_format_duration(int64_t v, char *buf, size_t n);
/* o's type as the reference shows it: "integer 1..1000", "duration
 * 1s..7d". */
void mw_cfg_type_name(const struct mw_cfg_option *o, char *buf, size_t n);
/* Parses text as o's type and stores it in the section struct at base
 * (strings are copied; an old string is freed). MW_EINVAL when text is not
 * a valid value (the caller words the message with mw_cfg_describe),
 * MW_ENOMEM. Not for MAP, LIST, STRLIST. */
int mw_cfg_set(const struct mw_cfg_option *o, void *base, const char *text);
/* Stores the default of every option of section that has one, and marks
 * windows without one as not set ({-1, -1}). */
int mw_cfg_set_defaults(enum mw_cfg_section section, void *base);

#endif
