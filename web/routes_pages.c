/*
 * routes_pages.c: the dashboard pages and their static files (handlers in
 * page_*.c and static.c). Pages need a session and send people to /login
 * without one; /login and /static/ are open to anyone, and static files
 * need no store handle.
 *
 * "/" is exact (routes.c makes it so: it would otherwise be a prefix of
 * every path); the overview handler still answers 404 for anything else.
 */
#include "web/web_int.h"

const struct mw_web_route mw_web_routes_pages[] = {
    {.method = "GET", .path = "/login", .fn = mw_web_page_login},
    {.method = "GET",
     .path = "/alerts",
     .min_role = MW_ROLE_VIEWER,
     .page = true,
     .fn = mw_web_page_alerts},
    {.method = "GET",
     .path = "/alerts/",
     .min_role = MW_ROLE_VIEWER,
     .page = true,
     .fn = mw_web_page_alert},
    {.method = "GET",
     .path = "/search",
     .min_role = MW_ROLE_VIEWER,
     .page = true,
     .fn = mw_web_page_search},
    {.method = "GET",
     .path = "/sources",
     .min_role = MW_ROLE_VIEWER,
     .page = true,
     .fn = mw_web_page_sources},
    {.method = "GET",
     .path = "/reports",
     .min_role = MW_ROLE_VIEWER,
     .page = true,
     .fn = mw_web_page_reports},
    {.method = "GET",
     .path = "/static/",
     .no_store = true,
     .fn = mw_web_static},
    {.method = "GET",
     .path = "/",
     .min_role = MW_ROLE_VIEWER,
     .page = true,
     .fn = mw_web_page_overview},
    {.method = NULL},
};
