/*
 * page_int.h (private to the pages, page*.c): what the page handlers
 * share beside the frame declared in web_int.h: finishing a reply as a
 * page, an error page, links carrying a query string, the form fields of
 * the filter forms, pager links, and the pieces of
 * an alert (level badge, state, action buttons) that the queue and the
 * detail page draw the same way, so app.js finds the same selectors on
 * both.
 *
 * Every function appends to a buffer the caller owns and escapes whatever
 * text it is given; none keeps a pointer.
 */
#ifndef MW_WEB_PAGE_INT_H
#define MW_WEB_PAGE_INT_H

#include "web/web_int.h"

/* Marks o as an HTML page (type, CSP) with status (0: 200). MW_OK. */
int mw_web_page_reply(struct mw_web_resp *o, unsigned status);

/* Replaces o's body with a whole page (the frame when signed in) saying
 * msg under the heading title, with status; MW_OK, or MW_ENOMEM. Under
 * /api/ it sets the JSON error instead (a page prefix route saw it). */
int mw_web_page_error(const struct mw_web_req *r, struct mw_web_resp *o,
                      unsigned status, const char *title, const char *msg);

/* Appends "&key=value" (or "?key=value" when first is true) with value
 * percent-encoded, to a URL being built (not yet HTML-escaped). Nothing
 * for a NULL or empty value. *first turns false once something is
 * written. */
int mw_web_page_query(struct mw_buf *url, bool *first, const char *key,
                      const char *value);

/* Whether the signed-in user may work alerts (role duty or above). */
bool mw_web_page_can_act(const struct mw_web_req *r);

/* The Chinese label of an action on a button: 确认 交办 督办 反馈 办结. */
const char *mw_web_page_action_zh(enum mw_alert_action a);

/* <span class="lv lv-N">一般</span> for level. */
int mw_web_page_level(struct mw_buf *b, int level);
/* The state's Chinese label, or the stored name when it is unknown. */
const char *mw_web_page_state_zh(const char *state);

/* The buttons of the actions allowed from state for alert id (nothing
 * when the user may not act): each <button type="button"
 * data-action="ack" data-id="ID">; assign comes with its unit field
 * (name="unit"). with_comment adds a comment field (the detail page). */
int mw_web_page_actions(struct mw_buf *b, const struct mw_web_req *r,
                        int64_t id, const char *state, bool with_comment);

/* An outside link: <a href="url" rel="noreferrer noopener">text</a> when
 * url is http(s), else the text alone (a stored URL of another scheme,
 * javascript: say, never becomes a link). text NULL shows the URL. */
int mw_web_page_link_out(struct mw_buf *b, const char *url, const char *text);

/* The query argument key, or NULL when it is absent or empty (a GET form
 * sends its empty fields as key=). Points into the request. */
const char *mw_web_page_arg(const struct mw_web_req *r, const char *key);

/* <option value="value">label</option>, " selected" when value is current
 * (with current NULL: when value is empty, the form's "all" choice). */
int mw_web_page_option(struct mw_buf *b, const char *value, const char *label,
                       const char *current);

/* <label>label <input type="type" name="name" maxlength="100"
 * value="value"></label> and a newline, value escaped (NULL: empty). */
int mw_web_page_text_input(struct mw_buf *b, const char *label,
                           const char *name, const char *type,
                           const char *value);

/* One filter of a list page: the query key and its value (NULL: unset). */
struct mw_web_page_param {
  const char *key, *value;
};

/* A pager link <a rel="rel" href="path?key=value&...&page=n">label</a>
 * and a newline: the n_params set ones of params, percent-encoded, then
 * page. The URL is built in a buffer of at most ceiling bytes (MW_ENOMEM
 * beyond); label and rel are trusted markup. */
int mw_web_page_link(struct mw_buf *b, const char *path,
                     const struct mw_web_page_param *params, size_t n_params,
                     size_t ceiling, int64_t n, const char *label,
                     const char *rel);

/* Reads a positive page number from ?page= (1 when absent or bad). */
int64_t mw_web_page_number(const struct mw_web_req *r);

#endif
