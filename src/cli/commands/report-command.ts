import { Option, type Command } from 'commander';
import { z } from 'zod';
import { createStore, defaultDatabaseUrl } from '../../adapters/store';
import {
  choosePortal,
  loadFunnelReport,
  PortalChoiceError,
  renderCsvReport,
  renderJsonReport,
  renderTerminalReport,
  ReportObjectTypeSchema,
  ReportRequestSchema,
  scopeOf,
} from '../../app/reporting';
import { systemClock } from '../../app/ports/clock';
import { parseEnv } from '../../config/env';
import { loadModel } from '../../main/load-model';

interface ReportOptions {
  portal?: string;
  from?: string;
  to?: string;
  object: string;
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
    .addOption(new Option('--json', 'print the full report as JSON').conflicts('csv'))
    .addOption(new Option('--csv', 'print the flow/stock table as CSV'))
    .option('--database <url>', 'database URL (default: $DATABASE_URL, else .lifecycle/lifecycle.db)')
    .action(runReport);
}

async function runReport(options: ReportOptions): Promise<void> {
  const env = parseEnv();
  const store = await createStore(options.database ?? env.DATABASE_URL ?? defaultDatabaseUrl());
  try {
    const portalId = await choosePortal(options.portal, store.ledger);
    const request = ReportRequestSchema.parse({ portalId, from: options.from, to: options.to, objectType: options.object });
    const model = loadModel(env.LIFECYCLE_MODEL_FILE);
    const view = await loadFunnelReport({ ledger: store.ledger, model: () => model }, scopeOf(request, systemClock.now()));
    if (options.json) console.log(renderJsonReport(view));
    else if (options.csv) process.stdout.write(renderCsvReport(view));
    else console.log(renderTerminalReport(view, { color: process.stdout.isTTY }));
  } catch (error) {
    if (!(error instanceof z.ZodError || error instanceof PortalChoiceError)) throw error;
    console.error(`lifecycle report: ${error instanceof z.ZodError ? z.prettifyError(error) : `${error.message} (--portal ID)`}`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}
