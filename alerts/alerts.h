/*
 * alerts.h: alert levels as Chinese practice names them, and (with the
 * alerts issue) raising, routing and escalating alerts.
 *
 * Four levels: 1 一般 (blue), 2 较大 (yellow), 3 重大 (orange),
 * 4 特别重大 (red). Everything that shows or parses a level goes through
 * this table so the config, the reports and the messages agree.
 */
#ifndef MW_ALERTS_H
#define MW_ALERTS_H

#include "common/common.h"

enum mw_alert_level {
  MW_ALERT_NONE = 0,
  MW_ALERT_GENERAL = 1,  /* 一般, blue */
  MW_ALERT_SERIOUS = 2,  /* 较大, yellow */
  MW_ALERT_MAJOR = 3,    /* 重大, orange */
  MW_ALERT_CRITICAL = 4, /* 特别重大, red */
};

/* "general", "serious", "major", "critical"; "none" for 0. */
const char *mw_alert_level_name(enum mw_alert_level l);
/* 一般, 较大, 重大, 特别重大. */
const char *mw_alert_level_label_zh(enum mw_alert_level l);
/* "blue", "yellow", "orange", "red". */
const char *mw_alert_level_color(enum mw_alert_level l);
/* "#1e6fd9"-style colour for HTML output. */
const char *mw_alert_level_hex(enum mw_alert_level l);
/* Accepts the number ("3"), the English name, the Chinese label or the
 * colour, as office staff write it in a config. */
int mw_alert_level_parse(const char *s, enum mw_alert_level *out);

#endif
