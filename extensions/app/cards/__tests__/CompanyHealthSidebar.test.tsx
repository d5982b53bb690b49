import { Button, EmptyState, ErrorState, hubspot, Link, LoadingSpinner, Table, BarChart, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { CompanyHealthSummary } from '../company/CompanyHealthSummary.tsx';
import { answerFetch, companyAtRisk, deferredResponse, eventually, jsonResponse, patient, stage, summaryContext } from './fixtures.ts';

const VIEW_URL = /^https:\/\/lifecycle\.example\.com\/cards\/company\/123(\?.*)?$/;

function renderCard() {
  const renderer = createRenderer('crm.record.sidebar');
  const context = summaryContext(renderer, 'crm.record.sidebar', '0-2');
  renderer.render(<CompanyHealthSummary context={context} />);
  return patient(renderer);
}

type Renderer = ReturnType<typeof renderCard>;
const loaded = (renderer: Renderer) => renderer.waitFor(() => expect(renderer.findByTestId(Tag, 'band')).toBeDefined());
const line = (renderer: Renderer, testId: string) => renderer.findByTestId(Text, testId).text;

afterEach(() => jest.restoreAllMocks());

describe('Company health summary in the record sidebar', () => {
  it('while loading, shows a spinner after asking for the same view as the tab card, once', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockReturnValue(deferredResponse().promise);
    const { find } = renderCard();
    await eventually(() => expect(fetch).toHaveBeenCalledWith(expect.stringMatching(VIEW_URL), expect.objectContaining({ method: 'GET' })));

    expect(find(LoadingSpinner)).toBeDefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('when the account has not been evaluated yet, says so', async () => {
    answerFetch(jsonResponse({ synced: false, objectId: '123' }));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(EmptyState).props.title).toBe('Not evaluated yet'));
  });

  it('when the backend fails, names the status and loads again on "Try again"', async () => {
    const fetch = answerFetch(jsonResponse({}, 502), jsonResponse(companyAtRisk()));
    const renderer = renderCard();

    await renderer.waitFor(() => expect(renderer.find(ErrorState).find(Text).text).toContain('HTTP 502'));
    renderer.findByTestId(Button, 'retry').trigger('onClick');
    await loaded(renderer);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('shows the score, its band, the trend against 30 days ago and the account stage', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Tag, 'band').text).toBe('At risk');
    expect(renderer.findAll(Text).length).toBeLessThanOrEqual(6);
    expect(line(renderer, 'trend')).toBe('-8 vs 30 days ago (was 66).');
    expect(line(renderer, 'account-stage')).toBe('Account stage: Opportunity');
  });

  it('puts the contacts per stage on one line, leaving empty stages out', async () => {
    answerFetch(
      jsonResponse(
        companyAtRisk({
          contactsPerStage: [
            { stageId: 'nurturing', label: 'Nurturing', count: 3 },
            { stageId: 'mql', label: 'MQL', count: 0 },
            { stageId: 'opportunity', label: 'Opportunity', count: 1 },
          ],
        }),
      ),
    );
    const renderer = renderCard();
    await loaded(renderer);

    expect(line(renderer, 'contacts-per-stage')).toBe('Contacts: Nurturing 3 · Opportunity 1');
  });

  it('names the weakest component with the points it costs and why', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(line(renderer, 'weakest-component')).toBe('Weakest: Stage progress (−5 points). Most advanced: Opportunity');
  });

  it('stays narrow: no component table, chart or journey', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.maybeFind(Table)).toBeNull();
    expect(renderer.maybeFind(BarChart)).toBeNull();
  });

  it('a healthy account with no change, no account stage yet and nothing lost', async () => {
    answerFetch(jsonResponse(companyAtRisk({ score: 100, band: 'healthy', trend: { days: 30, previous: 100, delta: 0 }, accountStage: null, weakestComponent: null, contactsPerStage: [] })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Tag, 'band').props.variant).toBe('success');
    expect(line(renderer, 'trend')).toBe('No change vs 30 days ago.');
    expect(line(renderer, 'account-stage')).toBe('No account stage yet.');
    expect(line(renderer, 'contacts-per-stage')).toBe('No contacts in the lifecycle yet.');
    expect(renderer.maybeFindByTestId(Text, 'weakest-component')).toBeNull();
  });

  it('a critical account with no earlier score to compare with', async () => {
    answerFetch(jsonResponse(companyAtRisk({ score: 21, band: 'critical', trend: null, accountStage: stage.recycleB })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Tag, 'band').props).toMatchObject({ variant: 'error' });
    expect(line(renderer, 'trend')).toBe('No earlier score to compare with yet.');
    expect(line(renderer, 'account-stage')).toBe('Account stage: Recycle B');
  });

  it('links to the record page and names the tab with the full card', async () => {
    answerFetch(jsonResponse(companyAtRisk()));
    const renderer = renderCard();
    await loaded(renderer);

    const link = renderer.findByTestId(Link, 'full-card');
    expect(link.props.href).toEqual({ url: 'https://app.hubspot.com/contacts/777/record/0-2/123', external: false });
    expect(link.text).toBe('History and every action: the “Lifecycle health” tab');
  });
});
