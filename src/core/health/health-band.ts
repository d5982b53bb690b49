import type { CompiledModel } from '../model/model-types';
import type { HealthBand } from './health-output';

/** score ≥ bands.healthy → healthy; score ≥ bands.atRisk → at risk; below → critical (edges belong to the better band). */
export function healthBand(score: number, bands: CompiledModel['health']['bands']): HealthBand {
  if (score >= bands.healthy) return 'healthy';
  if (score >= bands.atRisk) return 'at_risk';
  return 'critical';
}
