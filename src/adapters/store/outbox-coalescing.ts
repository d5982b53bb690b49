import type { OutboxPayload, OutboxStep } from '../../app/ports/store-ports';

type PropertyUpdate = Extract<OutboxPayload, { kind: 'update_properties' }>;

/**
 * Folds a record's pending property updates (oldest first) into the newest one: property by property the latest
 * value wins, so an older update's property the newer one did not touch is still written. A native-stage move
 * keeps the latest target; if any of the folded moves needed a clear first, the result does too (clearing again
 * is harmless, skipping a needed clear is not: HubSpot's lifecyclestage only moves forward).
 */
export function coalescePropertyUpdates(updates: ReadonlyArray<{ payload: PropertyUpdate; step: OutboxStep }>): { payload: PropertyUpdate; step: OutboxStep } {
  const newest = updates[updates.length - 1];
  if (newest === undefined) throw new Error('coalescePropertyUpdates needs at least one update');
  let properties: Record<string, string> = {};
  let nativeStage: PropertyUpdate['nativeStage'] = null;
  for (const { payload } of updates) {
    properties = { ...properties, ...payload.properties };
    if (payload.nativeStage !== null) nativeStage = payload.nativeStage;
  }
  const clearFirst = nativeStage !== null && updates.some(({ payload }) => payload.nativeStage?.clearFirst === true);
  const merged: PropertyUpdate = {
    kind: 'update_properties',
    properties,
    nativeStage: nativeStage === null ? null : { ...nativeStage, clearFirst },
  };
  return { payload: merged, step: nextStep(clearFirst, newest) };
}

/** A new item with a clear-then-set move starts at `clear`; other items have no steps. */
export function initialStep(payload: OutboxPayload): OutboxStep {
  return payload.kind === 'update_properties' && payload.nativeStage?.clearFirst === true ? 'clear' : null;
}

/** The newest item's progress counts only if the clear it got past was its own. */
function nextStep(clearFirst: boolean, newest: { payload: PropertyUpdate; step: OutboxStep }): OutboxStep {
  if (!clearFirst) return null;
  const newestHadItsOwnClear = newest.payload.nativeStage?.clearFirst === true;
  return newestHadItsOwnClear && newest.step === 'set' ? 'set' : 'clear';
}
