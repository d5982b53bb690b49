import { z } from 'zod';

/**
 * The app-pages API: what the backend returns to the HubSpot app pages (Funnel, Sync health, Audit) and what the
 * pages send back.
 *
 * This file is the single source of truth. `lifecycle app build` copies it verbatim into
 * extensions/app/pages/contract.ts (HubSpot uploads and bundles the pages folder alone, so the pages cannot import
 * from src/), and `lifecycle app check` fails when the copy drifts. Keep zod its only import.
 *
 * Routes (all called through `hubspot.fetch`, so every request carries HubSpot's v3 signature; the backend takes
 * portalId and the user from the verified query — see PageClaims — never from the path or the body):
 *   GET  /pages/funnel?from=&to=&objectType=                 → FunnelPageView
 *   GET  /pages/sync-health                                  → SyncHealthView
 *   POST /pages/dead-letters/:id/retry                       → DeadLetterRetryResult
 *   POST /pages/backfill/start                               → BackfillStartResult
 *   GET  /pages/audit?objectType=&stage=&kind=&cursor=&limit= → AuditPageView (newest first, keyset-paginated)
 * Times are ISO-8601 UTC strings; the pages format them in the user's locale.
 */

export const PAGE_API_ROUTES = {
  funnel: '/pages/funnel',
  syncHealth: '/pages/sync-health',
  retryDeadLetter: '/pages/dead-letters/:id/retry',
  startBackfill: '/pages/backfill/start',
  audit: '/pages/audit',
} as const;

export const pageApiPaths = {
  funnel: () => PAGE_API_ROUTES.funnel,
  syncHealth: () => PAGE_API_ROUTES.syncHealth,
  retryDeadLetter: (id: number) => `/pages/dead-letters/${id}/retry`,
  startBackfill: () => PAGE_API_ROUTES.startBackfill,
  audit: () => PAGE_API_ROUTES.audit,
};

/**
 * Who is asking, stated by the page in the query of every request (the same rule as the cards' CardClaims: HubSpot
 * is not documented to add the portal or the user to hubspot.fetch calls, and the v3 signature covers the URL).
 */
export interface PageClaims {
  portalId: number;
  userId?: number;
  userEmail?: string;
}

/** The claims as the backend reads them from the query (strings; HubSpot may add more parameters, e.g. appId). */
export const PageClaimsQuerySchema = z.looseObject({
  portalId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'portalId must be a HubSpot portal id')
    .optional(),
  userId: z
    .string()
    .regex(/^\d{1,20}$/, 'userId must be a HubSpot user id')
    .optional(),
  userEmail: z.string().max(254).optional(),
});

/** Adds the claims and the page's own parameters to a path, as the pages send every request. */
export function withPageClaims(path: string, claims: PageClaims, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams({ portalId: String(claims.portalId) });
  if (claims.userId !== undefined) query.set('userId', String(claims.userId));
  if (claims.userEmail !== undefined) query.set('userEmail', claims.userEmail);
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, String(value));
  return `${path}?${query.toString()}`;
}

const IsoTime = z.string();
const ObjectTypeSchema = z.enum(['contact', 'company']);
export type PageObjectType = z.infer<typeof ObjectTypeSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Funnel

const DAY = z.iso.date();

/** The Funnel page's query: a period of whole UTC days (both ends included) and the object type. */
export const FunnelPageQuerySchema = z.strictObject({
  from: DAY.optional(),
  to: DAY.optional(),
  objectType: ObjectTypeSchema.default('contact'),
});
export type FunnelPageQuery = z.input<typeof FunnelPageQuerySchema>;

const StageKindSchema = z.string();

/** One line of the flow/stock table: a stage, or one reason of a detour's inflow (then only flowIn is set). */
export const FlowStockLineSchema = z.strictObject({
  line: z.enum(['stage', 'reason']),
  stageId: z.string(),
  label: z.string(),
  kind: StageKindSchema,
  beginning: z.number().nullable(),
  flowIn: z.number(),
  flowOut: z.number().nullable(),
  ending: z.number().nullable(),
  /** 0..1; path stages: conversion to a later path stage; detours: conversion back onto the path. */
  cvr: z.number().nullable(),
  fastpassed: z.number().nullable(),
  skippedThrough: z.number().nullable(),
  /** Velocity: the median days spent in the stage by the stays that ended in the period. */
  medianDays: z.number().nullable(),
  slaDue: z.number().nullable(),
  slaPastDue: z.number().nullable(),
});
export type FlowStockLine = z.infer<typeof FlowStockLineSchema>;

export const FunnelPageViewSchema = z.strictObject({
  objectType: ObjectTypeSchema,
  /** [from, to) in UTC; `to` is the midnight after the last day. */
  period: z.strictObject({ from: IsoTime, to: IsoTime }),
  rows: z.array(FlowStockLineSchema),
  /** Stock per stage at each midnight of the period (the first point is the table's beginning). */
  stockSeries: z.strictObject({
    stages: z.array(z.strictObject({ stageId: z.string(), label: z.string() })),
    points: z.array(z.strictObject({ at: IsoTime, stock: z.record(z.string(), z.number()) })),
  }),
  /**
   * Present while the account's ledger aggregates are being rebuilt (`lifecycle aggregates rebuild`, running or stopped
   * unfinished): the figures count only the records it has reached. As the report API's `partial` (report-api.ts).
   */
  partial: z
    .strictObject({
      recordsDone: z.number().int().nonnegative(),
      /** About: what the aggregates counted when the rebuild began; null when unknown. */
      recordsTotal: z.number().int().nonnegative().nullable(),
      message: z.string(),
    })
    .optional(),
});
export type FunnelPageView = z.infer<typeof FunnelPageViewSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Sync health

export const DeadLetterLineSchema = z.strictObject({
  id: z.number().int(),
  /** inbox: an event that failed for good; outbox: a HubSpot write; webhook: an unusable event, quarantined. */
  source: z.enum(['inbox', 'outbox', 'webhook']),
  record: z.string(),
  reason: z.string(),
  failedAt: IsoTime,
  /** A quarantined webhook event has nothing to re-queue. */
  retryable: z.boolean(),
});
export type DeadLetterLine = z.infer<typeof DeadLetterLineSchema>;

export const BackfillStateSchema = z.strictObject({
  status: z.enum(['never_run', 'running', 'paused', 'finished']),
  scanned: z.number().int(),
  /** Contacts the running backfill will have scanned (HubSpot search's total); null when not known here. */
  total: z.number().int().nullable(),
  startedAt: IsoTime.nullable(),
  finishedAt: IsoTime.nullable(),
  /** Why the last run in this backend stopped, when it failed. */
  lastError: z.string().nullable(),
});
export type BackfillState = z.infer<typeof BackfillStateSchema>;

export const SyncHealthViewSchema = z.strictObject({
  queues: z.strictObject({
    /** Webhook events waiting to be decided. */
    inboxPending: z.number().int(),
    /** HubSpot writes waiting to be delivered. */
    outboxPending: z.number().int(),
    /** Age of the oldest waiting webhook event (received → now); null when none waits. */
    lagSeconds: z.number().nullable(),
    /** Since when the oldest waiting work has been failing transiently at HubSpot; null when healthy. */
    failingSince: IsoTime.nullable(),
  }),
  lastWebhookReceivedAt: IsoTime.nullable(),
  rateLimits: z.strictObject({
    /** HubSpot 429 answers this backend received for the portal in the window (process-local count). */
    tooManyRequests: z.number().int(),
    windowMinutes: z.number().int(),
  }),
  /** Daily-limit parking: the daily_limit alerts raised for the portal, newest first. */
  dailyLimit: z.array(z.strictObject({ message: z.string(), raisedAt: IsoTime })),
  deadLetters: z.strictObject({
    /** The newest dead letters and quarantined events not yet retried (at most `shown`). */
    items: z.array(DeadLetterLineSchema),
    shown: z.number().int(),
  }),
  backfill: BackfillStateSchema,
});
export type SyncHealthView = z.infer<typeof SyncHealthViewSchema>;

export const DeadLetterRetryResultSchema = z.strictObject({
  id: z.number().int(),
  outcome: z.enum(['requeued', 'not_retryable']),
});
export type DeadLetterRetryResult = z.infer<typeof DeadLetterRetryResultSchema>;

export const BackfillStartResultSchema = z.strictObject({
  outcome: z.enum(['started', 'already_running', 'unavailable']),
  backfill: BackfillStateSchema,
});
export type BackfillStartResult = z.infer<typeof BackfillStartResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Audit

export const AUDIT_KINDS = ['enter', 'advance', 'fastpass', 'recycle', 'return', 'reengage', 'dead_end', 'churn', 'win_back', 'reopen'] as const;
export const AUDIT_PAGE_SIZE = { default: 50, max: 200 } as const;

/** An opaque keyset cursor: the page's last row (time, transition id); the next page starts strictly after it. */
export const AuditCursorSchema = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9_-]+$/, 'cursor must be the nextCursor of a previous page');

export const AuditPageQuerySchema = z.strictObject({
  objectType: ObjectTypeSchema.optional(),
  /** Rows that moved a record INTO this stage (a stage id of the model). */
  stage: z.string().min(1).max(100).optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
  cursor: AuditCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE.max).default(AUDIT_PAGE_SIZE.default),
});
export type AuditPageQuery = z.input<typeof AuditPageQuerySchema>;

export const AuditEntrySchema = z.strictObject({
  transitionId: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  fromStage: z.string().nullable(),
  toStage: z.string(),
  kind: z.string(),
  reason: z.string(),
  reasonCode: z.string().nullable(),
  /** rules: decided by the engine on HubSpot facts; command: a person or a workflow asked for it. */
  source: z.string(),
  /** Who asked (a HubSpot user's email, a workflow), null for the engine's own decisions. */
  actor: z.string().nullable(),
  occurredAt: IsoTime,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageViewSchema = z.strictObject({
  entries: z.array(AuditEntrySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AuditPageView = z.infer<typeof AuditPageViewSchema>;
