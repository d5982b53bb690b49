import type { Criterion } from '../../model/criteria-schema';
import { satisfaction, type CriterionContext } from '../criteria';
import { daysAgo, event, facts, NOW, submittedForm, viewedPage, type FactsOptions } from './builders';

/** When (if at all) a criterion holds for a record that entered its stage 30 days ago. */
function holds(criterion: Criterion, options: FactsOptions = {}, stageEnteredAt: number | null = daysAgo(30)) {
  const ctx: CriterionContext = { facts: facts(options), stageEnteredAt, now: NOW, wakeTimes: [] };
  const s = satisfaction(criterion, ctx);
  return { at: s?.at ?? null, evidence: s?.evidence ?? [], wakeTimes: ctx.wakeTimes };
}

describe('criteria: objective, measurable transition conditions', () => {
  it('domain_in matches the email domain and its subdomains, not look-alikes', () => {
    const competitor: Criterion = { property: 'email', op: 'domain_in', values: ['competitor.example'] };
    expect(holds(competitor, { properties: { email: 'a@Competitor.Example' } }).at).toBe(NOW);
    expect(holds(competitor, { properties: { email: 'a@eu.competitor.example' } }).at).toBe(NOW);
    expect(holds(competitor, { properties: { email: 'a@notcompetitor.example' } }).at).toBeNull();
  });

  it('property comparisons ignore case and surrounding spaces; empty values do not exist', () => {
    expect(holds({ property: 'hs_lead_status', op: 'in', values: ['BAD_TIMING'] }, { properties: { hs_lead_status: ' bad_timing ' } }).at).toBe(NOW);
    expect(holds({ property: 'phone', op: 'not_exists' }, { properties: { phone: '' } }).at).toBe(NOW);
    expect(holds({ property: 'phone', op: 'not_equals', value: '1' }, { properties: {} }).at).toBe(NOW);
  });

  it('numeric comparisons refuse values that are not numbers', () => {
    expect(holds({ property: 'employees', op: 'gte', value: 50 }, { properties: { employees: '120' } }).at).toBe(NOW);
    expect(holds({ property: 'employees', op: 'gte', value: 50 }, { properties: { employees: 'many' } }).at).toBeNull();
    expect(holds({ score: { property: 'hubspotscore', gte: 100 } }, { properties: { hubspotscore: 'n/a' } }).at).toBeNull();
  });

  it('"all" holds from the moment its last part holds, with the evidence of every part', () => {
    const c: Criterion = {
      all: [
        { event: 'page_viewed', atLeast: 1, scope: 'since_stage_entered' },
        { event: 'email_clicked', atLeast: 1, scope: 'since_stage_entered' },
      ],
    };
    const r = holds(c, { events: [viewedPage(daysAgo(9)), event('email_clicked', daysAgo(4))] });
    expect(r.at).toBe(daysAgo(4));
    expect(r.evidence).toHaveLength(2);
  });

  it('"any" holds from the earliest of its parts', () => {
    const c: Criterion = {
      any: [
        { event: 'page_viewed', atLeast: 1, scope: 'since_stage_entered' },
        { event: 'email_clicked', atLeast: 1, scope: 'since_stage_entered' },
      ],
    };
    expect(holds(c, { events: [viewedPage(daysAgo(2)), event('email_clicked', daysAgo(6))] }).at).toBe(daysAgo(6));
  });

  it('"not" holds from stage entry when its inner criterion does not hold, and never otherwise', () => {
    const c: Criterion = { not: { property: 'jobtitle', op: 'contains', value: 'student' } };
    expect(holds(c, { properties: { jobtitle: 'CTO' } }).at).toBe(daysAgo(30));
    expect(holds(c, { properties: { jobtitle: 'Student' } }).at).toBeNull();
  });

  it('a sliding window holds at the first event that completes it', () => {
    const c: Criterion = { event: 'page_viewed', atLeast: 3, withinDays: 7, scope: 'since_stage_entered' };
    const views = [viewedPage(daysAgo(25)), viewedPage(daysAgo(12)), viewedPage(daysAgo(10)), viewedPage(daysAgo(6)), viewedPage(daysAgo(1))];
    expect(holds(c, { events: views }).at).toBe(daysAgo(6));
  });

  it('"ever" counts history from before the stage; the default counts only since entering it', () => {
    const old = { events: [submittedForm(daysAgo(90), 'demo_request')] };
    expect(holds({ event: 'form_submitted', atLeast: 1, scope: 'ever' }, old).at).toBe(daysAgo(90));
    expect(holds({ event: 'form_submitted', atLeast: 1, scope: 'since_stage_entered' }, old).at).toBeNull();
  });

  it('attribute conditions match lists and numeric ranges, and never a missing attribute', () => {
    const promoter: Criterion = { event: 'nps_answered', atLeast: 1, scope: 'ever', where: { score: { gte: 9, lte: 10 } } };
    expect(holds(promoter, { events: [event('nps_answered', daysAgo(3), { score: 10 })] }).at).toBe(daysAgo(3));
    expect(holds(promoter, { events: [event('nps_answered', daysAgo(3), { score: 'ten' })] }).at).toBeNull();
    expect(holds(promoter, { events: [event('nps_answered', daysAgo(3))] }).at).toBeNull();
  });

  it('time in stage holds at its deadline, and asks to be woken at it until then', () => {
    expect(holds({ inStageForDays: 20 }).at).toBe(daysAgo(10));
    const pending = holds({ inStageForDays: 45 });
    expect(pending).toMatchObject({ at: null, wakeTimes: [daysAgo(30) + 45 * 86_400_000] });
    expect(holds({ inStageForDays: 1 }, {}, null).at).toBeNull();
  });
});
