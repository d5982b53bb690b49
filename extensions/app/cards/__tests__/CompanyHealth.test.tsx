import { BarChart, EmptyState, ErrorState, hubspot, LoadingSpinner, ScoreCircle, StatisticsItem, StatisticsTrend, Table, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { CompanyHealth } from '../company/CompanyHealth.tsx';
import { eventually, patient, answerFetch, companyAtRisk, deferredResponse, jsonResponse, tableRows } from './fixtures.ts';

function renderCard(locale = 'en-US') {
  const renderer = createRenderer('crm.record.tab');
  const context = { ...renderer.mocks.context, user: { ...renderer.mocks.context.user, locale } };
  renderer.render(<CompanyHealth context={context} />);
  return patient(renderer);
}

type Renderer = ReturnType<typeof renderCard>;
const loaded = (renderer: Renderer) => renderer.waitFor(() => expect(renderer.find(ScoreCircle)).toBeDefined());

afterEach(() => jest.restoreAllMocks());

describe('Company lifecycle health card', () => {
  it('shows a spinner while loading and asks for this company', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockReturnValue(deferredResponse().promise);
    const { find } = renderCard();
    await eventually(() =>
      expect(fetch).toHaveBeenCalledWith('https://lifecycle.example.com/cards/company/123?portalId=123&userId=1&userEmail=fake_email%40example.com', { method: 'GET', timeout: 5000 }),
    );

    expect(find(LoadingSpinner)).toBeDefined();
  });

  it('shows an error the user can act on when the backend fails', async () => {
    answerFetch(jsonResponse({}, 502));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(ErrorState).find(Text).text).toContain('HTTP 502'));
  });

  it('says when the account has not been evaluated yet', async () => {
    answerFetch(jsonResponse({ synced: false, objectId: '123' }));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(EmptyState).props.title).toBe('Not evaluated yet'));
  });

  it('shows the score with its band and the trend against 30 days ago', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.find(ScoreCircle).props.score).toBe(58);
    expect(renderer.find(Tag, { variant: 'warning' }).text).toBe('At risk');
    expect(renderer.find(StatisticsTrend).props).toMatchObject({ value: '-8 vs 30 days ago', direction: 'decrease', color: 'red' });
  });

  it('says so when there is no score old enough to compare with', async () => {
    answerFetch(jsonResponse(companyAtRisk({ trend: null })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.maybeFind(StatisticsTrend)).toBeNull();
    expect(renderer.find(StatisticsItem).find(Text).text).toBe('No earlier score yet');
  });

  it('lists the weighted components with their scores', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(tableRows(renderer.findByTestId(Table, 'health-components'))).toEqual([
      ['Stage progress', '20%', '75%', 'Most advanced: Opportunity'],
      ['SLA breaches', '10%', '50%', '1 of 2 contacts past SLA'],
    ]);
  });

  it('formats numbers in the user locale', async () => {
    answerFetch(jsonResponse(companyAtRisk({ score: 58.5, trend: { days: 30, previous: 50, delta: 8.5 } })));
    const renderer = renderCard('de-DE');
    await loaded(renderer);

    expect(renderer.find(StatisticsTrend).props.value).toBe('+8,5 vs 30 Tage ago');
  });

  it('shows the account stage, the contacts per stage and the account journey', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findAll(Text).map((text) => text.text)).toContain('Account stage: Opportunity');
    expect(renderer.find(BarChart).props.data).toEqual([
      { stage: 'Nurturing', contacts: 3 },
      { stage: 'Opportunity', contacts: 1 },
    ]);
    expect(tableRows(renderer.findByTestId(Table, 'transition-history'))).toEqual([['Mar 5, 2026, 5:00 AM', 'Appointment → Opportunity', 'Advanced', 'A deal was opened']]);
  });

  it('replaces an empty chart with a sentence', async () => {
    answerFetch(jsonResponse(companyAtRisk({ accountStage: null, contactsPerStage: [], journey: [] })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.maybeFind(BarChart)).toBeNull();
    expect(renderer.findAll(Text).map((text) => text.text)).toEqual(
      expect.arrayContaining(['No contact or deal of this account is in the lifecycle yet.', 'No contacts of this account are in the lifecycle yet.', 'The account has no transitions yet.']),
    );
  });
});
