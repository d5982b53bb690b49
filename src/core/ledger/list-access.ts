/** Reads a slot that must exist (an index the caller derived from the same table); a miss is a bug, not data. */
export function slot<T>(list: readonly T[], index: number): T {
  const value = list[index];
  if (value === undefined) throw new RangeError(`no slot ${index} (length ${list.length})`);
  return value;
}
