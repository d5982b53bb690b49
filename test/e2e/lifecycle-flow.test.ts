import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

describe('the pipeline end to end: HubSpot webhooks in, decisions, batched write-back', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  it('a new contact with an email becomes a Lead acquired, in HubSpot and in the ledger', async () => {
    const id = await h.createContact({ email: 'ada@acme.test', firstname: 'Ada' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'lead_acquired', lifecyclestage: 'subscriber', lc_last_transition_kind: 'enter' });
    expect((await h.history(id)).map((e) => [e.fromStage, e.toStage, e.kind])).toEqual([[null, 'lead_acquired', 'enter']]);
  });

  it('a clicked email advances to Nurturing and a demo request to MQL', async () => {
    const id = await h.createContact({ email: 'bob@acme.test' });
    await h.settle();
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'nurturing', lifecyclestage: 'lead' });
    h.clock.advance(DAY);
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'mql', lifecyclestage: 'marketingqualifiedlead', lc_previous_stage: 'nurturing' });
  });

  it('a deal opened for a nurturing lead is a Fastpass to Opportunity that records MQL and Appointment as skipped', async () => {
    const id = await h.createContact({ email: 'cy@acme.test' });
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    h.activity({ kind: 'deal_created', contactId: id, dealname: 'Cy pilot' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'opportunity', lifecyclestage: 'opportunity', lc_last_transition_kind: 'fastpass' });
    const fastpass = (await h.history(id)).find((e) => e.kind === 'fastpass');
    expect(fastpass).toMatchObject({ fromStage: 'nurturing', toStage: 'opportunity', skipped: ['mql', 'appointment'] });
  });

  it('when a lost deal arrives for a contact in Opportunity, it moves to Recycle B, HubSpot goes back to lead by clear-then-set, and marketing email pauses for 90 days', async () => {
    const id = await h.createContact({ email: 'dee@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id, dealname: 'Dee deal' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'opportunity', lifecyclestage: 'opportunity' });
    h.clock.advance(10 * DAY);
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'Went with a competitor' });
    await h.settle();
    const after = await h.contact(id);
    expect(after).toMatchObject({ lc_stage: 'recycle_b', lifecyclestage: 'lead', lc_recycle_reason: 'lost_to_competitor', lc_recycle_count: '1' });
    const pausedUntil = Date.parse(after['lc_marketing_paused_until']!);
    expect(Math.round((pausedUntil - h.clock.now()) / DAY)).toBe(90);
    const recycle = (await h.history(id)).find((e) => e.kind === 'recycle');
    expect(recycle).toMatchObject({ fromStage: 'opportunity', toStage: 'recycle_b', reasonCode: 'lost_to_competitor' });
  });

  it('the pause ends by itself: 90 days later the scheduler returns the record to Nurturing and clears the pause', async () => {
    const id = await h.createContact({ email: 'eve@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'No budget' });
    await h.settle();
    await h.advanceDays(91);
    const after = await h.contact(id);
    expect(after).toMatchObject({ lc_stage: 'nurturing', lc_last_transition_kind: 'return' });
    expect(after['lc_marketing_paused_until'] || null).toBeNull();
  });

  it('three site visits in a week while recycled alert the owner with a HubSpot task that carries the recycle context', async () => {
    const id = await h.createContact({ email: 'fay@acme.test', hubspot_owner_id: '77' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'Price too high' });
    await h.settle();
    h.clock.advance(30 * DAY);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(DAY);
      h.activity({ kind: 'page_view', contactId: id, url: 'https://acme.test/pricing' });
      await h.settle();
    }
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'nurturing', lc_last_transition_kind: 'reengage' });
    const tasks = await h.hubspot.crm.objects.tasks.basicApi.getPage(10, undefined, ['hs_task_subject', 'hs_task_body', 'hubspot_owner_id', 'hs_task_priority']);
    expect(tasks.results).toHaveLength(1);
    expect(tasks.results[0]!.properties).toMatchObject({ hubspot_owner_id: '77', hs_task_priority: 'HIGH' });
    expect(tasks.results[0]!.properties['hs_task_body']).toContain(`deal ${dealId} was lost`);
    expect(tasks.results[0]!.properties['hs_task_body']).toContain('Price');
  });

  it('a dead end is immune to later activity and score changes', async () => {
    const id = await h.createContact({ email: 'gus@competitor.example' });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'dead_end', lc_dead_end_reason: 'competitor', lifecyclestage: 'other' });
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request' });
    await h.hubspot.crm.contacts.basicApi.update(id, { properties: { hubspotscore: '100' } });
    await h.settle();
    expect(await h.contact(id)).toMatchObject({ lc_stage: 'dead_end' });
    expect((await h.history(id)).map((e) => e.kind)).toEqual(['enter', 'dead_end']);
  });

  it('a duplicated and reordered webhook stream changes nothing twice', async () => {
    h.sim.control.setWebhookChaos(PORTAL, { duplicate: true, reorder: true });
    const id = await h.createContact({ email: 'hal@acme.test' });
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    const history = await h.history(id);
    expect(history.map((e) => e.toStage)).toEqual(['lead_acquired', 'nurturing']);
    expect(new Set(history.map((e) => e.transitionId)).size).toBe(history.length);
  });
});

describe('write-back economy', () => {
  it('the webhook echo of our own lifecyclestage write costs no second read of the contact', async () => {
    const calls: string[] = [];
    const h = await startPipelineHarness({ onHubSpotCall: (call) => calls.push(call.operation) });
    try {
      const id = await h.createContact({ email: 'ivy@acme.test' });
      await h.settle();
      expect(await h.contact(id)).toMatchObject({ lc_stage: 'lead_acquired', lifecyclestage: 'subscriber' });
      // HubSpot sent the creation, then the lifecyclestage change we caused: one read, one write, nothing more.
      expect(calls.filter((c) => c === 'batch_read')).toHaveLength(1);
      expect(calls.filter((c) => c === 'batch_update')).toHaveLength(1);
      expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
    } finally {
      await h.stop();
    }
  });
});
