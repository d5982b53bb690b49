import type { Logger } from 'pino';
import type { Clock } from '../ports/clock';
import type { InstallationPort, PortalId } from '../ports/store-ports';
import type { OAuthServerPort, TokenCipher } from './oauth-ports';
import type { AccessTokenProvider } from './token-provider';

export interface UninstallDeps {
  installations: InstallationPort;
  oauth: OAuthServerPort;
  cipher: TokenCipher;
  tokens: AccessTokenProvider;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** Stop serving the portal (directory). */
  onUninstalled: (portalId: PortalId) => void;
}

/**
 * Disconnects a portal: stop serving it (no new jobs), remove the app from the HubSpot account (its webhooks stop),
 * revoke the refresh token, then delete our tokens. The HubSpot steps are best effort: our copy is deleted even
 * when HubSpot cannot be reached, so the database never keeps a usable token of an uninstalled portal.
 */
export async function uninstall(deps: UninstallDeps, portalId: PortalId): Promise<{ uninstalled: boolean }> {
  deps.onUninstalled(portalId);
  const installation = await deps.installations.get(portalId);
  if (!installation || installation.status === 'uninstalled') {
    deps.tokens.forget(portalId);
    return { uninstalled: false };
  }
  if (installation.tokens && installation.status === 'active') {
    await bestEffort(deps, portalId, 'remove the app from the HubSpot account', async () => deps.oauth.uninstallFromAccount(await deps.tokens.accessToken(portalId)));
    await bestEffort(deps, portalId, 'revoke the refresh token at HubSpot', () => deps.oauth.revoke(deps.cipher.open(portalId, installation.tokens!.refreshTokenSealed)));
  }
  deps.tokens.forget(portalId);
  await deps.installations.markUninstalled(portalId, deps.clock.now());
  deps.logger.info({ portalId }, 'app uninstalled: tokens deleted, portal no longer served');
  return { uninstalled: true };
}

async function bestEffort(deps: UninstallDeps, portalId: PortalId, what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    deps.logger.warn({ portalId, reason: (error as Error).message }, `could not ${what}; deleting our tokens anyway`);
  }
}
