import { alignAll } from '../../src/main/runtime';
import { createLogger } from '../../src/main/logger';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * R18 (docs/reliability.md §7): admins reorder, add and delete lifecycle stages. The backend reads each portal's
 * own options at start: forward and backward follow that portal's order, a model stage the portal cannot hold
 * raises an alert instead of failing writes, and a value the model does not know never crashes the worker.
 */

/** lead before subscriber, a custom numeric stage, and no evangelist (the default model's Expand maps to it). */
const PORTAL_STAGES = [
  { value: 'lead', label: 'Lead' },
  { value: 'subscriber', label: 'Subscriber' },
  { value: 'marketingqualifiedlead', label: 'Marketing Qualified Lead' },
  { value: 'salesqualifiedlead', label: 'Sales Qualified Lead' },
  { value: 'opportunity', label: 'Opportunity' },
  { value: 'customer', label: 'Customer' },
  { value: '153180554', label: 'Partner' },
  { value: 'other', label: 'Other' },
];

describe('R18: a portal with its own lifecycle stages', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness({ portals: [{ portalId: PORTAL, lifecycleStages: PORTAL_STAGES }] });
  });
  afterEach(() => h.stop());

  it('the stage the portal lacks is reported once to the admin, and a restart does not report it again', async () => {
    const expected = [
      {
        kind: 'unknown_stage',
        message: 'stage "expand" maps to lifecyclestage "evangelist", which this portal does not have: records in it keep HubSpot\'s lifecyclestage unchanged',
        createdAt: h.clock.now(),
      },
    ];
    expect(await h.store.alerts.forPortal(PORTAL)).toEqual(expected);
    expect(h.modelFor(PORTAL).stageById.get('expand')?.nativeStage).toBeNull();
    expect(h.modelFor(PORTAL).nativeOrder).toEqual(PORTAL_STAGES.map((s) => s.value));

    // What `serve` does again after a restart an hour later.
    h.clock.advance(3_600_000);
    const target = {
      baseUrl: h.sim.baseUrl,
      portals: [{ portalId: PORTAL, accessToken: h.sim.portals[0]!.accessTokens[0]!, clientSecrets: [h.sim.portals[0]!.clientSecret], rateLimit: 110 }],
      simulator: h.sim,
    };
    await alignAll(target, h.model, { store: h.store, clock: h.clock, logger: createLogger('silent') });
    expect(await h.store.alerts.forPortal(PORTAL)).toEqual(expected);
  });

  it("moves that are backward only in this portal's order are written clear-then-set and land", async () => {
    const id = await h.createContact({ email: 'ada@acme.test' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'lead_acquired', lifecyclestage: 'subscriber' });

    // Nurturing maps to lead, which this portal lists before subscriber: a plain set would be ignored by HubSpot.
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'nurturing', lifecyclestage: 'lead' });

    h.clock.advance(DAY);
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id, dealname: 'Ada pilot' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'opportunity', lifecyclestage: 'opportunity' });
    h.clock.advance(DAY);
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'No budget' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'recycle_b', lifecyclestage: 'lead' });
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  });

  it('a contact HubSpot holds in the custom stage the model does not know is evaluated like any other, without a crash', async () => {
    const id = await h.createContact({ email: 'pat@partner.test', lifecyclestage: '153180554' });
    await h.settle();
    const record = await h.contact(id);
    expect(record['lc_stage']).toBe('lead_acquired');
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
    expect((await h.history(id)).map((e) => e.toStage)).toEqual(['lead_acquired']);
  });
});
