import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import type { OpenDatabase } from './database';
import { allMigrations } from './migrations';

/** Migrations see the schema as it was when they were written, not today's `Database` type (Kysely's idiom). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
type MigrationConnection = Kysely<any>;

/**
 * Brings the database to the latest schema; a no-op when it is there. Safe when several processes start at once:
 * the whole run (schema creation included) holds the database's migration lock on one connection —
 * a PostgreSQL advisory lock per schema, SQLite's write lock (BEGIN IMMEDIATE) — so later starters wait and then
 * find nothing to do.
 */
export async function migrateToLatest(open: OpenDatabase): Promise<void> {
  await open.db.connection().execute((connection) => (open.dialect === 'postgres' ? migratePostgres(connection, open.pgSchema) : migrateSqlite(connection)));
}

async function migratePostgres(connection: MigrationConnection, pgSchema: string | null): Promise<void> {
  const lockKey = `lifecycle-engine:migrations:${pgSchema ?? 'default'}`;
  await sql`select pg_advisory_lock(hashtext(${lockKey}))`.execute(connection);
  try {
    if (pgSchema !== null) await connection.schema.createSchema(pgSchema).ifNotExists().execute();
    // Kysely looks for its bookkeeping tables in every schema unless told which one: name ours explicitly.
    const schema = pgSchema ?? (await currentSchema(connection));
    await retryWhileAnotherSchemaIsDropped(() => runMigrations(connection, 'postgres', schema));
  } finally {
    await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(connection);
  }
}

/**
 * Kysely's migrator looks for its bookkeeping table by introspecting every schema of the database, and
 * has_schema_privilege() fails with "schema … does not exist" (3F000) when another schema is dropped during that
 * scan (seen with tests dropping their schemas while three instances start). Nothing was changed by then: try again.
 */
async function retryWhileAnotherSchemaIsDropped(migrate: () => Promise<void>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrate();
    } catch (error) {
      const code = ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code;
      if (code !== '3F000' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function migrateSqlite(connection: MigrationConnection): Promise<void> {
  await sql`begin immediate`.execute(connection);
  try {
    await runMigrations(connection, 'sqlite', undefined);
    await sql`commit`.execute(connection);
  } catch (error) {
    await sql`rollback`.execute(connection);
    throw error;
  }
}

async function runMigrations(connection: MigrationConnection, dialect: OpenDatabase['dialect'], schema: string | undefined): Promise<void> {
  const migrator = new Migrator({
    db: connection,
    provider: { getMigrations: async () => allMigrations(dialect) },
    // Migration numbers are handed out per branch and land on main in any order (0018 before 0017): a database
    // that already ran a later number still gets an earlier one that arrives after it. Each migration stands alone.
    allowUnorderedMigrations: true,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  throwOnFailure(await migrator.migrateToLatest());
}

async function currentSchema(connection: MigrationConnection): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(connection);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new Error('PostgreSQL has no current schema (empty search_path)');
  return schema;
}

function throwOnFailure({ error, results }: MigrationResultSet): void {
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
