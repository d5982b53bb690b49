import { sql, type Kysely } from 'kysely';
import type { LedgerAggregatePort, Store } from '../../app/ports/store-ports';
import { openDatabase, openPostgresReaders, type DatabaseOptions } from './database';
import { isInMemory, parseDatabaseUrl } from './database-url';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startBackgroundCheckpointer, type BackgroundCheckpointer, type CheckpointResult } from './sqlite-checkpointer';
import { AlertRepository } from './alert-repository';
import { AssociationRepository } from './association-repository';
import { CursorRepository } from './cursor-repository';
import { DeadLetterRepository } from './dead-letter-repository';
import { FactEventRepository } from './fact-event-repository';
import { InboxRepository, type InboxGroupCommitOptions } from './inbox-repository';
import type { Database } from './schema';
import { InstallationRepository } from './installation-repository';
import { LedgerAggregateRepository, REPORT_CONNECTIONS, REPORT_READ_SETTINGS } from './ledger-aggregate-repository';
import { rebuildWithCheckpoints } from './ledger-aggregate-rebuild';
import { LedgerRepository } from './ledger-repository';
import { migrateToLatest } from './migrator';
import { ModelRevisionRepository } from './model-revision-repository';
import { PreviewJobRepository } from './preview-job-repository';
import { OAuthStateRepository } from './oauth-state-repository';
import { OutboxRepository } from './outbox-repository';
import { ProvisionedAssetRepository } from './provisioned-asset-repository';
import { RateBudgetRepository } from './rate-budget-repository';
import { erasedRecords, mergeRecords, purgeRecord } from './record-maintenance';
import { RecordPropertyRepository } from './record-property-repository';
import { StateRepository } from './state-repository';
import { UnitOfWork } from './unit-of-work';
import { WorkflowExecutionRepository } from './workflow-execution-repository';
import { BlockedActionRepository } from './blocked-action-repository';

export interface StoreOptions extends DatabaseOptions {
  /** How the inbox commits concurrent deliveries (group commit by default). */
  inbox?: InboxGroupCommitOptions;
  /**
   * SQLite file: where WAL checkpoints run. 'background' (default): a worker thread checkpoints on a timer, off the
   * request path (see sqlite-checkpointer.ts). 'inline': SQLite's automatic checkpoint inside the commit that crosses
   * 1,000 WAL pages.
   */
  sqliteCheckpoints?: 'background' | 'inline';
  /**
   * false: open without migrating, for a second connection of a process that has already migrated (the replay's
   * worker thread). Migrating takes SQLite's write lock (BEGIN IMMEDIATE) even when there is nothing to do, and the
   * serving connection's commits would wait behind it.
   */
  migrate?: boolean;
  /** Background checkpoints: how often (default BACKGROUND_CHECKPOINT_INTERVAL_MS), and told after each. */
  checkpointIntervalMs?: number;
  onCheckpoint?: (result: CheckpointResult) => void;
}

/**
 * Opens the database named by the URL (see parseDatabaseUrl), migrates it to the latest schema and returns the
 * store. SQLite: one Store per file per process (better-sqlite3 waits for locks synchronously, so two connections
 * in one process can block each other); any number of processes. PostgreSQL: any number of stores and processes.
 */
export async function createStore(databaseUrl: string, options: StoreOptions = {}): Promise<Store> {
  const database = openDatabase(databaseUrl, options);
  const { db, dialect } = database;
  try {
    if (options.migrate !== false) await migrateToLatest(database);
  } catch (error) {
    await db.destroy();
    throw withoutCredentials(error, databaseUrl);
  }
  const checkpointer = await backgroundCheckpointer(databaseUrl, database, options);
  const reports = openPostgresReaders(databaseUrl, options, REPORT_READ_SETTINGS, REPORT_CONNECTIONS);
  const inbox = new InboxRepository(db, dialect, options.inbox);
  return {
    dialect,
    inbox,
    states: new StateRepository(db),
    factEvents: new FactEventRepository(db),
    recordProperties: new RecordPropertyRepository(db, dialect),
    ledger: new LedgerRepository(db),
    aggregates: new LedgerAggregateRepository(db, dialect, reports),
    outbox: new OutboxRepository(db, dialect),
    deadLetters: new DeadLetterRepository(db),
    cursors: new CursorRepository(db),
    unitOfWork: new UnitOfWork(db, dialect),
    associations: new AssociationRepository(db),
    workflowExecutions: new WorkflowExecutionRepository(db),
    blockedActions: new BlockedActionRepository(db),
    installations: new InstallationRepository(db),
    oauthStates: new OAuthStateRepository(db),
    alerts: new AlertRepository(db),
    rateBudgets: new RateBudgetRepository(db, dialect),
    provisionedAssets: new ProvisionedAssetRepository(db),
    modelRevisions: new ModelRevisionRepository(db),
    previewJobs: new PreviewJobRepository(db),
    purgeRecord: (portalId, key, now) => purgeRecord(db, dialect, portalId, key, now),
    erasedRecords: (portalId, keys) => erasedRecords(db, portalId, keys),
    mergeRecords: (portalId, objectType, winnerId, loserIds, now) => mergeRecords(db, dialect, portalId, objectType, winnerId, loserIds, now),
    rebuildAggregates: (options) => rebuildWithCheckpoints(db, { ...options, dialect }),
    ping: async () => {
      await db.selectNoFrom((eb) => eb.val(1).as('alive')).execute();
    },
    close: async () => {
      // Deliveries already waiting for their group are committed (and answered) before the connection goes.
      await inbox.settled();
      // The main connection goes first, at once: a close is what a stopping worker (or a crash test) relies on to end
      // this process's writes, and waiting for the checkpointer thread first left the pipeline a window to go on.
      // The checkpointer's own connection, closed last, checkpoints what the WAL still holds.
      await db.destroy();
      await reports?.destroy();
      await checkpointer?.stop();
    },
  };
}

/**
 * A connection that only reads the ledger's aggregates, for a thread of a process whose store is already open (and
 * so migrated): the report readers' (src/main/reports). It takes no lock and starts no checkpointer.
 */
export function openAggregateReader(databaseUrl: string, options: DatabaseOptions = {}): { aggregates: LedgerAggregatePort; close: () => Promise<void> } {
  const { db, dialect } = openDatabase(databaseUrl, options);
  const reports = openPostgresReaders(databaseUrl, options, REPORT_READ_SETTINGS, REPORT_CONNECTIONS);
  return {
    aggregates: new LedgerAggregateRepository(db, dialect, reports),
    close: async () => {
      await db.destroy();
      await reports?.destroy();
    },
  };
}

/** The SQLite file's checkpointer thread, and the main connection's automatic checkpoint raised to a backstop. */
async function backgroundCheckpointer(databaseUrl: string, { db, dialect }: { db: Kysely<Database>; dialect: string }, options: StoreOptions): Promise<BackgroundCheckpointer | null> {
  if (dialect !== 'sqlite' || options.sqliteCheckpoints === 'inline') return null;
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect !== 'sqlite' || isInMemory(target.filename)) return null;
  const checkpointer = startBackgroundCheckpointer(target.filename, {
    ...(options.checkpointIntervalMs === undefined ? {} : { intervalMs: options.checkpointIntervalMs }),
    ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
  });
  await sql.raw(`pragma wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`).execute(db);
  return checkpointer;
}

/** A driver error may quote the connection string; the password never leaves this function. */
function withoutCredentials(error: unknown, databaseUrl: string): unknown {
  const password = /\/\/[^:@/]*:([^@/]*)@/.exec(databaseUrl)?.[1];
  if (!password || !(error instanceof Error)) return error;
  const scrub = (text: string) => text.split(password).join('***').split(decodeURIComponent(password)).join('***');
  error.message = scrub(error.message);
  if (error.stack) error.stack = scrub(error.stack);
  return error;
}
