import { verifyHubSpotSignature } from '../../adapters/hubspot/signature';
import type { WebhooksConfigInput } from '../webhooks/webhook-config';
import type { Harness } from './harness';
import { startHarness } from './harness';
import { startReceiver } from './receiver';

type Event = {
  eventId: number;
  subscriptionType: string;
  objectId: number;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  attemptNumber: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  changeSource: string;
};

const webhooksHsmeta = (targetUrl: string, maxConcurrentRequests = 10): { uid: string; type: string; config: WebhooksConfigInput } => ({
  uid: 'webhooks',
  type: 'webhooks',
  config: {
    settings: { targetUrl, maxConcurrentRequests },
    subscriptions: {
      crmObjects: [
        { subscriptionType: 'object.creation', objectType: 'contact', active: true },
        { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage', active: true },
        { subscriptionType: 'object.deletion', objectType: 'contact', active: true },
        { subscriptionType: 'object.associationChange', objectType: 'contact', active: true },
      ],
    },
  },
});

describe('webhook deliveries', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let statuses: number[];
  beforeEach(async () => {
    statuses = [];
    receiver = await startReceiver(() => ({ status: statuses.shift() ?? 204 }));
    h = await startHarness({ portals: [{ portalId: 101, appId: 777, webhooks: webhooksHsmeta(receiver.url('/hubspot/webhooks')) }], webhookTimeScale: 0.001 });
  });
  afterEach(async () => {
    await h.sim.stop();
    await receiver.stop();
  });

  const events = () => receiver.received.flatMap((r) => r.json as Event[]);

  it('POSTs HubSpot-shaped events whose v3 signature verifies with our verifier', async () => {
    const { id } = await h.client().crm.contacts.basicApi.create({ properties: { email: 'w@example.com', lifecyclestage: 'lead' }, associations: [] });
    await h.sim.idle();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const verdict = verifyHubSpotSignature(
      { method: 'POST', url: receiver.url('/hubspot/webhooks'), rawBody: request?.rawBody ?? '', headers: request?.headers ?? {} },
      { clientSecrets: ['sim-secret-101'], now: h.clock.now() },
    );
    expect(verdict).toEqual({ ok: true, version: 'v3' });
    expect(request?.headers['x-hubspot-signature-version']).toBe('v1');
    expect(events()).toEqual([
      expect.objectContaining({ subscriptionType: 'object.creation', objectId: Number(id), objectTypeId: '0-1', portalId: 101, appId: 777, attemptNumber: 0, changeFlag: 'NEW' }),
      expect.objectContaining({ subscriptionType: 'object.propertyChange', propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'API', occurredAt: h.clock.now() }),
    ]);
  });

  it('batches at most 100 events per request', async () => {
    await h
      .client()
      .crm.contacts.batchApi.create({ inputs: Array.from({ length: 100 }, (_, n) => ({ properties: { email: `n${n}@example.com`, lifecyclestage: 'lead' }, associations: [] })) });
    await h.sim.idle();
    expect(events()).toHaveLength(200);
    expect(receiver.received.map((r) => (r.json as Event[]).length)).toEqual([100, 100]);
  });

  it('retries a 5xx delivery on the scaled schedule with a growing attemptNumber', async () => {
    statuses = [500, 503];
    await h.client().crm.contacts.basicApi.create({ properties: { email: 'r@example.com' }, associations: [] });
    await h.sim.idle();
    expect(receiver.received).toHaveLength(1);
    expect(h.sim.control.pendingWebhookRetries(101)).toBe(1);

    h.clock.advance(59); // the first retry is due 1 min × 0.001 later
    await h.sim.idle();
    expect(receiver.received).toHaveLength(1);
    h.clock.advance(1);
    await h.sim.idle();
    h.clock.advance(300);
    await h.sim.idle();
    expect(receiver.received.map((r) => (r.json as Event[])[0]?.attemptNumber)).toEqual([0, 1, 2]);
    expect(h.sim.control.stats().portals['101']).toMatchObject({ webhookDeliveries: 3, webhookRetries: 2 });
  });

  it('duplicates and reorders deliveries on demand', async () => {
    h.sim.control.setWebhookChaos(101, { duplicate: true, reorder: true });
    const { id } = await h.client().crm.contacts.basicApi.create({ properties: { email: 'd@example.com', lifecyclestage: 'lead' }, associations: [] });
    await h.sim.idle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]?.rawBody).toBe(receiver.received[1]?.rawBody);
    expect((receiver.received[0]?.json as Event[]).map((e) => e.subscriptionType)).toEqual(['object.propertyChange', 'object.creation']);
    expect(Number(id)).toBe((receiver.received[0]?.json as Event[])[1]?.objectId);
  });

  it('honours maxConcurrentRequests', async () => {
    await h.sim.stop();
    await receiver.stop();
    let inFlight = 0;
    let peak = 0;
    receiver = await startReceiver(() => ({ status: 204 }));
    const slowReceiver = await (async () => {
      const express = (await import('express')).default;
      const app = express();
      app.post('/hook', async (_req, res) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight -= 1;
        res.status(204).end();
      });
      return await new Promise<import('node:http').Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
    })();
    const port = (slowReceiver.address() as import('node:net').AddressInfo).port;
    h = await startHarness({ portals: [{ portalId: 101, webhooks: webhooksHsmeta(`http://127.0.0.1:${port}/hook`, 2) }] });
    for (let i = 0; i < 3; i += 1) {
      await h.client().crm.contacts.batchApi.create({ inputs: Array.from({ length: 100 }, (_, n) => ({ properties: { email: `c${i}-${n}@example.com` }, associations: [] })) });
    }
    await h.sim.idle();
    expect(h.sim.control.stats().portals['101']?.webhookDeliveries).toBe(3);
    expect(peak).toBeLessThanOrEqual(2);
    await new Promise<void>((resolve) => slowReceiver.close(() => resolve()));
  });
});

describe('workflow actions', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    receiver = await startReceiver(() => ({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } }));
    h = await startHarness();
  });
  afterEach(async () => {
    await h.sim.stop();
    await receiver.stop();
  });

  it('POSTs the signed execution payload and lets the SDK complete the BLOCKed callback', async () => {
    const [id] = h.sim.control.seed(101, 'contacts', [{ email: 'wf@example.com', lifecyclestage: 'customer' }]);
    const execution = await h.sim.control.enrolInWorkflow(101, {
      actionUrl: receiver.url('/hubspot/actions/recycle'),
      objectId: id as string,
      inputFields: { reason: 'bad_fit' },
      properties: ['lifecyclestage'],
    });
    expect(execution.state).toBe('BLOCK');

    const [request] = receiver.received;
    expect(request?.json).toMatchObject({
      callbackId: execution.callbackId,
      origin: { portalId: 101, actionDefinitionId: 77_899_621 },
      context: { source: 'WORKFLOWS', workflowId: 1_567_555_043, actionId: 1 },
      object: { objectId: Number(id), objectType: 'CONTACT', properties: { lifecyclestage: 'customer' } },
      inputFields: { reason: 'bad_fit' },
    });
    expect(request?.headers['x-hubspot-signature-version']).toBe('v2');
    const verdict = verifyHubSpotSignature(
      { method: 'POST', url: receiver.url('/hubspot/actions/recycle'), rawBody: request?.rawBody ?? '', headers: request?.headers ?? {} },
      { clientSecrets: ['sim-secret-101'], now: h.clock.now() },
    );
    expect(verdict.ok).toBe(true);

    await h.client().automation.actions.callbacksApi.complete(execution.callbackId, { outputFields: { hs_execution_state: 'SUCCESS' } });
    expect(h.sim.control.workflowExecutions(101)[0]).toMatchObject({ state: 'COMPLETED_BY_CALLBACK', outputFields: { hs_execution_state: 'SUCCESS' } });
    const again = await h
      .client()
      .automation.actions.callbacksApi.complete(execution.callbackId, { outputFields: { hs_execution_state: 'SUCCESS' } })
      .catch((e: { code: number }) => e.code);
    expect(again).toBe(404);
  });

  it('completes callbacks in a batch', async () => {
    const ids = h.sim.control.seed(101, 'contacts', [{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    const executions = await Promise.all(ids.map((objectId) => h.sim.control.enrolInWorkflow(101, { actionUrl: receiver.url('/a'), objectId })));
    await h.client().automation.actions.callbacksApi.completeBatch({ inputs: executions.map((e) => ({ callbackId: e.callbackId, outputFields: { hs_execution_state: 'FAIL_CONTINUE' } })) });
    expect(h.sim.control.workflowExecutions(101).map((e) => e.state)).toEqual(['COMPLETED_BY_CALLBACK', 'COMPLETED_BY_CALLBACK']);
    expect(h.sim.control.stats().totals.callbacksCompleted).toBe(2);
  });
});
