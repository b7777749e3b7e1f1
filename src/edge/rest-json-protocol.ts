import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiModel, Shape, ShapeRef } from './api-model.js';
import { AwsError } from './errors.js';
import type { JsonProtocolOptions, OperationHandler } from './json-protocol.js';
import { regionFromAuthorization, type RequestContext } from './request-context.js';
import { validateRequest } from './request-validation.js';

/**
 * A service spoken over AWS REST-JSON (Lambda; later API Gateway-style
 * services): the operation is chosen by HTTP method and path template
 * (`http.requestUri` in the model), members travel in the path, the query
 * string, headers or the JSON body as the model's `location` says, and errors
 * carry their code in `X-Amzn-ErrorType`.
 *
 * Operations stay protocol-free: they receive one typed input object with
 * every member in it (a blob payload, like Invoke's, as a Buffer) and return
 * one output object; this codec moves members to and from their places. Body
 * members are written as the operation returns them, so they must already be
 * wire-shaped (a `timestamp` member as epoch seconds, a blob as base64).
 */
export interface RestJsonService {
  model: ApiModel;
  /** The operations implemented; every other operation of the model answers NotImplementedException. */
  operations: Record<string, OperationHandler>;
  /** Shapes the generic request validation leaves to the service. */
  opaqueShapes?: ReadonlySet<string>;
  /** Largest request body accepted on this service's paths (the edge's default otherwise). */
  maxRequestBytes?: number;
  /**
   * Eddy's own paths of this service (e.g. code downloads), tried before the
   * model's routes; return false to fall through.
   */
  extraRoutes?(method: string, path: string, req: IncomingMessage, res: ServerResponse): boolean;
}

/** Where an output or input member travels, from the model. */
interface ModelMemberRef extends ShapeRef {
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

interface ModelOperation {
  name: string;
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
}

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  service: RestJsonService;
  operation: ModelOperation;
  method: string;
  segments: Segment[];
  /** Literal query parameters the template requires (`?List=ALL`). */
  query: [string, string][];
  /** More literal segments win over labels when two templates match. */
  specificity: number;
}

export interface RestMatch {
  route: Route;
  labels: Record<string, string>;
}

/** AWS REST-JSON errors carry this `Type`: the caller's fault or the service's. */
const errorTypeOf = (status: number): string => (status >= 500 ? 'Service' : 'User');

/**
 * Routes REST-JSON requests to operations by method and path template. The
 * table is built from the models, so an operation a service adds later only
 * needs its handler.
 */
export class RestJsonRouter {
  private readonly routes: Route[] = [];
  /** First path segments of every route (`2015-03-31`, ...): any other URL is not REST-JSON, decided at once. */
  private readonly prefixes = new Set<string>();
  /** A route starting with a label (or at `/`) matches any first segment: no shortcut then. */
  private anyPrefix = false;

  constructor(
    private readonly services: readonly RestJsonService[],
    private readonly options: JsonProtocolOptions,
  ) {
    for (const service of services) {
      for (const operation of Object.values(service.model.operations) as ModelOperation[]) {
        if (!operation.http) continue;
        const [pathPart, queryPart] = operation.http.requestUri.split('?', 2) as [string, string | undefined];
        const segments: Segment[] = pathPart
          .split('/')
          .filter((s) => s !== '')
          .map((s) => {
            const label = /^\{([^}]+?)(\+)?\}$/.exec(s);
            return label ? { label: label[1]!, greedy: label[2] === '+' } : { literal: s };
          });
        const query = queryPart ? [...new URLSearchParams(queryPart).entries()] : [];
        const specificity = segments.filter((s) => 'literal' in s).length * 2 + query.length;
        const first = segments[0];
        if (first && 'literal' in first) this.prefixes.add(first.literal);
        else this.anyPrefix = true;
        this.routes.push({ service, operation, method: operation.http.method, segments, query, specificity });
      }
    }
    this.routes.sort((a, b) => b.specificity - a.specificity);
  }

  /** The body limit for a request to `url`, when one of the services sets its own. */
  maxRequestBytes(method: string, url: string): number | undefined {
    const found = this.match(method, url);
    return found?.route.service.maxRequestBytes;
  }

  /** The operation `method` and `url` address, if any. */
  match(method: string, url: string): RestMatch | undefined {
    const end = url.indexOf('/', 1);
    const first = url.slice(1, end < 0 ? undefined : end).split('?', 1)[0]!;
    if (!this.anyPrefix && !this.prefixes.has(first)) return undefined;
    const [rawPath, rawQuery] = splitUrl(url);
    const parts = rawPath.split('/').filter((s) => s !== '');
    const query = new URLSearchParams(rawQuery);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const labels = matchSegments(route.segments, parts);
      if (!labels) continue;
      if (!route.query.every(([key, value]) => query.get(key) === value)) continue;
      return { route, labels };
    }
    return undefined;
  }

  /**
   * Serves the request if a REST-JSON service owns its path; returns false
   * (and writes nothing) otherwise. Never throws.
   */
  async serve(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const [path] = splitUrl(url);
    for (const service of this.services) {
      if (service.extraRoutes?.(method, safeDecode(path) ?? path, req, res)) return true;
    }
    const found = this.match(method, url);
    if (!found) return false;
    await this.serveOperation(found, req, body, res);
    return true;
  }

  private async serveOperation({ route, labels }: RestMatch, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const { service, operation } = route;
    const requestId = randomUUID();
    try {
      const authorization = req.headers.authorization;
      if (!authorization || !authorization.trim().startsWith('AWS4-')) {
        throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      const handler = service.operations[operation.name];
      if (!handler) {
        throw new AwsError('NotImplementedException', `Eddy does not implement the ${operation.name} operation yet.`, 501);
      }
      const input = readInput(service, operation, labels, req, body);
      const ctx: RequestContext = {
        requestId,
        region: regionFromAuthorization(authorization) ?? this.options.defaultRegion,
        accountId: this.options.accountId,
        host: req.headers.host ?? '',
      };
      const output = (await handler(input, ctx)) as Record<string, unknown> | undefined;
      writeOutput(service.model, operation, output ?? {}, requestId, res);
    } catch (error) {
      if (error instanceof AwsError) return writeError(service.model, error, requestId, res);
      this.options.onInternalError(error, operation.name);
      writeError(service.model, new AwsError('ServiceException', 'An internal error occurred.', 500), requestId, res);
    }
  }
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ('literal' in segment) {
      if (parts[i] !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy) {
      const rest = parts.slice(i);
      if (rest.length === 0) return undefined;
      const decoded = rest.map(safeDecode);
      if (decoded.some((d) => d === undefined)) return undefined;
      labels[segment.label] = decoded.join('/');
      return labels;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    const decoded = safeDecode(part);
    if (decoded === undefined || decoded === '') return undefined;
    labels[segment.label] = decoded;
  }
  return parts.length === segments.length ? labels : undefined;
}

/** Converts a query string or header text to the member's JSON type; leaves what does not convert for validation to refuse. */
function fromText(shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'double':
    case 'float':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/**
 * Gathers an operation's input from its places: labels, query string,
 * headers, then the JSON body (or a raw blob payload), and validates it
 * against the model like the JSON protocol does.
 */
function readInput(service: RestJsonService, operation: ModelOperation, labels: Record<string, string>, req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const model = service.model;
  if (!operation.input) return {};
  const shape = model.shapes[operation.input.shape]!;
  const members = (shape.members ?? {}) as Record<string, ModelMemberRef>;
  const payloadName = (shape as Shape & { payload?: string }).payload;
  const payloadShape = payloadName ? model.shapes[members[payloadName]!.shape] : undefined;
  const rawPayload = payloadShape && (payloadShape.type === 'blob' || payloadShape.type === 'string');

  let input: Record<string, unknown> = {};
  if (!rawPayload && body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`);
    }
    if (payloadName) input[payloadName] = parsed;
    else if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = { ...(parsed as Record<string, unknown>) };
    else throw new AwsError('InvalidRequestContentException', 'Could not parse request body into json: the body is not a JSON object');
  }

  const [, rawQuery] = splitUrl(req.url ?? '/');
  const query = new URLSearchParams(rawQuery);
  for (const [name, ref] of Object.entries(members)) {
    const memberShape = model.shapes[ref.shape]!;
    const key = ref.locationName ?? name;
    if (ref.location === 'uri') {
      if (labels[key] !== undefined) input[name] = fromText(memberShape, labels[key]);
    } else if (ref.location === 'querystring') {
      if (memberShape.type === 'list') {
        const values = query.getAll(key);
        if (values.length > 0) input[name] = values.map((v) => fromText(model.shapes[memberShape.member!.shape]!, v));
      } else if (memberShape.type === 'map') {
        const map: Record<string, string> = {};
        for (const [k, v] of query.entries()) if (!Object.values(members).some((m) => m.location === 'querystring' && (m.locationName ?? '') === k)) map[k] = v;
        if (Object.keys(map).length > 0) input[name] = map;
      } else if (query.has(key)) {
        input[name] = fromText(memberShape, query.get(key)!);
      }
    } else if (ref.location === 'header') {
      const value = req.headers[key.toLowerCase()];
      if (typeof value === 'string') input[name] = fromText(memberShape, value);
    }
  }

  // A raw payload is bytes, not JSON: it skips type validation and is handed over as a Buffer.
  if (rawPayload && payloadName) delete input[payloadName];
  const validated = validateRequest(model, operation.input.shape, input, service.opaqueShapes ?? new Set());
  if (rawPayload && payloadName) validated[payloadName] = payloadShape.type === 'blob' ? body : body.toString('utf8');
  return validated;
}

/** Writes an operation's output: status and header members to their places, a blob payload raw, the rest as JSON. */
function writeOutput(model: ApiModel, operation: ModelOperation, output: Record<string, unknown>, requestId: string, res: ServerResponse): void {
  let status = operation.http?.responseCode ?? 200;
  const headers: Record<string, string | number> = { 'x-amzn-RequestId': requestId };
  const shape = operation.output ? model.shapes[operation.output.shape] : undefined;
  const members = (shape?.members ?? {}) as Record<string, ModelMemberRef>;
  const payloadName = (shape as (Shape & { payload?: string }) | undefined)?.payload;
  const json: Record<string, unknown> = {};
  let raw: Buffer | undefined;
  for (const [name, value] of Object.entries(output)) {
    if (value === undefined || value === null) continue;
    const ref = members[name];
    if (ref?.location === 'statusCode') status = Number(value);
    else if (ref?.location === 'header') headers[ref.locationName ?? name] = String(value);
    else if (name === payloadName) raw = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    else json[name] = value;
  }
  let bytes: Buffer;
  if (raw !== undefined) bytes = raw;
  else if (status === 204 || (shape === undefined && Object.keys(json).length === 0)) bytes = Buffer.alloc(0);
  else bytes = Buffer.from(JSON.stringify(json), 'utf8');
  if (bytes.length > 0 || status !== 204) headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = bytes.length;
  res.writeHead(status, headers);
  res.end(bytes);
}

/**
 * Writes an error as REST-JSON services do: the status of the model's error
 * shape, `X-Amzn-ErrorType: <Code>`, and `{"Type": "User", "message": "..."}`
 * with the message member spelled as the shape spells it (`Message` for some).
 * Extra members the shape binds to headers (Retry-After) go there.
 */
function writeError(model: ApiModel, error: AwsError, requestId: string, res: ServerResponse): void {
  const shape = model.shapes[error.code];
  const isErrorShape = shape?.exception === true;
  const status = isErrorShape ? (shape.error?.httpStatusCode ?? error.status) : error.status;
  const members = (isErrorShape ? shape.members ?? {} : {}) as Record<string, ModelMemberRef>;
  const messageKey = 'Message' in members ? 'Message' : 'message' in members ? 'message' : error.messageKey;
  const headers: Record<string, string | number> = {
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': error.code,
    'Content-Type': 'application/json',
  };
  const payload: Record<string, unknown> = { Type: errorTypeOf(status) };
  if (error.message) payload[messageKey] = error.message;
  for (const [name, value] of Object.entries(error.extra ?? {})) {
    const ref = members[name];
    if (ref?.location === 'header') headers[ref.locationName ?? name] = String(value);
    else payload[name] = value;
  }
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  headers['Content-Length'] = bytes.length;
  res.writeHead(status, headers);
  res.end(bytes);
}
