import fc from 'fast-check';
import { createStore } from '../../../adapters/store';
import type { Store } from '../../../app/ports/store-ports';
import { openTempStore, type TempStore } from '../../../app/reporting/__tests__/support/temp-store';
import { runReplay } from '../../../app/replay/run-replay';
import { combineWhatIf, whatIfFunnel, whatIfLedger, type ContactSpan } from '../../../app/replay/what-if-ledger';
import { b8WhatIfModel, seedStore } from '../../../bench/replay-bench';
import { aggregateWindow, DAY_MS, defaultModel } from '../../../core';
import { contactSpans, parallelWhatIf } from '../parallel-what-if';
import { whatIfOnWorkerThread } from '../what-if-worker';

const PORTAL = 8;
const UNTIL = Date.UTC(2026, 10, 1);
const CONTACTS = 240;
const ids = Array.from({ length: CONTACTS }, (_, i) => String(1_000_000 + i));
const whatIf = b8WhatIfModel();
/** A report's window (the year before UNTIL, summed between its cuts) and a stock series' (its last 120 days, day by day). */
const WINDOW = aggregateWindow(whatIf, { start: UNTIL - 365 * DAY_MS, end: UNTIL });
const DAILY = { firstDay: UNTIL / DAY_MS - 120, startDay: UNTIL / DAY_MS - 120, endDay: UNTIL / DAY_MS };
let temp: TempStore;
let store: Store;

beforeAll(async () => {
  // B8's generator: two years of clicks, visits, forms, meetings, deals won and lost, re-engagement, a dated score.
  temp = await openTempStore();
  await temp.closeStore();
  await seedStore(temp.url, defaultModel(), ids, true, () => undefined);
  store = await createStore(temp.url);
}, 60_000);
afterAll(async () => {
  await store.close();
  await temp.remove();
});

/** Everything a what-if ledger says, its sums as ordered arrays (so the keys' order counts too). */
const plain = (ledger: Awaited<ReturnType<typeof whatIfLedger>>) => ({ ...ledger, fold: ledger.fold.counts() });

describe('the what-if replay in parts', () => {
  it('replaying consecutive spans of contacts and combining them gives exactly the one replay of all of them, for any split', async () => {
    const wholes = new Map<object, ReturnType<typeof plain>>();
    for (const window of [WINDOW, DAILY]) wholes.set(window, plain(await whatIfLedger({ store, hubspot: null }, PORTAL, whatIf, UNTIL, window)));
    expect(wholes.get(WINDOW)?.contacts).toBe(CONTACTS);
    expect(wholes.get(DAILY)?.fold.dailyMoves.length).toBeGreaterThan(120);

    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: CONTACTS - 1 }), { maxLength: 4 }), fc.constantFrom(WINDOW, DAILY), async (cuts, window) => {
        const ends = [...cuts].sort((a, b) => a - b).map((i) => ids[i]!);
        const spans: ContactSpan[] = [...ends, null].map((last, i) => ({ after: i === 0 ? null : ends[i - 1]!, last }));
        const parts = [];
        for (const span of spans) parts.push(await whatIfLedger({ store, hubspot: null }, PORTAL, whatIf, UNTIL, window, span));
        expect(plain(combineWhatIf(window, parts))).toEqual(wholes.get(window));
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('splits the ledger into spans that cover every contact once, about evenly, the last one open-ended', async () => {
    const spans = await contactSpans(store, PORTAL, 3, 1, 25);

    expect(spans).toEqual([
      { after: null, last: ids[99] },
      { after: ids[99], last: ids[174] },
      { after: ids[174], last: null },
    ]);
    expect(await contactSpans(store, PORTAL, 3, CONTACTS + 1, 25)).toEqual([]);
  });

  it('on worker threads gives the same comparison as one thread (lifecycle replay and B8 replay this way)', async () => {
    const period = { start: UNTIL - 365 * DAY_MS, end: UNTIL };
    const models = { current: defaultModel(), whatIf };
    const oneThread = await runReplay({ store, hubspot: null }, PORTAL, models, period);
    let progress = 0;
    const replayWhatIf = parallelWhatIf({
      store,
      hubspot: null,
      database: { url: temp.url, pgSchema: null },
      parts: 3,
      minContacts: 1,
      splitPage: 40,
      onProgress: (p) => (progress = p.contacts),
    });

    const threads = await runReplay({ store, hubspot: null, replayWhatIf }, PORTAL, models, period);

    expect(JSON.stringify(threads)).toBe(JSON.stringify(oneThread));
    expect(threads.contacts).toBe(CONTACTS);
    expect(threads.stages.some((s) => s.flowIn.whatIf !== s.flowIn.current)).toBe(true);
    expect(progress).toBe(CONTACTS);
  }, 120_000);
});

describe('the what-if replay on one worker thread (the settings Preview)', () => {
  it('answers exactly the funnel of the replay on this thread, telling the contacts done as it goes', async () => {
    const progress: number[] = [];
    const replay = whatIfOnWorkerThread({ url: temp.url, pgSchema: null }, { onProgress: (p) => progress.push(p.contacts) });

    const onWorker = await replay(PORTAL, whatIf, UNTIL, WINDOW);

    expect(onWorker).toEqual(whatIfFunnel(await whatIfLedger({ store, hubspot: null }, PORTAL, whatIf, UNTIL, WINDOW)));
    expect(onWorker.funnel.dailyMoves.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(CONTACTS);
  }, 60_000);

  it('aborted while it runs, rejects with the reason once its thread is terminated; a throw in onProgress does the same', async () => {
    const stop = new AbortController();
    const aborted = whatIfOnWorkerThread({ url: temp.url, pgSchema: null }, { signal: stop.signal, onProgress: () => stop.abort(new Error('superseded')) });
    await expect(aborted(PORTAL, whatIf, UNTIL, WINDOW)).rejects.toThrow('superseded');

    const throwing = whatIfOnWorkerThread(
      { url: temp.url, pgSchema: null },
      {
        onProgress: () => {
          throw new Error('stopped by its progress');
        },
      },
    );
    await expect(throwing(PORTAL, whatIf, UNTIL, WINDOW)).rejects.toThrow('stopped by its progress');

    const abortedBefore = whatIfOnWorkerThread({ url: temp.url, pgSchema: null }, { signal: AbortSignal.abort(new Error('backend stopping')) });
    await expect(abortedBefore(PORTAL, whatIf, UNTIL, WINDOW)).rejects.toThrow('backend stopping');
  }, 60_000);
});
