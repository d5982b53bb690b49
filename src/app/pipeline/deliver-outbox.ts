import type { Logger } from 'pino';
import type { ObjectType } from '../../core';
import type { Clock } from '../ports/clock';
import { HubSpotError, type HubSpotPort, type PropertyWrite } from '../ports/hubspot-port';
import type { OutboxItem, PortalId, Store } from '../ports/store-ports';
import { dailyLimitRetryAt, transientRetryAt } from './backoff';
import { raiseDailyLimitAlert } from './daily-limit-alert';
import { raisePortalFailingAlert } from './portal-failing-alert';

export interface DeliveryDeps {
  store: Store;
  hubspot: (portalId: PortalId) => HubSpotPort;
  clock: Clock;
  logger: Logger;
  workerId: string;
  leaseMs?: number;
  random?: () => number;
}

export interface DeliveryResult {
  delivered: number;
  failed: number;
  calls: number;
}

const BATCH_LIMIT = 100;
type UpdateItem = OutboxItem & { payload: Extract<OutboxItem['payload'], { kind: 'update_properties' }> };

/**
 * Delivers one batch of a portal's outbox: property writes coalesced per record (latest wins) in one batch update
 * of ≤ 100, tasks in one batch create. A backward lifecycle move is a clear then a set, and the step reached is
 * persisted in between, so a crash resumes at "set" and never leaves the record blank.
 */
export async function deliverOutboxOnce(deps: DeliveryDeps, portalId: PortalId): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: 0, failed: 0, calls: 0 };
  const hubspot = deps.hubspot(portalId);
  const claim = (kind: 'update_properties' | 'create_task') =>
    deps.store.outbox.claim(portalId, { kind, workerId: deps.workerId, limit: BATCH_LIMIT, leaseMs: deps.leaseMs ?? 120_000, now: deps.clock.now() });

  const updates = (await claim('update_properties')) as UpdateItem[];
  for (const [objectType, items] of groupByType(updates)) await deliverUpdates(deps, hubspot, portalId, objectType, items, result);

  const tasks = await claim('create_task');
  if (tasks.length > 0) await deliverTasks(deps, hubspot, portalId, tasks, result);
  return result;
}

function groupByType(items: UpdateItem[]): Map<ObjectType, UpdateItem[]> {
  const groups = new Map<ObjectType, UpdateItem[]>();
  for (const item of items) groups.set(item.objectType, [...(groups.get(item.objectType) ?? []), item]);
  return groups;
}

/** The first write of an item: our properties, plus the native stage (or its clearing, for a backward move). */
function firstWrite(item: UpdateItem): PropertyWrite {
  const { properties, nativeStage } = item.payload;
  if (!nativeStage) return { id: item.objectId, properties };
  if (item.step === 'set') return { id: item.objectId, properties: { ...properties, [nativeStage.property]: nativeStage.value } };
  return { id: item.objectId, properties: { ...properties, [nativeStage.property]: nativeStage.clearFirst ? '' : nativeStage.value } };
}

const needsSecondWrite = (item: UpdateItem) => Boolean(item.payload.nativeStage?.clearFirst) && item.step !== 'set';

async function deliverUpdates(deps: DeliveryDeps, hubspot: HubSpotPort, portalId: PortalId, objectType: ObjectType, items: UpdateItem[], result: DeliveryResult) {
  const now = () => deps.clock.now();
  const first = await writeBatch(deps, hubspot, portalId, objectType, items, firstWrite, result);
  const clearedItems = first.filter(needsSecondWrite);
  const finished = first.filter((i) => !needsSecondWrite(i));
  for (const item of clearedItems) await deps.store.outbox.advanceStep(portalId, item.id, 'set', now());
  if (finished.length > 0)
    await deps.store.outbox.markDone(
      portalId,
      finished.map((i) => i.id),
      now(),
    );
  result.delivered += finished.length;
  if (clearedItems.length === 0) return;
  const setItems = clearedItems.map((i) => ({ ...i, step: 'set' as const }));
  const second = await writeBatch(
    deps,
    hubspot,
    portalId,
    objectType,
    setItems,
    (i) => ({ id: i.objectId, properties: { [i.payload.nativeStage!.property]: i.payload.nativeStage!.value } }),
    result,
  );
  if (second.length > 0)
    await deps.store.outbox.markDone(
      portalId,
      second.map((i) => i.id),
      now(),
    );
  result.delivered += second.length;
}

/**
 * Sends one batch update and settles failures: per-item validation errors are dead-lettered with HubSpot's message
 * (never retried as a batch); a whole-batch validation error is split in halves to isolate the bad inputs;
 * transient failures are rescheduled with jittered backoff; a daily limit parks the portal until the reset.
 * Returns the items that were written.
 */
async function writeBatch(
  deps: DeliveryDeps,
  hubspot: HubSpotPort,
  portalId: PortalId,
  objectType: ObjectType,
  items: UpdateItem[],
  toWrite: (item: UpdateItem) => PropertyWrite,
  result: DeliveryResult,
): Promise<UpdateItem[]> {
  const now = () => deps.clock.now();
  try {
    result.calls++;
    const { failed } = await hubspot.batchUpdate(objectType, items.map(toWrite));
    const failedIds = new Map(failed.map((f) => [f.id, f.message]));
    const rejected = items.filter((i) => failedIds.has(i.objectId));
    for (const item of rejected) {
      await deps.store.outbox.deadLetter(portalId, [item.id], `HubSpot rejected the values: ${failedIds.get(item.objectId)}`, now());
    }
    result.failed += rejected.length;
    await resumeAfterRecovery(deps, portalId, items);
    return items.filter((i) => !failedIds.has(i.objectId));
  } catch (error) {
    const e = error instanceof HubSpotError ? error : new HubSpotError('server', (error as Error).message, null);
    if (e.kind === 'validation' || e.kind === 'not_found') {
      if (items.length > 1) {
        const half = Math.ceil(items.length / 2);
        const left = await writeBatch(deps, hubspot, portalId, objectType, items.slice(0, half), toWrite, result);
        const right = await writeBatch(deps, hubspot, portalId, objectType, items.slice(half), toWrite, result);
        return [...left, ...right];
      }
      await deps.store.outbox.deadLetter(
        portalId,
        items.map((i) => i.id),
        `HubSpot rejected the write (${e.status ?? 'no status'}): ${e.message}`,
        now(),
      );
      result.failed += items.length;
      return [];
    }
    await reschedule(deps, portalId, items, e);
    result.failed += items.length;
    return [];
  }
}

/**
 * Transient failures (429, 5xx, timeouts, refused connections) and a token that does not work are never exhausted:
 * the items are retried on the capped backoff for 72 h, then parked with an hourly probe, and made due at once when
 * another call of the portal succeeds (I7). Only permanent errors reach the dead letters, and at once.
 */
async function reschedule(deps: DeliveryDeps, portalId: PortalId, items: OutboxItem[], error: HubSpotError) {
  const now = deps.clock.now();
  if (error.kind === 'daily_limit') {
    deps.logger.warn({ portalId }, 'daily API limit reached: writes parked, probing hourly until the reset');
    await deps.store.outbox.retryLater(
      portalId,
      items.map((i) => i.id),
      dailyLimitRetryAt(now),
      error.message,
      now,
    );
    await raiseDailyLimitAlert(deps, portalId, now);
    return;
  }
  // A claim counts its attempt, so `attempts` already includes the one that just failed.
  const attempts = Math.max(...items.map((i) => i.attempts));
  const failingSince = Math.min(now, ...items.map((i) => i.failingSince ?? now));
  const retryAt = error.kind === 'auth' ? now + 10 * 60_000 : transientRetryAt({ now, attempts, failingSince, retryAfterMs: error.retryAfterMs, random: deps.random });
  await deps.store.outbox.retryLater(
    portalId,
    items.map((i) => i.id),
    retryAt,
    `${error.kind}: ${error.message}`,
    now,
    failingSince,
  );
  await raisePortalFailingAlert(deps, portalId, failingSince, now);
}

/** HubSpot took a write of items that had been failing: the portal's other waiting work can go now. */
async function resumeAfterRecovery(deps: DeliveryDeps, portalId: PortalId, written: OutboxItem[]) {
  if (!written.some((i) => i.failingSince !== null)) return;
  await deps.store.outbox.resumeFailing(portalId, deps.clock.now());
  await deps.store.inbox.resumeFailing(portalId, deps.clock.now());
}

async function deliverTasks(deps: DeliveryDeps, hubspot: HubSpotPort, portalId: PortalId, items: OutboxItem[], result: DeliveryResult) {
  const inputs = items.flatMap((item) =>
    item.payload.kind === 'create_task'
      ? [
          {
            subject: item.payload.subject,
            body: item.payload.body,
            priority: item.payload.priority,
            dueAt: item.payload.dueAt,
            ownerId: item.payload.ownerId,
            associate: { objectType: item.objectType, objectId: item.objectId },
          },
        ]
      : [],
  );
  try {
    result.calls++;
    await hubspot.createTasks(inputs);
    await deps.store.outbox.markDone(
      portalId,
      items.map((i) => i.id),
      deps.clock.now(),
    );
    result.delivered += items.length;
    await resumeAfterRecovery(deps, portalId, items);
  } catch (error) {
    const e = error instanceof HubSpotError ? error : new HubSpotError('server', (error as Error).message, null);
    if (e.kind === 'validation' || e.kind === 'not_found') {
      await deps.store.outbox.deadLetter(
        portalId,
        items.map((i) => i.id),
        `HubSpot rejected the task: ${e.message}`,
        deps.clock.now(),
      );
    } else {
      await reschedule(deps, portalId, items, e);
    }
    result.failed += items.length;
  }
}
