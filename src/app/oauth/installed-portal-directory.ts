import type { PortalCredentials, PortalDirectory } from '../ports/portal-directory';
import type { InstallationPort, PortalId } from '../ports/store-ports';
import type { AccessTokenProvider } from './token-provider';

export interface InstalledPortalDirectoryDeps {
  installations: InstallationPort;
  tokens: AccessTokenProvider;
  /** The public app's client secret(s): HubSpot signs every portal's requests with the app's secret. */
  clientSecrets: string[];
  /** Requests per rolling 10 s per installed account: public apps get 110. */
  rateLimit?: number;
}

/**
 * The portals an OAuth app serves: those with an active install. The answer must be synchronous (the webhook
 * route asks per event), so the active set is held in memory: loaded from the store at start and on `reload()`,
 * and changed at once by install, uninstall and revocation in this process.
 */
export class InstalledPortalDirectory implements PortalDirectory {
  private active = new Set<PortalId>();

  constructor(private readonly deps: InstalledPortalDirectoryDeps) {}

  /** Re-reads the active installs (another process may have installed or uninstalled one). */
  async reload(): Promise<void> {
    this.active = new Set(await this.deps.installations.activePortals());
  }

  add(portalId: PortalId): void {
    this.active.add(portalId);
  }

  remove(portalId: PortalId): void {
    this.active.delete(portalId);
  }

  portals(): PortalId[] {
    return [...this.active].sort((a, b) => a - b);
  }

  serves(portalId: PortalId): boolean {
    return this.active.has(portalId);
  }

  credentials(portalId: PortalId): PortalCredentials | undefined {
    if (!this.active.has(portalId)) return undefined;
    return { portalId, accessToken: this.deps.tokens.forPortal(portalId), clientSecrets: this.deps.clientSecrets, rateLimit: this.deps.rateLimit ?? 110 };
  }

  clientSecrets(): string[] {
    return [...this.deps.clientSecrets];
  }
}
