import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, defaultModel } from '../../core';
import type { BenchDatabase } from '../bench-databases';
import { B7_END, bulkSeedB7 } from '../report-scale-seed';
import { baselineInOwnProcess, baselineLimits, baselineSize, wholeLedgerBaseline, type BaselineRunner } from '../whole-ledger-baseline';

const limits = { heapMb: 1_024, limitMs: 120_000 };
const quiet = () => undefined;
const THREE_YEARS_DAYS = 3 * 365;

describe("B7/B14's whole-ledger baseline runs in a process of its own, falling back to the largest ledger it survives", () => {
  let folder: string;
  let seeded: BenchDatabase;
  let seededRows: number;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lc-baseline-test-'));
    const url = `sqlite:${join(folder, 'seeded.db')}`;
    seededRows = (await bulkSeedB7(url, {}, defaultModel(), 1_000, quiet)).rows;
    seeded = { label: 'SQLite', url, kept: true, cleanup: async () => undefined };
  }, 120_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("reads the database's whole ledger when its process survives, and checks the seed: the aggregates' report equals the sweep", async () => {
    const { outcome, failures } = await wholeLedgerBaseline('report', seeded, limits, quiet);

    expect(failures).toEqual([]);
    expect(outcome).toMatchObject({ historyDays: null, until: B7_END, rows: seededRows, aggregatesEqualSweep: true });
    expect(outcome?.peakRssMb).toBeGreaterThan(0);
    expect(baselineSize(outcome!)).toBe(`the whole ledger, ${seededRows.toLocaleString('en-US')} rows`);
  }, 120_000);

  it('the Audit baseline reads every row of the portal and makes no seed check', async () => {
    const { outcome } = await wholeLedgerBaseline('audit', seeded, limits, quiet);

    expect(outcome).toMatchObject({ historyDays: null, rows: seededRows, aggregatesEqualSweep: null });
  }, 120_000);

  it('when the whole ledger does not survive, reads the same database as it stood earlier, checks the seed there and says why the whole one failed', async () => {
    // The whole ledger's attempt fails as an out-of-memory process does (no figures); the smaller ones run for real.
    const wholeFails: BaselineRunner = (type, url, until, l) =>
      until === B7_END ? Promise.resolve({ ok: false, failure: 'out of memory with a 1,024 MB heap' }) : baselineInOwnProcess(type, url, until, l);

    const { outcome, failures } = await wholeLedgerBaseline('report', seeded, limits, quiet, { run: wholeFails });

    expect(failures).toEqual(['the whole ledger: out of memory with a 1,024 MB heap']);
    expect(outcome).toMatchObject({ historyDays: 365, until: B7_END - 2 * 365 * DAY_MS, aggregatesEqualSweep: true });
    expect(outcome?.rows).toBeGreaterThan(0);
    expect(outcome?.rows).toBeLessThan(seededRows);
    expect(baselineSize(outcome!)).toMatch(/^the ledger as it stood on 2024-11-01 \(the first 365 of 1095 days of history\), [\d,]+ rows: the largest size it survived$/);
  }, 120_000);

  it('reports no size when none down to the smallest survives, with every failure', async () => {
    const { outcome, failures } = await wholeLedgerBaseline('report', seeded, { heapMb: 1_024, limitMs: 1 }, quiet, { ladder: { factor: 3, smallestDays: 300 } });

    expect(outcome).toBeNull();
    expect(failures).toEqual(['the whole ledger: not done within 0.001 s (killed)', `the ledger of the first ${THREE_YEARS_DAYS / 3} days: not done within 0.001 s (killed)`]);
  }, 120_000);

  it('takes its heap and time limit from B7_BASELINE_HEAP_MB and B7_BASELINE_LIMIT_S, and refuses what is not a positive number', () => {
    expect(baselineLimits({ B7_BASELINE_HEAP_MB: '2048', B7_BASELINE_LIMIT_S: '90' })).toEqual({ heapMb: 2_048, limitMs: 90_000 });
    expect(baselineLimits({}).limitMs).toBe(600_000);
    expect(() => baselineLimits({ B7_BASELINE_HEAP_MB: 'lots' })).toThrow('B7_BASELINE_HEAP_MB and B7_BASELINE_LIMIT_S must be positive numbers');
  });
});
