/*
 * health_sites.h: the fixture sites of e2e/test_health
 * (tests/data/e2e/health) made current before they are served.
 */
#ifndef MW_TESTS_E2E_HEALTH_SITES_H
#define MW_TESTS_E2E_HEALTH_SITES_H

#include <stdint.h>

/* Rewrites every file under root: "@D-12@" (date and time), "@Y-12@"
 * (date) and "@R-12@" (RFC 822) become the time 12 hours before now0 (at
 * +08:00, RFC 822 in UTC), "@BASE@" becomes base; a "<file>.src" becomes
 * "<file>" in GBK. Fails the test when a file cannot be rewritten. */
void health_sites_fill(const char *root, int64_t now0, const char *base);

#endif
