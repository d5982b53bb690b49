import type { ProvisionedAsset } from '../../../app/ports/provisioned-asset-port';
import { T0 } from './support/fixtures';
import { describeEachDialect } from './support/store-harness';

const asset = (key: string, overrides: Partial<ProvisionedAsset> = {}): ProvisionedAsset => ({
  kind: 'list',
  key,
  hubspotId: `id-${key}`,
  revision: '1',
  name: `Lifecycle Engine · ${key}`,
  fingerprint: 'f1',
  updatedAt: T0,
  ...overrides,
});

describeEachDialect('provisioned assets', (harness) => {
  it('when an asset is saved twice under one key, the second write replaces the first (no duplicate row)', async () => {
    const { provisionedAssets } = harness.store;
    await provisionedAssets.save(101, asset('marketing_paused'));
    await provisionedAssets.save(101, asset('marketing_paused', { revision: '2', fingerprint: 'f2', updatedAt: T0 + 1 }));

    expect(await provisionedAssets.list(101, 'list')).toEqual([asset('marketing_paused', { revision: '2', fingerprint: 'f2', updatedAt: T0 + 1 })]);
  });

  it('keeps portals and kinds apart, and remove deletes only the named row', async () => {
    const { provisionedAssets } = harness.store;
    await provisionedAssets.save(101, asset('dead_end'));
    await provisionedAssets.save(101, asset('deal_lost_recycle', { kind: 'workflow' }));
    await provisionedAssets.save(202, asset('dead_end', { hubspotId: 'other-portal' }));

    await provisionedAssets.remove(101, 'list', 'dead_end');

    expect(await provisionedAssets.list(101, 'list')).toEqual([]);
    expect((await provisionedAssets.list(101, 'workflow')).map((a) => a.key)).toEqual(['deal_lost_recycle']);
    expect((await provisionedAssets.list(202, 'list')).map((a) => a.hubspotId)).toEqual(['other-portal']);
  });
});
