import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { z } from 'zod';
import { ReportRequestSchema, scopeOf } from '../../app/reporting';
import { renderComparisonTable } from '../../app/replay/render-comparison';
import { runReplay } from '../../app/replay/run-replay';
import { usesSimulator } from '../../config/env';
import type { HubSpotGateway } from '../../adapters/hubspot/hubspot-gateway';
import { loadModel } from '../../main/load-model';
import { availableParallelism } from 'node:os';
import { parallelWhatIf } from '../../main/replay/parallel-what-if';
import { gatewayFor, storeLocation } from '../../main/runtime';
import { CliError, cliAction, withCliRuntime, type CliRuntime } from '../cli-runtime';
import { chooseOnePortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const ReplayOptionsSchema = z.object({
  model: z.string().min(1),
  portal: PortalOptionSchema,
  from: z.string().optional(),
  to: z.string().optional(),
  json: z.boolean().optional(),
  database: DatabaseOptionSchema,
  threads: z.union([z.literal('auto'), z.coerce.number().int().min(1, 'at least 1 thread')], { error: '--threads must be a whole number (1 or more) or "auto"' }).default(1),
});

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'What-if: replay the recorded facts and stored properties under another model and compare flow/stock/CVR with the ledger (writes nothing; reads HubSpot only for properties not stored)',
    )
    .requiredOption('--model <file>', 'the what-if lifecycle model (JSON)')
    .option(PORTAL_FLAGS, portalHelp('one', 'in the ledger'))
    .option('--from <date>', 'period start: YYYY-MM-DD (UTC) or an ISO date-time (default: 30 days before --to)')
    .option('--to <date>', 'period end: YYYY-MM-DD includes that whole UTC day, or an ISO date-time (default: now)')
    .option('--json', 'print the comparison as JSON')
    .option(
      '--threads <n>',
      'replay on n worker threads (at most 4; "auto": one per core) instead of one: faster on an idle machine with 50,000 contacts or more, but each thread holds its own store connection and heap (B8: 610 MB against 466 MB at 100,000 contacts)',
      '1',
    )
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(cliAction('replay', (raw: Record<string, unknown>) => runReplayCommand(ReplayOptionsSchema.parse(raw))));
}

async function runReplayCommand(options: z.infer<typeof ReplayOptionsSchema>): Promise<void> {
  await withCliRuntime({ database: options.database, store: 'existing' }, async (rt) => {
    const store = await rt.store();
    const whatIf = loadModel(options.model);
    const current = rt.model();
    const portalId = chooseOnePortal(options.portal, await store.ledger.portals(), 'in the ledger');
    const request = ReportRequestSchema.parse({ portalId: String(portalId), from: options.from, to: options.to, objectType: 'contact' });
    const { period } = scopeOf(request, rt.clock.now());
    const { hubspot, noAccess } = await hubspotFor(rt, request.portalId);
    // On stderr, so --json output stays clean; only on a terminal.
    const bar = process.stderr.isTTY
      ? new SingleBar({ stream: process.stderr, format: 'replay {bar} {value}/{total} contacts | {reads} HubSpot reads for properties not stored', etaBuffer: 50 }, Presets.shades_classic)
      : null;
    let result: Awaited<ReturnType<typeof runReplay>>;
    try {
      const total = bar ? [...(await store.states.countByStage(request.portalId, 'contact')).values()].reduce((sum, n) => sum + n, 0) : 0;
      bar?.start(total, 0, { reads: 0 });
      const onProgress = ({ contacts, hubspotReads }: { contacts: number; hubspotReads: number }) => {
        bar?.setTotal(Math.max(total, contacts));
        bar?.update(contacts, { reads: hubspotReads });
      };
      const replayWhatIf = parallelWhatIf({ store, hubspot, onProgress, database: storeLocation(rt.env), parts: options.threads === 'auto' ? availableParallelism() : options.threads });
      result = await runReplay({ store, hubspot, onProgress, replayWhatIf }, request.portalId, { current, whatIf }, period);
    } finally {
      bar?.stop();
    }
    if (result.unreadable) {
      const { properties, contacts } = result.unreadable;
      throw new CliError(`could not read ${properties.join(', ')} from HubSpot for ${contacts} contacts (${noAccess}, and the store does not hold them); no comparison made`);
    }
    if (result.contacts === 0 && result.missing > 0) throw new CliError(`HubSpot has none of the ${result.missing} contacts whose properties are not stored; no comparison made`);
    // On stderr, as `report` does (the JSON carries ledgerPartial).
    if (result.ledgerPartial) process.stderr.write(`warning: the ledger side is partial: ${result.ledgerPartial.message}\n`);
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `portal ${result.portalId}: "${result.model.current}" (ledger, ${result.ledgerRows.current} rows) vs. "${result.model.whatIf}" (what-if, ${result.ledgerRows.whatIf} rows) over ${result.contacts} contacts`,
      );
      console.log(renderComparisonTable(result.stages, period));
    }
  });
}

/**
 * The portal's HubSpot, or null with the reason when there is no access to it. Asked before the replay, but no call is
 * made: the replay reads HubSpot only for properties the store does not hold, and HubSpot access to another portal
 * (the credentials configured are another account's) is no reason to refuse a replay the store can answer alone.
 * Without a token the runtime would start an empty built-in simulator, which knows none of the portal's contacts:
 * that is no access, not a portal with 0 contacts.
 */
async function hubspotFor(rt: CliRuntime, portalId: number): Promise<{ hubspot: HubSpotGateway | null; noAccess: string }> {
  if (usesSimulator(rt.env)) return { hubspot: null, noAccess: 'no HubSpot access: set HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID' };
  const target = await rt.hubspot();
  const portal = target.portals.find((p) => p.portalId === portalId);
  if (portal) return { hubspot: gatewayFor(target, portal, rt.clock), noAccess: '' };
  const configured = target.portals.map((p) => `portal ${p.portalId}'s`).join(', ');
  return {
    hubspot: null,
    noAccess: `portal ${portalId} has no HubSpot access (${configured ? `the credentials configured are ${configured}` : 'replay reads HubSpot with HUBSPOT_ACCESS_TOKEN only, and none is set'})`,
  };
}
