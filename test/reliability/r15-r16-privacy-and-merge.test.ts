import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { deliver, routeWebhooksTo, startWebhookRecorder, step, type HubSpotEvent, type WebhookRecorder } from './support';

/**
 * R15 and R16 (docs/reliability.md §7): a GDPR deletion erases everything we hold of a contact whatever the order in
 * which its events arrive, and a merge re-keys the loser's history to the winner, which is re-evaluated once.
 */

const contactKey = (objectId: string) => ({ objectType: 'contact' as const, objectId });

/** Everything the store can still tell about a contact. */
async function traces(h: PipelineHarness, id: string) {
  const key = contactKey(id);
  return {
    ledger: (await h.history(id)).length,
    state: (await h.store.states.get(PORTAL, key)) !== null,
    facts: (await h.store.factEvents.getMany(PORTAL, [key])).get(`contact:${id}`)?.length ?? 0,
  };
}
const NOTHING = { ledger: 0, state: false, facts: 0 };

describe('R15: a privacy deletion erases the contact in every order of its events', () => {
  let h: PipelineHarness;
  let recorder: WebhookRecorder;
  let id: string;
  let erasure: { privacy: HubSpotEvent; deletion: HubSpotEvent };

  beforeEach(async () => {
    h = await startPipelineHarness();
    // A contact with a history: entered, then nurtured by a click.
    id = await h.createContact({ email: 'gone@acme.test' });
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    expect((await traces(h, id)).ledger).toBe(2);

    // HubSpot's deletion events are held back so the test decides how they arrive.
    recorder = await startWebhookRecorder();
    routeWebhooksTo(h, PORTAL, recorder.url);
    await h.hubspot.crm.contacts.basicApi.purge({ objectId: id });
    await h.sim.idle();
    const events = recorder.events().filter((e) => String(e.objectId) === id);
    erasure = {
      privacy: events.find((e) => e.subscriptionType === 'contact.privacyDeletion')!,
      deletion: events.find((e) => e.subscriptionType.endsWith('deletion') && e.subscriptionType !== 'contact.privacyDeletion')!,
    };
    expect(erasure.privacy).toBeDefined();
    expect(erasure.deletion).toBeDefined();
  });
  afterEach(async () => {
    await h.stop();
    await recorder.stop();
  });

  /** A late event for the erased contact, as a HubSpot retry of an earlier property change would bring it. */
  const strayChange = (): HubSpotEvent => ({
    eventId: 987_654,
    subscriptionId: 1,
    portalId: PORTAL,
    appId: 1,
    occurredAt: h.clock.now() - DAY,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 3,
    objectId: Number(id),
    propertyName: 'email',
    propertyValue: 'gone@acme.test',
    changeSource: 'CRM_UI',
  });

  const orders: Array<[string, (e: typeof erasure) => HubSpotEvent[][]]> = [
    ['privacy deletion before the deletion', (e) => [[e.privacy], [e.deletion]]],
    ['privacy deletion after the deletion', (e) => [[e.deletion], [e.privacy]]],
    ['privacy deletion without a deletion', (e) => [[e.privacy]]],
  ];

  it.each(orders)('%s, each in its own batch: nothing of the contact is left, and a later stray event is dropped', async (_, batchesOf) => {
    for (const batch of batchesOf(erasure)) {
      expect((await deliver(h, batch)).status).toBe(200);
      await h.settle();
    }
    expect(await traces(h, id)).toEqual(NOTHING);
    expect(await h.store.erasedRecords(PORTAL, [contactKey(id)])).toEqual(new Set([`contact:${id}`]));

    // The stray event is acknowledged (HubSpot must stop retrying) but not stored or acted on.
    expect((await deliver(h, [strayChange()])).status).toBe(200);
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
    await h.settle();
    expect(await traces(h, id)).toEqual(NOTHING);
    expect(await h.store.deadLetters.list(PORTAL)).toEqual([]);
  });

  it('a stray event already stored when the privacy deletion arrives in the same round is dropped with it', async () => {
    expect((await deliver(h, [strayChange(), erasure.privacy])).status).toBe(200);
    await h.settle();
    expect(await traces(h, id)).toEqual(NOTHING);
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
  });
});

describe("R15 for accounts: a privacy deletion of a contact leaves its companies' journey but no trace of its id", () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  it('the company rows that named the erased contact keep the move and read "A contact (erased)"; the other contact\'s rows are untouched', async () => {
    const companyId = (await h.hubspot.crm.companies.basicApi.create({ properties: { name: 'Erase Co' }, associations: [] })).id;
    const [gone, kept] = [await h.createContact({ email: 'gone@erase.test' }), await h.createContact({ email: 'kept@erase.test' })];
    for (const contactId of [gone, kept]) await h.hubspot.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', companyId);
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'email_click', contactId: gone });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'email_click', contactId: kept });
    await h.settle();
    h.activity({ kind: 'form_submission', contactId: kept, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    const companyRows = () => h.store.ledger.history(PORTAL, { objectType: 'company', objectId: companyId });
    const before = await companyRows();
    expect(before.map((r) => r.reason)).toContain(`Contact ${gone} moved to Nurturing`);

    await h.hubspot.crm.contacts.basicApi.purge({ objectId: gone });
    await h.sim.idle();
    await h.settle();

    expect(await h.store.erasedRecords(PORTAL, [contactKey(gone)])).toEqual(new Set([`contact:${gone}`]));
    const after = await companyRows();
    expect(after.map((r) => [r.transitionId, r.fromStage, r.toStage, r.occurredAt])).toEqual(before.map((r) => [r.transitionId, r.fromStage, r.toStage, r.occurredAt]));
    expect(JSON.stringify(after)).not.toContain(gone);
    expect(after.map((r) => r.reason)).toContain('A contact (erased) moved to Nurturing');
    expect(after.find((r) => r.reason === 'A contact (erased) moved to Nurturing')!.evidence).toEqual(['contact:(erased)']);
    expect(after.map((r) => r.reason)).toContain(`Contact ${kept} moved to MQL`);
  });
});

describe("R16: a merge re-keys the loser's history to the winner, which is re-evaluated once", () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  it('the winner keeps every transition of both, ends where the merged facts put it, and no transition repeats', async () => {
    const winner = await h.createContact({ email: 'ann@acme.test' });
    const loser = await h.createContact({ email: 'ann.smith@acme.test' });
    h.activity({ kind: 'email_click', contactId: winner });
    h.clock.advance(DAY);
    h.activity({ kind: 'email_click', contactId: loser });
    h.activity({ kind: 'form_submission', contactId: loser, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    expect(await h.contact(winner)).toMatchObject({ lc_stage: 'nurturing' });
    expect(await h.contact(loser)).toMatchObject({ lc_stage: 'mql' });
    const before = [...(await h.history(winner)), ...(await h.history(loser))];

    h.clock.advance(DAY);
    await h.hubspot.crm.contacts.basicApi.merge({ primaryObjectId: winner, objectIdToMerge: loser });
    await h.settle();

    const merged = await h.history(winner);
    const ids = merged.map((e) => e.transitionId);
    // Both histories, under the winner, with the loser's transition ids unchanged.
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of before) expect(ids).toContain(entry.transitionId);
    // Re-evaluated once with the merged facts: the loser's demo request makes the winner an MQL, in one step (dated,
    // like every decision, at the fact that justified it).
    const sinceMerge = merged.filter((e) => !before.some((b) => b.transitionId === e.transitionId));
    expect(sinceMerge.map(step)).toEqual(['nurturing→mql (advance)']);
    expect(await h.contact(winner)).toMatchObject({ lc_stage: 'mql', lifecyclestage: 'marketingqualifiedlead' });
    expect(await traces(h, loser)).toEqual(NOTHING);

    // Evaluating again changes nothing: the merge is not replayed by later rounds or the scheduler.
    await h.advanceDays(1);
    expect((await h.history(winner)).length).toBe(merged.length);
  });
});
