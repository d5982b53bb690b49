import type { Kysely, Transaction } from 'kysely';
import type { RateWindow, SharedRateBudgetPort, SlotGrant } from '../../app/ports/rate-budget';
import type { PortalId } from '../../app/ports/store-ports';
import type { StoreDialect } from './database';
import type { Database } from './schema';

/**
 * The HubSpot request budget of each portal, shared by every process on this database. A take is one short
 * transaction that first locks the portal's budget row (PostgreSQL: SELECT … FOR UPDATE; SQLite: the write lock of
 * BEGIN IMMEDIATE), so concurrent takers are served one at a time and can never both take the window's last slot.
 * Times come from the callers' clocks, like lease times: instances must keep their clocks in sync (NTP).
 */
export class RateBudgetRepository implements SharedRateBudgetPort {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
  ) {}

  async take(portalId: PortalId, budget: string, window: RateWindow, now: number): Promise<SlotGrant> {
    return this.db.transaction().execute(async (trx) => {
      const { blocked_until: blockedUntil } = await this.lockBudget(trx, portalId, budget);
      if (now < blockedUntil) return { granted: false, retryAt: blockedUntil };
      await trx
        .deleteFrom('rate_budget_requests')
        .where('portal_id', '=', portalId)
        .where('budget', '=', budget)
        .where('sent_at', '<=', now - window.windowMs)
        .execute();
      // The request whose expiry frees a slot: the maxRequests-th newest. None means the window has room.
      const blocking = await trx
        .selectFrom('rate_budget_requests')
        .select('sent_at')
        .where('portal_id', '=', portalId)
        .where('budget', '=', budget)
        .orderBy('sent_at', 'desc')
        .offset(Math.max(0, window.maxRequests - 1))
        .limit(1)
        .executeTakeFirst();
      if (blocking !== undefined) return { granted: false, retryAt: blocking.sent_at + window.windowMs };
      await trx.insertInto('rate_budget_requests').values({ portal_id: portalId, budget, sent_at: now }).execute();
      return { granted: true };
    });
  }

  async holdUntil(portalId: PortalId, budget: string, until: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.lockBudget(trx, portalId, budget);
      await trx.updateTable('rate_budgets').set({ blocked_until: until }).where('portal_id', '=', portalId).where('budget', '=', budget).where('blocked_until', '<', until).execute();
    });
  }

  /** The budget's row, locked for this transaction; created on first use. */
  private async lockBudget(trx: Transaction<Database>, portalId: PortalId, budget: string): Promise<{ blocked_until: number }> {
    const select = () =>
      trx
        .selectFrom('rate_budgets')
        .select('blocked_until')
        .where('portal_id', '=', portalId)
        .where('budget', '=', budget)
        .$if(this.dialect === 'postgres', (query) => query.forUpdate())
        .executeTakeFirst();
    const existing = await select();
    if (existing !== undefined) return existing;
    await trx
      .insertInto('rate_budgets')
      .values({ portal_id: portalId, budget, blocked_until: 0 })
      .onConflict((conflict) => conflict.columns(['portal_id', 'budget']).doNothing())
      .execute();
    const created = await select();
    if (created === undefined) throw new Error(`rate budget ${budget} of portal ${portalId} could not be created`);
    return created;
  }
}
