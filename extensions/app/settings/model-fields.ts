/**
 * The fields admins change most, found in the model document by what they are (not by fixed indexes), each with the
 * path the model schema reports its problems at (`stages[2].slaDays`), so an error lands next to its field. Pure
 * functions over the JSON document; the page keeps the document and writes every edit back into it.
 */
export type Path = ReadonlyArray<string | number>;
export type FieldKind = 'text' | 'number' | 'list';

export interface ModelField {
  section: 'Stages' | 'Recycle' | 'MQL' | 'Dead end' | 'Health';
  label: string;
  path: Path;
  kind: FieldKind;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `['stages', 3, 'label']` → `stages[3].label`, as the backend's validateModel writes issue paths. */
export const pathKey = (path: Path): string => path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');

export function getAt(document: unknown, path: Path): unknown {
  let value: unknown = document;
  for (const part of path) value = isObject(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[part] : undefined;
  return value;
}

/** A copy of `document` with `value` at `path` (undefined removes the key); the original is left as it was. */
export function setAt(document: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  const copy = (Array.isArray(document) ? [...(document as unknown[])] : { ...(isObject(document) ? document : {}) }) as Record<string | number, unknown>;
  const next = setAt(copy[head], rest, value);
  if (next === undefined && !Array.isArray(copy)) delete copy[head];
  else copy[head] = next;
  return copy;
}

/** The id of the stage HubSpot calls MQL (native `marketingqualifiedlead`), else a stage with id `mql`. */
function mqlStageId(document: unknown): string | null {
  const stages = list(getAt(document, ['stages'])).filter(isObject);
  const byNative = stages.find((s) => s['nativeStage'] === 'marketingqualifiedlead');
  const stage = byNative ?? stages.find((s) => s['id'] === 'mql');
  return typeof stage?.['id'] === 'string' ? stage['id'] : null;
}

/** Paths of `{ score: { gte } }` criteria inside `criterion` (any/all nest), in document order. */
function scoreThresholds(criterion: unknown, path: Path): Path[] {
  if (!isObject(criterion)) return [];
  if (isObject(criterion['score']) && typeof criterion['score']['gte'] === 'number') return [[...path, 'score', 'gte']];
  return ['any', 'all'].flatMap((key) => list(criterion[key]).flatMap((child, i) => scoreThresholds(child, [...path, key, i])));
}

export function editableFields(document: unknown): ModelField[] {
  const fields: ModelField[] = [];
  list(getAt(document, ['stages'])).forEach((stage, i) => {
    if (!isObject(stage)) return;
    const name = typeof stage['id'] === 'string' ? stage['id'] : `#${i + 1}`;
    fields.push({ section: 'Stages', label: `Label of ${name}`, path: ['stages', i, 'label'], kind: 'text' });
    if (stage['kind'] === 'path') fields.push({ section: 'Stages', label: `SLA days in ${String(stage['label'] ?? name)}`, path: ['stages', i, 'slaDays'], kind: 'number' });
  });
  const mql = mqlStageId(document);
  list(getAt(document, ['stages'])).forEach((stage, i) => {
    list(isObject(stage) ? stage['transitions'] : []).forEach((rule, j) => {
      if (!isObject(rule) || rule['to'] !== mql) return;
      for (const path of scoreThresholds(rule['when'], ['stages', i, 'transitions', j, 'when'])) fields.push({ section: 'MQL', label: 'MQL lead score threshold', path, kind: 'number' });
    });
  });
  list(getAt(document, ['recycle'])).forEach((rule, i) => {
    if (!isObject(rule)) return;
    const name = String(rule['label'] ?? rule['id'] ?? `#${i + 1}`);
    fields.push({ section: 'Recycle', label: `${name}: marketing pause (days)`, path: ['recycle', i, 'pauseDays'], kind: 'number' });
    const when = getAt(rule, ['reengagement', 'when']);
    if (isObject(when) && typeof when['atLeast'] === 'number') {
      fields.push({ section: 'Recycle', label: `${name}: re-engaged after this many visits`, path: ['recycle', i, 'reengagement', 'when', 'atLeast'], kind: 'number' });
      fields.push({ section: 'Recycle', label: `${name}: within days`, path: ['recycle', i, 'reengagement', 'when', 'withinDays'], kind: 'number' });
    }
    list(rule['reasons']).forEach((reason, j) => {
      if (isObject(reason)) fields.push({ section: 'Recycle', label: `${name}: reason "${String(reason['code'])}"`, path: ['recycle', i, 'reasons', j, 'label'], kind: 'text' });
    });
  });
  list(getAt(document, ['deadEnd', 'rules'])).forEach((rule, i) => {
    const when = isObject(rule) ? rule['when'] : undefined;
    if (!isObject(rule) || !isObject(when)) return;
    if (when['op'] === 'contains')
      fields.push({ section: 'Dead end', label: `${String(rule['id'])}: ${String(when['property'])} contains`, path: ['deadEnd', 'rules', i, 'when', 'value'], kind: 'text' });
    if (when['op'] === 'domain_in') fields.push({ section: 'Dead end', label: `${String(rule['id'])}: email domains`, path: ['deadEnd', 'rules', i, 'when', 'values'], kind: 'list' });
  });
  list(getAt(document, ['deadEnd', 'reasons'])).forEach((reason, i) => {
    if (isObject(reason)) fields.push({ section: 'Dead end', label: `Reason "${String(reason['code'])}"`, path: ['deadEnd', 'reasons', i, 'label'], kind: 'text' });
  });
  const weights = getAt(document, ['health', 'weights']);
  if (isObject(weights))
    for (const component of Object.keys(weights)) fields.push({ section: 'Health', label: `Weight of ${component}`, path: ['health', 'weights', component], kind: 'number' });
  return fields;
}

/** A list field as the admin types it: comma- or newline-separated, blanks dropped. */
export const parseList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Fastpass triggers on and off: a trigger is on while its rule is in `fastpass`. The catalogue is every trigger of
 * the published and the draft document, so one turned off can be turned on again.
 */
export function fastpassCatalogue(...documents: unknown[]): Json[] {
  const byId = new Map<string, Json>();
  for (const document of documents)
    for (const rule of list(getAt(document, ['fastpass']))) if (isObject(rule) && typeof rule['id'] === 'string' && !byId.has(rule['id'])) byId.set(rule['id'], rule);
  return [...byId.values()];
}

export function fastpassOn(document: unknown, id: string): boolean {
  return list(getAt(document, ['fastpass'])).some((rule) => isObject(rule) && rule['id'] === id);
}

export function setFastpass(document: unknown, rule: Json, on: boolean): unknown {
  const rules = list(getAt(document, ['fastpass'])).filter((r) => !(isObject(r) && r['id'] === rule['id']));
  return setAt(document, ['fastpass'], on ? [...rules, rule] : rules);
}
