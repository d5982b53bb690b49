import { z } from 'zod';
import type { Clock } from '../../app/ports/clock';
import type { PortalId } from '../../app/ports/store-ports';
import type { JournalPointer, WebhooksJournalPort } from '../../app/ports/webhooks-journal-port';
import { type CallFn, type CallObservation, composeCallPath, withClassification, withMetrics, withTimeout } from './call-path';

/** The scope a client-credentials token needs to read the journal (webhooks-journal guide, "Authentication and scopes"). */
export const JOURNAL_READ_SCOPE = 'developer.webhooks_journal.read';
const JOURNAL_BASE = '/webhooks-journal/journal-local/2026-03';
const TOKEN_PATH = '/oauth/2026-03/token';

/** get-journal-local-next: `currentOffset` (uuid), `expiresAt`, `url` (pre-signed, fetched without Authorization). */
const PointerSchema = z.looseObject({ currentOffset: z.string().min(1), expiresAt: z.string().optional(), url: z.url() });
const TokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

export interface WebhooksJournalClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  clock: Clock;
  timeoutMs?: number;
  /** Told the outcome of every journal call, like the gateway's (metrics); operations are named `journal.*`. */
  onCall?: (call: CallObservation) => void;
}

/** The journal group's transport: plain fetch, handed to each request by the innermost step of the call path. */
type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The local webhooks journal (2026-03) read with the app's client-credentials token, kept until a minute before
 * it expires. Plain fetch: @hubspot/api-client 13 has no journal API. Every request travels the shared call path
 * (call-path.ts) of the portal it is for: metrics, error classification, timeout. It takes no limiter slot and no
 * daily-limit latch: those budget an install's own token, and how HubSpot limits the app token's journal reads is
 * UNVERIFIED (the journal guides below are all we cite).
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide.md
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide.md
 */
export class WebhooksJournalClient implements WebhooksJournalPort {
  private token: { value: string; until: number } | null = null;

  constructor(private readonly options: WebhooksJournalClientOptions) {}

  earliest(portalId: PortalId): Promise<JournalPointer | null> {
    return this.pointer(portalId, 'journal.earliest', `${JOURNAL_BASE}/earliest?installPortalId=${portalId}`, 'empty');
  }

  next(portalId: PortalId, offset: string): Promise<JournalPointer | null | 'expired'> {
    return this.pointer(portalId, 'journal.next', `${JOURNAL_BASE}/offset/${encodeURIComponent(offset)}/next?installPortalId=${portalId}`, 'expired');
  }

  download(pointer: JournalPointer): Promise<unknown> {
    return this.callPath(pointer.portalId)({
      operation: 'journal.download',
      budget: 'burst',
      request: async (fetch) => {
        const response = await fetch(pointer.url, {});
        if (!response.ok) throw await failure(response, `journal file of offset ${pointer.offset}`);
        return response.json();
      },
    });
  }

  /** The portal's call path for the journal group: metrics outermost, then classification, then the timeout. */
  private callPath(portalId: PortalId): CallFn<Fetch> {
    return composeCallPath<Fetch>([withMetrics(portalId, this.options.onCall), withClassification, withTimeout(this.options.timeoutMs ?? 30_000)], (call) =>
      call.request((url, init) => fetch(url, init)),
    );
  }

  /** A 404 means an empty journal for `earliest` and an expired offset for `next`; a 204 means nothing follows yet. */
  private async pointer<M extends 'empty' | 'expired'>(
    portalId: PortalId,
    operation: string,
    path: string,
    onNotFound: M,
  ): Promise<JournalPointer | null | (M extends 'expired' ? 'expired' : never)> {
    const token = await this.accessToken(portalId);
    return this.callPath(portalId)({
      operation,
      budget: 'burst',
      request: async (fetch) => {
        const response = await fetch(`${this.options.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
        if (response.status === 204) return null;
        if (response.status === 404) return (onNotFound === 'expired' ? 'expired' : null) as never;
        if (response.status === 401) this.token = null;
        if (!response.ok) throw await failure(response, path);
        const body = PointerSchema.parse(await response.json());
        return { portalId, offset: body.currentOffset, url: body.url };
      },
    });
  }

  /** The app-wide token, fetched through the call path of the portal whose read needed it. */
  private async accessToken(portalId: PortalId): Promise<string> {
    const now = this.options.clock.now();
    if (this.token && this.token.until > now) return this.token.value;
    const token = await this.callPath(portalId)({
      operation: 'journal.token',
      budget: 'burst',
      request: async (fetch) => {
        const response = await fetch(`${this.options.baseUrl}${TOKEN_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.options.clientId,
            client_secret: this.options.clientSecret,
            scope: JOURNAL_READ_SCOPE,
          }).toString(),
        });
        if (!response.ok) throw await failure(response, 'client-credentials token');
        return TokenSchema.parse(await response.json());
      },
    });
    this.token = { value: token.access_token, until: now + Math.max(0, token.expires_in - 60) * 1000 };
    return token.access_token;
  }
}

/**
 * A non-2xx answer thrown in the SDK's ApiException shape ({ code, body, headers }), so classifyHubSpotError reads it
 * as it reads the gateway's (a 429 DAILY is `daily_limit`, a 404 `not_found`, a 423 waits 2 s).
 */
async function failure(response: Response, what: string): Promise<Error> {
  const text = await response.text().catch(() => '');
  return Object.assign(new Error(`webhooks journal: ${what} answered ${response.status}`), {
    code: response.status,
    body: safeJson(text),
    headers: Object.fromEntries(response.headers.entries()),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
