import type { CrmRecord } from './crm-record';
import type { Comparable } from './ordered-index';
import { OrderedIndex } from './ordered-index';
import type { PropertyDefinition, PropertyType } from './property-types';
import { instantOf } from './property-values';

/** A value as search compares it: epoch ms for dates, numbers for numbers, lower-case text otherwise. */
export function comparable(type: PropertyType | undefined, raw: string): Comparable {
  if (type === 'number') return Number(raw);
  if (type === 'datetime' || type === 'date') return instantOf(raw) ?? Number.NaN;
  return raw.toLowerCase();
}

/** Keys that compare to nothing (a number property holding text) match no comparison, so they stay out of indexes. */
function indexable(key: Comparable): boolean {
  return !(typeof key === 'number' && Number.isNaN(key));
}

interface PropertyIndex {
  type: PropertyType | undefined;
  index: OrderedIndex;
}

/**
 * One object type's records of a portal: by id, and by the value of every property that has been searched or looked
 * up (an index is built on first use and kept current by every write after that), so a search or an `idProperty`
 * lookup costs what it returns rather than the size of the portal. Only active (unarchived) records are indexed.
 */
export class RecordTable {
  private readonly byId = new Map<string, CrmRecord>();
  private readonly indexes = new Map<string, PropertyIndex>();
  private activeCount = 0;

  get size(): number {
    return this.activeCount;
  }

  get(id: string): CrmRecord | undefined {
    return this.byId.get(id);
  }

  add(record: CrmRecord): void {
    this.byId.set(record.id, record);
    this.activeCount++;
  }

  /** Every record (ids are issued in ascending order, so this is id order). */
  values(): IterableIterator<CrmRecord> {
    return this.byId.values();
  }

  /** Called before a record is marked archived: it leaves every index. */
  archiving(record: CrmRecord): void {
    this.activeCount--;
    for (const [name, entry] of this.indexes) this.unindex(entry, record, record.properties.get(name) ?? '');
  }

  /** Called for every stored value change of an active record. */
  changed(record: CrmRecord, name: string, previous: string, next: string): void {
    const entry = this.indexes.get(name);
    if (!entry || record.archived) return;
    this.unindex(entry, record, previous);
    this.insert(entry, record, next);
  }

  /** The index of a property, built on first use; rebuilt when its definition's type changed since. */
  indexOf(name: string, def: PropertyDefinition | undefined): OrderedIndex {
    const existing = this.indexes.get(name);
    if (existing && existing.type === def?.type) return existing.index;
    const entry: PropertyIndex = { type: def?.type, index: new OrderedIndex() };
    for (const record of this.byId.values()) if (!record.archived) this.insert(entry, record, record.properties.get(name) ?? '');
    this.indexes.set(name, entry);
    return entry.index;
  }

  private insert(entry: PropertyIndex, record: CrmRecord, raw: string): void {
    if (raw === '') return;
    const key = comparable(entry.type, raw);
    if (indexable(key)) entry.index.insert(key, Number(record.id));
  }

  private unindex(entry: PropertyIndex, record: CrmRecord, raw: string): void {
    if (raw === '') return;
    const key = comparable(entry.type, raw);
    if (indexable(key)) entry.index.remove(key, Number(record.id));
  }
}
