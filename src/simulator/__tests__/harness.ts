import { Client } from '@hubspot/api-client';
import { ManualClock } from '../clock';
import type { SimulatorOptions } from '../config/simulator-options';
import type { RunningSimulator } from '../start-simulator';
import { startSimulator } from '../start-simulator';

/** A simulator on an ephemeral loopback port with a manual clock, and real SDK clients pointed at it. */
export interface Harness {
  sim: RunningSimulator;
  clock: ManualClock;
  client(token?: string): Client;
}

export async function startHarness(options: Omit<SimulatorOptions, 'clock'> = {}): Promise<Harness> {
  const clock = new ManualClock('2026-11-02T09:00:00.000Z');
  const sim = await startSimulator({ ...options, clock });
  return { sim, clock, client: (token = 'sim-token-101') => new Client({ accessToken: token, basePath: sim.baseUrl }) };
}

/** The HubSpot error an SDK call was rejected with (ApiException: code, body, headers). */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: number; body?: unknown; headers?: Record<string, string> };
    if (typeof e.code !== 'number') throw error;
    const body = typeof e.body === 'string' ? (JSON.parse(e.body) as Record<string, unknown>) : ((e.body ?? {}) as Record<string, unknown>);
    return { code: e.code, body, headers: e.headers ?? {} };
  }
  throw new Error('expected the call to fail with a HubSpot error');
}
