import type { Logger } from 'pino';
import type { BackfillState } from '../../contracts/page-api';
import { loadBackfillCursor } from '../backfill/backfill-cursor';
import type { BackfillOptions, BackfillSummary } from '../backfill/run-backfill';
import type { PortalId, Store } from '../ports/store-ports';

/** Runs one portal's backfill (runBackfill with the portal's gateway and model); the backend composes it. */
export type RunPortalBackfill = (portalId: PortalId, options: Pick<BackfillOptions, 'restart' | 'onProgress' | 'signal'>) => Promise<BackfillSummary>;

interface Running {
  scanned: number;
  total: number | null;
  done: Promise<void>;
}

/**
 * Backfills started from the Sync health page, run inside this backend (one per portal at a time) at the same rate
 * budget as everything else. Progress is the stored cursor (so a run started by `lifecycle backfill` or another
 * instance shows too), refined by the live count of a run in this process. A stopped run resumes from the cursor;
 * a finished one is started over (rows already in the ledger are not added twice).
 */
export class BackfillJobs {
  private readonly running = new Map<PortalId, Running>();
  private readonly failures = new Map<PortalId, string>();
  private readonly stop = new AbortController();

  constructor(private readonly deps: { store: Store; logger: Logger; run: RunPortalBackfill | null }) {}

  async state(portalId: PortalId): Promise<BackfillState> {
    const cursor = await loadBackfillCursor(this.deps.store, portalId);
    const live = this.running.get(portalId);
    const lastError = this.failures.get(portalId) ?? null;
    const iso = (t: number | null | undefined) => (t == null ? null : new Date(t).toISOString());
    if (live) return { status: 'running', scanned: Math.max(live.scanned, cursor?.scanned ?? 0), total: live.total, startedAt: iso(cursor?.startedAt), finishedAt: null, lastError };
    if (!cursor) return { status: 'never_run', scanned: 0, total: null, startedAt: null, finishedAt: null, lastError };
    return {
      status: cursor.finishedAt == null ? 'paused' : 'finished',
      scanned: cursor.scanned,
      total: null,
      startedAt: iso(cursor.startedAt),
      finishedAt: iso(cursor.finishedAt),
      lastError,
    };
  }

  /** Starts (or resumes) the portal's backfill unless one runs here already; `unavailable` without HubSpot access. */
  async start(portalId: PortalId): Promise<'started' | 'already_running' | 'unavailable'> {
    const run = this.deps.run;
    if (!run) return 'unavailable';
    if (this.running.has(portalId)) return 'already_running';
    const cursor = await loadBackfillCursor(this.deps.store, portalId);
    if (this.running.has(portalId)) return 'already_running';
    const job: Running = { scanned: cursor?.finishedAt == null ? (cursor?.scanned ?? 0) : 0, total: null, done: Promise.resolve() };
    this.running.set(portalId, job);
    this.failures.delete(portalId);
    job.done = run(portalId, {
      restart: cursor?.finishedAt != null,
      signal: this.stop.signal,
      onProgress: ({ scanned, total }) => {
        job.scanned = scanned;
        job.total = total;
      },
    })
      .then((summary) => this.deps.logger.info({ portalId, outcome: summary.outcome, scanned: summary.scanned }, 'backfill from the Sync health page ended'))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.failures.set(portalId, message);
        this.deps.logger.warn({ portalId, err: error }, 'backfill from the Sync health page failed; Start resumes it from its cursor');
      })
      .finally(() => this.running.delete(portalId));
    return 'started';
  }

  /** Lets the units in flight commit, then returns (shutdown). */
  async close(): Promise<void> {
    this.stop.abort();
    await Promise.all([...this.running.values()].map((job) => job.done));
  }
}
