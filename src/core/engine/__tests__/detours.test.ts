import { compileModelOrThrow } from '../../model/compile-model';
import {
  answeredNps,
  bookedMeeting,
  clickedEmail,
  createdDeal,
  days,
  daysAgo,
  defaultDocument,
  effectsOf,
  ledgerEntries,
  facts,
  hours,
  inStage,
  lostCustomer,
  lostDeal,
  newContact,
  NOW,
  path,
  recycled,
  run,
  submittedForm,
  viewedPage,
  wonDeal,
  writtenProperties,
} from './builders';

describe('Recycle A: a lead that talked to inside sales but no meeting or deal followed', () => {
  it('stalled 45 days at Appointment, it moves to Recycle A and marketing email pauses for 30 days', () => {
    const d = run(inStage('appointment', daysAgo(50)), facts());
    const recycledAt = daysAgo(5);
    expect(d.steps).toEqual([
      expect.objectContaining({
        from: 'appointment',
        to: 'recycle_a',
        kind: 'recycle',
        at: recycledAt,
        ruleId: 'recycle_a',
        reasonCode: 'stalled',
        reason: 'Recycle A (stalled at Appointment): No meeting or deal followed',
        lostDealId: null,
      }),
    ]);
    expect(d.state).toMatchObject({
      stage: 'recycle_a',
      recycleCount: 1,
      marketingPausedUntil: recycledAt + days(30),
      lastRecycle: { ruleId: 'recycle_a', reason: 'stalled', at: recycledAt, fromStage: 'appointment', lostDealId: null },
    });
    expect(effectsOf(d, 'pause_marketing')).toEqual([{ type: 'pause_marketing', until: recycledAt + days(30), reason: 'stalled' }]);
    expect(writtenProperties(d)).toMatchObject({
      lc_stage: 'recycle_a',
      lc_previous_stage: 'appointment',
      lc_last_transition_kind: 'recycle',
      lc_recycle_reason: 'stalled',
      lc_recycle_count: '1',
      lc_marketing_paused_until: new Date(recycledAt + days(30)).toISOString(),
    });
  });

  it('44 days at Appointment is not stalled yet; the engine asks to be woken at the stall deadline', () => {
    const d = run(inStage('appointment', daysAgo(44)), facts());
    expect(d).toMatchObject({ kind: 'none', steps: [], effects: [], wakeAt: daysAgo(44) + days(45) });
  });

  it('a deal opened in time keeps the record out of the recycle', () => {
    const d = run(inStage('appointment', daysAgo(50)), facts({ events: [createdDeal(daysAgo(10))] }));
    expect(path(d)).toEqual(['opportunity']);
  });

  it('hs_lead_status BAD_TIMING recycles at once, with reason bad_timing, when the status was set', () => {
    const d = run(inStage('appointment', daysAgo(10)), facts({ properties: { hs_lead_status: 'BAD_TIMING' }, propertyChangedAt: { hs_lead_status: daysAgo(3) } }));
    expect(d.steps).toEqual([
      expect.objectContaining({ to: 'recycle_a', kind: 'recycle', at: daysAgo(3), reasonCode: 'bad_timing', reason: 'Recycle A (stalled at Appointment): Pausing evaluation for now' }),
    ]);
    expect(d.state.marketingPausedUntil).toBe(daysAgo(3) + days(30));
  });

  it('a stalled record whose lead status names another reason is recycled with that reason', () => {
    const d = run(inStage('appointment', daysAgo(50)), facts({ properties: { hs_lead_status: 'NOT_DECISION_MAKER' } }));
    expect(d.steps[0]).toMatchObject({ to: 'recycle_a', reasonCode: 'not_decision_maker', at: daysAgo(5) });
  });
});

describe('Recycle B: a deal lost during negotiation', () => {
  it('when a lost deal arrives for a contact in Opportunity, it moves to Recycle B and marketing email pauses for 90 days', () => {
    const lostAt = daysAgo(2);
    const d = run(inStage('opportunity', daysAgo(40)), facts({ events: [lostDeal(lostAt, 'D-77', 'lost_to_competitor')] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'opportunity', to: 'recycle_b', kind: 'recycle', at: lostAt, reasonCode: 'lost_to_competitor', lostDealId: 'D-77' })]);
    expect(d.state.lastRecycle).toEqual({ ruleId: 'recycle_b', reason: 'lost_to_competitor', at: lostAt, fromStage: 'opportunity', lostDealId: 'D-77' });
    expect(d.state.marketingPausedUntil).toBe(lostAt + days(90));
    expect(effectsOf(d, 'pause_marketing')).toEqual([{ type: 'pause_marketing', until: lostAt + days(90), reason: 'lost_to_competitor' }]);
    expect(d.wakeAt).toBe(lostAt + days(90));
  });

  it('the closed-lost reason may be given by its label', () => {
    const d = run(inStage('opportunity', daysAgo(40)), facts({ events: [lostDeal(daysAgo(2), 'D-77', 'Price')] }));
    expect(d.steps[0]?.reasonCode).toBe('price');
  });

  it('a lost deal without a known reason is recycled with the default reason (no decision)', () => {
    const d = run(inStage('opportunity', daysAgo(40)), facts({ events: [lostDeal(daysAgo(2), 'D-77', 'we ran out of coffee')] }));
    expect(d.steps[0]).toMatchObject({ reasonCode: 'no_decision', reason: 'Recycle B (deal lost at Opportunity): No decision / pausing evaluation' });
  });

  it('the lost deal is identified by the event id when it carries no dealId attribute', () => {
    const d = run(inStage('opportunity', daysAgo(40)), facts({ events: [{ type: 'deal_lost', at: daysAgo(2), id: '9001' }] }));
    expect(d.steps[0]?.lostDealId).toBe('9001');
  });

  it('a deal lost before the record reached Opportunity does not recycle it', () => {
    const d = run(inStage('opportunity', daysAgo(10)), facts({ events: [lostDeal(daysAgo(20))] }));
    expect(d.kind).toBe('none');
  });

  it('HubSpot lifecyclestage goes back from opportunity to lead, which HubSpot only accepts as clear-then-set', () => {
    const d = run(inStage('opportunity', daysAgo(40)), facts({ properties: { lifecyclestage: 'opportunity' }, events: [lostDeal(daysAgo(2))] }));
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'lead', clearFirst: true }]);
  });

  it('recycling counts: a second recycle increments the count', () => {
    const state = inStage('opportunity', daysAgo(40), { recycleCount: 2 });
    const d = run(state, facts({ events: [lostDeal(daysAgo(2))] }));
    expect(d.state.recycleCount).toBe(3);
    expect(writtenProperties(d)['lc_recycle_count']).toBe('3');
  });
});

describe('the marketing pause of a recycle ends by itself', () => {
  it('while paused, the record waits in Recycle B and the engine wakes at the end of the pause', () => {
    const state = recycled('recycle_b', daysAgo(20));
    const d = run(state, facts());
    expect(d).toMatchObject({ kind: 'none', steps: [], effects: [], wakeAt: daysAgo(20) + days(90) });
  });

  it('when the pause ends, the record returns to Nurturing, dated at the pause end, and the pause is released', () => {
    const state = recycled('recycle_b', daysAgo(100));
    const pauseEnd = daysAgo(100) + days(90);
    const d = run(state, facts());
    expect(d.steps).toEqual([
      expect.objectContaining({
        from: 'recycle_b',
        to: 'nurturing',
        kind: 'return',
        at: pauseEnd,
        ruleId: 'recycle_b_return',
        reason: 'Back to nurture after Recycle B (deal lost at Opportunity)',
      }),
    ]);
    expect(d.kind).toBe('return');
    expect(d.state).toMatchObject({ stage: 'nurturing', marketingPausedUntil: null, recycleCount: 1 });
    expect(d.state.lastRecycle).toEqual(state.lastRecycle); // the context stays for reporting
    expect(effectsOf(d, 'release_marketing_pause')).toEqual([{ type: 'release_marketing_pause' }]);
    expect(writtenProperties(d)['lc_marketing_paused_until']).toBe('');
  });

  it('a Recycle A pause is 30 days', () => {
    const d = run(recycled('recycle_a', daysAgo(31)), facts());
    expect(d.steps[0]).toMatchObject({ to: 'nurturing', kind: 'return', at: daysAgo(1) });
  });

  it('a recycle whose pause is already over by the time we hear of it returns in the same decision, with no pause effects', () => {
    const d = run(inStage('opportunity', daysAgo(200)), facts({ events: [lostDeal(daysAgo(120), 'D-5', 'timing')] }));
    expect(d.steps.map((s) => [s.to, s.kind, s.at])).toEqual([
      ['recycle_b', 'recycle', daysAgo(120)],
      ['nurturing', 'return', daysAgo(30)],
    ]);
    expect(effectsOf(d, 'pause_marketing')).toEqual([]);
    expect(effectsOf(d, 'release_marketing_pause')).toEqual([]);
    expect(d.state).toMatchObject({ marketingPausedUntil: null, lastRecycle: { reason: 'timing', lostDealId: 'D-5' } });
  });

  it('a pause left over on a record outside any detour is cleared when it ends', () => {
    const state = inStage('nurturing', daysAgo(10), { marketingPausedUntil: daysAgo(1) });
    const d = run(state, facts());
    expect(d.steps).toEqual([]);
    expect(d.state.marketingPausedUntil).toBeNull();
    expect(effectsOf(d, 'release_marketing_pause')).toHaveLength(1);
    expect(writtenProperties(d)['lc_marketing_paused_until']).toBe('');
  });
});

describe('re-engagement: a recycled record that becomes active again is reported to sales at once', () => {
  const lostAt = daysAgo(60);
  const recycledAfterLoss = () => recycled('recycle_b', lostAt, { reason: 'price', lostDealId: 'D-9', fromStage: 'opportunity' });
  const threeVisits = [viewedPage(daysAgo(6)), viewedPage(daysAgo(4)), viewedPage(daysAgo(1))];

  it('three page views within 7 days move it back to Nurturing and create a task for the owner with the recycle context', () => {
    const d = run(recycledAfterLoss(), facts({ properties: { hubspot_owner_id: '42' }, events: threeVisits }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'recycle_b', to: 'nurturing', kind: 'reengage', at: daysAgo(1), ruleId: 'recycle_b_reengagement' })]);
    const [alert, ...more] = effectsOf(d, 'notify_owner');
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      ownerId: '42',
      priority: 'HIGH',
      dueAt: NOW,
      subject: 'Recycled lead is active again (Recycle B (deal lost at Opportunity), 59 days ago)',
      context: {
        recycledAt: lostAt,
        recycleReason: 'price',
        fromStage: 'opportunity',
        lostDealId: 'D-9',
        evidence: ['3× page_viewed within 7 days (latest at 2026-02-28T12:00:00.000Z)'],
      },
    });
    expect(alert?.body).toBe('Recycled on 2025-12-31 from Opportunity after deal D-9 was lost: Price. Active again: 3× page_viewed within 7 days (latest at 2026-02-28T12:00:00.000Z).');
  });

  it('coming back on their own releases the marketing pause', () => {
    const d = run(recycledAfterLoss(), facts({ events: threeVisits }));
    expect(d.state.marketingPausedUntil).toBeNull();
    expect(effectsOf(d, 'release_marketing_pause')).toHaveLength(1);
    expect(d.state.stage).toBe('nurturing');
  });

  it('a task without an owner is still created, unassigned', () => {
    const d = run(recycledAfterLoss(), facts({ events: threeVisits }));
    expect(effectsOf(d, 'notify_owner')[0]?.ownerId).toBeNull();
  });

  it('three page views spread over more than 7 days are not a re-engagement', () => {
    const d = run(recycledAfterLoss(), facts({ events: [viewedPage(daysAgo(20)), viewedPage(daysAgo(10)), viewedPage(daysAgo(1))] }));
    expect(d.kind).toBe('none');
  });

  it('page views from before the recycle do not count', () => {
    const d = run(recycledAfterLoss(), facts({ events: [viewedPage(lostAt - hours(3)), viewedPage(lostAt - hours(2)), viewedPage(lostAt + hours(1))] }));
    expect(d.kind).toBe('none');
  });

  it('the same page views outside a recycle are ordinary activity: no re-engagement and no task', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ events: threeVisits }));
    expect(d.kind).toBe('none');
    expect(effectsOf(d, 'notify_owner')).toEqual([]);
  });

  it('a Recycle A record re-engages too, with its own context', () => {
    const d = run(recycled('recycle_a', daysAgo(10), { reason: 'bad_timing' }), facts({ events: threeVisits }));
    expect(d.steps[0]).toMatchObject({ to: 'nurturing', kind: 'reengage' });
    expect(effectsOf(d, 'notify_owner')[0]?.context).toMatchObject({ recycleReason: 'bad_timing', fromStage: 'appointment', lostDealId: null });
  });

  it('a deal created while recycled fastpasses out of the detour to Opportunity', () => {
    const d = run(recycledAfterLoss(), facts({ events: [createdDeal(daysAgo(3), 'D-10')] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'recycle_b', to: 'opportunity', kind: 'fastpass', at: daysAgo(3), skipped: ['nurturing', 'mql', 'appointment'] })]);
    expect(d.state.marketingPausedUntil).toBeNull();
    expect(effectsOf(d, 'release_marketing_pause')).toHaveLength(1);
    expect(effectsOf(d, 'notify_owner')).toEqual([]);
  });

  it('a meeting booked while recycled fastpasses to Appointment', () => {
    const d = run(recycled('recycle_a', daysAgo(10)), facts({ events: [bookedMeeting(daysAgo(2))] }));
    expect(d.steps[0]).toMatchObject({ to: 'appointment', kind: 'fastpass', skipped: ['nurturing', 'mql'] });
  });
});

describe('Dead end: records that can never buy leave the funnel for good', () => {
  it('a student job title dead-ends the record', () => {
    const d = run(inStage('nurturing', daysAgo(30)), facts({ properties: { jobtitle: 'PhD Student' }, propertyChangedAt: { jobtitle: daysAgo(4) } }));
    expect(d.steps).toEqual([
      expect.objectContaining({ from: 'nurturing', to: 'dead_end', kind: 'dead_end', at: daysAgo(4), ruleId: 'student_title', reasonCode: 'student', reason: 'Dead end: Student' }),
    ]);
    expect(d.state.deadEndReason).toBe('student');
    expect(writtenProperties(d)['lc_dead_end_reason']).toBe('student');
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'other', clearFirst: false }]);
  });

  it('a new contact from a competitor domain enters and is dead-ended at once', () => {
    const d = run(newContact(), facts({ properties: { email: 'spy@sales.competitor.example' }, createdAt: daysAgo(7) }));
    expect(d.steps.map((s) => [s.to, s.kind, s.at, s.reasonCode])).toEqual([
      ['lead_acquired', 'enter', daysAgo(7), null],
      ['dead_end', 'dead_end', daysAgo(7), 'competitor'],
    ]);
  });

  it('a competitor with an old history of clicks and inquiries is dead-ended when it entered, never counted as an MQL', () => {
    const d = run(
      newContact(),
      facts({
        properties: { email: 'spy@competitor.example' },
        createdAt: daysAgo(300),
        events: [clickedEmail(daysAgo(200)), submittedForm(daysAgo(100), 'demo_request')],
      }),
    );
    expect(d.steps.map((s) => [s.to, s.at])).toEqual([
      ['lead_acquired', daysAgo(300)],
      ['dead_end', daysAgo(300)],
    ]);
  });

  it('a dead end request set by an SDR (lc_dead_end_request) dead-ends with that reason', () => {
    const d = run(inStage('mql', daysAgo(5)), facts({ properties: { lc_dead_end_request: 'retired' } }));
    expect(d.steps[0]).toMatchObject({ to: 'dead_end', reasonCode: 'retired', ruleId: 'lc_dead_end_request', reason: 'Marked dead end: Retired' });
  });

  it('a dead end request that is not a known reason is ignored', () => {
    expect(run(inStage('mql', daysAgo(5)), facts({ properties: { lc_dead_end_request: 'maybe later' } })).kind).toBe('none');
  });

  it('a dead end wins over progress that happens at the same instant', () => {
    const at = daysAgo(3);
    const d = run(inStage('nurturing', daysAgo(30)), facts({ properties: { jobtitle: 'student' }, propertyChangedAt: { jobtitle: at }, events: [submittedForm(at, 'demo_request')] }));
    expect(path(d)).toEqual(['dead_end']);
  });

  it('a recycled record can be dead-ended, which also ends its marketing pause', () => {
    const d = run(recycled('recycle_b', daysAgo(10)), facts({ properties: { jobtitle: 'Retired' } }));
    expect(d.state).toMatchObject({ stage: 'dead_end', deadEndReason: 'retired', marketingPausedUntil: null });
    expect(effectsOf(d, 'release_marketing_pause')).toHaveLength(1);
  });

  it('a customer is never dead-ended by a rule', () => {
    const d = run(inStage('customer', daysAgo(30)), facts({ properties: { jobtitle: 'Student' } }));
    expect(d.kind).toBe('none');
  });

  it('is immune to later activity and score changes: no rule leaves the dead end', () => {
    const state = inStage('dead_end', daysAgo(100), { deadEndReason: 'student', previousStage: 'nurturing', lastTransitionKind: 'dead_end' });
    const d = run(
      state,
      facts({
        properties: { hubspotscore: '250', jobtitle: 'CEO', hs_is_target_account: 'true' },
        events: [
          clickedEmail(daysAgo(20)),
          viewedPage(daysAgo(3)),
          viewedPage(daysAgo(2)),
          viewedPage(daysAgo(1)),
          submittedForm(daysAgo(10), 'demo_request'),
          submittedForm(daysAgo(9), 'event_registration'),
          bookedMeeting(daysAgo(8)),
          createdDeal(daysAgo(7)),
          wonDeal(daysAgo(6)),
          lostCustomer(daysAgo(5)),
        ],
      }),
    );
    expect(d).toMatchObject({ kind: 'none', steps: [], effects: [], wakeAt: null, state });
  });
});

describe('Churn and win-back', () => {
  it('a lost customer moves from Customer to Churned', () => {
    const d = run(inStage('customer', daysAgo(300)), facts({ properties: { lifecyclestage: 'customer' }, events: [lostCustomer(daysAgo(2))] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'customer', to: 'churned', kind: 'churn', at: daysAgo(2), ruleId: 'churn', reason: 'Customer lost' })]);
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'other', clearFirst: false }]);
  });

  it('an Expand account marked churned (lc_churned) moves to Churned', () => {
    const d = run(inStage('expand', daysAgo(300)), facts({ properties: { lc_churned: 'true' }, propertyChangedAt: { lc_churned: daysAgo(9) } }));
    expect(d.steps[0]).toMatchObject({ from: 'expand', to: 'churned', kind: 'churn', at: daysAgo(9) });
  });

  it('a churned customer with a new deal is won back to Opportunity', () => {
    const d = run(inStage('churned', daysAgo(100)), facts({ events: [createdDeal(daysAgo(5), 'D-2')] }));
    expect(d.steps).toEqual([expect.objectContaining({ from: 'churned', to: 'opportunity', kind: 'win_back', ruleId: 'win_back_deal', at: daysAgo(5), skipped: [] })]);
  });

  it('the deal of the original sale does not count as a win-back', () => {
    const d = run(inStage('churned', daysAgo(100)), facts({ events: [createdDeal(daysAgo(400), 'D-1'), wonDeal(daysAgo(380), 'D-1')] }));
    expect(d.kind).toBe('none');
  });

  it('a customer lost before becoming one is not churned', () => {
    const d = run(inStage('customer', daysAgo(30)), facts({ events: [lostCustomer(daysAgo(60))] }));
    expect(d.kind).toBe('none');
  });

  it('churn is not a recycle: the record is not paused and its recycle count is unchanged', () => {
    const d = run(inStage('customer', daysAgo(300)), facts({ events: [lostCustomer(daysAgo(2)), answeredNps(daysAgo(50), 3)] }));
    expect(d.state).toMatchObject({ stage: 'churned', recycleCount: 0, marketingPausedUntil: null, lastRecycle: null });
  });
});

describe('a record with contact information and a full year of history', () => {
  it('replays through a lost deal, the pause, a re-engagement and a new win', () => {
    const d = run(
      newContact(),
      facts({
        createdAt: daysAgo(365),
        properties: { hubspot_owner_id: '7' },
        events: [
          clickedEmail(daysAgo(360)),
          submittedForm(daysAgo(350), 'demo_request'),
          bookedMeeting(daysAgo(340)),
          createdDeal(daysAgo(330), 'D-1'),
          lostDeal(daysAgo(300), 'D-1', 'no_budget'),
          viewedPage(daysAgo(100)),
          viewedPage(daysAgo(99)),
          viewedPage(daysAgo(98)),
          submittedForm(daysAgo(60), 'quote_request'),
          bookedMeeting(daysAgo(50)),
          createdDeal(daysAgo(40), 'D-2'),
          wonDeal(daysAgo(20), 'D-2'),
        ],
      }),
    );
    expect(d.steps.map((s) => `${s.kind}:${s.to}`)).toEqual([
      'enter:lead_acquired',
      'advance:nurturing',
      'advance:mql',
      'advance:appointment',
      'advance:opportunity',
      'recycle:recycle_b',
      'return:nurturing', // the 90-day pause ended 210 days ago, before the visits
      'advance:mql', // the three visits scored nothing: re-engagement only applies while recycled
      'advance:appointment',
      'advance:opportunity',
      'advance:customer',
    ]);
    // a quote request from Nurturing skips nothing, so it is a plain advance by the quote_request rule
    expect(d.steps[7]).toMatchObject({ at: daysAgo(60), ruleId: 'quote_request', skipped: [] });
    expect(effectsOf(d, 'notify_owner')).toEqual([]);
    expect(d.state).toMatchObject({ stage: 'customer', recycleCount: 1, lastRecycle: { reason: 'no_budget', lostDealId: 'D-1' } });
  });
});

describe('facts of one instant move a record through each detour at most once', () => {
  it('an MQL whose lead status says "bad timing" books a meeting: it reaches Appointment, is recycled once, and the meeting does not pull it back', () => {
    const meetingAt = daysAgo(2);
    const f = facts({ properties: { hs_lead_status: 'BAD_TIMING' }, propertyChangedAt: { hs_lead_status: daysAgo(20) }, events: [bookedMeeting(meetingAt)] });
    const d = run(inStage('mql', daysAgo(10)), f);
    expect(d.steps.map((s) => [s.kind, s.to, s.at])).toEqual([
      ['advance', 'appointment', meetingAt],
      ['recycle', 'recycle_a', meetingAt],
    ]);
    expect(d.state).toMatchObject({ recycleCount: 1, marketingPausedUntil: meetingAt + days(30) });
    expect(run(d.state, f)).toMatchObject({ steps: [], effects: [] });
  });

  it('a deal lost in the same instant the record reached Opportunity recycles it, and that deal does not win it back', () => {
    const at = daysAgo(3);
    const d = run(inStage('appointment', daysAgo(10)), facts({ events: [createdDeal(at, 'D-1'), lostDeal(at, 'D-1', 'price')] }));
    expect(d.steps.map((s) => [s.kind, s.to])).toEqual([
      ['advance', 'opportunity'],
      ['recycle', 'recycle_b'],
    ]);
    expect(d.state.lastRecycle).toMatchObject({ reason: 'price', lostDealId: 'D-1' });
  });

  it('a customer marked churned is not won back by the deal of the instant it churned', () => {
    const at = daysAgo(3);
    const d = run(
      inStage('opportunity', daysAgo(10)),
      facts({ properties: { lc_churned: 'true' }, propertyChangedAt: { lc_churned: daysAgo(30) }, events: [wonDeal(at), createdDeal(at, 'D-2')] }),
    );
    expect(d.steps.map((s) => [s.kind, s.to])).toEqual([
      ['advance', 'customer'],
      ['churn', 'churned'],
    ]);
  });

  it('with a zero-day pause, the record returns to Nurturing at once and the activity of that instant moves it no further', () => {
    const doc = defaultDocument();
    doc.recycle[0].pauseDays = 0;
    const zeroPause = compileModelOrThrow(doc);
    const at = daysAgo(2);
    const d = run(
      inStage('mql', daysAgo(10)),
      facts({ properties: { hs_lead_status: 'BAD_TIMING' }, propertyChangedAt: { hs_lead_status: daysAgo(20) }, events: [bookedMeeting(at)] }),
      NOW,
      zeroPause,
    );
    expect(d.steps.map((s) => [s.kind, s.to, s.at])).toEqual([
      ['advance', 'appointment', at],
      ['recycle', 'recycle_a', at],
      ['return', 'nurturing', at],
    ]);
    expect(d.state.marketingPausedUntil).toBeNull();
  });

  it('rules that chase each other through a recycle (a property Fastpass into the stage a property recycles from) recycle once and settle', () => {
    const doc = defaultDocument();
    doc.fastpass.push({ id: 'vip', to: 'appointment', when: { property: 'vip', op: 'equals', value: 'yes' }, reason: 'VIP' });
    const chasing = compileModelOrThrow(doc);
    const f = facts({ properties: { vip: 'yes', hs_lead_status: 'BAD_TIMING' }, propertyChangedAt: { vip: daysAgo(5), hs_lead_status: daysAgo(5) } });
    const d = run(inStage('nurturing', daysAgo(10)), f, NOW, chasing);
    expect(d.steps.filter((s) => s.kind === 'recycle')).toEqual([expect.objectContaining({ to: 'recycle_a', at: daysAgo(5) })]);
    expect(d.state.recycleCount).toBe(1);
    const ids = ledgerEntries(d).map((e) => e.transitionId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(run(d.state, f, NOW, chasing)).toMatchObject({ steps: [], effects: [] });
  });

  it('two deals lost at the same instant name the same lost deal whatever order they are read in', () => {
    const at = daysAgo(1);
    const a = lostDeal(at, 'D-8', 'price');
    const b = lostDeal(at, 'D-3', 'timing');
    const one = run(inStage('opportunity', daysAgo(10)), facts({ events: [a, b] }));
    const other = run(inStage('opportunity', daysAgo(10)), facts({ events: [b, a] }));
    expect(one).toEqual(other);
    expect(one.state.lastRecycle).toMatchObject({ lostDealId: 'D-3', reason: 'timing' });
  });
});
