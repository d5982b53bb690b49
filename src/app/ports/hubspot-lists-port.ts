/**
 * HubSpot Lists API v3 filter JSON (https://developers.hubspot.com/docs/api-reference/legacy/crm/lists/list-filters.md):
 * a root OR branch of AND branches holding filters. Plain data, built by provision/list-plan.ts.
 */
export interface ListFilterBranch {
  filterBranchType: 'OR' | 'AND';
  filterBranchOperator?: string;
  filters: Array<Record<string, unknown>>;
  filterBranches: ListFilterBranch[];
}

export interface HubSpotList {
  listId: string;
  /** Bumped by HubSpot on every change of the list's filters or name (ours or an admin's). */
  listVersion: number;
  name: string;
  objectTypeId: string;
  processingType: string;
  filterBranch: ListFilterBranch | null;
}

export interface NewList {
  name: string;
  /** '0-1' contacts, '0-2' companies. */
  objectTypeId: string;
  processingType: 'DYNAMIC';
  filterBranch: ListFilterBranch;
}

/** The part of HubSpot's Lists API that provisioning and its checks need. */
export interface HubSpotListsPort {
  /** Lists whose name contains `query` (HubSpot's search; every page). */
  searchLists(query: string): Promise<Array<Omit<HubSpotList, 'filterBranch'>>>;
  /** With its filters; null when HubSpot has no such list (deleted by an admin). */
  getList(listId: string): Promise<HubSpotList | null>;
  createList(list: NewList): Promise<HubSpotList>;
  updateListFilters(listId: string, filterBranch: ListFilterBranch): Promise<HubSpotList>;
  deleteList(listId: string): Promise<void>;
  /** One page of member record ids (ascending), HubSpot's `after` cursor for the next. */
  listMembers(listId: string, after?: string): Promise<{ recordIds: string[]; after: string | null }>;
}
