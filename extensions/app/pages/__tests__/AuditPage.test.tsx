import { Button, Input, Select, Table, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { AuditPage } from '../AuditPage.tsx';
import { answerByPath, auditPage, eventually, jsonResponse, PATIENCE, queryOf, tableRows } from './fixtures.ts';

afterEach(() => jest.restoreAllMocks());

describe('Audit page', () => {
  it('shows recent transitions with reason, source and actor, newest first', async () => {
    const fetch = answerByPath({ '/pages/audit': [jsonResponse(auditPage(['t-2', 't-1'], null))] });
    const { render, findByTestId, waitFor } = createRenderer('pages');
    render(<AuditPage />);

    await waitFor(() => expect(findByTestId(Table, 'audit')).toBeDefined(), PATIENCE);
    expect(tableRows(findByTestId(Table, 'audit'))).toEqual([
      ['2026-12-02 10:00 UTC', 'contact 100', 'lead → dead_end', 'dead_end', 'Dead end: student', 'requested', 'ada@acme.test'],
      ['2026-12-02 10:00 UTC', 'contact 101', 'lead → dead_end', 'dead_end', 'Dead end: student', 'rules', 'engine'],
    ]);
    expect(queryOf(fetch, 0)).toEqual({ portalId: '123', userId: '1', userEmail: 'fake_email@example.com', limit: '50' });
    expect(findByTestId(Button, 'older').props.disabled).toBe(true);
  });

  it('pages to older transitions with the cursor the backend handed out, and back', async () => {
    const fetch = answerByPath({ '/pages/audit': [jsonResponse(auditPage(['t-3'], 'CURSOR_1')), jsonResponse(auditPage(['t-2'], null)), jsonResponse(auditPage(['t-3'], 'CURSOR_1'))] });
    const { render, findByTestId, waitFor } = createRenderer('pages');
    render(<AuditPage />);
    await waitFor(() => expect(findByTestId(Button, 'older').props.disabled).toBe(false), PATIENCE);

    findByTestId(Button, 'older').trigger('onClick');
    await eventually(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(queryOf(fetch, 1)).toMatchObject({ cursor: 'CURSOR_1' });
    await waitFor(() => expect(findByTestId(Button, 'newer').props.disabled).toBe(false), PATIENCE);

    findByTestId(Button, 'newer').trigger('onClick');
    await eventually(() => expect(fetch).toHaveBeenCalledTimes(3));
    expect(queryOf(fetch, 2)).not.toHaveProperty('cursor');
  });

  it('filters by kind and by the stage moved into, starting again from the newest', async () => {
    const fetch = answerByPath({ '/pages/audit': [jsonResponse(auditPage([], null))] });
    const { render, find, findByTestId, waitFor } = createRenderer('pages');
    render(<AuditPage />);
    await waitFor(() => expect(findByTestId(Text, 'no-transitions').text).toBe('No transitions match.'), PATIENCE);

    find(Select).trigger('onChange', 'recycle' as never);
    await eventually(() => expect(queryOf(fetch, fetch.mock.calls.length - 1)).toMatchObject({ kind: 'recycle' }));
    find(Input).trigger('onChange', 'mql' as never);
    await eventually(() => expect(queryOf(fetch, fetch.mock.calls.length - 1)).toMatchObject({ kind: 'recycle', stage: 'mql' }));
  });
});
