import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedClock } from '../../../app/ports/clock';
import { HubSpotError } from '../../../app/ports/hubspot-port';
import type { CallObservation } from '../call-path';
import { WebhooksJournalClient } from '../webhooks-journal-client';

const PORTAL = 101;

/** What the fake journal answers: the token endpoint always grants; journal reads answer what the test scripts. */
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A journal server over real HTTP whose answers a test scripts, so the client's own fetch, parsing and call path run. */
async function scriptedJournal(answers: Answer[]): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url?.startsWith('/oauth/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'app-token', expires_in: 1800 }));
      return;
    }
    const answer = answers.shift() ?? { status: 204 };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function failureOf(read: Promise<unknown>): Promise<HubSpotError> {
  const error = await read.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof HubSpotError)) throw new Error(`expected a HubSpotError, got ${String(error)}`);
  return error;
}

describe('the webhooks journal client, a group on the shared call path', () => {
  let journal: Awaited<ReturnType<typeof scriptedJournal>> | undefined;
  afterEach(async () => journal?.close());

  const clientFor = (url: string, calls: CallObservation[]) =>
    new WebhooksJournalClient({ baseUrl: url, clientId: 'app', clientSecret: 'secret', clock: new SimulatedClock(Date.UTC(2026, 0, 5)), onCall: (call) => calls.push(call) });

  it('classifies its failures as the gateway does: a 429 DAILY is daily_limit, a 429 burst waits, a 5xx is a server failure', async () => {
    journal = await scriptedJournal([
      { status: 429, body: { message: 'daily limit reached', policyName: 'DAILY' } },
      { status: 429, body: { message: 'ten secondly', policyName: 'TEN_SECONDLY_ROLLING' }, headers: { 'x-hubspot-ratelimit-interval-milliseconds': '10000' } },
      { status: 503, body: { message: 'unavailable' } },
    ]);
    const client = clientFor(journal.url, []);

    const daily = await failureOf(client.earliest(PORTAL));
    expect([daily.kind, daily.status]).toEqual(['daily_limit', 429]);
    const burst = await failureOf(client.earliest(PORTAL));
    expect([burst.kind, burst.retryAfterMs]).toEqual(['rate_limited', 10_000]);
    const server = await failureOf(client.next(PORTAL, 'offset-1'));
    expect([server.kind, server.status]).toEqual(['server', 503]);
  });

  it('keeps its own meanings of 204 and 404: nothing yet, an empty journal, an expired offset', async () => {
    journal = await scriptedJournal([{ status: 204 }, { status: 404 }, { status: 404 }]);
    const client = clientFor(journal.url, []);

    expect(await client.next(PORTAL, 'offset-1')).toBeNull();
    expect(await client.earliest(PORTAL)).toBeNull();
    expect(await client.next(PORTAL, 'offset-1')).toBe('expired');
  });

  it("tells the metrics every call of the portal's read, the app-wide token once, and names the pointer's portal", async () => {
    journal = await scriptedJournal([
      { status: 200, body: { currentOffset: 'offset-1', url: 'http://127.0.0.1:1/never-fetched' } },
      { status: 500, body: { message: 'boom' } },
    ]);
    const calls: CallObservation[] = [];
    const client = clientFor(journal.url, calls);

    expect(await client.earliest(PORTAL)).toEqual({ portalId: PORTAL, offset: 'offset-1', url: 'http://127.0.0.1:1/never-fetched' });
    await failureOf(client.next(PORTAL, 'offset-1'));

    expect(calls).toEqual([
      { portalId: PORTAL, operation: 'journal.token', ok: true, status: 200 },
      { portalId: PORTAL, operation: 'journal.earliest', ok: true, status: 200 },
      { portalId: PORTAL, operation: 'journal.next', ok: false, status: 500, kind: 'server' },
    ]);
    expect(journal.paths.filter((p) => p.startsWith('/oauth/'))).toHaveLength(1);
  });

  it('fails a download that cannot reach its URL as a transient network failure, observed for the pointer’s portal', async () => {
    journal = await scriptedJournal([]);
    const calls: CallObservation[] = [];
    const client = clientFor(journal.url, calls);
    await journal.close();

    const failure = await failureOf(client.download({ portalId: PORTAL, offset: 'offset-1', url: `${journal.url}/gone` }));
    expect(failure.kind).toBe('network');
    expect(calls).toEqual([{ portalId: PORTAL, operation: 'journal.download', ok: false, status: null, kind: 'network' }]);
    journal = undefined;
  });
});
