import { performance } from 'node:perf_hooks';
import { CompiledQuery, type Kysely } from 'kysely';
import type { InboxEvent, InboxEventInput, InboxPort, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString } from '../../core';
import type { StoreDialect } from './database';
import { recordDeadLetters } from './dead-letter-repository';
import { claimableAt, openForClaim, firstRecords, liveLeaseAt, lockedForClaim, takeClaimTurn } from './lease-conditions';
import { erasedRecords } from './record-maintenance';
import { inChunks, itemIn, recordIn } from './record-keys';
import type { Database, InboxEventRow } from './schema';

/** How many claimable events a claim looks at to find its records: records usually have a few events each. */
const CLAIM_SCAN_FACTOR = 4;

/**
 * A group's size cap: 20 deliveries of 100. On SQLite the group's statements run synchronously on the event loop: a
 * group of 49 deliveries (what 50 in flight produced with a cap of 10,000) took 200–400 ms and came with GC pauses
 * of 45–160 ms, which every other delivery in flight waited out (B1 under load average 7–17, issue 15). At HubSpot's
 * full offer to five portals groups hold about two deliveries, so the cap only splits bursts.
 */
const DEFAULT_MAX_GROUP_EVENTS = 2_000;

export interface InboxGroupCommitOptions {
  /** Commit concurrent `insertMany` calls together (default true). False: one transaction per call, as before. */
  groupCommit?: boolean;
  /** At most this many events in one group's transaction (a single larger call still goes alone). */
  maxGroupEvents?: number;
  /** Told after each group commits: how many calls and events it held, and how long its transaction took (ms). */
  onGroupCommitted?: (group: { deliveries: number; events: number; durationMs: number }) => void;
}

interface PendingInsert {
  portalId: PortalId;
  events: InboxEventInput[];
  receivedAt: number;
  resolve: (stored: number) => void;
  reject: (error: unknown) => void;
}

export class InboxRepository implements InboxPort {
  private readonly waiting: PendingInsert[] = [];
  private scheduled = false;
  private committing: Promise<void> | null = null;
  private readonly options: Required<Omit<InboxGroupCommitOptions, 'onGroupCommitted'>> & Pick<InboxGroupCommitOptions, 'onGroupCommitted'>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
    options: InboxGroupCommitOptions = {},
  ) {
    this.options = { groupCommit: options.groupCommit ?? true, maxGroupEvents: options.maxGroupEvents ?? DEFAULT_MAX_GROUP_EVENTS, onGroupCommitted: options.onGroupCommitted };
  }

  /**
   * Group commit: deliveries that arrive while a commit is running (or in the same turn of the event loop) are
   * written together in the next single transaction, so concurrent webhook deliveries share one durable commit (one
   * fsync on SQLite, one WAL flush on PostgreSQL) instead of paying one each. Each caller's promise settles only
   * after the transaction holding its events has committed; if that transaction fails, every member's promise
   * rejects (the webhook route answers 5xx, so HubSpot retries) and nothing of the group is stored.
   */
  async insertMany(portalId: PortalId, incoming: InboxEventInput[], receivedAt: number): Promise<number> {
    if (incoming.length === 0) return 0;
    if (!this.options.groupCommit)
      return this.db.transaction().execute(async (trx) => insertInboxRows(trx, this.dialect, portalId, incoming, receivedAt, await hasTombstones(trx, portalId)));
    return new Promise<number>((resolve, reject) => {
      this.waiting.push({ portalId, events: incoming, receivedAt, resolve, reject });
      this.scheduleGroup();
    });
  }

  /** Resolves once no group is waiting or being committed (the store waits for it before closing). */
  async settled(): Promise<void> {
    while (this.committing !== null || this.waiting.length > 0) {
      if (this.committing) await this.committing;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private scheduleGroup(): void {
    if (this.committing !== null || this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: the deliveries whose bodies finished reading in this turn of the event loop
    // join the same group.
    setImmediate(() => {
      this.scheduled = false;
      this.committing = this.commitGroup().finally(() => {
        this.committing = null;
        if (this.waiting.length > 0) this.scheduleGroup();
      });
    });
  }

  private async commitGroup(): Promise<void> {
    const group: PendingInsert[] = [];
    let events = 0;
    while (this.waiting.length > 0 && (group.length === 0 || events + this.waiting[0]!.events.length <= this.options.maxGroupEvents)) {
      const member = this.waiting.shift()!;
      events += member.events.length;
      group.push(member);
    }
    let stored: number[];
    const started = performance.now();
    try {
      stored = await this.db.transaction().execute(async (trx) => {
        const erasures = new Map<PortalId, boolean>();
        for (const { portalId } of group) if (!erasures.has(portalId)) erasures.set(portalId, await hasTombstones(trx, portalId));
        const counts: number[] = [];
        for (const member of group) counts.push(await insertInboxRows(trx, this.dialect, member.portalId, member.events, member.receivedAt, erasures.get(member.portalId)!));
        return counts;
      });
    } catch (error) {
      for (const member of group) member.reject(error);
      return;
    }
    group.forEach((member, i) => member.resolve(stored[i]!));
    try {
      this.options.onGroupCommitted?.({ deliveries: group.length, events, durationMs: performance.now() - started });
    } catch {
      // An observer's failure must not fail the queue (the group is committed and answered).
    }
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
          // Implied by claimableAt; stated so the planner can walk inbox_events_claim_idx (0018) in id order instead of
          // scanning every event ever received (done ones included) on each claim.
          .where(openForClaim())
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
          .where(
            itemIn(
              portalId,
              events.map((event) => event.id),
            ),
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
      .where(itemIn(portalId, ids))
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
        .where(itemIn(portalId, ids))
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
      .where(
        itemIn(
          portalId,
          ids.map((row) => row.id),
        ),
      )
      .where('status', '=', 'done')
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  /** Events not processed yet: pending, or leased to a worker that has not completed them. */
  async receivedTimes(portalId: PortalId): Promise<{ lastReceivedAt: number | null; oldestWaitingReceivedAt: number | null }> {
    // Two index reads (migration 0013): the newest event of the portal, and the oldest among its open work.
    const last = await this.db.selectFrom('inbox_events').select('received_at').where('portal_id', '=', portalId).orderBy('received_at', 'desc').limit(1).executeTakeFirst();
    const oldest = await this.db
      .selectFrom('inbox_events')
      .select('received_at')
      .where('portal_id', '=', portalId)
      .where('status', 'in', ['pending', 'leased'])
      .orderBy('received_at', 'asc')
      .limit(1)
      .executeTakeFirst();
    return { lastReceivedAt: last ? Number(last.received_at) : null, oldestWaitingReceivedAt: oldest ? Number(oldest.received_at) : null };
  }

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
    .where(itemIn(portalId, ids))
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

/** The inbox columns the webhook path writes, in the order of the precompiled INSERT's values. */
const INSERT_COLUMNS = [
  'portal_id',
  'dedup_key',
  'event_id',
  'subscription_type',
  'object_type',
  'object_id',
  'property_name',
  'property_value',
  'change_source',
  'occurred_at',
  'attempt_number',
  'payload',
  'received_at',
  'status',
  'attempts',
  'next_attempt_at',
] as const satisfies ReadonlyArray<keyof InboxEventRow>;
/** Rows per INSERT statement: far below both drivers' bound-parameter limits (16 columns × 500 = 8,000). */
const INSERT_CHUNK = 500;
const insertSqlCache = new Map<string, string>();

/**
 * The webhook path's INSERT … ON CONFLICT DO NOTHING RETURNING id for `rows` rows, built once per dialect and row
 * count: compiling a 1,600-parameter statement through the query builder cost about as much as running it (B1).
 */
function inboxInsertSql(dialect: StoreDialect, rows: number): string {
  const cacheKey = `${dialect}:${rows}`;
  const cached = insertSqlCache.get(cacheKey);
  if (cached) return cached;
  let parameter = 0;
  const placeholder = () => (dialect === 'postgres' ? `$${++parameter}` : '?');
  const tuples = Array.from({ length: rows }, () => `(${INSERT_COLUMNS.map(placeholder).join(', ')})`);
  const text = `insert into "inbox_events" (${INSERT_COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')} on conflict ("portal_id", "dedup_key") do nothing returning "id"`;
  if (insertSqlCache.size > 64) insertSqlCache.clear();
  insertSqlCache.set(cacheKey, text);
  return text;
}

/** True if a privacy deletion ever erased a record of the portal: only then is each event checked against them. */
async function hasTombstones(trx: Kysely<Database>, portalId: PortalId): Promise<boolean> {
  const row = await trx.selectFrom('privacy_tombstones').select('object_id').where('portal_id', '=', portalId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Stores one call's events inside the caller's transaction. Events for a record a privacy deletion erased are
 * dropped here, so its data is not stored again (R15); the worker checks again, for events that raced the deletion.
 * One multi-row statement per call (per 500 events), so duplicates cost nothing and the stored count is the call's own.
 */
async function insertInboxRows(trx: Kysely<Database>, dialect: StoreDialect, portalId: PortalId, incoming: InboxEventInput[], receivedAt: number, checkErased: boolean): Promise<number> {
  const erased = checkErased
    ? await erasedRecords(
        trx,
        portalId,
        incoming.flatMap((e) => (e.objectType === 'unknown' ? [] : [{ objectType: e.objectType, objectId: e.objectId }])),
      )
    : new Set<string>();
  const events = erased.size === 0 ? incoming : incoming.filter((e) => e.objectType === 'unknown' || !erased.has(recordKeyString({ objectType: e.objectType, objectId: e.objectId })));
  let stored = 0;
  for (const chunk of inChunks(events, INSERT_CHUNK)) {
    const parameters: unknown[] = [];
    for (const e of chunk) {
      parameters.push(
        portalId,
        e.dedupKey,
        e.eventId,
        e.subscriptionType,
        e.objectType,
        e.objectId,
        e.propertyName,
        e.propertyValue,
        e.changeSource,
        e.occurredAt,
        e.attemptNumber,
        e.payload,
        receivedAt,
        'pending',
        0,
        receivedAt,
      );
    }
    const inserted = await trx.executeQuery(CompiledQuery.raw(inboxInsertSql(dialect, chunk.length), parameters));
    stored += inserted.rows.length;
  }
  return stored;
}
