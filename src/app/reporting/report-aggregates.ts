import { FunnelFold, type AggregateWindow, type FunnelAggregates } from '../../core/ledger';
import type { RecordKey } from '../ports/store-ports';
import type { ReportScope } from './report-scope';
import type { ReportingDeps } from './reporting-deps';

/** Records read per store query when a report covers chosen records. */
const RECORDS_PER_READ = 500;

/**
 * The aggregates a report over `scope` reads. A whole portal: the store's aggregate tables. Chosen records (an
 * owner's): their histories, read RECORDS_PER_READ records at a time and folded into the window's sums as they come
 * (FunnelFold), so memory holds one batch of rows and stages × the window's intervals, never the records' ledger.
 */
export async function reportAggregates(deps: Pick<ReportingDeps, 'ledger' | 'aggregates'>, scope: ReportScope, window: AggregateWindow): Promise<FunnelAggregates> {
  if (!scope.records) return deps.aggregates.funnelAggregates(scope.portalId, scope.objectType, window);
  const folded = new FunnelFold(window);
  let batch: RecordKey[] = [];
  const fold = async () => {
    for (const history of await deps.ledger.histories(scope.portalId, batch)) folded.addRecord(history);
    batch = [];
  };
  for (const objectId of scope.records.objectIds) {
    batch.push({ objectType: scope.objectType, objectId });
    if (batch.length >= RECORDS_PER_READ) await fold();
  }
  if (batch.length > 0) await fold();
  return folded.funnel();
}
