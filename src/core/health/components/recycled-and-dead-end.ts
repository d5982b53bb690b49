import { noData, plural, type ComponentResult, type ScoringContext } from './component';

/** Share of contacts neither on a recycle detour nor in the dead end: the people still moving on the path. */
export function scoreRecycledAndDeadEnd({ snapshot }: ScoringContext): ComponentResult {
  const { contacts } = snapshot;
  if (contacts.length === 0) return noData('no contact in the lifecycle');
  const recycled = contacts.filter((c) => c.stage.kind === 'recycle').length;
  const deadEnd = contacts.filter((c) => c.stage.kind === 'dead_end').length;
  return {
    score: (contacts.length - recycled - deadEnd) / contacts.length,
    detail: `${recycled} of ${plural(contacts.length, 'contact')} recycled, ${deadEnd} in the dead end.`,
  };
}
