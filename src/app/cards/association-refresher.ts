import type { Logger } from 'pino';
import type { ObjectType } from '../../core';
import { chunk } from '../pipeline/chunk';
import { BATCH_READ_LIMIT } from '../pipeline/read-contact-facts';
import type { Clock } from '../ports/clock';
import type { CrmRecord, HubSpotPort } from '../ports/hubspot-port';
import type { AssociationPort, PortalId, RecordKey } from '../ports/store-ports';

/** How long stored associations serve the cards before a background re-read; association changes are rare. */
export const ASSOCIATION_TTL_MS = 15 * 60_000;

/** What each card needs around its record: the company card its contacts, the deal card its contacts and company. */
const NEEDS: Partial<Record<ObjectType, Array<{ type: ObjectType; labelled: boolean }>>> = {
  company: [{ type: 'contact', labelled: false }],
  deal: [
    { type: 'contact', labelled: true },
    { type: 'company', labelled: true },
  ],
};

/** True once every association type the record's card needs has been read at least once. */
export function associationsRead(objectType: ObjectType, refreshedAt: Partial<Record<ObjectType, number>>): boolean {
  return (NEEDS[objectType] ?? []).every(({ type }) => refreshedAt[type] !== undefined);
}

const LABEL_PROPERTIES: Record<ObjectType, string[]> = {
  contact: ['firstname', 'lastname', 'email'],
  company: ['name', 'domain'],
  deal: ['dealname'],
};

function labelOf(type: ObjectType, record: CrmRecord): string {
  const p = record.properties;
  if (type === 'contact') return [p['firstname'], p['lastname']].filter(Boolean).join(' ') || p['email'] || `Contact ${record.id}`;
  if (type === 'company') return p['name'] || p['domain'] || `Company ${record.id}`;
  return p['dealname'] || `Deal ${record.id}`;
}

/**
 * Keeps the stored associations of companies and deals current without making a card wait for HubSpot
 * (stale-while-revalidate): a card reads what is stored and asks for a refresh when it is missing or older than the
 * TTL; the refresh runs in the background, at most one per record at a time. The first view of a record nobody
 * has looked at yet therefore answers "not synced" and the next one has the data — the price of never putting a
 * HubSpot call (and its rate limits) on the card's hot path.
 */
export class AssociationRefresher {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: { associations: AssociationPort; hubspot: (portalId: PortalId) => HubSpotPort; clock: Clock; logger: Logger; ttlMs?: number }) {}

  /** Schedules a refresh when any association type the card needs was never read or is older than the TTL. */
  refreshIfStale(portalId: PortalId, key: RecordKey, refreshedAt: Partial<Record<ObjectType, number>>): void {
    const ttl = this.deps.ttlMs ?? ASSOCIATION_TTL_MS;
    const now = this.deps.clock.now();
    const stale = (NEEDS[key.objectType] ?? []).some(({ type }) => (refreshedAt[type] ?? -Infinity) + ttl <= now);
    if (stale) void this.refresh(portalId, key);
  }

  /** Reads the associations from HubSpot now and stores them; concurrent calls for one record share one read. */
  refresh(portalId: PortalId, key: RecordKey): Promise<void> {
    const flightKey = `${portalId}:${key.objectType}:${key.objectId}`;
    const running = this.inFlight.get(flightKey);
    if (running) return running;
    const run = this.read(portalId, key)
      .catch((error: unknown) => this.deps.logger.warn({ portalId, ...key, err: error }, 'association refresh failed; the card keeps its stored view'))
      .finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, run);
    return run;
  }

  /** Resolves when no refresh is running (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  private async read(portalId: PortalId, key: RecordKey): Promise<void> {
    const hubspot = this.deps.hubspot(portalId);
    for (const { type, labelled } of NEEDS[key.objectType] ?? []) {
      const ids = (await hubspot.associations(key.objectType, type, [key.objectId])).get(key.objectId) ?? [];
      const labels = new Map<string, string>();
      if (labelled) {
        for (const batch of chunk(ids, BATCH_READ_LIMIT)) {
          for (const record of (await hubspot.batchRead(type, batch, LABEL_PROPERTIES[type])).records) labels.set(record.id, labelOf(type, record));
        }
      }
      const associated = ids.map((objectId) => ({ objectId, label: labels.get(objectId) ?? '' }));
      await this.deps.associations.replace(portalId, key, type, associated, this.deps.clock.now());
    }
  }
}
