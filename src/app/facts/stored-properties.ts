import type { CompiledModel, Facts } from '../../core';
import { COMPANY_FACT_PROPERTIES } from '../accounts/company-facts';
import type { CrmRecord } from '../ports/hubspot-port';
import type { StoredPropertyValue } from '../ports/store-ports';
import { contactReadProperties } from './fact-properties';

/**
 * The contact properties kept per record (record_properties, migration 0014): what the model's criteria read and the
 * fact properties we read anyway (contactReadProperties), so a what-if replay evaluates from the store. Every pipeline
 * read already requests them: storing them costs no HubSpot call. `lastmodifieddate` is left out: it changes with
 * every edit, no criterion of ours reads it, and keeping it would turn every read into a write.
 */
export function storedContactProperties(model: CompiledModel): string[] {
  return contactReadProperties(model).filter((name) => name !== 'lastmodifieddate');
}

/**
 * The values a read gave for `names`, each dated by facts.propertyChangedAt (value history, a webhook change that set
 * it) where HubSpot told us, else null. A name the read did not return is empty in HubSpot (null), except the company
 * facts, which only some reads merge onto the contact: those are kept only when present.
 */
export function propertySnapshot(record: CrmRecord, facts: Pick<Facts, 'propertyChangedAt'>, names: readonly string[]): StoredPropertyValue[] {
  const snapshot: StoredPropertyValue[] = [];
  for (const property of names) {
    if (COMPANY_FACT_PROPERTIES.includes(property) && !(property in record.properties)) continue;
    snapshot.push({ property, value: record.properties[property] ?? null, setAt: facts.propertyChangedAt?.[property] ?? null });
  }
  return snapshot;
}

/**
 * The values of `snapshot` that the store does not already hold as they are, as they are to be stored: a new value
 * (or one not stored before) observed at `readAt`, the read time of the decision that acts on it (for a value HubSpot
 * gives no date for, the replay acts on it then too); a newly known HubSpot date for a stored value. A value equal
 * to the stored one is not written otherwise, so when it was first observed does not move.
 */
export function changedProperties(snapshot: readonly StoredPropertyValue[], stored: readonly StoredPropertyValue[], readAt: number): StoredPropertyValue[] {
  const before = new Map(stored.map((s) => [s.property, s]));
  const changed: StoredPropertyValue[] = [];
  for (const now of snapshot) {
    const was = before.get(now.property);
    if (!was || was.value !== now.value) changed.push({ ...now, observedAt: readAt });
    else if (now.setAt !== null && now.setAt !== was.setAt) changed.push({ ...now, observedAt: was.observedAt ?? null });
  }
  return changed;
}

/**
 * A record as the store knows it, for the engine's facts (buildFacts): its stored values, and for each value whose
 * HubSpot date is known (an empty one included) a one-entry history, so propertyChangedAt dates it as a read with
 * history would.
 */
export function recordFromStore(id: string, stored: readonly StoredPropertyValue[], extra: Record<string, string | null> = {}): CrmRecord {
  const properties: Record<string, string | null> = {};
  const history: CrmRecord['history'] = {};
  for (const s of stored) {
    properties[s.property] = s.value;
    if (s.setAt !== null) history[s.property] = [{ value: s.value ?? '', timestamp: s.setAt }];
  }
  return { id, properties: { ...properties, ...extra }, history };
}

/**
 * When the pipeline first observed the stored values HubSpot gives no date for (Facts.propertyObservedAt): the decision
 * that stored such a value read it undated and acted on it then, so the replay dates it then too. Values stored
 * before migration 0026 have no such time: the replay dates them as it always did (by its end, or by the record's
 * creation for who the contact is).
 */
export function observedDates(stored: readonly StoredPropertyValue[]): Record<string, number> {
  const observed: Record<string, number> = {};
  for (const s of stored) if (s.setAt === null && s.observedAt != null) observed[s.property] = s.observedAt;
  return observed;
}
