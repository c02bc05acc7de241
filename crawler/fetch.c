/*
 * fetch.c: libcurl's multi interface on a libuv loop, the pattern of curl's
 * multi-uv example with the discipline of hiperfifo: every CURLMcode is
 * checked, finished transfers are read after every socket action, per
 * transfer state rides on CURLOPT_PRIVATE and per socket state on
 * curl_multi_assign, poll errors become CURL_CSELECT_ERR, and a 0 ms timeout
 * becomes 1 ms so curl is never re-entered from its own callback.
 *
 * What every transfer obeys is set here: http and https only (redirects
 * too), at most max_redirects hops, connect and total timeouts, a low-speed
 * abort, a ceiling on the decoded body (so a gzip bomb stops at the ceiling,
 * not at the end of memory), and no connection to an address that is not
 * public unless the config allows it: allow_loopback for 127.0.0.0/8 and
 * ::1 only (the demo and tests), allow_private_addresses for every private,
 * link-local, multicast or reserved range. The check runs when curl opens
 * a socket, after name resolution, so redirects and names that resolve to
 * such addresses are covered; with a proxy configured through curl's
 * environment variables it judges the proxy's address instead, and the
 * proxy is trusted with the rest.
 *
 * From the headers of each response of a redirect chain it also reports
 * where a source has moved (the target of the leading 301/308 hops,
 * resolved with the crawler's URL rules) and how long the final response
 * may be cached (Cache-Control max-age); what to do about either is the
 * caller's.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "crawler/fetch.h"

#define HEADER_VALUE_MAX 1024
#define MAX_AGE_MAX_S 86400 /* what a server may ask us to wait, at most */

struct transfer {
  struct mw_fetcher *f;
  CURL *easy;
  struct curl_slist *headers;
  struct mw_buf body;
  char content_type[256];
  char etag[HEADER_VALUE_MAX];
  char last_modified[128];
  int64_t retry_after_s;
  int64_t max_age_s;     /* Cache-Control of the current response */
  long hop_status;       /* status of the current response */
  /* The redirect chain, malloc'd only when there is one (a transfer in
   * flight holds nothing it does not need: 32 of them run at once). */
  char *location;        /* its Location, NULL when none or too long */
  char *hop_url;         /* the URL that response answered; NULL: the
                            requested one (url), unless hop_lost */
  bool hop_lost;         /* a hop could not be resolved: unknown */
  bool permanent;        /* every hop so far was 301 or 308 */
  char *moved_to;        /* where the last of those pointed, or NULL */
  bool no_cache;         /* no-cache / no-store seen in this response */
  bool location_cut;     /* its Location was longer than location */
  bool too_big;
  bool denied_address;
  char denied_reason[256];
  char url[8192];
  char errbuf[CURL_ERROR_SIZE];
  mw_fetch_done_cb done;
  void *user;
  struct transfer *prev, *next; /* all transfers in flight */
};

struct poll_ctx {
  uv_poll_t poll;
  curl_socket_t fd;
  struct mw_fetcher *f;
};

struct mw_fetcher {
  uv_loop_t *loop;
  const struct mw_crawler_conf *conf;
  CURLM *multi;
  uv_timer_t timer;
  struct transfer *transfers;
  size_t active;
  size_t open_handles; /* uv handles not yet closed */
  bool closing;
  void (*on_closed)(void *);
  void *closed_user;
};

static void maybe_closed(struct mw_fetcher *f) {
  if (f->closing && f->open_handles == 0 && f->on_closed) {
    void (*cb)(void *) = f->on_closed;
    f->on_closed = NULL;
    cb(f->closed_user);
  }
}

static void on_timer_closed(uv_handle_t *h) {
  struct mw_fetcher *f = h->data;
  f->open_handles--;
  maybe_closed(f);
}

static void on_poll_closed(uv_handle_t *h) {
  struct poll_ctx *p = h->data;
  struct mw_fetcher *f = p->f;
  free(p);
  f->open_handles--;
  maybe_closed(f);
}

/* ------------------------------------------------------- header parsing */

/* Copies a header's value (trimmed) into dst when line is "name: value". */
static bool header_value(const char *line, size_t len, const char *name,
                         char *dst, size_t dstlen) {
  size_t nl = strlen(name);
  if (len <= nl || line[nl] != ':' || mw_ascii_ncasecmp(line, name, nl))
    return false;
  size_t i = nl + 1;
  while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
  size_t end = len;
  while (end > i && mw_ascii_isspace((unsigned char)line[end - 1])) end--;
  size_t n = end - i;
  if (n >= dstlen) n = dstlen - 1; /* an over-long value is cut, not trusted */
  memcpy(dst, line + i, n);
  dst[n] = '\0';
  return true;
}

/* Retry-After is seconds or an HTTP date; the date form is read with the
 * crawler's own date parser. Bounded to a day: a server cannot park a
 * source for ever. */
static int64_t parse_retry_after(const char *v) {
  int64_t s;
  if (mw_parse_int64(v, 0, INT64_MAX, &s) == MW_OK) return s > 86400 ? 86400 : s;
  int64_t when;
  if (mw_date_parse(v, strlen(v), 0, &when) == MW_OK) {
    int64_t delta = when - (int64_t)time(NULL);
    if (delta < 0) return 0;
    return delta > 86400 ? 86400 : delta;
  }
  return 0;
}

/* Cache-Control: max-age=N in seconds, bounded to a day; no-cache and
 * no-store mean 0 whatever else the header says; s-maxage is for shared
 * caches, not us. Several headers (or directives) may come: *no_cache
 * keeps the verdict across them. */
static void parse_cache_control(const char *v, int64_t *max_age,
                                bool *no_cache) {
  const char *p = v;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    size_t n = 0;
    while (p[n] && p[n] != ',' && p[n] != '=' && p[n] != ' ' && p[n] != '\t')
      n++;
    const char *name = p;
    p += n;
    while (*p == ' ' || *p == '\t') p++;
    char val[24] = "";
    if (*p == '=') {
      p++;
      while (*p == ' ' || *p == '\t') p++;
      bool quoted = *p == '"';
      if (quoted) p++;
      size_t k = 0;
      while (p[k] && p[k] != ',' && p[k] != '"' && p[k] != ' ' && p[k] != '\t')
        k++;
      if (k < sizeof val) {
        memcpy(val, p, k);
        val[k] = '\0';
      }
      p += k;
      if (quoted && *p == '"') p++;
    }
    while (*p && *p != ',') p++; /* whatever else the directive holds */
    if ((n == 8 && !mw_ascii_ncasecmp(name, "no-cache", 8)) ||
        (n == 8 && !mw_ascii_ncasecmp(name, "no-store", 8))) {
      *no_cache = true;
    } else if (n == 7 && !mw_ascii_ncasecmp(name, "max-age", 7)) {
      int64_t s;
      if (mw_parse_int64(val, 0, INT64_MAX, &s) == MW_OK)
        *max_age = s > MAX_AGE_MAX_S ? MAX_AGE_MAX_S : s;
    }
  }
  if (*no_cache) *max_age = 0;
}

/* The status code of a status line "HTTP/1.1 301 Moved", or 0. */
static long status_code(const char *line, size_t len) {
  size_t i = 5;
  while (i < len && line[i] != ' ') i++;
  while (i < len && line[i] == ' ') i++;
  if (i + 3 > len) return 0;
  long code = 0;
  for (size_t k = i; k < i + 3; k++) {
    if (!mw_ascii_isdigit((unsigned char)line[k])) return 0;
    code = code * 10 + (line[k] - '0');
  }
  return code;
}

/* The response just read was a redirect (curl follows it, or stops at
 * it: either way it is a hop). While every hop from the requested URL is
 * permanent, its target, resolved against the URL that hop answered, is
 * where the source has moved. A hop that cannot be resolved (no Location,
 * one too long, a scheme we do not fetch) ends what can be said. */
static void redirect_hop(struct transfer *t) {
  bool perm = t->hop_status == 301 || t->hop_status == 308;
  char *target = NULL;
  if (t->location && !t->hop_lost) {
    struct mw_err err;
    if (mw_url_canonicalize(t->location, t->hop_url ? t->hop_url : t->url,
                            &target, &err) != MW_OK)
      target = NULL;
  }
  if (!target || strlen(target) >= sizeof t->url) {
    free(target);
    t->hop_lost = true;
    t->permanent = false;
    return;
  }
  t->permanent = t->permanent && perm;
  if (t->permanent) {
    free(t->moved_to);
    t->moved_to = mw_strdup(target); /* NULL on ENOMEM: not said moved */
  }
  free(t->hop_url);
  t->hop_url = target;
}

/* The response read so far redirects somewhere (304 does not). */
static bool is_hop(const struct transfer *t) {
  return t->hop_status >= 300 && t->hop_status < 400 &&
         t->hop_status != 304 && (t->location || t->location_cut);
}

static size_t on_header(char *data, size_t size, size_t n, void *userp) {
  struct transfer *t = userp;
  size_t len = size * n;
  /* Each response of a redirect chain starts with a status line: only the
   * last response's headers count. A 3xx with a Location before it was a
   * hop curl followed. */
  if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
    long code = status_code(data, len);
    if (code >= 100 && code < 200) return len; /* interim: 100 Continue */
    if (is_hop(t)) redirect_hop(t);
    t->hop_status = code;
    free(t->location);
    t->location = NULL;
    t->location_cut = false;
    t->content_type[0] = t->etag[0] = t->last_modified[0] = '\0';
    t->retry_after_s = 0;
    t->max_age_s = 0;
    t->no_cache = false;
    return len;
  }
  if (len > 9 && !mw_ascii_ncasecmp(data, "location:", 9)) {
    /* Read here rather than with header_value: a Location is as long as a
     * URL may be, and a cut one would be a wrong address. */
    size_t i = 9, end = len;
    while (i < len && (data[i] == ' ' || data[i] == '\t')) i++;
    while (end > i && mw_ascii_isspace((unsigned char)data[end - 1])) end--;
    free(t->location);
    t->location = end - i < sizeof t->url ? malloc(end - i + 1) : NULL;
    if (t->location) {
      memcpy(t->location, data + i, end - i);
      t->location[end - i] = '\0';
    } else {
      t->location_cut = true; /* a hop whose target we cannot know */
    }
    return len;
  }
  char v[HEADER_VALUE_MAX];
  if (header_value(data, len, "cache-control", v, sizeof v)) {
    parse_cache_control(v, &t->max_age_s, &t->no_cache);
    return len;
  }
  if (header_value(data, len, "content-type", t->content_type,
                   sizeof t->content_type))
    return len;
  if (header_value(data, len, "etag", t->etag, sizeof t->etag)) return len;
  if (header_value(data, len, "last-modified", t->last_modified,
                   sizeof t->last_modified))
    return len;
  if (header_value(data, len, "retry-after", v, sizeof v))
    t->retry_after_s = parse_retry_after(v);
  return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *userp) {
  struct transfer *t = userp;
  size_t len = size * n;
  if (mw_buf_append(&t->body, data, len) != MW_OK) {
    t->too_big = true;
    return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
  }
  return len;
}

/* ------------------------------------------------------ address policy */

/* Called by curl for every connection it opens, the first and each
 * redirect's (a reused connection was checked when it was opened), after
 * name resolution and before connect: the address judged is the one the
 * socket would reach, so a name that resolves to a private address, or a
 * redirect to one, is refused without a packet sent to it. */
static curl_socket_t on_open_socket(void *userp, curlsocktype purpose,
                                    struct curl_sockaddr *addr) {
  struct transfer *t = userp;
  const struct mw_crawler_conf *c = t->f->conf;
  const char *what = "";
  enum mw_addr_class cls = purpose == CURLSOCKTYPE_IPCXN
                            ? mw_fetch_classify(&addr->addr, &what)
                            : MW_ADDR_PUBLIC;
  if (cls == MW_ADDR_PUBLIC || c->allow_private ||
      (cls == MW_ADDR_LOOPBACK && c->allow_loopback))
    return socket(addr->family, addr->socktype, addr->protocol);
  char ip[INET6_ADDRSTRLEN] = "?";
  if (addr->family == AF_INET)
    inet_ntop(AF_INET, &((struct sockaddr_in *)&addr->addr)->sin_addr, ip,
              sizeof ip);
  else if (addr->family == AF_INET6)
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr->addr)->sin6_addr, ip,
              sizeof ip);
  t->denied_address = true;
  snprintf(t->denied_reason, sizeof t->denied_reason,
           "address %s is %s; set crawler %s to fetch it", ip, what,
           cls == MW_ADDR_LOOPBACK
               ? "allow_loopback (or allow_private_addresses)"
               : "allow_private_addresses");
  return CURL_SOCKET_BAD;
}

/* ------------------------------------------------------------ completion */

static void unlink_transfer(struct transfer *t) {
  struct mw_fetcher *f = t->f;
  if (t->prev) t->prev->next = t->next;
  else f->transfers = t->next;
  if (t->next) t->next->prev = t->prev;
  f->active--;
}

static void free_transfer(struct transfer *t) {
  curl_slist_free_all(t->headers);
  curl_easy_cleanup(t->easy);
  mw_buf_cleanup(&t->body);
  free(t->location);
  free(t->hop_url);
  free(t->moved_to);
  free(t);
}

/* The charset parameter of a Content-Type, unquoted, or "" when absent. */
static void content_type_charset(const char *ct, char *dst, size_t n) {
  dst[0] = '\0';
  const char *p = ct;
  while ((p = strchr(p, ';')) != NULL) {
    p++;
    while (*p == ' ' || *p == '\t') p++;
    if (mw_ascii_ncasecmp(p, "charset=", 8)) continue;
    p += 8;
    if (*p == '"' || *p == '\'') p++;
    size_t len = 0;
    while (p[len] && p[len] != '"' && p[len] != '\'' && p[len] != ';' &&
           !mw_ascii_isspace((unsigned char)p[len]))
      len++;
    if (len >= n) len = n - 1;
    memcpy(dst, p, len);
    dst[len] = '\0';
    return;
  }
}

static void finish(struct transfer *t, CURLcode code) {
  struct mw_fetcher *f = t->f;
  struct mw_fetch_result res = {0};
  char error[sizeof t->url + CURL_ERROR_SIZE + 256] = "";
  char charset[64];
  long status = 0;
  char *final_url = NULL;
  double total_s = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &final_url);
  curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &total_s);
  res.http_status = status;
  res.final_url = final_url ? final_url : t->url;
  res.elapsed_ms = total_s * 1000.0;
  res.retry_after_s = t->retry_after_s;
  /* A last redirect curl did not follow (the limit, or no following at
   * all) is a hop too. */
  if (is_hop(t)) redirect_hop(t);
  if (t->moved_to) res.moved_to = t->moved_to;

  /* A name with several addresses may have one refused and the next
   * connected: only a transfer that failed was stopped by the policy. */
  if (t->denied_address && code != CURLE_OK) {
    res.status = MW_FETCH_DENIED;
    snprintf(error, sizeof error, "%s: %s", t->url, t->denied_reason);
  } else if (t->too_big) {
    res.status = MW_FETCH_FAILED;
    snprintf(error, sizeof error,
             "%s: body larger than max_body (%lld bytes once decoded); "
             "transfer aborted",
             t->url, (long long)f->conf->max_body_bytes);
  } else if (code == CURLE_UNSUPPORTED_PROTOCOL) {
    res.status = MW_FETCH_DENIED;
    snprintf(error, sizeof error,
             "%s: redirected to a scheme other than http or https (%s)",
             t->url, t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
  } else if (code == CURLE_TOO_MANY_REDIRECTS) {
    res.status = MW_FETCH_FAILED;
    snprintf(error, sizeof error, "%s: more than %lld redirects", t->url,
             (long long)f->conf->max_redirects);
  } else if (code != CURLE_OK) {
    res.status = MW_FETCH_FAILED;
    snprintf(error, sizeof error, "%s: %s", t->url,
             t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
  } else if (status == 304) {
    res.status = MW_FETCH_NOT_MODIFIED;
  } else if (status >= 200 && status < 300) {
    res.status = MW_FETCH_OK;
  } else {
    res.status = MW_FETCH_FAILED;
    snprintf(error, sizeof error, "%s: HTTP %ld", t->url, status);
  }
  if (res.status == MW_FETCH_OK || res.status == MW_FETCH_NOT_MODIFIED)
    res.max_age_s = t->max_age_s;
  if (res.status == MW_FETCH_OK) {
    res.body = t->body.data ? t->body.data : "";
    res.body_len = t->body.len;
    res.content_type = t->content_type[0] ? t->content_type : NULL;
    content_type_charset(t->content_type, charset, sizeof charset);
    res.charset = charset[0] ? charset : NULL;
    res.etag = t->etag[0] ? t->etag : NULL;
    res.last_modified = t->last_modified[0] ? t->last_modified : NULL;
  }
  res.error = error[0] ? error : NULL;
  t->done(&res, t->user);
}

static void read_finished(struct mw_fetcher *f) {
  CURLMsg *msg;
  int left;
  /* A callback may close the fetcher: stop reading then. */
  while (!f->closing && (msg = curl_multi_info_read(f->multi, &left))) {
    if (msg->msg != CURLMSG_DONE) continue;
    struct transfer *t = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
    CURLcode code = msg->data.result;
    curl_multi_remove_handle(f->multi, t->easy);
    unlink_transfer(t);
    finish(t, code);
    free_transfer(t);
  }
}

/* ------------------------------------------------------- loop plumbing */

static void socket_action(struct mw_fetcher *f, curl_socket_t fd, int events) {
  if (f->closing) return;
  int running;
  CURLMcode mc = curl_multi_socket_action(f->multi, fd, events, &running);
  /* An error here is an internal fault of the multi handle, not of one
   * transfer; the transfers it strands are finished by their timeouts. */
  (void)mc;
  read_finished(f);
}

static void on_poll(uv_poll_t *req, int status, int events) {
  struct poll_ctx *p = req->data;
  int flags = 0;
  if (status < 0) flags = CURL_CSELECT_ERR;
  if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  socket_action(p->f, p->fd, flags);
}

static void on_timeout(uv_timer_t *timer) {
  struct mw_fetcher *f = timer->data;
  socket_action(f, CURL_SOCKET_TIMEOUT, 0);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
  struct mw_fetcher *f = userp;
  (void)multi;
  if (f->closing) return 0;
  if (timeout_ms < 0) {
    uv_timer_stop(&f->timer);
  } else {
    /* 0 would call back into curl from inside this callback. */
    if (timeout_ms == 0) timeout_ms = 1;
    uv_timer_start(&f->timer, on_timeout, (uint64_t)timeout_ms, 0);
  }
  return 0;
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
                          void *socketp) {
  struct mw_fetcher *f = userp;
  struct poll_ctx *p = socketp;
  (void)easy;
  if (what == CURL_POLL_REMOVE) {
    if (p) {
      uv_poll_stop(&p->poll);
      if (!f->closing) curl_multi_assign(f->multi, fd, NULL);
      uv_close((uv_handle_t *)&p->poll, on_poll_closed);
    }
    return 0;
  }
  if (f->closing) return 0;
  if (!p) {
    p = calloc(1, sizeof *p);
    if (!p) return -1;
    p->fd = fd;
    p->f = f;
    if (uv_poll_init_socket(f->loop, &p->poll, fd) != 0) {
      free(p);
      return -1;
    }
    p->poll.data = p;
    f->open_handles++;
    curl_multi_assign(f->multi, fd, p);
  }
  int events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= UV_READABLE;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= UV_WRITABLE;
  uv_poll_start(&p->poll, events, on_poll);
  return 0;
}

/* ------------------------------------------------------------- public */

int mw_fetcher_new(uv_loop_t *loop, const struct mw_crawler_conf *conf,
                   struct mw_fetcher **out, struct mw_err *err) {
  static bool global_init;
  if (!global_init) {
    /* Not thread-safe by curl's contract; mediawatch creates fetchers from
     * the main thread only. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return mw_err_set(err, MW_ENET, "libcurl failed to initialise");
    global_init = true;
  }
  struct mw_fetcher *f = calloc(1, sizeof *f);
  if (!f) return mw_err_set(err, MW_ENOMEM, "out of memory");
  f->loop = loop;
  f->conf = conf;
  f->multi = curl_multi_init();
  if (!f->multi) {
    free(f);
    return mw_err_set(err, MW_ENOMEM, "curl_multi_init failed");
  }
  uv_timer_init(loop, &f->timer);
  f->timer.data = f;
  f->open_handles = 1;
  curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
  curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
  curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
  curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
  *out = f;
  return MW_OK;
}

static int setup_easy(struct transfer *t, const char *etag,
                      const char *last_modified, struct mw_err *err) {
  const struct mw_crawler_conf *c = t->f->conf;
  CURL *e = t->easy;
  char line[HEADER_VALUE_MAX + 32];
  if (etag && *etag) {
    snprintf(line, sizeof line, "If-None-Match: %s", etag);
    struct curl_slist *l = curl_slist_append(t->headers, line);
    if (!l) return mw_err_set(err, MW_ENOMEM, "out of memory");
    t->headers = l;
  }
  if (last_modified && *last_modified) {
    snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
    struct curl_slist *l = curl_slist_append(t->headers, line);
    if (!l) return mw_err_set(err, MW_ENOMEM, "out of memory");
    t->headers = l;
  }
  CURLcode rc = CURLE_OK;
#define SET(opt, val) \
  if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val)
  SET(CURLOPT_URL, t->url);
  SET(CURLOPT_PRIVATE, t);
  SET(CURLOPT_ERRORBUFFER, t->errbuf);
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_FOLLOWLOCATION, c->max_redirects > 0 ? 1L : 0L);
  SET(CURLOPT_MAXREDIRS, (long)c->max_redirects);
  SET(CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_timeout_ms);
  SET(CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
  SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
  SET(CURLOPT_LOW_SPEED_TIME,
      (long)(c->low_speed_timeout_ms + 999) / 1000);
  SET(CURLOPT_ACCEPT_ENCODING, ""); /* every encoding curl can undo */
  SET(CURLOPT_USERAGENT, c->user_agent ? c->user_agent : "mediawatch");
  SET(CURLOPT_HTTPHEADER, t->headers);
  SET(CURLOPT_WRITEFUNCTION, on_body);
  SET(CURLOPT_WRITEDATA, t);
  SET(CURLOPT_HEADERFUNCTION, on_header);
  SET(CURLOPT_HEADERDATA, t);
  SET(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
  SET(CURLOPT_OPENSOCKETDATA, t);
#undef SET
  if (rc != CURLE_OK)
    return mw_err_set(err, MW_ENET, "%s: %s", t->url, curl_easy_strerror(rc));
  return MW_OK;
}

int mw_fetcher_get(struct mw_fetcher *f, const char *url, const char *etag,
                   const char *last_modified, mw_fetch_done_cb done,
                   void *user, struct mw_err *err) {
  if (f->closing) return mw_err_set(err, MW_EINVAL, "fetcher is closing");
  if (!mw_url_is_http(url))
    return mw_err_set(err, MW_EDENIED, "%s: only http and https are fetched",
                      url);
  size_t ulen = strlen(url);
  struct transfer *t = calloc(1, sizeof *t);
  if (!t) return mw_err_set(err, MW_ENOMEM, "out of memory");
  if (ulen >= sizeof t->url) {
    free(t);
    return mw_err_set(err, MW_EINVAL, "URL longer than %zu bytes",
                      sizeof t->url - 1);
  }
  memcpy(t->url, url, ulen + 1);
  t->permanent = true;
  t->f = f;
  t->done = done;
  t->user = user;
  mw_buf_init(&t->body, (size_t)f->conf->max_body_bytes);
  t->easy = curl_easy_init();
  int rc = t->easy ? setup_easy(t, etag, last_modified, err)
                   : mw_err_set(err, MW_ENOMEM, "curl_easy_init failed");
  if (rc) {
    free_transfer(t);
    return rc;
  }
  t->next = f->transfers;
  if (t->next) t->next->prev = t;
  f->transfers = t;
  f->active++;
  CURLMcode mc = curl_multi_add_handle(f->multi, t->easy);
  if (mc != CURLM_OK) {
    unlink_transfer(t);
    free_transfer(t);
    return mw_err_set(err, MW_ENET, "%s: %s", url, curl_multi_strerror(mc));
  }
  return MW_OK;
}

size_t mw_fetcher_active(const struct mw_fetcher *f) { return f->active; }

void mw_fetcher_close(struct mw_fetcher *f, void (*on_closed)(void *),
                      void *user) {
  f->closing = true;
  f->on_closed = on_closed;
  f->closed_user = user;
  /* Removing a handle makes curl report its sockets as CURL_POLL_REMOVE,
   * which closes their poll handles. */
  while (f->transfers) {
    struct transfer *t = f->transfers;
    curl_multi_remove_handle(f->multi, t->easy);
    unlink_transfer(t);
    free_transfer(t);
  }
  /* Cached connections still hold sockets with poll handles: cleaning up
   * the multi handle now, while the loop runs, lets curl report them. */
  curl_multi_cleanup(f->multi);
  f->multi = NULL;
  uv_timer_stop(&f->timer);
  uv_close((uv_handle_t *)&f->timer, on_timer_closed);
}

void mw_fetcher_free(struct mw_fetcher *f) {
  if (!f) return;
  if (f->multi) curl_multi_cleanup(f->multi);
  free(f);
}
