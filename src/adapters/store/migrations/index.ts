import type { Migration } from 'kysely';
import type { StoreDialect } from '../database';
import { initialSchema } from './0001-initial-schema';
import { associationsAndWorkflowExecutions } from './0002-associations-and-workflow-executions';
import { sharedRateBudget } from './0003-shared-rate-budget';
import { oauthInstallations } from './0004-oauth-installations';
import { privacyTombstones } from './0005-privacy-tombstones';
import { quarantineFailuresRetention } from './0006-quarantine-failures-retention';
import { provisionedAssets } from './0007-provisioned-assets';
import { ledgerAggregates } from './0008-ledger-aggregates';
import { modelRevisions } from './0009-model-revisions';
import { ledgerAggregateRollups } from './0011-ledger-aggregate-rollups';
import { pageIndexesAndBlockedActions } from './0013-pages-and-blocked-actions';
import { recordProperties } from './0014-record-properties';
import { reportCoarseDurationsAndStock } from './0015-report-coarse-durations-and-stock';
import { outboxStatusIndex } from './0016-outbox-status-index';
import { oneDraftPerPortal } from './0017-one-draft-per-portal';
import { claimIndexes } from './0018-claim-indexes';
import { baseFourRollupSpans } from './0019-base-4-rollup-spans';
import { previewJobs } from './0022-preview-jobs';
import { reportCoveringIndexes } from './0023-report-covering-indexes';
import { outboxClaimIndex } from './0024-outbox-claim-index';
import { fineDurationsByDay } from './0025-fine-durations-by-day';
import { recordPropertyObservedAt } from './0026-record-property-observed-at';

/** Every migration, by name; names sort in the order they run. Append only: never edit a released migration. */
export function allMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial-schema': initialSchema(dialect),
    '0002-associations-and-workflow-executions': associationsAndWorkflowExecutions(),
    '0003-shared-rate-budget': sharedRateBudget(dialect),
    '0004-oauth-installations': oauthInstallations(),
    '0005-privacy-tombstones': privacyTombstones(),
    '0006-quarantine-failures-retention': quarantineFailuresRetention(),
    '0007-provisioned-assets': provisionedAssets(),
    '0008-ledger-aggregates': ledgerAggregates(),
    '0009-model-revisions': modelRevisions(),
    '0011-ledger-aggregate-rollups': ledgerAggregateRollups(),
    '0013-pages-and-blocked-actions': pageIndexesAndBlockedActions(),
    '0014-record-properties': recordProperties(),
    '0015-report-coarse-durations-and-stock': reportCoarseDurationsAndStock(),
    '0016-outbox-status-index': outboxStatusIndex(),
    '0017-one-draft-per-portal': oneDraftPerPortal(),
    '0018-claim-indexes': claimIndexes(),
    '0019-base-4-rollup-spans': baseFourRollupSpans(),
    '0022-preview-jobs': previewJobs(dialect),
    '0023-report-covering-indexes': reportCoveringIndexes(),
    '0024-outbox-claim-index': outboxClaimIndex(),
    '0025-fine-durations-by-day': fineDurationsByDay(),
    '0026-record-property-observed-at': recordPropertyObservedAt(),
  };
}
