import { funnelReport, type CompiledModel, type ReportPeriod } from '../../core';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';
import { compareFunnels, type StageComparison } from './compare-funnels';
import { whatIfLedger } from './what-if-ledger';

export interface ReplayResult {
  portalId: PortalId;
  period: ReportPeriod;
  model: { current: string; whatIf: string };
  contacts: number;
  missing: number;
  ledgerRows: { current: number; whatIf: number };
  stages: StageComparison[];
}

/**
 * What-if: the portal's funnel had `whatIf` been the model, next to the funnel our ledger records. Reads our store
 * and HubSpot (read-only); writes nothing to HubSpot and nothing to the ledger, so it is safe on a live portal.
 */
export async function runReplay(
  deps: { store: Store; hubspot: HubSpotPort },
  portalId: PortalId,
  models: { current: CompiledModel; whatIf: CompiledModel },
  period: ReportPeriod,
): Promise<ReplayResult> {
  const current = await deps.store.ledger.entries(portalId, { objectType: 'contact' });
  const whatIf = await whatIfLedger(deps, portalId, models.whatIf, period.end);
  return {
    portalId,
    period,
    model: { current: models.current.name, whatIf: models.whatIf.name },
    contacts: whatIf.contacts,
    missing: whatIf.missing,
    ledgerRows: { current: current.length, whatIf: whatIf.rows.length },
    stages: compareFunnels(funnelReport(current, models.current, period), funnelReport(whatIf.rows, models.whatIf, period)),
  };
}
