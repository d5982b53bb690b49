import { DAY_MS } from '../../engine/time';
import type { CompiledStage } from '../../model/model-types';
import type { RecordAt } from '../account-snapshot';
import { leftFlow, noData, plural, type ComponentResult, type ScoringContext } from './component';

/** Past due when in the stage for longer than its SLA; exactly the SLA is still due (as the ledger's SLA counts). */
const pastSla = (c: RecordAt, at: number): boolean => c.stage.slaDays !== null && c.since !== null && at - c.since > c.stage.slaDays * DAY_MS;

/**
 * Share of contacts within SLA (Marketo's SLA Due / Past Due, per contact). A contact in a stage without an SLA
 * has no deadline to miss, so it is within; a dead-end or churned contact has left the flow and is not.
 */
export function scoreSlaBreaches({ snapshot }: ScoringContext): ComponentResult {
  const { contacts, at } = snapshot;
  if (contacts.length === 0) return noData('no contact in the lifecycle');
  const pastByStage = new Map<CompiledStage, number>();
  let outOfFlow = 0;
  for (const c of contacts) {
    if (leftFlow(c.stage)) outOfFlow++;
    else if (pastSla(c, at)) pastByStage.set(c.stage, (pastByStage.get(c.stage) ?? 0) + 1);
  }
  // Model order, so the sentence does not depend on the order the contacts were listed in.
  const breaches = [...pastByStage].sort(([a], [b]) => a.order - b.order);
  const past = breaches.reduce((sum, [, n]) => sum + n, 0);
  const [only] = breaches;
  const where = breaches.length === 1 && only ? ` in ${only[0].label}` : breaches.length > 1 ? ` (${breaches.map(([stage, n]) => `${n} in ${stage.label}`).join(', ')})` : '';
  let detail = `${past} of ${plural(contacts.length, 'contact')} past SLA${where}`;
  if (outOfFlow > 0) detail += `; ${outOfFlow} out of the flow (dead end or churned), not within any SLA`;
  return { score: (contacts.length - past - outOfFlow) / contacts.length, detail: `${detail}.` };
}
