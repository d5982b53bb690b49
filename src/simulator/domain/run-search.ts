import type { CrmRecord } from './crm-record';
import type { KeyBound, OrderedIndex } from './ordered-index';
import { compareComparable } from './ordered-index';
import type { RecordTable } from './record-table';
import { comparable } from './record-table';
import type { Filter, Lookup, Sort } from './search';
import { matches, sortRecords } from './search';

export interface SearchQuery {
  filterGroups: Array<{ filters: Filter[] }>;
  sorts: Sort[];
  after: number;
  limit: number;
  /** Free-text `query`, already turned into a predicate. */
  text?: (record: CrmRecord) => boolean;
}

export interface SearchOutcome {
  total: number;
  page: CrmRecord[];
  /** Records whose filters were evaluated one by one: the cost that must not grow with the portal. */
  examined: number;
}

type Range = { low: KeyBound | null; high: KeyBound | null };

/**
 * The key ranges of a property index that hold every record a filter can match, or null when an index cannot
 * narrow it (NEQ, NOT_IN, HAS/NOT_HAS_PROPERTY, tokens): those filters are checked on the candidates instead.
 */
function rangesOf(filter: Filter, lookup: Lookup): Range[] | null {
  const type = lookup(filter.propertyName)?.type;
  const key = (v: unknown) => comparable(type, String(v ?? ''));
  const bound = (v: unknown, inclusive: boolean): KeyBound | 'none' => {
    const k = key(v);
    return typeof k === 'number' && Number.isNaN(k) ? 'none' : { key: k, inclusive };
  };
  const ranges = (...pairs: Array<[KeyBound | 'none' | null, KeyBound | 'none' | null]>): Range[] =>
    pairs.filter(([low, high]) => low !== 'none' && high !== 'none').map(([low, high]) => ({ low: low as KeyBound | null, high: high as KeyBound | null }));
  switch (filter.operator) {
    case 'EQ':
      return ranges([bound(filter.value, true), bound(filter.value, true)]);
    case 'IN':
      return ranges(...(filter.values ?? []).map((v) => [bound(v, true), bound(v, true)] as [KeyBound | 'none', KeyBound | 'none']));
    case 'GT':
      return ranges([bound(filter.value, false), null]);
    case 'GTE':
      return ranges([bound(filter.value, true), null]);
    case 'LT':
      return ranges([null, bound(filter.value, false)]);
    case 'LTE':
      return ranges([null, bound(filter.value, true)]);
    case 'BETWEEN':
      return ranges([bound(filter.value, true), bound(filter.highValue, true)]);
    default:
      return null;
  }
}

/** The property the results are ordered by when that order is an index's own: by id by default, or one ascending sort. */
function indexOrder(sorts: Sort[]): string | null {
  if (sorts.length === 0) return 'hs_object_id';
  const [only] = sorts;
  return sorts.length === 1 && only?.direction === 'ASCENDING' ? only.propertyName : null;
}

/** Intersects the single ranges of filters on one property; null when some filter is not one range. */
function intersect(filters: Filter[], lookup: Lookup): Range | null {
  let low: KeyBound | null = null;
  let high: KeyBound | null = null;
  for (const filter of filters) {
    const ranges = rangesOf(filter, lookup);
    if (!ranges || ranges.length !== 1) return null;
    const [r] = ranges as [Range];
    if (r.low && (!low || compareBounds(r.low, low, 'low') > 0)) low = r.low;
    if (r.high && (!high || compareBounds(r.high, high, 'high') < 0)) high = r.high;
  }
  return { low, high };
}

/** Orders bounds by how much they admit: for lows, the larger (or exclusive) one is tighter; for highs, the smaller. */
function compareBounds(a: KeyBound, b: KeyBound, side: 'low' | 'high'): number {
  const byKey = compareComparable(a.key, b.key);
  if (byKey !== 0) return byKey;
  if (a.inclusive === b.inclusive) return 0;
  return (side === 'low') === a.inclusive ? -1 : 1;
}

function* take(ids: Iterable<number>, n: number): Generator<number> {
  if (n <= 0) return;
  let left = n;
  for (const id of ids) {
    yield id;
    if (--left === 0) return;
  }
}

/**
 * Runs a CRM search on one object type's records with its property indexes. A query whose only filters bound the
 * property its results are ordered by (a backfill page: `hs_object_id > last` by id) is answered from that index's
 * order: the page is read in place and the total counted from bucket sizes. Otherwise each filter group takes its
 * candidates from its most selective indexed filter and every filter is checked on those; only a group no index can
 * narrow (NEQ, tokens, …) costs a pass over the records, as it would on any store.
 */
export function runSearch(table: RecordTable, query: SearchQuery, lookup: Lookup): SearchOutcome {
  const groups = query.filterGroups.filter((g) => g.filters.length > 0);
  const index = (name: string): OrderedIndex => table.indexOf(name, lookup(name));
  const order = indexOrder(query.sorts);

  const sameProperty = order !== null && groups.length === 1 && groups[0]!.filters.every((f) => f.propertyName === order);
  const range = sameProperty ? intersect(groups[0]!.filters, lookup) : groups.length === 0 && order === 'hs_object_id' ? { low: null, high: null } : null;
  if (order !== null && range && !query.text) {
    const ordered = index(order);
    const page = [...take(ordered.range(range.low, range.high, query.after), query.limit)].map((id) => table.get(String(id)) as CrmRecord);
    return { total: ordered.count(range.low, range.high), page, examined: page.length };
  }

  let candidates: Iterable<CrmRecord> = table.values();
  if (groups.length > 0) {
    const ids = new Set<number>();
    let narrowed = true;
    for (const group of groups) {
      const options = group.filters.flatMap((filter) => {
        const ranges = rangesOf(filter, lookup);
        if (!ranges) return [];
        const idx = index(filter.propertyName);
        return [{ idx, ranges, size: ranges.reduce((n, r) => n + idx.count(r.low, r.high), 0) }];
      });
      const best = options.sort((a, b) => a.size - b.size)[0];
      if (!best) {
        narrowed = false;
        break;
      }
      for (const r of best.ranges) for (const id of best.idx.range(r.low, r.high)) ids.add(id);
    }
    if (narrowed) candidates = [...ids].map((id) => table.get(String(id)) as CrmRecord);
  }
  let examined = 0;
  const found: CrmRecord[] = [];
  for (const record of candidates) {
    if (record.archived) continue;
    examined++;
    if (groups.length > 0 && !groups.some((g) => g.filters.every((f) => matches(record, f, lookup)))) continue;
    if (query.text && !query.text(record)) continue;
    found.push(record);
  }
  const sorted = sortRecords(found, query.sorts, lookup);
  return { total: sorted.length, page: sorted.slice(query.after, query.after + query.limit), examined };
}
