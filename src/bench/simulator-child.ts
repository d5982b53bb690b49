import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SimulatorReply, SimulatorRequest } from './simulator-process';

type Request = SimulatorRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The benchmark's side of a simulator running in its own process (simulator-process.ts). */
export class SimulatorChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    log: (line: string) => void,
  ) {
    child.on('message', (reply: SimulatorReply) => {
      if ('log' in reply) return log(reply.log);
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(new Error(`simulator process: ${reply.error}`));
    });
    child.on('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`simulator process exited (${code})`));
      this.pending.clear();
    });
  }

  /** Runs the compiled simulator-process.js next to this file (the benchmarks run from dist/). */
  static start(log: (line: string) => void, maxOldSpaceMb = 12_288): SimulatorChild {
    const child = fork(path.join(__dirname, 'simulator-process.js'), [], { execArgv: [`--max-old-space-size=${maxOldSpaceMb}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new SimulatorChild(child, log);
  }

  request<T>(request: Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request({ type: 'stop' }).catch(() => undefined);
    await exited;
  }
}
