import type { Backend } from '../main/backend';
import type { PortalId, Store } from '../app/ports/store-ports';
import { percentile } from './http-load';

/**
 * The stages a change passes on its way back to HubSpot, in order. Each is stamped, per contact, the first time the
 * benchmark sees the contact pass it; the benchmark joins them on the contact id.
 */
export const STAGES = ['received', 'claimed', 'read', 'committed', 'outboxClaimed', 'applied'] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_LABELS: Record<Stage, string> = {
  received: 'emitted → inbox row stored (webhook delivery + ingest)',
  claimed: 'inbox row → claimed by the worker',
  read: 'claimed → facts read from HubSpot',
  committed: 'facts read → decided and committed',
  outboxClaimed: 'committed → outbox write claimed',
  applied: 'outbox claimed → lc_stage applied in HubSpot',
};

/**
 * Watches the backend's own store and HubSpot gateway from the outside (the methods are wrapped, each still doing
 * all its work) and stamps when each contact passed each stage. Observation only: nothing is skipped or replaced.
 */
export class StageStamps {
  private readonly stamps = new Map<Stage, Map<string, number>>(STAGES.map((stage) => [stage, new Map<string, number>()]));

  constructor(store: Store, backend: Backend, portalId: PortalId, written: Map<string, number>) {
    this.stamps.set('applied', written);
    const insertMany = store.inbox.insertMany.bind(store.inbox);
    store.inbox.insertMany = async (portal, events, receivedAt) => {
      const stored = await insertMany(portal, events, receivedAt);
      this.mark(
        'received',
        events.filter((e) => e.objectType === 'contact').map((e) => e.objectId),
      );
      return stored;
    };
    const claim = store.inbox.claim.bind(store.inbox);
    store.inbox.claim = async (options) => {
      const events = await claim(options);
      this.mark(
        'claimed',
        events.filter((e) => e.objectType === 'contact').map((e) => e.objectId),
      );
      return events;
    };
    const commit = store.unitOfWork.commitEvaluations.bind(store.unitOfWork);
    store.unitOfWork.commitEvaluations = async (portal, commits, ...rest) => {
      const result = await commit(portal, commits, ...rest);
      this.mark(
        'committed',
        commits.filter((c) => c.key.objectType === 'contact').map((c) => c.key.objectId),
      );
      return result;
    };
    const outboxClaim = store.outbox.claim.bind(store.outbox);
    store.outbox.claim = async (portal, options) => {
      const items = await outboxClaim(portal, options);
      this.mark(
        'outboxClaimed',
        items.filter((i) => i.objectType === 'contact').map((i) => i.objectId),
      );
      return items;
    };
    const gateway = backend.gateways.get(portalId);
    if (!gateway) throw new Error(`no gateway for portal ${portalId}`);
    const batchRead = gateway.batchRead;
    (gateway as { batchRead: typeof batchRead }).batchRead = async (objectType, ids, ...rest) => {
      const result = await batchRead(objectType, ids, ...rest);
      if (objectType === 'contact') this.mark('read', ids);
      return result;
    };
  }

  /**
   * For changes emitted at `at`: each stage's share, as p50 / p99 of its own duration, and its mean over the slowest
   * 1 % of the changes (what makes the p99). Changes missing a stamp (not written back) are left out.
   */
  breakdown(changes: Array<{ id: string; at: number }>): string[] {
    const rows = changes.flatMap((change) => {
      const times = STAGES.map((stage) => this.stamps.get(stage)!.get(change.id));
      if (times.some((t) => t === undefined)) return [];
      const durations = STAGES.map((_, i) => (times[i] as number) - (i === 0 ? change.at : (times[i - 1] as number)));
      return [{ total: (times.at(-1) as number) - change.at, durations }];
    });
    if (rows.length === 0) return ['no change passed every stage'];
    const slowest = [...rows].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(rows.length / 100)));
    return STAGES.map((stage, i) => {
      const sorted = rows.map((r) => r.durations[i]!).sort((a, b) => a - b);
      const tail = slowest.reduce((sum, r) => sum + r.durations[i]!, 0) / slowest.length;
      return `${STAGE_LABELS[stage]}: p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}; in the slowest 1 % ${ms(tail)}`;
    });
  }

  private mark(stage: Stage, ids: readonly string[]): void {
    const seen = this.stamps.get(stage)!;
    const now = Date.now();
    for (const id of ids) if (!seen.has(id)) seen.set(id, now);
  }
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
