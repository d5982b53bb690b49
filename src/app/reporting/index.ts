/** Reporting use cases: a portal's funnel (flow, stock, CVR, velocity, SLA, detours, churn) and stock over time. */
export { ReportRequestSchema, ReportObjectTypeSchema, type ReportRequest, type ReportObjectType } from './report-request';
export { resolvePeriod, wholeDays, dailyBoundaries, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS } from './report-period';
export { scopeOf, type ReportScope, type ReportScopeSummary } from './report-scope';
export type { RecordFilter } from './record-filter';
export { cachedOwnerLookup, recordsOwnedBy, OWNER_PROPERTY } from './owner-filter';
export type { ReportingDeps, ReportingLedger } from './reporting-deps';
export { listReportablePortals } from './choose-portal';
export { loadFunnelReport, type FunnelReportView } from './funnel-report-use-case';
export { loadStockSeries, type StockSeriesView } from './stock-series-use-case';
export { loadFunnelWithStock } from './funnel-with-stock-use-case';
export { reportAggregates } from './report-aggregates';
export { partialFigures, partialFiguresOf } from './partial-figures';
export { flowStockRows, FLOW_STOCK_COLUMNS, type FlowStockRow } from './render/flow-stock-rows';
export { renderTerminalReport } from './render/terminal-table';
export { renderCsvReport } from './render/csv';
export { renderJsonReport } from './render/json';
