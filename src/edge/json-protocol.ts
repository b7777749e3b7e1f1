import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { ApiModel } from './api-model.js';
import { AwsError } from './errors.js';
import { newRequestId, regionFromAuthorization, type RequestContext } from './request-context.js';
import { validateRequest } from './request-validation.js';

export type OperationHandler = (input: any, ctx: RequestContext) => unknown;

/**
 * A service spoken over AWS JSON 1.0/1.1: `POST /` with
 * `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body.
 */
export interface JsonService {
  targetPrefix: string;
  model: ApiModel;
  /** `application/x-amz-json-1.0` or `-1.1`. */
  contentType: string;
  /** The `__type` AWS writes for an error code of this service. */
  errorType(code: string): string;
  /** Headers an error answer carries besides the body (SQS: `x-amzn-query-error`). */
  errorHeaders?(error: AwsError): Record<string, string>;
  /** Shapes the generic request validation leaves to the service. */
  opaqueShapes: ReadonlySet<string>;
  operations: Record<string, OperationHandler>;
  /**
   * What every operation's context inherits (the service's stores and clock):
   * the per-request context is created with this as its prototype instead of
   * copying the dependencies into every request.
   */
  contextPrototype?: object;
}

/**
 * An operation result that is already JSON text (e.g. a stored item spliced
 * into a response), sent as it is instead of being parsed and re-serialised.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface JsonProtocolOptions {
  defaultRegion: string;
  accountId: string;
  onInternalError(error: unknown, operation: string): void;
}

/**
 * Serves one AWS JSON request that was routed to `service`; never throws.
 * Most operations answer synchronously (SQLite is synchronous), and so does
 * this then: it returns a promise only for an operation that returns one.
 */
export function serveJson(
  service: JsonService,
  operationName: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  options: JsonProtocolOptions,
): void | Promise<void> {
  const requestId = newRequestId();
  try {
    const output = invoke(service, operationName, req, body, options, requestId);
    if (isThenable(output)) return answerLater(output, service, operationName, requestId, res, options);
    send(res, service, requestId, 200, output ?? {});
  } catch (error) {
    fail(error, service, operationName, requestId, res, options);
  }
}

/** Parses, authenticates and validates the request, then runs its operation: its output, or a promise of it. */
function invoke(service: JsonService, operationName: string, req: IncomingMessage, body: Buffer, options: JsonProtocolOptions, requestId: string): unknown {
  // AWS checks in this order: JSON syntax, operation, authentication, shape.
  let input: unknown;
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsError('SerializationException', '');
    }
  }
  const operation = service.model.operations[operationName];
  const handler = service.operations[operationName];
  if (!operation || !handler) throw new AwsError('UnknownOperationException', '');
  const authorization = req.headers.authorization;
  if (!authorization || !authorization.trim().startsWith('AWS4-')) {
    throw new AwsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  if (input === undefined) throw new AwsError('SerializationException', '');
  const validated = operation.input ? validateRequest(service.model, operation.input.shape, input, service.opaqueShapes) : {};
  const ctx = Object.create(service.contextPrototype ?? null) as RequestContext;
  ctx.requestId = requestId;
  ctx.region = regionFromAuthorization(authorization) ?? options.defaultRegion;
  ctx.accountId = options.accountId;
  ctx.host = req.headers.host ?? '';
  ctx.plainJsonBody = body.indexOf(BACKSLASH) === -1;
  return handler(validated, ctx);
}

async function answerLater(
  pending: PromiseLike<unknown>,
  service: JsonService,
  operationName: string,
  requestId: string,
  res: ServerResponse,
  options: JsonProtocolOptions,
): Promise<void> {
  try {
    send(res, service, requestId, 200, (await pending) ?? {});
  } catch (error) {
    fail(error, service, operationName, requestId, res, options);
  }
}

/** Answers a failed request: its AwsError, or InternalServerError for anything else (logged). */
function fail(error: unknown, service: JsonService, operationName: string, requestId: string, res: ServerResponse, options: JsonProtocolOptions): void {
  if (error instanceof AwsError) return sendError(res, service, requestId, error);
  options.onInternalError(error, operationName);
  sendError(res, service, requestId, new AwsError('InternalServerError', 'Internal server error', 500));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** A backslash in UTF-8: a body without one has no escape in any string (RequestContext.plainJsonBody). */
const BACKSLASH = 0x5c;

/** `{}`, the answer of most writes, with its CRC32: computed once. */
const EMPTY_OBJECT = Buffer.from('{}');
const EMPTY_OBJECT_CRC32 = String(crc32(EMPTY_OBJECT));

function send(res: ServerResponse, service: JsonService, requestId: string, status: number, payload: unknown, headers?: Record<string, string>): void {
  const text = payload instanceof RawJson ? payload.text : JSON.stringify(payload);
  const empty = text === '{}';
  const bytes = empty ? EMPTY_OBJECT : Buffer.from(text, 'utf8');
  res.writeHead(status, {
    'x-amzn-RequestId': requestId,
    // AWS SDKs check it when present (the v3 JavaScript SDK for DynamoDB, botocore).
    'x-amz-crc32': empty ? EMPTY_OBJECT_CRC32 : String(crc32(bytes)),
    'Content-Type': service.contentType,
    'Content-Length': bytes.length,
    ...headers,
  });
  res.end(bytes);
}

function sendError(res: ServerResponse, service: JsonService, requestId: string, error: AwsError): void {
  const payload: Record<string, unknown> = { __type: service.errorType(error.code) };
  if (error.message) payload[error.messageKey] = error.message;
  Object.assign(payload, error.extra);
  send(res, service, requestId, error.status, payload, service.errorHeaders?.(error));
}
