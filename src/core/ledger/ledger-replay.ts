import type { CompiledModel } from '../model/model-types';
import { chronologicalOrder, type LedgerRow } from './ledger-row';
import { stageTable, type StageTable } from './stage-table';

/** One row seen in the context of its record's history: where the record was, and since when. */
export interface Move {
  row: LedgerRow;
  /** Stage index the record left, or -1 for the record's first row. */
  from: number;
  /** When the record entered `from` (NaN for a first row). */
  fromSince: number;
  /** Stage index the record entered. */
  to: number;
}

/**
 * Replays a ledger in time order, once, keeping each record's current stage and the stock per stage. The reports
 * are single sweeps over it (sort once, then O(1) per row), which is what keeps a million rows to seconds.
 *
 * The record's own sequence of rows is the truth: a row's `fromStage` is not read, so a gap in a stored history
 * (a missing row) can never make stock negative or records vanish.
 *
 * Mutable on purpose, but only ever owned by one report computation.
 */
export class LedgerReplay {
  readonly stages: StageTable;
  /** Records per stage index after the rows applied so far. */
  readonly stock: number[];
  /** Per record slot: its current stage index and when it entered it. */
  readonly recordStage: number[] = [];
  readonly recordSince: number[] = [];
  private readonly recordSlot = new Map<string, Map<string, number>>();
  private nextSlot = 0;
  private readonly order: number[];
  private cursor = 0;

  constructor(
    private readonly rows: readonly LedgerRow[],
    model: CompiledModel,
  ) {
    this.stages = stageTable(model, rows);
    this.stock = this.stages.refs.map(() => 0);
    this.order = chronologicalOrder(rows);
  }

  /** Records that have entered the lifecycle so far. */
  get recordCount(): number {
    return this.recordStage.length;
  }

  /** Applies every row not applied yet dated before `t`, or at `t` too when `inclusive`, in order. */
  advance(t: number, inclusive: boolean, onMove?: (move: Move) => void): void {
    const { rows, order } = this;
    while (this.cursor < order.length) {
      const row = rows[order[this.cursor] as number] as LedgerRow;
      if (row.occurredAt > t || (row.occurredAt === t && !inclusive)) return;
      this.cursor++;
      const move = this.apply(row);
      onMove?.(move);
    }
  }

  private apply(row: LedgerRow): Move {
    const to = this.stages.indexOf.get(row.toStage);
    // The table was built from these very rows, so every stage is in it.
    if (to === undefined) throw new Error(`stage "${row.toStage}" missing from the stage table`);
    const { stock, recordStage, recordSince } = this;
    const record = this.slotOf(row);
    let from = -1;
    let fromSince = Number.NaN;
    // A new record gets the next free slot, which is the current record count.
    if (record === recordStage.length) {
      recordStage.push(to);
      recordSince.push(row.occurredAt);
    } else {
      // Plain indexed reads in this loop: it runs once per row, and `record` and `from` are in range by construction.
      from = recordStage[record] as number;
      fromSince = recordSince[record] as number;
      stock[from] = (stock[from] as number) - 1;
      recordStage[record] = to;
      recordSince[record] = row.occurredAt;
    }
    stock[to] = (stock[to] as number) + 1;
    return { row, from, fromSince, to };
  }

  /**
   * The record's slot; a new record gets the next one. Same identity as `recordKey` (object type + id), keyed in
   * two levels so that no key string is built per row.
   */
  private slotOf(row: LedgerRow): number {
    let byId = this.recordSlot.get(row.objectType);
    if (!byId) {
      byId = new Map();
      this.recordSlot.set(row.objectType, byId);
    }
    let record = byId.get(row.objectId);
    if (record === undefined) {
      record = this.nextSlot++;
      byId.set(row.objectId, record);
    }
    return record;
  }
}
