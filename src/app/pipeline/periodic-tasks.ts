import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { PortalId, Store } from '../ports/store-ports';
import { runReconcile } from '../reconcile/run-reconcile';
import type { PipelineDeps } from './process-inbox';
import { pruneFinishedWork, type RetentionPolicy } from './prune-finished-work';
import { scheduleWakeups } from './schedule-wakeups';

/**
 * Work the runner does for every portal at its own interval, before the round drains the inbox and outbox
 * (wake-ups, reconcile sweeps, retention, journal pulls; later provisioning checks). A new pull source or check is
 * one more task in the list, not an edit to the round.
 */
export interface PeriodicTask {
  readonly name: string;
  readonly everyMs: number;
  /** 'first_round': due at once; 'after_one_interval': the first run comes one interval after the runner started. */
  readonly firstRun: 'first_round' | 'after_one_interval';
  /** drain() runs it in every round: work it creates (due wake-ups) must be in the queues before they count as empty. */
  readonly everyDrainRound?: boolean;
  /**
   * Runs for one portal; resolves true when it queued work, which keeps the loop from idling. A task that must not
   * stop the worker catches its own failures (the runner lets a throw fail the whole round).
   */
  run(portalId: PortalId, now: number): Promise<boolean>;
}

/** Time-based rules fire through the inbox: due wake-ups are enqueued like webhooks (schedule-wakeups.ts). */
export function wakeupTask(store: Store, everyMs = 1_000): PeriodicTask {
  return {
    name: 'wake-ups',
    everyMs,
    firstRun: 'first_round',
    everyDrainRound: true,
    run: async (portalId, now) => (await scheduleWakeups(store, portalId, now)) > 0,
  };
}

/**
 * The drift repair behind webhooks. The first sweep comes one interval after start: the watermark (or its 24 h
 * lookback) covers the time before. A failed sweep leaves its watermark, so the next one covers the same window.
 */
export function reconcileTask(deps: Pick<PipelineDeps, 'store' | 'clock' | 'logger' | 'workerId' | 'hubspot' | 'model'>, everyMs: number): PeriodicTask {
  return {
    name: 'reconcile',
    everyMs,
    firstRun: 'after_one_interval',
    run: async (portalId) => {
      try {
        const summary = await runReconcile({ ...deps, hubspot: deps.hubspot(portalId), model: deps.model(portalId) }, portalId);
        deps.logger.info({ portalId, scanned: summary.scanned, transitions: summary.transitions, writes: summary.writesQueued }, 'reconcile sweep done');
      } catch (error) {
        deps.logger.warn({ portalId, err: error }, 'reconcile sweep failed; the next one covers the same window');
      }
      return false;
    },
  };
}

/** Retention is housekeeping: a failed sweep is logged and tried again at the next interval. */
export function retentionTask(deps: { store: Store; clock: Clock; logger: Logger }, retention: RetentionPolicy, everyMs = 10 * 60_000): PeriodicTask {
  return {
    name: 'retention',
    everyMs,
    firstRun: 'first_round',
    run: async (portalId) => {
      try {
        const pruned = await pruneFinishedWork(deps.store, portalId, retention, deps.clock.now());
        if (pruned.inbox + pruned.outbox > 0) deps.logger.debug({ portalId, ...pruned }, 'finished queue rows pruned');
      } catch (error) {
        deps.logger.warn({ portalId, err: error }, 'retention sweep failed; the next one tries again');
      }
      return false;
    },
  };
}

/**
 * Reads a portal's webhooks journal into the inbox; the first read is in the first round, to catch up. A failed pull
 * keeps its stored offset, so the next one reads on from there.
 */
export function journalPullTask(deps: { logger: Logger }, pull: (portalId: PortalId) => Promise<unknown>, everyMs = 10_000): PeriodicTask {
  return {
    name: 'journal-pull',
    everyMs,
    firstRun: 'first_round',
    run: async (portalId) => {
      try {
        await pull(portalId);
      } catch (error) {
        deps.logger.warn({ portalId, err: error }, 'webhooks journal pull failed; the next one reads on from the stored offset');
      }
      return false;
    },
  };
}
