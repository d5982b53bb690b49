import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { PortalId, Store } from '../ports/store-ports';
import { blockedActionsTask } from '../actions/blocked-actions';
import { deliverOutboxOnce, type DeliveryDeps } from './deliver-outbox';
import { journalPullTask, reconcileTask, retentionTask, wakeupTask, type PeriodicTask } from './periodic-tasks';
import { CLAIM_LIMIT, processInboxOnce, type PipelineDeps } from './process-inbox';
import type { RetentionPolicy } from './prune-finished-work';

export interface RunnerDeps extends PipelineDeps, DeliveryDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  portals: () => PortalId[];
  /** Sleep between rounds when there is nothing to do. */
  idlePollMs?: number;
  /**
   * The worker loop's batch window (default CLAIM_WINDOW_MS): after a claim that took every waiting record, the next
   * claim waits until this long after it, so a steady stream of events is read, decided and written in batches
   * instead of a trickle of small rounds. A claim that hit the limit (a backlog) is followed at once, and an event
   * arriving after a quiet spell is claimed at once. 0 = claim whenever events wait.
   */
  claimWindowMs?: number;
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
  /** More periodic work (e.g. provisioning checks), run after the built-in tasks in every round they are due. */
  tasks?: PeriodicTask[];
}

/** The built-in periodic tasks the options ask for, then `deps.tasks`, in the order they run within a round. */
export function periodicTasksOf(deps: RunnerDeps): PeriodicTask[] {
  return [
    wakeupTask(deps.store, deps.schedulerEveryMs),
    ...(deps.reconcileEveryMs ? [reconcileTask(deps, deps.reconcileEveryMs)] : []),
    ...(deps.retention ? [retentionTask(deps, deps.retention, deps.pruneEveryMs)] : []),
    ...(deps.pullJournal ? [journalPullTask(deps, deps.pullJournal, deps.journalEveryMs)] : []),
    blockedActionsTask(deps),
    ...(deps.tasks ?? []),
  ];
}

/** Outbox batches (≤ 100 writes each) a round may deliver per portal: the writes of a full inbox claim (CLAIM_LIMIT). */
const OUTBOX_BATCHES_PER_ROUND = 10;

/**
 * B9: claiming whatever arrived the moment the last round ended makes rounds of a few dozen events at a steady 200/s,
 * and each round pays its own partial history reads, partial writes and company-association call: ~12 calls/s, more
 * than a public app's 9.9/s budget, so the rolling window filled and stalled the stream for seconds (p99 8.7 s). A
 * 1 s window reads 200 events in four full batches and one association call (about 7 calls/s at 200/s), and adds at
 * most 1 s to an event that arrives during a stream.
 */
export const CLAIM_WINDOW_MS = 1_000;

/**
 * The backend's worker and scheduler: one loop whose round runs the periodic tasks that are due (wake-ups, reconcile,
 * retention, journal pulls, BLOCKed workflow actions) for every portal, drains the inbox and delivers the outbox of every portal with work. A
 * webhook can `notify()` it so work starts at once instead of at the next poll — unless events are streaming in, when
 * the loop claims them once per batch window (`claimWindowMs`). `stop()` lets the round in flight finish, so nothing
 * is left half-done on shutdown.
 */
export class PipelineRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly tasks: Array<{ task: PeriodicTask; lastRun: number }>;
  private consecutiveErrors = 0;
  /** The worker loop claims the inbox again no sooner than this (see `claimWindowMs`). */
  private nextClaimAt = -Infinity;

  constructor(private readonly deps: RunnerDeps) {
    const started = deps.clock.now();
    this.tasks = periodicTasksOf(deps).map((task) => ({ task, lastRun: task.firstRun === 'first_round' ? -Infinity : started }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New inbox events are stored: the loop starts a round now, unless its batch window is still open. */
  notify(): void {
    if (this.wakesOnNotify()) this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * One full round; returns whether it did anything. Used by the loop, by tests and by the demo. `paced` (the loop):
   * the inbox is claimed only once the batch window of the previous claim has passed (`claimWindowMs`).
   */
  async round(options: { paced?: boolean } = {}): Promise<boolean> {
    const now = this.deps.clock.now();
    let busy = false;
    for (const entry of this.tasks) {
      if (now - entry.lastRun < entry.task.everyMs) continue;
      entry.lastRun = now;
      for (const portalId of this.deps.portals()) busy = (await entry.task.run(portalId, now)) || busy;
    }
    if (!options.paced || !this.claimWindowOpen()) {
      const claimedAt = this.deps.clock.now();
      const processed = await processInboxOnce(this.deps);
      busy = processed.claimed > 0 || busy;
      // A backlog (the claim was full) is claimed again at once; otherwise the next events gather for one window.
      const backlog = processed.records >= (this.deps.claimLimit ?? CLAIM_LIMIT);
      this.nextClaimAt = processed.claimed === 0 || backlog ? -Infinity : claimedAt + (this.deps.claimWindowMs ?? CLAIM_WINDOW_MS);
    }
    for (const portalId of await this.deps.store.outbox.portalsWithWork(this.deps.clock.now())) {
      // Batch after batch while there is due work, so the write-backs keep pace with the inbox: one batch of 100
      // per round let a round's 500 decided records wait rounds for their lc_stage (B9). Capped, so a portal's
      // backlog cannot hold the inbox (and the other portals) back for long.
      for (let batch = 0; batch < OUTBOX_BATCHES_PER_ROUND; batch++) {
        const delivered = await deliverOutboxOnce(this.deps, portalId);
        busy = delivered.calls > 0 || busy;
        if (delivered.calls === 0 || delivered.failed > 0) break;
      }
    }
    return busy;
  }

  /** Runs rounds until the inbox and outbox hold nothing deliverable now (tests and the demo wait on this). */
  async drain(maxRounds = 10_000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      for (const entry of this.tasks) if (entry.task.everyDrainRound) entry.lastRun = -Infinity;
      // When a round finds nothing to do, whatever is left is scheduled for later (backoff, a parked portal).
      if (!(await this.round())) return;
    }
    throw new Error(`pipeline did not drain within ${maxRounds} rounds`);
  }

  /**
   * One turn of the worker loop: a paced round, then how long the loop sleeps before the next (0: at once). A
   * `notify()` ends the sleep early unless the batch window is open (`wakesOnNotify`). The loop runs on it, and so
   * does B9's simulated-clock run, which plays the loop without real sleeps.
   */
  async step(): Promise<number> {
    let busy = false;
    try {
      busy = await this.round({ paced: true });
      this.consecutiveErrors = 0;
    } catch (error) {
      this.consecutiveErrors++;
      this.deps.logger.error({ err: error }, 'pipeline round failed');
    }
    return busy ? 0 : this.idleMs();
  }

  /** Whether new inbox events would start a round now (false while the batch window of the last claim is open). */
  wakesOnNotify(): boolean {
    return !this.claimWindowOpen();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const sleepMs = await this.step();
      if (sleepMs > 0 && this.running) await this.idle(sleepMs);
    }
  }

  private claimWindowOpen(): boolean {
    return this.deps.clock.now() < this.nextClaimAt;
  }

  /** How long the loop sleeps when a round found nothing to do: through a batch window, or until the next poll. */
  private idleMs(): number {
    if (this.consecutiveErrors > 0) return Math.min(30_000, 500 * 2 ** this.consecutiveErrors);
    const poll = this.deps.idlePollMs ?? 250;
    return this.claimWindowOpen() ? Math.min(poll, this.nextClaimAt - this.deps.clock.now()) : poll;
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
