import { z } from 'zod';
import type { ReevaluationView } from '../../contracts/settings-api';
import { syncContacts, type SyncDeps } from '../backfill/sync-contacts';
import { BATCH_READ_LIMIT } from '../pipeline/read-contact-facts';
import type { PortalId, Store } from '../ports/store-ports';

/** Named per-portal cursor (store.cursors) of "re-evaluate every record now". */
export const REEVALUATION_CURSOR = 'models:reevaluation';

const ReevaluationCursorSchema = z.object({
  revision: z.number().int().positive().nullable(),
  startedBy: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** The last contact id whose batch is committed; null before the first batch. */
  after: z.string().nullable(),
  recordsDone: z.number().int().nonnegative(),
  transitions: z.number().int().nonnegative(),
});
type ReevaluationCursor = z.infer<typeof ReevaluationCursorSchema>;

async function load(store: Pick<Store, 'cursors'>, portalId: PortalId): Promise<ReevaluationCursor | null> {
  const stored = await store.cursors.get(portalId, REEVALUATION_CURSOR);
  return stored ? ReevaluationCursorSchema.parse(JSON.parse(stored.value)) : null;
}

const save = (store: Pick<Store, 'cursors'>, portalId: PortalId, cursor: ReevaluationCursor, now: number) => store.cursors.set(portalId, REEVALUATION_CURSOR, JSON.stringify(cursor), now);

const view = (cursor: ReevaluationCursor): ReevaluationView => ({
  revision: cursor.revision,
  startedBy: cursor.startedBy,
  startedAt: new Date(cursor.startedAt).toISOString(),
  finishedAt: cursor.finishedAt === null ? null : new Date(cursor.finishedAt).toISOString(),
  recordsDone: cursor.recordsDone,
  transitions: cursor.transitions,
});

/** The portal's last re-evaluation, running or finished; null when none was ever started. */
export async function reevaluationProgress(deps: { store: Pick<Store, 'cursors'> }, portalId: PortalId): Promise<ReevaluationView | null> {
  const cursor = await load(deps.store, portalId);
  return cursor ? view(cursor) : null;
}

/** Starts "re-evaluate every record now" under the published revision; refused while one is still running. */
export async function startReevaluation(
  deps: { store: Pick<Store, 'cursors'> },
  portalId: PortalId,
  revision: number | null,
  startedBy: string | null,
  now: number,
): Promise<{ outcome: 'started'; progress: ReevaluationView } | { outcome: 'running'; progress: ReevaluationView }> {
  const current = await load(deps.store, portalId);
  if (current && current.finishedAt === null) return { outcome: 'running', progress: view(current) };
  const cursor: ReevaluationCursor = { revision, startedBy, startedAt: now, finishedAt: null, after: null, recordsDone: 0, transitions: 0 };
  await save(deps.store, portalId, cursor, now);
  return { outcome: 'started', progress: view(cursor) };
}

/**
 * One step of a running re-evaluation: the next BATCH_READ_LIMIT contacts of the ledger (in id order) read from
 * HubSpot in one batch read and decided from their stored state under the portal's current model, through the same
 * commit as the reconcile sweep (ledger, state, outbox; no owner tasks: nothing new happened to these contacts).
 * The worker runs one step per round, so it goes at the rate limit the gateway enforces, and the cursor saved after
 * each step makes it resumable: a restart continues after the last committed batch. Memory holds one batch.
 */
export async function advanceReevaluation(deps: SyncDeps, portalId: PortalId): Promise<'idle' | 'advanced' | 'finished'> {
  const cursor = await load(deps.store, portalId);
  if (!cursor || cursor.finishedAt !== null) return 'idle';
  const ids = await deps.store.ledger.recordIds(portalId, 'contact', cursor.after, BATCH_READ_LIMIT);
  const now = deps.clock.now();
  if (ids.length === 0) {
    await save(deps.store, portalId, { ...cursor, finishedAt: now }, now);
    return 'finished';
  }
  const tally = await syncContacts(deps, portalId, [], { readHistoryOf: () => false, notifyOwners: false }, ids);
  await save(deps.store, portalId, { ...cursor, after: ids.at(-1) ?? cursor.after, recordsDone: cursor.recordsDone + ids.length, transitions: cursor.transitions + tally.transitions }, now);
  return 'advanced';
}
