import fc from 'fast-check';
import type { LedgerEntry } from '../../engine/decision';
import { DAY_MS } from '../../engine/time';
import { accountStageOf } from '../../health/account-stage';
import { dealAt } from '../../health/account-snapshot';
import { model, NOW } from '../../health/__tests__/health-builders';
import { companyJourney, companyRowsToAppend, type CompanyContact, type CompanyDeal, type CompanyJourneyInput } from '../company-journey';

/**
 * Company rows follow from contact and deal rows, whatever order they are listed or arrive in. 200 runs from a
 * pinned seed (FC_RUNS / FC_SEED to search deeper); a failure prints its seed and path.
 */
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 200), seed: Number(process.env['FC_SEED'] ?? 20261203) };

const stageIds = [...model.stageById.keys()];
// A coarse grid of days so that moves of different records often share an instant.
const day = fc.integer({ min: 0, max: 30 }).map((d) => NOW - (30 - d) * DAY_MS);

const contactArb = (id: string): fc.Arbitrary<CompanyContact> =>
  fc.array(fc.tuple(fc.constantFrom(...stageIds), day), { maxLength: 5 }).map((steps) => ({
    contactId: id,
    rows: [...steps].sort((a, b) => a[1] - b[1]).map(([toStage, occurredAt]) => ({ toStage, occurredAt })),
  }));

const dealArb = (id: string): fc.Arbitrary<CompanyDeal> =>
  fc
    .record({ status: fc.constantFrom<CompanyDeal['status']>('open', 'won', 'lost'), createdAt: day, closeAfter: fc.integer({ min: 0, max: 10 }) })
    .map(({ status, createdAt, closeAfter }) => ({
      id,
      status,
      createdAt,
      closedAt: status === 'open' ? null : createdAt + closeAfter * DAY_MS,
    }));

const companyArb: fc.Arbitrary<CompanyJourneyInput> = fc.record({ contacts: fc.integer({ min: 0, max: 4 }), deals: fc.integer({ min: 0, max: 3 }) }).chain(({ contacts, deals }) =>
  fc.record({
    companyId: fc.constant('900'),
    contacts: fc.tuple(...Array.from({ length: contacts }, (_, i) => contactArb(`c${i}`))),
    deals: fc.tuple(...Array.from({ length: deals }, (_, i) => dealArb(`d${i}`))),
  }),
);

/** The input as it stood once everything dated ≤ `at` had happened (a deal not yet closed is open). */
function asOf(input: CompanyJourneyInput, at: number): CompanyJourneyInput {
  return {
    companyId: input.companyId,
    contacts: input.contacts.map((c) => ({ contactId: c.contactId, rows: c.rows.filter((r) => r.occurredAt <= at) })),
    deals: input.deals.flatMap((d) => (d.createdAt > at ? [] : d.closedAt !== null && d.closedAt > at ? [{ ...d, status: 'open' as const, closedAt: null }] : [d])),
  };
}

const instants = (input: CompanyJourneyInput) =>
  [...new Set([...input.contacts.flatMap((c) => c.rows.map((r) => r.occurredAt)), ...input.deals.flatMap((d) => [d.createdAt, ...(d.closedAt === null ? [] : [d.closedAt])])])].sort(
    (a, b) => a - b,
  );

describe('company journey properties', () => {
  it('derives the same company rows whatever order the contacts and deals are listed in', () => {
    fc.assert(
      fc.property(companyArb, fc.infiniteStream(fc.nat()), (input, randoms) => {
        const shuffle = <T>(items: readonly T[]) =>
          [...items]
            .map((item) => ({ item, key: randoms.next().value }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item);
        expect(companyJourney({ ...input, contacts: shuffle(input.contacts), deals: shuffle(input.deals) }, model)).toEqual(companyJourney(input, model));
      }),
      RUNS,
    );
  });

  it('records a row exactly when the account stage changes, each row chained to the one before and dated by its cause', () => {
    fc.assert(
      fc.property(companyArb, (input) => {
        const rows = companyJourney(input, model);
        const causes = new Set(instants(input));
        rows.forEach((row, i) => {
          expect(row.fromStage).toBe(i === 0 ? null : rows[i - 1]!.toStage);
          expect(row.toStage).not.toBe(row.fromStage);
          expect(causes.has(row.occurredAt)).toBe(true);
          expect(row.evidence).toHaveLength(1);
          expect(row.reason).toMatch(/^(Contact c\d|Deal d\d) /);
        });
        // Between rows the stage the card's rule gives never differs from the last row's stage.
        for (const at of instants(input)) {
          const before = rows.filter((r) => r.occurredAt <= at).at(-1)?.toStage ?? null;
          const state = asOf(input, at);
          const records = state.contacts.flatMap((c) => {
            const last = c.rows.at(-1);
            const stage = last ? model.stageById.get(last.toStage) : undefined;
            return last && stage ? [{ stage, since: last.occurredAt }] : [];
          });
          const deals = state.deals.flatMap((d) => dealAt({ ...d, dealType: null, amount: null }, at) ?? []);
          const expected = accountStageOf(records, deals, model)?.id ?? null;
          if (expected !== null) expect(before).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it("takes each contact's latest-dated row at every instant even when its rows are listed out of date order (a late row after later ones)", () => {
    fc.assert(
      fc.property(companyArb, fc.infiniteStream(fc.nat()), (input, randoms) => {
        // Rows out of date order; same-instant rows keep their relative order, and the last listed of them wins.
        const shuffled = {
          ...input,
          contacts: input.contacts.map((c) => ({
            ...c,
            rows: c.rows
              .map((row) => ({ row, key: randoms.next().value }))
              .sort((a, b) => a.key - b.key)
              .map((x) => x.row),
          })),
        };
        const rows = companyJourney(shuffled, model);
        for (const at of instants(shuffled)) {
          const records = shuffled.contacts.flatMap((c) => {
            const dated = c.rows.filter((r) => r.occurredAt <= at);
            const latestAt = Math.max(...dated.map((r) => r.occurredAt));
            const last = dated.filter((r) => r.occurredAt === latestAt).at(-1);
            const stage = last ? model.stageById.get(last.toStage) : undefined;
            return last && stage ? [{ stage, since: last.occurredAt }] : [];
          });
          const deals = shuffled.deals.flatMap((d) => dealAt({ ...d, dealType: null, amount: null }, at) ?? []);
          const expected = accountStageOf(records, deals, model)?.id ?? null;
          const before = rows.filter((r) => r.occurredAt <= at).at(-1)?.toStage ?? null;
          if (expected !== null) expect(before).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('appends the same rows instant by instant, as the worker sees the facts, as a backfill derives at once', () => {
    fc.assert(
      fc.property(companyArb, (input) => {
        const ledger: LedgerEntry[] = [];
        for (const at of instants(input)) ledger.push(...companyRowsToAppend(companyJourney(asOf(input, at), model), ledger, model));
        expect(ledger).toEqual(companyJourney(input, model));
      }),
      RUNS,
    );
  });

  it('ends where the full derivation ends, chained, even when facts arrive late and out of order', () => {
    fc.assert(
      fc.property(companyArb, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (input, cuts) => {
        // Facts arrive in batches of contacts/deals, not in time order: each batch re-derives from what is known.
        const ledger: LedgerEntry[] = [];
        const known: CompanyJourneyInput = { companyId: input.companyId, contacts: [], deals: [] };
        const items = [...input.contacts.map((c) => ({ c })), ...input.deals.map((d) => ({ d }))];
        const order = items.map((item, i) => ({ item, key: cuts[i % cuts.length]! + i })).sort((a, b) => a.key - b.key);
        for (const { item } of order) {
          if ('c' in item) known.contacts = [...known.contacts, item.c];
          else known.deals = [...known.deals, item.d];
          ledger.push(...companyRowsToAppend(companyJourney(known, model), ledger, model));
        }
        const full = companyJourney(input, model);
        expect(ledger.at(-1)?.toStage ?? null).toBe(full.at(-1)?.toStage ?? null);
        ledger.forEach((row, i) => expect(row.fromStage).toBe(i === 0 ? null : ledger[i - 1]!.toStage));
        expect(new Set(ledger.map((r) => r.transitionId)).size).toBe(ledger.length);
      }),
      RUNS,
    );
  });
});
