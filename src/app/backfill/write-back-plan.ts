import { lcProperties, type Decision } from '../../core';
import type { OutboxPayload } from '../ports/store-ports';

type Values = Record<string, string | null | undefined>;

/** HubSpot may echo a datetime in another ISO shape (or as epoch ms) than the one we wrote. */
function sameValue(current: string | null | undefined, wanted: string): boolean {
  const have = current ?? '';
  if (have === wanted) return true;
  if (have === '' || wanted === '') return false;
  const haveTime = /^\d+$/.test(have) ? Number(have) : Date.parse(have);
  const wantedTime = Date.parse(wanted);
  return /^\d{4}-\d{2}-\d{2}T/.test(wanted) && Number.isFinite(haveTime) && haveTime === wantedTime;
}

/**
 * The HubSpot write that makes a contact show what our ledger says, or null when it already does. Only the lc_*
 * values that differ are written, and the native stage only when the engine moved it and HubSpot does not already
 * show it: on a million-contact backfill, every record that needs no write is a saved hundredth of a call.
 */
export function writeBackPlan(current: Values, decision: Decision): OutboxPayload | null {
  // A record that never entered the lifecycle has nothing of ours to show (and lc_recycle_count "0" is no news).
  if (decision.state.stage === null && !current['lc_stage']) return null;
  const properties = Object.fromEntries(Object.entries(lcProperties(decision.state)).filter(([name, value]) => !sameValue(current[name], value)));
  const native = decision.effects.find((e) => e.type === 'set_native_stage');
  const nativeStage =
    native && native.type === 'set_native_stage' && current[native.property] !== native.value ? { property: native.property, value: native.value, clearFirst: native.clearFirst } : null;
  if (Object.keys(properties).length === 0 && !nativeStage) return null;
  return { kind: 'update_properties', properties, nativeStage };
}
