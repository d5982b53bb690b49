import type { SimulatorControl } from '../../simulator';
import { seededRandom } from '../../simulator/faults/seeded-random';

export const DEMO_PORTAL = 101;
const DAY = 86_400_000;

export interface ScenarioDriver {
  control: SimulatorControl;
  /** Moves simulated time forward by whole days and lets the pipeline act (webhooks, worker, scheduler). */
  passDays(days: number): Promise<void>;
  log(line: string): void;
}

export interface ScenarioSummary {
  leads: number;
  deadEnds: number;
  nurtured: number;
  mqls: number;
  appointments: number;
  opportunities: number;
  won: number;
  lost: number;
  reengaged: number;
  upsells: number;
  churned: number;
}

/**
 * The literature's example as a six-month story: 10,000 leads acquired; 70 % react and move to Nurturing, 10 % are
 * outside the target (students, competitors) and go to Dead end; a share of the nurtured ask for a demo (MQL), book
 * meetings (Appointment), open deals (Opportunity) that are won or lost (Recycle B with a 90-day pause), stalled
 * appointments are recycled (Recycle A), some recycled leads come back to the website (re-engagement alerts),
 * customers buy more (Expand) or churn. Everything happens through the simulator's HubSpot, as it would in a portal.
 */
export async function playLiteratureScenario(driver: ScenarioDriver, options: { leads?: number; seed?: number } = {}): Promise<ScenarioSummary> {
  const random = seededRandom(options.seed ?? 7);
  const leads = options.leads ?? 10_000;
  const { control } = driver;
  const shuffle = <T>(items: T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  const take = <T>(items: T[], share: number) => items.slice(0, Math.round(items.length * share));
  const spread = async <T>(items: T[], days: number, act: (item: T) => void) => {
    const perDay = Math.ceil(items.length / days);
    for (let d = 0; d < days; d++) {
      items.slice(d * perDay, (d + 1) * perDay).forEach(act);
      await driver.passDays(1);
    }
  };

  driver.log(`day 0: ${leads.toLocaleString('en-US')} leads acquired (imports, forms, event badges)`);
  const deadEndCount = Math.round(leads * 0.1);
  const records = Array.from({ length: leads }, (_, i): Record<string, string> => {
    if (i < deadEndCount * 0.6) return { email: `rival${i}@competitor.example`, firstname: 'Rival', jobtitle: 'Analyst' };
    if (i < deadEndCount) return { email: `student${i}@university.test`, firstname: 'Sam', jobtitle: 'Student' };
    return { email: `lead${i}@customer${i % 400}.test`, firstname: `Lead ${i}`, jobtitle: 'Head of Operations', hubspot_owner_id: String(1 + (i % 5)) };
  });
  const ids = control.seed(DEMO_PORTAL, 'contacts', records);
  await driver.passDays(1);
  const prospects = shuffle(ids.slice(deadEndCount));

  const nurtured = take(prospects, 7_000 / 9_000);
  driver.log(`days 1-14: ${nurtured.length.toLocaleString('en-US')} click a nurture email`);
  await spread(nurtured, 14, (contactId) => control.recordActivity(DEMO_PORTAL, { kind: 'email_click', contactId }));

  const mqls = take(shuffle(nurtured), 0.25);
  driver.log(`days 15-28: ${mqls.length.toLocaleString('en-US')} request a demo (MQL)`);
  await spread(mqls, 14, (contactId) => control.recordActivity(DEMO_PORTAL, { kind: 'form_submission', contactId, formKind: 'demo_request', formName: 'Demo request' }));

  const appointments = take(shuffle(mqls), 0.6);
  driver.log(`days 29-38: ${appointments.length.toLocaleString('en-US')} book a meeting with an SDR (Appointment)`);
  await spread(appointments, 10, (contactId) => control.recordActivity(DEMO_PORTAL, { kind: 'meeting_booked', contactId }));

  const shuffledAppointments = shuffle(appointments);
  const withDeal = take(shuffledAppointments, 0.6);
  const badTiming = shuffledAppointments.slice(withDeal.length, withDeal.length + Math.round((appointments.length - withDeal.length) / 2));
  driver.log(`days 39-48: ${withDeal.length} deals opened; ${badTiming.length} say "not now" (Recycle A); the rest stall`);
  const dealOf = new Map<string, string>();
  await spread(withDeal, 10, (contactId) => {
    const { dealId } = control.recordActivity(DEMO_PORTAL, { kind: 'deal_created', contactId, dealname: `Deal ${contactId}`, amount: 20_000 + Math.round(random() * 30_000) });
    if (dealId) dealOf.set(contactId, dealId);
  });
  badTiming.forEach((id) => control.updateRecord(DEMO_PORTAL, 'contacts', id, { hs_lead_status: 'BAD_TIMING' }));

  const shuffledDeals = shuffle(withDeal);
  const won = take(shuffledDeals, 0.55);
  const lost = shuffledDeals.slice(won.length);
  const reasons = ['Went with a competitor', 'No budget this year', 'Price too high', 'No decision / pausing evaluation'];
  driver.log(`days 49-78: ${won.length} deals won (Customer), ${lost.length} lost (Recycle B, 90-day email pause)`);
  await spread(shuffle([...won, ...lost]), 30, (contactId) => {
    const dealId = dealOf.get(contactId)!;
    const isWon = won.includes(contactId);
    control.recordActivity(DEMO_PORTAL, {
      kind: 'deal_stage_changed',
      dealId,
      dealstage: isWon ? 'closedwon' : 'closedlost',
      ...(isWon ? {} : { lostReason: reasons[Math.floor(random() * reasons.length)]! }),
    });
  });

  await driver.passDays(30);
  const reengaged = take(shuffle(lost), 0.15);
  driver.log(`days 109-112: ${reengaged.length} recycled leads visit the pricing page 3 times (alerts to their owners)`);
  for (let visit = 0; visit < 3; visit++) {
    reengaged.forEach((contactId) => control.recordActivity(DEMO_PORTAL, { kind: 'page_view', contactId, url: 'https://example.test/pricing' }));
    await driver.passDays(1);
  }

  const customers = shuffle(won);
  const upsells = take(customers, 0.2);
  const churned = customers.slice(upsells.length, upsells.length + Math.round(customers.length * 0.08));
  driver.log(`days 113-142: ${upsells.length} customers buy more (Expand), ${churned.length} churn; NPS answers come in`);
  await spread(upsells, 30, (contactId) => {
    const { dealId } = control.recordActivity(DEMO_PORTAL, { kind: 'deal_created', contactId, dealname: `Upsell ${contactId}`, dealtype: 'existingbusiness', amount: 10_000 });
    if (dealId) control.recordActivity(DEMO_PORTAL, { kind: 'deal_stage_changed', dealId, dealstage: 'closedwon' });
  });
  churned.forEach((id) => control.updateRecord(DEMO_PORTAL, 'contacts', id, { lc_churned: 'true' }));
  customers
    .slice(0, Math.round(customers.length / 2))
    .forEach((contactId) => control.recordActivity(DEMO_PORTAL, { kind: 'nps_answer', contactId, rating: Math.min(10, Math.floor(random() * 11) + 2) }));
  driver.log('days 143-180: pauses end, recycled leads return to Nurturing');
  await driver.passDays(38);

  return {
    leads,
    deadEnds: deadEndCount,
    nurtured: nurtured.length,
    mqls: mqls.length,
    appointments: appointments.length,
    opportunities: withDeal.length,
    won: won.length,
    lost: lost.length,
    reengaged: reengaged.length,
    upsells: upsells.length,
    churned: churned.length,
  };
}

export const SCENARIO_DAYS = 180;
export { DAY as SCENARIO_DAY_MS };
