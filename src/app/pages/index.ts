/** App pages (issue 14): what the Funnel, Sync health and Audit pages read, and the jobs they start. */
export { loadAuditPage, encodeAuditCursor, decodeAuditCursor, type AuditPageRequest } from './audit-page';
export { loadFunnelPage } from './funnel-page';
export { loadSyncHealth, DEAD_LETTERS_SHOWN, type SyncHealthDeps } from './sync-health';
export { BackfillJobs, type RunPortalBackfill } from './backfill-jobs';
export { RateLimitTally } from './rate-limit-tally';
