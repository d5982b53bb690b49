import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { InstallStateClaims, InstallStateSigner } from '../../app/oauth/oauth-ports';

const ClaimsSchema = z.strictObject({ stateId: z.string().min(16).max(128), expiresAt: z.number().int().positive() });

/**
 * `<claims base64url>.<HMAC-SHA256 base64url>`: the OAuth `state` travels through the user's browser and HubSpot,
 * so it must not be forgeable. The HMAC key is ours alone (derived from the token encryption key by the caller).
 */
export class HmacInstallStateSigner implements InstallStateSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the install state signing key must be at least 32 bytes');
  }

  sign(claims: InstallStateClaims): string {
    const body = Buffer.from(JSON.stringify(ClaimsSchema.parse(claims)), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  verify(state: string): InstallStateClaims | null {
    const [body, mac, ...rest] = state.split('.');
    if (!body || !mac || rest.length > 0) return null;
    const expected = Buffer.from(this.mac(body), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const parsed = ClaimsSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** A key for one purpose derived from the master key, so the state signer never holds the token encryption key. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return createHmac('sha256', masterKey).update(`lifecycle-engine:${purpose}`).digest();
}
