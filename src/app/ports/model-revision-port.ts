import type { PortalId } from './store-ports';

/** draft → published → archived; publishing an archived revision again is a rollback. */
export type ModelRevisionStatus = 'draft' | 'published' | 'archived';

/** One revision of a portal's lifecycle model, without its document (lists, history). */
export interface ModelRevisionSummary {
  revision: number;
  status: ModelRevisionStatus;
  note: string;
  /** The HubSpot user who saved it (from the signed request), or null (seeded from the model file, the CLI). */
  author: string | null;
  createdAt: number;
  updatedAt: number;
  /** The last time it was published, and by whom; null for a draft never published. */
  publishedAt: number | null;
  publishedBy: string | null;
}

export interface ModelRevision extends ModelRevisionSummary {
  /** The model document (JSON), validated when it was saved. */
  document: unknown;
}

export type PublishOutcome = { outcome: 'published'; revision: ModelRevision; previous: number | null } | { outcome: 'not_found' } | { outcome: 'already_published' };

/** Per-portal model revisions (migration 0009). Every method is scoped to one portal. */
export interface ModelRevisionPort {
  /** The revision the engine runs, or null before the portal was seeded. */
  published(portalId: PortalId): Promise<ModelRevision | null>;
  /** The published revision number of each of `portalIds` that has one: one indexed read, for cache refreshes. */
  publishedRevisions(portalIds: readonly PortalId[]): Promise<Map<PortalId, number>>;
  draft(portalId: PortalId): Promise<ModelRevision | null>;
  get(portalId: PortalId, revision: number): Promise<ModelRevision | null>;
  /** Newest first, at most `limit`, older than `before` when given (the history is paged, never read whole). */
  list(portalId: PortalId, options: { limit: number; before?: number }): Promise<ModelRevisionSummary[]>;
  /** Revision 1, published, when the portal has no revision yet; a no-op otherwise (install, startup: idempotent). */
  seed(portalId: PortalId, document: unknown, note: string, now: number): Promise<void>;
  /** Saves over the portal's draft, or starts one numbered after the newest revision. */
  saveDraft(portalId: PortalId, draft: { document: unknown; note: string; author: string | null }, now: number): Promise<ModelRevision>;
  /** Makes `revision` (a draft, or an archived one: rollback) the published one and archives the one it replaces. */
  publish(portalId: PortalId, revision: number, by: string | null, now: number): Promise<PublishOutcome>;
}
