import { ContactActionResultSchema, cardApiPaths, type ContactAction } from '../../src/contracts/card-api';
import { DAY, PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { signedFetch } from '../support/hubspot-fetch';

const SECRET = `sim-secret-${PORTAL}`;

/**
 * R25 (docs/reliability.md §7b): a card action carries a request id (one per button press, in the signed query).
 * HubSpot retries a hubspot.fetch once after a 5xx or a dropped connection with the same URL, and a captured request
 * can be replayed within the 5-minute signature window: every repeat of a request id gets the first outcome and
 * changes nothing, whether it arrives after the first answer or while the first is still running.
 */
describe('R25: a card action is applied once per request id', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  const act = (id: string, action: ContactAction, body: unknown, requestId: string | null) =>
    signedFetch(h.backend.url, cardApiPaths.contactAction(id, action), {
      method: 'POST',
      body,
      claims: { portalId: PORTAL, userId: 7, userEmail: 'admin@acme.test', requestId },
      clientSecret: SECRET,
      timestamp: h.clock.now(),
    });
  const contactAtOpportunity = async (email: string) => {
    const id = await h.createContact({ email });
    h.activity({ kind: 'deal_created', contactId: id });
    await h.settle();
    h.clock.advance(DAY);
    return id;
  };
  const recycleRows = async (id: string) => (await h.history(id)).filter((e) => e.kind === 'recycle');

  it('when the same request arrives again after its answer, it gets the same "applied" outcome and the ledger has one row', async () => {
    const id = await contactAtOpportunity('replay@acme.test');
    const first = await act(id, 'recycle', { reason: 'no_budget' }, 'press-0001-replayed');
    h.clock.advance(30_000);
    const again = await act(id, 'recycle', { reason: 'no_budget' }, 'press-0001-replayed');

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    const [a, b] = [ContactActionResultSchema.parse(first.body), ContactActionResultSchema.parse(again.body)];
    expect(a.outcome).toBe('applied');
    expect(b).toMatchObject({ outcome: 'applied', message: a.outcome === 'applied' ? a.message : '' });
    expect(await recycleRows(id)).toHaveLength(1);
  });

  it("when HubSpot's retry arrives while the first attempt is still running, both get the first outcome and one row is written", async () => {
    const id = await contactAtOpportunity('retry@acme.test');
    const [first, retry] = await Promise.all([act(id, 'dead-end', { reason: 'student' }, 'press-0002-concurrent'), act(id, 'dead-end', { reason: 'student' }, 'press-0002-concurrent')]);

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(ContactActionResultSchema.parse(first.body).outcome).toBe('applied');
    expect(ContactActionResultSchema.parse(retry.body).outcome).toBe('applied');
    expect((await h.history(id)).filter((e) => e.kind === 'dead_end')).toHaveLength(1);
  });

  it('a new press (a new request id) is decided afresh: the repeated recycle is refused, not applied twice', async () => {
    const id = await contactAtOpportunity('twice@acme.test');
    await act(id, 'recycle', { reason: 'no_budget' }, 'press-0003-first');
    const second = await act(id, 'recycle', { reason: 'no_budget' }, 'press-0003-second');
    expect(ContactActionResultSchema.parse(second.body).outcome).toBe('refused');
    expect(await recycleRows(id)).toHaveLength(1);
  });

  it('an action without a request id, or with a malformed one, is a 400 and changes nothing', async () => {
    const id = await contactAtOpportunity('norequest@acme.test');
    expect((await act(id, 'recycle', { reason: 'no_budget' }, null)).status).toBe(400);
    expect((await act(id, 'recycle', { reason: 'no_budget' }, 'bad id!')).status).toBe(400);
    expect(await recycleRows(id)).toEqual([]);
  });

  it('a request id reused for another record is refused with 409 and changes nothing there', async () => {
    const id = await contactAtOpportunity('one@acme.test');
    const other = await contactAtOpportunity('two@acme.test');
    await act(id, 'recycle', { reason: 'no_budget' }, 'press-0005-reused');
    const reused = await act(other, 'recycle', { reason: 'no_budget' }, 'press-0005-reused');
    expect(reused.status).toBe(409);
    expect(await recycleRows(other)).toEqual([]);
  });
});
