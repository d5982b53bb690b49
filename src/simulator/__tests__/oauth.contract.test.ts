import { Client } from '@hubspot/api-client';
import type { Harness } from './harness';
import { apiError, startHarness } from './harness';

const APP = { clientId: 'client-id-lifecycle', clientSecret: 'client-secret-lifecycle', appId: 4_242_001, redirectUrls: ['https://lifecycle.example.test/oauth/callback'] };
const REDIRECT = APP.redirectUrls[0]!;

/** What the installing admin's browser does: open the authorize URL, get redirected back with a code. */
async function consent(h: Harness, query: Record<string, string>, portalId?: number): Promise<URL> {
  const path = portalId === undefined ? '/oauth/authorize' : `/oauth/${portalId}/authorize`;
  const response = await fetch(`${h.sim.baseUrl}${path}?${new URLSearchParams(query)}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

describe('OAuth public-app installs through @hubspot/api-client (client.oauth)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ portals: [{ portalId: 101 }, { portalId: 202 }] });
    h.sim.control.oauth.registerApp(APP);
  });
  afterEach(() => h.sim.stop());

  const oauthClient = () => new Client({ basePath: h.sim.baseUrl });
  const exchange = (code: string, redirect = REDIRECT) => oauthClient().oauth.tokensApi.create('authorization_code', code, redirect, APP.clientId, APP.clientSecret);

  it('consent redirects back with a single-use code and our state; the code becomes 30-minute tokens for the chosen account', async () => {
    const back = await consent(h, { client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth crm.objects.contacts.read', state: 'opaque-123' }, 202);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('opaque-123');

    const tokens = await exchange(back.searchParams.get('code')!);
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 1800 });
    expect(tokens.accessToken.length).toBeLessThanOrEqual(300);

    const info = await oauthClient().oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: 202, appId: APP.appId, scopes: ['oauth', 'crm.objects.contacts.read'] });

    expect((await apiError(exchange(back.searchParams.get('code')!))).code).toBe(400);
  });

  it('an access token opens its own account only, and stops working after expires_in', async () => {
    const back = await consent(h, { client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth' }, 202);
    const { accessToken } = await exchange(back.searchParams.get('code')!);
    const installed = new Client({ accessToken, basePath: h.sim.baseUrl });
    const created = await installed.crm.contacts.basicApi.create({ properties: { email: 'ada@acme.test' }, associations: [] });
    expect(h.sim.state.portal(202).crm.require('contacts', created.id)).toBeDefined();
    expect((await apiError(h.client('sim-token-101').crm.contacts.basicApi.getById(created.id))).code).toBe(404);

    h.clock.advance(30 * 60_000);
    const expired = await apiError(installed.crm.contacts.basicApi.getById(created.id));
    expect(expired).toMatchObject({ code: 401, body: { category: 'INVALID_AUTHENTICATION' } });
  });

  it('a refresh token mints new access tokens until it is deleted; then refreshing is invalid_grant', async () => {
    const back = await consent(h, { client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth' });
    const first = await exchange(back.searchParams.get('code')!);
    const refreshed = await oauthClient().oauth.tokensApi.create('refresh_token', undefined, undefined, APP.clientId, APP.clientSecret, first.refreshToken);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    expect(await oauthClient().oauth.refreshTokensApi.get(first.refreshToken)).toMatchObject({ hubId: 101, clientId: APP.clientId });
    expect(h.sim.control.oauth.stats(101)).toEqual({ authorizationCodeGrants: 1, refreshGrants: 1, refused: 0 });

    await oauthClient().oauth.refreshTokensApi.archive(first.refreshToken);
    const refused = await apiError(oauthClient().oauth.tokensApi.create('refresh_token', undefined, undefined, APP.clientId, APP.clientSecret, first.refreshToken));
    expect(refused).toMatchObject({ code: 400, body: { error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' } });
  });

  it('refuses a wrong client secret and a redirect_uri other than the authorized one', async () => {
    const back = await consent(h, { client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth' });
    const wrongSecret = await apiError(oauthClient().oauth.tokensApi.create('authorization_code', back.searchParams.get('code')!, REDIRECT, APP.clientId, 'not-the-secret'));
    expect(wrongSecret).toMatchObject({ code: 401, body: { error: 'invalid_client' } });

    const again = await consent(h, { client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth' });
    const otherRedirect = await apiError(exchange(again.searchParams.get('code')!, 'https://attacker.example.test/cb'));
    expect(otherRedirect).toMatchObject({ code: 400, body: { error: 'invalid_grant' } });

    const unregistered = await fetch(
      `${h.sim.baseUrl}/oauth/authorize?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: 'https://attacker.example.test/cb', scope: 'oauth' })}`,
      { redirect: 'manual' },
    );
    expect(unregistered.status).toBe(400);
  });
});
