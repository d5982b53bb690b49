import type { Command } from 'commander';
import Table from 'cli-table3';
import { provisionListsAll } from '../../main/hubspot-assets';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { provisionAll } from '../../main/runtime';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { DATABASE_FLAGS, DATABASE_HELP } from '../cli-options';

export function registerProvisionCommand(program: Command): void {
  program
    .command('provision')
    .description('Create the lifecycle properties and options, and the lists (marketing paused, dead end, recycle, SLA past due) in HubSpot (idempotent; never deletes)')
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(
      cliAction('provision', async (options: { database?: string }) => {
        await withCliRuntime({ database: options.database }, async (rt) => {
          const model = rt.model();
          const target = await rt.hubspot();
          const store = await rt.store();
          const budgets = rateBudgetsFor(store, target.portals, rt.clock);
          const properties = await provisionAll(target, model, rt.clock, budgets);
          const lists = await provisionListsAll(target, model, store, rt.clock, budgets);
          for (const [portalId, lines] of properties) {
            const table = new Table({ head: ['object', 'property', 'outcome', 'detail'] });
            for (const line of lines) table.push([line.objectType, line.name, line.outcome, line.detail ?? '']);
            const listTable = new Table({ head: ['list', 'id', 'outcome', 'detail'] });
            for (const line of lists.get(portalId) ?? []) listTable.push([line.name, line.listId ?? '', line.outcome, line.detail ?? '']);
            console.log(`portal ${portalId}${target.simulator ? ' (simulator)' : ''}`);
            console.log(table.toString());
            console.log(listTable.toString());
          }
        });
      }),
    );
}
