import type { CrmService } from '../domain/crm-service';
import { notFound, validationError } from '../domain/simulated-api-error';
import { OBJECT_TYPE_IDS, resolveObjectType, type ObjectType } from '../domain/object-types';
import { matchesBranch, type FilterBranch } from './list-filters';

export type ProcessingType = 'DYNAMIC' | 'MANUAL' | 'SNAPSHOT';

export interface SimulatedList {
  listId: string;
  listVersion: number;
  name: string;
  objectTypeId: string;
  objectType: ObjectType;
  processingType: ProcessingType;
  filterBranch?: FilterBranch;
  createdAt: number;
  updatedAt: number;
  filtersUpdatedAt: number;
  /** MANUAL members, and a SNAPSHOT's members frozen at creation. */
  members: Set<string>;
  /** When each current member joined (first seen in its current stint). */
  joinedAt: Map<string, number>;
}

/**
 * One portal's lists (Lists API v3, https://developers.hubspot.com/docs/api/crm/lists). A DYNAMIC list's
 * membership is its filters evaluated against the portal's records at the simulator clock's now, so a record
 * enters and leaves by its property values, or by time alone with a relative-date filter. HubSpot processes
 * dynamic lists in the background (seconds to minutes); the simulator is exact at every read.
 */
export class ListStore {
  private readonly lists = new Map<string, SimulatedList>();
  private nextId = 1;

  constructor(private readonly deps: { crm: CrmService; now: () => number }) {}

  create(input: { name: string; objectTypeId: string; processingType: ProcessingType; filterBranch?: FilterBranch }): SimulatedList {
    const objectType = resolveObjectType(input.objectTypeId);
    if (!objectType) throw validationError(`Unknown objectTypeId ${input.objectTypeId}`);
    if (input.processingType !== 'MANUAL' && !input.filterBranch) throw validationError(`A ${input.processingType} list needs a filterBranch`);
    if (input.processingType === 'MANUAL' && input.filterBranch) throw validationError('A MANUAL list takes no filterBranch');
    // HubSpot keeps list names unique per portal; the exact status it answers with is UNVERIFIED (400 assumed).
    if (this.byName(input.name)) throw validationError(`A list named "${input.name}" already exists`);
    const now = this.deps.now();
    const list: SimulatedList = {
      listId: String(this.nextId++),
      listVersion: 1,
      name: input.name,
      objectTypeId: OBJECT_TYPE_IDS[objectType],
      objectType,
      processingType: input.processingType,
      ...(input.filterBranch ? { filterBranch: input.filterBranch } : {}),
      createdAt: now,
      updatedAt: now,
      filtersUpdatedAt: now,
      members: new Set(),
      joinedAt: new Map(),
    };
    this.lists.set(list.listId, list);
    if (list.processingType === 'SNAPSHOT') for (const id of this.evaluate(list)) list.members.add(id);
    return list;
  }

  get(listId: string): SimulatedList {
    const list = this.lists.get(listId);
    if (!list) throw notFound(`List ${listId} does not exist`);
    return list;
  }

  byName(name: string, objectTypeId?: string): SimulatedList | undefined {
    return [...this.lists.values()].find((l) => l.name.toLowerCase() === name.toLowerCase() && (!objectTypeId || l.objectTypeId === objectTypeId));
  }

  all(): SimulatedList[] {
    return [...this.lists.values()];
  }

  updateFilters(listId: string, filterBranch: FilterBranch): SimulatedList {
    const list = this.get(listId);
    if (list.processingType === 'MANUAL') throw validationError('A MANUAL list has no filters to update');
    const now = this.deps.now();
    list.filterBranch = filterBranch;
    list.listVersion += 1;
    list.updatedAt = now;
    list.filtersUpdatedAt = now;
    return list;
  }

  rename(listId: string, name: string): SimulatedList {
    const list = this.get(listId);
    const clash = this.byName(name);
    if (clash && clash.listId !== listId) throw validationError(`A list named "${name}" already exists`);
    list.name = name;
    list.listVersion += 1;
    list.updatedAt = this.deps.now();
    return list;
  }

  delete(listId: string): void {
    this.get(listId);
    this.lists.delete(listId);
  }

  /** Current member ids in ascending id order, with the time each joined. */
  members(listId: string): Array<{ recordId: string; joinedAt: number }> {
    const list = this.get(listId);
    const current = list.processingType === 'DYNAMIC' ? this.evaluate(list) : [...list.members];
    const now = this.deps.now();
    const stillIn = new Set(current);
    for (const id of [...list.joinedAt.keys()]) if (!stillIn.has(id)) list.joinedAt.delete(id);
    for (const id of current) if (!list.joinedAt.has(id)) list.joinedAt.set(id, now);
    return current.sort((a, b) => Number(a) - Number(b)).map((recordId) => ({ recordId, joinedAt: list.joinedAt.get(recordId) ?? now }));
  }

  isMember(listId: string, recordId: string): boolean {
    return this.members(listId).some((m) => m.recordId === recordId);
  }

  private evaluate(list: SimulatedList, visiting = new Set<string>()): string[] {
    if (!list.filterBranch) return [...list.members];
    const branch = list.filterBranch;
    const now = this.deps.now();
    visiting.add(list.listId);
    const inList = (listId: string, recordId: string): boolean => {
      const other = this.lists.get(listId);
      if (!other || visiting.has(listId)) return false;
      return (other.processingType === 'DYNAMIC' ? this.evaluate(other, new Set(visiting)) : [...other.members]).includes(recordId);
    };
    return this.deps.crm
      .all(list.objectType)
      .filter((record) => matchesBranch(branch, { value: (p) => record.properties.get(p), inList: (id) => inList(id, record.id), now }))
      .map((r) => r.id);
  }
}
