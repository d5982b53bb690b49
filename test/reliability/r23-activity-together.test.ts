import { runReconcile } from '../../src/app/reconcile/run-reconcile';
import { createLogger } from '../../src/main/logger';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { deliver, routeWebhooksTo, startWebhookRecorder, step, type WebhookRecorder } from './support';

/**
 * R23 (docs/reliability.md): activity that reaches the worker together all counts. A recycled contact's re-engagement
 * rule (3 site visits in 7 days, default model) must fire once whether the three visits arrive one delivery at a
 * time, all in one delivery (an outage, a backlog, HubSpot batching), or — when webhooks were lost — at reconcile.
 */

type Mode = 'one per delivery' | 'all in one delivery' | 'webhooks of two visits lost, then reconcile';

interface Outcome {
  ledger: string[];
  tasks: number;
  stage: string | null | undefined;
}

async function threeVisitsOfARecycledContact(mode: Mode): Promise<Outcome> {
  const h: PipelineHarness = await startPipelineHarness();
  let recorder: WebhookRecorder | null = null;
  try {
    const id = await h.createContact({ email: 'rex@acme.test', hubspot_owner_id: '77' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'Price too high' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'recycle_b' });
    h.clock.advance(30 * DAY);
    // The reconcile watermark: the first sweep sets it (24 h lookback), before any visit.
    const reconcileDeps = { store: h.store, hubspot: h.backend.gateways.get(PORTAL)!, model: h.modelFor(PORTAL), clock: h.clock, workerId: 'reconcile', logger: createLogger('silent') };
    await runReconcile(reconcileDeps, PORTAL);

    if (mode !== 'one per delivery') {
      recorder = await startWebhookRecorder();
      routeWebhooksTo(h, PORTAL, recorder.url);
    }
    for (let visit = 0; visit < 3; visit++) {
      h.clock.advance(DAY);
      h.activity({ kind: 'page_view', contactId: id, url: 'https://acme.test/pricing' });
      if (mode === 'one per delivery') await h.settle();
      else await h.sim.idle();
    }
    if (recorder) {
      const visits = recorder.events();
      const delivered = mode === 'all in one delivery' ? visits : visits.slice(-1);
      expect((await deliver(h, delivered)).status).toBe(200);
      await h.settle();
    }
    if (mode === 'webhooks of two visits lost, then reconcile') {
      h.clock.advance(3_600_000);
      await runReconcile(reconcileDeps, PORTAL);
      await h.settle();
    }
    const tasks = await h.hubspot.crm.objects.tasks.basicApi.getPage(10);
    return {
      ledger: (await h.history(id)).map((e) => `${step(e)} @${new Date(e.occurredAt).toISOString()}`),
      tasks: tasks.results.length,
      stage: (await h.contact(id))['lc_stage'],
    };
  } finally {
    await recorder?.stop();
    await h.stop();
  }
}

describe('R23: three site visits of a recycled contact count the same however they arrive', () => {
  let oneByOne: Outcome;
  beforeAll(async () => {
    oneByOne = await threeVisitsOfARecycledContact('one per delivery');
  }, 60_000);

  it('one per delivery: the contact re-engages once, with one task for the owner (the reference)', () => {
    expect(oneByOne.stage).toBe('nurturing');
    expect(oneByOne.ledger.at(-1)).toMatch(/^recycle_b→nurturing \(reengage\)/);
    expect(oneByOne.tasks).toBe(1);
  });

  it('all three in one delivery (one worker round): the same ledger and exactly one task', async () => {
    expect(await threeVisitsOfARecycledContact('all in one delivery')).toEqual(oneByOne);
  }, 60_000);

  it('the webhooks of two visits never came: the reconcile sweep finds them in the property history and repairs the ledger, with one task', async () => {
    expect(await threeVisitsOfARecycledContact('webhooks of two visits lost, then reconcile')).toEqual(oneByOne);
  }, 60_000);
});
