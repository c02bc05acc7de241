/*
 * fetch_addr.c: where a connection would go, as far as the crawler's
 * address policy cares (fetch.h): public, this machine's loopback, or one
 * of the non-public ranges of IPv4 and IPv6, with the words a refusal
 * names. The fetcher asks for every socket it opens; the policy itself
 * (which classes crawler.allow_loopback and allow_private_addresses let
 * through) stays in fetch.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "crawler/fetch.h"

static enum mw_addr_class classify_v4(uint32_t a, const char **what) {
  static const struct {
    uint32_t net;
    int bits;
    enum mw_addr_class cls;
    const char *what;
  } ranges[] = {
      {0x7f000000u, 8, MW_ADDR_LOOPBACK, "loopback"},
      {0x00000000u, 8, MW_ADDR_PRIVATE, "in 0.0.0.0/8 (this host)"},
      {0x0a000000u, 8, MW_ADDR_PRIVATE, "private"},
      {0xac100000u, 12, MW_ADDR_PRIVATE, "private"},
      {0xc0a80000u, 16, MW_ADDR_PRIVATE, "private"},
      {0x64400000u, 10, MW_ADDR_PRIVATE, "shared (carrier-grade NAT)"},
      {0xa9fe0000u, 16, MW_ADDR_PRIVATE, "link-local"},
      {0xc0000000u, 24, MW_ADDR_PRIVATE, "reserved (192.0.0.0/24)"},
      {0xc6120000u, 15, MW_ADDR_PRIVATE, "reserved (198.18.0.0/15)"},
      {0xe0000000u, 4, MW_ADDR_PRIVATE, "multicast"},
      {0xf0000000u, 4, MW_ADDR_PRIVATE, "reserved (240.0.0.0/4)"},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
    uint32_t mask = 0xffffffffu << (32 - ranges[i].bits);
    if ((a & mask) == ranges[i].net) {
      *what = ranges[i].what;
      return ranges[i].cls;
    }
  }
  *what = "public";
  return MW_ADDR_PUBLIC;
}

static uint32_t v4_at(const unsigned char *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         b[3];
}

static enum mw_addr_class classify_v6(const unsigned char *b, const char **what) {
  static const unsigned char zero[16];
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0,
                                           0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
  if (!memcmp(b, mapped, 12)) /* ::ffff:a.b.c.d is the IPv4 host itself */
    return classify_v4(v4_at(b + 12), what);
  if (!memcmp(b, zero, 15) && b[15] <= 1) {
    *what = b[15] ? "loopback" : "unspecified";
    return b[15] ? MW_ADDR_LOOPBACK : MW_ADDR_PRIVATE;
  }
  if (!memcmp(b, zero, 12)) { /* ::a.b.c.d, deprecated IPv4-compatible */
    *what = "reserved (IPv4-compatible ::/96)";
    return MW_ADDR_PRIVATE;
  }
  if (!memcmp(b, nat64, 12)) { /* 64:ff9b::/96 reaches the IPv4 inside */
    if (classify_v4(v4_at(b + 12), what) == MW_ADDR_PUBLIC) return MW_ADDR_PUBLIC;
    *what = "a NAT64 address of a non-public IPv4 address";
    return MW_ADDR_PRIVATE;
  }
  if ((b[0] & 0xfe) == 0xfc) {
    *what = "private (unique local fc00::/7)";
    return MW_ADDR_PRIVATE;
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
    *what = "link-local";
    return MW_ADDR_PRIVATE;
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) {
    *what = "site-local (fec0::/10)";
    return MW_ADDR_PRIVATE;
  }
  if (b[0] == 0xff) {
    *what = "multicast";
    return MW_ADDR_PRIVATE;
  }
  *what = "public";
  return MW_ADDR_PUBLIC;
}

enum mw_addr_class mw_fetch_classify(const struct sockaddr *sa,
                                     const char **what) {
  if (sa->sa_family == AF_INET)
    return classify_v4(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr),
                       what);
  if (sa->sa_family == AF_INET6)
    return classify_v6(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr,
                       what);
  *what = "of an unknown family";
  return MW_ADDR_PRIVATE; /* unknown families are not fetched */
}
