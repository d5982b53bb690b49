import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultModel, defaultModelDocument } from '../../src/core';
import { settingsApiPaths } from '../../src/contracts/settings-api';
import { ACTIONS_WITH_OPTIONS, workflowActionOptionsPath } from '../../src/contracts/backend-routes';
import type { ActionDefinition } from '../../src/simulator/flows/action-definitions';
import { signedFetch } from '../support/hubspot-fetch';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

type Doc = Record<string, any>;
type HsmetaConfig = { actionUrl: string; inputFields: { typeDefinition: { name: string; optionsUrl?: string } }[] };
const OTHER = 202;
const HSMETA_DIR = path.join(__dirname, '../../extensions/app/workflow-actions');
const hsmetaConfigs = (): HsmetaConfig[] =>
  readdirSync(HSMETA_DIR)
    .filter((f) => f.endsWith('-hsmeta.json'))
    .map((f) => (JSON.parse(readFileSync(path.join(HSMETA_DIR, f), 'utf8')) as { config: HsmetaConfig }).config);

describe("workflow action options come from the portal's published model (hsmeta optionsUrl)", () => {
  let h: PipelineHarness;
  let definitions: ActionDefinition[];
  beforeEach(async () => {
    h = await startPipelineHarness({ portals: [{ portalId: PORTAL }, { portalId: OTHER }], backend: { modelRevisions: { seedDocument: defaultModel().document } } });
    // What `hs project upload` does, with the generated files pointed at this backend instead of app.json's URL.
    const onBackend = (url: string) => `${h.backend.url}${new URL(url).pathname}`;
    const configs = hsmetaConfigs().map((config) => ({
      ...config,
      actionUrl: onBackend(config.actionUrl),
      inputFields: config.inputFields.map((field) => ({
        ...field,
        typeDefinition: { ...field.typeDefinition, ...(field.typeDefinition.optionsUrl && { optionsUrl: onBackend(field.typeDefinition.optionsUrl) }) },
      })),
    }));
    definitions = h.sim.control.registerActionDefinitions(h.sim.portals[0]!.appId, configs as never);
    await h.settle(); // the worker's first round seeds revision 1 in both portals
  });
  afterEach(() => h.stop());

  const definitionOf = (action: string) => definitions.find((d) => d.config.actionUrl.endsWith(`/actions/${action}`))!;
  const optionsIn = async (portalId: number, action: string, inputFieldName: string, q?: string) => {
    const outcome = await h.sim.control.fetchActionInputOptions(portalId, definitionOf(action).id, { inputFieldName, ...(q !== undefined && { q }) });
    if (!('options' in outcome)) throw new Error(`no options: ${JSON.stringify(outcome)}`);
    return outcome;
  };
  const values = async (portalId: number, action: string, field: string, q?: string) => (await optionsIn(portalId, action, field, q)).options.map((o) => o.value);

  /** The admin of PORTAL publishes a model with a dead-end reason and a stage label of their own, through the settings API. */
  async function publishOwnModel() {
    const document = structuredClone(defaultModelDocument) as Doc;
    document.deadEnd.reasons.push({ code: 'duplicate', label: 'Duplicate record' });
    (document.stages as Doc[]).find((s) => s.id === 'appointment')!.label = 'Discovery call';
    const admin = { portalId: PORTAL, userId: 7, userEmail: 'admin@acme.test' };
    const call = (p: string, method: 'PUT' | 'POST', body?: unknown) =>
      signedFetch(h.backend.url, p, { method, body, claims: admin, clientSecret: h.sim.portals[0]!.clientSecret, timestamp: h.clock.now() });
    expect((await call(settingsApiPaths.draft(), 'PUT', { document, note: 'duplicates are dead ends' })).status).toBe(200);
    expect(await call(settingsApiPaths.publish(2), 'POST')).toMatchObject({ status: 200, body: { published: { revision: 2 } } });
  }

  it('a portal that published its own reasons and stage labels sees them in the workflow editor; another portal keeps its own', async () => {
    const seeded = defaultModel();
    expect(await values(PORTAL, 'dead-end', 'reason')).toEqual(seeded.deadEnd.reasons.map((r) => r.code));

    await publishOwnModel();

    const deadEnd = await optionsIn(PORTAL, 'dead-end', 'reason');
    expect(deadEnd).toMatchObject({ source: 'optionsUrl', status: 200, searchable: true });
    expect(deadEnd.options.map((o) => o.value)).toEqual([...seeded.deadEnd.reasons.map((r) => r.code), 'duplicate']);
    expect(deadEnd.options.at(-1)).toEqual({ value: 'duplicate', label: 'Duplicate record' });
    expect((await optionsIn(PORTAL, 'fastpass', 'target_stage')).options).toContainEqual({ value: 'appointment', label: 'Discovery call' });
    expect(await values(PORTAL, 'recycle', 'reason')).toEqual(seeded.recycleReasons.map((r) => r.code));

    // The other account runs the seeded model: no "duplicate", the shipped label.
    expect(await values(OTHER, 'dead-end', 'reason')).not.toContain('duplicate');
    expect((await optionsIn(OTHER, 'fastpass', 'target_stage')).options).toContainEqual({ value: 'appointment', label: 'Appointment' });
    // A fixed list stays in the action definition.
    expect(await h.sim.control.fetchActionInputOptions(PORTAL, definitionOf('satisfaction').id, { inputFieldName: 'kind' })).toEqual({
      source: 'static',
      options: [
        { value: 'nps', label: 'NPS (0-10)' },
        { value: 'csat', label: 'CSAT (1-5)' },
      ],
    });
  });

  it('filters by what the admin types, and the chosen option is one the action then accepts, decided under the published revision', async () => {
    await publishOwnModel();
    expect(await values(PORTAL, 'dead-end', 'reason', 'DUPL')).toEqual(['duplicate']);
    expect(await values(PORTAL, 'fastpass', 'target_stage', 'discovery')).toEqual(['appointment']);

    const id = await h.createContact({ email: 'dup@acme.test' });
    await h.settle();
    const execution = await h.sim.control.enrolInWorkflow(PORTAL, { actionUrl: definitionOf('dead-end').config.actionUrl, objectId: id, inputFields: { reason: 'duplicate' } });
    expect(execution.outputFields).toEqual({ previous_stage: 'lead_acquired', previous_stage_label: 'Lead acquired', hs_execution_state: 'SUCCESS' });
    expect(await h.history(id)).toContainEqual(expect.objectContaining({ toStage: 'dead_end', reason: expect.stringMatching(/Duplicate record/), modelRevision: 2 }));
  });

  it("a stage output carries the stage id and the portal's own label, where the action definitions list no stages", async () => {
    await publishOwnModel();
    // The generated definitions declare stage outputs as strings: no enumeration of the build's stages to go stale.
    for (const config of hsmetaConfigs() as unknown as { outputFields: { typeDefinition: { name: string; type: string; options?: unknown } }[] }[]) {
      for (const { typeDefinition } of config.outputFields.filter((f) => /stage/.test(f.typeDefinition.name))) {
        expect(typeDefinition).toMatchObject({ type: 'string' });
        expect(typeDefinition.options).toBeUndefined();
      }
    }
    const relabelled = await h.createContact({ email: 'ada@acme.test' });
    await h.settle();

    const here = await h.sim.control.enrolInWorkflow(PORTAL, { actionUrl: definitionOf('fastpass').config.actionUrl, objectId: relabelled, inputFields: { target_stage: 'appointment' } });
    expect(here.outputFields).toMatchObject({ stage: 'appointment', stage_label: 'Discovery call', hs_execution_state: 'SUCCESS' });
    // The other account runs the seeded model: the shipped label.
    const [otherId] = h.sim.control.seed(OTHER, 'contacts', [{ email: 'bob@acme.test' }]);
    const there = await h.sim.control.enrolInWorkflow(OTHER, { actionUrl: definitionOf('fastpass').config.actionUrl, objectId: otherId!, inputFields: { target_stage: 'appointment' } });
    expect(there.outputFields).toMatchObject({ stage: 'appointment', stage_label: 'Appointment', hs_execution_state: 'SUCCESS' });
  });

  it('answers only a signed request, and a field it has no options for is a 400', async () => {
    for (const action of ACTIONS_WITH_OPTIONS) {
      const response = await fetch(`${h.backend.url}${workflowActionOptionsPath(action)}`, {
        method: 'POST',
        body: JSON.stringify({ origin: { portalId: PORTAL }, inputFieldName: 'reason' }),
      });
      expect({ action, status: response.status }).toEqual({ action, status: 401 });
    }
    await expect(h.sim.control.fetchActionInputOptions(PORTAL, definitionOf('dead-end').id, { inputFieldName: 'nope' })).rejects.toThrow(/no input field nope/);
    const signed = await signedFetch(h.backend.url, workflowActionOptionsPath('dead-end'), {
      method: 'POST',
      body: { origin: { portalId: PORTAL }, inputFieldName: 'target_stage', fetchOptions: {} },
      clientSecret: h.sim.portals[0]!.clientSecret,
      timestamp: h.clock.now(),
    });
    expect(signed).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});
