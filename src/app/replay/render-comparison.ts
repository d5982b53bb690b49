import Table from 'cli-table3';
import type { ReportPeriod } from '../../core';
import type { Figure, StageComparison } from './compare-funnels';

const count = (n: number | null) => (n === null ? '–' : n.toLocaleString('en-US'));
const signedCount = (n: number | null) => (n === null ? '–' : `${n > 0 ? '+' : ''}${n.toLocaleString('en-US')}`);
const percent = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);
const signedPoints = (r: number | null) => (r === null ? '–' : `${r > 0 ? '+' : ''}${(r * 100).toFixed(1)} pt`);

const cells = (f: Figure, value: (n: number | null) => string, delta: (n: number | null) => string) => [value(f.current), value(f.whatIf), delta(f.delta)];

/** Side by side per stage: flow in, ending stock and CVR of the current ledger, the what-if, and the difference. */
export function renderComparisonTable(rows: StageComparison[], period: ReportPeriod): string {
  const table = new Table({
    head: ['stage', 'flow in', 'what-if', 'Δ', 'stock at end', 'what-if', 'Δ', 'CVR', 'what-if', 'Δ'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const row of rows) {
    table.push([row.label, ...cells(row.flowIn, count, signedCount), ...cells(row.ending, count, signedCount), ...cells(row.cvr, percent, signedPoints)]);
  }
  return `${new Date(period.start).toISOString()} → ${new Date(period.end).toISOString()} (current ledger vs. what-if; nothing was written)\n${table.toString()}`;
}
