/*
 * test_render.c: the HTML report as a real browser draws it. The real
 * binary crawls the fixture sites once with examples/demo.yaml and writes
 * the report of May 2023 as HTML; Debian's headless Chromium renders the
 * file to PNG (nothing fetched: the page is self-contained), and the test
 * decodes the PNG with libpng and checks what is on it:
 *   - the page is not blank (many non-white pixels, many colours);
 *   - each chart colour covers, pixel for pixel, the area of the bars the
 *     SVG images declare (within a few per cent: an image may land on a
 *     fractional position and soften its edges);
 *   - one row of the screenshot crosses as many separate daily bars as May
 *     had days with articles, so the daily chart drew its bars apart.
 * xmllint's view of the same page is test_report.c's concern.
 *
 * The screenshot stays in $MW_BUILD_ROOT/test-artefacts/report.png for a
 * person to look at; its path is printed. Without /usr/bin/chromium the
 * test fails and says to run scripts/bootstrap (CI does, through the
 * README's command). Chromium runs in its own process group and the whole
 * group is killed when it outlives RENDER_TIMEOUT_S.
 */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/e2e/e2e.h"

/* Overridable at compile time only to try the failure paths by hand. */
#ifndef CHROMIUM
#define CHROMIUM "/usr/bin/chromium"
#endif
#ifndef RENDER_TIMEOUT_S
#define RENDER_TIMEOUT_S 60
#endif
#define WIN_W 1000
#define WIN_H 3000
/* The fills of report/html_charts.c: BAR_COLOR (daily and outlet charts)
 * and TIER_COLOR (the tier chart; the page's h1 and h2 rules use it too). */
#define BAR_RGB 0x2f6fb5u
#define TIER_RGB 0xb03a2eu

struct env {
  struct e2e_demo d;
  char html[1024];
};

static int setup(void **state) {
  struct env *e = calloc(1, sizeof *e);
  e2e_demo_crawled(&e->d, "render");
  e2e_path(&e->d.dir, "may.html", e->html, sizeof e->html);
  char *out = e2e_run_config(e->d.cfg, 0, NULL, "report", "--month",
                             "2023-05", "--format", "html", "--out", e->html,
                             NULL);
  free(out);
  *state = e;
  return 0;
}

static int teardown(void **state) {
  struct env *e = *state;
  if (!e) return 0; /* setup failed before it was complete */
  e2e_demo_free(&e->d);
  free(e);
  return 0;
}

/* ------------------------------------------------ what the SVGs declare */

/* The value of attribute name (e.g. " width=\"") in the tag starting at
 * tag, as a whole non-negative integer. */
static int64_t attr_int(const char *tag, const char *name) {
  const char *end = strchr(tag, '>');
  const char *at = strstr(tag, name);
  if (!end || !at || at > end) fail_msg("no%s in %.80s", name, tag);
  at += strlen(name);
  char num[24];
  size_t n = 0;
  while (at[n] != '"' && n < sizeof num - 1) {
    num[n] = at[n];
    n++;
  }
  num[n] = '\0';
  int64_t v;
  if (mw_parse_int64(num, 0, 100000, &v))
    fail_msg("%s'%s' is not a pixel count", name, num);
  return v;
}

/* Sums the areas of chart id's bars by fill colour; counts its bars with
 * a non-zero height in *drawn (may be NULL). */
static void bar_areas(const char *html, const char *id, int64_t *bar_area,
                      int64_t *tier_area, size_t *drawn) {
  char *svg = e2e_chart_svg(html, id);
  size_t bars = 0, nonzero = 0;
  static const char tag[] = "<rect class=\"bar\"";
  for (const char *p = svg; (p = strstr(p, tag)); p += sizeof tag - 1) {
    int64_t a = attr_int(p, " width=\"") * attr_int(p, " height=\"");
    const char *fill = strstr(p, " fill=\"#");
    assert_non_null(fill);
    if (!strncmp(fill + 8, "2f6fb5\"", 7))
      *bar_area += a;
    else if (!strncmp(fill + 8, "b03a2e\"", 7))
      *tier_area += a;
    else
      fail_msg(
          "chart %s: a bar of an unknown colour %.8s (update the "
          "colours in test_render.c from report/html_charts.c)",
          id, fill + 7);
    bars++;
    if (a > 0) nonzero++;
  }
  free(svg);
  if (bars == 0) fail_msg("chart %s has no bars", id);
  if (drawn) *drawn = nonzero;
}

/* --------------------------------------------------------- the browser */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Chromium's command line and environment, made before the fork: the
 * fixture server's threads run in this process, so the child may only make
 * async-signal-safe calls until it execs. */
struct launch {
  char log[1100], size[64], profile[1200], shot[1200], url[1200];
  char home[600], xdg_config[600], xdg_cache[600];
  const char *argv[16];
  const char *envp[256];
};

static void launch_make(const struct env *e, const char *png,
                        struct launch *l) {
  e2e_path(&e->d.dir, "chromium.log", l->log, sizeof l->log);
  snprintf(l->size, sizeof l->size, "--window-size=%d,%d", WIN_W, WIN_H);
  snprintf(l->profile, sizeof l->profile, "--user-data-dir=%s/chromium",
           e->d.dir.dir);
  snprintf(l->shot, sizeof l->shot, "--screenshot=%s", png);
  snprintf(l->url, sizeof l->url, "file://%s", e->html);
  const char *argv[] = {CHROMIUM,
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--hide-scrollbars",
                        "--no-first-run",
                        l->size,
                        l->profile,
                        l->shot,
                        l->url,
                        NULL};
  memcpy(l->argv, argv, sizeof argv);
  /* Its home in the scratch folder, so nothing lands in the user's. */
  snprintf(l->home, sizeof l->home, "HOME=%s", e->d.dir.dir);
  snprintf(l->xdg_config, sizeof l->xdg_config, "XDG_CONFIG_HOME=%s",
           e->d.dir.dir);
  snprintf(l->xdg_cache, sizeof l->xdg_cache, "XDG_CACHE_HOME=%s", e->d.dir.dir);
  extern char **environ;
  size_t n = 0;
  l->envp[n++] = l->home;
  l->envp[n++] = l->xdg_config;
  l->envp[n++] = l->xdg_cache;
  for (char **v = environ; *v && n < 255; v++)
    if (strncmp(*v, "HOME=", 5) && strncmp(*v, "XDG_CONFIG_HOME=", 16) &&
        strncmp(*v, "XDG_CACHE_HOME=", 15))
      l->envp[n++] = *v;
  l->envp[n] = NULL;
}

static void exec_chromium(const struct launch *l) {
  /* Its own group, so a hang is ended with every helper process it
   * started. */
  setpgid(0, 0);
  int fd = open(l->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int devnull = open("/dev/null", O_RDONLY);
  if (fd < 0 || devnull < 0) _exit(126);
  dup2(devnull, 0);
  dup2(fd, 1);
  dup2(fd, 2);
  execve(CHROMIUM, (char *const *)l->argv, (char *const *)l->envp);
  _exit(127);
}

/* Renders e's page into png; returns the seconds it took. Fails the test,
 * with Chromium's output, when it exits badly or outlives the timeout. */
static double render(const struct env *e, const char *png) {
  static struct launch l;
  launch_make(e, png, &l);
  double t0 = now_s();
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) exec_chromium(&l);
  setpgid(pid, pid); /* also here: no race with the child's own call */
  int status = 0;
  bool done = false;
  while (!done && now_s() - t0 < RENDER_TIMEOUT_S) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid)
      done = true;
    else {
      struct timespec nap = {0, 20 * 1000 * 1000};
      nanosleep(&nap, NULL);
    }
  }
  double took = now_s() - t0;
  /* Whatever of its group is still there (or all of it, on a hang). */
  kill(-pid, SIGKILL);
  if (!done) waitpid(pid, &status, 0);
  char *text = e2e_read_file(l.log, NULL);
  if (!done)
    fail_msg("chromium did not finish within %d s; killed. Its output:\n%s",
             RENDER_TIMEOUT_S, text ? text : "");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail_msg("chromium exited %d (signal %d); its output:\n%s",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1,
             WIFSIGNALED(status) ? WTERMSIG(status) : 0, text ? text : "");
  free(text);
  return took;
}

/* ----------------------------------------------------------- the pixels */

struct shot {
  uint32_t w, h;
  unsigned char *rgb; /* w * h * 3 bytes */
};

static void shot_read(const char *png, struct shot *s) {
  png_image img;
  memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, png))
    fail_msg("%s: not a PNG libpng can read: %s", png, img.message);
  if (img.width == 0 || img.height == 0 || img.width > 8000 ||
      img.height > 20000)
    fail_msg("%s: %ux%u is no page screenshot", png, img.width, img.height);
  img.format = PNG_FORMAT_RGB;
  s->w = img.width;
  s->h = img.height;
  s->rgb = malloc(PNG_IMAGE_SIZE(img));
  assert_non_null(s->rgb);
  if (!png_image_finish_read(&img, NULL, s->rgb, 0, NULL))
    fail_msg("%s: decoding failed: %s", png, img.message);
}

static uint32_t px(const struct shot *s, uint32_t x, uint32_t y) {
  const unsigned char *p = s->rgb + ((size_t)y * s->w + x) * 3;
  return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

struct counts {
  size_t white, ink, bar, tier, colours;
  size_t max_bar_runs; /* most separate BAR_RGB runs crossed by one row */
};

static void count_pixels(const struct shot *s, struct counts *c) {
  memset(c, 0, sizeof *c);
  /* Distinct colours, up to a bound: a coarse 15-bit histogram. */
  static bool seen[1u << 15];
  memset(seen, 0, sizeof seen);
  for (uint32_t y = 0; y < s->h; y++) {
    size_t runs = 0;
    bool in_bar = false;
    for (uint32_t x = 0; x < s->w; x++) {
      uint32_t v = px(s, x, y);
      if (v == 0xffffffu)
        c->white++;
      else
        c->ink++;
      if (v == BAR_RGB) c->bar++;
      if (v == TIER_RGB) c->tier++;
      if (v == BAR_RGB && !in_bar) runs++;
      in_bar = v == BAR_RGB;
      uint32_t k = (v >> 19 & 31) << 10 | (v >> 11 & 31) << 5 | (v >> 3 & 31);
      if (!seen[k]) {
        seen[k] = true;
        c->colours++;
      }
    }
    if (runs > c->max_bar_runs) c->max_bar_runs = runs;
  }
}

static void within(const char *what, size_t got, int64_t want, double lo,
                   double hi) {
  if ((double)got < (double)want * lo || (double)got > (double)want * hi)
    fail_msg(
        "%s: %zu pixels on the screenshot, the SVGs declare %lld "
        "(allowed %.0f..%.0f)",
        what, got, (long long)want, (double)want * lo, (double)want * hi);
}

static void test_chromium_draws_the_charts(void **state) {
  struct env *e = *state;
  if (access(CHROMIUM, X_OK) != 0)
    fail_msg(
        "%s is not installed: run scripts/bootstrap as root (it installs "
        "Debian's chromium, which this test renders the HTML report "
        "with)",
        CHROMIUM);

  /* What the page declares. */
  char *html = e2e_read_file(e->html, NULL);
  assert_non_null(html);
  int64_t bar_area = 0, tier_area = 0;
  size_t days_drawn = 0;
  bar_areas(html, "chart-daily", &bar_area, &tier_area, &days_drawn);
  bar_areas(html, "chart-tiers", &bar_area, &tier_area, NULL);
  bar_areas(html, "chart-outlets", &bar_area, &tier_area, NULL);
  free(html);
  assert_true(bar_area > 0 && tier_area > 0 && days_drawn > 0);

  /* The artefact: kept in the build folder, a stale one removed first. */
  const char *root = getenv("MW_BUILD_ROOT");
  char dir[1024], png[1100];
  snprintf(dir, sizeof dir, "%s/test-artefacts", root ? root : ".");
  if (mkdir(dir, 0755) != 0 && errno != EEXIST)
    fail_msg("cannot create %s: %s", dir, strerror(errno));
  snprintf(png, sizeof png, "%s/report.png", dir);
  unlink(png);

  double took = render(e, png);
  struct shot s;
  shot_read(png, &s);
  assert_int_equal(s.w, WIN_W);
  assert_int_equal(s.h, WIN_H);
  struct counts c;
  count_pixels(&s, &c);
  free(s.rgb);
  printf("screenshot: %s (%ux%u, chromium took %.2f s)\n", png, s.w, s.h, took);
  printf(
      "pixels: %zu not white, %zu colours (15-bit); bar colour %zu "
      "(SVGs: %lld), tier colour %zu (SVGs: %lld); one row crosses %zu "
      "daily bars (%zu days with articles)\n",
      c.ink, c.colours, c.bar, (long long)bar_area, c.tier,
      (long long)tier_area, c.max_bar_runs, days_drawn);

  /* Not blank: text, tables and charts leave ink over much of the page. */
  if (c.ink < (size_t)WIN_W * WIN_H / 50 || c.colours < 16)
    fail_msg("the screenshot looks blank: %zu pixels not white, %zu colours",
             c.ink, c.colours);
  within("bar colour #2f6fb5 (daily and outlet charts)", c.bar, bar_area, 0.97,
         1.03);
  /* The tier colour also draws the h1 and the h2 rules: more is allowed,
   * but not so much that a chart could be missing unnoticed. */
  within("tier colour #b03a2e (tier chart, h1, h2 rules)", c.tier, tier_area,
         0.95, 2.0);
  assert_int_equal(c.max_bar_runs, days_drawn);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_chromium_draws_the_charts),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
