import type { ReportPeriod } from '../../core/ledger';
import type { PortalId } from '../ports/store-ports';
import type { RecordFilter } from './record-filter';
import type { ReportObjectType, ReportRequest } from './report-request';
import { resolvePeriod } from './report-period';

/** A request with its defaults applied: exactly what one report is computed over. */
export interface ReportScope {
  portalId: PortalId;
  objectType: ReportObjectType;
  period: ReportPeriod;
  /** Only these records, when given (see RecordFilter). */
  records?: RecordFilter | undefined;
  /** The owner whose records `records` are, when the filter came from an owner. */
  ownerId?: string | undefined;
}

/** What every report response says about its scope; a filter is summarised, its ids are not echoed back. */
export interface ReportScopeSummary {
  portalId: PortalId;
  objectType: ReportObjectType;
  period: ReportPeriod;
  filteredToRecords: number | null;
  ownerId: string | null;
}

/** @throws ZodError when the period is empty, reversed or too long. */
export function scopeOf(request: ReportRequest, now: number, records?: RecordFilter): ReportScope {
  return { portalId: request.portalId, objectType: request.objectType, period: resolvePeriod(request, now), records, ownerId: records ? request.ownerId : undefined };
}

export function summariseScope(scope: ReportScope): ReportScopeSummary {
  return {
    portalId: scope.portalId,
    objectType: scope.objectType,
    period: scope.period,
    filteredToRecords: scope.records ? scope.records.objectIds.size : null,
    ownerId: scope.ownerId ?? null,
  };
}
