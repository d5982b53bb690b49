import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type DatabaseOptions } from '../adapters/store/database';
import { applyAggregateDelta } from '../adapters/store/ledger-aggregate-repository';
import { appendLedgerEntries } from '../adapters/store/ledger-repository';
import { migrateToLatest } from '../adapters/store/migrator';
import { DAY_MS, LedgerAggregates, type CompiledModel, type LedgerEntry } from '../core';
import { seededRandom } from '../simulator/faults/seeded-random';

export const B7_PORTAL = 7;
export const B7_END = Date.UTC(2026, 10, 1);
export const B7_YEARS = 3;

/**
 * One contact's history over three years: it enters at a random day, then walks the path with random gaps, with
 * recycles (A before Opportunity, B after), Fastpasses, dead ends and churn on the way, reasons drawn from the
 * model's lists: every stage and detour of the default model gets traffic, about five rows per contact.
 */
export function contactHistory(model: CompiledModel, id: string, random: () => number): LedgerEntry[] {
  const rows: LedgerEntry[] = [];
  let at = B7_END - Math.floor(random() * B7_YEARS * 365 * DAY_MS);
  let from: string | null = null;
  const push = (to: string, kind: LedgerEntry['kind'], reasonCode: string | null = null, skipped: string[] = []) => {
    rows.push({
      transitionId: `${id}:${rows.length}`,
      objectType: 'contact',
      objectId: id,
      fromStage: from,
      toStage: to,
      kind,
      skipped,
      ruleId: 'bench',
      reason: 'bench',
      reasonCode,
      evidence: [],
      occurredAt: at,
      source: 'rules',
      actor: null,
    });
    from = to;
  };
  const path = model.pathStages.map((s) => s.id);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const reasons = (codes: ReadonlyArray<{ code: string }>): string | null => (codes.length > 0 ? pick(codes).code : null);
  const [recycleA, recycleB] = model.recycleRules;
  push(path[0] ?? 'lead_acquired', 'enter');
  for (let rank = 1; rank < path.length; rank++) {
    at += Math.floor(random() * 40 * DAY_MS);
    if (at >= B7_END) return rows;
    const roll = random();
    if (roll < 0.04) return (push(model.deadEnd.stage, 'dead_end', reasons(model.deadEnd.reasons)), rows);
    const recycle = rank <= 4 ? recycleA : recycleB;
    if (roll < 0.12 && recycle) {
      push(recycle.stage, 'recycle', reasons(recycle.reasons));
      at += Math.floor(random() * 60 * DAY_MS);
      if (at >= B7_END) return rows;
      push(path[rank] ?? '', 'return');
      continue;
    }
    if (roll < 0.17 && rank + 1 < path.length) {
      push(path[rank + 1] ?? '', 'fastpass', null, [path[rank] ?? '']);
      rank++;
      continue;
    }
    if (roll > 0.92) return rows;
    push(path[rank] ?? '', 'advance');
  }
  at += Math.floor(random() * 120 * DAY_MS);
  if (model.churn && at < B7_END && random() < 0.3) push(model.churn.stage, 'churn', null);
  return rows;
}

/** Contacts per transaction of the bulk seed, and per flush of the aggregates it accumulates. */
const CONTACTS_PER_STEP = 5_000;
const CONTACTS_PER_AGGREGATE_FLUSH = 100_000;
const ROWS_PER_INSERT = 1_000;

/**
 * Seeds the B7 portal's ledger and aggregates through the store's own writers, without the rest of a commit:
 * `appendLedgerEntries` (the unit of work's ledger insert) for the rows, and `applyAggregateDelta` of the records'
 * contributions (`LedgerAggregates.addRecord`, the delta the unit of work applies for a new record's rows) for the
 * aggregates. Records' state rows, fact events and outbox rows are not written: reports read none of them. The
 * aggregates are accumulated over CONTACTS_PER_AGGREGATE_FLUSH contacts and added in one upsert pass, which sums to
 * exactly what one delta per commit would. B7 checks the result: its 365-day report from the aggregates must equal the
 * whole-ledger sweep in every count.
 */
export async function bulkSeedB7(
  databaseUrl: string,
  options: DatabaseOptions,
  model: CompiledModel,
  contacts: number,
  log: (line: string) => void,
): Promise<{ rows: number; seconds: number }> {
  // One connection, so the session setting below holds for every statement of the seed.
  const open = openDatabase(databaseUrl, { ...options, pgPoolSize: 1 });
  const t0 = performance.now();
  const random = seededRandom(7);
  let rows = 0;
  try {
    await migrateToLatest(open);
    // A bench seed need not survive a power loss: no fsync per commit.
    if (open.dialect === 'sqlite') await sql`pragma synchronous = OFF`.execute(open.db);
    else await sql`set synchronous_commit = off`.execute(open.db);
    let pending = new LedgerAggregates();
    for (let start = 0; start < contacts; start += CONTACTS_PER_STEP) {
      const end = Math.min(contacts, start + CONTACTS_PER_STEP);
      const entries: LedgerEntry[] = [];
      for (let i = start; i < end; i++) {
        const history = contactHistory(model, `c${i}`, random);
        pending.addRecord(history);
        for (const entry of history) entries.push(entry);
      }
      rows += entries.length;
      await open.db.transaction().execute(async (trx) => {
        for (let at = 0; at < entries.length; at += ROWS_PER_INSERT) await appendLedgerEntries(trx, B7_PORTAL, entries.slice(at, at + ROWS_PER_INSERT), B7_END);
      });
      if (end % CONTACTS_PER_AGGREGATE_FLUSH === 0 || end === contacts) {
        const delta = pending.withoutZeros();
        await open.db.transaction().execute((trx) => applyAggregateDelta(trx, B7_PORTAL, delta));
        pending = new LedgerAggregates();
        log(`B7: seeded ${end.toLocaleString('en-US')} contacts, ${rows.toLocaleString('en-US')} rows, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    }
  } finally {
    await open.db.destroy();
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}
