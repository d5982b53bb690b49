import { evaluate, initialState, recordKeyString, type CompiledModel, type Decision } from '../../core';
import type { KeyedFactEvent, PropertyChange } from '../facts/activity-events';
import { buildFacts } from '../facts/build-facts';
import { changedProperties, propertySnapshot, storedContactProperties } from '../facts/stored-properties';
import type { RecordCommit, StoredPropertyValue, StoredState } from '../ports/store-ports';
import { decisionCommit } from './decision-commit';
import type { ContactReading } from './read-contact-facts';

export interface ContactDecision {
  contactId: string;
  stored: StoredState | null;
  decision: Decision;
  /** Null when nothing changed (no effect, no new fact, no new property value, same wake time): there is nothing to save. */
  commit: RecordCommit | null;
}

const contactKey = (objectId: string) => recordKeyString({ objectType: 'contact', objectId });

/**
 * Decides contacts whose facts have just been read: current properties and fresh events merged with the events we
 * stored before, evaluated from the stored state (or from scratch for a record we have never seen, which replays its
 * whole dated history). Pure apart from its inputs, so the worker, the backfill and the reconcile sweep share it.
 */
export function decideContacts(input: {
  model: CompiledModel;
  readings: Map<string, ContactReading>;
  states: Map<string, StoredState>;
  storedEvents: Map<string, KeyedFactEvent[]>;
  /** The property values stored for these contacts (record_properties): only differences are written. */
  storedProperties: Map<string, StoredPropertyValue[]>;
  changes: Map<string, PropertyChange[]>;
  readAt: number;
}): ContactDecision[] {
  const decided: ContactDecision[] = [];
  const kept = storedContactProperties(input.model);
  for (const [id, reading] of input.readings) {
    const stored = input.states.get(contactKey(id)) ?? null;
    const storedForRecord = input.storedEvents.get(contactKey(id)) ?? [];
    const known = new Set(storedForRecord.map((e) => e.key));
    const facts = buildFacts({ record: reading.record, storedEvents: storedForRecord, freshEvents: reading.events, changes: input.changes.get(id) ?? [], observedAt: input.readAt });
    const decision = evaluate(stored?.state ?? initialState('contact', id), facts, input.model, input.readAt);
    const newFactEvents = reading.events.filter((e) => !known.has(e.key));
    const properties = changedProperties(propertySnapshot(reading.record, facts, kept), input.storedProperties.get(contactKey(id)) ?? [], input.readAt);
    const unchanged = decision.effects.length === 0 && newFactEvents.length === 0 && properties.length === 0 && stored !== null && stored.wakeAt === decision.wakeAt;
    const commit = unchanged ? null : decisionCommit({ key: { objectType: 'contact', objectId: id }, expectedVersion: stored?.version ?? null, decision, newFactEvents, properties });
    decided.push({ contactId: id, stored, decision, commit });
  }
  return decided;
}
