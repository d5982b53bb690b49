import type { Kysely, Transaction } from 'kysely';
import type { OutboxItem, OutboxPayload, OutboxPort, OutboxStep, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import type { StoreDialect } from './database';
import { recordDeadLetters } from './dead-letter-repository';
import { claimableAt, openForClaim, firstRecords, liveLeaseAt, lockedForClaim, takeClaimTurn, unattendedAt } from './lease-conditions';
import { coalescePropertyUpdates, initialStep } from './outbox-coalescing';
import { isRecord, toRecordKey } from './record-keys';
import type { Database, OutboxRow } from './schema';

/** How many due items a claim looks at to find its records. */
const CLAIM_SCAN_FACTOR = 4;

type ClaimOptions = { kind: OutboxPayload['kind']; workerId: string; limit: number; leaseMs: number; now: number };

export class OutboxRepository implements OutboxPort {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
  ) {}

  /**
   * One item per record, so two writes of a record never race each other to HubSpot; records with an item of this
   * kind in flight (live lease) wait. Property updates: the newest carries all pending values (older ones are folded in
   * and marked superseded, in this transaction). Tasks: the oldest due task; the others follow in later claims.
   */
  async claim(portalId: PortalId, { kind, workerId, limit, leaseMs, now }: ClaimOptions): Promise<OutboxItem[]> {
    if (limit <= 0) return [];
    return this.db.transaction().execute(async (trx) => {
      // Per portal and kind: two writes of one record must never be in flight at once (they could land out of order).
      await takeClaimTurn(trx, this.dialect, `outbox:${portalId}:${kind}`);
      const due = await lockedForClaim(
        trx
          .selectFrom('outbox')
          .select(['portal_id', 'object_type', 'object_id'])
          .where('portal_id', '=', portalId)
          .where('kind', '=', kind)
          // Implied by claimableAt, but SQLite cannot see that through its OR: stated, it lets the planner use the partial
          // outbox_open_idx instead of reading every row the portal ever queued (done ones included) on each claim.
          .where(openForClaim())
          .where(claimableAt(now))
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('outbox as held')
                  .select('held.id')
                  .whereRef('held.portal_id', '=', 'outbox.portal_id')
                  .whereRef('held.object_type', '=', 'outbox.object_type')
                  .whereRef('held.object_id', '=', 'outbox.object_id')
                  .whereRef('held.kind', '=', 'outbox.kind')
                  .where(liveLeaseAt(now)),
              ),
            ),
          )
          .orderBy('id')
          .limit(limit * CLAIM_SCAN_FACTOR),
        this.dialect,
      ).execute();
      const claimed: OutboxRow[] = [];
      for (const record of firstRecords(due, limit).map(toRecordKey)) {
        const item = await this.claimRecord(trx, portalId, record, { kind, workerId, leaseMs, now });
        if (item !== null) claimed.push(item);
      }
      return claimed.map(toOutboxItem);
    });
  }

  private async claimRecord(trx: Transaction<Database>, portalId: PortalId, key: RecordKey, { kind, workerId, leaseMs, now }: Omit<ClaimOptions, 'limit'>): Promise<OutboxRow | null> {
    const items = await lockedForClaim(
      trx
        .selectFrom('outbox')
        .selectAll()
        .where('portal_id', '=', portalId)
        .where(isRecord(key))
        .where('kind', '=', kind)
        .where(kind === 'update_properties' ? unattendedAt(now) : claimableAt(now))
        .orderBy('id'),
      this.dialect,
    ).execute();
    const lease = { status: 'leased' as const, lease_owner: workerId, lease_until: now + leaseMs, updated_at: now };
    if (kind === 'create_task') {
      const oldest = items[0];
      if (oldest === undefined) return null;
      return trx
        .updateTable('outbox')
        .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
        .where('portal_id', '=', portalId)
        .where('id', '=', oldest.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    const newest = items[items.length - 1];
    if (newest === undefined) return null;
    const superseded = items.slice(0, -1).map((item) => item.id);
    const { payload, step } = coalescePropertyUpdates(items.map((item) => ({ payload: parsePropertyUpdate(item), step: item.step as OutboxStep })));
    if (superseded.length > 0) {
      await trx
        .updateTable('outbox')
        .set({ status: 'superseded', lease_owner: null, lease_until: null, updated_at: now, last_error: `superseded by ${newest.id}` })
        .where('portal_id', '=', portalId)
        .where('id', 'in', superseded)
        .execute();
    }
    return trx
      .updateTable('outbox')
      .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1), payload: JSON.stringify(payload), step }))
      .where('portal_id', '=', portalId)
      .where('id', '=', newest.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async portalsWithWork(now: number): Promise<PortalId[]> {
    const rows = await this.db.selectFrom('outbox').select('portal_id').distinct().where(claimableAt(now)).orderBy('portal_id').execute();
    return rows.map((row) => row.portal_id);
  }

  async markDone(portalId: PortalId, ids: number[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set({ status: 'done', lease_owner: null, lease_until: null, updated_at: now })
      .where('portal_id', '=', portalId)
      .where('id', 'in', ids)
      .where('status', 'in', ['pending', 'leased'])
      .execute();
  }

  async advanceStep(portalId: PortalId, id: number, step: OutboxStep, now: number): Promise<void> {
    await this.db.updateTable('outbox').set({ step, updated_at: now }).where('portal_id', '=', portalId).where('id', '=', id).execute();
  }

  async retryLater(portalId: PortalId, ids: number[], nextAttemptAt: number, error: string, now: number, failingSince?: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'pending',
        next_attempt_at: nextAttemptAt,
        last_error: error,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
        ...(failingSince === undefined ? {} : { failing_since: eb.fn.coalesce('failing_since', eb.val(failingSince)) }),
      }))
      .where('portal_id', '=', portalId)
      .where('id', 'in', ids)
      .where('status', 'in', ['pending', 'leased'])
      .execute();
  }

  async deadLetter(portalId: PortalId, ids: number[], reason: string, now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      const dead = await trx
        .updateTable('outbox')
        .set({ status: 'dead', last_error: reason, lease_owner: null, lease_until: null, updated_at: now })
        .where('portal_id', '=', portalId)
        .where('id', 'in', ids)
        .where('status', 'in', ['pending', 'leased'])
        .returning(['id', 'object_type', 'object_id', 'payload'])
        .execute();
      await recordDeadLetters(
        trx,
        dead.map((item) => ({
          portal_id: portalId,
          source: 'outbox',
          ref_id: item.id,
          object_type: item.object_type,
          object_id: item.object_id,
          reason,
          payload: item.payload,
          failed_at: now,
        })),
      );
    });
  }

  async resumeFailing(portalId: PortalId, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: now, updated_at: now })
      .where('portal_id', '=', portalId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', now)
      .where('failing_since', 'is not', null)
      .execute();
  }

  async failingSince(portalId: PortalId): Promise<number | null> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('failing_since').as('since'))
      .where('portal_id', '=', portalId)
      .where('status', 'in', ['pending', 'leased'])
      .executeTakeFirst();
    return row?.since == null ? null : Number(row.since);
  }

  async pruneDelivered(portalId: PortalId, before: number, limit: number): Promise<number> {
    const ids = await this.db
      .selectFrom('outbox')
      .select('id')
      .where('portal_id', '=', portalId)
      .where('status', 'in', ['done', 'superseded'])
      .where('updated_at', '<', before)
      .orderBy('updated_at')
      .limit(limit)
      .execute();
    if (ids.length === 0) return 0;
    const deleted = await this.db
      .deleteFrom('outbox')
      .where('portal_id', '=', portalId)
      .where('status', 'in', ['done', 'superseded'])
      .where(
        'id',
        'in',
        ids.map((row) => row.id),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  /** Writes not delivered yet: pending, or leased to a worker that has not finished them. */
  async pendingCount(portalId?: PortalId): Promise<number> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', 'in', ['pending', 'leased'])
      .$if(portalId !== undefined, (query) => query.where('portal_id', '=', portalId as PortalId))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

/** Queues a record's HubSpot writes, due now; called inside the commit that decided them. */
export async function enqueueOutbox(db: Kysely<Database>, portalId: PortalId, key: RecordKey, payloads: OutboxPayload[], now: number): Promise<void> {
  if (payloads.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      payloads.map((payload) => ({
        portal_id: portalId,
        object_type: key.objectType,
        object_id: key.objectId,
        kind: payload.kind,
        payload: JSON.stringify(payload),
        step: initialStep(payload),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

function parsePropertyUpdate(row: OutboxRow): Extract<OutboxPayload, { kind: 'update_properties' }> {
  const payload = JSON.parse(row.payload) as OutboxPayload;
  if (payload.kind !== 'update_properties') throw new Error(`Outbox item ${row.id} of ${recordKeyString(toRecordKey(row))} is not a property update`);
  return payload;
}

function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    portalId: row.portal_id,
    objectType: row.object_type as ObjectType,
    objectId: row.object_id,
    payload: JSON.parse(row.payload) as OutboxPayload,
    step: row.step as OutboxStep,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    failingSince: row.failing_since === null ? null : Number(row.failing_since),
  };
}
