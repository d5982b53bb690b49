import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

const COMPANY_PROPERTIES = ['lifecyclestage', 'lc_stage', 'lc_previous_stage', 'lc_stage_entered_at', 'lc_last_transition_kind', 'lc_health_score', 'lc_health_band', 'lc_health_trend'];

describe('accounts end to end: the company journey in the ledger and on the company record', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  const createCompany = async (properties: Record<string, string>) => (await h.hubspot.crm.companies.basicApi.create({ properties, associations: [] })).id;
  const addContact = async (companyId: string, email: string, extra: Record<string, string> = {}) => {
    const id = await h.createContact({ email, ...extra });
    await h.hubspot.crm.associations.v4.basicApi.createDefault('contacts', id, 'companies', companyId);
    return id;
  };
  const company = async (id: string) => (await h.hubspot.crm.companies.basicApi.getById(id, COMPANY_PROPERTIES)).properties;
  const companyHistory = (id: string) => h.store.ledger.history(PORTAL, { objectType: 'company', objectId: id });

  it('a company whose three contacts move at different times gets one row per change of its stage, dated and explained by the move, and its lc_* and health in HubSpot', async () => {
    const companyId = await createCompany({ name: 'Acme' });
    const [ana, ben, cat] = [await addContact(companyId, 'ana@acme.test'), await addContact(companyId, 'ben@acme.test'), await addContact(companyId, 'cat@acme.test')];
    await h.settle();
    const start = h.clock.now();

    h.clock.advance(DAY);
    h.activity({ kind: 'email_click', contactId: ana });
    await h.settle();
    h.clock.advance(2 * DAY);
    h.activity({ kind: 'email_click', contactId: ben });
    await h.settle();
    h.activity({ kind: 'form_submission', contactId: ben, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    h.clock.advance(3 * DAY);
    // Cat clicks: Ben is further along than her, so the account does not move.
    h.activity({ kind: 'email_click', contactId: cat });
    await h.settle();
    h.clock.advance(DAY);
    const { dealId } = h.activity({ kind: 'deal_created', contactId: cat, dealname: 'Acme pilot' });
    await h.settle();

    const history = await companyHistory(companyId);
    expect(history.map((r) => [r.fromStage, r.toStage, r.kind])).toEqual([
      [null, 'lead_acquired', 'enter'],
      ['lead_acquired', 'nurturing', 'advance'],
      ['nurturing', 'mql', 'advance'],
      ['mql', 'opportunity', 'fastpass'],
    ]);
    expect(history[1]!.reason).toBe(`Contact ${ana} moved to Nurturing`);
    expect(history[2]!.reason).toBe(`Contact ${ben} moved to MQL`);
    expect(history[3]!.reason).toMatch(new RegExp(`^(Contact ${cat} moved to Opportunity|Deal ${dealId} was opened)$`));
    expect(history[3]!.skipped).toEqual(['appointment']);
    // Dated by the facts that caused them, not by when the worker noticed.
    expect(history.map((r) => Math.round((r.occurredAt - start) / DAY))).toEqual([0, 1, 3, 7]);

    const props = await company(companyId);
    expect(props).toMatchObject({ lc_stage: 'opportunity', lc_previous_stage: 'mql', lifecyclestage: 'opportunity', lc_last_transition_kind: 'fastpass' });
    expect(Number(props['lc_health_score'])).toBeGreaterThanOrEqual(0);
    expect(Number(props['lc_health_score'])).toBeLessThanOrEqual(100);
    expect(['healthy', 'at_risk', 'critical']).toContain(props['lc_health_band']);
    expect(Number.isFinite(Number(props['lc_health_trend']))).toBe(true);
    expect(Date.parse(props['lc_stage_entered_at']!)).toBe(history[3]!.occurredAt);
  });

  it('recomputes the health on a schedule, without any new fact: an account that goes quiet loses engagement points', async () => {
    const companyId = await createCompany({ name: 'Quiet Co' });
    const contactId = await addContact(companyId, 'quinn@quiet.test');
    h.activity({ kind: 'email_click', contactId });
    await h.settle();
    const before = Number((await company(companyId))['lc_health_score']);
    const rowsBefore = (await companyHistory(companyId)).length;
    // The company's next refresh is its wake time: the scheduler puts it through the worker like a webhook.
    const stored = await h.store.states.get(PORTAL, { objectType: 'company', objectId: companyId });
    expect(stored!.wakeAt).toBe(h.clock.now() + 24 * 3_600_000);

    await h.advanceDays(2);
    await h.advanceDays(60);

    const after = await company(companyId);
    expect(Number(after['lc_health_score'])).toBeLessThan(before);
    expect(Number(after['lc_health_trend'])).toBeLessThan(0);
    // A refresh writes health, not history: the account did not move.
    expect(await companyHistory(companyId)).toHaveLength(rowsBefore);
  });

  it("a target account's contact who attends our event is fastpassed to Appointment, and the account with it; a non-target company's is not", async () => {
    const target = await createCompany({ name: 'Target Co', hs_is_target_account: 'true' });
    const other = await createCompany({ name: 'Other Co', hs_is_target_account: 'false' });
    const tia = await addContact(target, 'tia@target.test');
    const oli = await addContact(other, 'oli@other.test');
    await h.settle();
    h.clock.advance(DAY);
    for (const contactId of [tia, oli]) h.activity({ kind: 'form_submission', contactId, formKind: 'event_registration', formName: 'Summit 2026 event registration' });
    await h.settle();

    expect(await h.contact(tia)).toMatchObject({ lc_stage: 'appointment', lc_last_transition_kind: 'fastpass' });
    expect((await h.contact(oli))['lc_stage']).not.toBe('appointment');
    const targetRows = await companyHistory(target);
    expect(targetRows.at(-1)).toMatchObject({
      fromStage: 'lead_acquired',
      toStage: 'appointment',
      kind: 'fastpass',
      skipped: ['nurturing', 'mql'],
      reason: `Contact ${tia} moved to Appointment`,
    });
    expect(await company(target)).toMatchObject({ lc_stage: 'appointment', lifecyclestage: 'salesqualifiedlead' });
    expect((await company(other))['lc_stage']).not.toBe('appointment');
  });

  it('a company that lost a deal and whose people come back to the site raises ONE task for the company owner, naming the deal, its reason and date', async () => {
    const companyId = await createCompany({ name: 'Lost Co', hubspot_owner_id: '88' });
    const buyer = await addContact(companyId, 'buyer@lost.test');
    const colleague = await addContact(companyId, 'colleague@lost.test');
    const { dealId } = h.activity({ kind: 'deal_created', contactId: buyer, dealname: 'Lost pilot' });
    await h.settle();
    h.clock.advance(5 * DAY);
    h.activity({ kind: 'deal_stage_changed', dealId: dealId!, dealstage: 'closedlost', lostReason: 'Went with a competitor' });
    await h.settle();
    const lostOn = new Date(h.clock.now()).toISOString().slice(0, 10);

    h.clock.advance(60 * DAY);
    h.activity({ kind: 'page_view', contactId: colleague, url: 'https://lost.test/pricing' });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'page_view', contactId: buyer, url: 'https://lost.test/pricing' });
    await h.settle();

    const tasks = await h.hubspot.crm.objects.tasks.basicApi.getPage(20, undefined, ['hs_task_subject', 'hs_task_body', 'hubspot_owner_id']);
    const accountTasks = tasks.results.filter((t) => t.properties['hs_task_subject']?.startsWith('Lost account is back'));
    expect(accountTasks).toHaveLength(1);
    expect(accountTasks[0]!.properties).toMatchObject({ hubspot_owner_id: '88' });
    expect(accountTasks[0]!.properties['hs_task_subject']).toContain(`deal ${dealId} lost on ${lostOn}`);
    expect(accountTasks[0]!.properties['hs_task_body']).toContain('lost_to_competitor');
  });
});
