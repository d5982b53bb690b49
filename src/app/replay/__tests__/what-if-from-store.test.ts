import { defaultModel, initialState } from '../../../core';
import { storedContactProperties } from '../../facts/stored-properties';
import type { PortalId, RecordCommit, StoredPropertyValue } from '../../ports/store-ports';
import { openTempStore, type TempStore } from '../../reporting/__tests__/support/temp-store';
import { whatIfLedger } from '../what-if-ledger';

const PORTAL: PortalId = 7;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);
const model = defaultModel();

/** A contact as the pipeline stores it: its ledger row, its fact events, and the property values the model reads. */
function storedContact(id: string, values: Record<string, { value: string | null; setAt: number | null }>, wanted = storedContactProperties(model)): RecordCommit {
  const properties: StoredPropertyValue[] = wanted.flatMap((property) => {
    return [{ property, value: values[property]?.value ?? null, setAt: values[property]?.setAt ?? null }];
  });
  return {
    key: { objectType: 'contact', objectId: id },
    expectedVersion: null,
    state: { ...initialState('contact', id), stage: 'lead_acquired', enteredAt: T0 },
    wakeAt: null,
    newFactEvents: [{ key: `click-${id}`, type: 'email_clicked', at: T0 + DAY }],
    properties,
    ledger: [
      {
        transitionId: `${id}:1`,
        objectType: 'contact',
        objectId: id,
        fromStage: null,
        toStage: 'lead_acquired',
        kind: 'enter',
        skipped: [],
        ruleId: 'entry',
        reason: 'seed',
        reasonCode: 'entry',
        occurredAt: T0,
        source: 'rules',
        actor: null,
        evidence: [],
      },
    ],
    outbox: [],
    pause: null,
    alerts: [],
  };
}

/** Day by day (no cuts) from T0 through the replay's end. */
const WINDOW = { firstDay: T0 / DAY, startDay: T0 / DAY, endDay: T0 / DAY + 11 };
const movesTo = (ledger: Awaited<ReturnType<typeof whatIfLedger>>, stage: string) => ledger.fold.funnel().dailyMoves.filter((m) => m.toStage === stage);

/** HubSpot reads for properties not stored are specified in test/e2e/replay-what-if.test.ts, against the simulator. */
describe('whatIfLedger: the what-if evaluated from the store', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await openTempStore();
  });
  afterEach(() => temp.remove());

  it('evaluates from the store alone (no HubSpot at all) and dates a property rule by when the stored value was set', async () => {
    const createdate = { value: new Date(T0).toISOString(), setAt: T0 };
    await temp.store.unitOfWork.commitEvaluations(
      PORTAL,
      [
        storedContact('1', { email: { value: 'ada@acme.test', setAt: null }, createdate, hubspotscore: { value: '120', setAt: T0 + 3 * DAY } }),
        storedContact('2', { email: { value: 'bob@acme.test', setAt: null }, createdate, hubspotscore: { value: '120', setAt: null } }),
      ],
      [],
      'seed',
      T0,
    );

    const ledger = await whatIfLedger({ store: temp.store, hubspot: null }, PORTAL, model, T0 + 10 * DAY, WINDOW);

    expect(ledger).toMatchObject({ contacts: 2, missing: 0, unreadable: null, hubspotReads: 0, rows: 6 });
    // Score reached on day 3 (stored date) vs. a score whose date is unknown: dated when observed (the replay's end).
    expect(
      movesTo(ledger, 'mql')
        .map((m) => [m.day, m.count])
        .sort(),
    ).toEqual([
      [Math.floor((T0 + 3 * DAY) / DAY), 1],
      [Math.floor((T0 + 10 * DAY) / DAY), 1],
    ]);
    expect(movesTo(ledger, 'nurturing').map((m) => [m.day, m.count])).toEqual([[Math.floor((T0 + DAY) / DAY), 2]]);
  });

  it('without HubSpot access, names the properties not stored and counts the contacts lacking them, and evaluates nothing it cannot', async () => {
    const full = storedContact('1', { email: { value: 'ada@acme.test', setAt: null } });
    const partial = storedContact('2', { email: { value: 'bob@acme.test', setAt: null } }, ['email', 'createdate']);
    await temp.store.unitOfWork.commitEvaluations(PORTAL, [full, partial], [], 'seed', T0);

    const ledger = await whatIfLedger({ store: temp.store, hubspot: null }, PORTAL, model, T0 + 10 * DAY, WINDOW);

    const lacking = storedContactProperties(model).filter((p) => !['email', 'createdate', 'hs_is_target_account'].includes(p));
    expect(ledger.unreadable).toEqual({ properties: lacking.sort(), contacts: 1 });
    expect(ledger).toMatchObject({ contacts: 0, hubspotReads: 0 });
  });
});
