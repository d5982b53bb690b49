import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ContactLifecycleViewSchema } from '../contracts/card-api';
import type { LoadJob, LoadRequest, LoadResult } from './http-load';

/** The load generator's thread (see runLoad): lanes per group, each sending its share of requests back to back. */
async function run(job: LoadJob): Promise<LoadResult> {
  const groups = new Map<string, LoadRequest[]>();
  for (const r of job.requests) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const result: LoadResult = { wallMs: 0, latenciesMs: [], statuses: {}, resets: 0, invalid: 0 };

  const send = async (r: LoadRequest): Promise<Response> => {
    // A connection the server dropped (keep-alive timer fired while its event loop was busy) is retried, as HubSpot
    // retries a failed delivery.
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(r.url, { method: r.method, headers: r.headers, ...(r.body === undefined ? {} : { body: r.body }) });
      } catch (error) {
        if (attempt >= 5) throw error;
        result.resets++;
      }
    }
  };
  const valid = (body: unknown) => job.check !== 'contact-view' || (ContactLifecycleViewSchema.safeParse(body).success && (body as { synced?: boolean }).synced === true);

  const lane = async (queue: LoadRequest[]) => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const started = performance.now();
      const response = await send(r);
      const body = job.check ? await response.json() : await response.arrayBuffer();
      result.latenciesMs.push(performance.now() - started);
      result.statuses[response.status] = (result.statuses[response.status] ?? 0) + 1;
      if (!valid(body)) result.invalid++;
    }
  };
  const started = performance.now();
  const lanes: Array<Promise<void>> = [];
  for (const queue of groups.values()) for (let i = 0; i < job.concurrency; i++) lanes.push(lane(queue));
  await Promise.all(lanes);
  result.wallMs = performance.now() - started;
  return result;
}

run(workerData as LoadJob).then(
  (result) => parentPort!.postMessage(result),
  (error: unknown) => {
    const e = error as Error & { cause?: { message?: string; code?: string } };
    parentPort!.postMessage({ error: `${e.stack ?? String(e)} cause: ${e.cause?.message ?? e.cause?.code ?? 'none'}` });
  },
);
