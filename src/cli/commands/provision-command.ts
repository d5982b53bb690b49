import type { Command } from 'commander';
import Table from 'cli-table3';
import { z } from 'zod';
import { provisionListsAll } from '../../main/hubspot-assets';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { provisionAll } from '../../main/runtime';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { chooseEveryPortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const ProvisionOptionsSchema = z.strictObject({ portal: PortalOptionSchema, database: DatabaseOptionSchema });

/**
 * A sweep over the configured portals, like `workflows`: the lists it creates are recorded per portal in the store.
 * OAuth installs are configured nowhere here: `serve` provisions each one when it installs.
 */
export function registerProvisionCommand(program: Command): void {
  program
    .command('provision')
    .description('Create the lifecycle properties and options, and the lists (marketing paused, dead end, recycle, SLA past due) in HubSpot (idempotent; never deletes)')
    .option(PORTAL_FLAGS, portalHelp('every', 'configured'))
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(
      cliAction('provision', async (raw: Record<string, unknown>) => {
        const options = ProvisionOptionsSchema.parse(raw);
        await withCliRuntime({ database: options.database }, async (rt) => {
          const model = rt.model();
          const configured = await rt.hubspot();
          const chosen = chooseEveryPortal(
            options.portal,
            configured.portals.map((p) => p.portalId),
            'configured',
          );
          if (chosen.length === 0) {
            console.log('no portal configured: nothing to provision (OAuth installs are provisioned by `lifecycle serve` when they install)');
            return;
          }
          const target = { ...configured, portals: configured.portals.filter((p) => chosen.includes(p.portalId)) };
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
