import type { Logger } from 'pino';
import { alignNativeStages, type CompiledModel } from '../../core';
import type { Clock } from '../ports/clock';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';

export interface AlignNativeStagesDeps {
  hubspot: Pick<HubSpotPort, 'propertyOptions'>;
  store: Pick<Store, 'alerts'>;
  clock: Clock;
  logger: Logger;
}

const DAY_MS = 86_400_000;

/**
 * Reads this portal's lifecycle stages and returns the model fitted to them (R18): forward/backward decisions follow
 * the portal's order, and a stage mapped to an option the portal lacks stops writing it. Each such stage is logged
 * and stored as an `unknown_stage` alert (once a day, so a restart loop does not flood the admin), never thrown:
 * the rest of the model keeps working while the admin fixes the portal or the model.
 */
export async function alignPortalModel(deps: AlignNativeStagesDeps, portalId: PortalId, model: CompiledModel): Promise<CompiledModel> {
  // Contacts are the records the engine moves; HubSpot shares one lifecycle stage list across object types.
  const options = await deps.hubspot.propertyOptions('contact', model.nativeProperty);
  const { model: aligned, problems } = alignNativeStages(model, options);
  const now = deps.clock.now();
  for (const message of problems) {
    deps.logger.warn({ portalId, problem: message }, "the lifecycle model does not fit this portal's lifecycle stages");
    await deps.store.alerts.raiseForPortal(portalId, { kind: 'unknown_stage', message }, now, now - DAY_MS);
  }
  return aligned;
}
