import { decideCommand, type Command } from '../commands';
import { evaluate } from '../evaluate';
import { clickedEmail, createdDeal, days, daysAgo, effectsOf, facts, inStage, ledgerEntries, model, newContact, NOW, recycled, run, viewedPage } from './builders';
import type { LifecycleState } from '../state';
import type { Facts } from '../facts';

const command = (state: LifecycleState, cmd: Command, f: Facts = facts(), actor: string | null = 'user:9') => decideCommand(state, f, cmd, model, NOW, actor);

const deadEnded = (reason = 'student') => inStage('dead_end', daysAgo(30), { deadEndReason: reason, previousStage: 'nurturing', lastTransitionKind: 'dead_end' });

describe('admin command: dead end', () => {
  it('an admin dead-ends a nurturing lead with a reason; the ledger row says who did it', () => {
    const d = command(inStage('nurturing', daysAgo(10)), { type: 'dead_end', reason: 'not_a_fit' });
    expect(d.refusal).toBeNull();
    expect(d.steps).toEqual([
      expect.objectContaining({
        from: 'nurturing',
        to: 'dead_end',
        kind: 'dead_end',
        at: NOW,
        ruleId: 'admin_dead_end',
        reasonCode: 'not_a_fit',
        reason: 'Dead end: Can never be a fit',
        evidence: ['admin command'],
      }),
    ]);
    expect(d.state.deadEndReason).toBe('not_a_fit');
    expect(ledgerEntries(d)).toEqual([expect.objectContaining({ kind: 'dead_end', source: 'command', actor: 'user:9', occurredAt: NOW })]);
  });

  it('is refused for a customer, saying why', () => {
    const d = command(inStage('customer', daysAgo(10)), { type: 'dead_end', reason: 'student' });
    expect(d.refusal).toBe('Customer is a customer stage: customers are never marked dead end (churn handles lost customers).');
    expect(d).toMatchObject({ kind: 'none', steps: [], effects: [] });
    expect(d.state.stage).toBe('customer');
  });

  it('is refused for a churned customer too', () => {
    expect(command(inStage('churned', daysAgo(10)), { type: 'dead_end', reason: 'student' }).refusal).toMatch(/customer stage/);
  });

  it('is refused with an unknown reason, listing the known ones', () => {
    const d = command(inStage('nurturing', daysAgo(10)), { type: 'dead_end', reason: 'rude' });
    expect(d.refusal).toBe('Unknown dead-end reason "rude"; use one of: student, competitor, retired, invalid, not_a_fit, do_not_contact.');
  });

  it('is refused when the record already is a dead end', () => {
    expect(command(deadEnded(), { type: 'dead_end', reason: 'retired' }).refusal).toBe('Already a dead end (student).');
  });

  it('a dead-ended record stays there whatever happens next', () => {
    const d = command(inStage('nurturing', daysAgo(10)), { type: 'dead_end', reason: 'do_not_contact' });
    const later = run(d.state, facts({ properties: { hubspotscore: '400' }, events: [createdDeal(NOW), viewedPage(NOW)] }), NOW + days(5));
    expect(later).toMatchObject({ kind: 'none', steps: [], effects: [] });
  });
});

describe('admin command: reopen, the only way out of the dead end', () => {
  it('reopens to Lead acquired by default and forgets the dead-end reason', () => {
    const d = command(deadEnded('do_not_contact'), { type: 'reopen' });
    expect(d.refusal).toBeNull();
    expect(d.steps).toEqual([expect.objectContaining({ from: 'dead_end', to: 'lead_acquired', kind: 'reopen', at: NOW, reason: 'Reopened from dead end (do_not_contact)' })]);
    expect(d.state).toMatchObject({ stage: 'lead_acquired', deadEndReason: null, enteredAt: NOW, previousStage: 'dead_end' });
  });

  it('reopens to a chosen path stage', () => {
    expect(command(deadEnded(), { type: 'reopen', to: 'mql' }).state.stage).toBe('mql');
  });

  it('refuses a target that is not on the path', () => {
    expect(command(deadEnded(), { type: 'reopen', to: 'recycle_a' }).refusal).toBe('"recycle_a" is not a stage on the path.');
  });

  it('refuses to reopen a record that is not a dead end', () => {
    expect(command(inStage('mql', daysAgo(1)), { type: 'reopen' }).refusal).toBe('Only a dead-end record can be reopened.');
  });

  it("an admin's reopen sticks: the job title that dead-ended a student does not send the record straight back", () => {
    const student = facts({ properties: { email: 'sam@uni.test', jobtitle: 'Student' }, events: [clickedEmail(daysAgo(40))] });
    const reopened = command(inStage('dead_end', daysAgo(30), { deadEndReason: 'student' }), { type: 'reopen' }, student);
    expect(reopened.steps.map((s) => s.kind)).toEqual(['reopen']);
    expect(reopened.state).toMatchObject({ stage: 'lead_acquired', deadEndRulesWaived: true });
    const later = evaluate(reopened.state, { ...student, events: [clickedEmail(NOW + 1000)] }, model, NOW + 2000);
    expect(later.steps.map((s) => [s.kind, s.to])).toEqual([['advance', 'nurturing']]);
    expect(decideCommand(later.state, student, { type: 'dead_end', reason: 'student' }, model, NOW + 3000, 'user:9').state.stage).toBe('dead_end');
  });

  it('after a reopen, only activity from the reopen on counts', () => {
    const f = facts({ events: [clickedEmail(daysAgo(20))] });
    const d = command(inStage('dead_end', daysAgo(30), { deadEndReason: 'invalid' }), { type: 'reopen' }, f);
    expect(d.steps.map((s) => s.kind)).toEqual(['reopen']);
  });
});

describe('admin command: fastpass', () => {
  it('fastpasses a nurturing lead to Opportunity, recording MQL and Appointment as skipped', () => {
    const d = command(inStage('nurturing', daysAgo(10)), { type: 'fastpass', to: 'opportunity' });
    expect(d.steps).toEqual([
      expect.objectContaining({ from: 'nurturing', to: 'opportunity', kind: 'fastpass', ruleId: 'admin_fastpass', skipped: ['mql', 'appointment'], reason: 'Fastpass to Opportunity' }),
    ]);
    expect(d.skipped).toEqual(['mql', 'appointment']);
  });

  it('to the very next stage, it is an ordinary advance', () => {
    expect(command(inStage('nurturing', daysAgo(10)), { type: 'fastpass', to: 'mql' }).steps[0]).toMatchObject({ kind: 'advance', skipped: [] });
  });

  it('out of a recycle detour, it skips from where the detour returns', () => {
    const d = command(recycled('recycle_b', daysAgo(10)), { type: 'fastpass', to: 'appointment' });
    expect(d.steps[0]).toMatchObject({ from: 'recycle_b', to: 'appointment', kind: 'fastpass', skipped: ['nurturing', 'mql'] });
    expect(effectsOf(d, 'release_marketing_pause')).toHaveLength(1);
  });

  it('from Churned, it is a win-back that bypasses nothing, exactly like the win-back rule', () => {
    const byCommand = command(inStage('churned', daysAgo(10)), { type: 'fastpass', to: 'opportunity' });
    const byRule = run(inStage('churned', daysAgo(10)), facts({ events: [createdDeal(daysAgo(1))] }));
    expect(byCommand.steps[0]).toMatchObject({ kind: 'win_back', to: 'opportunity', skipped: [] });
    expect(byRule.steps[0]).toMatchObject({ kind: 'win_back', to: 'opportunity', skipped: [] });
  });

  it('refuses to go backwards', () => {
    const d = command(inStage('appointment', daysAgo(10)), { type: 'fastpass', to: 'nurturing' });
    expect(d.refusal).toBe('Nurturing is not after Appointment: Fastpass only moves forward (use recycle to go back).');
    expect(d.state.stage).toBe('appointment');
  });

  it('out of a recycle detour, refuses a stage before the one the detour returns to (the card never offers it)', () => {
    expect(command(recycled('recycle_b', daysAgo(10)), { type: 'fastpass', to: 'lead_acquired' }).refusal).toBe(
      'Lead acquired is before Nurturing, where Recycle B returns: Fastpass only moves forward.',
    );
  });

  it('refuses the stage the record is already in', () => {
    expect(command(inStage('mql', daysAgo(1)), { type: 'fastpass', to: 'mql' }).refusal).toBe('MQL is not after MQL: Fastpass only moves forward (use recycle to go back).');
  });

  it('refuses an unknown stage and a stage off the path', () => {
    expect(command(inStage('mql', daysAgo(1)), { type: 'fastpass', to: 'sql' }).refusal).toBe('"sql" is not a stage on the path.');
    expect(command(inStage('mql', daysAgo(1)), { type: 'fastpass', to: 'dead_end' }).refusal).toBe('"dead_end" is not a stage on the path.');
  });

  it('refuses to move a dead end', () => {
    expect(command(deadEnded(), { type: 'fastpass', to: 'customer' }).refusal).toBe('Dead end is terminal: reopen the record first.');
  });
});

describe('admin command: recycle', () => {
  it('picks the rule by reason code: "bad_timing" at Appointment is a Recycle A with its 30-day pause', () => {
    const d = command(inStage('appointment', daysAgo(10)), { type: 'recycle', reason: 'bad_timing' });
    expect(d.refusal).toBeNull();
    expect(d.steps).toEqual([expect.objectContaining({ from: 'appointment', to: 'recycle_a', kind: 'recycle', ruleId: 'recycle_a', reasonCode: 'bad_timing', at: NOW, lostDealId: null })]);
    expect(d.state).toMatchObject({ marketingPausedUntil: NOW + days(30), lastRecycle: { reason: 'bad_timing', fromStage: 'appointment', at: NOW } });
    expect(effectsOf(d, 'pause_marketing')).toEqual([{ type: 'pause_marketing', until: NOW + days(30), reason: 'bad_timing' }]);
    expect(d.wakeAt).toBe(NOW + days(30));
  });

  it('"price" at Opportunity is a Recycle B with its 90-day pause', () => {
    const d = command(inStage('opportunity', daysAgo(10)), { type: 'recycle', reason: 'price' });
    expect(d.state).toMatchObject({ stage: 'recycle_b', marketingPausedUntil: NOW + days(90) });
  });

  it('the reason decides the rule even from a stage neither rule starts from', () => {
    expect(command(inStage('mql', daysAgo(10)), { type: 'recycle', reason: 'no_budget' }).state.stage).toBe('recycle_b');
    expect(command(inStage('mql', daysAgo(10)), { type: 'recycle', reason: 'not_decision_maker' }).state.stage).toBe('recycle_a');
  });

  it('an explicit rule id must accept the reason', () => {
    const d = command(inStage('appointment', daysAgo(10)), { type: 'recycle', reason: 'price', ruleId: 'recycle_a' });
    expect(d.refusal).toBe('Unknown reason "price" for Recycle A (stalled at Appointment); use one of: stalled, bad_timing, no_budget_yet, not_decision_maker.');
  });

  it('refuses customers: customers churn, they are not recycled', () => {
    expect(command(inStage('expand', daysAgo(10)), { type: 'recycle', reason: 'price' }).refusal).toBe('Expand is a customer stage: customers churn, they are not recycled.');
  });

  it('refuses dead ends', () => {
    expect(command(deadEnded(), { type: 'recycle', reason: 'stalled' }).refusal).toBe('Dead end is terminal: reopen the record before recycling it.');
  });

  it('refuses a record that is already recycled', () => {
    expect(command(recycled('recycle_a', daysAgo(3)), { type: 'recycle', reason: 'price' }).refusal).toBe(`Already in Recycle A since ${new Date(daysAgo(3)).toISOString()}.`);
  });

  it('refuses a record outside the lifecycle', () => {
    const d = command(newContact(), { type: 'recycle', reason: 'price' }, facts({ properties: { email: null } }));
    expect(d.refusal).toBe('The record is not in the lifecycle yet, so there is nothing to recycle.');
  });

  it('refuses a reason no rule knows', () => {
    expect(command(inStage('opportunity', daysAgo(10)), { type: 'recycle', reason: 'aliens' }).refusal).toBe(
      'Unknown reason "aliens" for Recycle B (deal lost at Opportunity); use one of: lost_to_competitor, no_budget, no_decision, price, timing, other.',
    );
  });
});

describe('commands first bring the record up to date with its facts', () => {
  it('a command on a stale record is applied after the moves the facts already justify', () => {
    const d = command(inStage('nurturing', daysAgo(30)), { type: 'recycle', reason: 'price' }, facts({ events: [createdDeal(daysAgo(5))] }));
    expect(d.steps.map((s) => [s.kind, s.to])).toEqual([
      ['fastpass', 'opportunity'],
      ['recycle', 'recycle_b'],
    ]);
    expect(ledgerEntries(d).map((e) => [e.source, e.actor])).toEqual([
      ['rules', null],
      ['command', 'user:9'],
    ]);
  });

  it('a refused command still carries the catch-up moves', () => {
    const d = command(inStage('opportunity', daysAgo(30)), { type: 'dead_end', reason: 'student' }, facts({ events: [{ type: 'deal_won', at: daysAgo(1) }] }));
    expect(d.refusal).toMatch(/^Customer is a customer stage/);
    expect(d.steps.map((s) => s.to)).toEqual(['customer']);
    expect(d.state.stage).toBe('customer');
  });
});
