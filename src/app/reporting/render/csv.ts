import type { FunnelReportView } from '../funnel-report-use-case';
import { FLOW_STOCK_COLUMNS, type FlowStockRow } from './flow-stock-rows';

const HEADER = ['line', 'stage_id', 'label', 'kind', ...FLOW_STOCK_COLUMNS];

/**
 * The flow/stock table as RFC 4180 CSV for spreadsheets: raw numbers (CVR as a fraction, not a localised
 * percentage), empty cells for "no value".
 */
export function renderCsvReport(view: FunnelReportView): string {
  const lines = [HEADER, ...view.table.map(csvFields)].map((fields) => fields.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvFields(row: FlowStockRow): Array<string | number | null> {
  return [row.line, row.stageId, row.label, row.kind, ...FLOW_STOCK_COLUMNS.map((column) => row[column])];
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
