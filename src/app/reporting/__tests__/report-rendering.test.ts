import { compileModelOrThrow, defaultModelDocument, type CompiledModel } from '../../../core';
import { loadFunnelReport, renderCsvReport, renderJsonReport, renderTerminalReport, type FunnelReportView } from '..';
import { JANUARY } from './support/literature-ledger';
import { commitHistories } from './support/seed-ledger';
import { smallLedger } from './support/small-ledger';
import { openTempStore, type TempStore } from './support/temp-store';

const PORTAL = 101;

/** The default model with a label a CSV must quote. */
function modelWithAwkwardLabel(): CompiledModel {
  const document = structuredClone(defaultModelDocument) as { stages: Array<{ id: string; label: string }> };
  const leadAcquired = document.stages.find((stage) => stage.id === 'lead_acquired');
  if (leadAcquired) leadAcquired.label = 'Lead "acquired", new';
  return compileModelOrThrow(document);
}

/** The cells of the terminal table's line whose first cell is `label`. */
function terminalRow(output: string, label: string): string[] | undefined {
  return output
    .split('\n')
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .find((cells) => cells[0] === label);
}

let temp: TempStore;
let view: FunnelReportView;

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, smallLedger());
  view = await loadFunnelReport(
    { ledger: temp.store.ledger, aggregates: temp.store.aggregates, model: modelWithAwkwardLabel },
    { portalId: PORTAL, objectType: 'contact', period: { start: JANUARY.start, end: JANUARY.end } },
  );
});
afterAll(() => temp.remove());

describe('the terminal report', () => {
  it('shows beginning, in, out, ending, CVR, fastpassed, skipped through, median days and SLA per stage', () => {
    const output = renderTerminalReport(view, { locale: 'en-US' });

    expect(terminalRow(output, 'Stage')).toEqual(['Stage', 'Beginning', 'In', 'Out', 'Ending', 'CVR', 'Fastpassed', 'Skipped through', 'Median days', 'SLA due', 'SLA past due']);
    expect(terminalRow(output, 'Nurturing')).toEqual(['Nurturing', '0', '2', '1', '1', '50.0%', '1', '0', '4.0', '', '']);
    expect(terminalRow(output, 'MQL')).toEqual(['MQL', '0', '0', '0', '0', '—', '0', '1', '—', '0', '0']);
    expect(terminalRow(output, 'Appointment')).toEqual(['Appointment', '0', '1', '0', '1', '0.0%', '0', '0', '—', '1', '0']);
    expect(terminalRow(output, 'Dead end')).toEqual(['Dead end', '0', '1', '0', '1', '—', '', '', '—', '', '']);
    expect(terminalRow(output, '↳ student')).toEqual(['↳ student', '', '1', '', '', '', '', '', '', '', '']);
  });

  it('states the scope above the table and the totals below it', () => {
    const lines = renderTerminalReport(view, { locale: 'en-US' }).split('\n');

    expect(lines[0]).toBe('Portal 101 · contacts · 2025-01-01T00:00:00.000Z → 2025-02-01T00:00:00.000Z');
    expect(lines.slice(-2)).toEqual(['Records: 0 at start, 4 at end', 'Churn rate: — (0 churned; no customers at start or gained in the period)']);
  });

  it("formats figures in the reader's locale", () => {
    expect(terminalRow(renderTerminalReport(view, { locale: 'de-DE' }), 'Nurturing')?.[5]).toBe('50,0\u00a0%');
  });
});

describe('the CSV report', () => {
  const csvLines = () => renderCsvReport(view).split('\r\n');

  it('has one header and one line per table row, with raw numbers and empty cells for no value', () => {
    const lines = csvLines();

    expect(lines[0]).toBe('line,stage_id,label,kind,beginning,flowIn,flowOut,ending,cvr,fastpassed,skippedThrough,medianDays,slaDue,slaPastDue');
    expect(lines).toContain('stage,nurturing,Nurturing,path,0,2,1,1,0.5,1,0,4,,');
    expect(lines).toContain('reason,dead_end,student,dead_end,,1,,,,,,,,');
    expect(lines).toHaveLength(1 + view.table.length + 1);
  });

  it('quotes a label that holds commas or quotes (RFC 4180)', () => {
    expect(csvLines()[1]).toBe('stage,lead_acquired,"Lead ""acquired"", new",path,0,4,3,1,0.5,0,0,3,,');
  });
});

describe('the JSON report', () => {
  it('is the whole report view, losslessly', () => {
    expect(JSON.parse(renderJsonReport(view))).toEqual(JSON.parse(JSON.stringify(view)));
  });
});
