import { defaultModel } from '../../../core';
import pino from 'pino';
import { SimulatedClock } from '../../ports/clock';
import { openTempStore, type TempStore } from '../../reporting/__tests__/support/temp-store';
import type { HubSpotPort } from '../../ports/hubspot-port';
import type { PeriodicTask } from '../periodic-tasks';
import { PipelineRunner, periodicTasksOf, type RunnerDeps } from '../pipeline-runner';

const START = Date.UTC(2026, 2, 2, 9);

/** A task that records when, and for which portal, it ran. */
function recordingTask(name: string, everyMs: number, firstRun: PeriodicTask['firstRun'], runs: Array<[string, number, number]>, outcome: () => boolean = () => false): PeriodicTask {
  return {
    name,
    everyMs,
    firstRun,
    run: async (portalId, now) => {
      runs.push([name, portalId, now]);
      return outcome();
    },
  };
}

describe('PipelineRunner: a round runs the periodic tasks that are due, then the queues', () => {
  let temp: TempStore;
  let clock: SimulatedClock;
  const deps = (extra: Partial<RunnerDeps>): RunnerDeps => ({
    store: temp.store,
    clock,
    logger: pino({ level: 'silent' }),
    workerId: 'spec',
    portals: () => [7, 8],
    // The queues are empty in these specs, so the worker never asks for HubSpot.
    hubspot: () => {
      throw new Error('no HubSpot call is expected');
    },
    model: () => defaultModel(),
    ...extra,
  });

  beforeEach(async () => {
    temp = await openTempStore();
    clock = new SimulatedClock(START);
  });
  afterEach(() => temp.remove());

  it('runs a registered task for every portal, at its own interval', async () => {
    const runs: Array<[string, number, number]> = [];
    const runner = new PipelineRunner(deps({ tasks: [recordingTask('check', 60_000, 'first_round', runs)] }));
    await runner.round();
    clock.advance(30_000);
    await runner.round();
    clock.advance(30_000);
    await runner.round();
    expect(runs).toEqual([
      ['check', 7, START],
      ['check', 8, START],
      ['check', 7, START + 60_000],
      ['check', 8, START + 60_000],
    ]);
  });

  it('runs a task that starts after one interval only once that interval has passed', async () => {
    const runs: Array<[string, number, number]> = [];
    const runner = new PipelineRunner(deps({ portals: () => [7], tasks: [recordingTask('sweep', 60_000, 'after_one_interval', runs)] }));
    await runner.round();
    clock.advance(59_999);
    await runner.round();
    expect(runs).toEqual([]);
    clock.advance(1);
    await runner.round();
    expect(runs).toEqual([['sweep', 7, START + 60_000]]);
  });

  it('is busy when a task queued work, and idle when none did and the queues are empty', async () => {
    let queued = true;
    const runner = new PipelineRunner(deps({ tasks: [recordingTask('pull', 1, 'first_round', [], () => queued)] }));
    expect(await runner.round()).toBe(true);
    queued = false;
    clock.advance(1);
    expect(await runner.round()).toBe(false);
  });

  it('lets a task that throws fail the round, and does not run it again before its interval', async () => {
    let calls = 0;
    const failing: PeriodicTask = {
      name: 'broken',
      everyMs: 60_000,
      firstRun: 'first_round',
      run: async () => {
        calls++;
        throw new Error('broken task');
      },
    };
    const runner = new PipelineRunner(deps({ portals: () => [7], tasks: [failing] }));
    await expect(runner.round()).rejects.toThrow('broken task');
    await runner.round();
    expect(calls).toBe(1);
  });

  it('orders the built-in tasks wake-ups, reconcile, retention, journal pull, blocked workflow actions, then the registered ones, each only when configured', () => {
    const extra = recordingTask('provisioning-check', 3_600_000, 'after_one_interval', []);
    expect(periodicTasksOf(deps({})).map((t) => t.name)).toEqual(['wake-ups', 'blocked-workflow-actions']);
    const all = periodicTasksOf(deps({ reconcileEveryMs: 3_600_000, retention: { periodMs: 14 * 86_400_000 }, pullJournal: async () => undefined, journalEveryMs: 5_000, tasks: [extra] }));
    expect(all.map((t) => [t.name, t.everyMs, t.firstRun])).toEqual([
      ['wake-ups', 1_000, 'first_round'],
      ['reconcile', 3_600_000, 'after_one_interval'],
      ['retention', 600_000, 'first_round'],
      ['journal-pull', 5_000, 'first_round'],
      ['blocked-workflow-actions', 0, 'first_round'],
      ['provisioning-check', 3_600_000, 'after_one_interval'],
    ]);
  });

  it('keeps the worker going when a journal pull fails: the failure is logged and the next interval tries again', async () => {
    let pulls = 0;
    const runner = new PipelineRunner(
      deps({
        portals: () => [7],
        journalEveryMs: 10_000,
        pullJournal: async () => {
          pulls++;
          throw new Error('journal down');
        },
      }),
    );
    await expect(runner.round()).resolves.toBe(false);
    clock.advance(10_000);
    await runner.round();
    expect(pulls).toBe(2);
  });

  it('drain() runs the wake-ups in every round, whatever their interval', async () => {
    const runner = new PipelineRunner(deps({ schedulerEveryMs: 3_600_000 }));
    const due = jest.spyOn(temp.store.states, 'due');
    await runner.round();
    await runner.drain();
    expect(due).toHaveBeenCalledTimes(4);
  });
});

describe('PipelineRunner: the worker loop claims a stream of events once per batch window', () => {
  let temp: TempStore;
  let clock: SimulatedClock;
  let serial = 0;
  const WINDOW = 1_000;
  const runner = (extra: Partial<RunnerDeps> = {}) =>
    new PipelineRunner({
      store: temp.store,
      clock,
      logger: pino({ level: 'silent' }),
      workerId: 'spec',
      portals: () => [7],
      // Deletions trigger no read: the rounds below never call HubSpot.
      hubspot: () => noCalls,
      model: () => defaultModel(),
      claimWindowMs: WINDOW,
      ...extra,
    });
  /** A webhook delivery of `count` events, each of its own contact, stored now. */
  const arrive = (count = 1) =>
    temp.store.inbox.insertMany(
      7,
      Array.from({ length: count }, () => {
        const id = String(++serial);
        return {
          dedupKey: `spec-${id}`,
          eventId: id,
          subscriptionType: 'object.deletion',
          objectType: 'contact' as const,
          objectId: id,
          propertyName: null,
          propertyValue: null,
          changeSource: null,
          occurredAt: clock.now(),
          attemptNumber: 0,
          payload: '{}',
        };
      }),
      clock.now(),
    );
  const waiting = () => temp.store.inbox.pendingCount(7);
  const noCalls = new Proxy({ portalId: 7 } as HubSpotPort, {
    get: (target, name) =>
      name in target
        ? target[name as keyof HubSpotPort]
        : () => {
            throw new Error(`no HubSpot call is expected (${String(name)})`);
          },
  });

  beforeEach(async () => {
    temp = await openTempStore();
    clock = new SimulatedClock(START);
  });
  afterEach(() => temp.remove());

  it('claims an event that arrives after a quiet spell at once', async () => {
    const worker = runner();
    expect(worker.wakesOnNotify()).toBe(true);
    await arrive();
    await worker.step();
    expect(await waiting()).toBe(0);
  });

  it('holds events that arrive within the window of the last claim until the window has passed, then claims them together', async () => {
    const worker = runner();
    await arrive();
    await worker.step();
    clock.advance(100);
    await arrive(2);
    expect(worker.wakesOnNotify()).toBe(false);
    // The loop sleeps no further than the end of the window (its poll interval is shorter here).
    expect(await worker.step()).toBeLessThanOrEqual(WINDOW - 100);
    expect(await waiting()).toBe(2);
    clock.advance(500);
    await arrive();
    await worker.step();
    expect(await waiting()).toBe(3);
    clock.advance(400);
    expect(worker.wakesOnNotify()).toBe(true);
    await worker.step();
    expect(await waiting()).toBe(0);
  });

  it('claims a backlog batch after batch without waiting: a claim that hit the limit is followed at once', async () => {
    const worker = runner({ claimLimit: 2 });
    await arrive(5);
    expect(await worker.step()).toBe(0);
    expect(await waiting()).toBe(3);
    expect(worker.wakesOnNotify()).toBe(true);
    await worker.step();
    expect(await waiting()).toBe(1);
    await worker.step();
    expect(await waiting()).toBe(0);
    // The last claim took less than the limit: the stream is caught up, and the next events wait for the window.
    expect(worker.wakesOnNotify()).toBe(false);
  });

  it('claims whenever events wait with a window of 0, and round() without pacing (drain, tests) ignores the window', async () => {
    const unpaced = runner({ claimWindowMs: 0 });
    await arrive();
    await unpaced.step();
    await arrive();
    expect(unpaced.wakesOnNotify()).toBe(true);
    await unpaced.step();
    expect(await waiting()).toBe(0);

    const worker = runner();
    await arrive();
    await worker.step();
    await arrive();
    await worker.round();
    expect(await waiting()).toBe(0);
  });
});
