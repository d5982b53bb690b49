import type { OutboxPayload } from '../../../app/ports/store-ports';
import { coalescePropertyUpdates, initialStep } from '../outbox-coalescing';

type PropertyUpdate = Extract<OutboxPayload, { kind: 'update_properties' }>;

function update(properties: Record<string, string>, nativeStage: PropertyUpdate['nativeStage'] = null): PropertyUpdate {
  return { kind: 'update_properties', properties, nativeStage };
}
const stage = (value: string, clearFirst: boolean) => ({ property: 'lifecyclestage', value, clearFirst });

describe('coalescing property updates', () => {
  it('lets the latest value of each property win and keeps properties only older updates set', () => {
    const { payload } = coalescePropertyUpdates([
      { payload: update({ a: '1', b: '1' }), step: null },
      { payload: update({ a: '2' }), step: null },
    ]);
    expect(payload).toEqual(update({ a: '2', b: '1' }));
  });

  it('keeps an older native-stage move when the newer update has none', () => {
    const { payload, step } = coalescePropertyUpdates([
      { payload: update({}, stage('lead', true)), step: 'clear' },
      { payload: update({ a: '1' }), step: null },
    ]);
    expect(payload.nativeStage).toEqual(stage('lead', true));
    expect(step).toBe('clear');
  });

  it('still clears first when a folded backward move needed it, even if the newest move alone would not', () => {
    const { payload, step } = coalescePropertyUpdates([
      { payload: update({}, stage('lead', true)), step: 'clear' },
      { payload: update({}, stage('mql', false)), step: null },
    ]);
    expect(payload.nativeStage).toEqual(stage('mql', true));
    expect(step).toBe('clear');
  });

  it('resumes at `set` when the newest item had already done its own clear', () => {
    const { step } = coalescePropertyUpdates([
      { payload: update({}, stage('lead', true)), step: 'clear' },
      { payload: update({}, stage('mql', true)), step: 'set' },
    ]);
    expect(step).toBe('set');
  });

  it('starts a new clear-then-set item at `clear`; everything else has no step', () => {
    expect(initialStep(update({}, stage('lead', true)))).toBe('clear');
    expect(initialStep(update({}, stage('mql', false)))).toBeNull();
    expect(initialStep({ kind: 'create_task', taskKey: 't', ownerId: null, subject: 's', body: 'b', priority: 'LOW', dueAt: 0 })).toBeNull();
  });
});
