import type { CliCommand } from './cli-command.js';
import { checkConfigCommand } from './commands/check-config.js';
import { costCapacityCommand } from './commands/cost-capacity.js';
import { costFeeCommand } from './commands/cost-fee.js';
import { costMixCommand } from './commands/cost-mix.js';
import { estimateCommand } from './commands/estimate.js';
import { ledgerExportCommand } from './commands/ledger-export.js';
import { ledgerStatsCommand } from './commands/ledger-stats.js';
import { modelsCommand } from './commands/models.js';
import { probeCommand } from './commands/probe.js';
import { spendCommand } from './commands/spend.js';

/** Every `switchyard` command, in the order the command list shows them. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  costFeeCommand,
  costCapacityCommand,
  costMixCommand,
  modelsCommand,
  estimateCommand,
  checkConfigCommand,
  probeCommand,
  ledgerExportCommand,
  ledgerStatsCommand,
  spendCommand,
];
