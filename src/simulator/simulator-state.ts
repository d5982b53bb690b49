import type { Clock } from './clock';
import { systemClock } from './clock';
import type { PortalOptionsInput, SimulatorOptions } from './config/simulator-options';
import { DEFAULT_PORTAL_ID, withPortalDefaults } from './config/simulator-options';
import { conflict, notFound } from './domain/simulated-api-error';
import { ActionDefinitionRegistry } from './flows/action-definitions';
import { OAuthServer } from './oauth/oauth-server';
import { Portal } from './portal/portal';
import { Accounting } from './stats/accounting';
import { parseWebhooksConfig } from './webhooks/webhook-config';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookJournal } from './webhooks/webhook-journal';
import { WorkflowRunner } from './workflows/workflow-runner';

/** The simulator's whole state, independent of HTTP: portals (keyed by id and by token) and the shared services. */
export class SimulatorState {
  readonly clock: Clock;
  readonly accounting = new Accounting();
  readonly webhooks: WebhookDispatcher;
  /** The webhooks journal: the last 3 days of subscribed events, read by offset. */
  readonly journal: WebhookJournal;
  readonly workflows: WorkflowRunner;
  /** Custom workflow action definitions per app (a project upload creates them in HubSpot). */
  readonly actionDefinitions = new ActionDefinitionRegistry();
  readonly log: (line: string) => void;
  /** Public-app installs: consent, codes, refresh tokens and the 30-minute access tokens they mint. */
  readonly oauth: OAuthServer;
  private readonly portals = new Map<number, Portal>();
  private readonly tokens = new Map<string, Portal>();

  constructor(options: SimulatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => undefined);
    this.oauth = new OAuthServer(this.clock, (portalId) => this.portals.has(portalId));
    const timeoutMs = options.webhookTimeoutMs ?? 5_000;
    this.journal = new WebhookJournal(this.clock);
    this.webhooks = new WebhookDispatcher({ clock: this.clock, accounting: this.accounting, timeScale: options.webhookTimeScale ?? 1, timeoutMs, log: this.log, journal: this.journal });
    this.workflows = new WorkflowRunner({ clock: this.clock, accounting: this.accounting, timeoutMs });
    for (const portal of options.portals ?? [{ portalId: DEFAULT_PORTAL_ID }]) this.addPortal(portal);
  }

  addPortal(input: PortalOptionsInput): Portal {
    const options = withPortalDefaults(input);
    if (this.portals.has(options.portalId)) throw conflict(`portal ${options.portalId} already exists`);
    const clash = options.accessTokens.find((t) => this.tokens.has(t));
    if (clash) throw conflict(`access token ${clash} is already used by another portal`);
    const portal = new Portal(options, this.clock, (change) => this.webhooks.publish(options.portalId, change), this.actionDefinitions);
    this.portals.set(portal.portalId, portal);
    for (const token of portal.accessTokens) this.tokens.set(token, portal);
    if (options.webhooks !== undefined) this.webhooks.configure(portal, parseWebhooksConfig(options.webhooks));
    return portal;
  }

  portal(portalId: number): Portal {
    const portal = this.portals.get(portalId);
    if (!portal) throw notFound(`Unknown simulated portal ${portalId}`);
    return portal;
  }

  /** A static (private-app) token, or an unexpired OAuth access token. */
  portalByToken(token: string): Portal | undefined {
    const oauthPortal = this.oauth.portalOfAccessToken(token);
    return this.tokens.get(token) ?? (oauthPortal === undefined ? undefined : this.portals.get(oauthPortal));
  }

  allPortals(): Portal[] {
    return [...this.portals.values()];
  }
}
