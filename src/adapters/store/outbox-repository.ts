import { sql, type Kysely, type Transaction } from 'kysely';
import type { OutboxItem, OutboxPayload, OutboxPort, OutboxStep, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import type { StoreDialect } from './database';
import { recordDeadLetters } from './dead-letter-repository';
import { claimableAt, firstRecords, openForClaim, liveLeaseAt, lockedForClaim, takeClaimTurn, unattendedAt } from './lease-conditions';
import { coalescePropertyUpdates, initialStep } from './outbox-coalescing';
import { inChunks, inStatementChunks, itemIn, recordIn, toRecordKey } from './record-keys';
import type { Database, OutboxRow } from './schema';

/** Every column of an outbox row, for statements that return the rows they lease. */
const OUTBOX_COLUMNS = [
  'id',
  'portal_id',
  'object_type',
  'object_id',
  'kind',
  'payload',
  'step',
  'status',
  'attempts',
  'next_attempt_at',
  'lease_owner',
  'lease_until',
  'last_error',
  'created_at',
  'updated_at',
  'failing_since',
] as const satisfies ReadonlyArray<keyof OutboxRow>;

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
      const records = await this.dueRecords(trx, portalId, kind, limit, now);
      return (await this.claimRecords(trx, portalId, records, { kind, workerId, leaseMs, now })).map(toOutboxItem);
    });
  }

  /**
   * The first `limit` records (by their oldest due item) with a due item of this kind and no item of this kind under a
   * live lease. Due items are read in id order a page at a time, and the pages' records that are held are looked up by
   * their keys (outbox_record_idx). One query with NOT EXISTS did the same, but PostgreSQL, with statistics taken
   * while the open work was small, joined it as a nested loop over the open rows for each open row: quadratic in the
   * backlog (measured 4 s per claim with 5,300 writes pending in a backfill).
   */
  private async dueRecords(trx: Transaction<Database>, portalId: PortalId, kind: OutboxPayload['kind'], limit: number, now: number): Promise<RecordKey[]> {
    const records: RecordKey[] = [];
    const seen = new Set<string>();
    const page = limit * CLAIM_SCAN_FACTOR;
    for (let afterId = -1; records.length < limit;) {
      const due = await lockedForClaim(dueItemsAfter(trx, portalId, kind, now, afterId, page), this.dialect).execute();
      const fresh = firstRecords(due, page)
        .map(toRecordKey)
        .filter((key) => !seen.has(recordKeyString(key)));
      fresh.forEach((key) => seen.add(recordKeyString(key)));
      const held = new Set<string>();
      for (const chunk of inChunks(fresh)) {
        const rows = await trx
          .selectFrom('outbox')
          .select(['object_type', 'object_id'])
          .where('portal_id', '=', portalId)
          .where(recordIn(chunk))
          .where('kind', '=', kind)
          .where(liveLeaseAt(now))
          .execute();
        rows.forEach((row) => held.add(recordKeyString(toRecordKey(row))));
      }
      records.push(...fresh.filter((key) => !held.has(recordKeyString(key))).slice(0, limit - records.length));
      if (due.length < page) break;
      afterId = due[due.length - 1]!.id;
    }
    return records;
  }

  /**
   * Leases one item for each record, in the records' order, in a few statements for the whole claim (not a few per
   * record): the records' unattended items are read at once, then every lease (and every fold) is one multi-row update.
   */
  private async claimRecords(trx: Transaction<Database>, portalId: PortalId, records: RecordKey[], { kind, workerId, leaseMs, now }: Omit<ClaimOptions, 'limit'>): Promise<OutboxRow[]> {
    if (records.length === 0) return [];
    const itemsOf = new Map<string, OutboxRow[]>(records.map((key) => [recordKeyString(key), []]));
    for (const chunk of inChunks(records)) {
      const items = await lockedForClaim(
        trx
          .selectFrom('outbox')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where(recordIn(chunk))
          .where('kind', '=', kind)
          .where(kind === 'update_properties' ? unattendedAt(now) : claimableAt(now))
          .orderBy('id'),
        this.dialect,
      ).execute();
      for (const item of items) itemsOf.get(recordKeyString(toRecordKey(item)))?.push(item);
    }
    const lease = { status: 'leased' as const, lease_owner: workerId, lease_until: now + leaseMs, updated_at: now };
    const leased: OutboxRow[] = [];
    if (kind === 'create_task') {
      // Tasks are never folded: the oldest of each record, the others in later claims.
      const oldest = [...itemsOf.values()].flatMap((items) => items.slice(0, 1).map((item) => item.id));
      for (const ids of inChunks(oldest)) {
        leased.push(
          ...(await trx
            .updateTable('outbox')
            .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
            .where(itemIn(portalId, ids))
            .returningAll()
            .execute()),
        );
      }
    } else {
      const superseded: Array<{ id: number; by: number }> = [];
      const newest: Array<{ id: number; payload: string; step: OutboxStep }> = [];
      for (const items of itemsOf.values()) {
        const last = items[items.length - 1];
        if (last === undefined) continue;
        for (const item of items.slice(0, -1)) superseded.push({ id: item.id, by: last.id });
        const { payload, step } = coalescePropertyUpdates(items.map((item) => ({ payload: parsePropertyUpdate(item), step: item.step as OutboxStep })));
        newest.push({ id: last.id, payload: JSON.stringify(payload), step });
      }
      // VALUES columns are column1… on both SQLite and PostgreSQL; the casts type PostgreSQL's parameters.
      for (const chunk of inChunks(superseded)) {
        const values = sql.join(chunk.map(({ id, by }) => sql`(cast(${id} as bigint), cast(${`superseded by ${by}`} as text))`));
        await sql`
          update outbox set status = 'superseded', lease_owner = null, lease_until = null, updated_at = ${now}, last_error = v.column2
          from (values ${values}) as v
          where outbox.portal_id = ${portalId} and outbox.id = v.column1`.execute(trx);
      }
      for (const chunk of inChunks(newest)) {
        const values = sql.join(chunk.map(({ id, payload, step }) => sql`(cast(${id} as bigint), cast(${payload} as text), cast(${step} as text))`));
        const { rows } = await sql<OutboxRow>`
          update outbox
          set status = ${lease.status}, lease_owner = ${lease.lease_owner}, lease_until = ${lease.lease_until}, updated_at = ${now},
            attempts = attempts + 1, payload = v.column2, step = v.column3
          from (values ${values}) as v
          where outbox.portal_id = ${portalId} and outbox.id = v.column1
          returning ${sql.join(OUTBOX_COLUMNS.map((column) => sql.ref(`outbox.${column}`)))}`.execute(trx);
        leased.push(...rows);
      }
    }
    const byRecord = new Map(leased.map((row) => [recordKeyString(toRecordKey(row)), row]));
    return records.flatMap((key) => byRecord.get(recordKeyString(key)) ?? []);
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
      .where(itemIn(portalId, ids))
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
      .where(itemIn(portalId, ids))
      .where('status', 'in', ['pending', 'leased'])
      .execute();
  }

  async deadLetter(portalId: PortalId, ids: number[], reason: string, now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      const dead = await trx
        .updateTable('outbox')
        .set({ status: 'dead', last_error: reason, lease_owner: null, lease_until: null, updated_at: now })
        .where(itemIn(portalId, ids))
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
      .where(
        itemIn(
          portalId,
          ids.map((row) => row.id),
        ),
      )
      .where('status', 'in', ['done', 'superseded'])
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

/**
 * A page of the portal's due items of one kind after `afterId`, in id order: the claim's first read. `openForClaim`
 * is implied by claimableAt; it is stated so the planner can walk outbox_claim_idx (0024), which holds open items
 * only, instead of the table by rowid past every item the portal ever finished.
 */
export function dueItemsAfter(db: Kysely<Database>, portalId: PortalId, kind: OutboxPayload['kind'], now: number, afterId: number, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'portal_id', 'object_type', 'object_id'])
    .where('portal_id', '=', portalId)
    .where('kind', '=', kind)
    .where(openForClaim())
    .where(claimableAt(now))
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit);
}

/** Queues a record's HubSpot writes, due now; called inside the commit that decided them. */
export async function enqueueOutbox(db: Kysely<Database>, portalId: PortalId, key: RecordKey, payloads: OutboxPayload[], now: number): Promise<void> {
  await enqueueOutboxOfRecords(db, portalId, [{ key, payloads }], now);
}

/** Queues several records' items in multi-row inserts (inStatementChunks), in the order given (ids ascend with it). */
export async function enqueueOutboxOfRecords(
  db: Kysely<Database>,
  portalId: PortalId,
  records: ReadonlyArray<{ key: RecordKey; payloads: readonly OutboxPayload[] }>,
  now: number,
): Promise<void> {
  const rows = records.flatMap(({ key, payloads }) =>
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
  );
  for (const chunk of inStatementChunks(rows)) await db.insertInto('outbox').values(chunk).execute();
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
