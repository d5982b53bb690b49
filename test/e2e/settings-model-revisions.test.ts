import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signV1 } from '../../src/adapters/hubspot/signature';
import { defaultModel, defaultModelDocument } from '../../src/core';
import { main } from '../../src/cli/main';
import {
  settingsApiPaths,
  type ModelDiffView,
  type ModelRevisionList,
  type ModelSettingsView,
  type PreviewJobAnswer,
  type PreviewJobView,
  type ReevaluationAnswer,
} from '../../src/contracts/settings-api';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { signedFetch } from '../support/hubspot-fetch';

type Doc = Record<string, any>;
const ADMIN = { portalId: PORTAL, userId: 7, userEmail: 'admin@acme.test' };

/** The admin's edit: only a lead score of 100 makes an MQL (a demo request no longer does). */
function stricterMql(): Doc {
  const document = structuredClone(defaultModelDocument) as Doc;
  document.name = 'Stricter MQL';
  const nurturing = (document.stages as Doc[]).find((s) => s.id === 'nurturing')!;
  nurturing.transitions = [{ to: 'mql', when: { score: { property: 'hubspotscore', gte: 100 } }, reason: 'Reached the lead score threshold' }];
  return document;
}

describe('settings: edit the model, preview it, publish it, roll it back (per-portal revisions)', () => {
  let h: PipelineHarness;
  let folder: string;
  const savedEnv = { ...process.env };
  beforeEach(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'lc-settings-e2e-'));
    h = await startPipelineHarness({ databaseUrl: `sqlite:${path.join(folder, 'e2e.db')}`, backend: { modelRevisions: { seedDocument: defaultModel().document } } });
  });
  afterEach(async () => {
    await h.stop();
    rmSync(folder, { recursive: true, force: true });
    process.env = { ...savedEnv };
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });

  const call = (pathAndQuery: string, options: { method?: 'GET' | 'POST' | 'PUT'; body?: unknown } = {}) =>
    signedFetch(h.backend.url, pathAndQuery, { ...options, claims: ADMIN, clientSecret: h.sim.portals[0]!.clientSecret, timestamp: h.clock.now() });

  /** Starts the preview of the draft (202, at once) and polls the job as the settings page does until it has ended. */
  async function previewJob(period: { from: string; to: string }): Promise<PreviewJobView> {
    const started = await call(settingsApiPaths.preview(), { method: 'POST', body: period });
    expect(started).toMatchObject({ status: 202, body: { job: { status: 'running', startedBy: 'admin@acme.test' } } });
    const id = (started.body as PreviewJobAnswer).job!.id;
    await h.backend.previews!.settled();
    const polled = await call(settingsApiPaths.previewJob(id));
    expect(polled.status).toBe(200);
    return (polled.body as PreviewJobAnswer).job!;
  }

  /** Two contacts engage; one asks for a demo and becomes an MQL under the seeded model. */
  async function portalWithHistory() {
    const start = h.clock.now();
    const asked = await h.createContact({ email: 'ada@acme.test' });
    const clicked = await h.createContact({ email: 'bob@acme.test' });
    await h.settle();
    h.clock.advance(60_000);
    h.activity({ kind: 'email_click', contactId: asked });
    h.activity({ kind: 'email_click', contactId: clicked });
    await h.settle();
    h.clock.advance(DAY);
    h.activity({ kind: 'form_submission', contactId: asked, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    h.clock.advance(DAY);
    return { from: new Date(start).toISOString(), to: new Date(h.clock.now()).toISOString() };
  }

  /** A new contact who engages and asks for a demo: the webhooks after the change. */
  async function newDemoRequest(email: string): Promise<string> {
    const id = await h.createContact({ email });
    await h.settle();
    h.clock.advance(60_000);
    h.activity({ kind: 'email_click', contactId: id });
    await h.settle();
    h.clock.advance(60_000);
    h.activity({ kind: 'form_submission', contactId: id, formKind: 'demo_request', formName: 'Demo request' });
    await h.settle();
    return id;
  }

  /** `lifecycle replay --json` for the same portal, period and what-if model, against the same store and HubSpot. */
  async function cliReplay(document: Doc, period: { from: string; to: string }): Promise<{ stages: unknown; contacts: number; ledgerRows: unknown }> {
    const file = path.join(folder, 'draft.json');
    writeFileSync(file, JSON.stringify(document));
    const sim = h.sim.portals[0]!;
    Object.assign(process.env, {
      HUBSPOT_ACCESS_TOKEN: sim.accessTokens[0],
      HUBSPOT_PORTAL_ID: String(PORTAL),
      HUBSPOT_CLIENT_SECRET: sim.clientSecret,
      HUBSPOT_API_BASE_URL: h.sim.baseUrl,
    });
    delete process.env['LIFECYCLE_MODEL_FILE'];
    let out = '';
    jest.spyOn(console, 'log').mockImplementation((text: string) => void (out += `${text}\n`));
    await main([
      'node',
      'lifecycle',
      'replay',
      '--json',
      '--model',
      file,
      '--database',
      `sqlite:${path.join(folder, 'e2e.db')}`,
      '--portal',
      String(PORTAL),
      '--from',
      period.from,
      '--to',
      period.to,
    ]);
    jest.restoreAllMocks();
    expect(process.exitCode ?? 0).toBe(0);
    return JSON.parse(out) as { stages: unknown; contacts: number; ledgerRows: unknown };
  }

  it('the admin edits, previews exactly what `lifecycle replay` shows, publishes, the next webhook follows the new revision, and rollback restores the old one', async () => {
    const period = await portalWithHistory();
    const before = (await call(settingsApiPaths.model())).body as ModelSettingsView;
    expect(before).toMatchObject({ published: { revision: 1, status: 'published', author: null }, draft: null });

    // An invalid edit is refused with each problem at its field, and nothing is saved.
    const broken = stricterMql();
    (broken.stages as Doc[]).find((s) => s.id === 'mql')!.slaDays = 0;
    const refused = await call(settingsApiPaths.draft(), { method: 'PUT', body: { document: broken, note: 'oops' } });
    const mqlIndex = (broken.stages as Doc[]).findIndex((s) => s.id === 'mql');
    expect(refused).toMatchObject({ status: 422, body: { error: 'invalid_model', issues: [{ path: `stages[${mqlIndex}].slaDays` }] } });

    const saved = await call(settingsApiPaths.draft(), { method: 'PUT', body: { document: stricterMql(), note: 'Only the score makes an MQL' } });
    expect(saved).toMatchObject({ status: 200, body: { revision: 2, status: 'draft', author: 'admin@acme.test', note: 'Only the score makes an MQL' } });

    // Preview = lifecycle replay of the same model over the same period, from the store alone: no contact is read
    // from HubSpot (fitting the draft to the portal reads its lifecycle stage options, as publishing does).
    h.sim.control.resetStats();
    const job = await previewJob(period);
    expect(job).toMatchObject({ status: 'done', stale: false, error: null, progress: { contactsDone: 2, contactsTotal: 2 } });
    expect(h.sim.control.stats().portals[String(PORTAL)]?.byEndpoint ?? {}).toEqual({ 'GET /contacts/lifecyclestage': 1 });
    const answer = job.result!;
    expect((await call(settingsApiPaths.preview())).body).toEqual({ job });
    expect(answer).toMatchObject({ draftRevision: 2, publishedRevision: 1, contacts: 2, unreadable: null });
    expect(answer.stages.find((s) => s.stageId === 'mql')).toMatchObject({ flowIn: { current: 1, whatIf: 0, delta: -1 } });
    const cli = await cliReplay(stricterMql(), period);
    expect(answer.stages).toEqual(cli.stages);
    expect({ contacts: answer.contacts, ledgerRows: answer.ledgerRows }).toEqual({ contacts: cli.contacts, ledgerRows: cli.ledgerRows });

    // Publish: the next webhook is decided by revision 2, and its ledger rows say so; the preview is now stale.
    const published = await call(settingsApiPaths.publish(2), { method: 'POST' });
    expect((await call(settingsApiPaths.previewJob(job.id))).body).toMatchObject({ job: { id: job.id, status: 'done', stale: true } });
    expect(published).toMatchObject({ status: 200, body: { published: { revision: 2, status: 'published', publishedBy: 'admin@acme.test' }, previous: 1 } });
    const underNew = await h.history(await newDemoRequest('cy@acme.test'));
    expect(underNew.map((e) => e.toStage)).not.toContain('mql');
    expect(underNew.length).toBeGreaterThan(0);
    expect(underNew.every((e) => e.modelRevision === 2)).toBe(true);

    const history = (await call(settingsApiPaths.revisions())).body as ModelRevisionList;
    expect(history.revisions.map((r) => [r.revision, r.status])).toEqual([
      [2, 'published'],
      [1, 'archived'],
    ]);
    const diff = (await call(settingsApiPaths.diff(2, 1))).body as ModelDiffView;
    expect(diff.changes.map((c) => c.path)).toEqual(['name', 'stages[nurturing].transitions']);

    // Rollback = publish revision 1 again: the next demo request makes an MQL, under revision 1.
    const rollback = await call(settingsApiPaths.publish(1), { method: 'POST' });
    expect(rollback).toMatchObject({ status: 200, body: { published: { revision: 1 }, previous: 2 } });
    const afterRollback = await h.history(await newDemoRequest('di@acme.test'));
    expect(afterRollback.map((e) => e.toStage)).toContain('mql');
    expect(afterRollback.every((e) => e.modelRevision === 1)).toBe(true);
    // Rows decided before keep the revision that decided them.
    expect((await h.history(underNew[0]!.objectId)).every((e) => e.modelRevision === 2)).toBe(true);
  });

  it('Preview reads no contact from HubSpot: a draft reading a property the store does not hold is answered with that property and the contacts lacking it, and no comparison', async () => {
    const period = await portalWithHistory();
    const draft = stricterMql();
    (draft.stages as Doc[]).find((s) => s.id === 'nurturing')!.transitions = [{ to: 'mql', when: { property: 'company', op: 'equals', value: 'Acme' }, reason: 'At Acme' }];
    expect((await call(settingsApiPaths.draft(), { method: 'PUT', body: { document: draft, note: 'company rule' } })).status).toBe(200);
    h.sim.control.resetStats();

    const job = await previewJob(period);

    expect(job).toMatchObject({ status: 'done', result: { unreadable: { properties: ['company'], contacts: 2 }, stages: [] } });
    // Only the fit of the draft to the portal's lifecycle stages: no contact read.
    expect(h.sim.control.stats().portals[String(PORTAL)]?.byEndpoint ?? {}).toEqual({ 'GET /contacts/lifecyclestage': 1 });
  });

  it("a preview that fails records HubSpot's error for the page, and a preview started again runs", async () => {
    const period = await portalWithHistory();
    expect((await call(settingsApiPaths.draft(), { method: 'PUT', body: { document: stricterMql(), note: 'score only' } })).status).toBe(200);
    // Fitting the draft to the portal reads its lifecycle stages: HubSpot fails that read.
    h.sim.control.setFaults(PORTAL, { failingRoutes: [{ method: 'GET', pathPattern: 'lifecyclestage$', status: 503 }] });

    const failed = await previewJob(period);

    expect(failed).toMatchObject({ status: 'failed', result: null, error: expect.stringMatching(/^HubSpot could not be read/) });
    h.sim.control.setFaults(PORTAL, {});
    expect(await previewJob(period)).toMatchObject({ status: 'done', result: { draftRevision: 2, contacts: 2 } });
  });

  it('the preview routes name bad input, a missing draft and an unknown job', async () => {
    expect(await call(settingsApiPaths.preview(), { method: 'POST', body: {} })).toMatchObject({ status: 404, body: { error: 'no_draft' } });
    expect((await call(settingsApiPaths.preview())).body).toEqual({ job: null });
    expect(await call(`${settingsApiPaths.preview()}/abc`)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await call(settingsApiPaths.previewJob(12345))).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call(settingsApiPaths.preview(), { method: 'POST', body: { from: 'yesterday' } })).toMatchObject({ status: 400 });
  });

  it('"re-evaluate every record now" runs in the worker, batch by batch, with its progress readable while it runs', async () => {
    await portalWithHistory();
    expect((await call(settingsApiPaths.reevaluation())).body).toEqual({ reevaluation: null });

    const started = await call(settingsApiPaths.reevaluation(), { method: 'POST' });
    expect(started).toMatchObject({ status: 202, body: { reevaluation: { revision: 1, startedBy: 'admin@acme.test', finishedAt: null, recordsDone: 0 } } });
    expect(await call(settingsApiPaths.reevaluation(), { method: 'POST' })).toMatchObject({ status: 409, body: { reevaluation: { finishedAt: null } } });

    h.sim.control.resetStats();
    await h.settle();
    const done = (await call(settingsApiPaths.reevaluation())).body as ReevaluationAnswer;
    expect(done.reevaluation).toMatchObject({ recordsDone: 2, transitions: 0 });
    expect(done.reevaluation?.finishedAt).not.toBeNull();
    // Both contacts in one batch read: the job goes at the rate limit's pace, never one call per contact.
    expect(h.sim.control.stats().portals[String(PORTAL)]?.byEndpoint['POST /contacts/batch/read']).toBe(1);
  });

  it("an unsigned, forged or v1-only request neither reads nor changes the portal's model", async () => {
    const unsigned = await signedFetch(h.backend.url, settingsApiPaths.model(), { claims: ADMIN, clientSecret: 'x', timestamp: h.clock.now(), unsigned: true });
    expect(unsigned.status).toBe(401);
    const forged = await signedFetch(h.backend.url, settingsApiPaths.draft(), {
      method: 'PUT',
      body: { document: stricterMql() },
      claims: ADMIN,
      clientSecret: 'not-the-secret',
      timestamp: h.clock.now(),
    });
    expect(forged.status).toBe(401);
    // A v1 signature of an empty GET is the constant sha256(secret): it must open no settings (R24).
    const url = `${h.backend.url}${settingsApiPaths.model()}?portalId=${PORTAL}`;
    const v1 = { 'X-HubSpot-Signature': signV1({ clientSecret: h.sim.portals[0]!.clientSecret, body: '' }), 'X-HubSpot-Signature-Version': 'v1' };
    expect((await fetch(url, { headers: v1 })).status).toBe(401);
    expect(await h.store.modelRevisions.draft(PORTAL)).toBeNull();
  });
});
