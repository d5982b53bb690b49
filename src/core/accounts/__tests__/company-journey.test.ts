import { daysAgo, model } from '../../health/__tests__/health-builders';
import { companyJourney, companyRowsToAppend, companyStateAfter } from '../company-journey';

const moves = (rows: Array<[string, number]>) => rows.map(([toStage, occurredAt]) => ({ toStage, occurredAt }));

describe('company journey: the account stage over time, from its contacts and deals', () => {
  const input = {
    companyId: '900',
    contacts: [
      {
        contactId: '1',
        rows: moves([
          ['lead_acquired', daysAgo(30)],
          ['nurturing', daysAgo(25)],
        ]),
      },
      {
        contactId: '2',
        rows: moves([
          ['nurturing', daysAgo(20)],
          ['mql', daysAgo(12)],
        ]),
      },
      {
        contactId: '3',
        rows: moves([
          ['mql', daysAgo(12)],
          ['appointment', daysAgo(8)],
        ]),
      },
    ],
    deals: [{ id: '77', status: 'won' as const, createdAt: daysAgo(5), closedAt: daysAgo(1) }],
  };

  it('records one row per change of the account stage, dated by the move that caused it and naming it', () => {
    const rows = companyJourney(input, model);
    expect(rows.map((r) => [r.fromStage, r.toStage, r.kind, r.occurredAt, r.reason])).toEqual([
      [null, 'lead_acquired', 'enter', daysAgo(30), 'Contact 1 moved to Lead acquired'],
      ['lead_acquired', 'nurturing', 'advance', daysAgo(25), 'Contact 1 moved to Nurturing'],
      ['nurturing', 'mql', 'advance', daysAgo(12), 'Contact 2 moved to MQL'],
      ['mql', 'appointment', 'advance', daysAgo(8), 'Contact 3 moved to Appointment'],
      ['appointment', 'opportunity', 'advance', daysAgo(5), 'Deal 77 was opened'],
      ['opportunity', 'customer', 'advance', daysAgo(1), 'Deal 77 was won'],
    ]);
    expect(rows.every((r) => r.objectType === 'company' && r.objectId === '900')).toBe(true);
  });

  it('records nothing when a contact moves without changing the account stage (one contact at Nurturing behind one at MQL)', () => {
    const rows = companyJourney(input, model);
    expect(rows.some((r) => r.occurredAt === daysAgo(20))).toBe(false);
  });

  it('churns the account when its customers churn, and wins it back with a new deal', () => {
    const rows = companyJourney(
      {
        companyId: '901',
        contacts: [
          {
            contactId: '5',
            rows: moves([
              ['customer', daysAgo(60)],
              ['churned', daysAgo(20)],
            ]),
          },
        ],
        deals: [{ id: '8', status: 'open', createdAt: daysAgo(3), closedAt: null }],
      },
      model,
    );
    expect(rows.map((r) => [r.toStage, r.kind])).toEqual([
      ['customer', 'enter'],
      ['churned', 'churn'],
      ['opportunity', 'win_back'],
    ]);
    expect(companyStateAfter('901', rows, null)).toMatchObject({ objectType: 'company', stage: 'opportunity', previousStage: 'churned', enteredAt: daysAgo(3) });
  });

  it('moves the account back down the path (to its next furthest contact), as a recycle, when the contact that carried it further is recycled', () => {
    const rows = companyJourney(
      {
        companyId: '902',
        contacts: [
          { contactId: '1', rows: moves([['nurturing', daysAgo(40)]]) },
          {
            contactId: '2',
            rows: moves([
              ['mql', daysAgo(30)],
              ['appointment', daysAgo(20)],
              ['recycle_a', daysAgo(5)],
            ]),
          },
        ],
        deals: [],
      },
      model,
    );
    expect(rows.map((r) => [r.fromStage, r.toStage, r.kind, r.reason])).toEqual([
      [null, 'nurturing', 'enter', 'Contact 1 moved to Nurturing'],
      ['nurturing', 'mql', 'advance', 'Contact 2 moved to MQL'],
      ['mql', 'appointment', 'advance', 'Contact 2 moved to Appointment'],
      ['appointment', 'nurturing', 'recycle', 'Contact 2 moved to Recycle A'],
    ]);
  });

  it('appends only what the stored ledger does not hold yet', () => {
    const all = companyJourney(input, model);
    expect(companyRowsToAppend(all, all.slice(0, 3), model)).toEqual(all.slice(3));
    expect(companyRowsToAppend(all, all, model)).toEqual([]);
  });
});
