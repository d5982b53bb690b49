import { CompanyHealthViewSchema, DealImpactViewSchema, cardApiPaths } from '../../src/contracts/card-api';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { eventually, signedFetch } from '../support/hubspot-fetch';

const SECRET = `sim-secret-${PORTAL}`;
const ACTION_URL = (h: PipelineHarness, name: string) => `${h.backend.url}/actions/${name}`;

describe('the company and deal cards: account health and deal impact from the store', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  const get = async (path: string) => {
    const response = await signedFetch(h.backend.url, path, { query: { portalId: PORTAL }, clientSecret: SECRET, timestamp: h.clock.now() });
    expect(response.status).toBe(200);
    return response.body;
  };
  const companyView = () => get(cardApiPaths.companyView(companyId)).then((body) => CompanyHealthViewSchema.parse(body));
  const dealView = (dealId: string) => get(cardApiPaths.dealView(dealId)).then((body) => DealImpactViewSchema.parse(body));
  let companyId: string;

  const createCompanyWithContacts = async () => {
    companyId = (await h.hubspot.crm.companies.basicApi.create({ properties: { name: 'Acme' }, associations: [] })).id;
    const nurturing = await h.createContact({ email: 'nora@acme.test', firstname: 'Nora' });
    const buyer = await h.createContact({ email: 'bea@acme.test', firstname: 'Bea', lastname: 'Buyer' });
    for (const id of [nurturing, buyer]) await h.hubspot.crm.associations.v4.basicApi.createDefault('contacts', id, 'companies', companyId);
    h.activity({ kind: 'email_click', contactId: nurturing });
    const { dealId } = h.activity({ kind: 'deal_created', contactId: buyer, dealname: 'Acme pilot' });
    await h.hubspot.crm.associations.v4.basicApi.createDefault('deals', dealId!, 'companies', companyId);
    await h.settle();
    return { nurturing, buyer, dealId: dealId! };
  };

  it('the first view of a company answers not synced at once; a background read of its contacts then fills it', async () => {
    await createCompanyWithContacts();
    const first = await companyView();
    expect(first).toEqual({ synced: false, objectId: companyId });

    const card = await eventually(companyView, (v) => v.synced);
    if (!card.synced) throw new Error('expected a synced view');
    expect(card.contactsPerStage.filter((s) => s.count > 0)).toEqual([
      { stageId: 'nurturing', label: 'Nurturing', count: 1 },
      { stageId: 'opportunity', label: 'Opportunity', count: 1 },
    ]);
    expect(card.accountStage).toEqual({ id: 'opportunity', label: 'Opportunity', kind: 'path' });
    expect(card.components.reduce((sum, c) => sum + c.weight, 0)).toBe(100);
    // The sidebar's "weakest component" is the one the score loses most points on, named with its detail.
    const losses = card.components.map((c) => ({ id: c.id, lost: c.weight * (1 - c.score) }));
    const mostLost = Math.max(...losses.map((l) => l.lost));
    expect(card.weakestComponent).toMatchObject({ id: losses.find((l) => l.lost === mostLost)!.id });
    expect(card.weakestComponent!.pointsLost).toBeCloseTo(mostLost, 9);
    expect(card.trend).toBeNull(); // nothing was in the lifecycle 30 days ago
    // The journey is the company's own ledger: one row, the account entering at Opportunity with the buyer's deal.
    expect(card.journey.map((row) => [row.from, row.to.id, row.kind])).toEqual([[null, 'opportunity', 'enter']]);
  });

  it('an NPS answer recorded by the workflow action moves a promoter customer to Expand and feeds the satisfaction component', async () => {
    const { buyer, dealId } = await createCompanyWithContacts();
    h.activity({ kind: 'deal_stage_changed', dealId, dealstage: 'closedwon' });
    await h.settle();
    await eventually(companyView, (v) => v.synced);

    const execution = await h.sim.control.enrolInWorkflow(PORTAL, { actionUrl: ACTION_URL(h, 'satisfaction'), objectId: buyer, inputFields: { score: 10, kind: 'nps' } });
    expect(execution.outputFields).toEqual({ stage: 'expand', stage_label: 'Expand', hs_execution_state: 'SUCCESS' });

    const card = await companyView();
    const satisfaction = card.synced ? card.components.find((c) => c.id === 'satisfaction') : undefined;
    expect(satisfaction).toMatchObject({ score: 1, detail: expect.stringContaining('NPS +100 from 1 answer') });
    expect(card).toMatchObject({ accountStage: { id: 'expand' } });
  });

  it('the deal card shows what winning or losing does to the account and each contact, then the outcome once closed', async () => {
    const { buyer, dealId } = await createCompanyWithContacts();
    expect(await dealView(dealId)).toEqual({ synced: false, objectId: dealId });

    const open = await eventually(
      () => dealView(dealId),
      (v) => v.synced,
    );
    expect(open).toEqual({
      synced: true,
      objectId: dealId,
      outcome: null,
      impacts: [
        {
          subject: { type: 'account', id: companyId, name: 'Acme' },
          current: { id: 'opportunity', label: 'Opportunity', kind: 'path' },
          afterWin: { id: 'customer', label: 'Customer', kind: 'path' },
          afterLoss: { stage: { id: 'recycle_b', label: 'Recycle B', kind: 'recycle' }, pauseDays: 90 },
        },
        {
          subject: { type: 'contact', id: buyer, name: 'Bea Buyer' },
          current: { id: 'opportunity', label: 'Opportunity', kind: 'path' },
          afterWin: { id: 'customer', label: 'Customer', kind: 'path' },
          afterLoss: { stage: { id: 'recycle_b', label: 'Recycle B', kind: 'recycle' }, pauseDays: 90 },
        },
      ],
    });

    h.activity({ kind: 'deal_stage_changed', dealId, dealstage: 'closedlost', lostReason: 'No budget' });
    await h.settle();
    expect(await dealView(dealId)).toMatchObject({ outcome: 'lost', impacts: [{ current: { id: 'recycle_b' } }, { current: { id: 'recycle_b' } }] });
  });
});
