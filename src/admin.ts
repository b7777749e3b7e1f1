import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AdjustableClock } from './clock.js';
import type { EddyConfig } from './config.js';
import { renderPrometheus, type MappingStatus } from './lambda/esm/metrics.js';

/** Read once from package.json (dist/admin.js and src/admin.ts both sit one level below it). */
const eddyVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface AdminState {
  startedAt: number;
  config: EddyConfig;
  clock: AdjustableClock;
  /** Event source mappings: their status for `/_eddy/metrics`; the idle barrier behind `/_eddy/drain` (mappings and SNS deliveries). */
  mappings: { status(): MappingStatus[]; drain(timeoutMs: number): Promise<boolean> };
}

/** How long `POST /_eddy/drain` waits when the body names no timeout. */
const DEFAULT_DRAIN_SECONDS = 30;

/**
 * Eddy's own endpoints under `/_eddy/`:
 *  - `GET /_eddy/health`
 *  - `GET /_eddy/clock` and, when started with --allow-clock-control,
 *    `POST /_eddy/clock {"advanceSeconds": 3600}` (or `advanceMs`) so tests
 *    move TTL, stream retention and shard rollover forward without sleeping.
 *  - `POST /_eddy/drain {"timeoutSeconds": 30}`: answers 200 `{"drained": true}`
 *    once every enabled event source mapping has processed, filtered or sent
 *    to its on-failure destination every record committed before the call,
 *    and every SNS http(s)/Lambda delivery attempt started before it has
 *    finished (retries due later on the clock are not waited for), or 504
 *    `{"drained": false}` when the timeout (wall time) passes first.
 *  - `GET /_eddy/metrics`: event source mapping metrics in the Prometheus text
 *    format; `?format=json` gives `{"mappings": [...]}` (what `eddy status` reads).
 */
export function handleAdmin(method: string, path: string, body: Buffer, res: ServerResponse, state: AdminState, query = new URLSearchParams()): boolean {
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
  if (method === 'POST' && path === '/_eddy/drain') {
    drain(body, res, state);
    return true;
  }
  if (method === 'GET' && path === '/_eddy/metrics') {
    const format = query.get('format');
    const statuses = state.mappings.status();
    if (format === 'json') {
      sendJson(res, 200, { mappings: statuses });
    } else {
      const text = renderPrometheus(statuses);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    }
    return true;
  }
  if (path === '/_eddy/clock') {
    if (method === 'GET') {
      sendJson(res, 200, clockState(state.clock));
      return true;
    }
    if (method === 'POST') {
      advanceClock(body, res, state);
      return true;
    }
  }
  return false;
}

function clockState(clock: AdjustableClock): Record<string, unknown> {
  const now = clock.now();
  return { now: new Date(now).toISOString(), epochMillis: now, offsetMs: now - Date.now() };
}

function advanceClock(body: Buffer, res: ServerResponse, state: AdminState): void {
  if (!state.config.allowClockControl) {
    sendJson(res, 403, { error: 'Clock control is disabled; start Eddy with --allow-clock-control (or EDDY_ALLOW_CLOCK_CONTROL=1) to use POST /_eddy/clock.' });
    return;
  }
  let request: { advanceSeconds?: unknown; advanceMs?: unknown };
  try {
    request = JSON.parse(body.toString('utf8') || '{}') as typeof request;
  } catch {
    sendJson(res, 400, { error: 'The body must be JSON, e.g. {"advanceSeconds": 3600}.' });
    return;
  }
  const ms = typeof request.advanceMs === 'number' ? request.advanceMs : typeof request.advanceSeconds === 'number' ? request.advanceSeconds * 1000 : NaN;
  if (!Number.isFinite(ms) || ms < 0 || (request.advanceMs !== undefined && request.advanceSeconds !== undefined)) {
    sendJson(res, 400, { error: 'Give exactly one of advanceSeconds or advanceMs, a number >= 0; the clock only moves forward.' });
    return;
  }
  state.clock.advance(ms);
  sendJson(res, 200, clockState(state.clock));
}

function drain(body: Buffer, res: ServerResponse, state: AdminState): void {
  let request: { timeoutSeconds?: unknown };
  try {
    request = JSON.parse(body.toString('utf8') || '{}') as typeof request;
  } catch {
    sendJson(res, 400, { error: 'The body must be JSON, e.g. {"timeoutSeconds": 30}.' });
    return;
  }
  const seconds = request.timeoutSeconds ?? DEFAULT_DRAIN_SECONDS;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    sendJson(res, 400, { error: 'timeoutSeconds must be a number >= 0.' });
    return;
  }
  state.mappings.drain(seconds * 1000).then(
    (drained) => sendJson(res, drained ? 200 : 504, { drained }),
    (error: unknown) => sendJson(res, 500, { error: `drain failed: ${error instanceof Error ? error.message : String(error)}` }),
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
