import type { ActionDefinition, ActionDefinitionInput } from '../flows/action-definitions';
import type { ActivityFactInput } from '../activities/activity-facts';
import type { Activity } from '../activities/activity-log';
import type { ActivityOutcome } from '../activities/record-activity';
import { recordActivity } from '../activities/record-activity';
import type { PortalOptionsInput } from '../config/simulator-options';
import { API_WRITE } from '../domain/crm-record';
import type { AssociationInput } from '../domain/crm-service';
import type { ObjectType } from '../domain/object-types';
import type { FaultPlan, FaultPlanInput } from '../faults/fault-plan';
import type { OAuthServer } from '../oauth/oauth-server';
import type { SimulatorState } from '../simulator-state';
import type { StatsSnapshot } from '../stats/accounting';
import type { Subscription } from '../webhooks/subscriptions';
import type { WebhooksConfigInput } from '../webhooks/webhook-config';
import { parseWebhooksConfig } from '../webhooks/webhook-config';
import type { DeliveryAttempt, WebhookChaos } from '../webhooks/webhook-dispatcher';
import type { EnrolmentInput, WorkflowExecution } from '../workflows/workflow-runner';
import type { OptionsFetchInput, OptionsFetchOutcome } from '../workflows/action-input-options';
import { notFound } from '../domain/simulated-api-error';

/**
 * Scripting the simulator from a test, a benchmark or the demo. Every method is also reachable over HTTP under
 * /_simulator (see control-routes.ts); everything is keyed by portal.
 */
export class SimulatorControl {
  constructor(private readonly state: SimulatorState) {}

  /** Public-app OAuth: registerApp, revokeRefreshTokensOf(portalId), uninstall(appId, portalId), stats(portalId). */
  get oauth(): OAuthServer {
    return this.state.oauth;
  }

  addPortal(portal: PortalOptionsInput): { portalId: number; accessTokens: readonly string[]; clientSecret: string } {
    const created = this.state.addPortal(portal);
    return { portalId: created.portalId, accessTokens: created.accessTokens, clientSecret: created.clientSecret };
  }

  /**
   * Seeds records without touching rate limits or accounting (e.g. a copy of an admin's data for a dry run).
   * `associationsOf(i)`: the associations of the i-th record (HubSpot-defined type ids, e.g. contact → company 1
   * primary and 279 unlabeled), as an import with an association column would create them.
   */
  seed(portalId: number, objectType: ObjectType, records: Array<Record<string, string>>, associationsOf: (index: number) => AssociationInput[] = () => []): string[] {
    const { crm } = this.state.portal(portalId);
    return records.map((properties, i) => crm.create(objectType, properties, associationsOf(i), { sourceType: 'IMPORT', changeSource: 'IMPORT' }).id);
  }

  /** Writes properties as a HubSpot user would (history source CRM_UI), bypassing rate limits. */
  updateRecord(portalId: number, objectType: ObjectType, id: string, properties: Record<string, string>): void {
    this.state.portal(portalId).crm.update(objectType, id, properties, { ...API_WRITE, sourceType: 'CRM_UI', changeSource: 'CRM_UI' });
  }

  recordActivity(portalId: number, fact: ActivityFactInput): ActivityOutcome {
    const portal = this.state.portal(portalId);
    return recordActivity(portal.crm, portal.activities, fact, this.state.clock.now());
  }

  activities(portalId: number, objectType: ObjectType, id: string): Activity[] {
    const portal = this.state.portal(portalId);
    portal.crm.require(objectType, id);
    return portal.activities.list(objectType, id);
  }

  setFaults(portalId: number, plan: FaultPlanInput): FaultPlan {
    return this.state.portal(portalId).faults.set(plan);
  }

  clearFaults(portalId: number): void {
    this.state.portal(portalId).faults.clear();
  }

  /** Every request of the portal gets a TEN_SECONDLY_ROLLING 429 for `durationMs` of simulator-clock time. */
  rateLimitStorm(portalId: number, durationMs: number): void {
    this.state.portal(portalId).limiter.storm(durationMs);
  }

  exhaustDailyLimit(portalId: number): void {
    this.state.portal(portalId).limiter.exhaustDaily();
  }

  rateLimitUsage(portalId: number): { usedToday: number; burstRemaining: number; searchRemaining: number } {
    return this.state.portal(portalId).limiter.usage();
  }

  configureWebhooks(portalId: number, config: WebhooksConfigInput | { config: WebhooksConfigInput }): Subscription[] {
    const portal = this.state.portal(portalId);
    return this.state.webhooks.configure(portal, parseWebhooksConfig(config));
  }

  setWebhookChaos(portalId: number, chaos: Partial<WebhookChaos>): void {
    this.state.portal(portalId);
    this.state.webhooks.setChaos(portalId, chaos);
  }

  webhookAttempts(portalId?: number): DeliveryAttempt[] {
    return this.state.webhooks.attemptsFor(portalId);
  }

  pendingWebhookRetries(portalId?: number): number {
    return this.state.webhooks.pendingRetries(portalId);
  }

  /** Sends every buffered or due webhook delivery and waits for them (future retries stay scheduled). */
  flushWebhooks(): Promise<void> {
    return this.state.webhooks.idle();
  }

  enrolInWorkflow(portalId: number, enrolment: EnrolmentInput): Promise<WorkflowExecution> {
    const portal = this.state.portal(portalId);
    return this.state.workflows.enrol({ portalId, clientSecret: portal.clientSecret, crm: portal.crm }, enrolment);
  }

  /** What a project upload does in HubSpot: registers the app's custom workflow actions (hsmeta `config`s). */
  registerActionDefinitions(appId: number, definitions: ActionDefinitionInput[]): ActionDefinition[] {
    return this.state.actionDefinitions.register(appId, definitions);
  }

  /** An admin opening a select input of a custom action in the workflow editor: its options, static or fetched from the app's `optionsUrl`. */
  fetchActionInputOptions(portalId: number, definitionId: string, input: OptionsFetchInput): Promise<OptionsFetchOutcome> {
    const portal = this.state.portal(portalId);
    const definition = this.state.actionDefinitions.find(definitionId);
    if (!definition) throw notFound(`No action definition ${definitionId}`);
    return this.state.workflows.inputOptions(portal, definition, input);
  }

  workflowExecutions(portalId?: number): WorkflowExecution[] {
    return this.state.workflows.list(portalId);
  }

  stats(): StatsSnapshot {
    return this.state.accounting.snapshot();
  }

  resetStats(): void {
    this.state.accounting.reset();
  }
}
