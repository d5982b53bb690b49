import type { Client } from '@hubspot/api-client';

/**
 * How an API-group module (lists-api.ts, flows-api.ts) sends one call: through its portal's gateway, so it shares
 * the gateway's limiter, timeout, OAuth token and error classification (HubSpotGateway.send).
 */
export type GatewaySend = <T>(operation: string, request: (client: Client) => Promise<T>) => Promise<T>;

/**
 * `client.apiRequest` for paths the SDK has no typed API for (automation v4 flows). It resolves on any status, so
 * a non-2xx answer is thrown in the SDK's ApiException shape ({ code, body, headers }) that classifyHubSpotError reads.
 */
export async function jsonRequest(client: Client, request: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown; qs?: Record<string, string> }): Promise<unknown> {
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
