import { z } from 'zod';
import { DAY_MS } from '../../../core/engine/time';
import { dailyBoundaries, resolvePeriod, ReportRequestSchema, MAX_PERIOD_DAYS } from '..';

const JAN_1 = Date.UTC(2026, 0, 1);
const problemsOf = (input: unknown) => {
  const result = ReportRequestSchema.safeParse(input);
  return result.success ? 'valid' : z.prettifyError(result.error);
};

describe('a report request', () => {
  it('reads a calendar day as UTC midnight when it starts the period, and as the whole day when it ends it', () => {
    expect(ReportRequestSchema.parse({ portalId: '101', from: '2026-01-01', to: '2026-01-31' })).toEqual({
      portalId: 101,
      from: JAN_1,
      to: Date.UTC(2026, 1, 1),
      objectType: 'contact',
    });
  });

  it('takes exact instants with their zone as they are', () => {
    const request = ReportRequestSchema.parse({ portalId: '7', from: '2026-01-01T09:30:00+02:00', to: '2026-01-02T00:00:00Z', objectType: 'company' });

    expect(request).toMatchObject({ from: Date.UTC(2026, 0, 1, 7, 30), to: Date.UTC(2026, 0, 2), objectType: 'company' });
  });

  it.each([
    ['a month that does not exist', { portalId: '101', from: '2026-13-01' }, '"2026-13-01" must be a date (YYYY-MM-DD)'],
    ['a day name', { portalId: '101', to: 'yesterday' }, '"yesterday" must be a date'],
    ['a date-time without a zone', { portalId: '101', from: '2026-01-01T10:00:00' }, 'or an ISO date-time with a zone'],
    ['a portal that is not a number', { portalId: 'acme' }, 'portalId'],
    ['no portal', {}, 'portalId'],
    ['deals, which have no funnel of their own', { portalId: '101', objectType: 'deal' }, 'objectType'],
    ['an unknown parameter', { portalId: '101', owner: '42' }, 'owner'],
  ])('refuses %s, naming the problem', (_case, input, message) => {
    expect(problemsOf(input)).toContain(message);
  });
});

describe('the period of a request', () => {
  const now = Date.UTC(2026, 2, 15, 12);

  it('is the last 30 whole UTC days, today included, when no bound is given', () => {
    const endOfToday = Date.UTC(2026, 2, 16);
    expect(resolvePeriod({}, now)).toEqual({ start: endOfToday - 30 * DAY_MS, end: endOfToday });
  });

  it('widens bounds given as instants to the whole UTC days that contain them', () => {
    expect(resolvePeriod({ from: JAN_1 + 5 * 3_600_000, to: JAN_1 + 2 * DAY_MS + 1 }, now)).toEqual({ start: JAN_1, end: JAN_1 + 3 * DAY_MS });
  });

  it('runs 30 days back from the given end', () => {
    expect(resolvePeriod({ to: JAN_1 }, now)).toEqual({ start: JAN_1 - 30 * DAY_MS, end: JAN_1 });
  });

  it('refuses an end that is not after the start', () => {
    expect(() => resolvePeriod({ from: JAN_1, to: JAN_1 }, now)).toThrow('from must be before to');
  });

  it('refuses a period too long for a daily series', () => {
    expect(() => resolvePeriod({ from: JAN_1, to: JAN_1 + (MAX_PERIOD_DAYS + 1) * DAY_MS }, now)).toThrow(`at most ${MAX_PERIOD_DAYS} days`);
  });

  it('has a boundary at its start, every 24 hours, and at its end', () => {
    expect(dailyBoundaries({ start: JAN_1, end: JAN_1 + 2.5 * DAY_MS })).toEqual([JAN_1, JAN_1 + DAY_MS, JAN_1 + 2 * DAY_MS, JAN_1 + 2.5 * DAY_MS]);
  });
});
