import { defaultModel, initialState } from '../../../core';
import type { InboxEvent, StoredState } from '../../ports/store-ports';
import { classifyInboxEvents, planContactReads, recordKeyOf } from '../classify-inbox-events';

const model = defaultModel();
const NATIVE = model.nativeProperty;
const AT = Date.UTC(2026, 2, 1);
let nextId = 1;

function event(subscriptionType: string, objectType: InboxEvent['objectType'], objectId: string, extra: Partial<InboxEvent> & { body?: Record<string, unknown> } = {}): InboxEvent {
  const { body, ...rest } = extra;
  const id = nextId++;
  return {
    portalId: 42,
    id,
    dedupKey: `k${id}`,
    eventId: String(id),
    subscriptionType,
    objectType,
    objectId,
    propertyName: null,
    propertyValue: null,
    changeSource: null,
    occurredAt: AT,
    attemptNumber: 0,
    payload: JSON.stringify(body ?? {}),
    receivedAt: AT,
    attempts: 1,
    failingSince: null,
    ...rest,
  };
}

const change = (objectId: string, propertyName: string, propertyValue: string, occurredAt = AT) =>
  event('contact.propertyChange', 'contact', objectId, { propertyName, propertyValue, occurredAt });

const classify = (events: InboxEvent[], tombstoned: string[] = []) => classifyInboxEvents(events, { nativeProperty: NATIVE, tombstoned: new Set(tombstoned) });

function stored(contactId: string, stage: string): StoredState {
  return { state: { ...initialState('contact', contactId), stage, enteredAt: AT }, version: 1, wakeAt: null, updatedAt: AT };
}

describe('classifyInboxEvents: what a batch of inbox events asks the worker to do', () => {
  it('decides a contact once however many events named it, in the order contacts were first named', () => {
    const batch = classify([change('2', 'email', 'a@x.io'), event('contact.creation', 'contact', '1'), change('2', 'firstname', 'Ann'), change('1', 'email', 'b@x.io')]);
    expect(batch.contacts).toEqual(['2', '1']);
    expect(batch.deals).toEqual([]);
    expect(batch.ignored).toEqual([]);
  });

  it('keeps each property change a webhook reported, per contact, with its time', () => {
    const batch = classify([change('1', 'email', 'a@x.io', AT), change('1', 'email', 'b@x.io', AT + 5), event('contact.creation', 'contact', '1')]);
    expect(batch.changes.get('1')).toEqual([
      { propertyName: 'email', propertyValue: 'a@x.io', occurredAt: AT },
      { propertyName: 'email', propertyValue: 'b@x.io', occurredAt: AT + 5 },
    ]);
  });

  it('counts activity webhooks per contact, so activities that arrived together are read with history (R23)', () => {
    const batch = classify([change('1', 'hs_email_last_click_date', String(AT)), change('1', 'hs_analytics_last_visit_timestamp', String(AT)), change('2', 'email', 'c@x.io')]);
    expect(batch.activityWebhooks.get('1')).toBe(2);
    expect(batch.activityWebhooks.has('2')).toBe(false);
  });

  it('erases a privacy-deleted record and drops every other event of it in the batch (R15)', () => {
    const deletion = event('contact.privacyDeletion', 'contact', '7');
    const later = change('7', 'email', 'gone@x.io');
    const batch = classify([later, deletion, change('8', 'email', 'kept@x.io')]);
    expect(batch.erasures).toEqual([{ objectType: 'contact', objectId: '7' }]);
    expect(batch.contacts).toEqual(['8']);
    expect(batch.ignored).toEqual([
      { eventId: later.id, reason: 'erased' },
      { eventId: deletion.id, reason: 'erased' },
    ]);
  });

  it('erases again, and ignores, a record that was tombstoned in an earlier round', () => {
    const late = change('7', 'email', 'late@x.io');
    const batch = classify([late], [recordKeyOf('contact', '7')]);
    expect(batch.erasures).toEqual([{ objectType: 'contact', objectId: '7' }]);
    expect(batch.contacts).toEqual([]);
    expect(batch.ignored).toEqual([{ eventId: late.id, reason: 'erased' }]);
  });

  it('ignores deletions and restores: the record is re-read only when something else triggers it', () => {
    const deleted = event('contact.deletion', 'contact', '3');
    const restored = event('deal.restore', 'deal', '4');
    const batch = classify([deleted, restored]);
    expect(batch.contacts).toEqual([]);
    expect(batch.deals).toEqual([]);
    expect(batch.ignored.map((i) => i.reason)).toEqual(['deleted_or_restored', 'deleted_or_restored']);
  });

  it('turns a merge into one merge of the losers into the winner, and decides the winning contact', () => {
    const batch = classify([event('contact.merge', 'contact', '10', { body: { primaryObjectId: '10', mergedObjectIds: ['11', '10', 12] } })]);
    expect(batch.merges).toEqual([{ objectType: 'contact', winner: '10', losers: ['11', '12'] }]);
    expect(batch.contacts).toEqual(['10']);
  });

  it('merges deals too, but decides no contact for a deal merge', () => {
    const batch = classify([event('deal.merge', 'deal', '20', { body: { primaryObjectId: '21', mergedObjectIds: ['20'] } })]);
    expect(batch.merges).toEqual([{ objectType: 'deal', winner: '21', losers: ['20'] }]);
    expect(batch.contacts).toEqual([]);
  });

  it('decides the contact and looks up the deal on either side of an association change', () => {
    const body = { fromObjectTypeId: '0-3', fromObjectId: 55, toObjectTypeId: '0-1', toObjectId: 66 };
    const batch = classify([event('contact.associationChange', 'contact', '66', { body })]);
    expect(batch.contacts).toEqual(['66']);
    expect(batch.deals).toEqual(['55']);
  });

  it('looks up the contacts of a deal that changed; company events trigger no contact decision', () => {
    const company = event('company.propertyChange', 'company', '9', { propertyName: 'name', propertyValue: 'Acme' });
    const unknown = event('ticket.creation', 'unknown', '5');
    const batch = classify([event('deal.propertyChange', 'deal', '30', { propertyName: 'dealstage', propertyValue: 'closedwon' }), company, unknown]);
    expect(batch.deals).toEqual(['30']);
    expect(batch.contacts).toEqual([]);
    expect(batch.ignored).toEqual([
      { eventId: company.id, reason: 'no_contact_decision' },
      { eventId: unknown.id, reason: 'no_contact_decision' },
    ]);
  });

  it('marks a contact whose only events are native lifecycle-stage changes as a possible echo of our own write', () => {
    const batch = classify([change('1', NATIVE, 'lead'), change('1', NATIVE, ''), change('2', NATIVE, 'lead'), change('2', 'email', 'x@x.io')]);
    expect([...batch.nativeStageOnly]).toEqual([['1', ['lead', '']]]);
    expect(batch.contacts).toEqual(['1', '2']);
  });

  it('does not mark a contact as an echo when a merge or association change also named it', () => {
    const body = { fromObjectTypeId: '0-1', fromObjectId: '1', toObjectTypeId: '0-2', toObjectId: '9' };
    const batch = classify([change('1', NATIVE, 'lead'), event('contact.associationChange', 'contact', '1', { body })]);
    expect(batch.nativeStageOnly.size).toBe(0);
  });

  it('throws on a merge whose payload is not JSON, so the worker isolates that record', () => {
    expect(() => classify([event('contact.merge', 'contact', '1', { payload: '{' })])).toThrow(SyntaxError);
  });
});

describe('planContactReads: which contacts to read from HubSpot, and how', () => {
  const plan = (events: InboxEvent[], states: Array<[string, string]>, dealContacts: string[] = []) => {
    const batch = classify(events);
    return planContactReads(batch, {
      contacts: [...new Set([...batch.contacts, ...dealContacts])],
      dealContacts: new Set(dealContacts),
      states: new Map(states.map(([id, stage]) => [recordKeyOf('contact', id), stored(id, stage)])),
      model,
    });
  };

  it('skips a contact whose native-stage changes all echo the stage we hold (lead for nurturing)', () => {
    expect(plan([change('1', NATIVE, 'lead'), change('1', NATIVE, '')], [['1', 'nurturing']])).toEqual({ knownIds: [], historyIds: [], echoes: ['1'] });
  });

  it('re-reads a contact whose native stage was set to something other than ours (an admin edit)', () => {
    expect(plan([change('1', NATIVE, 'customer')], [['1', 'nurturing']])).toEqual({ knownIds: ['1'], historyIds: [], echoes: [] });
  });

  it('re-reads a native-stage change of a contact we hold no state for', () => {
    expect(plan([change('1', NATIVE, 'lead')], [])).toEqual({ knownIds: [], historyIds: ['1'], echoes: [] });
  });

  it('re-reads an echo candidate when one of the batch deals is associated with it', () => {
    expect(plan([change('1', NATIVE, 'lead'), event('deal.propertyChange', 'deal', '30')], [['1', 'nurturing']], ['1'])).toEqual({ knownIds: ['1'], historyIds: [], echoes: [] });
  });

  it('reads known contacts by current values, and new ones or ones with activities together with history', () => {
    const events = [
      change('1', 'email', 'a@x.io'),
      change('2', 'email', 'b@x.io'),
      change('3', 'hs_email_last_click_date', String(AT)),
      change('3', 'hs_analytics_last_visit_timestamp', String(AT)),
    ];
    expect(
      plan(
        events,
        [
          ['1', 'mql'],
          ['3', 'mql'],
        ],
        ['4'],
      ),
    ).toEqual({ knownIds: ['1'], historyIds: ['2', '3', '4'], echoes: [] });
  });
});
