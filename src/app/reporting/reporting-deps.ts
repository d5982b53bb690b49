import type { CompiledModel } from '../../core/model';
import type { LedgerPort, PortalId } from '../ports/store-ports';

/**
 * What reporting reads from the store. `portals` (the portals that have ledger rows) is optional because the
 * store does not offer it yet; without it a portal must always be named.
 */
export interface ReportingLedger extends Pick<LedgerPort, 'entries'> {
  portals?: () => Promise<PortalId[]>;
}

export interface ReportingDeps {
  ledger: ReportingLedger;
  /** The lifecycle model each portal runs: it names the stages, the path order, SLAs and customer stages. */
  model: (portalId: PortalId) => CompiledModel;
}
