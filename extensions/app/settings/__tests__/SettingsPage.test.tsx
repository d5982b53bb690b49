import { Alert, Button, Input, LoadingButton, Modal, NumberInput, ProgressBar, Table, TableBody, TableCell, TableRow, Text, TextArea, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { SettingsApi } from '../backend.ts';
import type { ModelRevisionList, ModelSettingsView, PreviewAnswer, PreviewJobView } from '../contract.ts';
import { SettingsPage } from '../SettingsPage.tsx';

type Doc = Record<string, any>;
/** The shipped default model, as the backend seeds a portal with it (babel-jest loads JSON as CommonJS). */
const defaultModel = jest.requireActual<Doc>('../../../../src/core/model/default-model.json');
const PATIENCE = { timeoutInMs: 5_000 };
const revision = (n: number, status: 'draft' | 'published' | 'archived', extra: Partial<ModelSettingsView['published']> = {}) => ({
  revision: n,
  status,
  note: '',
  author: null,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  publishedAt: status === 'draft' ? null : '2026-03-01T10:00:00.000Z',
  publishedBy: null,
  document: structuredClone(defaultModel) as unknown,
  ...extra,
});

const PREVIEW: PreviewAnswer = {
  draftRevision: 2,
  publishedRevision: 1,
  period: { start: '2026-01-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
  contacts: 2,
  missing: 0,
  ledgerRows: { current: 5, whatIf: 4 },
  unreadable: null,
  stages: [{ stageId: 'mql', label: 'MQL', flowIn: { current: 1, whatIf: 0, delta: -1 }, ending: { current: 1, whatIf: 0, delta: -1 }, cvr: { current: 0.5, whatIf: null, delta: null } }],
};

/** A preview job as the backend answers it: running by default. */
const previewJob = (extra: Partial<PreviewJobView> = {}): PreviewJobView => ({
  id: 7,
  status: 'running',
  draftRevision: 2,
  publishedRevision: 1,
  period: { start: '2026-01-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
  progress: { contactsDone: 0, contactsTotal: 2000 },
  startedBy: 'admin@example.com',
  startedAt: '2026-03-01T10:00:00.000Z',
  finishedAt: null,
  stale: false,
  error: null,
  result: null,
  ...extra,
});
const DONE = previewJob({ status: 'done', progress: { contactsDone: 2000, contactsTotal: 2000 }, finishedAt: '2026-03-01T10:00:09.000Z', result: PREVIEW });

const RUNNING = { revision: 1, startedBy: 'admin@example.com', startedAt: '2026-03-01T10:00:00.000Z', finishedAt: null, recordsDone: 0, transitions: 0 };

function fakeApi(view: ModelSettingsView, overrides: Partial<SettingsApi> = {}): jest.Mocked<SettingsApi> {
  const history: ModelRevisionList = { revisions: [revision(1, 'published')], nextBefore: null };
  return {
    load: jest.fn(async () => view),
    revisions: jest.fn(async () => history),
    saveDraft: jest.fn(async (document: unknown, note: string) => ({ saved: { ...revision(2, 'draft'), document, note, author: 'admin@example.com' } })),
    startPreview: jest.fn(async () => ({ job: previewJob() })),
    previewJob: jest.fn(async () => ({ job: DONE })),
    latestPreview: jest.fn(async () => ({ job: null })),
    diff: jest.fn(async (n: number) => ({ revision: n, against: view.published.revision, changes: [{ path: 'stages[mql].slaDays', kind: 'changed' as const, before: 5, after: 3 }] })),
    publish: jest.fn(async (n: number) => ({ published: revision(n, 'published'), previous: 1 })),
    reevaluation: jest.fn(async () => ({ reevaluation: null })),
    startReevaluation: jest.fn(async () => ({ reevaluation: RUNNING })),
    ...overrides,
  } as jest.Mocked<SettingsApi>;
}

const closeOverlay = jest.fn();
function renderPage(api: SettingsApi) {
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage context={renderer.mocks.context} actions={{ closeOverlay }} api={api} pollMs={5} />);
  return renderer;
}
type Renderer = ReturnType<typeof renderPage>;

const MQL = (defaultModel.stages as Doc[]).findIndex((s) => s.id === 'mql');
const loaded = (r: Renderer) => r.waitFor(() => expect(r.find(NumberInput, { name: `stages[${MQL}].slaDays` })).toBeDefined(), PATIENCE);
const press = (r: Renderer, testId: string) => r.findByTestId(LoadingButton, testId).trigger('onClick');

describe('Settings page: the lifecycle model of this account', () => {
  it('shows the fields admins change most, filled from the published model', async () => {
    const r = renderPage(fakeApi({ published: revision(1, 'published'), draft: null }));
    await loaded(r);

    expect(r.find(NumberInput, { name: `stages[${MQL}].slaDays` }).props.value).toBe(3);
    expect(r.find(Input, { name: `stages[${MQL}].label` }).props.value).toBe('MQL');
    expect(r.find(NumberInput, { name: 'recycle[0].pauseDays' }).props.value).toBe(30);
    expect(r.find(NumberInput, { name: 'recycle[0].reengagement.when.atLeast' }).props.value).toBe(3);
    expect(r.find(TextArea, { name: 'deadEnd.rules[2].when.values' }).props.value).toBe('competitor.example');
    expect(r.find(NumberInput, { name: 'health.weights.velocity' }).props.value).toBe(10);
    const nurturing = (defaultModel.stages as Doc[]).findIndex((s) => s.id === 'nurturing');
    expect(r.find(NumberInput, { name: `stages[${nurturing}].transitions[0].when.any[1].score.gte` }).props.value).toBe(100);
    expect(
      r
        .findAll(Toggle)
        .filter((t) => String(t.props.name).startsWith('fastpass.'))
        .map((t) => [t.props.name, t.props.checked]),
    ).toContainEqual(['fastpass.quote_request', true]);
  });

  it("shows the model schema's error next to the field as the admin types, and will not save until it is fixed", async () => {
    const api = fakeApi({ published: revision(1, 'published'), draft: null });
    const r = renderPage(api);
    await loaded(r);

    r.find(NumberInput, { name: `stages[${MQL}].slaDays` }).trigger('onChange', 0 as never);
    await r.waitFor(() => expect(r.find(NumberInput, { name: `stages[${MQL}].slaDays` }).props.error).toBe(true), PATIENCE);
    expect(r.find(NumberInput, { name: `stages[${MQL}].slaDays` }).props.validationMessage).toMatch(/>0|greater than 0|too small/i);
    expect(r.findByTestId(LoadingButton, 'save-draft').props.disabled).toBe(true);
  });

  it("saves the edit as a draft, and shows the backend's cross-check errors at their fields", async () => {
    const api = fakeApi(
      { published: revision(1, 'published'), draft: null },
      {
        saveDraft: jest.fn(async () => ({
          invalid: { error: 'invalid_model' as const, message: 'the model has 1 problem(s)', issues: [{ path: 'health.weights', message: 'weights must sum to 100, not 110' }] },
        })),
      },
    );
    const r = renderPage(api);
    await loaded(r);
    r.find(NumberInput, { name: 'health.weights.velocity' }).trigger('onChange', 20 as never);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'save-draft').props.disabled).toBe(false), PATIENCE);
    press(r, 'save-draft');

    await r.waitFor(() => expect(r.find(Alert).text).toBe('The draft was not saved: the model has 1 problem(s).'), PATIENCE);
    expect(r.findAll(Text).map((t) => t.text)).toContain('weights must sum to 100, not 110');
    const sent = api.saveDraft.mock.calls[0]![0] as Doc;
    expect(sent.health.weights.velocity).toBe(20);
  });

  it('previews the saved draft side by side with the published model, then publishes it', async () => {
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft', { note: 'stricter MQL' }) });
    const r = renderPage(api);
    await loaded(r);

    press(r, 'preview');
    await r.waitFor(() => expect(r.findByTestId(Table, 'preview-table')).toBeDefined(), PATIENCE);
    const rows = r
      .findByTestId(Table, 'preview-table')
      .find(TableBody)
      .findAll(TableRow)
      .map((row) => row.findAll(TableCell).map((cell) => cell.text));
    expect(rows).toEqual([['MQL', '1 → 0', '1 → 0', '50.0 % → –']]);
    expect(api.startPreview).toHaveBeenCalledWith({ from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(api.previewJob).toHaveBeenCalledWith(7);
    expect(r.maybeFind(ProgressBar)).toBeNull();

    // Publish asks first: the changes against the published revision and what the preview moved.
    press(r, 'publish');
    await r.waitFor(() => expect(r.findByTestId(Text, 'confirm-change-count').text).toBe('1 change(s) against revision 1:'), PATIENCE);
    expect(api.diff).toHaveBeenCalledWith(2);
    const modal = r.find(Modal, { id: 'confirm-publish-2' });
    expect(modal.props.title).toBe('Publish revision 2?');
    const lines = modal.findAll(Text).map((t) => t.text);
    expect(lines).toContain('stages[mql].slaDays: 5 → 3');
    expect(r.findByTestId(Text, 'confirm-preview').text).toMatch(/^The preview \(2 contacts, 2026-01-01 to 2026-04-01\) moved 1 stage\(s\):$/);
    expect(lines).toContain('MQL: flow in 1 → 0, stock at end 1 → 0, CVR 50.0 % → –');
    expect(lines).toContain('Moves recorded: 5 → 4.');
    expect(api.publish).not.toHaveBeenCalled();

    press(r, 'confirm-publish');
    await r.waitFor(() => expect(api.publish).toHaveBeenCalledWith(2), PATIENCE);
    expect(closeOverlay).toHaveBeenCalledWith('confirm-publish-2');
  });

  it('asks before publishing a draft that was not previewed, says so, and Cancel publishes nothing', async () => {
    closeOverlay.mockClear();
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft') });
    const r = renderPage(api);
    await loaded(r);

    press(r, 'publish');
    await r.waitFor(() => expect(r.findByTestId(Text, 'confirm-change-count').text).toBe('1 change(s) against revision 1:'), PATIENCE);
    expect(r.findByTestId(Text, 'confirm-no-preview').text).toMatch(/^No preview was run for this draft/);
    expect(r.maybeFindByTestId(Text, 'confirm-preview')).toBeNull();

    r.findByTestId(Button, 'cancel-publish').trigger('onClick');
    expect(closeOverlay).toHaveBeenCalledWith('confirm-publish-2');
    expect(api.publish).not.toHaveBeenCalled();
  });

  it('says which properties the draft reads that are not stored, and for how many contacts, instead of a comparison', async () => {
    const unreadable: PreviewAnswer = { ...PREVIEW, contacts: 0, stages: [], unreadable: { properties: ['company'], contacts: 2 } };
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft') }, { previewJob: jest.fn(async () => ({ job: { ...DONE, result: unreadable } })) });
    const r = renderPage(api);
    await loaded(r);

    press(r, 'preview');
    await r.waitFor(() => expect(r.find(Alert, { title: 'No preview' })).toBeDefined(), PATIENCE);
    expect(r.find(Alert, { title: 'No preview' }).text).toContain('The draft reads company, not stored for 2 contacts');
    expect(r.maybeFindByTestId(Table, 'preview-table')).toBeNull();
  });

  it('warns above the comparison that the published side is partial while the aggregates are being rebuilt', async () => {
    const message = 'aggregates for portal 123 are being rebuilt (40 of about 100 records done): figures are partial; run `lifecycle aggregates rebuild --portal 123` to finish';
    const partial: PreviewAnswer = { ...PREVIEW, publishedPartial: { recordsDone: 40, recordsTotal: 100, message } };
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft') }, { previewJob: jest.fn(async () => ({ job: { ...DONE, result: partial } })) });
    const r = renderPage(api);
    await loaded(r);

    press(r, 'preview');
    await r.waitFor(() => expect(r.findByTestId(Table, 'preview-table')).toBeDefined(), PATIENCE);
    expect(r.find(Alert, { title: 'Published side partial' }).text).toBe(message);
  });

  it('shows a running preview as a progress bar of the contacts replayed, polling until it ends, then stops polling', async () => {
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft') });
    const halfway = previewJob({ progress: { contactsDone: 1000, contactsTotal: 2000 } });
    let finished = false;
    api.previewJob.mockImplementation(async () => ({ job: finished ? { ...DONE } : { ...halfway } }));
    const r = renderPage(api);
    await loaded(r);

    press(r, 'preview');
    await r.waitFor(() => expect(r.find(ProgressBar).props.value).toBe(1000), PATIENCE);
    expect(r.find(ProgressBar).props).toMatchObject({ maxValue: 2000, title: 'Previewing draft 2', valueDescription: '1000 of 2000 contacts replayed' });
    expect(r.maybeFindByTestId(Table, 'preview-table')).toBeNull();
    // Still running: polled again and again (every 5 ms here), the bar unchanged.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.previewJob.mock.calls.length).toBeGreaterThan(2);

    finished = true;
    await r.waitFor(() => expect(r.findByTestId(Table, 'preview-table')).toBeDefined(), PATIENCE);
    expect(r.maybeFind(ProgressBar)).toBeNull();
    const asked = api.previewJob.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.previewJob.mock.calls.length).toBe(asked);
  });

  it("shows a failed preview's error, and Publish then names no preview", async () => {
    const api = fakeApi(
      { published: revision(1, 'published'), draft: revision(2, 'draft') },
      { previewJob: jest.fn(async () => ({ job: previewJob({ status: 'failed', error: 'HubSpot could not be read to fit the draft (unavailable); try again in a moment' }) })) },
    );
    const r = renderPage(api);
    await loaded(r);

    press(r, 'preview');
    await r.waitFor(() => expect(r.find(Alert, { title: 'The preview failed' }).text).toBe('HubSpot could not be read to fit the draft (unavailable); try again in a moment'), PATIENCE);
    expect(r.maybeFindByTestId(Table, 'preview-table')).toBeNull();
    press(r, 'publish');
    await r.waitFor(() => expect(r.findByTestId(Text, 'confirm-no-preview')).toBeDefined(), PATIENCE);
  });

  it('flags a finished preview whose draft changed since as out of date, and Publish does not count it as a preview of this draft', async () => {
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft') }, { latestPreview: jest.fn(async () => ({ job: { ...DONE, stale: true } })) });
    const r = renderPage(api);
    await loaded(r);

    await r.waitFor(
      () =>
        expect(r.find(Alert, { title: 'This preview is out of date' }).text).toMatch(/^It replayed draft 2 as it was on 2026-03-01; the draft or the published revision has changed since/),
      PATIENCE,
    );
    expect(r.findByTestId(Table, 'preview-table')).toBeDefined();
    expect(api.previewJob).not.toHaveBeenCalled();
    press(r, 'publish');
    await r.waitFor(() => expect(r.findByTestId(Text, 'confirm-no-preview')).toBeDefined(), PATIENCE);
    expect(r.maybeFindByTestId(Text, 'confirm-preview')).toBeNull();
  });

  it('finds the latest preview of this draft when the page opens, and a save marks it out of date', async () => {
    const api = fakeApi({ published: revision(1, 'published'), draft: revision(2, 'draft') }, { latestPreview: jest.fn(async () => ({ job: DONE })) });
    const r = renderPage(api);
    await loaded(r);
    await r.waitFor(() => expect(r.findByTestId(Table, 'preview-table')).toBeDefined(), PATIENCE);
    expect(r.maybeFind(Alert, { title: 'This preview is out of date' })).toBeNull();

    r.find(NumberInput, { name: `stages[${MQL}].slaDays` }).trigger('onChange', 4 as never);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'save-draft').props.disabled).toBe(false), PATIENCE);
    press(r, 'save-draft');

    await r.waitFor(() => expect(r.find(Alert, { title: 'This preview is out of date' })).toBeDefined(), PATIENCE);
  });

  it('lists the history with each revision’s changes, and rolls back to an archived revision', async () => {
    const api = fakeApi(
      { published: revision(2, 'published'), draft: null },
      { revisions: jest.fn(async () => ({ revisions: [revision(2, 'published'), revision(1, 'archived')], nextBefore: null })) },
    );
    const r = renderPage(api);
    await loaded(r);
    await r.waitFor(() => expect(r.findByTestId(Table, 'history').find(TableBody).findAll(TableRow)).toHaveLength(2), PATIENCE);

    r.findByTestId(Button, 'diff-1').trigger('onClick');
    await r.waitFor(() => expect(api.diff).toHaveBeenCalledWith(1), PATIENCE);
    r.findByTestId(Button, 'rollback-1').trigger('onClick');
    await r.waitFor(() => expect(r.find(Modal, { id: 'confirm-publish-1' }).props.title).toBe('Roll back to revision 1?'), PATIENCE);
    await r.waitFor(() => expect(r.find(Modal, { id: 'confirm-publish-1' }).find(Text, { testId: 'confirm-change-count' }).text).toBe('1 change(s) against revision 2:'), PATIENCE);
    expect(api.publish).not.toHaveBeenCalled();
    r.find(Modal, { id: 'confirm-publish-1' }).find(LoadingButton, { testId: 'confirm-publish' }).trigger('onClick');
    await r.waitFor(() => expect(api.publish).toHaveBeenCalledWith(1), PATIENCE);
  });

  it('starts "re-evaluate every record now" and shows its progress until it finishes', async () => {
    const api = fakeApi({ published: revision(1, 'published'), draft: null });
    api.reevaluation.mockResolvedValue({ reevaluation: { ...RUNNING, recordsDone: 300 } });
    const r = renderPage(api);
    await loaded(r);

    r.findByTestId(Button, 'reevaluate').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'reevaluation-progress').text).toBe('Re-evaluating under revision 1: 0 records done so far.'), PATIENCE);
    expect(r.findByTestId(Button, 'reevaluate').props.disabled).toBe(true);

    r.findByTestId(Button, 'reevaluation-refresh').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'reevaluation-progress').text).toBe('Re-evaluating under revision 1: 300 records done so far.'), PATIENCE);
  });

  it('offers the whole model as JSON, and an edit there is validated like the fields', async () => {
    const r = renderPage(fakeApi({ published: revision(1, 'published'), draft: null }));
    await loaded(r);
    r.find(Toggle, { name: 'show-json' }).trigger('onChange', true as never);
    await r.waitFor(() => expect(r.find(TextArea, { name: 'model-json' })).toBeDefined(), PATIENCE);

    r.find(TextArea, { name: 'model-json' }).trigger('onChange', '{ not json' as never);
    await r.waitFor(() => expect(r.find(TextArea, { name: 'model-json' }).props.validationMessage).toBe('This is not valid JSON yet.'), PATIENCE);
  });
});
