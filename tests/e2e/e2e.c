/* e2e.c: see e2e.h. Test helpers may abort the test on setup failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"

void e2e_scratch_new(struct e2e_scratch *s, const char *name) {
  const char *tmp = getenv("TMPDIR");
  snprintf(s->dir, sizeof s->dir, "%s/mw-%s-XXXXXX", tmp ? tmp : "/tmp", name);
  assert_non_null(mkdtemp(s->dir));
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void e2e_scratch_free(struct e2e_scratch *s) {
  nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void e2e_path(const struct e2e_scratch *s, const char *name, char *buf,
              size_t n) {
  snprintf(buf, n, "%s/%s", s->dir, name);
}

char *e2e_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  struct mw_buf b;
  mw_buf_init(&b, 256u << 20);
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    assert_int_equal(mw_buf_append(&b, chunk, n), MW_OK);
  fclose(f);
  if (len) *len = b.len;
  return mw_buf_steal(&b);
}

void e2e_write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  assert_int_equal(fclose(f), 0);
}

void e2e_make_config(const char *template_path, const char *out_path,
                     const char *base_url, const char *db_path) {
  char *t = e2e_read_file(template_path, NULL);
  assert_non_null(t);
  struct mw_buf b;
  mw_buf_init(&b, 16u << 20);
  const char *origin = "http://127.0.0.1:18931";
  const char *p = t;
  while (*p) {
    const char *line_end = strchr(p, '\n');
    size_t len = line_end ? (size_t)(line_end - p + 1) : strlen(p);
    if (!strncmp(p, "storage:", 8)) {
      mw_buf_printf(&b, "storage: \"%s\"\n", db_path);
    } else {
      const char *q = p;
      while (q < p + len) {
        const char *hit = strstr(q, origin);
        if (!hit || hit >= p + len) {
          mw_buf_append(&b, q, (size_t)(p + len - q));
          break;
        }
        mw_buf_append(&b, q, (size_t)(hit - q));
        mw_buf_puts(&b, base_url);
        q = hit + strlen(origin);
      }
    }
    p += len;
  }
  e2e_write_file(out_path, b.data);
  mw_buf_cleanup(&b);
  free(t);
}

static char *slurp_fd(int fd) {
  struct mw_buf b;
  mw_buf_init(&b, 64u << 20);
  char chunk[8192];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0)
    mw_buf_append(&b, chunk, (size_t)n);
  close(fd);
  return mw_buf_steal(&b);
}

static void binary_path(char *bin, size_t n) {
  const char *root = getenv("MW_BUILD_ROOT");
  snprintf(bin, n, "%s/mediawatch", root ? root : ".");
}

static void exec_mediawatch(const char *bin, const char *const *args,
                            int ofd, int efd) {
  const char *argv[64];
  size_t n = 0;
  argv[n++] = bin;
  for (size_t i = 0; args[i] && n < 63; i++) argv[n++] = args[i];
  argv[n] = NULL;
  dup2(ofd, 1);
  dup2(efd, 2);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  execv(bin, (char *const *)argv);
  _exit(127);
}

int e2e_spawn(const struct e2e_scratch *dir, const char *const *args) {
  char bin[1024], outp[1024], errp[1024];
  binary_path(bin, sizeof bin);
  e2e_path(dir, "spawn.out", outp, sizeof outp);
  e2e_path(dir, "spawn.err", errp, sizeof errp);
  int ofd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int efd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(ofd >= 0 && efd >= 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) exec_mediawatch(bin, args, ofd, efd);
  close(ofd);
  close(efd);
  return (int)pid;
}

int e2e_wait(const struct e2e_scratch *dir, int pid, char **out, char **err) {
  int status;
  waitpid((pid_t)pid, &status, 0);
  char outp[1024], errp[1024];
  e2e_path(dir, "spawn.out", outp, sizeof outp);
  e2e_path(dir, "spawn.err", errp, sizeof errp);
  if (out) *out = e2e_read_file(outp, NULL);
  if (err) *err = e2e_read_file(errp, NULL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int e2e_run(char **out, char **err, const char *const *args) {
  char bin[1024];
  binary_path(bin, sizeof bin);
  char outp[] = "/tmp/mw-e2e-out-XXXXXX", errp[] = "/tmp/mw-e2e-err-XXXXXX";
  int ofd = mkstemp(outp), efd = mkstemp(errp);
  assert_true(ofd >= 0 && efd >= 0);
  unlink(outp);
  unlink(errp);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) exec_mediawatch(bin, args, ofd, efd);
  int status;
  waitpid(pid, &status, 0);
  lseek(ofd, 0, SEEK_SET);
  lseek(efd, 0, SEEK_SET);
  char *o = slurp_fd(ofd), *e = slurp_fd(efd);
  if (out) *out = o;
  else free(o);
  if (err) *err = e;
  else free(e);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void e2e_data(const char *rel, char *buf, size_t n) {
  const char *d = getenv("MW_TEST_DATA");
  snprintf(buf, n, "%s/%s", d ? d : "tests/data", rel);
}

void e2e_source(const char *rel, char *buf, size_t n) {
  snprintf(buf, n, "%s/%s", MW_SOURCE_ROOT, rel);
}

struct mw_fixture *e2e_fixture(const char *root) {
  struct mw_fixture *f = NULL;
  struct mw_fixture_options o = {.root = root, .bind_addr = "127.0.0.1",
                                 .port = 0};
  struct mw_err err;
  if (mw_fixture_start(&o, &f, &err) != MW_OK) fail_msg("%s", err.msg);
  return f;
}
