import type { CompiledModel } from '../model/model-types';
import { LedgerReplay } from './ledger-replay';
import type { LedgerRow } from './ledger-row';
import { slot } from './list-access';
import { InstantSchema, StockSeriesQuerySchema, type Instant } from './report-query';
import { slaCountsAt, type SlaCounts } from './sla';
import type { StageRef } from './stage-table';

export interface StageStock extends StageRef {
  stock: number;
  sla: SlaCounts | null;
}

export interface StockSnapshot {
  at: Instant;
  /** Records with a row at or before `at`; the sum of the stages' stock. */
  records: number;
  stages: StageStock[];
}

/**
 * Where every record stands at an instant: a record's stage at t is the `toStage` of its latest row dated ≤ t.
 * SLA ages are measured at `at`.
 *
 * @throws ZodError when `at` is not a number.
 */
export function stockAt(rows: readonly LedgerRow[], model: CompiledModel, at: Instant): StockSnapshot {
  const instant = InstantSchema.parse(at);
  const replay = new LedgerReplay(rows, model);
  replay.advance(instant, true);
  const sla = slaCountsAt(replay, instant);
  return {
    at: instant,
    records: replay.recordCount,
    stages: replay.stages.refs.map((ref, i) => ({ ...ref, stock: slot(replay.stock, i), sla: slot(sla, i) })),
  };
}

export interface StockPoint {
  at: Instant;
  records: number;
  /** Stock per stage id at `at` (same rule as `stockAt`). */
  stock: Record<string, number>;
}

export interface StockSeries {
  /** The stages every point has, in report order. */
  stages: StageRef[];
  /** One point per requested instant, in the order requested. */
  points: StockPoint[];
}

/**
 * Stock per stage at each instant, for a stock-over-time chart. One sweep: the rows are sorted once and the
 * instants visited in time order, so k instants cost O(n log n + k·stages), not k scans of the ledger.
 *
 * @throws ZodError when the instants are not numbers or too many.
 */
export function stockSeries(rows: readonly LedgerRow[], model: CompiledModel, instants: readonly Instant[]): StockSeries {
  const query = StockSeriesQuerySchema.parse({ instants });
  const replay = new LedgerReplay(rows, model);
  const { refs } = replay.stages;
  const points = new Array<StockPoint>(query.instants.length);
  const visitOrder = query.instants.map((_, i) => i).sort((a, b) => slot(query.instants, a) - slot(query.instants, b));
  for (const i of visitOrder) {
    const at = slot(query.instants, i);
    replay.advance(at, true);
    const stock: Record<string, number> = {};
    refs.forEach((ref, s) => (stock[ref.stageId] = slot(replay.stock, s)));
    points[i] = { at, records: replay.recordCount, stock };
  }
  return { stages: refs, points };
}
