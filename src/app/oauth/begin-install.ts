import { randomBytes } from 'node:crypto';
import type { Clock } from '../ports/clock';
import type { OAuthStatePort, PortalId } from '../ports/store-ports';
import type { InstallSettings } from './install-settings';
import type { InstallStateSigner } from './oauth-ports';

export interface BeginInstallDeps {
  states: OAuthStatePort;
  signer: InstallStateSigner;
  clock: Pick<Clock, 'now'>;
  settings: InstallSettings;
  /** How long the admin has to approve the install before the state expires. */
  stateTtlMs?: number;
}

const DEFAULT_STATE_TTL_MS = 15 * 60_000;

/**
 * Starts an install: a fresh `state`, signed (it cannot be forged) and stored (it can be used once), and the
 * authorize URL HubSpot documents — client_id, redirect_uri, scope and optional_scope space-separated, state.
 * A known account id goes into the path (/oauth/{portalId}/authorize), which skips HubSpot's account picker.
 */
export async function beginInstall(deps: BeginInstallDeps, options: { portalId?: PortalId } = {}): Promise<{ authorizeUrl: string }> {
  const now = deps.clock.now();
  const expiresAt = now + (deps.stateTtlMs ?? DEFAULT_STATE_TTL_MS);
  const stateId = randomBytes(24).toString('base64url');
  await deps.states.save(stateId, expiresAt, now);
  const state = deps.signer.sign({ stateId, expiresAt });

  const { settings } = deps;
  const base = options.portalId === undefined ? settings.authorizeUrl : settings.authorizeUrl.replace(/\/oauth\/authorize$/, `/oauth/${options.portalId}/authorize`);
  const query: Array<[string, string]> = [
    ['client_id', settings.clientId],
    ['redirect_uri', settings.redirectUri],
    ['scope', settings.scopes.join(' ')],
    ...(settings.optionalScopes.length > 0 ? [['optional_scope', settings.optionalScopes.join(' ')] as [string, string]] : []),
    ['state', state],
  ];
  // encodeURIComponent, not URLSearchParams: HubSpot's own example encodes the scope separator as %20, not "+".
  return { authorizeUrl: `${base}?${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` };
}
