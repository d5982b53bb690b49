import { recordKeyString, type CompiledModel, type ObjectType } from '../../core';
import type { PropertyChange } from '../facts/activity-events';
import { ACTIVITY_WEBHOOK_PROPERTIES } from '../facts/fact-properties';
import type { InboxEvent, RecordKey, StoredState } from '../ports/store-ports';

/** The store's key of a record (core's recordKeyString, the format of `erasedRecords` and `states.getMany`); an event of an unknown type gets a key no record has. */
export const recordKeyOf = (objectType: ObjectType | 'unknown', objectId: string): string => (objectType === 'unknown' ? `unknown:${objectId}` : recordKeyString({ objectType, objectId }));

/** Why an event of the batch triggers nothing by itself (it is still completed with the others). */
export type IgnoredReason =
  /** Its record was erased (privacy deletion, now or earlier): nothing of it may be stored again (R15). */
  | 'erased'
  /** A deletion or restore: the record is re-read when something else triggers it, and a deleted one reads as missing. */
  | 'deleted_or_restored'
  /** A company event, or one of an unknown object type: the account view reads the ledger, not contact decisions. */
  | 'no_contact_decision';

export interface RecordMerge {
  objectType: ObjectType;
  winner: string;
  /** Never contains the winner. */
  losers: string[];
}

/** What one batch of a portal's claimed inbox events asks for, before anything is read. */
export interface InboxClassification {
  /** Records to purge with everything stored of them: tombstoned earlier, or privacy-deleted in this batch. */
  erasures: RecordKey[];
  /** Merges to apply, in event order (the losers' history moves to the winner). */
  merges: RecordMerge[];
  /** Contacts to re-read and decide, each once however many events named it, in the order they were first named. */
  contacts: string[];
  /** Deals that opened, won or lost: their associated contacts are decided too (looked up in HubSpot). */
  deals: string[];
  /**
   * Contacts whose only events are changes of the native lifecycle stage, with the values they reported. When every
   * value is the stage we hold, they are the echo of our own write and need no re-read (planContactReads).
   */
  nativeStageOnly: Map<string, string[]>;
  /** Property changes per contact as the webhooks reported them (dated activity the current values may hide). */
  changes: Map<string, PropertyChange[]>;
  /** Activity webhooks per contact: two or more mean several activities arrived together (R23). */
  activityWebhooks: Map<string, number>;
  ignored: Array<{ eventId: number; reason: IgnoredReason }>;
}

/**
 * Says what a batch of claimed inbox events means, without reading anything: which records are erased, which merged,
 * which contacts and deals must be decided, and which events trigger nothing. `tombstoned` holds the store keys
 * (recordKeyOf) of the batch's records that were erased before. Events are only triggers: duplicates of one
 * record collapse into one decision, made on facts re-read from HubSpot.
 *
 * @throws SyntaxError when a merge or association event's payload is not JSON (the worker isolates that record).
 */
export function classifyInboxEvents(events: readonly InboxEvent[], input: { nativeProperty: string; tombstoned: ReadonlySet<string> }): InboxClassification {
  const erased = new Map<string, RecordKey>();
  for (const event of events) {
    if (event.objectType === 'unknown') continue;
    const key = recordKeyOf(event.objectType, event.objectId);
    if (input.tombstoned.has(key) || event.subscriptionType.endsWith('privacyDeletion')) erased.set(key, { objectType: event.objectType, objectId: event.objectId });
  }

  const result: InboxClassification = {
    erasures: [...erased.values()],
    merges: [],
    contacts: [],
    deals: [],
    nativeStageOnly: new Map(),
    changes: new Map(),
    activityWebhooks: new Map(),
    ignored: [],
  };
  const contacts = new Set<string>();
  const deals = new Set<string>();
  const nativeChanges = new Map<string, string[]>();
  const otherTriggers = new Set<string>();
  const trigger = (id: string) => {
    contacts.add(id);
    otherTriggers.add(id);
  };
  const append = <V>(map: Map<string, V[]>, id: string, value: V) => map.set(id, [...(map.get(id) ?? []), value]);

  for (const event of events) {
    const type = event.subscriptionType;
    if (erased.has(recordKeyOf(event.objectType, event.objectId))) {
      result.ignored.push({ eventId: event.id, reason: 'erased' });
      continue;
    }
    if (type.endsWith('.deletion') || type.endsWith('.restore')) {
      result.ignored.push({ eventId: event.id, reason: 'deleted_or_restored' });
      continue;
    }
    const payload = JSON.parse(event.payload) as Record<string, unknown>;
    if (type.endsWith('.merge') && event.objectType !== 'unknown') {
      const winner = String(payload['primaryObjectId'] ?? event.objectId);
      const losers = ((payload['mergedObjectIds'] as unknown[] | undefined) ?? []).map(String).filter((id) => id !== winner);
      result.merges.push({ objectType: event.objectType, winner, losers });
      if (event.objectType === 'contact') trigger(winner);
      continue;
    }
    if (type.endsWith('.associationChange')) {
      for (const side of ['from', 'to'] as const) {
        const typeId = payload[`${side}ObjectTypeId`];
        const id = payload[`${side}ObjectId`];
        if (id === undefined) continue;
        if (typeId === '0-1') trigger(String(id));
        if (typeId === '0-3') deals.add(String(id));
      }
      continue;
    }
    if (event.objectType === 'contact') {
      contacts.add(event.objectId);
      if (event.propertyName === input.nativeProperty && event.propertyValue !== null && type.endsWith('propertyChange')) {
        append(nativeChanges, event.objectId, event.propertyValue);
      } else {
        otherTriggers.add(event.objectId);
      }
      if (event.propertyName && ACTIVITY_WEBHOOK_PROPERTIES.has(event.propertyName)) {
        result.activityWebhooks.set(event.objectId, (result.activityWebhooks.get(event.objectId) ?? 0) + 1);
      }
      if (event.propertyName && event.propertyValue !== null) {
        append(result.changes, event.objectId, { propertyName: event.propertyName, propertyValue: event.propertyValue, occurredAt: event.occurredAt });
      }
    } else if (event.objectType === 'deal') {
      deals.add(event.objectId);
    } else {
      result.ignored.push({ eventId: event.id, reason: 'no_contact_decision' });
    }
  }

  result.contacts = [...contacts];
  result.deals = [...deals];
  for (const [id, values] of nativeChanges) if (!otherTriggers.has(id)) result.nativeStageOnly.set(id, values);
  return result;
}

/** Which contacts to read from HubSpot, and how, once the deals' contacts and the stored states are known. */
export interface ContactReadPlan {
  /** Known contacts: their current values suffice (stored fact keys count each activity once). */
  knownIds: string[];
  /** New contacts, and known ones whose activities arrived together: read with value history (R23). */
  historyIds: string[];
  /** Contacts dropped because their only events echo our own lifecycle-stage write. */
  echoes: string[];
}

/**
 * Completes the classification with what was read after it: `dealContacts` (the contacts associated with the batch's
 * deals, in HubSpot's order) and the stored states of every contact (keyed by recordKeyOf). Pure.
 */
export function planContactReads(
  classification: Pick<InboxClassification, 'nativeStageOnly' | 'activityWebhooks'>,
  input: { contacts: readonly string[]; dealContacts: ReadonlySet<string>; states: ReadonlyMap<string, StoredState>; model: CompiledModel },
): ContactReadPlan {
  const echoes = new Set<string>();
  for (const [id, values] of classification.nativeStageOnly) {
    if (input.dealContacts.has(id)) continue;
    const stage = input.states.get(recordKeyOf('contact', id))?.state.stage;
    const ours = stage ? input.model.stageById.get(stage)?.nativeStage : undefined;
    if (ours && values.every((value) => value === '' || value === ours)) echoes.add(id);
  }
  const together = (id: string) => (classification.activityWebhooks.get(id) ?? 0) >= 2;
  const known = (id: string) => input.states.has(recordKeyOf('contact', id));
  const toRead = input.contacts.filter((id) => !echoes.has(id));
  return {
    knownIds: toRead.filter((id) => known(id) && !together(id)),
    historyIds: toRead.filter((id) => !known(id) || together(id)),
    echoes: [...echoes],
  };
}
