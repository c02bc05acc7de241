/*
 * cmd_alerts.h (private to cli/): what `mediawatch alerts` shares between
 * the file that runs its subcommands (cmd_alerts.c) and the one that
 * prints alerts as tables, details and JSON (cmd_alerts_print.c).
 */
#ifndef MW_CLI_CMD_ALERTS_H
#define MW_CLI_CMD_ALERTS_H

#include <stdbool.h>
#include <stdio.h>

#include "alerts/alerts.h"

/* "2023-05-08 15:00" in tz, or "-" for 0. buf at least 20 bytes. */
void mw_cli_local_time(const struct mw_tz *tz, int64_t t, char *buf,
                       size_t n);

/* One line per alert: id, level, state, 属地, outlets, deadline (marked
 * 逾期 when overdue), title. */
void mw_cli_print_alert_table(FILE *out, const struct mw_alert_rec *recs,
                              size_t n, const struct mw_tz *tz);
/* Every field, the audit trail and the notifications written. */
void mw_cli_print_alert_detail(FILE *out, const struct mw_alert_rec *r,
                               const struct mw_alert_event *ev, size_t n_ev,
                               const struct mw_outbox_msg *msgs,
                               size_t n_msgs, const struct mw_tz *tz);
/* The same as JSON on out; false on ENOMEM. */
bool mw_cli_print_alerts_json(FILE *out, const struct mw_alert_rec *recs,
                              size_t n);
bool mw_cli_print_alert_detail_json(FILE *out, const struct mw_alert_rec *r,
                                    const struct mw_alert_event *ev,
                                    size_t n_ev,
                                    const struct mw_outbox_msg *msgs,
                                    size_t n_msgs);
void mw_cli_print_silences(FILE *out, const struct mw_silence *si, size_t n,
                           const struct mw_tz *tz);

#endif
