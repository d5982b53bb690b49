import { LC_PROPERTIES, type CompiledModel } from '../../core';
import { contactReadProperties } from '../facts/fact-properties';

/**
 * What a backfill or reconcile page reads of each contact: the facts the model needs plus our own lc_* properties,
 * so the write-back can compare what HubSpot shows with what the ledger says without another read.
 */
export function scanProperties(model: CompiledModel): string[] {
  return [...new Set([...contactReadProperties(model), ...Object.values(LC_PROPERTIES)])].sort();
}
