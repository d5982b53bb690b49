import { randomBytes } from 'node:crypto';
import { deriveKey, HmacInstallStateSigner } from '../install-state-signer';

const master = randomBytes(32);
const signer = new HmacInstallStateSigner(deriveKey(master, 'oauth-install-state'));
const claims = { stateId: 'a'.repeat(32), expiresAt: Date.UTC(2026, 0, 5, 9, 15) };

describe('the signed OAuth install state', () => {
  it('verifies a state it signed and returns its claims', () => {
    expect(signer.verify(signer.sign(claims))).toEqual(claims);
  });

  it('rejects a state whose claims were changed (e.g. a longer expiry)', () => {
    const [, mac] = signer.sign(claims).split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, expiresAt: claims.expiresAt + 86_400_000 })).toString('base64url');
    expect(signer.verify(`${forgedBody}.${mac}`)).toBeNull();
  });

  it('rejects a state signed with another key, and anything malformed', () => {
    const other = new HmacInstallStateSigner(deriveKey(randomBytes(32), 'oauth-install-state'));
    expect(signer.verify(other.sign(claims))).toBeNull();
    for (const junk of ['', 'abc', 'a.b.c', '.', `${Buffer.from('not json').toString('base64url')}.x`]) expect(signer.verify(junk)).toBeNull();
  });

  it('derives different keys for different purposes from one master key', () => {
    expect(deriveKey(master, 'oauth-install-state').equals(deriveKey(master, 'something-else'))).toBe(false);
  });
});
