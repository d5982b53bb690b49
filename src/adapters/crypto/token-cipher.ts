import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TokenCipher } from '../../app/oauth/oauth-ports';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
/** 96-bit IVs are what GCM is specified for; a fresh random one per seal. */
const IV_BYTES = 12;
const FORMAT = 'v1';

export interface TokenCipherKeys {
  /** The key new secrets are sealed with. */
  current: { id: string; key: Buffer };
  /** Keys that only open secrets sealed before a rotation. */
  previous?: Array<{ id: string; key: Buffer }>;
}

/**
 * Seals OAuth tokens for storage with AES-256-GCM. The sealed text names its key (`v1.<keyId>.<iv>.<tag>.<data>`),
 * so keys can rotate: new seals use the current key, older rows open with a previous one until re-sealed.
 * The portal id is authenticated data: a sealed token copied onto another portal's row does not open there.
 */
export class AesGcmTokenCipher implements TokenCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(keys: TokenCipherKeys) {
    for (const { id, key } of [keys.current, ...(keys.previous ?? [])]) {
      if (key.length !== KEY_BYTES) throw new Error(`token encryption key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`token encryption key id "${id}" may only use letters, digits, _ and -`);
      this.keys.set(id, key);
    }
    this.currentKeyId = keys.current.id;
  }

  seal(portalId: number, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(associatedData(portalId));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(portalId: number, sealed: string): string {
    const [format, keyId, iv, tag, data, ...rest] = sealed.split('.');
    if (format !== FORMAT || !keyId || !iv || !tag || data === undefined || rest.length > 0) throw new Error('sealed token has an unknown format');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`sealed token uses key "${keyId}", which is not configured (TOKEN_ENCRYPTION_PREVIOUS_KEYS after a rotation)`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(associatedData(portalId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // Never echo the input: it is a secret, even sealed.
      throw new Error(`sealed token of portal ${portalId} does not open: wrong key, wrong portal or tampered`);
    }
  }

  keyIdOf(sealed: string): string | null {
    const [format, keyId] = sealed.split('.');
    return format === FORMAT && keyId ? keyId : null;
  }
}

const associatedData = (portalId: number) => Buffer.from(`hubspot-portal:${portalId}`, 'utf8');

/** Parses a base64 key from the environment; the error says what is wrong without echoing the value. */
export function parseEncryptionKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${name} must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32); it decodes to ${key.length} bytes`);
  return key;
}
