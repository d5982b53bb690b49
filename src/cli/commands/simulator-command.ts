import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { PortalOptionsInput, SimulatorOptions } from '../../simulator';
import { startSimulator } from '../../simulator';
import { parseWebhooksConfig } from '../../simulator/webhooks/webhook-config';

interface SimulatorFlags {
  port: string;
  host: string;
  portals?: string;
  webhooks?: string;
  timeScale: string;
  quiet?: boolean;
}

/** `lifecycle simulator`: the stateful HubSpot simulator as a standalone server (defaults in docs/simulator.md). */
export function registerSimulatorCommand(program: Command): void {
  program
    .command('simulator')
    .description('Run the stateful HubSpot simulator (point @hubspot/api-client basePath at the printed URL)')
    .option('--port <port>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--portals <file>', 'JSON array of portal options (default: portal 101, token sim-token-101, secret sim-secret-101)')
    .option('--webhooks <file>', 'a webhooks-hsmeta.json for the first portal (subscriptions and targetUrl)')
    .option('--time-scale <factor>', 'multiplier for webhook retry delays (0.001 turns 24 h into ~86 s)', '1')
    .option('--quiet', 'do not log deliveries and faults')
    .action(async (flags: SimulatorFlags) => {
      const portals = flags.portals ? (JSON.parse(readFileSync(flags.portals, 'utf8')) as PortalOptionsInput[]) : [{ portalId: 101 }];
      if (flags.webhooks && portals[0]) portals[0] = { ...portals[0], webhooks: parseWebhooksConfig(JSON.parse(readFileSync(flags.webhooks, 'utf8'))) };
      const options: SimulatorOptions = {
        port: Number(flags.port),
        host: flags.host,
        portals,
        webhookTimeScale: Number(flags.timeScale),
        ...(flags.quiet ? {} : { log: (line: string) => console.error(`[simulator] ${line}`) }),
      };
      const simulator = await startSimulator(options);
      console.log(`HubSpot simulator listening on ${simulator.baseUrl}`);
      for (const portal of simulator.portals) {
        console.log(`  portal ${portal.portalId} (${portal.tier}): token ${portal.accessTokens.join(', ')}  client secret ${portal.clientSecret}`);
      }
      console.log(`  control API: ${simulator.baseUrl}/_simulator (stats: ${simulator.baseUrl}/_simulator/stats)`);
      await new Promise<void>((resolve) => {
        const shutdown = () => resolve();
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
      await simulator.stop();
    });
}
