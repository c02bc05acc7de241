/*
 * bulletin_int.h (private to report/): the work bulletin laid out once
 * (bulletin.c) for its renderers (bulletin_html.c, bulletin_md.c). Every
 * string is valid UTF-8 in the arena; escaping is the renderer's.
 */
#ifndef MW_REPORT_BULLETIN_INT_H
#define MW_REPORT_BULLETIN_INT_H

#include "report/report_int.h"

struct blt_item {
  const char *title, *source, *lead;
  char date[32]; /* "2023年5月8日" */
  int64_t outlet_count;
};

struct blt {
  struct mw_arena *arena;
  const char *title;  /* "工作简报" */
  const char *office; /* NULL: none */
  char issue[64];     /* "2023年第3期" */
  char total[64];     /* "（总第12期）" or "" */
  char date[48];      /* "2023年5月21日" */
  struct blt_item *items;
  size_t n_items;
};

int blt_html(const struct blt *l, struct mw_buf *out);
int blt_md(const struct blt *l, struct mw_buf *out);

#endif
