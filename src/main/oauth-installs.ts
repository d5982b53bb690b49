import type { Router } from 'express';
import type { Logger } from 'pino';
import { deriveKey, HmacInstallStateSigner } from '../adapters/crypto/install-state-signer';
import { AesGcmTokenCipher, parseEncryptionKey, type TokenCipherKeys } from '../adapters/crypto/token-cipher';
import { HubSpotOAuthClient } from '../adapters/hubspot/oauth-client';
import { beginInstall } from '../app/oauth/begin-install';
import { completeInstall } from '../app/oauth/complete-install';
import type { InstallSettings } from '../app/oauth/install-settings';
import { InstalledPortalDirectory } from '../app/oauth/installed-portal-directory';
import { AccessTokenProvider } from '../app/oauth/token-provider';
import { uninstall } from '../app/oauth/uninstall';
import type { Clock } from '../app/ports/clock';
import type { PortalId, Store } from '../app/ports/store-ports';
import { REQUIRED_SCOPES } from '../app-project/required-scopes';
import type { Env } from '../config/env';
import { oauthRoutes } from '../http/routes/oauth-routes';

export interface OAuthInstallSettings extends InstallSettings {
  clientSecret: string;
  encryptionKeys: TokenCipherKeys;
  /** How often the active installs are re-read, to see other instances' installs and uninstalls. Default 30 s. */
  directoryReloadMs?: number;
  /** Share of an access token's lifetime after which it is renewed. Default 0.8. */
  refreshAtShare?: number;
}

export interface OAuthInstalls {
  directory: InstalledPortalDirectory;
  tokens: AccessTokenProvider;
  /** /oauth/install, /oauth/callback, /oauth/uninstall; `setUp` prepares a newly installed account (properties). */
  routes(options: { publicBaseUrl: string | undefined; setUp: (portalId: PortalId) => Promise<void> }): Router;
  stop(): void;
}

/** The OAuth side of the backend: sealed token storage, per-portal token renewal, the installed-portal directory. */
export async function startOAuthInstalls(deps: { store: Store; clock: Clock; logger: Logger; hubspotBaseUrl: string; settings: OAuthInstallSettings }): Promise<OAuthInstalls> {
  const { store, clock, logger, settings } = deps;
  const cipher = new AesGcmTokenCipher(settings.encryptionKeys);
  const signer = new HmacInstallStateSigner(deriveKey(settings.encryptionKeys.current.key, 'oauth-install-state'));
  const oauth = new HubSpotOAuthClient({ baseUrl: deps.hubspotBaseUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, redirectUri: settings.redirectUri });
  let directory: InstalledPortalDirectory | undefined;
  const tokens = new AccessTokenProvider({
    installations: store.installations,
    oauth,
    cipher,
    clock,
    logger,
    ...(settings.refreshAtShare === undefined ? {} : { refreshAtShare: settings.refreshAtShare }),
    onRevoked: (portalId) => directory?.remove(portalId),
  });
  directory = new InstalledPortalDirectory({ installations: store.installations, tokens, clientSecrets: [settings.clientSecret] });
  await directory.reload();
  const installed = directory;
  const reload = setInterval(() => {
    installed.reload().catch((error: unknown) => logger.warn({ err: error }, 'could not re-read the installed portals'));
  }, settings.directoryReloadMs ?? 30_000);
  reload.unref();

  return {
    directory: installed,
    tokens,
    routes: ({ publicBaseUrl, setUp }) =>
      oauthRoutes({
        portals: installed,
        clock,
        logger,
        publicBaseUrl,
        beginInstall: (options) => beginInstall({ states: store.oauthStates, signer, clock, settings }, options),
        completeInstall: (input) =>
          completeInstall({ states: store.oauthStates, signer, oauth, installations: store.installations, tokens, clock, logger, onInstalled: (id) => installed.add(id), setUp }, input),
        uninstall: (portalId) => uninstall({ installations: store.installations, oauth, cipher, tokens, clock, logger, onUninstalled: (id) => installed.remove(id) }, portalId),
      }),
    stop: () => clearInterval(reload),
  };
}

/** OAuth settings from a parsed environment (AUTH_MODE oauth: env.ts has checked every value is present and valid). */
export function oauthSettingsFromEnv(env: Env): OAuthInstallSettings {
  const previous = (env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '')
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map((entry) => {
      const [id, key] = entry.split(':') as [string, string];
      return { id: id.trim(), key: parseEncryptionKey(key, `TOKEN_ENCRYPTION_PREVIOUS_KEYS (${id.trim()})`) };
    });
  return {
    clientId: env.HUBSPOT_CLIENT_ID!,
    clientSecret: env.HUBSPOT_CLIENT_SECRET!,
    redirectUri: env.OAUTH_REDIRECT_URL ?? `${env.PUBLIC_BASE_URL!.replace(/\/+$/, '')}/oauth/callback`,
    authorizeUrl: env.HUBSPOT_OAUTH_AUTHORIZE_URL,
    scopes: REQUIRED_SCOPES,
    optionalScopes: [],
    encryptionKeys: { current: { id: env.TOKEN_ENCRYPTION_KEY_ID, key: parseEncryptionKey(env.TOKEN_ENCRYPTION_KEY!, 'TOKEN_ENCRYPTION_KEY') }, previous },
  };
}
