import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signedRequestHeaders } from '../../src/adapters/hubspot/signature';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { workflowActionPath } from '../../src/contracts/backend-routes';

const SECRET = `sim-secret-${PORTAL}`;
const HSMETA_DIR = path.join(__dirname, '../../extensions/app/workflow-actions');

describe('custom workflow actions: POST /actions/*, driven by the simulated HubSpot workflow engine', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  const enrol = (action: string, objectId: string, inputFields: Record<string, string | number> = {}, objectType: 'contacts' | 'companies' | 'deals' = 'contacts') =>
    h.sim.control.enrolInWorkflow(PORTAL, { actionUrl: `${h.backend.url}/actions/${action}`, objectType, objectId, inputFields });
  /** HubSpot's retry of an execution: the same body, signed again. */
  const redeliver = async (url: string, request: unknown, secret = SECRET) => {
    const body = JSON.stringify(request);
    const headers = signedRequestHeaders({ clientSecret: secret, method: 'POST', url, body, timestamp: h.clock.now(), legacyVersion: 'v2' });
    const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    return { status: response.status, body: await response.json() };
  };
  const contactAt = async (stage: 'opportunity' | 'customer') => {
    const id = await h.createContact({ email: `${stage}@acme.test` });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    if (stage === 'customer') {
      h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedwon' });
      await h.settle();
    }
    h.clock.advance(DAY);
    return { id, dealId: dealId! };
  };

  it('serves every action URL the app declares (the hsmeta actionUrl paths)', async () => {
    const files = readdirSync(HSMETA_DIR).filter((f) => f.endsWith('-hsmeta.json'));
    expect(files).toHaveLength(5);
    for (const file of files) {
      const { config } = JSON.parse(readFileSync(path.join(HSMETA_DIR, file), 'utf8')) as { config: { actionUrl: string } };
      const response = await fetch(`${h.backend.url}${new URL(config.actionUrl).pathname}`, { method: 'POST', body: '{}' });
      expect({ file, status: response.status }).toEqual({ file, status: 401 }); // the route exists and wants a signature
    }
  });

  it('Recycle record on an Opportunity: SUCCESS, Recycle B, marketing paused 90 days', async () => {
    const { id } = await contactAt('opportunity');
    const execution = await enrol('recycle', id, { reason: 'lost_to_competitor' });
    expect(execution.state).toBe('SUCCESS');
    expect(execution.outputFields).toMatchObject({ returned_to_stage: 'recycle_b', returned_to_stage_label: 'Recycle B', hs_execution_state: 'SUCCESS' });
    expect(Date.parse(execution.outputFields['paused_until']!) - h.clock.now()).toBe(90 * DAY);
    expect((await h.history(id)).at(-1)).toMatchObject({ kind: 'recycle', source: 'command', actor: `workflow:${execution.callbackId}` });
  });

  it('a retried execution (same callbackId) gets the same answer and decides nothing twice', async () => {
    const { id } = await contactAt('opportunity');
    const first = await enrol('recycle', id, { reason: 'no_budget' });
    h.clock.advance(60_000);

    const retry = await redeliver(first.actionUrl, first.request);

    expect(retry).toEqual({ status: 200, body: first.responseBody });
    expect((await h.history(id)).filter((e) => e.kind === 'recycle')).toHaveLength(1);
  });

  it('Mark dead end on a customer: FAIL_CONTINUE with the refusal, nothing recorded', async () => {
    const { id } = await contactAt('customer');
    const before = await h.history(id);
    const execution = await enrol('dead-end', id, { reason: 'competitor' });
    expect(execution.state).toBe('FAIL_CONTINUE');
    expect(execution.outputFields['refusal']).toMatch(/Customer is a customer stage: customers are never marked dead end/);
    expect(await h.history(id)).toEqual(before);
  });

  it('Mark dead end on a lead: SUCCESS with the previous stage', async () => {
    const id = await h.createContact({ email: 'lee@acme.test' });
    await h.settle();
    const execution = await enrol('dead-end', id, { reason: 'student' });
    expect(execution.outputFields).toEqual({ previous_stage: 'lead_acquired', previous_stage_label: 'Lead acquired', hs_execution_state: 'SUCCESS' });
  });

  it('Fastpass to Appointment from Lead acquired: SUCCESS with the skipped stages', async () => {
    const id = await h.createContact({ email: 'fay@acme.test' });
    await h.settle();
    h.clock.advance(DAY);
    const execution = await enrol('fastpass', id, { target_stage: 'appointment' });
    expect(execution.outputFields).toEqual({ stage: 'appointment', stage_label: 'Appointment', skipped_stages: 'Nurturing, MQL', hs_execution_state: 'SUCCESS' });
    expect((await h.history(id)).at(-1)).toMatchObject({ kind: 'fastpass', skipped: ['nurturing', 'mql'] });
  });

  it('Evaluate lifecycle stage on a contact nobody evaluated yet enters it now', async () => {
    const id = await h.createContact({ email: 'eve@acme.test' });
    const execution = await enrol('evaluate', id);
    expect(execution.outputFields).toEqual({
      stage: 'lead_acquired',
      stage_label: 'Lead acquired',
      previous_stage: '',
      previous_stage_label: '',
      transition_kind: 'enter',
      reason: 'Contact information obtained',
      hs_execution_state: 'SUCCESS',
    });
  });

  it('Recycle record on a deal recycles its contacts', async () => {
    const { id, dealId } = await contactAt('opportunity');
    const execution = await enrol('recycle', dealId, { reason: 'price' }, 'deals');
    expect(execution.outputFields).toMatchObject({ returned_to_stage: 'recycle_b', hs_execution_state: 'SUCCESS' });
    expect((await h.history(id)).at(-1)).toMatchObject({ kind: 'recycle', reasonCode: 'price' });
  });

  it('Record NPS / CSAT stores the answer as a fact event; an out-of-scale score is FAIL_CONTINUE', async () => {
    const { id } = await contactAt('customer');
    const csat = await enrol('satisfaction', id, { score: 4, kind: 'csat' });
    expect(csat.outputFields).toEqual({ stage: 'customer', stage_label: 'Customer', hs_execution_state: 'SUCCESS' });
    const events = (await h.store.factEvents.getMany(PORTAL, [{ objectType: 'contact', objectId: id }])).get(`contact:${id}`) ?? [];
    expect(events.filter((e) => e.type === 'nps_answered')).toEqual([expect.objectContaining({ id: csat.callbackId, attrs: { score: 4, kind: 'csat' } })]);

    const invalid = await enrol('satisfaction', id, { score: 42, kind: 'nps' });
    expect(invalid.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', refusal: expect.stringContaining('Invalid inputs') });
  });

  it('a forged signature is a 401 and decides nothing; a payload without callbackId is a 400', async () => {
    const { id } = await contactAt('opportunity');
    const genuine = await enrol('evaluate', id);
    const before = await h.history(id);
    const forged = await redeliver(
      `${h.backend.url}${workflowActionPath('recycle')}`,
      { ...genuine.request, callbackId: 'ap-forged', fields: { reason: 'price' }, inputFields: { reason: 'price' } },
      'guessed-secret',
    );
    expect(forged.status).toBe(401);
    expect(await h.history(id)).toEqual(before);

    const { callbackId: _dropped, ...withoutCallback } = genuine.request;
    expect((await redeliver(`${h.backend.url}${workflowActionPath('evaluate')}`, withoutCallback)).status).toBe(400);
  });
});
