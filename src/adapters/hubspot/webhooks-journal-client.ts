import { z } from 'zod';
import { HubSpotError } from '../../app/ports/hubspot-port';
import type { Clock } from '../../app/ports/clock';
import type { JournalPointer, WebhooksJournalPort } from '../../app/ports/webhooks-journal-port';

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
}

/**
 * The local webhooks journal (2026-03) read with the app's client-credentials token, kept until a minute before
 * it expires. Plain fetch: @hubspot/api-client 13 has no journal API.
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/journal-entries/guide.md
 * https://developers.hubspot.com/docs/api-reference/latest/webhooks-journal/guide.md
 */
export class WebhooksJournalClient implements WebhooksJournalPort {
  private token: { value: string; until: number } | null = null;

  constructor(private readonly options: WebhooksJournalClientOptions) {}

  earliest(portalId: number): Promise<JournalPointer | null> {
    return this.pointer(`${JOURNAL_BASE}/earliest?installPortalId=${portalId}`, 'empty');
  }

  async next(portalId: number, offset: string): Promise<JournalPointer | null | 'expired'> {
    const found = await this.pointer(`${JOURNAL_BASE}/offset/${encodeURIComponent(offset)}/next?installPortalId=${portalId}`, 'expired');
    return found;
  }

  async download(pointer: JournalPointer): Promise<unknown> {
    const response = await this.fetch(pointer.url, {});
    if (!response.ok) throw failure(response.status, `journal file of offset ${pointer.offset}`);
    return response.json();
  }

  /** A 404 means an empty journal for `earliest` and an expired offset for `next`; a 204 means nothing follows yet. */
  private async pointer<M extends 'empty' | 'expired'>(path: string, onNotFound: M): Promise<JournalPointer | null | (M extends 'expired' ? 'expired' : never)> {
    const response = await this.fetch(`${this.options.baseUrl}${path}`, { authorization: `Bearer ${await this.accessToken()}` });
    if (response.status === 204) return null;
    if (response.status === 404) return (onNotFound === 'expired' ? 'expired' : null) as never;
    if (response.status === 401) this.token = null;
    if (!response.ok) throw failure(response.status, path);
    const body = PointerSchema.parse(await response.json());
    return { offset: body.currentOffset, url: body.url };
  }

  private async accessToken(): Promise<string> {
    const now = this.options.clock.now();
    if (this.token && this.token.until > now) return this.token.value;
    const response = await this.fetch(
      `${this.options.baseUrl}${TOKEN_PATH}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'POST',
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: JOURNAL_READ_SCOPE,
      }).toString(),
    );
    if (!response.ok) throw failure(response.status, 'client-credentials token');
    const token = TokenSchema.parse(await response.json());
    this.token = { value: token.access_token, until: now + Math.max(0, token.expires_in - 60) * 1000 };
    return token.access_token;
  }

  private async fetch(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Response> {
    try {
      return await fetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new HubSpotError('network', `webhooks journal: ${(error as Error).message}`, null);
    }
  }
}

function failure(status: number, what: string): HubSpotError {
  const kind = status === 429 ? 'rate_limited' : status >= 500 ? 'server' : status === 401 || status === 403 ? 'auth' : 'validation';
  return new HubSpotError(kind, `webhooks journal: ${what} answered ${status}`, status);
}
