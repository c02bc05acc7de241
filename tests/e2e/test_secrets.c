/*
 * test_secrets.c: receivers' secrets never leave the requests that carry
 * them (issue 9). A crawl of the fixture sites raises alerts and notifies
 * four receivers whose secrets come from environment variables and from
 * files: a signed webhook (HMAC key from the environment), a WeCom robot
 * (its key in a URL read from a file), a DingTalk robot (token in a URL
 * from the environment, a WRONG signing secret from a file, so every
 * delivery is refused) and a webhook that is down (a token in its URL and
 * an HMAC key, both from the environment). Then `alerts list`, `alerts
 * show --json`, `alerts send` (twice, the second an hour on so the
 * failures are retried) and `config check`, once more with a secret file
 * others may read.
 *
 * None of the secret values may appear in any command's stdout or stderr,
 * in the bytes of the database and its -wal (kept by a connection this
 * test holds open, so the WAL is not checkpointed away), or in what the
 * fixture saw, except where a request legitimately carries one: the WeCom
 * key in the query of the WeCom deliveries. Signatures are HMACs, never the
 * key. The secrets are of unreserved URL characters, so percent-encoding
 * would not hide a leak from the search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/e2e/e2e.h"

#define WEBHOOK_KEY "whk-Q7mP2xV9-duty-hmac"
#define WECOM_KEY "wck-R4nT8yZ1-robot-key"
#define DT_TOKEN "dtt-H3kL6wB0-access-token"
#define DT_SECRET_RIGHT "SECdts-U5jN1cF7-right"
#define DT_SECRET_WRONG "SECdts-G2vX9qM4-wrong"
#define DOWN_TOKEN "dnt-E8sA3pK6-url-token"
#define DOWN_KEY "dnk-Y1bW7rJ5-hmac"

/* Every value mediawatch is given or the fixture checks. */
static const char *const secrets[] = {
    WEBHOOK_KEY,     WECOM_KEY,  DT_TOKEN, DT_SECRET_RIGHT,
    DT_SECRET_WRONG, DOWN_TOKEN, DOWN_KEY,
};
#define N_SECRETS (sizeof secrets / sizeof secrets[0])

static const char config_tmpl[] =
    "storage: \"{DB}\"\n"
    "timezone: Asia/Shanghai\n"
    "crawler:\n"
    "  per_host_delay_ms: 0\n"
    "  per_host_concurrency: 4\n"
    "  allow_loopback: true\n"
    "outlets:\n"
    "  - name: 吉林省网上群众留言板\n"
    "    tier: new-media\n"
    "    region: 吉林省\n"
    "    sources:\n"
    "      - url: {B}/liuyan/rss.xml\n"
    "  - name: 吉林省生态环境厅\n"
    "    tier: portal\n"
    "    region: 吉林省\n"
    "    sources:\n"
    "      - url: {B}/sthjt/xwdt/index.html\n"
    "        kind: html\n"
    "  - name: 中国环境报\n"
    "    tier: central\n"
    "    region: 全国\n"
    "    sources:\n"
    "      - url: {B}/cenews/sitemap.xml\n"
    "        kind: sitemap\n"
    "topics:\n"
    "  - name: 垃圾分类\n"
    "    keywords: [垃圾分类, 生活垃圾分类]\n"
    "sensitivity:\n"
    "  lexicon: \"{LEX}\"\n"
    "alerts:\n"
    "  gazetteer: \"{GAZ}\"\n"
    "  burst_min: 1000\n"
    "  retry_max: 5s\n"
    "  receivers:\n"
    "    - name: 值班平台\n"
    "      kind: webhook\n"
    "      url: {B}/hook/webhook/duty-desk\n"
    "      secret_env: MW_S_WEBHOOK_KEY\n"
    "    - name: 值班群\n"
    "      kind: wecom\n"
    "      url_file: \"{WECOM_FILE}\"\n"
    "    - name: 领导钉钉\n"
    "      kind: dingtalk\n"
    "      url_env: MW_S_DINGTALK_URL\n"
    "      secret_file: \"{DT_FILE}\"\n"
    "    - name: 备用平台\n"
    "      kind: webhook\n"
    "      url_env: MW_S_DOWN_URL\n"
    "      secret_env: MW_S_DOWN_KEY\n"
    "  routes:\n"
    "    - name: 全部\n"
    "      min_level: 1\n"
    "      receivers: [值班平台, 值班群, 领导钉钉, 备用平台]\n";

struct env {
  struct e2e_scratch dir;
  struct mw_fixture *fx;
  char cfg[1024], db[1024], wecom_file[1024], dt_file[1024];
  struct mw_buf seen; /* every stdout and stderr, with a label each */
};

static void write_secret_file(const char *path, const char *text) {
  e2e_write_file(path, text);
  assert_int_equal(chmod(path, 0600), 0);
}

static void write_config(struct env *e) {
  char lexicon[1024], gazetteer[1024];
  e2e_source("examples/lexicon.tsv", lexicon, sizeof lexicon);
  e2e_source("examples/gazetteer.tsv", gazetteer, sizeof gazetteer);
  const char *names[] = {"{DB}",  "{B}",          "{LEX}",
                         "{GAZ}", "{WECOM_FILE}", "{DT_FILE}"};
  const char *values[] = {e->db,         mw_fixture_base_url(e->fx),
                          lexicon,       gazetteer,
                          e->wecom_file, e->dt_file};
  const size_t n = sizeof names / sizeof names[0];
  struct mw_buf y;
  mw_buf_init(&y, 1u << 20);
  for (const char *p = config_tmpl; *p;) {
    size_t k = 0;
    while (k < n && strncmp(p, names[k], strlen(names[k]))) k++;
    if (k < n) {
      assert_int_equal(mw_buf_puts(&y, values[k]), MW_OK);
      p += strlen(names[k]);
    } else {
      assert_int_equal(mw_buf_putc(&y, *p++), MW_OK);
    }
  }
  e2e_write_file(e->cfg, y.data);
  mw_buf_cleanup(&y);
}

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  assert_non_null(e);
  char sites[1024], text[1024];
  e2e_scratch_new(&e->dir, "secrets");
  e2e_path(&e->dir, "mw.yaml", e->cfg, sizeof e->cfg);
  e2e_path(&e->dir, "mw.db", e->db, sizeof e->db);
  e2e_path(&e->dir, "wecom-url", e->wecom_file, sizeof e->wecom_file);
  e2e_path(&e->dir, "dingtalk-secret", e->dt_file, sizeof e->dt_file);
  e2e_data("sites", sites, sizeof sites);
  e->fx = e2e_fixture(sites);
  const char *b = mw_fixture_base_url(e->fx);
  snprintf(text, sizeof text, "%s/hook/wecom?key=" WECOM_KEY "\n", b);
  write_secret_file(e->wecom_file, text);
  write_secret_file(e->dt_file, DT_SECRET_WRONG "\n");
  snprintf(text, sizeof text, "%s/hook/dingtalk?access_token=" DT_TOKEN, b);
  setenv("MW_S_DINGTALK_URL", text, 1);
  snprintf(text, sizeof text, "%s/hook/webhook/down-desk?token=" DOWN_TOKEN, b);
  setenv("MW_S_DOWN_URL", text, 1);
  setenv("MW_S_WEBHOOK_KEY", WEBHOOK_KEY, 1);
  setenv("MW_S_DOWN_KEY", DOWN_KEY, 1);
  assert_int_equal(
      mw_fixture_set_receiver_secret(e->fx, "webhook", WEBHOOK_KEY), 0);
  assert_int_equal(mw_fixture_set_receiver_secret(e->fx, "wecom", WECOM_KEY),
                   0);
  assert_int_equal(
      mw_fixture_set_receiver_secret(e->fx, "dingtalk", DT_SECRET_RIGHT), 0);
  assert_int_equal(
      mw_fixture_set_receiver_down(e->fx, "/hook/webhook/down-desk", true), 0);
  write_config(e);
  mw_buf_init(&e->seen, 64u << 20);
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  mw_fixture_stop(e->fx);
  e2e_scratch_free(&e->dir);
  mw_buf_cleanup(&e->seen);
  free(e);
  return 0;
}

/* ----------------------------------------------------------- helpers */

/* Fails the test when any secret occurs in the len bytes at p (which may
 * hold NULs: a database file). */
static void expect_no_secret(const char *what, const char *p, size_t len) {
  for (size_t i = 0; i < N_SECRETS; i++) {
    size_t n = strlen(secrets[i]);
    for (size_t k = 0; n <= len && k <= len - n; k++)
      if (p[k] == secrets[i][0] && !memcmp(p + k, secrets[i], n))
        fail_msg("%s holds the secret %s at byte %zu:\n%.*s", what, secrets[i],
                 k, (int)(len - k < 400 ? len - k : 400), p + k);
  }
}

/* Runs `mediawatch ARGS... --config CFG`, keeps both outputs in e->seen,
 * checks them, and returns the exit status; *out gets stdout when asked. */
static int run(struct env *e, char **out, const char *const *args) {
  const char *argv[24];
  size_t n = 0;
  while (args[n]) {
    argv[n] = args[n];
    n++;
  }
  argv[n++] = "--config";
  argv[n++] = e->cfg;
  argv[n] = NULL;
  char *o = NULL, *er = NULL;
  int rc = e2e_run(&o, &er, argv);
  char label[256];
  snprintf(label, sizeof label, "mediawatch %s %s", args[0],
           args[1] ? args[1] : "");
  expect_no_secret(label, o, strlen(o));
  expect_no_secret(label, er, strlen(er));
  assert_int_equal(
      mw_buf_printf(&e->seen, "== %s (exit %d)\n%s\n%s\n", label, rc, o, er),
      MW_OK);
  if (out)
    *out = o;
  else
    free(o);
  free(er);
  return rc;
}

/* Checks the bytes of path; returns whether they hold marker (so the test
 * knows it searched where the failures were written). */
static bool expect_file_clean(const char *path, const char *marker) {
  size_t len = 0;
  char *bytes = e2e_read_file(path, &len);
  if (!bytes) fail_msg("%s is missing", path);
  assert_true(len > 0);
  expect_no_secret(path, bytes, len);
  bool found = false;
  for (size_t k = 0, n = strlen(marker); !found && n <= len && k <= len - n;
       k++)
    found = !memcmp(bytes + k, marker, n);
  free(bytes);
  return found;
}

static const char *jstr(json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

/* ------------------------------------------------------------- tests */

static void test_secrets_stay_out(void **state) {
  struct env *e = *state;
  char *out = NULL;
  const char *crawl[] = {"crawl", "--once", NULL};
  assert_int_equal(run(e, &out, crawl), 0);
  if (!strstr(out, "new articles: 19"))
    fail_msg("unexpected crawl summary:\n%s", out);
  free(out);

  /* The store mediawatch created is its owner's only (store/open.c). */
  struct stat sb;
  assert_int_equal(stat(e->db, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);

  /* Held open from here on, so what the next commands write stays in the
   * -wal for the search below. */
  struct mw_store *held = NULL;
  struct mw_err err = {0};
  assert_int_equal(mw_store_open(e->db, &held, &err), MW_OK);

  const char *list[] = {"alerts", "list", NULL};
  assert_int_equal(run(e, NULL, list), 0);
  const char *list_json[] = {"alerts", "list", "--json", NULL};
  assert_int_equal(run(e, &out, list_json), 0);
  json_t *l = e2e_json(out);
  assert_int_equal(json_array_size(l), 3);
  /* Now and an hour on: the refused and the down receivers fail again. */
  const char *send[] = {"alerts", "send", NULL};
  run(e, NULL, send);
  const char *send_later[] = {"alerts", "send", "--now", "1h", NULL};
  run(e, NULL, send_later);

  size_t failed_dt = 0, failed_down = 0, sent = 0;
  for (size_t i = 0; i < json_array_size(l); i++) {
    char id[32];
    snprintf(id, sizeof id, "%lld",
             (long long)json_integer_value(
                 json_object_get(json_array_get(l, i), "id")));
    const char *show_text[] = {"alerts", "show", id, NULL};
    assert_int_equal(run(e, NULL, show_text), 0);
    const char *show[] = {"alerts", "show", id, "--json", NULL};
    assert_int_equal(run(e, &out, show), 0);
    json_t *s = e2e_json(out);
    json_t *notes = json_object_get(s, "notifications");
    for (size_t k = 0; k < json_array_size(notes); k++) {
      json_t *m = json_array_get(notes, k);
      const char *recv = jstr(m, "receiver");
      bool done = json_integer_value(json_object_get(m, "sent_at")) != 0;
      bool tried = json_integer_value(json_object_get(m, "attempts")) > 0;
      /* A failed head of a queue holds the messages behind it back: only
       * the heads were tried, and each says why it failed. */
      if (done) {
        sent++;
      } else if (tried) {
        assert_non_null(jstr(m, "last_error"));
        if (!strcmp(recv, "领导钉钉")) {
          assert_non_null(strstr(jstr(m, "last_error"), "310000"));
          failed_dt++;
        } else {
          assert_string_equal(recv, "备用平台");
          assert_non_null(strstr(jstr(m, "last_error"), "HTTP 503"));
          failed_down++;
        }
      }
    }
    json_decref(s);
  }
  json_decref(l);
  /* The failures really happened, each with a reason recorded. */
  assert_int_equal(failed_dt, 1);
  assert_int_equal(failed_down, 1);
  assert_int_equal(sent, 8); /* 4 to the duty desk, 4 to the WeCom group */

  const char *check[] = {"config", "check", NULL};
  assert_int_equal(run(e, NULL, check), 0);
  /* A secret file others may read is refused by name, not by content. */
  assert_int_equal(chmod(e->dt_file, 0644), 0);
  char *er = NULL;
  const char *check_args[] = {"config", "check", "--config", e->cfg, NULL};
  assert_int_not_equal(e2e_run(&out, &er, check_args), 0);
  expect_no_secret("config check (0644 secret file)", out, strlen(out));
  expect_no_secret("config check (0644 secret file)", er, strlen(er));
  if (!strstr(er, e->dt_file) && !strstr(out, e->dt_file))
    fail_msg("config check does not name %s:\n%s\n%s", e->dt_file, out, er);
  free(out);
  free(er);
  assert_int_equal(chmod(e->dt_file, 0600), 0);

  /* The store's bytes, the WAL included. */
  char wal[1100];
  snprintf(wal, sizeof wal, "%s-wal", e->db);
  bool in_db = expect_file_clean(e->db, "/hook/webhook/down-desk: HTTP 503");
  bool in_wal = expect_file_clean(wal, "/hook/webhook/down-desk: HTTP 503");
  assert_true(in_db || in_wal); /* the recorded failure was searched */
  mw_store_close(held);

  /* What the fixture saw: no file request names a secret; deliveries
   * carry none in their bodies or signatures, and only the WeCom robot's
   * query carries its own key. */
  struct mw_fixture_request_rec *reqs = NULL;
  size_t nreq = 0;
  assert_int_equal(mw_fixture_request_log(e->fx, NULL, 0, &reqs, &nreq), 0);
  assert_true(nreq >= 3);
  for (size_t i = 0; i < nreq; i++)
    expect_no_secret("fixture request log", reqs[i].path, strlen(reqs[i].path));
  mw_fixture_request_log_free(reqs, nreq);

  struct mw_fixture_delivery *d = NULL;
  size_t nd = e2e_deliveries(e->fx, NULL, &d);
  size_t wecom = 0, duty = 0;
  for (size_t i = 0; i < nd; i++) {
    expect_no_secret(d[i].path, d[i].path, strlen(d[i].path));
    expect_no_secret(d[i].path, d[i].body, d[i].body_len);
    if (d[i].signature)
      expect_no_secret(d[i].path, d[i].signature, strlen(d[i].signature));
    if (d[i].delivery_id)
      expect_no_secret(d[i].path, d[i].delivery_id, strlen(d[i].delivery_id));
    if (!strcmp(d[i].path, "/hook/wecom")) {
      /* The one place the key belongs. */
      assert_string_equal(d[i].query, "key=" WECOM_KEY);
      wecom++;
    } else {
      expect_no_secret(d[i].path, d[i].query, strlen(d[i].query));
      if (!strcmp(d[i].path, "/hook/webhook/duty-desk")) {
        assert_non_null(d[i].signature);
        assert_true(!strncmp(d[i].signature, "sha256=", 7));
        duty++;
      } else {
        fail_msg("unexpected delivery to %s", d[i].path);
      }
    }
  }
  mw_fixture_deliveries_free(d, nd);
  assert_true(wecom >= 1);
  assert_true(duty >= 1);

  /* The whole transcript once more, as one text (a secret split over two
   * writes of one command would still be whole in its output). */
  expect_no_secret("transcript", e->seen.data, e->seen.len);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_secrets_stay_out, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
