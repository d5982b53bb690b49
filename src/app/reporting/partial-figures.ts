import type { PartialFigures } from '../../contracts/report-api';
import type { AggregatesRebuildProgress, PortalId } from '../ports/store-ports';
import type { ReportScope } from './report-scope';
import type { ReportingDeps } from './reporting-deps';

/**
 * Whether a report over `scope` is partial: one read of the rebuild's cursor for a whole portal's report (read from
 * the aggregates); null for chosen records' (read from their ledger rows, whole whatever the aggregates hold).
 */
export async function partialFiguresOf(deps: Pick<ReportingDeps, 'aggregates'>, scope: ReportScope): Promise<PartialFigures | null> {
  return scope.records ? null : partialFigures(scope.portalId, await deps.aggregates.rebuildProgress(scope.portalId));
}

/**
 * What a report read from the aggregates says while the portal's rebuild of them is unfinished (null: nothing, the
 * figures are whole): how far it got and the command that finishes it.
 */
export function partialFigures(portalId: PortalId, progress: AggregatesRebuildProgress | null): PartialFigures | null {
  if (progress === null) return null;
  const done = progress.recordsDone.toLocaleString('en-US');
  const got = progress.recordsTotal === null ? `${done} records done` : `${done} of about ${progress.recordsTotal.toLocaleString('en-US')} records done`;
  return {
    reason: 'aggregates_rebuild',
    recordsDone: progress.recordsDone,
    recordsTotal: progress.recordsTotal,
    message: `aggregates for portal ${portalId} are being rebuilt (${got}): figures are partial; run \`lifecycle aggregates rebuild --portal ${portalId}\` to finish`,
  };
}

/** The view with `partial` when the figures are partial; without the field otherwise. */
export function withPartial<V extends object>(view: V, partial: PartialFigures | null): V & { partial?: PartialFigures } {
  return partial === null ? view : { ...view, partial };
}
