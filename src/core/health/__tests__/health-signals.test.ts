import { churnSignalsFromFacts, engagementFromEvents } from '../health-signals';
import { daysAgo, NOW } from './health-builders';

describe("engagement from the contacts' events", () => {
  it('keeps the latest instant of each engagement activity and drops deal and churn events', () => {
    const events = [
      { type: 'page_viewed' as const, at: daysAgo(9) },
      { type: 'page_viewed' as const, at: daysAgo(3) },
      { type: 'email_clicked' as const, at: daysAgo(20) },
      { type: 'deal_won' as const, at: daysAgo(1) },
      { type: 'customer_lost' as const, at: daysAgo(1) },
    ];
    expect(engagementFromEvents(events)).toEqual([
      { activity: 'email_clicked', at: daysAgo(20) },
      { activity: 'page_viewed', at: daysAgo(3) },
    ]);
  });
});

describe("churn signals from a record's facts", () => {
  it('are the customer_lost events and lc_churned = "true", dated when it changed', () => {
    const facts = {
      properties: { lc_churned: 'true' },
      propertyChangedAt: { lc_churned: daysAgo(4) },
      events: [
        { type: 'customer_lost' as const, at: daysAgo(6) },
        { type: 'page_viewed' as const, at: daysAgo(2) },
      ],
    };
    expect(churnSignalsFromFacts(facts)).toEqual([
      { source: 'customer_lost', at: daysAgo(6) },
      { source: 'lc_churned', at: daysAgo(4) },
    ]);
  });

  it('dates lc_churned at the read time when its change time is unknown, and ignores it unless "true"', () => {
    expect(churnSignalsFromFacts({ properties: { lc_churned: 'true' }, events: [], observedAt: NOW })).toEqual([{ source: 'lc_churned', at: NOW }]);
    expect(churnSignalsFromFacts({ properties: { lc_churned: 'false' }, events: [], observedAt: NOW })).toEqual([]);
  });
});
