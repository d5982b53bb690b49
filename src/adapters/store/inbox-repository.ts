import type { Kysely } from 'kysely';
import type { InboxEvent, InboxEventInput, InboxPort, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString } from '../../core';
import type { StoreDialect } from './database';
import { recordDeadLetters } from './dead-letter-repository';
import { claimableAt, firstRecords, liveLeaseAt, lockedForClaim, takeClaimTurn } from './lease-conditions';
import { erasedRecords } from './record-maintenance';
import { recordIn } from './record-keys';
import type { Database, InboxEventRow } from './schema';

/** How many claimable events a claim looks at to find its records: records usually have a few events each. */
const CLAIM_SCAN_FACTOR = 4;

export class InboxRepository implements InboxPort {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
  ) {}

  async insertMany(portalId: PortalId, incoming: InboxEventInput[], receivedAt: number): Promise<number> {
    // Events for a record a privacy deletion erased are dropped here, so its data is not stored again (R15). The
    // worker checks again, for events that raced the deletion.
    const erased = await erasedRecords(
      this.db,
      portalId,
      incoming.flatMap((e) => (e.objectType === 'unknown' ? [] : [{ objectType: e.objectType, objectId: e.objectId }])),
    );
    const events = erased.size === 0 ? incoming : incoming.filter((e) => e.objectType === 'unknown' || !erased.has(recordKeyString({ objectType: e.objectType, objectId: e.objectId })));
    if (events.length === 0) return 0;
    const rows = events.map((event) => ({
      portal_id: portalId,
      dedup_key: event.dedupKey,
      event_id: event.eventId,
      subscription_type: event.subscriptionType,
      object_type: event.objectType,
      object_id: event.objectId,
      property_name: event.propertyName,
      property_value: event.propertyValue,
      change_source: event.changeSource,
      occurred_at: event.occurredAt,
      attempt_number: event.attemptNumber,
      payload: event.payload,
      received_at: receivedAt,
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: receivedAt,
    }));
    // One multi-row statement: atomic on its own, and duplicates cost nothing.
    const inserted = await this.db
      .insertInto('inbox_events')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['portal_id', 'dedup_key']).doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  }

  /**
   * `limit` counts records: every claimable event of the chosen records is leased together, so one worker sees all
   * of a record's news at once. Records another worker holds a live lease on are left alone.
   */
  async claim({ workerId, limit, leaseMs, now }: { workerId: string; limit: number; leaseMs: number; now: number }): Promise<InboxEvent[]> {
    if (limit <= 0) return [];
    return this.db.transaction().execute(async (trx) => {
      await takeClaimTurn(trx, this.dialect, 'inbox');
      const candidates = await lockedForClaim(
        trx
          .selectFrom('inbox_events')
          .select(['portal_id', 'object_type', 'object_id'])
          .where(claimableAt(now))
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('inbox_events as held')
                  .select('held.id')
                  .whereRef('held.portal_id', '=', 'inbox_events.portal_id')
                  .whereRef('held.object_type', '=', 'inbox_events.object_type')
                  .whereRef('held.object_id', '=', 'inbox_events.object_id')
                  .where(liveLeaseAt(now)),
              ),
            ),
          )
          .orderBy('id')
          .limit(limit * CLAIM_SCAN_FACTOR),
        this.dialect,
      ).execute();
      const leased: InboxEventRow[] = [];
      for (const [portalId, keys] of byPortal(firstRecords(candidates, limit))) {
        const events = await lockedForClaim(
          trx.selectFrom('inbox_events').select('id').where('portal_id', '=', portalId).where(recordIn(keys)).where(claimableAt(now)),
          this.dialect,
        ).execute();
        if (events.length === 0) continue;
        const rows = await trx
          .updateTable('inbox_events')
          .set((eb) => ({ status: 'leased', lease_owner: workerId, lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
          .where('portal_id', '=', portalId)
          .where(
            'id',
            'in',
            events.map((event) => event.id),
          )
          .returningAll()
          .execute();
        leased.push(...rows);
      }
      return leased.sort((a, b) => a.id - b.id).map(toInboxEvent);
    });
  }

  async complete(portalId: PortalId, ids: number[], workerId: string, now: number): Promise<void> {
    await completeInboxEvents(this.db, portalId, ids, workerId, now);
  }

  async release(portalId: PortalId, ids: number[], workerId: string, retryAt: number, error: string, failingSince?: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('inbox_events')
      .set((eb) => ({
        status: 'pending',
        next_attempt_at: retryAt,
        last_error: error,
        lease_owner: null,
        lease_until: null,
        ...(failingSince === undefined ? {} : { failing_since: eb.fn.coalesce('failing_since', eb.val(failingSince)) }),
      }))
      .where('portal_id', '=', portalId)
      .where('id', 'in', ids)
      .where('status', '=', 'leased')
      .where('lease_owner', '=', workerId)
      .execute();
  }

  async deadLetter(portalId: PortalId, ids: number[], workerId: string, reason: string, now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      const dead = await trx
        .updateTable('inbox_events')
        .set({ status: 'dead', last_error: reason, lease_owner: null, lease_until: null })
        .where('portal_id', '=', portalId)
        .where('id', 'in', ids)
        .where('status', '=', 'leased')
        .where('lease_owner', '=', workerId)
        .returning(['id', 'object_type', 'object_id', 'payload'])
        .execute();
      await recordDeadLetters(
        trx,
        dead.map((event) => ({
          portal_id: portalId,
          source: 'inbox',
          ref_id: event.id,
          object_type: event.object_type,
          object_id: event.object_id,
          reason,
          payload: event.payload,
          failed_at: now,
        })),
      );
    });
  }

  async resumeFailing(portalId: PortalId, now: number): Promise<void> {
    await this.db
      .updateTable('inbox_events')
      .set({ next_attempt_at: now })
      .where('portal_id', '=', portalId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', now)
      .where('failing_since', 'is not', null)
      .execute();
  }

  async failingSince(portalId: PortalId): Promise<number | null> {
    const row = await this.db
      .selectFrom('inbox_events')
      .select((eb) => eb.fn.min('failing_since').as('since'))
      .where('portal_id', '=', portalId)
      .where('status', 'in', ['pending', 'leased'])
      .executeTakeFirst();
    return row?.since == null ? null : Number(row.since);
  }

  async pruneCompleted(portalId: PortalId, before: number, limit: number): Promise<number> {
    // Ids first, then a short delete by primary key: each batch is one small write, so ingestion never waits long.
    const ids = await this.db
      .selectFrom('inbox_events')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('status', '=', 'done')
      .where('completed_at', '<', before)
      .orderBy('completed_at')
      .limit(limit)
      .execute();
    if (ids.length === 0) return 0;
    const deleted = await this.db
      .deleteFrom('inbox_events')
      .where('portal_id', '=', portalId)
      .where('status', '=', 'done')
      .where(
        'id',
        'in',
        ids.map((row) => row.id),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  /** Events not processed yet: pending, or leased to a worker that has not completed them. */
  async pendingCount(portalId?: PortalId): Promise<number> {
    const row = await this.db
      .selectFrom('inbox_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', 'in', ['pending', 'leased'])
      .$if(portalId !== undefined, (query) => query.where('portal_id', '=', portalId as PortalId))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

/**
 * Marks leased events done — only those this worker still holds: after a lease expired and another worker took
 * the events over, a late completion from the first worker must not swallow them. Events of `keepOpen` records
 * stay leased (their commit lost a version race and must be evaluated again).
 */
export async function completeInboxEvents(db: Kysely<Database>, portalId: PortalId, ids: number[], workerId: string, now: number, keepOpen: RecordKey[] = []): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('inbox_events')
    .set({ status: 'done', completed_at: now, lease_owner: null, lease_until: null })
    .where('portal_id', '=', portalId)
    .where('id', 'in', ids)
    .where('status', '=', 'leased')
    .where('lease_owner', '=', workerId)
    .$if(keepOpen.length > 0, (query) => query.where((eb) => eb.not(recordIn(keepOpen))))
    .execute();
}

function byPortal(records: Array<{ portal_id: number; object_type: string; object_id: string }>): Map<PortalId, RecordKey[]> {
  const grouped = new Map<PortalId, RecordKey[]>();
  for (const record of records) {
    const keys = grouped.get(record.portal_id) ?? [];
    keys.push({ objectType: record.object_type as RecordKey['objectType'], objectId: record.object_id });
    grouped.set(record.portal_id, keys);
  }
  return grouped;
}

function toInboxEvent(row: InboxEventRow): InboxEvent {
  return {
    portalId: row.portal_id,
    id: row.id,
    dedupKey: row.dedup_key,
    eventId: row.event_id,
    subscriptionType: row.subscription_type,
    objectType: row.object_type as InboxEvent['objectType'],
    objectId: row.object_id,
    propertyName: row.property_name,
    propertyValue: row.property_value,
    changeSource: row.change_source,
    occurredAt: row.occurred_at,
    attemptNumber: row.attempt_number,
    payload: row.payload,
    receivedAt: row.received_at,
    attempts: row.attempts,
    failingSince: row.failing_since === null ? null : Number(row.failing_since),
  };
}
