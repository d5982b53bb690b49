import type { CompiledModel } from '../../core/model';
import type { LedgerAggregatePort, LedgerPort, PortalId } from '../ports/store-ports';

/**
 * What reporting reads from the store: `portals` (the portals that have ledger rows, for the portal picker) and
 * `histories` (chosen records' rows, for owner-filtered reports); the portal's whole ledger is never read.
 */
export type ReportingLedger = Pick<LedgerPort, 'histories' | 'portals'>;

export interface ReportingDeps {
  ledger: ReportingLedger;
  /** The ledger's read-side aggregates: every report of a whole portal is computed from them. */
  aggregates: LedgerAggregatePort;
  /** The lifecycle model each portal runs: it names the stages, the path order, SLAs and customer stages. */
  model: (portalId: PortalId) => CompiledModel;
}
