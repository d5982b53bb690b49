import type { LedgerEntry } from '../../../../core';
import { history } from '../../../../core/ledger/__tests__/ledger-fixtures';

/**
 * Four leads in January 2025, small enough to work every figure out by hand: lead-1 is nurtured on day 4; lead-2
 * is nurtured on day 6 and Fastpassed to Appointment on day 10 (skipping MQL); lead-3 is a student sent to Dead end
 * on day 3; lead-4 stays in Lead acquired.
 */
export function smallLedger(): LedgerEntry[] {
  return [
    ...history('lead-1', [
      { to: 'lead_acquired', at: 1 },
      { to: 'nurturing', at: 4 },
    ]),
    ...history('lead-2', [
      { to: 'lead_acquired', at: 1 },
      { to: 'nurturing', at: 6 },
      { to: 'appointment', at: 10, kind: 'fastpass' },
    ]),
    ...history('lead-3', [
      { to: 'lead_acquired', at: 2 },
      { to: 'dead_end', at: 3, kind: 'dead_end', reasonCode: 'student' },
    ]),
    ...history('lead-4', [{ to: 'lead_acquired', at: 2 }]),
  ];
}
