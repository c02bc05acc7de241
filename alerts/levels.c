/*
 * levels.c: the one table of alert levels.
 */
#include <string.h>

#include "alerts/alerts.h"

static const struct {
  const char *name, *zh, *color, *hex, *digit;
} levels[] = {
    [MW_ALERT_NONE] = {"none", "无", "none", "#9e9e9e", "0"},
    [MW_ALERT_GENERAL] = {"general", "一般", "blue", "#1e6fd9", "1"},
    [MW_ALERT_SERIOUS] = {"serious", "较大", "yellow", "#e6b800", "2"},
    [MW_ALERT_MAJOR] = {"major", "重大", "orange", "#f07800", "3"},
    [MW_ALERT_CRITICAL] = {"critical", "特别重大", "red", "#d32f2f", "4"},
};

#define N_LEVELS (sizeof levels / sizeof levels[0])

const char *mw_alert_level_name(enum mw_alert_level l) {
  return (unsigned)l < N_LEVELS ? levels[l].name : "unknown";
}

const char *mw_alert_level_label_zh(enum mw_alert_level l) {
  return (unsigned)l < N_LEVELS ? levels[l].zh : "未知";
}

const char *mw_alert_level_color(enum mw_alert_level l) {
  return (unsigned)l < N_LEVELS ? levels[l].color : "none";
}

const char *mw_alert_level_hex(enum mw_alert_level l) {
  return (unsigned)l < N_LEVELS ? levels[l].hex : "#9e9e9e";
}

int mw_alert_level_parse(const char *s, enum mw_alert_level *out) {
  for (size_t i = 1; i < N_LEVELS; i++) {
    if (!strcmp(s, levels[i].digit) || !mw_ascii_casecmp(s, levels[i].name) ||
        !strcmp(s, levels[i].zh) || !mw_ascii_casecmp(s, levels[i].color)) {
      *out = (enum mw_alert_level)i;
      return MW_OK;
    }
  }
  return MW_EINVAL;
}
