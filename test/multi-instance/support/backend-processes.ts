import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');
const ENTRY = join(__dirname, 'serve-instance.ts');
const STARTUP_TIMEOUT_MS = 60_000;

export interface BackendProcess {
  url: string;
  pid: number;
  /** The worker id the instance leases work under (backend.ts: `worker-<pid>`). */
  workerId: string;
  /** What the instance printed (for failure messages). */
  output(): string;
  /** Stops it the way an orchestrator would: SIGTERM (drain and exit) or SIGKILL (crash). */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Starts `lifecycle serve` in its own Node process (PORT=0) and resolves with its URL once it listens. */
export async function startBackendProcess(env: Record<string, string>): Promise<BackendProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', ENTRY], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await listeningUrl(child, () => output);
  return {
    url,
    pid: child.pid!,
    workerId: `worker-${child.pid}`,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

function listeningUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`backend did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`)), STARTUP_TIMEOUT_MS);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output());
      if (match) {
        cleanup();
        resolve(match[1]!);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`backend exited (${code}) before listening:\n${output()}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(error: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}
