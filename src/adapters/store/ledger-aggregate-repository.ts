import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { AggregatesRebuildProgress, LedgerAggregatePort, PortalId, RecordKey } from '../../app/ports/store-ports';
import { recordKeyString, type ObjectType } from '../../core';
import {
  aggregateDelta,
  blockStart,
  coarseBucket,
  COARSE_BUCKET_WIDTH,
  coverDays,
  intervals,
  moveTotalsOf,
  ROLLUP_SPANS,
  type AggregateWindow,
  type DailyMove,
  type FunnelAggregates,
  type LedgerAggregates,
  type LedgerRow,
  type MoveTotal,
  type Span,
  type SpanSegment,
  type StageDurations,
  type StayTotal,
  type StockAggregates,
  holdsMedian,
} from '../../core/ledger';
import { beyondRebuild, enterAggregateFence, rebuildCursorSelect, rebuildInProgress } from './ledger-aggregate-fence';
import { inChunks, recordIn } from './record-keys';
import type { StoreDialect } from './database';
import type { Database } from './schema';

/** Far enough past any ledger day (2^30 days ≈ 2.9 million years) and within a 32-bit integer: "every day from here on". */
const LAST_DAY = 2 ** 30;

/**
 * PostgreSQL settings of the report connections (`openPostgresReaders`): an index range per list row (see
 * `joinEach`), summed in a hash table. Each answers a plan measured at B7's size (docs/reports.md): parallel workers
 * were started for statements that read a few thousand rows; with statistics, a sequential scan of the portal's whole
 * table was hash-joined to the list of segments; without them (a bulk load with autovacuum off), a few thousand rows
 * were sorted to be grouped; and then the sort's disabled cost crossed JIT's threshold (1.2 s of compiling). The
 * connections only read.
 */
export const REPORT_READ_SETTINGS = [
  ['max_parallel_workers_per_gather', '0'],
  ['enable_seqscan', 'off'],
  ['enable_hashjoin', 'off'],
  ['enable_sort', 'off'],
  ['jit', 'off'],
  ['default_transaction_read_only', 'on'],
] as const;

/** Report connections per process (PostgreSQL): a report is one statement of ~15 ms of the server's CPU at B7's size. */
export const REPORT_CONNECTIONS = 4;

/** How long a portal's last exit day is trusted for choosing an index (see `endedLater`). */
const LAST_EXIT_TTL_MS = 60_000;

type Row = Record<string, unknown>;

/**
 * One read of a report: the lists (CTEs) its select needs, named for this read alone, its select (null: nothing to
 * read, as for an empty window) and what its rows mean.
 */
interface ReadPart<T> {
  lists: Array<RawBuilder<unknown>>;
  select: RawBuilder<unknown> | null;
  read: (rows: Row[]) => T;
}

type PartResults<P> = { [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never };

export class LedgerAggregateRepository implements LedgerAggregatePort {
  /**
   * `reports`: on PostgreSQL, the report connections (`openPostgresReaders` with REPORT_READ_SETTINGS), which run
   * each report as one statement.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect = 'sqlite',
    private readonly reports: Kysely<Database> | null = null,
    private readonly lastExits = new Map<string, { day: number | null; readAt: number }>(),
  ) {
    if (dialect === 'postgres' && reports === null) throw new Error('PostgreSQL reports read through the report connections (openPostgresReaders)');
  }

  /**
   * The sums one report reads (see FunnelAggregates), in statements whose answers hold stages × cuts rows
   * whatever the period's length and the portal's size: SQL sums the moves and the cohort's stays per interval of
   * the window (each interval read as its aligned 4-, 16-, 64- and 256-day blocks and its edge days, migrations 0011
   * and 0019) and the durations per stage down to the median's buckets; the balances before the window are the
   * all-time totals minus the moves since.
   */
  async funnelAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<FunnelAggregates> {
    const read = await this.readAll(await this.funnelParts(portalId, objectType, window));
    return funnelOf(read);
  }

  /**
   * The Funnel page's reads in one: the funnel's aggregates over `window` and its period's stock series (a point
   * every `everyDays` days from `window.startDay`). The move totals before the period's end, which both start from,
   * are read once.
   */
  async funnelAndStockAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow, everyDays = 1): Promise<{ funnel: FunnelAggregates; stock: StockAggregates }> {
    const read = await this.readAll({
      ...(await this.funnelParts(portalId, objectType, window)),
      dailyDeltas: this.stockDeltas(portalId, objectType, window.startDay, window.endDay, everyDays),
    });
    return { funnel: funnelOf(read), stock: { movesBefore: read.totalsBeforeEnd, dailyDeltas: read.dailyDeltas } };
  }

  /**
   * What a stock series over the days [firstDay, endDay) reads (StockAggregates): the moves before `endDay` summed
   * (the all-time totals minus the blocks from `endDay` on) and each day's net change per stage over the window
   * (ledger_stock_days, migration 0015: stages × days rows). A series with a point every `everyDays` days from
   * `firstDay` needs only each stretch's net change: SQL sums the days of each stretch under its first day, so a
   * weekly year is stages × 53 rows to Node instead of stages × 365.
   */
  async stockAggregates(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number, everyDays = 1): Promise<StockAggregates> {
    return this.readAll({
      movesBefore: this.movesBefore(portalId, objectType, Math.max(firstDay, endDay)),
      dailyDeltas: this.stockDeltas(portalId, objectType, firstDay, endDay, everyDays),
    });
  }

  /**
   * The portal's aggregates rebuild in progress, if any: its cursor, one read by key. On PostgreSQL on a report
   * connection, as the reports' own reads are.
   */
  async rebuildProgress(portalId: PortalId): Promise<AggregatesRebuildProgress | null> {
    return rebuildInProgress(this.reports ?? this.db, portalId);
  }

  /**
   * Runs a report's reads. SQLite: one statement each, outside a transaction (its store takes a write lock for every
   * transaction; the reads are one process's, microseconds apart). PostgreSQL: all of them as one statement on a
   * report connection, each read's rows aggregated to a JSON column: one snapshot (the totals and the moves
   * subtracted from them see the same commit) and one round trip (profiled at B7's size, the serving process spent a
   * third of a report's CPU on socket writes and row parsing over 7 round trips).
   */
  private async readAll<P extends Record<string, ReadPart<unknown>>>(parts: P): Promise<PartResults<P>> {
    const reading = Object.entries(parts).filter(([, part]) => part.select !== null);
    const rowsOf = new Map<string, Row[]>();
    const withLists = (lists: ReadonlyArray<RawBuilder<unknown>>) => (lists.length === 0 ? sql`` : sql`with ${sql.join(lists)} `);
    if (this.dialect === 'postgres' && reading.length > 0) {
      const columns = reading.map(([name, part]) => sql`(select coalesce(json_agg(part_rows), '[]') from (${part.select}) as part_rows) as ${sql.ref(name)}`);
      const { rows } = await sql<Record<string, Row[]>>`${withLists(reading.flatMap(([, part]) => part.lists))}select ${sql.join(columns)}`.execute(this.reports ?? this.db);
      for (const [name] of reading) rowsOf.set(name, rows[0]?.[name] ?? []);
    } else {
      for (const [name, part] of reading) rowsOf.set(name, (await sql<Row>`${withLists(part.lists)}${part.select}`.execute(this.db)).rows);
    }
    return Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, part.read(rowsOf.get(name) ?? [])])) as PartResults<P>;
  }

  /** A funnel's reads: the window's moves, the move totals before its end, the cohort's stays and the durations. */
  private async funnelParts(portalId: PortalId, objectType: ObjectType, window: AggregateWindow) {
    const { firstDay, startDay, endDay } = window;
    const spans = intervals(window);
    return {
      dailyMoves: this.moves(portalId, objectType, spans),
      totalsBeforeEnd: this.movesBefore(portalId, objectType, endDay),
      stays: this.cohortStays(portalId, objectType, spans, await this.endedLater(portalId, objectType, firstDay, endDay)),
      durations: this.durations(portalId, objectType, startDay, endDay),
    };
  }

  /** Each day's (or each stretch of `everyDays` days') net change per stage over [firstDay, endDay). */
  private stockDeltas(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number, everyDays: number): ReadPart<StockAggregates['dailyDeltas']> {
    const read = (rows: Row[]) => rows.map((d) => ({ day: Number(d['day']), stage: String(d['stage']), count: Number(d['delta']) }));
    if (firstDay >= endDay) return { lists: [], select: null, read };
    // Day numbers are ≥ firstDay here, so the integer division is a floor on both dialects. Written as literals (checked
    // integers): SQLite grouped a year of rows by this expression in 5.0 ms with bound parameters, 1.9 ms with literals.
    if (!Number.isInteger(firstDay) || !Number.isInteger(everyDays) || everyDays < 1) throw new RangeError('stock stretches are whole days');
    const days = sql`from ledger_stock_days where portal_id = ${portalId} and object_type = ${objectType} and day >= ${firstDay} and day < ${endDay}`;
    const stretch = sql`${sql.lit(firstDay)} + ((day - ${sql.lit(firstDay)}) / ${sql.lit(everyDays)}) * ${sql.lit(everyDays)}`;
    // Grouped by position: PostgreSQL does not see two bound copies of `stretch` as one expression.
    const select =
      everyDays === 1 ? sql`select day, stage, delta ${days} and delta <> 0` : sql`select ${stretch} as day, stage, sum(delta) as delta ${days} group by 1, 2 having sum(delta) <> 0`;
    return { lists: [], select, read };
  }

  /**
   * Moves summed per interval (under its first day) in one statement: a VALUES list of the day rows and blocks
   * covering each interval, joined to the day table and the block table (one index range per list row): one plan
   * whatever the number of segments, where a UNION ALL of one branch per segment was planned branch by branch.
   */
  private moves(portalId: PortalId, objectType: ObjectType, spans: ReadonlyArray<{ from: number; to: number }>): ReadPart<DailyMove[]> {
    const segments = spans.flatMap(({ from, to }) => coverDays(from, to).map((segment) => ({ interval: from, ...segment })));
    const read = (rows: Row[]) => rows.map(toDailyMove);
    if (segments.length === 0) return { lists: [], select: null, read };
    return {
      lists: [segmentList('mv_r', segments)],
      select: sql`select interval_day as day, from_stage, to_stage, kind, reason_code, skipped, sum(moves) as moves from (
        ${movesOver(this.dialect, 'mv_r', portalId, objectType, segments, { withInterval: true })}
      ) as m group by interval_day, from_stage, to_stage, kind, reason_code, skipped having sum(moves) <> 0`,
      read,
    };
  }

  /**
   * Moves before `endDay`, summed: every move of all time (ledger_move_totals) minus those from `endDay` on (summed in
   * blocks), in one select. No sum over the days since the first row. (A funnel subtracts its window's moves, read
   * beside: `withoutMoves`.)
   */
  private movesBefore(portalId: PortalId, objectType: ObjectType, endDay: number): ReadPart<MoveTotal[]> {
    const segments = coverDays(endDay, LAST_DAY).map((segment) => ({ interval: endDay, ...segment }));
    return {
      lists: [segmentList('tt_r', segments)],
      select: sql`select from_stage, to_stage, skipped, sum(moves) as moves from (
        select from_stage, to_stage, skipped, moves from ledger_move_totals where portal_id = ${portalId} and object_type = ${objectType}
        union all
        select from_stage, to_stage, skipped, -moves as moves from (${movesOver(this.dialect, 'tt_r', portalId, objectType, segments, { withInterval: false })}) as later
      ) as m
      group by from_stage, to_stage, skipped having sum(moves) <> 0`,
      read: (rows) => rows.map((r) => ({ fromStage: String(r['from_stage']), toStage: String(r['to_stage']), skipped: String(r['skipped']), count: Number(r['moves']) })),
    };
  }

  /**
   * Ended stays that began in the window and ended before its end, per interval: the stays that began in each
   * interval (by day or block, however they ended; summed in SQL) minus those of them that ended on or after
   * the period's end (`later`: ledger_stay_days by exit day, the stays still open at the period's end that have ended
   * since), told apart by `part`.
   */
  private cohortStays(portalId: PortalId, objectType: ObjectType, spans: ReadonlyArray<{ from: number; to: number }>, later: RawBuilder<unknown> | null): ReadPart<StayTotal[]> {
    const segments = spans.flatMap(({ from, to }) => coverDays(from, to).map((segment) => ({ interval: from, ...segment })));
    const read = (rows: Row[]) => {
      const stays = new Map<string, StayTotal>();
      const add = (stay: Omit<StayTotal, 'count'>, count: number) => {
        const key = JSON.stringify([stay.stage, stay.enteredDay, stay.exitTo, stay.exitSkip]);
        const total = stays.get(key) ?? { ...stay, count: 0 };
        total.count += count;
        stays.set(key, total);
      };
      for (const r of rows) {
        const stay = { stage: String(r['stage']), exitTo: String(r['exit_to']), exitSkip: Number(r['exit_skip']) === 1 };
        const day = Number(r['entered_day']);
        if (r['part'] === 'entered') {
          add({ ...stay, enteredDay: day }, Number(r['stays']));
          continue;
        }
        const span = spans.find((s) => day >= s.from && day < s.to);
        if (span) add({ ...stay, enteredDay: span.from }, -Number(r['stays']));
      }
      return [...stays.values()].filter((s) => s.count !== 0);
    };
    if (segments.length === 0) return { lists: [], select: null, read };
    return {
      lists: [segmentList('ch_r', segments)],
      select: sql`select 'entered' as part, ch_r.interval_day as entered_day, s.stage, s.exit_to, s.exit_skip, sum(s.stays) as stays from ${joinEach(this.dialect, sql`ch_r`, 'ledger_stay_entries', 's', sql`s.portal_id = ${portalId} and s.object_type = ${objectType} and s.span = ch_r.span and s.entered_day >= ch_r.from_day and s.entered_day < ch_r.to_day`)}
        group by ch_r.interval_day, s.stage, s.exit_to, s.exit_skip having sum(s.stays) <> 0
        ${later ? sql`union all ${later}` : sql``}`,
      read,
    };
  }

  /**
   * The portal's last exit day, read at most once a minute per object type: it only chooses the index `endedLater`
   * reads by, whose answer is the same either way, so a day that moved since costs time, never a wrong count. Saves a
   * statement (on PostgreSQL a round trip) per report. On PostgreSQL read on a report connection, as the rest of a
   * report is, so that a report never takes a connection from the store's pool.
   */
  private async lastExitDay(portalId: PortalId, objectType: ObjectType): Promise<number | null> {
    const key = `${portalId}:${objectType}`;
    const known = this.lastExits.get(key);
    const now = Date.now();
    if (known && now - known.readAt < LAST_EXIT_TTL_MS) return known.day;
    const last = await (this.reports ?? this.db)
      .selectFrom('ledger_stay_days')
      .select((eb) => eb.fn.max('exited_day').as('last'))
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .executeTakeFirst();
    const day = last?.last === null || last?.last === undefined ? null : Number(last.last);
    // An empty table is not remembered: the first stay to end must be counted by the next report.
    if (day !== null) this.lastExits.set(key, { day, readAt: now });
    return day;
  }

  /**
   * The select of the stays that began in [firstDay, endDay) and ended on or after `endDay`, summed by entry day
   * (null: no stay has ended yet), for `cohortStays` to run with its own. Read through whichever
   * index covers fewer days: the stays by exit day from `endDay` to the portal's last exit (few for a recent period),
   * or the stays by entry day over the window (an old period). A unary plus keeps the planner off the other index
   * (SQLite has no statistics on these ranges). Cost: stays of at most the window's number of days.
   */
  private async endedLater(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number): Promise<RawBuilder<unknown> | null> {
    const lastExit = await this.lastExitDay(portalId, objectType);
    if (lastExit === null) return null;
    const byExit = lastExit - endDay + 1 <= endDay - firstDay;
    const condition = byExit
      ? sql`exited_day >= ${endDay} and +entered_day >= ${firstDay} and +entered_day < ${endDay}`
      : sql`+exited_day >= ${endDay} and entered_day >= ${firstDay} and entered_day < ${endDay}`;
    return sql`select 'later' as part, entered_day, stage, exit_to, exit_skip, sum(stays) as stays from ledger_stay_days
      where portal_id = ${portalId} and object_type = ${objectType} and ${condition}
      group by entered_day, stage, exit_to, exit_skip`;
  }

  /**
   * Time in stage of the stays that ended in [startDay, endDay), per stage, in one select of two steps. The first sums the
   * coarse buckets (ledger_duration_coarse) of the day rows and blocks covering the days, keeps a running total per
   * stage in bucket order and returns only the coarse buckets holding the median's ranks (the condition of
   * `holdsMedian`), with the stage's count and summed milliseconds (a materialised CTE). The second reads the fine buckets of just those
   * coarse buckets (one index seek per stage and day or block); the running total goes on inside them. Rows read:
   * stages × segments × coarse buckets, then stages × blocks × COARSE_BUCKET_WIDTH, whatever the stays.
   */
  private durations(portalId: PortalId, objectType: ObjectType, startDay: number, endDay: number): ReadPart<StageDurations[]> {
    const segments = coverDays(startDay, endDay);
    if (segments.length === 0) return { lists: [], select: null, read: () => [] };
    const ranges = segments.map((segment) => ({ interval: startDay, ...segment }));
    // The median's coarse buckets per stage (`du_medians`, computed once) and their fine buckets, in one select. SQL
    // derives the fine bucket ranges from `du_medians` (a list of every (stage, bucket) pair bound ~600 parameters:
    // PostgreSQL parsed and planned a 20 KB statement on every report).
    const medians = sql`du_medians(stage, coarse, below, n, n_ms) as materialized (
      select stage, coarse, below, n, n_ms from (
        select stage, coarse, stays,
          sum(stays) over (${BY_COARSE} rows between unbounded preceding and current row) - stays as below,
          sum(stays) over (${BY_COARSE} rows between unbounded preceding and unbounded following) as n,
          sum(total_ms) over (${BY_COARSE} rows between unbounded preceding and unbounded following) as n_ms
        from (
          select d.stage, d.coarse, cast(sum(d.stays) as bigint) as stays, cast(sum(d.total_ms) as bigint) as total_ms from ${joinEach(this.dialect, sql`du_r`, 'ledger_duration_coarse', 'd', sql`d.portal_id = ${portalId} and d.object_type = ${objectType} and d.span = du_r.span and d.exited_day >= du_r.from_day and d.exited_day < du_r.to_day`)}
          group by d.stage, d.coarse having sum(d.stays) > 0
        ) as g
      ) as c
      where 2 * below <= n and 2 * (below + stays) >= n
    )`;
    // The fine buckets of each stage's median coarse bucket are a range of buckets (COARSE_BUCKET_WIDTH of them), read
    // per stage and per day or block of the period: one index seek on (stage, exited_day, bucket) per pair reads that
    // block's fine buckets of the range in order (migration 0025). Per (stage, bucket) and segment it took ~1,150
    // seeks of about one row each for a 365-day period; per (stage, block) it takes ~150. Each part has its own range
    // list (a CTE read once is inlined by PostgreSQL: a list it can count, driving a nested loop of index seeks).
    const rangeList = (name: string) =>
      sql`${sql.raw(name)}(stage, lo, hi) as (select stage, coarse * ${sql.lit(COARSE_BUCKET_WIDTH)}, (coarse + 1) * ${sql.lit(COARSE_BUCKET_WIDTH)} from du_medians)`;
    const starts = (segment: SpanSegment) => Array.from({ length: (segment.to - segment.from) / segment.span }, (_, i) => segment.from + i * segment.span);
    const fineParts = [];
    const days = segments.filter((r) => r.span === 1).flatMap(starts);
    const blocks = segments.filter((r) => r.span !== 1).flatMap((segment) => starts(segment).map((day) => ({ span: segment.span, day })));
    const lists = [segmentList('du_r', ranges), medians];
    if (days.length > 0) {
      lists.push(sql`du_fd(day) as (values ${sql.join(days.map((day) => sql`(cast(${day} as integer))`))})`, rangeList('du_fr_d'));
      fineParts.push(
        sql`select du_fr_d.stage, d.bucket, d.stays, d.total_ms from ${joinEach(this.dialect, sql`du_fr_d cross join du_fd`, 'ledger_stay_durations', 'd', sql`d.portal_id = ${portalId} and d.object_type = ${objectType} and d.stage = du_fr_d.stage and d.exited_day = du_fd.day and d.bucket >= du_fr_d.lo and d.bucket < du_fr_d.hi`)}`,
      );
    }
    if (blocks.length > 0) {
      lists.push(sql`du_fb(span, day) as (values ${sql.join(blocks.map((b) => sql`(cast(${b.span} as integer), cast(${b.day} as integer))`))})`, rangeList('du_fr_b'));
      fineParts.push(
        sql`select du_fr_b.stage, d.bucket, d.stays, d.total_ms from ${joinEach(this.dialect, sql`du_fr_b cross join du_fb`, 'ledger_duration_spans', 'd', sql`d.portal_id = ${portalId} and d.object_type = ${objectType} and d.span = du_fb.span and d.stage = du_fr_b.stage and d.exited_day = du_fb.day and d.bucket >= du_fr_b.lo and d.bucket < du_fr_b.hi`)}`,
      );
    }
    // Median rows: (stage, coarse bucket, stays below it, the stage's count and milliseconds); fine rows: (stage,
    // bucket, stays, milliseconds).
    return {
      lists,
      select: sql`select 'median' as part, stage, coarse as bucket, below as stays, n_ms as total_ms, n from du_medians
        union all
        select 'fine' as part, stage, bucket, sum(stays) as stays, sum(total_ms) as total_ms, 0 as n from (${sql.join(fineParts, sql` union all `)}) as d
        group by stage, bucket having sum(stays) > 0`,
      read: stageDurationsOf,
    };
  }
}

/** A funnel's aggregates from its reads: the balances before the window are the totals before its end minus the window's moves. */
function funnelOf(read: { dailyMoves: DailyMove[]; totalsBeforeEnd: MoveTotal[]; stays: StayTotal[]; durations: StageDurations[] }): FunnelAggregates {
  return { movesBefore: withoutMoves(read.totalsBeforeEnd, read.dailyMoves), dailyMoves: read.dailyMoves, stays: read.stays, durations: read.durations };
}

/**
 * Each stage's durations from the durations select's rows: its count and milliseconds, and the fine buckets that hold
 * the median's ranks, each with the stays below it (the running total goes on inside the median's coarse buckets).
 */
function stageDurationsOf(rows: Row[]): StageDurations[] {
  const coarseRows = rows
    .filter((r) => r['part'] === 'median')
    .map((r) => ({ stage: String(r['stage']), coarse: Number(r['bucket']), below: Number(r['stays']), n: Number(r['n']), n_ms: Number(r['total_ms']) }));
  if (coarseRows.length === 0) return [];
  const byStage = new Map<string, StageDurations & { around: Array<StageDurations['around'][number]> }>();
  const belowCoarse = new Map<string, number>();
  for (const c of coarseRows) {
    if (!byStage.has(c.stage)) byStage.set(c.stage, { stage: c.stage, stays: c.n, totalMs: c.n_ms, around: [] });
    belowCoarse.set(`${c.stage}\u0000${c.coarse}`, c.below);
  }
  const fine = rows.filter((r) => r['part'] === 'fine').map((r) => ({ stage: String(r['stage']), bucket: Number(r['bucket']), stays: Number(r['stays']), totalMs: Number(r['total_ms']) }));
  fine.sort((a, b) => (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : a.bucket - b.bucket));
  let running = { key: '', below: 0 };
  for (const r of fine) {
    const key = `${r.stage}\u0000${coarseBucket(r.bucket)}`;
    if (key !== running.key) running = { key, below: belowCoarse.get(key) ?? 0 };
    const stage = byStage.get(r.stage);
    if (stage && holdsMedian(running.below, r.stays, stage.stays)) stage.around.push({ bucket: r.bucket, stays: r.stays, totalMs: r.totalMs, below: running.below });
    running.below += r.stays;
  }
  return [...byStage.values()];
}

/** Move totals minus the moves of a window (per day or interval) summed by (from, to, skipped); zero sums dropped. */
function withoutMoves(totals: readonly MoveTotal[], inWindow: readonly DailyMove[]): MoveTotal[] {
  return moveTotalsOf([...totals, ...inWindow.map((move) => ({ fromStage: move.fromStage, toStage: move.toStage, skipped: move.skipped, count: -move.count }))]);
}

function toDailyMove(r: Row): DailyMove {
  return {
    day: Number(r['day']),
    fromStage: String(r['from_stage']),
    toStage: String(r['to_stage']),
    kind: r['kind'] as DailyMove['kind'],
    reasonCode: String(r['reason_code']),
    skipped: String(r['skipped']),
    count: Number(r['moves']),
  };
}

/**
 * The medians' running total and stage totals share one window order (with frames of their own): SQLite sorts once
 * for all three sums, where `partition by stage` alone for the totals was a second sort (0.35 ms of 1.85 ms).
 */
const BY_COARSE = sql`partition by stage order by coarse`;

/** A segment of days read for one interval (stored under the interval's first day). */
/** A segment of days read for one interval (stored under the interval's first day). */
type IntervalSegment = SpanSegment & { interval: number };

/**
 * The CTE `name(interval_day, span, from_day, to_day)`: one row per segment, its numbers bound as parameters (cast,
 * so that PostgreSQL types the VALUES list; the SQL text depends only on the number of segments, so SQLite's
 * statement cache keeps it).
 */
function segmentList(name: string, segments: readonly IntervalSegment[]) {
  const rows = segments.map((s) => sql`(cast(${s.interval} as integer), cast(${s.span} as integer), cast(${s.from} as integer), cast(${s.to} as integer))`);
  return sql`${sql.raw(name)}(interval_day, span, from_day, to_day) as (values ${sql.join(rows)})`;
}

/**
 * `outer` joined to `table` (as `alias`) by `conditions`, which name the outer lists' columns: one index range of the
 * table per outer row on both dialects. SQLite: a CROSS JOIN, which keeps the lists as the outer loop. PostgreSQL:
 * a LATERAL subquery that OFFSET 0 keeps from being flattened, so it runs once per list row with that row's bounds
 * as its index condition, whatever the table's statistics say (without statistics, as after a bulk load with
 * autovacuum off, PostgreSQL otherwise scanned the portal's whole table once per list row and filtered it).
 * Followed by nothing or GROUP BY: SQLite's form ends in its WHERE.
 */
function joinEach(dialect: StoreDialect, outer: RawBuilder<unknown>, table: string, alias: string, conditions: RawBuilder<unknown>) {
  return dialect === 'postgres'
    ? sql`${outer} cross join lateral (select * from ${sql.table(table)} as ${sql.raw(alias)} where ${conditions} offset 0) as ${sql.raw(alias)}`
    : sql`${outer} cross join ${sql.table(table)} as ${sql.raw(alias)} where ${conditions}`;
}

/**
 * The move rows of the segments in the list `list`: day rows (span 1) from ledger_move_days, blocks from
 * ledger_move_spans, one index range per segment; `withInterval`: each with its interval's first day first.
 */
function movesOver(dialect: StoreDialect, list: string, portalId: PortalId, objectType: ObjectType, segments: readonly IntervalSegment[], { withInterval }: { withInterval: boolean }) {
  const r = sql.raw(list);
  const columns = sql`${withInterval ? sql`${r}.interval_day, ` : sql``}m.from_stage, m.to_stage, m.kind, m.reason_code, m.skipped, m.moves`;
  const parts = [];
  if (segments.some((s) => s.span === 1)) {
    parts.push(
      sql`select ${columns} from ${joinEach(dialect, r, 'ledger_move_days', 'm', sql`m.portal_id = ${portalId} and m.object_type = ${objectType} and ${r}.span = 1 and m.day >= ${r}.from_day and m.day < ${r}.to_day`)}`,
    );
  }
  if (segments.some((s) => s.span !== 1)) {
    parts.push(
      sql`select ${columns} from ${joinEach(dialect, r, 'ledger_move_spans', 'm', sql`m.portal_id = ${portalId} and m.object_type = ${objectType} and m.span = ${r}.span and m.day >= ${r}.from_day and m.day < ${r}.to_day`)}`,
    );
  }
  return sql.join(parts, sql` union all `);
}

/**
 * Runs `change` (which rewrites the ledger rows of `before`'s records) and moves the aggregates by the difference
 * of those records' contributions before and after: the one way every ledger writer keeps them exact. Must run in
 * the writer's transaction. Records a rebuild in progress has not reached are left to it (ledger-aggregate-fence.ts).
 * Cost: two reads of the records' own histories (each also reads the rebuild's cursor), and on PostgreSQL the
 * fence's shared lock.
 */
export async function maintainAggregatesAround(
  trx: Kysely<Database>,
  dialect: StoreDialect,
  portalId: PortalId,
  records: { before: readonly RecordKey[]; after: readonly RecordKey[] },
  change: () => Promise<void>,
): Promise<void> {
  await enterAggregateFence(trx, dialect, portalId, 'shared');
  const before = await fencedHistories(trx, dialect, portalId, records.before);
  await change();
  const after = await fencedHistories(trx, dialect, portalId, records.after);
  await applyAggregateDelta(trx, portalId, aggregateDelta(before.reached, after.reached));
}

export type HistoryRow = LedgerRow & { transitionId: string };

/** Each record's ledger rows in the ledger's order (the order `LedgerRepository.history` returns). */
export async function recordHistories(db: Kysely<Database>, portalId: PortalId, keys: readonly RecordKey[]): Promise<HistoryRow[][]> {
  const byRecord = emptyHistories(keys);
  for (const part of distinctChunks(keys)) {
    const rows = await db.selectFrom('ledger').select(HISTORY_COLUMNS).where('portal_id', '=', portalId).where(recordIn(part)).$call(inHistoryOrder).execute();
    for (const row of rows) byRecord.get(`${row.object_type}:${row.object_id}`)?.push(historyRow(row));
  }
  return [...byRecord.values()];
}

/**
 * The histories of a writer's records, as `recordHistories` reads them, split by whether a rebuild of the portal's
 * aggregates in progress has reached each record: `reached` (no rebuild: all of them) is what the writer's delta
 * counts; the others are left to the rebuild. Read in the same statements: the rebuild's cursor is a CTE of one
 * indexed row, compared with each row's record. Inside the writer's transaction, after `enterAggregateFence`.
 */
export async function fencedHistories(trx: Kysely<Database>, dialect: StoreDialect, portalId: PortalId, keys: readonly RecordKey[]): Promise<{ reached: HistoryRow[][] }> {
  const byRecord = emptyHistories(keys);
  const beyond = new Set<string>();
  for (const part of distinctChunks(keys)) {
    const rows = await trx
      .with(
        (cte) => cte('rebuild_cursor').materialized(),
        () => rebuildCursorSelect(dialect, portalId),
      )
      .selectFrom('ledger')
      .select([...HISTORY_COLUMNS, beyondRebuild('rebuild_cursor').as('beyond_rebuild')])
      .where('portal_id', '=', portalId)
      .where(recordIn(part))
      .$call(inHistoryOrder)
      .execute();
    for (const row of rows) {
      const key = `${row.object_type}:${row.object_id}`;
      if (Number(row.beyond_rebuild ?? 0) === 1) beyond.add(key);
      byRecord.get(key)?.push(historyRow(row));
    }
  }
  return { reached: [...byRecord].filter(([key]) => !beyond.has(key)).map(([, rows]) => rows) };
}

const HISTORY_COLUMNS = ['transition_id', 'object_type', 'object_id', 'to_stage', 'kind', 'skipped', 'reason_code', 'occurred_at'] as const;

/**
 * Record first: SQLite then reads ledger_record_time_idx for the listed records. Ordered by time alone it scanned the
 * portal's whole ledger through ledger_time_idx (EXPLAIN QUERY PLAN), on every commit.
 */
function inHistoryOrder<QB extends SelectQueryBuilder<Database, 'ledger', object>>(query: QB): QB {
  return query.orderBy('object_type').orderBy('object_id').orderBy('occurred_at').orderBy('recorded_at').orderBy('recorded_position').orderBy('transition_id') as QB;
}

function emptyHistories(keys: readonly RecordKey[]): Map<string, HistoryRow[]> {
  return new Map(keys.map((key) => [recordKeyString(key), []]));
}

function distinctChunks(keys: readonly RecordKey[]): RecordKey[][] {
  return inChunks([...new Map(keys.map((k) => [recordKeyString(k), k])).values()]);
}

function historyRow(row: Parameters<typeof toLedgerRow>[0] & { transition_id: string }): HistoryRow {
  return { ...toLedgerRow(row), transitionId: row.transition_id };
}

export function toLedgerRow(row: { object_type: string; object_id: string; to_stage: string; kind: string; skipped: string; reason_code: string | null; occurred_at: number }): LedgerRow {
  return {
    objectType: row.object_type as ObjectType,
    objectId: row.object_id,
    toStage: row.to_stage,
    kind: row.kind as LedgerRow['kind'],
    skipped: JSON.parse(row.skipped) as string[],
    reasonCode: row.reason_code,
    occurredAt: Number(row.occurred_at),
  };
}

/**
 * Adds a delta to the aggregate tables: one upsert per changed key (`count = count + delta`), and the same delta
 * to the rollups of migration 0011 unless `rollups` is false (migration 0008, which runs before they exist).
 */
export async function applyAggregateDelta(db: Kysely<Database>, portalId: PortalId, delta: LedgerAggregates, options: { rollups?: boolean } = {}): Promise<void> {
  if (options.rollups ?? true) await applyRollupDelta(db, portalId, delta);
  for (const part of inChunks([...delta.moves.values()], 200)) {
    await db
      .insertInto('ledger_move_days')
      .values(
        part.map((m) => ({
          portal_id: portalId,
          object_type: m.objectType,
          day: m.day,
          from_stage: m.fromStage,
          to_stage: m.toStage,
          kind: m.kind,
          reason_code: m.reasonCode,
          skipped: m.skipped,
          moves: m.count,
        })),
      )
      .onConflict((c) =>
        c.columns(['portal_id', 'object_type', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped']).doUpdateSet({ moves: sql`ledger_move_days.moves + excluded.moves` }),
      )
      .execute();
  }
  for (const part of inChunks([...delta.stays.values()], 200)) {
    await db
      .insertInto('ledger_stay_days')
      .values(
        part.map((s) => ({
          portal_id: portalId,
          object_type: s.objectType,
          entered_day: s.enteredDay,
          stage: s.stage,
          exited_day: s.exitedDay,
          exit_to: s.exitTo,
          exit_skip: s.exitSkip ? 1 : 0,
          stays: s.count,
        })),
      )
      .onConflict((c) =>
        c.columns(['portal_id', 'object_type', 'entered_day', 'stage', 'exited_day', 'exit_to', 'exit_skip']).doUpdateSet({ stays: sql`ledger_stay_days.stays + excluded.stays` }),
      )
      .execute();
  }
  for (const part of inChunks([...delta.durations.values()], 200)) {
    await db
      .insertInto('ledger_stay_durations')
      .values(
        part.map((d) => ({
          portal_id: portalId,
          object_type: d.objectType,
          exited_day: d.exitedDay,
          stage: d.stage,
          bucket: d.bucket,
          stays: d.count,
          total_ms: d.totalMs,
        })),
      )
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'exited_day', 'stage', 'bucket'])
          .doUpdateSet({ stays: sql`ledger_stay_durations.stays + excluded.stays`, total_ms: sql`ledger_stay_durations.total_ms + excluded.total_ms` }),
      )
      .execute();
  }
}

/** Sums keyed by their identity, for the rollups of one delta. */
class Sums<T extends object> {
  readonly entries = new Map<string, { key: T; count: number; totalMs: number }>();
  add(key: T, count: number, totalMs = 0): void {
    const id = JSON.stringify(Object.values(key));
    const entry = this.entries.get(id) ?? { key, count: 0, totalMs: 0 };
    entry.count += count;
    entry.totalMs += totalMs;
    this.entries.set(id, entry);
  }
  changed(): Array<{ key: T; count: number; totalMs: number }> {
    return [...this.entries.values()].filter((e) => e.count !== 0 || e.totalMs !== 0);
  }
}

/** The delta's moves, stays and durations added to the all-time totals and the blocks of every span in ROLLUP_SPANS. */
async function applyRollupDelta(db: Kysely<Database>, portalId: PortalId, delta: LedgerAggregates): Promise<void> {
  const totals = new Sums<{ object_type: string; from_stage: string; to_stage: string; skipped: string }>();
  const stock = new Sums<{ object_type: string; day: number; stage: string }>();
  const moveSpans = new Sums<{ object_type: string; span: number; day: number; from_stage: string; to_stage: string; kind: string; reason_code: string; skipped: string }>();
  for (const m of delta.moves.values()) {
    totals.add({ object_type: m.objectType, from_stage: m.fromStage, to_stage: m.toStage, skipped: m.skipped }, m.count);
    stock.add({ object_type: m.objectType, day: m.day, stage: m.toStage }, m.count);
    stock.add({ object_type: m.objectType, day: m.day, stage: m.fromStage }, -m.count);
    for (const span of ROLLUP_SPANS) {
      const key = {
        object_type: m.objectType,
        span,
        day: blockStart(m.day, span),
        from_stage: m.fromStage,
        to_stage: m.toStage,
        kind: m.kind,
        reason_code: m.reasonCode,
        skipped: m.skipped,
      };
      moveSpans.add(key, m.count);
    }
  }
  const entries = new Sums<{ object_type: string; span: number; entered_day: number; stage: string; exit_to: string; exit_skip: number }>();
  for (const s of delta.stays.values()) {
    for (const span of [1, ...ROLLUP_SPANS]) {
      entries.add({ object_type: s.objectType, span, entered_day: blockStart(s.enteredDay, span as Span), stage: s.stage, exit_to: s.exitTo, exit_skip: s.exitSkip ? 1 : 0 }, s.count);
    }
  }
  const durationSpans = new Sums<{ object_type: string; span: number; exited_day: number; stage: string; bucket: number }>();
  const coarse = new Sums<{ object_type: string; span: number; exited_day: number; stage: string; coarse: number }>();
  for (const d of delta.durations.values()) {
    for (const span of ROLLUP_SPANS) durationSpans.add({ object_type: d.objectType, span, exited_day: blockStart(d.exitedDay, span), stage: d.stage, bucket: d.bucket }, d.count, d.totalMs);
    for (const span of [1, ...ROLLUP_SPANS] as const) {
      coarse.add({ object_type: d.objectType, span, exited_day: blockStart(d.exitedDay, span), stage: d.stage, coarse: coarseBucket(d.bucket) }, d.count, d.totalMs);
    }
  }
  for (const part of inChunks(totals.changed(), 200)) {
    await db
      .insertInto('ledger_move_totals')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, moves: e.count })))
      .onConflict((c) => c.columns(['portal_id', 'object_type', 'from_stage', 'to_stage', 'skipped']).doUpdateSet({ moves: sql`ledger_move_totals.moves + excluded.moves` }))
      .execute();
  }
  for (const part of inChunks(moveSpans.changed(), 200)) {
    await db
      .insertInto('ledger_move_spans')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, moves: e.count })))
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'span', 'day', 'from_stage', 'to_stage', 'kind', 'reason_code', 'skipped'])
          .doUpdateSet({ moves: sql`ledger_move_spans.moves + excluded.moves` }),
      )
      .execute();
  }
  for (const part of inChunks(entries.changed(), 200)) {
    await db
      .insertInto('ledger_stay_entries')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, stays: e.count })))
      .onConflict((c) =>
        c.columns(['portal_id', 'object_type', 'span', 'entered_day', 'stage', 'exit_to', 'exit_skip']).doUpdateSet({ stays: sql`ledger_stay_entries.stays + excluded.stays` }),
      )
      .execute();
  }
  for (const part of inChunks(durationSpans.changed(), 200)) {
    await db
      .insertInto('ledger_duration_spans')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, stays: e.count, total_ms: e.totalMs })))
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'span', 'exited_day', 'stage', 'bucket'])
          .doUpdateSet({ stays: sql`ledger_duration_spans.stays + excluded.stays`, total_ms: sql`ledger_duration_spans.total_ms + excluded.total_ms` }),
      )
      .execute();
  }
  for (const part of inChunks(stock.changed(), 200)) {
    await db
      .insertInto('ledger_stock_days')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, delta: e.count })))
      .onConflict((c) => c.columns(['portal_id', 'object_type', 'day', 'stage']).doUpdateSet({ delta: sql`ledger_stock_days.delta + excluded.delta` }))
      .execute();
  }
  for (const part of inChunks(coarse.changed(), 200)) {
    await db
      .insertInto('ledger_duration_coarse')
      .values(part.map((e) => ({ portal_id: portalId, ...e.key, stays: e.count, total_ms: e.totalMs })))
      .onConflict((c) =>
        c
          .columns(['portal_id', 'object_type', 'span', 'exited_day', 'stage', 'coarse'])
          .doUpdateSet({ stays: sql`ledger_duration_coarse.stays + excluded.stays`, total_ms: sql`ledger_duration_coarse.total_ms + excluded.total_ms` }),
      )
      .execute();
  }
}
