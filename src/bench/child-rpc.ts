import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** What a benchmark child process answers: one reply per request id, or a log line (no id). */
export type ChildReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { log: string };

/**
 * The child's side: answers each request (by its id) with what `handle` resolves to, or with the error's stack. A
 * `stop` handler returns and exits on a later turn (setImmediate), so its reply is sent first.
 */
export function answerRequests<Request extends { id: number }>(handle: (request: Request) => Promise<unknown>): void {
  process.on('message', (request: Request) => {
    handle(request).then(
      (value) => process.send?.({ id: request.id, ok: true, value } satisfies ChildReply),
      (error: unknown) => process.send?.({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ChildReply),
    );
  });
}

/** A child's request type without the id this side assigns. */
export type WithoutId<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/**
 * The benchmark's side of a script run in a process of its own (compiled next to this file: the benchmarks run from
 * dist/), so its figures — peak RSS above all — are its own. Requests go over IPC with an id; each reply settles its
 * request, and the child's exit rejects whatever is still waiting.
 */
export class ChildRpc<Request extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly child: ChildProcess,
    name: string,
    log: (line: string) => void = () => undefined,
  ) {
    child.on('message', (reply: ChildReply) => {
      if ('log' in reply) return log(reply.log);
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(new Error(`${name}: ${reply.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`${name} exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  static fork<Request extends { type: string }>(script: string, name: string, options: { execArgv?: string[]; log?: (line: string) => void } = {}): ChildRpc<Request> {
    // The benchmarks run from dist/, the compiled script beside this file. Run from the TypeScript sources (the bench
    // tests under ts-jest), there is no compiled script: the .ts beside this file runs under tsx instead.
    const compiled = path.join(__dirname, script);
    const fromSource = !existsSync(compiled) && __filename.endsWith('.ts');
    const file = fromSource ? compiled.replace(/\.js$/, '.ts') : compiled;
    const execArgv = [...(fromSource ? ['--require', 'tsx/cjs'] : []), ...(options.execArgv ?? [])];
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new ChildRpc<Request>(child, name, options.log);
  }

  request<T>(request: Request): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  /** Ends the child at once (SIGKILL), e.g. past a time limit; whatever is still waiting is rejected. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Asks the child to stop (a `stop` request) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request({ type: 'stop' } as Request).catch(() => undefined);
    await exited;
  }
}
