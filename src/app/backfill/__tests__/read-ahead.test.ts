import { readAhead } from '../read-ahead';

/** A source that records when each item was asked for. */
function recordingSource(items: number[], log: string[]) {
  return (async function* () {
    for (const item of items) {
      log.push(`produce ${item}`);
      yield item;
    }
  })();
}

describe('reading search units ahead of the consumer', () => {
  it('hands over every item once, in order', async () => {
    const got: number[] = [];
    for await (const item of readAhead(recordingSource([1, 2, 3, 4, 5], []), 3)) got.push(item);
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps producing up to `depth` items while the consumer is still busy with the first', async () => {
    const log: string[] = [];
    const iterator = readAhead(recordingSource([1, 2, 3, 4, 5], log), 3)[Symbol.asyncIterator]();
    const first = await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(first.value).toBe(1);
    // Item 1 is with the consumer; 2, 3 and 4 are held; 5 waits for room.
    expect(log).toEqual(['produce 1', 'produce 2', 'produce 3', 'produce 4']);
  });

  it('an error of the source reaches the consumer when it gets to it, after the items before it', async () => {
    const source = (async function* () {
      yield 1;
      throw new Error('search failed');
    })();
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source, 2)) got.push(item);
      })(),
    ).rejects.toThrow('search failed');
    expect(got).toEqual([1]);
  });

  it('an empty source ends at once', async () => {
    const got: number[] = [];
    for await (const item of readAhead(recordingSource([], []), 2)) got.push(item);
    expect(got).toEqual([]);
  });
});
