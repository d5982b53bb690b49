import type { Command } from 'commander';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CompiledModel } from '../../core';
import { systemClock } from '../../app/ports/clock';
import type { Store } from '../../app/ports/store-ports';
import { redactedConfig, type Env } from '../../config/env';
import { startBackend, type Backend } from '../../main/backend';
import { loadModel } from '../../main/load-model';
import { createLogger } from '../../main/logger';
import { rateBudgetsFor } from '../../main/rate-budgets';
import { oauthSettingsFromEnv } from '../../main/oauth-installs';
import { assertPortFree, listenWarnings } from '../../main/startup-checks';
import { alignAll, modelPerPortal, openStore, provisionAll, resolveHubSpotTarget, storeLocation, subscribeSimulator, type HubSpotTarget } from '../../main/runtime';
import { cliAction, commandEnv } from '../cli-runtime';
import { DATABASE_FLAGS, DATABASE_HELP, DatabaseOptionSchema } from '../cli-options';

/** `serve`'s options (`start` takes the same). */
export const ServeOptionsSchema = z.strictObject({ database: DatabaseOptionSchema });
export type ServeOptions = z.infer<typeof ServeOptionsSchema>;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the backend: signed webhooks in, worker, scheduler, write-back (the simulator when no HubSpot credentials are set)')
    .option(DATABASE_FLAGS, DATABASE_HELP)
    .action(cliAction('serve', (raw: Record<string, unknown>) => serve(ServeOptionsSchema.parse(raw))));
}

/**
 * Runs the backend until SIGINT/SIGTERM, then finishes the work in flight and closes. Its own start-up, not
 * withCliRuntime's: it logs at LOG_LEVEL (withCliRuntime quiets info) and checks the port before anything opens.
 * A start-up that fails releases what it had opened, so the command exits with its error instead of hanging.
 */
export async function serve(options: ServeOptions = {}): Promise<void> {
  const env = commandEnv(options.database);
  const logger = createLogger(env.LOG_LEVEL);
  logger.info({ config: redactedConfig(env) }, 'starting');
  for (const warning of listenWarnings(env)) logger.warn(warning);
  const model = loadModel(env.LIFECYCLE_MODEL_FILE);
  await assertPortFree(env.HOST, env.PORT); // before the database and any HubSpot call
  let store: Store | undefined;
  let target: HubSpotTarget | undefined;
  let backend: Backend;
  try {
    store = await openStore(env);
    target = await resolveHubSpotTarget(env, systemClock, logger);
    backend = await startServing(env, logger, model, store, target);
  } catch (error) {
    await target?.simulator?.stop();
    await store?.close();
    throw error;
  }

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down: finishing the work in flight');
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  await backend.stop();
  await target.simulator?.stop();
  await store.close();
  logger.info('stopped');
}

async function startServing(env: Env, logger: Logger, model: CompiledModel, store: Store, target: HubSpotTarget): Promise<Backend> {
  const rateBudgets = rateBudgetsFor(store, target.portals, systemClock);
  for (const [portalId, lines] of await provisionAll(target, model, systemClock, rateBudgets)) {
    const created = lines.filter((l) => l.outcome !== 'unchanged').map((l) => `${l.objectType}.${l.name} ${l.outcome}`);
    logger.info({ portalId, changes: created }, created.length ? 'provisioned HubSpot properties' : 'HubSpot properties up to date');
  }
  const models = await alignAll(target, model, { store, clock: systemClock, logger, budgets: rateBudgets });
  const backend = await startBackend({
    store,
    model: modelPerPortal(models, model),
    // Each portal runs its published model revision (the settings page); the model file or the default seeds revision 1.
    modelRevisions: { seedDocument: model.document, database: storeLocation(env) },
    database: storeLocation(env),
    hubspotBaseUrl: target.baseUrl,
    portals: target.portals,
    clock: systemClock,
    logger,
    port: env.PORT,
    host: env.HOST,
    adminToken: env.DASHBOARD_TOKEN,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    trustProxy: env.TRUST_PROXY,
    leaseMs: env.LEASE_MS,
    rateBudgets,
    reconcileEveryMs: env.RECONCILE_EVERY_MS,
    journalEveryMs: env.JOURNAL_EVERY_MS,
    retention: { periodMs: env.QUEUE_RETENTION_DAYS * 86_400_000 },
    ...(env.AUTH_MODE === 'oauth' ? { oauth: oauthSettingsFromEnv(env) } : {}),
  });
  if (target.simulator) subscribeSimulator(target.simulator, backend.url);
  console.log(`lifecycle engine listening on ${backend.url}${target.simulator ? ` (HubSpot simulator at ${target.simulator.baseUrl}, portal ${target.portals[0]?.portalId})` : ''}`);
  return backend;
}
