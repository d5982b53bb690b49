import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseEnv } from '../../config/env';
import { runDemo } from '../../main/demo/run-demo';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { cliAction } from '../cli-runtime';

const DemoOptionsSchema = z.strictObject({
  leads: z.coerce.number().int().min(100).max(100_000),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  exit: z.boolean().optional(),
});

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description("Play the literature's scenario (10,000 leads, six months) against the simulator and serve the dashboard")
    .option('--leads <n>', 'leads acquired on day 0', '10000')
    .option('--port <port>', 'backend port (default PORT or 3000)')
    .option('--exit', 'print the report and exit instead of serving the dashboard')
    .action(
      cliAction('demo', async (raw: unknown) => {
        const options = DemoOptionsSchema.parse(raw);
        const env = parseEnv();
        await runDemoFromCli({ leads: options.leads, port: options.port ?? env.PORT, exit: Boolean(options.exit), modelFile: env.LIFECYCLE_MODEL_FILE });
      }),
    );
}

export async function runDemoFromCli(options: { leads: number; port: number; exit: boolean; modelFile: string | undefined }): Promise<void> {
  const model = loadModel(options.modelFile);
  const started = Date.now();
  const demo = await runDemo({
    model,
    logger: createLogger('warn'),
    sqliteFile: path.resolve('.lifecycle', 'demo.db'),
    port: options.port,
    leads: options.leads,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(`\nFlow and stock over the six months (${((Date.now() - started) / 1000).toFixed(0)} s to play):\n`);
  console.log(demo.report);
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
