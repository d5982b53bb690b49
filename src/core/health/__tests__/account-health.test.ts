import { accountHealth } from '../account-health';
import { healthBand } from '../health-band';
import { HEALTH_COMPONENTS } from '../../model/model-schema';
import { component, contact, daysAgo, deal, journey, model, modelWithHealth, NOW, nps, type Account } from './health-builders';

/**
 * The worked example. Default weights: stage 20, velocity 10, SLA 10, engagement 15, deals 10, recycled 5,
 * churn 10, satisfaction 15, upsell 5. Contacts, with the stage each held 30 days ago (the trend instant):
 *   A  Opportunity for 10 days (SLA 90)      30 days ago: Appointment for 25 of its 30 SLA days
 *   B  MQL for 6 days (SLA 3, twice over)    30 days ago: Nurturing for 10 days
 *   C  Dead end for 100 days                 30 days ago: Dead end
 *   D  Nurturing for 15 days                 30 days ago: Lead acquired for 20 days
 * An open deal created 10 days ago, a new-business deal lost 200 days ago; the last page view 9 days ago and an
 * email click 35 days ago; no NPS/CSAT answer, no churn signal.
 */
const example: Account = {
  contacts: [
    journey('A', [
      ['lead_acquired', daysAgo(300)],
      ['nurturing', daysAgo(200)],
      ['mql', daysAgo(60)],
      ['appointment', daysAgo(55)],
      ['opportunity', daysAgo(10)],
    ]),
    journey('B', [
      ['lead_acquired', daysAgo(100)],
      ['nurturing', daysAgo(40)],
      ['mql', daysAgo(6)],
    ]),
    journey('C', [
      ['lead_acquired', daysAgo(150)],
      ['dead_end', daysAgo(100)],
    ]),
    journey('D', [
      ['lead_acquired', daysAgo(50)],
      ['nurturing', daysAgo(15)],
    ]),
  ],
  deals: [deal('open', 'open', { createdAt: daysAgo(10) }), deal('lost', 'lost', { createdAt: daysAgo(260), closedAt: daysAgo(200) })],
  engagement: [
    { activity: 'page_viewed', at: daysAgo(9) },
    { activity: 'email_clicked', at: daysAgo(35) },
  ],
};

describe('the total: the rounded sum of weight × component score', () => {
  const health = accountHealth(example, model, NOW);

  it('scores every component of the worked example as computed by hand', () => {
    const expected = {
      stageProgress: 5 / 7, // Opportunity, stage 5 of 7
      velocity: (1 + 0 + 0 + 1) / 4, // A within plan, B at 2× its SLA, C dead end, D 15 of 30 days
      slaBreaches: 2 / 4, // A and D within; B past SLA; C out of the flow
      engagementRecency: 1 - 9 / 90,
      deals: 1 / (1 + 1), // 1 open against 1 old loss
      recycledAndDeadEnd: 3 / 4,
      churnSignals: 1,
      satisfaction: 0.5, // no answers
      upsell: 0.5, // nothing won yet
    };
    for (const id of HEALTH_COMPONENTS) expect(component(health, id).score).toBeCloseTo(expected[id], 12);
  });

  it('adds up to 66.54 points, shown as 67: at risk under bands 70 / 40', () => {
    // 14.2857 + 5 + 5 + 13.5 + 5 + 3.75 + 10 + 7.5 + 2.5 = 66.5357
    expect(health.components.reduce((sum, c) => sum + c.points, 0)).toBeCloseTo(66.5357, 4);
    expect(health.score).toBe(67);
    expect(health.band).toBe('at_risk');
  });

  it('reports the account stage and the contacts per stage in model order', () => {
    expect(health.accountStage).toEqual({ stageId: 'opportunity', label: 'Opportunity', kind: 'path' });
    expect(health.contactsPerStage.map((s) => `${s.stageId}:${s.count}`)).toEqual([
      'lead_acquired:0',
      'nurturing:1',
      'mql:1',
      'appointment:0',
      'opportunity:1',
      'customer:0',
      'expand:0',
      'recycle_a:0',
      'recycle_b:0',
      'dead_end:1',
      'churned:0',
    ]);
  });
});

describe('trend against the score trendDays (30) ago, rebuilt from the same inputs', () => {
  it('an account whose contact reached Opportunity 10 days ago was lower 30 days ago', () => {
    // 30 days ago: Appointment 4/7 → 11.4286; velocity 3/4 → 7.5; SLA 3/4 → 7.5; the email click 5 days old
    // → 15 × (1 − 5/90) = 14.1667; only the lost deal existed → 0; recycled 3/4 → 3.75; churn 10;
    // satisfaction 7.5; upsell 2.5. Sum 64.345 → 64.
    const { trend } = accountHealth(example, model, NOW);
    expect(trend).toEqual({ at: daysAgo(30), days: 30, previous: 64, delta: 3, direction: 'up' });
  });

  it('is flat when nothing changed in the period', () => {
    const still = { contacts: [contact('1', 'customer', daysAgo(400))], deals: [deal('w', 'won', { amount: 100 })] };
    expect(accountHealth(still, model, NOW).trend).toMatchObject({ delta: 0, direction: 'flat' });
  });

  it('goes down when the only customer churned within the period', () => {
    const churning = {
      contacts: [
        journey('1', [
          ['customer', daysAgo(400)],
          ['churned', daysAgo(5)],
        ]),
      ],
    };
    expect(accountHealth(churning, model, NOW).trend.direction).toBe('down');
  });
});

describe('bands', () => {
  it('the edges belong to the better band', () => {
    const bands = { healthy: 70, atRisk: 40 };
    expect([70, 69, 40, 39].map((s) => healthBand(s, bands))).toEqual(['healthy', 'at_risk', 'at_risk', 'critical']);
  });

  it('the worked example (67) is healthy when the healthy edge is 67 and at risk when it is 68', () => {
    expect(accountHealth(example, modelWithHealth({ bands: { healthy: 67, atRisk: 40 } }), NOW).band).toBe('healthy');
    expect(accountHealth(example, modelWithHealth({ bands: { healthy: 68, atRisk: 40 } }), NOW).band).toBe('at_risk');
  });

  it('an account whose only customer contact churned and whose last NPS was a detractor is critical', () => {
    // Stage 0 (churned), velocity 0, SLA 0, engagement 0 (none), deals 1 (one won) → 10, recycled 1 → 5, churn 0,
    // satisfaction NPS −100 → 0, upsell 0 % → 0. Total 15.
    const health = accountHealth(
      {
        contacts: [
          journey('1', [
            ['customer', daysAgo(200)],
            ['churned', daysAgo(20)],
          ]),
        ],
        deals: [deal('w', 'won', { createdAt: daysAgo(230), closedAt: daysAgo(200), amount: 5000 })],
        satisfaction: [nps(3, daysAgo(25))],
      },
      model,
      NOW,
    );
    expect(health.accountStage?.stageId).toBe('churned');
    expect(health.score).toBe(15);
    expect(health.band).toBe('critical');
  });
});

describe('an account with no contacts and no deals', () => {
  const health = accountHealth({}, model, NOW);

  it('scores every component neutral and says there is no data', () => {
    for (const c of health.components) {
      expect(c.score).toBe(0.5);
      expect(c.detail).toMatch(/^No data: /);
    }
    expect(health.score).toBe(50);
    expect(health.band).toBe('at_risk');
    expect(health.accountStage).toBeNull();
    expect(health.trend).toMatchObject({ previous: 50, delta: 0, direction: 'flat' });
  });
});

describe('input', () => {
  it('rejects unknown fields and malformed deals', () => {
    expect(() => accountHealth({ contact: [] } as unknown as Account, model, NOW)).toThrow();
    expect(() => accountHealth({ deals: [{ ...deal('1', 'won'), closedAt: null }] }, model, NOW)).toThrow(/closedAt/);
  });

  it('rejects a history row that belongs to another record', () => {
    const a = journey('A', [['mql', daysAgo(3)]]);
    const b = journey('B', [['mql', daysAgo(3)]]);
    expect(() => accountHealth({ contacts: [{ state: a.state, history: b.history }] }, model, NOW)).toThrow(/history/);
  });

  it('a contact without a known entry time is taken as in its stage and on time', () => {
    const undated = { state: { ...contact('1', 'mql', daysAgo(1)).state, enteredAt: null } };
    const health = accountHealth({ contacts: [undated] }, model, NOW);
    expect(component(health, 'slaBreaches').score).toBe(1);
    expect(component(health, 'velocity').score).toBe(1);
  });
});
