import { ContactActionResultSchema, ContactLifecycleViewSchema, cardApiPaths, type ContactAction } from '../../src/contracts/card-api';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { signedFetch } from '../support/hubspot-fetch';

const SECRET = `sim-secret-${PORTAL}`;

describe('the contact card API: GET /cards/contact/:id and its actions, answered from our ledger', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  const view = async (id: string) => {
    const response = await signedFetch(h.backend.url, cardApiPaths.contactView(id), { query: { portalId: PORTAL, userId: '7' }, clientSecret: SECRET, timestamp: h.clock.now() });
    expect(response.status).toBe(200);
    return ContactLifecycleViewSchema.parse(response.body);
  };
  const act = async (id: string, action: ContactAction, body: unknown) => {
    const response = await signedFetch(h.backend.url, cardApiPaths.contactAction(id, action), {
      method: 'POST',
      body,
      claims: { portalId: PORTAL, userId: 7, userEmail: 'admin@acme.test' },
      clientSecret: SECRET,
      timestamp: h.clock.now(),
    });
    return response;
  };
  const applied = async (id: string, action: ContactAction, body: unknown) => {
    const response = await act(id, action, body);
    expect(response.status).toBe(200);
    return ContactActionResultSchema.parse(response.body);
  };
  const contactAtOpportunity = async () => {
    const id = await h.createContact({ email: 'opp@acme.test' });
    h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    return id;
  };

  it('a record the engine never evaluated answers synced: false, not a 404', async () => {
    expect(await view('999999')).toEqual({ synced: false, objectId: '999999' });
  });

  it('shows the stage, the path, the time in stage and the history newest first, with what the admin may do', async () => {
    const id = await h.createContact({ email: 'ada@acme.test' });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    h.clock.advance(2 * DAY);
    h.sim.control.resetStats();

    const card = await view(id);
    expect(h.sim.control.stats().totals.calls).toBe(0); // answered from our store: HubSpot is not on the card's hot path
    if (!card.synced) throw new Error('expected a synced view');
    expect(card.stage).toEqual({ id: 'nurturing', label: 'Nurturing', kind: 'path' });
    expect(card.path.map((s) => s.id)).toEqual(['lead_acquired', 'nurturing', 'mql', 'appointment', 'opportunity', 'customer', 'expand']);
    expect(card.timeInStage).toEqual({ days: 2, sla: null });
    expect(card.history.map((t) => [t.from?.id ?? null, t.to.id, t.kind])).toEqual([
      ['lead_acquired', 'nurturing', 'advance'],
      [null, 'lead_acquired', 'enter'],
    ]);
    expect(card.recycle).toBeNull();
    expect(card.allowedActions.fastpassTargets.map((s) => s.id)).toEqual(['mql', 'appointment', 'opportunity', 'customer', 'expand']);
    expect(card.allowedActions.deadEndReasons.map((r) => r.code)).toContain('student');
    // Within its stage (no SLA), the one action the sidebar suggests is the next stage.
    expect(card.suggestedAction).toMatchObject({ action: 'fastpass', to: { id: 'mql' } });
  });

  it('an MQL past its 3-day SLA shows the breach', async () => {
    const id = await h.createContact({ email: 'sla@acme.test' });
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'quote_request' });
    await h.settle();
    h.clock.advance(4 * DAY);
    const card = await view(id);
    expect(card).toMatchObject({ stage: { id: 'mql' }, timeInStage: { days: 4, sla: { days: 3, status: 'breached' } } });
    // Past its SLA, the sidebar suggests recycling it, with the reasons the model allows from MQL.
    const suggestion = card.synced ? card.suggestedAction : null;
    expect(suggestion).toMatchObject({ action: 'recycle' });
    expect(suggestion?.action === 'recycle' && suggestion.reasons).toEqual(card.synced && card.allowedActions.recycleReasons);
  });

  it('recycle with a reason moves an Opportunity to Recycle B and returns the marketing pause (90 days)', async () => {
    const id = await contactAtOpportunity();
    const result = await applied(id, 'recycle', { reason: 'no_budget' });

    expect(result.outcome).toBe('applied');
    expect(result.view).toMatchObject({ synced: true, stage: { id: 'recycle_b', kind: 'recycle' } });
    const recycle = result.view.synced ? result.view.recycle : null;
    expect(recycle).toMatchObject({ reason: { code: 'no_budget', label: 'No budget' }, count: 1, pauseDaysLeft: 90 });
    expect(Date.parse(recycle!.marketingPausedUntil!) - h.clock.now()).toBe(90 * DAY);
    expect(result.view.synced && result.view.allowedActions.recycleReasons).toEqual([]);
    expect(result.view.synced && result.view.suggestedAction).toMatchObject({ action: 'fastpass', to: { id: 'nurturing' } });
    const recycleRow = (await h.history(id)).find((e) => e.kind === 'recycle');
    expect(recycleRow).toMatchObject({ toStage: 'recycle_b', reasonCode: 'no_budget', source: 'command', actor: 'admin@acme.test' });
  });

  it('a dead end on a customer is refused with the reason, as a 200 with the unchanged view', async () => {
    const id = await h.createContact({ email: 'cust@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedwon' });
    await h.settle();
    const before = await h.history(id);

    const result = await applied(id, 'dead-end', { reason: 'competitor' });

    expect(result).toMatchObject({ outcome: 'refused', view: { stage: { id: 'customer' } } });
    expect(result.outcome === 'refused' && result.refusal).toMatch(/Customer is a customer stage/);
    expect(await h.history(id)).toEqual(before);
  });

  it('fastpass to Appointment from Nurturing records MQL as skipped', async () => {
    const id = await h.createContact({ email: 'fast@acme.test' });
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    h.clock.advance(DAY);

    const result = await applied(id, 'fastpass', { to: 'appointment' });

    expect(result).toMatchObject({ outcome: 'applied', view: { stage: { id: 'appointment' } } });
    expect(result.outcome === 'applied' && result.message).toBe('Moved to Appointment from Nurturing. Skipped: MQL.');
    const newest = result.view.synced ? result.view.history[0] : undefined;
    expect(newest).toMatchObject({ kind: 'fastpass', from: { id: 'nurturing' }, to: { id: 'appointment' }, skipped: [{ id: 'mql', label: 'MQL', kind: 'path' }] });
  });

  it('action bodies are strict: an unknown field or a missing reason is a 400, an unknown action a 404', async () => {
    const id = await contactAtOpportunity();
    expect((await act(id, 'recycle', { reason: 'no_budget', portalId: 202 })).status).toBe(400);
    expect((await act(id, 'dead-end', {})).status).toBe(400);
    expect((await act(id, 'nuke' as ContactAction, { reason: 'x' })).status).toBe(404);
    expect((await h.history(id)).map((e) => e.kind)).not.toContain('recycle');
  });
});
