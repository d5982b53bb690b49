import type { Decision, LedgerEntry } from '../../core';
import type { KeyedFactEvent } from '../facts/activity-events';
import type { OutboxPayload, RecordCommit, RecordKey, StoredPropertyValue } from '../ports/store-ports';

/**
 * Translates a decision's effects (data) into what the store persists in one transaction: ledger rows, the new
 * state, the property values that changed, HubSpot writes for the outbox, the pause, and alerts.
 */
export function decisionCommit(input: {
  key: RecordKey;
  expectedVersion: number | null;
  decision: Decision;
  newFactEvents: KeyedFactEvent[];
  properties?: StoredPropertyValue[];
}): RecordCommit {
  const { decision, key } = input;
  const ledger: LedgerEntry[] = [];
  const outbox: OutboxPayload[] = [];
  const alerts: RecordCommit['alerts'] = [];
  let properties: Record<string, string> | null = null;
  let nativeStage: { property: string; value: string; clearFirst: boolean } | null = null;
  let pause: RecordCommit['pause'] = null;

  for (const effect of decision.effects) {
    switch (effect.type) {
      case 'append_ledger':
        ledger.push(effect.entry);
        break;
      case 'set_properties':
        properties = { ...(properties ?? {}), ...effect.properties };
        break;
      case 'set_native_stage':
        nativeStage = { property: effect.property, value: effect.value, clearFirst: effect.clearFirst };
        break;
      case 'pause_marketing':
        pause = { until: effect.until, reason: effect.reason };
        break;
      case 'release_marketing_pause':
        pause = 'release';
        break;
      case 'notify_owner': {
        const trigger = ledger.at(-1)?.transitionId ?? `${key.objectType}:${key.objectId}:${effect.dueAt}`;
        outbox.push({
          kind: 'create_task',
          taskKey: `reengagement:${trigger}`,
          ownerId: effect.ownerId,
          subject: effect.subject,
          body: effect.body,
          priority: effect.priority,
          dueAt: effect.dueAt,
        });
        alerts.push({ kind: 'reengagement', message: effect.subject });
        break;
      }
    }
  }
  if (properties || nativeStage) outbox.unshift({ kind: 'update_properties', properties: properties ?? {}, nativeStage });

  return {
    key,
    expectedVersion: input.expectedVersion,
    state: decision.state,
    wakeAt: decision.wakeAt,
    newFactEvents: input.newFactEvents,
    ...(input.properties && input.properties.length > 0 ? { properties: input.properties } : {}),
    ledger,
    outbox,
    pause,
    alerts,
  };
}
