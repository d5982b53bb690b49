#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; `npm install` builds it (the `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const dist = path.join(__dirname, '..', 'dist');
const entry = path.join(dist, 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('lifecycle: the CLI is not built yet; run `npm install` (or `npm run build`) first.');
  process.exit(1);
}
// A command with a bounded working set (backfill) runs under a V8 heap limit (src/cli/heap-limits.ts): a running
// process cannot set its own, so it is started again with the limit, in the foreground, with the same terminal.
const extra = require(path.join(dist, 'cli', 'heap-limits.js')).heapLimitArgs(process.argv.slice(2), process.execArgv, process.env.NODE_OPTIONS);
if (extra.length > 0) {
  const child = spawn(process.execPath, [...process.execArgv, ...extra, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal itself (same process group): the child stops after the unit in
  // flight. A second signal sent here would make it stop at once, so this process only waits for it.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  require(entry)
    .main(process.argv)
    .catch((error) => {
      console.error(`lifecycle: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
