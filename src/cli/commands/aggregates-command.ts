import type { Command } from 'commander';
import { z } from 'zod';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { chooseEveryPortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';
import type { AggregatesRebuildProgress, AggregatesRebuildStep } from '../../app/ports/store-ports';

const RebuildOptionsSchema = z.strictObject({
  portal: PortalOptionSchema,
  database: DatabaseOptionSchema,
  json: z.boolean().default(false),
});

export function registerAggregatesCommands(program: Command): void {
  const group = program.command('aggregates').description('The ledger aggregates every report reads (maintained with the ledger)');
  group
    .command('rebuild')
    .description(
      'Recompute them from the ledger, record by record (repair; workers may keep running: a commit to a record it has not reached is left to it). Resumable: a stopped run continues where it got to; until it has, reports warn that their figures are partial',
    )
    .option(PORTAL_FLAGS, portalHelp('every', 'in the ledger'))
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .option('--json', 'print progress as JSON lines')
    .action(
      cliAction('aggregates rebuild', async (raw: Record<string, unknown>) => {
        const options = RebuildOptionsSchema.parse(raw);
        // A rebuild repairs an existing store: a missing SQLite file is refused, not created empty.
        await withCliRuntime({ database: options.database, store: 'existing' }, async (rt) => {
          const store = await rt.store();
          // A portal named must be in the ledger (an unknown one would "rebuild" nothing and say it did).
          if (options.portal !== undefined) chooseEveryPortal(options.portal, await store.ledger.portals(), 'in the ledger');
          const systemClock = rt.clock;
          const started = systemClock.now();
          let last = null as AggregatesRebuildStep | null; // set in onProgress
          await store.rebuildAggregates({
            ...(options.portal === undefined ? {} : { portalId: options.portal }),
            now: () => systemClock.now(),
            onProgress: (progress) => {
              last = progress;
              if (options.json) console.log(JSON.stringify(progress));
              else process.stderr.write(`\rportal ${progress.portalId}: ${recordsDone(progress)}${progress.resumed ? ' (resumed)' : ''}   `);
            },
          });
          if (!options.json) {
            process.stderr.write('\n');
            console.log(`ledger aggregates rebuilt${last ? ` (last portal ${last.portalId}: ${last.recordsDone} records)` : ''} in ${((systemClock.now() - started) / 1000).toFixed(1)} s`);
          }
        });
      }),
    );
}

/** "1,000 of about 2,100 records" (the total: what the aggregates counted when the rebuild began), or "1,000 records". */
function recordsDone(progress: AggregatesRebuildProgress): string {
  const done = progress.recordsDone.toLocaleString('en-US');
  return progress.recordsTotal === null ? `${done} records` : `${done} of about ${progress.recordsTotal.toLocaleString('en-US')} records`;
}
