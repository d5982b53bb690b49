import type { SealedTokens } from '../../../app/ports/store-ports';
import { T0 } from './support/fixtures';
import { describeEachDialect } from './support/store-harness';

const MINUTE = 60_000;
const sealed = (label: string, issuedAt = T0): SealedTokens => ({
  accessTokenSealed: `v1.k1.iv.tag.access-${label}`,
  accessTokenIssuedAt: issuedAt,
  accessTokenExpiresAt: issuedAt + 30 * MINUTE,
  refreshTokenSealed: `v1.k1.iv.tag.refresh-${label}`,
  encryptionKeyId: 'k1',
});

describeEachDialect('OAuth installations and install states', (harness) => {
  // The shared harness empties only the pipeline tables; these belong to this specification.
  beforeEach(async () => {
    await harness.db.deleteFrom('installations').execute();
    await harness.db.deleteFrom('oauth_install_states').execute();
  });

  it('an install is stored active, per portal, with its scopes and sealed tokens', async () => {
    const { installations } = harness.store;
    await installations.saveInstalled(101, { hubDomain: 'acme.hubspot.com', scopes: ['oauth', 'crm.objects.contacts.read'], tokens: sealed('a') }, T0);
    await installations.saveInstalled(202, { hubDomain: null, scopes: ['oauth'], tokens: sealed('b') }, T0);

    expect(await installations.get(101)).toEqual({
      portalId: 101,
      status: 'active',
      statusReason: null,
      hubDomain: 'acme.hubspot.com',
      scopes: ['oauth', 'crm.objects.contacts.read'],
      tokens: sealed('a'),
      installedAt: T0,
      updatedAt: T0,
      uninstalledAt: null,
    });
    expect(await installations.activePortals()).toEqual([101, 202]);
    expect(await installations.get(303)).toBeNull();
  });

  it('a refreshed token replaces the stored one while the install is active, and never revives an uninstalled one', async () => {
    const { installations } = harness.store;
    await installations.saveInstalled(101, { hubDomain: null, scopes: ['oauth'], tokens: sealed('a') }, T0);
    expect(await installations.saveRefreshedTokens(101, sealed('b', T0 + 24 * MINUTE), T0 + 24 * MINUTE)).toBe(true);
    expect((await installations.get(101))?.tokens).toEqual(sealed('b', T0 + 24 * MINUTE));

    await installations.markUninstalled(101, T0 + 25 * MINUTE);
    expect(await installations.saveRefreshedTokens(101, sealed('c'), T0 + 26 * MINUTE)).toBe(false);
    expect(await installations.get(101)).toMatchObject({ status: 'uninstalled', tokens: null, uninstalledAt: T0 + 25 * MINUTE });
    expect(await installations.activePortals()).toEqual([]);
  });

  it('a revocation deletes the tokens and raises exactly one auth alert for that portal, however often it is reported', async () => {
    const { installations } = harness.store;
    await installations.saveInstalled(101, { hubDomain: null, scopes: ['oauth'], tokens: sealed('a') }, T0);
    await installations.saveInstalled(202, { hubDomain: null, scopes: ['oauth'], tokens: sealed('b') }, T0);
    await installations.markRevoked(101, 'refresh token refused', T0 + MINUTE);
    await installations.markRevoked(101, 'refresh token refused', T0 + 2 * MINUTE);

    expect(await installations.get(101)).toMatchObject({ status: 'revoked', statusReason: 'refresh token refused', tokens: null });
    expect(await installations.authAlerts(101)).toEqual([{ message: 'refresh token refused', createdAt: T0 + MINUTE }]);
    expect(await installations.authAlerts(202)).toEqual([]);
    expect(await installations.activePortals()).toEqual([202]);
  });

  it('a reinstall after a revocation makes the portal active again with the new tokens', async () => {
    const { installations } = harness.store;
    await installations.saveInstalled(101, { hubDomain: null, scopes: ['oauth'], tokens: sealed('a') }, T0);
    await installations.markRevoked(101, 'refused', T0 + MINUTE);
    await installations.saveInstalled(101, { hubDomain: 'acme.hubspot.com', scopes: ['oauth'], tokens: sealed('b') }, T0 + 2 * MINUTE);
    expect(await installations.get(101)).toMatchObject({ status: 'active', statusReason: null, tokens: sealed('b'), installedAt: T0 + 2 * MINUTE });
  });

  it('an install state can be consumed once, and not after it expired', async () => {
    const { oauthStates } = harness.store;
    await oauthStates.save('state-1', T0 + 10 * MINUTE, T0);
    await oauthStates.save('state-2', T0 + 10 * MINUTE, T0);
    expect(await oauthStates.consume('state-1', T0 + MINUTE)).toBe(true);
    expect(await oauthStates.consume('state-1', T0 + MINUTE)).toBe(false);
    expect(await oauthStates.consume('state-2', T0 + 11 * MINUTE)).toBe(false);
    expect(await oauthStates.consume('never-issued', T0)).toBe(false);
  });

  it('two callbacks racing with one state: exactly one wins', async () => {
    const { oauthStates } = harness.store;
    const other = await harness.openAnother();
    await oauthStates.save('raced', T0 + 10 * MINUTE, T0);
    const wins = await Promise.all([oauthStates.consume('raced', T0 + 1), other.oauthStates.consume('raced', T0 + 1)]);
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});
