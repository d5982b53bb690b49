import { pathPosition } from '../account-stage';
import { noData, type ComponentResult, type ScoringContext } from './component';

/**
 * How far along the success path the account is: (rank + 1) / path length, so entering the lifecycle already
 * counts and the last path stage scores 1. A recycle detour counts as the stage it returns to. Dead end and
 * churned are off the path and score 0.
 */
export function scoreStageProgress({ model, accountStage }: ScoringContext): ComponentResult {
  if (!accountStage) return noData('no contact, company or deal in the lifecycle');
  const position = pathPosition(accountStage, model);
  if (position === null) return { score: 0, detail: `The account is ${accountStage.label}: off the success path.` };
  const length = model.pathStages.length;
  const score = (position + 1) / length;
  const step = `stage ${position + 1} of ${length} on the path`;
  if (accountStage.kind === 'path') return { score, detail: `The account is at ${accountStage.label}, ${step}.` };
  const heading = model.pathStages[position]?.label ?? 'the path';
  return { score, detail: `The account is in ${accountStage.label}, heading back to ${heading} (${step}).` };
}
