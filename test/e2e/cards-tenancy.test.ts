import { ContactLifecycleViewSchema, cardApiPaths } from '../../src/contracts/card-api';
import { initialState, type LedgerEntry } from '../../src/core';
import { startBackend, type Backend } from '../../src/main/backend';
import { createLogger } from '../../src/main/logger';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { signedFetch } from '../support/hubspot-fetch';

const PORTAL_B = 202;
const SECRET_A = `sim-secret-${PORTAL}`;

/**
 * R19 (docs/reliability.md §5): the portal a card request speaks for comes only from the signed request, and one
 * portal's valid signature never reads another portal's rows. One backend serves two installs here.
 */
describe('card API tenancy and signatures (R19)', () => {
  let h: PipelineHarness;
  let backend: Backend;
  let secretB: string;
  let contactA: string;
  const contactB = '555001';

  beforeAll(async () => {
    h = await startPipelineHarness();
    const portalB = h.sim.control.addPortal({ portalId: PORTAL_B });
    secretB = portalB.clientSecret;
    contactA = await h.createContact({ email: 'ada@acme.test' });
    await h.settle();
    await seedContactOfPortalB(h, contactB);
    backend = await startBackend({
      store: h.store,
      model: () => h.model,
      hubspotBaseUrl: h.sim.baseUrl,
      portals: [
        { portalId: PORTAL, accessToken: `sim-token-${PORTAL}`, clientSecrets: [SECRET_A], rateLimit: 110 },
        { portalId: PORTAL_B, accessToken: portalB.accessTokens[0]!, clientSecrets: [secretB], rateLimit: 110 },
      ],
      clock: h.clock,
      logger: createLogger('silent'),
      port: 0,
      runWorker: false,
    });
  });
  afterAll(async () => {
    await backend.stop();
    await h.stop();
  });

  const read = (objectId: string, options: { portalId: number | null; secret: string; tamper?: (url: URL) => void; unsigned?: boolean; timestamp?: number }) =>
    signedFetch(backend.url, cardApiPaths.contactView(objectId), {
      query: { portalId: options.portalId, userId: '7', appId: 4242001 },
      clientSecret: options.secret,
      timestamp: options.timestamp ?? h.clock.now(),
      ...(options.tamper ? { tamper: options.tamper } : {}),
      ...(options.unsigned ? { unsigned: true } : {}),
    });

  it('each portal reads its own contact through a request signed for it', async () => {
    const a = await read(contactA, { portalId: PORTAL, secret: SECRET_A });
    const b = await read(contactB, { portalId: PORTAL_B, secret: secretB });
    expect(ContactLifecycleViewSchema.parse(a.body)).toMatchObject({ synced: true, stage: { id: 'lead_acquired' } });
    expect(ContactLifecycleViewSchema.parse(b.body)).toMatchObject({ synced: true, stage: { id: 'mql' } });
  });

  it("a valid signature for portal A cannot read portal B's record: A sees it as never synced", async () => {
    const response = await read(contactB, { portalId: PORTAL, secret: SECRET_A });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ synced: false, objectId: contactB });
  });

  it('a portalId changed after signing is refused with 401', async () => {
    const response = await read(contactB, { portalId: PORTAL, secret: SECRET_A, tamper: (url) => url.searchParams.set('portalId', String(PORTAL_B)) });
    expect(response).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
  });

  it("claiming portal B with a request signed by portal A's install is refused with 401", async () => {
    const response = await read(contactB, { portalId: PORTAL_B, secret: SECRET_A });
    expect(response.status).toBe(401);
  });

  it('a missing or forged signature, a stale timestamp, and a missing portal on a multi-portal backend are 401', async () => {
    expect((await read(contactA, { portalId: PORTAL, secret: SECRET_A, unsigned: true })).status).toBe(401);
    expect((await read(contactA, { portalId: PORTAL, secret: 'not-the-secret' })).status).toBe(401);
    expect((await read(contactA, { portalId: PORTAL, secret: SECRET_A, timestamp: h.clock.now() - 6 * 60_000 })).status).toBe(401);
    expect((await read(contactA, { portalId: null, secret: SECRET_A })).status).toBe(401);
    expect((await read(contactA, { portalId: 999, secret: SECRET_A })).status).toBe(401);
  });

  it('the single-portal backend of a private app takes its one portal when HubSpot sends no portalId (UNVERIFIED behaviour)', async () => {
    const response = await signedFetch(h.backend.url, cardApiPaths.contactView(contactA), { clientSecret: SECRET_A, timestamp: h.clock.now() });
    expect(ContactLifecycleViewSchema.parse(response.body)).toMatchObject({ synced: true, objectId: contactA });
  });
});

/** Portal B's history, written through the store's commit path as the worker would. */
async function seedContactOfPortalB(h: PipelineHarness, objectId: string): Promise<void> {
  const now = h.clock.now();
  const entry: LedgerEntry = {
    transitionId: `seed-${objectId}`,
    objectType: 'contact',
    objectId,
    fromStage: null,
    toStage: 'mql',
    kind: 'enter',
    skipped: [],
    ruleId: 'seed',
    reason: 'Seeded for portal B',
    reasonCode: null,
    evidence: [],
    occurredAt: now,
    source: 'rules',
    actor: null,
  };
  const state = { ...initialState('contact', objectId), stage: 'mql', enteredAt: now, lastTransitionKind: 'enter' as const };
  const key = { objectType: 'contact' as const, objectId };
  await h.store.unitOfWork.commitEvaluations(
    PORTAL_B,
    [{ key, expectedVersion: null, state, wakeAt: null, newFactEvents: [], ledger: [entry], outbox: [], pause: null, alerts: [] }],
    [],
    'seed',
    now,
  );
}
