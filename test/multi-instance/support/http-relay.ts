import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RelayedRequest {
  method: string;
  path: string;
  body: string;
  /** Wall-clock time the relay received it (HubSpot's rate window counts arrivals). */
  at: number;
  /** Which target answered, or null if none could be reached. */
  target: string | null;
  status: number;
}

export interface HttpRelay {
  url: string;
  /** Every request relayed so far, in arrival order. */
  requests: RelayedRequest[];
  setTargets(targets: string[]): void;
  stop(): Promise<void>;
}

/**
 * A tiny HTTP relay for the multi-instance tests, standing where production has infrastructure:
 * - in front of the backends it is the load balancer: requests go to the targets in turn, and a target that cannot
 *   be reached (a killed instance) is skipped for the next one;
 * - in front of the HubSpot simulator it is a tap that records every API request the instances send.
 * It forwards bodies and statuses as they are; it decides nothing.
 */
export async function startHttpRelay(targets: string[] = []): Promise<HttpRelay> {
  let pool = [...targets];
  let next = 0;
  const requests: RelayedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: RelayedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8'), at: Date.now(), target: null, status: 502 };
      requests.push(record);
      void forward(req, body, record).then(({ status, headers, payload }) => {
        record.status = status;
        res.writeHead(status, headers);
        res.end(payload);
      });
    });
  });

  async function forward(req: http.IncomingMessage, body: Buffer, record: RelayedRequest) {
    for (let tries = 0; tries < pool.length; tries++) {
      const target = pool[next++ % pool.length]!;
      try {
        const response = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method,
          headers: forwardedHeaders(req),
          ...(body.length > 0 ? { body } : {}),
        });
        record.target = target;
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection') headers[name] = value;
        });
        return { status: response.status, headers, payload: Buffer.from(await response.arrayBuffer()) };
      } catch {
        // Unreachable (a killed instance): the next target gets the request, as a load balancer would do.
      }
    }
    return { status: 502, headers: { 'content-type': 'text/plain' }, payload: Buffer.from('no target reachable') };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setTargets(targets) {
      pool = [...targets];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forwardedHeaders(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
