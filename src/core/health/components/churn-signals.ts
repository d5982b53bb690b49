import { DAY_MS } from '../../engine/time';
import type { ChurnSignal } from '../health-input';
import { fmtDays, noData, type ComponentResult, type ScoringContext } from './component';

/** A churn signal older than this no longer counts against the account (the brief's 90-day window). */
export const CHURN_SIGNAL_DAYS = 90;

/**
 * 1 without churn signals, 0 when the account or the company record is churned or a churn signal fell in the last
 * 90 days. A step, not a slope: a customer who just said they are leaving is not "a little" at risk. Contacts in
 * the churned stage are signals dated when they churned (undated ones count as recent).
 */
export function scoreChurnSignals({ snapshot, accountStage }: ScoringContext): ComponentResult {
  const { at, company, contacts, deals } = snapshot;
  if (accountStage?.kind === 'churned') {
    return { score: 0, detail: `The account is ${accountStage.label}: all its customers churned.` };
  }
  if (company?.stage.kind === 'churned') return { score: 0, detail: `The company record is ${company.stage.label}.` };
  const signals: ChurnSignal[] = [...snapshot.churnSignals, ...contacts.filter((c) => c.stage.kind === 'churned').map((c) => ({ source: `contact ${c.stage.label}`, at: c.since ?? at }))];
  let latest: ChurnSignal | undefined;
  for (const s of signals) if (!latest || s.at > latest.at) latest = s;
  if (!latest) {
    if (contacts.length === 0 && !company && deals.length === 0) return noData('no contact, company or deal');
    return { score: 1, detail: 'No churn signal.' };
  }
  const days = (at - latest.at) / DAY_MS;
  if (days <= CHURN_SIGNAL_DAYS) {
    return { score: 0, detail: `Churn signal (${latest.source}) ${fmtDays(days)} days ago, within ${CHURN_SIGNAL_DAYS} days.` };
  }
  return {
    score: 1,
    detail: `Last churn signal (${latest.source}) ${fmtDays(days)} days ago, outside the ${CHURN_SIGNAL_DAYS}-day window.`,
  };
}
