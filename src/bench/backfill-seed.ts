import type { ActivityFactInput, RunningSimulator } from '../simulator';
import { seededRandom } from '../simulator/faults/seeded-random';

const DAY = 86_400_000;
/** When the app is installed: the portal's year of history ends about a month before. */
export const INSTALL = Date.UTC(2026, 10, 2, 9);
/** Share of contacts with any activity; of those, the share that got a deal. */
const ACTIVE_SHARE = 0.1;
const DEAL_SHARE = 0.2;

export interface Seeded {
  contacts: number;
  active: number;
  withDeals: number;
}

/**
 * A year of a portal: contacts created day by day, 10 % of them active (clicks, visits, forms, meetings) and a
 * fifth of those with a deal, some won or lost. Seeded in chunks so the harness never holds the whole plan.
 */
export function seedPortal(sim: Pick<RunningSimulator, 'control'>, portalId: number, clock: { set(to: number): void; now(): number }, count: number, log: (line: string) => void): Seeded {
  const random = seededRandom(7);
  const start = INSTALL - 365 * DAY;
  const seeded: Seeded = { contacts: 0, active: 0, withDeals: 0 };
  const chunkSize = 10_000;
  for (let from = 0; from < count; from += chunkSize) {
    const size = Math.min(chunkSize, count - from);
    const dayOf = start + Math.floor((from / count) * 330) * DAY;
    clock.set(dayOf);
    const ids = sim.control.seed(
      portalId,
      'contacts',
      Array.from({ length: size }, (_, i) => ({ email: `c${from + i}@example.test`, firstname: `C${from + i}` })),
    );
    const facts: Array<{ at: number; fact: ActivityFactInput | ((dealId: string) => ActivityFactInput); deal?: true }> = [];
    for (const contactId of ids) {
      if (random() >= ACTIVE_SHARE) continue;
      seeded.active++;
      let at = dayOf + DAY + Math.floor(random() * 5) * DAY;
      facts.push({ at, fact: random() < 0.5 ? { kind: 'email_click', contactId } : { kind: 'page_view', contactId, url: 'https://example.test/pricing' } });
      if (random() < 0.5) facts.push({ at: (at += 3 * DAY), fact: { kind: 'form_submission', contactId, formKind: random() < 0.5 ? 'demo_request' : 'newsletter' } });
      if (random() < 0.3) facts.push({ at: (at += 5 * DAY), fact: { kind: 'meeting_booked', contactId } });
      if (random() < DEAL_SHARE) {
        seeded.withDeals++;
        const dealAt = (at += 7 * DAY);
        const outcome = random();
        facts.push({ at: dealAt, fact: { kind: 'deal_created', contactId, dealname: `Deal ${contactId}` }, deal: true });
        if (outcome < 0.6)
          facts.push({ at: dealAt + 20 * DAY, fact: (dealId) => ({ kind: 'deal_stage_changed', dealId, dealstage: outcome < 0.3 ? 'closedwon' : 'closedlost', lostReason: 'No budget' }) });
      }
    }
    // Activity in time order within the chunk, so property histories are dated as they would have happened.
    let lastDeal = '';
    for (const { at, fact, deal } of facts.sort((a, b) => a.at - b.at)) {
      clock.set(Math.max(clock.now(), at));
      const outcome = sim.control.recordActivity(portalId, typeof fact === 'function' ? fact(lastDeal) : fact);
      if (deal) lastDeal = outcome.dealId ?? lastDeal;
    }
    seeded.contacts += size;
    if ((from / chunkSize) % 50 === 0) log(`seeded ${seeded.contacts.toLocaleString('en-US')} contacts`);
  }
  return seeded;
}
