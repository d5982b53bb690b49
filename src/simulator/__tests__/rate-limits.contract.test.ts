import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

describe('rate limits and injected faults', () => {
  let h: Harness;
  afterEach(() => h.sim.stop());

  it('serves 110 requests in 10 s on a public portal and answers the 111th with TEN_SECONDLY_ROLLING', async () => {
    h = await startHarness();
    const contacts = h.client().crm.contacts.basicApi;
    for (let i = 0; i < 110; i += 1) await contacts.getPage(1);
    const limited = await apiError(contacts.getPage(1));
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(typeof limited.body.correlationId).toBe('string');
    expect(limited.headers).toMatchObject({ 'x-hubspot-ratelimit-max': '110', 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' });
    expect(limited.headers['x-hubspot-ratelimit-daily']).toBeUndefined();

    h.clock.advance(10_000);
    await expect(contacts.getPage(1)).resolves.toHaveProperty('results');
    expect(h.sim.control.stats().portals['101']).toMatchObject({ calls: 112, rateLimited: 1, rateLimitedByPolicy: { TEN_SECONDLY_ROLLING: 1 } });
  });

  it('sends daily headers on private tiers and a DAILY 429 once the day is used up', async () => {
    h = await startHarness({ portals: [{ portalId: 101, tier: 'private-starter', rateLimits: { daily: 3 } }] });
    const contacts = h.client().crm.contacts.basicApi;
    const info = await contacts.getPageWithHttpInfo(1);
    expect(info.headers).toMatchObject({ 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-daily': '3', 'x-hubspot-ratelimit-daily-remaining': '2' });
    await contacts.getPage(1);
    await contacts.getPage(1);
    expect((await apiError(contacts.getPage(1))).body.policyName).toBe('DAILY');
    h.clock.advance(24 * 3600_000);
    await expect(contacts.getPage(1)).resolves.toHaveProperty('results');
    h.sim.control.exhaustDailyLimit(101);
    expect((await apiError(contacts.getPage(1))).body.policyName).toBe('DAILY');
  });

  it('plays a scripted 429 storm for a span of clock time', async () => {
    h = await startHarness();
    h.sim.control.rateLimitStorm(101, 5_000);
    expect((await apiError(h.client().crm.contacts.basicApi.getPage(1))).body.policyName).toBe('TEN_SECONDLY_ROLLING');
    h.clock.advance(5_000);
    await expect(h.client().crm.contacts.basicApi.getPage(1)).resolves.toHaveProperty('results');
  });

  it('fails a method+path pattern with 5xx a set number of times, then recovers', async () => {
    h = await startHarness();
    h.sim.control.setFaults(101, { failingRoutes: [{ method: 'POST', pathPattern: '/batch/update$', status: 503, times: 2 }] });
    const [id] = h.sim.control.seed(101, 'contacts', [{ email: 'f@example.com' }]);
    const update = () => h.client().crm.contacts.batchApi.update({ inputs: [{ id: id as string, properties: { firstname: 'F' } }] });
    expect((await apiError(update())).code).toBe(503);
    expect((await apiError(update())).code).toBe(503);
    await expect(update()).resolves.toHaveProperty('status', 'COMPLETE');
    expect(h.sim.control.stats().portals['101']?.serverErrors).toBe(2);
  });

  it('injects a reproducible error rate and hangs requests past the client timeout', async () => {
    h = await startHarness();
    h.sim.control.setFaults(101, { errorRate: 0.5, seed: 7 });
    const outcomes: number[] = [];
    for (let i = 0; i < 20; i += 1)
      outcomes.push(
        await h
          .client()
          .crm.contacts.basicApi.getPage(1)
          .then(
            () => 200,
            (e: { code: number }) => e.code,
          ),
      );
    const failures = outcomes.filter((c) => c === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(17);

    h.sim.control.setFaults(101, { timeoutRate: 1, hangMs: 5_000 });
    const started = Date.now();
    // A client-side timeout is what a hang looks like to the caller (raw fetch: the SDK has no per-call timeout).
    const response = await fetch(`${h.sim.baseUrl}/crm/v3/objects/contacts`, { headers: { authorization: 'Bearer sim-token-101' }, signal: AbortSignal.timeout(200) }).catch((e: Error) => e);
    expect(response).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
