import type { Command } from 'commander';
import { z } from 'zod';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const RebuildOptionsSchema = z.strictObject({
  portal: PortalOptionSchema,
  database: DatabaseOptionSchema,
  json: z.boolean().default(false),
});

export function registerAggregatesCommands(program: Command): void {
  const group = program.command('aggregates').description('The ledger aggregates every report reads (maintained with the ledger)');
  group
    .command('rebuild')
    .description('Recompute them from the ledger, record by record (repair; stop the worker first). Resumable: a stopped run continues where it got to')
    .option(PORTAL_FLAGS, portalHelp('every', 'in the ledger'))
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .option('--json', 'print progress as JSON lines')
    .action(
      cliAction('aggregates rebuild', async (raw: Record<string, unknown>) => {
        const options = RebuildOptionsSchema.parse(raw);
        await withCliRuntime({ database: options.database }, async (rt) => {
          const store = await rt.store();
          const systemClock = rt.clock;
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
        });
      }),
    );
}
