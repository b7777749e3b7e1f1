import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, expect, it } from 'vitest';
import { createFunction, lambdaClient } from './helpers.js';
import { exited, spawnEddy } from '../helpers/eddy-process.js';

// An Eddy on a data directory, in its own process (killed below).
const server = fileURLToPath(new URL('./esm-crash-eddy.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'eddy-async-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startEddy = () => spawnEddy(['--import', 'tsx', server, join(dataDir, 'eddy')], 'inherit');

it('an Event invocation answered 202 survives kill -9 while its handler runs, and runs again after the restart under its request id', async () => {
  // The handler reports to this server and waits for its answer, which the test withholds the first time.
  const calls: { requestId: string; res: ServerResponse }[] = [];
  const arrived: (() => void)[] = [];
  const gate = createServer((req: IncomingMessage, res: ServerResponse) => {
    calls.push({ requestId: new URL(req.url!, 'http://gate').searchParams.get('id')!, res });
    for (const wake of arrived.splice(0)) wake();
  });
  gate.listen(0, '127.0.0.1');
  await once(gate, 'listening');
  const url = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`;
  const callCount = (n: number): Promise<void> => (calls.length >= n ? Promise.resolve() : new Promise((resolve) => arrived.push(() => void callCount(n).then(resolve))));

  try {
    const first = await startEddy();
    const lambda = lambdaClient(first.endpoint);
    await createFunction(lambda, 'reporter', { 'index.mjs': 'export const handler = async (event, context) => (await fetch(event.url + "?id=" + context.awsRequestId)).text();' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'reporter', InvocationType: 'Event', Payload: JSON.stringify({ url }) }));
    expect(out.StatusCode).toBe(202);
    await callCount(1);
    first.child.kill('SIGKILL');
    await exited(first.child);
    lambda.destroy();

    const second = await startEddy();
    try {
      await callCount(2);
      expect(calls.map((call) => call.requestId)).toEqual([out.$metadata.requestId, out.$metadata.requestId]);
      calls[1]!.res.end('done');
    } finally {
      second.child.kill('SIGKILL');
      await exited(second.child);
    }
  } finally {
    gate.closeAllConnections();
    gate.close();
  }
});
