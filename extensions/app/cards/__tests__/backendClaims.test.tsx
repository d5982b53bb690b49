import { Button, hubspot, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { useState } from 'react';
import { z } from 'zod';
import { useBackend } from '../shared/useBackend.ts';
import { useCardData } from '../shared/useCardData.ts';
import { afterEffects, eventually, jsonResponse, PATIENCE } from './fixtures.ts';

const Answer = z.strictObject({ ok: z.boolean() });

/** A card as any present or future one is built: a view through useCardData, an action through useBackend. */
function AnyCard() {
  const { state } = useCardData('/cards/any/9', Answer);
  const call = useBackend();
  const [presses, setPresses] = useState(0);
  return (
    <>
      <Text testId="state">{state.status}</Text>
      <Button testId="act" onClick={() => void call('/cards/any/9/actions/go', Answer, { method: 'POST', body: { n: presses } }).then(() => setPresses((n) => n + 1))}>
        Go
      </Button>
    </>
  );
}

function renderFor(portalId: number, user: { id: number; email: string }) {
  const renderer = createRenderer('crm.record.tab');
  renderer.mocks.context.portal.id = portalId;
  renderer.mocks.context.user.id = user.id;
  renderer.mocks.context.user.email = user.email;
  renderer.render(<AnyCard />);
  return renderer;
}

afterEach(() => jest.restoreAllMocks());

/**
 * R26 (docs/reliability.md §7b): HubSpot is not documented to add the portal or the user to a hubspot.fetch call
 * (hubspot-platform.md §2.4), so the cards state them in the query themselves — from their own extension context,
 * through the one shared helper every card uses. R25: each action press carries its own request id.
 */
describe('what every card request states about itself', () => {
  it('a view request carries the portal, the user id and the user email of the card context', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockImplementation(async () => jsonResponse({ ok: true }));
    const renderer = renderFor(24_680, { id: 77, email: 'ada+ops@acme.test' });
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'state').text).toBe('success'), PATIENCE);

    const url = new URL(String(fetch.mock.calls[0]?.[0]));
    expect(`${url.origin}${url.pathname}`).toBe('https://lifecycle.example.com/cards/any/9');
    expect(['portalId', 'userId', 'userEmail'].map((name) => url.searchParams.get(name))).toEqual(['24680', '77', 'ada+ops@acme.test']);
    expect(url.search).toBe('?portalId=24680&userId=77&userEmail=ada%2Bops%40acme.test');
  });

  it('each action press carries a request id of its own, and a view request none', async () => {
    const fetch = jest.spyOn(hubspot, 'fetch').mockImplementation(async () => jsonResponse({ ok: true }));
    const renderer = renderFor(13_579, { id: 5, email: 'bo@acme.test' });
    await afterEffects();
    renderer.findByTestId(Button, 'act').trigger('onClick');
    await eventually(() => expect(fetch).toHaveBeenCalledTimes(2));
    renderer.findByTestId(Button, 'act').trigger('onClick');
    await eventually(() => expect(fetch).toHaveBeenCalledTimes(3));

    const [view, first, second] = fetch.mock.calls.map(([url]) => new URL(String(url)).searchParams);
    expect(view?.get('requestId')).toBeNull();
    expect(first?.get('portalId')).toBe('13579');
    expect(first?.get('requestId')).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(second?.get('requestId')).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(second?.get('requestId')).not.toBe(first?.get('requestId'));
  });
});
