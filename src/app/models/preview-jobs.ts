import type { Logger } from 'pino';
import { validateModel, type CompiledModel, type ReportPeriod } from '../../core';
import { PreviewAnswerSchema, type PreviewAnswer, type PreviewJobView } from '../../contracts/settings-api';
import type { Clock } from '../ports/clock';
import { HubSpotError } from '../ports/hubspot-port';
import type { PreviewJob, PreviewJobSubject } from '../ports/preview-job-port';
import type { PortalId, Store } from '../ports/store-ports';
import { ReplayThreadError, type ReplayProgress, type WhatIfReplayer } from '../replay/what-if-ledger';
import type { ModelRegistry } from './model-registry';
import { previewModelDraft } from './preview-model-draft';

/** How often a running job's progress is written (it is also written after each replayed store batch, one write at a time). */
export const PREVIEW_HEARTBEAT_MS = 5_000;
/** A running job whose heartbeat is older than this lost its process: it is reported failed. */
export const PREVIEW_STALE_AFTER_MS = 60_000;
/** Jobs kept per portal (the newest); older ended ones are deleted when a new one starts. */
export const PREVIEW_JOBS_KEPT = 10;

export const RUNNER_STOPPED = 'the backend process running this preview stopped before it finished; start the preview again';
const BACKEND_STOPPING = 'the backend was stopped while this preview ran; start the preview again';

export type StartPreviewOutcome = { outcome: 'no_draft' } | { outcome: 'started' | 'running'; job: PreviewJobView };

export interface PreviewJobsDeps {
  store: Pick<Store, 'previewJobs' | 'modelRevisions' | 'states' | 'ledger' | 'factEvents' | 'recordProperties' | 'aggregates'>;
  models: Pick<ModelRegistry, 'current' | 'fit'>;
  clock: Clock;
  logger: Logger;
  /**
   * The what-if replay of one job, off the serving event loop (the backend: whatIfOnWorkerThread, a worker thread
   * with its own store connection): it reports the contacts done after each store batch and ends when `signal` aborts.
   */
  replayer: (job: { onProgress: (progress: ReplayProgress) => void; signal: AbortSignal }) => WhatIfReplayer;
  heartbeatMs?: number;
  staleAfterMs?: number;
}

/** A job this process runs. */
interface Active {
  portalId: PortalId;
  id: number;
  contactsDone: number;
  contactsTotal: number;
  /** Set when the job no longer runs in the database (superseded, failed as stale) or the backend stops. */
  stop: 'superseded' | 'stopping' | null;
  /** Aborted with the stop: ends the replay at once (its worker thread is terminated). */
  abort: AbortController;
  writing: boolean;
  done: Promise<void>;
}

/** The reason a job that no longer runs is aborted with: its replay rejects with it. */
class PreviewStopped extends Error {}

/**
 * The settings page's Preview as a background job. `start` records the job (migration 0022) and returns at once; the
 * replay (previewModelDraft, the same as `lifecycle replay`) then runs for this process, its what-if side (the CPU:
 * every contact evaluated) on `replayer`'s thread, while this thread writes its progress to the job after each store
 * batch and every PREVIEW_HEARTBEAT_MS, and finally its comparison or its error. Any process answers a poll from the
 * stored job.
 *
 * Decisions: one running preview per portal (the database refuses a second). Starting again while one runs returns
 * that job when it previews the same draft (revision and save time), published revision and period; otherwise the
 * running one is superseded (its runner stops at once in this process, at its next heartbeat in another) and a new
 * one starts. A job whose runner died (its heartbeat older than PREVIEW_STALE_AFTER_MS) is reported failed, not
 * resumed: a replay folds the portal into memory as it goes, so resuming would mean starting over, which is what
 * "Preview" again does. A finished preview whose draft was saved again, or whose published revision is no longer the
 * published one, is shown `stale`.
 */
export class PreviewJobs {
  private readonly active = new Map<number, Active>();
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;

  constructor(private readonly deps: PreviewJobsDeps) {
    this.heartbeatMs = deps.heartbeatMs ?? PREVIEW_HEARTBEAT_MS;
    this.staleAfterMs = deps.staleAfterMs ?? PREVIEW_STALE_AFTER_MS;
  }

  /** Starts a preview of the portal's draft over `period` (whole UTC days), or returns the running one previewing the same. */
  async start(portalId: PortalId, period: ReportPeriod, startedBy: string | null): Promise<StartPreviewOutcome> {
    const { store, clock } = this.deps;
    const draft = await store.modelRevisions.draft(portalId);
    if (!draft) return { outcome: 'no_draft' };
    const validated = validateModel(draft.document);
    // A saved draft was validated; only a later schema change gets here, and then there is nothing to preview.
    if (!validated.ok) return { outcome: 'no_draft' };
    const published = await store.modelRevisions.publishedRevisions([portalId]);
    const subject: PreviewJobSubject = { draftRevision: draft.revision, draftSavedAt: draft.updatedAt, publishedRevision: published.get(portalId) ?? null, period };

    await this.failIfRunnerDied(portalId);
    const running = await store.previewJobs.running(portalId);
    if (running && sameSubject(running, subject)) return { outcome: 'running', job: await this.view(running) };
    if (running && (await store.previewJobs.supersede(portalId, running.id, clock.now()))) {
      this.deps.logger.info({ portalId, job: running.id }, 'preview superseded by a preview of the changed draft');
      // Run here: its thread stops now; run elsewhere: that process learns it at its next heartbeat.
      const local = this.active.get(running.id);
      if (local) halt(local, 'superseded');
    }

    const begun = await store.previewJobs.start(portalId, { ...subject, contactsTotal: 0, startedBy }, clock.now());
    if (!begun.started) return { outcome: 'running', job: await this.view(begun.job) };
    await store.previewJobs.prune(portalId, PREVIEW_JOBS_KEPT);
    this.launch(begun.job, validated.model);
    return { outcome: 'started', job: await this.view(begun.job) };
  }

  /** A job of the portal, as the page shows it; null when the portal has no such job. */
  async get(portalId: PortalId, id: number): Promise<PreviewJobView | null> {
    await this.failIfRunnerDied(portalId);
    const job = await this.deps.store.previewJobs.get(portalId, id);
    return job ? this.view(job) : null;
  }

  /** The portal's newest job (running or ended), so a page opened again finds its preview. */
  async latest(portalId: PortalId): Promise<PreviewJobView | null> {
    await this.failIfRunnerDied(portalId);
    const job = await this.deps.store.previewJobs.latest(portalId);
    return job ? this.view(job) : null;
  }

  /** Resolves when every job this process runs has ended. */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((job) => job.done));
  }

  /** Shutdown: the jobs running here stop at once (their worker threads terminated) and are recorded failed (a poll says so at once, not after the stale delay). */
  async close(): Promise<void> {
    for (const job of this.active.values()) halt(job, 'stopping');
    await this.settled();
  }

  private async failIfRunnerDied(portalId: PortalId): Promise<void> {
    const now = this.deps.clock.now();
    if (await this.deps.store.previewJobs.failStale(portalId, now - this.staleAfterMs, RUNNER_STOPPED, now)) {
      this.deps.logger.warn({ portalId }, 'a preview job lost its runner (no heartbeat): recorded failed');
    }
  }

  private launch(job: PreviewJob, draftModel: CompiledModel): void {
    const active: Active = { portalId: job.portalId, id: job.id, contactsDone: 0, contactsTotal: 0, stop: null, abort: new AbortController(), writing: false, done: Promise.resolve() };
    this.active.set(job.id, active);
    const timer = setInterval(() => void this.writeProgress(active), this.heartbeatMs);
    timer.unref();
    active.done = this.run(active, job, draftModel).finally(() => {
      clearInterval(timer);
      this.active.delete(job.id);
    });
  }

  private async run(active: Active, job: PreviewJob, draftModel: CompiledModel): Promise<void> {
    const { store, logger } = this.deps;
    const { portalId, id } = active;
    try {
      // Counted here rather than in start: the POST answers at once, whatever the portal's size.
      active.contactsTotal = [...(await store.states.countByStage(portalId, 'contact')).values()].reduce((sum, n) => sum + n, 0);
      await this.writeProgress(active);
      const replayWhatIf = this.deps.replayer({
        signal: active.abort.signal,
        onProgress: ({ contacts }) => {
          active.contactsDone = contacts;
          active.contactsTotal = Math.max(active.contactsTotal, contacts);
          void this.writeProgress(active);
        },
      });
      const answer: PreviewAnswer = await previewModelDraft({ store, models: this.deps.models, replayWhatIf }, portalId, { revision: job.draftRevision, model: draftModel }, job.period);
      if (active.stop) throw new PreviewStopped();
      active.contactsDone = Math.max(active.contactsDone, answer.contacts + answer.missing);
      active.contactsTotal = Math.max(active.contactsTotal, active.contactsDone);
      await store.previewJobs.heartbeat(portalId, id, { contactsDone: active.contactsDone, contactsTotal: active.contactsTotal }, this.deps.clock.now());
      if (!(await store.previewJobs.finish(portalId, id, { status: 'done', result: answer }, this.deps.clock.now()))) {
        logger.info({ portalId, job: id }, 'preview finished after it was superseded or failed: its result is dropped');
      }
    } catch (error) {
      if (error instanceof PreviewStopped && active.stop === 'superseded') return;
      const message = error instanceof PreviewStopped ? BACKEND_STOPPING : failureMessage(error, id);
      if (!(error instanceof PreviewStopped)) logger.warn({ portalId, job: id, err: error }, 'preview job failed');
      try {
        await store.previewJobs.finish(portalId, id, { status: 'failed', error: message }, this.deps.clock.now());
      } catch (recordError) {
        // The poll reports it failed once its heartbeat is stale.
        logger.warn({ portalId, job: id, err: recordError }, 'recording the failed preview job failed');
      }
    }
  }

  /** One write at a time: the newest progress, which also proves the runner alive; learns when the job no longer runs. */
  private async writeProgress(active: Active): Promise<void> {
    if (active.writing || active.stop) return;
    active.writing = true;
    try {
      const { contactsDone, contactsTotal } = active;
      const stillRunning = await this.deps.store.previewJobs.heartbeat(active.portalId, active.id, { contactsDone, contactsTotal }, this.deps.clock.now());
      if (!stillRunning) halt(active, 'superseded');
    } catch (error) {
      this.deps.logger.warn({ portalId: active.portalId, job: active.id, err: error }, 'writing preview progress failed; the next batch tries again');
    } finally {
      active.writing = false;
    }
  }

  private async view(job: PreviewJob): Promise<PreviewJobView> {
    const { modelRevisions } = this.deps.store;
    // The draft, when there is one, is the portal's newest revision (a draft is numbered after every other).
    const [newest] = await modelRevisions.list(job.portalId, { limit: 1 });
    const published = (await modelRevisions.publishedRevisions([job.portalId])).get(job.portalId) ?? null;
    const draftNow = newest?.status === 'draft' ? newest : null;
    const stale = !draftNow || draftNow.revision !== job.draftRevision || draftNow.updatedAt !== job.draftSavedAt || published !== job.publishedRevision;
    const iso = (t: number) => new Date(t).toISOString();
    return {
      id: job.id,
      status: job.status,
      draftRevision: job.draftRevision,
      publishedRevision: job.publishedRevision,
      period: { start: iso(job.period.start), end: iso(job.period.end) },
      progress: { contactsDone: job.contactsDone, contactsTotal: Math.max(job.contactsTotal, job.contactsDone) },
      startedBy: job.startedBy,
      startedAt: iso(job.startedAt),
      finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
      stale,
      error: job.error,
      result: job.status === 'done' ? PreviewAnswerSchema.parse(job.result) : null,
    };
  }
}

/** Ends a job's run in this process: its replay rejects with PreviewStopped at once (its worker thread terminated). */
function halt(active: Active, why: 'superseded' | 'stopping'): void {
  active.stop ??= why;
  active.abort.abort(new PreviewStopped());
}

function sameSubject(job: PreviewJobSubject, subject: PreviewJobSubject): boolean {
  return (
    job.draftRevision === subject.draftRevision &&
    job.draftSavedAt === subject.draftSavedAt &&
    job.publishedRevision === subject.publishedRevision &&
    job.period.start === subject.period.start &&
    job.period.end === subject.period.end
  );
}

/** What the page shows: HubSpot's part named, anything else by the job's number (the log has the details). */
function failureMessage(error: unknown, id: number): string {
  if (error instanceof HubSpotError) return `HubSpot could not be read to fit the draft to this portal's lifecycle stages (${error.kind}); try again in a moment`;
  if (error instanceof ReplayThreadError && error.failure === 'out_of_memory')
    return `the replay ran out of memory on its worker thread (preview job ${id}); the backend log has the details`;
  if (error instanceof ReplayThreadError) return `the replay's worker thread failed (preview job ${id}); the backend log has the details`;
  return `the replay failed (preview job ${id}); the backend log has the details`;
}
