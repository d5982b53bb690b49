import type { PropertyDefinition } from './property-types';

/**
 * Validates and normalises a written value against its property type, the way HubSpot's "Property values were
 * not valid" errors do. Error codes follow HubSpot's (`INVALID_OPTION`, `READ_ONLY_VALUE`, ...); the exact code
 * strings for numbers/dates are UNVERIFIED. `""` always clears a property.
 */
export type ValueCheck = { ok: true; value: string } | { ok: false; code: string; message: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(raw: string): number | undefined {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export function checkPropertyValue(def: PropertyDefinition, raw: unknown): ValueCheck {
  if (raw === null || raw === '') return { ok: true, value: '' };
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
  const invalid = (code: string, expected: string): ValueCheck => ({
    ok: false,
    code,
    message: `${JSON.stringify(raw)} is not a valid ${expected} for property ${def.name}`,
  });
  if (text === undefined) return invalid('INVALID_TYPE', 'string value');
  switch (def.type) {
    case 'number':
      return text !== '' && Number.isFinite(Number(text)) ? { ok: true, value: String(Number(text)) } : invalid('INVALID_NUMBER', 'number');
    case 'bool':
      return ['true', 'false'].includes(text.toLowerCase()) ? { ok: true, value: text.toLowerCase() } : invalid('INVALID_BOOLEAN', 'boolean (true/false)');
    case 'datetime': {
      const at = parseInstant(text);
      return at === undefined ? invalid('INVALID_DATETIME', 'datetime (ISO-8601 or epoch milliseconds)') : { ok: true, value: new Date(at).toISOString() };
    }
    case 'date': {
      if (DATE_ONLY.test(text)) return { ok: true, value: text };
      const at = parseInstant(text);
      if (at === undefined || at % 86_400_000 !== 0) return invalid('INVALID_DATE', 'date (YYYY-MM-DD or epoch milliseconds at midnight UTC)');
      return { ok: true, value: new Date(at).toISOString().slice(0, 10) };
    }
    case 'enumeration': {
      if (def.externalOptions) return { ok: true, value: text };
      const allowed = new Set(def.options.map((o) => o.value));
      // checkbox enumerations hold several values separated by ";".
      const values = def.fieldType === 'checkbox' ? text.split(';') : [text];
      const unknown = values.find((v) => !allowed.has(v));
      if (unknown === undefined) return { ok: true, value: text };
      return {
        ok: false,
        code: 'INVALID_OPTION',
        message: `${unknown} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]`,
      };
    }
    default:
      return { ok: true, value: text };
  }
}

export function instantOf(value: string): number | undefined {
  return value === '' ? undefined : parseInstant(value);
}
