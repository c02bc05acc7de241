/*
 * config_targets.h: private to cli/. The cross-checks of the targets
 * section (config_targets.c), run by the loader (config.c) after the
 * unique names are sorted.
 */
#ifndef MW_CLI_CONFIG_TARGETS_H
#define MW_CLI_CONFIG_TARGETS_H

#include "cli/config_load.h"

/* Checks every target of L->cfg; sets from_day, to_day and stories. The
 * first problem fails with FILE:LINE:COL at the value concerned. */
int mw_cfg_check_targets(struct mw_cfg_loader *L);

#endif
