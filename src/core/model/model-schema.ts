import { z } from 'zod';
import { CriterionSchema } from './criteria-schema';

/** Stage ids appear in HubSpot property options and in the ledger, so they are stable slugs. */
export const StageIdSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'use 1-64 lower-case letters, digits or "_", starting with a letter');

export const STAGE_KINDS = ['path', 'recycle', 'dead_end', 'churned'] as const;
export const StageKindSchema = z.enum(STAGE_KINDS);
export type StageKind = z.infer<typeof StageKindSchema>;

const RuleIdSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'use lower-case letters, digits or "_"');

export const ReasonSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'use lower-case letters, digits or "_"'),
  label: z.string().min(1),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const TransitionRuleSchema = z.strictObject({
  id: RuleIdSchema.optional(),
  to: StageIdSchema,
  when: CriterionSchema,
  /** Human-readable reason shown on the card and in the audit trail. */
  reason: z.string().min(1),
});

export const StageSchema = z.strictObject({
  id: StageIdSchema,
  label: z.string().min(1),
  kind: StageKindSchema,
  order: z.number().int().min(0),
  /** Days a record may sit in the stage before it is past due (Marketo's SLA Due / Past Due). */
  slaDays: z.number().positive().optional(),
  /** HubSpot `lifecyclestage` internal value (may be a portal's custom numeric id), or null to leave it alone. */
  nativeStage: z.string().min(1).nullable(),
  owner: z.string().optional(),
  description: z.string().optional(),
  transitions: z.array(TransitionRuleSchema).default([]),
});

export const EntryRuleSchema = z.strictObject({
  stage: StageIdSchema,
  when: CriterionSchema,
  reason: z.string().min(1),
});

export const FastpassRuleSchema = z.strictObject({
  id: RuleIdSchema,
  /** Path stages the rule applies from; omitted = every path stage before `to`. */
  from: z.array(StageIdSchema).min(1).optional(),
  to: StageIdSchema,
  when: CriterionSchema,
  reason: z.string().min(1),
});

export const ReengagementSchema = z.strictObject({
  when: CriterionSchema,
  /** Where a re-engaged record goes; default: the recycle rule's `returnTo`. */
  to: StageIdSchema.optional(),
  alertOwner: z.boolean().default(true),
  /** The contact came back on their own, so the "not now" email pause no longer applies. */
  releasePause: z.boolean().default(true),
  taskPriority: z.enum(['HIGH', 'MEDIUM', 'LOW']).default('HIGH'),
});

export const RecycleRuleSchema = z.strictObject({
  id: RuleIdSchema,
  label: z.string().min(1),
  /** The recycle-kind stage the record sits in during the detour. */
  stage: StageIdSchema,
  from: z.array(StageIdSchema).min(1),
  when: CriterionSchema,
  reasons: z.array(ReasonSchema).min(1),
  defaultReason: z.string(),
  /** Fact property whose value, when it is one of `reasons`, names the recycle reason (e.g. a closed-lost reason). */
  reasonProperty: z.string().optional(),
  /** Marketing email pause in days; the record returns to `returnTo` when it ends. 0 = return at once. */
  pauseDays: z.number().min(0),
  returnTo: StageIdSchema,
  reengagement: ReengagementSchema.optional(),
});

export const DeadEndRuleSchema = z.strictObject({
  id: RuleIdSchema,
  when: CriterionSchema,
  reason: z.string(),
});

export const DeadEndSchema = z.strictObject({
  stage: StageIdSchema,
  reasons: z.array(ReasonSchema).min(1),
  /** Path stages a record can be dead-ended from; omitted = every path stage before the first customer stage. */
  from: z.array(StageIdSchema).min(1).optional(),
  /** Fact property whose value, when it is one of `reasons`, dead-ends the record (e.g. set by a form or an SDR). */
  reasonProperty: z.string().optional(),
  rules: z.array(DeadEndRuleSchema).default([]),
});

export const ChurnSchema = z.strictObject({
  stage: StageIdSchema,
  /** Customer stages; also the stages that can never be dead-ended. */
  from: z.array(StageIdSchema).min(1),
  when: CriterionSchema,
  reason: z.string().min(1),
});

export const NativeStageSchema = z.strictObject({
  property: z.string().min(1).default('lifecyclestage'),
  /** The portal's option order (read from the Properties API; custom stages have numeric ids). */
  order: z.array(z.string().min(1)).min(1),
  /** `always`: mirror our stage (backwards = clear then set); `forward_only`: never move it back; `off`. */
  sync: z.enum(['always', 'forward_only', 'off']).default('always'),
});

export const HEALTH_COMPONENTS = ['stageProgress', 'velocity', 'slaBreaches', 'engagementRecency', 'deals', 'recycledAndDeadEnd', 'churnSignals', 'satisfaction', 'upsell'] as const;
export const HealthComponentSchema = z.enum(HEALTH_COMPONENTS);
export type HealthComponent = z.infer<typeof HealthComponentSchema>;

export const HealthSchema = z.strictObject({
  /** Weights of the account-health components; they must sum to 100. */
  weights: z.record(HealthComponentSchema, z.number().min(0)),
  bands: z.strictObject({
    /** score ≥ healthy → healthy; score ≥ atRisk → at risk; below → critical. */
    healthy: z.number().min(0).max(100),
    atRisk: z.number().min(0).max(100),
  }),
  /** Days without engagement after which engagement recency scores 0. */
  engagementHorizonDays: z.number().positive().default(90),
  trendDays: z.number().positive().default(30),
});

export const LifecycleModelSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  native: NativeStageSchema,
  entry: EntryRuleSchema,
  stages: z.array(StageSchema).min(2),
  fastpass: z.array(FastpassRuleSchema).default([]),
  recycle: z.array(RecycleRuleSchema).default([]),
  deadEnd: DeadEndSchema,
  churn: ChurnSchema.optional(),
  health: HealthSchema,
});
export type LifecycleModelDocument = z.output<typeof LifecycleModelSchema>;
