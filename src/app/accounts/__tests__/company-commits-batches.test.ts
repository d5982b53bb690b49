import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { createStore } from '../../../adapters/store';
import { companyJourney, defaultModel, type LedgerEntry, type LifecycleState } from '../../../core';
import { gatewayFor } from '../../../main/runtime';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { SimulatedClock } from '../../ports/clock';
import type { HubSpotPort } from '../../ports/hubspot-port';
import type { RecordCommit, Store } from '../../ports/store-ports';
import { companyCommits } from '../company-commits';

/**
 * Company commits read their inputs in batches across the companies of a round (states, fact events and contact
 * histories per group, each company's last ledger row). Whatever the batching, the company ledger must be what
 * companyJourney gives over all of the company's contacts: contact moves arrive in rounds of random size, in time
 * order, through the real store and the real HubSpot client against the simulator (for the associations).
 * 25 runs from a pinned seed (FC_RUNS / FC_SEED to search deeper).
 */
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 25), seed: Number(process.env['FC_SEED'] ?? 20261203) };
const PORTAL = 101;
const DAY = 86_400_000;
const model = defaultModel();
const stageIds = [...model.stageById.keys()];

describe('company commits over rounds of contact moves', () => {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 9));
  let sim: RunningSimulator;
  let hubspot: HubSpotPort;
  let contactIds: string[];
  let companyIds: string[];
  let folder: string;

  beforeAll(async () => {
    sim = await startSimulator({ clock });
    const portal = sim.portals.find((p) => p.portalId === PORTAL)!;
    hubspot = gatewayFor({ baseUrl: sim.baseUrl, portals: [], simulator: sim }, { portalId: PORTAL, accessToken: portal.accessTokens[0]!, clientSecrets: [], rateLimit: 110 }, clock);
    companyIds = sim.control.seed(
      PORTAL,
      'companies',
      ['Acme', 'Globex', 'Initech'].map((name) => ({ name })),
    );
    // Six contacts over three companies; the first works at two of them, so its history serves both.
    contactIds = sim.control.seed(
      PORTAL,
      'contacts',
      Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@example.test` })),
      (i) => [{ toId: companyIds[i % 3]!, typeIds: [1, 279] }, ...(i === 0 ? [{ toId: companyIds[1]!, typeIds: [279] }] : [])],
    );
    folder = mkdtempSync(path.join(tmpdir(), 'company-commits-'));
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A round: some contacts move (several may move at one instant); rounds come one after the other in time. */
  const roundArb = fc.array(fc.record({ contact: fc.integer({ min: 0, max: 5 }), stage: fc.constantFrom(...stageIds), hour: fc.integer({ min: 0, max: 3 }) }), {
    minLength: 1,
    maxLength: 6,
  });

  it('leaves each company the ledger companyJourney derives from all its contacts, however the moves were batched', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(roundArb, { minLength: 1, maxLength: 5 }), async (rounds) => {
        const store = await createStore(`sqlite:${path.join(folder, `run-${run++}.db`)}`);
        try {
          for (const round of rounds) {
            clock.advance(DAY);
            const contactCommits = await roundCommits(store, round);
            const commits = [...contactCommits, ...(await companyCommits({ store, hubspot, model }, PORTAL, contactCommits, clock.now()))];
            const { conflicts } = await store.unitOfWork.commitEvaluations(PORTAL, commits, [], 'property', clock.now());
            expect(conflicts).toEqual([]);
          }
          const contactsOf = await hubspot.associations('company', 'contact', companyIds);
          for (const companyId of companyIds) {
            const contacts = await Promise.all(
              (contactsOf.get(companyId) ?? []).map(async (contactId) => ({ contactId, rows: await store.ledger.history(PORTAL, { objectType: 'contact', objectId: contactId }) })),
            );
            const expected = companyJourney({ companyId, contacts, deals: [] }, model);
            expect(await store.ledger.history(PORTAL, { objectType: 'company', objectId: companyId })).toEqual(expected);
            // The company state stands where its ledger ends.
            const state = (await store.states.get(PORTAL, { objectType: 'company', objectId: companyId }))?.state;
            expect({ stage: state?.stage ?? null, enteredAt: state?.enteredAt ?? null }).toEqual({ stage: expected.at(-1)?.toStage ?? null, enteredAt: expected.at(-1)?.occurredAt ?? null });
          }
        } finally {
          await store.close();
        }
      }),
      RUNS,
    );
  });

  /** The contact commits of one round: each moved contact's new rows, chained, dated within the round's day. */
  async function roundCommits(store: Store, round: Array<{ contact: number; stage: string; hour: number }>): Promise<RecordCommit[]> {
    const byContact = new Map<string, Array<{ stage: string; hour: number }>>();
    for (const move of [...round].sort((a, b) => a.hour - b.hour)) byContact.set(contactIds[move.contact]!, [...(byContact.get(contactIds[move.contact]!) ?? []), move]);
    const commits: RecordCommit[] = [];
    for (const [objectId, moves] of byContact) {
      const key = { objectType: 'contact' as const, objectId };
      const stored = await store.states.get(PORTAL, key);
      let at: string | null = stored?.state.stage ?? null;
      const ledger: LedgerEntry[] = [];
      for (const { stage, hour } of moves) {
        if (stage === at) continue;
        const occurredAt = clock.now() + hour * 3_600_000;
        ledger.push({
          transitionId: `${objectId}:${occurredAt}:${ledger.length}:${stage}`,
          objectType: 'contact',
          objectId,
          fromStage: at,
          toStage: stage,
          kind: at === null ? 'enter' : 'advance',
          skipped: [],
          ruleId: 'property-test',
          reason: 'moved by the property test',
          reasonCode: null,
          evidence: [],
          occurredAt,
          source: 'rules',
          actor: null,
        });
        at = stage;
      }
      const last = ledger.at(-1);
      if (!last) continue;
      const state: LifecycleState = {
        objectType: 'contact',
        objectId,
        stage: last.toStage,
        enteredAt: last.occurredAt,
        previousStage: last.fromStage,
        lastTransitionKind: last.kind,
        recycleCount: 0,
        lastRecycle: null,
        marketingPausedUntil: null,
        deadEndReason: null,
        deadEndRulesWaived: false,
      };
      commits.push({ key, expectedVersion: stored?.version ?? null, state, wakeAt: null, newFactEvents: [], ledger, outbox: [], pause: null, alerts: [] });
    }
    return commits;
  }
});
