import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types, type CustomTypesConfig } from 'pg';
import { isInMemory, parseDatabaseUrl } from './database-url';
import type { Database } from './schema';
import { SqliteImmediateDialect } from './sqlite-immediate-dialect';
import { withStatementCache } from './sqlite-statement-cache';

export type StoreDialect = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** PostgreSQL: the schema the store lives in (created if missing; set as search_path). Default: the server's. */
  pgSchema?: string;
  /** PostgreSQL: connections per process. */
  pgPoolSize?: number;
  /** SQLite: how long a writer waits for another process's write lock before failing. */
  sqliteBusyTimeoutMs?: number;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** PostgreSQL schema the tables live in; null on SQLite. */
  pgSchema: string | null;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const DEFAULT_PG_POOL_SIZE = 10;
/** SQLite page cache of the store's connection: 64 MiB. */
const SQLITE_CACHE_KIB = 65_536;

export function openDatabase(url: string, options: DatabaseOptions = {}): OpenDatabase {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    return { db: openSqlite(target.filename, options), dialect: 'sqlite', pgSchema: null };
  }
  const { connectionString, pgSchema } = postgresTarget(target.connectionString, options);
  return { db: openPostgres(connectionString, pgSchema, options), dialect: 'postgres', pgSchema };
}

/** The connection string pg sees and the schema the store lives in (the option, else the URL's `?schema=`). */
function postgresTarget(url: string, options: DatabaseOptions): { connectionString: string; pgSchema: string | null } {
  const { connectionString, schema } = schemaFromUrl(url);
  const requested = options.pgSchema ?? schema;
  return { connectionString, pgSchema: requested === undefined ? null : checkedSchemaName(requested) };
}

/**
 * `postgres://…/db?schema=name` puts the store in that schema (as `pgSchema` does); the parameter is ours, so it is
 * taken out of the URL before pg sees it. An explicit `pgSchema` option wins.
 */
function schemaFromUrl(connectionString: string): { connectionString: string; schema: string | undefined } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { connectionString, schema: undefined };
  }
  const schema = url.searchParams.get('schema');
  if (schema === null) return { connectionString, schema: undefined };
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

function openSqlite(filename: string, options: DatabaseOptions): Kysely<Database> {
  const connection = new BetterSqlite3(filename);
  // WAL lets readers run beside the writer; FULL fsyncs at every commit, because we acknowledge HubSpot only after
  // the inbox commit and NORMAL could lose the last commits on power loss.
  if (!isInMemory(filename)) connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma(`busy_timeout = ${Math.trunc(options.sqliteBusyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
  // A report reads a few thousand index entries and rows spread over the aggregate tables; with SQLite's default
  // page cache (2,000 pages, 8 MB) those pages were read again through the OS on every call (B7: 365-day report
  // 18–21 → 14–15 ms of CPU at 100,000 contacts). Negative = KiB; pages are allocated only as they are read.
  connection.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  return new Kysely<Database>({ dialect: new SqliteImmediateDialect({ database: withStatementCache(connection) }) });
}

function openPostgres(connectionString: string, pgSchema: string | null, options: DatabaseOptions, settings: ReadonlyArray<readonly [string, string]> = []): Kysely<Database> {
  // Settings go in the startup packet: they hold for every statement of every connection, at no round trip.
  const startup = [...(pgSchema === null ? [] : [['search_path', pgSchema] as const]), ...settings].map(([name, value]) => `-c ${name}=${value}`);
  const pool = new Pool({
    connectionString,
    max: options.pgPoolSize ?? DEFAULT_PG_POOL_SIZE,
    types: int8AsNumber,
    ...(startup.length === 0 ? {} : { options: startup.join(' ') }),
  });
  // An idle connection dropped by the server must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * PostgreSQL: a second pool of the database named by the URL, whose connections carry `settings` (planner settings
 * for one kind of read) from their start, with at most `connections` of them. null on SQLite.
 */
export function openPostgresReaders(url: string, options: DatabaseOptions, settings: ReadonlyArray<readonly [string, string]>, connections: number): Kysely<Database> | null {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'postgres') return null;
  for (const [name, value] of settings) {
    // They go into a connection option: only plain names and values.
    if (!/^[a-z_]+$/.test(name) || !/^[a-z0-9_]+$/.test(value)) throw new Error(`Invalid PostgreSQL setting: ${name}=${value}`);
  }
  const { connectionString, pgSchema } = postgresTarget(target.connectionString, options);
  return openPostgres(connectionString, pgSchema, { ...options, pgPoolSize: connections }, settings);
}

/**
 * pg returns BIGINT (epoch ms, ids, COUNT) as strings by default. Our values fit in a double, so parse them —
 * per pool, not through the global type registry other pg users share.
 */
const INT8_OID: number = types.builtins.INT8;
const int8AsNumber: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseSafeInteger : (types.getTypeParser(oid, format) as (text: string) => unknown)) as CustomTypesConfig['getTypeParser'],
};

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`BIGINT ${text} does not fit in a JavaScript number`);
  return value;
}

function checkedSchemaName(name: string): string {
  // It goes into a connection option and DDL, so only plain identifiers are accepted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid PostgreSQL schema name: ${name}`);
  return name;
}
