import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../database';
import { createTableWithSurrogateId } from './surrogate-id';

/**
 * HubSpot's request budget per portal, shared by every backend instance on this database:
 * - rate_budgets: one row per (portal, budget) — the row every taker locks, so slots are handed out one at a time
 *   across processes, and the 429 back-off (`blocked_until`) that all instances must respect;
 * - rate_budget_requests: when each request of the current window was sent (a sliding log, pruned as the window
 *   moves: at most the budget's capacity rows per portal), so the window is exactly HubSpot's rolling one.
 */
export function sharedRateBudget(dialect: StoreDialect): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('rate_budgets')
        .addColumn('portal_id', 'bigint', (col) => col.notNull())
        .addColumn('budget', 'text', (col) => col.notNull())
        .addColumn('blocked_until', 'bigint', (col) => col.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('rate_budgets_pk', ['portal_id', 'budget'])
        .execute();

      await createTableWithSurrogateId(db, dialect, 'rate_budget_requests')
        .addColumn('budget', 'text', (col) => col.notNull())
        .addColumn('sent_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('rate_budget_requests_window_idx').on('rate_budget_requests').columns(['portal_id', 'budget', 'sent_at']).execute();
    },
  };
}
