/*
 * xpath.h (private to crawler/): XPath 1.0 over libxml2's HTML DOM, for the
 * per-source overrides of sites the heuristics get wrong. Building the DOM
 * costs a whole page's CPU budget, so this is the slow path, taken only for
 * sources whose config names an XPath.
 */
#ifndef MW_CRAWLER_XPATH_H
#define MW_CRAWLER_XPATH_H

#include <stddef.h>

#include "common/common.h"

struct mw_xpath_doc;

/* Parses UTF-8 HTML into a DOM. Free with mw_xpath_doc_free. */
int mw_xpath_doc_new(const char *utf8, size_t len, struct mw_xpath_doc **out,
                     struct mw_err *err);
void mw_xpath_doc_free(struct mw_xpath_doc *d);

/* Called for each selected node, in document order: its text (blocks
 * separated by '\n', whitespace collapsed; for an attribute node its
 * value) and its href attribute when it is an element that has one. Return
 * non-zero to stop. */
typedef int (*mw_xpath_cb)(const char *text, const char *href, void *user);

/* Evaluates expr; returns the number of nodes visited, or MW_EINVAL with a
 * message quoting the expression when it does not compile. */
int mw_xpath_select(struct mw_xpath_doc *d, const char *expr, mw_xpath_cb cb,
                    void *user, struct mw_err *err);

#endif
