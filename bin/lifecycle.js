#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; `npm install` builds it (the `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('lifecycle: the CLI is not built yet; run `npm install` (or `npm run build`) first.');
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .catch((error) => {
    console.error(`lifecycle: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
