import { instantOf } from './property-values';
import { stageProperty } from './stage-properties';

/**
 * HubSpot's rules for `lifecyclestage` writes: forward-only, except that clearing ("") is always allowed and
 * any stage can be set on an empty record — hence "clear, then set" to move a record back (recycling).
 *
 * A backwards write without clearing first is IGNORED here (the record keeps its stage, the request succeeds).
 * Whether the real 2026-03 API silently ignores it or rejects it is UNVERIFIED — see docs/simulator.md.
 */
export type StageDecision = 'apply' | 'unchanged' | 'ignored-backwards';

export function decideLifecycleWrite(current: string, requested: string, stageOrder: readonly string[]): StageDecision {
  if (requested === current) return 'unchanged';
  if (requested === '' || current === '') return 'apply';
  const from = stageOrder.indexOf(current);
  const to = stageOrder.indexOf(requested);
  // A stage that is no longer an option has no position: let the write through rather than trap the record.
  if (from === -1) return 'apply';
  return to > from ? 'apply' : 'ignored-backwards';
}

/**
 * The stage-calculated property values after a move from `previous` to `next` at `at`:
 * exiting stamps date_exited and adds the visit to latest/cumulative time (milliseconds);
 * entering stamps date_entered (the "latest time in" of the new stage keeps its previous visit's value).
 */
export function stageCalculatedUpdates(previous: string, next: string, at: number, read: (name: string) => string | undefined): Record<string, string> {
  const updates: Record<string, string> = {};
  if (previous !== '') {
    updates[stageProperty('date_exited', previous)] = new Date(at).toISOString();
    const entered = instantOf(read(stageProperty('date_entered', previous)) ?? '');
    if (entered !== undefined) {
      const spent = Math.max(0, at - entered);
      const cumulative = Number(read(stageProperty('cumulative_time_in', previous)) ?? '0') || 0;
      updates[stageProperty('latest_time_in', previous)] = String(spent);
      updates[stageProperty('cumulative_time_in', previous)] = String(cumulative + spent);
    }
  }
  if (next !== '') updates[stageProperty('date_entered', next)] = new Date(at).toISOString();
  return updates;
}
