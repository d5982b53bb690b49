import type { Command } from 'commander';
import Table from 'cli-table3';
import { systemClock } from '../../app/ports/clock';
import { parseEnv } from '../../config/env';
import { provisionListsAll } from '../../main/hubspot-assets';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { openStore, provisionAll, resolveHubSpotTarget } from '../../main/runtime';

export function registerProvisionCommand(program: Command): void {
  program
    .command('provision')
    .description('Create the lifecycle properties and options, and the lists (marketing paused, dead end, recycle, SLA past due) in HubSpot (idempotent; never deletes)')
    .action(async () => {
      const env = parseEnv();
      const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
      const model = loadModel(env.LIFECYCLE_MODEL_FILE);
      const target = await resolveHubSpotTarget(env, systemClock, logger);
      const store = await openStore(env);
      try {
        const budgets = rateBudgetsFor(store, target.portals, systemClock);
        const properties = await provisionAll(target, model, systemClock, budgets);
        const lists = await provisionListsAll(target, model, store, systemClock, budgets);
        for (const [portalId, lines] of properties) {
          const table = new Table({ head: ['object', 'property', 'outcome', 'detail'] });
          for (const line of lines) table.push([line.objectType, line.name, line.outcome, line.detail ?? '']);
          const listTable = new Table({ head: ['list', 'id', 'outcome', 'detail'] });
          for (const line of lists.get(portalId) ?? []) listTable.push([line.name, line.listId ?? '', line.outcome, line.detail ?? '']);
          console.log(`portal ${portalId}${target.simulator ? ' (simulator)' : ''}`);
          console.log(table.toString());
          console.log(listTable.toString());
        }
      } finally {
        await target.simulator?.stop();
        await store.close();
      }
    });
}
