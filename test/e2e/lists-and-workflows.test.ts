import { HubSpotError } from '../../src/app/ports/hubspot-port';
import type { HubSpotFlowsPort } from '../../src/app/ports/hubspot-flows-port';
import type { HubSpotListsPort } from '../../src/app/ports/hubspot-lists-port';
import { ASSET_NAME_PREFIX, listPlan } from '../../src/app/provision/list-plan';
import { provisionLists } from '../../src/app/provision/provision-lists';
import { installRecommendedWorkflows, listRecommendedWorkflows, removeRecommendedWorkflows } from '../../src/app/provision/recommended-workflows';
import { hubspotAssetApis, registerSimulatorActions } from '../../src/main/hubspot-assets';
import type { HubSpotTarget } from '../../src/main/runtime';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/** A plain v4 flow an admin built by hand (automation v4 flows, BETA). */
const adminFlow = {
  name: 'Admin: welcome series',
  type: 'CONTACT_FLOW',
  flowType: 'WORKFLOW',
  objectTypeId: '0-1',
  isEnabled: true,
  startActionId: '1',
  nextAvailableActionId: '2',
  actions: [{ actionId: '1', actionTypeId: '0-1', actionTypeVersion: 0, type: 'SINGLE_CONNECTION', fields: { delta: '1440', time_unit: 'MINUTES' } }],
  enrollmentCriteria: { type: 'LIST_BASED', listFilterBranch: { filterBranchType: 'OR', filters: [], filterBranches: [] } },
};
const adminListFilter = {
  filterBranchType: 'OR',
  filters: [],
  filterBranches: [
    {
      filterBranchType: 'AND',
      filterBranches: [],
      filters: [{ filterType: 'PROPERTY', property: 'email', operation: { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN', includeObjectsWithNoValueSet: false } }],
    },
  ],
};

describe('lists and recommended workflows in HubSpot (issue 19), through the real SDK against the simulator', () => {
  let h: PipelineHarness;
  let lists: HubSpotListsPort;
  let flows: HubSpotFlowsPort;
  let appId: number;

  beforeEach(async () => {
    h = await startPipelineHarness();
    const portal = h.sim.portals.find((p) => p.portalId === PORTAL)!;
    const target: HubSpotTarget = {
      baseUrl: h.sim.baseUrl,
      portals: [{ portalId: PORTAL, accessToken: portal.accessTokens[0]!, clientSecrets: [portal.clientSecret], rateLimit: 110 }],
      simulator: h.sim,
    };
    ({ lists, flows } = hubspotAssetApis(target, target.portals[0]!, h.clock));
    appId = portal.appId;
    registerSimulatorActions(h.sim);
  });
  afterEach(() => h.stop());

  const listDeps = () => ({ lists, assets: h.store.provisionedAssets, clock: h.clock });
  const flowDeps = () => ({ flows, assets: h.store.provisionedAssets, clock: h.clock, appId });
  const ourListsInHubSpot = async () => (await lists.searchLists(ASSET_NAME_PREFIX)).map((l) => l.name);
  const allFlows = async () => flows.listFlows();
  const memberIds = async (listId: string) => (await lists.listMembers(listId)).recordIds;
  const listIdOf = async (key: string) => (await h.store.provisionedAssets.list(PORTAL, 'list')).find((a) => a.key === key)!.hubspotId;

  it('when provision runs twice, each list exists once in HubSpot and the second run changes nothing', async () => {
    const first = await provisionLists(listDeps(), PORTAL, h.model);
    const second = await provisionLists(listDeps(), PORTAL, h.model);

    const planned = listPlan(h.model).map((l) => l.name);
    expect(first.map((l) => l.outcome)).toEqual(planned.map(() => 'created'));
    expect(second.map((l) => l.outcome)).toEqual(planned.map(() => 'unchanged'));
    expect((await ourListsInHubSpot()).sort()).toEqual([...planned].sort());
    expect(planned).toEqual(expect.arrayContaining([expect.stringContaining('Marketing paused'), expect.stringContaining('Dead end'), expect.stringContaining('SLA past due: MQL')]));
  });

  it('when the app lost its record of a list, provision finds it again by name and marker instead of creating a second one', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    for (const a of await h.store.provisionedAssets.list(PORTAL, 'list')) await h.store.provisionedAssets.remove(PORTAL, 'list', a.key);

    const again = await provisionLists(listDeps(), PORTAL, h.model);

    expect(new Set(again.map((l) => l.outcome))).toEqual(new Set(['adopted']));
    expect(await ourListsInHubSpot()).toHaveLength(listPlan(h.model).length);
  });

  it('when an admin changed one of our lists, provision leaves it exactly as the admin has it and reports it', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    const deadEnd = await listIdOf('dead_end');
    await h.hubspot.crm.lists.listsApi.updateListFilters(deadEnd, { filterBranch: adminListFilter as never });

    const lines = await provisionLists(listDeps(), PORTAL, h.model);

    expect(lines.find((l) => l.key === 'dead_end')).toMatchObject({ outcome: 'edited_by_admin', listId: deadEnd });
    expect(JSON.stringify((await lists.getList(deadEnd))!.filterBranch)).toContain('"email"');
  });

  it('a list an admin made under one of our names is never taken over or duplicated', async () => {
    const name = listPlan(h.model).find((l) => l.key === 'dead_end')!.name;
    const admins = await h.hubspot.crm.lists.listsApi.create({ name, objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: adminListFilter as never });

    const lines = await provisionLists(listDeps(), PORTAL, h.model);

    expect(lines.find((l) => l.key === 'dead_end')).toMatchObject({ outcome: 'name_taken', listId: admins.list.listId });
    expect((await ourListsInHubSpot()).filter((n) => n === name)).toHaveLength(1);
  });

  it('a recycled contact is in "marketing paused" until its pause date and out after it, by the date alone', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    const paused = await listIdOf('marketing_paused');
    const recycleB = await listIdOf('recycle:recycle_b');
    const id = await h.createContact({ email: 'gil@acme.test' });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: id, dealname: 'Gil deal' });
    await h.settle();
    expect(await memberIds(paused)).toEqual([]);

    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'No budget' });
    await h.settle();
    const pausedUntil = Date.parse((await h.contact(id))['lc_marketing_paused_until']!);
    expect(await memberIds(paused)).toEqual([id]);
    expect(await memberIds(recycleB)).toEqual([id]);

    // Only the clock moves (no pipeline round, no write): HubSpot's relative-date filter alone empties the list.
    h.clock.set(pausedUntil - 60_000);
    expect(await memberIds(paused)).toEqual([id]);
    h.clock.set(pausedUntil + 60_000);
    expect(await memberIds(paused)).toEqual([]);
    expect(Date.parse((await h.contact(id))['lc_marketing_paused_until']!)).toBe(pausedUntil);
  });

  it('a contact in MQL longer than its SLA enters "SLA past due: MQL" as time passes', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    const slaMql = await listIdOf('sla_past_due:mql');
    const id = await h.createContact({ email: 'hal@acme.test', lc_stage: 'mql', lc_stage_entered_at: new Date(h.clock.now()).toISOString() });
    expect(await memberIds(slaMql)).toEqual([]);
    h.clock.advance(3 * DAY + 60_000);
    expect(await memberIds(slaMql)).toEqual([id]);
  });

  it('installing twice creates each recommended workflow once, DISABLED, with a recognisable name, on our actions and lists', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    const first = await installRecommendedWorkflows(flowDeps(), PORTAL, h.model);
    const second = await installRecommendedWorkflows(flowDeps(), PORTAL, h.model);

    expect(first.length).toBeGreaterThanOrEqual(4);
    expect(first.map((l) => l.outcome)).toEqual(first.map(() => 'created'));
    expect(second.map((l) => l.outcome)).toEqual(first.map(() => 'unchanged'));
    const inHubSpot = await allFlows();
    expect(inHubSpot).toHaveLength(first.length);
    expect(inHubSpot.every((f) => !f.isEnabled && f.name.startsWith(ASSET_NAME_PREFIX))).toBe(true);
    const dealLost = first.find((l) => l.key === 'deal_lost_recycle')!;
    const body = (await h.hubspot.apiRequest({ method: 'GET', path: `/automation/v4/flows/${dealLost.flowId}` }).then((r) => r.json())) as {
      actions: Array<{ actionTypeId?: string; fields?: { reason?: string } }>;
    };
    expect(body.actions.filter((a) => a.actionTypeId?.startsWith('1-')).map((a) => a.fields?.reason)).toEqual(expect.arrayContaining(['lost_to_competitor', 'no_decision']));
  });

  it('when our actions cannot be read (no app id), the workflows that need them are skipped and reported, the rest installed', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    const lines = await installRecommendedWorkflows({ ...flowDeps(), appId: null }, PORTAL, h.model);
    expect(lines.find((l) => l.key === 'deal_lost_recycle')).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('HUBSPOT_APP_ID') });
    expect(lines.find((l) => l.key === 'sla_past_due:mql')).toMatchObject({ outcome: 'created' });
  });

  it('a workflow an admin edited after install is never overwritten nor removed, and both commands report it', async () => {
    await provisionLists(listDeps(), PORTAL, h.model);
    const installed = await installRecommendedWorkflows(flowDeps(), PORTAL, h.model);
    const target = installed.find((l) => l.key === 'sla_past_due:mql')!;
    const current = (await h.hubspot.apiRequest({ method: 'GET', path: `/automation/v4/flows/${target.flowId}` }).then((r) => r.json())) as Record<string, unknown>;
    const edited = await h.hubspot.apiRequest({ method: 'PUT', path: `/automation/v4/flows/${target.flowId}`, body: { ...current, name: 'SLA MQL (ours now)', isEnabled: true } });
    expect(edited.status).toBe(200);

    const again = await installRecommendedWorkflows(flowDeps(), PORTAL, h.model);
    expect(again.find((l) => l.key === 'sla_past_due:mql')).toMatchObject({ outcome: 'edited_by_admin', flowId: target.flowId, name: 'SLA MQL (ours now)' });
    expect((await listRecommendedWorkflows(flowDeps(), PORTAL, h.model)).find((l) => l.key === 'sla_past_due:mql')).toMatchObject({ outcome: 'edited_by_admin', enabled: true });

    const removed = await removeRecommendedWorkflows(flowDeps(), PORTAL);
    expect(removed.find((l) => l.key === 'sla_past_due:mql')).toMatchObject({ outcome: 'edited_by_admin' });
    expect((await allFlows()).map((f) => f.name)).toEqual(['SLA MQL (ours now)']);
  });

  it('remove deletes only what the app created: admin-made lists and workflows stay untouched', async () => {
    const adminList = await h.hubspot.crm.lists.listsApi.create({ name: 'Admin: all with email', objectTypeId: '0-1', processingType: 'DYNAMIC', filterBranch: adminListFilter as never });
    const adminWorkflow = (await h.hubspot.apiRequest({ method: 'POST', path: '/automation/v4/flows', body: adminFlow }).then((r) => r.json())) as { id: string; revisionId: string };
    await provisionLists(listDeps(), PORTAL, h.model);
    await installRecommendedWorkflows(flowDeps(), PORTAL, h.model);

    const removed = await removeRecommendedWorkflows(flowDeps(), PORTAL);

    expect(removed.length).toBeGreaterThanOrEqual(4);
    expect(new Set(removed.map((l) => l.outcome))).toEqual(new Set(['removed']));
    expect(await allFlows()).toEqual([expect.objectContaining({ id: adminWorkflow.id, revisionId: adminWorkflow.revisionId, name: 'Admin: welcome series', isEnabled: true })]);
    expect(await lists.getList(adminList.list.listId)).toMatchObject({ name: 'Admin: all with email', listVersion: adminList.list.listVersion });
    expect(await h.store.provisionedAssets.list(PORTAL, 'workflow')).toEqual([]);
    expect(await removeRecommendedWorkflows(flowDeps(), PORTAL)).toEqual([]);
  });

  it('a HubSpot refusal comes back as a classified HubSpotError (the gateway wraps the new API groups too)', async () => {
    await expect(flows.createFlow({ name: 'bad', isEnabled: false, objectTypeId: '0-1' })).rejects.toMatchObject({ kind: 'validation', status: 400 });
    await expect(lists.updateListFilters('999999', adminListFilter as never)).rejects.toBeInstanceOf(HubSpotError);
  });
});
