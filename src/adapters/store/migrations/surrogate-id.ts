import type { CreateTableBuilder, Kysely } from 'kysely';
import type { StoreDialect } from '../database';

/**
 * Starts a table whose rows have a numeric id (queues, alerts, dead letters). PostgreSQL: an identity column under
 * a (portal_id, id) primary key, so the portal leads the key (and the table can be partitioned by portal later).
 * SQLite cannot auto-increment a column of a composite key, so there the id is the rowid (AUTOINCREMENT: never
 * reused, so a dead letter's ref_id cannot come to point at a newer row); every index still leads with portal_id.
 */
export function createTableWithSurrogateId(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
  db: Kysely<any>,
  dialect: StoreDialect,
  name: string,
): CreateTableBuilder<string, 'id' | 'portal_id'> {
  const table = db.schema.createTable(name);
  if (dialect === 'sqlite') {
    return table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement()).addColumn('portal_id', 'bigint', (col) => col.notNull());
  }
  return table
    .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity())
    .addColumn('portal_id', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint(`${name}_pk`, ['portal_id', 'id']);
}
