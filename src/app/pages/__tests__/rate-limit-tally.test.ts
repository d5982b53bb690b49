import { RateLimitTally } from '../rate-limit-tally';

describe('the 429 tally of the Sync health page', () => {
  it('counts a portal’s 429s within the window and forgets older ones', () => {
    const tally = new RateLimitTally(60_000);
    tally.record(1, 1_000);
    tally.record(1, 30_000);
    tally.record(2, 30_000);

    expect(tally.count(1, 30_000)).toBe(2);
    expect(tally.count(1, 61_000)).toBe(1);
    expect(tally.count(1, 90_001)).toBe(0);
    expect(tally.count(2, 30_000)).toBe(1);
    expect(tally.count(3, 30_000)).toBe(0);
  });
});
