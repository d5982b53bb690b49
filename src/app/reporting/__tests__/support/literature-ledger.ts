import type { LedgerEntry } from '../../../../core';
import { day, history, many, T0 } from '../../../../core/ledger/__tests__/ledger-fixtures';

export { day, T0 };

/** January 2025 in the CLI's and the API's terms: --from 2025-01-01 --to 2025-01-31 covers [T0, day 31). */
export const JANUARY = { from: '2025-01-01', to: '2025-01-31', start: T0, end: day(31) } as const;

/**
 * The literature's worked example (docs/lifecycle-model.md), all in January 2025: 10,000 leads acquired, 7,000 go on
 * to Nurturing, 1,000 to Dead end (600 students, 300 competitors, 100 retired), 2,000 stay in Lead acquired. Of the
 * nurtured, 5 stall at Appointment into Recycle A, 3 lose their deal into Recycle B, and 4 Fastpass from Nurturing
 * to Appointment (skipping MQL), so Nurturing ends January at 6,988.
 */
export function literatureLedger(): LedgerEntry[] {
  const nurtured = [
    { to: 'lead_acquired', at: 1 },
    { to: 'nurturing', at: 8 },
  ];
  return [
    ...many(2_000, 'waiting', [{ to: 'lead_acquired', at: 2 }]),
    ...many(6_988, 'nurtured', nurtured),
    ...many(5, 'recycled-a', [...nurtured, { to: 'mql', at: 15 }, { to: 'appointment', at: 17 }, { to: 'recycle_a', at: 24, kind: 'recycle', reasonCode: 'bad_timing' }]),
    ...many(3, 'recycled-b', [
      ...nurtured,
      { to: 'mql', at: 15 },
      { to: 'appointment', at: 17 },
      { to: 'opportunity', at: 20 },
      { to: 'recycle_b', at: 27, kind: 'recycle', reasonCode: 'lost_to_competitor' },
    ]),
    ...many(4, 'fastpassed', [...nurtured, { to: 'appointment', at: 12, kind: 'fastpass' }]),
    ...deadEnds(600, 'student'),
    ...deadEnds(300, 'competitor'),
    ...deadEnds(100, 'retired'),
  ];
}

function deadEnds(count: number, reasonCode: string): LedgerEntry[] {
  return many(count, `dead-${reasonCode}`, [
    { to: 'lead_acquired', at: 1 },
    { to: 'dead_end', at: 5, kind: 'dead_end', reasonCode },
  ]);
}

/** One company that enters in January and becomes a customer, to tell the object types apart. */
export function oneCompanyCustomer(): LedgerEntry[] {
  return history(
    'acme',
    [
      { to: 'lead_acquired', at: 3 },
      { to: 'opportunity', at: 6, kind: 'fastpass' },
      { to: 'customer', at: 9 },
    ],
    'company',
  );
}
