import { assertDatabaseExists, defaultDatabaseUrl } from '../../adapters/store';
import type { Command } from 'commander';
import { z } from 'zod';
import { choosePortal, PortalChoiceError, ReportRequestSchema, scopeOf } from '../../app/reporting';
import { renderComparisonTable } from '../../app/replay/render-comparison';
import { runReplay } from '../../app/replay/run-replay';
import { systemClock } from '../../app/ports/clock';
import { parseEnv } from '../../config/env';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { gatewayFor, openStore, resolveHubSpotTarget } from '../../main/runtime';

interface ReplayOptions {
  model: string;
  portal?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('What-if: replay the recorded facts under another model and compare flow/stock/CVR with the ledger (writes nothing)')
    .requiredOption('--model <file>', 'the what-if lifecycle model (JSON)')
    .option('--portal <id>', 'HubSpot portal id (default: the only portal in the ledger)')
    .option('--from <date>', 'period start: YYYY-MM-DD (UTC) or an ISO date-time (default: 30 days before --to)')
    .option('--to <date>', 'period end: YYYY-MM-DD includes that whole UTC day, or an ISO date-time (default: now)')
    .option('--json', 'print the comparison as JSON')
    .action(runReplayCommand);
}

async function runReplayCommand(options: ReplayOptions): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  assertDatabaseExists(env.DATABASE_URL ?? defaultDatabaseUrl()); // writes nothing: never create an empty database
  const store = await openStore(env);
  let stopSimulator: (() => Promise<void>) | undefined;
  try {
    const whatIf = loadModel(options.model);
    const current = loadModel(env.LIFECYCLE_MODEL_FILE);
    const request = ReportRequestSchema.parse({ portalId: await choosePortal(options.portal, store.ledger), from: options.from, to: options.to, objectType: 'contact' });
    const { period } = scopeOf(request, systemClock.now());
    const target = await resolveHubSpotTarget(env, systemClock, logger);
    stopSimulator = target.simulator ? () => target.simulator!.stop() : undefined;
    const portal = target.portals.find((p) => p.portalId === request.portalId);
    if (!portal) throw new PortalChoiceError(`portal ${request.portalId} is not configured for HubSpot access`);
    const result = await runReplay({ store, hubspot: gatewayFor(target, portal, systemClock) }, request.portalId, { current, whatIf }, period);
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`portal ${result.portalId}: "${result.model.current}" (ledger, ${result.ledgerRows.current} rows) vs. "${result.model.whatIf}" (what-if, ${result.ledgerRows.whatIf} rows) over ${result.contacts} contacts`);
      console.log(renderComparisonTable(result.stages, period));
    }
  } catch (error) {
    if (!(error instanceof z.ZodError || error instanceof PortalChoiceError)) throw error;
    console.error(`lifecycle replay: ${error instanceof z.ZodError ? z.prettifyError(error) : error.message}`);
    process.exitCode = 1;
  } finally {
    await stopSimulator?.();
    await store.close();
  }
}
