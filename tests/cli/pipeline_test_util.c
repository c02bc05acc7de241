/*
 * pipeline_test_util.c: the temporary store and config of the pipeline
 * tests (pipeline_test_util.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "tests/cli/pipeline_test_util.h"

void pw_open(struct pw_env *e, const char *yaml) {
  memset(e, 0, sizeof *e);
  const char *tmp = getenv("TMPDIR");
  snprintf(e->dir, sizeof e->dir, "%s/mw-pipeline-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  assert_non_null(mkdtemp(e->dir));
  snprintf(e->db, sizeof e->db, "%s/mw.db", e->dir);
  struct mw_err err = {0};
  if (mw_config_load_string(yaml, strlen(yaml), "mw.yaml", &e->cfg, &err))
    fail_msg("%s", err.msg);
  if (mw_store_open(e->db, &e->s, &err) ||
      mw_store_sync_config(e->s, e->cfg, &err))
    fail_msg("%s", err.msg);
  struct mw_source_state *st;
  size_t n;
  assert_int_equal(mw_store_list_sources(e->s, &st, &n, &err), MW_OK);
  assert_true(n >= 1);
  e->src.crawl.id = st[0].id;
  mw_store_sources_free(st, n);
  const struct mw_outlet_conf *o = &e->cfg->outlets[0];
  e->src.conf = &o->sources[0];
  e->src.kind = o->sources[0].kind;
  e->src.url = o->sources[0].url;
  e->src.outlet = o->name;
}

void pw_close(struct pw_env *e) {
  mw_store_close(e->s);
  mw_config_free(e->cfg);
  char path[400];
  const char *const leftovers[] = {"mw.db", "mw.db-wal", "mw.db-shm"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s", e->dir, leftovers[i]);
    unlink(path);
  }
  rmdir(e->dir);
}
