import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ContactLifecycleViewSchema } from '../contracts/card-api';
import type { LoadJob, LoadRequest, LoadResult } from './http-load';

/** The load generator's thread (see runLoad): lanes per group, each sending its share of requests back to back. */
async function run(job: LoadJob): Promise<LoadResult> {
  const groups = new Map<string, LoadRequest[]>();
  for (const r of job.requests) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const result: LoadResult = { wallMs: 0, latenciesMs: [], statuses: {}, resets: 0, invalid: 0, samples: [], slotWaitsMs: [] };
  let started = 0;

  // One keep-alive agent per group holding at most `concurrency` connections, opened once and reused: fetch's pool
  // opened extra connections one by one while the server's loop was busy, and the requests waiting for them showed
  // up as multi-second "ack" latencies that the server never saw (B1, issue 15).
  const agents = new Map<string, http.Agent>();
  const agentOf = (group: string) => {
    let agent = agents.get(group);
    if (!agent) agents.set(group, (agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency })));
    return agent;
  };
  const request = (r: LoadRequest) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const outgoing = http.request(r.url, { method: r.method, headers: r.headers, agent: agentOf(r.group) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(r.body);
    });
  const send = async (r: LoadRequest): Promise<{ status: number; body: Buffer }> => {
    // A connection the server dropped (keep-alive timer fired while its event loop was busy) is retried, as HubSpot
    // retries a failed delivery.
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(r);
      } catch (error) {
        if (attempt >= 5) throw error;
        result.resets++;
      }
    }
  };
  const valid = (body: unknown) => job.check !== 'contact-view' || (ContactLifecycleViewSchema.safeParse(body).success && (body as { synced?: boolean }).synced === true);

  const exchange = async (r: LoadRequest) => {
    const sentAt = performance.now();
    const response = await send(r);
    const latencyMs = performance.now() - sentAt;
    const body: unknown = job.check ? JSON.parse(response.body.toString('utf8')) : null;
    result.latenciesMs.push(latencyMs);
    result.samples.push({ group: r.group, sentAtMs: sentAt - started, latencyMs });
    result.statuses[response.status] = (result.statuses[response.status] ?? 0) + 1;
    if (!valid(body)) result.invalid++;
  };
  const lane = async (queue: LoadRequest[]) => {
    for (let r = queue.shift(); r; r = queue.shift()) await exchange(r);
  };
  /** Open loop for one group: request i is due at phase + i / rate; it waits only for a free slot of the group. */
  const scheduled = async (queue: LoadRequest[], ratePerSecond: number, phaseMs: number) => {
    const inFlight = new Set<Promise<void>>();
    for (const [i, r] of queue.entries()) {
      const dueAt = phaseMs + (i * 1000) / ratePerSecond;
      const early = dueAt - (performance.now() - started);
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
      while (inFlight.size >= job.concurrency) await Promise.race(inFlight);
      result.slotWaitsMs.push(Math.max(0, performance.now() - started - dueAt));
      const running: Promise<void> = exchange(r).finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    await Promise.all(inFlight);
  };
  started = performance.now();
  const runs: Array<Promise<void>> = [];
  const queues = [...groups.values()];
  const open = job.openLoop;
  if (open) {
    const periodMs = 1000 / open.requestsPerSecondPerGroup;
    queues.forEach((queue, g) => runs.push(scheduled(queue, open.requestsPerSecondPerGroup, (g * periodMs) / queues.length)));
  } else for (const queue of queues) for (let i = 0; i < job.concurrency; i++) runs.push(lane(queue));
  await Promise.all(runs);
  result.wallMs = performance.now() - started;
  for (const agent of agents.values()) agent.destroy();
  return result;
}

run(workerData as LoadJob).then(
  (result) => parentPort!.postMessage(result),
  (error: unknown) => {
    const e = error as Error & { cause?: { message?: string; code?: string } };
    parentPort!.postMessage({ error: `${e.stack ?? String(e)} cause: ${e.cause?.message ?? e.cause?.code ?? 'none'}` });
  },
);
