import { Option, type Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { z } from 'zod';
import { runBackfill, DEFAULT_COMMIT_EVERY, type BackfillSummary } from '../../app/backfill/run-backfill';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { gatewayFor } from '../../main/runtime';
import { cliAction, withCliRuntime } from '../cli-runtime';
import { chooseOnePortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const BackfillOptionsSchema = z.strictObject({
  portal: PortalOptionSchema,
  restart: z.boolean().default(false),
  commitEvery: z.coerce.number().int().min(200, { message: '--commit-every must be at least 200 (one search page)' }).max(50_000).default(DEFAULT_COMMIT_EVERY),
  json: z.boolean().default(false),
  database: DatabaseOptionSchema,
});

export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('Onboarding: replay every existing contact of a portal into the ledger and write lc_* back where needed (resumable)')
    .option(PORTAL_FLAGS, portalHelp('one', 'configured'))
    .option('--restart', 'start over from the first contact even if a backfill finished (adds no ledger row twice)')
    .addOption(new Option('--commit-every <contacts>', 'contacts per committed unit: reads batch across it, a crash repeats at most one').default(String(DEFAULT_COMMIT_EVERY)))
    .option('--json', 'print the summary as JSON')
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(cliAction('backfill', (raw: Record<string, unknown>) => backfill(BackfillOptionsSchema.parse(raw))));
}

async function backfill(options: z.infer<typeof BackfillOptionsSchema>): Promise<void> {
  await withCliRuntime({ database: options.database }, async (rt) => {
    const model = rt.model();
    const store = await rt.store();
    const target = await rt.hubspot();
    const portalId = chooseOnePortal(
      options.portal,
      target.portals.map((p) => p.portalId),
      'configured',
    );
    const portal = target.portals.find((p) => p.portalId === portalId)!;
    const stop = new AbortController();
    // Ctrl-C: finish and commit the unit in flight, save the cursor, and let the next run resume from it.
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    const bar =
      process.stdout.isTTY && !options.json
        ? new SingleBar({ format: 'backfill {bar} {percentage}% | {value}/{total} contacts | ETA {eta_formatted}', etaBuffer: 50 }, Presets.shades_classic)
        : null;
    try {
      // Through the same rate budget as `lifecycle serve`: on PostgreSQL the two processes share one limit.
      const hubspot = gatewayFor(target, portal, rt.clock, rateBudgetsFor(store, target.portals, rt.clock));
      let started = false;
      const summary = await runBackfill({ store, hubspot, model, clock: rt.clock, workerId: `backfill-${process.pid}`, logger: rt.logger }, portal.portalId, {
        restart: options.restart,
        commitEvery: options.commitEvery,
        signal: stop.signal,
        onProgress: ({ scanned, total }) => {
          if (!bar) return;
          if (!started) bar.start(total, scanned);
          started = true;
          bar.setTotal(total);
          bar.update(scanned);
        },
      });
      bar?.stop();
      print(summary, options.json);
    } finally {
      bar?.stop();
      process.off('SIGINT', onSignal);
    }
  });
}

function print(summary: BackfillSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const outcome = {
    finished: 'backfill finished',
    already_finished: 'a backfill already finished for this portal (use --restart to run it again)',
    stopped: 'backfill stopped; run the command again to resume',
  }[summary.outcome];
  console.log(`portal ${summary.portalId}: ${outcome}${summary.resumedAfter ? ` (resumed after contact ${summary.resumedAfter})` : ''}`);
  if (summary.outcome === 'already_finished') return;
  console.log(
    `  ${summary.scanned.toLocaleString('en-US')} contacts scanned, ${summary.historyReads.toLocaleString('en-US')} read with history, ` +
      `${summary.transitions.toLocaleString('en-US')} transitions replayed, ${summary.writesQueued.toLocaleString('en-US')} written back in ${summary.writeCalls} calls` +
      (summary.conflicts ? `, ${summary.conflicts} left to the live pipeline` : '') +
      (summary.missing ? `, ${summary.missing} deleted meanwhile` : ''),
  );
}
