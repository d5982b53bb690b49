/**
 * Pulls up to `depth` items of `source` ahead of the consumer, so a producer on one rate budget (search pages) keeps
 * working while the consumer spends another (reads and writes) instead of waiting at every hand-over. Items read
 * ahead are only held: a consumer that stops early loses nothing it had not committed.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T, void> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Array<Promise<IteratorResult<T>>> = [];
  const pull = () => {
    // Chained, so the source is asked for one item at a time and in order; after its end, every pull is the end.
    const previous = buffered.at(-1);
    const next = previous ? previous.then((prior) => (prior.done ? prior : iterator.next())) : iterator.next();
    next.catch(() => undefined); // surfaced when the consumer reaches it
    buffered.push(next);
  };
  while (buffered.length < depth) pull();
  for (;;) {
    const result = await buffered.shift()!;
    if (result.done) return;
    pull();
    yield result.value;
  }
}
