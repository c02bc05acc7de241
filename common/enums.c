/*
 * enums.c: the names of the config's enumerations, in one table each so
 * the config loader, the store and the reports agree on spelling.
 */
#include <string.h>

#include "common/common.h"

static const struct {
  const char *name;
  const char *zh;
} tiers[MW_TIER_COUNT] = {
    [MW_TIER_CENTRAL] = {"central", "中央媒体"},
    [MW_TIER_PROVINCIAL] = {"provincial", "省级媒体"},
    [MW_TIER_CITY] = {"city", "市级媒体"},
    [MW_TIER_COUNTY] = {"county", "区县媒体"},
    [MW_TIER_PORTAL] = {"portal", "政务网站"},
    [MW_TIER_NEW_MEDIA] = {"new-media", "新媒体"},
};

const char *mw_tier_name(enum mw_tier t) {
  return (unsigned)t < MW_TIER_COUNT ? tiers[t].name : "unknown";
}

const char *mw_tier_label_zh(enum mw_tier t) {
  return (unsigned)t < MW_TIER_COUNT ? tiers[t].zh : "未知";
}

int mw_tier_parse(const char *s, enum mw_tier *out) {
  for (int i = 0; i < MW_TIER_COUNT; i++) {
    if (!strcmp(s, tiers[i].name)) {
      *out = (enum mw_tier)i;
      return MW_OK;
    }
  }
  return MW_EINVAL;
}

static const char *const kinds[] = {
    [MW_SOURCE_FEED] = "feed",
    [MW_SOURCE_HTML] = "html",
    [MW_SOURCE_SITEMAP] = "sitemap",
};

const char *mw_source_kind_name(enum mw_source_kind k) {
  return (unsigned)k < sizeof kinds / sizeof kinds[0] ? kinds[k] : "unknown";
}

int mw_source_kind_parse(const char *s, enum mw_source_kind *out) {
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (!strcmp(s, kinds[i])) {
      *out = (enum mw_source_kind)i;
      return MW_OK;
    }
  }
  return MW_EINVAL;
}

static const char *const receiver_kinds[MW_RECEIVER_KIND_COUNT] = {
    [MW_RECEIVER_WEBHOOK] = "webhook", [MW_RECEIVER_WECOM] = "wecom",
    [MW_RECEIVER_DINGTALK] = "dingtalk", [MW_RECEIVER_FEISHU] = "feishu",
    [MW_RECEIVER_EMAIL] = "email",     [MW_RECEIVER_EXEC] = "exec",
};

const char *mw_receiver_kind_name(enum mw_receiver_kind k) {
  return (unsigned)k < MW_RECEIVER_KIND_COUNT ? receiver_kinds[k] : "unknown";
}

int mw_receiver_kind_parse(const char *s, enum mw_receiver_kind *out) {
  for (int i = 0; i < MW_RECEIVER_KIND_COUNT; i++) {
    if (!strcmp(s, receiver_kinds[i])) {
      *out = (enum mw_receiver_kind)i;
      return MW_OK;
    }
  }
  return MW_EINVAL;
}
