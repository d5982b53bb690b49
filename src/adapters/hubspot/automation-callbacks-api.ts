import type { HubSpotPort } from '../../app/ports/hubspot-port';
import type { GatewaySend } from './gateway-send';

/**
 * Completing BLOCKed custom workflow-action executions: POST /automation/v4/actions/callbacks/{callbackId}/complete
 * with `{ outputFields }`, 204 (hubspot-platform.md §4.4; `automation.actions.callbacksApi` in @hubspot/api-client).
 */
export class HubSpotAutomationCallbacksApi implements Pick<HubSpotPort, 'completeCallback'> {
  constructor(private readonly send: GatewaySend) {}

  async completeCallback(callbackId: string, outputFields: Record<string, string>): Promise<void> {
    await this.send('callback_complete', (c) => c.automation.actions.callbacksApi.complete(callbackId, { outputFields }));
  }
}
