import { z } from 'zod';

const NpsAnswersSchema = z.array(z.number().int().min(0).max(10));
const CsatAnswersSchema = z.array(z.number().int().min(1).max(5));

export interface NpsBreakdown {
  answers: number;
  /** 9-10 */
  promoters: number;
  /** 7-8 */
  passives: number;
  /** 0-6 */
  detractors: number;
}

/** Promoters, passives and detractors as the NPS literature classifies 0-10 answers. */
export function npsBreakdown(scores: readonly number[]): NpsBreakdown {
  const valid = NpsAnswersSchema.parse(scores);
  const promoters = valid.filter((s) => s >= 9).length;
  const detractors = valid.filter((s) => s <= 6).length;
  return { answers: valid.length, promoters, passives: valid.length - promoters - detractors, detractors };
}

/**
 * Net Promoter Score = % promoters (9-10) − % detractors (0-6), from −100 to +100; null without answers
 * (an NPS of 0 would claim a balance nobody measured).
 *
 * @throws ZodError when an answer is not an integer from 0 to 10.
 */
export function npsScore(scores: readonly number[]): number | null {
  const { answers, promoters, detractors } = npsBreakdown(scores);
  return answers === 0 ? null : ((promoters - detractors) * 100) / answers;
}

/** Mean CSAT answer on 1-5; null without answers. @throws ZodError when an answer is not an integer 1-5. */
export function csatMean(scores: readonly number[]): number | null {
  const valid = CsatAnswersSchema.parse(scores);
  return valid.length === 0 ? null : valid.reduce((sum, s) => sum + s, 0) / valid.length;
}
