import { Button, EmptyState, ErrorState, hubspot, Link, LoadingSpinner, Table, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealImpactSummary } from '../deal/DealImpactSummary.tsx';
import type { DealImpact } from '../contract.ts';
import { answerFetch, deferredResponse, eventually, jsonResponse, openDeal, patient, stage, summaryContext } from './fixtures.ts';

const VIEW_URL = /^https:\/\/lifecycle\.example\.com\/cards\/deal\/123(\?.*)?$/;

function renderCard() {
  const renderer = createRenderer('crm.record.sidebar');
  const context = summaryContext(renderer, 'crm.record.sidebar', '0-3');
  renderer.render(<DealImpactSummary context={context} />);
  return patient(renderer);
}

type Renderer = ReturnType<typeof renderCard>;
const loaded = (renderer: Renderer) => renderer.waitFor(() => expect(renderer.findByTestId(Link, 'full-card')).toBeDefined());
const texts = (renderer: Renderer) => renderer.findAll(Text).map((text) => text.text);

const contact = (id: string, current: DealImpact['current'], afterWin: DealImpact['afterWin'], afterLoss: DealImpact['afterLoss']): DealImpact => ({
  subject: { type: 'contact', id, name: `Contact ${id}` },
  current,
  afterWin,
  afterLoss,
});

afterEach(() => jest.restoreAllMocks());

describe('Deal impact summary in the record sidebar', () => {
  it('while loading, shows a spinner after asking for the same view as the tab card, once', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockReturnValue(deferredResponse().promise);
    const { find } = renderCard();
    await eventually(() => expect(fetch).toHaveBeenCalledWith(expect.stringMatching(VIEW_URL), expect.objectContaining({ method: 'GET' })));

    expect(find(LoadingSpinner)).toBeDefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("when the deal's contacts were never read, says it is not evaluated yet", async () => {
    answerFetch(jsonResponse({ synced: false, objectId: '123' }));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(EmptyState).props.title).toBe('Not evaluated yet'));
  });

  it('when the backend fails, says the service could not be reached and loads again on "Try again"', async () => {
    const fetch = answerFetch(new Error('timeout'), jsonResponse(openDeal()));
    const renderer = renderCard();

    await renderer.waitFor(() => expect(renderer.find(ErrorState).find(Text).text).toContain('could not be reached'));
    renderer.findByTestId(Button, 'retry').trigger('onClick');
    await loaded(renderer);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('says in two lines what winning or losing does, without a table', async () => {
    answerFetch(jsonResponse(openDeal()));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Text, 'if-won').text).toBe('If won: Acme → Customer; 1 contact → Customer.');
    expect(renderer.findByTestId(Text, 'if-lost').text).toBe('If lost: 1 contact → Recycle B; marketing email paused 90 days.');
    expect(renderer.maybeFind(Table)).toBeNull();
    expect(texts(renderer)).toHaveLength(2);
  });

  it('counts contacts per target stage, leaves out those that do not move, and says "no change" when nothing moves', async () => {
    answerFetch(
      jsonResponse(
        openDeal({
          impacts: [
            contact('1', stage.opportunity, stage.customer, { stage: stage.recycleB, pauseDays: 90 }),
            contact('2', stage.opportunity, stage.customer, { stage: stage.recycleB, pauseDays: 30 }),
            contact('3', null, stage.customer, { stage: stage.leadAcquired, pauseDays: null }),
            contact('4', stage.customer, stage.customer, { stage: stage.customer, pauseDays: null }),
          ],
        }),
      ),
    );
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Text, 'if-won').text).toBe('If won: 3 contacts → Customer.');
    expect(renderer.findByTestId(Text, 'if-lost').text).toBe('If lost: 2 contacts → Recycle B; 1 contact → Lead acquired; marketing email paused 90 days.');
  });

  it('says "no change" for an outcome that moves no one', async () => {
    answerFetch(jsonResponse(openDeal({ impacts: [contact('1', stage.customer, stage.customer, { stage: stage.customer, pauseDays: null })] })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Text, 'if-won').text).toBe('If won: no change.');
    expect(renderer.findByTestId(Text, 'if-lost').text).toBe('If lost: no change.');
  });

  it('once the deal is closed, says its moves have been applied', async () => {
    answerFetch(jsonResponse(openDeal({ outcome: 'lost' })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(texts(renderer)).toEqual(['This deal was lost: its lifecycle moves have been applied.']);
  });

  it('says so when the deal has no contact or company to move', async () => {
    answerFetch(jsonResponse(openDeal({ impacts: [] })));
    const renderer = renderCard();
    await loaded(renderer);

    expect(renderer.findByTestId(Text, 'no-impact').text).toBe('No associated contact or company: winning or losing this deal moves no one.');
  });

  it('links to the record page and names the tab with the per-record table', async () => {
    answerFetch(jsonResponse(openDeal()));
    const renderer = renderCard();
    await loaded(renderer);

    const link = renderer.findByTestId(Link, 'full-card');
    expect(link.props.href).toEqual({ url: 'https://app.hubspot.com/contacts/777/record/0-3/123', external: false });
    expect(link.text).toBe('History and every action: the “Lifecycle impact” tab');
  });
});
