/** One difference between two model documents: the value at `path` before and after (undefined = absent). */
export interface ModelChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * What changed from `before` to `after` (two model documents, e.g. two revisions), as paths an admin can read:
 * `stages[mql].slaDays`. Lists of rules, stages and reasons are matched by their `id` (or `code`), so moving or
 * inserting one does not show every later one as changed; other lists (word and domain lists, stage ids) are
 * compared whole. Changes are listed in document order, `before` first, and the result is deterministic.
 */
export function diffModelDocuments(before: unknown, after: unknown): ModelChange[] {
  const changes: ModelChange[] = [];
  walk(before as Json | undefined, after as Json | undefined, '', changes);
  return changes;
}

function walk(a: Json | undefined, b: Json | undefined, path: string, out: ModelChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, kind: 'added', after: b });
  if (b === undefined) return void out.push({ path, kind: 'removed', before: a });
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) walk(a[key], b[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const keyOf = keyedBy(a, b);
    if (keyOf) {
      const before = new Map(a.map((item) => [keyOf(item), item]));
      const after = new Map(b.map((item) => [keyOf(item), item]));
      for (const key of [...new Set([...before.keys(), ...after.keys()])]) walk(before.get(key), after.get(key), `${path}[${key}]`, out);
      return;
    }
  }
  if (!sameJson(a, b)) out.push({ path, kind: 'changed', before: a, after: b });
}

/** Lists whose items all carry a distinct `id` (stages, rules) or `code` (reasons) are matched by it. */
function keyedBy(a: Json[], b: Json[]): ((item: Json) => string) | null {
  for (const field of ['id', 'code']) {
    const items = [...a, ...b];
    if (items.length === 0) return null;
    if (!items.every((item) => isObject(item) && typeof item[field] === 'string')) continue;
    const key = (item: Json) => (item as Record<string, string>)[field]!;
    if (new Set(a.map(key)).size === a.length && new Set(b.map(key)).size === b.length) return key;
  }
  return null;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]!));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameJson(a[key]!, b[key]!));
  }
  return false;
}
