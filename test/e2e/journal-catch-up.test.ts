import { pullJournal } from '../../src/app/ingest/pull-journal';
import { WebhooksJournalClient } from '../../src/adapters/hubspot/webhooks-journal-client';
import { createLogger } from '../../src/main/logger';
import { subscribeSimulator } from '../../src/main/runtime';
import { APP, startOAuthHarness, type OAuthHarness } from './oauth-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('webhooks journal: an OAuth backend catches up from the journal after days down', () => {
  let h: OAuthHarness;
  afterEach(() => h.stop());

  const lcStage = async (id: string) => (await h.user(101).crm.contacts.basicApi.getById(id, ['lc_stage'])).properties['lc_stage'];

  it('when HubSpot cannot push for 2½ days (longer than its retries), the first round after restart reads the journal and writes lc_stage back', async () => {
    h = await startOAuthHarness([101]);
    await h.install(101);
    await h.settle();
    // The backend goes away: every push fails from here on, and nothing runs the pipeline.
    subscribeSimulator(h.sim, 'http://127.0.0.1:9');
    const downSince = h.clock.now();
    const created: string[] = [];
    for (let day = 0; day < 5; day++) {
      h.clock.advance(12 * HOUR);
      const contact = await h.user(101).crm.contacts.basicApi.create({ properties: { email: `c${day}@acme.test` }, associations: [] });
      created.push(contact.id);
      await h.sim.idle();
    }
    const attempts = h.sim.state.webhooks.attemptsFor(101).filter((a) => a.at > downSince);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.status === undefined)).toBe(true); // connection refused, every time
    expect(await Promise.all(created.map(lcStage))).toEqual(created.map(() => null));

    // Back up (push still broken): the pipeline runner's first round pulls the journal from the stored offset.
    await h.backend.runner.drain();
    await h.backend.runner.drain();

    expect(await Promise.all(created.map(lcStage))).toEqual(created.map(() => 'lead_acquired'));
    // Nothing of it came by push: every delivery attempt since the backend went away was refused.
    expect(
      h.sim.state.webhooks
        .attemptsFor(101)
        .filter((a) => a.at > downSince)
        .every((a) => a.status === undefined),
    ).toBe(true);
  });

  it('when an event arrived by push and is in the journal too, the inbox stores it once', async () => {
    h = await startOAuthHarness([101]);
    await h.install(101);
    await h.settle();
    await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'both@acme.test' }, associations: [] });
    await h.sim.idle(); // pushed and acknowledged
    const journal = new WebhooksJournalClient({ baseUrl: h.sim.baseUrl, clientId: APP.clientId, clientSecret: APP.clientSecret, clock: h.clock });
    const deps = { journal, store: h.store, clock: h.clock, logger: createLogger('silent'), servesPortal: (id: number) => id === 101 };

    const pulled = await pullJournal(deps, 101);

    expect(pulled.received).toBeGreaterThan(0);
    expect(pulled.stored).toBe(0);
    expect(pulled.duplicates).toBe(pulled.received);
    // The offset is stored: the next pull reads nothing again.
    expect(await pullJournal(deps, 101)).toMatchObject({ entries: 0, received: 0 });
  });

  it('when the stored offset is older than the 3 days the journal keeps, the pull restarts from the earliest entry', async () => {
    h = await startOAuthHarness([101]);
    await h.install(101);
    await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'early@acme.test' }, associations: [] });
    await h.settle(); // the journal's offset is stored here
    expect(await h.store.cursors.get(101, 'webhooks-journal:local')).not.toBeNull();
    subscribeSimulator(h.sim, 'http://127.0.0.1:9');
    h.clock.advance(4 * DAY);
    const late = await h.user(101).crm.contacts.basicApi.create({ properties: { email: 'late@acme.test' }, associations: [] });
    await h.sim.idle();
    const journal = new WebhooksJournalClient({ baseUrl: h.sim.baseUrl, clientId: APP.clientId, clientSecret: APP.clientSecret, clock: h.clock });

    const pulled = await pullJournal({ journal, store: h.store, clock: h.clock, logger: createLogger('silent'), servesPortal: () => true }, 101);

    expect(pulled.restarted).toBe(true);
    expect(pulled.stored).toBeGreaterThan(0);
    await h.backend.runner.drain();
    expect(await lcStage(late.id)).toBe('lead_acquired');
  });
});
