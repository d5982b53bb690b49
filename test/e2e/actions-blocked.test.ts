import { INLINE_CONTACTS } from '../../src/app/actions/run-workflow-action';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * Issue 14: a workflow action on a company with many contacts is answered BLOCK at once; the worker decides the
 * contacts a few per round and completes the execution through HubSpot's callbacks API — here the simulator's
 * POST /automation/v4/actions/callbacks/{callbackId}/complete, reached through the real @hubspot/api-client.
 */
describe('workflow actions that touch many records: BLOCK, then the callbacks API', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  async function companyWith(contacts: number): Promise<{ companyId: string; contactIds: string[] }> {
    const companyId = (await h.hubspot.crm.companies.basicApi.create({ properties: { name: 'Big Co' }, associations: [] })).id;
    const contactIds: string[] = [];
    for (let i = 0; i < contacts; i++) {
      const id = await h.createContact({ email: `person${i}@bigco.test` });
      await h.hubspot.crm.associations.v4.basicApi.createDefault('contacts', id, 'companies', companyId);
      contactIds.push(id);
    }
    await h.settle();
    h.clock.advance(60_000); // the action's rows come after the contacts' entries, not at the same instant
    return { companyId, contactIds };
  }
  const enrolCompany = (action: string, companyId: string, inputFields: Record<string, string> = {}) =>
    h.sim.control.enrolInWorkflow(PORTAL, { actionUrl: `${h.backend.url}/actions/${action}`, objectType: 'companies', objectId: companyId, inputFields });

  it(`answers BLOCK for a company with more than ${INLINE_CONTACTS} contacts, decides every contact in the worker and completes with SUCCESS`, async () => {
    const { companyId, contactIds } = await companyWith(INLINE_CONTACTS + 20);

    const execution = await enrolCompany('dead-end', companyId, { reason: 'student' });

    expect(execution.state).toBe('BLOCK');
    expect(execution.outputFields).toEqual({ hs_execution_state: 'BLOCK' });
    expect((await h.history(contactIds[0]!)).some((e) => e.kind === 'dead_end')).toBe(false); // nothing decided inline

    await h.backend.runner.drain();

    const completed = h.sim.control.workflowExecutions(PORTAL).find((e) => e.callbackId === execution.callbackId)!;
    expect(completed.state).toBe('COMPLETED_BY_CALLBACK');
    expect(completed.outputFields).toMatchObject({ hs_execution_state: 'SUCCESS', previous_stage: 'lead_acquired' });
    for (const id of contactIds) expect((await h.history(id)).at(-1)).toMatchObject({ kind: 'dead_end', source: 'command', actor: `workflow:${execution.callbackId}` });
    expect(await h.store.blockedActions.open(PORTAL, 10)).toEqual([]);
  });

  it('refuses invalid inputs at once (FAIL_CONTINUE), before anything is blocked', async () => {
    const { companyId } = await companyWith(INLINE_CONTACTS + 1);

    const execution = await enrolCompany('dead-end', companyId, { reason: '' });

    expect(execution.state).toBe('FAIL_CONTINUE');
    expect(await h.store.blockedActions.open(PORTAL, 10)).toEqual([]);
  });

  it('completes with FAIL_CONTINUE and every contact’s refusal when the model refuses the action for all of them', async () => {
    const { companyId, contactIds } = await companyWith(INLINE_CONTACTS + 1);

    const execution = await enrolCompany('fastpass', companyId, { target_stage: 'no_such_stage' });
    expect(execution.state).toBe('BLOCK');
    await h.backend.runner.drain();

    const completed = h.sim.control.workflowExecutions(PORTAL).find((e) => e.callbackId === execution.callbackId)!;
    expect(completed.state).toBe('COMPLETED_BY_CALLBACK');
    expect(completed.outputFields['hs_execution_state']).toBe('FAIL_CONTINUE');
    for (const id of contactIds) expect(completed.outputFields['refusal']).toContain(`Contact ${id}: `);
  });

  it('keeps deciding inline (SUCCESS at once) for a company with few contacts', async () => {
    const { companyId, contactIds } = await companyWith(2);

    const execution = await enrolCompany('dead-end', companyId, { reason: 'student' });

    expect(execution.state).toBe('SUCCESS');
    for (const id of contactIds) expect((await h.history(id)).at(-1)).toMatchObject({ kind: 'dead_end' });
  });

  it('a retried BLOCKed request is answered BLOCK again and its contacts are decided once', async () => {
    const { companyId, contactIds } = await companyWith(INLINE_CONTACTS + 2);
    const execution = await enrolCompany('dead-end', companyId, { reason: 'student' });
    const body = JSON.stringify(execution.request);
    const { signedRequestHeaders } = await import('../../src/adapters/hubspot/signature');
    const headers = signedRequestHeaders({ clientSecret: `sim-secret-${PORTAL}`, method: 'POST', url: execution.actionUrl, body, timestamp: h.clock.now(), legacyVersion: 'v2' });
    const retry = await fetch(execution.actionUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    expect(await retry.json()).toEqual({ outputFields: { hs_execution_state: 'BLOCK' } });

    await h.backend.runner.drain();

    for (const id of contactIds) expect((await h.history(id)).filter((e) => e.kind === 'dead_end')).toHaveLength(1);
    expect(h.sim.control.workflowExecutions(PORTAL).find((e) => e.callbackId === execution.callbackId)!.state).toBe('COMPLETED_BY_CALLBACK');
  });
});
