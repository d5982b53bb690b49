import { Alert, BarChart, ErrorState, LineChart, Select, Table, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { FunnelPage, periodParams } from '../FunnelPage.tsx';
import { answerByPath, eventually, funnelView, jsonResponse, PATIENCE, queryOf, tableRows } from './fixtures.ts';

afterEach(() => jest.restoreAllMocks());

describe('Funnel page', () => {
  it('asks for the last 30 days of contacts as the signed-in admin of this portal', async () => {
    const fetch = answerByPath({ '/pages/funnel': [jsonResponse(funnelView())] });
    const { render } = createRenderer('pages');
    render(<FunnelPage />);

    await eventually(() => expect(fetch).toHaveBeenCalledTimes(1));
    const now = Date.now();
    expect(queryOf(fetch, 0)).toEqual({ portalId: '123', userId: '1', userEmail: 'fake_email@example.com', objectType: 'contact', ...periodParams(30, now) });
    expect(String(fetch.mock.calls[0]![0])).toMatch(/^https:\/\/lifecycle\.example\.com\/pages\/funnel\?/);
  });

  it('shows the flow/stock table with detours and their reasons, CVR, velocity and SLA', async () => {
    answerByPath({ '/pages/funnel': [jsonResponse(funnelView())] });
    const { render, findByTestId, waitFor } = createRenderer('pages');
    render(<FunnelPage />);

    await waitFor(() => expect(findByTestId(Table, 'flow-stock')).toBeDefined(), PATIENCE);
    expect(tableRows(findByTestId(Table, 'flow-stock'))).toEqual([
      ['Lead', '10', '5', '4', '11', '40%', '3.3 d', '2'],
      ['MQL', '4', '4', '2', '6', '50%', '—', '0'],
      ['Recycled', '1', '2', '1', '2', '50%', '—', '—'],
      ['  ↳ no_budget', '—', '2', '—', '—', '—', '—', '—'],
    ]);
    expect(findByTestId(Text, 'period').text).toBe('2026-11-04 to 2026-12-03 (UTC)');
  });

  it('warns above the table that the figures are partial while the aggregates are being rebuilt', async () => {
    const message = 'aggregates for portal 123 are being rebuilt (40 of about 100 records done): figures are partial; run `lifecycle aggregates rebuild --portal 123` to finish';
    answerByPath({ '/pages/funnel': [jsonResponse({ ...funnelView(), partial: { recordsDone: 40, recordsTotal: 100, message } })] });
    const { render, findByTestId, waitFor } = createRenderer('pages');
    render(<FunnelPage />);

    await waitFor(() => expect(findByTestId(Table, 'flow-stock')).toBeDefined(), PATIENCE);
    expect(findByTestId(Alert, 'partial')).toMatchObject({ props: { title: 'Figures are partial', variant: 'warning' }, text: message });
  });

  it('shows no warning when the figures are whole', async () => {
    answerByPath({ '/pages/funnel': [jsonResponse(funnelView())] });
    const { render, findByTestId, maybeFind, waitFor } = createRenderer('pages');
    render(<FunnelPage />);

    await waitFor(() => expect(findByTestId(Table, 'flow-stock')).toBeDefined(), PATIENCE);
    expect(maybeFind(Alert)).toBeNull();
  });

  it('charts the inflow per stage as bars and the stock per stage over the period as lines', async () => {
    answerByPath({ '/pages/funnel': [jsonResponse(funnelView())] });
    const { render, findByTestId, waitFor } = createRenderer('pages');
    render(<FunnelPage />);

    await waitFor(() => expect(findByTestId(BarChart, 'inflow-chart')).toBeDefined(), PATIENCE);
    expect(findByTestId(BarChart, 'inflow-chart').props.data).toEqual([
      { stage: 'Lead', moves: 5 },
      { stage: 'MQL', moves: 4 },
      { stage: 'Recycled', moves: 2 },
    ]);
    expect(findByTestId(LineChart, 'stock-chart').props.data).toEqual([
      { day: '2026-11-04T00:00:00.000Z', stage: 'Lead', stock: 10 },
      { day: '2026-11-04T00:00:00.000Z', stage: 'MQL', stock: 4 },
      { day: '2026-12-04T00:00:00.000Z', stage: 'Lead', stock: 11 },
      { day: '2026-12-04T00:00:00.000Z', stage: 'MQL', stock: 6 },
    ]);
  });

  it('asks again when the admin picks another period or companies', async () => {
    const fetch = answerByPath({ '/pages/funnel': [jsonResponse(funnelView())] });
    const { render, findAll, findByTestId, waitFor } = createRenderer('pages');
    render(<FunnelPage />);
    await waitFor(() => expect(findByTestId(Table, 'flow-stock')).toBeDefined(), PATIENCE);

    const [period, records] = findAll(Select);
    period!.trigger('onChange', '90' as never);
    await eventually(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(queryOf(fetch, 1)).toMatchObject(periodParams(90, Date.now()));
    records!.trigger('onChange', 'company' as never);
    await eventually(() => expect(fetch).toHaveBeenCalledTimes(3));
    expect(queryOf(fetch, 2)).toMatchObject({ objectType: 'company' });
  });

  it('shows an error when the backend cannot be reached', async () => {
    answerByPath({ '/pages/funnel': [new Error('network down')] });
    const { render, find, waitFor } = createRenderer('pages');
    render(<FunnelPage />);

    await waitFor(() => expect(find(ErrorState).find(Text).text).toContain('could not be reached'), PATIENCE);
  });
});
