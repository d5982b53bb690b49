/** The HubSpot accounts this backend serves and how to reach each: a static token, or OAuth installs (app/oauth). */
export interface PortalCredentials {
  portalId: number;
  /** A private app's static token, or (OAuth) a function that yields a valid, renewed-in-time access token. */
  accessToken: string | (() => Promise<string>);
  /** Current and previous client secrets (rotation). */
  clientSecrets: string[];
  /** Requests per rolling 10 s. */
  rateLimit: number;
}

export interface PortalDirectory {
  portals(): number[];
  serves(portalId: number): boolean;
  credentials(portalId: number): PortalCredentials | undefined;
  /** Every secret that may have signed a request for this app. */
  clientSecrets(): string[];
}

export class StaticPortalDirectory implements PortalDirectory {
  private readonly byId: Map<number, PortalCredentials>;

  constructor(portals: PortalCredentials[]) {
    this.byId = new Map(portals.map((p) => [p.portalId, p]));
  }

  portals() {
    return [...this.byId.keys()];
  }

  serves(portalId: number) {
    return this.byId.has(portalId);
  }

  credentials(portalId: number) {
    return this.byId.get(portalId);
  }

  clientSecrets() {
    return [...new Set([...this.byId.values()].flatMap((p) => p.clientSecrets))];
  }
}
