import { initialState, type LedgerEntry } from '../../../../core';
import type { PortalId, RecordCommit, Store } from '../../../ports/store-ports';

const COMMITS_PER_TRANSACTION = 1_000;

/**
 * Writes histories the way the worker does: one commit per record (its ledger rows and its resulting state)
 * through the unit of work. Every record must be new to the store.
 */
export async function commitHistories(store: Store, portalId: PortalId, entries: readonly LedgerEntry[]): Promise<void> {
  const byRecord = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const key = `${entry.objectType}:${entry.objectId}`;
    const history = byRecord.get(key);
    if (history) history.push(entry);
    else byRecord.set(key, [entry]);
  }
  const commits = [...byRecord.values()].map(recordCommit);
  for (let i = 0; i < commits.length; i += COMMITS_PER_TRANSACTION) {
    const { conflicts } = await store.unitOfWork.commitEvaluations(portalId, commits.slice(i, i + COMMITS_PER_TRANSACTION), [], 'seed', lastOccurredAt(entries));
    if (conflicts.length > 0) throw new Error(`seeding conflicted on ${conflicts.length} records: seed each record once`);
  }
}

function recordCommit(history: LedgerEntry[]): RecordCommit {
  const last = history[history.length - 1] as LedgerEntry;
  return {
    key: { objectType: last.objectType, objectId: last.objectId },
    expectedVersion: null,
    state: { ...initialState(last.objectType, last.objectId), stage: last.toStage, enteredAt: last.occurredAt, lastTransitionKind: last.kind },
    wakeAt: null,
    newFactEvents: [],
    ledger: history,
    outbox: [],
    pause: null,
    alerts: [],
  };
}

function lastOccurredAt(entries: readonly LedgerEntry[]): number {
  return entries.reduce((latest, entry) => Math.max(latest, entry.occurredAt), 0);
}
