import { csatMean, npsBreakdown, npsScore } from '../nps';
import { noData, plural, type ComponentResult, type ScoringContext } from './component';

/**
 * NPS (−100..+100 mapped to 0..1) and mean CSAT (1..5 mapped to 0..1), averaged when both were asked. With no
 * answers the account is neither happy nor unhappy as far as we know: neutral 0.5.
 */
export function scoreSatisfaction({ snapshot }: ScoringContext): ComponentResult {
  const nps = snapshot.satisfaction.flatMap((a) => (a.kind === 'nps' ? [a.score] : []));
  const csat = snapshot.satisfaction.flatMap((a) => (a.kind === 'csat' ? [a.score] : []));
  const parts: number[] = [];
  const details: string[] = [];
  const net = npsScore(nps);
  if (net !== null) {
    const { promoters, passives, detractors } = npsBreakdown(nps);
    parts.push((net + 100) / 200);
    const sign = net > 0 ? '+' : '';
    details.push(`NPS ${sign}${Math.round(net)} from ${plural(nps.length, 'answer')} (${promoters} promoters, ${passives} passives, ${detractors} detractors)`);
  }
  const mean = csatMean(csat);
  if (mean !== null) {
    parts.push((mean - 1) / 4);
    details.push(`CSAT ${Math.round(mean * 10) / 10}/5 from ${plural(csat.length, 'answer')}`);
  }
  if (parts.length === 0) return noData('no NPS or CSAT answers yet');
  return { score: parts.reduce((sum, p) => sum + p, 0) / parts.length, detail: `${details.join('; ')}.` };
}
