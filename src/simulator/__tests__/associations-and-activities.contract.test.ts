import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import type { Harness } from './harness';
import { startHarness } from './harness';

describe('associations v4', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.sim.stop());

  it('creates default associations with HubSpot type ids in both directions and reads them back', async () => {
    const client = h.client();
    const [contact] = h.sim.control.seed(101, 'contacts', [{ email: 'c@example.com' }]);
    const [company] = h.sim.control.seed(101, 'companies', [{ name: 'Acme' }]);
    const created = await client.crm.associations.v4.basicApi.createDefault('contacts', contact as string, 'companies', company as string);
    expect(created.results.map((r) => r.associationSpec.associationTypeId)).toEqual([279, 280]);

    const fromContact = await client.crm.associations.v4.basicApi.getPage('contacts', contact as string, 'companies');
    expect(fromContact.results).toEqual([{ toObjectId: Number(company), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] }]);
    const fromCompany = await client.crm.associations.v4.basicApi.getPage('companies', company as string, 'contacts');
    expect(fromCompany.results[0]?.associationTypes.map((t) => t.typeId)).toEqual([280]);
  });

  it('batch-reads associations, reporting ids without any as errors', async () => {
    const client = h.client();
    const contacts = h.sim.control.seed(101, 'contacts', [{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'D' },
      associations: [{ to: { id: contacts[0] as string }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 3 }] }],
    });
    const read = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: contacts.map((id) => ({ id })) });
    expect(read.results).toEqual([{ _from: { id: contacts[0] }, to: [{ toObjectId: Number(deal.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }] }] }]);
    expect(read).toMatchObject({ numErrors: 1 });
  });

  it('keeps num_associated_deals on contacts in step with deal associations', async () => {
    const client = h.client();
    const [contact] = h.sim.control.seed(101, 'contacts', [{ email: 'n@example.com' }]);
    const deals = h.sim.control.seed(101, 'deals', [{ dealname: 'one' }, { dealname: 'two' }]);
    for (const deal of deals) await client.crm.associations.v4.basicApi.createDefault('contacts', contact as string, 'deals', deal);
    const count = async () => (await client.crm.contacts.basicApi.getById(contact as string, ['num_associated_deals'])).properties.num_associated_deals;
    expect(await count()).toBe('2');
    await client.crm.deals.basicApi.archive(deals[0] as string);
    expect(await count()).toBe('1');
  });
});

describe('activity facts', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.sim.stop());

  it('reflects each fact in HubSpot properties and in the timestamped activity list', async () => {
    const client = h.client();
    const [contact] = h.sim.control.seed(101, 'contacts', [{ email: 'act@example.com', lifecyclestage: 'lead' }]);
    const id = contact as string;
    const { control } = h.sim;
    control.recordActivity(101, { kind: 'email_click', contactId: id, emailName: 'Nurture 1' });
    h.clock.advance(60_000);
    control.recordActivity(101, { kind: 'page_view', contactId: id, url: 'https://example.com/pricing' });
    control.recordActivity(101, { kind: 'page_view', contactId: id, url: 'https://example.com/demo' });
    control.recordActivity(101, { kind: 'form_submission', contactId: id, formKind: 'demo_request', formName: 'Book a demo' });
    control.recordActivity(101, { kind: 'meeting_booked', contactId: id });
    control.recordActivity(101, { kind: 'nps_answer', contactId: id, rating: 9, comment: 'Great' });
    const { dealId } = control.recordActivity(101, { kind: 'deal_created', contactId: id, amount: 5000 });
    h.clock.advance(60_000);
    control.recordActivity(101, { kind: 'deal_stage_changed', dealId: dealId as string, dealstage: 'closedlost', lostReason: 'No budget' });

    const props = (
      await client.crm.contacts.basicApi.getById(id, [
        'hs_email_last_click_date',
        'hs_analytics_num_page_views',
        'hs_analytics_last_visit_timestamp',
        'recent_conversion_event_name',
        'num_conversion_events',
        'lc_last_form_kind',
        'engagements_last_meeting_booked',
        'hs_feedback_last_nps_rating',
        'num_associated_deals',
      ])
    ).properties;
    expect(props).toMatchObject({
      hs_email_last_click_date: '2026-11-02T09:00:00.000Z',
      hs_analytics_num_page_views: '2',
      hs_analytics_last_visit_timestamp: '2026-11-02T09:01:00.000Z',
      recent_conversion_event_name: 'Book a demo',
      num_conversion_events: '1',
      lc_last_form_kind: 'demo_request',
      engagements_last_meeting_booked: '2026-11-02T09:01:00.000Z',
      hs_feedback_last_nps_rating: '9',
      num_associated_deals: '1',
    });
    const deal = await client.crm.deals.basicApi.getById(dealId as string, ['dealstage', 'closed_lost_reason', 'closedate', 'hs_is_closed_won']);
    expect(deal.properties).toMatchObject({ dealstage: 'closedlost', closed_lost_reason: 'No budget', closedate: '2026-11-02T09:02:00.000Z', hs_is_closed_won: 'false' });

    const response = await fetch(`${h.sim.baseUrl}/_simulator/portals/101/activities/contacts/${id}`);
    const { results } = (await response.json()) as { results: Array<{ kind: string; occurredAt: string }> };
    expect(results.map((a) => a.kind)).toEqual(['email_click', 'page_view', 'page_view', 'form_submission', 'meeting_booked', 'nps_answer', 'deal_created', 'deal_stage_changed']);
    expect(results[0]?.occurredAt).toBe('2026-11-02T09:00:00.000Z');
  });

  it('accepts facts over HTTP and names the problem in a 400 when one is malformed', async () => {
    const [id] = h.sim.control.seed(101, 'contacts', [{ email: 'http@example.com' }]);
    const post = (body: unknown) =>
      fetch(`${h.sim.baseUrl}/_simulator/portals/101/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ kind: 'nps_answer', contactId: id, rating: 7 })).status).toBe(201);
    const bad = await post({ kind: 'nps_answer', contactId: id, rating: 11 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', message: expect.stringContaining('rating') });
  });
});
