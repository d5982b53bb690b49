import { randomBytes } from 'node:crypto';
import { AesGcmTokenCipher, parseEncryptionKey } from '../token-cipher';

const keyA = { id: 'k1', key: randomBytes(32) };
const keyB = { id: 'k2', key: randomBytes(32) };
/** HubSpot: "allow for tokens to be up to 300 characters". */
const refreshToken = `na1-${'x'.repeat(296)}`;

describe('sealing OAuth tokens at rest (AES-256-GCM, key from the environment)', () => {
  const cipher = new AesGcmTokenCipher({ current: keyA });

  it('opens what it sealed, for the same portal, and the sealed text reveals nothing of the token', () => {
    const sealed = cipher.seal(101, refreshToken);
    expect(cipher.open(101, sealed)).toBe(refreshToken);
    expect(sealed).not.toContain('xxxx');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
  });

  it('seals the same token differently every time (fresh IV)', () => {
    expect(cipher.seal(101, refreshToken)).not.toBe(cipher.seal(101, refreshToken));
  });

  it("refuses to open a token on another portal's behalf (the portal is authenticated data)", () => {
    const sealed = cipher.seal(101, refreshToken);
    expect(() => cipher.open(202, sealed)).toThrow('does not open');
  });

  it('detects tampering', () => {
    const sealed = cipher.seal(101, refreshToken);
    const parts = sealed.split('.');
    const data = Buffer.from(parts[4]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[4] = data.toString('base64url');
    expect(() => cipher.open(101, parts.join('.'))).toThrow('does not open');
  });

  it('after a key rotation, seals with the new key and still opens tokens sealed with the previous one', () => {
    const before = cipher.seal(101, 'old-refresh');
    const rotated = new AesGcmTokenCipher({ current: keyB, previous: [keyA] });
    expect(rotated.open(101, before)).toBe('old-refresh');
    expect(rotated.seal(101, 'new-refresh').startsWith('v1.k2.')).toBe(true);
    expect(rotated.keyIdOf(before)).toBe('k1');
  });

  it('names the missing key when a token was sealed with a key that is no longer configured', () => {
    const sealed = cipher.seal(101, 'refresh');
    expect(() => new AesGcmTokenCipher({ current: keyB }).open(101, sealed)).toThrow('uses key "k1", which is not configured');
  });

  it('refuses keys that are not 32 bytes, without echoing them', () => {
    expect(() => new AesGcmTokenCipher({ current: { id: 'short', key: randomBytes(16) } })).toThrow('must be 32 bytes, got 16');
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      parseEncryptionKey(short, 'TOKEN_ENCRYPTION_KEY');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('decodes to 16 bytes');
    expect(message).not.toContain(short);
  });
});
