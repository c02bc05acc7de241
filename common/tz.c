/*
 * tz.c: time zones without touching the process's TZ. A zone is either a
 * fixed offset ("UTC", "+08:00", "UTC+8") or an IANA name whose TZif file
 * is read from the system's zoneinfo (tzdata). The transitions of the file
 * are used as given; after the last one its offset stays in force, which is
 * exact for China (no daylight saving since 1991) and for every fixed zone,
 * and approximate for zones whose future rules live only in the footer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

#define TZ_FILE_MAX (256 * 1024)

struct mw_tz {
  char name[64];
  size_t n;          /* transitions */
  int64_t *at;       /* transition instants, ascending */
  int32_t *off_after;/* offset in force from at[i] on */
  int32_t off_before;/* before the first transition (or always, if n == 0) */
};

static int parse_fixed(const char *s, int32_t *off) {
  if (!strcmp(s, "UTC") || !strcmp(s, "GMT") || !strcmp(s, "Z")) {
    *off = 0;
    return MW_OK;
  }
  if (!strncmp(s, "UTC", 3) || !strncmp(s, "GMT", 3)) s += 3;
  int sign;
  if (*s == '+') sign = 1;
  else if (*s == '-') sign = -1;
  else return MW_EINVAL;
  s++;
  int h = 0, m = 0, digits = 0;
  while (mw_ascii_isdigit((unsigned char)*s) && digits < 2) {
    h = h * 10 + (*s++ - '0');
    digits++;
  }
  if (!digits) return MW_EINVAL;
  if (*s == ':') s++;
  if (*s) {
    if (!mw_ascii_isdigit((unsigned char)s[0]) ||
        !mw_ascii_isdigit((unsigned char)s[1]) || s[2])
      return MW_EINVAL;
    m = (s[0] - '0') * 10 + (s[1] - '0');
  }
  if (h > 14 || m > 59) return MW_EINVAL;
  *off = sign * (h * 3600 + m * 60);
  return MW_OK;
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
  return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Reads the TZif body starting at p (a header), 64-bit times when wide. */
static int parse_tzif(struct mw_tz *tz, const unsigned char *p, size_t len,
                      bool wide, size_t *consumed) {
  if (len < 44 || memcmp(p, "TZif", 4)) return MW_EPARSE;
  uint32_t isutcnt = be32(p + 20), isstdcnt = be32(p + 24),
           leapcnt = be32(p + 28), timecnt = be32(p + 32),
           typecnt = be32(p + 36), charcnt = be32(p + 40);
  size_t tsz = wide ? 8 : 4;
  if (typecnt == 0 || typecnt > 256 || timecnt > 100000 || leapcnt > 1000 ||
      charcnt > 10000 || isutcnt > 256 || isstdcnt > 256)
    return MW_EPARSE;
  size_t body = timecnt * tsz + timecnt + typecnt * 6 + charcnt +
                leapcnt * (tsz + 4) + isstdcnt + isutcnt;
  if (len - 44 < body) return MW_EPARSE;
  const unsigned char *times = p + 44;
  const unsigned char *idx = times + timecnt * tsz;
  const unsigned char *types = idx + timecnt;
  *consumed = 44 + body;
  tz->at = calloc(timecnt ? timecnt : 1, sizeof *tz->at);
  tz->off_after = calloc(timecnt ? timecnt : 1, sizeof *tz->off_after);
  if (!tz->at || !tz->off_after) return MW_ENOMEM;
  /* Before the first transition: the first standard-time type. */
  tz->off_before = (int32_t)be32(types);
  for (uint32_t i = 0; i < typecnt; i++) {
    if (types[i * 6 + 4] == 0) {
      tz->off_before = (int32_t)be32(types + i * 6);
      break;
    }
  }
  for (uint32_t i = 0; i < timecnt; i++) {
    if (idx[i] >= typecnt) return MW_EPARSE;
    tz->at[i] = wide ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
    tz->off_after[i] = (int32_t)be32(types + idx[i] * 6);
  }
  tz->n = timecnt;
  if (timecnt == 0) tz->off_before = (int32_t)be32(types);
  return MW_OK;
}

static int load_file(struct mw_tz *tz, const char *name, struct mw_err *err) {
  /* IANA names are letters, digits, '/', '_', '-', '+': nothing that can
   * climb out of the zoneinfo folder. */
  for (const char *c = name; *c; c++) {
    unsigned char u = (unsigned char)*c;
    if (!(mw_ascii_isalpha(u) || mw_ascii_isdigit(u) || u == '/' || u == '_' ||
          u == '-' || u == '+') ||
        (u == '/' && c[1] == '/'))
      return mw_err_set(err, MW_EINVAL, "time zone '%s' is not a zone name", name);
  }
  if (name[0] == '/' || strstr(name, ".."))
    return mw_err_set(err, MW_EINVAL, "time zone '%s' is not a zone name", name);
  const char *dirs[] = {getenv("TZDIR"), "/usr/share/zoneinfo"};
  FILE *f = NULL;
  char path[512];
  for (size_t i = 0; i < 2 && !f; i++) {
    if (!dirs[i]) continue;
    snprintf(path, sizeof path, "%s/%s", dirs[i], name);
    f = fopen(path, "rb");
  }
  if (!f)
    return mw_err_set(err, MW_ENOTFOUND,
                      "unknown time zone '%s' (not in /usr/share/zoneinfo; "
                      "install tzdata or write an offset such as +08:00)",
                      name);
  unsigned char *data = malloc(TZ_FILE_MAX);
  if (!data) {
    fclose(f);
    return mw_err_set(err, MW_ENOMEM, "out of memory reading %s", path);
  }
  size_t len = fread(data, 1, TZ_FILE_MAX, f);
  fclose(f);
  size_t used = 0;
  int rc = parse_tzif(tz, data, len, false, &used);
  if (rc == MW_OK && data[4] >= '2' && len > used) {
    /* Version 2+: a second, 64-bit copy follows the 32-bit one. */
    free(tz->at);
    free(tz->off_after);
    tz->at = NULL;
    tz->off_after = NULL;
    size_t used2;
    rc = parse_tzif(tz, data + used, len - used, true, &used2);
  }
  free(data);
  if (rc) return mw_err_set(err, rc, "%s: not a valid TZif file", path);
  return MW_OK;
}

int mw_tz_load(const char *name, struct mw_tz **out, struct mw_err *err) {
  struct mw_tz *tz = calloc(1, sizeof *tz);
  if (!tz) return mw_err_set(err, MW_ENOMEM, "out of memory");
  if (!name || !*name) name = "Asia/Shanghai";
  snprintf(tz->name, sizeof tz->name, "%s", name);
  int rc;
  if (parse_fixed(name, &tz->off_before) == MW_OK) rc = MW_OK;
  else rc = load_file(tz, name, err);
  if (rc) {
    mw_tz_free(tz);
    return rc;
  }
  *out = tz;
  return MW_OK;
}

void mw_tz_free(struct mw_tz *tz) {
  if (!tz) return;
  free(tz->at);
  free(tz->off_after);
  free(tz);
}

const char *mw_tz_name(const struct mw_tz *tz) { return tz->name; }

int mw_tz_offset_at(const struct mw_tz *tz, int64_t t) {
  if (tz->n == 0 || t < tz->at[0]) return tz->off_before;
  size_t lo = 0, hi = tz->n; /* last transition <= t */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (tz->at[mid] <= t) lo = mid;
    else hi = mid;
  }
  return tz->off_after[lo];
}

int mw_tz_offset_for_local(const struct mw_tz *tz, int year, int month,
                           int day, int hour, int minute, int second) {
  int64_t as_utc = mw_time_from_civil(year, month, day, hour, minute, second, 0);
  /* Try the offset in force a day either side; the first one that maps back
   * onto the same local time wins. */
  int before = mw_tz_offset_at(tz, as_utc - 86400);
  if (mw_tz_offset_at(tz, as_utc - before) == before) return before;
  int after = mw_tz_offset_at(tz, as_utc + 86400);
  if (mw_tz_offset_at(tz, as_utc - after) == after) return after;
  return before;
}

void mw_tz_to_civil(const struct mw_tz *tz, int64_t t, struct mw_civil *out) {
  mw_time_to_civil(t, mw_tz_offset_at(tz, t), out);
}

int64_t mw_tz_from_civil(const struct mw_tz *tz, int year, int month, int day,
                         int hour, int minute, int second) {
  int off = mw_tz_offset_for_local(tz, year, month, day, hour, minute, second);
  return mw_time_from_civil(year, month, day, hour, minute, second, off);
}
