import { hubspot, TableBody, TableCell, TableRow, Tag, type TableProps } from '@hubspot/ui-extensions';
import type { RenderedElementNode } from '@hubspot/ui-extensions/testing';
import type { AuditPageView, FunnelPageView, SyncHealthView } from '../contract.ts';

/** HubSpot's fetch answers with a real Response, as in the browser. */
export const jsonResponse = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** hubspot.fetch is HubSpot's boundary (not mocked by createRenderer): answer by path, in order per path. */
export function answerByPath(answers: Record<string, Array<Response | Error>>) {
  return jest.spyOn(hubspot, 'fetch').mockImplementation(async (url) => {
    const path = new URL(String(url)).pathname;
    const queue = answers[path];
    const next = queue?.length === 1 ? queue[0] : queue?.shift();
    if (!next) throw new Error(`no answer for ${path}`);
    if (next instanceof Error) throw next;
    return next.clone();
  });
}

/** The query of the n-th hubspot.fetch call, as a plain object. */
export function queryOf(spy: jest.SpyInstance, n: number): Record<string, string> {
  const query: Record<string, string> = {};
  new URL(String(spy.mock.calls[n]![0])).searchParams.forEach((value, name) => (query[name] = value));
  return query;
}

export function tableRows(table: RenderedElementNode<TableProps>): Array<Array<string | null>> {
  return table
    .find(TableBody)
    .findAll(TableRow)
    .map((row) => row.findAll(TableCell).map((cell) => cell.text ?? cell.maybeFind(Tag)?.text ?? null));
}

/** Retries an assertion about something that does not re-render the page (e.g. a spied call) until it passes. */
export async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

export const PATIENCE = { timeoutInMs: 5_000 };

export function funnelView(): FunnelPageView {
  return {
    objectType: 'contact',
    period: { from: '2026-11-04T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' },
    rows: [
      row({ stageId: 'lead', label: 'Lead', beginning: 10, flowIn: 5, flowOut: 4, ending: 11, cvr: 0.4, medianDays: 3.25, slaDue: 1, slaPastDue: 2 }),
      row({ stageId: 'mql', label: 'MQL', beginning: 4, flowIn: 4, flowOut: 2, ending: 6, cvr: 0.5, medianDays: null, slaDue: 0, slaPastDue: 0 }),
      row({ stageId: 'recycled', label: 'Recycled', kind: 'recycle', beginning: 1, flowIn: 2, flowOut: 1, ending: 2, cvr: 0.5 }),
      row({ line: 'reason', stageId: 'recycled', label: 'no_budget', kind: 'recycle', flowIn: 2 }),
    ],
    stockSeries: {
      stages: [
        { stageId: 'lead', label: 'Lead' },
        { stageId: 'mql', label: 'MQL' },
      ],
      points: [
        { at: '2026-11-04T00:00:00.000Z', stock: { lead: 10, mql: 4 } },
        { at: '2026-12-04T00:00:00.000Z', stock: { lead: 11, mql: 6 } },
      ],
    },
  };
}

function row(overrides: Partial<FunnelPageView['rows'][number]>): FunnelPageView['rows'][number] {
  return {
    line: 'stage',
    stageId: 's',
    label: 'S',
    kind: 'path',
    beginning: null,
    flowIn: 0,
    flowOut: null,
    ending: null,
    cvr: null,
    fastpassed: null,
    skippedThrough: null,
    medianDays: null,
    slaDue: null,
    slaPastDue: null,
    ...overrides,
  };
}

export function syncHealth(overrides: Partial<SyncHealthView> = {}): SyncHealthView {
  return {
    queues: { inboxPending: 3, outboxPending: 1, lagSeconds: 42.4, failingSince: null },
    lastWebhookReceivedAt: '2026-12-03T08:00:00.000Z',
    rateLimits: { tooManyRequests: 2, windowMinutes: 60 },
    dailyLimit: [],
    deadLetters: {
      items: [
        { id: 7, source: 'outbox', record: 'contact:101', reason: 'HubSpot refused the write', failedAt: '2026-12-02T10:00:00.000Z', retryable: true },
        { id: 8, source: 'webhook', record: 'contact:x', reason: 'no objectId', failedAt: '2026-12-02T11:00:00.000Z', retryable: false },
      ],
      shown: 25,
    },
    backfill: { status: 'paused', scanned: 400, total: null, startedAt: '2026-12-01T00:00:00.000Z', finishedAt: null, lastError: null },
    ...overrides,
  };
}

export function auditPage(ids: string[], nextCursor: string | null): AuditPageView {
  return {
    entries: ids.map((id, i) => ({
      transitionId: id,
      objectType: 'contact',
      objectId: String(100 + i),
      fromStage: 'lead',
      toStage: 'dead_end',
      kind: 'dead_end',
      reason: 'Dead end: student',
      reasonCode: 'student',
      source: i === 0 ? 'command' : 'rules',
      actor: i === 0 ? 'ada@acme.test' : null,
      occurredAt: '2026-12-02T10:00:00.000Z',
    })),
    nextCursor,
  };
}
