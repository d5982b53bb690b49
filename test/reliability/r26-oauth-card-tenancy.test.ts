import { ContactActionResultSchema, ContactLifecycleViewSchema, cardApiPaths } from '../../src/contracts/card-api';
import { APP, startOAuthHarness, type OAuthHarness } from '../e2e/oauth-harness';
import { signedFetch } from '../support/hubspot-fetch';

const A = 101;
const B = 202;
const USER_A = { userId: 9001, userEmail: 'ops@alpha.test' };
const USER_B = { userId: 9002, userEmail: 'ops@beta.test' };

/**
 * R26 (docs/reliability.md §7b): an OAuth (public app) deployment serving two installed portals. Every portal's
 * hubspot.fetch calls are signed with the app's one client secret, so the signature alone cannot say whose card is
 * asking: the card states portalId and its user in the query (contract withCardClaims, the cards' own helper),
 * the signature covers them, the backend reads only that portal's rows and records the user as the actor. With no
 * portalId the request is refused — even while only one portal is installed, because installs come and go.
 */
describe('R26: card requests in an OAuth deployment with two installed portals', () => {
  let h: OAuthHarness;
  let contactA: string;
  let contactB: string;
  beforeAll(async () => {
    h = await startOAuthHarness([A, B]);
    await h.install(A);
    contactA = (await h.user(A).crm.contacts.basicApi.create({ properties: { email: 'ada@alpha.test' }, associations: [] })).id;
    await h.settle();
  });
  afterAll(() => h.stop());

  const card = (objectId: string, claims: { portalId: number } & Partial<typeof USER_A>) =>
    signedFetch(h.backend.url, cardApiPaths.contactView(objectId), { claims, query: { appId: APP.appId }, clientSecret: APP.clientSecret, timestamp: h.clock.now() });

  it('with one portal installed, a card request naming no portal is refused: the backend never assumes "the only portal"', async () => {
    const response = await signedFetch(h.backend.url, cardApiPaths.contactView(contactA), { query: { appId: APP.appId }, clientSecret: APP.clientSecret, timestamp: h.clock.now() });
    expect(response.status).toBe(401);
  });

  describe('once the second portal is installed', () => {
    beforeAll(async () => {
      await h.install(B);
      // The simulator numbers each portal's records from 1: a first record in B gives B's contact an id A has none of.
      await h.user(B).crm.contacts.basicApi.create({ properties: { email: 'first@beta.test' }, associations: [] });
      contactB = (await h.user(B).crm.contacts.basicApi.create({ properties: { email: 'bob@beta.test' }, associations: [] })).id;
      await h.settle();
    });

    it("each portal's card reads its own record", async () => {
      const a = await card(contactA, { portalId: A, ...USER_A });
      const b = await card(contactB, { portalId: B, ...USER_B });
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(ContactLifecycleViewSchema.parse(a.body)).toMatchObject({ synced: true, objectId: contactA, stage: { id: 'lead_acquired' } });
      expect(ContactLifecycleViewSchema.parse(b.body)).toMatchObject({ synced: true, objectId: contactB, stage: { id: 'lead_acquired' } });
    });

    it("portal A's card never sees portal B's record, and a portalId edited after signing is a 401", async () => {
      expect(await card(contactB, { portalId: A, ...USER_A })).toEqual({ status: 200, body: { synced: false, objectId: contactB } });
      const edited = await signedFetch(h.backend.url, cardApiPaths.contactView(contactB), {
        claims: { portalId: A, ...USER_A },
        clientSecret: APP.clientSecret,
        timestamp: h.clock.now(),
        tamper: (url) => url.searchParams.set('portalId', String(B)),
      });
      expect(edited.status).toBe(401);
    });

    it('a card request naming no portal is refused with 401', async () => {
      const response = await signedFetch(h.backend.url, cardApiPaths.contactView(contactA), { query: { appId: APP.appId }, clientSecret: APP.clientSecret, timestamp: h.clock.now() });
      expect(response.status).toBe(401);
    });

    it("a card action records the HubSpot user who pressed it as the ledger's actor, in that portal only", async () => {
      const response = await signedFetch(h.backend.url, cardApiPaths.contactAction(contactB, 'dead-end'), {
        method: 'POST',
        body: { reason: 'student' },
        claims: { portalId: B, ...USER_B },
        clientSecret: APP.clientSecret,
        timestamp: h.clock.now(),
      });
      expect(ContactActionResultSchema.parse(response.body).outcome).toBe('applied');
      const history = await h.store.ledger.history(B, { objectType: 'contact', objectId: contactB });
      expect(history.filter((e) => e.kind === 'dead_end')).toEqual([expect.objectContaining({ source: 'command', actor: USER_B.userEmail })]);
      expect((await h.store.ledger.history(A, { objectType: 'contact', objectId: contactB })).length).toBe(0);
    });
  });
});
