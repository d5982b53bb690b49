import { compileModelOrThrow, defaultModel, defaultModelDocument, initialState, type CompiledModel } from '../../../core';
import { storedContactProperties } from '../../facts/stored-properties';
import type { CrmRecord, HubSpotPort } from '../../ports/hubspot-port';
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
    if (property === 'hs_is_target_account') return [];
    return [{ property, value: values[property]?.value ?? null, setAt: values[property]?.setAt ?? null }];
  });
  return {
    key: { objectType: 'contact', objectId: id },
    expectedVersion: null,
    state: { ...initialState('contact', id), stage: 'lead_acquired', enteredAt: T0 },
    wakeAt: null,
    newFactEvents: [{ key: `click-${id}`, type: 'email_clicked', at: T0 + DAY }],
    properties,
    ledger: [{ transitionId: `${id}:1`, objectType: 'contact', objectId: id, fromStage: null, toStage: 'lead_acquired', kind: 'forward', skipped: [], reason: 'seed', reasonCode: 'entry', occurredAt: T0, source: 'worker', actor: null, evidence: [] }],
    outbox: [],
    pause: null,
    alerts: [],
  };
}

/** A HubSpot that counts what it is asked and knows one property value per contact. */
function countingHubSpot(values: Record<string, Record<string, string>>): { port: HubSpotPort; reads: Array<{ ids: string[]; properties: string[] }> } {
  const reads: Array<{ ids: string[]; properties: string[] }> = [];
  const port = {
    batchRead: async (_type: string, ids: string[], properties: string[]) => {
      reads.push({ ids, properties });
      const records: CrmRecord[] = ids.filter((id) => values[id]).map((id) => ({ id, properties: values[id]!, history: {} }));
      return { records, missing: ids.filter((id) => !values[id]) };
    },
  } as unknown as HubSpotPort;
  return { port, reads };
}

const movesTo = (ledger: Awaited<ReturnType<typeof whatIfLedger>>, stage: string) => [...ledger.aggregates.moves.values()].filter((m) => m.toStage === stage);

describe('whatIfLedger: the what-if evaluated from the store', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await openTempStore();
  });
  afterEach(() => temp.remove());

  it('dates a property rule by when the stored value was set, and calls HubSpot not at all when everything the model reads is stored', async () => {
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
    const hubspot = countingHubSpot({});

    const ledger = await whatIfLedger({ store: temp.store, hubspot: hubspot.port }, PORTAL, model, T0 + 10 * DAY);

    expect(hubspot.reads).toEqual([]);
    expect(ledger).toMatchObject({ contacts: 2, missing: 0, unreadable: null, hubspotReads: 0, rows: 6 });
    // Score reached on day 3 (stored date) vs. a score whose date is unknown: dated when observed (the replay's end).
    expect(movesTo(ledger, 'mql').map((m) => [m.day, m.count]).sort()).toEqual([
      [Math.floor((T0 + 3 * DAY) / DAY), 1],
      [Math.floor((T0 + 10 * DAY) / DAY), 1],
    ]);
    expect(movesTo(ledger, 'nurturing').map((m) => [m.day, m.count])).toEqual([[Math.floor((T0 + DAY) / DAY), 2]]);
  });

  it('reads from HubSpot only the properties the what-if reads that are not stored, for the contacts lacking them, in batches of 100', async () => {
    const commits = Array.from({ length: 150 }, (_, i) => storedContact(String(1000 + i), { email: { value: `c${i}@acme.test`, setAt: null } }));
    await temp.store.unitOfWork.commitEvaluations(PORTAL, commits, [], 'seed', T0);
    // The what-if makes an MQL of anyone in software: `industry`, which the published model never read.
    const document = structuredClone(defaultModelDocument) as { stages: Array<{ id: string; transitions?: unknown[] }> };
    document.stages.find((s) => s.id === 'nurturing')!.transitions = [{ to: 'mql', when: { property: 'industry', op: 'equals', value: 'Software' }, reason: 'Software' }];
    const whatIf: CompiledModel = compileModelOrThrow(document);
    const industry = Object.fromEntries(commits.slice(0, 149).map((c, i) => [c.key.objectId, { industry: i % 2 === 0 ? 'Software' : 'Retail' }]));
    const hubspot = countingHubSpot(industry);

    const ledger = await whatIfLedger({ store: temp.store, hubspot: hubspot.port }, PORTAL, whatIf, T0 + 10 * DAY);

    expect(hubspot.reads.map((r) => [r.ids.length, r.properties])).toEqual([
      [100, ['industry']],
      [50, ['industry']],
    ]);
    expect(ledger).toMatchObject({ contacts: 149, missing: 1, unreadable: null, hubspotReads: 2 });
    expect(movesTo(ledger, 'mql').reduce((sum, m) => sum + m.count, 0)).toBe(75);
  });

  it('without HubSpot access, names the properties not stored and counts the contacts lacking them, and evaluates nothing it cannot', async () => {
    const full = storedContact('1', { email: { value: 'ada@acme.test', setAt: null } });
    const partial = storedContact('2', { email: { value: 'bob@acme.test', setAt: null } }, ['email', 'createdate']);
    await temp.store.unitOfWork.commitEvaluations(PORTAL, [full, partial], [], 'seed', T0);

    const ledger = await whatIfLedger({ store: temp.store, hubspot: null }, PORTAL, model, T0 + 10 * DAY);

    const lacking = storedContactProperties(model).filter((p) => !['email', 'createdate', 'hs_is_target_account'].includes(p));
    expect(ledger.unreadable).toEqual({ properties: lacking.sort(), contacts: 1 });
    expect(ledger).toMatchObject({ contacts: 0, hubspotReads: 0 });
  });
});
