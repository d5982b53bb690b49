import { z } from 'zod';
import type { LedgerEntry } from '../engine/decision';
import { LifecycleStateSchema, ObjectTypeSchema, TransitionKindSchema } from '../engine/state';

/** An instant in epoch milliseconds; zod 4 numbers are finite, so NaN or ±Infinity never reach the arithmetic. */
const Instant = z.number();

/** One append-only ledger row, validated as it arrives (the engine's `LedgerEntry` has no schema of its own). */
export const LedgerEntrySchema = z.strictObject({
  transitionId: z.string(),
  objectType: ObjectTypeSchema,
  objectId: z.string(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  kind: TransitionKindSchema,
  skipped: z.array(z.string()),
  ruleId: z.string(),
  reason: z.string(),
  reasonCode: z.string().nullable(),
  evidence: z.array(z.string()),
  occurredAt: Instant,
  source: z.enum(['rules', 'command']),
  actor: z.string().nullable(),
});
// Both directions, so the schema cannot drift from the engine's type without a compile error.
const _entryMatchesSchema: z.infer<typeof LedgerEntrySchema> = {} as LedgerEntry;
const _schemaMatchesEntry: LedgerEntry = {} as z.infer<typeof LedgerEntrySchema>;
void _entryMatchesSchema;
void _schemaMatchesEntry;

/** A record's current state plus its ledger rows; the rows let the trend see where the record stood earlier. */
export const RecordLifecycleSchema = z
  .strictObject({
    state: LifecycleStateSchema,
    history: z.array(LedgerEntrySchema).default([]),
  })
  .refine((r) => r.history.every((e) => e.objectId === r.state.objectId && e.objectType === r.state.objectType), {
    message: "every history row must belong to the record's own object",
    path: ['history'],
  });
export type RecordLifecycle = z.output<typeof RecordLifecycleSchema>;

export const EXPANSION_DEAL_TYPES = ['upsell', 'cross_sell', 'renewal'] as const;

export const DealSchema = z
  .strictObject({
    id: z.string().min(1),
    createdAt: Instant,
    /** When the deal was won or lost. HubSpot's expected close date of an open deal is not a close: pass null. */
    closedAt: Instant.nullable(),
    status: z.enum(['open', 'won', 'lost']),
    /** newbusiness, upsell, cross_sell, renewal, … (HubSpot `dealtype`); null when unset. */
    dealType: z.string().nullable(),
    amount: z.number().min(0).nullable(),
  })
  .refine((d) => (d.status === 'open') === (d.closedAt === null), {
    message: 'an open deal has no closedAt; a won or lost deal must have one',
    path: ['closedAt'],
  })
  .refine((d) => d.closedAt === null || d.closedAt >= d.createdAt, {
    message: 'a deal cannot close before it was created',
    path: ['closedAt'],
  });
export type Deal = z.output<typeof DealSchema>;

export const SatisfactionAnswerSchema = z.discriminatedUnion('kind', [
  /** "Would you recommend us?" on 0-10. */
  z.strictObject({ kind: z.literal('nps'), score: z.number().int().min(0).max(10), at: Instant }),
  /** Customer satisfaction on 1-5. */
  z.strictObject({ kind: z.literal('csat'), score: z.number().int().min(1).max(5), at: Instant }),
]);
export type SatisfactionAnswer = z.output<typeof SatisfactionAnswerSchema>;

/** The latest instant of one kind of activity (last email click, last site visit, last meeting, …). */
export const EngagementSchema = z.strictObject({ activity: z.string().min(1), at: Instant });
export type Engagement = z.output<typeof EngagementSchema>;

/** Evidence that the customer is leaving: a customer_lost event, lc_churned set to true, … */
export const ChurnSignalSchema = z.strictObject({ source: z.string().min(1), at: Instant });
export type ChurnSignal = z.output<typeof ChurnSignalSchema>;

/** An account: a company with its associated contacts and deals, and what the account said and did. */
export const AccountHealthInputSchema = z.strictObject({
  company: RecordLifecycleSchema.nullable().default(null),
  contacts: z.array(RecordLifecycleSchema).default([]),
  deals: z.array(DealSchema).default([]),
  engagement: z.array(EngagementSchema).default([]),
  satisfaction: z.array(SatisfactionAnswerSchema).default([]),
  churnSignals: z.array(ChurnSignalSchema).default([]),
});
export type AccountHealthInput = z.input<typeof AccountHealthInputSchema>;
export type ParsedAccountHealthInput = z.output<typeof AccountHealthInputSchema>;
