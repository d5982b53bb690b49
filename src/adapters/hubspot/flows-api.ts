import { z } from 'zod';
import { HubSpotError } from '../../app/ports/hubspot-port';
import type { ActionDefinitionRef, FlowBody, FlowSummary, HubSpotFlowsPort } from '../../app/ports/hubspot-flows-port';
import { jsonRequest, sendJson, type GatewaySend } from './gateway-send';

const FlowJson = z.looseObject({
  id: z.coerce.string(),
  revisionId: z.coerce.string(),
  name: z.string().default(''),
  isEnabled: z.boolean().default(false),
  objectTypeId: z.string().default(''),
});
const FlowPage = z.looseObject({
  results: z.array(FlowJson),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});
const DefinitionPage = z.looseObject({
  results: z.array(z.looseObject({ id: z.coerce.string(), revisionId: z.coerce.string(), actionUrl: z.string() })),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

const summary = (flow: z.infer<typeof FlowJson>): FlowSummary => ({ id: flow.id, revisionId: flow.revisionId, name: flow.name, isEnabled: flow.isEnabled, objectTypeId: flow.objectTypeId });

/**
 * Automation v4 flows (BETA; https://developers.hubspot.com/docs/api/automation/workflows, scope `automation`):
 * GET/POST /automation/v4/flows, GET/DELETE /automation/v4/flows/{flowId}. `@hubspot/api-client` 13 has no typed
 * flows API, so these go through `client.apiRequest` and are parsed with loose zod schemas. The action definitions
 * come from the SDK's automation.actions.definitionsApi path (GET /automation/v4/actions/{appId}).
 */
export class HubSpotFlowsApi implements HubSpotFlowsPort {
  constructor(private readonly send: GatewaySend) {}

  async listFlows(): Promise<FlowSummary[]> {
    const flows: FlowSummary[] = [];
    let after: string | undefined;
    do {
      const qs: Record<string, string> = { limit: '100', ...(after ? { after } : {}) };
      const page = await sendJson(this.send, 'flows_list', FlowPage, { method: 'GET', path: '/automation/v4/flows', qs });
      flows.push(...page.results.map(summary));
      after = page.paging?.next?.after;
    } while (after);
    return flows;
  }

  async getFlow(flowId: string): Promise<FlowSummary | null> {
    try {
      return summary(await sendJson(this.send, 'flow_read', FlowJson, { method: 'GET', path: `/automation/v4/flows/${encodeURIComponent(flowId)}` }));
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async createFlow(body: FlowBody): Promise<FlowSummary> {
    return summary(await sendJson(this.send, 'flow_create', FlowJson, { method: 'POST', path: '/automation/v4/flows', body }));
  }

  async deleteFlow(flowId: string): Promise<void> {
    await this.send('flow_delete', (c) => jsonRequest(c, { method: 'DELETE', path: `/automation/v4/flows/${encodeURIComponent(flowId)}` }));
  }

  async actionDefinitions(appId: number): Promise<ActionDefinitionRef[]> {
    const refs: ActionDefinitionRef[] = [];
    let after: string | undefined;
    do {
      const qs: Record<string, string> = { limit: '100', ...(after ? { after } : {}) };
      const page = await sendJson(this.send, 'action_definitions_read', DefinitionPage, { method: 'GET', path: `/automation/v4/actions/${appId}`, qs });
      refs.push(...page.results.map((d) => ({ definitionId: d.id, revisionId: d.revisionId, actionUrl: d.actionUrl })));
      after = page.paging?.next?.after;
    } while (after);
    return refs;
  }
}
