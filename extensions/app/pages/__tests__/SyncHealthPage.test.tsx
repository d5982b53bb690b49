import { Alert, Button, ProgressBar, StatisticsItem, Table, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SyncHealthPage } from '../SyncHealthPage.tsx';
import { answerByPath, eventually, jsonResponse, PATIENCE, syncHealth, tableRows } from './fixtures.ts';

afterEach(() => jest.restoreAllMocks());

function renderPage() {
  const renderer = createRenderer('pages');
  renderer.render(<SyncHealthPage />);
  return renderer;
}

describe('Sync health page', () => {
  it('shows queue depth and lag, the last webhook received and HubSpot 429s', async () => {
    answerByPath({ '/pages/sync-health': [jsonResponse(syncHealth())] });
    const { findAll, findByTestId, waitFor } = renderPage();

    await waitFor(() => expect(findAll(StatisticsItem)).toHaveLength(4), PATIENCE);
    expect(findAll(StatisticsItem).map((item) => [item.props.label, item.props.number])).toEqual([
      ['Events waiting', 3],
      ['Writes waiting', 1],
      ['Lag (oldest waiting event)', '42 s'],
      ['HubSpot 429s (last 60 min)', 2],
    ]);
    expect(findByTestId(Text, 'last-webhook').text).toBe('Last webhook received: 2026-12-03 08:00 UTC');
  });

  it('warns about daily-limit parking and work failing at HubSpot', async () => {
    answerByPath({
      '/pages/sync-health': [
        jsonResponse(
          syncHealth({
            dailyLimit: [{ message: 'Daily limit reached; work resumes after midnight', raisedAt: '2026-12-03T07:00:00.000Z' }],
            queues: { inboxPending: 9, outboxPending: 4, lagSeconds: 900, failingSince: '2026-12-03T06:00:00.000Z' },
          }),
        ),
      ],
    });
    const { findAll, waitFor } = renderPage();

    await waitFor(() => expect(findAll(Alert)).toHaveLength(2), PATIENCE);
    expect(findAll(Alert).map((alert) => alert.props.title)).toEqual(['HubSpot is failing', 'Daily API limit reached']);
    expect(findAll(Alert)[1]!.text).toContain('Daily limit reached; work resumes after midnight');
  });

  it('lists dead letters and quarantined events; only what can be re-queued has a Retry button, which re-queues it and reloads', async () => {
    const fetch = answerByPath({
      '/pages/sync-health': [jsonResponse(syncHealth()), jsonResponse(syncHealth({ deadLetters: { items: [], shown: 25 } }))],
      '/pages/dead-letters/7/retry': [jsonResponse({ id: 7, outcome: 'requeued' })],
    });
    const { findByTestId, maybeFindByTestId, find, waitFor } = renderPage();

    await waitFor(() => expect(findByTestId(Table, 'dead-letters')).toBeDefined(), PATIENCE);
    expect(tableRows(findByTestId(Table, 'dead-letters'))).toEqual([
      ['contact:101', 'HubSpot write', '2026-12-02 10:00 UTC', 'HubSpot refused the write', null],
      ['contact:x', 'quarantined event', '2026-12-02 11:00 UTC', 'no objectId', 'raw JSON kept'],
    ]);
    expect(maybeFindByTestId(Button, 'retry-8')).toBeNull();

    findByTestId(Button, 'retry-7').trigger('onClick');

    await eventually(() => expect(fetch.mock.calls.map(([url, init]) => [new URL(String(url)).pathname, init?.method])).toContainEqual(['/pages/dead-letters/7/retry', 'POST']));
    await waitFor(() => expect(find(Alert).text).toBe('Dead letter 7 is back in its queue.'), PATIENCE);
    await waitFor(() => expect(findByTestId(Text, 'no-dead-letters').text).toBe('Nothing failed for good.'), PATIENCE);
  });

  it('shows backfill progress and starts (resumes) it from the button', async () => {
    const fetch = answerByPath({
      '/pages/sync-health': [
        jsonResponse(syncHealth()),
        jsonResponse(syncHealth({ backfill: { status: 'running', scanned: 600, total: 1000, startedAt: null, finishedAt: null, lastError: null } })),
      ],
      '/pages/backfill/start': [jsonResponse({ outcome: 'started', backfill: { status: 'running', scanned: 400, total: null, startedAt: null, finishedAt: null, lastError: null } })],
    });
    const { findByTestId, waitFor } = renderPage();

    await waitFor(() => expect(findByTestId(ProgressBar, 'backfill-progress').props.valueDescription).toBe('Paused: 400 contacts'), PATIENCE);
    expect(findByTestId(Button, 'start-backfill').text).toBe('Resume backfill');

    findByTestId(Button, 'start-backfill').trigger('onClick');

    await waitFor(() => expect(findByTestId(ProgressBar, 'backfill-progress').props.valueDescription).toBe('Running: 600 of 1000 contacts'), PATIENCE);
    expect(findByTestId(ProgressBar, 'backfill-progress').props).toMatchObject({ value: 600, maxValue: 1000, showPercentage: true });
    expect(findByTestId(Button, 'start-backfill').props.disabled).toBe(true);
    expect(fetch.mock.calls.map(([url]) => new URL(String(url)).pathname)).toContain('/pages/backfill/start');
  });

  it('says when no backfill has run yet', async () => {
    answerByPath({ '/pages/sync-health': [jsonResponse(syncHealth({ backfill: { status: 'never_run', scanned: 0, total: null, startedAt: null, finishedAt: null, lastError: null } }))] });
    const { findByTestId, waitFor } = renderPage();

    await waitFor(() => expect(findByTestId(Text, 'backfill-status').text).toBe('No backfill has run for this account yet.'), PATIENCE);
    expect(findByTestId(Button, 'start-backfill').text).toBe('Start backfill');
  });
});
