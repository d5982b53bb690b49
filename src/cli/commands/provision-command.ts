import type { Command } from 'commander';
import Table from 'cli-table3';
import { systemClock } from '../../app/ports/clock';
import { parseEnv } from '../../config/env';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { provisionAll, resolveHubSpotTarget } from '../../main/runtime';

export function registerProvisionCommand(program: Command): void {
  program
    .command('provision')
    .description('Create the lifecycle property group, properties and options in HubSpot (idempotent; never deletes)')
    .action(async () => {
      const env = parseEnv();
      const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
      const model = loadModel(env.LIFECYCLE_MODEL_FILE);
      const target = await resolveHubSpotTarget(env, systemClock, logger);
      try {
        for (const [portalId, lines] of await provisionAll(target, model, systemClock)) {
          const table = new Table({ head: ['object', 'property', 'outcome', 'detail'] });
          for (const line of lines) table.push([line.objectType, line.name, line.outcome, line.detail ?? '']);
          console.log(`portal ${portalId}${target.simulator ? ' (simulator)' : ''}`);
          console.log(table.toString());
        }
      } finally {
        await target.simulator?.stop();
      }
    });
}
