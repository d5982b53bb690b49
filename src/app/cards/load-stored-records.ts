import { recordKeyString } from '../../core';
import type { PortalId, RecordKey, Store } from '../ports/store-ports';
import type { StoredRecord } from './account-health-input';

/** States, ledgers and fact events of records from the store, keyed by `recordKeyString`; unknown records are absent. */
export async function loadStoredRecords(store: Pick<Store, 'states' | 'ledger' | 'factEvents'>, portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredRecord>> {
  if (keys.length === 0) return new Map();
  const [states, events] = await Promise.all([store.states.getMany(portalId, keys), store.factEvents.getMany(portalId, keys)]);
  const records = new Map<string, StoredRecord>();
  for (const key of keys) {
    const id = recordKeyString(key);
    const stored = states.get(id);
    if (!stored) continue;
    records.set(id, { state: stored.state, history: await store.ledger.history(portalId, key), events: events.get(id) ?? [] });
  }
  return records;
}
