import { STAGE_KINDS as MODEL_STAGE_KINDS, TRANSITION_KINDS as ENGINE_TRANSITION_KINDS } from '../../core';
import { cardApiPaths, ContactActionResultSchema, ContactLifecycleViewSchema, RecycleRequestSchema, STAGE_KINDS, TRANSITION_KINDS } from '../card-api';

/** The contract is copied into the cards, so it cannot import the engine's enums; these tests keep them equal. */
describe('card API contract', () => {
  it('uses the engine transition kinds and the model stage kinds', () => {
    expect(TRANSITION_KINDS).toEqual(ENGINE_TRANSITION_KINDS);
    expect(STAGE_KINDS).toEqual(MODEL_STAGE_KINDS);
  });

  it('builds the documented routes', () => {
    expect(cardApiPaths.contactView(42)).toBe('/cards/contact/42');
    expect(cardApiPaths.contactAction('42', 'dead-end')).toBe('/cards/contact/42/actions/dead-end');
  });

  it('rejects action bodies with extra fields (portalId never comes from the body)', () => {
    expect(RecycleRequestSchema.safeParse({ reason: 'price', portalId: 1 }).success).toBe(false);
    expect(RecycleRequestSchema.parse({ reason: 'price' })).toEqual({ reason: 'price' });
  });

  it('accepts a not-yet-synced record and a refusal that carries the unchanged view', () => {
    const view = ContactLifecycleViewSchema.parse({ synced: false, objectId: '7' });
    expect(ContactActionResultSchema.parse({ outcome: 'refused', refusal: 'Dead end is terminal.', view }).outcome).toBe('refused');
  });

  it('requires ISO times with an offset', () => {
    const result = ContactLifecycleViewSchema.safeParse({
      synced: true,
      objectId: '7',
      stage: { id: 'mql', label: 'MQL', kind: 'path' },
      path: [{ id: 'mql', label: 'MQL', kind: 'path' }],
      stageEnteredAt: '2026-03-01 10:00',
      timeInStage: { days: 1, sla: null },
      recycle: null,
      deadEndReason: null,
      history: [],
      allowedActions: { recycleReasons: [], deadEndReasons: [], fastpassTargets: [] },
    });
    expect(result.success).toBe(false);
  });
});
