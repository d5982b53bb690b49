import { expressionBuilder, sql, type Expression, type SelectQueryBuilder, type SqlBool, type Transaction } from 'kysely';
import type { StoreDialect } from './database';

/** The lease columns both queues (inbox_events, outbox) share, as a virtual table to type conditions against. */
interface LeasedQueue {
  queue: { status: string; next_attempt_at: number; lease_until: number | null };
}
// Conditions compile to unqualified column names, so they apply to whichever queue table the query reads.
const queue = expressionBuilder<LeasedQueue, 'queue'>();

/**
 * `status in ('pending', 'leased')`, with the values inline: the predicate of the open-work partial indexes. A claim
 * states it next to claimableAt (which implies it) because SQLite proves a partial index usable only from a term
 * that matches its predicate literally, not through an OR, nor from bound parameters (EXPLAIN QUERY PLAN).
 */
export function openForClaim(): Expression<SqlBool> {
  return sql<SqlBool>`status in ('pending', 'leased')`;
}

/** Due pending rows, and leased rows whose lease ran out (the holder crashed or hung): claimable now. */
export function claimableAt(now: number): Expression<SqlBool> {
  return queue.or([queue.and([queue('status', '=', 'pending'), queue('next_attempt_at', '<=', now)]), queue.and([queue('status', '=', 'leased'), queue('lease_until', '<=', now)])]);
}

/** Pending (due or not) or abandoned by its lease holder: rows nobody is working on. */
export function unattendedAt(now: number): Expression<SqlBool> {
  return queue.or([queue('status', '=', 'pending'), queue.and([queue('status', '=', 'leased'), queue('lease_until', '<=', now)])]);
}

/** Work in hand: a lease that has not run out. */
export function liveLeaseAt(now: number): Expression<SqlBool> {
  return queue.and([queue('status', '=', 'leased'), queue('lease_until', '>', now)]);
}

/**
 * Row locks for a claim. PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent claimers take different rows instead of
 * queueing behind each other. SQLite: nothing to add, the claim runs in a write transaction that excludes others.
 */
export function lockedForClaim<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, dialect: StoreDialect): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * Makes claims of one queue (`queue`: e.g. the inbox, or one portal's outbox of one kind) take turns, until the
 * claiming transaction ends. SKIP LOCKED alone is not enough for our claims: they lease whole records, and while one
 * claim's leases are uncommitted another claim sees the record as free, skips the locked rows and leases the
 * record's other events — two workers on one record (measured: 7 records in 30 rounds of 9 concurrent claims).
 * Taking turns costs little: a claim is a few short statements; the work happens after it commits.
 * PostgreSQL: a transaction-scoped advisory lock named after the schema and the queue. SQLite: BEGIN IMMEDIATE
 * already serializes writers.
 */
export async function takeClaimTurn<DB>(trx: Transaction<DB>, dialect: StoreDialect, queue: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':claim:' || ${queue}))`.execute(trx);
}

/** Keys of the first `limit` distinct records in row order. */
export function firstRecords<R extends { portal_id: number; object_type: string; object_id: string }>(rows: R[], limit: number): R[] {
  const seen = new Set<string>();
  const records: R[] = [];
  for (const row of rows) {
    const key = `${row.portal_id}:${row.object_type}:${row.object_id}`;
    if (seen.has(key)) continue;
    if (records.length === limit) break;
    seen.add(key);
    records.push(row);
  }
  return records;
}
