import { compareObjectIds } from '../company-commits';

describe('compareObjectIds: the hs_object_id order a backfill scan follows, which decides when a company is complete', () => {
  it('orders numeric ids by value, not as text', () => {
    expect(compareObjectIds('9', '10')).toBeLessThan(0);
    expect(compareObjectIds('1000', '999')).toBeGreaterThan(0);
    expect(compareObjectIds('123456789012345678901', '123456789012345678902')).toBeLessThan(0);
    expect(compareObjectIds('42', '42')).toBe(0);
  });

  it('orders ids that are not numbers as text', () => {
    expect(compareObjectIds('a', 'b')).toBeLessThan(0);
    expect(compareObjectIds('b', 'a')).toBeGreaterThan(0);
  });
});
