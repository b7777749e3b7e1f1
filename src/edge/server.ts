import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { GroupCommit } from '../store/group-commit.js';
import { serveJson, type JsonProtocolOptions, type JsonService } from './json-protocol.js';
import { QueryRouter, type QueryService } from './query-protocol.js';
import { RestJsonRouter, type RestJsonService } from './rest-json-protocol.js';

/** AWS front ends refuse request bodies over 16 MB. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface EdgeOptions extends JsonProtocolOptions {
  jsonServices: JsonService[];
  /** Services routed by method and path (Lambda). */
  restServices?: RestJsonService[];
  /** Services spoken over the AWS Query protocol (SNS, SQS's older clients). */
  queryServices?: QueryService[];
  /** Eddy's own endpoints under `/_eddy/`; return false to fall through to a 404. */
  admin(method: string, path: string, req: IncomingMessage, body: Buffer, res: ServerResponse): boolean | Promise<boolean>;
  /** When given, every request joins the turn's group and every answer waits for its commit. */
  groupCommit?: Pick<GroupCommit, 'join' | 'isOpen' | 'answerAfterCommit'>;
}

/**
 * The one HTTP port. It reads the body, then routes by protocol: `X-Amz-Target`
 * selects a JSON service (DynamoDB, Streams, later SQS and Kinesis); then a
 * Query-protocol form (SNS, SQS for older clients; query-protocol.ts); then a
 * REST-JSON service's path templates (Lambda).
 */
export function createEdge(options: EdgeOptions): Server {
  const byPrefix = new Map(options.jsonServices.map((s) => [s.targetPrefix, s]));
  const rest = new RestJsonRouter(options.restServices ?? [], options);
  const query = new QueryRouter(options.queryServices ?? [], options);

  const route = async (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/_eddy/') && (await options.admin(req.method ?? 'GET', path, req, body, res))) return;

    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && req.method === 'POST') {
      const dot = target.lastIndexOf('.');
      const service = byPrefix.get(target.slice(0, dot));
      if (service) return serveJson(service, target.slice(dot + 1), req, body, res, options);
      // An unknown prefix is answered like an unknown operation of DynamoDB, as AWS does.
      const fallback = options.jsonServices[0];
      if (fallback) return serveJson(fallback, '', req, body, res, options);
    }
    // Form-encoded POSTs (and GETs with an Action) go to the Query service the signature or Version names.
    if (query.accepts(req) && query.serve(req, body, res)) return;
    if (await rest.serve(req, body, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('<UnknownOperationException/>\n');
  };

  const commits = options.groupCommit;
  const server = createServer({ ServerResponse: commits ? answersAfterCommit(commits) : ServerResponse }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    // AWS JSON requests (X-Amz-Target) never take a REST route's larger body limit.
    const limit = req.headers['x-amz-target'] !== undefined ? MAX_REQUEST_BYTES : (rest.maxRequestBytes(req.method ?? 'GET', req.url ?? '/') ?? MAX_REQUEST_BYTES);
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
        res.end('Request Entity Too Large\n');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    const failed = (error: unknown): void => {
      options.onInternalError(error, 'route');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    };
    req.on('end', () => {
      if (refused) return;
      const body = Buffer.concat(chunks, size);
      // The hot path: an AWS JSON request goes straight to its service, with no
      // promise in between when the operation answers synchronously.
      const target = req.headers['x-amz-target'];
      const dot = typeof target === 'string' ? target.lastIndexOf('.') : -1;
      const service = typeof target === 'string' && req.method === 'POST' && !(req.url ?? '/').startsWith('/_eddy/') ? byPrefix.get(target.slice(0, dot)) : undefined;
      const operation = service ? (target as string).slice(dot + 1) : undefined;
      // A request joins the turn's group unless it is a JSON read (GetItem,
      // Query, ...), which would only pay for an empty transaction and hold
      // its answer. Joining is an optimisation, never what makes a write
      // durable: a write outside a group commits on its own before its answer,
      // and any answer sent while a group is open (a read that saw the group's
      // uncommitted writes included) waits for its commit.
      if (operation === undefined || !READ_OPERATION.test(operation)) commits?.join();
      if (service) {
        const answered = serveJson(service, operation!, req, body, res, options);
        if (answered) answered.catch(failed);
        return;
      }
      route(req, body, res).catch(failed);
    });
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** JSON-protocol operations that only read (DynamoDB, Streams, SQS): they do not open a group. */
const READ_OPERATION = /^(Get|BatchGet|Query|Scan|Describe|List)/;

const sendEnd = ServerResponse.prototype.end as (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/**
 * Responses whose `end` waits for the open group's commit (or sends at once
 * when none is open). Holding `end` catches every answer, whoever sends it:
 * each protocol, the admin API, 404s, 413s, errors, and answers an operation
 * sends turns later (long polls, Invoke). Headers set before are only
 * buffered, and no answer streams its body with `write`, save a function's
 * followed logs, which report no write. A subclass (Node's `ServerResponse`
 * option) rather than a wrapper set on each response: nothing per request,
 * and every response keeps one shape.
 */
function answersAfterCommit(commits: Pick<GroupCommit, 'isOpen' | 'answerAfterCommit'>): typeof ServerResponse<IncomingMessage> {
  return class AnswerAfterCommit extends ServerResponse<IncomingMessage> {
    override end(...args: unknown[]): this {
      if (!commits.isOpen) return sendEnd.apply(this, args) as this;
      commits.answerAfterCommit(this, () => sendEnd.apply(this, args));
      return this;
    }
  };
}
