import { openDatabase } from '../../../adapters/store/database';
import { beginRebuild } from '../../../adapters/store/ledger-aggregate-rebuild';
import { FunnelPageViewSchema } from '../../../contracts/page-api';
import { defaultModel } from '../../../core';
import { day, JANUARY } from '../../reporting/__tests__/support/literature-ledger';
import { commitHistories } from '../../reporting/__tests__/support/seed-ledger';
import { smallLedger } from '../../reporting/__tests__/support/small-ledger';
import { openTempStore, type TempStore } from '../../reporting/__tests__/support/temp-store';
import type { ReportingDeps } from '../../reporting';
import { loadFunnelPage } from '../funnel-page';

const PORTAL = 101;
const NOW = day(39);
let temp: TempStore;
let deps: ReportingDeps;

beforeAll(async () => {
  temp = await openTempStore();
  await commitHistories(temp.store, PORTAL, smallLedger());
  deps = { ledger: temp.store.ledger, aggregates: temp.store.aggregates, model: () => defaultModel() };
});
afterAll(() => temp.remove());

const january = () => loadFunnelPage(deps, PORTAL, { from: JANUARY.from, to: JANUARY.to, objectType: 'contact' }, NOW);

describe('the Funnel page while the aggregates are being rebuilt', () => {
  it('says its figures are partial, how far the rebuild got and how to finish it, until the rebuild is finished', async () => {
    const whole = await january();
    // A rebuild stopped before its first step: the aggregates were emptied and no record is back yet.
    const { db } = openDatabase(temp.url);
    await beginRebuild(db, 'sqlite', PORTAL, NOW);
    await db.destroy();

    const partial = FunnelPageViewSchema.parse(await january());

    expect(partial.partial).toEqual({
      recordsDone: 0,
      recordsTotal: 4,
      message: `aggregates for portal ${PORTAL} are being rebuilt (0 of about 4 records done): figures are partial; run \`lifecycle aggregates rebuild --portal ${PORTAL}\` to finish`,
    });
    expect(whole).not.toHaveProperty('partial');

    await temp.store.rebuildAggregates({ portalId: PORTAL, now: () => NOW });
    expect(await january()).toEqual(whole);
  });
});
