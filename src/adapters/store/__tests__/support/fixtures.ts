import type { InboxEventInput, OutboxPayload, RecordCommit, RecordKey } from '../../../../app/ports/store-ports';
import { initialState, type LedgerEntry, type LifecycleState } from '../../../../core';

export const PORTAL = 101;
export const OTHER_PORTAL = 202;
export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const MINUTE = 60_000;

export function contact(objectId: string): RecordKey {
  return { objectType: 'contact', objectId };
}

export function inboxEvent(objectId: string, dedupKey: string, overrides: Partial<InboxEventInput> = {}): InboxEventInput {
  return {
    dedupKey,
    eventId: `evt-${dedupKey}`,
    subscriptionType: 'contact.propertyChange',
    objectType: 'contact',
    objectId,
    propertyName: 'hs_lead_status',
    propertyValue: 'OPEN',
    changeSource: 'CRM_UI',
    occurredAt: T0,
    attemptNumber: 0,
    payload: JSON.stringify({ objectId, dedupKey }),
    ...overrides,
  };
}

export function ledgerEntry(transitionId: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    transitionId,
    objectType: 'contact',
    objectId: 'c1',
    fromStage: 'lead',
    toStage: 'mql',
    kind: 'advance',
    skipped: [],
    ruleId: 'lead-to-mql',
    reason: 'Scored above the MQL threshold',
    reasonCode: null,
    evidence: ['score=80'],
    occurredAt: T0,
    source: 'rules',
    actor: null,
    ...overrides,
  };
}

export function stateAt(key: RecordKey, stage: string, enteredAt: number): LifecycleState {
  return { ...initialState(key.objectType, key.objectId), stage, enteredAt, lastTransitionKind: 'advance' };
}

export function propertyUpdate(properties: Record<string, string>, nativeStage: { value: string; clearFirst: boolean } | null = null): OutboxPayload {
  return {
    kind: 'update_properties',
    properties,
    nativeStage: nativeStage === null ? null : { property: 'lifecyclestage', ...nativeStage },
  };
}

export function task(taskKey: string): OutboxPayload {
  return { kind: 'create_task', taskKey, ownerId: 'owner-1', subject: `Follow up ${taskKey}`, body: 'Recycled lead', priority: 'HIGH', dueAt: T0 + 86_400_000 };
}

/** A commit that moves the record to `stage`; everything else empty unless overridden. */
export function recordCommit(key: RecordKey, stage: string, overrides: Partial<RecordCommit> = {}): RecordCommit {
  return {
    key,
    expectedVersion: null,
    state: stateAt(key, stage, T0),
    wakeAt: null,
    newFactEvents: [],
    ledger: [],
    outbox: [],
    pause: null,
    alerts: [],
    ...overrides,
  };
}
