import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { DAY_MS, type ReportPeriod } from '../../core';
import { defaultDatabaseUrl, redactDatabaseUrl, sqliteFileOf } from '../../adapters/store';
import { parseEnv, type Env } from '../../config/env';
import { runDemo } from '../../main/demo/run-demo';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { CliError, cliAction } from '../cli-runtime';
import { DATABASE_FLAGS, DatabaseOptionSchema } from '../cli-options';

const DemoOptionsSchema = z.strictObject({
  leads: z.coerce.number().int().min(100).max(100_000),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  exit: z.boolean().optional(),
  database: DatabaseOptionSchema,
});

/**
 * The demo's own database, never the store other commands open: each demo recreates it, and DATABASE_URL is not read
 * for it (a demo must not wipe or mix into the real ledger). `--database` moves it.
 */
export const DEMO_DATABASE = 'sqlite:.lifecycle/demo.db';
export const DEMO_DATABASE_HELP = `the demo's own SQLite database, recreated on each run (default: ${DEMO_DATABASE}; never DATABASE_URL's store)`;

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description("Play the literature's scenario (10,000 leads, six months) against the simulator and serve the dashboard")
    .option('--leads <n>', 'leads acquired on day 0', '10000')
    .option('--port <port>', 'backend port (default PORT or 3000)')
    .option('--exit', 'print the report and exit instead of serving the dashboard')
    .option(DATABASE_FLAGS, DEMO_DATABASE_HELP)
    .action(
      cliAction('demo', async (raw: unknown) => {
        const options = DemoOptionsSchema.parse(raw);
        const env = parseEnv();
        await runDemoFromCli({
          leads: options.leads,
          port: options.port ?? env.PORT,
          exit: Boolean(options.exit),
          modelFile: env.LIFECYCLE_MODEL_FILE,
          sqliteFile: demoDatabaseFile(options.database, env),
        });
      }),
    );
}

/**
 * The SQLite file the demo recreates: `--database` or `.lifecycle/demo.db`. Refused: PostgreSQL and `:memory:` (the
 * demo recreates a file the follow-up commands can read), and the store the other commands open (DATABASE_URL, else
 * `.lifecycle/lifecycle.db`), which the demo would wipe.
 */
export function demoDatabaseFile(database: string | undefined, env: Env): string {
  const url = database ?? DEMO_DATABASE;
  const file = sqliteFileOf(url);
  if (file === null) throw new CliError(`--database ${redactDatabaseUrl(url)}: the demo recreates its database on each run, so it takes a SQLite file (sqlite:<file>)`);
  const realStore = sqliteFileOf(env.DATABASE_URL ?? defaultDatabaseUrl());
  if (file === realStore) {
    throw new CliError(`--database ${url}: that is the store the other commands open (DATABASE_URL, else .lifecycle/lifecycle.db), and the demo recreates its database; name another file`);
  }
  return file;
}

export async function runDemoFromCli(options: { leads: number; port: number; exit: boolean; modelFile: string | undefined; sqliteFile: string }): Promise<void> {
  const model = loadModel(options.modelFile);
  const started = Date.now();
  const demo = await runDemo({
    model,
    logger: createLogger('warn'),
    sqliteFile: options.sqliteFile,
    port: options.port,
    leads: options.leads,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(`\nFlow and stock over the six months (${((Date.now() - started) / 1000).toFixed(0)} s to play):\n`);
  console.log(demo.report);
  console.log(`\n${demoFollowUp(options.sqliteFile, demo.period)}`);
  if (options.exit) {
    await demo.stop();
    return;
  }
  console.log(`\nDashboard: ${demo.backend.url}/dashboard   (HubSpot simulator: ${demo.simulator.baseUrl}, portal 101, token sim-token-101)`);
  console.log('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await demo.stop();
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Where the demo wrote and the commands that read it: without `--database` they would open the real store
 * (DATABASE_URL, else .lifecycle/lifecycle.db), which the demo never touches. The period is the demo's (whole UTC days;
 * `--to` includes its day), since a report defaults to the last 30 days.
 */
export function demoFollowUp(sqliteFile: string, period: ReportPeriod, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, sqliteFile);
  const shown = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : sqliteFile;
  const database = shellWord(`sqlite:${shown}`);
  const scope = `--database ${database} --from ${day(period.start)} --to ${day(period.end - DAY_MS)}`;
  return [
    `The demo's data is in ${database} (the demo's own, recreated on each run; the store of the other commands, DATABASE_URL else .lifecycle/lifecycle.db, is never touched).`,
    'Read it with --database, for example:',
    `  npx lifecycle report ${scope}`,
    `  npx lifecycle report ${scope} --object company`,
    `  npx lifecycle model show-default > my-model.json   # edit it, then:`,
    `  npx lifecycle replay --model my-model.json ${scope}`,
  ].join('\n');
}

/** A path as one shell word: quoted only when it holds characters a shell would split or expand. */
const shellWord = (word: string): string => (/^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
