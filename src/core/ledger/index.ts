/** Ledger math: flow, stock, CVR, velocity, SLA, detours and churn from the append-only transition ledger. Pure. */
export { funnelReport } from './funnel-report';
export { stockAt, stockSeries, type StageStock, type StockSnapshot, type StockPoint, type StockSeries } from './stock';
export type { ChurnReport, FunnelReport, RecycleDetourReport, StageCvr, StageReport } from './report-types';
export type { SlaCounts } from './sla';
export type { DurationSummary } from './statistics';
export type { ReportStageKind, StageRef } from './stage-table';
export { chronologicalOrder, recordKey, type LedgerRow } from './ledger-row';
export { NO_REASON } from './period-tally';
export {
  InstantSchema,
  ReportPeriodSchema,
  StockSeriesQuerySchema,
  MAX_SERIES_INSTANTS,
  type Instant,
  type ReportPeriod,
  type StockSeriesQuery,
} from './report-query';
