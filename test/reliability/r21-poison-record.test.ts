import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';
import { CallLog, runDueWork, runUntilQuiet, stagesInHubSpot } from '../e2e/failures-support';

/**
 * R21 (docs/reliability.md, I6): one record's failure never changes another record's outcome. A stored event whose
 * object id HubSpot refuses (here an empty id, as events stored before R20's quarantine could hold) makes HubSpot
 * answer 400 for any batch read that contains it. It must not take the 200 good records of its round with it, even on
 * its last attempt, and attempts are counted per event.
 */

const MINUTE = 60_000;

async function storePoison(h: PipelineHarness): Promise<void> {
  const stored = await h.store.inbox.insertMany(
    PORTAL,
    [
      {
        dedupKey: 'poison-empty-object-id',
        eventId: '4711',
        subscriptionType: 'contact.propertyChange',
        objectType: 'contact',
        objectId: '',
        propertyName: 'email',
        propertyValue: 'nobody@acme.test',
        changeSource: 'CRM_UI',
        occurredAt: h.clock.now() - MINUTE,
        attemptNumber: 0,
        payload: JSON.stringify({ eventId: 4711, portalId: PORTAL, subscriptionType: 'contact.propertyChange', objectId: '' }),
      },
    ],
    h.clock.now(),
  );
  expect(stored).toBe(1);
}

describe('R21: a poison record fails alone', () => {
  let h: PipelineHarness;
  let log: CallLog;
  beforeEach(async () => {
    log = new CallLog();
    h = await startPipelineHarness({ onHubSpotCall: log.hook });
    log.bindClock(() => h.clock.now());
  });
  afterEach(() => h.stop());

  it('a record HubSpot refuses, in a round with 200 good records on its last attempt: the 200 are processed at once, only the poison is dead-lettered', async () => {
    await storePoison(h);
    // The poison fails round after round, up to the last attempt a record used to get (10), 15 minutes apart.
    for (let round = 0; round < 9; round++) {
      await runDueWork(h);
      h.clock.advance(15 * MINUTE);
    }
    // 200 good contacts arrive; their round is the poison's last attempt (if it is still around).
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 200 }, (_, i) => ({ email: `good${i}@acme.test` })),
    );
    await runDueWork(h);

    // Processed in that round, without waiting out any backoff.
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 200 });
    expect(await h.store.ledger.count(PORTAL)).toBe(200);
    const dead = await h.store.deadLetters.list(PORTAL);
    expect(dead.map((d) => [d.source, d.objectId])).toEqual([['inbox', '']]);
    expect(dead[0]!.reason).toMatch(/^HubSpot refused the record \(400\)/);
    await runUntilQuiet(h);
    expect(await h.store.deadLetters.list(PORTAL)).toHaveLength(1);
  });

  it('HubSpot refusing one input is a permanent answer: the poison is dead-lettered on its first attempt, the good records of its round are not delayed', async () => {
    h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 50 }, (_, i) => ({ email: `fine${i}@acme.test` })),
    );
    await storePoison(h);
    await runDueWork(h);
    expect(stagesInHubSpot(h, PORTAL)).toEqual({ lead_acquired: 50 });
    const dead = await h.store.deadLetters.list(PORTAL);
    expect(dead.map((d) => d.objectId)).toEqual(['']);
    expect(await h.store.inbox.pendingCount(PORTAL)).toBe(0);
    // Isolating it took a handful of halved reads, not one read per record.
    expect(log.of(PORTAL, 'batch_read').length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(51)) + 2);
  });
});
