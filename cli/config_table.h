/*
 * config_table.h: private to cli/. The one table that declares every
 * configuration option (name, type, bounds, default, one line of
 * documentation, where it lands in struct mw_config), shared by the loader
 * (config.c) and the Markdown reference (config_table.c).
 */
#ifndef MW_CLI_CONFIG_TABLE_H
#define MW_CLI_CONFIG_TABLE_H

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
  MW_CFG_SECTION_COUNT
};

enum mw_cfg_type {
  MW_CFG_STRING,   /* char * */
  MW_CFG_PATH,     /* char *, resolved against the config's folder */
  MW_CFG_ZONE,     /* char *, checked with mw_tz_load */
  MW_CFG_URL,      /* char *, http:// or https:// with a host */
  MW_CFG_PERIOD,   /* char *, week|month|quarter|year */
  MW_CFG_INT,      /* int64_t in [min, max] */
  MW_CFG_SIZE,     /* int64_t bytes in [min, max], written 10MB */
  MW_CFG_DURATION, /* int64_t seconds in [min, max], written 30m */
  MW_CFG_BOOL,     /* bool */
  MW_CFG_TIER,     /* enum mw_tier */
  MW_CFG_TIER_ANY, /* int: enum mw_tier or -1 ("any") */
  MW_CFG_KIND,     /* enum mw_source_kind */
  MW_CFG_MAP,      /* a nested section (crawler, sensitivity) */
  MW_CFG_LIST,     /* a list of sections (outlets, sources, ...) */
  MW_CFG_STRLIST,  /* char ** at offset, size_t count at count_offset */
};

#define MW_CFG_REQUIRED 1u /* must be given */
#define MW_CFG_UNIQUE 2u   /* no two items of the section share the value */

struct mw_cfg_option {
  const char *name;
  enum mw_cfg_section section;
  enum mw_cfg_type type;
  unsigned flags;
  int64_t min, max;    /* INT, SIZE (bytes), DURATION (seconds) */
  const char *def;     /* default as written in YAML; NULL: none */
  size_t offset;       /* of the field in the section's struct */
  size_t count_offset; /* STRLIST: of the size_t count */
  enum mw_cfg_section child; /* MAP, LIST: the section of the items */
  const char *doc;     /* one line */
};

extern const struct mw_cfg_option mw_cfg_options[];
extern const size_t mw_cfg_n_options;

/* The option named name (n bytes) in section, or NULL. */
const struct mw_cfg_option *mw_cfg_find(enum mw_cfg_section section,
                                        const char *name, size_t n);
/* The nearest option name of section to name, for "did you mean", or NULL
 * when none is close. */
const char *mw_cfg_suggest(enum mw_cfg_section section, const char *name);
/* What a value of o must be, for messages: "an integer between 1 and
 * 1000", "a duration between 1s and 7d (such as 30m)". */
void mw_cfg_describe(const struct mw_cfg_option *o, char *buf, size_t n);
/* Parses text as o's type and stores it in the section struct at base
 * (strings are copied; an old string is freed). MW_EINVAL when text is not
 * a valid value (the caller words the message with mw_cfg_describe),
 * MW_ENOMEM. Not for MAP, LIST, STRLIST. */
int mw_cfg_set(const struct mw_cfg_option *o, void *base, const char *text);
/* Stores the default of every option of section that has one. */
int mw_cfg_set_defaults(enum mw_cfg_section section, void *base);

#endif
