#!/usr/bin/env node
// The `eddy` command: runs the compiled CLI (npm run build writes dist/).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('eddy: dist/cli/main.js is missing; run `npm run build` first (npm start builds and starts).\n');
  process.exit(1);
}
const { run } = await import(main.href);
await run(process.argv);
