import Table from 'cli-table3';
import { isoTime } from '../../../core/engine/time';
import type { FunnelReportView } from '../funnel-report-use-case';
import { COLUMN_TITLES } from './column-titles';
import { FLOW_STOCK_COLUMNS, type FlowStockRow } from './flow-stock-rows';
import { numberFormats, type NumberFormats } from './number-formats';

/** The flow/stock table for a terminal, with the period and the totals the table cannot show above and below it. */
export function renderTerminalReport(view: FunnelReportView, options: { locale?: string; color?: boolean } = {}): string {
  const formats = numberFormats(options.locale);
  const table = new Table({
    head: ['Stage', ...FLOW_STOCK_COLUMNS.map((column) => COLUMN_TITLES[column])],
    colAligns: ['left', ...FLOW_STOCK_COLUMNS.map(() => 'right' as const)],
    // cli-table3 colours headers by default; plain text when asked (pipes, tests).
    style: options.color ? {} : { head: [], border: [] },
    // No rule between rows: a reason line reads as part of the stage above it.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of view.table) table.push([stageCell(row), ...FLOW_STOCK_COLUMNS.map((column) => cell(row, column, formats))]);

  const { report } = view;
  return [
    `Portal ${view.portalId} · ${OBJECT_PLURALS[view.objectType]} · ${isoTime(report.period.start)} → ${isoTime(report.period.end)}`,
    ...(view.filteredToRecords === null ? [] : [`Filtered to ${formats.count(view.filteredToRecords)} records`]),
    table.toString(),
    `Records: ${formats.count(report.records.beginning)} at start, ${formats.count(report.records.ending)} at end`,
    `Churn rate: ${churnLine(report.churn, formats)}`,
  ].join('\n');
}

const OBJECT_PLURALS: Record<FunnelReportView['objectType'], string> = { contact: 'contacts', company: 'companies' };

/** The rate and what it was taken over (docs/reports.md, "Churn rate"). */
function churnLine(churn: FunnelReportView['report']['churn'], formats: NumberFormats): string {
  const churned = `${formats.count(churn.churned)} churned`;
  if (churn.base === 'customers_at_start') return `${formats.percent(churn.rate)} (${churned} of ${formats.count(churn.customersAtStart)} customers at start)`;
  if (churn.base === 'customers_gained') return `${formats.percent(churn.rate)} (${churned} of ${formats.count(churn.customersGained)} customers gained in the period; none at start)`;
  return `— (${churned}; no customers at start or gained in the period)`;
}

function stageCell(row: FlowStockRow): string {
  return row.line === 'reason' ? `  ↳ ${row.label}` : row.label;
}

/** A reason line only has an inflow: its other cells are blank, not "no data". */
function cell(row: FlowStockRow, column: (typeof FLOW_STOCK_COLUMNS)[number], formats: NumberFormats): string {
  const value = row[column];
  if (value === null && row.line === 'reason') return '';
  if (column === 'cvr') return formats.percent(value);
  if (column === 'medianDays') return formats.days(value);
  return value === null ? '' : formats.count(value);
}
