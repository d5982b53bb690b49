/**
 * Narrows a report to chosen records, e.g. the records one owner is responsible for. Ledger rows do not carry
 * owners, so the caller resolves "owner → record ids" (from HubSpot or a future owner column) and passes the ids.
 */
export interface RecordFilter {
  objectIds: ReadonlySet<string>;
}
