import { z } from 'zod';

/**
 * The card API: what the backend returns to the HubSpot record cards and what the cards send back.
 *
 * This file is the single source of truth. `lifecycle app build` copies it verbatim into
 * extensions/app/cards/contract.ts (HubSpot uploads and bundles the card folder alone, so the cards cannot import
 * from src/), and `lifecycle app check` fails when the copy drifts. Keep zod its only import.
 *
 * Routes (all called through `hubspot.fetch`, so every request carries HubSpot's v3 signature; the backend takes
 * portalId and the user from the verified query — see CardClaims — never from the path or the body; each action
 * POST carries a requestId):
 *   GET  /cards/contact/:objectId                       → ContactLifecycleView
 *   GET  /cards/company/:objectId                       → CompanyHealthView
 *   GET  /cards/deal/:objectId                          → DealImpactView
 *   POST /cards/contact/:objectId/actions/recycle       RecycleRequest  → ContactActionResult
 *   POST /cards/contact/:objectId/actions/dead-end      DeadEndRequest  → ContactActionResult
 *   POST /cards/contact/:objectId/actions/fastpass      FastpassRequest → ContactActionResult
 * A refused action (the model does not allow it) is a 200 with outcome "refused": it is an answer, not a failure.
 * The record-sidebar cards read the same three views as the tab cards (one GET per render, nothing extra asked of
 * HubSpot); the few fields only the sidebar shows (suggestedAction, weakestComponent) are part of those views.
 * Times are ISO-8601 UTC strings; the cards format them in the user's locale and the portal's time zone.
 */

export const CONTACT_ACTIONS = ['recycle', 'dead-end', 'fastpass'] as const;
export type ContactAction = (typeof CONTACT_ACTIONS)[number];

export const CARD_API_ROUTES = {
  contactView: '/cards/contact/:objectId',
  companyView: '/cards/company/:objectId',
  dealView: '/cards/deal/:objectId',
  contactAction: '/cards/contact/:objectId/actions/:action',
} as const;

export const cardApiPaths = {
  contactView: (objectId: number | string) => `/cards/contact/${objectId}`,
  companyView: (objectId: number | string) => `/cards/company/${objectId}`,
  dealView: (objectId: number | string) => `/cards/deal/${objectId}`,
  contactAction: (objectId: number | string, action: ContactAction) => `/cards/contact/${objectId}/actions/${action}`,
};

/**
 * Who is asking, stated by the card in the query of every request. HubSpot is not documented to add the portal or
 * the user to hubspot.fetch calls (docs: developers.hubspot.com/docs/guides/crm/public-apps/fetching-data; its own
 * legacy-card converter builds them into the URL itself), so the card adds them from its extension context; the
 * v3 signature covers the whole URL, so the backend trusts them only once it verifies.
 * `requestId`: one per user action (a button press). HubSpot retries a hubspot.fetch once after a 5xx or a dropped
 * connection with the same URL, and a captured request can be replayed within the signature window: the backend
 * applies an action once per request id and answers every repeat with the first outcome.
 */
export interface CardClaims {
  portalId: number;
  userId?: number;
  userEmail?: string;
  requestId?: string;
}

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The claims as the backend reads them from the query (strings; HubSpot may add more parameters, e.g. appId). */
export const CardClaimsQuerySchema = z.object({
  portalId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'portalId must be a HubSpot account id')
    .transform(Number)
    .optional(),
  userId: z
    .string()
    .regex(/^\d{1,20}$/, 'userId must be a HubSpot user id')
    .optional(),
  userEmail: z.string().min(3).max(254).optional(),
  requestId: z.string().regex(REQUEST_ID_PATTERN, 'requestId must be 8-64 letters, digits, _ or -').optional(),
});

/** `path` with the claims appended to its query, in a fixed order (the signature covers the exact URL). */
export function withCardClaims(path: string, claims: CardClaims): string {
  const pairs: Array<[string, string | number | undefined]> = [
    ['portalId', claims.portalId],
    ['userId', claims.userId],
    ['userEmail', claims.userEmail],
    ['requestId', claims.requestId],
  ];
  const query = pairs
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

/** Same values as the engine's TransitionKind (a backend test keeps them equal). */
export const TRANSITION_KINDS = ['enter', 'advance', 'fastpass', 'recycle', 'return', 'reengage', 'dead_end', 'churn', 'win_back', 'reopen'] as const;
export const TransitionKindSchema = z.enum(TRANSITION_KINDS);

/** Same values as the model's StageKind. */
export const STAGE_KINDS = ['path', 'recycle', 'dead_end', 'churned'] as const;

const IsoTime = z.iso.datetime({ offset: true });
const Count = z.number().int().min(0);

export const StageRefSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  kind: z.enum(STAGE_KINDS),
});
export type StageRef = z.infer<typeof StageRefSchema>;

export const ReasonSchema = z.strictObject({ code: z.string().min(1), label: z.string().min(1) });
export type Reason = z.infer<typeof ReasonSchema>;

/** One ledger row as the cards show it. */
export const TransitionSchema = z.strictObject({
  at: IsoTime,
  from: StageRefSchema.nullable(),
  to: StageRefSchema,
  kind: TransitionKindSchema,
  reason: z.string(),
  /** Path stages a Fastpass bypassed (recorded as skipped, not passed). */
  skipped: z.array(StageRefSchema),
});
export type Transition = z.infer<typeof TransitionSchema>;

/** A record HubSpot knows but the engine has not evaluated yet (new install, backfill still running). */
const NotSyncedSchema = z.strictObject({ synced: z.literal(false), objectId: z.string().min(1) });

export const TimeInStageSchema = z.strictObject({
  days: z.number().min(0),
  /** Null when the stage has no SLA in the model. */
  sla: z.strictObject({ days: z.number().positive(), status: z.enum(['within', 'breached']) }).nullable(),
});
export type TimeInStage = z.infer<typeof TimeInStageSchema>;

export const RecycleStateSchema = z.strictObject({
  reason: ReasonSchema,
  /** How many times the record has been recycled, this time included. */
  count: z.number().int().min(1),
  /** Marketing email is paused until then; null once the pause has ended or was released by re-engagement. */
  marketingPausedUntil: IsoTime.nullable(),
  pauseDaysLeft: Count.nullable(),
});
export type RecycleState = z.infer<typeof RecycleStateSchema>;

export const AllowedActionsSchema = z.strictObject({
  /** Empty when the record cannot be recycled from where it is (dead end, customer, already recycled). */
  recycleReasons: z.array(ReasonSchema),
  deadEndReasons: z.array(ReasonSchema),
  fastpassTargets: z.array(StageRefSchema),
});
export type AllowedActions = z.infer<typeof AllowedActionsSchema>;

/**
 * The one action worth a rep's click now, for the sidebar's small space; always one the model allows (a subset of
 * allowedActions), never a terminal one (a dead end needs the full card's deliberate choice).
 */
export const SuggestedActionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('recycle'), why: z.string().min(1), reasons: z.array(ReasonSchema).min(1) }),
  z.strictObject({ action: z.literal('fastpass'), why: z.string().min(1), to: StageRefSchema }),
]);
export type SuggestedAction = z.infer<typeof SuggestedActionSchema>;

export const ContactLifecycleViewSchema = z.discriminatedUnion('synced', [
  NotSyncedSchema,
  z.strictObject({
    synced: z.literal(true),
    objectId: z.string().min(1),
    stage: StageRefSchema,
    /** The success path in order, for the step indicator. */
    path: z.array(StageRefSchema).min(1),
    stageEnteredAt: IsoTime,
    timeInStage: TimeInStageSchema,
    recycle: RecycleStateSchema.nullable(),
    deadEndReason: ReasonSchema.nullable(),
    /** Newest first. */
    history: z.array(TransitionSchema),
    allowedActions: AllowedActionsSchema,
    /** Null when nothing is worth suggesting (dead end, churned, or no action the model allows). */
    suggestedAction: SuggestedActionSchema.nullable(),
  }),
]);
export type ContactLifecycleView = z.infer<typeof ContactLifecycleViewSchema>;

export const HEALTH_BANDS = ['healthy', 'at_risk', 'critical'] as const;

export const HealthComponentScoreSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  /** Share of the score, 0-100; the weights of all components sum to 100. */
  weight: z.number().min(0).max(100),
  /** How well the account does on this component, 0-1. */
  score: z.number().min(0).max(1),
  detail: z.string(),
});
export type HealthComponentScore = z.infer<typeof HealthComponentScoreSchema>;

/** The component that costs the score the most points (weight × (1 − score)). */
export const WeakestComponentSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  pointsLost: z.number().positive().max(100),
  detail: z.string(),
});
export type WeakestComponent = z.infer<typeof WeakestComponentSchema>;

export const StageCountSchema = z.strictObject({ stageId: z.string().min(1), label: z.string().min(1), count: Count });
export type StageCount = z.infer<typeof StageCountSchema>;

export const CompanyHealthViewSchema = z.discriminatedUnion('synced', [
  NotSyncedSchema,
  z.strictObject({
    synced: z.literal(true),
    objectId: z.string().min(1),
    score: z.number().min(0).max(100),
    band: z.enum(HEALTH_BANDS),
    /** Against the score `days` ago; null while the account has no score that old. */
    trend: z.strictObject({ days: z.number().int().positive(), previous: z.number().min(0).max(100), delta: z.number() }).nullable(),
    components: z.array(HealthComponentScoreSchema),
    /** Null when no component loses a point. */
    weakestComponent: WeakestComponentSchema.nullable(),
    /** The most advanced stage among the account's contacts and deals; null when none is in the lifecycle. */
    accountStage: StageRefSchema.nullable(),
    contactsPerStage: z.array(StageCountSchema),
    /** The account's own transitions, newest first. */
    journey: z.array(TransitionSchema),
  }),
]);
export type CompanyHealthView = z.infer<typeof CompanyHealthViewSchema>;

export const DealImpactSchema = z.strictObject({
  subject: z.strictObject({ type: z.enum(['contact', 'account']), id: z.string().min(1), name: z.string() }),
  /** Null when the record is not in the lifecycle yet. */
  current: StageRefSchema.nullable(),
  afterWin: StageRefSchema,
  afterLoss: z.strictObject({
    stage: StageRefSchema,
    /** Days marketing email stays paused after the loss (Recycle B); null when the loss pauses nothing. */
    pauseDays: Count.nullable(),
  }),
});
export type DealImpact = z.infer<typeof DealImpactSchema>;

export const DealImpactViewSchema = z.discriminatedUnion('synced', [
  NotSyncedSchema,
  z.strictObject({
    synced: z.literal(true),
    objectId: z.string().min(1),
    /** Set once the deal is closed: the impact has already happened. */
    outcome: z.enum(['won', 'lost']).nullable(),
    /** The account first, then each associated contact. */
    impacts: z.array(DealImpactSchema),
  }),
]);
export type DealImpactView = z.infer<typeof DealImpactViewSchema>;

export const RecycleRequestSchema = z.strictObject({ reason: z.string().min(1) });
export type RecycleRequest = z.infer<typeof RecycleRequestSchema>;
export const DeadEndRequestSchema = z.strictObject({ reason: z.string().min(1) });
export type DeadEndRequest = z.infer<typeof DeadEndRequestSchema>;
export const FastpassRequestSchema = z.strictObject({ to: z.string().min(1) });
export type FastpassRequest = z.infer<typeof FastpassRequestSchema>;

export const ContactActionRequestSchemas = {
  recycle: RecycleRequestSchema,
  'dead-end': DeadEndRequestSchema,
  fastpass: FastpassRequestSchema,
} as const satisfies Record<ContactAction, z.ZodType>;
export type ContactActionRequest = {
  recycle: RecycleRequest;
  'dead-end': DeadEndRequest;
  fastpass: FastpassRequest;
};

/** The refreshed view comes back with the outcome, so the card re-renders without a second request. */
export const ContactActionResultSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('applied'), message: z.string(), view: ContactLifecycleViewSchema }),
  z.strictObject({ outcome: z.literal('refused'), refusal: z.string().min(1), view: ContactLifecycleViewSchema }),
]);
export type ContactActionResult = z.infer<typeof ContactActionResultSchema>;
