/*
 * cmd_users.c: `mediawatch users add|passwd|role|remove|list`: the people
 * who may sign in to the dashboard, with their roles. Passwords are read
 * from a file or standard input (asked twice without echo on a terminal),
 * never from the command line where `ps` and shell history would keep
 * them, and stored hashed (web.h: yescrypt or SHA-512 crypt).
 *
 * What it leaves to others: hashing (web/), the users table (store/).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"
#include "web/web.h"

#define PASSWORD_MAX 1024

static const char users_help[] =
    "usage: mediawatch users add NAME --role ROLE [--password-file FILE]\n"
    "       mediawatch users passwd NAME [--password-file FILE]\n"
    "       mediawatch users role NAME ROLE\n"
    "       mediawatch users remove NAME\n"
    "       mediawatch users list\n"
    "       (each takes [--config FILE])\n\n"
    "The people who may sign in to the dashboard (mediawatch serve). Roles:\n"
    "  viewer  reads everything, changes nothing (查看)\n"
    "  duty    duty officer: also acknowledges, assigns and closes alerts\n"
    "          (值班员)\n"
    "  admin   also manages users (管理员)\n"
    "The password comes from --password-file (its first line) or standard\n"
    "input; on a terminal it is asked twice without echo. A new password\n"
    "ends the user's open sessions; so does removing the user.\n\n"
    "  -r, --role ROLE           viewer, duty or admin (add)\n"
    "  -p, --password-file FILE  read the password from FILE\n"
    "  -c, --config FILE         config file (default mediawatch.yaml)\n";

/* One line from f without its newline into buf; false at EOF or when the
 * line is longer than the buffer holds. */
static bool read_line(FILE *f, char *buf, size_t n) {
  if (!fgets(buf, (int)n, f)) return false;
  size_t len = strlen(buf);
  if (len && buf[len - 1] == '\n') buf[--len] = '\0';
  else if (len == n - 1) return false;
  if (len && buf[len - 1] == '\r') buf[--len] = '\0';
  return true;
}

static bool ask_hidden(const char *prompt, char *buf, size_t n) {
  struct termios old, quiet;
  if (tcgetattr(STDIN_FILENO, &old) != 0) return false;
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  fputs(prompt, stderr);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  bool ok = read_line(stdin, buf, n);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  fputc('\n', stderr);
  return ok;
}

/* The new password into buf: from file, a terminal (twice) or stdin. */
static int read_password(const char *file, char *buf, size_t n) {
  if (file) {
    FILE *f = fopen(file, "r");
    if (!f) {
      mw_cli_error("cannot open the password file %s", file);
      return MW_EXIT_USAGE;
    }
    bool ok = read_line(f, buf, n);
    fclose(f);
    if (!ok || !buf[0]) {
      mw_cli_error("%s: the first line should hold the password (at most "
                   "%d bytes)", file, PASSWORD_MAX - 1);
      return MW_EXIT_USAGE;
    }
    return MW_EXIT_OK;
  }
  if (isatty(STDIN_FILENO)) {
    char again[PASSWORD_MAX];
    if (!ask_hidden("password: ", buf, n) ||
        !ask_hidden("again: ", again, sizeof again)) {
      mw_cli_error("no password given");
      return MW_EXIT_USAGE;
    }
    bool same = strcmp(buf, again) == 0;
    memset(again, 0, sizeof again);
    if (!same) {
      mw_cli_error("the two passwords differ; nothing changed");
      return MW_EXIT_USAGE;
    }
  } else if (!read_line(stdin, buf, n)) {
    mw_cli_error("no password on standard input (one line, at most %d "
                 "bytes)", PASSWORD_MAX - 1);
    return MW_EXIT_USAGE;
  }
  if (!buf[0]) {
    mw_cli_error("the password is empty");
    return MW_EXIT_USAGE;
  }
  return MW_EXIT_OK;
}

/* The hash of a password read as above into *hash (malloc'd). */
static int new_hash(const char *file, char **hash) {
  char pw[PASSWORD_MAX];
  int rc = read_password(file, pw, sizeof pw);
  struct mw_err err = {0};
  if (!rc && mw_web_password_hash(pw, hash, &err)) {
    mw_cli_error("%s", err.msg);
    rc = MW_EXIT_USAGE;
  }
  memset(pw, 0, sizeof pw);
  return rc;
}

static int list_users(struct mw_store *st) {
  struct mw_user *u;
  size_t n;
  struct mw_err err = {0};
  if (mw_store_users(st, &u, &n, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_FAIL;
  }
  if (!n) puts("no users yet: add one with 'mediawatch users add NAME --role admin'");
  for (size_t i = 0; i < n; i++) {
    char when[32];
    mw_time_format_iso_utc(u[i].changed, when, sizeof when);
    printf("%-20s %-7s %s  password set %s\n", u[i].name,
           mw_user_role_name(u[i].role), mw_user_role_label_zh(u[i].role),
           when);
  }
  mw_users_free(u, n);
  return MW_EXIT_OK;
}

struct users_args {
  const char *cfg_path, *role, *password_file;
  const char *verb, *name, *arg;
};

static int run_verb(const struct users_args *a, struct mw_store *st) {
  struct mw_err err = {0};
  int64_t now = (int64_t)time(NULL);
  int rc = MW_OK;
  char *hash = NULL;
  enum mw_user_role role = MW_ROLE_VIEWER;
  const char *role_text = !strcmp(a->verb, "role") ? a->arg : a->role;
  if (role_text && mw_user_role_parse(role_text, &role)) {
    mw_cli_error("unknown role '%s': viewer, duty or admin", role_text);
    return MW_EXIT_USAGE;
  }
  if (!strcmp(a->verb, "add")) {
    if (!a->role) {
      mw_cli_error("users add: give --role viewer, duty or admin");
      return MW_EXIT_USAGE;
    }
    if ((rc = new_hash(a->password_file, &hash))) return rc;
    rc = mw_store_user_add(st, a->name, role, hash, now, &err);
  } else if (!strcmp(a->verb, "passwd")) {
    if ((rc = new_hash(a->password_file, &hash))) return rc;
    rc = mw_store_user_set_hash(st, a->name, hash, now, &err);
  } else if (!strcmp(a->verb, "role")) {
    rc = mw_store_user_set_role(st, a->name, role, &err);
  } else {
    rc = mw_store_user_remove(st, a->name, &err);
  }
  free(hash);
  if (rc) {
    mw_cli_error("%s", err.msg);
    return rc == MW_EINVAL || rc == MW_ENOTFOUND ? MW_EXIT_USAGE
                                                 : MW_EXIT_FAIL;
  }
  if (!strcmp(a->verb, "add"))
    printf("added %s (%s)\n", a->name, mw_user_role_name(role));
  else if (!strcmp(a->verb, "passwd"))
    printf("password of %s changed; their sessions are ended\n", a->name);
  else if (!strcmp(a->verb, "role"))
    printf("%s is now %s\n", a->name, mw_user_role_name(role));
  else
    printf("removed %s; their sessions are ended\n", a->name);
  return MW_EXIT_OK;
}

int mw_cmd_users(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"role", required_argument, NULL, 'r'},
      {"password-file", required_argument, NULL, 'p'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  struct users_args a = {.cfg_path = MW_DEFAULT_CONFIG};
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "c:r:p:h", opts, NULL)) != -1) {
    switch (c) {
      case 'c': a.cfg_path = optarg; break;
      case 'r': a.role = optarg; break;
      case 'p': a.password_file = optarg; break;
      case 'h': fputs(users_help, stdout); return MW_EXIT_OK;
      default: fputs(users_help, stderr); return MW_EXIT_USAGE;
    }
  }
  int left = argc - optind;
  a.verb = left > 0 ? argv[optind] : NULL;
  a.name = left > 1 ? argv[optind + 1] : NULL;
  a.arg = left > 2 ? argv[optind + 2] : NULL;
  int want = !a.verb                    ? -1
             : !strcmp(a.verb, "list")  ? 1
             : !strcmp(a.verb, "role")  ? 3
             : (!strcmp(a.verb, "add") || !strcmp(a.verb, "passwd") ||
                !strcmp(a.verb, "remove"))
                 ? 2
                 : -1;
  if (want < 0 || left != want) {
    if (a.verb && want < 0) mw_cli_error("users: unknown verb '%s'", a.verb);
    fputs(users_help, stderr);
    return MW_EXIT_USAGE;
  }
  struct mw_config *cfg = NULL;
  struct mw_err err = {0};
  if (mw_config_load(a.cfg_path, &cfg, &err)) {
    mw_cli_error("%s", err.msg);
    return MW_EXIT_USAGE;
  }
  /* Users may be added before the first crawl: this creates the store. */
  struct mw_store *st = NULL;
  int rc;
  if (mw_store_open(cfg->storage_path, &st, &err)) {
    mw_cli_error("%s", err.msg);
    rc = MW_EXIT_FAIL;
  } else {
    rc = !strcmp(a.verb, "list") ? list_users(st) : run_verb(&a, st);
  }
  mw_store_close(st);
  mw_config_free(cfg);
  return rc;
}
