import type { CompiledModel } from '../../core/model';
import type { LedgerAggregatePort, LedgerPort, PortalId } from '../ports/store-ports';

/**
 * What reporting reads from the store. `portals` (the portals that have ledger rows) is optional because the
 * store does not offer it yet; without it a portal must always be named. `histories` reads chosen records' rows
 * (owner-filtered reports); the portal's whole ledger is never read.
 */
export interface ReportingLedger extends Pick<LedgerPort, 'histories'> {
  portals?: () => Promise<PortalId[]>;
}

export interface ReportingDeps {
  ledger: ReportingLedger;
  /** The ledger's read-side aggregates: every report of a whole portal is computed from them. */
  aggregates: LedgerAggregatePort;
  /** The lifecycle model each portal runs: it names the stages, the path order, SLAs and customer stages. */
  model: (portalId: PortalId) => CompiledModel;
}
