import { Alert, EmptyState, ErrorState, hubspot, LoadingSpinner, Table, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealImpact } from '../deal/DealImpact.tsx';
import { eventually, patient, answerFetch, deferredResponse, jsonResponse, openDeal, tableRows } from './fixtures.ts';

function renderCard() {
  const renderer = createRenderer('crm.record.tab');
  const context = { ...renderer.mocks.context, user: { ...renderer.mocks.context.user, locale: 'en-US' } };
  renderer.render(<DealImpact context={context} />);
  return patient(renderer);
}

afterEach(() => jest.restoreAllMocks());

describe('Deal lifecycle impact card', () => {
  it('shows a spinner while loading and asks for this deal', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockReturnValue(deferredResponse().promise);
    const { find } = renderCard();
    await eventually(() =>
      expect(fetch).toHaveBeenCalledWith('https://lifecycle.example.com/cards/deal/123?portalId=123&userId=1&userEmail=fake_email%40example.com', { method: 'GET', timeout: 5000 }),
    );

    expect(find(LoadingSpinner)).toBeDefined();
  });

  it('shows an error when the backend cannot be reached', async () => {
    answerFetch(new Error('network down'));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(ErrorState).find(Text).text).toContain('could not be reached'));
  });

  it('says when the deal has not been evaluated yet', async () => {
    answerFetch(jsonResponse({ synced: false, objectId: '123' }));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(EmptyState).props.title).toBe('Not evaluated yet'));
  });

  it('shows, for the account and each contact, the stage after a win and after a loss with the email pause', async () => {
    answerFetch(jsonResponse(openDeal()));
    const { findByTestId, maybeFind, waitFor } = renderCard();

    await waitFor(() => expect(findByTestId(Table, 'deal-impact')).toBeDefined());
    expect(tableRows(findByTestId(Table, 'deal-impact'))).toEqual([
      ['Acme (account)', 'Opportunity', 'Customer', 'No change'],
      ['Ada Lovelace', 'Opportunity', 'Customer', 'Recycle B, marketing email paused 90 days'],
    ]);
    expect(maybeFind(Alert)).toBeNull();
  });

  it('says the impact has happened once the deal is closed', async () => {
    answerFetch(jsonResponse(openDeal({ outcome: 'lost' })));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(Alert).text).toBe('This deal was lost: the "If lost" column has been applied.'));
  });

  it('explains a deal with nobody to move', async () => {
    answerFetch(jsonResponse(openDeal({ impacts: [] })));
    const { find, waitFor } = renderCard();

    await waitFor(() => expect(find(EmptyState).props.title).toBe('No lifecycle impact'));
  });
});
