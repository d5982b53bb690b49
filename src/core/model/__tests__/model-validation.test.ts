import { evaluate } from '../../engine/evaluate';
import { decideCommand } from '../../engine/commands';
import { initialState } from '../../engine/state';
import { DAY_MS } from '../../engine/time';
import { compileModelOrThrow, formatIssuePath, parseModel } from '../compile-model';
import { defaultModel, defaultModelDocument } from '../default-model';

/** A fresh, mutable copy of the default model document. */
const doc = (): Record<string, any> => structuredClone(defaultModelDocument) as Record<string, any>;

/** The errors of a model that must be rejected. */
function errorsOf(input: unknown): string[] {
  const result = parseModel(input);
  if (result.ok) throw new Error('expected the model to be rejected, but it compiled');
  return result.errors;
}

/** Index of a stage in the default document, so tests name stages rather than positions. */
const stageIndex = (d: Record<string, any>, id: string): number => {
  const i = (d.stages as Array<{ id: string }>).findIndex((s) => s.id === id);
  if (i < 0) throw new Error(`no stage ${id}`);
  return i;
};

const NOW = Date.UTC(2026, 2, 1, 12);

describe('the default lifecycle model', () => {
  const model = defaultModel();

  it('parses and compiles without errors', () => {
    const result = parseModel(defaultModelDocument);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('has the seven success-path stages of the literature, in order', () => {
    expect(model.pathStages.map((s) => s.id)).toEqual(['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity', 'customer', 'expand']);
  });

  it('has the detours as first-class stages: Recycle A/B, Dead end and Churned', () => {
    const kinds = Object.fromEntries(model.stages.filter((s) => s.kind !== 'path').map((s) => [s.id, s.kind]));
    expect(kinds).toEqual({ recycle_a: 'recycle', recycle_b: 'recycle', dead_end: 'dead_end', churned: 'churned' });
  });

  it('treats Customer and Expand as customer stages, which can never be dead-ended', () => {
    expect([...model.customerStages]).toEqual(['customer', 'expand']);
    expect([...model.deadEnd.from]).toEqual(['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity']);
  });

  it('compiles a Fastpass that ends a recycle detour, recording the path stages the record never re-entered', () => {
    const fromRecycleB = model.rulesFrom.get('recycle_b')?.find((r) => r.id === 'deal_opened_early');
    expect(fromRecycleB).toMatchObject({ to: 'opportunity', kind: 'fastpass', skipped: ['nurturing', 'mql', 'appointment'] });
  });

  it('names the kind of each stage rule from where it leads: advance, fastpass or win-back', () => {
    const kindOf = (from: string, id: string) => model.rulesFrom.get(from)?.find((r) => r.id === id)?.kind;
    expect(kindOf('lead_acquired', 'lead_acquired_to_nurturing')).toBe('advance');
    expect(kindOf('lead_acquired', 'quote_request')).toBe('fastpass');
    expect(kindOf('mql', 'quote_request')).toBeUndefined(); // a Fastpass only applies before its target
    expect(kindOf('churned', 'win_back_deal')).toBe('win_back');
  });
});

describe('a broken model is rejected with the exact path of each problem', () => {
  it('a transition to an unknown stage names the stage and where it was declared', () => {
    const d = doc();
    d.stages[3].transitions[0].to = 'nurture';
    expect(errorsOf(d)).toEqual(['stages[3].transitions[0].to: unknown stage "nurture"']);
  });

  it('a transition out of the dead end is rejected: Dead end is terminal', () => {
    const d = doc();
    const i = stageIndex(d, 'dead_end');
    d.stages[i].transitions = [{ to: 'nurturing', when: { event: 'page_viewed' }, reason: 'Came back' }];
    expect(errorsOf(d)).toEqual([`stages[${i}].transitions: Dead end is terminal: no rule may leave it (only an explicit admin reopen)`]);
  });

  it('a backward path transition is rejected: going back is a recycle rule', () => {
    const d = doc();
    const i = stageIndex(d, 'appointment');
    d.stages[i].transitions[0].to = 'nurturing';
    expect(errorsOf(d)).toEqual([`stages[${i}].transitions[0].to: "nurturing" is earlier on the path than "appointment": backward moves are recycle rules`]);
  });

  it('a stage transition into a detour must be declared as that detour rule', () => {
    const d = doc();
    d.stages[0].transitions.push(
      { to: 'recycle_a', when: { event: 'page_viewed' }, reason: 'x' },
      { to: 'dead_end', when: { event: 'page_viewed' }, reason: 'x' },
      { to: 'churned', when: { event: 'page_viewed' }, reason: 'x' },
      { to: 'lead_acquired', when: { event: 'page_viewed' }, reason: 'x' },
    );
    expect(errorsOf(d)).toEqual([
      'stages[0].transitions[1].to: "recycle_a" is a recycle stage: declare a recycle rule instead',
      'stages[0].transitions[2].to: "dead_end" is the dead end: declare a deadEnd rule instead',
      'stages[0].transitions[3].to: "churned" is the churned stage: declare the churn rule instead',
      'stages[0].transitions[4].to: a transition cannot lead back to its own stage "lead_acquired"',
    ]);
  });

  it('an unknown dead-end reason code in a rule is rejected', () => {
    const d = doc();
    d.deadEnd.rules[0].reason = 'kid';
    expect(errorsOf(d)).toEqual(['deadEnd.rules[0].reason: unknown dead-end reason "kid"']);
  });

  it("a recycle rule's default reason must be one of its own reason codes", () => {
    const d = doc();
    d.recycle[1].defaultReason = 'stalled'; // a Recycle A code, not a Recycle B one
    expect(errorsOf(d)).toEqual([`recycle[1].defaultReason: "stalled" is not one of the rule's reasons`]);
  });

  it('duplicate reason codes are rejected', () => {
    const d = doc();
    d.deadEnd.reasons.push({ code: 'student', label: 'Pupil' });
    expect(errorsOf(d)).toEqual(['deadEnd.reasons[6].code: duplicate reason code "student"']);
  });

  it('health weights that do not sum to 100 are rejected with the actual sum', () => {
    const d = doc();
    d.health.weights.upsell = 10;
    expect(errorsOf(d)).toEqual(['health.weights: weights must sum to 100, not 105']);
  });

  it('health bands must put "at risk" below "healthy"', () => {
    const d = doc();
    d.health.bands = { healthy: 60, atRisk: 60 };
    expect(errorsOf(d)).toEqual(['health.bands.atRisk: must be below bands.healthy (60)']);
  });

  it('a nativeStage that is not one of the portal lifecyclestage options is rejected', () => {
    const d = doc();
    d.stages[0].nativeStage = 'prospect';
    expect(errorsOf(d)).toEqual(['stages[0].nativeStage: "prospect" is not in native.order']);
  });

  it('a mistake deep inside a criterion is reported at its own path', () => {
    const d = doc();
    d.stages[0].transitions[0].when.any[1].atLeast = 0;
    expect(errorsOf(d)).toEqual(['stages[0].transitions[0].when.any[1].atLeast: Too small: expected number to be >=1']);
  });

  it('something that is not a criterion at all lists the criterion shapes', () => {
    const d = doc();
    d.stages[1].transitions[0].when = { score: 100 };
    const [error] = errorsOf(d);
    expect(error).toMatch(/^stages\[1\]\.transitions\[0\]\.when\.score: /);
    d.stages[1].transitions[0].when = { eventually: 'mql' };
    expect(errorsOf(d)).toEqual(['stages[1].transitions[0].when: expected a criterion object with one of: all, any, not, property, event, score, inStageForDays']);
  });

  it('stage ids must be stable lower-case slugs, and unique', () => {
    const d = doc();
    d.stages[1].label = 'Nurturing';
    d.stages[6].id = 'Expand';
    expect(errorsOf(d)).toEqual(['stages[6].id: use 1-64 lower-case letters, digits or "_", starting with a letter']);

    const dup = doc();
    dup.stages[7].id = 'recycle_b';
    expect(errorsOf(dup)).toContain('stages[8].id: duplicate stage id "recycle_b"');
  });

  it('two path stages cannot share an order', () => {
    const d = doc();
    d.stages[2].order = 2;
    expect(errorsOf(d)).toEqual(['stages[2].order: order 2 is already used by path stage "nurturing"']);
  });

  it('a Fastpass must lead forward to a path stage', () => {
    const d = doc();
    d.fastpass[0].to = 'recycle_a';
    d.fastpass[1].from = ['opportunity'];
    expect(errorsOf(d)).toEqual([
      'fastpass[0].to: stage "recycle_a" is a recycle stage; expected a path stage',
      'fastpass[1].from[0]: "opportunity" is not before "appointment" on the path',
    ]);
  });

  it('customers are never recycled or dead-ended: churn handles them', () => {
    const d = doc();
    d.recycle[0].from = ['customer'];
    d.deadEnd.from = ['nurturing', 'expand'];
    expect(errorsOf(d)).toEqual([
      'recycle[0].from[0]: "customer" is a customer stage; churn handles lost customers',
      'deadEnd.from[1]: "expand" is a customer stage: customers are never dead-ended',
    ]);
  });

  it('a recycle stage without a recycle rule leading into it is rejected', () => {
    const d = doc();
    d.recycle = [d.recycle[0]];
    expect(errorsOf(d)).toEqual([`stages[${stageIndex(d, 'recycle_b')}].kind: recycle stage "recycle_b" has no recycle rule leading into it`]);
  });

  it('unknown keys and wrong versions are rejected by the schema, all problems at once', () => {
    const d = doc();
    d.version = 2;
    d.stages[0].colour = 'red';
    expect(errorsOf(d)).toEqual(['version: Invalid input: expected 1', 'stages[0]: Unrecognized key: "colour"']);
  });

  it('compileModelOrThrow lists every problem in its error', () => {
    const d = doc();
    d.stages[3].transitions[0].to = 'nurture';
    d.health.weights.upsell = 0;
    expect(() => compileModelOrThrow(d)).toThrow('invalid lifecycle model:\n  stages[3].transitions[0].to: unknown stage "nurture"\n  health.weights: weights must sum to 100, not 95');
  });

  it('formats issue paths the way an admin reads them', () => {
    expect(formatIssuePath(['stages', 3, 'transitions', 0, 'to'])).toBe('stages[3].transitions[0].to');
    expect(formatIssuePath([])).toBe('');
  });
});

describe('a portal with its own stages', () => {
  /**
   * Four path stages, custom numeric lifecyclestage ids (HubSpot gives custom options numeric internal values),
   * no recycle detour and no churn.
   */
  const customDoc = () => ({
    version: 1,
    name: 'Four-stage portal',
    native: { order: ['subscriber', 'lead', '153180554', 'customer', 'other'], sync: 'always' },
    entry: { stage: 'prospect', when: { property: 'email', op: 'exists' }, reason: 'Email known' },
    stages: [
      {
        id: 'prospect',
        label: 'Prospect',
        kind: 'path',
        order: 1,
        nativeStage: 'subscriber',
        transitions: [{ to: 'engaged', when: { event: 'email_clicked' }, reason: 'Clicked' }],
      },
      {
        id: 'engaged',
        label: 'Engaged',
        kind: 'path',
        order: 2,
        nativeStage: 'lead',
        transitions: [{ to: 'sales_ready', when: { score: { property: 'fit_score', gte: 40 } }, reason: 'Fit score 40+' }],
      },
      { id: 'sales_ready', label: 'Sales ready', kind: 'path', order: 3, nativeStage: '153180554' },
      { id: 'client', label: 'Client', kind: 'path', order: 4, nativeStage: 'customer' },
      { id: 'disqualified', label: 'Disqualified', kind: 'dead_end', order: 9, nativeStage: 'other' },
    ],
    fastpass: [{ id: 'won', to: 'client', when: { event: 'deal_won' }, reason: 'Won' }],
    deadEnd: { stage: 'disqualified', reasons: [{ code: 'spam', label: 'Spam' }] },
    health: {
      weights: {
        stageProgress: 40,
        velocity: 0,
        slaBreaches: 0,
        engagementRecency: 20,
        deals: 40,
        recycledAndDeadEnd: 0,
        churnSignals: 0,
        satisfaction: 0,
        upsell: 0,
      },
      bands: { healthy: 75, atRisk: 50 },
    },
  });

  it('compiles', () => {
    const result = parseModel(customDoc());
    expect(result.ok ? result.model.pathStages.map((s) => s.id) : result.errors).toEqual(['prospect', 'engaged', 'sales_ready', 'client']);
  });

  it('moves a record along its path and writes the custom numeric lifecyclestage id forward', () => {
    const model = compileModelOrThrow(customDoc());
    const createdAt = NOW - 10 * DAY_MS;
    const decision = evaluate(
      initialState('contact', '7'),
      {
        properties: { email: 'a@b.test', fit_score: '55', lifecyclestage: 'lead' },
        propertyChangedAt: { fit_score: NOW - 2 * DAY_MS },
        events: [{ type: 'email_clicked', at: NOW - 5 * DAY_MS }],
        createdAt,
      },
      model,
      NOW,
    );
    expect(decision.steps.map((s) => [s.kind, s.to, s.at])).toEqual([
      ['enter', 'prospect', createdAt],
      ['advance', 'engaged', NOW - 5 * DAY_MS],
      ['advance', 'sales_ready', NOW - 2 * DAY_MS],
    ]);
    expect(decision.effects).toContainEqual({ type: 'set_native_stage', property: 'lifecyclestage', value: '153180554', clearFirst: false });
  });

  it('records a Fastpass over its custom stages as a skip', () => {
    const model = compileModelOrThrow(customDoc());
    const decision = evaluate(
      { ...initialState('contact', '7'), stage: 'engaged', enteredAt: NOW - 30 * DAY_MS },
      { properties: {}, events: [{ type: 'deal_won', at: NOW - DAY_MS }] },
      model,
      NOW,
    );
    expect(decision.steps).toEqual([expect.objectContaining({ from: 'engaged', to: 'client', kind: 'fastpass', skipped: ['sales_ready'] })]);
  });

  it('without a churn rule, every path stage can be dead-ended by an admin', () => {
    const model = compileModelOrThrow(customDoc());
    const decision = decideCommand(
      { ...initialState('contact', '7'), stage: 'client', enteredAt: NOW - DAY_MS },
      { properties: {}, events: [] },
      { type: 'dead_end', reason: 'spam' },
      model,
      NOW,
    );
    expect(decision.refusal).toBeNull();
    expect(decision.state).toMatchObject({ stage: 'disqualified', deadEndReason: 'spam' });
  });
});
