import { sql, type Kysely } from 'kysely';
import type { PortalId, RecordCommit, RecordKey, StatePort, StoredState } from '../../app/ports/store-ports';
import { recordKeyString, LifecycleStateSchema, type ObjectType } from '../../core';
import { inStatementChunks, isRecord, recordIn, toRecordKey } from './record-keys';
import type { Database, LifecycleStatesTable } from './schema';

export class StateRepository implements StatePort {
  constructor(private readonly db: Kysely<Database>) {}

  async getMany(portalId: PortalId, keys: RecordKey[]): Promise<Map<string, StoredState>> {
    const states = new Map<string, StoredState>();
    for (const chunk of inStatementChunks(keys)) {
      const rows = await this.db.selectFrom('lifecycle_states').selectAll().where('portal_id', '=', portalId).where(recordIn(chunk)).execute();
      for (const row of rows) states.set(recordKeyString(toRecordKey(row)), toStoredState(row));
    }
    return states;
  }

  async get(portalId: PortalId, key: RecordKey): Promise<StoredState | null> {
    const row = await this.db.selectFrom('lifecycle_states').selectAll().where('portal_id', '=', portalId).where(isRecord(key)).executeTakeFirst();
    return row === undefined ? null : toStoredState(row);
  }

  async due(portalId: PortalId, now: number, limit: number): Promise<Array<RecordKey & { wakeAt: number }>> {
    const rows = await this.db
      .selectFrom('lifecycle_states')
      .select(['object_type', 'object_id', 'wake_at'])
      .where('portal_id', '=', portalId)
      .where('wake_at', '<=', now)
      .orderBy('wake_at')
      .orderBy('object_type')
      .orderBy('object_id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...toRecordKey(row), wakeAt: row.wake_at as number }));
  }

  /** Records without a stage yet are not counted. */
  async countByStage(portalId: PortalId, objectType: ObjectType): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('lifecycle_states')
      .select((eb) => ['stage', eb.fn.countAll<number>().as('count')])
      .where('portal_id', '=', portalId)
      .where('object_type', '=', objectType)
      .where('stage', 'is not', null)
      .groupBy('stage')
      .execute();
    return new Map(rows.map((row) => [row.stage as string, Number(row.count)]));
  }
}

/**
 * Saves a record's new state if nobody saved it since it was read (optimistic concurrency): a first save inserts
 * version 1 unless a row appeared meanwhile; later saves bump the version they expect. False = conflict.
 */
export async function saveStateIfUnchanged(db: Kysely<Database>, portalId: PortalId, commit: RecordCommit, now: number): Promise<boolean> {
  const { key, state, wakeAt, expectedVersion } = commit;
  const values = {
    state: JSON.stringify(state),
    stage: state.stage,
    entered_at: state.enteredAt,
    wake_at: wakeAt,
    updated_at: now,
  };
  if (expectedVersion === null) {
    const inserted = await db
      .insertInto('lifecycle_states')
      .values({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, version: 1, ...values })
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await db
    .updateTable('lifecycle_states')
    .set({ ...values, version: expectedVersion + 1 })
    .where('portal_id', '=', portalId)
    .where(isRecord(key))
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

function toStoredState(row: LifecycleStatesTable): StoredState {
  return {
    // Parsed, not cast: a row written by an older release must not flow on in a shape the engine does not expect.
    state: LifecycleStateSchema.parse(JSON.parse(row.state)),
    version: row.version,
    wakeAt: row.wake_at,
    updatedAt: row.updated_at,
  };
}

/**
 * saveStateIfUnchanged for many records in a few statements (multi-row, inStatementChunks): first saves as one
 * `INSERT … ON CONFLICT DO NOTHING RETURNING`, later saves as one `UPDATE … FROM (VALUES …)` matching each record's
 * expected version. Each record is saved or refused exactly as it would be alone; the keys must be distinct (a
 * record saved twice in one statement would see only the state before it). Returns the keys saved
 * (recordKeyString).
 */
export async function saveStatesIfUnchanged(db: Kysely<Database>, portalId: PortalId, commits: readonly RecordCommit[], now: number): Promise<Set<string>> {
  const saved = new Set<string>();
  for (const chunk of inStatementChunks(commits.filter((c) => c.expectedVersion === null))) {
    const rows = await db
      .insertInto('lifecycle_states')
      .values(chunk.map(({ key, state, wakeAt }) => ({ portal_id: portalId, object_type: key.objectType, object_id: key.objectId, version: 1, ...stateColumns(state, wakeAt, now) })))
      .onConflict((conflict) => conflict.columns(['portal_id', 'object_type', 'object_id']).doNothing())
      .returning(['object_type', 'object_id'])
      .execute();
    for (const row of rows) saved.add(recordKeyString(toRecordKey(row)));
  }
  for (const chunk of inStatementChunks(commits.filter((c) => c.expectedVersion !== null))) {
    // VALUES columns are column1…column7 on both SQLite and PostgreSQL; the casts type PostgreSQL's parameters.
    const values = sql.join(
      chunk.map(({ key, state, wakeAt, expectedVersion }) => {
        const v = stateColumns(state, wakeAt, now);
        return sql`(cast(${key.objectType} as text), cast(${key.objectId} as text), cast(${expectedVersion} as integer), cast(${v.state} as text), cast(${v.stage} as text), cast(${v.entered_at} as bigint), cast(${v.wake_at} as bigint))`;
      }),
    );
    const { rows } = await sql<{ object_type: string; object_id: string }>`
      update lifecycle_states
      set state = v.column4, stage = v.column5, entered_at = v.column6, wake_at = v.column7, updated_at = ${now}, version = v.column3 + 1
      from (values ${values}) as v
      where lifecycle_states.portal_id = ${portalId} and lifecycle_states.object_type = v.column1 and lifecycle_states.object_id = v.column2
        and lifecycle_states.version = v.column3
      returning lifecycle_states.object_type, lifecycle_states.object_id`.execute(db);
    for (const row of rows) saved.add(recordKeyString(toRecordKey(row)));
  }
  return saved;
}

function stateColumns(state: RecordCommit['state'], wakeAt: number | null, now: number) {
  return { state: JSON.stringify(state), stage: state.stage, entered_at: state.enteredAt, wake_at: wakeAt, updated_at: now };
}
