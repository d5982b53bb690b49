import type { Command } from 'commander';
import { parseEnv, usesSimulator } from '../../config/env';
import { cliAction } from '../cli-runtime';
import { runDemoFromCli } from './demo-command';
import { serve } from './serve-command';

/** `npm start`: the backend when a HubSpot account is configured, the demo on the simulator when none is. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('serve with HubSpot credentials; otherwise play the demo on the simulator and serve its dashboard')
    .action(
      cliAction('start', async () => {
        const env = parseEnv();
        if (!usesSimulator(env)) return serve();
        console.log('No HUBSPOT_ACCESS_TOKEN: playing the demo on the built-in HubSpot simulator (set credentials to serve a real account).');
        await runDemoFromCli({ leads: 10_000, port: env.PORT, exit: false, modelFile: env.LIFECYCLE_MODEL_FILE });
      }),
    );
}
