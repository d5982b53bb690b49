import type { PortalId } from './store-ports';

/** Where one journal entry can be downloaded, the offset that names it, and the install whose journal it is in. */
export interface JournalPointer {
  portalId: PortalId;
  offset: string;
  url: string;
}

/**
 * HubSpot's webhooks journal for one install (the local journal, `installPortalId`): the last 3 days of the app's
 * subscribed events in order. `next` answers null when nothing follows the offset yet and 'expired' when the offset
 * is older than the journal keeps (or unknown to it).
 */
export interface WebhooksJournalPort {
  earliest(portalId: PortalId): Promise<JournalPointer | null>;
  next(portalId: PortalId, offset: string): Promise<JournalPointer | null | 'expired'>;
  /** The entry's JSON, as HubSpot stored it (parsed by the caller). */
  download(pointer: JournalPointer): Promise<unknown>;
}
