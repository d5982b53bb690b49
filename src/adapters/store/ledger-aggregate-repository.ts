import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { LedgerAggregatePort, PortalId, RecordKey } from '../../app/ports/store-ports';
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
import { inChunks, recordIn } from './record-keys';
import type { StoreDialect } from './database';
import type { Database } from './schema';

/** Far enough past any ledger day (2^30 days ≈ 2.9 million years) and within a 32-bit integer: "every day from here on". */
const LAST_DAY = 2 ** 30;

/** PostgreSQL settings for one report's read transaction (local to it; see `reading`). */
const PLANNER_SETTINGS = [
  ['max_parallel_workers_per_gather', '0'],
  ['enable_seqscan', 'off'],
  ['enable_hashjoin', 'off'],
  ['enable_sort', 'off'],
  ['jit', 'off'],
] as const;

/**
 * The report transaction's start and its settings as one message: text without parameters goes by PostgreSQL's simple
 * query protocol, which runs several statements, so they cost one round trip where BEGIN and a `set_config` select
 * cost two (a socket write is a third of the serving process's CPU per report at B7's size).
 */
const BEGIN_REPORT = sql.raw(['begin isolation level repeatable read, read only', ...PLANNER_SETTINGS.map(([name, value]) => `set local ${name} = ${value}`)].join('; '));

/** How long a portal's last exit day is trusted for choosing an index (see `endedLater`). */
const LAST_EXIT_TTL_MS = 60_000;

export class LedgerAggregateRepository implements LedgerAggregatePort {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect = 'sqlite',
    private readonly inSnapshot = false,
    private readonly lastExits = new Map<string, { day: number | null; readAt: number }>(),
  ) {}

  /**
   * Runs one report's reads. On PostgreSQL: in one read-only REPEATABLE READ transaction (every statement sees the
   * same commit, so the totals and the moves subtracted from them agree), with the planner held to what these reads
   * are: an index range per list row (see `joinEach`), summed in a hash table. Each setting answers a plan measured
   * at B7's 100,000 contacts (docs/reports.md): parallel workers were started for statements that read a few
   * thousand rows; with statistics, a sequential scan of the portal's whole table was hash-joined to the list of
   * segments; without them (a bulk load with autovacuum off), a few thousand rows were sorted to be grouped; and
   * then the sort's disabled cost crossed JIT's threshold (1.2 s of compiling). SQLite plans them as written and
   * runs them outside a transaction (its store takes a write lock for every transaction).
   */
  private async reading<T>(read: (repository: LedgerAggregateRepository) => Promise<T>): Promise<T> {
    if (this.dialect !== 'postgres' || this.inSnapshot) return read(this);
    return this.db.connection().execute(async (connection) => {
      await BEGIN_REPORT.execute(connection);
      try {
        const result = await read(new LedgerAggregateRepository(connection, this.dialect, true));
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  /**
   * The sums one report reads (see FunnelAggregates), in statements whose answers hold stages × cuts rows
   * whatever the period's length and the portal's size: SQL sums the moves and the cohort's stays per interval of
   * the window (each interval read as its aligned 4-, 16-, 64- and 256-day blocks and its edge days, migrations 0011
   * and 0019) and the durations per stage down to the median's buckets; the balances before the window are the
   * all-time totals minus the moves since.
   */
  async funnelAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<FunnelAggregates> {
    return this.reading((repository) => repository.funnelAggregatesNow(portalId, objectType, window));
  }

  private async funnelAggregatesNow(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<FunnelAggregates> {
    const { funnel } = await this.funnelAndTotalsNow(portalId, objectType, window);
    return funnel;
  }

  /** A funnel's aggregates, and the move totals before its end day that its balances were taken from. */
  private async funnelAndTotalsNow(portalId: PortalId, objectType: ObjectType, window: AggregateWindow): Promise<{ funnel: FunnelAggregates; totalsBeforeEnd: MoveTotal[] }> {
    const { firstDay, startDay, endDay } = window;
    const spans = intervals(window);
    const dailyMoves = await this.moves(portalId, objectType, spans);
    const totalsBeforeEnd = await this.movesBefore(portalId, objectType, endDay);
    const stays = await this.cohortStays(portalId, objectType, spans, firstDay, endDay);
    const durations = await this.durations(portalId, objectType, startDay, endDay);
    return { funnel: { movesBefore: withoutMoves(totalsBeforeEnd, dailyMoves), dailyMoves, stays, durations }, totalsBeforeEnd };
  }

  /**
   * The Funnel page's reads in one: the funnel's aggregates over `window` and its period's stock series (a point
   * every `everyDays` days from `window.startDay`). One snapshot (on PostgreSQL one transaction on one connection
   * instead of two), and the move totals before the period's end, which both start from, read once.
   */
  async funnelAndStockAggregates(portalId: PortalId, objectType: ObjectType, window: AggregateWindow, everyDays = 1): Promise<{ funnel: FunnelAggregates; stock: StockAggregates }> {
    return this.reading(async (repository) => {
      const { funnel, totalsBeforeEnd } = await repository.funnelAndTotalsNow(portalId, objectType, window);
      const dailyDeltas = await repository.stockDeltas(portalId, objectType, window.startDay, window.endDay, everyDays);
      return { funnel, stock: { movesBefore: totalsBeforeEnd, dailyDeltas } };
    });
  }

  /**
   * What a stock series over the days [firstDay, endDay) reads (StockAggregates): the moves before `endDay` summed
   * (the all-time totals minus the blocks from `endDay` on) and each day's net change per stage over the window
   * (ledger_stock_days, migration 0015: stages × days rows). A series with a point every `everyDays` days from
   * `firstDay` needs only each stretch's net change: SQL sums the days of each stretch under its first day, so a
   * weekly year is stages × 53 rows to Node instead of stages × 365.
   */
  async stockAggregates(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number, everyDays = 1): Promise<StockAggregates> {
    return this.reading((repository) => repository.stockAggregatesNow(portalId, objectType, firstDay, endDay, everyDays));
  }

  private async stockAggregatesNow(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number, everyDays: number): Promise<StockAggregates> {
    const movesBefore = await this.movesBefore(portalId, objectType, Math.max(firstDay, endDay));
    return { movesBefore, dailyDeltas: await this.stockDeltas(portalId, objectType, firstDay, endDay, everyDays) };
  }

  /** Each day's (or each stretch of `everyDays` days') net change per stage over [firstDay, endDay). */
  private async stockDeltas(portalId: PortalId, objectType: ObjectType, firstDay: number, endDay: number, everyDays: number): Promise<StockAggregates['dailyDeltas']> {
    if (firstDay >= endDay) return [];
    const base = this.db.selectFrom('ledger_stock_days').where('portal_id', '=', portalId).where('object_type', '=', objectType).where('day', '>=', firstDay).where('day', '<', endDay);
    // Day numbers are ≥ firstDay here, so the integer division is a floor on both dialects. Written as literals (checked
    // integers): SQLite grouped a year of rows by this expression in 5.0 ms with bound parameters, 1.9 ms with literals.
    if (!Number.isInteger(firstDay) || !Number.isInteger(everyDays) || everyDays < 1) throw new RangeError('stock stretches are whole days');
    const stretch = sql<number>`${sql.lit(firstDay)} + ((day - ${sql.lit(firstDay)}) / ${sql.lit(everyDays)}) * ${sql.lit(everyDays)}`;
    const deltas =
      everyDays === 1
        ? await base.select(['day', 'stage', 'delta']).where('delta', '<>', 0).execute()
        : await base
            .select([stretch.as('day'), 'stage', sql<number | string>`sum(delta)`.as('delta')])
            // By position: PostgreSQL does not see two bound copies of `stretch` as one expression.
            .groupBy([sql`1`, sql`2`])
            .having(sql<number>`sum(delta)`, '<>', 0)
            .execute();
    return deltas.map((d) => ({ day: Number(d.day), stage: d.stage, count: Number(d.delta) }));
  }

  /**
   * Moves summed per interval (under its first day) in one statement: a VALUES list of the day rows and blocks
   * covering each interval, joined to the day table and the block table (one index range per list row): one plan
   * whatever the number of segments, where a UNION ALL of one branch per segment was planned branch by branch.
   */
  private async moves(portalId: PortalId, objectType: ObjectType, spans: ReadonlyArray<{ from: number; to: number }>): Promise<DailyMove[]> {
    const segments = spans.flatMap(({ from, to }) => coverDays(from, to).map((segment) => ({ interval: from, ...segment })));
    if (segments.length === 0) return [];
    const { rows } = await sql<MoveRow>`with ${segmentList(segments)}
      select interval_day as day, from_stage, to_stage, kind, reason_code, skipped, sum(moves) as moves from (
        ${movesOver(this.dialect, portalId, objectType, segments, sql`r.interval_day, `)}
      ) as m group by interval_day, from_stage, to_stage, kind, reason_code, skipped having sum(moves) <> 0`.execute(this.db);
    return rows.map(toDailyMove);
  }

  /**
   * Moves before `endDay`, summed: every move of all time (ledger_move_totals) minus those from `endDay` on (summed in
   * blocks), in one statement. No sum over the days since the first row. (A funnel subtracts its window's moves,
   * already read: `withoutMoves`.)
   */
  private async movesBefore(portalId: PortalId, objectType: ObjectType, endDay: number): Promise<MoveTotal[]> {
    // The all-time totals and the blocks from `endDay` on (negated) in one statement: one round trip, one snapshot.
    const segments = coverDays(endDay, LAST_DAY).map((segment) => ({ interval: endDay, ...segment }));
    const { rows } = await sql<{ from_stage: string; to_stage: string; skipped: string; moves: number | string }>`with ${segmentList(segments)}
      select from_stage, to_stage, skipped, sum(moves) as moves from (
        select from_stage, to_stage, skipped, moves from ledger_move_totals where portal_id = ${portalId} and object_type = ${objectType}
        union all
        select from_stage, to_stage, skipped, -moves as moves from (${movesOver(this.dialect, portalId, objectType, segments, sql``)}) as later
      ) as m
      group by from_stage, to_stage, skipped having sum(moves) <> 0`.execute(this.db);
    return rows.map((r) => ({ fromStage: r.from_stage, toStage: r.to_stage, skipped: r.skipped, count: Number(r.moves) }));
  }

  /**
   * Ended stays that began in the window and ended before its end, per interval: the stays that began in each
   * interval (by day or block, however they ended; summed in SQL) minus those of them that ended on or after
   * `endDay` (ledger_stay_days by exit day: the stays still open at the period's end that have ended since).
   */
  private async cohortStays(portalId: PortalId, objectType: ObjectType, spans: ReadonlyArray<{ from: number; to: number }>, firstDay: number, endDay: number): Promise<StayTotal[]> {
    const stays = new Map<string, StayTotal>();
    const add = (stay: Omit<StayTotal, 'count'>, count: number) => {
      const key = JSON.stringify([stay.stage, stay.enteredDay, stay.exitTo, stay.exitSkip]);
      const total = stays.get(key) ?? { ...stay, count: 0 };
      total.count += count;
      stays.set(key, total);
    };
    const segments = spans.flatMap(({ from, to }) => coverDays(from, to).map((segment) => ({ interval: from, ...segment })));
    if (segments.length === 0) return [];
    // The stays that began in each interval and those of them that ended later, in one statement (one snapshot,
    // one round trip), told apart by `part`.
    const later = await this.endedLater(portalId, objectType, firstDay, endDay);
    const { rows } = await sql<StayRow & { part: 'entered' | 'later' }>`with ${segmentList(segments)}
      select 'entered' as part, r.interval_day as entered_day, s.stage, s.exit_to, s.exit_skip, sum(s.stays) as stays from ${joinEach(this.dialect, sql`r`, 'ledger_stay_entries', 's', sql`s.portal_id = ${portalId} and s.object_type = ${objectType} and s.span = r.span and s.entered_day >= r.from_day and s.entered_day < r.to_day`)}
      group by r.interval_day, s.stage, s.exit_to, s.exit_skip having sum(s.stays) <> 0
      ${later ? sql`union all ${later}` : sql``}`.execute(this.db);
    for (const r of rows) {
      const stay = { stage: r.stage, exitTo: r.exit_to, exitSkip: Number(r.exit_skip) === 1 };
      if (r.part === 'entered') {
        add({ ...stay, enteredDay: Number(r.entered_day) }, Number(r.stays));
        continue;
      }
      const day = Number(r.entered_day);
      const span = spans.find((s) => day >= s.from && day < s.to);
      if (span) add({ ...stay, enteredDay: span.from }, -Number(r.stays));
    }
    return [...stays.values()].filter((s) => s.count !== 0);
  }

  /**
   * The portal's last exit day, read at most once a minute per object type: it only chooses the index `endedLater`
   * reads by, whose answer is the same either way, so a day that moved since costs time, never a wrong count. Saves a
   * statement (on PostgreSQL a round trip) per report.
   */
  private async lastExitDay(portalId: PortalId, objectType: ObjectType): Promise<number | null> {
    const key = `${portalId}:${objectType}`;
    const known = this.lastExits.get(key);
    const now = Date.now();
    if (known && now - known.readAt < LAST_EXIT_TTL_MS) return known.day;
    const last = await this.db
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
   * Time in stage of the stays that ended in [startDay, endDay), per stage, in one statement of two steps. The first sums the
   * coarse buckets (ledger_duration_coarse) of the day rows and blocks covering the days, keeps a running total per
   * stage in bucket order and returns only the coarse buckets holding the median's ranks (the condition of
   * `holdsMedian`), with the stage's count and summed milliseconds (a materialised CTE). The second reads the fine buckets of just those
   * coarse buckets (one index seek per stage and day or block); the running total goes on inside them. Rows read:
   * stages × segments × coarse buckets, then stages × blocks × COARSE_BUCKET_WIDTH, whatever the stays.
   */
  private async durations(portalId: PortalId, objectType: ObjectType, startDay: number, endDay: number): Promise<StageDurations[]> {
    const segments = coverDays(startDay, endDay);
    if (segments.length === 0) return [];
    const ranges = segments.map((segment) => ({ interval: startDay, ...segment }));
    // The median's coarse buckets per stage (`medians`, computed once) and their fine buckets, in one statement: one
    // snapshot and, on PostgreSQL, one round trip. SQL derives the fine bucket ranges from `medians` (a list of every
    // (stage, bucket) pair bound ~600 parameters: PostgreSQL parsed and planned a 20 KB statement on every report).
    const medians = sql`medians(stage, coarse, below, n, n_ms) as materialized (
      select stage, coarse, below, n, n_ms from (
        select stage, coarse, stays,
          sum(stays) over (${BY_COARSE} rows between unbounded preceding and current row) - stays as below,
          sum(stays) over (${BY_COARSE} rows between unbounded preceding and unbounded following) as n,
          sum(total_ms) over (${BY_COARSE} rows between unbounded preceding and unbounded following) as n_ms
        from (
          select d.stage, d.coarse, sum(d.stays) as stays, sum(d.total_ms) as total_ms from ${joinEach(this.dialect, sql`r`, 'ledger_duration_coarse', 'd', sql`d.portal_id = ${portalId} and d.object_type = ${objectType} and d.span = r.span and d.exited_day >= r.from_day and d.exited_day < r.to_day`)}
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
      sql`${sql.raw(name)}(stage, lo, hi) as (select stage, coarse * ${sql.lit(COARSE_BUCKET_WIDTH)}, (coarse + 1) * ${sql.lit(COARSE_BUCKET_WIDTH)} from medians)`;
    const starts = (segment: SpanSegment) => Array.from({ length: (segment.to - segment.from) / segment.span }, (_, i) => segment.from + i * segment.span);
    const fineParts = [];
    const days = segments.filter((r) => r.span === 1).flatMap(starts);
    const blocks = segments.filter((r) => r.span !== 1).flatMap((segment) => starts(segment).map((day) => ({ span: segment.span, day })));
    const lists = [segmentList(ranges), medians];
    if (days.length > 0) {
      lists.push(sql`fd(day) as (values ${sql.join(days.map((day) => sql`(cast(${day} as integer))`))})`, rangeList('fr_d'));
      fineParts.push(
        sql`select fr_d.stage, d.bucket, d.stays, d.total_ms from ${joinEach(this.dialect, sql`fr_d cross join fd`, 'ledger_stay_durations', 'd', sql`d.portal_id = ${portalId} and d.object_type = ${objectType} and d.stage = fr_d.stage and d.exited_day = fd.day and d.bucket >= fr_d.lo and d.bucket < fr_d.hi`)}`,
      );
    }
    if (blocks.length > 0) {
      lists.push(sql`fb(span, day) as (values ${sql.join(blocks.map((b) => sql`(cast(${b.span} as integer), cast(${b.day} as integer))`))})`, rangeList('fr_b'));
      fineParts.push(
        sql`select fr_b.stage, d.bucket, d.stays, d.total_ms from ${joinEach(this.dialect, sql`fr_b cross join fb`, 'ledger_duration_spans', 'd', sql`d.portal_id = ${portalId} and d.object_type = ${objectType} and d.span = fb.span and d.stage = fr_b.stage and d.exited_day = fb.day and d.bucket >= fr_b.lo and d.bucket < fr_b.hi`)}`,
      );
    }
    // Median rows: (stage, coarse bucket, stays below it, the stage's count and milliseconds); fine rows: (stage,
    // bucket, stays, milliseconds).
    const { rows } = await sql<{
      part: 'median' | 'fine';
      stage: string;
      bucket: number | string;
      stays: number | string;
      total_ms: number | string;
      n: number | string;
    }>`with ${sql.join(lists)}
      select 'median' as part, stage, coarse as bucket, below as stays, n_ms as total_ms, n from medians
      union all
      select 'fine' as part, stage, bucket, sum(stays) as stays, sum(total_ms) as total_ms, 0 as n from (${sql.join(fineParts, sql` union all `)}) as d
      group by stage, bucket having sum(stays) > 0`.execute(this.db);
    const coarseRows = rows.filter((r) => r.part === 'median').map((r) => ({ stage: r.stage, coarse: Number(r.bucket), below: Number(r.stays), n: Number(r.n), n_ms: Number(r.total_ms) }));
    if (coarseRows.length === 0) return [];
    const fineRows = rows.filter((r) => r.part === 'fine');
    const byStage = new Map<string, StageDurations & { around: Array<StageDurations['around'][number]> }>();
    const belowCoarse = new Map<string, number>();
    for (const c of coarseRows) {
      if (!byStage.has(c.stage)) byStage.set(c.stage, { stage: c.stage, stays: Number(c.n), totalMs: Number(c.n_ms), around: [] });
      belowCoarse.set(`${c.stage}\u0000${Number(c.coarse)}`, Number(c.below));
    }
    const fine = fineRows.map((r) => ({ stage: r.stage, bucket: Number(r.bucket), stays: Number(r.stays), totalMs: Number(r.total_ms) }));
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
}

/** Move totals minus the moves of a window (per day or interval) summed by (from, to, skipped); zero sums dropped. */
function withoutMoves(totals: readonly MoveTotal[], inWindow: readonly DailyMove[]): MoveTotal[] {
  return moveTotalsOf([...totals, ...inWindow.map((move) => ({ fromStage: move.fromStage, toStage: move.toStage, skipped: move.skipped, count: -move.count }))]);
}

interface MoveRow {
  day: number | string;
  from_stage: string;
  to_stage: string;
  kind: string;
  reason_code: string;
  skipped: string;
  moves: number | string;
}

interface StayRow {
  entered_day: number | string;
  stage: string;
  exit_to: string;
  exit_skip: number | string;
  stays: number | string;
}

function toDailyMove(r: MoveRow): DailyMove {
  return {
    day: Number(r.day),
    fromStage: r.from_stage,
    toStage: r.to_stage,
    kind: r.kind as DailyMove['kind'],
    reasonCode: r.reason_code,
    skipped: r.skipped,
    count: Number(r.moves),
  };
}

/**
 * The medians' running total and stage totals share one window order (with frames of their own): SQLite sorts once
 * for all three sums, where `partition by stage` alone for the totals was a second sort (0.35 ms of 1.85 ms).
 */
const BY_COARSE = sql`partition by stage order by coarse`;

/** A segment of days read for one interval (stored under the interval's first day). */
type IntervalSegment = SpanSegment & { interval: number };

/**
 * The CTE `r(interval_day, span, from_day, to_day)`: one row per segment, its numbers bound as parameters (cast, so
 * that PostgreSQL types the VALUES list; the SQL text depends only on the number of segments, so SQLite's statement
 * cache keeps it).
 */
function segmentList(segments: readonly IntervalSegment[]) {
  const rows = segments.map((s) => sql`(cast(${s.interval} as integer), cast(${s.span} as integer), cast(${s.from} as integer), cast(${s.to} as integer))`);
  return sql`r(interval_day, span, from_day, to_day) as (values ${sql.join(rows)})`;
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
 * The move rows of the segments in `r`: day rows (span 1) from ledger_move_days, blocks from ledger_move_spans, one
 * index range per segment. `prefix` selects columns of `r` before the move's own.
 */
function movesOver(dialect: StoreDialect, portalId: PortalId, objectType: ObjectType, segments: readonly IntervalSegment[], prefix: ReturnType<typeof sql>) {
  const parts = [];
  if (segments.some((s) => s.span === 1)) {
    parts.push(
      sql`select ${prefix}m.from_stage, m.to_stage, m.kind, m.reason_code, m.skipped, m.moves from ${joinEach(dialect, sql`r`, 'ledger_move_days', 'm', sql`m.portal_id = ${portalId} and m.object_type = ${objectType} and r.span = 1 and m.day >= r.from_day and m.day < r.to_day`)}`,
    );
  }
  if (segments.some((s) => s.span !== 1)) {
    parts.push(
      sql`select ${prefix}m.from_stage, m.to_stage, m.kind, m.reason_code, m.skipped, m.moves from ${joinEach(dialect, sql`r`, 'ledger_move_spans', 'm', sql`m.portal_id = ${portalId} and m.object_type = ${objectType} and m.span = r.span and m.day >= r.from_day and m.day < r.to_day`)}`,
    );
  }
  return sql.join(parts, sql` union all `);
}

/**
 * Runs `change` (which rewrites the ledger rows of `before`'s records) and moves the aggregates by the difference
 * of those records' contributions before and after: the one way every ledger writer keeps them exact. Must run in
 * the writer's transaction. Cost: two reads of the records' own histories.
 */
export async function maintainAggregatesAround(
  trx: Kysely<Database>,
  portalId: PortalId,
  records: { before: readonly RecordKey[]; after: readonly RecordKey[] },
  change: () => Promise<void>,
): Promise<void> {
  const before = await recordHistories(trx, portalId, records.before);
  await change();
  const after = await recordHistories(trx, portalId, records.after);
  await applyAggregateDelta(trx, portalId, aggregateDelta(before, after));
}

export type HistoryRow = LedgerRow & { transitionId: string };

/** Each record's ledger rows in the ledger's order (the order `LedgerRepository.history` returns). */
export async function recordHistories(db: Kysely<Database>, portalId: PortalId, keys: readonly RecordKey[]): Promise<HistoryRow[][]> {
  const byRecord = new Map<string, HistoryRow[]>();
  for (const key of keys) byRecord.set(recordKeyString(key), []);
  for (const part of inChunks([...new Map(keys.map((k) => [recordKeyString(k), k])).values()])) {
    const rows = await db
      .selectFrom('ledger')
      .select(['transition_id', 'object_type', 'object_id', 'to_stage', 'kind', 'skipped', 'reason_code', 'occurred_at'])
      .where('portal_id', '=', portalId)
      .where(recordIn(part))
      // Record first: SQLite then reads ledger_record_time_idx for the listed records. Ordered by time alone it
      // scanned the portal's whole ledger through ledger_time_idx (EXPLAIN QUERY PLAN), on every commit.
      .orderBy('object_type')
      .orderBy('object_id')
      .orderBy('occurred_at')
      .orderBy('recorded_at')
      .orderBy('recorded_position')
      .orderBy('transition_id')
      .execute();
    for (const row of rows) byRecord.get(`${row.object_type}:${row.object_id}`)?.push({ ...toLedgerRow(row), transitionId: row.transition_id });
  }
  return [...byRecord.values()];
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
