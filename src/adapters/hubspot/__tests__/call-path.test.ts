import { SimulatedClock } from '../../../app/ports/clock';
import { HubSpotError } from '../../../app/ports/hubspot-port';
import type { RequestSlots } from '../../../app/ports/rate-budget';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { composeCallPath, withClassification, withDailyLimitLatch, withLimiter, withMetrics, withTimeout, type CallFn, type CallObservation, type HubSpotCall } from '../call-path';
import { HubSpotGateway } from '../hubspot-gateway';
import { RollingWindowLimiter } from '../rolling-window-limiter';

const START = Date.UTC(2026, 0, 5, 9, 12);

/** A call whose SDK request answers `outcome` (or throws it when it is an error). */
const callOf = (outcome: unknown, budget: HubSpotCall<unknown>['budget'] = 'burst'): HubSpotCall<unknown> => ({
  operation: 'spec_call',
  budget,
  request: () => (outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome)),
});

/** What the SDK throws for an HTTP error: ApiException's code, body and headers. */
const sdkError = (code: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => Object.assign(new Error(`HTTP ${code}`), { code, body, headers });

const send: CallFn = (call) => call.request(undefined as never);

/** A budget that records what the call path asked of it. */
function recordingSlots(): RequestSlots & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    acquire: async () => void log.push('acquire'),
    backOff: (ms) => void log.push(`backOff ${ms}`),
    settled: () => void log.push('settled'),
  };
}

describe('the HubSpot call path, one wrapper per concern', () => {
  it('composes wrappers outermost first', async () => {
    const order: string[] = [];
    const mark =
      (name: string) =>
      (next: CallFn): CallFn =>
      (call) => {
        order.push(name);
        return next(call);
      };
    await composeCallPath([mark('a'), mark('b'), mark('c')], send)(callOf('ok'));
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('classifies what the SDK threw: a 429 DAILY is the daily limit, a 429 TEN_SECONDLY_ROLLING waits the interval HubSpot names', async () => {
    const path = composeCallPath([withClassification], send);
    await expect(path(callOf(sdkError(429, { policyName: 'DAILY', message: 'You have reached your daily limit.' })))).rejects.toMatchObject({ kind: 'daily_limit', status: 429 });
    await expect(path(callOf(sdkError(429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' })))).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 10_000,
    });
    await expect(path(callOf(new Error('socket hang up')))).rejects.toBeInstanceOf(HubSpotError);
  });

  it('after a daily-limit answer refuses every call without sending until the next hourly probe, then sends again', async () => {
    const clock = new SimulatedClock(START);
    let sent = 0;
    const counting: CallFn = (call) => {
      sent++;
      return call.request(undefined as never);
    };
    const path = composeCallPath([withDailyLimitLatch(clock), withClassification], counting);
    await expect(path(callOf(sdkError(429, { policyName: 'DAILY', message: 'daily pool dry' })))).rejects.toMatchObject({ kind: 'daily_limit' });
    await expect(path(callOf('ok'))).rejects.toMatchObject({ kind: 'daily_limit', message: 'daily pool dry', status: null });
    expect(sent).toBe(1);
    clock.set(Date.UTC(2026, 0, 5, 10, 1)); // the probe one minute past the next hour (backoff.ts dailyLimitRetryAt)
    await expect(path(callOf('ok'))).resolves.toBe('ok');
    expect(sent).toBe(2);
  });

  it('takes a slot of the call’s own budget, and settles it whether the call succeeded or failed', async () => {
    const burst = recordingSlots();
    const search = recordingSlots();
    const path = composeCallPath([withLimiter({ burst, search }), withClassification], send);
    await path(callOf('ok', 'search'));
    await expect(path(callOf(sdkError(400, { message: 'bad input' })))).rejects.toMatchObject({ kind: 'validation' });
    expect(search.log).toEqual(['acquire', 'settled']);
    expect(burst.log).toEqual(['acquire', 'settled']);
  });

  it('makes the budget hold off for the wait HubSpot asked for after a 429', async () => {
    const burst = recordingSlots();
    const path = composeCallPath([withLimiter({ burst, search: recordingSlots() }), withClassification], send);
    await expect(path(callOf(sdkError(429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'x-hubspot-ratelimit-interval-milliseconds': '10000' })))).rejects.toMatchObject({
      kind: 'rate_limited',
    });
    expect(burst.log).toEqual(['acquire', 'backOff 10000', 'settled']);
  });

  it('reports every call to the metrics hook, failures with their status and kind', async () => {
    const seen: CallObservation[] = [];
    const path = composeCallPath([withMetrics(7, (c) => seen.push(c)), withClassification], send);
    await path(callOf('ok'));
    await expect(path(callOf(sdkError(404, { message: 'gone' })))).rejects.toMatchObject({ kind: 'not_found' });
    expect(seen).toEqual([
      { portalId: 7, operation: 'spec_call', ok: true, status: 200 },
      { portalId: 7, operation: 'spec_call', ok: false, status: 404, kind: 'not_found' },
    ]);
  });

  it('fails a call that does not answer in time as a transient timeout', async () => {
    const path = composeCallPath([withTimeout(20)], send);
    const hung: HubSpotCall<never> = { operation: 'hung', budget: 'burst', request: () => new Promise<never>(() => undefined) };
    const failure = await path(hung).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HubSpotError);
    expect(failure).toMatchObject({ kind: 'timeout', transient: true });
  });
});

describe('HubSpotGateway: the API groups behind one facade, on the real SDK against the simulator', () => {
  let sim: RunningSimulator;
  let clock: SimulatedClock;
  beforeEach(async () => {
    clock = new SimulatedClock(START);
    sim = await startSimulator({ clock, portals: [{ portalId: 101, tier: 'private-starter' }] });
  });
  afterEach(() => sim.stop());

  const gateway = (limiter: RequestSlots, searchLimiter: RequestSlots, onCall?: (c: CallObservation) => void) =>
    new HubSpotGateway({
      portalId: sim.portals[0]!.portalId,
      accessToken: sim.portals[0]!.accessTokens[0]!,
      basePath: sim.baseUrl,
      limiter,
      searchLimiter,
      clock,
      ...(onCall ? { onCall } : {}),
    });

  it('sends a search on the search budget and a batch read on the burst budget', async () => {
    const burst = recordingSlots();
    const search = recordingSlots();
    const hubspot = gateway(burst, search);
    const [id] = sim.control.seed(sim.portals[0]!.portalId, 'contacts', [{ email: 'a@x.io' }]);
    const page = await hubspot.searchPage('contact', {
      filterGroups: [[{ propertyName: 'email', operator: 'EQ', value: 'a@x.io' }]],
      sort: { propertyName: 'createdate', direction: 'ASCENDING' },
      properties: ['email'],
      limit: 10,
    });
    const read = await hubspot.batchRead('contact', [id!, '999999'], ['email']);
    expect(page.records.map((r) => r.id)).toEqual([id]);
    expect(read.records.map((r) => r.properties['email'])).toEqual(['a@x.io']);
    expect(read.missing).toEqual(['999999']);
    expect(search.log).toEqual(['acquire', 'settled']);
    expect(burst.log).toEqual(['acquire', 'settled']);
  });

  it('latches on HubSpot’s daily limit: one real 429, then no call leaves until the next probe', async () => {
    const portalId = sim.portals[0]!.portalId;
    const seen: CallObservation[] = [];
    const hubspot = gateway(new RollingWindowLimiter({ maxRequests: 100, windowMs: 10_000 }, clock), recordingSlots(), (c) => seen.push(c));
    sim.control.exhaustDailyLimit(portalId);
    sim.control.resetStats();
    await expect(hubspot.propertyOptions('contact', 'lifecyclestage')).rejects.toMatchObject({ kind: 'daily_limit', status: 429 });
    await expect(hubspot.batchRead('contact', ['1'], ['email'])).rejects.toMatchObject({ kind: 'daily_limit', status: null });
    expect(sim.control.stats().portals[String(portalId)]?.calls).toBe(1);
    expect(seen.map((c) => [c.operation, c.kind])).toEqual([['property_read', 'daily_limit']]);
  });
});
