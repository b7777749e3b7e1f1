import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP endpoint that records what SNS posts to it and answers with
 * `status`. `next()` resolves with the next request (at once if one is waiting).
 */
export async function startHttpEndpoint(status = 200): Promise<{ url: string; next(): Promise<Received>; received: Received[]; setStatus(s: number): void; close(): Promise<void> }> {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  let answer = status;
  let read = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      res.writeHead(answer);
      res.end();
      waiting.shift()?.(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    setStatus: (s) => (answer = s),
    next: () => {
      if (read < received.length) return Promise.resolve(received[read++]!);
      return new Promise((resolve) => waiting.push((r) => (read++, resolve(r))));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
