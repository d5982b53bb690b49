import type { Client } from '@hubspot/api-client';
import type { z } from 'zod';
import type { CallBudget } from './call-path';

/**
 * How an API group (crm-records-api.ts, lists-api.ts, flows-api.ts, …) sends one call: through its portal's call
 * path (call-path.ts), so every group shares the portal's daily-limit latch, limiter, OAuth token, timeout, error
 * classification and metrics. `budget` defaults to the 10-second burst.
 */
export type GatewaySend = <T>(operation: string, request: (client: Client) => Promise<T>, options?: { budget?: CallBudget }) => Promise<T>;

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  qs?: Record<string, string>;
}

/**
 * `client.apiRequest` for paths the SDK has no typed API for (automation v4 flows). It resolves on any status, so
 * a non-2xx answer is thrown in the SDK's ApiException shape ({ code, body, headers }) that classifyHubSpotError reads.
 */
export async function jsonRequest(client: Client, request: JsonRequest): Promise<unknown> {
  const response = await client.apiRequest({
    method: request.method,
    path: request.path,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.qs ? { qs: request.qs } : {}),
  });
  const text = await response.text();
  const body: unknown = text === '' ? null : safeJson(text);
  // Shaped like the SDK's errors (code, body, headers), so the gateway classifies both the same way.
  if (!response.ok) throw Object.assign(new Error(`HubSpot answered ${response.status}`), { code: response.status, body, headers: Object.fromEntries(response.headers.entries()) });
  return body;
}

/**
 * One `client.apiRequest` call through the call path, its answer parsed with `schema` (a `z.looseObject`: HubSpot adds
 * fields over time, and we check only those we read). Parsed after the call path, so an answer we cannot read is
 * our error (a ZodError naming the field), never mistaken for a HubSpot failure to retry.
 */
export async function sendJson<S extends z.ZodType>(send: GatewaySend, operation: string, schema: S, request: JsonRequest): Promise<z.infer<S>> {
  return schema.parse(await send(operation, (client) => jsonRequest(client, request)));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
