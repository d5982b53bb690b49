import { z } from 'zod';
import { AuditPageQuerySchema, type AuditEntry, type AuditPageView } from '../../contracts/page-api';
import type { LedgerEntry } from '../../core';
import type { LedgerPort, PortalId, RecentLedgerQuery } from '../ports/store-ports';

export type AuditPageRequest = z.output<typeof AuditPageQuerySchema>;

const CursorSchema = z.tuple([z.number().int().nonnegative(), z.string().min(1)]);

/** The keyset of a row, as an opaque URL-safe string the page hands back for the next page. */
export function encodeAuditCursor(entry: Pick<LedgerEntry, 'occurredAt' | 'transitionId'>): string {
  return Buffer.from(JSON.stringify([entry.occurredAt, entry.transitionId]), 'utf8').toString('base64url');
}

/** @throws ZodError when the cursor is not one this backend handed out. */
export function decodeAuditCursor(cursor: string): NonNullable<RecentLedgerQuery['after']> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success) throw new z.ZodError([{ code: 'custom', path: ['cursor'], message: 'cursor must be the nextCursor of a previous page', input: cursor }]);
  return { occurredAt: result.data[0], transitionId: result.data[1] };
}

/**
 * One page of the Audit page: the portal's transitions newest first, with reason, source and actor, filtered by the
 * stage moved into and by kind. Keyset pagination: one more row than the page is read to know whether another page
 * follows, so each call reads at most `limit + 1` rows by index, however long the ledger.
 */
export async function loadAuditPage(ledger: Pick<LedgerPort, 'recent'>, portalId: PortalId, request: AuditPageRequest): Promise<AuditPageView> {
  const rows = await ledger.recent(portalId, {
    ...(request.objectType === undefined ? {} : { objectType: request.objectType }),
    ...(request.stage === undefined ? {} : { stage: request.stage }),
    ...(request.kind === undefined ? {} : { kind: request.kind }),
    ...(request.cursor === undefined ? {} : { after: decodeAuditCursor(request.cursor) }),
    limit: request.limit + 1,
  });
  const page = rows.slice(0, request.limit);
  const last = page[page.length - 1];
  return { entries: page.map(auditEntry), nextCursor: rows.length > request.limit && last ? encodeAuditCursor(last) : null };
}

function auditEntry(entry: LedgerEntry): AuditEntry {
  return {
    transitionId: entry.transitionId,
    objectType: entry.objectType,
    objectId: entry.objectId,
    fromStage: entry.fromStage,
    toStage: entry.toStage,
    kind: entry.kind,
    reason: entry.reason,
    reasonCode: entry.reasonCode,
    source: entry.source,
    actor: entry.actor,
    occurredAt: new Date(entry.occurredAt).toISOString(),
  };
}
