import type { ObjectType } from '../../core';
import type { Clock } from '../ports/clock';
import type { CrmRecord, HubSpotPort, SearchFilter } from '../ports/hubspot-port';
import { retryTransient } from './retry-transient';

/** CRM search returns at most 200 records per page. */
export const SEARCH_PAGE_LIMIT = 200;

export interface ScanPage {
  records: CrmRecord[];
  /** The highest hs_object_id so far: where a resumed scan starts. */
  lastId: string;
  /** Matches of this page's query, i.e. records not yet scanned including this page (for progress and ETA). */
  remaining: number;
}

/**
 * Pages through a portal's records in hs_object_id order. Every page is its own query `hs_object_id > last id`
 * sorted ascending, so no query ever pages past search's 10,000-result cap (performance.md §2) and every page
 * boundary is a cursor a re-run can resume from. `filters` narrow the scan (the reconcile sweep's time window).
 */
export async function* scanById(input: {
  hubspot: HubSpotPort;
  clock: Clock;
  objectType: ObjectType;
  properties: string[];
  afterId: string | null;
  filters?: SearchFilter[];
  pageSize?: number;
}): AsyncGenerator<ScanPage> {
  let lastId = input.afterId;
  const limit = Math.min(input.pageSize ?? SEARCH_PAGE_LIMIT, SEARCH_PAGE_LIMIT);
  for (;;) {
    const page = await retryTransient(input.clock, () =>
      input.hubspot.searchPage(input.objectType, {
        filterGroups: [[...(input.filters ?? []), ...(lastId === null ? [] : [{ propertyName: 'hs_object_id', operator: 'GT' as const, value: lastId }])]],
        sort: { propertyName: 'hs_object_id', direction: 'ASCENDING' },
        properties: input.properties,
        limit,
      }),
    );
    if (page.records.length === 0) return;
    lastId = page.records[page.records.length - 1]!.id;
    yield { records: page.records, lastId, remaining: page.total };
    if (page.records.length < limit) return;
  }
}

/**
 * Groups scan pages into commit units so reads batch well across pages (history 50, associations 1,000, deals 100
 * per call). Units ramp up from `min` (doubling with what is done) and shrink to half of what is left near the end:
 * while the first unit is searched nothing can be read yet, and while the last is read nothing is left to search,
 * so small first and last units keep both budgets busy. `max` bounds memory and the work a crash repeats.
 */
export async function* inUnits(pages: AsyncIterable<ScanPage>, size: { max: number; min?: number }): AsyncGenerator<ScanPage, void> {
  const min = Math.min(size.min ?? 2 * SEARCH_PAGE_LIMIT, size.max);
  let handedOver = 0;
  let unit: ScanPage | null = null;
  let target = min;
  for await (const page of pages) {
    if (!unit) {
      unit = { records: [...page.records], lastId: page.lastId, remaining: page.remaining };
      target = Math.max(min, Math.min(size.max, Math.max(handedOver, min), Math.floor(page.remaining / 2)));
    } else {
      unit.records.push(...page.records);
      unit.lastId = page.lastId;
    }
    if (unit.records.length >= target) {
      handedOver += unit.records.length;
      yield unit;
      unit = null;
    }
  }
  if (unit) yield unit;
}
