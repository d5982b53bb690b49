import fc from 'fast-check';
import type { HealthComponentScore } from '../health-output';
import { weakestComponent } from '../weakest-component';
import { HEALTH_COMPONENTS } from '../../model/model-schema';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 200), seed: Number(process.env['FC_SEED'] ?? 20260301) };

const component = (id: HealthComponentScore['id'], weight: number, score: number): HealthComponentScore => ({
  id,
  label: id,
  weight,
  score,
  points: weight * score,
  detail: `${id} detail`,
});

describe('the weakest health component', () => {
  it('is the one that loses the most points, not the one with the lowest score', () => {
    const weakest = weakestComponent([component('stageProgress', 30, 0.5), component('upsell', 5, 0)]);
    expect(weakest).toEqual({ id: 'stageProgress', label: 'stageProgress', pointsLost: 15, detail: 'stageProgress detail' });
  });

  it('goes to the first component in the model order on a tie', () => {
    expect(weakestComponent([component('velocity', 10, 0.5), component('deals', 10, 0.5)])?.id).toBe('velocity');
  });

  it('is null when every component is at full score, or weighs nothing', () => {
    expect(weakestComponent([component('velocity', 10, 1), component('deals', 0, 0)])).toBeNull();
    expect(weakestComponent([])).toBeNull();
  });

  it('loses at least as many points as any other component, and exactly what the score misses on it', () => {
    const components = fc.uniqueArray(fc.record({ id: fc.constantFrom(...HEALTH_COMPONENTS), weight: fc.integer({ min: 0, max: 100 }), score: fc.double({ min: 0, max: 1, noNaN: true }) }), {
      selector: (c) => c.id,
      maxLength: HEALTH_COMPONENTS.length,
    });
    fc.assert(
      fc.property(components, (rows) => {
        const scored = rows.map((r) => component(r.id, r.weight, r.score));
        const weakest = weakestComponent(scored);
        const losses = scored.map((c) => c.weight - c.points);
        if (weakest === null) return losses.every((loss) => loss <= 1e-9);
        const chosen = scored.find((c) => c.id === weakest.id)!;
        return losses.every((loss) => loss <= weakest.pointsLost) && weakest.pointsLost === chosen.weight - chosen.points && weakest.pointsLost > 0;
      }),
      RUNS,
    );
  });
});
