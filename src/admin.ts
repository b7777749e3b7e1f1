import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { EddyConfig } from './config.js';

/** Read once from package.json (dist/admin.js and src/admin.ts both sit one level below it). */
const eddyVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Eddy's own endpoints under `/_eddy/` (health now; clock and drain come with streams). */
export function handleAdmin(method: string, path: string, res: ServerResponse, state: { startedAt: number; config: EddyConfig }): boolean {
  if (method === 'GET' && path === '/_eddy/health') {
    sendJson(res, 200, {
      status: 'ok',
      version: eddyVersion,
      region: state.config.region,
      accountId: state.config.accountId,
      storage: state.config.inMemory ? 'memory' : 'sqlite',
      uptimeSeconds: Math.round((Date.now() - state.startedAt) / 1000),
    });
    return true;
  }
  return false;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
