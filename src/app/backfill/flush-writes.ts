import { deliverOutboxOnce, type DeliveryDeps } from '../pipeline/deliver-outbox';
import type { PortalId } from '../ports/store-ports';

/** HubSpot's batch update takes 100 inputs: a partial batch costs the same call as a full one. */
export const WRITE_BATCH = 100;

/**
 * Delivers the portal's queued writes through the outbox (coalescing, clear-then-set, retries), but only in full
 * batches of 100 unless `final`: between commit units the remainder waits for the next unit's writes, so a
 * backfill spends one call per 100 changed records. Returns the calls made.
 */
export async function flushWrites(deps: DeliveryDeps, portalId: PortalId, options: { final: boolean }): Promise<number> {
  let calls = 0;
  let idleWaits = 0;
  for (;;) {
    const pending = await deps.store.outbox.pendingCount(portalId);
    if (pending === 0 || (!options.final && pending < WRITE_BATCH)) return calls;
    const delivered = await deliverOutboxOnce(deps, portalId);
    calls += delivered.calls;
    if (delivered.calls > 0) continue;
    // Nothing deliverable now: a 429 or 5xx put writes back a few seconds, or the live worker holds them. At the end
    // wait out short retries; anything longer (a parked daily limit) is left to the pipeline's delivery loop.
    if (!options.final || idleWaits++ >= FINAL_RETRY_WAITS) return calls;
    await deps.clock.sleep(FINAL_RETRY_WAIT_MS);
  }
}

const FINAL_RETRY_WAITS = 30;
const FINAL_RETRY_WAIT_MS = 2_000;
