import { MINUTE, startOAuthHarness, storedInstallationRow, type OAuthHarness } from './oauth-harness';

const refreshes = (h: OAuthHarness, portalId: number) => h.sim.control.oauth.stats(portalId).refreshGrants;
/** API calls of a portal other than OAuth's own endpoints (the simulator keys them by router-relative path). */
const crmCalls = (h: OAuthHarness, portalId: number) =>
  Object.entries(h.sim.control.stats().portals[String(portalId)]?.byEndpoint ?? {})
    .filter(([endpoint]) => !endpoint.includes('/oauth/'))
    .reduce((sum, [, count]) => sum + count, 0);

describe('OAuth access tokens: renewed ahead of expiry, once per portal, and a revoked install stops alone', () => {
  let h: OAuthHarness;
  afterEach(() => h.stop());

  it('renews at ~80 % of the 30-minute lifetime HubSpot states, before any call could meet an expired token', async () => {
    h = await startOAuthHarness([101]);
    await h.install(101);
    const installedAt = h.clock.now();
    const gateway = h.backend.gateways.get(101)!;
    const contact = await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'ada@acme.test' }, associations: [] });

    h.clock.set(installedAt + 23 * MINUTE);
    await gateway.batchRead('contact', [contact.id], ['email']);
    expect(refreshes(h, 101)).toBe(0);

    h.clock.set(installedAt + 25 * MINUTE);
    await gateway.batchRead('contact', [contact.id], ['email']);
    expect(refreshes(h, 101)).toBe(1);
    expect((await h.store.installations.get(101))?.tokens?.accessTokenExpiresAt).toBe(installedAt + 55 * MINUTE);

    // Past the first token's expiry: calls carry the renewed token, and HubSpot never answered 401.
    h.clock.set(installedAt + 31 * MINUTE);
    await expect(gateway.batchRead('contact', [contact.id], ['email'])).resolves.toMatchObject({ records: [{ id: contact.id }] });
    expect(refreshes(h, 101)).toBe(1);
    expect(h.sim.control.stats().portals['101']?.clientErrors).toBe(0);
    expect(JSON.stringify(await storedInstallationRow(h.databaseUrl, 101))).not.toMatch(/sim-rt-|sim-at-/);
  });

  it('R13: 20 concurrent jobs finding the token expired cause exactly one refresh call, and no 401', async () => {
    h = await startOAuthHarness([101]);
    await h.install(101);
    const gateway = h.backend.gateways.get(101)!;
    const contact = await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'ada@acme.test' }, associations: [] });
    h.clock.advance(30 * MINUTE);

    const results = await Promise.all(Array.from({ length: 20 }, () => gateway.batchRead('contact', [contact.id], ['email'])));

    expect(results.every((r) => r.records.length === 1)).toBe(true);
    expect(refreshes(h, 101)).toBe(1);
    expect(h.sim.control.stats().portals['101']?.byEndpoint['POST /oauth/2026-03/token']).toBe(2); // the install's code exchange + 1 refresh
    expect(h.sim.control.stats().portals['101']?.clientErrors).toBe(0);
  });

  it('R12: a revoked refresh token stops that portal with an auth alert, while the other portal goes on', async () => {
    h = await startOAuthHarness([101, 202]);
    await h.install(101);
    await h.install(202);
    h.sim.control.oauth.revokeRefreshTokensOf(101);
    h.clock.advance(25 * MINUTE);
    const callsBefore = crmCalls(h, 101);

    const inRevoked = await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'ada@acme.test' }, associations: [] });
    const inHealthy = await h.user(202).crm.contacts.basicApi.create({ properties: { email: 'bob@other.test' }, associations: [] });
    await h.settle();
    const callsForRevokedPortal = crmCalls(h, 101) - callsBefore - 1; // minus the test user's own create

    expect((await h.user(202).crm.contacts.basicApi.getById(inHealthy.id, ['lc_stage'])).properties['lc_stage']).toBe('lead_acquired');
    expect((await h.user(101).crm.contacts.basicApi.getById(inRevoked.id, ['lc_stage'])).properties['lc_stage']).toBeNull();
    expect(await h.store.installations.get(101)).toMatchObject({ status: 'revoked', tokens: null });
    const alerts = await h.store.installations.authAlerts(101);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain('reinstall the app');
    expect(await h.store.installations.authAlerts(202)).toEqual([]);
    expect(h.backend.directory.portals()).toEqual([202]);
    // The revoked portal's event is parked, not lost, and no CRM call was made for it (only the refused refresh).
    expect(await h.store.inbox.pendingCount(101)).toBeGreaterThan(0);
    expect(callsForRevokedPortal).toBe(0);
    expect(h.sim.control.oauth.stats(101)).toMatchObject({ refreshGrants: 0, refused: 1 });

    // Reinstalling brings the portal back: its parked event is processed at the next retry.
    expect((await h.install(101)).status).toBe(200);
    h.clock.advance(11 * MINUTE);
    await h.settle();
    expect((await h.user(101).crm.contacts.basicApi.getById(inRevoked.id, ['lc_stage'])).properties['lc_stage']).toBe('lead_acquired');
  });

  it('uninstall (signed request from HubSpot) removes the app from the account, deletes our tokens and stops serving the portal', async () => {
    h = await startOAuthHarness([101, 202]);
    await h.install(101);
    await h.install(202);

    const response = await h.signedPost('/oauth/uninstall?portalId=101');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ uninstalled: true });
    expect(await h.store.installations.get(101)).toMatchObject({ status: 'uninstalled', tokens: null, uninstalledAt: h.clock.now() });
    expect(await storedInstallationRow(h.databaseUrl, 101)).toMatchObject({ access_token_sealed: null, refresh_token_sealed: null });
    expect(h.backend.directory.portals()).toEqual([202]);

    // Later events of the uninstalled account are not stored; the other install is untouched.
    const afterwards = await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'late@acme.test' }, associations: [] });
    await h.settle();
    expect(await h.store.inbox.pendingCount(101)).toBe(0);
    expect((await h.user(101).crm.contacts.basicApi.getById(afterwards.id, ['lc_stage'])).properties['lc_stage']).toBeNull();
    expect(await h.store.installations.get(202)).toMatchObject({ status: 'active' });
  });

  it('uninstall refuses an unsigned request, or one signed for a portal that is not installed', async () => {
    h = await startOAuthHarness([101, 202]);
    await h.install(101);

    const unsigned = await fetch(`${h.backend.url}/oauth/uninstall?portalId=101`, { method: 'POST' });
    const notInstalled = await h.signedPost('/oauth/uninstall?portalId=202');

    expect(unsigned.status).toBe(401);
    expect(notInstalled.status).toBe(401);
    expect(await h.store.installations.get(101)).toMatchObject({ status: 'active' });
  });
});
