import { csatMean, npsBreakdown, npsScore } from '../nps';

describe('NPS = % promoters (9-10) − % detractors (0-6)', () => {
  it('5 promoters, 3 passives and 2 detractors give +30', () => {
    const answers = [10, 9, 9, 10, 9, 8, 7, 8, 6, 0];
    expect(npsBreakdown(answers)).toEqual({ answers: 10, promoters: 5, passives: 3, detractors: 2 });
    expect(npsScore(answers)).toBe(30);
  });

  it('only detractors give −100 and only promoters +100', () => {
    expect(npsScore([0, 3, 6])).toBe(-100);
    expect(npsScore([9, 10])).toBe(100);
  });

  it('7 and 8 are passives: they dilute without counting either way', () => {
    expect(npsScore([10, 7, 8, 7])).toBe(25);
  });

  it('no answers is no score, not zero', () => {
    expect(npsScore([])).toBeNull();
  });

  it('rejects answers off the 0-10 scale', () => {
    expect(() => npsScore([11])).toThrow();
    expect(() => npsScore([4.5])).toThrow();
  });
});

describe('CSAT mean on 1-5', () => {
  it('averages the answers', () => expect(csatMean([4, 5, 3])).toBe(4));
  it('is null without answers', () => expect(csatMean([])).toBeNull());
  it('rejects a 0', () => expect(() => csatMean([0])).toThrow());
});
