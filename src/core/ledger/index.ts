/** Ledger math: flow, stock, CVR, velocity, SLA, detours and churn from the append-only transition ledger. Pure. */
export { funnelReport } from './funnel-report';
export { stockAt, stockSeries, type StageStock, type StockSnapshot, type StockPoint, type StockSeries } from './stock';
export type { ChurnReport, FunnelReport, RecycleDetourReport, StageCvr, StageReport } from './report-types';
export type { SlaCounts } from './sla';
export type { DurationSummary } from './statistics';
export type { ReportStageKind, StageRef } from './stage-table';
export { chronologicalOrder, type LedgerRow } from './ledger-row';
export { NO_REASON } from './period-tally';
export { InstantSchema, ReportPeriodSchema, StockSeriesQuerySchema, MAX_SERIES_INSTANTS, type Instant, type ReportPeriod } from './report-query';
export { LedgerAggregates, ledgerAggregates, aggregateDelta, type AggregateCounts } from './aggregates/ledger-aggregates';
export {
  aggregateWindow,
  funnelReportFromAggregates,
  intervals,
  stockAggregatesOf,
  moveTotalsOf,
  stockSeriesFromAggregates,
  WholeDayPeriodSchema,
  type AggregateWindow,
  type DailyMove,
  type FunnelAggregates,
  type MoveTotal,
  type StageDurations,
  type StockAggregates,
  type StockDelta,
  type StayTotal,
} from './aggregates/aggregate-report';
export { selectFunnelAggregates } from './aggregates/select-aggregates';
export { FunnelFold, type FunnelFoldCounts, type StageBucketTotal } from './aggregates/funnel-fold';
export { dayOf } from './aggregates/aggregate-keys';
export { blockStart, coverDays, ROLLUP_SPANS, type RollupSpan, type Span, type SpanSegment } from './aggregates/day-spans';
export { coarseBucket, COARSE_BUCKET_WIDTH, DURATION_RELATIVE_PRECISION, holdsMedian, medianBuckets, summariseMedianBuckets, type MedianBuckets } from './aggregates/duration-buckets';
