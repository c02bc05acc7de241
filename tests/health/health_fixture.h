/* What the survey and check tests share: a config loaded from YAML (three
 * outlets, a target on 长春市生态环境局, two admin receivers), a store
 * synced over it in a scratch folder, and writers of fetches and
 * articles. */
#ifndef MW_TESTS_HEALTH_FIXTURE_H
#define MW_TESTS_HEALTH_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

struct hf {
  char *dir, *path;
  struct mw_config *cfg;
  struct mw_store *s;
  int64_t cc, jl, rm; /* source ids: 长春 (html), 吉林日报, 人民网 (feeds) */
};

/* The default YAML, with extra appended (people, targets: may be ""). */
extern const char hf_yaml_base[];
extern const char hf_yaml_admins[];

/* Loads base + extra, opens and syncs a store; fails the test on error. */
void hf_open(struct hf *f, const char *extra);
void hf_close(struct hf *f);
struct mw_config *hf_config(const char *yaml);

/* Local time (+08:00) as epoch s. */
int64_t hf_local(int y, int mo, int d, int h, int mi);

/* A poll: ok 200 with links (links < 0: not recorded), or failed. */
void hf_fetch(struct hf *f, int64_t source_id, int64_t when, long status,
              int64_t links, const char *error);
/* An article with its quality row (fields MW_QUALITY_*), published at
 * published, fetched then. Returns its id. */
int64_t hf_article(struct hf *f, int64_t source_id, const char *url,
                   int64_t published, unsigned flags);

#endif
