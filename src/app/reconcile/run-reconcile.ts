import type { PortalId } from '../ports/store-ports';
import type { SearchFilter } from '../ports/hubspot-port';
import { scanProperties } from '../backfill/contact-read-properties';
import { inUnits, scanById } from '../backfill/contact-id-scan';
import { flushWrites } from '../backfill/flush-writes';
import type { BackfillDeps } from '../backfill/run-backfill';
import { addTally, emptyTally, syncContacts, type SyncPolicy, type SyncTally } from '../backfill/sync-contacts';
import { contactsOfChangedDeals } from './deals-changed';
import { loadWatermark, saveWatermark } from './reconcile-watermark';
import { hasActivitySince, hasUnseenActivity } from './unseen-activity';

export interface ReconcileOptions {
  /** Search is eventually consistent: each sweep starts this long before the watermark (default 10 min). */
  marginMs?: number;
  /** With no watermark yet (no backfill ran): how far back the first sweep looks (default 24 h, HubSpot's webhook retry window). */
  firstLookbackMs?: number;
  commitEvery?: number;
  pageSize?: number;
}

export interface ReconcileSummary extends SyncTally {
  portalId: PortalId;
  /** The window swept: lastmodifieddate in (since, until]. */
  since: number;
  until: number;
  contactsOfChangedDeals: number;
  writeCalls: number;
}

export const DEFAULT_RECONCILE_MARGIN_MS = 10 * 60_000;
export const DEFAULT_FIRST_LOOKBACK_MS = 24 * 60 * 60_000;

/**
 * The drift repair behind webhooks (reliability.md R17): contacts (and deals) modified since the watermark are found
 * by search, re-evaluated — with their value history where they show activity we never stored, so every event of an
 * outage is recovered, not just the latest value — written back where HubSpot differs, and the watermark advances
 * to the sweep's start. Contacts active inside the window are read with history too: its latest value may hide
 * more (R23). A sweep that fails leaves the watermark alone; the next one covers the same window again.
 */
export async function runReconcile(deps: BackfillDeps, portalId: PortalId, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const until = deps.clock.now();
  const watermark = (await loadWatermark(deps.store, portalId)) ?? until - (options.firstLookbackMs ?? DEFAULT_FIRST_LOOKBACK_MS);
  const since = watermark - (options.marginMs ?? DEFAULT_RECONCILE_MARGIN_MS);
  const window = (property: string): SearchFilter[] => [
    { propertyName: property, operator: 'GT', value: String(since) },
    { propertyName: property, operator: 'LTE', value: String(until) },
  ];
  const delivery = { store: deps.store, hubspot: () => deps.hubspot, clock: deps.clock, logger: deps.logger, workerId: deps.workerId };

  const fromDeals = new Set(await contactsOfChangedDeals(deps.hubspot, deps.clock, window('hs_lastmodifieddate')));
  const policy: SyncPolicy = {
    readHistoryOf: (record, stored, storedEvents) => stored === null || fromDeals.has(record.id) || hasUnseenActivity(record, storedEvents) || hasActivitySince(record, since),
    notifyOwners: true,
  };
  const summary: ReconcileSummary = { ...emptyTally(), portalId, since, until, contactsOfChangedDeals: fromDeals.size, writeCalls: 0 };
  const pages = scanById({
    hubspot: deps.hubspot,
    clock: deps.clock,
    objectType: 'contact',
    properties: scanProperties(deps.model),
    afterId: null,
    filters: window('lastmodifieddate'),
    pageSize: options.pageSize,
  });
  for await (const unit of inUnits(pages, { max: options.commitEvery ?? 10_000 })) {
    addTally(summary, await syncContacts(deps, portalId, unit.records, policy));
    unit.records.forEach((r) => fromDeals.delete(r.id));
    summary.writeCalls += await flushWrites(delivery, portalId, { final: false });
  }
  // Contacts of changed deals that were not themselves modified.
  if (fromDeals.size > 0) addTally(summary, await syncContacts(deps, portalId, [], policy, [...fromDeals]));
  summary.writeCalls += await flushWrites(delivery, portalId, { final: true });
  await saveWatermark(deps.store, portalId, until, deps.clock.now());
  return summary;
}
