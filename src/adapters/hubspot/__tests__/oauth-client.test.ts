import { Client } from '@hubspot/api-client';
import { ManualClock, startSimulator, type RunningSimulator } from '../../../simulator';
import { OAuthGrantRejected, OAuthServerUnavailable } from '../../../app/oauth/oauth-ports';
import { HubSpotOAuthClient } from '../oauth-client';

const REDIRECT = 'https://lifecycle.example.test/oauth/callback';
const APP = { clientId: 'client-id-lifecycle', clientSecret: 'client-secret-lifecycle', appId: 4_242_001, redirectUrls: [REDIRECT] };

describe('HubSpotOAuthClient: the 2026-03 OAuth endpoints (all parameters in the body) against the simulator', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  let oauth: HubSpotOAuthClient;
  beforeEach(async () => {
    clock = new ManualClock('2026-11-02T09:00:00Z');
    sim = await startSimulator({ clock, portals: [{ portalId: 101 }, { portalId: 202 }] });
    sim.control.oauth.registerApp(APP);
    oauth = new HubSpotOAuthClient({ baseUrl: sim.baseUrl, clientId: APP.clientId, clientSecret: APP.clientSecret, redirectUri: REDIRECT });
  });
  afterEach(() => sim.stop());

  async function codeFor(portalId: number): Promise<string> {
    const query = new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT, scope: 'oauth crm.objects.contacts.write' });
    const response = await fetch(`${sim.baseUrl}/oauth/${portalId}/authorize?${query}`, { redirect: 'manual' });
    return new URL(response.headers.get('location')!).searchParams.get('code')!;
  }

  it('exchanges a code, learns the account from introspection, and the token works for that account', async () => {
    const issued = await oauth.exchangeCode(await codeFor(202));
    expect(issued).toMatchObject({ expiresInSeconds: 1800, hubId: 202, scopes: ['oauth', 'crm.objects.contacts.write'] });
    expect(await oauth.introspect(issued.accessToken)).toEqual({ hubId: 202, hubDomain: 'portal-202.sim.hubspot.test', scopes: ['oauth', 'crm.objects.contacts.write'] });
    const client = new Client({ accessToken: issued.accessToken, basePath: sim.baseUrl });
    await expect(client.crm.contacts.basicApi.create({ properties: { email: 'a@b.test' }, associations: [] })).resolves.toMatchObject({ id: expect.any(String) });
    expect(sim.control.stats().portals['202']?.byEndpoint['POST /oauth/2026-03/token']).toBe(1);
  });

  it('refreshes with the refresh token; once revoked, refreshing is a rejected grant (final, not retryable)', async () => {
    const issued = await oauth.exchangeCode(await codeFor(101));
    clock.advance(25 * 60_000);
    const refreshed = await oauth.refresh(issued.refreshToken);
    expect(refreshed.accessToken).not.toBe(issued.accessToken);
    expect(refreshed.refreshToken).toBe(issued.refreshToken);

    await oauth.revoke(issued.refreshToken);
    await expect(oauth.refresh(issued.refreshToken)).rejects.toBeInstanceOf(OAuthGrantRejected);
    expect(sim.control.oauth.stats(101)).toMatchObject({ refreshGrants: 1, refused: 1 });
  });

  it('an expired access token introspects as inactive', async () => {
    const issued = await oauth.exchangeCode(await codeFor(101));
    clock.advance(30 * 60_000);
    await expect(oauth.introspect(issued.accessToken)).rejects.toBeInstanceOf(OAuthGrantRejected);
  });

  it('wrong app credentials are NOT a rejected grant: they must never revoke installs', async () => {
    const issued = await oauth.exchangeCode(await codeFor(101));
    const misconfigured = new HubSpotOAuthClient({ baseUrl: sim.baseUrl, clientId: APP.clientId, clientSecret: 'rotated-away', redirectUri: REDIRECT });
    const error = await misconfigured.refresh(issued.refreshToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthServerUnavailable);
    expect(error).toMatchObject({ status: 401 });
  });

  it('uninstalling from the account ends every token of the install', async () => {
    const issued = await oauth.exchangeCode(await codeFor(101));
    await oauth.uninstallFromAccount(issued.accessToken);
    await expect(oauth.refresh(issued.refreshToken)).rejects.toBeInstanceOf(OAuthGrantRejected);
    await expect(oauth.introspect(issued.accessToken)).rejects.toBeInstanceOf(OAuthGrantRejected);
  });

  it('an unreachable OAuth server is a passing failure', async () => {
    const offline = new HubSpotOAuthClient({ baseUrl: 'http://127.0.0.1:1', clientId: APP.clientId, clientSecret: APP.clientSecret, redirectUri: REDIRECT });
    await expect(offline.refresh('any')).rejects.toBeInstanceOf(OAuthServerUnavailable);
  });
});
