import type { HealthComponentScore } from './health-output';

export interface WeakestComponent {
  id: HealthComponentScore['id'];
  label: string;
  /** weight − points: what this component keeps the 0-100 score from reaching. */
  pointsLost: number;
  detail: string;
}

/**
 * The component that costs the score the most points, which is where a rep's effort moves the score most (a
 * low score on a light component can matter less than a middling one on a heavy component). Ties go to the first in
 * the model's fixed component order, so the answer is stable. Null when every component is at full score.
 */
export function weakestComponent(components: readonly HealthComponentScore[]): WeakestComponent | null {
  let weakest: WeakestComponent | null = null;
  for (const component of components) {
    const pointsLost = component.weight - component.points;
    // A float residue (e.g. 20 − 20 × 0.1 × 10) is not a lost point.
    if (pointsLost <= 1e-9) continue;
    if (weakest === null || pointsLost > weakest.pointsLost) {
      weakest = { id: component.id, label: component.label, pointsLost, detail: component.detail };
    }
  }
  return weakest;
}
