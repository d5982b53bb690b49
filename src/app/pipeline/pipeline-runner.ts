import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { PortalId, Store } from '../ports/store-ports';
import { runReconcile } from '../reconcile/run-reconcile';
import { deliverOutboxOnce, type DeliveryDeps } from './deliver-outbox';
import { processInboxOnce, type PipelineDeps } from './process-inbox';
import { pruneFinishedWork, type RetentionPolicy } from './prune-finished-work';
import { scheduleWakeups } from './schedule-wakeups';

export interface RunnerDeps extends PipelineDeps, DeliveryDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  portals: () => PortalId[];
  /** Sleep between rounds when there is nothing to do. */
  idlePollMs?: number;
  schedulerEveryMs?: number;
  /** How often each portal gets a reconcile sweep (the drift repair behind webhooks); unset or 0 = never. */
  reconcileEveryMs?: number;
  /** Retention of finished queue rows; unset = never pruned. */
  retention?: RetentionPolicy;
  /** How often retention sweeps run (default 10 min). */
  pruneEveryMs?: number;
  /** Reads a portal's webhooks journal into the inbox (OAuth installs); unset = push webhooks only. */
  pullJournal?: (portalId: PortalId) => Promise<unknown>;
  /** How often each portal's journal is read (default 10 s); the first read is in the first round, to catch up. */
  journalEveryMs?: number;
  /** Picks up model revisions published elsewhere (ModelRegistry.refresh); unset = the model never changes at run time. */
  refreshModels?: (portalIds: PortalId[]) => Promise<void>;
  /** How often refreshModels runs (default 1 s); it runs before the first round's work too. */
  modelRefreshEveryMs?: number;
  /** One step of a portal's "re-evaluate every record now" job, if one runs (advanceReevaluation); unset = none. */
  reevaluate?: (portalId: PortalId) => Promise<'idle' | 'advanced' | 'finished'>;
}

/**
 * The backend's worker and scheduler: one loop that drains the inbox, delivers the outbox of every portal with
 * work, and enqueues due wake-ups. A webhook can `notify()` it so work starts at once instead of at the next poll.
 * `stop()` lets the round in flight finish, so nothing is left half-done on shutdown.
 */
export class PipelineRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSchedule = -Infinity;
  private lastReconcile: number;
  private lastPrune = -Infinity;
  private lastJournalPull = -Infinity;
  private lastModelRefresh = -Infinity;
  private consecutiveErrors = 0;

  constructor(private readonly deps: RunnerDeps) {
    // The first sweep comes one interval after start: the watermark (or its 24 h lookback) covers the time before.
    this.lastReconcile = deps.clock.now();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
  }

  /** One full round; returns whether it did anything. Used by the loop, by tests and by the demo. */
  async round(): Promise<boolean> {
    const now = this.deps.clock.now();
    let busy = false;
    if (this.deps.refreshModels && now - this.lastModelRefresh >= (this.deps.modelRefreshEveryMs ?? 1_000)) {
      this.lastModelRefresh = now;
      await this.refreshModels(this.deps.refreshModels);
    }
    if (now - this.lastSchedule >= (this.deps.schedulerEveryMs ?? 1_000)) {
      this.lastSchedule = now;
      for (const portalId of this.deps.portals()) busy = (await scheduleWakeups(this.deps.store, portalId, now)) > 0 || busy;
    }
    if (this.deps.reconcileEveryMs && now - this.lastReconcile >= this.deps.reconcileEveryMs) {
      this.lastReconcile = now;
      for (const portalId of this.deps.portals()) await this.reconcile(portalId);
    }
    if (this.deps.retention && now - this.lastPrune >= (this.deps.pruneEveryMs ?? 10 * 60_000)) {
      this.lastPrune = now;
      for (const portalId of this.deps.portals()) await this.prune(portalId, this.deps.retention);
    }
    if (this.deps.pullJournal && now - this.lastJournalPull >= (this.deps.journalEveryMs ?? 10_000)) {
      this.lastJournalPull = now;
      for (const portalId of this.deps.portals()) await this.pullJournal(portalId);
    }
    if (this.deps.reevaluate) {
      for (const portalId of this.deps.portals()) busy = (await this.reevaluate(portalId, this.deps.reevaluate)) || busy;
    }
    const processed = await processInboxOnce(this.deps);
    busy = processed.claimed > 0 || busy;
    for (const portalId of await this.deps.store.outbox.portalsWithWork(this.deps.clock.now())) {
      const delivered = await deliverOutboxOnce(this.deps, portalId);
      busy = delivered.calls > 0 || busy;
    }
    return busy;
  }

  /** A failed sweep leaves its watermark, so the next one covers the same window; it must not stop the worker. */
  private async reconcile(portalId: PortalId): Promise<void> {
    try {
      const summary = await runReconcile({ ...this.deps, hubspot: this.deps.hubspot(portalId), model: this.deps.model(portalId) }, portalId);
      this.deps.logger.info({ portalId, scanned: summary.scanned, transitions: summary.transitions, writes: summary.writesQueued }, 'reconcile sweep done');
    } catch (error) {
      this.deps.logger.warn({ portalId, err: error }, 'reconcile sweep failed; the next one covers the same window');
    }
  }

  /** Retention is housekeeping: a failed sweep is logged and tried again at the next interval. */
  private async prune(portalId: PortalId, retention: RetentionPolicy): Promise<void> {
    try {
      const pruned = await pruneFinishedWork(this.deps.store, portalId, retention, this.deps.clock.now());
      if (pruned.inbox + pruned.outbox > 0) this.deps.logger.debug({ portalId, ...pruned }, 'finished queue rows pruned');
    } catch (error) {
      this.deps.logger.warn({ portalId, err: error }, 'retention sweep failed; the next one tries again');
    }
  }

  /** A failed step keeps its cursor, so the next round repeats that batch; it must not stop the worker. */
  private async reevaluate(portalId: PortalId, step: NonNullable<RunnerDeps['reevaluate']>): Promise<boolean> {
    try {
      return (await step(portalId)) === 'advanced';
    } catch (error) {
      this.deps.logger.warn({ portalId, err: error }, 're-evaluation step failed; the next round repeats it');
      return false;
    }
  }

  /** A failed refresh keeps the models this process has; the next round reads again. */
  private async refreshModels(refresh: NonNullable<RunnerDeps['refreshModels']>): Promise<void> {
    try {
      await refresh(this.deps.portals());
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'reading the published model revisions failed; the models in use stay until the next round');
    }
  }

  /** A failed pull keeps its stored offset, so the next one reads on from there; it must not stop the worker. */
  private async pullJournal(portalId: PortalId): Promise<void> {
    try {
      await this.deps.pullJournal?.(portalId);
    } catch (error) {
      this.deps.logger.warn({ portalId, err: error }, 'webhooks journal pull failed; the next one reads on from the stored offset');
    }
  }

  /** Runs rounds until the inbox and outbox hold nothing deliverable now (tests and the demo wait on this). */
  async drain(maxRounds = 10_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      this.lastSchedule = -Infinity;
      // When a round finds nothing to do, whatever is left is scheduled for later (backoff, a parked portal).
      if (!(await this.round())) return;
    }
    throw new Error(`pipeline did not drain within ${maxRounds} rounds`);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let busy = false;
      try {
        busy = await this.round();
        this.consecutiveErrors = 0;
      } catch (error) {
        this.consecutiveErrors++;
        this.deps.logger.error({ err: error }, 'pipeline round failed');
      }
      if (!busy && this.running) await this.idle(this.consecutiveErrors > 0 ? Math.min(30_000, 500 * 2 ** this.consecutiveErrors) : (this.deps.idlePollMs ?? 250));
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
