import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseOptions } from '../adapters/store/database';
import { parseDatabaseUrl } from '../adapters/store/database-url';
import { applyAggregateDelta } from '../adapters/store/ledger-aggregate-repository';
import { ledgerRowOf } from '../adapters/store/ledger-repository';
import { migrateToLatest } from '../adapters/store/migrator';
import type { Database, LedgerTable } from '../adapters/store/schema';
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
const CONTACTS_PER_STEP = 10_000;
const CONTACTS_PER_AGGREGATE_FLUSH = 100_000;
/** Rows per PostgreSQL insert (one array per column, unnest on the server). */
const PG_ROWS_PER_INSERT = 5_000;

/**
 * Seeds the B7 portal's ledger and aggregates. The aggregates go through the store's own writer: `applyAggregateDelta`
 * of the records' contributions (`LedgerAggregates.addRecord`, the delta the unit of work applies for a new record's
 * rows), accumulated over CONTACTS_PER_AGGREGATE_FLUSH contacts — it sums to exactly what one delta per commit would.
 * The ledger rows are the unit of work's rows (`ledgerRowOf`, what `appendLedgerOfCommits` stores, `position` in a
 * commit of 1,000) loaded in bulk: a prepared insert per row in large transactions on SQLite, column arrays unnested by
 * the server on PostgreSQL, with the ledger's secondary indexes dropped during the load and recreated after from
 * their own definitions (a sorted index build instead of 10,000,000 random inserts into five indexes; the schema after
 * is the migrations'). Records' state rows, fact events and outbox rows are not written: reports read none of them.
 * B7 checks the result: its 365-day report from the aggregates must equal the whole-ledger sweep in every count.
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
    const ledger = open.dialect === 'sqlite' ? sqliteLedgerLoader(databaseUrl) : await postgresLedgerLoader(open.db);
    try {
      await ledger.dropIndexes();
      let pending = new LedgerAggregates();
      for (let start = 0; start < contacts; start += CONTACTS_PER_STEP) {
        const end = Math.min(contacts, start + CONTACTS_PER_STEP);
        const batch: LedgerTable[] = [];
        for (let i = start; i < end; i++) {
          const history = contactHistory(model, `c${i}`, random);
          pending.addRecord(history);
          for (const entry of history) batch.push(ledgerRowOf(B7_PORTAL, entry, batch.length % 1_000, B7_END));
        }
        rows += batch.length;
        await ledger.insert(batch);
        if (end % CONTACTS_PER_AGGREGATE_FLUSH === 0 || end === contacts) {
          const delta = pending.withoutZeros();
          await open.db.transaction().execute((trx) => applyAggregateDelta(trx, B7_PORTAL, delta));
          pending = new LedgerAggregates();
          log(`B7: seeded ${end.toLocaleString('en-US')} contacts, ${rows.toLocaleString('en-US')} rows, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        }
      }
      log('B7: rebuilding the ledger indexes');
      await ledger.recreateIndexes();
    } finally {
      ledger.close();
    }
    if (open.dialect === 'postgres') {
      // Twenty flushes of upserts left about five dead versions per aggregate row, which a production server's
      // autovacuum removes within minutes (and then keeps the visibility map that index-only reads need); this CI
      // server runs with autovacuum off, so the seed does what it would. Measured at B7's size before this: the
      // 365-day report's fine durations read 82 ms against 18 ms after.
      log('B7: vacuum analyze (what autovacuum does after a bulk load)');
      await sql`vacuum analyze ${sql.join(SEEDED_TABLES.map((table) => sql.table(table)))}`.execute(open.db);
    }
  } finally {
    await open.db.destroy();
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

/** The tables the seed writes: the ledger and its aggregates (migrations 0008, 0011, 0015). */
const SEEDED_TABLES = [
  'ledger',
  'ledger_move_days',
  'ledger_move_totals',
  'ledger_move_spans',
  'ledger_stay_days',
  'ledger_stay_entries',
  'ledger_stay_durations',
  'ledger_duration_spans',
  'ledger_duration_coarse',
  'ledger_stock_days',
];

interface LedgerLoader {
  dropIndexes(): Promise<void>;
  insert(rows: readonly LedgerTable[]): Promise<void>;
  recreateIndexes(): Promise<void>;
  close(): void;
}

/** The ledger's columns, as `ledgerRowOf` fills them (every row of a batch has the same keys). */
const columnsOf = (row: LedgerTable) => Object.keys(row) as Array<keyof LedgerTable>;

/** SQLite: a connection of its own (no fsync, a large page cache) and one prepared insert run per row. */
function sqliteLedgerLoader(databaseUrl: string): LedgerLoader {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect !== 'sqlite') throw new Error('not a SQLite URL');
  const connection = new BetterSqlite3(target.filename);
  connection.pragma('synchronous = OFF');
  connection.pragma('cache_size = -1000000');
  const insertAll = connection.transaction((rows: readonly LedgerTable[]) => {
    if (rows.length === 0) return;
    const columns = columnsOf(rows[0]!);
    const insert = connection.prepare(`insert into ledger (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    for (const row of rows) insert.run(...columns.map((column) => row[column]));
  });
  let definitions: string[] = [];
  return {
    async dropIndexes() {
      const indexes = connection.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'ledger' and sql is not null`).all() as Array<{
        name: string;
        sql: string;
      }>;
      definitions = indexes.map((index) => index.sql);
      for (const index of indexes) connection.exec(`drop index ${index.name}`);
    },
    async insert(rows) {
      insertAll(rows);
    },
    async recreateIndexes() {
      for (const definition of definitions) connection.exec(definition);
    },
    close() {
      connection.close();
    },
  };
}

/** PostgreSQL: the seed's own connection; each column sent as one array and unnested by the server. */
async function postgresLedgerLoader(db: Kysely<Database>): Promise<LedgerLoader> {
  await sql`set synchronous_commit = off`.execute(db);
  const types = new Map<string, string>(
    (
      await sql<{
        column_name: string;
        data_type: string;
      }>`select column_name, data_type from information_schema.columns where table_name = 'ledger' and table_schema = current_schema()`.execute(db)
    ).rows.map((r) => [r.column_name, r.data_type === 'character varying' ? 'text' : r.data_type]),
  );
  let definitions: string[] = [];
  return {
    async dropIndexes() {
      const { rows } = await sql<{ indexname: string; indexdef: string }>`select i.indexname, i.indexdef from pg_indexes i
        where i.tablename = 'ledger' and i.schemaname = current_schema()
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
      definitions = rows.map((r) => r.indexdef);
      for (const r of rows) await sql`drop index ${sql.ref(r.indexname)}`.execute(db);
    },
    async insert(rows) {
      for (let at = 0; at < rows.length; at += PG_ROWS_PER_INSERT) {
        const part = rows.slice(at, at + PG_ROWS_PER_INSERT);
        const columns = columnsOf(part[0]!);
        const arrays = columns.map((column) => sql`${part.map((row) => row[column])}::${sql.raw(types.get(column) ?? 'text')}[]`);
        await sql`insert into ledger (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(db);
      }
    },
    async recreateIndexes() {
      for (const definition of definitions) await sql.raw(definition).execute(db);
    },
    close() {},
  };
}
