import type { Command } from 'commander';
import { z } from 'zod';
import { runReconcile, DEFAULT_RECONCILE_MARGIN_MS } from '../../app/reconcile/run-reconcile';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { gatewayFor } from '../../main/runtime';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { chooseEveryPortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const ReconcileOptionsSchema = z.strictObject({
  portal: PortalOptionSchema,
  marginMinutes: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(DEFAULT_RECONCILE_MARGIN_MS / 60_000),
  json: z.boolean().default(false),
  database: DatabaseOptionSchema,
});

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('Drift repair: re-evaluate contacts (and contacts of deals) modified since the watermark, write back, advance the watermark')
    .option(PORTAL_FLAGS, portalHelp('every', 'configured'))
    .option('--margin-minutes <n>', 'start each sweep this long before the watermark (search is eventually consistent)', String(DEFAULT_RECONCILE_MARGIN_MS / 60_000))
    .option('--json', 'print the summaries as JSON')
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(
      cliAction('reconcile', async (raw: Record<string, unknown>) => {
        const options = ReconcileOptionsSchema.parse(raw);
        await withCliRuntime({ database: options.database }, async (rt) => {
          const model = rt.model();
          const store = await rt.store();
          const target = await rt.hubspot();
          const chosen = chooseEveryPortal(
            options.portal,
            target.portals.map((p) => p.portalId),
            'configured',
          );
          const budgets = rateBudgetsFor(store, target.portals, rt.clock);
          for (const portal of target.portals.filter((p) => chosen.includes(p.portalId))) {
            const hubspot = gatewayFor(target, portal, rt.clock, budgets);
            const summary = await runReconcile({ store, hubspot, model, clock: rt.clock, workerId: `reconcile-${process.pid}`, logger: rt.logger }, portal.portalId, {
              marginMs: options.marginMinutes * 60_000,
            });
            if (options.json) console.log(JSON.stringify(summary, null, 2));
            else
              console.log(
                `portal ${summary.portalId}: swept ${new Date(summary.since).toISOString()} → ${new Date(summary.until).toISOString()}: ` +
                  `${summary.scanned} contacts (${summary.contactsOfChangedDeals} via changed deals), ${summary.historyReads} re-read with history, ` +
                  `${summary.transitions} transitions, ${summary.writesQueued} written back; watermark now ${new Date(summary.until).toISOString()}`,
              );
          }
        });
      }),
    );
}
