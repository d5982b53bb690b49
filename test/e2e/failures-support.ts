import type { PipelineHarness } from '../support/pipeline-harness';

/** One HubSpot call as the backend's gateway saw it, stamped with the simulated clock. */
export interface ObservedCall {
  at: number;
  portalId: number;
  operation: string;
  ok: boolean;
  status: number | null;
}

/**
 * Records every HubSpot call the backend makes (the gateway's onCall hook). `clock` is bound after the harness
 * starts; calls made before that (none: provisioning uses its own gateways) would be stamped 0.
 */
export class CallLog {
  readonly calls: ObservedCall[] = [];
  private now: () => number = () => 0;
  private readonly listeners: Array<(call: ObservedCall) => void> = [];

  readonly hook = (call: { portalId: number; operation: string; ok: boolean; status: number | null }): void => {
    const observed = { at: this.now(), ...call };
    this.calls.push(observed);
    for (const listener of this.listeners) listener(observed);
  };

  bindClock(now: () => number): void {
    this.now = now;
  }

  /** Runs `listener` after every call (e.g. to start a fault at a chosen moment). */
  onCall(listener: (call: ObservedCall) => void): void {
    this.listeners.push(listener);
  }

  of(portalId: number, operation?: string): ObservedCall[] {
    return this.calls.filter((c) => c.portalId === portalId && (operation === undefined || c.operation === operation));
  }
}

/**
 * Lets simulated time pass until the inbox and the outbox are empty: delivers webhooks, drains the worker, and when
 * what is left is scheduled for later (backoff, a rate-limit window) moves the clock on by `stepMs`.
 * Returns how much simulated time it took.
 */
export async function runUntilQuiet(h: PipelineHarness, options: { stepMs?: number; maxSteps?: number; portalId?: number } = {}): Promise<number> {
  const started = h.clock.now();
  const stepMs = options.stepMs ?? 1_000;
  for (let step = 0; step < (options.maxSteps ?? 2_000); step++) {
    await h.sim.idle();
    await h.backend.runner.drain();
    await h.sim.idle();
    const pending = (await h.store.inbox.pendingCount(options.portalId)) + (await h.store.outbox.pendingCount(options.portalId));
    if (pending === 0) return h.clock.now() - started;
    h.clock.advance(stepMs);
  }
  throw new Error(`work was still pending after ${options.maxSteps ?? 2_000} steps of ${stepMs} ms`);
}

/** Delivers webhooks and drains what is due now, without moving the clock. */
export async function runDueWork(h: PipelineHarness): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await h.sim.idle();
    await h.backend.runner.drain();
  }
  await h.sim.idle();
}

/** Counts the contacts of a simulated portal by their lc_stage value ("(none)" when never written). */
export function stagesInHubSpot(h: PipelineHarness, portalId: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of h.sim.state.portal(portalId).crm.all('contacts')) {
    const stage = record.properties.get('lc_stage') || '(none)';
    counts[stage] = (counts[stage] ?? 0) + 1;
  }
  return counts;
}
