/*
 * test_cmd_config.c: `mediawatch config check` on the receivers of the
 * alerts section (cli/cmd_config.c): an environment variable that is not
 * set, a secret file others can read, a file that is not there, and a
 * command that can be run are each reported by name and path, never with
 * the secret itself; once fixed, the check passes. Runs the real binary
 * under $MW_BUILD_ROOT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"

#define SECRET "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0c1d-zz9q"

static char dir[256];

static void path_in(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text, mode_t mode) {
  char p[512];
  path_in(name, p, sizeof p);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  assert_int_equal(chmod(p, mode), 0);
}

static char *slurp(const char *p) {
  FILE *f = fopen(p, "rb");
  assert_non_null(f);
  struct mw_buf b;
  mw_buf_init(&b, 1 << 20);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    assert_int_equal(mw_buf_append(&b, chunk, n), MW_OK);
  fclose(f);
  assert_int_equal(mw_buf_puts(&b, ""), MW_OK);
  return mw_buf_steal(&b);
}

/* Runs `mediawatch config check --config DIR/mw.yaml`; returns the exit
 * status with stdout and stderr in *out and *err. */
static int check(char **out, char **err) {
  const char *root = getenv("MW_BUILD_ROOT");
  assert_non_null(root);
  char bin[512], cfg[512], o[512], e[512];
  snprintf(bin, sizeof bin, "%s/mediawatch", root);
  path_in("mw.yaml", cfg, sizeof cfg);
  path_in("out.txt", o, sizeof o);
  path_in("err.txt", e, sizeof e);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0) _exit(127);
    execl(bin, bin, "config", "check", "--config", cfg, (char *)NULL);
    _exit(127);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  *out = slurp(o);
  *err = slurp(e);
  return WEXITSTATUS(status);
}

static void expect(const char *text, const char *fmt, ...) {
  char want[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(want, sizeof want, fmt, ap);
  va_end(ap);
  if (!strstr(text, want)) {
    print_error("missing: %s\n--- in:\n%s\n", want, text);
    fail();
  }
}

static const char config[] =
    "timezone: \"+08:00\"\n"
    "outlets:\n"
    "  - name: 吉林日报\n"
    "    tier: provincial\n"
    "    sources:\n"
    "      - url: https://www.jlrbszb.com/rss.xml\n"
    "alerts:\n"
    "  receivers:\n"
    "    - {name: 值班群, kind: wecom, url_env: MW_TEST_WECOM_URL}\n"
    "    - {name: duty-dingtalk, kind: dingtalk, url_file: keys/dt.url,\n"
    "       secret_env: MW_TEST_DT_SECRET}\n"
    "    - {name: 飞书, kind: feishu, url_file: keys/fs.url,\n"
    "       secret_file: keys/fs.secret}\n"
    "    - {name: sms, kind: exec, command: [/bin/true, --group, 值班]}\n"
    "    - {name: hook, kind: webhook, url: \"http://10.1.2.9/hook\"}\n"
    "  routes:\n"
    "    - receivers: [值班群, hook]\n";

static void test_receivers(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/mw_cmd_config_XXXXXX", tmp ? tmp : "/tmp");
  assert_non_null(mkdtemp(dir));
  char keys[512];
  path_in("keys", keys, sizeof keys);
  assert_int_equal(mkdir(keys, 0700), 0);
  write_file("mw.yaml", config, 0644);
  write_file("keys/dt.url",
             "https://oapi.dingtalk.com/robot/send?access_token=zz9q-dt\n",
             0644);
  write_file("keys/fs.url",
             "https://open.feishu.cn/open-apis/bot/v2/hook/zz9q-fs\n", 0600);
  setenv("MW_TEST_WECOM_URL", SECRET, 1);
  unsetenv("MW_TEST_DT_SECRET");

  char *out, *err;
  assert_int_equal(check(&out, &err), 2);
  expect(out, "receiver '值班群': url_env MW_TEST_WECOM_URL is set\n");
  expect(err, "mediawatch: receiver 'duty-dingtalk': url_file %s/keys/dt.url "
              "is readable by others (mode 0644): chmod 600 %s/keys/dt.url\n",
         dir, dir);
  expect(err, "mediawatch: receiver 'duty-dingtalk': secret_env "
              "MW_TEST_DT_SECRET is not set in this environment: set it where "
              "mediawatch runs\n");
  expect(out, "receiver '飞书': url_file %s/keys/fs.url is private to its "
              "owner (mode 0600)\n", dir);
  expect(err, "mediawatch: receiver '飞书': secret_file %s/keys/fs.secret "
              "cannot be read: No such file or directory\n", dir);
  expect(out, "receiver 'sms': command /bin/true can be run\n");
  expect(out, "receiver 'hook': url written in the config (no secret in it)\n");
  expect(out, "mw.yaml: errors: 1 outlets, 1 sources, 0 topics, 0 targets;");
  expect(out, "alerts: 5 receivers, 1 routes, 0 people, 0 shifts; gazetteer "
              "none\n");
  expect(out, "2 receivers cannot be used as configured: fix what is said "
              "above before `mediawatch run`\n");
  /* Where the secrets are, never what they are. */
  assert_null(strstr(out, "zz9q"));
  assert_null(strstr(err, "zz9q"));
  free(out);
  free(err);

  /* Fixed: private files, the variable set. A group-writable file is
   * refused too. */
  char p[512];
  path_in("keys/dt.url", p, sizeof p);
  assert_int_equal(chmod(p, 0620), 0);
  setenv("MW_TEST_DT_SECRET", "zz9q-dt-sign", 1);
  write_file("keys/fs.secret", "zz9q-fs-sign\n", 0400);
  assert_int_equal(check(&out, &err), 2);
  expect(err, "mediawatch: receiver 'duty-dingtalk': url_file %s/keys/dt.url "
              "is writable by others (mode 0620): chmod 600 %s/keys/dt.url\n",
         dir, dir);
  free(out);
  free(err);

  assert_int_equal(chmod(p, 0600), 0);
  assert_int_equal(check(&out, &err), 0);
  expect(out, "mw.yaml: ok: 1 outlets");
  expect(out, "receiver 'duty-dingtalk': secret_env MW_TEST_DT_SECRET is "
              "set\n");
  expect(out, "receiver '飞书': secret_file %s/keys/fs.secret is private to "
              "its owner (mode 0400)\n", dir);
  assert_string_equal(err, "");
  assert_null(strstr(out, "zz9q"));
  free(out);
  free(err);

  /* An empty variable is as good as none. */
  setenv("MW_TEST_WECOM_URL", "", 1);
  assert_int_equal(check(&out, &err), 2);
  expect(err, "mediawatch: receiver '值班群': url_env MW_TEST_WECOM_URL is "
              "empty in this environment: set it where mediawatch runs\n");
  free(out);
  free(err);

  static const char *const files[] = {"keys/dt.url", "keys/fs.url",
                                      "keys/fs.secret", "mw.yaml", "out.txt",
                                      "err.txt"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    path_in(files[i], p, sizeof p);
    unlink(p);
  }
  rmdir(keys);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_receivers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
