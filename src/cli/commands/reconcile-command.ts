import type { Command } from 'commander';
import { z } from 'zod';
import { runReconcile, DEFAULT_RECONCILE_MARGIN_MS } from '../../app/reconcile/run-reconcile';
import { systemClock } from '../../app/ports/clock';
import { parseEnv } from '../../config/env';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { gatewayFor, openStore, resolveHubSpotTarget } from '../../main/runtime';

export const ReconcileOptionsSchema = z.strictObject({
  portal: z.coerce.number().int().positive({ message: '--portal must be a HubSpot portal id' }).optional(),
  marginMinutes: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(DEFAULT_RECONCILE_MARGIN_MS / 60_000),
  json: z.boolean().default(false),
});

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('Drift repair: re-evaluate contacts (and contacts of deals) modified since the watermark, write back, advance the watermark')
    .option('--portal <id>', 'HubSpot portal id (default: every configured portal)')
    .option('--margin-minutes <n>', 'start each sweep this long before the watermark (search is eventually consistent)', String(DEFAULT_RECONCILE_MARGIN_MS / 60_000))
    .option('--json', 'print the summaries as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = ReconcileOptionsSchema.safeParse(raw);
      if (!parsed.success) {
        console.error(`lifecycle reconcile: ${z.prettifyError(parsed.error)}`);
        process.exitCode = 1;
        return;
      }
      const options = parsed.data;
      const env = parseEnv();
      const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
      const model = loadModel(env.LIFECYCLE_MODEL_FILE);
      const store = await openStore(env);
      const target = await resolveHubSpotTarget(env, systemClock, logger);
      try {
        const portals = target.portals.filter((p) => options.portal === undefined || p.portalId === options.portal);
        if (portals.length === 0) throw new Error(`portal ${options.portal} is not configured (configured: ${target.portals.map((p) => p.portalId).join(', ')})`);
        const budgets = rateBudgetsFor(store, target.portals, systemClock);
        for (const portal of portals) {
          const hubspot = gatewayFor(target, portal, systemClock, budgets);
          const summary = await runReconcile({ store, hubspot, model, clock: systemClock, workerId: `reconcile-${process.pid}`, logger }, portal.portalId, {
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
      } finally {
        await target.simulator?.stop();
        await store.close();
      }
    });
}
