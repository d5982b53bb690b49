import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const DEFAULT_CAPACITY = 256;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing a 100-row insert (1,600 parameters) costs about as
 * much as running it. The same SQL texts recur (webhook batches, claims, commits), so prepared statements are kept,
 * least recently used evicted first. Safe because better-sqlite3 runs a statement to completion synchronously and the
 * store never streams a query, so no statement is used by two queries at once.
 */
export function withStatementCache(connection: BetterSqlite3.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      connection.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached) {
        // Re-inserted so the Map's insertion order stays least-recently-used first.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = connection.prepare(sql) as unknown as SqliteStatement;
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
