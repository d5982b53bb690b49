import type { CompanyHealthView } from '../../contracts/card-api';
import { accountHealth, recordKeyString, weakestComponent, type CompiledModel } from '../../core';
import type { PortalId, Store } from '../ports/store-ports';
import { accountHealthInput, type StoredRecord } from './account-health-input';
import { associationsRead, type AssociationRefresher } from './association-refresher';
import { newestFirst, stageRef } from './card-refs';
import { loadStoredRecords } from './load-stored-records';

export interface AccountCardDeps {
  store: Pick<Store, 'states' | 'ledger' | 'factEvents' | 'associations'>;
  model: CompiledModel;
  refresher: Pick<AssociationRefresher, 'refreshIfStale'>;
}

/**
 * The company card: the account's lifecycle health (src/core/health) over its contacts' states, ledgers and stored
 * activity. The company's contacts come from the stored associations (kept fresh in the background), so the card
 * never waits for HubSpot. Not synced while we have not read the company's contacts yet or none of them is in the
 * lifecycle.
 */
export async function getCompanyView(deps: AccountCardDeps, portalId: PortalId, companyId: string, now: number): Promise<CompanyHealthView> {
  const { model, store } = deps;
  const key = { objectType: 'company' as const, objectId: companyId };
  const { associated, refreshedAt } = await store.associations.list(portalId, key);
  deps.refresher.refreshIfStale(portalId, key, refreshedAt);
  if (!associationsRead('company', refreshedAt)) return { synced: false, objectId: companyId };
  const contactKeys = associated.filter((a) => a.objectType === 'contact').map((a) => ({ objectType: a.objectType, objectId: a.objectId }));
  const records = await loadStoredRecords(store, portalId, [key, ...contactKeys]);
  const company = records.get(`company:${companyId}`) ?? null;
  const contacts = contactKeys.flatMap((k) => records.get(recordKeyString(k)) ?? []).filter((c) => c.state.stage !== null);
  if (contacts.length === 0 && company?.state.stage == null) return { synced: false, objectId: companyId };

  const health = accountHealth(accountHealthInput(company, contacts), model, now);
  return {
    synced: true,
    objectId: companyId,
    score: health.score,
    band: health.band,
    trend: hasHistoryBefore([company, ...contacts], health.trend.at) ? { days: health.trend.days, previous: health.trend.previous, delta: health.trend.delta } : null,
    components: health.components.map(({ id, label, weight, score, detail }) => ({ id, label, weight, score, detail })),
    weakestComponent: weakestComponent(health.components),
    accountStage: health.accountStage ? stageRef(model, health.accountStage.stageId) : null,
    contactsPerStage: health.contactsPerStage,
    journey: newestFirst(model, company?.history ?? []),
  };
}

/** A trend needs the account to have been in the lifecycle at the instant it compares against. */
function hasHistoryBefore(records: Array<StoredRecord | null>, at: number): boolean {
  return records.some((r) => r !== null && (r.history.some((e) => e.occurredAt <= at) || (r.state.enteredAt !== null && r.state.enteredAt <= at)));
}
