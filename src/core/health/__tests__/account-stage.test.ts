import { accountStage } from '../account-stage';
import { daysAgo, deal, model } from './health-builders';

const at = (stage: string | null, daysBack = 10) => ({ stage, enteredAt: stage === null ? null : daysAgo(daysBack) });
const stageOf = (records: Parameters<typeof accountStage>[0], deals: Parameters<typeof accountStage>[1]) => accountStage(records, deals, model)?.id ?? null;

describe('account stage: the most advanced stage among contacts and deals', () => {
  it('is the furthest contact on the path', () => {
    expect(stageOf([at('nurturing'), at('appointment'), at('mql')], [])).toBe('appointment');
  });

  it('counts an open deal as Opportunity and a won deal as Customer at least', () => {
    expect(stageOf([at('nurturing')], [deal('1', 'open')])).toBe('opportunity');
    expect(stageOf([at('mql')], [deal('1', 'won')])).toBe('customer');
    expect(stageOf([at('expand')], [deal('1', 'won')])).toBe('expand');
  });

  it('ignores lost deals', () => {
    expect(stageOf([at('mql')], [deal('1', 'lost')])).toBe('mql');
  });

  it('is dead end when every contact is dead end', () => {
    expect(stageOf([at('dead_end'), at('dead_end')], [])).toBe('dead_end');
  });

  it('prefers a live detour to the dead end, and a recycle heading to Nurturing to Lead acquired', () => {
    expect(stageOf([at('dead_end'), at('recycle_a')], [])).toBe('recycle_a');
    expect(stageOf([at('lead_acquired'), at('recycle_b')], [])).toBe('recycle_b');
  });

  it('prefers the path stage over a detour returning to it, and the later detour over an earlier one', () => {
    expect(stageOf([at('recycle_b'), at('nurturing')], [])).toBe('nurturing');
    expect(stageOf([at('recycle_b'), at('recycle_a')], [])).toBe('recycle_b');
    expect(stageOf([at('recycle_a'), at('recycle_b')], [])).toBe('recycle_b');
  });

  it("is churned when the account's customers all churned, even with a prospect left and an old won deal", () => {
    const won = deal('1', 'won', { createdAt: daysAgo(400), closedAt: daysAgo(300) });
    expect(stageOf([at('churned', 20), at('nurturing')], [won])).toBe('churned');
  });

  it('is not churned while another contact is still a customer', () => {
    expect(stageOf([at('churned', 20), at('customer', 200)], [])).toBe('customer');
  });

  it('a deal opened after the churn is a win-back: the account is at Opportunity again', () => {
    expect(stageOf([at('churned', 20)], [deal('1', 'open', { createdAt: daysAgo(5) })])).toBe('opportunity');
  });

  it('is null when nothing is in the lifecycle, and stages the model does not know are left out', () => {
    expect(stageOf([], [])).toBeNull();
    expect(stageOf([at(null), at('legacy_stage')], [])).toBeNull();
  });
});
