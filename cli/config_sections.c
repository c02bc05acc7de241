/*
 * config_sections.c: the sections of the configuration, what the loader
 * and the reference need of each (title, paragraph, how one item is named
 * in messages, the struct it fills), and the Markdown reference itself,
 * printed from these sections and the option rows of config_table.c.
 *
 * What it leaves to others: the options (config_table.c), loading
 * (config.c, config_alerts.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/config_table.h"

#define SEC(t) sizeof(t), offsetof(t, line)

const struct mw_cfg_section_info mw_cfg_sections[MW_CFG_SECTION_COUNT] = {
    [MW_CFG_TOP] = {"Top level", "The file is one YAML mapping with these keys.",
                    "configuration", NULL, sizeof(struct mw_config), SIZE_MAX},
    [MW_CFG_CRAWLER] = {"crawler",
                        "How sources are fetched. Every key is optional.",
                        "crawler", NULL, sizeof(struct mw_crawler_conf),
                        SIZE_MAX},
    [MW_CFG_OUTLET] = {"outlets[]",
                       "Each item of `outlets` is one outlet (a paper, a "
                       "station, a portal, an account).",
                       "outlet", "name", SEC(struct mw_outlet_conf)},
    [MW_CFG_SOURCE] = {"sources[]",
                       "Each item of an outlet's `sources` is one feed or "
                       "page to poll.",
                       "source", "url", SEC(struct mw_source_conf)},
    [MW_CFG_TOPIC] = {"topics[]",
                      "Each item of `topics` is one topic, written as "
                      "`keywords`, as a `rule`, or in the grouped form "
                      "(`regions`, `subjects`, `events`: one word of each "
                      "group given must occur); `exclude` applies to any of "
                      "them. A rule with an error is reported by `config "
                      "check` and left out while the other topics work.",
                      "topic", "name", SEC(struct mw_topic_conf)},
    [MW_CFG_TARGET] = {"targets[]",
                       "Each item of `targets` is a minimum number of "
                       "articles per period. `topic` and `outlet`, when "
                       "given, must name a topic and an outlet defined "
                       "above.",
                       "target", "name", SEC(struct mw_target_conf)},
    [MW_CFG_SENSITIVITY] = {"sensitivity",
                            "How sensitive opinion is scored: the lexicon's "
                            "weights of the terms found, a title hit weighing "
                            "more, a negation near a term less, times the "
                            "weight of the kind of source; the score gives "
                            "the suggested alert level. Every key is "
                            "optional.",
                            "sensitivity", NULL,
                            sizeof(struct mw_sensitivity_conf), SIZE_MAX},
    [MW_CFG_ALERTS] = {"alerts",
                       "How the duty office (舆情值班) learns of sensitive "
                       "opinion and follows it from report to feedback "
                       "(监测 → 报告 → 交办 → 督办 → 反馈): levels raised by "
                       "spread and bursts, deadlines, escalation, and the "
                       "receivers, routes and duty roster that decide who is "
                       "told. Every key is optional; with no receivers, "
                       "alerts are recorded and nobody is notified.",
                       "alerts", NULL, sizeof(struct mw_alerts_conf),
                       SIZE_MAX},
    [MW_CFG_RECEIVER] = {"receivers[]",
                         "Each item of `receivers` is one channel. Secrets "
                         "never go in this file: a robot URL (it carries its "
                         "key) comes from `url_env` or `url_file`, a signing "
                         "secret or SMTP password from `secret_env` or "
                         "`secret_file`; such files must be readable by their "
                         "owner only (`chmod 600`), which `config check` "
                         "verifies. webhook, wecom, dingtalk, feishu and "
                         "email need one of `url`, `url_env`, `url_file`; "
                         "email also `mail_from` and `mail_to`; exec needs "
                         "`command`.",
                         "receiver", "name", SEC(struct mw_receiver_conf)},
    [MW_CFG_ROUTE] = {"routes[]",
                      "Each item of `routes` sends the alerts it matches to "
                      "its receivers. Every matching route is used and each "
                      "receiver gets an alert once; a level 4 alert also "
                      "goes to every leader at once.",
                      "route", "name", SEC(struct mw_route_conf)},
    [MW_CFG_PERSON] = {"people[]",
                       "Each item of `people` is one member of the duty staff "
                       "or a leader.",
                       "person", "name", SEC(struct mw_person_conf)},
    [MW_CFG_SHIFT] = {"roster[]",
                      "Each item of `roster` is one shift. The first shift "
                      "that covers the current time decides who is on duty; "
                      "a shift through the night (`17:30-08:30`) covers the "
                      "early hours of the day after each of its days.",
                      "shift", NULL, SEC(struct mw_shift_conf)},
    [MW_CFG_SERVE] = {"serve",
                      "The dashboard and JSON API (`mediawatch serve`, or "
                      "`mediawatch run --listen`). Users are managed with "
                      "`mediawatch users`. Every key is optional.",
                      "serve", NULL, sizeof(struct mw_serve_conf), SIZE_MAX},
    [MW_CFG_HEALTH] = {"health",
                       "Source health (`mediawatch sources health`): when a "
                       "source counts as degraded or broken, and when the "
                       "people with `admin: true` hear of it. Every key is "
                       "optional.",
                       "health", NULL, sizeof(struct mw_health_conf), SIZE_MAX},
};

void mw_config_write_reference(FILE *out) {
  fputs("# Configuration reference\n\n"
        "A mediawatch configuration is one YAML file. Sizes are written with "
        "KB, MB or GB (`10MB`), durations with s, m, h or d (`30m`). Every "
        "problem is reported as `FILE:LINE:COL: what is wrong`.\n",
        out);
  for (int s = 0; s < MW_CFG_SECTION_COUNT; s++) {
    fprintf(out, "\n## %s\n\n%s\n\n", mw_cfg_sections[s].title,
            mw_cfg_sections[s].intro);
    fputs("| key | type | default | description |\n"
          "|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < mw_cfg_n_options; i++) {
      const struct mw_cfg_option *o = &mw_cfg_options[i];
      if (o->section != (enum mw_cfg_section)s) continue;
      char type[160];
      mw_cfg_type_name(o, type, sizeof type);
      fprintf(out, "| `%s` | %s | ", o->name, type);
      if (o->def) fprintf(out, "`%s`", o->def);
      else fputs((o->flags & MW_CFG_REQUIRED) ? "required" : "none", out);
      fprintf(out, " | %s%s |\n", o->doc,
              (o->flags & MW_CFG_UNIQUE) && !strstr(o->doc, "unique")
                  ? "; unique"
                  : "");
    }
  }
}
