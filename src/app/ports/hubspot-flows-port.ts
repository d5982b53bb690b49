/**
 * HubSpot's automation v4 flows API (BETA; https://developers.hubspot.com/docs/api/automation/workflows), scope
 * `automation`. Flow bodies are HubSpot-shaped JSON built by provision/workflow-plan.ts.
 */
export interface FlowSummary {
  id: string;
  /** Bumped by HubSpot on every saved change (ours or an admin's). */
  revisionId: string;
  name: string;
  isEnabled: boolean;
  objectTypeId: string;
}

export type FlowBody = Record<string, unknown> & { name: string; isEnabled: boolean; objectTypeId: string };

/** A custom action definition of our app, as a workflow step references it. */
export interface ActionDefinitionRef {
  definitionId: string;
  revisionId: string;
  actionUrl: string;
}

export interface HubSpotFlowsPort {
  /** Every workflow of the portal (all pages), summaries only. */
  listFlows(): Promise<FlowSummary[]>;
  /** Null when the flow no longer exists. */
  getFlow(flowId: string): Promise<FlowSummary | null>;
  createFlow(body: FlowBody): Promise<FlowSummary>;
  deleteFlow(flowId: string): Promise<void>;
  /** Our app's custom workflow action definitions (automation/v4/actions/{appId}). */
  actionDefinitions(appId: number): Promise<ActionDefinitionRef[]>;
}
