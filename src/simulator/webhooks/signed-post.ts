import { signedRequestHeaders } from '../../adapters/hubspot/signature';

export interface PostOutcome {
  status?: number;
  body?: string;
  error?: string;
  durationMs: number;
}

/**
 * POSTs a JSON body signed the way HubSpot signs outgoing requests: v3 plus the legacy header
 * (v1 for webhook deliveries, v2 for workflow-action executions). Never throws.
 */
export async function signedPost(input: { url: string; body: string; clientSecret: string; timestamp: number; legacyVersion: 'v1' | 'v2'; timeoutMs: number }): Promise<PostOutcome> {
  const started = Date.now();
  const headers = signedRequestHeaders({
    clientSecret: input.clientSecret,
    method: 'POST',
    url: input.url,
    body: input.body,
    timestamp: input.timestamp,
    legacyVersion: input.legacyVersion,
  });
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (lifecycle simulator)', ...headers },
      body: input.body,
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: text, durationMs: Date.now() - started };
  } catch (error) {
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? `timeout after ${input.timeoutMs} ms` : `connection error: ${(error as Error).message}`;
    return { error: reason, durationMs: Date.now() - started };
  }
}
