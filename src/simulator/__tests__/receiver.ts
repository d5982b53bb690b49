import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface ReceivedRequest {
  url: string;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

/** A local express endpoint standing in for our backend: keeps raw bodies and answers with scripted statuses. */
export async function startReceiver(respond: (req: ReceivedRequest) => { status: number; body?: unknown } = () => ({ status: 204 })) {
  const received: ReceivedRequest[] = [];
  const app = express();
  app.post('/{*path}', express.raw({ type: 'application/json' }), (req, res) => {
    const rawBody = (req.body as Buffer).toString('utf8');
    const entry = { url: req.originalUrl, rawBody, headers: req.headers, json: JSON.parse(rawBody) as unknown };
    received.push(entry);
    const answer = respond(entry);
    res.status(answer.status);
    if (answer.body === undefined) res.end();
    else res.json(answer.body);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
