import { CLAIM_WINDOW_MS } from '../../src/app/pipeline/pipeline-runner';
import { PORTAL, startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness';

/**
 * B9's finding: a worker round decided up to 500 records but delivered one outbox batch (100 writes), so lc_stage
 * trailed the inbox by rounds. A round now delivers what it decided (in batches of 100, up to a cap).
 */
describe('worker round: write-backs keep pace with the inbox', () => {
  let h: PipelineHarness;
  beforeEach(async () => {
    h = await startPipelineHarness();
  });
  afterEach(() => h.stop());

  it('one round writes lc_stage back for all 250 contacts it decided, not only the first 100', async () => {
    const ids = h.sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 250 }, (_, i) => ({ email: `pace-${i}@example.test` })),
    );
    // HubSpot pushes the creation webhooks; they land in the inbox.
    await h.sim.idle();
    expect(await h.store.inbox.pendingCount(PORTAL)).toBeGreaterThanOrEqual(250);

    expect(await h.backend.runner.round()).toBe(true);

    // Read in the simulator itself (250 SDK reads would spend the rate limit the test is about).
    const stageInHubSpot = (id: string) => h.sim.state.portal(PORTAL).crm.require('contacts', id).properties.get('lc_stage');
    expect(ids.filter((id) => !stageInHubSpot(id))).toEqual([]);
    expect(await h.store.outbox.portalsWithWork(h.clock.now())).toEqual([]);
  });

  it('the worker loop writes a contact created during its batch window back within that window, though no batch filled', async () => {
    const stageInHubSpot = (id: string) => h.sim.state.portal(PORTAL).crm.require('contacts', id).properties.get('lc_stage');
    const [first] = h.sim.control.seed(PORTAL, 'contacts', [{ email: 'window-1@example.test' }]);
    await h.sim.idle();
    // After a quiet spell the loop claims at once, and the round writes the contact back.
    await h.backend.runner.step();
    expect(stageInHubSpot(first!)).toBeTruthy();

    // 100 ms later a lone contact arrives: one event, far from a full batch of 50 reads or 100 writes.
    h.clock.advance(100);
    const createdAt = h.clock.now();
    const [second] = h.sim.control.seed(PORTAL, 'contacts', [{ email: 'window-2@example.test' }]);
    await h.sim.idle();
    expect(h.backend.runner.wakesOnNotify()).toBe(false);
    // The loop as it runs: turn after turn, sleeping as long as each turn says (the clock stands in for the sleep).
    for (let turn = 0; turn < 20 && !stageInHubSpot(second!); turn++) h.clock.advance(await h.backend.runner.step());
    expect(stageInHubSpot(second!)).toBeTruthy();
    expect(h.clock.now() - createdAt).toBeLessThanOrEqual(CLAIM_WINDOW_MS);
  });
});
