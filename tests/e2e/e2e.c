/* e2e.c: see e2e.h. Test helpers may abort the test on setup failures. */
#include <errno.h>
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
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

/* Whether line (len bytes) is "<indent>lexicon: FILE" or "<indent>gazetteer:
 * FILE" with FILE relative; *key and *value (lengths *klen, *vlen) say
 * where. */
static bool relative_file_line(const char *line, size_t len, const char **key,
                               size_t *klen, const char **value, size_t *vlen) {
  /* calendar: is a top-level key, the others are nested. */
  static const char *const keys[] = {"lexicon:", "gazetteer:", "calendar:"};
  size_t i = 0;
  while (i < len && line[i] == ' ') i++;
  for (size_t k = 0; k < 3; k++) {
    size_t kl = strlen(keys[k]);
    if ((i == 0) != (k == 2) || i + kl > len ||
        strncmp(line + i, keys[k], kl))
      continue;
    size_t v = i + kl;
    while (v < len && line[v] == ' ') v++;
    size_t e = v;
    while (e < len && line[e] != '\n' &&
           !(line[e] == '#' && line[e - 1] == ' '))
      e++;
    while (e > v && line[e - 1] == ' ') e--;
    if (e == v || line[v] == '/' || line[v] == '"' || line[v] == '#')
      return false;
    *key = line;
    *klen = i + kl;
    *value = line + v;
    *vlen = e - v;
    return true;
  }
  return false;
}

void e2e_make_config(const char *template_path, const char *out_path,
                     const char *base_url, const char *db_path) {
  char *t = e2e_read_file(template_path, NULL);
  assert_non_null(t);
  /* The template's folder, for the files it names relative to it. */
  const char *slash = strrchr(template_path, '/');
  int dir_len = slash ? (int)(slash - template_path) : 1;
  const char *dir = slash ? template_path : ".";
  struct mw_buf b;
  mw_buf_init(&b, 16u << 20);
  const char *origin = "http://127.0.0.1:18931";
  const char *p = t;
  while (*p) {
    const char *line_end = strchr(p, '\n');
    size_t len = line_end ? (size_t)(line_end - p + 1) : strlen(p);
    const char *key, *value;
    size_t klen, vlen;
    if (!strncmp(p, "storage:", 8)) {
      mw_buf_printf(&b, "storage: \"%s\"\n", db_path);
    } else if (relative_file_line(p, len, &key, &klen, &value, &vlen)) {
      mw_buf_printf(&b, "%.*s \"%.*s/%.*s\"\n", (int)klen, key, dir_len, dir,
                    (int)vlen, value);
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

/* MW_E2E_VALGRIND=1 (scripts/valgrind-suite) runs the binary under
 * valgrind memcheck: exit status 99 when it finds an error or a definite
 * leak. Its report goes to MW_E2E_VALGRIND_LOG (a valgrind --log-file
 * pattern; default $TMPDIR/mw-vg-e2e.%p.log), not to the stderr tests read. */
static size_t valgrind_prefix(const char **argv, char *logopt, size_t n) {
  const char *on = getenv("MW_E2E_VALGRIND");
  if (!on || strcmp(on, "1") != 0) return 0;
  const char *log = getenv("MW_E2E_VALGRIND_LOG");
  const char *tmp = getenv("TMPDIR");
  if (log && *log)
    snprintf(logopt, n, "--log-file=%s", log);
  else
    snprintf(logopt, n, "--log-file=%s/mw-vg-e2e.%%p.log", tmp ? tmp : "/tmp");
  size_t k = 0;
  argv[k++] = "/usr/bin/valgrind";
  argv[k++] = "--error-exitcode=99";
  argv[k++] = "--leak-check=full";
  argv[k++] = "--errors-for-leak-kinds=definite";
  argv[k++] = "--num-callers=30";
  argv[k++] = "--vgdb=no"; /* no pipes left behind by a SIGKILLed run */
  argv[k++] = "--suppressions=" MW_SOURCE_ROOT "/tests/valgrind.supp";
  argv[k++] = logopt;
  return k;
}

static void exec_mediawatch(const char *bin, const char *const *args,
                            int ofd, int efd) {
  const char *argv[64];
  char logopt[1100];
  size_t n = valgrind_prefix(argv, logopt, sizeof logopt);
  const char *prog = n ? argv[0] : bin;
  argv[n++] = bin;
  for (size_t i = 0; args[i] && n < 63; i++) argv[n++] = args[i];
  argv[n] = NULL;
  dup2(ofd, 1);
  dup2(efd, 2);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  execv(prog, (char *const *)argv);
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

/* ------------------------------------------------- alerts and receivers */

char *e2e_run_config(const char *cfg, int want, char **err_out, ...) {
  const char *args[40];
  size_t n = 0;
  va_list ap;
  va_start(ap, err_out);
  const char *a;
  while (n < 36 && (a = va_arg(ap, const char *))) args[n++] = a;
  va_end(ap);
  args[n++] = "--config";
  args[n++] = cfg;
  args[n] = NULL;
  char *out = NULL, *err = NULL;
  int rc = e2e_run(&out, &err, args);
  if (rc != want)
    fail_msg("mediawatch %s %s exited %d, not %d\nstdout:\n%s\nstderr:\n%s",
             args[0], n > 3 ? args[1] : "", rc, want, out, err);
  if (err_out)
    *err_out = err;
  else
    free(err);
  return out;
}

json_t *e2e_json(char *text) {
  json_error_t je;
  json_t *j = json_loads(text, 0, &je);
  if (!j) fail_msg("not JSON (%s):\n%s", je.text, text);
  free(text);
  return j;
}

static int row_by_id(const void *a, const void *b) {
  const struct e2e_outbox_row *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

long e2e_outbox(const char *db, struct e2e_outbox_row *rows, size_t max) {
  struct mw_store *st;
  struct mw_err err;
  if (mw_store_open(db, &st, &err)) return -1;
  struct mw_alert_filter f = {0};
  struct mw_alert_rec *recs = NULL;
  size_t n = 0, k = 0;
  long rc = mw_store_alert_list(st, &f, &recs, &n, &err) ? -1 : 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    struct mw_outbox_msg *m = NULL;
    size_t nm = 0;
    if (mw_store_outbox_of_alert(st, recs[i].id, &m, &nm, &err)) {
      rc = -1;
      break;
    }
    for (size_t j = 0; j < nm && k < max; j++, k++) {
      rows[k] = (struct e2e_outbox_row){.id = m[j].id,
                                        .alert_id = m[j].alert_id,
                                        .sent_at = m[j].sent_at,
                                        .attempts = m[j].attempts};
      snprintf(rows[k].receiver, sizeof rows[k].receiver, "%s", m[j].receiver);
      snprintf(rows[k].kind, sizeof rows[k].kind, "%s", m[j].kind);
    }
    mw_outbox_msgs_free(m, nm);
  }
  mw_alert_recs_free(recs, n);
  mw_store_close(st);
  if (rc == 0) qsort(rows, k, sizeof *rows, row_by_id);
  return rc == 0 ? (long)k : -1;
}

size_t e2e_deliveries(struct mw_fixture *fx, const char *prefix,
                      struct mw_fixture_delivery **d) {
  size_t n = 0;
  *d = NULL;
  assert_int_equal(mw_fixture_deliveries(fx, prefix, d, &n), MW_OK);
  return n;
}

size_t e2e_delivery_count(struct mw_fixture *fx, const char *prefix) {
  struct mw_fixture_delivery *d;
  size_t n = e2e_deliveries(fx, prefix, &d);
  mw_fixture_deliveries_free(d, n);
  return n;
}

#define OUTBOX_MAX 512

json_t *e2e_last_json(struct mw_fixture *fx, const char *prefix) {
  struct mw_fixture_delivery *d;
  size_t n = e2e_deliveries(fx, prefix, &d);
  if (!n) fail_msg("nothing was delivered to %s", prefix);
  json_error_t je;
  json_t *j = json_loadb(d[n - 1].body, d[n - 1].body_len, 0, &je);
  if (!j) fail_msg("the last delivery to %s is not JSON: %s", prefix, je.text);
  mw_fixture_deliveries_free(d, n);
  return j;
}

void e2e_expect_in_order(struct mw_fixture *fx, const char *db,
                         const char *receiver, const char *path) {
  static struct e2e_outbox_row rows[OUTBOX_MAX];
  long n = e2e_outbox(db, rows, OUTBOX_MAX);
  assert_true(n >= 0);
  struct mw_fixture_delivery *d;
  size_t nd = e2e_deliveries(fx, path, &d), k = 0;
  for (long i = 0; i < n; i++) {
    if (strcmp(rows[i].receiver, receiver)) continue;
    if (k >= nd)
      fail_msg("notification %lld never reached %s", (long long)rows[i].id,
               path);
    assert_non_null(d[k].delivery_id);
    assert_int_equal(strtoll(d[k].delivery_id, NULL, 10), rows[i].id);
    k++;
  }
  assert_int_equal(k, nd);
  mw_fixture_deliveries_free(d, nd);
}

void e2e_expect_exactly_once(struct mw_fixture *fx, const char *db,
                             const char *(*path_of)(const char *receiver)) {
  static struct e2e_outbox_row rows[OUTBOX_MAX];
  bool seen[OUTBOX_MAX] = {false};
  long n = e2e_outbox(db, rows, OUTBOX_MAX);
  assert_true(n > 0 && n < OUTBOX_MAX);
  struct mw_fixture_delivery *d = NULL;
  size_t nd = e2e_deliveries(fx, "/hook/", &d);
  for (size_t i = 0; i < nd; i++) {
    if (!d[i].delivery_id)
      fail_msg("a delivery to %s without a delivery id", d[i].path);
    int64_t id = strtoll(d[i].delivery_id, NULL, 10);
    long k = 0;
    while (k < n && rows[k].id != id) k++;
    if (k == n)
      fail_msg("delivery %lld to %s is in no outbox", (long long)id, d[i].path);
    if (seen[k]) fail_msg("notification %lld delivered twice", (long long)id);
    seen[k] = true;
    assert_string_equal(d[i].path, path_of(rows[k].receiver));
  }
  for (long k = 0; k < n; k++)
    if (!seen[k] || !rows[k].sent_at)
      fail_msg("notification %lld (%s to %s) %s", (long long)rows[k].id,
               rows[k].kind, rows[k].receiver,
               seen[k] ? "arrived but is not marked sent" : "never arrived");
  assert_int_equal(nd, (size_t)n);
  mw_fixture_deliveries_free(d, nd);
}

/* ------------------------------------------------------ report charts */

static int hex_digit(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : -1;
}

char *e2e_chart_svg(const char *html, const char *id) {
  char key[64];
  snprintf(key, sizeof key, "<img class=\"chart\" id=\"%s\"", id);
  const char *at = strstr(html, key);
  if (!at) fail_msg("no chart %s in the page", id);
  static const char scheme[] = "src=\"data:image/svg+xml;charset=utf-8,";
  at = strstr(at, scheme);
  if (!at) fail_msg("chart %s is not an SVG data: URI", id);
  at += sizeof scheme - 1;
  const char *end = strchr(at, '"');
  if (!end) fail_msg("chart %s: its src never ends", id);
  char *svg = malloc((size_t)(end - at) + 1);
  assert_non_null(svg);
  size_t n = 0;
  for (const char *p = at; p < end; p++) {
    int hi = p + 2 < end && *p == '%' ? hex_digit(p[1]) : -1;
    int lo = hi >= 0 ? hex_digit(p[2]) : -1;
    if (lo >= 0) {
      svg[n++] = (char)(hi * 16 + lo);
      p += 2;
    } else {
      svg[n++] = *p;
    }
  }
  svg[n] = '\0';
  return svg;
}

void e2e_expect_in(const char *text, const char *needle) {
  if (!text || !strstr(text, needle))
    fail_msg("expected '%s' in:\n%s", needle, text ? text : "(null)");
}

size_t e2e_count(const char *text, const char *needle) {
  size_t n = 0, len = strlen(needle);
  for (const char *p = text; p && (p = strstr(p, needle)); p += len) n++;
  return n;
}

void e2e_demo_crawled(struct e2e_demo *d, const char *name) {
  char sites[1024], tmpl[1024];
  e2e_data("sites", sites, sizeof sites);
  e2e_source("examples/demo.yaml", tmpl, sizeof tmpl);
  e2e_scratch_new(&d->dir, name);
  e2e_path(&d->dir, "mediawatch.yaml", d->cfg, sizeof d->cfg);
  e2e_path(&d->dir, "mw.db", d->db, sizeof d->db);
  d->fx = e2e_fixture(sites);
  e2e_make_config(tmpl, d->cfg, mw_fixture_base_url(d->fx), d->db);
  char *out = NULL, *err = NULL;
  const char *crawl[] = {"crawl", "--once", "--config", d->cfg, NULL};
  int rc = e2e_run(&out, &err, crawl);
  if (rc != 0) fail_msg("crawl exited %d\n%s\n%s", rc, out, err);
  free(out);
  free(err);
}

void e2e_demo_free(struct e2e_demo *d) {
  mw_fixture_stop(d->fx);
  e2e_scratch_free(&d->dir);
}

/* nftw takes no user pointer: the copy in progress lives here. */
static char copy_from[1024], copy_to[1024];

static int copy_entry(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw) {
  (void)ftw;
  (void)sb;
  char dst[2048];
  snprintf(dst, sizeof dst, "%s%s", copy_to, path + strlen(copy_from));
  if (flag == FTW_D)
    return mkdir(dst, 0755) && strcmp(path, copy_from) && errno != EEXIST;
  if (flag != FTW_F) return 0;
  size_t len = 0;
  char *data = e2e_read_file(path, &len);
  FILE *f = fopen(dst, "wb");
  int bad = !data || !f || fwrite(data, 1, len, f) != len;
  if (f) bad |= fclose(f) != 0;
  free(data);
  return bad;
}

void e2e_copy_tree(const char *from, const char *to) {
  snprintf(copy_from, sizeof copy_from, "%s", from);
  snprintf(copy_to, sizeof copy_to, "%s", to);
  assert_int_equal(mkdir(to, 0755), 0);
  assert_int_equal(nftw(from, copy_entry, 16, FTW_PHYS), 0);
}

void e2e_overlay_tree(const char *from, const char *to) {
  snprintf(copy_from, sizeof copy_from, "%s", from);
  snprintf(copy_to, sizeof copy_to, "%s", to);
  assert_int_equal(nftw(from, copy_entry, 16, FTW_PHYS), 0);
}
