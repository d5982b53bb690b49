import type { Command } from 'commander';
import { z } from 'zod';
import { systemClock } from '../../app/ports/clock';
import { parseEnv } from '../../config/env';
import { openStore, withDatabase } from '../../main/runtime';

export const RebuildOptionsSchema = z.strictObject({
  portal: z.coerce.number().int().positive({ message: '--portal must be a HubSpot portal id' }).optional(),
  database: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

export function registerAggregatesCommands(program: Command): void {
  const group = program.command('aggregates').description('The ledger aggregates every report reads (maintained with the ledger)');
  group
    .command('rebuild')
    .description('Recompute them from the ledger, record by record (repair; stop the worker first). Resumable: a stopped run continues where it got to')
    .option('--portal <id>', 'only this portal (default: every portal with ledger rows)')
    .option('--database <url>', 'database URL (default: $DATABASE_URL, else .lifecycle/lifecycle.db)')
    .option('--json', 'print progress as JSON lines')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = RebuildOptionsSchema.safeParse(raw);
      if (!parsed.success) {
        console.error(`lifecycle aggregates rebuild: ${z.prettifyError(parsed.error)}`);
        process.exitCode = 1;
        return;
      }
      const options = parsed.data;
      const store = await openStore(withDatabase(parseEnv(), options.database));
      try {
        const started = systemClock.now();
        let last = { portalId: 0, recordsDone: 0, resumed: false };
        await store.rebuildAggregates({
          ...(options.portal === undefined ? {} : { portalId: options.portal }),
          now: () => systemClock.now(),
          onProgress: (progress) => {
            last = progress;
            if (options.json) console.log(JSON.stringify(progress));
            else process.stderr.write(`\rportal ${progress.portalId}: ${progress.recordsDone.toLocaleString('en-US')} records${progress.resumed ? ' (resumed)' : ''}   `);
          },
        });
        if (!options.json) {
          process.stderr.write('\n');
          console.log(
            `ledger aggregates rebuilt${last.portalId ? ` (last portal ${last.portalId}: ${last.recordsDone} records)` : ''} in ${((systemClock.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      } finally {
        await store.close();
      }
    });
}
