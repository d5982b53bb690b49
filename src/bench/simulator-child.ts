import { ChildRpc, type WithoutId } from './child-rpc';
import type { SimulatorRequest } from './simulator-process';

/** The benchmark's side of a simulator running in its own process (simulator-process.ts). */
export type SimulatorChild = ChildRpc<WithoutId<SimulatorRequest>>;

export const SimulatorChild = {
  start(log: (line: string) => void, maxOldSpaceMb = 12_288): SimulatorChild {
    return ChildRpc.fork<WithoutId<SimulatorRequest>>('simulator-process.js', 'simulator process', { execArgv: [`--max-old-space-size=${maxOldSpaceMb}`], log });
  },
};
