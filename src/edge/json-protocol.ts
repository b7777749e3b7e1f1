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

/** Serves one AWS JSON request that was routed to `service`; never throws. */
export async function serveJson(
  service: JsonService,
  operationName: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  options: JsonProtocolOptions,
): Promise<void> {
  const requestId = newRequestId();
  const send = (status: number, payload: unknown): void => {
    const text = payload instanceof RawJson ? payload.text : JSON.stringify(payload);
    const bytes = Buffer.from(text, 'utf8');
    res.writeHead(status, {
      'x-amzn-RequestId': requestId,
      'x-amz-crc32': String(crc32(bytes)),
      'Content-Type': service.contentType,
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  };
  const sendError = (error: AwsError): void => {
    const payload: Record<string, unknown> = { __type: service.errorType(error.code) };
    if (error.message) payload[error.messageKey] = error.message;
    Object.assign(payload, error.extra);
    send(error.status, payload);
  };

  try {
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
    const output = await handler(validated, ctx);
    send(200, output ?? {});
  } catch (error) {
    if (error instanceof AwsError) return sendError(error);
    options.onInternalError(error, operationName);
    sendError(new AwsError('InternalServerError', 'Internal server error', 500));
  }
}
