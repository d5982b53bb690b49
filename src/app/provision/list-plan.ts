import { createHash } from 'node:crypto';
import { LC_PROPERTIES, type CompiledModel } from '../../core';
import type { ListFilterBranch } from '../ports/hubspot-lists-port';

/** Every list and workflow the app creates is named with this prefix: the first half of our marker. */
export const ASSET_NAME_PREFIX = 'Lifecycle Engine · ';

export const CONTACT_OBJECT_TYPE_ID = '0-1';

export interface PlannedList {
  /** Our stable key (provisioned_assets.asset_key). */
  key: string;
  name: string;
  objectTypeId: string;
  filterBranch: ListFilterBranch;
  purpose: string;
}

/** A root OR of one AND branch: the shape HubSpot requires of list filters (list-filters page). */
const allOf = (...filters: Array<Record<string, unknown>>): ListFilterBranch => ({
  filterBranchType: 'OR',
  filters: [],
  filterBranches: [{ filterBranchType: 'AND', filters, filterBranches: [] }],
});

const stageIs = (stage: string) => ({
  filterType: 'PROPERTY',
  property: LC_PROPERTIES.stage,
  operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: [stage], includeObjectsWithNoValueSet: false },
});

/**
 * A relative-date filter on a datetime property: after/before NOW shifted by `offsetDays`. HubSpot re-evaluates a
 * DYNAMIC list as time passes, so membership changes by date alone (TIME_POINT operation with an INDEXED time
 * point; `@hubspot/api-client` crm.lists models PublicTimePointOperation / PublicIndexedTimePoint / PublicNowReference;
 * how often HubSpot re-runs a time-only filter is UNVERIFIED, believed to be at least daily).
 */
const comparedToNow = (property: string, operator: 'IS_AFTER' | 'IS_BEFORE', offsetDays = 0) => ({
  filterType: 'PROPERTY',
  property,
  operation: {
    operationType: 'TIME_POINT',
    type: 'TIME_POINT',
    operator,
    endpointBehavior: 'EXCLUSIVE',
    includeObjectsWithNoValueSet: false,
    timePoint: {
      timeType: 'INDEXED',
      timezoneSource: 'CUSTOM',
      zoneId: 'UTC',
      indexReference: { referenceType: 'NOW' },
      ...(offsetDays === 0 ? {} : { offset: { days: offsetDays } }),
    },
  },
});

/**
 * The contact lists `provision` keeps in HubSpot, derived from the model (pure):
 * - marketing paused: `lc_marketing_paused_until` is after now, so a contact leaves on its pause date by itself;
 *   set it as the suppression list of marketing emails, sequences and nurture workflows (docs/hubspot-app.md);
 * - dead end: never market to;
 * - one per recycle stage;
 * - SLA past due, one per stage with `slaDays`: in the stage since before now − SLA.
 */
export function listPlan(model: CompiledModel): PlannedList[] {
  const contacts = CONTACT_OBJECT_TYPE_ID;
  const named = (label: string) => `${ASSET_NAME_PREFIX}${label}`;
  const lists: PlannedList[] = [
    {
      key: 'marketing_paused',
      name: named('Marketing paused (recycle pause running)'),
      objectTypeId: contacts,
      filterBranch: allOf(comparedToNow(LC_PROPERTIES.marketingPausedUntil, 'IS_AFTER')),
      purpose: 'suppression list for marketing emails, sequences and nurture workflows',
    },
    {
      key: 'dead_end',
      name: named('Dead end (never market)'),
      objectTypeId: contacts,
      filterBranch: allOf(stageIs(model.deadEnd.stage)),
      purpose: 'suppression list: people who can never buy',
    },
  ];
  for (const stage of model.stages.filter((s) => s.kind === 'recycle')) {
    lists.push({ key: `recycle:${stage.id}`, name: named(`In ${stage.label}`), objectTypeId: contacts, filterBranch: allOf(stageIs(stage.id)), purpose: `contacts in ${stage.label}` });
  }
  for (const stage of model.stages.filter((s) => s.slaDays !== null)) {
    const days = stage.slaDays ?? 0;
    lists.push({
      key: `sla_past_due:${stage.id}`,
      name: named(`SLA past due: ${stage.label} (over ${days} days)`),
      objectTypeId: contacts,
      filterBranch: allOf(stageIs(stage.id), comparedToNow(LC_PROPERTIES.stageEnteredAt, 'IS_BEFORE', -days)),
      purpose: `in ${stage.label} longer than its ${days}-day SLA`,
    });
  }
  return lists;
}

/** The second half of our marker: a list the app made filters on our `lc_` properties. */
export function looksLikeOurs(list: { name: string; filterBranch: ListFilterBranch | null }): boolean {
  return list.name.startsWith(ASSET_NAME_PREFIX) && JSON.stringify(list.filterBranch ?? {}).includes('"lc_');
}

/** Stable fingerprint of a definition we write (key order normalised), to see when the model changed it. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
