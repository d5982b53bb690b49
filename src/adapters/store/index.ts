/** Storage adapter: SQLite (default, zero set-up) or PostgreSQL behind the store ports. */
export { createStore, openAggregateReader, type StoreOptions } from './store';
export { assertDatabaseExists, defaultDatabaseUrl, parseDatabaseUrl, redactDatabaseUrl, sqliteFileOf, type DatabaseTarget } from './database-url';
