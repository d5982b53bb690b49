import type { PortalId } from '../ports/store-ports';
import type { ReportingLedger } from './reporting-deps';

/** The portals with ledger rows, ascending (the dashboard's portal picker). */
export async function listReportablePortals(ledger: ReportingLedger): Promise<PortalId[]> {
  return [...(await ledger.portals())].sort((a, b) => a - b);
}
