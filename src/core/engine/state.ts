import { z } from 'zod';

export const OBJECT_TYPES = ['contact', 'company', 'deal'] as const;
export const ObjectTypeSchema = z.enum(OBJECT_TYPES);
export type ObjectType = z.infer<typeof ObjectTypeSchema>;

export const TRANSITION_KINDS = ['enter', 'advance', 'fastpass', 'recycle', 'return', 'reengage', 'dead_end', 'churn', 'win_back', 'reopen'] as const;
export const TransitionKindSchema = z.enum(TRANSITION_KINDS);

/** The one label of a transition kind shown in HubSpot (property options, workflow dropdowns): `dead_end` → "Dead end". */
export function transitionKindLabel(kind: TransitionKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');
}
export type TransitionKind = z.infer<typeof TransitionKindSchema>;

export const RecycleContextSchema = z.strictObject({
  ruleId: z.string(),
  reason: z.string(),
  at: z.number(),
  fromStage: z.string(),
  lostDealId: z.string().nullable(),
});
export type RecycleContext = z.infer<typeof RecycleContextSchema>;

/** Our lifecycle state of one record: what the ledger says, independent of HubSpot's forward-only property. */
export const LifecycleStateSchema = z.strictObject({
  objectType: ObjectTypeSchema,
  objectId: z.string().min(1),
  stage: z.string().nullable(),
  enteredAt: z.number().nullable(),
  previousStage: z.string().nullable(),
  lastTransitionKind: TransitionKindSchema.nullable(),
  recycleCount: z.number().int().min(0),
  lastRecycle: RecycleContextSchema.nullable(),
  marketingPausedUntil: z.number().nullable(),
  deadEndReason: z.string().nullable(),
  /**
   * Set when an admin reopens a dead end: they have overruled the automatic dead-end rules for this record, so the
   * same job title or domain must not send it straight back. An explicit dead-end command still applies.
   */
  deadEndRulesWaived: z.boolean().default(false),
});
export type LifecycleState = z.infer<typeof LifecycleStateSchema>;

export function initialState(objectType: ObjectType, objectId: string): LifecycleState {
  return {
    objectType,
    objectId,
    stage: null,
    enteredAt: null,
    previousStage: null,
    lastTransitionKind: null,
    recycleCount: 0,
    lastRecycle: null,
    marketingPausedUntil: null,
    deadEndReason: null,
    deadEndRulesWaived: false,
  };
}
