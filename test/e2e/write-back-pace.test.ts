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
});
