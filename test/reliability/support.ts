import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { signedRequestHeaders } from '../../src/adapters/hubspot/signature';
import type { LedgerEntry } from '../../src/core';
import type { PipelineHarness } from '../support/pipeline-harness';
import { WEBHOOK_PATH } from '../../src/contracts/backend-routes';

/** One webhook event as HubSpot sends it (the simulator builds the same JSON). */
export type HubSpotEvent = Record<string, unknown> & { eventId: number; objectId: number; subscriptionType: string; portalId: number };

/**
 * A stand-in webhook endpoint: HubSpot (the simulator) delivers to it instead of to the backend, so a test holds
 * the real deliveries and decides itself in which order, how often and in which batches the backend gets them.
 */
export interface WebhookRecorder {
  url: string;
  /** Every event received so far, in delivery order. */
  events(): HubSpotEvent[];
  clear(): void;
  stop(): Promise<void>;
}

export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  let received: HubSpotEvent[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as HubSpotEvent[]));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    events: () => [...received],
    clear: () => {
      received = [];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Points the portal's webhook subscriptions (our real webhooks-hsmeta.json) at `targetUrl`. */
export function routeWebhooksTo(h: PipelineHarness, portalId: number, targetUrl: string): void {
  const file = path.resolve(__dirname, '..', '..', 'extensions', 'app', 'webhooks', 'webhooks-hsmeta.json');
  const hsmeta = JSON.parse(readFileSync(file, 'utf8')) as { config: { settings: Record<string, unknown> } };
  const config = { ...hsmeta.config, settings: { ...hsmeta.config.settings, targetUrl } };
  h.sim.control.configureWebhooks(portalId, config);
}

/** POSTs one delivery to the backend, signed (v3 + v1) with the portal's client secret as HubSpot signs it. */
export async function deliver(h: PipelineHarness, events: unknown[], portalId = h.sim.portals[0]!.portalId): Promise<{ status: number; json: Record<string, unknown> }> {
  const secret = h.sim.portals.find((p) => p.portalId === portalId)!.clientSecret;
  const url = `${h.backend.url}${WEBHOOK_PATH}`;
  const body = JSON.stringify(events);
  const headers = signedRequestHeaders({ clientSecret: secret, method: 'POST', url, body, timestamp: h.clock.now(), legacyVersion: 'v1' });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A transition as the ledger tells it, without ids and timestamps. */
export const step = (e: LedgerEntry) => `${e.fromStage ?? '∅'}→${e.toStage} (${e.kind})`;

/** A TCP relay in front of the simulator that a test can switch off: while down, connections are refused. */
export interface SwitchableProxy {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSwitchableProxy(targetUrl: string): Promise<SwitchableProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const relay = (client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  };
  let server = createNetServer(relay);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}${target.pathname === '/' ? '' : target.pathname}`,
    down: close,
    async up() {
      server = createNetServer(relay);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    stop: () => (server.listening ? close() : Promise.resolve()),
  };
}
