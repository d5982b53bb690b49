import { Option, type Command } from 'commander';
import { z } from 'zod';
import { loadFunnelReport, recordsOwnedBy, renderCsvReport, renderJsonReport, renderTerminalReport, ReportObjectTypeSchema, ReportRequestSchema, scopeOf } from '../../app/reporting';
import type { Clock } from '../../app/ports/clock';
import type { Env } from '../../config/env';
import type { HubSpotGateway } from '../../adapters/hubspot/hubspot-gateway';
import { gatewayFor } from '../../main/runtime';
import { CliError, cliAction, withCliRuntime } from '../cli-runtime';
import { chooseOnePortal, DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema, PORTAL_FLAGS, PortalOptionSchema, portalHelp } from '../cli-options';

const ReportOptionsSchema = z.object({
  portal: PortalOptionSchema,
  from: z.string().optional(),
  to: z.string().optional(),
  object: z.string(),
  owner: z.string().optional(),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
  database: DatabaseOptionSchema,
});

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Funnel report of one portal: flow, stock, CVR, velocity, SLA, detours and churn over a period')
    .option(PORTAL_FLAGS, portalHelp('one', 'in the ledger'))
    .option('--from <date>', 'period start: YYYY-MM-DD (UTC midnight) or an ISO date-time (default: 30 days before --to)')
    .option('--to <date>', 'period end: YYYY-MM-DD includes that whole UTC day, or an ISO date-time (default: now)')
    .addOption(new Option('--object <type>', 'which records').choices(ReportObjectTypeSchema.options).default('contact'))
    .option('--owner <id>', "only the records this HubSpot owner holds now (reads HubSpot: needs the portal's HUBSPOT_ACCESS_TOKEN)")
    .addOption(new Option('--json', 'print the full report as JSON').conflicts('csv'))
    .addOption(new Option('--csv', 'print the flow/stock table as CSV'))
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(cliAction('report', (raw: Record<string, unknown>) => runReport(ReportOptionsSchema.parse(raw))));
}

async function runReport(options: z.infer<typeof ReportOptionsSchema>): Promise<void> {
  await withCliRuntime({ database: options.database, store: 'existing' }, async (rt) => {
    const store = await rt.store();
    const portalId = chooseOnePortal(options.portal, await store.ledger.portals(), 'in the ledger');
    const request = ReportRequestSchema.parse({ portalId: String(portalId), from: options.from, to: options.to, objectType: options.object, ownerId: options.owner });
    scopeOf(request, rt.clock.now()); // the period's checks, before any HubSpot call
    const model = rt.model();
    const records =
      request.ownerId === undefined
        ? undefined
        : await recordsOwnedBy({ hubspot: ownerLookupGateway(rt.env, request.portalId, rt.clock), clock: rt.clock }, request.objectType, request.ownerId);
    const view = await loadFunnelReport({ ledger: store.ledger, aggregates: store.aggregates, model: () => model }, scopeOf(request, rt.clock.now(), records));
    // On stderr, so the report on stdout stays what --json and --csv promise (the JSON also carries `partial`).
    if (view.partial) process.stderr.write(`warning: ${view.partial.message}\n`);
    if (options.json) console.log(renderJsonReport(view));
    else if (options.csv) process.stdout.write(renderCsvReport(view));
    else console.log(renderTerminalReport(view, { color: process.stdout.isTTY }));
  });
}

/**
 * The portal's HubSpot, for `--owner`: the private-app token of `serve`'s environment when it is this portal's.
 * (OAuth installs keep their tokens sealed in the backend's database; use the dashboard or the report API there.)
 */
function ownerLookupGateway(env: Env, portalId: number, clock: Clock): HubSpotGateway {
  if (!env.HUBSPOT_ACCESS_TOKEN || env.HUBSPOT_PORTAL_ID !== portalId) {
    throw new CliError(
      `--owner reads the owner's records from HubSpot: set HUBSPOT_ACCESS_TOKEN, HUBSPOT_PORTAL_ID=${portalId} and HUBSPOT_CLIENT_SECRET as for \`lifecycle serve\` (with OAuth installs, use the dashboard or /api/reports/funnel?ownerId=)`,
    );
  }
  const portal = { portalId, accessToken: env.HUBSPOT_ACCESS_TOKEN, clientSecrets: [], rateLimit: env.HUBSPOT_RATE_LIMIT };
  return gatewayFor({ baseUrl: env.HUBSPOT_API_BASE_URL, portals: [portal], simulator: null }, portal, clock);
}
