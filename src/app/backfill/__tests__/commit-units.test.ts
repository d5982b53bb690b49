import type { ScanPage } from '../contact-id-scan';
import { commitUnits, DEFAULT_COMMIT_EVERY, searchPagesAhead } from '../run-backfill';

/** Search pages of `size` records, `count` of them, counting how many were produced (searched) so far. */
function searchPages(count: number, size: number) {
  const produced = { pages: 0 };
  const pages = (async function* (): AsyncGenerator<ScanPage> {
    for (let p = 0; p < count; p++) {
      produced.pages++;
      const records = Array.from({ length: size }, (_, i) => ({ id: String(p * size + i + 1), properties: {}, history: {} }));
      yield { records, lastId: records.at(-1)!.id, remaining: (count - p) * size };
    }
  })();
  return { pages, produced };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the records a backfill holds: commit units and the search pages read ahead', () => {
  it('reads one unit of pages ahead, at least two pages', () => {
    expect(searchPagesAhead(DEFAULT_COMMIT_EVERY, 200)).toBe(25);
    expect(searchPagesAhead(10_000, 200)).toBe(50);
    expect(searchPagesAhead(2, 2)).toBe(2);
  });

  it('holds at most three units of records while one is being written: it, the next one gathered, and one unit of pages ahead', async () => {
    const pageSize = 10;
    const commitEvery = 100; // 10 pages a unit
    const { pages, produced } = searchPages(200, pageSize);
    const units = commitUnits(pages, commitEvery, pageSize)[Symbol.asyncIterator]();
    let written = 0;
    let next = units.next();
    for (;;) {
      const { value: unit, done } = await next;
      if (done) break;
      next = units.next(); // as runBackfill does: the next unit is gathered while this one is written
      await settle(); // the search side runs as far as it is allowed to
      const handedOut = written + unit.records.length;
      expect(produced.pages * pageSize - handedOut).toBeLessThanOrEqual(2 * commitEvery);
      expect(unit.records.length).toBeLessThanOrEqual(commitEvery);
      written = handedOut;
    }
    expect(written).toBe(2_000);
    expect(produced.pages).toBe(200);
  });

  it('keeps the search side busy: while a unit is written, the next unit and a unit of pages beyond it are searched', async () => {
    const { pages, produced } = searchPages(200, 10);
    const units = commitUnits(pages, 100, 10)[Symbol.asyncIterator]();
    const first = await units.next();
    const second = units.next();
    await settle();
    expect(first.value!.records).toHaveLength(20); // the first unit is small (two pages), so reads can start early
    expect(produced.pages * 10).toBeGreaterThanOrEqual(20 + 100);
    await second;
  });
});
