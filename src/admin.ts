import type { ServerResponse } from 'node:http';
import type { EddyConfig } from './config.js';

/** Eddy's own endpoints under `/_eddy/` (health now; clock and drain come with streams). */
export function handleAdmin(method: string, path: string, res: ServerResponse, state: { startedAt: number; config: EddyConfig }): boolean {
  if (method === 'GET' && path === '/_eddy/health') {
    sendJson(res, 200, {
      status: 'ok',
      version: process.env.npm_package_version ?? '0.1.0',
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
