import type { AllowedActions, StageRef, TimeInStage } from '../../../contracts/card-api';
import { suggestedAction } from '../suggested-action';

const stage = (id: string, kind: StageRef['kind'] = 'path'): StageRef => ({ id, label: id.toUpperCase(), kind });
const within: TimeInStage = { days: 1, sla: { days: 3, status: 'within' } };
const breached: TimeInStage = { days: 5, sla: { days: 3, status: 'breached' } };
const noSla: TimeInStage = { days: 5, sla: null };
const allowed = (overrides: Partial<AllowedActions> = {}): AllowedActions => ({
  recycleReasons: [{ code: 'stalled', label: 'Stalled' }],
  deadEndReasons: [{ code: 'student', label: 'Student' }],
  fastpassTargets: [stage('opportunity'), stage('customer')],
  ...overrides,
});

describe('the one action the sidebar suggests', () => {
  it('when a record on the path is past its SLA and may be recycled, suggests recycling with the allowed reasons', () => {
    expect(suggestedAction(stage('appointment'), breached, allowed())).toEqual({
      action: 'recycle',
      reasons: [{ code: 'stalled', label: 'Stalled' }],
      why: 'Past its SLA in APPOINTMENT: recycle it to nurture with a reason rather than let it sit.',
    });
  });

  it('when a record on the path is within its SLA (or has none), suggests the next stage', () => {
    for (const time of [within, noSla]) {
      expect(suggestedAction(stage('appointment'), time, allowed())).toEqual({
        action: 'fastpass',
        to: stage('opportunity'),
        why: 'Already qualifies for OPPORTUNITY? Move it on.',
      });
    }
  });

  it('when a customer is past an SLA it cannot be recycled from, still suggests the next stage', () => {
    expect(suggestedAction(stage('customer'), breached, allowed({ recycleReasons: [], fastpassTargets: [stage('expand')] }))).toMatchObject({
      action: 'fastpass',
      to: { id: 'expand' },
    });
  });

  it('when recycled, suggests the return to the path', () => {
    expect(suggestedAction(stage('recycle_a', 'recycle'), noSla, allowed({ recycleReasons: [], fastpassTargets: [stage('nurturing'), stage('mql')] }))).toEqual({
      action: 'fastpass',
      to: stage('nurturing'),
      why: 'Talking again before the pause ends? Return it to NURTURING.',
    });
  });

  it('never suggests anything for a dead end or a churned customer, nor when the model allows nothing', () => {
    expect(suggestedAction(stage('dead_end', 'dead_end'), noSla, allowed())).toBeNull();
    expect(suggestedAction(stage('churned', 'churned'), noSla, allowed())).toBeNull();
    expect(suggestedAction(stage('expand'), breached, allowed({ recycleReasons: [], fastpassTargets: [] }))).toBeNull();
  });

  it('only ever suggests what the model allows, whatever the stage kind and time', () => {
    const options = allowed();
    for (const kind of ['path', 'recycle', 'dead_end', 'churned'] as const) {
      for (const time of [within, breached, noSla]) {
        const suggestion = suggestedAction(stage('x', kind), time, options);
        if (suggestion?.action === 'fastpass') expect(options.fastpassTargets).toContainEqual(suggestion.to);
        if (suggestion?.action === 'recycle') expect(options.recycleReasons).toEqual(expect.arrayContaining(suggestion.reasons));
      }
    }
  });
});
