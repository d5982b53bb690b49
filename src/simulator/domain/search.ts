import type { CrmRecord } from './crm-record';
import { validationError } from './simulated-api-error';
import { compareComparable as compare } from './ordered-index';
import type { PropertyDefinition } from './property-types';
import { comparable as comparableOf } from './record-table';

/**
 * CRM search semantics: OR across filterGroups, AND within a group; limits from the search guide
 * (≤ 5 groups, ≤ 6 filters per group, ≤ 18 filters in all, limit ≤ 200, 10,000 results per query).
 * String comparisons are case-insensitive (UNVERIFIED for every operator).
 */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, filtersTotal: 18, pageSize: 200, maxResults: 10_000 } as const;

export const FILTER_OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface Filter {
  propertyName: string;
  operator: FilterOperator;
  value?: string | number | boolean | undefined;
  highValue?: string | number | boolean | undefined;
  values?: Array<string | number | boolean> | undefined;
}

export interface Sort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export function checkSearchShape(filterGroups: Array<{ filters: Filter[] }>): void {
  if (filterGroups.length > SEARCH_LIMITS.groups) {
    throw validationError(`Too many filter groups: ${filterGroups.length}; the maximum is ${SEARCH_LIMITS.groups}.`);
  }
  const crowded = filterGroups.find((g) => g.filters.length > SEARCH_LIMITS.filtersPerGroup);
  if (crowded) throw validationError(`Too many filters in a filter group: ${crowded.filters.length}; the maximum is ${SEARCH_LIMITS.filtersPerGroup}.`);
  const total = filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (total > SEARCH_LIMITS.filtersTotal) throw validationError(`Too many filters: ${total}; the maximum is ${SEARCH_LIMITS.filtersTotal} across all filter groups.`);
}

export type Lookup = (name: string) => PropertyDefinition | undefined;

const comparable = (def: PropertyDefinition | undefined, raw: string) => comparableOf(def?.type, raw);

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._-]+/u)
    .filter(Boolean);
}

function tokenMatches(text: string, pattern: string): boolean {
  const wanted = pattern.toLowerCase();
  if (!wanted.includes('*')) return tokens(text).includes(wanted) || text.toLowerCase() === wanted;
  const regex = new RegExp(
    `^${wanted
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return tokens(text).some((t) => regex.test(t)) || regex.test(text.toLowerCase());
}

export function matches(record: CrmRecord, filter: Filter, lookup: Lookup): boolean {
  const def = lookup(filter.propertyName);
  const current = record.properties.get(filter.propertyName) ?? '';
  const has = current !== '';
  const target = filter.value === undefined ? '' : String(filter.value);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && compare(comparable(def, current), comparable(def, target)) === 0;
    case 'NEQ':
      return !has || compare(comparable(def, current), comparable(def, target)) !== 0;
    case 'LT':
      return has && compare(comparable(def, current), comparable(def, target)) < 0;
    case 'LTE':
      return has && compare(comparable(def, current), comparable(def, target)) <= 0;
    case 'GT':
      return has && compare(comparable(def, current), comparable(def, target)) > 0;
    case 'GTE':
      return has && compare(comparable(def, current), comparable(def, target)) >= 0;
    case 'BETWEEN': {
      const value = comparable(def, current);
      return has && compare(value, comparable(def, target)) >= 0 && compare(value, comparable(def, String(filter.highValue ?? ''))) <= 0;
    }
    case 'IN':
    case 'NOT_IN': {
      const inList = (filter.values ?? []).some((v) => compare(comparable(def, current), comparable(def, String(v))) === 0);
      return filter.operator === 'IN' ? has && inList : !inList;
    }
    case 'CONTAINS_TOKEN':
      return has && tokenMatches(current, target);
    case 'NOT_CONTAINS_TOKEN':
      return !has || !tokenMatches(current, target);
  }
}

/** Sorts by the given properties (unset values last); ties and the default order use the object id. */
export function sortRecords(records: CrmRecord[], sorts: Sort[], lookup: Lookup): CrmRecord[] {
  return [...records].sort((a, b) => {
    for (const sort of sorts) {
      const left = a.properties.get(sort.propertyName) ?? '';
      const right = b.properties.get(sort.propertyName) ?? '';
      if (left === right) continue;
      if (left === '') return 1;
      if (right === '') return -1;
      const def = lookup(sort.propertyName);
      const order = compare(comparable(def, left), comparable(def, right));
      if (order !== 0) return sort.direction === 'DESCENDING' ? -order : order;
    }
    return Number(a.id) - Number(b.id);
  });
}
