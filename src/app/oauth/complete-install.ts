import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { InstallationPort, OAuthStatePort, PortalId } from '../ports/store-ports';
import { OAuthGrantRejected, type InstallStateSigner, type OAuthServerPort } from './oauth-ports';
import type { AccessTokenProvider } from './token-provider';

export interface CompleteInstallDeps {
  states: OAuthStatePort;
  signer: InstallStateSigner;
  oauth: OAuthServerPort;
  installations: InstallationPort;
  tokens: AccessTokenProvider;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** The portal is now installed: start serving it (directory). */
  onInstalled: (portalId: PortalId) => void;
  /** One-time setup in the new account (our properties); a failure is reported, the install stays. */
  setUp?: (portalId: PortalId) => Promise<void>;
}

/** What HubSpot's redirect brought back: a code and our state, or an error when the admin did not approve. */
export interface CallbackInput {
  code?: string;
  state?: string;
  error?: string;
}

export type CompleteInstallResult =
  { ok: true; portalId: PortalId; hubDomain: string | null; scopes: string[]; setUp: boolean } | { ok: false; reason: 'invalid_state' | 'not_approved' | 'code_rejected'; message: string };

/**
 * The OAuth callback: the state must be ours (signature), fresh and unused (stored, single-use) BEFORE the code is
 * spent. The code becomes tokens; the account they belong to is what HubSpot's token metadata says (hub_id), never
 * anything in the URL. Tokens are stored sealed, and the portal is served from then on.
 */
export async function completeInstall(deps: CompleteInstallDeps, input: CallbackInput): Promise<CompleteInstallResult> {
  const claims = input.state ? deps.signer.verify(input.state) : null;
  const now = deps.clock.now();
  if (!claims || claims.expiresAt < now || !(await deps.states.consume(claims.stateId, now))) {
    return { ok: false, reason: 'invalid_state', message: 'the install link is invalid, expired or already used; start the install again' };
  }
  if (input.error || !input.code) {
    return { ok: false, reason: 'not_approved', message: `HubSpot did not authorize the install${input.error ? ` (${input.error})` : ''}` };
  }

  let issued;
  let metadata;
  try {
    issued = await deps.oauth.exchangeCode(input.code);
    metadata = await deps.oauth.introspect(issued.accessToken);
  } catch (error) {
    if (error instanceof OAuthGrantRejected) return { ok: false, reason: 'code_rejected', message: 'HubSpot refused the authorization code; start the install again' };
    throw error;
  }
  if (issued.hubId !== null && issued.hubId !== metadata.hubId) throw new Error(`HubSpot's token response names hub ${issued.hubId} but its metadata hub ${metadata.hubId}`);

  const portalId = metadata.hubId;
  const issuedAt = deps.clock.now();
  const scopes = issued.scopes ?? metadata.scopes;
  await deps.installations.saveInstalled(portalId, { hubDomain: metadata.hubDomain, scopes, tokens: deps.tokens.sealIssued(portalId, issued, issuedAt) }, issuedAt);
  deps.onInstalled(portalId);
  deps.logger.info({ portalId, hubDomain: metadata.hubDomain, scopes }, 'app installed');
  return { ok: true, portalId, hubDomain: metadata.hubDomain, scopes, setUp: await setUp(deps, portalId) };
}

async function setUp(deps: CompleteInstallDeps, portalId: PortalId): Promise<boolean> {
  if (!deps.setUp) return true;
  try {
    await deps.setUp(portalId);
    return true;
  } catch (error) {
    deps.logger.error({ portalId, err: error }, 'install set-up failed; reinstalling the app repeats it');
    return false;
  }
}
