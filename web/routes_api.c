/*
 * routes_api.c: the JSON API's routes (the handlers are in api_*.c). The
 * server adds sign-in, role and CSRF checks from each row: reading needs a
 * viewer, working the alerts a duty officer, managing users an admin.
 * Exact paths come before the prefixes that would also take them.
 */
#include "web/web_int.h"

const struct mw_web_route mw_web_routes_api[] = {
    {.method = "GET",
     .path = "/api/coverage",
     .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_coverage},
    {.method = "GET",
     .path = "/api/search",
     .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_search},
    {.method = "GET",
     .path = "/api/alerts",
     .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_alerts},
    /* /api/alerts/{id} */
    {.method = "GET",
     .path = "/api/alerts/",
     .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_alert},
    /* /api/alerts/{id}/{ack|assign|progress|feedback|close} */
    {.method = "POST",
     .path = "/api/alerts/",
     .min_role = MW_ROLE_DUTY,
     .fn = mw_web_api_alert_action},
    {.method = "GET",
     .path = "/api/sources",
     .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_sources},
    {.method = "GET",
     .path = "/api/report",
     .min_role = MW_ROLE_VIEWER,
     .fn = mw_web_api_report},
    {.method = "GET",
     .path = "/api/users",
     .min_role = MW_ROLE_ADMIN,
     .fn = mw_web_api_users},
    {.method = "POST",
     .path = "/api/users",
     .min_role = MW_ROLE_ADMIN,
     .fn = mw_web_api_user_add},
    /* /api/users/{name}/remove */
    {.method = "POST",
     .path = "/api/users/",
     .min_role = MW_ROLE_ADMIN,
     .fn = mw_web_api_user_remove},
    {.method = NULL},
};
