import type { DealImpact } from '../contract.ts';
import type { Formatters } from '../shared/format.ts';

type Side = 'win' | 'loss';

const targetOf = (impact: DealImpact, side: Side) => (side === 'win' ? impact.afterWin : impact.afterLoss.stage);
const moves = (impact: DealImpact, side: Side) => impact.current?.id !== targetOf(impact, side).id;

/**
 * One sentence per outcome for the sidebar: the account's move by name, the contacts' moves counted per target
 * stage (a deal can have dozens of contacts; names belong to the full card), and the longest marketing pause a loss
 * starts. "If won: Acme → Customer; 2 contacts → Customer".
 */
export function impactLine(impacts: DealImpact[], side: Side, format: Formatters): string {
  const parts: string[] = [];
  for (const account of impacts.filter((i) => i.subject.type === 'account' && moves(i, side))) {
    parts.push(`${account.subject.name} → ${targetOf(account, side).label}`);
  }
  const contacts = impacts.filter((i) => i.subject.type === 'contact' && moves(i, side));
  const perStage = new Map<string, number>();
  for (const contact of contacts) perStage.set(targetOf(contact, side).label, (perStage.get(targetOf(contact, side).label) ?? 0) + 1);
  for (const [label, count] of perStage) parts.push(`${format.number(count)} ${count === 1 ? 'contact' : 'contacts'} → ${label}`);
  const pauses = side === 'loss' ? contacts.flatMap((c) => (c.afterLoss.pauseDays ? [c.afterLoss.pauseDays] : [])) : [];
  const pause = pauses.length > 0 ? `; marketing email paused ${format.days(Math.max(...pauses))}` : '';
  const prefix = side === 'win' ? 'If won' : 'If lost';
  return parts.length === 0 ? `${prefix}: no change.` : `${prefix}: ${parts.join('; ')}${pause}.`;
}
