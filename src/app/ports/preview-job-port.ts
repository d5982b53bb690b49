import type { PortalId } from './store-ports';

/** running → done | failed | superseded (a newer preview of a changed draft replaced it while it ran). */
export type PreviewJobStatus = 'running' | 'done' | 'failed' | 'superseded';

/** What a preview replays: the draft as saved at `draftSavedAt`, against `publishedRevision`, over a period. */
export interface PreviewJobSubject {
  draftRevision: number;
  /** The draft's `updatedAt` when the job started: a draft is saved over under the same revision number. */
  draftSavedAt: number;
  publishedRevision: number | null;
  period: { start: number; end: number };
}

/** One preview of a portal's draft (migration 0022). */
export interface PreviewJob extends PreviewJobSubject {
  id: number;
  portalId: PortalId;
  status: PreviewJobStatus;
  contactsDone: number;
  contactsTotal: number;
  /** The comparison (the settings contract's PreviewAnswer), once done. */
  result: unknown;
  error: string | null;
  startedBy: string | null;
  startedAt: number;
  /** Moved on by the process running the job; a running job whose heartbeat stopped has lost its runner. */
  heartbeatAt: number;
  finishedAt: number | null;
}

/** Per-portal preview jobs. Every method is scoped to one portal; at most one job of a portal runs at a time. */
export interface PreviewJobPort {
  /**
   * Records a new running job, unless one of the portal's jobs runs already (another request or process got there
   * first): then that one is returned, with `started: false`.
   */
  start(portalId: PortalId, subject: PreviewJobSubject & { contactsTotal: number; startedBy: string | null }, now: number): Promise<{ started: boolean; job: PreviewJob }>;
  get(portalId: PortalId, id: number): Promise<PreviewJob | null>;
  /** The portal's newest job, whatever its status; null when it never previewed. */
  latest(portalId: PortalId): Promise<PreviewJob | null>;
  running(portalId: PortalId): Promise<PreviewJob | null>;
  /** Progress of a running job, which also proves its runner alive; false when the job no longer runs (superseded, or failed as stale). */
  heartbeat(portalId: PortalId, id: number, progress: { contactsDone: number; contactsTotal: number }, now: number): Promise<boolean>;
  /** Ends a running job with its result or its error; false when it no longer ran (its result is dropped). */
  finish(portalId: PortalId, id: number, end: { status: 'done'; result: unknown } | { status: 'failed'; error: string }, now: number): Promise<boolean>;
  /** Marks a running job superseded; false when it had ended already. */
  supersede(portalId: PortalId, id: number, now: number): Promise<boolean>;
  /** Fails the portal's running job whose heartbeat is older than `heartbeatBefore` (its process died), with `error`; true when one was. */
  failStale(portalId: PortalId, heartbeatBefore: number, error: string, now: number): Promise<boolean>;
  /** Deletes the portal's ended jobs older than its `keep` newest jobs (a preview's result is a few kilobytes; the history is not kept). */
  prune(portalId: PortalId, keep: number): Promise<void>;
}
