import { APP, REDIRECT_URI, startOAuthHarness, storedInstallationRow, type OAuthHarness } from './oauth-harness';

describe('installing the public app with OAuth, end to end through the simulated HubSpot', () => {
  let h: OAuthHarness;
  beforeEach(async () => {
    h = await startOAuthHarness([101, 202]);
  });
  afterEach(() => h.stop());

  it('install URL → consent → callback: tokens are stored sealed, our properties are created, and the account is served', async () => {
    expect(h.backend.directory.serves(101)).toBe(false);

    const installed = await h.install(101);

    expect(installed).toEqual({
      status: 200,
      body: { installed: true, portalId: 101, hubDomain: 'portal-101.sim.hubspot.test', scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'], setUp: true },
    });
    expect(h.backend.directory.portals()).toEqual([101]);
    expect(await h.store.installations.get(101)).toMatchObject({ status: 'active', scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'] });
    const row = await storedInstallationRow(h.databaseUrl, 101);
    expect(row).toMatchObject({ refresh_token_sealed: expect.stringMatching(/^v1\.k1\./), access_token_sealed: expect.stringMatching(/^v1\.k1\./), encryption_key_id: 'k1' });
    // The simulator's tokens start with sim-rt- / sim-at-: neither may appear anywhere in the stored row.
    expect(JSON.stringify(row)).not.toMatch(/sim-rt-|sim-at-/);
    expect(h.sim.state.portal(101).registry.get('contacts', 'lc_stage')).toBeDefined();
  });

  it("a webhook for the installed account is accepted and processed with the install's own token; other accounts are ignored", async () => {
    await h.install(101);
    const ada = await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'ada@acme.test' }, associations: [] });
    const bob = await h.user(202).crm.contacts.basicApi.create({ properties: { email: 'bob@other.test' }, associations: [] });

    await h.settle();

    const read = await h.user(101).crm.contacts.basicApi.getById(ada.id, ['lc_stage', 'lifecyclestage']);
    expect(read.properties).toMatchObject({ lc_stage: 'lead_acquired', lifecyclestage: 'subscriber' });
    expect(await h.store.ledger.count(101)).toBe(1);
    // 202 never installed the app: its events are not stored, and nothing of ours is written there.
    expect(await h.store.ledger.count(202)).toBe(0);
    expect((await h.user(202).crm.contacts.basicApi.getById(bob.id, ['email'])).properties['lc_stage']).toBeUndefined();
  });

  it('a callback whose state we did not issue is a 400, and the code is never spent', async () => {
    const consent = await fetch(
      `${h.sim.baseUrl}/oauth/101/authorize?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT_URI, scope: 'oauth', state: 'forged-by-someone.c2lnbmF0dXJl' })}`,
      { redirect: 'manual' },
    );
    const back = new URL(consent.headers.get('location')!);

    const callback = await fetch(`${h.backend.url}/oauth/callback${back.search}`, { headers: { accept: 'application/json' } });

    expect(callback.status).toBe(400);
    expect(await callback.json()).toMatchObject({ error: 'invalid_state' });
    expect(h.sim.control.oauth.stats(101).authorizationCodeGrants).toBe(0);
    expect(await h.store.installations.get(101)).toBeNull();
  });

  it('a callback without a state, with a tampered state, or replayed is a 400', async () => {
    const start = await fetch(`${h.backend.url}/oauth/install?portalId=101`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const state = back.searchParams.get('state')!;
    const code = back.searchParams.get('code')!;
    const callback = (query: Record<string, string>) => fetch(`${h.backend.url}/oauth/callback?${new URLSearchParams(query)}`, { headers: { accept: 'application/json' } });

    expect((await callback({ code })).status).toBe(400);
    const tampered = `${state.slice(0, -2)}${state.endsWith('A') ? 'B' : 'A'}${state.slice(-1)}`;
    expect((await callback({ code, state: tampered })).status).toBe(400);
    expect((await callback({ code, state })).status).toBe(200);
    expect((await callback({ code, state })).status).toBe(400);
    expect(h.sim.control.oauth.stats(101).authorizationCodeGrants).toBe(1);
  });

  it('an expired state is a 400 (the admin took too long)', async () => {
    const start = await fetch(`${h.backend.url}/oauth/install?portalId=101`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    h.clock.advance(16 * 60_000);
    const callback = await fetch(`${h.backend.url}/oauth/callback${back.search}`, { headers: { accept: 'application/json' } });
    expect(callback.status).toBe(400);
  });

  it('the install URL carries what HubSpot documents: client_id, redirect_uri, space-separated scope, state', async () => {
    const start = await fetch(`${h.backend.url}/oauth/install`, { redirect: 'manual' });
    const location = start.headers.get('location')!;
    expect(
      location.startsWith(
        `${h.sim.baseUrl}/oauth/authorize?client_id=${APP.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=oauth%20crm.objects.contacts.read%20crm.objects.contacts.write&state=`,
      ),
    ).toBe(true);
    expect(start.headers.get('cache-control')).toBe('no-store');
  });
});
