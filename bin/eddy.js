#!/usr/bin/env node
// The `eddy` command: runs the compiled CLI, bundled into one file for a fast
// start (`npm run build` writes dist/; scripts/bundle-cli.mjs says why).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.bundle.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('eddy: dist/cli/main.bundle.js is missing; run `npm run build` first (npm start builds and starts).\n');
  process.exit(1);
}
const { run } = await import(main.href);
await run(process.argv);
