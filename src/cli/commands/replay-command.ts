import type { Command } from 'commander';
import { z } from 'zod';
import { choosePortal, PortalChoiceError, ReportRequestSchema, scopeOf } from '../../app/reporting';
import { renderComparisonTable } from '../../app/replay/render-comparison';
import { runReplay } from '../../app/replay/run-replay';
import { systemClock } from '../../app/ports/clock';
import { parseEnv, usesSimulator, type Env } from '../../config/env';
import type { HubSpotGateway } from '../../adapters/hubspot/hubspot-gateway';
import { contactReadProperties } from '../../app/facts/fact-properties';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { gatewayFor, openExistingStore, resolveHubSpotTarget, withDatabase } from '../../main/runtime';

interface ReplayOptions {
  model: string;
  portal?: string;
  from?: string;
  to?: string;
  json?: boolean;
  database?: string;
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
    .option('--database <url>', 'database URL (default: $DATABASE_URL, else .lifecycle/lifecycle.db)')
    .action(runReplayCommand);
}

async function runReplayCommand(options: ReplayOptions): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const store = await openExistingStore(withDatabase(env, options.database));
  const running: { stopSimulator?: () => Promise<void> } = {};
  try {
    const whatIf = loadModel(options.model);
    const current = loadModel(env.LIFECYCLE_MODEL_FILE);
    const request = ReportRequestSchema.parse({ portalId: await choosePortal(options.portal, store.ledger), from: options.from, to: options.to, objectType: 'contact' });
    const { period } = scopeOf(request, systemClock.now());
    const hubspot = await hubspotFor(env, request.portalId, logger, (stop) => (running.stopSimulator = stop));
    const result = await runReplay({ store, hubspot }, request.portalId, { current, whatIf }, period);
    if (result.unreadable || (result.contacts === 0 && result.missing > 0)) {
      const { properties, contacts } = result.unreadable ?? { properties: contactReadProperties(whatIf), contacts: result.missing };
      console.error(
        `lifecycle replay: could not read ${properties.join(', ')} from HubSpot for ${contacts} contacts ` +
          `(${result.unreadable ? 'no HubSpot access: set HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID' : 'HubSpot has none of them'}); no comparison made`,
      );
      process.exitCode = 1;
      return;
    }
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(
        `portal ${result.portalId}: "${result.model.current}" (ledger, ${result.ledgerRows.current} rows) vs. "${result.model.whatIf}" (what-if, ${result.ledgerRows.whatIf} rows) over ${result.contacts} contacts`,
      );
      console.log(renderComparisonTable(result.stages, period));
    }
  } catch (error) {
    if (!(error instanceof z.ZodError || error instanceof PortalChoiceError)) throw error;
    console.error(`lifecycle replay: ${error instanceof z.ZodError ? z.prettifyError(error) : error.message}`);
    process.exitCode = 1;
  } finally {
    await running.stopSimulator?.();
    await store.close();
  }
}

/**
 * The portal's HubSpot, or null when there is no access to it. Without a token the runtime would start an empty
 * built-in simulator, which knows none of the portal's contacts: that is no access, not a portal with 0 contacts.
 */
async function hubspotFor(env: Env, portalId: number, logger: ReturnType<typeof createLogger>, onSimulator: (stop: () => Promise<void>) => void): Promise<HubSpotGateway | null> {
  if (usesSimulator(env)) return null;
  const target = await resolveHubSpotTarget(env, systemClock, logger);
  if (target.simulator) onSimulator(() => target.simulator!.stop());
  const portal = target.portals.find((p) => p.portalId === portalId);
  if (!portal) throw new PortalChoiceError(`portal ${portalId} is not configured for HubSpot access`);
  return gatewayFor(target, portal, systemClock);
}
