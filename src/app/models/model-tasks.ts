import type { Logger } from 'pino';
import type { PeriodicTask } from '../pipeline/periodic-tasks';
import type { PortalId } from '../ports/store-ports';
import type { ModelRegistry } from './model-registry';

/**
 * Picks up a model revision published through another backend process (this process loads its own at once), and
 * seeds a portal served for the first time. One indexed read per portal per interval. A failed read keeps the model
 * in use until the next interval.
 */
export function modelRefreshTask(deps: { models: Pick<ModelRegistry, 'refresh'>; logger: Logger }, everyMs = 1_000): PeriodicTask {
  return {
    name: 'model-refresh',
    everyMs,
    firstRun: 'first_round',
    run: async (portalId) => {
      try {
        await deps.models.refresh([portalId]);
      } catch (error) {
        deps.logger.warn({ portalId, err: error }, 'reading the published model revision failed; the model in use stays until the next try');
      }
      return false;
    },
  };
}

/**
 * One step of a portal's "re-evaluate every record now" job per round while one runs (advanceReevaluation), so it
 * goes at the pace the rate limiter allows and drain() runs it to the end. A failed step keeps its cursor: the next
 * round repeats that batch.
 */
export function reevaluationTask(deps: { step: (portalId: PortalId) => Promise<'idle' | 'advanced' | 'finished'>; logger: Logger }): PeriodicTask {
  return {
    name: 'model-reevaluation',
    everyMs: 0,
    firstRun: 'first_round',
    everyDrainRound: true,
    run: async (portalId) => {
      try {
        return (await deps.step(portalId)) === 'advanced';
      } catch (error) {
        deps.logger.warn({ portalId, err: error }, 're-evaluation step failed; the next round repeats it');
        return false;
      }
    },
  };
}
