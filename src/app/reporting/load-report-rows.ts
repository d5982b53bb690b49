import type { LedgerRow } from '../../core/ledger';
import type { PortalId } from '../ports/store-ports';
import { keepFilteredRecords, type RecordFilter } from './record-filter';
import type { ReportObjectType } from './report-request';
import type { ReportingLedger } from './reporting-deps';

/**
 * The portal's ledger for one object type from its first row up to `until`: balances at any instant need the whole
 * history before it, and nothing after the period can change the period's figures.
 */
export async function loadReportRows(
  ledger: ReportingLedger,
  scope: { portalId: PortalId; objectType: ReportObjectType; until: number; records?: RecordFilter | undefined },
): Promise<readonly LedgerRow[]> {
  const entries = await ledger.entries(scope.portalId, { objectType: scope.objectType, until: scope.until });
  return keepFilteredRecords(entries, scope.records);
}
