import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { PortalId, Store } from '../ports/store-ports';
import { deliverOutboxOnce, type DeliveryDeps } from './deliver-outbox';
import { journalPullTask, reconcileTask, retentionTask, wakeupTask, type PeriodicTask } from './periodic-tasks';
import { processInboxOnce, type PipelineDeps } from './process-inbox';
import type { RetentionPolicy } from './prune-finished-work';

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
    ...(deps.tasks ?? []),
  ];
}

/**
 * The backend's worker and scheduler: one loop whose round runs the periodic tasks that are due (wake-ups, reconcile,
 * retention, journal pulls) for every portal, drains the inbox and delivers the outbox of every portal with work. A
 * webhook can `notify()` it so work starts at once instead of at the next poll. `stop()` lets the round in flight
 * finish, so nothing is left half-done on shutdown.
 */
export class PipelineRunner {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly tasks: Array<{ task: PeriodicTask; lastRun: number }>;
  private consecutiveErrors = 0;

  constructor(private readonly deps: RunnerDeps) {
    const started = deps.clock.now();
    this.tasks = periodicTasksOf(deps).map((task) => ({ task, lastRun: task.firstRun === 'first_round' ? -Infinity : started }));
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
    for (const entry of this.tasks) {
      if (now - entry.lastRun < entry.task.everyMs) continue;
      entry.lastRun = now;
      for (const portalId of this.deps.portals()) busy = (await entry.task.run(portalId, now)) || busy;
    }
    const processed = await processInboxOnce(this.deps);
    busy = processed.claimed > 0 || busy;
    for (const portalId of await this.deps.store.outbox.portalsWithWork(this.deps.clock.now())) {
      const delivered = await deliverOutboxOnce(this.deps, portalId);
      busy = delivered.calls > 0 || busy;
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
