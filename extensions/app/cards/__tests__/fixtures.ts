import { hubspot, TableBody, TableCell, TableRow, Tag, type TableProps } from '@hubspot/ui-extensions';
import type { createRenderer, RenderedElementNode } from '@hubspot/ui-extensions/testing';
import type { CompanyHealthView, ContactLifecycleView, DealImpactView, StageRef } from '../contract.ts';

/** Stage references as the backend sends them for the default model. */
export const stage = {
  leadAcquired: { id: 'lead_acquired', label: 'Lead acquired', kind: 'path' },
  nurturing: { id: 'nurturing', label: 'Nurturing', kind: 'path' },
  mql: { id: 'mql', label: 'MQL', kind: 'path' },
  appointment: { id: 'appointment', label: 'Appointment', kind: 'path' },
  opportunity: { id: 'opportunity', label: 'Opportunity', kind: 'path' },
  customer: { id: 'customer', label: 'Customer', kind: 'path' },
  expand: { id: 'expand', label: 'Expand', kind: 'path' },
  recycleA: { id: 'recycle_a', label: 'Recycle A', kind: 'recycle' },
  recycleB: { id: 'recycle_b', label: 'Recycle B', kind: 'recycle' },
  deadEnd: { id: 'dead_end', label: 'Dead end', kind: 'dead_end' },
} satisfies Record<string, StageRef>;

export const PATH = [stage.leadAcquired, stage.nurturing, stage.mql, stage.appointment, stage.opportunity, stage.customer, stage.expand];

type SyncedContact = Extract<ContactLifecycleView, { synced: true }>;

/** A contact at Appointment for 40 days against a 30-day SLA, reached by a Fastpass from Nurturing. */
export function contactAtAppointment(overrides: Partial<SyncedContact> = {}): SyncedContact {
  return {
    synced: true,
    objectId: '123',
    stage: stage.appointment,
    path: PATH,
    stageEnteredAt: '2026-03-01T15:00:00Z',
    timeInStage: { days: 40, sla: { days: 30, status: 'breached' } },
    recycle: null,
    deadEndReason: null,
    history: [
      {
        at: '2026-03-01T15:00:00Z',
        from: stage.nurturing,
        to: stage.appointment,
        kind: 'fastpass',
        reason: 'A target account attended our event',
        skipped: [stage.mql],
      },
      { at: '2026-02-10T09:30:00Z', from: null, to: stage.nurturing, kind: 'enter', reason: 'Contact information obtained', skipped: [] },
    ],
    allowedActions: {
      recycleReasons: [
        { code: 'stalled', label: 'No meeting or deal followed' },
        { code: 'bad_timing', label: 'Pausing evaluation for now' },
      ],
      deadEndReasons: [{ code: 'student', label: 'Student' }],
      fastpassTargets: [stage.opportunity, stage.customer],
    },
    suggestedAction: {
      action: 'recycle',
      why: 'Past its SLA in Appointment: recycle it to nurture with a reason rather than let it sit.',
      reasons: [
        { code: 'stalled', label: 'No meeting or deal followed' },
        { code: 'bad_timing', label: 'Pausing evaluation for now' },
      ],
    },
    ...overrides,
  };
}

/** The same contact after "Recycle: pausing evaluation": in Recycle A, marketing paused for 30 days. */
export function contactRecycled(): SyncedContact {
  return contactAtAppointment({
    stage: stage.recycleA,
    stageEnteredAt: '2026-04-10T14:00:00Z',
    timeInStage: { days: 18, sla: null },
    recycle: {
      reason: { code: 'bad_timing', label: 'Pausing evaluation for now' },
      count: 2,
      marketingPausedUntil: '2026-05-10T14:00:00Z',
      pauseDaysLeft: 12,
    },
    allowedActions: { recycleReasons: [], deadEndReasons: [{ code: 'student', label: 'Student' }], fastpassTargets: [] },
    suggestedAction: null,
  });
}

type SyncedCompany = Extract<CompanyHealthView, { synced: true }>;

export function companyAtRisk(overrides: Partial<SyncedCompany> = {}): SyncedCompany {
  return {
    synced: true,
    objectId: '123',
    score: 58,
    band: 'at_risk',
    trend: { days: 30, previous: 66, delta: -8 },
    components: [
      { id: 'stageProgress', label: 'Stage progress', weight: 20, score: 0.75, detail: 'Most advanced: Opportunity' },
      { id: 'slaBreaches', label: 'SLA breaches', weight: 10, score: 0.5, detail: '1 of 2 contacts past SLA' },
    ],
    weakestComponent: { id: 'stageProgress', label: 'Stage progress', pointsLost: 5, detail: 'Most advanced: Opportunity' },
    accountStage: stage.opportunity,
    contactsPerStage: [
      { stageId: 'nurturing', label: 'Nurturing', count: 3 },
      { stageId: 'opportunity', label: 'Opportunity', count: 1 },
    ],
    journey: [{ at: '2026-03-05T10:00:00Z', from: stage.appointment, to: stage.opportunity, kind: 'advance', reason: 'A deal was opened', skipped: [] }],
    ...overrides,
  };
}

type SyncedDeal = Extract<DealImpactView, { synced: true }>;

export function openDeal(overrides: Partial<SyncedDeal> = {}): SyncedDeal {
  return {
    synced: true,
    objectId: '123',
    outcome: null,
    impacts: [
      {
        subject: { type: 'account', id: '900', name: 'Acme' },
        current: stage.opportunity,
        afterWin: stage.customer,
        afterLoss: { stage: stage.opportunity, pauseDays: null },
      },
      {
        subject: { type: 'contact', id: '501', name: 'Ada Lovelace' },
        current: stage.opportunity,
        afterWin: stage.customer,
        afterLoss: { stage: stage.recycleB, pauseDays: 90 },
      },
    ],
    ...overrides,
  };
}

/** HubSpot's fetch answers with a real Response, as in the browser. */
export const jsonResponse = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** hubspot.fetch is HubSpot's boundary (not mocked by createRenderer): answer each call in turn. */
export function answerFetch(...responses: Array<Response | Error>) {
  const spy = jest.spyOn(hubspot, 'fetch');
  for (const response of responses) {
    if (response instanceof Error) spy.mockRejectedValueOnce(response);
    else spy.mockResolvedValueOnce(response);
  }
  return spy;
}

/** A fetch that stays pending until the test settles it. */
export function deferredResponse() {
  let resolve!: (response: Response) => void;
  const promise = new Promise<Response>((r) => (resolve = r));
  return { promise, resolve };
}

/** The body rows of a rendered table as cell texts (a cell holding a Tag reads as the tag's text). */
export function tableRows(table: RenderedElementNode<TableProps>): Array<Array<string | null>> {
  return table
    .find(TableBody)
    .findAll(TableRow)
    .map((row) => row.findAll(TableCell).map((cell) => cell.text ?? cell.maybeFind(Tag)?.text ?? null));
}

/** React runs effects after the render; waitFor only re-checks on UI updates, so let a macrotask pass instead. */
/**
 * Lets React run its effects. Several macrotask turns, because React's scheduler may need more than one when the
 * machine is busy (a single turn made these tests flaky under a loaded CI run).
 */
export async function afterEffects(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Retries an assertion about something that does not re-render the card (e.g. a spied call) until it passes. */
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

/** The testing library's waitFor gives up after 1 s; a loaded machine needs longer. */
export const PATIENCE = { timeoutInMs: 5_000 };

/** A renderer whose waitFor waits patiently by default. */
export function patient<R extends { waitFor: (check: () => void, options?: { timeoutInMs?: number }) => Promise<void> }>(renderer: R): R {
  return { ...renderer, waitFor: (check: () => void, options?: { timeoutInMs?: number }) => renderer.waitFor(check, options ?? PATIENCE) };
}

/** The context a sidebar or preview card gets in these tests: portal 777 in UTC, record 123 of `objectTypeId`, an en-US user. */
export function summaryContext(renderer: ReturnType<typeof createRenderer>, location: 'crm.record.sidebar' | 'crm.preview', objectTypeId: '0-1' | '0-2' | '0-3') {
  const base = renderer.mocks.context;
  return { ...base, location, user: { ...base.user, locale: 'en-US' }, portal: { id: 777, timezone: 'UTC' }, crm: { objectId: 123, objectTypeId } };
}
