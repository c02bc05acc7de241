/*
 * notify_exec.c: the exec notifier. Runs the receiver's command (an argv,
 * never a shell) with the message's JSON on standard input and waits for
 * it; exit status 0 means delivered.
 *
 * The child gets its own process group, so a timeout kills whatever it
 * started too, default dispositions for the signals a daemon commonly
 * ignores, an empty signal mask, and no descriptor of ours beyond 0-2.
 * Standard input is one end of a socket pair rather than a pipe: writing
 * to a command that exits without reading is then an EPIPE from send()
 * with MSG_NOSIGNAL, not a SIGPIPE that would kill mediawatch. Standard
 * output and error are read into a small buffer for the error message and
 * the rest is discarded, so a chatty command cannot block or fill memory.
 *
 * What it leaves to others: the payload (notify.c), retries (sender.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alerts/alerts.h"
#include "alerts/notify_int.h"

extern char **environ;

/* Output kept for the error message. */
#define OUTPUT_MAX 512
/* How often a running child is checked for having exited, ms. */
#define WAIT_TICK_MS 5

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

struct child {
  pid_t pid;
  int in;  /* our end of its standard input */
  int out; /* our end of its standard output and error */
};

static int spawn(char *const argv[], struct child *c, struct mw_err *err) {
  int sv[2], po[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return mw_err_set(err, MW_EIO, "socketpair: %s", strerror(errno));
  if (pipe2(po, O_CLOEXEC) != 0) {
    int e = errno;
    close(sv[0]);
    close(sv[1]);
    return mw_err_set(err, MW_EIO, "pipe: %s", strerror(e));
  }
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  /* dup2 clears close-on-exec on 0-2; everything else is closed. */
  posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
  posix_spawn_file_actions_adddup2(&fa, po[1], 1);
  posix_spawn_file_actions_adddup2(&fa, po[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  sigset_t none, dfl;
  sigemptyset(&none);
  sigemptyset(&dfl);
  int reset[] = {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP,
                 SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM};
  for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++)
    sigaddset(&dfl, reset[i]);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setsigdefault(&at, &dfl);
  posix_spawnattr_setpgroup(&at, 0);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
                                    POSIX_SPAWN_SETSIGDEF |
                                    POSIX_SPAWN_SETPGROUP);
  int rc = posix_spawnp(&c->pid, argv[0], &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  close(sv[1]);
  close(po[1]);
  if (rc != 0) {
    close(sv[0]);
    close(po[0]);
    return mw_err_set(err, MW_EIO, "cannot run %s: %s", argv[0],
                      strerror(rc));
  }
  c->in = sv[0];
  c->out = po[0];
  fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
  fcntl(c->out, F_SETFL, fcntl(c->out, F_GETFL) | O_NONBLOCK);
  return MW_OK;
}

/* Reads what is there; keeps the first OUTPUT_MAX bytes. */
static void drain(struct child *c, struct mw_buf *out) {
  char chunk[4096];
  for (;;) {
    ssize_t n = read(c->out, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
      close_fd(&c->out);
      return;
    }
    if (n < 0) return;
    size_t room = out->max - out->len;
    mw_buf_append(out, chunk, (size_t)n < room ? (size_t)n : room);
  }
}

/* Feeds the payload, collects the output, waits for the exit or the
 * deadline. *timed_out when the child had to be killed. */
static void run(struct child *c, const char *payload, size_t len,
                int64_t timeout_s, int *status, bool *timed_out,
                struct mw_buf *out) {
  int64_t deadline = mono_ms() + timeout_s * 1000;
  size_t off = 0;
  bool exited = false;
  *timed_out = false;
  for (;;) {
    if (!exited && waitpid(c->pid, status, WNOHANG) == c->pid) exited = true;
    if (exited) {
      /* What it wrote before exiting is in the pipe; a grandchild holding
       * the pipe open must not keep us here. */
      close_fd(&c->in);
      if (c->out >= 0) drain(c, out);
      return;
    }
    int64_t left = deadline - mono_ms();
    if (left <= 0) {
      kill(-c->pid, SIGKILL);
      while (waitpid(c->pid, status, 0) < 0 && errno == EINTR) {
      }
      *timed_out = true;
      return;
    }
    struct pollfd p[2];
    nfds_t np = 0;
    if (c->in >= 0) p[np++] = (struct pollfd){c->in, POLLOUT, 0};
    if (c->out >= 0) p[np++] = (struct pollfd){c->out, POLLIN, 0};
    int wait = left < WAIT_TICK_MS ? (int)left : WAIT_TICK_MS;
    if (poll(p, np, wait) <= 0) continue;
    for (nfds_t i = 0; i < np; i++) {
      if (!p[i].revents) continue;
      if (p[i].fd == c->in) {
        ssize_t n = send(c->in, payload + off, len - off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) off += (size_t)n;
        /* EPIPE: it does not read its input, which is its business. */
        if ((n < 0 && errno != EAGAIN && errno != EINTR) || off == len)
          close_fd(&c->in); /* end of input */
      } else {
        drain(c, out);
      }
    }
  }
}

int mw_notify_send_exec(const struct mw_receiver_conf *r,
                        const struct mw_outbox_msg *m, int64_t timeout_s,
                        struct mw_err *err) {
  if (!r->command || r->n_command == 0 || !r->command[0] ||
      !r->command[0][0])
    return mw_err_set(err, MW_EINVAL, "no command to run");
  if (timeout_s <= 0) timeout_s = 30;
  char *payload;
  int rc = mw_notify_payload(m, &payload, err);
  if (rc) return rc;
  char **argv = calloc(r->n_command + 1, sizeof *argv);
  if (!argv) {
    free(payload);
    return mw_err_set(err, MW_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < r->n_command; i++) argv[i] = r->command[i];
  struct child c = {-1, -1, -1};
  rc = spawn(argv, &c, err);
  if (!rc) {
    int status = 0;
    bool timed_out;
    struct mw_buf out;
    mw_buf_init(&out, OUTPUT_MAX);
    run(&c, payload, strlen(payload), timeout_s, &status, &timed_out, &out);
    close_fd(&c.in);
    close_fd(&c.out);
    /* The first line of what it said, printable. */
    char said[OUTPUT_MAX + 4] = "";
    if (out.len) {
      size_t n = strcspn(out.data, "\r\n");
      n = mw_notify_utf8_prefix(out.data, n, OUTPUT_MAX);
      size_t j = 0;
      said[j++] = ':';
      said[j++] = ' ';
      for (size_t i = 0; i < n; i++)
        said[j++] = (unsigned char)out.data[i] < 0x20 ? ' ' : out.data[i];
      said[j] = '\0';
      if (j == 2) said[0] = '\0';
    }
    mw_buf_cleanup(&out);
    if (timed_out)
      rc = mw_err_set(err, MW_EIO,
                      "command %s did not finish within %lld s and was "
                      "killed%s",
                      argv[0], (long long)timeout_s, said);
    else if (WIFSIGNALED(status))
      rc = mw_err_set(err, MW_EIO, "command %s was killed by signal %d "
                      "(SIG%s)%s", argv[0], WTERMSIG(status),
                      sigabbrev_np(WTERMSIG(status))
                          ? sigabbrev_np(WTERMSIG(status))
                          : "?",
                      said);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      rc = mw_err_set(err, MW_EIO, "command %s exited with status %d%s",
                      argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                      said);
  }
  free(argv);
  free(payload);
  return rc;
}
