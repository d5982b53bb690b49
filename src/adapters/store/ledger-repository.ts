import type { Kysely } from 'kysely';
import type { LedgerPort, PortalId, RecentLedgerQuery, RecordKey } from '../../app/ports/store-ports';
import type { LedgerEntry, ObjectType } from '../../core';
import type { LedgerRow } from '../../core/ledger';
import { recordHistories } from './ledger-aggregate-repository';
import { portalIdsIn } from './portal-ids';
import { inChunks, inStatementChunks, isRecord } from './record-keys';
import type { Database, LedgerTable } from './schema';

export class LedgerRepository implements LedgerPort {
  constructor(private readonly db: Kysely<Database>) {}

  async history(portalId: PortalId, key: RecordKey): Promise<LedgerEntry[]> {
    const rows = await this.inTimeOrder(this.db.selectFrom('ledger').selectAll().where('portal_id', '=', portalId).where(isRecord(key))).execute();
    return rows.map(toLedgerEntry);
  }

  async historiesOf(portalId: PortalId, objectType: ObjectType, objectIds: readonly string[]): Promise<Map<string, LedgerEntry[]>> {
    const histories = new Map<string, LedgerEntry[]>(objectIds.map((id) => [id, []]));
    for (const part of inChunks([...histories.keys()])) {
      // `object_type = ? and object_id in (…)`, ordered by record first: SQLite then reads ledger_record_time_idx one
      // record at a time. A row-value `(object_type, object_id) in (…)` ordered by time alone made it scan the
      // portal's ledger through ledger_time_idx instead (EXPLAIN QUERY PLAN), which grew with the portal's history.
      const rows = await this.inTimeOrder(
        this.db.selectFrom('ledger').selectAll().where('portal_id', '=', portalId).where('object_type', '=', objectType).where('object_id', 'in', part).orderBy('object_id'),
      ).execute();
      for (const row of rows) histories.get(row.object_id)?.push(toLedgerEntry(row));
    }
    return histories;
  }

  async lastEntries(portalId: PortalId, objectType: ObjectType, objectIds: readonly string[]): Promise<Map<string, LedgerEntry>> {
    const last = new Map<string, LedgerEntry>();
    for (const part of inChunks([...new Set(objectIds)])) {
      // Each record's rows numbered from its last in ledger order; the first of each is kept. One statement per 500
      // records (a probe per record cost a statement per company commit), over the ledger_record_time_idx range.
      const rows = await this.db
        .selectFrom((eb) =>
          eb
            .selectFrom('ledger')
            .selectAll()
            .select((inner) =>
              inner.fn
                .agg<number>('row_number')
                .over((ob) => ob.partitionBy('object_id').orderBy('occurred_at', 'desc').orderBy('recorded_at', 'desc').orderBy('recorded_position', 'desc').orderBy('transition_id', 'desc'))
                .as('from_last'),
            )
            .where('portal_id', '=', portalId)
            .where('object_type', '=', objectType)
            .where('object_id', 'in', part)
            .as('numbered'),
        )
        .selectAll()
        .where('from_last', '=', 1)
        .execute();
      for (const row of rows) last.set(row.object_id, toLedgerEntry(row));
    }
    return last;
  }

  async entries(portalId: PortalId, options: { objectType?: ObjectType; until?: number } = {}): Promise<LedgerEntry[]> {
    const { objectType, until } = options;
    const query = this.db
      .selectFrom('ledger')
      .selectAll()
      .where('portal_id', '=', portalId)
      .$if(objectType !== undefined, (q) => q.where('object_type', '=', objectType as ObjectType))
      .$if(until !== undefined, (q) => q.where('occurred_at', '<=', until as number));
    const rows = await this.inTimeOrder(query).execute();
    return rows.map(toLedgerEntry);
  }

  async count(portalId: PortalId): Promise<number> {
    const row = await this.db
      .selectFrom('ledger')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('portal_id', '=', portalId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async recordIds(portalId: PortalId, objectType: ObjectType, afterId: string | null, limit: number, lastId: string | null = null): Promise<string[]> {
    const rows = await this.db
      .selectFrom('ledger')
      .select('object_id')
      .distinct()
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .$if(afterId !== null, (q) => q.where('object_id', '>', afterId as string))
      .$if(lastId !== null, (q) => q.where('object_id', '<=', lastId as string))
      .orderBy('object_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.object_id);
  }

  async histories(portalId: PortalId, keys: readonly RecordKey[]): Promise<LedgerRow[][]> {
    return recordHistories(this.db, portalId, keys);
  }

  /** The portals that have a ledger (admin tooling: the report CLI's default portal, the dashboard's picker). */
  async portals(): Promise<PortalId[]> {
    return portalIdsIn(this.db, 'ledger');
  }

  async recent(portalId: PortalId, query: RecentLedgerQuery): Promise<LedgerEntry[]> {
    const { objectType, stage, kind, after, limit } = query;
    const rows = await this.db
      .selectFrom('ledger')
      .selectAll()
      .where('portal_id', '=', portalId)
      .$if(objectType !== undefined, (q) => q.where('object_type', '=', objectType as ObjectType))
      .$if(stage !== undefined, (q) => q.where('to_stage', '=', stage as string))
      .$if(kind !== undefined, (q) => q.where('kind', '=', kind as string))
      .$if(after !== undefined, (q) =>
        q.where((eb) => {
          const { occurredAt, transitionId } = after as NonNullable<RecentLedgerQuery['after']>;
          return eb.or([eb('occurred_at', '<', occurredAt), eb.and([eb('occurred_at', '=', occurredAt), eb('transition_id', '<', transitionId)])]);
        }),
      )
      .orderBy('occurred_at', 'desc')
      .orderBy('transition_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toLedgerEntry);
  }

  /** By occurredAt; same-instant moves in the order they were appended (an entry, then its immediate Fastpass). */
  private inTimeOrder<Q extends { orderBy: (column: 'occurred_at' | 'recorded_at' | 'recorded_position' | 'transition_id') => Q }>(query: Q): Q {
    return query.orderBy('occurred_at').orderBy('recorded_at').orderBy('recorded_position').orderBy('transition_id');
  }
}

/**
 * Appends entries; a transition id already in the ledger is skipped, so a replayed commit adds nothing twice.
 * Returns the transition ids actually inserted (what the aggregates must count).
 */
export async function appendLedgerEntries(db: Kysely<Database>, portalId: PortalId, entries: LedgerEntry[], now: number): Promise<Set<string>> {
  return appendLedgerOfCommits(db, portalId, [entries], now);
}

/**
 * Appends the ledger entries of several commits in multi-row statements (inStatementChunks), each row with its position
 * in its own commit (as appended one commit at a time), ON CONFLICT DO NOTHING on (portal, transition id). Returns
 * the transition ids actually inserted.
 */
export async function appendLedgerOfCommits(db: Kysely<Database>, portalId: PortalId, commits: ReadonlyArray<readonly LedgerEntry[]>, now: number): Promise<Set<string>> {
  const inserted = new Set<string>();
  const rows = commits.flatMap((entries) => entries.map((entry, position) => ledgerRowOf(portalId, entry, position, now)));
  for (const chunk of inStatementChunks(rows)) {
    const returned = await db
      .insertInto('ledger')
      .values(chunk)
      .onConflict((conflict) => conflict.columns(['portal_id', 'transition_id']).doNothing())
      .returning('transition_id')
      .execute();
    for (const row of returned) inserted.add(row.transition_id);
  }
  return inserted;
}

/** The stored row of a ledger entry appended at `now`, `position`-th in its commit. */
export function ledgerRowOf(portalId: PortalId, entry: LedgerEntry, position: number, now: number): LedgerTable {
  return {
    portal_id: portalId,
    transition_id: entry.transitionId,
    object_type: entry.objectType,
    object_id: entry.objectId,
    from_stage: entry.fromStage,
    to_stage: entry.toStage,
    kind: entry.kind,
    skipped: JSON.stringify(entry.skipped),
    rule_id: entry.ruleId,
    reason: entry.reason,
    reason_code: entry.reasonCode,
    evidence: JSON.stringify(entry.evidence),
    occurred_at: entry.occurredAt,
    source: entry.source,
    actor: entry.actor,
    recorded_at: now,
    recorded_position: position,
    merged_from_object_id: null,
    model_revision: entry.modelRevision ?? null,
  };
}

function toLedgerEntry(row: LedgerTable): LedgerEntry {
  return {
    transitionId: row.transition_id,
    objectType: row.object_type as ObjectType,
    objectId: row.object_id,
    fromStage: row.from_stage,
    toStage: row.to_stage,
    kind: row.kind as LedgerEntry['kind'],
    skipped: JSON.parse(row.skipped) as string[],
    ruleId: row.rule_id,
    reason: row.reason,
    reasonCode: row.reason_code,
    evidence: JSON.parse(row.evidence) as string[],
    occurredAt: row.occurred_at,
    source: row.source as LedgerEntry['source'],
    actor: row.actor,
    ...(row.model_revision === null || row.model_revision === undefined ? {} : { modelRevision: Number(row.model_revision) }),
  };
}
