import { Option, type Command } from 'commander';
import { z } from 'zod';
import {
  choosePortal,
  loadFunnelReport,
  PortalChoiceError,
  recordsOwnedBy,
  renderCsvReport,
  renderJsonReport,
  renderTerminalReport,
  ReportObjectTypeSchema,
  ReportRequestSchema,
  scopeOf,
} from '../../app/reporting';
import { systemClock } from '../../app/ports/clock';
import { parseEnv, type Env } from '../../config/env';
import type { HubSpotGateway } from '../../adapters/hubspot/hubspot-gateway';
import { gatewayFor, openExistingStore, withDatabase } from '../../main/runtime';
import { loadModel } from '../../main/load-model';

interface ReportOptions {
  portal?: string;
  from?: string;
  to?: string;
  object: string;
  owner?: string;
  json?: boolean;
  csv?: boolean;
  database?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Funnel report of one portal: flow, stock, CVR, velocity, SLA, detours and churn over a period')
    .option('--portal <id>', 'HubSpot portal id (default: the only portal in the ledger)')
    .option('--from <date>', 'period start: YYYY-MM-DD (UTC midnight) or an ISO date-time (default: 30 days before --to)')
    .option('--to <date>', 'period end: YYYY-MM-DD includes that whole UTC day, or an ISO date-time (default: now)')
    .addOption(new Option('--object <type>', 'which records').choices(ReportObjectTypeSchema.options).default('contact'))
    .option('--owner <id>', "only the records this HubSpot owner holds now (reads HubSpot: needs the portal's HUBSPOT_ACCESS_TOKEN)")
    .addOption(new Option('--json', 'print the full report as JSON').conflicts('csv'))
    .addOption(new Option('--csv', 'print the flow/stock table as CSV'))
    .option('--database <url>', 'database URL (default: $DATABASE_URL, else .lifecycle/lifecycle.db)')
    .action(runReport);
}

async function runReport(options: ReportOptions): Promise<void> {
  const env = parseEnv();
  const store = await openExistingStore(withDatabase(env, options.database));
  try {
    const portalId = await choosePortal(options.portal, store.ledger);
    const request = ReportRequestSchema.parse({ portalId, from: options.from, to: options.to, objectType: options.object, ownerId: options.owner });
    scopeOf(request, systemClock.now()); // the period's checks, before any HubSpot call
    const model = loadModel(env.LIFECYCLE_MODEL_FILE);
    const records =
      request.ownerId === undefined ? undefined : await recordsOwnedBy({ hubspot: ownerLookupGateway(env, request.portalId), clock: systemClock }, request.objectType, request.ownerId);
    const view = await loadFunnelReport({ ledger: store.ledger, aggregates: store.aggregates, model: () => model }, scopeOf(request, systemClock.now(), records));
    if (options.json) console.log(renderJsonReport(view));
    else if (options.csv) process.stdout.write(renderCsvReport(view));
    else console.log(renderTerminalReport(view, { color: process.stdout.isTTY }));
  } catch (error) {
    if (error instanceof OwnerLookupUnavailable) {
      console.error(`lifecycle report: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    if (!(error instanceof z.ZodError || error instanceof PortalChoiceError)) throw error;
    console.error(`lifecycle report: ${error instanceof z.ZodError ? z.prettifyError(error) : `${error.message} (--portal ID)`}`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

class OwnerLookupUnavailable extends Error {}

/**
 * The portal's HubSpot, for `--owner`: the private-app token of `serve`'s environment when it is this portal's.
 * (OAuth installs keep their tokens sealed in the backend's database; use the dashboard or the report API there.)
 */
function ownerLookupGateway(env: Env, portalId: number): HubSpotGateway {
  if (!env.HUBSPOT_ACCESS_TOKEN || env.HUBSPOT_PORTAL_ID !== portalId) {
    throw new OwnerLookupUnavailable(
      `--owner reads the owner's records from HubSpot: set HUBSPOT_ACCESS_TOKEN, HUBSPOT_PORTAL_ID=${portalId} and HUBSPOT_CLIENT_SECRET as for \`lifecycle serve\` (with OAuth installs, use the dashboard or /api/reports/funnel?ownerId=)`,
    );
  }
  const portal = { portalId, accessToken: env.HUBSPOT_ACCESS_TOKEN, clientSecrets: [], rateLimit: env.HUBSPOT_RATE_LIMIT };
  return gatewayFor({ baseUrl: env.HUBSPOT_API_BASE_URL, portals: [portal], simulator: null }, portal, systemClock);
}
