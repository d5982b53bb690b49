import type { RelayedRequest } from './http-relay';
import { WEBHOOK_PATH } from '../../../src/contracts/backend-routes';

/** Contact id → how many successful batch updates carried it (what HubSpot was actually sent). */
export function contactWrites(requests: RelayedRequest[]): Map<string, number> {
  const writes = new Map<string, number>();
  for (const request of requests) {
    if (request.method !== 'POST' || !/\/objects\/contacts\/batch\/update$/.test(request.path)) continue;
    if (request.status < 200 || request.status >= 300) continue;
    for (const input of (JSON.parse(request.body) as { inputs: Array<{ id: string }> }).inputs) writes.set(input.id, (writes.get(input.id) ?? 0) + 1);
  }
  return writes;
}

/** The most requests that arrived within any `windowMs` (HubSpot's rolling window). */
export function busiestWindow(requests: RelayedRequest[], windowMs: number): number {
  const times = requests.map((request) => request.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Webhook deliveries the load balancer handed to each instance. */
export function deliveriesPerInstance(requests: RelayedRequest[], urls: string[]): number[] {
  return urls.map((url) => requests.filter((request) => request.target === url && request.path.startsWith(WEBHOOK_PATH)).length);
}
