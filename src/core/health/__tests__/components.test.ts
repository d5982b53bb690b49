import { accountHealth } from '../account-health';
import { component, contact, csat, daysAgo, deal, journey, model, NOW, nps, type Account } from './health-builders';

const scoreOf = (account: Account, id: Parameters<typeof component>[1]) => component(accountHealth(account, model, NOW), id);

describe('stage progress: (path rank + 1) / path length', () => {
  it('an account whose furthest contact is at Opportunity stands at stage 5 of 7', () => {
    const c = scoreOf({ contacts: [contact('1', 'nurturing', daysAgo(5)), contact('2', 'opportunity', daysAgo(5))] }, 'stageProgress');
    expect(c.score).toBeCloseTo(5 / 7, 12);
    expect(c.points).toBeCloseTo(20 * (5 / 7), 12);
    expect(c.detail).toBe('The account is at Opportunity, stage 5 of 7 on the path.');
  });

  it('an open deal lifts an account of nurturing contacts to Opportunity', () => {
    const c = scoreOf({ contacts: [contact('1', 'nurturing', daysAgo(5))], deals: [deal('D', 'open')] }, 'stageProgress');
    expect(c.score).toBeCloseTo(5 / 7, 12);
  });

  it('a won deal makes the account a customer at least (stage 6 of 7)', () => {
    const c = scoreOf({ contacts: [contact('1', 'mql', daysAgo(5))], deals: [deal('D', 'won')] }, 'stageProgress');
    expect(c.score).toBeCloseTo(6 / 7, 12);
  });

  it('a recycled account counts as the stage its detour returns to (Nurturing, 2 of 7)', () => {
    const c = scoreOf({ contacts: [contact('1', 'recycle_b', daysAgo(5))] }, 'stageProgress');
    expect(c.score).toBeCloseTo(2 / 7, 12);
    expect(c.detail).toBe('The account is in Recycle B, heading back to Nurturing (stage 2 of 7 on the path).');
  });

  it('an account whose every contact is dead end is off the path and scores 0', () => {
    const c = scoreOf({ contacts: [contact('1', 'dead_end', daysAgo(5)), contact('2', 'dead_end', daysAgo(9))] }, 'stageProgress');
    expect(c.score).toBe(0);
    expect(c.detail).toBe('The account is Dead end: off the success path.');
  });
});

describe('velocity: time in stage against the time the model plans for it', () => {
  it('averages 1 within plan, a linear fall to 0 at twice the plan, and 0 once out of the flow', () => {
    const c = scoreOf(
      {
        contacts: [
          contact('1', 'mql', daysAgo(4.5)), // SLA 3: 1.5× the plan → 2 − 1.5 = 0.5
          contact('2', 'lead_acquired', daysAgo(15)), // no SLA: median path SLA (3, 30, 90 → 30) → 1
          contact('3', 'customer', daysAgo(400)), // customers have no deadline → 1
          contact('4', 'dead_end', daysAgo(10)), // out of the flow → 0
        ],
      },
      'velocity',
    );
    expect(c.score).toBeCloseTo((0.5 + 1 + 1 + 0) / 4, 12);
    expect(c.detail).toBe(
      '2 of 4 contacts within the time planned for their stage; slowest: MQL for 4.5 days (3 planned); ' + '1 out of the flow (dead end or churned), counted as stalled.',
    );
  });

  it('plans a recycle detour for its email pause (Recycle B: 90 days), so 135 days there scores 0.5', () => {
    expect(scoreOf({ contacts: [contact('1', 'recycle_b', daysAgo(135))] }, 'velocity').score).toBeCloseTo(0.5, 12);
  });

  it('a contact stalled for twice the SLA or longer scores 0', () => {
    expect(scoreOf({ contacts: [contact('1', 'appointment', daysAgo(61))] }, 'velocity').score).toBe(0);
  });
});

describe('SLA breaches: share of contacts within SLA', () => {
  it('2 of 5 contacts past SLA in MQL leaves 3 of 5 within', () => {
    const c = scoreOf(
      {
        contacts: [
          contact('1', 'mql', daysAgo(4)),
          contact('2', 'mql', daysAgo(10)),
          contact('3', 'mql', daysAgo(3)), // exactly the SLA is still due
          contact('4', 'appointment', daysAgo(10)),
          contact('5', 'nurturing', daysAgo(200)), // no SLA, nothing to miss
        ],
      },
      'slaBreaches',
    );
    expect(c.score).toBeCloseTo(3 / 5, 12);
    expect(c.detail).toBe('2 of 5 contacts past SLA in MQL.');
  });

  it('names each stage with breaches, and a dead-end contact is not within any SLA', () => {
    const c = scoreOf(
      { contacts: [contact('1', 'mql', daysAgo(4)), contact('2', 'opportunity', daysAgo(91)), contact('3', 'dead_end', daysAgo(1)), contact('4', 'mql', daysAgo(1))] },
      'slaBreaches',
    );
    expect(c.score).toBeCloseTo(1 / 4, 12);
    expect(c.detail).toBe('2 of 4 contacts past SLA (1 in MQL, 1 in Opportunity); 1 out of the flow (dead end or churned), not within any SLA.');
  });
});

describe('engagement recency: linear decay to 0 at the 90-day horizon', () => {
  const people = [contact('1', 'nurturing', daysAgo(5))];

  it('the latest engagement 30 days ago scores 1 − 30/90', () => {
    const c = scoreOf(
      {
        contacts: people,
        engagement: [
          { activity: 'email_clicked', at: daysAgo(60) },
          { activity: 'page_viewed', at: daysAgo(30) },
        ],
      },
      'engagementRecency',
    );
    expect(c.score).toBeCloseTo(2 / 3, 12);
    expect(c.detail).toBe('Last engagement (page_viewed) 30 days ago; it scores 0 at 90 days.');
  });

  it('engagement at or beyond the horizon scores 0, and so does none at all', () => {
    expect(scoreOf({ contacts: people, engagement: [{ activity: 'meeting', at: daysAgo(90) }] }, 'engagementRecency').score).toBe(0);
    const none = scoreOf({ contacts: people }, 'engagementRecency');
    expect(none.score).toBe(0);
    expect(none.detail).toBe('No engagement recorded for 1 contact.');
  });
});

describe('deals: open and won against lost, recent losses weighing double', () => {
  it('2 open, 1 won, a loss 30 days ago (×2) and one 200 days ago (×1) score 3 / (3 + 3)', () => {
    const c = scoreOf(
      {
        deals: [deal('1', 'open'), deal('2', 'open'), deal('3', 'won'), deal('4', 'lost', { closedAt: daysAgo(30) }), deal('5', 'lost', { createdAt: daysAgo(260), closedAt: daysAgo(200) })],
      },
      'deals',
    );
    expect(c.score).toBeCloseTo(0.5, 12);
    expect(c.detail).toBe('2 open, 1 won, 2 lost (1 in the last 90 days, weighing double).');
  });

  it('an account with only lost deals scores 0', () => {
    expect(scoreOf({ deals: [deal('1', 'lost')] }, 'deals').score).toBe(0);
  });
});

describe('recycled and dead end: share of contacts still moving on the path', () => {
  it('one recycled and one dead-end contact out of four leaves half', () => {
    const c = scoreOf(
      { contacts: [contact('1', 'recycle_a', daysAgo(3)), contact('2', 'dead_end', daysAgo(3)), contact('3', 'mql', daysAgo(1)), contact('4', 'customer', daysAgo(1))] },
      'recycledAndDeadEnd',
    );
    expect(c.score).toBeCloseTo(0.5, 12);
    expect(c.detail).toBe('1 of 4 contacts recycled, 1 in the dead end.');
  });
});

describe('churn signals: 1 without, 0 when churned or signalled in the last 90 days', () => {
  const customers = [contact('1', 'customer', daysAgo(300))];

  it('a customer_lost event 10 days ago scores 0', () => {
    const c = scoreOf({ contacts: customers, churnSignals: [{ source: 'customer_lost', at: daysAgo(10) }] }, 'churnSignals');
    expect(c.score).toBe(0);
    expect(c.detail).toBe('Churn signal (customer_lost) 10 days ago, within 90 days.');
  });

  it('a signal 120 days ago no longer counts', () => {
    const c = scoreOf({ contacts: customers, churnSignals: [{ source: 'lc_churned', at: daysAgo(120) }] }, 'churnSignals');
    expect(c.score).toBe(1);
    expect(c.detail).toBe('Last churn signal (lc_churned) 120 days ago, outside the 90-day window.');
  });

  it('a contact that churned 30 days ago is a signal even while another contact is still a customer', () => {
    const churned = journey('2', [
      ['customer', daysAgo(400)],
      ['churned', daysAgo(30)],
    ]);
    expect(scoreOf({ contacts: [...customers, churned] }, 'churnSignals').score).toBe(0);
  });

  it('an account whose customers all churned long ago scores 0', () => {
    const churned = journey('2', [
      ['customer', daysAgo(800)],
      ['churned', daysAgo(400)],
    ]);
    const c = scoreOf({ contacts: [churned] }, 'churnSignals');
    expect(c.score).toBe(0);
    expect(c.detail).toBe('The account is Churned: all its customers churned.');
  });

  it('a churned company record scores 0', () => {
    const company = journey(
      'C',
      [
        ['customer', daysAgo(800)],
        ['churned', daysAgo(400)],
      ],
      'company',
    );
    expect(scoreOf({ company, contacts: customers }, 'churnSignals').score).toBe(0);
  });

  it('an account without any signal scores 1', () => {
    expect(scoreOf({ contacts: customers }, 'churnSignals')).toMatchObject({ score: 1, detail: 'No churn signal.' });
  });
});

describe('satisfaction: NPS and CSAT mapped to 0-1 and averaged', () => {
  const tenAnswers = [10, 10, 9, 9, 9, 8, 7, 7, 3, 0].map((s) => nps(s));

  it('NPS +30 maps to (30 + 100) / 200', () => {
    const c = scoreOf({ satisfaction: tenAnswers }, 'satisfaction');
    expect(c.score).toBeCloseTo(0.65, 12);
    expect(c.detail).toBe('NPS +30 from 10 answers (5 promoters, 3 passives, 2 detractors).');
  });

  it('a CSAT mean of 4 maps to (4 − 1) / 4 and is averaged with the NPS part', () => {
    const c = scoreOf({ satisfaction: [...tenAnswers, csat(4), csat(5), csat(3)] }, 'satisfaction');
    expect(c.score).toBeCloseTo((0.65 + 0.75) / 2, 12);
    expect(c.detail).toBe('NPS +30 from 10 answers (5 promoters, 3 passives, 2 detractors); CSAT 4/5 from 3 answers.');
  });

  it('without answers it is neutral and says so', () => {
    expect(scoreOf({}, 'satisfaction')).toMatchObject({ score: 0.5, detail: 'No data: no NPS or CSAT answers yet (neutral 0.5).' });
  });

  it('an answer given after now is not known yet', () => {
    expect(scoreOf({ satisfaction: [nps(0, NOW + 1)] }, 'satisfaction').score).toBe(0.5);
  });
});

describe('upsell: share of won revenue from upsell, cross-sell and renewal; 30 % or more scores 1', () => {
  it('10 % of won revenue from an upsell scores 10 / 30', () => {
    const c = scoreOf(
      { deals: [deal('1', 'won', { amount: 9000 }), deal('2', 'won', { dealType: 'upsell', amount: 1000 }), deal('3', 'lost', { dealType: 'upsell', amount: 5000 })] },
      'upsell',
    );
    expect(c.score).toBeCloseTo(1 / 3, 12);
    expect(c.detail).toBe('10 % of won revenue (1000 of 10000) from upsell, cross-sell or renewal; 30 % or more scores full.');
  });

  it('30 % from cross-sell and renewal scores full', () => {
    const deals = [deal('1', 'won', { amount: 7000 }), deal('2', 'won', { dealType: 'cross_sell', amount: 2000 }), deal('3', 'won', { dealType: 'renewal', amount: 1000 })];
    expect(scoreOf({ deals }, 'upsell').score).toBe(1);
  });

  it('an account that has won nothing yet is neutral', () => {
    expect(scoreOf({ deals: [deal('1', 'open', { amount: 5000 })] }, 'upsell')).toMatchObject({ score: 0.5, detail: 'No data: no won deals yet (neutral 0.5).' });
  });

  it("winning back a lost new-business deal dilutes the share, as the literature's ratio does", () => {
    const upsell = deal('1', 'won', { dealType: 'upsell', amount: 1000 });
    const before = scoreOf({ deals: [upsell, deal('2', 'lost', { amount: 9000 })] }, 'upsell');
    const after = scoreOf({ deals: [upsell, deal('2', 'won', { amount: 9000 })] }, 'upsell');
    expect(before.score).toBe(1);
    expect(after.score).toBeCloseTo(1 / 3, 12);
  });
});
