import fc from 'fast-check';
import { AuditPageQuerySchema, type AuditEntry } from '../../../contracts/page-api';
import type { LedgerEntry } from '../../../core';
import { contact, ledgerEntry, OTHER_PORTAL, PORTAL, recordCommit, T0 } from '../../../adapters/store/__tests__/support/fixtures';
import { describeEachDialect, type StoreHarness } from '../../../adapters/store/__tests__/support/store-harness';
import { decodeAuditCursor, encodeAuditCursor, loadAuditPage } from '../audit-page';

async function append(harness: StoreHarness, entries: LedgerEntry[], portalId = PORTAL): Promise<void> {
  await harness.store.unitOfWork.commitEvaluations(portalId, [recordCommit(contact(`rec-${entries[0]?.transitionId ?? 'x'}`), 'lead', { ledger: entries })], [], 'w', T0);
}

/** Every page, following nextCursor from the first, as the Audit page does. */
async function walk(harness: StoreHarness, query: Record<string, string>): Promise<{ entries: AuditEntry[]; pages: number }> {
  const entries: AuditEntry[] = [];
  let cursor: string | null | undefined;
  let pages = 0;
  do {
    const page = await loadAuditPage(harness.store.ledger, PORTAL, AuditPageQuerySchema.parse({ ...query, ...(cursor ? { cursor } : {}) }));
    entries.push(...page.entries);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null && pages < 1000);
  return { entries, pages };
}

const byNewest = (a: LedgerEntry, b: LedgerEntry) => b.occurredAt - a.occurredAt || (b.transitionId < a.transitionId ? -1 : b.transitionId > a.transitionId ? 1 : 0);

describeEachDialect('the Audit page over the ledger', (harness) => {
  it('walks every transition exactly once, newest first, page by page with the keyset cursor, whatever the ties in time and the page size (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            transitionId: fc.stringMatching(/^t[0-9a-z:-]{1,12}$/),
            occurredAt: fc.integer({ min: T0, max: T0 + 5 }),
            kind: fc.constantFrom('advance' as const, 'recycle' as const, 'dead_end' as const),
            toStage: fc.constantFrom('lead', 'mql', 'recycled'),
          }),
          { selector: (e) => e.transitionId, minLength: 0, maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<Record<string, string>>({}, { kind: 'recycle' }, { stage: 'mql' }, { kind: 'advance', stage: 'lead' }),
        async (rows, limit, filter) => {
          await harness.reset();
          const entries = rows.map((row) => ledgerEntry(row.transitionId, row));
          for (const entry of entries) await append(harness, [entry]);
          await append(harness, [ledgerEntry('other-portal-row', { occurredAt: T0 + 3 })], OTHER_PORTAL);

          const { entries: seen } = await walk(harness, { ...filter, limit: String(limit) });

          const expected = entries
            .filter((e) => (filter['kind'] === undefined || e.kind === filter['kind']) && (filter['stage'] === undefined || e.toStage === filter['stage']))
            .sort(byNewest);
          expect(seen.map((e) => e.transitionId)).toEqual(expected.map((e) => e.transitionId));
        },
      ),
      { seed: 14_2026, numRuns: 25 },
    );
  });

  it('shows each transition with its reason, source and actor, and says there is no further page on the last one', async () => {
    await append(harness, [
      ledgerEntry('t-1', { occurredAt: T0, kind: 'dead_end', toStage: 'dead_end', reason: 'Dead end: student', reasonCode: 'student', source: 'command', actor: 'ada@acme.test' }),
    ]);
    await append(harness, [ledgerEntry('t-2', { occurredAt: T0 + 1000, kind: 'advance', toStage: 'mql', reason: 'score 80 ≥ 50', source: 'rules', actor: null })]);

    const first = await loadAuditPage(harness.store.ledger, PORTAL, AuditPageQuerySchema.parse({ limit: '1' }));
    expect(first.entries).toEqual([expect.objectContaining({ transitionId: 't-2', reason: 'score 80 ≥ 50', source: 'rules', actor: null, occurredAt: new Date(T0 + 1000).toISOString() })]);
    expect(first.nextCursor).not.toBeNull();

    const second = await loadAuditPage(harness.store.ledger, PORTAL, AuditPageQuerySchema.parse({ limit: '1', cursor: first.nextCursor }));
    expect(second.entries).toEqual([expect.objectContaining({ transitionId: 't-1', kind: 'dead_end', reasonCode: 'student', source: 'command', actor: 'ada@acme.test' })]);
    expect(second.nextCursor).toBeNull();
  });

  it('reads one row more than the page from the store, never the whole ledger', async () => {
    for (let i = 0; i < 30; i++) await append(harness, [ledgerEntry(`t-${String(i).padStart(2, '0')}`, { occurredAt: T0 + i })]);
    const asked: number[] = [];
    const ledger = {
      recent: async (...args: Parameters<typeof harness.store.ledger.recent>) => {
        const rows = await harness.store.ledger.recent(...args);
        asked.push(rows.length);
        return rows;
      },
    };

    await loadAuditPage(ledger, PORTAL, AuditPageQuerySchema.parse({ limit: '10' }));

    expect(asked).toEqual([11]);
  });
});

describe('the Audit cursor', () => {
  it('round-trips a row keyset and refuses anything it did not hand out', () => {
    const cursor = encodeAuditCursor({ occurredAt: T0, transitionId: 'contact:1:advance:mql' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAuditCursor(cursor)).toEqual({ occurredAt: T0, transitionId: 'contact:1:advance:mql' });
    expect(() => decodeAuditCursor('bm90LWEtY3Vyc29y')).toThrow('cursor must be the nextCursor of a previous page');
  });
});
