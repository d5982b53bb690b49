import { compileModelOrThrow } from '../../model/compile-model';
import {
  bookedMeeting,
  clickedEmail,
  createdDeal,
  days,
  daysAgo,
  defaultDocument,
  effectsOf,
  facts,
  inStage,
  ledgerEntries,
  lostDeal,
  newContact,
  NOW,
  recycled,
  run,
  submittedForm,
  viewedPage,
  wonDeal,
  writtenProperties,
} from './builders';

const withSync = (sync: 'always' | 'forward_only' | 'off') => {
  const doc = defaultDocument();
  doc.native.sync = sync;
  return compileModelOrThrow(doc);
};

describe("HubSpot's own lifecyclestage follows our stage", () => {
  it('a forward move sets the native stage without clearing it', () => {
    const d = run(inStage('nurturing', daysAgo(9)), facts({ properties: { lifecyclestage: 'lead' }, events: [submittedForm(daysAgo(1), 'contact_us')] }));
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'marketingqualifiedlead', clearFirst: false }]);
  });

  it('a record with no native stage yet gets one without a clear', () => {
    const d = run(newContact(), facts());
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'subscriber', clearFirst: false }]);
  });

  it('a native stage that already matches is not written again', () => {
    const d = run(recycled('recycle_a', daysAgo(40)), facts({ properties: { lifecyclestage: 'lead' } }));
    expect(d.state.stage).toBe('nurturing');
    expect(effectsOf(d, 'set_native_stage')).toEqual([]);
  });

  it('a backward move (recycle from Opportunity to native "lead") is a clear, then a set', () => {
    const d = run(inStage('opportunity', daysAgo(9)), facts({ properties: { lifecyclestage: 'opportunity' }, events: [lostDeal(daysAgo(1))] }));
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'lead', clearFirst: true }]);
  });

  it('a native value the model does not know (a custom stage) may be ahead, so it is cleared first', () => {
    const d = run(inStage('lead_acquired', daysAgo(9)), facts({ properties: { lifecyclestage: '153180554' }, events: [clickedEmail(daysAgo(1))] }));
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'lead', clearFirst: true }]);
  });

  it("with sync 'forward_only' the backward write is suppressed, but our own properties still move", () => {
    const d = run(inStage('opportunity', daysAgo(9)), facts({ properties: { lifecyclestage: 'opportunity' }, events: [lostDeal(daysAgo(1))] }), NOW, withSync('forward_only'));
    expect(d.state.stage).toBe('recycle_b');
    expect(effectsOf(d, 'set_native_stage')).toEqual([]);
    expect(writtenProperties(d)['lc_stage']).toBe('recycle_b');
  });

  it("with sync 'forward_only' a forward move is still written", () => {
    const d = run(inStage('mql', daysAgo(9)), facts({ properties: { lifecyclestage: 'marketingqualifiedlead' }, events: [bookedMeeting(daysAgo(1))] }), NOW, withSync('forward_only'));
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'salesqualifiedlead', clearFirst: false }]);
  });

  it("with sync 'off' the native stage is never written", () => {
    const d = run(inStage('mql', daysAgo(9)), facts({ events: [bookedMeeting(daysAgo(1))] }), NOW, withSync('off'));
    expect(d.state.stage).toBe('appointment');
    expect(effectsOf(d, 'set_native_stage')).toEqual([]);
  });

  it('several moves in one decision write the native stage once, for where the record ends', () => {
    const d = run(newContact(), facts({ events: [clickedEmail(daysAgo(30)), submittedForm(daysAgo(20), 'demo_request')] }));
    expect(effectsOf(d, 'set_native_stage')).toEqual([{ type: 'set_native_stage', property: 'lifecyclestage', value: 'marketingqualifiedlead', clearFirst: false }]);
  });
});

describe('the effects of a decision', () => {
  it('every move becomes one append-only ledger row, with a transition id stable across re-reads', () => {
    const d = run(newContact('contact', '555'), facts({ createdAt: daysAgo(50), events: [clickedEmail(daysAgo(40)), createdDeal(daysAgo(10), 'D-1')] }));
    expect(ledgerEntries(d)).toEqual([
      expect.objectContaining({
        transitionId: `contact:555:${daysAgo(50)}:none>lead_acquired`,
        fromStage: null,
        toStage: 'lead_acquired',
        kind: 'enter',
        occurredAt: daysAgo(50),
        source: 'rules',
        actor: null,
      }),
      expect.objectContaining({ transitionId: `contact:555:${daysAgo(40)}:lead_acquired>nurturing`, kind: 'advance', ruleId: 'lead_acquired_to_nurturing' }),
      expect.objectContaining({
        transitionId: `contact:555:${daysAgo(10)}:nurturing>opportunity`,
        kind: 'fastpass',
        skipped: ['mql', 'appointment'],
        ruleId: 'deal_opened_early',
        evidence: ['deal_created (dealId=D-1) at 2026-02-19T12:00:00.000Z'],
      }),
    ]);
  });

  it('our lc_* properties are written once, from the final state', () => {
    const d = run(inStage('appointment', daysAgo(60)), facts());
    expect(writtenProperties(d)).toEqual({
      lc_stage: 'recycle_a',
      lc_stage_entered_at: new Date(daysAgo(15)).toISOString(),
      lc_previous_stage: 'appointment',
      lc_last_transition_kind: 'recycle',
      lc_recycle_reason: 'stalled',
      lc_recycle_count: '1',
      lc_marketing_paused_until: new Date(daysAgo(15) + days(30)).toISOString(),
      lc_dead_end_reason: '',
    });
  });

  it('a record at rest produces no effects at all', () => {
    const d = run(inStage('mql', daysAgo(1)), facts({ events: [clickedEmail(daysAgo(5))] }));
    expect(d).toMatchObject({ kind: 'none', from: 'mql', to: 'mql', steps: [], reasons: [], effects: [], skipped: [], refusal: null });
  });
});

describe('wake-ups: the next instant a time-based rule can fire without new facts', () => {
  it('in Appointment, the stall deadline (45 days after entering)', () => {
    expect(run(inStage('appointment', daysAgo(10)), facts()).wakeAt).toBe(daysAgo(10) + days(45));
  });

  it('after moving into Appointment in this decision, the deadline counts from that move', () => {
    const d = run(inStage('mql', daysAgo(10)), facts({ events: [bookedMeeting(daysAgo(4))] }));
    expect(d.wakeAt).toBe(daysAgo(4) + days(45));
  });

  it('while a recycle pause runs, the pause end', () => {
    expect(run(recycled('recycle_a', daysAgo(10)), facts()).wakeAt).toBe(daysAgo(10) + days(30));
  });

  it('nothing time-based elsewhere on the path', () => {
    for (const stage of ['lead_acquired', 'nurturing', 'mql', 'opportunity', 'customer', 'expand', 'churned', 'dead_end']) {
      expect([stage, run(inStage(stage, daysAgo(10)), facts()).wakeAt]).toEqual([stage, null]);
    }
  });

  it('waking at the reported instant makes the time-based move happen then', () => {
    const state = inStage('appointment', daysAgo(10));
    const asleep = run(state, facts());
    const awake = run(state, facts(), asleep.wakeAt!);
    expect(awake.steps).toEqual([expect.objectContaining({ to: 'recycle_a', at: asleep.wakeAt })]);
  });
});

describe('replay: the facts decide, not the order they were read in', () => {
  const history = [
    clickedEmail(daysAgo(200)),
    submittedForm(daysAgo(190), 'demo_request'),
    bookedMeeting(daysAgo(185)),
    createdDeal(daysAgo(180), 'D-1'),
    lostDeal(daysAgo(150), 'D-1', 'price'),
    viewedPage(daysAgo(100)),
    createdDeal(daysAgo(30), 'D-2'),
    wonDeal(daysAgo(10), 'D-2'),
  ];

  it('events given out of order are replayed in time order', () => {
    const inOrder = run(newContact(), facts({ createdAt: daysAgo(300), events: history }));
    const shuffled = run(newContact(), facts({ createdAt: daysAgo(300), events: [history[6]!, history[2]!, history[7]!, history[0]!, history[4]!, history[1]!, history[5]!, history[3]!] }));
    expect(shuffled).toEqual(inOrder);
    expect(inOrder.steps.map((s) => s.to)).toEqual(['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity', 'recycle_b', 'nurturing', 'opportunity', 'customer']);
  });

  it('re-evaluating the resulting state with the same facts decides nothing new', () => {
    const f = facts({ createdAt: daysAgo(300), events: history });
    const first = run(newContact(), f);
    const again = run(first.state, f);
    expect(again).toMatchObject({ kind: 'none', steps: [], effects: [], state: first.state });
  });

  it('reading the facts in two halves ends where reading them at once does', () => {
    const f = facts({ createdAt: daysAgo(300), events: history });
    const atOnce = run(newContact(), f);
    const halfway = run(newContact(), f, daysAgo(120));
    const rest = run(halfway.state, f);
    expect(rest.state).toEqual(atOnce.state);
    expect([...halfway.steps, ...rest.steps]).toEqual(atOnce.steps);
  });
});
