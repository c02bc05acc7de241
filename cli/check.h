/*
 * check.h (private to cli/): how `mediawatch sources check` shows what it
 * made of one document, as text for a person onboarding a source or as one
 * JSON document with every field in full for tools and tests.
 */
#ifndef MW_CLI_CHECK_H
#define MW_CLI_CHECK_H

#include <stdbool.h>

#include "crawler/crawler.h"

/* How long each step took, shown with the result. */
struct mw_check_timing {
  double fetch_ms;   /* wall time of the fetch, 0 for a file */
  double process_ms; /* CPU time of parsing or extraction */
};

void mw_check_print_feed(const struct mw_feed *feed, const char *source,
                         const struct mw_check_timing *t, bool as_json);
void mw_check_print_listing(const struct mw_listing *l, const char *source,
                            const struct mw_check_timing *t, bool as_json);
void mw_check_print_article(const struct mw_extracted *x, const char *source,
                            const struct mw_check_timing *t, bool as_json);
void mw_check_print_sitemap(const struct mw_sitemap *sm, const char *source,
                            const struct mw_check_timing *t, bool as_json);

#endif
