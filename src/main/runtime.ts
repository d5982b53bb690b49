import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { CompiledModel } from '../core';
import { assertDatabaseExists, createStore, defaultDatabaseUrl } from '../adapters/store';
import { HubSpotGateway } from '../adapters/hubspot/hubspot-gateway';
import { RollingWindowLimiter } from '../adapters/hubspot/rolling-window-limiter';
import type { Clock } from '../app/ports/clock';
import type { PortalCredentials } from '../app/ports/portal-directory';
import type { Store } from '../app/ports/store-ports';
import { alignPortalModel } from '../app/provision/align-native-stages';
import { provisionProperties, type ProvisionLine } from '../app/provision/provision-properties';
import { usesSimulator, type Env } from '../config/env';
import { WEBHOOK_PATH } from '../contracts/backend-routes';
import { RATE_LIMIT_TIERS, startSimulator, type RunningSimulator } from '../simulator';
import { gatewaySlots, type HubSpotRateBudgets } from './rate-budgets';
import { withStartupRetry } from './startup-checks';

/** Where HubSpot is for this run: the real API with the configured account, or the built-in simulator. */
export interface HubSpotTarget {
  baseUrl: string;
  portals: PortalCredentials[];
  simulator: RunningSimulator | null;
}

export async function resolveHubSpotTarget(env: Env, clock: Clock, logger: Logger): Promise<HubSpotTarget> {
  // OAuth: no account at start; each one arrives by installing the app (docs/oauth.md).
  if (env.AUTH_MODE === 'oauth') return { baseUrl: env.HUBSPOT_API_BASE_URL, portals: [], simulator: null };
  if (!usesSimulator(env)) {
    return {
      baseUrl: env.HUBSPOT_API_BASE_URL,
      portals: [{ portalId: env.HUBSPOT_PORTAL_ID!, accessToken: env.HUBSPOT_ACCESS_TOKEN!, clientSecrets: [env.HUBSPOT_CLIENT_SECRET!], rateLimit: env.HUBSPOT_RATE_LIMIT }],
      simulator: null,
    };
  }
  const simulator = await startSimulator({ clock });
  logger.info({ simulator: simulator.baseUrl }, 'no HUBSPOT_ACCESS_TOKEN: running against the built-in HubSpot simulator');
  return {
    baseUrl: simulator.baseUrl,
    portals: simulator.portals.map((p) => ({
      portalId: p.portalId,
      accessToken: p.accessTokens[0]!,
      clientSecrets: [p.clientSecret],
      rateLimit: RATE_LIMIT_TIERS[p.tier as keyof typeof RATE_LIMIT_TIERS]?.perTenSeconds ?? 100,
    })),
    simulator,
  };
}

/** A gateway outside the backend (provisioning, CLI commands); default budgets: this process's own. */
export function gatewayFor(target: HubSpotTarget, portal: PortalCredentials, clock: Clock, budgets?: HubSpotRateBudgets): HubSpotGateway {
  return new HubSpotGateway({
    portalId: portal.portalId,
    accessToken: portal.accessToken,
    basePath: target.baseUrl,
    ...(budgets ? gatewaySlots(budgets, portal.portalId) : { limiter: new RollingWindowLimiter({ maxRequests: portal.rateLimit, windowMs: 10_000 }, clock) }),
    clock,
  });
}

/** The environment with `--database` in place of DATABASE_URL when given (the CLI's override; DATABASE_SCHEMA still applies). */
export function withDatabase(env: Env, database: string | undefined): Env {
  return database === undefined ? env : { ...env, DATABASE_URL: database };
}

export async function openStore(env: Env): Promise<Store> {
  const { url, pgSchema } = storeLocation(env);
  return createStore(url, pgSchema ? { pgSchema } : {});
}

/** Where openStore finds the store: for another thread that opens it too (the parallel what-if replay). */
export function storeLocation(env: Env): { url: string; pgSchema: string | null } {
  return { url: env.DATABASE_URL ?? defaultDatabaseUrl(), pgSchema: env.DATABASE_SCHEMA || null };
}

/** For commands that only read: an absent SQLite file is an error naming the path, never a new empty database. */
export async function openExistingStore(env: Env): Promise<Store> {
  assertDatabaseExists(env.DATABASE_URL ?? defaultDatabaseUrl());
  return openStore(env);
}

/**
 * Creates our properties in every portal (idempotent), so the first write-back never meets an unknown property.
 * HubSpot being briefly unavailable or rate-limiting is waited out (withStartupRetry); a refused token names
 * HUBSPOT_ACCESS_TOKEN and the portal.
 * `budgets`: pass the backend's, so instances starting together spend one shared budget on it.
 */
export async function provisionAll(target: HubSpotTarget, model: CompiledModel, clock: Clock, budgets?: HubSpotRateBudgets): Promise<Map<number, ProvisionLine[]>> {
  const results = new Map<number, ProvisionLine[]>();
  for (const portal of target.portals) {
    const gateway = gatewayFor(target, portal, clock, budgets);
    results.set(portal.portalId, await withStartupRetry(portal.portalId, clock, () => provisionProperties(gateway, model)));
  }
  return results;
}

/**
 * The model each portal runs: the configured one fitted to the portal's own lifecycle stages (order, custom ids,
 * deleted ones; R18), with an `unknown_stage` alert per stage the portal cannot hold. Run after provisionAll.
 */
export async function alignAll(
  target: HubSpotTarget,
  model: CompiledModel,
  deps: { store: Store; clock: Clock; logger: Logger; budgets?: HubSpotRateBudgets },
): Promise<Map<number, CompiledModel>> {
  const models = new Map<number, CompiledModel>();
  for (const portal of target.portals) {
    const hubspot = gatewayFor(target, portal, deps.clock, deps.budgets);
    const aligned = await withStartupRetry(portal.portalId, deps.clock, () =>
      alignPortalModel({ hubspot, store: deps.store, clock: deps.clock, logger: deps.logger }, portal.portalId, model),
    );
    models.set(portal.portalId, aligned);
  }
  return models;
}

/** The backend's `model` option: a portal's fitted model, else the configured one (OAuth installs arriving later). */
export const modelPerPortal =
  (models: ReadonlyMap<number, CompiledModel>, fallback: CompiledModel) =>
  (portalId: number): CompiledModel =>
    models.get(portalId) ?? fallback;

/** Subscribes the simulator to our webhook endpoint with the subscriptions the app declares. */
export function subscribeSimulator(simulator: RunningSimulator, backendUrl: string): void {
  const file = path.resolve(__dirname, '..', '..', 'extensions', 'app', 'webhooks', 'webhooks-hsmeta.json');
  const hsmeta = JSON.parse(readFileSync(file, 'utf8')) as { config: { settings: Record<string, unknown> } };
  const config = { ...hsmeta.config, settings: { ...hsmeta.config.settings, targetUrl: `${backendUrl}${WEBHOOK_PATH}` } };
  for (const portal of simulator.portals) simulator.control.configureWebhooks(portal.portalId, config);
}
