import type { CompiledModel } from '../../core';
import type { Clock } from '../ports/clock';
import type { HubSpotList, HubSpotListsPort } from '../ports/hubspot-lists-port';
import type { ProvisionedAsset, ProvisionedAssetPort } from '../ports/provisioned-asset-port';
import type { PortalId } from '../ports/store-ports';
import { ASSET_NAME_PREFIX, fingerprint, listPlan, looksLikeOurs, type PlannedList } from './list-plan';

/**
 * - created / updated (our filters changed with the model) / unchanged;
 * - adopted: found again by name and marker (our record of it was lost), kept as it is;
 * - recreated: an admin deleted it; the suppression list must exist, so it is made again;
 * - edited_by_admin: its version moved past our last write: left exactly as the admin has it;
 * - name_taken: a list the app did not make already has the name: left alone, ours is not created.
 */
export type ListOutcome = 'created' | 'updated' | 'unchanged' | 'adopted' | 'recreated' | 'edited_by_admin' | 'name_taken';

export interface ListLine {
  key: string;
  name: string;
  listId: string | null;
  outcome: ListOutcome;
  detail?: string;
}

export interface ProvisionListsDeps {
  lists: HubSpotListsPort;
  assets: ProvisionedAssetPort;
  clock: Clock;
}

/**
 * Creates and keeps up to date the app's dynamic contact lists (list-plan.ts) in one portal. Idempotent: a list is
 * found again by the id we stored, else by its exact name and our marker, and never duplicated. Never deletes a
 * list, and never rewrites one an admin changed after us (HubSpot bumps `listVersion` on every edit).
 */
export async function provisionLists(deps: ProvisionListsDeps, portalId: PortalId, model: CompiledModel): Promise<ListLine[]> {
  const stored = new Map((await deps.assets.list(portalId, 'list')).map((a) => [a.key, a]));
  // One name search per run, not per list: every name we give starts with the prefix. (The simulator counts list
  // search against CRM search's 5 requests/second; whether HubSpot does is UNVERIFIED, so we stay well under it.)
  let named: Promise<Map<string, string>> | null = null;
  const listIdNamed = async (name: string) => {
    named ??= deps.lists.searchLists(ASSET_NAME_PREFIX).then((found) => new Map(found.map((l) => [l.name, l.listId])));
    return (await named).get(name);
  };
  const lines: ListLine[] = [];
  for (const planned of listPlan(model)) lines.push(await provisionOne({ ...deps, listIdNamed }, portalId, planned, stored.get(planned.key)));
  return lines;
}

async function provisionOne(
  deps: ProvisionListsDeps & { listIdNamed: (name: string) => Promise<string | undefined> },
  portalId: PortalId,
  planned: PlannedList,
  known: ProvisionedAsset | undefined,
): Promise<ListLine> {
  const wanted = fingerprint(planned.filterBranch);
  const line = (list: HubSpotList | null, outcome: ListOutcome, detail?: string): ListLine => ({
    key: planned.key,
    name: list?.name ?? planned.name,
    listId: list?.listId ?? null,
    outcome,
    ...(detail ? { detail } : {}),
  });
  const remember = (list: HubSpotList, print = wanted) =>
    deps.assets.save(portalId, {
      kind: 'list',
      key: planned.key,
      hubspotId: list.listId,
      revision: String(list.listVersion),
      name: list.name,
      fingerprint: print,
      updatedAt: deps.clock.now(),
    });

  if (known) {
    const current = await deps.lists.getList(known.hubspotId);
    if (current) {
      if (String(current.listVersion) !== known.revision)
        return line(current, 'edited_by_admin', `version ${current.listVersion} is newer than ours (${known.revision}): left as the admin has it`);
      if (known.fingerprint === wanted) return line(current, 'unchanged');
      const updated = await deps.lists.updateListFilters(current.listId, planned.filterBranch);
      await remember(updated);
      return line(updated, 'updated', 'filters follow the current model');
    }
  }

  const sameName = await deps.listIdNamed(planned.name);
  if (sameName) {
    const full = await deps.lists.getList(sameName);
    if (full && looksLikeOurs(full)) {
      await remember(full);
      return line(full, 'adopted', 'found again by name and marker');
    }
    return line(full, 'name_taken', 'a list the app did not make has this name; rename it to let the app create its own');
  }
  const created = await deps.lists.createList({ name: planned.name, objectTypeId: planned.objectTypeId, processingType: 'DYNAMIC', filterBranch: planned.filterBranch });
  await remember(created);
  return line(created, known ? 'recreated' : 'created', known ? 'it had been deleted in HubSpot' : planned.purpose);
}
