import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { SimulatorOptions } from './config/simulator-options';
import { SimulatorControl } from './control/control-api';
import { buildApp } from './http/app';
import { SimulatorState } from './simulator-state';

export interface SimulatorPortalInfo {
  portalId: number;
  accessTokens: readonly string[];
  clientSecret: string;
  appId: number;
  tier: string;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:53211 — pass as `basePath` to `new Client({ accessToken, basePath })`. */
  baseUrl: string;
  port: number;
  portals: SimulatorPortalInfo[];
  control: SimulatorControl;
  /** Direct access to the in-memory state (portals, records) for assertions. */
  state: SimulatorState;
  /** Sends due webhooks and waits for them; alias of control.flushWebhooks(). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the HubSpot simulator in-process on 127.0.0.1 (an ephemeral port unless `port` is given). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const state = new SimulatorState(options);
  const control = new SimulatorControl(state);
  const app = buildApp(state, control);
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    baseUrl: `http://${host}:${port}`,
    port,
    get portals() {
      return state.allPortals().map((p) => ({ portalId: p.portalId, accessTokens: p.accessTokens, clientSecret: p.clientSecret, appId: p.appId, tier: p.policy.tier }));
    },
    control,
    state,
    idle: () => control.flushWebhooks(),
    stop: () => {
      stopped ??= (async () => {
        await state.webhooks.stop();
        // Hung (fault-injected) requests would otherwise keep the server open.
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return stopped;
    },
  };
}
