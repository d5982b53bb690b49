import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CompiledModel } from '../core';
import { HubSpotFlowsApi } from '../adapters/hubspot/flows-api';
import { HubSpotListsApi } from '../adapters/hubspot/lists-api';
import type { Clock } from '../app/ports/clock';
import type { HubSpotFlowsPort } from '../app/ports/hubspot-flows-port';
import type { HubSpotListsPort } from '../app/ports/hubspot-lists-port';
import type { PortalCredentials } from '../app/ports/portal-directory';
import type { Store } from '../app/ports/store-ports';
import { provisionLists, type ListLine } from '../app/provision/provision-lists';
import type { Env } from '../config/env';
import type { RunningSimulator } from '../simulator';
import type { HubSpotRateBudgets } from './rate-budgets';
import { gatewayFor, type HubSpotTarget } from './runtime';

/** The Lists and flows API groups of one portal, sending through that portal's gateway (one budget, one limiter). */
export function hubspotAssetApis(target: HubSpotTarget, portal: PortalCredentials, clock: Clock, budgets?: HubSpotRateBudgets): { lists: HubSpotListsPort; flows: HubSpotFlowsPort } {
  const gateway = gatewayFor(target, portal, clock, budgets);
  const send = gateway.send.bind(gateway);
  return { lists: new HubSpotListsApi(send), flows: new HubSpotFlowsApi(send) };
}

/** The app whose custom actions the recommended workflows use: the simulator's, or HUBSPOT_APP_ID. */
export function appIdOf(target: HubSpotTarget, env: Pick<Env, 'HUBSPOT_APP_ID'>): number | null {
  return target.simulator?.portals[0]?.appId ?? env.HUBSPOT_APP_ID ?? null;
}

/** What a project upload does in HubSpot: the simulator learns our workflow actions from the generated hsmeta files. */
export function registerSimulatorActions(simulator: RunningSimulator, folder = path.resolve(__dirname, '..', '..', 'extensions', 'app', 'workflow-actions')): void {
  const configs = readdirSync(folder)
    .filter((f) => f.endsWith('-hsmeta.json'))
    .map((f) => (JSON.parse(readFileSync(path.join(folder, f), 'utf8')) as { config: never }).config);
  for (const appId of new Set(simulator.portals.map((p) => p.appId))) simulator.control.registerActionDefinitions(appId, configs);
}

/** Creates and updates the app's lists in every portal (idempotent; provision-lists.ts). */
export async function provisionListsAll(target: HubSpotTarget, model: CompiledModel, store: Store, clock: Clock, budgets?: HubSpotRateBudgets): Promise<Map<number, ListLine[]>> {
  const results = new Map<number, ListLine[]>();
  for (const portal of target.portals) {
    const { lists } = hubspotAssetApis(target, portal, clock, budgets);
    results.set(portal.portalId, await provisionLists({ lists, assets: store.provisionedAssets, clock }, portal.portalId, model));
  }
  return results;
}
