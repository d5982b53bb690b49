import { validateModel } from '../../core';

/** How many documents the memo keeps: a history page's worth of revisions, a few kilobytes each. */
export const DOCUMENTS_KEPT = 64;

const kept = new Map<string, unknown>();

/**
 * The document with the model schema's defaults filled in, as the engine reads it (as stored when it no longer
 * validates): what the revision diff compares. Validating a model costs about a millisecond of CPU, and a diff needs
 * two; admins diff the same few stored revisions again and again (the history, the publish confirmation), so the
 * answer is kept per document *content* (its JSON text is the key): a re-saved draft has new content and so a new
 * entry, and no revision number or clock can hand back another document's answer. Bounded, least recently used
 * first out. The result is shared: callers must not mutate it.
 */
export function documentAsRead(document: unknown): unknown {
  const key = JSON.stringify(document);
  if (kept.has(key)) {
    const hit = kept.get(key);
    kept.delete(key);
    kept.set(key, hit);
    return hit;
  }
  const validated = validateModel(document);
  const read = validated.ok ? validated.model.document : document;
  kept.set(key, read);
  if (kept.size > DOCUMENTS_KEPT) kept.delete(kept.keys().next().value!);
  return read;
}
