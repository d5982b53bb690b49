import { startSimulator, type RunningSimulator } from '../simulator';
import type { Clock } from '../simulator';
import { seedPortal } from './backfill-seed';
import { answerRequests, type ChildReply } from './child-rpc';

/**
 * The HubSpot simulator in a process of its own, driven over IPC by a benchmark, so the benchmark process's memory
 * is the product's alone. Its clock is the benchmark's simulated clock: the parent sends every move and waits for
 * the acknowledgement before it lets a request go.
 */
export type SimulatorRequest =
  | { id: number; type: 'start'; portalId: number; tier: 'public'; seedContacts: number; clockAt: number }
  | { id: number; type: 'clock'; now: number }
  | { id: number; type: 'stats' }
  | { id: number; type: 'resetStats' }
  | { id: number; type: 'peakRss' }
  /** This process's CPU time since the last reset (`reset: true` starts the count and answers zero). */
  | { id: number; type: 'cpuUsage'; reset?: boolean }
  | { id: number; type: 'stop' };

export type SimulatorReply = ChildReply;

class SettableClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(to: number): void {
    this.current = to;
  }
}

let sim: RunningSimulator | null = null;
let clock = new SettableClock(0);
let cpuSince = process.cpuUsage();

async function handle(request: SimulatorRequest): Promise<unknown> {
  switch (request.type) {
    case 'start': {
      clock = new SettableClock(request.clockAt);
      sim = await startSimulator({ clock, portals: [{ portalId: request.portalId, tier: request.tier }] });
      const seeded = seedPortal(sim, request.portalId, clock, request.seedContacts, (line) => process.send?.({ log: line }));
      const portal = sim.portals[0]!;
      return { baseUrl: sim.baseUrl, accessToken: portal.accessTokens[0], seeded };
    }
    case 'clock':
      clock.set(request.now);
      return null;
    case 'stats':
      return sim?.control.stats();
    case 'resetStats':
      sim?.control.resetStats();
      return null;
    case 'cpuUsage':
      if (request.reset) cpuSince = process.cpuUsage();
      return process.cpuUsage(cpuSince);
    case 'peakRss':
      return process.resourceUsage().maxRSS * 1024;
    case 'stop':
      await sim?.stop();
      setImmediate(() => process.exit(0));
      return null;
  }
}

answerRequests(handle);
