import { main } from '../../src/cli/main';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { stagesInHubSpot } from '../e2e/failures-support';
import { deliver, routeWebhooksTo, startWebhookRecorder, type HubSpotEvent, type WebhookRecorder } from './support';
import { WEBHOOK_PATH } from '../../src/contracts/backend-routes';

/**
 * R20 (docs/reliability.md, I5): a signed HubSpot delivery is never answered 4xx for its content. HubSpot does not
 * retry every 4xx, so refusing a delivery for one odd event would lose all of its events for good.
 */

async function metricValue(h: PipelineHarness, name: string, portal: number): Promise<number> {
  const text = await (await fetch(`${h.backend.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{portal="${portal}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/** `lifecycle dead-letters list --json`, in-process, against the harness's database. */
async function deadLettersListed(databaseUrl: string): Promise<Array<{ source: string; payload: string; reason: string }>> {
  let out = '';
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
  const previous = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = databaseUrl;
  try {
    await main(['node', 'lifecycle', 'dead-letters', 'list', '--portal', String(PORTAL), '--json']);
  } finally {
    log.mockRestore();
    if (previous === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = previous;
  }
  return JSON.parse(out) as Array<{ source: string; payload: string; reason: string }>;
}

describe('R20: a signed delivery with unusable events, or more than 100 events, is stored and answered 200', () => {
  let h: PipelineHarness;
  let recorder: WebhookRecorder;
  let databaseUrl: string;
  beforeEach(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    databaseUrl = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'lc-r20-')), 'lifecycle.db')}`;
    h = await startPipelineHarness({ databaseUrl });
    recorder = await startWebhookRecorder();
    routeWebhooksTo(h, PORTAL, recorder.url);
  });
  afterEach(async () => {
    await h.stop();
    await recorder.stop();
  });

  it('150 real events and four unusable ones in one delivery: 200, the 150 processed, the four quarantined with raw JSON and reason, listed and counted', async () => {
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 150 }, (_, i) => ({ email: `many${i}@acme.test` })),
    );
    await h.sim.idle();
    const creations = recorder.events().filter((e) => e.subscriptionType.endsWith('creation'));
    expect(creations).toHaveLength(150);
    const template = creations[0]!;
    const unusable: Array<Record<string, unknown>> = [
      { ...template, eventId: 9_001, objectId: undefined }, // names no object
      { ...template, eventId: 9_002, objectId: 'not-a-number' },
      { ...template, eventId: 9_003, subscriptionType: 'object.propertyChange', propertyName: 'email', propertyValue: null }, // an unexpected null
      { ...template, eventId: 9_004, occurredAt: '2026-01-05T09:00:00Z' }, // a field of another type
    ];
    const response = await deliver(h, [...creations.slice(0, 75), ...unusable, ...creations.slice(75)]);

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ received: 154, stored: 150, quarantined: 4 });
    await h.settle();
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 150 });
    expect(await h.store.ledger.count(PORTAL)).toBe(150);

    const letters = await h.store.deadLetters.list(PORTAL);
    expect(letters).toHaveLength(4);
    expect(letters.map((l) => String(l.source))).toEqual(['webhook', 'webhook', 'webhook', 'webhook']);
    const byEventId = new Map(letters.map((l) => [(JSON.parse(l.payload) as HubSpotEvent).eventId, l]));
    expect(byEventId.get(9_001)!.reason).toContain('no objectId');
    expect(byEventId.get(9_002)!.reason).toContain('"not-a-number" is not a HubSpot id');
    expect(byEventId.get(9_003)!.reason).toContain('propertyValue');
    expect(byEventId.get(9_004)!.reason).toContain('occurredAt');
    // The raw JSON is kept as HubSpot sent it (JSON.stringify drops the undefined objectId, as the wire did).
    expect(JSON.parse(byEventId.get(9_003)!.payload)).toEqual(JSON.parse(JSON.stringify(unusable[2])));
    // None of them ever entered the inbox: nothing there failed, and nothing is pending.
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);

    expect(await metricValue(h, 'lifecycle_webhook_events_quarantined_total', PORTAL)).toBe(4);
    expect(await metricValue(h, 'lifecycle_dead_letters', PORTAL)).toBe(4);
    const listed = await deadLettersListed(databaseUrl);
    expect(listed.map((l) => l.source)).toEqual(['webhook', 'webhook', 'webhook', 'webhook']);
  });

  it("HubSpot's retry of the same delivery quarantines nothing twice", async () => {
    const bad = { eventId: 1, subscriptionId: 1, portalId: PORTAL, appId: 1, occurredAt: h.clock.now(), subscriptionType: 'contact.creation', attemptNumber: 0 };
    expect((await deliver(h, [bad])).status).toBe(200);
    expect((await deliver(h, [{ ...bad, attemptNumber: 1 }])).json).toMatchObject({ quarantined: 1 });
    expect(await h.store.deadLetters.list(PORTAL)).toHaveLength(1);
    expect(await metricValue(h, 'lifecycle_webhook_events_quarantined_total', PORTAL)).toBe(1);
  });

  it('a signed body that is not a JSON array is acknowledged and kept whole in the quarantine', async () => {
    for (const body of ['[{"eventId": 1,', '{"eventId": 1}']) {
      const secret = h.sim.portals[0]!.clientSecret;
      const { signedRequestHeaders } = await import('../../src/adapters/hubspot/signature');
      const url = `${h.backend.url}${WEBHOOK_PATH}`;
      const headers = signedRequestHeaders({ clientSecret: secret, method: 'POST', url, body, timestamp: h.clock.now(), legacyVersion: 'v1' });
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(response.status).toBe(200);
    }
    const letters = await h.store.deadLetters.list(PORTAL);
    expect(letters.map((l) => l.payload).sort()).toEqual(['[{"eventId": 1,', '{"eventId": 1}']);
    expect(letters.map((l) => l.reason).sort()).toEqual([expect.stringMatching(/^body is not JSON/), 'body is not a JSON array of events']);
  });

  it('the body-size limit stays: a delivery over 2 MB is refused with 413 and nothing is stored', async () => {
    const padding = 'x'.repeat(2_100_000);
    const response = await deliver(h, [{ eventId: 1, subscriptionId: 1, portalId: PORTAL, occurredAt: h.clock.now(), subscriptionType: 'contact.creation', objectId: 5, padding }]).catch(
      (error: Error) => ({ status: 0, error }),
    );
    expect(response.status).toBe(413);
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  });
});
