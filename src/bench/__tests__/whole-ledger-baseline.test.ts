import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModel } from '../../core';
import type { BenchDatabase } from '../bench-databases';
import { bulkSeedB7 } from '../report-scale-seed';
import { baselineLimits, wholeLedgerBaseline } from '../whole-ledger-baseline';

const model = defaultModel();
const limits = { heapMb: 1_024, limitMs: 120_000 };
const quiet = () => undefined;

describe("B7/B14's whole-ledger baseline runs in a process of its own, falling back to a smaller ledger it survives", () => {
  let folder: string;
  let seeded: BenchDatabase;
  let seededRows: number;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lc-baseline-test-'));
    const url = `sqlite:${join(folder, 'seeded.db')}`;
    seededRows = (await bulkSeedB7(url, {}, model, 1_000, quiet)).rows;
    seeded = { label: 'SQLite', url, kept: true, cleanup: async () => undefined };
  }, 120_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("reads the measured database's whole ledger when its process survives, and checks the seed: the aggregates' report equals the sweep", async () => {
    const { outcome, failures } = await wholeLedgerBaseline('report', seeded, 1_000, model, limits, quiet);

    expect(failures).toEqual([]);
    expect(outcome).toMatchObject({ fallbackContacts: null, rows: seededRows, aggregatesEqualSweep: true });
    expect(outcome?.peakRssMb).toBeGreaterThan(0);
  }, 120_000);

  it('the Audit baseline reads every row of the portal and makes no seed check', async () => {
    const { outcome } = await wholeLedgerBaseline('audit', seeded, 1_000, model, limits, quiet);

    expect(outcome).toMatchObject({ fallbackContacts: null, rows: seededRows, aggregatesEqualSweep: null });
  }, 120_000);

  it('when the whole ledger does not survive, seeds a smaller ledger on the same dialect in the same run, runs there and says why the whole one failed', async () => {
    // A database whose process cannot finish: a SQLite "file" that is a folder fails to open, as an out-of-memory
    // process fails to answer: either way no figure comes back from the whole ledger.
    const unreadable: BenchDatabase = { label: 'SQLite', url: `sqlite:${folder}`, kept: true, cleanup: async () => undefined };

    const { outcome, failures } = await wholeLedgerBaseline('report', unreadable, 1_000, model, limits, quiet, { factor: 5, smallest: 100 });

    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^the whole ledger \(1,000 contacts\): /);
    expect(outcome).toMatchObject({ fallbackContacts: 200, aggregatesEqualSweep: true });
    expect(outcome?.rows).toBeGreaterThan(0);
    expect(outcome?.rows).toBeLessThan(seededRows);
  }, 120_000);

  it('reports no size when none down to the smallest survives, with every failure', async () => {
    const unreadable: BenchDatabase = { label: 'SQLite', url: `sqlite:${folder}`, kept: true, cleanup: async () => undefined };

    const { outcome, failures } = await wholeLedgerBaseline('report', unreadable, 1_000, model, { heapMb: 1_024, limitMs: 1 }, quiet, { factor: 5, smallest: 100 });

    expect(outcome).toBeNull();
    expect(failures).toEqual(['the whole ledger (1,000 contacts): not done within 0.001 s (killed)', '200 contacts: not done within 0.001 s (killed)']);
  }, 120_000);

  it('takes its heap and time limit from B7_BASELINE_HEAP_MB and B7_BASELINE_LIMIT_S, and refuses what is not a positive number', () => {
    expect(baselineLimits({ B7_BASELINE_HEAP_MB: '2048', B7_BASELINE_LIMIT_S: '90' })).toEqual({ heapMb: 2_048, limitMs: 90_000 });
    expect(baselineLimits({}).limitMs).toBe(600_000);
    expect(() => baselineLimits({ B7_BASELINE_HEAP_MB: 'lots' })).toThrow('B7_BASELINE_HEAP_MB and B7_BASELINE_LIMIT_S must be positive numbers');
  });
});
