import { aggregateWindow, funnelReportFromAggregates, type CompiledModel, type FunnelAggregates, type ReportPeriod } from '../../core';
import type { PartialFigures } from '../../contracts/report-api';
import type { HubSpotPort } from '../ports/hubspot-port';
import type { PortalId, Store } from '../ports/store-ports';
import { partialFigures } from '../reporting/partial-figures';
import { wholeDays } from '../reporting/report-period';
import { compareFunnels, type StageComparison } from './compare-funnels';
import { whatIfFunnel, whatIfLedger, type ReplayProgress, type WhatIfReplayer } from './what-if-ledger';

export interface ReplayResult {
  portalId: PortalId;
  period: ReportPeriod;
  model: { current: string; whatIf: string };
  contacts: number;
  missing: number;
  ledgerRows: { current: number; whatIf: number };
  /** Set when HubSpot could not be read: no comparison is made (stages is empty). */
  unreadable: { properties: string[]; contacts: number } | null;
  /** HubSpot batch reads made for properties the store does not hold (0: evaluated from the store alone). */
  hubspotReads: number;
  /** Set while the portal's aggregates are being rebuilt: the ledger side counts only the records the rebuild reached. */
  ledgerPartial: PartialFigures | null;
  stages: StageComparison[];
}

/**
 * What-if: the portal's funnel had `whatIf` been the model, next to the funnel our ledger records, over the whole
 * UTC days containing `period`. The current side comes from the ledger's aggregates, the what-if side is evaluated
 * from the store and streamed (see whatIfLedger), so memory does not grow with the portal. HubSpot is read (read-only)
 * only for properties the what-if model reads that the store does not hold; writes nothing to HubSpot and nothing to
 * the ledger, so it is safe on a live portal.
 */
export async function runReplay(
  deps: {
    store: Pick<Store, 'ledger' | 'factEvents' | 'recordProperties' | 'aggregates'>;
    hubspot: HubSpotPort | null;
    onProgress?: (progress: ReplayProgress) => void;
    /** How the what-if side is replayed: whatIfLedger on this thread unless given (the CLI splits it across threads). */
    replayWhatIf?: WhatIfReplayer;
  },
  portalId: PortalId,
  models: { current: CompiledModel; whatIf: CompiledModel },
  requested: ReportPeriod,
): Promise<ReplayResult> {
  const period = wholeDays(requested);
  const [current, rebuild] = await Promise.all([
    deps.store.aggregates.funnelAggregates(portalId, 'contact', aggregateWindow(models.current, period)),
    deps.store.aggregates.rebuildProgress(portalId),
  ]);
  // Evaluated as of the requested end, not the widened one: time-based rules must not fire in the future.
  const until = Math.min(requested.end, period.end);
  const window = aggregateWindow(models.whatIf, period);
  const whatIf = deps.replayWhatIf ? await deps.replayWhatIf(portalId, models.whatIf, until, window) : whatIfFunnel(await whatIfLedger(deps, portalId, models.whatIf, until, window));
  return {
    portalId,
    period,
    model: { current: models.current.name, whatIf: models.whatIf.name },
    contacts: whatIf.contacts,
    missing: whatIf.missing,
    ledgerRows: { current: rowsIn(current), whatIf: whatIf.rows },
    unreadable: whatIf.unreadable,
    hubspotReads: whatIf.hubspotReads,
    ledgerPartial: partialFigures(portalId, rebuild),
    stages: whatIf.unreadable ? [] : compareFunnels(funnelReportFromAggregates(current, models.current, period), funnelReportFromAggregates(whatIf.funnel, models.whatIf, period)),
  };
}

/** Ledger rows before the period's end: every row is one move. */
function rowsIn(aggregates: FunnelAggregates): number {
  return [...aggregates.movesBefore, ...aggregates.dailyMoves].reduce((sum, move) => sum + move.count, 0);
}
