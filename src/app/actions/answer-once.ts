import type { PortalId, WorkflowExecutionPort, WorkflowExecutionRecord } from '../ports/store-ports';

export interface ExecutionAnswer {
  outputFields: Record<string, string>;
}

/**
 * Idempotency on HubSpot's callbackId: HubSpot retries an execution it got no answer for, and the retry must not
 * decide a second time. The first answer is stored (per portal) and every retry gets it back. Retries that arrive
 * while the first is still running in this process wait for it; across processes the store keeps the first answer
 * (saveOnce), and a second decision there is harmless because the engine refuses to repeat a command (already
 * recycled / already a dead end / already in the stage).
 *
 * Nothing is stored when `decide` throws (HubSpot unreachable, database down): the caller answers 5xx and HubSpot's
 * retry decides afresh.
 */
export class AnswerOnce {
  private readonly running = new Map<string, Promise<ExecutionAnswer>>();

  constructor(private readonly executions: WorkflowExecutionPort) {}

  async answer(
    portalId: PortalId,
    execution: { callbackId: string; action: string; key: WorkflowExecutionRecord['key']; now: () => number },
    decide: () => Promise<ExecutionAnswer>,
  ): Promise<ExecutionAnswer> {
    const flightKey = `${portalId}:${execution.callbackId}`;
    const inFlight = this.running.get(flightKey);
    if (inFlight) return inFlight;
    const run = this.decideOnce(portalId, execution, decide).finally(() => this.running.delete(flightKey));
    this.running.set(flightKey, run);
    return run;
  }

  private async decideOnce(
    portalId: PortalId,
    execution: { callbackId: string; action: string; key: WorkflowExecutionRecord['key']; now: () => number },
    decide: () => Promise<ExecutionAnswer>,
  ): Promise<ExecutionAnswer> {
    const stored = await this.executions.get(portalId, execution.callbackId);
    if (stored) return { outputFields: stored.outputFields };
    const { outputFields } = await decide();
    const saved = await this.executions.saveOnce(portalId, {
      callbackId: execution.callbackId,
      action: execution.action,
      key: execution.key,
      outputFields,
      createdAt: execution.now(),
    });
    return { outputFields: saved.outputFields };
  }
}
