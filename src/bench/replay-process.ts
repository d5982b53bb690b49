import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createStore } from '../adapters/store';
import { runReplay } from '../app/replay/run-replay';
import { DAY_MS, defaultModel } from '../core';
import { parallelWhatIf } from '../main/replay/parallel-what-if';
import { b8WhatIfModel, B8_END, B8_PORTAL } from './replay-bench';

/**
 * B8's replay from the store in a process of its own, so its peak RSS is the replay's alone (not the seed's), worker
 * threads included: opens the seeded store, replays once with no HubSpot access as `lifecycle replay` does (split
 * across the cores, parallel-what-if.ts; `threads` 1: on one thread, as the settings Preview does), answers with the
 * figures and exits.
 */
export interface ReplayProcessAnswer {
  contacts: number;
  hubspotReads: number;
  unreadable: boolean;
  ledgerRows: { current: number; whatIf: number };
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  load: [number, number];
}

process.once('message', ({ url, threads }: { url: string; threads: number | null }) => {
  void (async () => {
    const store = await createStore(url);
    try {
      const load0 = loadavg()[0] ?? 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const replayWhatIf = parallelWhatIf({ store, hubspot: null, database: { url, pgSchema: null }, ...(threads === null ? {} : { parts: threads }) });
      const result = await runReplay({ store, hubspot: null, replayWhatIf }, B8_PORTAL, { current: defaultModel(), whatIf: b8WhatIfModel() }, { start: B8_END - 365 * DAY_MS, end: B8_END });
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const answer: ReplayProcessAnswer = {
        contacts: result.contacts,
        hubspotReads: result.hubspotReads,
        unreadable: result.unreadable !== null,
        ledgerRows: result.ledgerRows,
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        load: [load0, loadavg()[0] ?? 0],
      };
      process.send?.(answer);
    } finally {
      await store.close();
    }
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
