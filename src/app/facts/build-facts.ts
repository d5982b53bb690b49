import type { Facts, FactEvent } from '../../core';
import type { CrmRecord } from '../ports/hubspot-port';
import type { KeyedFactEvent, PropertyChange } from './activity-events';
import { parseHubSpotTime } from './hubspot-time';

/**
 * The engine's view of a record: its current properties (dated by their last change where we know it) and every
 * activity event we have ever seen for it — stored ones plus those just read — deduplicated by key.
 */
export function buildFacts(input: { record: CrmRecord; storedEvents: KeyedFactEvent[]; freshEvents: KeyedFactEvent[]; changes: PropertyChange[]; observedAt: number }): Facts {
  const events = new Map<string, FactEvent>();
  for (const e of [...input.storedEvents, ...input.freshEvents]) {
    const { key, ...event } = e;
    events.set(key, event);
  }
  const propertyChangedAt: Record<string, number> = {};
  for (const [name, history] of Object.entries(input.record.history)) {
    const latest = history.reduce((max, h) => Math.max(max, h.timestamp), -Infinity);
    if (Number.isFinite(latest)) propertyChangedAt[name] = latest;
  }
  for (const change of input.changes) {
    // Only a change that produced the value we now read dates it.
    if (input.record.properties[change.propertyName] === change.propertyValue) {
      propertyChangedAt[change.propertyName] = Math.max(propertyChangedAt[change.propertyName] ?? -Infinity, change.occurredAt);
    }
  }
  return {
    properties: input.record.properties,
    propertyChangedAt,
    events: [...events.values()].sort((a, b) => a.at - b.at),
    createdAt: parseHubSpotTime(input.record.properties['createdate']),
    observedAt: input.observedAt,
  };
}
