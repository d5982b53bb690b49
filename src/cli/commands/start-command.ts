import type { Command } from 'commander';
import { parseEnv, usesSimulator } from '../../config/env';
import { cliAction } from '../cli-runtime';
import { DATABASE_FLAGS } from '../cli-options';
import { demoDatabaseFile, runDemoFromCli, DEMO_DATABASE } from './demo-command';
import { serve, ServeOptionsSchema } from './serve-command';

/** `npm start`: the backend when a HubSpot account is configured, the demo on the simulator when none is. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('serve with HubSpot credentials; otherwise play the demo on the simulator and serve its dashboard')
    .option(
      DATABASE_FLAGS,
      `with credentials, the database serve runs on (default: $DATABASE_URL, else .lifecycle/lifecycle.db; DATABASE_SCHEMA applies on PostgreSQL); without, the demo's SQLite file, recreated (default: ${DEMO_DATABASE})`,
    )
    .action(
      cliAction('start', async (raw: Record<string, unknown>) => {
        const options = ServeOptionsSchema.parse(raw);
        const env = parseEnv();
        if (!usesSimulator(env)) return serve(options);
        const sqliteFile = demoDatabaseFile(options.database, env);
        console.log('No HUBSPOT_ACCESS_TOKEN: playing the demo on the built-in HubSpot simulator (set credentials to serve a real account).');
        await runDemoFromCli({ leads: 10_000, port: env.PORT, exit: false, modelFile: env.LIFECYCLE_MODEL_FILE, sqliteFile });
      }),
    );
}
